//! Ingestion: validating events, completing them, and storing a whole request at once.

use crate::{
    error::{Error, Result},
    model::EventType,
    platform::{Platform, Tenant},
    store::NewEvent,
};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::{borrow::Cow, fmt};

/// The most events one ingestion request may carry (contract §3).
pub const MAX_EVENTS_PER_REQUEST: usize = 10_000;

fn invalid(index: usize, field: &str, message: impl fmt::Display) -> Error {
    Error::InvalidEvent { index, message: format!("field {field:?} {message}") }
}

/// An event's fields in the order they came, each value kept as its JSON text: ingest checks a
/// few fields and adds three, so the rest is never parsed into a tree nor written out again.
/// Names and values borrow the request's text unless a name had escapes.
struct Fields<'a>(Vec<(Cow<'a, str>, Cow<'a, str>)>);

/// One element of an ingestion request, read in the request's single parse: an object's fields,
/// or `None` for any other JSON value, which `complete` refuses with its index.
struct Element<'a>(Option<Fields<'a>>);

/// A member name as written, borrowed when it has no escapes (serde's own `Cow` always copies).
struct Name<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> std::result::Result<Name<'de>, E> {
                Ok(Name(Cow::Borrowed(name)))
            }
            fn visit_str<E: de::Error>(self, name: &str) -> std::result::Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(name.to_owned())))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

impl<'de> Deserialize<'de> for Element<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct ElementVisitor;
        impl<'de> Visitor<'de> for ElementVisitor {
            type Value = Element<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> std::result::Result<Element<'de>, M::Error> {
                let mut fields = Fields(Vec::with_capacity(map.size_hint().unwrap_or(16)));
                while let Some((Name(name), value)) = map.next_entry::<Name<'de>, &'de RawValue>()? {
                    fields.set(name, Cow::Borrowed(value.get()));
                }
                Ok(Element(Some(fields)))
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> std::result::Result<Element<'de>, S::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Element(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<Element<'de>, E> {
                Ok(Element(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<Element<'de>, E> {
                Ok(Element(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<Element<'de>, E> {
                Ok(Element(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<Element<'de>, E> {
                Ok(Element(None))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<Element<'de>, E> {
                Ok(Element(None))
            }
            fn visit_unit<E: de::Error>(self) -> std::result::Result<Element<'de>, E> {
                Ok(Element(None))
            }
        }
        deserializer.deserialize_any(ElementVisitor)
    }
}

/// A JSON string's text, borrowed when it has no escapes; `None` for any other value.
fn string_value(json: &str) -> Option<Cow<'_, str>> {
    match json.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(text) if !text.contains('\\') => Some(Cow::Borrowed(text)),
        _ => serde_json::from_str::<String>(json).ok().map(Cow::Owned),
    }
}

/// A string as JSON, for text that needs no escapes: timestamps and ids this module made.
fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}

impl<'a> Fields<'a> {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_ref())
    }

    /// Sets a field where it is, or appends it; a repeated name keeps its last value, as in JSON
    /// objects read into maps.
    fn set(&mut self, name: Cow<'a, str>, value: Cow<'a, str>) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(field) => field.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// A field's string value, or why it is not one.
    fn text(&self, index: usize, field: &str) -> Result<Option<Cow<'_, str>>> {
        self.get(field).map(|json| string_value(json).ok_or_else(|| invalid(index, field, "must be a string"))).transpose()
    }

    fn required_text(&self, index: usize, field: &str) -> Result<Cow<'_, str>> {
        match self.text(index, field)? {
            Some(text) if !text.trim().is_empty() => Ok(text),
            Some(_) => Err(invalid(index, field, "must not be empty")),
            None => Err(invalid(index, field, "is required")),
        }
    }

    fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.0.iter().map(|(n, v)| n.len() + v.len() + 4).sum::<usize>() + 2);
        out.push('{');
        for (i, (name, value)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match name {
                // Borrowed means written without escapes, so it needs none.
                Cow::Borrowed(name) => {
                    out.push('"');
                    out.push_str(name);
                    out.push('"');
                }
                Cow::Owned(name) => out.push_str(&serde_json::to_string(name).expect("strings always serialise")),
            }
            out.push(':');
            out.push_str(value);
        }
        out.push('}');
        out
    }
}

/// What every event of one request is completed with, as JSON text made once per request.
struct Completion {
    tenant_json: String,
    now_json: String,
}

