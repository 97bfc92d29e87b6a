//! A batch on its way out: the stream it belongs to and its events, in order.

use crate::{
    model::{EventType, StreamId},
    store::StoredEvent,
};
use chrono::{DateTime, Utc};

/// Events a worker read after its stream's position (enriched when the stream asks).
#[derive(Debug, Clone)]
pub struct Batch {
    pub stream_id: StreamId,
    pub event_type: EventType,
    pub events: Vec<StoredEvent>,
}

/// The fields of an event the encoders need; everything else passes through untouched.
#[derive(serde::Deserialize)]
pub(super) struct EventHeader {
    pub timestamp: Option<DateTime<Utc>>,
    pub user_id: Option<String>,
    pub actor_id: Option<String>,
    pub event_id: Option<String>,
}

impl EventHeader {
    /// Reads the header of a stored event; a stored event is always a JSON object.
    pub fn of(body: &str) -> Self {
        serde_json::from_str(body)
            .unwrap_or(Self { timestamp: None, user_id: None, actor_id: None, event_id: None })
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
    }
}
