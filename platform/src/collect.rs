//! Collect: API polling of custom streams (contract §5), auto-commit or at-least-once.

use crate::{
    error::{Error, Result},
    model::{BatchSize, Destination, EventType, StreamId},
    platform::{Platform, Tenant},
    store::{CollectMode, StoreError},
    streams::default_stream_id,
};

/// One collect call, as its query string asked.
#[derive(Debug, Clone)]
pub struct CollectRequest {
    pub event_type: EventType,
    /// The type's default stream when absent.
    pub stream_id: Option<StreamId>,
    /// The stream's own batch size when absent.
    pub batch_size: Option<BatchSize>,
    /// `None`: auto-commit. `Some(None)`: at-least-once from the committed position.
    /// `Some(Some(c))`: commit through cursor `c`, then read after it.
    pub cursor: Option<Option<i64>>,
}

/// What a collect call answers: the JSON array and the cursor that commits it.
#[derive(Debug, Clone)]
pub struct CollectResponse {
    pub body: String,
    pub cursor: String,
    pub count: usize,
}

/// Parses a `Sluice-Cursor` value a collector passed back.
pub fn parse_cursor(text: &str) -> Result<i64> {
    text.parse::<i64>()
        .ok()
        .filter(|c| *c >= 0)
        .ok_or_else(|| Error::InvalidRequest(format!("cursor {text:?} is not one Sluice issued")))
}

impl Platform {
    pub async fn collect(&self, tenant: &Tenant, request: CollectRequest) -> Result<CollectResponse> {
        let stream_id = request.stream_id.unwrap_or_else(|| default_stream_id(request.event_type));
        let stream = self.stream_record(tenant, &stream_id).await?;
        if stream.event_type != request.event_type {
            return Err(Error::TypeMismatch {
                stream: stream_id.to_string(),
                actual: stream.event_type,
                requested: request.event_type,
            });
        }
        if !matches!(stream.destination, Destination::Custom) {
            return Err(Error::NotACustomStream(stream_id.to_string()));
        }
        let limit = request.batch_size.map_or(stream.batch_size, BatchSize::get);
        let mode = match request.cursor {
            None => CollectMode::AutoCommit,
            Some(commit_through) => CollectMode::Cursor { commit_through },
        };
        let collected = match self.store.collect(&tenant.0, &stream_id, stream.event_type, limit, mode).await {
            // Deleted, or changed to another type or a push destination, since it was read.
            Err(StoreError::NotFound) => return Err(Error::StreamNotFound(stream_id.to_string())),
            Err(StoreError::InvalidCursor) => {
                return Err(Error::InvalidRequest(format!("cursor was not issued for stream {stream_id:?}")))
            }
            other => other?,
        };

        // The fast path serves the stored JSON as the database joined it; enrichment splits it
        // back into events (a scan, not a parse) and adds to each.
        let mut body = String::with_capacity(collected.joined.len() * if stream.enrichment { 2 } else { 1 } + 2);
        body.push('[');
        if stream.enrichment && collected.count > 0 {
            let array = format!("[{}]", collected.joined);
            let events: Vec<&serde_json::value::RawValue> = serde_json::from_str(&array)
                .map_err(|e| Error::Internal(StoreError::Corrupt(format!("stored events of {stream_id:?}: {e}"))))?;
            let mut enricher = self.enricher.batch(&tenant.0);
            for (i, event) in events.into_iter().enumerate() {
                if i > 0 {
                    body.push(',');
                }
                match enricher.enrich(event.get()).await {
                    Ok(enriched) => body.push_str(&enriched),
                    // The events are committed already: serve them unenriched rather than lose them.
                    Err(error) => {
                        tracing::warn!(%error, stream_id = %stream_id, "enrichment failed");
                        body.push_str(event.get());
                    }
                }
            }
        } else {
            body.push_str(&collected.joined);
        }
        body.push(']');

        let count = collected.count;
        metrics::counter!("sluice_events_collected_total", "tenant" => tenant.0.clone(), "stream" => stream_id.to_string())
            .increment(count as u64);
        Ok(CollectResponse { body, cursor: collected.cursor.to_string(), count })
    }
}
