use crate::helpers::*;
use serde_json::{json, Value};

fn numbers(events: &[Value]) -> Vec<u64> {
    events.iter().map(|e| e["n"].as_u64().unwrap()).collect()
}

#[tokio::test]
async fn collect_returns_events_oldest_first_and_advances() {
    let app = spawn_app().await;
    app.ingest(&events("cis", 100..103)).await; // before the stream: not part of it
    app.create_stream(&json!({"stream_id": "s", "type": "cis", "batch_size": 4})).await;
    app.ingest(&events("cis", 0..10)).await;
    app.ingest(&events("risk", 0..5)).await;

    assert_eq!(numbers(&app.collect_events("type=cis&stream_id=s").await), [0, 1, 2, 3]);
    assert_eq!(numbers(&app.collect_events("type=cis&stream_id=s&batch_size=5").await), [4, 5, 6, 7, 8]);
    assert_eq!(numbers(&app.collect_events("type=cis&stream_id=s&batch_size=1000").await), [9]);
    assert_eq!(app.collect_events("type=cis&stream_id=s").await, Vec::<Value>::new());
}

#[tokio::test]
async fn the_response_is_a_bare_json_array_with_a_cursor() {
    let app = spawn_app().await;
    app.create_stream(&json!({"stream_id": "s", "type": "admin"})).await;
    app.ingest(&json!({"type": "admin", "activity": "admin_login", "actor_id": "a1", "nested": {"k": [1, 2]}})).await;
    let response = app.collect("type=admin&stream_id=s&batch_size=10").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(response.headers().contains_key("sluice-cursor"));
    let text = response.text().await.unwrap();
    assert!(text.starts_with("[{") && text.ends_with("}]"), "{text}");
    let events: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(events[0]["nested"], json!({"k": [1, 2]}));
}

#[tokio::test]
async fn bad_collect_parameters_get_the_right_codes() {
    let app = spawn_app().await;
    app.create_stream(&json!({"stream_id": "s", "type": "cis"})).await;
    app.create_stream(&json!({"stream_id": "r", "type": "risk"})).await;
    for batch_size in ["0", "1001", "-1", "abc", ""] {
        let response = app.collect(&format!("type=cis&stream_id=s&batch_size={batch_size}")).await;
        assert_error(response, 400, "invalid_batch_size").await;
    }
    assert_error(app.collect("type=audit&stream_id=s").await, 400, "unknown_event_type").await;
    assert_error(app.collect("stream_id=s").await, 400, "invalid_request").await;
    assert_error(app.collect("type=cis&stream_id=nope").await, 404, "stream_not_found").await;
    assert_error(app.collect("type=cis&stream_id=r").await, 400, "type_mismatch").await;
    assert_error(app.collect("type=cis&stream_id=a%2Fb").await, 400, "invalid_request").await;
    assert_error(app.collect("type=cis&stream_id=s&cursor=xyz").await, 400, "invalid_request").await;
    // No batch_size: the stream's own; a body, if any, is ignored.
    assert_eq!(app.collect("type=cis&stream_id=s").await.status(), 200);
}

#[tokio::test]
async fn cursor_mode_is_at_least_once_and_idempotent() {
    let app = spawn_app().await;
    app.create_stream(&json!({"stream_id": "s", "type": "risk"})).await;
    app.ingest(&events("risk", 0..10)).await;

    let first = app.collect("type=risk&stream_id=s&batch_size=4&cursor=").await;
    let cursor = first.headers()["sluice-cursor"].to_str().unwrap().to_owned();
    assert_eq!(numbers(&first.json::<Vec<Value>>().await.unwrap()), [0, 1, 2, 3]);
    // A collector that crashed before committing gets the same batch again.
    assert_eq!(numbers(&app.collect_events("type=risk&stream_id=s&batch_size=4&cursor=").await), [0, 1, 2, 3]);

    // Passing the cursor commits the first batch and reads the next, uncommitted.
    let second = app.collect(&format!("type=risk&stream_id=s&batch_size=4&cursor={cursor}")).await;
    let next_cursor = second.headers()["sluice-cursor"].to_str().unwrap().to_owned();
    assert_eq!(numbers(&second.json::<Vec<Value>>().await.unwrap()), [4, 5, 6, 7]);
    let repeat = app.collect_events(&format!("type=risk&stream_id=s&batch_size=4&cursor={cursor}")).await;
    assert_eq!(numbers(&repeat), [4, 5, 6, 7]);

    let stream: Value = app.request(reqwest::Method::GET, "/activities/v1/streams/s").send().await.unwrap().json().await.unwrap();
    assert_eq!(stream["status"]["delivered"], 4);
    assert_eq!(stream["status"]["lag"], 6);

    let last = app.collect_events(&format!("type=risk&stream_id=s&batch_size=4&cursor={next_cursor}")).await;
    assert_eq!(numbers(&last), [8, 9]);
    // Auto-commit continues from the committed position.
    assert_eq!(numbers(&app.collect_events("type=risk&stream_id=s&batch_size=100").await), [8, 9]);
}

