//! Keeps one delivery worker running per push stream whose lease this replica holds: takes free
//! or expired leases and renews its own at every pass, starts workers for them, restarts workers
//! when their settings change or they panic, and stops them when their stream is deleted or the
//! lease went to another replica.

use super::DeliveryWorker;
use crate::{
    model::{Destination, StreamId, StreamState},
    platform::Platform,
    store::StreamRecord,
};
use futures::future::BoxFuture;
use std::{collections::HashMap, sync::Arc};
use tokio::{task::JoinHandle, time::Instant};

/// Starts the work for one stream under a lease holder's name; the default runs a [`DeliveryWorker`].
pub type Launcher = Arc<dyn Fn(Platform, StreamRecord, String) -> BoxFuture<'static, ()> + Send + Sync>;

/// Which stream a worker was started for: a re-created stream or new settings need a new worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Instance {
    created_at: chrono::DateTime<chrono::Utc>,
    settings_version: i64,
}

impl Instance {
    fn of(stream: &StreamRecord) -> Self {
        Self { created_at: stream.created_at, settings_version: stream.settings_version }
    }
}

struct Running {
    instance: Instance,
    task: JoinHandle<()>,
    /// When its lease was last renewed.
    renewed: Instant,
}

pub struct DeliverySupervisor {
    platform: Platform,
    launcher: Launcher,
    workers: HashMap<(String, StreamId), Running>,
    /// This replica's name on the leases it holds: unique per start.
    holder: String,
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
        Self::with_launcher(
            platform,
            Arc::new(|platform, stream, holder| Box::pin(DeliveryWorker::new(platform, stream, holder).run())),
        )
    }

    pub fn with_launcher(platform: Platform, launcher: Launcher) -> Self {
        Self { platform, launcher, workers: HashMap::new(), holder: uuid::Uuid::new_v4().to_string() }
    }

    /// How many workers are running.
    pub fn running(&self) -> usize {
        self.workers.values().filter(|r| !r.task.is_finished()).count()
    }

    /// Brings the running workers in line with the stored streams once.
    pub async fn reconcile(&mut self) -> crate::store::StoreResult<()> {
        // Whatever happens below (the database may be unreachable), a worker whose lease was not
        // renewed for two thirds of its time stops before another replica may take the stream.
        let ttl = self.platform.config.delivery.lease_ttl;
        self.workers.retain(|(_, stream_id), running| {
            let fresh = running.renewed.elapsed() < ttl * 2 / 3;
            if !fresh {
                tracing::warn!(%stream_id, "delivery lease could not be renewed in time; stopping the worker");
                running.task.abort();
            }
            fresh
        });
        let streams = self.platform.store.all_streams().await?;

        // A finished task either returned (its stream changed or went) or panicked: either way it
        // is started afresh below, from the stored position, if its stream still wants one.
        let finished: Vec<_> = self.workers.iter().filter(|(_, r)| r.task.is_finished()).map(|(k, _)| k.clone()).collect();
        for key in finished {
            let Some(running) = self.workers.remove(&key) else { continue };
            if let Err(error) = running.task.await {
                if error.is_panic() {
                    self.report_panic(&key, &streams).await;
                }
            }
        }

        let mut wanted = HashMap::new();
        for stream in streams.into_iter().filter(|s| !matches!(s.destination, Destination::Custom)) {
            wanted.insert((stream.tenant_id.clone(), stream.stream_id.clone()), stream);
        }
        self.workers.retain(|key, running| {
            let keep = wanted.get(key).is_some_and(|stream| Instance::of(stream) == running.instance);
            if !keep {
                running.task.abort();
            }
            keep
        });
        for (key, stream) in wanted {
            // Renews the lease of a running worker, or takes a free or expired one.
            let held = match self.platform.store.acquire_lease(&key.0, &key.1, &self.holder, ttl).await {
                Ok(held) => held,
                Err(error) => {
                    // Unsure whether the lease still holds: stop rather than risk two deliverers.
                    tracing::warn!(%error, stream_id = %key.1, "could not renew a delivery lease");
                    false
                }
            };
            match (held, self.workers.remove(&key)) {
                (true, Some(running)) => {
                    self.workers.insert(key, Running { renewed: Instant::now(), ..running });
                }
                (true, None) => {
                    let instance = Instance::of(&stream);
                    let task = tokio::spawn((self.launcher)(self.platform.clone(), stream, self.holder.clone()));
                    self.workers.insert(key, Running { instance, task, renewed: Instant::now() });
                }
                (false, Some(running)) => {
                    tracing::info!(tenant = %key.0, stream_id = %key.1, "delivery lease lost; stopping the worker");
                    running.task.abort();
                }
                (false, None) => {}
            }
        }
        metrics::gauge!("sluice_delivery_workers").set(self.workers.len() as f64);
        Ok(())
    }

    /// Logs, counts and shows on the stream a worker that panicked; it is restarted at once.
    async fn report_panic(&self, (tenant, stream_id): &(String, StreamId), streams: &[StreamRecord]) {
        tracing::error!(%tenant, %stream_id, "delivery worker panicked; restarting it");
        metrics::counter!("sluice_delivery_worker_restarts_total", "tenant" => tenant.clone(), "stream" => stream_id.to_string())
            .increment(1);
        let Some(stream) = streams.iter().find(|s| &s.tenant_id == tenant && &s.stream_id == stream_id) else { return };
        let message = "the delivery worker crashed and was restarted; see the server log";
        if let Err(error) = self.platform.store.set_stream_health(stream, StreamState::Failing, Some(message)).await {
            tracing::warn!(%error, %stream_id, "could not record the stream's health");
        }
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
        model::{BatchSize, EventType, NewStream, WebhookSettings},
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
        let launcher: Launcher = Arc::new(move |_, _, _| {
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
        let push = platform.get_stream(&tenant, &StreamId::try_from("push".to_owned()).unwrap()).await.unwrap();
        assert_eq!(push.status.state, StreamState::Failing, "the crash shows on the stream");
        let metrics = platform.render_metrics().await.unwrap();
        assert!(
            metrics.lines().any(|l| l.starts_with("sluice_delivery_worker_restarts_total") && l.contains("stream=\"push\"")),
            "{metrics}"
        );

        platform.delete_stream(&tenant, &StreamId::try_from("push".to_owned()).unwrap()).await.unwrap();
        supervisor.reconcile().await.unwrap();
        assert_eq!(supervisor.running(), 0, "the deleted stream's worker is stopped");
        assert_eq!(launches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn delivers_only_the_streams_whose_lease_it_holds() {
        let data = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", data.path().join("s.db").display());
        let mut config = PlatformConfig::new(url, "http://x");
        config.delivery.lease_ttl = std::time::Duration::from_millis(300);
        let platform = Platform::open(config).await.unwrap();
        let tenant = Tenant("acme".into());
        platform.store.ensure_tenant(&tenant.0).await.unwrap();
        let hook = Destination::Webhook(WebhookSettings { url: "http://127.0.0.1:9/".into(), headers: Default::default(), secret: None });
        let new = NewStream {
            stream_id: Some(StreamId::try_from("push".to_owned()).unwrap()),
            name: None,
            event_type: EventType::Cis,
            destination: hook,
            batch_size: BatchSize::default(),
            enrichment: false,
        };
        platform.create_stream(&tenant, new).await.unwrap();
        let idle: Launcher = Arc::new(|_, _, _| Box::pin(std::future::pending::<()>()));
        let mut first = DeliverySupervisor::with_launcher(platform.clone(), idle.clone());
        let mut second = DeliverySupervisor::with_launcher(platform.clone(), idle);

        first.reconcile().await.unwrap();
        second.reconcile().await.unwrap();
        assert_eq!((first.running(), second.running()), (1, 0), "one replica delivers the stream");

        // The first replica stops renewing (as if killed); its lease runs out and the second takes over.
        drop(first);
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        second.reconcile().await.unwrap();
        assert_eq!(second.running(), 1);
    }
}
