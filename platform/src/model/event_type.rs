use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// The source a stream carries: one of the four event families of the contract (§2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum EventType {
    /// Customer identity: authentication, user management, journeys.
    Cis,
    /// Fraud prevention: action events and recommendations.
    Risk,
    /// Identity verification: document and face checks.
    Verify,
    /// Admin actions and portal settings.
    Admin,
}

/// A `type` that names none of the four sources.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown event type {0:?}: expected one of cis, risk, verify, admin")]
pub struct UnknownEventType(pub String);

impl EventType {
    /// Every source, in the order the console lists them.
    pub const ALL: [EventType; 4] = [Self::Cis, Self::Risk, Self::Verify, Self::Admin];

    /// The wire name, as in `?type=` and the event's `type` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cis => "cis",
            Self::Risk => "risk",
            Self::Verify => "verify",
            Self::Admin => "admin",
        }
    }

    /// The name an admin sees in the console.
    pub fn label(self) -> &'static str {
        match self {
            Self::Cis => "Customer identity",
            Self::Risk => "Fraud Prevention",
            Self::Verify => "Identity Verification",
            Self::Admin => "Admin activities",
        }
    }

    /// What the source's events are about, as the console explains it.
    pub fn description(self) -> &'static str {
        match self {
            Self::Cis => {
                "Authentication, user management and journey events of your customers, \
                 such as logins, MFA challenges and profile changes."
            }
            Self::Risk => {
                "Fraud Prevention action events and the recommendations returned for them, \
                 with risk scores and the reasons behind them."
            }
            Self::Verify => {
                "Identity Verification sessions: document checks, selfie and liveness checks, \
                 and their results."
            }
            Self::Admin => {
                "Actions of admins in the admin portal: sign-ins, configuration and \
                 permission changes, with previous and current values."
            }
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventType {
    type Err = UnknownEventType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownEventType(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_through_parse_and_serde() {
        for t in EventType::ALL {
            assert_eq!(t.as_str().parse::<EventType>(), Ok(t));
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
    }

    #[test]
    fn unknown_and_differently_cased_names_are_rejected() {
        for bad in ["", "CIS", "audit", "risk "] {
            assert_eq!(bad.parse::<EventType>(), Err(UnknownEventType(bad.to_owned())));
        }
    }
}
