//! Prometheus metrics: counters recorded where things happen, stream gauges read at scrape time.

use crate::{platform::Platform, store::StoreResult};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

/// Latency buckets in seconds, from a cached token check to a 10,000-event ingest.
const LATENCY_BUCKETS: [f64; 12] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

/// The process-wide recorder: `metrics` has one global recorder, however many platforms run.
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("duration_seconds".into()), &LATENCY_BUCKETS)
            .expect("buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        // Fails only when another recorder was installed first; then ours just stays empty.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Installs the recorder (once per process) before anything is counted.
pub(crate) fn init() {
    handle();
}

impl Platform {
    /// The Prometheus exposition text, with every stream's lag and delivered count brought up to date.
    pub async fn render_metrics(&self) -> StoreResult<String> {
        for stream in self.store.all_streams().await? {
            let lag = self.store.stream_lag(&stream).await?;
            let labels = [("tenant", stream.tenant_id.clone()), ("stream", stream.stream_id.to_string())];
            metrics::gauge!("sluice_stream_lag", &labels).set(lag as f64);
            metrics::gauge!("sluice_stream_delivered", &labels).set(stream.delivered as f64);
            let failing = stream.state == crate::model::StreamState::Failing;
            metrics::gauge!("sluice_stream_failing", &labels).set(if failing { 1.0 } else { 0.0 });
        }
        Ok(handle().render())
    }
}
