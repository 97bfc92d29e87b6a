//! Stream management: the streams API (contract §4) and its Mosaic-compatible twin (§6).

use crate::{
    error::{Error, Result},
    model::{
        BatchSize, Destination, EventType, NewStream, Stream, StreamId, StreamPatch, StreamStatus,
        MAX_NAME_CHARS,
    },
    platform::{Platform, Tenant},
    store::{StoreError, StreamRecord},
};
use rand::{distributions::Alphanumeric, Rng};

/// The stream Mosaic's start-collect creates, and that collect uses when no stream_id is given.
pub fn default_stream_id(event_type: EventType) -> StreamId {
    StreamId::try_from(format!("default-{event_type}")).expect("default stream ids are valid")
}

fn generated_stream_id() -> StreamId {
    let suffix: String = rand::thread_rng().sample_iter(&Alphanumeric).take(10).map(char::from).collect();
    StreamId::try_from(format!("stream-{}", suffix.to_lowercase())).expect("generated ids are valid")
}

fn check_name(name: &Option<String>) -> Result<()> {
    match name {
        Some(name) if name.chars().count() > MAX_NAME_CHARS => {
            Err(Error::InvalidRequest(format!("name must be at most {MAX_NAME_CHARS} characters")))
        }
        _ => Ok(()),
    }
}

impl Platform {
    /// The ready-to-use collect URL of a custom stream.
    pub fn collect_url(&self, event_type: EventType, stream_id: &StreamId, batch_size: u16) -> String {
        format!(
            "{}/activities/v1/activities/collect?type={event_type}&stream_id={stream_id}&batch_size={batch_size}",
            self.config.public_url.trim_end_matches('/')
        )
    }

    /// The API view of a stored stream: secrets redacted, lag counted.
    pub(crate) async fn stream_view(&self, record: StreamRecord) -> Result<Stream> {
        let lag = self.store.stream_lag(&record).await?;
        let collect_url = matches!(record.destination, Destination::Custom)
            .then(|| self.collect_url(record.event_type, &record.stream_id, record.batch_size));
        Ok(Stream {
            collect_url,
            destination: record.destination.redacted(),
            batch_size: BatchSize::try_from(i64::from(record.batch_size))?,
            status: StreamStatus {
                state: record.state,
                lag,
                delivered: record.delivered,
                last_delivery_at: record.last_delivery_at,
                last_error: record.last_error,
            },
            stream_id: record.stream_id,
            name: record.name,
            event_type: record.event_type,
            enrichment: record.enrichment,
            created_at: record.created_at,
        })
    }

    pub(crate) async fn stream_record(&self, tenant: &Tenant, stream_id: &StreamId) -> Result<StreamRecord> {
        self.store
            .get_stream(&tenant.0, stream_id)
            .await?
            .ok_or_else(|| Error::StreamNotFound(stream_id.to_string()))
    }

    pub async fn create_stream(&self, tenant: &Tenant, new: NewStream) -> Result<Stream> {
        check_name(&new.name)?;
        new.destination.validate()?;
        let stream_id = new.stream_id.unwrap_or_else(generated_stream_id);
        let record = StreamRecord {
            name: new.name,
            batch_size: new.batch_size.get(),
            enrichment: new.enrichment,
            ..StreamRecord::new(tenant.0.clone(), stream_id.clone(), new.event_type, new.destination)
        };
        match self.store.create_stream(&record).await {
            Err(StoreError::Conflict) => return Err(Error::StreamExists(stream_id.to_string())),
            other => other?,
        }
        self.notify_streams_changed();
        tracing::info!(tenant = %tenant.0, %stream_id, kind = record.destination.kind().as_str(), "stream created");
        self.get_stream(tenant, &stream_id).await
    }

    pub async fn list_streams(&self, tenant: &Tenant) -> Result<Vec<Stream>> {
        let mut streams = Vec::new();
        for record in self.store.list_streams(&tenant.0).await? {
            streams.push(self.stream_view(record).await?);
        }
        Ok(streams)
    }

