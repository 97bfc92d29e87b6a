//! Kill -9 tests: the real `sluice` binary is killed mid-ingest and mid-collect, restarted on
//! the same data, and nothing acknowledged is lost.

mod support;

use reqwest::Client;
use serde_json::{json, Value};
use std::{
    collections::BTreeSet,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};
use support::start;

const BATCH: usize = 100;

fn batch(first: usize) -> Value {
    Value::Array(
        (first..first + BATCH)
            .map(|n| json!({"type": "cis", "activity": "user_login_succeeded", "n": n, "user_id": format!("u{n}")}))
            .collect(),
    )
}

fn numbers(events: &[Value]) -> Vec<usize> {
    events.iter().map(|e| e["n"].as_u64().unwrap() as usize).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_acknowledged_is_lost_when_killed_mid_ingest_or_mid_collect() {
    let data = tempfile::tempdir().unwrap();
    let client = Client::new();

    // Ingest batches in a loop and kill -9 the server while requests are in flight.
    let sluice = start(data.path(), &[]).await;
    for stream in ["auto", "cursor"] {
        let created = client
            .post(format!("{}/activities/v1/streams", sluice.url))
            .bearer_auth(&sluice.token)
            .json(&json!({"stream_id": stream, "type": "cis"}))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
    }
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let ingester = {
        let (client, url, token, acknowledged) = (client.clone(), sluice.url.clone(), sluice.token.clone(), acknowledged.clone());
        tokio::spawn(async move {
            for first in (0..).step_by(BATCH) {
                let sent = client.post(format!("{url}/activities/v1/events")).bearer_auth(&token).json(&batch(first)).send().await;
                match sent {
                    Ok(response) if response.status() == 202 => acknowledged.store(first + BATCH, Ordering::SeqCst),
                    _ => return,
                }
            }
        })
    };
    while acknowledged.load(Ordering::SeqCst) < 30 * BATCH {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    sluice.kill9().await;
    ingester.await.unwrap();
    let acked = acknowledged.load(Ordering::SeqCst);

    // After a restart every acknowledged event is there; an interrupted request is all or nothing.
    let sluice = start(data.path(), &[]).await;
    let mut collected = Vec::new();
    loop {
        let (events, _) = sluice.collect(&client, "type=cis&stream_id=auto&batch_size=1000".into()).await.unwrap().unwrap();
        if events.is_empty() {
            break;
        }
        collected.extend(numbers(&events));
    }
    assert!(collected.len() >= acked, "lost events: {} collected, {acked} acknowledged", collected.len());
    assert_eq!(collected, (0..collected.len()).collect::<Vec<_>>(), "out of order, duplicated or partial");
    assert_eq!(collected.len() % BATCH, 0, "a request was stored in part");
    let stored = collected.len();

    // Collect in cursor mode and kill -9 the server mid-way, then go on with the last cursor.
    let mut cursor = String::new();
    let mut received = Vec::new();
    let mut sluice = Some(sluice);
    let mut calls = 0;
    loop {
        let server = sluice.as_ref().unwrap();
        calls += 1;
        let collector = server.collect(&client, format!("type=cis&stream_id=cursor&batch_size=250&cursor={cursor}"));
        let outcome = if calls == 5 {
            // Kill while this call is in flight; its answer, if any arrived, is still used.
            tokio::time::sleep(Duration::from_micros(500)).await;
            sluice.take().unwrap().kill9().await;
            sluice = Some(start(data.path(), &[]).await);
            collector.await.unwrap().ok()
        } else {
            Some(collector.await.unwrap().unwrap())
        };
        let Some((events, next)) = outcome else { continue };
        if events.is_empty() {
            break;
        }
        received.extend(numbers(&events));
        cursor = next;
    }
    let unique: BTreeSet<usize> = received.iter().copied().collect();
    assert_eq!(unique, (0..stored).collect::<BTreeSet<_>>(), "cursor mode skipped events");
    sluice.unwrap().kill9().await;
}

/// A webhook endpoint that records the `n` of every event it accepts, and answers after a pause
/// so that a batch is in flight most of the time.
async fn slow_webhook() -> (String, Arc<std::sync::Mutex<Vec<usize>>>) {
    let received = Arc::new(std::sync::Mutex::new(Vec::new()));
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_delivery_resumes_after_kill_9_and_repeats_only_the_batch_in_flight() {
    let data = tempfile::tempdir().unwrap();
    let client = Client::new();
    let (hook, received) = slow_webhook().await;
    let sluice = start(data.path(), &[]).await;
    let created = client
        .post(format!("{}/activities/v1/streams", sluice.url))
        .bearer_auth(&sluice.token)
        .json(&json!({"stream_id": "push", "type": "cis", "batch_size": BATCH,
                      "destination": {"kind": "webhook", "url": hook}}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    const TOTAL: usize = 40 * BATCH;
    for first in (0..TOTAL).step_by(BATCH) {
        let sent = client.post(format!("{}/activities/v1/events", sluice.url)).bearer_auth(&sluice.token).json(&batch(first)).send().await;
        assert_eq!(sent.unwrap().status(), 202);
    }

    while received.lock().unwrap().len() < TOTAL / 3 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    sluice.kill9().await;
    let before_restart = received.lock().unwrap().len();
    assert!(before_restart < TOTAL, "the kill came after delivery finished");

    let sluice = start(data.path(), &[]).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while received.lock().unwrap().iter().collect::<BTreeSet<_>>().len() < TOTAL {
        assert!(tokio::time::Instant::now() < deadline, "delivery did not resume");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let received = received.lock().unwrap().clone();
    let mut seen = BTreeSet::new();
    let repeated: Vec<usize> = received.iter().copied().filter(|n| !seen.insert(*n)).collect();
    assert_eq!(seen, (0..TOTAL).collect::<BTreeSet<_>>(), "every event delivered");
    assert!(repeated.len() <= BATCH, "only the batch in flight may repeat, got {} repeats", repeated.len());
    if let (Some(first), Some(last)) = (repeated.first(), repeated.last()) {
        assert_eq!(repeated, (*first..=*last).collect::<Vec<_>>(), "the repeats are one contiguous batch");
    }
    // In order on both sides of the restart: the only step back is where delivery resumed.
    let jumps = received.windows(2).filter(|pair| pair[1] != pair[0] + 1).count();
    assert!(jumps <= 1, "{jumps} breaks in the order of arrival");
    sluice.kill9().await;
}
