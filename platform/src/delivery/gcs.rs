//! Google Cloud Storage: one object per batch through the JSON API's media upload
//! (`POST {endpoint}/upload/storage/v1/b/{bucket}/o?uploadType=media&name=…`).
//!
//! The JSON API rather than the XML one because emulators (fake-gcs-server) implement it fully;
//! real GCS serves both. With service-account credentials, requests carry an OAuth2 token that
//! `gcp_auth` obtains and refreshes; without, none (emulators, or a bucket open to the host).

use super::{http, object_layout, Batch, DeliveryConfig, DeliveryError, Sink};
use crate::model::GcsSettings;
use async_trait::async_trait;
use gcp_auth::TokenProvider;
use reqwest::header::{CONTENT_ENCODING, CONTENT_TYPE};
use std::sync::Arc;

const SCOPES: &[&str] = &["https://www.googleapis.com/auth/devstorage.read_write"];

pub(super) struct GcsSink {
    client: reqwest::Client,
    upload_url: String,
    prefix: Option<String>,
    gzip: bool,
    credentials: Option<Arc<gcp_auth::CustomServiceAccount>>,
}

impl GcsSink {
    pub(super) fn new(settings: GcsSettings, config: &DeliveryConfig) -> Result<Self, DeliveryError> {
        let endpoint = settings.endpoint.as_deref().unwrap_or("https://storage.googleapis.com").trim_end_matches('/');
        let credentials = settings
            .credentials_json
            .map(|json| {
                gcp_auth::CustomServiceAccount::from_json(json.expose())
                    .map(Arc::new)
                    .map_err(|_| DeliveryError::Permanent("credentials_json is not a service account key".into()))
            })
            .transpose()?;
        Ok(Self {
            client: http::client(config)?,
            upload_url: format!("{endpoint}/upload/storage/v1/b/{}/o", settings.bucket),
            prefix: settings.prefix,
            gzip: settings.gzip,
            credentials,
        })
    }
}

#[async_trait]
impl Sink for GcsSink {
    async fn send(&self, batch: &Batch) -> Result<(), DeliveryError> {
        let object = object_layout::encode(self.prefix.as_deref(), batch, self.gzip);
        let mut request = self
            .client
            .post(&self.upload_url)
            .query(&[("uploadType", "media"), ("name", object.name.as_str())])
            .header(CONTENT_TYPE, object_layout::CONTENT_TYPE);
        if object.gzipped {
            request = request.header(CONTENT_ENCODING, "gzip");
        }
        if let Some(credentials) = &self.credentials {
            let token = credentials
                .token(SCOPES)
                .await
                .map_err(|e| DeliveryError::Retryable(format!("cannot obtain a GCS access token: {e}")))?;
            request = request.bearer_auth(token.as_str());
        }
        let response = request.body(object.body).send().await.map_err(|e| http::transport("GCS upload", e))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let excerpt = http::body_excerpt(response).await;
        Err(http::classify(status, format!("GCS answered {status} for {}: {excerpt}", object.name)))
    }
}
