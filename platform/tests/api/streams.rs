use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn a_custom_stream_round_trips_with_its_collect_url_and_status() {
    let app = spawn_app().await;
    let created = app
        .create_stream(&json!({"stream_id": "risk-feed", "name": "Risk to SIEM", "type": "risk", "batch_size": 50}))
        .await;
    assert_eq!(created.status(), 201);
    let stream: Value = created.json().await.unwrap();
    assert_eq!(stream["stream_id"], "risk-feed");
    assert_eq!(stream["name"], "Risk to SIEM");
    assert_eq!(stream["destination"], json!({"kind": "custom"}));
    assert_eq!(stream["enrichment"], false);
    assert_eq!(
        stream["collect_url"],
        "https://sluice.example.com/activities/v1/activities/collect?type=risk&stream_id=risk-feed&batch_size=50"
    );
    assert_eq!(stream["status"]["state"], "active");
    assert_eq!(stream["status"]["lag"], 0);

    app.ingest(&events("risk", 0..7)).await;
    app.ingest(&events("cis", 0..3)).await;
    let read: Value = app.request(Method::GET, "/activities/v1/streams/risk-feed").send().await.unwrap().json().await.unwrap();
    assert_eq!(read["status"]["lag"], 7);

    app.collect_events("type=risk&stream_id=risk-feed&batch_size=5").await;
    let listed: Value = app.request(Method::GET, "/activities/v1/streams").send().await.unwrap().json().await.unwrap();
    assert_eq!(listed["streams"][0]["status"]["lag"], 2);
    assert_eq!(listed["streams"][0]["status"]["delivered"], 5);
    assert!(listed["streams"][0]["status"]["last_delivery_at"].is_string());
}

#[tokio::test]
async fn every_destination_kind_is_stored_and_its_secrets_never_shown() {
    let app = spawn_app().await;
    let destinations = [
        json!({"kind": "splunk", "url": "https://hec.example.com:8088", "token": "SECRET-1", "index": "main", "ack": true}),
        json!({"kind": "kafka", "bootstrap_servers": ["127.0.0.1:9092"], "topic": "events",
               "sasl": {"mechanism": "PLAIN", "username": "u", "password": "SECRET-2"}, "tls": false}),
        json!({"kind": "gcs", "bucket": "events-bucket", "prefix": "sluice", "credentials_json": "SECRET-3"}),
        json!({"kind": "s3", "bucket": "events-bucket", "region": "eu-west-1", "access_key_id": "AKIA",
               "secret_access_key": "SECRET-4"}),
        json!({"kind": "webhook", "url": "https://hook.example.com/in", "headers": {"X-Api-Key": "SECRET-5"},
               "secret": "SECRET-6"}),
    ];
    for (i, destination) in destinations.iter().enumerate() {
        let response = app.create_stream(&json!({"stream_id": format!("push-{i}"), "type": "cis", "destination": destination})).await;
        assert_eq!(response.status(), 201, "{destination}");
        let text = response.text().await.unwrap();
        assert!(!text.contains("SECRET"), "{text}");
        let stream: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(stream["destination"]["kind"], destination["kind"]);
        assert!(stream.get("collect_url").is_none(), "push streams are not collected");
    }
    let listed = app.request(Method::GET, "/activities/v1/streams").send().await.unwrap().text().await.unwrap();
    assert!(!listed.contains("SECRET") && listed.contains("••••"), "{listed}");
    let stored = app.platform.store().get_stream("acme", &"push-0".parse().unwrap()).await.unwrap().unwrap();
    assert!(serde_json::to_string(&stored.destination).unwrap().contains("SECRET-1"));

    let collect = app.collect("type=cis&stream_id=push-0").await;
    assert_error(collect, 409, "not_a_custom_stream").await;
}

