//! Two `sluice` replicas on one PostgreSQL database: collectors on both share a stream exactly,
//! and a push stream moves to the survivor when its replica is killed.

mod support;

use reqwest::Client;
use serde_json::{json, Value};
use std::{
    collections::BTreeSet,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};
use support::{
    assert_delivered_once_but_the_batch_in_flight, batch, create_stream, numbers, postgres::PostgresServer,
    slow_webhook, start, wait_for_all, Sluice,
};

async fn two_replicas(data: &tempfile::TempDir, url: &str, extra: &[&str]) -> (Sluice, Sluice) {
    let mut args = vec!["--database-url", url];
    args.extend_from_slice(extra);
    let a = start(&data.path().join("a"), &args).await;
    let b = start(&data.path().join("b"), &args).await;
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_collectors_on_two_replicas_drain_200_000_events_exactly_once() {
    const TOTAL: usize = 200_000;
    const PER_REQUEST: usize = 1000;
    let server = PostgresServer::start();
    let url = server.database().await;
    let data = tempfile::tempdir().unwrap();
    let (a, b) = two_replicas(&data, &url, &[]).await;
    create_stream(&a, json!({"stream_id": "shared", "type": "cis", "batch_size": 1000})).await;
    let replicas = [(a.url.clone(), a.token.clone()), (b.url.clone(), b.token.clone())];

    // Two ingesters, one per replica, while eight collectors (four per replica) drain.
    let client = Client::new();
    let mut ingesters = Vec::new();
    for (i, (url, token)) in replicas.iter().cloned().enumerate() {
        let client = client.clone();
        ingesters.push(tokio::spawn(async move {
            for first in (i * PER_REQUEST..TOTAL).step_by(2 * PER_REQUEST) {
                let sent = client.post(format!("{url}/activities/v1/events")).bearer_auth(&token).json(&batch(first, PER_REQUEST)).send().await;
                assert_eq!(sent.unwrap().status(), 202);
            }
        }));
    }
    let ingested = Arc::new(AtomicBool::new(false));
    let mut collectors = Vec::new();
    for i in 0..8 {
        let (url, token) = replicas[i % 2].clone();
        let (client, ingested) = (client.clone(), ingested.clone());
        collectors.push(tokio::spawn(async move {
            let mut got = Vec::new();
            loop {
                let done = ingested.load(Ordering::SeqCst);
                let events: Vec<Value> = client
                    .post(format!("{url}/activities/v1/activities/collect?type=cis&stream_id=shared&batch_size=1000"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap()
                    .error_for_status()
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                if events.is_empty() {
                    if done {
                        return got;
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                got.extend(numbers(&events));
            }
        }));
    }
    for ingester in ingesters {
        ingester.await.unwrap();
    }
    ingested.store(true, Ordering::SeqCst);
    let mut all = Vec::new();
    let mut busy = 0;
    for collector in collectors {
        let got = collector.await.unwrap();
        busy += usize::from(!got.is_empty());
        all.extend(got);
    }
    let unique: BTreeSet<usize> = all.iter().copied().collect();
    assert_eq!(unique.len(), all.len(), "{} events went to two collectors", all.len() - unique.len());
    assert_eq!(unique, (0..TOTAL).collect::<BTreeSet<_>>(), "events were skipped");
    assert!(busy > 1, "the work was shared");
    a.kill9().await;
    b.kill9().await;
}

/// This replica's running delivery workers, as its `/metrics` says.
async fn workers(sluice: &Sluice) -> u64 {
    let text = Client::new().get(format!("{}/metrics", sluice.url)).send().await.unwrap().text().await.unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix("sluice_delivery_workers "))
        .map_or(0, |value| value.trim().parse::<f64>().unwrap() as u64)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_replicas_push_stream_is_taken_over_by_the_other() {
    const BATCH: usize = 100;
    const TOTAL: usize = 40 * BATCH;
    let server = PostgresServer::start();
    let url = server.database().await;
    let data = tempfile::tempdir().unwrap();
    let (a, b) = two_replicas(&data, &url, &["--delivery-lease-secs", "2"]).await;
    let (hook, received) = slow_webhook().await;
    create_stream(&a, json!({"stream_id": "push", "type": "cis", "batch_size": BATCH,
                              "destination": {"kind": "webhook", "url": hook}}))
    .await;
    let client = Client::new();
    for first in (0..TOTAL).step_by(BATCH) {
        let sent = client.post(format!("{}/activities/v1/events", b.url)).bearer_auth(&b.token).json(&batch(first, BATCH)).send().await;
        assert_eq!(sent.unwrap().status(), 202);
    }
    while received.lock().unwrap().len() < TOTAL / 4 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let (wa, wb) = (workers(&a).await, workers(&b).await);
    assert_eq!(wa + wb, 1, "exactly one replica delivers the stream ({wa} + {wb})");
    let (holder, survivor) = if wa == 1 { (a, b) } else { (b, a) };
    holder.kill9().await;
    assert!(received.lock().unwrap().len() < TOTAL, "the kill came after delivery finished");

    wait_for_all(&received, TOTAL).await;
    assert_eq!(workers(&survivor).await, 1, "the survivor took the stream over");
    assert_delivered_once_but_the_batch_in_flight(&received.lock().unwrap(), TOTAL, BATCH);
    survivor.kill9().await;
}
