//! Webhook: `POST` of the batch as a JSON array, signed with `Sluice-Signature`.
//!
//! The signature is `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the stream's
//! secret, as Stripe-style receivers verify it; the timestamp lets them refuse replays. Any 2xx
//! acknowledges the batch. `Idempotency-Key` names the batch, so a receiver can drop the re-send
//! that at-least-once delivery makes after a crash.

use super::{http, Batch, DeliveryConfig, DeliveryError, Sink};
use crate::model::WebhookSettings;
use async_trait::async_trait;
use hmac::{Hmac, Mac};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use sha2::Sha256;

pub(super) struct WebhookSink {
    client: reqwest::Client,
    url: String,
    headers: HeaderMap,
    secret: Option<Vec<u8>>,
}

/// The `Sluice-Signature` value for `body` sent at `unix_seconds`.
pub(super) fn signature(secret: &[u8], unix_seconds: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(unix_seconds.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={unix_seconds},v1={}", hex::encode(mac.finalize().into_bytes()))
}

impl WebhookSink {
    pub(super) fn new(settings: WebhookSettings, config: &DeliveryConfig) -> Result<Self, DeliveryError> {
        let mut headers = HeaderMap::new();
        for (name, value) in &settings.headers {
            let invalid = || DeliveryError::Permanent(format!("header {name:?} is not a valid HTTP header"));
            let name = HeaderName::try_from(name.as_str()).map_err(|_| invalid())?;
            let mut value = HeaderValue::from_str(value.expose()).map_err(|_| invalid())?;
            value.set_sensitive(true);
            headers.insert(name, value);
        }
        Ok(Self {
            client: http::client(config)?,
            url: settings.url,
            headers,
            secret: settings.secret.map(|s| s.expose().as_bytes().to_vec()),
        })
    }
}

#[async_trait]
impl Sink for WebhookSink {
    async fn send(&self, batch: &Batch) -> Result<(), DeliveryError> {
        let body = batch.json_array();
        let mut request = self
            .client
            .post(&self.url)
            .headers(self.headers.clone())
            .header(CONTENT_TYPE, "application/json")
            .header("Idempotency-Key", format!("{}-{}-{}", batch.stream_id, batch.first_seq(), batch.last_seq()));
        if let Some(secret) = &self.secret {
            request = request.header("Sluice-Signature", signature(secret, chrono::Utc::now().timestamp(), body.as_bytes()));
        }
        let response = request.body(body).send().await.map_err(|e| http::transport("webhook request", e))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let excerpt = http::body_excerpt(response).await;
        Err(http::classify(status, format!("webhook answered {status}: {excerpt}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_timestamp_dot_body() {
        // Computed independently: printf '1700000000.[]' | openssl dgst -sha256 -hmac whsec
        assert_eq!(
            signature(b"whsec", 1_700_000_000, b"[]"),
            "t=1700000000,v1=ab976ebd8648dad322b167e6ad6d1217338a7300f243afc224592c75e7742e51"
        );
    }
}
