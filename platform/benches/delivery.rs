//! Push delivery throughput per destination, and end-to-end latency at low load.
//!
//! For each destination: a stream of batch 1000 is created, EVENTS demo cis events are
//! ingested, then a delivery supervisor starts and the clock runs until the stream's
//! `delivered` reaches EVENTS. The destinations are the real servers the delivery tests use
//! (tansu, fake-gcs-server, moto) and the test receivers for webhook and Splunk HEC. The peer,
//! run in the same process on the same events, is collect draining a custom stream in-process.
//!
//! `cargo bench -p platform --features service --bench delivery [-- EVENTS]`

#[path = "../tests/delivery/receivers.rs"]
#[allow(dead_code)]
mod receivers;
#[path = "../tests/delivery/servers.rs"]
#[allow(unused_imports)]
mod servers;

use platform::{
    collect::CollectRequest,
    delivery::DeliverySupervisor,
    demo::DemoGenerator,
    model::{EventType, StreamId},
    Platform, PlatformConfig, Tenant,
};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const BATCH: u16 = 1000;

struct Bench {
    platform: Platform,
    tenant: Tenant,
    generator: DemoGenerator,
    events: usize,
}

impl Bench {
    async fn ingest(&mut self, count: usize) {
        let now = chrono::Utc::now();
        let events: Vec<Value> = (0..count).map(|_| Value::Object(self.generator.event(EventType::Cis, now))).collect();
        for chunk in events.chunks(1000) {
            self.platform.ingest(&self.tenant, &serde_json::to_string(chunk).unwrap()).await.unwrap();
        }
    }

    async fn create(&self, id: &str, destination: Value) -> StreamId {
        let new = serde_json::from_value(json!({"stream_id": id, "type": "cis", "batch_size": BATCH, "destination": destination}))
            .unwrap();
        self.platform.create_stream(&self.tenant, new).await.unwrap().stream_id
    }

    async fn delivered(&self, id: &StreamId) -> u64 {
        self.platform.get_stream(&self.tenant, id).await.unwrap().status.delivered
    }

    /// Events/s pushed to `destination`, from the supervisor's start to the last acknowledgement.
    async fn push(&mut self, id: &str, destination: Value) -> f64 {
        let stream = self.create(id, destination).await;
        self.ingest(self.events).await;
        let started = Instant::now();
        let supervisor = tokio::spawn(DeliverySupervisor::new(self.platform.clone()).run());
        while self.delivered(&stream).await < self.events as u64 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let rate = self.events as f64 / started.elapsed().as_secs_f64();
        supervisor.abort();
        let _ = supervisor.await;
        self.platform.delete_stream(&self.tenant, &stream).await.unwrap();
        rate
    }

    /// Events/s drained from a custom stream by collect, in-process: the peer.
    async fn collect(&mut self) -> f64 {
        let stream = self.create("pull", json!({"kind": "custom"})).await;
        self.ingest(self.events).await;
        let started = Instant::now();
        let mut drained = 0;
        loop {
            let request = CollectRequest { event_type: EventType::Cis, stream_id: Some(stream.clone()), batch_size: None, cursor: None };
            let count = self.platform.collect(&self.tenant, request).await.unwrap().count;
            if count == 0 {
                break;
            }
            drained += count;
        }
        assert_eq!(drained, self.events);
        let rate = self.events as f64 / started.elapsed().as_secs_f64();
        self.platform.delete_stream(&self.tenant, &stream).await.unwrap();
        rate
    }

    /// Median and 99th-percentile milliseconds from the start of a one-event ingest until the
    /// receiver holds it, with delivery idle in between.
    async fn latency(&mut self, id: &str, destination: Value, received: &receivers::Received) -> (f64, f64) {
        let stream = self.create(id, destination).await;
        let supervisor = tokio::spawn(DeliverySupervisor::new(self.platform.clone()).run());
        let mut samples = Vec::new();
        for i in 0..200 {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let started = Instant::now();
            self.ingest(1).await;
            while received.events().len() <= i {
                tokio::time::sleep(Duration::from_micros(100)).await;
            }
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        supervisor.abort();
        let _ = supervisor.await;
        self.platform.delete_stream(&self.tenant, &stream).await.unwrap();
        samples.sort_by(f64::total_cmp);
        (samples[samples.len() / 2], samples[samples.len() * 99 / 100])
    }
}

#[tokio::main]
async fn main() {
    let events: usize = std::env::args().filter_map(|a| a.parse().ok()).next().unwrap_or(100_000);
    let data = tempfile::tempdir().unwrap();
    let database_url = format!("sqlite://{}", data.path().join("bench.db").display());
    let platform = Platform::open(PlatformConfig::new(database_url, "http://bench")).await.unwrap();
    platform.create_app("bench").await.unwrap();
    let mut bench = Bench { platform, tenant: Tenant("bench".into()), generator: DemoGenerator::new(11), events };

    let webhook = receivers::webhook_receiver(Some("bench-secret")).await;
    let hec = receivers::hec_receiver("bench-token", false).await;
    let kafka = servers::tansu();
    rskafka::client::ClientBuilder::new(vec![kafka.addr.to_string()])
        .build()
        .await
        .unwrap()
        .controller_client()
        .unwrap()
        .create_topic("bench", 3, 1, 5_000)
        .await
        .unwrap();
    let gcs = servers::fake_gcs();
    reqwest::Client::new()
        .post(format!("{}/storage/v1/b?project=bench", gcs.url()))
        .json(&json!({"name": "bench"}))
        .send()
        .await
        .unwrap();
    let s3 = servers::moto();
    reqwest::Client::new().put(format!("{}/bench", s3.url())).send().await.unwrap();

    let collect = bench.collect().await;
    let destinations = [
        ("webhook", json!({"kind": "webhook", "url": format!("{}/hook", webhook.url), "secret": "bench-secret"})),
        ("splunk", json!({"kind": "splunk", "url": hec.url, "token": "bench-token"})),
        ("kafka", json!({"kind": "kafka", "bootstrap_servers": [kafka.addr.to_string()], "topic": "bench"})),
        ("gcs", json!({"kind": "gcs", "bucket": "bench", "endpoint": gcs.url()})),
        ("s3", json!({"kind": "s3", "bucket": "bench", "region": "us-east-1", "endpoint": s3.url(),
                      "access_key_id": "bench", "secret_access_key": "bench"})),
    ];
    println!("{events} demo cis events per destination, batches of {BATCH}");
    println!("{:<34} {:>12} {:>14}", "", "events/s", "× collect");
    println!("{:<34} {:>12.0} {:>14.3}", "collect, in-process (peer)", collect, 1.0);
    for (name, destination) in destinations {
        let rate = bench.push(&format!("push-{name}"), destination).await;
        println!("{:<34} {rate:>12.0} {:>14.3}", format!("push to {name}"), rate / collect);
    }

    webhook.received.batches.lock().unwrap().clear();
    hec.received.batches.lock().unwrap().clear();
    for (name, destination, received) in [
        ("webhook", json!({"kind": "webhook", "url": format!("{}/hook", webhook.url), "secret": "bench-secret"}), &webhook.received),
        ("splunk", json!({"kind": "splunk", "url": hec.url, "token": "bench-token"}), &hec.received),
    ] {
        let (median, p99) = bench.latency(&format!("latency-{name}"), destination, received).await;
        println!("ingest → {name} arrival, one event every 20 ms: median {median:.2} ms, p99 {p99:.2} ms");
    }
}
