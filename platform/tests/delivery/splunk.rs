//! Splunk HEC delivery, against the protocol-strict receiver in `receivers.rs` (no real Splunk
//! installs here; see that module's comment).

use crate::{wait_until_failing, eventually, ingest_numbered, numbers, receivers::hec_receiver, spawn_delivering_app, stream};
use serde_json::{json, Value};

#[tokio::test]
async fn delivers_hec_events_gzipped_and_waits_for_indexer_acks() {
    let app = spawn_delivering_app().await;
    let receiver = hec_receiver("hec-token-1", true).await;
    let body = json!({"stream_id": "to-splunk", "type": "cis", "batch_size": 100,
        "destination": {"kind": "splunk", "url": receiver.url, "token": "hec-token-1", "index": "security",
                        "sourcetype": "sluice:cis", "ack": true}});
    assert_eq!(app.create_stream(&body).await.status(), 201);
    ingest_numbered(&app, 0, 550, 7).await;

    eventually("every event is delivered and acknowledged", || async {
        stream(&app, "to-splunk").await["status"]["delivered"] == 550
    })
    .await;
    let objects = receiver.received.events();
    let events: Vec<Value> = objects.iter().map(|o| o["event"].clone()).collect();
    assert_eq!(numbers(&events), (0..550).collect::<Vec<_>>());
    assert_eq!(receiver.received.batch_sizes(), [100, 100, 100, 100, 100, 50]);
    for object in &objects {
        assert_eq!(object["index"], "security");
        assert_eq!(object["sourcetype"], "sluice:cis");
        assert_eq!(object["time"].as_f64(), Some(1_795_687_200.0), "the event's own time");
        assert!(object["host"].is_string());
    }
    let headers = receiver.received.headers.lock().unwrap();
    assert!(headers.iter().all(|h| h["content-encoding"] == "gzip" && h.contains_key("x-splunk-request-channel")));
}

#[tokio::test]
async fn a_bad_token_fails_the_stream_until_a_patch_fixes_it() {
    let app = spawn_delivering_app().await;
    let receiver = hec_receiver("right-token", false).await;
    let body = json!({"stream_id": "bad-token", "type": "cis",
        "destination": {"kind": "splunk", "url": receiver.url, "token": "wrong-token"}});
    assert_eq!(app.create_stream(&body).await.status(), 201);
    ingest_numbered(&app, 0, 30, 3).await;

    wait_until_failing(&app, "bad-token", "Invalid token (code 4)").await;
    let status = stream(&app, "bad-token").await["status"].clone();
    assert_eq!((status["lag"].as_u64(), status["delivered"].as_u64()), (Some(30), Some(0)), "position kept");
    assert!(!status.to_string().contains("wrong-token"), "the token never shows: {status}");
    assert!(receiver.received.events().is_empty());

    let patch = json!({"destination": {"kind": "splunk", "url": receiver.url, "token": "right-token"}});
    let patched = app.request(reqwest::Method::PATCH, "/activities/v1/streams/bad-token").json(&patch).send().await.unwrap();
    assert_eq!(patched.status(), 200);
    eventually("delivery resumes", || async { stream(&app, "bad-token").await["status"]["delivered"] == 30 }).await;
    let status = stream(&app, "bad-token").await["status"].clone();
    assert_eq!(status["state"], "active");
    assert!(status["last_error"].is_null());
    let events: Vec<Value> = receiver.received.events().iter().map(|o| o["event"].clone()).collect();
    assert_eq!(numbers(&events), (0..30).collect::<Vec<_>>());
}
