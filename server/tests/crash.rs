//! Kill -9 tests: the real `sluice` binary is killed mid-ingest, mid-collect and mid-delivery,
//! restarted on the same data, and nothing acknowledged is lost. Each runs on SQLite and on
//! PostgreSQL.

mod support;

use reqwest::Client;
use serde_json::json;
use std::{
    collections::BTreeSet,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};
use support::{
    assert_delivered_once_but_the_batch_in_flight, batch, create_stream, numbers, postgres::PostgresServer,
    slow_webhook, start, wait_for_all,
};

const BATCH: usize = 100;

async fn ingest_and_collect_survive_kill_9(db: &[&str]) {
    let data = tempfile::tempdir().unwrap();
    let client = Client::new();

    // Ingest batches in a loop and kill -9 the server while requests are in flight.
    let sluice = start(data.path(), db).await;
    for stream in ["auto", "cursor"] {
        create_stream(&sluice, json!({"stream_id": stream, "type": "cis"})).await;
    }
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let ingester = {
        let (client, url, token, acknowledged) = (client.clone(), sluice.url.clone(), sluice.token.clone(), acknowledged.clone());
        tokio::spawn(async move {
            for first in (0..).step_by(BATCH) {
                let sent = client.post(format!("{url}/activities/v1/events")).bearer_auth(&token).json(&batch(first, BATCH)).send().await;
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
    let sluice = start(data.path(), db).await;
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
            sluice = Some(start(data.path(), db).await);
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

async fn push_delivery_survives_kill_9(db: &[&str]) {
    let data = tempfile::tempdir().unwrap();
    let client = Client::new();
    let (hook, received) = slow_webhook().await;
    let sluice = start(data.path(), db).await;
    create_stream(&sluice, json!({"stream_id": "push", "type": "cis", "batch_size": BATCH,
                                  "destination": {"kind": "webhook", "url": hook}}))
    .await;
    const TOTAL: usize = 40 * BATCH;
    for first in (0..TOTAL).step_by(BATCH) {
        let sent = client.post(format!("{}/activities/v1/events", sluice.url)).bearer_auth(&sluice.token).json(&batch(first, BATCH)).send().await;
        assert_eq!(sent.unwrap().status(), 202);
    }

    while received.lock().unwrap().len() < TOTAL / 3 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    sluice.kill9().await;
    assert!(received.lock().unwrap().len() < TOTAL, "the kill came after delivery finished");

    let sluice = start(data.path(), db).await;
    wait_for_all(&received, TOTAL).await;
    assert_delivered_once_but_the_batch_in_flight(&received.lock().unwrap(), TOTAL, BATCH);
    sluice.kill9().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_loses_nothing_acknowledged_when_killed_mid_ingest_or_mid_collect() {
    ingest_and_collect_survive_kill_9(&[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_loses_nothing_acknowledged_when_killed_mid_ingest_or_mid_collect() {
    let server = PostgresServer::start();
    let url = server.database().await;
    ingest_and_collect_survive_kill_9(&["--database-url", &url]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_push_delivery_resumes_after_kill_9_repeating_only_the_batch_in_flight() {
    push_delivery_survives_kill_9(&[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_push_delivery_resumes_after_kill_9_repeating_only_the_batch_in_flight() {
    let server = PostgresServer::start();
    let url = server.database().await;
    // The restarted process is a new replica: it takes the dead one's lease once it expires.
    push_delivery_survives_kill_9(&["--database-url", &url, "--delivery-lease-secs", "2"]).await;
}
