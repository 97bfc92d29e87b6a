//! Concurrent collectors on one stream: every event exactly once across all of them.

use crate::helpers::*;
use serde_json::{json, Value};
use std::collections::HashSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_collectors_drain_100k_events_without_duplicates() {
    const TOTAL: usize = 100_000;
    let app = spawn_app().await;
    app.create_stream(&json!({"stream_id": "shared", "type": "cis"})).await;
    for start in (0..TOTAL).step_by(5_000) {
        assert_eq!(app.ingest(&events("cis", start..start + 5_000)).await.status(), 202);
    }

    let collectors = (0..8).map(|_| {
        let (client, url, token) = (app.client.clone(), app.url.clone(), app.token.clone());
        tokio::spawn(async move {
            let mut seen = Vec::new();
            loop {
                let batch: Vec<Value> = client
                    .post(format!("{url}/activities/v1/activities/collect?type=cis&stream_id=shared&batch_size=1000"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                if batch.is_empty() {
                    return seen;
                }
                seen.extend(batch.iter().map(|e| e["n"].as_u64().unwrap()));
            }
        })
    });
    let mut all = Vec::new();
    for collector in collectors {
        all.extend(collector.await.unwrap());
    }
    let unique: HashSet<u64> = all.iter().copied().collect();
    assert_eq!(all.len(), TOTAL, "duplicates or losses");
    assert_eq!(unique, (0..TOTAL as u64).collect::<HashSet<_>>());
}
