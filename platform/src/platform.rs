//! The domain core: every operation of the contract, independent of HTTP.

use crate::{
    delivery::DeliveryConfig,
    enrich::Enricher,
    store::{self, Store, StoreResult, TokenRecord},
};
use moka::sync::Cache;
use std::{sync::Arc, time::Duration};
use tokio::sync::watch;

/// How a platform runs; the `sluice` binary fills it from its flags.
#[derive(Clone)]
pub struct PlatformConfig {
    /// `sqlite://path` (embedded) or `postgres://…` (shared by several replicas).
    pub database_url: String,
    /// Most PostgreSQL connections this process opens.
    pub database_pool_size: u32,
    /// Base of the collect URLs shown to admins, e.g. `https://sluice.example.com`.
    pub public_url: String,
    /// Lifetime of issued access tokens.
    pub token_ttl: Duration,
    /// How long events are kept once every stream has them.
    pub retention: Duration,
    /// Largest request body accepted.
    pub body_limit: usize,
    /// How push streams are delivered and retried.
    pub delivery: DeliveryConfig,
}

impl PlatformConfig {
    /// Defaults of the contract, for a database URL and the URL the platform is reached at.
    pub fn new(database_url: impl Into<String>, public_url: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            database_pool_size: 16,
            public_url: public_url.into(),
            token_ttl: Duration::from_secs(3600),
            retention: Duration::from_secs(30 * 24 * 3600),
            body_limit: 10 * 1024 * 1024,
            delivery: DeliveryConfig::default(),
        }
    }
}

/// Shows the database URL's scheme only: the rest may carry a password.
impl std::fmt::Debug for PlatformConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformConfig")
            .field("database", &self.database_url.split(':').next().unwrap_or_default())
            .field("database_pool_size", &self.database_pool_size)
            .field("public_url", &self.public_url)
            .field("token_ttl", &self.token_ttl)
            .field("retention", &self.retention)
            .field("body_limit", &self.body_limit)
            .field("delivery", &self.delivery)
            .finish()
    }
}

/// The authenticated caller's tenant: every operation is scoped to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tenant(pub String);

/// The running platform. Cheap to clone: everything inside is shared.
#[derive(Clone)]
pub struct Platform {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) config: Arc<PlatformConfig>,
    /// Verified tokens by hash, so a collect does not pay a database read to authenticate.
    pub(crate) tokens: Cache<String, TokenRecord>,
    pub(crate) enricher: Enricher,
    /// Bumped after every append, so idle delivery workers wake at once instead of polling.
    pub(crate) appended: Arc<watch::Sender<u64>>,
    /// Bumped after every stream write, so the delivery supervisor reacts at once.
    pub(crate) streams_changed: Arc<watch::Sender<u64>>,
}

impl Platform {
    /// Opens the store the config names and migrates it.
    pub async fn open(config: PlatformConfig) -> StoreResult<Self> {
        let store = store::open(&config.database_url, config.database_pool_size).await?;
        Ok(Self::with_store(store, config))
    }

    pub fn with_store(store: Arc<dyn Store>, config: PlatformConfig) -> Self {
        crate::telemetry::init();
        Self {
            enricher: Enricher::new(store.clone()),
            tokens: Cache::builder().max_capacity(100_000).time_to_live(Duration::from_secs(300)).build(),
            store,
            config: Arc::new(config),
            appended: Arc::new(watch::Sender::new(0)),
            streams_changed: Arc::new(watch::Sender::new(0)),
        }
    }

    pub(crate) fn notify_appended(&self) {
        self.appended.send_modify(|n| *n = n.wrapping_add(1));
    }

    pub(crate) fn notify_streams_changed(&self) {
        self.streams_changed.send_modify(|n| *n = n.wrapping_add(1));
    }

    pub fn config(&self) -> &PlatformConfig {
        &self.config
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }
}
