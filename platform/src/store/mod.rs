//! Durable storage behind one trait, one file per backend, chosen by the database URL's scheme.

mod postgres;
mod rows;
mod sqlite;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use crate::model::{Destination, EventType, StreamId, StreamState};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::{sync::Arc, time::Duration};

/// What a backend can fail with, mapped once from the driver's errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A row with the same key exists already.
    #[error("already exists")]
    Conflict,
    #[error("not found")]
    NotFound,
    /// A collect cursor this stream never handed out.
    #[error("cursor was not issued for this stream")]
    InvalidCursor,
    /// Holds the URL's scheme only: the rest may carry a password.
    #[error("database URL scheme {0:?} names no supported backend (sqlite://… or postgres://…)")]
    UnsupportedUrl(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// A blocking database call panicked or was cancelled.
    #[error("a database call did not finish: {0}")]
    Interrupted(#[from] tokio::task::JoinError),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A thread the store runs beside requests did not start.
    #[error("cannot start a store thread: {0}")]
    Thread(#[from] std::io::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A management app as stored: its tenant and its secret's argon2 hash.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AppRecord {
    pub client_id: String,
    pub tenant_id: String,
    pub secret_hash: String,
}

/// An issued access token, found by its hash.
#[derive(Debug, Clone)]
pub struct TokenRecord {
    pub tenant_id: String,
    pub client_id: String,
    pub expires_at: DateTime<Utc>,
}

/// One event ready to append: its source and its JSON as it will be served.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub event_type: EventType,
    pub body: String,
}

/// One stored event: its sequence number and its JSON.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredEvent {
    pub seq: i64,
    pub body: String,
}

/// A stream as stored, secrets included, with its position.
#[derive(Debug, Clone)]
pub struct StreamRecord {
    pub tenant_id: String,
    pub stream_id: StreamId,
    pub name: Option<String>,
    pub event_type: EventType,
    pub destination: Destination,
    pub batch_size: u16,
    pub enrichment: bool,
    pub created_at: DateTime<Utc>,
    /// The seq of the last event the stream has committed.
    pub position: i64,
    pub delivered: u64,
    pub last_delivery_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub state: StreamState,
    /// Bumped by every settings change.
    pub settings_version: i64,
}

impl StreamRecord {
    /// A stream to create, with the default batch size and no enrichment: it has delivered
    /// nothing yet, and the store gives it its position.
    pub fn new(tenant_id: String, stream_id: StreamId, event_type: EventType, destination: Destination) -> Self {
        Self {
            tenant_id,
            stream_id,
            name: None,
            event_type,
            destination,
            batch_size: crate::model::BatchSize::DEFAULT.get(),
            enrichment: false,
            created_at: Utc::now(),
            position: 0,
            delivered: 0,
            last_delivery_at: None,
            last_error: None,
            state: StreamState::Active,
            settings_version: 0,
        }
    }
}

/// How a collect call treats the stream's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectMode {
    /// Return the next events and commit past them in the same transaction.
    AutoCommit,
    /// First commit through `commit_through` (when given), then return the events after it
    /// without committing them.
    Cursor { commit_through: Option<i64> },
}

/// What a collect call read: the events' stored JSON as one array, built as they are read so a
/// batch is served without another copy, and the seq a collector passes back to commit them.
#[derive(Debug, Clone)]
pub struct Collected {
    /// The events as the JSON array collect serves.
    pub array: String,
    /// Where each event lies in `array`, for enrichment to take them one by one.
    pub events: Vec<std::ops::Range<usize>>,
    pub cursor: i64,
    /// Whether the stream asked for enrichment, as read in the same transaction.
    pub enrichment: bool,
}

/// The kinds of directory entry enrichment looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DirectoryKind {
    User,
    App,
    Admin,
}

impl DirectoryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::App => "app",
            Self::Admin => "admin",
        }
    }
}

/// A directory entry to write: its kind, id and JSON.
#[derive(Debug, Clone)]
pub struct DirectoryEntry {
    pub kind: DirectoryKind,
    pub id: String,
    pub data: String,
}

