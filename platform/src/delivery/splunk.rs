//! Splunk HTTP Event Collector: `POST {url}/services/collector/event` with
//! `Authorization: Splunk <token>`, a batch as concatenated event objects, gzipped unless the
//! receiver refuses gzip. With `ack`, the batch counts as delivered only once the indexers
//! acknowledged it on `/services/collector/ack` for this worker's channel.

use super::{
    batch::{gzip, EventHeader},
    http, Batch, DeliveryConfig, DeliveryError, Sink,
};
use crate::model::SplunkSettings;
use async_trait::async_trait;
use flate2::Compression;
use reqwest::{
    header::{HeaderValue, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE},
    StatusCode,
};
use serde::Deserialize;
use std::{
    sync::atomic::{AtomicBool, Ordering},
    time::{Duration, Instant},
};

pub(super) struct SplunkHecSink {
    client: reqwest::Client,
    event_url: String,
    ack_url: String,
    authorization: HeaderValue,
    metadata: HecMetadata,
    /// Sent with every request when acknowledgement is on: acks are scoped to a channel.
    channel: Option<String>,
    ack_timeout: Duration,
    /// Cleared for good when the receiver answers 415 to a gzipped batch.
    gzip: AtomicBool,
}

/// The HEC metadata fields set on every event of a stream.
#[derive(Debug, Clone)]
pub(super) struct HecMetadata {
    pub host: String,
    pub source: String,
    pub sourcetype: String,
    pub index: Option<String>,
}

