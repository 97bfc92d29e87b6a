use super::{DestinationKind, Secret};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a stream's events go, with that destination's settings (contract §4).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Destination {
    /// API polling through collect: the customer pulls.
    #[default]
    Custom,
    Splunk(SplunkSettings),
    Kafka(KafkaSettings),
    Gcs(GcsSettings),
    S3(S3Settings),
    Webhook(WebhookSettings),
}

/// Splunk HTTP Event Collector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SplunkSettings {
    /// HEC base URL, e.g. `https://splunk.example.com:8088`.
    pub url: String,
    /// HEC token, sent as `Authorization: Splunk <token>`.
    pub token: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sourcetype: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Wait for indexer acknowledgement before committing a batch.
    #[serde(default)]
    pub ack: bool,
}

/// A Kafka topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KafkaSettings {
    /// `host:port` of one or more brokers.
    pub bootstrap_servers: Vec<String>,
    pub topic: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sasl: Option<KafkaSasl>,
    #[serde(default)]
    pub tls: bool,
}

/// SASL credentials for Kafka.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KafkaSasl {
    /// `PLAIN`, `SCRAM-SHA-256` or `SCRAM-SHA-512`.
    pub mechanism: String,
    pub username: String,
    pub password: Secret,
}

/// A Google Cloud Storage bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GcsSettings {
    pub bucket: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Another endpoint than Google's, e.g. an emulator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// A service account key file's JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials_json: Option<Secret>,
    /// Gzip each object, stored with `Content-Encoding: gzip` under the same `.ndjson` name.
    #[serde(default)]
    pub gzip: bool,
}

/// An Amazon S3 (or S3-compatible) bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct S3Settings {
    pub bucket: String,
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_access_key: Option<Secret>,
    /// Gzip each object, stored with `Content-Encoding: gzip` under the same `.ndjson` name.
    #[serde(default)]
    pub gzip: bool,
}

/// An HTTPS endpoint that receives each batch as a signed JSON array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    pub url: String,
    /// Extra request headers. Their values often carry credentials, so they are write-only too.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, Secret>,
    /// HMAC-SHA256 key of the `Sluice-Signature` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Secret>,
}

/// A destination setting that is missing or malformed; `field` is its path, e.g. `destination.url`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InvalidDestination {
    pub field: String,
    pub message: String,
}

fn invalid(field: &str, message: impl Into<String>) -> InvalidDestination {
    InvalidDestination { field: format!("destination.{field}"), message: message.into() }
}

fn require_http_url(field: &str, value: &str) -> Result<(), InvalidDestination> {
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(()),
        _ => Err(invalid(field, format!("must be an http or https URL, got {value:?}"))),
    }
}

fn require_text(field: &str, value: &str) -> Result<(), InvalidDestination> {
    if value.trim().is_empty() {
        Err(invalid(field, "must not be empty"))
    } else {
        Ok(())
    }
}

fn require_secret(field: &str, value: &Secret) -> Result<(), InvalidDestination> {
    require_text(field, value.expose())
}

impl Destination {
    pub fn kind(&self) -> DestinationKind {
        match self {
            Self::Custom => DestinationKind::Custom,
            Self::Splunk(_) => DestinationKind::Splunk,
            Self::Kafka(_) => DestinationKind::Kafka,
            Self::Gcs(_) => DestinationKind::Gcs,
            Self::S3(_) => DestinationKind::S3,
            Self::Webhook(_) => DestinationKind::Webhook,
        }
    }

