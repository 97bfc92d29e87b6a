//! What the platform's operations fail with. The HTTP layer maps each variant to a status once
//! (`api::error`); everything here is safe to show to the caller except `Internal`'s cause.

use crate::{
    model::{EventType, InvalidBatchSize, InvalidDestination, InvalidStreamId, UnknownEventType},
    store::StoreError,
};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidRequest(String),
    #[error(transparent)]
    InvalidBatchSize(#[from] InvalidBatchSize),
    #[error(transparent)]
    UnknownEventType(#[from] UnknownEventType),
    #[error(transparent)]
    InvalidStreamId(#[from] InvalidStreamId),
    #[error(transparent)]
    InvalidDestination(#[from] InvalidDestination),
    /// One event of an ingested batch is malformed; nothing of the batch was stored.
    #[error("event {index}: {message}")]
    InvalidEvent { index: usize, message: String },
    /// One event of an ingested batch names no known source; nothing of the batch was stored.
    #[error("event {index}: {message}")]
    UnknownEventTypeAt { index: usize, message: String },
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("stream {0:?} does not exist")]
    StreamNotFound(String),
    #[error("stream {0:?} exists already")]
    StreamExists(String),
    #[error("stream {stream:?} carries {actual} events, not {requested}")]
    TypeMismatch { stream: String, actual: EventType, requested: EventType },
    #[error("stream {0:?} delivers to a push destination; only custom streams are collected")]
    NotACustomStream(String),
    #[error("{0} does not exist")]
    NotFound(String),
    #[error("the request body is larger than the limit of {0} bytes")]
    PayloadTooLarge(usize),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("internal error")]
    Internal(#[from] StoreError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A request body that does not parse as what its endpoint takes.
    pub fn not_json(error: impl std::fmt::Display) -> Self {
        Error::InvalidRequest(format!("the body is not valid JSON for this request: {error}"))
    }
}
