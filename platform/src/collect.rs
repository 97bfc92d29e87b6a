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
        let mode = match request.cursor {
            None => CollectMode::AutoCommit,
            Some(commit_through) => CollectMode::Cursor { commit_through },
        };
        // The store reads the stream's settings in the collect's own transaction, so a call needs
        // no lookup before it; only a refusal looks the stream up again, to say why.
        let limit = request.batch_size.map(BatchSize::get);
        let collected = match self.store.collect(&tenant.0, &stream_id, request.event_type, limit, mode).await {
            Err(StoreError::NotFound) => return Err(self.refusal(tenant, stream_id, request.event_type).await),
            Err(StoreError::InvalidCursor) => {
                return Err(Error::InvalidRequest(format!("cursor was not issued for stream {stream_id:?}")))
            }
            other => other?,
        };

        // The fast path serves the array as the store built it; enrichment takes the events out
        // by the ranges the store noted and adds to each.
        let body = if collected.enrichment {
            let mut body = String::with_capacity(collected.array.len() * 2);
            body.push('[');
            let mut enricher = self.enricher.batch(&tenant.0);
            for (i, event) in collected.events.iter().map(|range| &collected.array[range.clone()]).enumerate() {
                if i > 0 {
                    body.push(',');
                }
                // The events are committed already: serve them unenriched rather than lose them.
                if let Err(error) = enricher.enrich_into(event, &mut body).await {
                    tracing::warn!(%error, stream_id = %stream_id, "enrichment failed");
                    body.push_str(event);
                }
            }
            body.push(']');
            body
        } else {
            collected.array
        };

        let count = collected.events.len();
        metrics::counter!("sluice_events_collected_total", "tenant" => tenant.0.clone(), "stream" => stream_id.to_string())
            .increment(count as u64);
        Ok(CollectResponse { body, cursor: collected.cursor.to_string(), count })
    }

    /// Why the store would not collect `stream_id` as `requested`.
    async fn refusal(&self, tenant: &Tenant, stream_id: StreamId, requested: EventType) -> Error {
        match self.stream_record(tenant, &stream_id).await {
            Ok(stream) if stream.event_type != requested => {
                Error::TypeMismatch { stream: stream_id.to_string(), actual: stream.event_type, requested }
            }
            Ok(stream) if !matches!(stream.destination, Destination::Custom) => {
                Error::NotACustomStream(stream_id.to_string())
            }
            // Gone, or changed back since the store looked: either way not there as asked.
            Ok(_) => Error::StreamNotFound(stream_id.to_string()),
            Err(error) => error,
        }
    }
}