#[tokio::test]
async fn bad_stream_definitions_get_the_right_codes() {
    let app = spawn_app().await;
    for batch_size in [json!(0), json!(1001), json!(-1), json!("abc"), json!(2.5)] {
        let response = app.create_stream(&json!({"type": "cis", "batch_size": batch_size})).await;
        assert_error(response, 400, "invalid_batch_size").await;
    }
    assert_error(app.create_stream(&json!({"type": "audit"})).await, 400, "unknown_event_type").await;
    assert_error(app.create_stream(&json!({"stream_id": "bad id!", "type": "cis"})).await, 400, "invalid_request").await;
    assert_error(app.create_stream(&json!({"stream_id": "x".repeat(65), "type": "cis"})).await, 400, "invalid_request").await;
    assert_error(app.create_stream(&json!({"batch_size": 10})).await, 400, "invalid_request").await;
    assert_error(app.create_stream(&json!({"type": "cis", "colour": "red"})).await, 400, "invalid_request").await;
    let bad_url = json!({"type": "cis", "destination": {"kind": "webhook", "url": "ftp://x"}});
    let message = assert_error(app.create_stream(&bad_url).await, 400, "invalid_request").await;
    assert!(message.contains("destination.url"), "{message}");

    assert_eq!(app.create_stream(&json!({"stream_id": "dup", "type": "cis"})).await.status(), 201);
    assert_error(app.create_stream(&json!({"stream_id": "dup", "type": "risk"})).await, 409, "stream_exists").await;

    let generated: Value = app.create_stream(&json!({"type": "admin"})).await.json().await.unwrap();
    assert!(generated["stream_id"].as_str().unwrap().starts_with("stream-"));
    assert_eq!(generated["batch_size"], 100);
}

#[tokio::test]
async fn patch_changes_settings_and_keeps_redacted_secrets() {
    let app = spawn_app().await;
    let destination = json!({"kind": "splunk", "url": "https://hec.example.com", "token": "hec-token"});
    app.create_stream(&json!({"stream_id": "to-splunk", "type": "cis", "destination": destination})).await;

    let patch = json!({"name": "Renamed", "batch_size": 500, "enrichment": true,
                       "destination": {"kind": "splunk", "url": "https://hec.example.com", "token": "••••", "index": "audit"}});
    let response = app.request(Method::PATCH, "/activities/v1/streams/to-splunk").json(&patch).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let stream: Value = response.json().await.unwrap();
    assert_eq!((stream["name"].as_str(), stream["batch_size"].as_u64(), stream["enrichment"].as_bool()), (Some("Renamed"), Some(500), Some(true)));
    assert_eq!(stream["destination"]["index"], "audit");
    let stored = app.platform.store().get_stream("acme", &"to-splunk".parse().unwrap()).await.unwrap().unwrap();
    assert!(serde_json::to_string(&stored.destination).unwrap().contains("hec-token"));

    // Pointed at another host, the stored token does not follow: it must be sent again.
    let moved = json!({"destination": {"kind": "splunk", "url": "https://elsewhere.example.com", "token": "••••"}});
    let refused = app.request(Method::PATCH, "/activities/v1/streams/to-splunk").json(&moved).send().await.unwrap();
    let message = assert_error(refused, 400, "invalid_request").await;
    assert!(message.contains("destination.token"), "{message}");

    let bad = app.request(Method::PATCH, "/activities/v1/streams/to-splunk").json(&json!({"batch_size": 0})).send().await.unwrap();
    assert_error(bad, 400, "invalid_batch_size").await;
    let missing = app.request(Method::PATCH, "/activities/v1/streams/nope").json(&json!({"batch_size": 5})).send().await.unwrap();
    assert_error(missing, 404, "stream_not_found").await;
}

#[tokio::test]
async fn delete_removes_the_stream() {
    let app = spawn_app().await;
    app.create_stream(&json!({"stream_id": "gone", "type": "cis"})).await;
    let deleted = app.request(Method::DELETE, "/activities/v1/streams/gone").send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    let again = app.request(Method::DELETE, "/activities/v1/streams/gone").send().await.unwrap();
    assert_error(again, 404, "stream_not_found").await;
    let bad = app.request(Method::GET, "/activities/v1/streams/bad%20id").send().await.unwrap();
    assert_error(bad, 400, "invalid_request").await;
}