    /// Checks every setting a delivery worker will rely on, naming the first bad field.
    pub fn validate(&self) -> Result<(), InvalidDestination> {
        let mut placeholder = None;
        self.clone().for_each_secret(|path, secret| {
            if secret.is_redacted() && placeholder.is_none() {
                placeholder = Some(path);
            }
        });
        if let Some(path) = placeholder {
            return Err(invalid(&path, "send the secret itself: there is no stored value to keep here"));
        }
        match self {
            Self::Custom => Ok(()),
            Self::Splunk(s) => {
                require_http_url("url", &s.url)?;
                require_secret("token", &s.token)
            }
            Self::Kafka(k) => {
                if k.bootstrap_servers.is_empty() {
                    return Err(invalid("bootstrap_servers", "needs at least one host:port"));
                }
                for server in &k.bootstrap_servers {
                    let port_ok = server
                        .rsplit_once(':')
                        .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok());
                    if !port_ok {
                        return Err(invalid("bootstrap_servers", format!("{server:?} is not host:port")));
                    }
                }
                let topic_ok = !k.topic.is_empty()
                    && k.topic.len() <= 249
                    && k.topic.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
                if !topic_ok {
                    return Err(invalid("topic", "must be 1 to 249 letters, digits, dots, dashes or underscores"));
                }
                if let Some(sasl) = &k.sasl {
                    if !matches!(sasl.mechanism.as_str(), "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512") {
                        return Err(invalid("sasl.mechanism", "must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"));
                    }
                    require_text("sasl.username", &sasl.username)?;
                    require_secret("sasl.password", &sasl.password)?;
                }
                Ok(())
            }
            Self::Gcs(g) => {
                require_bucket("bucket", &g.bucket)?;
                if let Some(endpoint) = &g.endpoint {
                    require_http_url("endpoint", endpoint)?;
                }
                Ok(())
            }
            Self::S3(s) => {
                require_bucket("bucket", &s.bucket)?;
                require_text("region", &s.region)?;
                if let Some(endpoint) = &s.endpoint {
                    require_http_url("endpoint", endpoint)?;
                }
                if s.access_key_id.is_some() != s.secret_access_key.is_some() {
                    return Err(invalid("secret_access_key", "access_key_id and secret_access_key go together"));
                }
                Ok(())
            }
            Self::Webhook(w) => require_http_url("url", &w.url),
        }
    }

    /// The same destination with every secret replaced by [`Secret::REDACTED`], for responses.
    pub fn redacted(&self) -> Destination {
        let mut copy = self.clone();
        copy.for_each_secret(|_, secret| *secret = Secret::redacted());
        copy
    }

    /// Where the destination sends events, and so its secrets.
    fn target(&self) -> Option<String> {
        match self {
            Self::Custom => None,
            Self::Splunk(s) => Some(s.url.clone()),
            Self::Kafka(k) => Some(k.bootstrap_servers.join(",")),
            Self::Gcs(g) => Some(format!("{}|{:?}", g.bucket, g.endpoint)),
            Self::S3(s) => Some(format!("{}|{}|{:?}", s.bucket, s.region, s.endpoint)),
            Self::Webhook(w) => Some(w.url.clone()),
        }
    }

    /// For an update: every secret sent back as [`Secret::REDACTED`] keeps its stored value,
    /// but only while the destination still sends to the same place; pointed elsewhere, its
    /// secrets must be sent again (else a token holder could send them to a host of theirs).
    pub fn keep_secrets_from(mut self, previous: &Destination) -> Destination {
        if self.kind() != previous.kind() || self.target() != previous.target() {
            return self;
        }
        let mut stored = BTreeMap::new();
        previous.clone().for_each_secret(|path, secret| {
            stored.insert(path, secret.clone());
        });
        self.for_each_secret(|path, secret| {
            *secret = std::mem::replace(secret, Secret::redacted()).or_previous(stored.get(&path));
        });
        self
    }

    fn for_each_secret(&mut self, mut visit: impl FnMut(String, &mut Secret)) {
        match self {
            Self::Custom => {}
            Self::Splunk(s) => visit("token".into(), &mut s.token),
            Self::Kafka(k) => {
                if let Some(sasl) = &mut k.sasl {
                    visit("sasl.password".into(), &mut sasl.password);
                }
            }
            Self::Gcs(g) => {
                if let Some(c) = &mut g.credentials_json {
                    visit("credentials_json".into(), c);
                }
            }
            Self::S3(s) => {
                if let Some(k) = &mut s.secret_access_key {
                    visit("secret_access_key".into(), k);
                }
            }
            Self::Webhook(w) => {
                for (name, value) in &mut w.headers {
                    visit(format!("headers.{name}"), value);
                }
                if let Some(k) = &mut w.secret {
                    visit("secret".into(), k);
                }
            }
        }
    }
}