#[tokio::test]
async fn enrichment_adds_directory_values_and_leaves_unresolved_ids_alone() {
    let app = spawn_app().await;
    app.create_stream(&json!({"stream_id": "plain", "type": "admin"})).await;
    app.create_stream(&json!({"stream_id": "rich", "type": "admin", "enrichment": true})).await;
    let import = json!({
        "users": [{"user_id": "u1", "email": "ann@example.com"}],
        "apps": [{"app_id": "app1", "name": "Web Portal"}],
        "admins": [{"admin_id": "adm1", "email": "root@example.com", "role_groups": ["Security Admins"]}],
    });
    let imported = app.request(reqwest::Method::POST, "/directory/v1/import").json(&import).send().await.unwrap();
    assert_eq!(imported.json::<Value>().await.unwrap(), json!({"imported": 3}));
    app.ingest(&json!([
        {"type": "admin", "activity": "role_assigned", "actor_id": "adm1", "user_id": "u1", "app_id": "app1"},
        {"type": "admin", "activity": "role_assigned", "actor_id": "ghost", "user_id": "nobody", "app_id": "nowhere"},
    ]))
    .await;

    let plain = app.collect_events("type=admin&stream_id=plain").await;
    assert!(plain[0].get("user_email").is_none());
    let rich = app.collect_events("type=admin&stream_id=rich").await;
    assert_eq!(rich[0]["user_email"], "ann@example.com");
    assert_eq!(rich[0]["app_name"], "Web Portal");
    assert_eq!(rich[0]["actor_email"], "root@example.com");
    assert_eq!(rich[0]["actor_role_groups"], json!(["Security Admins"]));
    let mut unresolved = rich[1].clone();
    let mut original = plain[1].clone();
    unresolved.as_object_mut().unwrap().sort_keys();
    original.as_object_mut().unwrap().sort_keys();
    assert_eq!(unresolved, original);

    // A directory write invalidates the cached look-up.
    app.request(reqwest::Method::PUT, "/directory/v1/users/u1").json(&json!({"email": "ann@new.example"})).send().await.unwrap();
    app.ingest(&json!({"type": "admin", "activity": "user_blocked", "user_id": "u1"})).await;
    assert_eq!(app.collect_events("type=admin&stream_id=rich").await[0]["user_email"], "ann@new.example");
}

#[tokio::test]
async fn retention_deletes_old_events_only_once_every_stream_has_them() {
    let app = spawn_app_with(|mut config| {
        config.retention = std::time::Duration::ZERO;
        config
    })
    .await;
    app.create_stream(&json!({"stream_id": "fast", "type": "cis"})).await;
    app.create_stream(&json!({"stream_id": "slow", "type": "cis"})).await;
    app.ingest(&events("cis", 0..10)).await;
    app.collect_events("type=cis&stream_id=fast&batch_size=10").await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    assert_eq!(app.platform.purge_expired().await.unwrap(), 0, "slow has not read any");
    assert_eq!(numbers(&app.collect_events("type=cis&stream_id=slow&batch_size=4").await), [0, 1, 2, 3]);
    assert_eq!(app.platform.purge_expired().await.unwrap(), 4);
    assert_eq!(numbers(&app.collect_events("type=cis&stream_id=slow&batch_size=100").await), [4, 5, 6, 7, 8, 9]);
}

#[tokio::test]
async fn a_cursor_can_neither_skip_unseen_events_nor_replay_events_from_before_the_stream() {
    let app = spawn_app().await;
    app.ingest(&events("cis", 100..105)).await;
    app.create_stream(&json!({"stream_id": "s", "type": "cis"})).await;
    app.ingest(&events("cis", 0..6)).await;

    let forged = app.collect("type=cis&stream_id=s&batch_size=2&cursor=9223372036854775807").await;
    assert_error(forged, 400, "invalid_request").await;
    // Cursor 0 reaches back no further than the stream's creation.
    assert_eq!(numbers(&app.collect_events("type=cis&stream_id=s&batch_size=2&cursor=0").await), [0, 1]);
    let response = app.collect("type=cis&stream_id=s&batch_size=2&cursor=").await;
    let issued: i64 = response.headers()["sluice-cursor"].to_str().unwrap().parse().unwrap();
    let beyond = app.collect(&format!("type=cis&stream_id=s&batch_size=2&cursor={}", issued + 1)).await;
    assert_error(beyond, 400, "invalid_request").await;
    assert_eq!(numbers(&app.collect_events(&format!("type=cis&stream_id=s&batch_size=2&cursor={issued}")).await), [2, 3]);
}
