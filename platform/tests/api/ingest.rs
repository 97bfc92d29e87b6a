use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn one_event_or_an_array_is_accepted_and_completed() {
    let app = spawn_app().await;
    app.create_stream(&json!({"stream_id": "s", "type": "verify"})).await;

    let single = app.ingest(&json!({"type": "verify", "activity": "document_verification_completed", "event_id": "e-1"})).await;
    assert_eq!(single.status(), 202);
    assert_eq!(single.json::<Value>().await.unwrap(), json!({"accepted": 1}));
    let array = app.ingest(&events("verify", 0..5)).await;
    assert_eq!(array.json::<Value>().await.unwrap(), json!({"accepted": 5}));

    let collected = app.collect_events("type=verify&stream_id=s&batch_size=10").await;
    assert_eq!(collected.len(), 6);
    assert_eq!(collected[0]["event_id"], "e-1");
    for event in &collected {
        assert_eq!(event["tenant_id"], "acme");
        assert!(event["event_id"].is_string());
        assert!(event["timestamp"].as_str().unwrap().ends_with('Z'));
    }
}

#[tokio::test]
async fn a_bad_event_names_its_index_and_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    app.create_stream(&json!({"stream_id": "s", "type": "cis"})).await;
    let mut batch = events("cis", 0..4);
    batch[2]["type"] = json!("audit");

    let message = assert_error(app.ingest(&batch).await, 400, "unknown_event_type").await;
    assert!(message.contains("event 2") && message.contains("\"type\""), "{message}");
    let mut missing_activity = events("cis", 0..2);
    missing_activity[1].as_object_mut().unwrap().remove("activity");
    let message = assert_error(app.ingest(&missing_activity).await, 400, "invalid_event").await;
    assert!(message.contains("event 1") && message.contains("\"activity\""), "{message}");

    assert_eq!(app.collect_events("type=cis&stream_id=s").await, Vec::<Value>::new());
}

#[tokio::test]
async fn malformed_bodies_get_clear_errors() {
    let app = spawn_app().await;
    let post = || app.request(Method::POST, "/activities/v1/events");

    let malformed = post().header("content-type", "application/json").body("{\"type\": ").send().await.unwrap();
    assert_error(malformed, 400, "invalid_request").await;

    let text = post().header("content-type", "text/plain").body("{}").send().await.unwrap();
    assert_error(text, 415, "unsupported_media_type").await;

    let no_type = post().body("{}").send().await.unwrap();
    assert_error(no_type, 415, "unsupported_media_type").await;

    let too_many = app.ingest(&events("cis", 0..10_001)).await;
    assert_error(too_many, 400, "invalid_request").await;
}

#[tokio::test]
async fn bodies_over_the_limit_get_413() {
    let app = spawn_app_with(|mut config| {
        config.body_limit = 4096;
        config
    })
    .await;
    let response = app.ingest(&events("cis", 0..200)).await;
    assert_error(response, 413, "payload_too_large").await;
    assert_eq!(app.ingest(&events("cis", 0..2)).await.status(), 202);
}