/// Bucket names as both GCS and S3 accept them: 3–63 of lowercase letters, digits, `.`, `-`, `_`.
fn require_bucket(field: &str, bucket: &str) -> Result<(), InvalidDestination> {
    let ok = (3..=63).contains(&bucket.len())
        && bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'));
    if ok {
        Ok(())
    } else {
        Err(invalid(field, "must be 3 to 63 lowercase letters, digits, dots, dashes or underscores"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Destination {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn each_kind_parses_from_its_documented_fields() {
        let cases = [
            json!({"kind": "custom"}),
            json!({"kind": "splunk", "url": "https://hec:8088", "token": "t", "index": "main", "ack": true}),
            json!({"kind": "kafka", "bootstrap_servers": ["k:9092"], "topic": "events",
                   "sasl": {"mechanism": "PLAIN", "username": "u", "password": "p"}, "tls": true}),
            json!({"kind": "gcs", "bucket": "my-bucket", "prefix": "p", "endpoint": "http://127.0.0.1:4443",
                   "credentials_json": "{}"}),
            json!({"kind": "s3", "bucket": "my-bucket", "region": "eu-west-1", "access_key_id": "a",
                   "secret_access_key": "s"}),
            json!({"kind": "webhook", "url": "https://hook", "headers": {"X-Key": "k"}, "secret": "s"}),
        ];
        for case in cases {
            let destination = parse(case.clone());
            assert_eq!(destination.validate(), Ok(()), "{case}");
            assert_eq!(destination.kind().as_str(), case["kind"]);
        }
    }

    #[test]
    fn unknown_fields_and_kinds_are_rejected() {
        assert!(serde_json::from_value::<Destination>(json!({"kind": "ftp"})).is_err());
        let typo = json!({"kind": "splunk", "url": "https://hec", "tokn": "t"});
        assert!(serde_json::from_value::<Destination>(typo).is_err());
    }

    #[test]
    fn validation_names_the_field() {
        let bad = parse(json!({"kind": "splunk", "url": "not a url", "token": "t"}));
        assert_eq!(bad.validate().unwrap_err().field, "destination.url");
        let bad = parse(json!({"kind": "kafka", "bootstrap_servers": ["nohost"], "topic": "t"}));
        assert_eq!(bad.validate().unwrap_err().field, "destination.bootstrap_servers");
        let bad = parse(json!({"kind": "s3", "bucket": "B", "region": "r"}));
        assert_eq!(bad.validate().unwrap_err().field, "destination.bucket");
    }

    #[test]
    fn redaction_hides_every_secret_and_updates_keep_them() {
        let stored = parse(json!({"kind": "webhook", "url": "https://hook",
                                  "headers": {"Authorization": "Bearer abc"}, "secret": "hmac-key"}));
        let shown = serde_json::to_string(&stored.redacted()).unwrap();
        assert!(!shown.contains("abc") && !shown.contains("hmac-key"), "{shown}");

        let update = parse(json!({"kind": "webhook", "url": "https://hook",
                                  "headers": {"Authorization": Secret::REDACTED}, "secret": "new-key"}));
        let merged = update.keep_secrets_from(&stored);
        let Destination::Webhook(w) = merged else { panic!("kind changed") };
        assert_eq!(w.headers["Authorization"].expose(), "Bearer abc");
        assert_eq!(w.secret.unwrap().expose(), "new-key");
        assert!(format!("{stored:?}").contains("hmac-key").eq(&false));
    }

    #[test]
    fn secrets_do_not_follow_a_destination_to_a_new_target() {
        let stored = parse(json!({"kind": "splunk", "url": "https://hec.example.com", "token": "hec-token"}));
        let moved = parse(json!({"kind": "splunk", "url": "https://evil.example.com", "token": Secret::REDACTED}));
        let merged = moved.keep_secrets_from(&stored);
        assert_eq!(merged.validate().unwrap_err().field, "destination.token");
        assert!(!format!("{:?}", serde_json::to_string(&merged)).contains("hec-token"));
    }
}
