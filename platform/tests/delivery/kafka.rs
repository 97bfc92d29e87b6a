//! Kafka delivery into a real broker (tansu), read back with a real consumer.

use crate::{wait_until_failing, eventually, ingest_numbered, servers, spawn_delivering_app, stream};
use rskafka::client::{partition::UnknownTopicHandling, ClientBuilder};
use serde_json::{json, Value};
use std::collections::BTreeMap;

#[tokio::test]
async fn every_event_lands_once_keyed_by_user_in_order_per_key() {
    let broker = servers::tansu();
    let bootstrap = broker.addr.to_string();
    let client = ClientBuilder::new(vec![bootstrap.clone()]).build().await.expect("connect to tansu");
    client.controller_client().unwrap().create_topic("identity-events", 3, 1, 5_000).await.expect("create topic");

    let app = spawn_delivering_app().await;
    let body = json!({"stream_id": "to-kafka", "type": "cis", "batch_size": 200,
        "destination": {"kind": "kafka", "bootstrap_servers": [bootstrap], "topic": "identity-events"}});
    assert_eq!(app.create_stream(&body).await.status(), 201);
    ingest_numbered(&app, 0, 1000, 17).await;
    eventually("every event is delivered", || async { stream(&app, "to-kafka").await["status"]["delivered"] == 1000 }).await;

    // Read every partition from the start, as a consumer would.
    let mut by_key: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut total = 0;
    let mut partitions_used = 0;
    for partition in 0..3 {
        let consumer = client.partition_client("identity-events", partition, UnknownTopicHandling::Error).await.unwrap();
        let mut offset = 0;
        let mut records_here = 0;
        loop {
            let (records, high_watermark) = consumer.fetch_records(offset, 1..1_000_000, 1_000).await.unwrap();
            for record in &records {
                let key = String::from_utf8(record.record.key.clone().expect("keyed")).unwrap();
                let event: Value = serde_json::from_slice(record.record.value.as_ref().unwrap()).unwrap();
                assert_eq!(event["user_id"], key.as_str(), "the key is the event's user");
                by_key.entry(key).or_default().push(event["n"].as_u64().unwrap());
                offset = record.offset + 1;
                records_here += 1;
            }
            if offset >= high_watermark {
                break;
            }
        }
        total += records_here;
        partitions_used += usize::from(records_here > 0);
    }
    assert_eq!(total, 1000, "each event once");
    assert!(partitions_used > 1, "keys spread over the partitions");
    assert_eq!(by_key.len(), 17);
    for (key, ns) in &by_key {
        let user: u64 = key.trim_start_matches("user-").parse().unwrap();
        let expected: Vec<u64> = (0..1000).filter(|n| n % 17 == user).collect();
        assert_eq!(ns, &expected, "{key}'s events in order in one partition");
    }
}

#[tokio::test]
async fn a_missing_topic_fails_the_stream_with_its_name() {
    let broker = servers::tansu();
    let app = spawn_delivering_app().await;
    let body = json!({"stream_id": "no-topic", "type": "cis",
        "destination": {"kind": "kafka", "bootstrap_servers": [broker.addr.to_string()], "topic": "nowhere"}});
    assert_eq!(app.create_stream(&body).await.status(), 201);
    ingest_numbered(&app, 0, 3, 1).await;
    wait_until_failing(&app, "no-topic", "\"nowhere\" does not exist").await;
}
