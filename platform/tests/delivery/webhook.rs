use crate::{eventually, ingest_numbered, numbers, receivers::webhook_receiver, spawn_delivering_app, stream};
use serde_json::json;

#[tokio::test]
async fn delivers_every_event_in_order_signed_and_in_batches() {
    let app = spawn_delivering_app().await;
    let receiver = webhook_receiver(Some("whsec_test")).await;
    let created = app
        .create_stream(&json!({
            "stream_id": "hook",
            "type": "cis",
            "batch_size": 40,
            "destination": {"kind": "webhook", "url": format!("{}/hook", receiver.url), "secret": "whsec_test",
                            "headers": {"X-Api-Key": "k-123"}},
        }))
        .await;
    assert_eq!(created.status(), 201);

    ingest_numbered(&app, 0, 1000, 10).await;
    eventually("1000 events arrived", || async { receiver.received.events().len() >= 1000 }).await;

    let received = &receiver.received;
    assert_eq!(numbers(&received.events()), (0..1000).collect::<Vec<_>>(), "all once, in order");
    assert!(received.batch_sizes().iter().all(|n| (1..=40).contains(n)), "{:?}", received.batch_sizes());
    assert_eq!(received.bad_signatures.load(std::sync::atomic::Ordering::SeqCst), 0);
    let headers = received.headers.lock().unwrap();
    assert!(headers.iter().all(|h| h["x-api-key"] == "k-123" && h["content-type"] == "application/json"));
    assert!(headers.iter().all(|h| h.contains_key("idempotency-key")));
    drop(headers);

    eventually("the status shows every event delivered", || async {
        let status = &stream(&app, "hook").await["status"];
        status["delivered"] == 1000 && status["lag"] == 0
    })
    .await;
    let status = stream(&app, "hook").await["status"].clone();
    assert_eq!(status["state"], "active");
    assert!(status["last_delivery_at"].is_string());
    let metrics = app.client.get(format!("{}/metrics", app.url)).send().await.unwrap().text().await.unwrap();
    assert!(metrics.lines().any(|l| l.starts_with("sluice_delivered_events_total") && l.contains("stream=\"hook\"") && l.ends_with(" 1000")), "{metrics}");
}

#[tokio::test]
async fn enriches_when_the_stream_asks() {
    let app = spawn_delivering_app().await;
    let receiver = webhook_receiver(None).await;
    let directory = app
        .request(reqwest::Method::PUT, "/directory/v1/users/user-1")
        .json(&json!({"email": "one@example.com"}))
        .send()
        .await
        .unwrap();
    assert!(directory.status().is_success(), "{}", directory.status());
    let body = json!({"stream_id": "rich", "type": "cis", "enrichment": true,
                      "destination": {"kind": "webhook", "url": format!("{}/hook", receiver.url)}});
    assert_eq!(app.create_stream(&body).await.status(), 201);
    ingest_numbered(&app, 0, 4, 2).await;
    eventually("4 events arrived", || async { receiver.received.events().len() >= 4 }).await;
    let events = receiver.received.events();
    assert_eq!(events[1]["user_email"], "one@example.com");
    assert!(events[0].get("user_email").is_none(), "user-0 is not in the directory");
}

#[tokio::test]
async fn a_settings_change_restarts_the_worker_and_a_delete_stops_it() {
    let app = spawn_delivering_app().await;
    let first = webhook_receiver(None).await;
    let second = webhook_receiver(None).await;
    let body = json!({"stream_id": "moving", "type": "cis",
                      "destination": {"kind": "webhook", "url": format!("{}/hook", first.url)}});
    assert_eq!(app.create_stream(&body).await.status(), 201);
    ingest_numbered(&app, 0, 10, 3).await;
    eventually("the first receiver has 10", || async { first.received.events().len() == 10 }).await;

    let patch = json!({"destination": {"kind": "webhook", "url": format!("{}/hook", second.url)}});
    let patched = app.request(reqwest::Method::PATCH, "/activities/v1/streams/moving").json(&patch).send().await.unwrap();
    assert_eq!(patched.status(), 200);
    ingest_numbered(&app, 10, 10, 3).await;
    eventually("the second receiver has the next 10", || async { second.received.events().len() == 10 }).await;
    assert_eq!(numbers(&second.received.events()), (10..20).collect::<Vec<_>>());
    assert_eq!(first.received.events().len(), 10, "nothing more went to the old destination");

    let deleted = app.request(reqwest::Method::DELETE, "/activities/v1/streams/moving").send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    // The contract allows a deleted stream's worker one second to stop; a worker still running
    // after it would deliver these within milliseconds.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    ingest_numbered(&app, 20, 10, 3).await;
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    assert_eq!(second.received.events().len(), 10, "a deleted stream delivers nothing");
}
