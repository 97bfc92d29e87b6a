//! Ingestion: validating events, completing them, and storing a whole request at once.

use crate::{
    error::{Error, Result},
    model::EventType,
    platform::{Platform, Tenant},
    store::NewEvent,
};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

/// The most events one ingestion request may carry (contract §3).
pub const MAX_EVENTS_PER_REQUEST: usize = 10_000;

fn invalid(index: usize, field: &str, message: impl std::fmt::Display) -> Error {
    Error::InvalidEvent { index, message: format!("field {field:?} {message}") }
}

fn required_text<'a>(index: usize, event: &'a Map<String, Value>, field: &str) -> Result<&'a str> {
    match event.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        Some(Value::String(_)) => Err(invalid(index, field, "must not be empty")),
        Some(_) => Err(invalid(index, field, "must be a string")),
        None => Err(invalid(index, field, "is required")),
    }
}

/// Checks one event and completes it: `event_id` when absent, `timestamp` defaulting to `now`,
/// `tenant_id` always the caller's (an event cannot be planted in another tenant).
fn complete(index: usize, value: Value, tenant: &Tenant, now: &str) -> Result<NewEvent> {
    let Value::Object(mut event) = value else {
        return Err(Error::InvalidEvent { index, message: "must be a JSON object".into() });
    };
    let event_type: EventType = required_text(index, &event, "type")?
        .parse()
        .map_err(|e| Error::UnknownEventTypeAt { index, message: format!("field \"type\" {e}") })?;
    required_text(index, &event, "activity")?;
    // Stored in the contract's one form, RFC 3339 UTC with milliseconds, whatever was sent.
    let timestamp = match event.get("timestamp") {
        None => now.to_owned(),
        Some(Value::String(ts)) => DateTime::parse_from_rfc3339(ts)
            .map(|t| t.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Millis, true))
            .map_err(|_| invalid(index, "timestamp", "must be an RFC 3339 date-time string"))?,
        Some(_) => return Err(invalid(index, "timestamp", "must be an RFC 3339 date-time string")),
    };
    event.insert("timestamp".into(), Value::String(timestamp));
    match event.get("event_id") {
        None => {
            event.insert("event_id".into(), Value::String(uuid::Uuid::now_v7().to_string()));
        }
        Some(_) => {
            required_text(index, &event, "event_id")?;
        }
    }
    event.insert("tenant_id".into(), Value::String(tenant.0.clone()));
    let body = serde_json::to_string(&event).map_err(|e| invalid(index, "event", e))?;
    Ok(NewEvent { event_type, body })
}

impl Platform {
    /// Stores one event or an array of them, all or nothing, durably before returning the count.
    pub async fn ingest(&self, tenant: &Tenant, body: Value) -> Result<usize> {
        let values = match body {
            Value::Array(values) => values,
            single => vec![single],
        };
        if values.len() > MAX_EVENTS_PER_REQUEST {
            return Err(Error::InvalidRequest(format!(
                "a request carries at most {MAX_EVENTS_PER_REQUEST} events, got {}",
                values.len()
            )));
        }
        let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let events = values
            .into_iter()
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
    use serde_json::json;

    fn tenant() -> Tenant {
        Tenant("acme".into())
    }

    #[test]
    fn completes_missing_fields_and_keeps_unknown_ones() {
        let event = complete(0, json!({"type": "cis", "activity": "user_login_succeeded", "extra": [1]}), &tenant(), "NOW")
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
        let event = complete(0, json!({"type": "cis", "activity": "a", "timestamp": "2026-11-01T03:20:23+02:00"}), &tenant(), "NOW")
            .unwrap();
        assert!(event.body.contains(r#""timestamp":"2026-11-01T01:20:23.000Z""#), "{}", event.body);
    }

    #[test]
    fn the_callers_tenant_always_wins() {
        let event = complete(0, json!({"type": "risk", "activity": "a", "tenant_id": "other"}), &tenant(), "NOW").unwrap();
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
            let message = complete(3, value.clone(), &tenant(), "NOW").unwrap_err().to_string();
            assert!(message.starts_with(expected), "{value}: {message}");
        }
    }
}
