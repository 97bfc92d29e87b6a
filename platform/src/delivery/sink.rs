//! What every destination implements, and how a failed send is classified.

use super::{gcs::GcsSink, kafka::KafkaSink, s3::S3Sink, splunk::SplunkHecSink, webhook::WebhookSink, Batch, DeliveryConfig};
use crate::model::Destination;
use async_trait::async_trait;

/// Why a batch was not acknowledged. Messages are shown on the stream's status, so they never
/// carry a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Worth retrying soon: connection errors, timeouts, 408, 429, 5xx.
    #[error("{0}")]
    Retryable(String),
    /// Retrying changes nothing until someone fixes the settings or the destination: other 4xx.
    #[error("{0}")]
    Permanent(String),
}

impl DeliveryError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Permanent(_))
    }
}

/// A destination: sends one batch and returns once the destination acknowledged all of it.
#[async_trait]
pub trait Sink: Send + Sync {
    async fn send(&self, batch: &Batch) -> Result<(), DeliveryError>;
}

/// The sink for a push destination; `custom` streams are collected, never pushed.
pub fn sink_for(destination: &Destination, config: &DeliveryConfig) -> Result<Box<dyn Sink>, DeliveryError> {
    Ok(match destination {
        Destination::Custom => return Err(DeliveryError::Permanent("a custom stream is collected, not pushed".into())),
        Destination::Splunk(settings) => Box::new(SplunkHecSink::new(settings.clone(), config)?),
        Destination::Kafka(settings) => Box::new(KafkaSink::new(settings.clone(), config)?),
        Destination::Gcs(settings) => Box::new(GcsSink::new(settings.clone(), config)?),
        Destination::S3(settings) => Box::new(S3Sink::new(settings.clone(), config)?),
        Destination::Webhook(settings) => Box::new(WebhookSink::new(settings.clone(), config)?),
    })
}