/// Checks one event and completes it: `event_id` when absent, `timestamp` defaulting to now,
/// `tenant_id` always the caller's (an event cannot be planted in another tenant).
fn complete(index: usize, element: Element, with: &Completion) -> Result<NewEvent> {
    let mut event = element.0.ok_or_else(|| Error::InvalidEvent { index, message: "must be a JSON object".into() })?;
    let event_type: EventType = event
        .required_text(index, "type")?
        .parse()
        .map_err(|e| Error::UnknownEventTypeAt { index, message: format!("field \"type\" {e}") })?;
    event.required_text(index, "activity")?;
    // Stored in the contract's one form, RFC 3339 UTC with milliseconds, whatever was sent.
    let bad_timestamp = || invalid(index, "timestamp", "must be an RFC 3339 date-time string");
    let timestamp = match event.text(index, "timestamp").map_err(|_| bad_timestamp())? {
        None => Some(Cow::Borrowed(with.now_json.as_str())),
        Some(ts) => {
            let utc = DateTime::parse_from_rfc3339(&ts).map_err(|_| bad_timestamp())?.with_timezone(&Utc);
            // Already in that form and written without escapes (what producers mostly send):
            // kept as it came.
            let b = ts.as_bytes();
            let canonical = matches!(ts, Cow::Borrowed(_)) && b.len() == 24 && b[10] == b'T' && b[19] == b'.' && b[23] == b'Z';
            (!canonical).then(|| Cow::Owned(quoted(&utc.to_rfc3339_opts(SecondsFormat::Millis, true))))
        }
    };
    if let Some(timestamp) = timestamp {
        event.set(Cow::Borrowed("timestamp"), timestamp);
    }
    if event.get("event_id").is_some() {
        event.required_text(index, "event_id")?;
    } else {
        event.set(Cow::Borrowed("event_id"), Cow::Owned(quoted(&uuid::Uuid::now_v7().to_string())));
    }
    event.set(Cow::Borrowed("tenant_id"), Cow::Borrowed(with.tenant_json.as_str()));
    Ok(NewEvent { event_type, body: event.to_json() })
}

impl Platform {
    /// Stores one event or an array of them, given as JSON text, all or nothing, durably before
    /// returning the count. The text is parsed once: each event's values are kept as written.
    pub async fn ingest(&self, tenant: &Tenant, body: &str) -> Result<usize> {
        let elements: Vec<Element> = if body.trim_ascii_start().starts_with('[') {
            serde_json::from_str(body).map_err(Error::not_json)?
        } else {
            vec![serde_json::from_str(body).map_err(Error::not_json)?]
        };
        if elements.len() > MAX_EVENTS_PER_REQUEST {
            return Err(Error::InvalidRequest(format!(
                "a request carries at most {MAX_EVENTS_PER_REQUEST} events, got {}",
                elements.len()
            )));
        }
        let with = Completion {
            tenant_json: serde_json::to_string(&tenant.0).expect("strings always serialise"),
            now_json: quoted(&Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)),
        };
        let events = elements
            .into_iter()
            .enumerate()
            .map(|(index, element)| complete(index, element, &with))
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

    /// Completes one event given as JSON text, for tenant `acme` at `NOW`.
    fn complete_text(index: usize, text: &str) -> Result<NewEvent> {
        let with = Completion { tenant_json: r#""acme""#.into(), now_json: quoted("NOW") };
        complete(index, serde_json::from_str(text).unwrap(), &with)
    }

    fn complete_value(index: usize, value: Value) -> Result<NewEvent> {
        complete_text(index, &value.to_string())
    }

    #[test]
    fn completes_missing_fields_and_keeps_unknown_ones() {
        let event = complete_value(0, json!({"type": "cis", "activity": "user_login_succeeded", "extra": [1]}))
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
        let event = complete_value(0, json!({"type": "cis", "activity": "a", "timestamp": "2026-11-01T03:20:23+02:00"}))
            .unwrap();
        assert!(event.body.contains(r#""timestamp":"2026-11-01T01:20:23.000Z""#), "{}", event.body);
    }

    #[test]
    fn fields_keep_their_text_and_a_repeated_name_its_last_value() {
        let event = complete_text(0, r#"{"type":"cis","activity":"a","n":1.50,"type":"risk","deep":{"k": [1, 2]}}"#).unwrap();
        assert_eq!(event.event_type, EventType::Risk);
        assert!(event.body.starts_with(r#"{"type":"risk","activity":"a","n":1.50,"deep":{"k": [1, 2]},"timestamp":"NOW","event_id":""#), "{}", event.body);
    }

    #[test]
    fn names_with_escapes_are_read_and_written_as_json_reads_them() {
        let event = complete_text(0, r#"{"ty\u0070e":"cis","activity":"a","q\"uote":"x\ny","timestamp":"2026-11-01T01:20:23.000Z"}"#).unwrap();
        assert_eq!(event.event_type, EventType::Cis);
        // A timestamp in the stored form already is kept as it came.
        assert!(
            event.body.starts_with(r#"{"type":"cis","activity":"a","q\"uote":"x\ny","timestamp":"2026-11-01T01:20:23.000Z","event_id":""#),
            "{}",
            event.body
        );
        // One written with escapes is written again without them.
        let escaped = complete_text(0, r#"{"type":"cis","activity":"a","timestamp":"2026-11-01T01:20:23.000\u005a"}"#).unwrap();
        assert!(escaped.body.contains(r#""timestamp":"2026-11-01T01:20:23.000Z""#), "{}", escaped.body);
    }

    #[test]
    fn the_callers_tenant_always_wins() {
        let event = complete_value(0, json!({"type": "risk", "activity": "a", "tenant_id": "other"})).unwrap();
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
            let message = complete_value(3, value.clone()).unwrap_err().to_string();
            assert!(message.starts_with(expected), "{value}: {message}");
        }
    }
}
