//! Amazon S3 (or any S3-compatible store): one object per batch through `object_store`'s
//! signed PUT. `endpoint` points it elsewhere than AWS (path-style requests, plain HTTP allowed).

use super::{object_layout, Batch, DeliveryConfig, DeliveryError, Sink};
use crate::model::S3Settings;
use async_trait::async_trait;
use object_store::{
    aws::{AmazonS3, AmazonS3Builder},
    path::Path,
    Attribute, Attributes, ObjectStore, PutOptions, PutPayload, RetryConfig,
};

pub(super) struct S3Sink {
    store: AmazonS3,
    prefix: Option<String>,
    gzip: bool,
}

fn classify(error: object_store::Error) -> DeliveryError {
    use object_store::Error::*;
    match error {
        NotFound { .. } | PermissionDenied { .. } | Unauthenticated { .. } | NotImplemented | UnknownConfigurationKey { .. } => {
            DeliveryError::Permanent(format!("S3 refused the upload: {error}"))
        }
        // object_store reports other 4xx answers (e.g. EntityTooLarge) as Generic, like network
        // errors, so they cannot be told apart here: retried, they show as failing after
        // `failing_after` attempts with S3's message.
        other => DeliveryError::Retryable(format!("S3 upload failed: {other}")),
    }
}

impl S3Sink {
    pub(super) fn new(settings: S3Settings, config: &DeliveryConfig) -> Result<Self, DeliveryError> {
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            // The worker retries with its own backoff and reports on the stream: fail fast here.
            .with_retry(RetryConfig { max_retries: 1, retry_timeout: config.request_timeout, ..RetryConfig::default() })
            .with_client_options(object_store::ClientOptions::new().with_timeout(config.request_timeout));
        if let Some(endpoint) = &settings.endpoint {
            builder = builder.with_endpoint(endpoint).with_allow_http(endpoint.starts_with("http://"));
        }
        if let (Some(key_id), Some(secret)) = (&settings.access_key_id, &settings.secret_access_key) {
            builder = builder.with_access_key_id(key_id).with_secret_access_key(secret.expose());
        }
        let store = builder.build().map_err(|e| DeliveryError::Permanent(format!("S3 settings: {e}")))?;
        Ok(Self { store, prefix: settings.prefix, gzip: settings.gzip })
    }
}

#[async_trait]
impl Sink for S3Sink {
    async fn send(&self, batch: &Batch) -> Result<(), DeliveryError> {
        let object = object_layout::encode(self.prefix.as_deref(), batch, self.gzip);
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, object_layout::CONTENT_TYPE.into());
        if object.gzipped {
            attributes.insert(Attribute::ContentEncoding, "gzip".into());
        }
        let options = PutOptions { attributes, ..PutOptions::default() };
        self.store
            .put_opts(&Path::from(object.name.as_str()), PutPayload::from(object.body), options)
            .await
            .map(drop)
            .map_err(classify)
    }
}
