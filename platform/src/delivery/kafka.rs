//! Kafka: one record per event on the stream's topic, keyed by the event's user (or actor) id
//! and placed on a partition the way Kafka's own default partitioner places keyed records
//! (murmur2), so one user's events stay in order in one partition and consumers written for
//! Java producers see the same layout. Produced with acks=all; the batch counts as delivered
//! only when every partition's leader acknowledged its share.

use super::{batch::EventHeader, http::shorten, Batch, DeliveryConfig, DeliveryError, Sink};
use crate::model::KafkaSettings;
use async_trait::async_trait;
use rskafka::{
    client::{
        error::{Error as KafkaError, ProtocolError},
        partition::{Compression, PartitionClient, UnknownTopicHandling},
        ClientBuilder, Credentials, SaslConfig,
    },
    record::Record,
    BackoffConfig,
};
use std::{sync::Arc, time::Duration};
use tokio::sync::Mutex;

pub(super) struct KafkaSink {
    settings: KafkaSettings,
    request_timeout: Duration,
    /// The topic's partitions, connected on first use and dropped after an error so the next
    /// attempt starts from fresh metadata (a moved leader, a new partition).
    partitions: Mutex<Option<Vec<PartitionClient>>>,
}

/// Kafka's murmur2, as `org.apache.kafka.common.utils.Utils.murmur2` computes it.
pub(super) fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    let mut h = SEED ^ data.len() as u32;
    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        let mut k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> 24;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M) ^ k;
    }
    let rest = chunks.remainder();
    if rest.len() == 3 {
        h ^= u32::from(rest[2]) << 16;
    }
    if rest.len() >= 2 {
        h ^= u32::from(rest[1]) << 8;
    }
    if !rest.is_empty() {
        h ^= u32::from(rest[0]);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// The partition Kafka's default partitioner picks for `key` among `count`.
pub(super) fn partition_for(key: &[u8], count: usize) -> usize {
    (murmur2(key) & 0x7fff_ffff) as usize % count
}

/// The record's key: the user the event is about, else the admin who acted, else (no ordering
/// to keep) the event's own id, which spreads such events over the partitions.
pub(super) fn record_key(header: &EventHeader) -> Option<&str> {
    header.user_id.as_deref().or(header.actor_id.as_deref()).or(header.event_id.as_deref())
}

fn classify(error: KafkaError) -> DeliveryError {
    let permanent = match &error {
        KafkaError::ServerError { protocol_error, .. } => matches!(
            protocol_error,
            ProtocolError::TopicAuthorizationFailed
                | ProtocolError::ClusterAuthorizationFailed
                | ProtocolError::SaslAuthenticationFailed
                | ProtocolError::MessageTooLarge
        ),
        KafkaError::Connection(rskafka::ConnectionError::SaslFailed(_)) => true,
        _ => false,
    };
    let message = shorten(format!("Kafka: {error}"));
    if permanent {
        DeliveryError::Permanent(message)
    } else {
        DeliveryError::Retryable(message)
    }
}

fn tls_config() -> Arc<rustls::ClientConfig> {
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

impl KafkaSink {
    pub(super) fn new(settings: KafkaSettings, config: &DeliveryConfig) -> Result<Self, DeliveryError> {
        Ok(Self { settings, request_timeout: config.request_timeout, partitions: Mutex::new(None) })
    }

    async fn connect(&self) -> Result<Vec<PartitionClient>, DeliveryError> {
        let mut builder = ClientBuilder::new(self.settings.bootstrap_servers.clone())
            .client_id("sluice")
            // rskafka retries on its own forever by default; bound it so the worker's backoff
            // and the stream's status take over.
            .backoff_config(BackoffConfig { deadline: Some(self.request_timeout), ..BackoffConfig::default() });
        if self.settings.tls {
            builder = builder.tls_config(tls_config());
        }
        if let Some(sasl) = &self.settings.sasl {
            let credentials = Credentials::new(sasl.username.clone(), sasl.password.expose().to_owned());
            builder = builder.sasl_config(match sasl.mechanism.as_str() {
                "SCRAM-SHA-256" => SaslConfig::ScramSha256(credentials),
                "SCRAM-SHA-512" => SaslConfig::ScramSha512(credentials),
                _ => SaslConfig::Plain(credentials),
            });
        }
        let client = builder.build().await.map_err(classify)?;
        let topic = client
            .list_topics()
            .await
            .map_err(classify)?
            .into_iter()
            .find(|t| t.name == self.settings.topic)
            .ok_or_else(|| DeliveryError::Permanent(format!("Kafka topic {:?} does not exist", self.settings.topic)))?;
        let mut partitions = Vec::with_capacity(topic.partitions.len());
        for partition in topic.partitions {
            partitions.push(
                client
                    .partition_client(topic.name.clone(), partition, UnknownTopicHandling::Error)
                    .await
                    .map_err(classify)?,
            );
        }
        if partitions.is_empty() {
            return Err(DeliveryError::Retryable(format!("Kafka topic {:?} has no partitions yet", topic.name)));
        }
        Ok(partitions)
    }
}

#[async_trait]
impl Sink for KafkaSink {
    async fn send(&self, batch: &Batch) -> Result<(), DeliveryError> {
        let mut connected = self.partitions.lock().await;
        if connected.is_none() {
            *connected = Some(self.connect().await?);
        }
        let partitions = connected.as_ref().expect("connected above");
        let mut shares: Vec<Vec<Record>> = vec![Vec::new(); partitions.len()];
        let now = chrono::Utc::now();
        for event in &batch.events {
            let header = EventHeader::of(&event.body);
            let key = record_key(&header).map(|k| k.as_bytes().to_vec());
            let share = key.as_deref().map_or(0, |k| partition_for(k, partitions.len()));
            shares[share].push(Record {
                key,
                value: Some(event.body.as_bytes().to_vec()),
                headers: Default::default(),
                timestamp: header.timestamp.unwrap_or(now),
            });
        }
        let produced = futures::future::try_join_all(
            partitions
                .iter()
                .zip(shares)
                .filter(|(_, records)| !records.is_empty())
                .map(|(partition, records)| partition.produce(records, Compression::NoCompression)),
        )
        .await;
        if let Err(error) = produced {
            *connected = None;
            return Err(classify(error));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur2_matches_kafka() {
        // The cases of Kafka's own UtilsTest.testMurmur2.
        for (input, expected) in [
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            ("abc", 479_470_107),
        ] {
            assert_eq!(murmur2(input.as_bytes()), expected, "{input}");
        }
    }

    #[test]
    fn keys_by_user_then_actor_then_event() {
        let header = EventHeader::of(r#"{"user_id":"u1","actor_id":"a1","event_id":"e1"}"#);
        assert_eq!(record_key(&header), Some("u1"));
        let header = EventHeader::of(r#"{"actor_id":"a1","event_id":"e1"}"#);
        assert_eq!(record_key(&header), Some("a1"));
        assert!(partition_for(b"u1", 3) < 3);
    }
}
