use serde::{Deserialize, Serialize};

/// Where a stream's events go: polled by the customer (`custom`) or pushed by Sluice (contract §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DestinationKind {
    Custom,
    Splunk,
    Kafka,
    Gcs,
    S3,
    Webhook,
}

impl DestinationKind {
    /// Every kind, in the order the console offers them.
    pub const ALL: [DestinationKind; 6] =
        [Self::Custom, Self::Splunk, Self::Kafka, Self::Gcs, Self::S3, Self::Webhook];

    /// The wire name, as in the destination's `kind` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Custom => "custom",
            Self::Splunk => "splunk",
            Self::Kafka => "kafka",
            Self::Gcs => "gcs",
            Self::S3 => "s3",
            Self::Webhook => "webhook",
        }
    }

    /// The name an admin sees in the console.
    pub fn label(self) -> &'static str {
        match self {
            Self::Custom => "Custom (API polling)",
            Self::Splunk => "Splunk",
            Self::Kafka => "Kafka",
            Self::Gcs => "Google Cloud Storage",
            Self::S3 => "Amazon S3",
            Self::Webhook => "Webhook",
        }
    }

    /// Looks a kind up by its wire name.
    pub fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        for k in DestinationKind::ALL {
            assert_eq!(DestinationKind::from_wire(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert_eq!(DestinationKind::from_wire("ftp"), None);
    }
}
