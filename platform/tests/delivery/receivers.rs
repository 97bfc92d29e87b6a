//! HTTP receivers written for these tests: a webhook endpoint that verifies `Sluice-Signature`,
//! and a Splunk HTTP Event Collector.
//!
//! No real Splunk (nor Vector, Fluent Bit or an OpenTelemetry collector with a HEC receiver)
//! installs from the registries this project may use, so the HEC receiver below implements
//! Splunk's documented protocol strictly: `Authorization: Splunk <token>` (codes 2, 3, 4),
//! concatenated JSON event objects, gzip bodies, `event` required and not blank (12, 13), bad
//! JSON (6), no data (5), server busy (9), data channel (10) and indexer acknowledgement on
//! `/services/collector/ack` (14 when off). It checks our sink against the documented protocol,
//! not against Splunk itself.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Json, Router,
};
use flate2::read::GzDecoder;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::{
    io::Read,
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Arc, Mutex,
    },
};
use tokio::net::TcpListener;

/// What a receiver got, and how it misbehaves on purpose.
#[derive(Default)]
pub struct Received {
    /// Accepted batches, each a list of events, in arrival order.
    pub batches: Mutex<Vec<Vec<Value>>>,
    /// Headers of every accepted request.
    pub headers: Mutex<Vec<HeaderMap>>,
    /// Answer this many next requests with 503.
    pub fail_next: AtomicUsize,
    /// Requests answered 503 so far.
    pub refused: AtomicUsize,
    /// Requests whose signature did not verify.
    pub bad_signatures: AtomicUsize,
}

impl Received {
    pub fn events(&self) -> Vec<Value> {
        self.batches.lock().unwrap().iter().flatten().cloned().collect()
    }

    pub fn batch_sizes(&self) -> Vec<usize> {
        self.batches.lock().unwrap().iter().map(Vec::len).collect()
    }

    fn refuse_now(&self) -> bool {
        let refuse = self.fail_next.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
        if refuse {
            self.refused.fetch_add(1, Ordering::SeqCst);
        }
        refuse
    }
}

