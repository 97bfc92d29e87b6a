use serde::{Deserialize, Serialize};
use std::fmt;

/// A write-only setting (a token, password or key). It is stored as given, but every response
/// shows [`Secret::REDACTED`] in its place, and `Debug` never prints it, so logs cannot leak it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// What responses show instead of the value. Sent back in an update, it means "unchanged".
    pub const REDACTED: &'static str = "••••";

    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the code that talks to the destination.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn redacted() -> Self {
        Self(Self::REDACTED.to_owned())
    }

    pub fn is_redacted(&self) -> bool {
        self.0 == Self::REDACTED
    }

    /// For an update: the placeholder keeps the previous value, anything else replaces it.
    pub fn or_previous(self, previous: Option<&Secret>) -> Secret {
        match previous {
            Some(previous) if self.is_redacted() => previous.clone(),
            _ => self,
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::REDACTED)
    }
}
