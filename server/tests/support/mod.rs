//! Runs the real `sluice` binary for tests: started on a free port, killed when dropped.
// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

#[path = "../../../platform/tests/support/postgres.rs"]
pub mod postgres;
#[path = "../../../platform/tests/support/token.rs"]
mod token;

pub use token::token;

use reqwest::Client;
use serde_json::{json, Value};
use std::{
    path::Path,
    process::Stdio,
    sync::{Arc, Mutex},
    time::Duration,
};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

const CLIENT_ID: &str = "test-app";
const CLIENT_SECRET: &str = "test-app-secret";

pub struct Sluice {
    child: Child,
    pub url: String,
    pub token: String,
}

/// Starts `sluice` with `args` on a free loopback port over `data_dir`, and gets a token.
pub async fn start(data_dir: &Path, args: &[&str]) -> Sluice {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .env("SLUICE_LISTEN", "127.0.0.1:0")
        .env("SLUICE_DATA_DIR", data_dir)
        .env("SLUICE_BOOTSTRAP_CLIENT_ID", CLIENT_ID)
        .env("SLUICE_BOOTSTRAP_CLIENT_SECRET", CLIENT_SECRET)
        .env("RUST_LOG", "warn")
        .args(args)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start sluice");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("sluice prints its address")
            .unwrap()
            .expect("sluice exited before listening");
        if let Some(url) = line.strip_prefix("sluice listening on ") {
            break url.to_owned();
        }
    };
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let token = token(&url, CLIENT_ID, CLIENT_SECRET).await;
    Sluice { child, url, token }
}

/// A GET of the API's JSON, as `token`'s tenant.
pub async fn get_json(url: &str, path: &str, token: &str) -> Value {
    Client::new().get(format!("{url}{path}")).bearer_auth(token).send().await.unwrap().json().await.unwrap()
}

impl Sluice {
    pub async fn kill9(mut self) {
        self.child.kill().await.unwrap(); // SIGKILL: no shutdown, no flush
    }

    /// A collect call that runs on its own, so the server can be killed while it is in flight.
    pub fn collect(&self, client: &Client, query: String) -> tokio::task::JoinHandle<reqwest::Result<(Vec<Value>, String)>> {
        let request = client
            .post(format!("{}/activities/v1/activities/collect?{query}", self.url))
            .bearer_auth(&self.token);
        tokio::spawn(async move {
            let response = request.send().await?.error_for_status()?;
            let cursor = response.headers()["sluice-cursor"].to_str().unwrap().to_owned();
            Ok((response.json().await?, cursor))
        })
    }
}


/// `count` cis events numbered from `first`, one user each.
pub fn batch(first: usize, count: usize) -> Value {
    Value::Array(
        (first..first + count)
            .map(|n| json!({"type": "cis", "activity": "user_login_succeeded", "n": n, "user_id": format!("u{n}")}))
            .collect(),
    )
}

/// The `n` of each event, in order.
pub fn numbers(events: &[Value]) -> Vec<usize> {
    events.iter().map(|e| e["n"].as_u64().unwrap() as usize).collect()
}

/// A webhook endpoint that records the `n` of every event it accepts, and answers after a pause
/// so that a batch is in flight most of the time.
pub async fn slow_webhook() -> (String, Arc<Mutex<Vec<usize>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let record = received.clone();
    let router = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |axum::Json(events): axum::Json<Vec<Value>>| {
            let record = record.clone();
            async move {
                record.lock().unwrap().extend(numbers(&events));
                tokio::time::sleep(Duration::from_millis(30)).await;
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, received)
}

/// Creates a stream through the API, asserting 201.
pub async fn create_stream(sluice: &Sluice, body: Value) {
    let created = Client::new()
        .post(format!("{}/activities/v1/streams", sluice.url))
        .bearer_auth(&sluice.token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
}

/// Checks what a destination received after a crash: every event of `0..total`, in order on
/// each side of the restart, and repeats only from the one batch that was in flight.
pub fn assert_delivered_once_but_the_batch_in_flight(received: &[usize], total: usize, batch: usize) {
    let mut seen = std::collections::BTreeSet::new();
    let repeated: Vec<usize> = received.iter().copied().filter(|n| !seen.insert(*n)).collect();
    assert_eq!(seen, (0..total).collect(), "every event delivered");
    assert!(repeated.len() <= batch, "only the batch in flight may repeat, got {} repeats", repeated.len());
    if let (Some(first), Some(last)) = (repeated.first(), repeated.last()) {
        assert_eq!(repeated, (*first..=*last).collect::<Vec<_>>(), "the repeats are one contiguous batch");
    }
    // The only step back in the order of arrival is where delivery resumed.
    let jumps = received.windows(2).filter(|pair| pair[1] != pair[0] + 1).count();
    assert!(jumps <= 1, "{jumps} breaks in the order of arrival");
}

/// Waits until `received` holds every event of `0..total`.
pub async fn wait_for_all(received: &Mutex<Vec<usize>>, total: usize) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    while received.lock().unwrap().iter().collect::<std::collections::BTreeSet<_>>().len() < total {
        assert!(tokio::time::Instant::now() < deadline, "delivery did not finish");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
