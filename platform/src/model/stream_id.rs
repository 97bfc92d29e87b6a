use serde::{Deserialize, Serialize};
use std::fmt;

/// A stream's identifier: 1 to 64 of `[A-Za-z0-9._-]`, unique within a tenant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct StreamId(String);

/// An identifier that is empty, too long, or has characters outside `[A-Za-z0-9._-]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stream_id must be 1 to 64 letters, digits, dots, dashes or underscores, got {0:?}")]
pub struct InvalidStreamId(pub String);

impl StreamId {
    pub const MAX_LEN: usize = 64;

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for StreamId {
    type Error = InvalidStreamId;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        let valid = (1..=Self::MAX_LEN).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if valid {
            Ok(Self(s))
        } else {
            Err(InvalidStreamId(s))
        }
    }
}

impl std::str::FromStr for StreamId {
    type Err = InvalidStreamId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::try_from(s.to_owned())
    }
}

impl From<StreamId> for String {
    fn from(id: StreamId) -> String {
        id.0
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_documented_alphabet_up_to_64() {
        for ok in ["a", "splunk-users", "A.b_c-9", &"x".repeat(64)] {
            assert!(ok.parse::<StreamId>().is_ok(), "{ok:?}");
        }
        for bad in ["", "has space", "slash/", "ünïcode", "semi;colon", &"x".repeat(65)] {
            assert!(bad.parse::<StreamId>().is_err(), "{bad:?}");
        }
    }
}
