//! Ingestion: validating events, completing them, and storing a whole request at once.

use crate::{
    error::{Error, Result},
    model::EventType,
    platform::{Platform, Tenant},
    store::NewEvent,
};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::{borrow::Cow, fmt};

/// The most events one ingestion request may carry (contract §3).
pub const MAX_EVENTS_PER_REQUEST: usize = 10_000;

fn invalid(index: usize, field: &str, message: impl fmt::Display) -> Error {
    Error::InvalidEvent { index, message: format!("field {field:?} {message}") }
}

/// An event's fields in the order they came, each value kept as its JSON text: ingest checks a
/// few fields and adds three, so the rest is never parsed into a tree nor written out again.
struct Fields<'a>(Vec<(Cow<'a, str>, Cow<'a, RawValue>)>);

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct FieldsVisitor;
        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> std::result::Result<Fields<'de>, M::Error> {
                let mut fields = Fields(Vec::with_capacity(map.size_hint().unwrap_or(16)));
                while let Some((name, value)) = map.next_entry::<Cow<'de, str>, &'de RawValue>()? {
                    fields.set(name, Cow::Borrowed(value));
                }
                Ok(fields)
            }
        }
        deserializer.deserialize_map(FieldsVisitor)
    }
}

impl<'a> Fields<'a> {
    fn get(&self, name: &str) -> Option<&RawValue> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_ref())
    }

    /// Sets a field where it is, or appends it; a repeated name keeps its last value, as in JSON
    /// objects read into maps.
    fn set(&mut self, name: Cow<'a, str>, value: Cow<'a, RawValue>) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(field) => field.1 = value,
            None => self.0.push((name, value)),
        }
    }

    fn set_text(&mut self, name: &'static str, text: &str) {
        let value = serde_json::value::to_raw_value(text).expect("strings always serialise");
        self.set(Cow::Borrowed(name), Cow::Owned(value));
    }

    /// A field's string value, or why it is not one.
    fn text(&self, index: usize, field: &str) -> Result<Option<Cow<'_, str>>> {
        self.get(field)
            .map(|raw| serde_json::from_str::<Cow<str>>(raw.get()).map_err(|_| invalid(index, field, "must be a string")))
            .transpose()
    }

    fn required_text(&self, index: usize, field: &str) -> Result<Cow<'_, str>> {
        match self.text(index, field)? {
            Some(text) if !text.trim().is_empty() => Ok(text),
            Some(_) => Err(invalid(index, field, "must not be empty")),
            None => Err(invalid(index, field, "is required")),
        }
    }

    fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.0.iter().map(|(n, v)| n.len() + v.get().len() + 4).sum::<usize>() + 2);
        out.push('{');
        for (i, (name, value)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(name.as_ref()).expect("strings always serialise"));
            out.push(':');
            out.push_str(value.get());
        }
        out.push('}');
        out
    }
}

/// Checks one event and completes it: `event_id` when absent, `timestamp` defaulting to `now`,
/// `tenant_id` always the caller's (an event cannot be planted in another tenant).
fn complete(index: usize, raw: &RawValue, tenant: &Tenant, now: &str) -> Result<NewEvent> {
    let mut event: Fields = serde_json::from_str(raw.get())
        .map_err(|_| Error::InvalidEvent { index, message: "must be a JSON object".into() })?;
    let event_type: EventType = event
        .required_text(index, "type")?
        .parse()
        .map_err(|e| Error::UnknownEventTypeAt { index, message: format!("field \"type\" {e}") })?;
    event.required_text(index, "activity")?;
    // Stored in the contract's one form, RFC 3339 UTC with milliseconds, whatever was sent.
    let bad_timestamp = || invalid(index, "timestamp", "must be an RFC 3339 date-time string");
    let timestamp = match event.text(index, "timestamp").map_err(|_| bad_timestamp())? {
        None => now.to_owned(),
        Some(ts) => DateTime::parse_from_rfc3339(&ts)
            .map(|t| t.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Millis, true))
            .map_err(|_| bad_timestamp())?,
    };
    event.set_text("timestamp", &timestamp);
    if event.get("event_id").is_some() {
        event.required_text(index, "event_id")?;
    } else {
        event.set_text("event_id", &uuid::Uuid::now_v7().to_string());
    }
    event.set_text("tenant_id", &tenant.0);
    Ok(NewEvent { event_type, body: event.to_json() })
}

