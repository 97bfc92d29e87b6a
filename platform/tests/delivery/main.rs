//! Push delivery against real destinations: each test starts the platform with its delivery
//! supervisor, a destination server on 127.0.0.1, streams that point at it, and checks what the
//! destination received against what was ingested.

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
mod receivers;
mod servers;

mod failures;
mod kafka;
mod object_storage;
mod splunk;
mod webhook;

use helpers::TestApp;
use platform::{delivery::DeliverySupervisor, model::StreamId, PlatformConfig};
use serde_json::Value;
use std::{future::Future, time::Duration};

/// The platform with delivery running, retrying quickly so failure tests stay short.
pub async fn spawn_delivering_app() -> TestApp {
    let app = helpers::spawn_app_with(|config| {
        let mut config: PlatformConfig = config;
        config.delivery.retry_initial = Duration::from_millis(50);
        config.delivery.retry_max = Duration::from_millis(400);
        config.delivery.failing_after = 3;
        config.delivery.failing_retry = Duration::from_millis(500);
        config.delivery.scan_interval = Duration::from_millis(200);
        config.delivery.request_timeout = Duration::from_secs(5);
        config
    })
    .await;
    tokio::spawn(DeliverySupervisor::new(app.platform.clone()).run());
    app
}

/// Polls `check` every 50 ms until it holds, failing the test after 60 s.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The stream as the streams API shows it.
pub async fn stream(app: &TestApp, id: &str) -> Value {
    let response = app.request(reqwest::Method::GET, &format!("/activities/v1/streams/{id}")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Waits until the stream shows `failing` with a `last_error` containing `reason`, and returns
/// its status.
pub async fn wait_until_failing(app: &TestApp, id: &str, reason: &str) -> Value {
    eventually(&format!("{id} shows failing with {reason:?}"), || async {
        let status = &stream(app, id).await["status"];
        status["state"] == "failing" && status["last_error"].as_str().is_some_and(|e| e.contains(reason))
    })
    .await;
    stream(app, id).await["status"].clone()
}

/// Ingests `count` cis events numbered from `from`, spread over `users` users, in requests of 500.
pub async fn ingest_numbered(app: &TestApp, from: usize, count: usize, users: usize) {
    let events: Vec<Value> = (from..from + count)
        .map(|n| {
            serde_json::json!({
                "type": "cis",
                "activity": "user_login_succeeded",
                "n": n,
                "user_id": format!("user-{}", n % users),
                "timestamp": "2026-11-26T10:00:00Z",
            })
        })
        .collect();
    for chunk in events.chunks(500) {
        assert_eq!(app.ingest(&Value::Array(chunk.to_vec())).await.status(), 202);
    }
}

/// The `n` of each event, in order.
pub fn numbers(events: &[Value]) -> Vec<u64> {
    events.iter().map(|e| e["n"].as_u64().expect("numbered event")).collect()
}

pub fn stream_id(id: &str) -> StreamId {
    StreamId::try_from(id.to_owned()).unwrap()
}
