//! `make bench`: the same realistic events through Sluice, Redis Streams and NATS JetStream on
//! 127.0.0.1, each figure the median of several repetitions, written to BENCHMARKS.md and
//! bench/results.json. All clients are Rust, one connection each, batches of 1000.

mod jetstream;
mod one_ahead;
#[path = "../../platform/tests/support/server.rs"]
#[allow(dead_code)] // shared with the tests, which use all of it
mod process;
mod redis_streams;
mod report;
mod sluice;
#[path = "../../platform/tests/support/token.rs"]
mod token;

use clap::Parser;
use jetstream::JetStream;
use platform::{demo::DemoGenerator, model::EventType};
use redis_streams::RedisStreams;
use report::Results;
use serde_json::Value;
use sluice::{Mode, Sluice};
use std::{future::Future, path::PathBuf, time::Instant};

#[derive(Parser)]
struct Args {
    /// The release `sluice` binary.
    #[arg(long)]
    sluice: String,
    /// Events loaded into each system per repetition.
    #[arg(long, default_value_t = 1_000_000)]
    events: usize,
    /// Repetitions of each measurement (the median is reported).
    #[arg(long, default_value_t = 3)]
    repetitions: usize,
    /// The console page script (`bench/console_page.sh`).
    #[arg(long, default_value = "bench/console_page.sh")]
    console_script: PathBuf,
    #[arg(long, default_value = "BENCHMARKS.md")]
    markdown: PathBuf,
    #[arg(long, default_value = "bench/results.json")]
    json: PathBuf,
    /// Only rewrite the markdown from the JSON of an earlier run.
    #[arg(long)]
    report_only: bool,
}

fn median(mut rates: Vec<f64>) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}

/// Events/s of `run` (which handles `events` events), the median of `repetitions` runs.
async fn rate<F, Fut>(label: &str, events: usize, repetitions: usize, mut run: F) -> f64
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut rates = Vec::new();
    for repetition in 0..repetitions {
        let started = Instant::now();
        run(repetition).await;
        rates.push(events as f64 / started.elapsed().as_secs_f64());
    }
    let rate = median(rates.clone());
    eprintln!("{label:<28} {rate:>12.0} events/s   runs: {}", rates.iter().map(|r| format!("{r:.0}")).collect::<Vec<_>>().join(", "));
    rate
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if args.report_only {
        Results::read(&args.json).write(&args.markdown, &args.json);
        return;
    }
    let (n, reps) = (args.events, args.repetitions);

    let mut generator = DemoGenerator::new(42);
    let now = chrono::Utc::now();
    let events: Vec<Value> = (0..n).map(|_| Value::Object(generator.event(EventType::Cis, now))).collect();
    let texts: Vec<String> = events.iter().map(|e| serde_json::to_string(e).unwrap()).collect();
    let arrays: Vec<Vec<u8>> = events.chunks(1000).map(|chunk| serde_json::to_vec(chunk).unwrap()).collect();
    let event_bytes = texts.iter().map(String::len).sum::<usize>() / n;
    eprintln!("{n} demo cis events of {event_bytes} bytes on average, {reps} repetitions each");

    let mut results = Results::new(n, event_bytes, reps);

    // The ceiling of any JSON collect path: serde_json writing the same events, one core.
    let mut buffer = Vec::with_capacity(event_bytes * 1000 + 1000);
    results.serialize_limit = rate("serialize_limit", n, reps, |_| {
        for chunk in events.chunks(1000) {
            buffer.clear();
            serde_json::to_writer(&mut buffer, chunk).unwrap();
        }
        std::future::ready(())
    })
    .await;

    let sluice_server = Sluice::start(&args.sluice).await;
    let sluice = &sluice_server;
    sluice.import_directory(&generator.directory()).await;
    // Streams exist before the first load, so each holds every event; each drain reads n.
    for r in 0..reps {
        sluice.create_stream(&format!("auto-{r}"), false).await;
        sluice.create_stream(&format!("cursor-{r}"), false).await;
        sluice.create_stream(&format!("rich-{r}"), true).await;
    }
    results.ingest_sluice = rate("ingest_sluice", n, reps, |_| sluice.ingest(&arrays)).await;
    results.collect_sluice = rate("collect_sluice", n, reps, |r| async move {
        sluice.drain(&format!("auto-{r}"), Mode::AutoCommit, n).await;
    })
    .await;
    results.collect_sluice_cursor = rate("collect_sluice_cursor", n, reps, |r| async move {
        sluice.drain(&format!("cursor-{r}"), Mode::Cursor, n).await;
    })
    .await;
    results.collect_sluice_enriched = rate("collect_sluice_enriched", n, reps, |r| async move {
        sluice.drain(&format!("rich-{r}"), Mode::AutoCommit, n).await;
    })
    .await;

    drop(sluice_server);

    let redis = RedisStreams::start().await;
    results.ingest_redis = rate("ingest_redis", n, reps, |_| redis.ingest(&texts)).await;
    results.collect_redis = rate("collect_redis", n, reps, |r| {
        let redis = &redis;
        async move {
            redis.drain(&format!("group-{r}"), n).await;
        }
    })
    .await;
    drop(redis);

    let nats = JetStream::start().await;
    results.ingest_jetstream = rate("ingest_jetstream", n, reps, |_| nats.ingest(&texts)).await;
    results.collect_jetstream = rate("collect_jetstream", n, reps, |r| {
        let nats = &nats;
        async move {
            nats.drain(&format!("durable-{r}"), n).await;
        }
    })
    .await;
    drop(nats);

    results.console(&args.console_script, &args.sluice);
    results.write(&args.markdown, &args.json);
    eprintln!("wrote {} and {}", args.markdown.display(), args.json.display());
}