impl Platform {
    /// Stores one event or an array of them, all or nothing, durably before returning the count.
    pub async fn ingest(&self, tenant: &Tenant, body: &RawValue) -> Result<usize> {
        let single = [body];
        let many: Vec<&RawValue>;
        let values: &[&RawValue] = if body.get().starts_with('[') {
            many = serde_json::from_str(body.get()).map_err(|e| Error::InvalidRequest(e.to_string()))?;
            &many
        } else {
            &single
        };
        if values.len() > MAX_EVENTS_PER_REQUEST {
            return Err(Error::InvalidRequest(format!(
                "a request carries at most {MAX_EVENTS_PER_REQUEST} events, got {}",
                values.len()
            )));
        }
        let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let events = values
            .iter()
            .enumerate()
            .map(|(index, value)| complete(index, value, tenant, &now))
            .collect::<Result<Vec<_>>>()?;
        if !events.is_empty() {
            self.store.append_events(&tenant.0, &events).await?;
            self.notify_appended();
        }
        metrics::counter!("sluice_events_ingested_total", "tenant" => tenant.0.clone()).increment(events.len() as u64);
        Ok(events.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn raw(value: Value) -> Box<RawValue> {
        serde_json::value::to_raw_value(&value).unwrap()
    }

    fn tenant() -> Tenant {
        Tenant("acme".into())
    }

    #[test]
    fn completes_missing_fields_and_keeps_unknown_ones() {
        let event = complete(0, &raw(json!({"type": "cis", "activity": "user_login_succeeded", "extra": [1]})), &tenant(), "NOW")
            .unwrap();
        let body: Value = serde_json::from_str(&event.body).unwrap();
        assert_eq!(event.event_type, EventType::Cis);
        assert_eq!(body["timestamp"], "NOW");
        assert_eq!(body["tenant_id"], "acme");
        assert_eq!(body["extra"], json!([1]));
        assert_eq!(body["event_id"].as_str().map(str::len), Some(36));
    }

    #[test]
    fn timestamps_are_stored_as_utc_with_milliseconds() {
        let event = complete(0, &raw(json!({"type": "cis", "activity": "a", "timestamp": "2026-11-01T03:20:23+02:00"})), &tenant(), "NOW")
            .unwrap();
        assert!(event.body.contains(r#""timestamp":"2026-11-01T01:20:23.000Z""#), "{}", event.body);
    }

    #[test]
    fn fields_keep_their_text_and_a_repeated_name_its_last_value() {
        let body = RawValue::from_string(r#"{"type":"cis","activity":"a","n":1.50,"type":"risk","deep":{"k": [1, 2]}}"#.into()).unwrap();
        let event = complete(0, &body, &tenant(), "NOW").unwrap();
        assert_eq!(event.event_type, EventType::Risk);
        assert!(event.body.starts_with(r#"{"type":"risk","activity":"a","n":1.50,"deep":{"k": [1, 2]},"timestamp":"NOW","event_id":""#), "{}", event.body);
    }

    #[test]
    fn the_callers_tenant_always_wins() {
        let event = complete(0, &raw(json!({"type": "risk", "activity": "a", "tenant_id": "other"})), &tenant(), "NOW").unwrap();
        assert!(event.body.contains(r#""tenant_id":"acme""#));
        assert!(!event.body.contains("other"));
    }

    #[test]
    fn errors_name_the_index_and_field() {
        let cases = [
            (json!("text"), "event 3: must be a JSON object"),
            (json!({"activity": "a"}), r#"event 3: field "type" is required"#),
            (json!({"type": "nope", "activity": "a"}), r#"event 3: field "type" unknown event type"#),
            (json!({"type": 7, "activity": "a"}), r#"event 3: field "type" must be a string"#),
            (json!({"type": "cis"}), r#"event 3: field "activity" is required"#),
            (json!({"type": "cis", "activity": 5}), r#"event 3: field "activity" must be a string"#),
            (json!({"type": "cis", "activity": "a", "timestamp": "yesterday"}), r#"event 3: field "timestamp""#),
        ];
        for (value, expected) in cases {
            let message = complete(3, &raw(value.clone()), &tenant(), "NOW").unwrap_err().to_string();
            assert!(message.starts_with(expected), "{value}: {message}");
        }
    }
}
