//! `sluice demo` / `--demo`: a steady trickle of realistic events, with a directory that
//! makes enrichment show real names.

use platform::{demo::DemoGenerator, Platform, Tenant};
use serde_json::Value;
use std::time::Duration;

pub async fn run(platform: Platform, tenant: Tenant, events_per_second: u32) {
    let seed = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64;
    let mut generator = DemoGenerator::new(seed);
    if let Err(error) = platform.import_directory(&tenant, &generator.directory()).await {
        tracing::warn!(%error, "demo directory import failed");
    }
    tracing::info!(tenant = %tenant.0, events_per_second, "demo generator running");
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        let now = chrono::Utc::now();
        let events: Vec<Value> = (0..events_per_second).map(|_| Value::Object(generator.next_event(now))).collect();
        if let Err(error) = platform.ingest(&tenant, &serde_json::to_string(&events).expect("events serialise")).await {
            tracing::warn!(%error, "demo ingestion failed");
        }
    }
}
