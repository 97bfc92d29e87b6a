//! A batch on its way out: the stream it belongs to and its events, in order.

use crate::{
    model::{EventType, StreamId},
    store::StoredEvent,
};
use chrono::{DateTime, Utc};
use flate2::{write::GzEncoder, Compression};
use std::io::Write;

/// Gzips a payload in memory.
pub(super) fn gzip(data: &[u8], level: Compression) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(data.len() / 4), level);
    encoder.write_all(data).expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail")
}

/// Events a worker read after its stream's position (enriched when the stream asks).
#[derive(Debug, Clone)]
pub struct Batch {
    pub stream_id: StreamId,
    pub event_type: EventType,
    pub events: Vec<StoredEvent>,
}

/// The fields of an event the encoders need; everything else passes through untouched.
#[derive(Debug, Default)]
pub(super) struct EventHeader {
    pub timestamp: Option<DateTime<Utc>>,
    pub user_id: Option<String>,
    pub actor_id: Option<String>,
    pub event_id: Option<String>,
}

/// Each field read on its own: ingest does not type ids, so one numeric `user_id` must not cost
/// the event its timestamp (or its key).
#[derive(serde::Deserialize)]
struct RawHeader {
    timestamp: Option<serde_json::Value>,
    user_id: Option<serde_json::Value>,
    actor_id: Option<serde_json::Value>,
    event_id: Option<serde_json::Value>,
}

fn id_text(value: Option<serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::String(text) => Some(text),
        serde_json::Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

impl EventHeader {
    /// Reads the header of a stored event; a stored event is always a JSON object.
    pub fn of(body: &str) -> Self {
        let Ok(raw) = serde_json::from_str::<RawHeader>(body) else { return Self::default() };
        Self {
            timestamp: raw.timestamp.as_ref().and_then(|t| t.as_str()).and_then(|t| t.parse().ok()),
            user_id: id_text(raw.user_id),
            actor_id: id_text(raw.actor_id),
            event_id: id_text(raw.event_id),
        }
    }
}

impl Batch {
    pub fn first_seq(&self) -> i64 {
        self.events.first().map_or(0, |e| e.seq)
    }

    pub fn last_seq(&self) -> i64 {
        self.events.last().map_or(0, |e| e.seq)
    }

    /// The events as one JSON array, spliced from their stored JSON.
    pub fn json_array(&self) -> String {
        let mut out = String::with_capacity(2 + self.events.iter().map(|e| e.body.len() + 1).sum::<usize>());
        out.push('[');
        for (i, event) in self.events.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&event.body);
        }
        out.push(']');
        out
    }

    /// The events as newline-delimited JSON, one per line.
    pub fn ndjson(&self) -> String {
        let mut out = String::with_capacity(self.events.iter().map(|e| e.body.len() + 1).sum());
        for event in &self.events {
            out.push_str(&event.body);
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
pub(super) fn sample(bodies: &[&str]) -> Batch {
    Batch {
        stream_id: StreamId::try_from("s1".to_owned()).unwrap(),
        event_type: EventType::Cis,
        events: bodies
            .iter()
            .enumerate()
            .map(|(i, body)| StoredEvent { seq: 10 + i as i64, body: (*body).to_owned() })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_arrays_and_lines() {
        let batch = sample(&[r#"{"a":1}"#, r#"{"b":2}"#]);
        assert_eq!(batch.json_array(), r#"[{"a":1},{"b":2}]"#);
        assert_eq!(batch.ndjson(), "{\"a\":1}\n{\"b\":2}\n");
        assert_eq!((batch.first_seq(), batch.last_seq()), (10, 11));
    }

    #[test]
    fn reads_the_header_fields() {
        let header = EventHeader::of(r#"{"timestamp":"2026-11-26T10:00:00.250Z","user_id":"u1","x":[1]}"#);
        assert_eq!(header.timestamp.unwrap().timestamp_millis(), 1_795_687_200_250);
        assert_eq!(header.user_id.as_deref(), Some("u1"));
        assert!(header.actor_id.is_none());
        let header = EventHeader::of(r#"{"timestamp":"2026-11-26T10:00:00Z","user_id":42,"actor_id":{"x":1}}"#);
        assert_eq!(header.user_id.as_deref(), Some("42"), "a numeric id still keys the event");
        assert!(header.timestamp.is_some() && header.actor_id.is_none());
    }
}
