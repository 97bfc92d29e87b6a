//! Retention: events past the window that every stream has are deleted in the background.

use crate::{platform::Platform, store::StoreResult};
use chrono::Utc;
use std::time::Duration;

impl Platform {
    /// One retention pass; returns how many events it deleted.
    pub async fn purge_expired(&self) -> StoreResult<u64> {
        let window = chrono::Duration::from_std(self.config.retention).unwrap_or(chrono::Duration::days(30));
        self.store.purge(Utc::now() - window).await
    }

    /// Runs a retention pass every `every` until the task is dropped.
    pub async fn run_retention(self, every: Duration) {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match self.purge_expired().await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "retention deleted expired events"),
                Err(error) => tracing::warn!(%error, "retention pass failed"),
            }
        }
    }
}