pub struct Receiver {
    pub url: String,
    pub received: Arc<Received>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(listener: TcpListener, router: Router, received: Arc<Received>) -> Receiver {
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    Receiver { url, received, task }
}

// ---- webhook ----

#[derive(Clone)]
struct WebhookState {
    received: Arc<Received>,
    secret: Option<String>,
}

fn signature_valid(secret: &str, header: Option<&str>, body: &[u8]) -> bool {
    let Some(header) = header else { return false };
    let mut timestamp = None;
    let mut signature = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", t)) => timestamp = Some(t),
            Some(("v1", v)) => signature = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else { return false };
    let fresh = timestamp.parse::<i64>().is_ok_and(|t| (chrono::Utc::now().timestamp() - t).abs() < 300);
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    fresh && mac.verify_slice(&signature).is_ok()
}

async fn webhook(State(state): State<WebhookState>, headers: HeaderMap, body: Bytes) -> Response {
    if state.received.refuse_now() {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    if let Some(secret) = &state.secret {
        let header = headers.get("sluice-signature").and_then(|v| v.to_str().ok());
        if !signature_valid(secret, header, &body) {
            state.received.bad_signatures.fetch_add(1, Ordering::SeqCst);
            return (StatusCode::UNAUTHORIZED, "bad signature").into_response();
        }
    }
    let Ok(Value::Array(events)) = serde_json::from_slice(&body) else {
        return (StatusCode::BAD_REQUEST, "expected a JSON array").into_response();
    };
    state.received.batches.lock().unwrap().push(events);
    state.received.headers.lock().unwrap().push(headers);
    StatusCode::NO_CONTENT.into_response()
}

/// A webhook endpoint on a free port; with a secret it refuses unsigned or missigned batches.
pub async fn webhook_receiver(secret: Option<&str>) -> Receiver {
    webhook_receiver_on(TcpListener::bind("127.0.0.1:0").await.unwrap(), secret).await
}

pub async fn webhook_receiver_on(listener: TcpListener, secret: Option<&str>) -> Receiver {
    let received = Arc::new(Received::default());
    let state = WebhookState { received: received.clone(), secret: secret.map(str::to_owned) };
    serve(listener, Router::new().route("/hook", post(webhook)).with_state(state), received).await
}

// ---- Splunk HEC ----

#[derive(Clone)]
struct HecState {
    received: Arc<Received>,
    token: String,
    ack: bool,
    next_ack: Arc<AtomicU64>,
    /// Ack ids handed out and not yet reported indexed; each is reported on its second query,
    /// so the sink has to poll.
    pending: Arc<Mutex<std::collections::HashMap<u64, u8>>>,
}

fn hec(status: StatusCode, text: &str, code: i64) -> Response {
    (status, Json(json!({"text": text, "code": code}))).into_response()
}

fn check_token(state: &HecState, headers: &HeaderMap) -> Result<(), Response> {
    let Some(value) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return Err(hec(StatusCode::UNAUTHORIZED, "Token is required", 2));
    };
    let Some(token) = value.strip_prefix("Splunk ") else {
        return Err(hec(StatusCode::UNAUTHORIZED, "Invalid authorization", 3));
    };
    if token != state.token {
        return Err(hec(StatusCode::FORBIDDEN, "Invalid token", 4));
    }
    Ok(())
}

fn channel(state: &HecState, headers: &HeaderMap) -> Result<(), Response> {
    match headers.get("x-splunk-request-channel").and_then(|v| v.to_str().ok()) {
        None if state.ack => Err(hec(StatusCode::BAD_REQUEST, "Data channel is missing", 10)),
        Some(channel) if uuid::Uuid::parse_str(channel).is_err() => {
            Err(hec(StatusCode::BAD_REQUEST, "Invalid data channel", 11))
        }
        _ => Ok(()),
    }
}

async fn hec_event(State(state): State<HecState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(refusal) = check_token(&state, &headers).and_then(|_| channel(&state, &headers)) {
        return refusal;
    }
    if state.received.refuse_now() {
        return hec(StatusCode::SERVICE_UNAVAILABLE, "Server is busy", 9);
    }
    let gzipped = headers.get("content-encoding").is_some_and(|v| v == "gzip");
    let mut text = String::new();
    let read = if gzipped { GzDecoder::new(&body[..]).read_to_string(&mut text).is_ok() } else {
        text = String::from_utf8_lossy(&body).into_owned();
        true
    };
    if !read {
        return hec(StatusCode::BAD_REQUEST, "Invalid data format", 6);
    }
    if text.trim().is_empty() {
        return hec(StatusCode::BAD_REQUEST, "No data", 5);
    }
    let mut events = Vec::new();
    for (i, object) in serde_json::Deserializer::from_str(&text).into_iter::<Value>().enumerate() {
        let invalid = |text: &str, code: i64| {
            (StatusCode::BAD_REQUEST, Json(json!({"text": text, "code": code, "invalid-event-number": i}))).into_response()
        };
        let Ok(Value::Object(object)) = object else { return invalid("Invalid data format", 6) };
        match object.get("event") {
            None => return invalid("Event field is required", 12),
            Some(Value::Null) => return invalid("Event field cannot be blank", 13),
            Some(Value::String(s)) if s.is_empty() => return invalid("Event field cannot be blank", 13),
            Some(_) => {}
        }
        if object.get("time").is_some_and(|t| !t.is_number()) {
            return invalid("Invalid data format", 6);
        }
        events.push(Value::Object(object));
    }
    state.received.batches.lock().unwrap().push(events);
    state.received.headers.lock().unwrap().push(headers);
    if state.ack {
        let id = state.next_ack.fetch_add(1, Ordering::SeqCst);
        state.pending.lock().unwrap().insert(id, 0);
        return (StatusCode::OK, Json(json!({"text": "Success", "code": 0, "ackId": id}))).into_response();
    }
    hec(StatusCode::OK, "Success", 0)
}

async fn hec_ack(State(state): State<HecState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(refusal) = check_token(&state, &headers) {
        return refusal;
    }
    if !state.ack {
        return hec(StatusCode::BAD_REQUEST, "ACK is disabled", 14);
    }
    if let Err(refusal) = channel(&state, &headers) {
        return refusal;
    }
    let Ok(query) = serde_json::from_slice::<Value>(&body) else {
        return hec(StatusCode::BAD_REQUEST, "Invalid data format", 6);
    };
    let Some(ids) = query["acks"].as_array() else { return hec(StatusCode::BAD_REQUEST, "Invalid data format", 6) };
    let mut pending = state.pending.lock().unwrap();
    let mut acks = serde_json::Map::new();
    for id in ids.iter().filter_map(Value::as_u64) {
        let indexed = match pending.get_mut(&id) {
            Some(polls) if *polls >= 1 => {
                pending.remove(&id);
                true
            }
            Some(polls) => {
                *polls += 1;
                false
            }
            None => false,
        };
        acks.insert(id.to_string(), Value::Bool(indexed));
    }
    (StatusCode::OK, Json(json!({"acks": acks}))).into_response()
}

/// A HEC endpoint on a free port accepting `token`, with indexer acknowledgement when `ack`.
pub async fn hec_receiver(token: &str, ack: bool) -> Receiver {
    let received = Arc::new(Received::default());
    let state = HecState {
        received: received.clone(),
        token: token.to_owned(),
        ack,
        next_ack: Arc::new(AtomicU64::new(0)),
        pending: Default::default(),
    };
    let router = Router::new()
        .route("/services/collector/event", post(hec_event))
        .route("/services/collector/ack", post(hec_ack))
        .with_state(state);
    serve(TcpListener::bind("127.0.0.1:0").await.unwrap(), router, received).await
}
