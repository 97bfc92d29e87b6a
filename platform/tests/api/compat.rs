//! The Mosaic-compatible stream endpoints, as scripts written for the public API call them.

use crate::helpers::*;
use reqwest::Method;
use serde_json::Value;

#[tokio::test]
async fn start_collect_creates_the_default_stream_once() {
    let app = spawn_app().await;
    let first = app.request(Method::PUT, "/activities/v1/activities/start-collect?type=cis").send().await.unwrap();
    assert_eq!(first.status(), 200);
    let again = app.request(Method::PUT, "/activities/v1/activities/start-collect?type=cis").send().await.unwrap();
    assert_error(again, 409, "stream_exists").await;

    app.ingest(&events("cis", 0..3)).await;
    // A collect with no stream_id reads the type's default stream.
    assert_eq!(app.collect_events("type=cis&batch_size=10").await.len(), 3);
    let unknown = app.request(Method::PUT, "/activities/v1/activities/start-collect?type=x").send().await.unwrap();
    assert_error(unknown, 400, "unknown_event_type").await;
}

#[tokio::test]
async fn put_stream_creates_a_custom_stream_and_delete_removes_it() {
    let app = spawn_app().await;
    let put = app
        .request(Method::PUT, "/activities/v1/activities/stream?type=verify&stream_id=12345&enrichment=true")
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let stream: Value = put.json().await.unwrap();
    assert_eq!((stream["type"].as_str(), stream["enrichment"].as_bool()), (Some("verify"), Some(true)));
    assert_eq!(stream["destination"]["kind"], "custom");

    let repeat = app.request(Method::PUT, "/activities/v1/activities/stream?type=verify&stream_id=12345").send().await.unwrap();
    assert_eq!(repeat.status(), 200);
    let mismatch = app.request(Method::PUT, "/activities/v1/activities/stream?type=cis&stream_id=12345").send().await.unwrap();
    assert_error(mismatch, 400, "type_mismatch").await;

    let delete = |query: &str| app.request(Method::DELETE, &format!("/activities/v1/activities/stream?{query}")).send();
    assert_eq!(delete("type=verify&stream_id=12345").await.unwrap().status(), 200);
    assert_error(delete("type=verify&stream_id=12345").await.unwrap(), 404, "stream_not_found").await;
}
