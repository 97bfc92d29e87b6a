//! Keeps exactly one delivery worker running per push stream of this process: starts workers
//! for new streams, restarts them when their settings change or they panic, and stops them when
//! their stream is deleted.

use super::DeliveryWorker;
use crate::{
    model::{Destination, EventType, StreamId},
    platform::Platform,
    store::StreamRecord,
};
use futures::future::BoxFuture;
use std::{collections::HashMap, sync::Arc};
use tokio::task::JoinHandle;

/// Starts the work for one stream; the default runs a [`DeliveryWorker`].
pub type Launcher = Arc<dyn Fn(Platform, StreamRecord) -> BoxFuture<'static, ()> + Send + Sync>;

/// What a worker was started with: a change of any of it means a restart.
#[derive(Debug, Clone, PartialEq)]
struct Settings {
    event_type: EventType,
    destination: Destination,
    batch_size: u16,
    enrichment: bool,
}

impl Settings {
    fn of(stream: &StreamRecord) -> Self {
        Self {
            event_type: stream.event_type,
            destination: stream.destination.clone(),
            batch_size: stream.batch_size,
            enrichment: stream.enrichment,
        }
    }
}

struct Running {
    settings: Settings,
    task: JoinHandle<()>,
}

pub struct DeliverySupervisor {
    platform: Platform,
    launcher: Launcher,
    workers: HashMap<(String, StreamId), Running>,
}

impl Drop for DeliverySupervisor {
    fn drop(&mut self) {
        for running in self.workers.values() {
            running.task.abort();
        }
    }
}

impl DeliverySupervisor {
    pub fn new(platform: Platform) -> Self {
        Self::with_launcher(platform, Arc::new(|platform, stream| Box::pin(DeliveryWorker::new(platform, stream).run())))
    }

    pub fn with_launcher(platform: Platform, launcher: Launcher) -> Self {
        Self { platform, launcher, workers: HashMap::new() }
    }

    /// How many workers are running.
    pub fn running(&self) -> usize {
        self.workers.values().filter(|r| !r.task.is_finished()).count()
    }

    /// Brings the running workers in line with the stored streams once.
    pub async fn reconcile(&mut self) -> crate::store::StoreResult<()> {
        let streams = self.platform.store.all_streams().await?;

        self.workers.retain(|(tenant, stream_id), running| {
            if !running.task.is_finished() {
                return true;
            }
            // A finished task either returned (its stream moved or went) or panicked: either way
            // it is started afresh below from the stored position if its stream still exists.
            if let Some(Err(error)) = futures::FutureExt::now_or_never(&mut running.task) {
                if error.is_panic() {
                    tracing::error!(%tenant, %stream_id, "delivery worker panicked; restarting it");
                    metrics::counter!("sluice_delivery_worker_restarts_total", "tenant" => tenant.clone(), "stream" => stream_id.to_string())
                        .increment(1);
                }
            }
            false
        });

        let mut wanted = HashMap::new();
        for stream in streams.into_iter().filter(|s| !matches!(s.destination, Destination::Custom)) {
            wanted.insert((stream.tenant_id.clone(), stream.stream_id.clone()), stream);
        }
        self.workers.retain(|key, running| {
            let keep = wanted.get(key).is_some_and(|stream| Settings::of(stream) == running.settings);
            if !keep {
                running.task.abort();
            }
            keep
        });
        for (key, stream) in wanted {
            if self.workers.contains_key(&key) {
                continue;
            }
            let settings = Settings::of(&stream);
            let task = tokio::spawn((self.launcher)(self.platform.clone(), stream));
            self.workers.insert(key, Running { settings, task });
        }
        Ok(())
    }

    /// Reconciles whenever a stream changes, and every `scan_interval` besides.
    pub async fn run(mut self) {
        let mut changed = self.platform.streams_changed.subscribe();
        let every = self.platform.config.delivery.scan_interval;
        loop {
            if let Err(error) = self.reconcile().await {
                tracing::warn!(%error, "delivery supervisor could not read the streams");
            }
            let _ = tokio::time::timeout(every, changed.changed()).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        model::{BatchSize, NewStream, WebhookSettings},
        PlatformConfig, Tenant,
    };
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn restarts_a_panicked_worker_and_stops_a_deleted_one() {
        let data = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", data.path().join("s.db").display());
        let platform = Platform::open(PlatformConfig::new(url, "http://x")).await.unwrap();
        let tenant = Tenant("acme".into());
        platform.store.ensure_tenant(&tenant.0).await.unwrap();
        let hook = Destination::Webhook(WebhookSettings { url: "http://127.0.0.1:9/".into(), headers: Default::default(), secret: None });
        let new = |id: &str, destination: Destination| NewStream {
            stream_id: Some(StreamId::try_from(id.to_owned()).unwrap()),
            name: None,
            event_type: EventType::Cis,
            destination,
            batch_size: BatchSize::default(),
            enrichment: false,
        };
        platform.create_stream(&tenant, new("push", hook)).await.unwrap();
        platform.create_stream(&tenant, new("pull", Destination::Custom)).await.unwrap();

        // The first launch panics; later ones run until aborted.
        let launches = Arc::new(AtomicUsize::new(0));
        let counter = launches.clone();
        let launcher: Launcher = Arc::new(move |_, _| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                assert!(n > 0, "the first worker panics");
                std::future::pending::<()>().await
            })
        });
        let mut supervisor = DeliverySupervisor::with_launcher(platform.clone(), launcher);

        supervisor.reconcile().await.unwrap();
        assert_eq!(supervisor.workers.len(), 1, "only the push stream gets a worker");
        while supervisor.running() > 0 {
            tokio::task::yield_now().await;
        }
        supervisor.reconcile().await.unwrap();
        assert_eq!(launches.load(Ordering::SeqCst), 2, "the panicked worker was started again");
        assert_eq!(supervisor.running(), 1);

        platform.delete_stream(&tenant, &StreamId::try_from("push".to_owned()).unwrap()).await.unwrap();
        supervisor.reconcile().await.unwrap();
        assert_eq!(supervisor.running(), 0, "the deleted stream's worker is stopped");
        assert_eq!(launches.load(Ordering::SeqCst), 2);
    }
}
