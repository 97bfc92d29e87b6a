//! Ingest and collect throughput of the platform over real HTTP on loopback, against the
//! ceiling of any JSON collect path: serde_json writing the same events into one buffer.
//!
//! `cargo bench -p platform --features service --bench throughput [-- EVENTS]`

use platform::{demo::DemoGenerator, model::EventType, Platform, PlatformConfig};
use reqwest::Client;
use serde_json::{json, Value};
use std::time::Instant;

#[path = "../tests/support/token.rs"]
mod token;

use token::token;

const BATCH: usize = 1000;

async fn drain(client: &Client, url: &str, token: &str, stream: &str, cursor_mode: bool) -> usize {
    let mut total = 0;
    let mut cursor = String::new();
    loop {
        let mut query = format!("type=cis&stream_id={stream}&batch_size={BATCH}");
        if cursor_mode {
            query.push_str(&format!("&cursor={cursor}"));
        }
        let response = client
            .post(format!("{url}/activities/v1/activities/collect?{query}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        cursor = response.headers()["sluice-cursor"].to_str().unwrap().to_owned();
        let body = response.bytes().await.unwrap();
        // Count without a full parse: the client side should not dominate the measurement.
        let events = serde_json::from_slice::<Vec<&serde_json::value::RawValue>>(&body).unwrap().len();
        if events == 0 {
            return total;
        }
        total += events;
    }
}

#[tokio::main]
async fn main() {
    let total: usize = std::env::args().filter_map(|a| a.parse().ok()).next().unwrap_or(200_000);
    let data = tempfile::tempdir().unwrap();
    let database_url = format!("sqlite://{}", data.path().join("bench.db").display());
    let platform = Platform::open(PlatformConfig::new(database_url, "http://bench")).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = platform::api::router(platform.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });

    let credentials = platform.create_app("bench").await.unwrap();
    let client = Client::new();
    let token = token(&url, &credentials.client_id, &credentials.client_secret).await;

    let mut generator = DemoGenerator::new(7);
    let tenant = platform::Tenant("bench".into());
    platform.import_directory(&tenant, &generator.directory()).await.unwrap();
    for (stream, enrichment) in [("plain", false), ("cursor", false), ("rich", true)] {
        let body = json!({"stream_id": stream, "type": "cis", "enrichment": enrichment});
        client.post(format!("{url}/activities/v1/streams")).bearer_auth(&token).json(&body).send().await.unwrap();
    }
    let now = chrono::Utc::now();
    let events: Vec<Value> = (0..total).map(|_| Value::Object(generator.event(EventType::Cis, now))).collect();
    let bodies: Vec<Vec<u8>> = events.chunks(BATCH).map(|chunk| serde_json::to_vec(chunk).unwrap()).collect();
    let bytes: usize = bodies.iter().map(Vec::len).sum();

    let started = Instant::now();
    for body in bodies {
        let response = client
            .post(format!("{url}/activities/v1/events"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202);
    }
    let ingest = total as f64 / started.elapsed().as_secs_f64();

    let mut rates = Vec::new();
    for (stream, cursor_mode) in [("plain", false), ("cursor", true), ("rich", false)] {
        let started = Instant::now();
        assert_eq!(drain(&client, &url, &token, stream, cursor_mode).await, total);
        rates.push(total as f64 / started.elapsed().as_secs_f64());
    }

    let started = Instant::now();
    let mut buffer = Vec::with_capacity(bytes + total);
    for chunk in events.chunks(BATCH) {
        buffer.clear();
        serde_json::to_writer(&mut buffer, chunk).unwrap();
    }
    let limit = total as f64 / started.elapsed().as_secs_f64();

    println!("{total} cis events, {} bytes of JSON each on average, batches of {BATCH}", bytes / total);
    println!("{:<34} {:>12} {:>10}", "", "events/s", "× limit");
    for (name, rate) in [
        ("ingest (arrays of 1000)", ingest),
        ("collect, auto-commit", rates[0]),
        ("collect, cursor mode", rates[1]),
        ("collect, enriched", rates[2]),
        ("serde_json serialisation limit", limit),
    ] {
        println!("{name:<34} {rate:>12.0} {:>10.3}", rate / limit);
    }
    println!("enriched / plain collect: {:.3}", rates[2] / rates[0]);
}