/// Everything the platform keeps. Implementations must make `append_events` and `collect`
/// atomic and durable before they return, and must never hand one event to two auto-commit
/// collects of the same stream.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Answers when the database does.
    async fn ping(&self) -> StoreResult<()>;

    async fn ensure_tenant(&self, tenant_id: &str) -> StoreResult<()>;
    /// Fails with `Conflict` when the client id is taken.
    async fn create_app(&self, app: &AppRecord) -> StoreResult<()>;
    async fn find_app(&self, client_id: &str) -> StoreResult<Option<AppRecord>>;
    async fn insert_token(&self, token_hash: &str, token: &TokenRecord) -> StoreResult<()>;
    async fn find_token(&self, token_hash: &str) -> StoreResult<Option<TokenRecord>>;

    /// Appends all events or none; returns the seq of the last one.
    async fn append_events(&self, tenant_id: &str, events: &[NewEvent]) -> StoreResult<i64>;

    /// Creates the stream positioned after every event stored so far; `Conflict` when it exists.
    async fn create_stream(&self, stream: &StreamRecord) -> StoreResult<()>;
    async fn get_stream(&self, tenant_id: &str, stream_id: &StreamId) -> StoreResult<Option<StreamRecord>>;
    async fn list_streams(&self, tenant_id: &str) -> StoreResult<Vec<StreamRecord>>;
    /// Every tenant's streams, for metrics.
    async fn all_streams(&self) -> StoreResult<Vec<StreamRecord>>;
    /// Writes the stream's settings (not its position or counters), bumps its settings version
    /// and marks it active afresh: new settings are tried anew. `NotFound` when absent.
    async fn update_stream(&self, stream: &StreamRecord) -> StoreResult<()>;
    /// Returns whether the stream existed.
    async fn delete_stream(&self, tenant_id: &str, stream_id: &StreamId) -> StoreResult<bool>;
    /// Events stored for the stream after its position.
    async fn stream_lag(&self, stream: &StreamRecord) -> StoreResult<u64>;

    /// Up to `limit` events of the tenant and type after seq `after`, in order, committing nothing:
    /// a delivery worker reads its next batch with this.
    async fn read_events(&self, tenant_id: &str, event_type: EventType, after: i64, limit: u16)
        -> StoreResult<Vec<StoredEvent>>;
    /// Advances a push stream from `stream.position` to `through` after its destination
    /// acknowledged `count` events, and marks it healthy. Returns false, changing nothing, when the
    /// stream is gone, its settings or position changed since `stream` was read, or `holder` no
    /// longer holds its delivery lease.
    async fn commit_delivery(&self, stream: &StreamRecord, holder: &str, through: i64, count: u64) -> StoreResult<bool>;
    /// Takes the delivery lease of a stream for `holder`, or renews it, until `ttl` from now.
    /// Returns whether `holder` holds it: another holder's lease is taken only once expired, so
    /// one replica at a time delivers a push stream.
    async fn acquire_lease(&self, tenant_id: &str, stream_id: &StreamId, holder: &str, ttl: Duration) -> StoreResult<bool>;
    /// Records a stream's health as its delivery worker sees it, unless its settings changed
    /// since `stream` was read; its position is untouched.
    async fn set_stream_health(&self, stream: &StreamRecord, state: StreamState, last_error: Option<&str>)
        -> StoreResult<()>;

    /// Reads up to `limit` events (the stream's batch size when `None`) after the stream's
    /// position (or the cursor), as `mode` says. `NotFound` unless the stream exists, carries
    /// `event_type` and is custom; `InvalidCursor` for a cursor beyond any the stream handed out.
    /// Never reads before the stream's creation.
    async fn collect(
        &self,
        tenant_id: &str,
        stream_id: &StreamId,
        event_type: EventType,
        limit: Option<u16>,
        mode: CollectMode,
    ) -> StoreResult<Collected>;

    async fn put_directory(&self, tenant_id: &str, entries: &[DirectoryEntry]) -> StoreResult<()>;
    async fn get_directory(&self, tenant_id: &str, kind: DirectoryKind, id: &str) -> StoreResult<Option<String>>;
    async fn delete_directory(&self, tenant_id: &str, kind: DirectoryKind, id: &str) -> StoreResult<bool>;

    /// Deletes events received before `cutoff` that every stream of their tenant and type has
    /// committed, and expired tokens; returns how many events went.
    async fn purge(&self, cutoff: DateTime<Utc>) -> StoreResult<u64>;
}

/// Opens the backend the URL names, migrating it to the current schema. `pool_size` bounds
/// PostgreSQL connections; SQLite has one writer and a few readers whatever it says.
pub async fn open(database_url: &str, pool_size: u32) -> StoreResult<Arc<dyn Store>> {
    if database_url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(database_url).await?))
    } else if database_url.starts_with("postgres:") || database_url.starts_with("postgresql:") {
        Ok(Arc::new(PostgresStore::open(database_url, pool_size).await?))
    } else {
        let scheme = database_url.split(':').next().unwrap_or_default();
        Err(StoreError::UnsupportedUrl(scheme.to_owned()))
    }
}
