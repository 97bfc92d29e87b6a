//! The figures, as `bench/results.json` (stable keys) and as `BENCHMARKS.md`.

use serde::{Deserialize, Serialize};
use std::{path::Path, process::Command};

/// Every figure in events/s unless its name says otherwise.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Results {
    pub date: String,
    pub cores: usize,
    pub events: usize,
    pub event_bytes_avg: usize,
    pub repetitions: usize,
    pub collect_sluice: f64,
    pub collect_sluice_cursor: f64,
    pub collect_sluice_enriched: f64,
    pub collect_redis: f64,
    pub collect_jetstream: f64,
    pub serialize_limit: f64,
    pub ingest_sluice: f64,
    pub ingest_redis: f64,
    pub ingest_jetstream: f64,
    pub page_assets_gz_bytes: u64,
    pub ssr_100_streams_ms: f64,
}

impl Results {
    pub fn new(events: usize, event_bytes_avg: usize, repetitions: usize) -> Self {
        Self {
            date: chrono::Utc::now().format("%Y-%m-%d").to_string(),
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            events,
            event_bytes_avg,
            repetitions,
            ..Self::default()
        }
    }

    /// Page weight and SSR time, from the console script run against the same binary.
    pub fn console(&mut self, script: &Path, sluice: &str) {
        let output = Command::new("bash").arg(script).arg(sluice).output().expect("run the console page script");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let mut words = line.split_whitespace();
            match (words.next(), words.next()) {
                (Some("ssr_100_streams_ms"), Some(ms)) => self.ssr_100_streams_ms = ms.parse().unwrap(),
                (Some("page_assets_gz_bytes"), Some(bytes)) => self.page_assets_gz_bytes = bytes.parse().unwrap(),
                _ => {}
            }
        }
    }

    fn markdown(&self) -> String {
        let row = |name: &str, rate: f64, redis: f64, jetstream: f64| {
            format!(
                "| {name} | {rate:.0} | {:.2} | {:.2} | {:.3} |\n",
                rate / redis,
                rate / jetstream,
                rate / self.serialize_limit
            )
        };
        let peer = |name: &str, rate: f64| format!("| {name} | {rate:.0} | | | {:.3} |\n", rate / self.serialize_limit);
        let mut md = format!(
            "# Benchmarks\n\n`make bench`, {date}, {cores} cores. {events} demo `cis` events of {bytes} bytes of JSON \
             on average, loaded into each system; each figure is the median of {reps} repetitions. One client per \
             system, all in Rust, batches of 1000, everything on 127.0.0.1. On a shared virtual machine whole \
             runs differ by a fifth or more as the host's load changes; ratios within one run are what compare.\n\n\
             Every collect client frames each batch into events by its wire format alone (RESP and NATS messages \
             by length, Sluice's JSON array by its top-level commas) and asks for the next batch while it \
             acknowledges the current one: one request ahead, as a forwarding collector would. Cursor mode alone \
             waits, since its next call commits the batch before it.\n\n",
            date = self.date,
            cores = self.cores,
            events = self.events,
            bytes = self.event_bytes_avg,
            reps = self.repetitions,
        );
        md.push_str("## Collect: events/s drained by one client\n\n");
        md.push_str("| system | events/s | × Redis | × JetStream | × limit |\n|---|---:|---:|---:|---:|\n");
        md.push_str(&row("Sluice collect, auto-commit", self.collect_sluice, self.collect_redis, self.collect_jetstream));
        md.push_str(&row("Sluice collect, cursor mode", self.collect_sluice_cursor, self.collect_redis, self.collect_jetstream));
        md.push_str(&row("Sluice collect, enriched", self.collect_sluice_enriched, self.collect_redis, self.collect_jetstream));
        md.push_str(&peer("Redis Streams XREADGROUP COUNT 1000 + XACK", self.collect_redis));
        md.push_str(&peer("JetStream pull fetch(1000) + ack", self.collect_jetstream));
        md.push_str(&peer("serde_json serialisation limit (one core)", self.serialize_limit));
        md.push_str(&format!(
            "\nEnriched / plain collect: {:.2}.\n\n## Ingest: events/s stored durably\n\n",
            self.collect_sluice_enriched / self.collect_sluice
        ));
        md.push_str("| system | events/s | × Redis | × JetStream | × limit |\n|---|---:|---:|---:|---:|\n");
        md.push_str(&row("Sluice POST /activities/v1/events, arrays of 1000", self.ingest_sluice, self.ingest_redis, self.ingest_jetstream));
        md.push_str(&peer("Redis XADD pipelined 1000, appendfsync always", self.ingest_redis));
        md.push_str(&peer("JetStream publish, acks awaited per 1000", self.ingest_jetstream));
        md.push_str(
            "\nDurability as configured: Sluice's SQLite runs in WAL mode with `synchronous=FULL`: every \
             ingest and every cursor commit is fsynced before it is answered; an auto-commit collect's \
             advance is written to the WAL at once and fsynced with the next ingest or checkpoint (a power \
             loss may replay those batches, never skip one). Redis appends every command, XREADGROUP and XACK \
             included, to its AOF with `appendfsync always`; JetStream stores to files with nats-server \
             2.9's default sync (no fsync per message).\n",
        );
        md.push_str(&format!(
            "\n## Console\n\n- Events streaming page assets (wasm + JS), gzipped: {} bytes\n\
             - Server-side render of the page with 100 streams: {:.2} ms (median of 21)\n",
            self.page_assets_gz_bytes, self.ssr_100_streams_ms
        ));
        md
    }

    /// The figures a previous run wrote to `json`.
    pub fn read(json: &Path) -> Self {
        serde_json::from_str(&std::fs::read_to_string(json).expect("read the results")).expect("results JSON")
    }

    pub fn write(&self, markdown: &Path, json: &Path) {
        std::fs::write(json, serde_json::to_string_pretty(self).unwrap() + "\n").unwrap();
        std::fs::write(markdown, self.markdown()).unwrap();
    }
}