/// HEC's answer: `{"text": "Success", "code": 0}`, with `ackId` when acknowledgement is on.
#[derive(Debug, Deserialize)]
struct HecResponse {
    text: Option<String>,
    code: Option<i64>,
    #[serde(rename = "ackId")]
    ack_id: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct AckResponse {
    acks: std::collections::HashMap<String, bool>,
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("strings always serialise")
}

/// The batch as HEC event objects, one per line. `time` is the event's own timestamp in epoch
/// seconds with milliseconds, so Splunk indexes it when it happened, not when it arrived.
pub(super) fn encode(batch: &Batch, metadata: &HecMetadata) -> String {
    let fixed = format!(
        r#""host":{},"source":{},"sourcetype":{},{}"event":"#,
        json_string(&metadata.host),
        json_string(&metadata.source),
        json_string(&metadata.sourcetype),
        metadata.index.as_deref().map(|i| format!(r#""index":{},"#, json_string(i))).unwrap_or_default(),
    );
    let mut out = String::with_capacity(batch.events.iter().map(|e| e.body.len() + fixed.len() + 32).sum());
    for event in &batch.events {
        let millis = EventHeader::of(&event.body).timestamp.unwrap_or_else(chrono::Utc::now).timestamp_millis();
        out.push_str(&format!(r#"{{"time":{}.{:03},{fixed}"#, millis.div_euclid(1000), millis.rem_euclid(1000)));
        out.push_str(&event.body);
        out.push_str("}\n");
    }
    out
}

/// The machine's name, HEC's `host` field.
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|name| name.trim().to_owned())
        .ok()
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "sluice".to_owned())
}

impl SplunkHecSink {
    pub(super) fn new(settings: SplunkSettings, config: &DeliveryConfig) -> Result<Self, DeliveryError> {
        let base = settings.url.trim_end_matches('/');
        let mut authorization = HeaderValue::from_str(&format!("Splunk {}", settings.token.expose()))
            .map_err(|_| DeliveryError::Permanent("the HEC token holds characters a header cannot carry".into()))?;
        authorization.set_sensitive(true);
        Ok(Self {
            client: http::client(config)?,
            event_url: format!("{base}/services/collector/event"),
            ack_url: format!("{base}/services/collector/ack"),
            authorization,
            metadata: HecMetadata {
                host: hostname(),
                source: settings.source.unwrap_or_else(|| "sluice".to_owned()),
                sourcetype: settings.sourcetype.unwrap_or_else(|| "_json".to_owned()),
                index: settings.index,
            },
            channel: settings.ack.then(|| uuid::Uuid::new_v4().to_string()),
            ack_timeout: config.ack_timeout,
            gzip: AtomicBool::new(true),
        })
    }

    fn request(&self, url: &str) -> reqwest::RequestBuilder {
        let request = self.client.post(url).header(AUTHORIZATION, self.authorization.clone());
        match &self.channel {
            Some(channel) => request.header("X-Splunk-Request-Channel", channel),
            None => request,
        }
    }

    async fn post_events(&self, payload: &str) -> Result<(StatusCode, HecResponse), DeliveryError> {
        loop {
            let gzipped = self.gzip.load(Ordering::Relaxed);
            let mut request = self.request(&self.event_url).header(CONTENT_TYPE, "application/json");
            request = if gzipped {
                request.header(CONTENT_ENCODING, "gzip").body(gzip(payload.as_bytes(), Compression::fast()))
            } else {
                request.body(payload.to_owned())
            };
            let response = request.send().await.map_err(|e| http::transport("HEC request", e))?;
            let status = response.status();
            if gzipped && status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                tracing::info!("HEC refused gzip; sending uncompressed from now on");
                self.gzip.store(false, Ordering::Relaxed);
                continue;
            }
            let text = response.text().await.map_err(|e| http::transport("HEC response", e))?;
            let answer = serde_json::from_str(&text).unwrap_or(HecResponse { text: Some(text), code: None, ack_id: None });
            return Ok((status, answer));
        }
    }

    /// Polls the ack endpoint until the indexers acknowledged `ack_id`, or gives the batch up
    /// for a re-send after `ack_timeout`.
    async fn wait_for_ack(&self, ack_id: u64) -> Result<(), DeliveryError> {
        let deadline = Instant::now() + self.ack_timeout;
        let mut pause = Duration::from_millis(50);
        loop {
            let sent = self
                .request(&self.ack_url)
                .header(CONTENT_TYPE, "application/json")
                .body(format!(r#"{{"acks":[{ack_id}]}}"#))
                .send()
                .await;
            // A failed poll says nothing about the batch: poll again until the deadline rather
            // than re-send a batch the indexers may already hold.
            let response = match sent {
                Ok(response) => response,
                Err(error) if Instant::now() < deadline => {
                    tracing::debug!(error = %error.without_url(), "HEC ack poll failed; polling again");
                    tokio::time::sleep(pause).await;
                    continue;
                }
                Err(error) => return Err(http::transport("HEC ack request", error)),
            };
            let status = response.status();
            if !status.is_success() {
                let excerpt = http::body_excerpt(response).await;
                return Err(http::classify(status, format!("HEC ack endpoint answered {status}: {excerpt}")));
            }
            let text = response.text().await.map_err(|e| http::transport("HEC ack response", e))?;
            let acks: AckResponse = serde_json::from_str(&text)
                .map_err(|_| DeliveryError::Retryable("HEC ack endpoint answered something other than {\"acks\": …}".into()))?;
            if acks.acks.get(&ack_id.to_string()) == Some(&true) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(DeliveryError::Retryable(format!(
                    "HEC did not acknowledge batch {ack_id} within {:?}; it will be sent again",
                    self.ack_timeout
                )));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(1));
        }
    }
}

#[async_trait]
impl Sink for SplunkHecSink {
    async fn send(&self, batch: &Batch) -> Result<(), DeliveryError> {
        let payload = encode(batch, &self.metadata);
        let (status, answer) = self.post_events(&payload).await?;
        if !status.is_success() || answer.code.is_some_and(|code| code != 0) {
            let text = http::shorten(answer.text.unwrap_or_default());
            let code = answer.code.map(|c| format!(" (code {c})")).unwrap_or_default();
            return Err(http::classify(status, format!("Splunk HEC answered {status}: {text}{code}")));
        }
        match (&self.channel, answer.ack_id) {
            (Some(_), Some(ack_id)) => self.wait_for_ack(ack_id).await,
            (Some(_), None) => Err(DeliveryError::Permanent(
                "ack is on but HEC returned no ackId: turn on indexer acknowledgement for this token".into(),
            )),
            (None, _) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery::batch::sample;
    use serde_json::Value;

    fn metadata(index: Option<&str>) -> HecMetadata {
        HecMetadata {
            host: "h1".into(),
            source: "sluice".into(),
            sourcetype: "_json".into(),
            index: index.map(str::to_owned),
        }
    }

    #[test]
    fn one_object_per_event_with_its_own_time() {
        let batch = sample(&[
            r#"{"timestamp":"2026-11-26T10:00:00.250Z","type":"cis","n":1}"#,
            r#"{"timestamp":"1970-01-01T00:00:00.007Z","type":"cis","n":2}"#,
        ]);
        let encoded = encode(&batch, &metadata(Some("main")));
        let objects: Vec<Value> =
            serde_json::Deserializer::from_str(&encoded).into_iter().collect::<Result<_, _>>().unwrap();
        assert_eq!(objects.len(), 2);
        assert_eq!(objects[0]["time"].to_string(), "1795687200.25");
        assert!(encoded.starts_with(r#"{"time":1795687200.250,"host":"h1","source":"sluice","sourcetype":"_json","index":"main","event":{"#));
        assert!(encoded.contains(r#"{"time":0.007,"#));
        assert_eq!(objects[1]["event"]["n"], 2);
    }

    #[test]
    fn no_index_field_unless_set() {
        let encoded = encode(&sample(&[r#"{"n":1}"#]), &metadata(None));
        assert!(!encoded.contains("index"), "{encoded}");
    }
}
