use serde::{Deserialize, Serialize};
use std::fmt;

/// How many events one collect call or one delivery carries: 1 to 1000 (contract §4, §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(try_from = "i64", into = "u16")]
pub struct BatchSize(u16);

/// A batch size outside 1–1000, or not a whole number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("batch_size must be a whole number from 1 to 1000, got {0}")]
pub struct InvalidBatchSize(pub String);

impl BatchSize {
    pub const MIN: u16 = 1;
    pub const MAX: u16 = 1000;
    pub const DEFAULT: BatchSize = BatchSize(100);

    pub fn get(self) -> u16 {
        self.0
    }

    /// Parses the text of a query parameter or form field.
    pub fn parse(text: &str) -> Result<Self, InvalidBatchSize> {
        text.trim()
            .parse::<i64>()
            .map_err(|_| InvalidBatchSize(format!("{text:?}")))
            .and_then(Self::try_from)
    }
}

impl TryFrom<i64> for BatchSize {
    type Error = InvalidBatchSize;

    fn try_from(n: i64) -> Result<Self, Self::Error> {
        if (i64::from(Self::MIN)..=i64::from(Self::MAX)).contains(&n) {
            Ok(Self(n as u16))
        } else {
            Err(InvalidBatchSize(n.to_string()))
        }
    }
}

impl From<BatchSize> for u16 {
    fn from(b: BatchSize) -> u16 {
        b.0
    }
}

impl Default for BatchSize {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Display for BatchSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_bounds_and_rejects_what_lies_outside() {
        assert_eq!(BatchSize::parse("1").map(BatchSize::get), Ok(1));
        assert_eq!(BatchSize::parse("1000").map(BatchSize::get), Ok(1000));
        for bad in ["0", "1001", "-1", "abc", "", "1.5"] {
            assert!(BatchSize::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn serde_enforces_the_same_bounds() {
        assert_eq!(serde_json::from_str::<BatchSize>("50").unwrap().get(), 50);
        assert!(serde_json::from_str::<BatchSize>("0").is_err());
        assert!(serde_json::from_str::<BatchSize>("\"50\"").is_err());
    }
}