    pub async fn get_stream(&self, tenant: &Tenant, stream_id: &StreamId) -> Result<Stream> {
        let record = self.stream_record(tenant, stream_id).await?;
        self.stream_view(record).await
    }

    /// Changes what the patch names. A new destination keeps secrets sent back redacted. The
    /// stream's failure is cleared and its worker restarted, so delivery is tried afresh.
    pub async fn update_stream(&self, tenant: &Tenant, stream_id: &StreamId, patch: StreamPatch) -> Result<Stream> {
        let mut record = self.stream_record(tenant, stream_id).await?;
        if patch.name.is_some() {
            check_name(&patch.name)?;
            record.name = patch.name.filter(|n| !n.is_empty());
        }
        if let Some(batch_size) = patch.batch_size {
            record.batch_size = batch_size.get();
        }
        if let Some(enrichment) = patch.enrichment {
            record.enrichment = enrichment;
        }
        if let Some(destination) = patch.destination {
            let destination = destination.keep_secrets_from(&record.destination);
            destination.validate()?;
            record.destination = destination;
        }
        match self.store.update_stream(&record).await {
            Err(StoreError::NotFound) => return Err(Error::StreamNotFound(stream_id.to_string())),
            other => other?,
        }
        self.notify_streams_changed();
        let record = self.stream_record(tenant, stream_id).await?;
        self.stream_view(record).await
    }

    pub async fn delete_stream(&self, tenant: &Tenant, stream_id: &StreamId) -> Result<()> {
        if self.store.delete_stream(&tenant.0, stream_id).await? {
            self.notify_streams_changed();
            tracing::info!(tenant = %tenant.0, %stream_id, "stream deleted");
            Ok(())
        } else {
            Err(Error::StreamNotFound(stream_id.to_string()))
        }
    }

    /// Mosaic's `start-collect`: creates the type's default custom stream, once.
    pub async fn start_collect(&self, tenant: &Tenant, event_type: EventType) -> Result<Stream> {
        let new = NewStream {
            stream_id: Some(default_stream_id(event_type)),
            name: None,
            event_type,
            destination: Destination::Custom,
            batch_size: BatchSize::default(),
            enrichment: false,
        };
        self.create_stream(tenant, new).await
    }

    /// Mosaic's `PUT …/activities/stream`: makes sure a custom stream of that type exists,
    /// setting its enrichment when asked.
    pub async fn put_custom_stream(
        &self,
        tenant: &Tenant,
        event_type: EventType,
        stream_id: StreamId,
        enrichment: Option<bool>,
    ) -> Result<Stream> {
        match self.store.get_stream(&tenant.0, &stream_id).await? {
            None => {
                let new = NewStream {
                    stream_id: Some(stream_id.clone()),
                    name: None,
                    event_type,
                    destination: Destination::Custom,
                    batch_size: BatchSize::default(),
                    enrichment: enrichment.unwrap_or(false),
                };
                match self.create_stream(tenant, new).await {
                    // Another PUT created it first: PUT is idempotent, so answer with it.
                    Err(Error::StreamExists(_)) => self.get_stream(tenant, &stream_id).await,
                    other => other,
                }
            }
            Some(record) if record.event_type != event_type => Err(Error::TypeMismatch {
                stream: stream_id.to_string(),
                actual: record.event_type,
                requested: event_type,
            }),
            Some(record) if !matches!(record.destination, Destination::Custom) => {
                Err(Error::StreamExists(stream_id.to_string()))
            }
            Some(_) => {
                let patch = StreamPatch { enrichment, ..StreamPatch::default() };
                self.update_stream(tenant, &stream_id, patch).await
            }
        }
    }

    /// Mosaic's `DELETE …/activities/stream`: deletes the stream when it carries that type.
    pub async fn delete_typed_stream(&self, tenant: &Tenant, event_type: EventType, stream_id: &StreamId) -> Result<()> {
        let record = self.stream_record(tenant, stream_id).await?;
        if record.event_type != event_type {
            return Err(Error::TypeMismatch { stream: stream_id.to_string(), actual: record.event_type, requested: event_type });
        }
        self.delete_stream(tenant, stream_id).await
    }
}
