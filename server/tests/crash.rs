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
