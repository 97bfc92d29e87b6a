//! WAL checkpoints on a thread of their own, off every request's path.
//!
//! By default the commit that grows SQLite's WAL past 1000 pages copies them into the database
//! file and fsyncs it before it returns, so every few ingests one paid for the pages of all the
//! others. Here this thread checkpoints passively after each ingest, and each second for smaller
//! writes: beside readers and the next writer, never blocking them. The store's connections
//! checkpoint only past a much larger bound, as a backstop. Durability is unchanged: a commit is
//! fsynced in the WAL.

use super::{super::StoreResult, side_connection};
use std::{
    path::Path,
    sync::mpsc::{self, RecvTimeoutError, SyncSender},
    time::Duration,
};

pub struct Checkpointer {
    wake: SyncSender<()>,
}

impl Checkpointer {
    pub fn start(path: &Path) -> StoreResult<Self> {
        let connection = side_connection(path)?;
        let (wake, woken) = mpsc::sync_channel(1);
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || loop {
                // Ends with the store, which holds the only sender.
                if let Err(RecvTimeoutError::Disconnected) = woken.recv_timeout(Duration::from_secs(1)) {
                    break;
                }
                if let Err(error) = connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    tracing::warn!(%error, "WAL checkpoint failed; the next one retries");
                }
            })?;
        Ok(Self { wake })
    }

    /// Asks for a checkpoint soon; one already asked for covers this write too.
    pub fn wrote(&self) {
        let _ = self.wake.try_send(());
    }
}

#[cfg(test)]
mod tests {
    use crate::{
        model::EventType,
        store::{NewEvent, SqliteStore, Store},
    };
    use std::time::{Duration, Instant};

    #[tokio::test]
    async fn ingested_pages_reach_the_database_file_without_automatic_checkpoints() {
        let data = tempfile::tempdir().unwrap();
        let path = data.path().join("c.db");
        let store = SqliteStore::open(&format!("sqlite://{}", path.display())).await.unwrap();
        let body = format!(r#"{{"pad":"{}"}}"#, "x".repeat(1000));
        let events: Vec<NewEvent> = (0..2000).map(|_| NewEvent { event_type: EventType::Cis, body: body.clone() }).collect();
        for _ in 0..4 {
            store.append_events("t", &events).await.unwrap();
        }
        // 8 MB went into the WAL; only a checkpoint copies it into the database file.
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::fs::metadata(&path).unwrap().len() < 8_000_000 {
            assert!(Instant::now() < deadline, "no checkpoint copied the WAL into the database");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
