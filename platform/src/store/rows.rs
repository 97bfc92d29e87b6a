//! What both backends share between their rows and the store's records.

use super::{StoreError, StoreResult, StreamRecord, TokenRecord};
use crate::model::{Destination, StreamId};
use chrono::{DateTime, TimeZone, Utc};

/// Times are stored as epoch milliseconds in both schemas.
pub(super) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub(super) fn from_millis(ms: i64) -> StoreResult<DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .ok_or_else(|| StoreError::Corrupt(format!("timestamp {ms} out of range")))
}

/// A unique-key violation is a `Conflict`; anything else stays the driver's error.
pub(super) fn map_conflict(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict,
        _ => StoreError::Database(error),
    }
}

pub(super) fn destination_json(destination: &Destination) -> StoreResult<String> {
    serde_json::to_string(destination).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The `streams` columns a `StreamRecord` is read from.
pub(super) const STREAM_COLUMNS: &str = "tenant_id, stream_id, name, type, destination, batch_size, enrichment, \
     created_at, position, delivered, last_delivery_at, last_error, state, settings_version";

/// A `streams` row as either backend returns it.
#[derive(sqlx::FromRow)]
pub(super) struct StreamRow {
    tenant_id: String,
    stream_id: String,
    name: Option<String>,
    #[sqlx(rename = "type")]
    event_type: String,
    destination: String,
    batch_size: i64,
    enrichment: bool,
    created_at: i64,
    position: i64,
    delivered: i64,
    last_delivery_at: Option<i64>,
    last_error: Option<String>,
    state: String,
    settings_version: i64,
}

/// A stored `batch_size`, which every write checked to be 1..=1000.
pub(super) fn batch_size(stored: i64) -> StoreResult<u16> {
    stored.try_into().map_err(|_| StoreError::Corrupt("stream batch size".into()))
}

impl TryFrom<StreamRow> for StreamRecord {
    type Error = StoreError;

    fn try_from(row: StreamRow) -> StoreResult<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("stream {what}"));
        Ok(StreamRecord {
            tenant_id: row.tenant_id,
            stream_id: StreamId::try_from(row.stream_id).map_err(|_| corrupt("id"))?,
            name: row.name,
            event_type: row.event_type.parse().map_err(|_| corrupt("type"))?,
            destination: serde_json::from_str(&row.destination).map_err(|_| corrupt("destination"))?,
            batch_size: batch_size(row.batch_size)?,
            enrichment: row.enrichment,
            created_at: from_millis(row.created_at)?,
            position: row.position,
            delivered: row.delivered.try_into().unwrap_or(0),
            last_delivery_at: row.last_delivery_at.map(from_millis).transpose()?,
            last_error: row.last_error,
            state: row.state.parse().map_err(|_| corrupt("state"))?,
            settings_version: row.settings_version,
        })
    }
}

/// A `tokens` row as either backend returns it.
#[derive(sqlx::FromRow)]
pub(super) struct TokenRow {
    tenant_id: String,
    client_id: String,
    expires_at: i64,
}

impl TryFrom<TokenRow> for TokenRecord {
    type Error = StoreError;

    fn try_from(row: TokenRow) -> StoreResult<Self> {
        Ok(TokenRecord { tenant_id: row.tenant_id, client_id: row.client_id, expires_at: from_millis(row.expires_at)? })
    }
}
