//! Destinations that are down or refuse for a while: nothing is lost, nothing goes out of order.

use crate::{wait_until_failing, 
    eventually, ingest_numbered, numbers,
    receivers::{webhook_receiver, webhook_receiver_on},
    servers::free_port,
    spawn_delivering_app, stream,
};
use serde_json::json;
use std::sync::atomic::Ordering;

#[tokio::test]
async fn a_destination_down_at_start_gets_everything_once_it_is_up() {
    let app = spawn_delivering_app().await;
    let port = free_port();
    let body = json!({"stream_id": "late", "type": "cis", "batch_size": 25,
                      "destination": {"kind": "webhook", "url": format!("http://127.0.0.1:{port}/hook")}});
    assert_eq!(app.create_stream(&body).await.status(), 201);
    ingest_numbered(&app, 0, 200, 5).await;

    wait_until_failing(&app, "late", "webhook request failed").await;
    assert_eq!(stream(&app, "late").await["status"]["lag"], 200);

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let receiver = webhook_receiver_on(listener, None).await;
    ingest_numbered(&app, 200, 50, 5).await;
    eventually("all 250 arrived", || async { receiver.received.events().len() >= 250 }).await;
    assert_eq!(numbers(&receiver.received.events()), (0..250).collect::<Vec<_>>(), "none lost, none out of order");
    eventually("the stream is active again", || async { stream(&app, "late").await["status"]["state"] == "active" }).await;
}

#[tokio::test]
async fn a_503_spell_is_retried_until_it_passes() {
    let app = spawn_delivering_app().await;
    let receiver = webhook_receiver(None).await;
    receiver.received.fail_next.store(6, Ordering::SeqCst);
    let body = json!({"stream_id": "busy", "type": "cis", "batch_size": 10,
                      "destination": {"kind": "webhook", "url": format!("{}/hook", receiver.url)}});
    assert_eq!(app.create_stream(&body).await.status(), 201);
    ingest_numbered(&app, 0, 35, 5).await;

    eventually("all 35 arrived", || async { receiver.received.events().len() >= 35 }).await;
    assert_eq!(receiver.received.refused.load(Ordering::SeqCst), 6, "each 503 was retried");
    assert_eq!(numbers(&receiver.received.events()), (0..35).collect::<Vec<_>>());
    assert_eq!(receiver.received.batch_sizes(), [10, 10, 10, 5]);
}

#[tokio::test]
async fn a_permanent_refusal_keeps_the_position() {
    let app = spawn_delivering_app().await;
    let receiver = webhook_receiver(Some("the-real-secret")).await;
    let body = json!({"stream_id": "unsigned", "type": "cis",
                      "destination": {"kind": "webhook", "url": format!("{}/hook", receiver.url), "secret": "another"}});
    assert_eq!(app.create_stream(&body).await.status(), 201);
    ingest_numbered(&app, 0, 5, 5).await;
    wait_until_failing(&app, "unsigned", "401").await;
    let status = stream(&app, "unsigned").await["status"].clone();
    assert_eq!((status["lag"].as_u64(), status["delivered"].as_u64()), (Some(5), Some(0)));
}
