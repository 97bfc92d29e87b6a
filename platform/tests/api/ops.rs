use crate::helpers::*;
use serde_json::{json, Value};

#[tokio::test]
async fn health_and_readiness_answer_without_a_token() {
    let app = spawn_app().await;
    for path in ["/healthz", "/readyz"] {
        let response = app.client.get(format!("{}{path}", app.url)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn metrics_show_stream_lag_collected_counts_and_latency() {
    let app = spawn_app().await;
    app.create_stream(&json!({"stream_id": "metered", "type": "cis"})).await;
    app.ingest(&events("cis", 0..5)).await;
    app.collect_events("type=cis&stream_id=metered&batch_size=2").await;

    let text = app.client.get(format!("{}/metrics", app.url)).send().await.unwrap().text().await.unwrap();
    let line = |prefix: &str| text.lines().find(|l| l.starts_with(prefix)).map(str::to_owned);
    let lag = line("sluice_stream_lag{").expect("lag gauge");
    assert!(text.contains(r#"sluice_stream_lag{tenant="acme",stream="metered"} 3"#), "{lag}");
    assert!(text.contains(r#"sluice_events_collected_total{tenant="acme",stream="metered"} 2"#), "{text}");
    assert!(line("sluice_http_request_duration_seconds_bucket{").is_some(), "{text}");
}

#[tokio::test]
async fn the_openapi_document_lists_the_contract() {
    let app = spawn_app().await;
    let doc: Value = app.client.get(format!("{}/openapi.json", app.url)).send().await.unwrap().json().await.unwrap();
    for path in [
        "/oidc/token",
        "/activities/v1/events",
        "/activities/v1/streams",
        "/activities/v1/streams/{stream_id}",
        "/activities/v1/activities/collect",
        "/activities/v1/activities/start-collect",
        "/activities/v1/activities/stream",
        "/directory/v1/import",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["schemas"].get("NewStream").is_some());
}
