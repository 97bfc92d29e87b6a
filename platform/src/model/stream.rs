use super::{BatchSize, Destination, EventType, StreamId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The body of `POST /activities/v1/streams`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewStream {
    /// Generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_id: Option<StreamId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub event_type: EventType,
    #[serde(default)]
    pub destination: Destination,
    #[serde(default)]
    pub batch_size: BatchSize,
    #[serde(default)]
    pub enrichment: bool,
}

/// The body of `PATCH /activities/v1/streams/{stream_id}`: only what is present changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StreamPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<BatchSize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrichment: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<Destination>,
}

/// A stream as the API shows it; its destination's secrets are redacted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
pub struct Stream {
    pub stream_id: StreamId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub destination: Destination,
    pub batch_size: BatchSize,
    pub enrichment: bool,
    pub created_at: DateTime<Utc>,
    /// Ready-to-use collect URL; only custom streams are collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collect_url: Option<String>,
    pub status: StreamStatus,
}

/// How a stream is doing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
pub struct StreamStatus {
    pub state: StreamState,
    /// Events stored for the stream and not yet collected or delivered.
    pub lag: u64,
    /// Events collected (committed) or delivered so far.
    pub delivered: u64,
    pub last_delivery_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum StreamState {
    Active,
    Failing,
    Paused,
}

impl StreamState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Failing => "failing",
            Self::Paused => "paused",
        }
    }
}

impl std::str::FromStr for StreamState {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        match text {
            "active" => Ok(Self::Active),
            "failing" => Ok(Self::Failing),
            "paused" => Ok(Self::Paused),
            _ => Err(()),
        }
    }
}

/// The body of `GET /activities/v1/streams`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
pub struct StreamList {
    pub streams: Vec<Stream>,
}

/// A display name longer than the contract allows.
pub const MAX_NAME_CHARS: usize = 120;
