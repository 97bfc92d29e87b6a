//! The + Add stream form as the server receives it, checked again and turned into a `NewStream`.

use crate::error::ConsoleError;
use platform::model::{
    BatchSize, Destination, DestinationKind, EventType, GcsSettings, KafkaSettings, NewStream, S3Settings, Secret,
    SplunkSettings, StreamId, WebhookSettings,
};
use std::collections::HashMap;

/// The submitted fields, as text: every one is validated here, whatever the browser checked.
#[derive(Debug, Clone, Default)]
pub struct StreamForm {
    pub stream_id: String,
    pub event_type: String,
    pub destination: HashMap<String, String>,
    pub batch_size: String,
    pub enrichment: bool,
}

fn text(fields: &HashMap<String, String>, name: &str) -> String {
    fields.get(name).map(|v| v.trim().to_owned()).unwrap_or_default()
}

fn optional(fields: &HashMap<String, String>, name: &str) -> Option<String> {
    Some(text(fields, name)).filter(|v| !v.is_empty())
}

fn required(fields: &HashMap<String, String>, name: &str, label: &str) -> Result<String, ConsoleError> {
    optional(fields, name).ok_or_else(|| ConsoleError::field(&format!("destination.{name}"), format!("{label} is required.")))
}

impl StreamForm {
    pub fn into_new_stream(self) -> Result<NewStream, ConsoleError> {
        let stream_id = StreamId::try_from(self.stream_id.trim().to_owned()).map_err(|_| {
            ConsoleError::field("stream_id", "Use 1 to 64 letters, digits, dots, dashes or underscores.")
        })?;
        let event_type: EventType =
            self.event_type.parse().map_err(|_| ConsoleError::field("event_type", "Choose one of the four event types."))?;
        let batch_size = BatchSize::parse(&self.batch_size)
            .map_err(|_| ConsoleError::field("batch_size", "Events per batch must be a whole number from 1 to 1000."))?;
        let destination = self.destination()?;
        destination
            .validate()
            .map_err(|e| ConsoleError::field(&e.field, format!("{}.", capitalise(&e.message))))?;
        Ok(NewStream { stream_id: Some(stream_id), name: None, event_type, destination, batch_size, enrichment: self.enrichment })
    }

    fn destination(&self) -> Result<Destination, ConsoleError> {
        let f = &self.destination;
        let kind = DestinationKind::from_wire(&text(f, "kind"))
            .ok_or_else(|| ConsoleError::field("destination.kind", "Choose a stream destination."))?;
        Ok(match kind {
            DestinationKind::Custom => Destination::Custom,
            DestinationKind::Splunk => Destination::Splunk(SplunkSettings {
                url: required(f, "url", "The HEC URL")?,
                token: Secret::new(required(f, "token", "The HEC token")?),
                index: optional(f, "index"),
                sourcetype: optional(f, "sourcetype"),
                source: optional(f, "source"),
                ack: false,
            }),
            DestinationKind::Kafka => Destination::Kafka(KafkaSettings {
                bootstrap_servers: required(f, "bootstrap_servers", "Bootstrap servers")?
                    .split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect(),
                topic: required(f, "topic", "The topic")?,
                sasl: None,
                tls: false,
            }),
            DestinationKind::Gcs => Destination::Gcs(GcsSettings {
                bucket: required(f, "bucket", "The bucket")?,
                prefix: optional(f, "prefix"),
                endpoint: None,
                credentials_json: optional(f, "credentials_json").map(Secret::new),
                gzip: false,
            }),
            DestinationKind::S3 => Destination::S3(S3Settings {
                bucket: required(f, "bucket", "The bucket")?,
                region: required(f, "region", "The region")?,
                prefix: optional(f, "prefix"),
                endpoint: None,
                access_key_id: optional(f, "access_key_id"),
                secret_access_key: optional(f, "secret_access_key").map(Secret::new),
                gzip: false,
            }),
            DestinationKind::Webhook => Destination::Webhook(WebhookSettings {
                url: required(f, "url", "The webhook URL")?,
                headers: Default::default(),
                secret: optional(f, "secret").map(Secret::new),
            }),
        })
    }
}

fn capitalise(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// Puts a platform refusal next to the field it concerns, where one does.
pub fn place_platform_error(error: ConsoleError) -> ConsoleError {
    let ConsoleError::Platform { code, message } = &error else { return error };
    let field = match code.as_str() {
        "stream_exists" => Some("stream_id".to_owned()),
        "invalid_batch_size" => Some("batch_size".to_owned()),
        "unknown_event_type" => Some("event_type".to_owned()),
        "invalid_request" => message
            .split_once(':')
            .map(|(field, _)| field.to_owned())
            .filter(|field| field.starts_with("destination.")),
        _ => None,
    };
    match field {
        Some(field) if code == "stream_exists" => {
            ConsoleError::Field { field, message: "A stream with this identifier exists already.".into() }
        }
        Some(field) => ConsoleError::Field { field, message: message.clone() },
        None => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: &str, fields: &[(&str, &str)], batch_size: &str) -> StreamForm {
        let mut destination: HashMap<String, String> =
            fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        destination.insert("kind".into(), kind.into());
        StreamForm { stream_id: "s-1".into(), event_type: "risk".into(), destination, batch_size: batch_size.into(), enrichment: true }
    }

    #[test]
    fn a_custom_stream_form_becomes_a_new_stream() {
        let new = form("custom", &[], "50").into_new_stream().unwrap();
        assert_eq!((new.event_type, new.batch_size.get(), new.enrichment), (EventType::Risk, 50, true));
        assert_eq!(new.destination, Destination::Custom);
    }

    #[test]
    fn each_bad_field_is_named() {
        for (batch, field) in [("0", "batch_size"), ("1001", "batch_size"), ("x", "batch_size")] {
            assert!(form("custom", &[], batch).into_new_stream().unwrap_err().for_field(field).is_some());
        }
        let mut bad_id = form("custom", &[], "5");
        bad_id.stream_id = "no spaces".into();
        assert!(bad_id.into_new_stream().unwrap_err().for_field("stream_id").is_some());
        let missing_token = form("splunk", &[("url", "https://hec")], "5").into_new_stream().unwrap_err();
        assert!(missing_token.for_field("destination.token").is_some());
        let bad_url = form("webhook", &[("url", "nope")], "5").into_new_stream().unwrap_err();
        assert!(bad_url.for_field("destination.url").is_some(), "{bad_url:?}");
    }

    #[test]
    fn kafka_servers_are_comma_separated() {
        let new = form("kafka", &[("bootstrap_servers", "a:9092, b:9093"), ("topic", "t")], "5").into_new_stream().unwrap();
        let Destination::Kafka(kafka) = new.destination else { panic!() };
        assert_eq!(kafka.bootstrap_servers, ["a:9092", "b:9093"]);
    }

    #[test]
    fn platform_refusals_land_on_their_field() {
        let exists = ConsoleError::Platform { code: "stream_exists".into(), message: "x".into() };
        assert!(place_platform_error(exists).for_field("stream_id").is_some());
        let url = ConsoleError::Platform { code: "invalid_request".into(), message: "destination.url: bad".into() };
        assert!(place_platform_error(url).for_field("destination.url").is_some());
        let other = ConsoleError::Platform { code: "internal".into(), message: "boom".into() };
        assert!(place_platform_error(other).general().is_some());
    }
}
