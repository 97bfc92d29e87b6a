//! One push stream's delivery loop: read the next batch after the committed position, enrich,
//! send, commit. A batch is committed only after the destination acknowledged it, so a crash
//! or a failure re-sends it and never skips it.

use super::{backoff, sink_for, Batch, DeliveryError, Sink};
use crate::{
    model::StreamState,
    platform::Platform,
    store::{StoredEvent, StreamRecord},
};
use std::time::Instant;

/// What one step of a worker did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The destination acknowledged this many events and the position moved past them.
    Delivered(usize),
    /// Nothing to send.
    Idle,
    /// The batch was not acknowledged; the position stays.
    Failed(DeliveryError),
    /// The stream was deleted or changed under the worker: this worker is done.
    Stopped,
}

/// Delivers one push stream, as its settings were when the worker started.
pub struct DeliveryWorker {
    platform: Platform,
    stream: StreamRecord,
    /// The lease holder this worker delivers for: its commits count only while that lease holds.
    holder: String,
    sink: Result<Box<dyn Sink>, DeliveryError>,
    destination: &'static str,
}

impl DeliveryWorker {
    /// A worker for `stream`, which must have a push destination. Settings the sink refuses
    /// (e.g. credentials that are not a key) make every step fail permanently, visibly.
    pub fn new(platform: Platform, stream: StreamRecord, holder: String) -> Self {
        let sink = sink_for(&stream.destination, &platform.config.delivery);
        let destination = stream.destination.kind().as_str();
        Self { platform, stream, holder, sink, destination }
    }

    fn labels(&self) -> [(&'static str, String); 3] {
        [
            ("tenant", self.stream.tenant_id.clone()),
            ("stream", self.stream.stream_id.to_string()),
            ("destination", self.destination.to_owned()),
        ]
    }

    async fn next_batch(&self) -> Result<Batch, DeliveryError> {
        let stored = self
            .platform
            .store
            .read_events(&self.stream.tenant_id, self.stream.event_type, self.stream.position, self.stream.batch_size)
            .await
            .map_err(|e| DeliveryError::Retryable(format!("reading the stream's events failed: {e}")))?;
        let events = if self.stream.enrichment {
            let mut enricher = self.platform.enricher.batch(&self.stream.tenant_id);
            let mut enriched = Vec::with_capacity(stored.len());
            for event in &stored {
                let body = enricher
                    .enrich(&event.body)
                    .await
                    .map_err(|e| DeliveryError::Retryable(format!("enrichment failed: {e}")))?;
                enriched.push(StoredEvent { seq: event.seq, body });
            }
            enriched
        } else {
            stored
        };
        Ok(Batch { stream_id: self.stream.stream_id.clone(), event_type: self.stream.event_type, events })
    }

    /// Whether the stream is still the one this worker was started for: not deleted, not
    /// re-created, its settings unchanged and its position where this worker left it.
    async fn still_current(&self) -> Result<bool, DeliveryError> {
        let stored = self
            .platform
            .store
            .get_stream(&self.stream.tenant_id, &self.stream.stream_id)
            .await
            .map_err(|e| DeliveryError::Retryable(format!("reading the stream failed: {e}")))?;
        Ok(stored.is_some_and(|s| {
            (s.created_at, s.settings_version, s.position)
                == (self.stream.created_at, self.stream.settings_version, self.stream.position)
        }))
    }

    /// Reads, sends and commits one batch.
    #[tracing::instrument(skip_all, fields(tenant = %self.stream.tenant_id, stream_id = %self.stream.stream_id))]
    pub async fn try_execute_once(&mut self) -> Outcome {
        let sink = match &self.sink {
            Ok(sink) => sink,
            Err(error) => return Outcome::Failed(error.clone()),
        };
        // Checked before every batch, so a PATCH or DELETE stops an old worker's sends at once,
        // even before the supervisor gets to abort it.
        match self.still_current().await {
            Ok(true) => {}
            Ok(false) => return Outcome::Stopped,
            Err(error) => return Outcome::Failed(error),
        }
        let batch = match self.next_batch().await {
            Ok(batch) if batch.events.is_empty() => return Outcome::Idle,
            Ok(batch) => batch,
            Err(error) => return Outcome::Failed(error),
        };
        let started = Instant::now();
        // Clients time their own requests, but a half-open connection or a stuck token fetch
        // must not stall the stream without it ever showing failing.
        let deadline = self.platform.config.delivery.request_timeout + self.platform.config.delivery.ack_timeout;
        match tokio::time::timeout(deadline, sink.send(&batch)).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => return Outcome::Failed(error),
            Err(_) => return Outcome::Failed(DeliveryError::Retryable(format!("the destination did not answer within {deadline:?}"))),
        }
        metrics::histogram!("sluice_delivery_batch_duration_seconds", &self.labels()).record(started.elapsed());
        let count = batch.events.len();
        match self.platform.store.commit_delivery(&self.stream, &self.holder, batch.last_seq(), count as u64).await {
            Ok(true) => {
                self.stream.position = batch.last_seq();
                metrics::counter!("sluice_delivered_events_total", &self.labels()).increment(count as u64);
                Outcome::Delivered(count)
            }
            Ok(false) => Outcome::Stopped,
            // Sent but not committed: the batch goes again, which at-least-once allows.
            Err(error) => Outcome::Failed(DeliveryError::Retryable(format!("committing the position failed: {error}"))),
        }
    }

    async fn report(&self, state: StreamState, error: Option<&DeliveryError>) {
        let message = error.map(ToString::to_string);
        if let Err(store_error) = self.platform.store.set_stream_health(&self.stream, state, message.as_deref()).await {
            tracing::warn!(error = %store_error, stream_id = %self.stream.stream_id, "could not record the stream's health");
        }
    }

    /// Delivers until the stream is deleted or moved; the supervisor aborts it on a change of
    /// settings.
    pub async fn run(mut self) {
        let mut appended = self.platform.appended.subscribe();
        let delivery = self.platform.config.delivery.clone();
        let mut failures = 0u32;
        tracing::info!(tenant = %self.stream.tenant_id, stream_id = %self.stream.stream_id, destination = self.destination, "delivery worker started");
        loop {
            match self.try_execute_once().await {
                Outcome::Delivered(_) => failures = 0,
                Outcome::Idle => {
                    failures = 0;
                    // Woken by the next ingest here, or by the poll for another replica's.
                    let _ = tokio::time::timeout(delivery.idle_poll, appended.changed()).await;
                }
                Outcome::Failed(error) => {
                    failures += 1;
                    metrics::counter!("sluice_delivery_failures_total", &self.labels()).increment(1);
                    tracing::warn!(%error, stream_id = %self.stream.stream_id, failures, permanent = error.is_permanent(), "delivery failed");
                    let wait = if error.is_permanent() {
                        self.report(StreamState::Failing, Some(&error)).await;
                        delivery.failing_retry
                    } else {
                        if failures >= delivery.failing_after {
                            self.report(StreamState::Failing, Some(&error)).await;
                        }
                        backoff::delay(failures, delivery.retry_initial, delivery.retry_max)
                    };
                    tokio::time::sleep(wait).await;
                }
                Outcome::Stopped => {
                    tracing::info!(stream_id = %self.stream.stream_id, "delivery worker stopped: stream deleted or changed");
                    return;
                }
            }
        }
    }
}
