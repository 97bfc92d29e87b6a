//! The embedded backend: one SQLite file in WAL mode.

mod checkpointer;
mod collector;

use super::*;
use super::rows::{destination_json, map_conflict, millis, StreamRow, TokenRow, STREAM_COLUMNS};
use checkpointer::Checkpointer;
use collector::Collector;
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    SqlitePool,
};
use std::{str::FromStr, sync::Arc, time::Duration};
use tokio::sync::Mutex;

/// SQLite allows one writer at a time; writes queue on `write` instead of failing with
/// SQLITE_BUSY, and each runs in one transaction, so collect's read-then-advance is atomic.
pub struct SqliteStore {
    pool: SqlitePool,
    collector: Arc<Collector>,
    checkpointer: Checkpointer,
    write: Mutex<()>,
}

/// The WAL's size, in 4 KiB pages, past which a commit checkpoints rather than wait for the
/// checkpointer: 64 MiB.
const WAL_BOUND_PAGES: u32 = 16_384;

/// Rows per INSERT statement: 4 bound values each, well under SQLite's limit of 32,766.
const ROWS_PER_INSERT: usize = 500;

/// A rusqlite connection of the store's own, beside sqlx's pool: it waits on a busy database as
/// the pool does, and leaves checkpoints to the checkpointer.
fn side_connection(path: &std::path::Path) -> StoreResult<rusqlite::Connection> {
    let connection = rusqlite::Connection::open(path)?;
    connection.busy_timeout(Duration::from_secs(10))?;
    connection.pragma_update(None, "wal_autocheckpoint", 0)?;
    Ok(connection)
}

impl SqliteStore {
    /// Opens (creating when missing) the database at `url`, e.g. `sqlite://./data/sluice.db`.
    pub async fn open(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a 202 survives power loss, not only a process crash (collect sets its own).
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // The checkpointer's thread does it, so no request waits for one. This bound is the
            // backstop: under writes without pause its checkpoints may never catch up with the
            // last frame, and only a complete one lets the WAL start over, so past 64 MiB the
            // write that commits finishes the checkpoint (what remains of it) itself, and the
            // file is cut back to that size when the WAL starts over.
            .pragma("wal_autocheckpoint", WAL_BOUND_PAGES.to_string())
            .pragma("journal_size_limit", (WAL_BOUND_PAGES * 4096).to_string());
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options.clone()).await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        let collector = Arc::new(Collector::open(options.get_filename())?);
        // The embedded database belongs to this one process: leases a killed predecessor held
        // are void, and keeping them would delay delivery until they expire.
        sqlx::query("UPDATE streams SET lease_holder = NULL, lease_expires_at = NULL").execute(&pool).await?;
        let checkpointer = Checkpointer::start(options.get_filename())?;
        Ok(Self { pool, collector, checkpointer, write: Mutex::new(()) })
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn ensure_tenant(&self, tenant_id: &str) -> StoreResult<()> {
        let _write = self.write.lock().await;
        sqlx::query("INSERT INTO tenants (tenant_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .bind(tenant_id)
            .bind(millis(Utc::now()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn create_app(&self, app: &AppRecord) -> StoreResult<()> {
        let _write = self.write.lock().await;
        sqlx::query("INSERT INTO apps (client_id, tenant_id, secret_hash, created_at) VALUES (?, ?, ?, ?)")
            .bind(&app.client_id)
            .bind(&app.tenant_id)
            .bind(&app.secret_hash)
            .bind(millis(Utc::now()))
            .execute(&self.pool)
            .await
            .map_err(map_conflict)?;
        Ok(())
    }

    async fn find_app(&self, client_id: &str) -> StoreResult<Option<AppRecord>> {
        Ok(sqlx::query_as("SELECT client_id, tenant_id, secret_hash FROM apps WHERE client_id = ?")
            .bind(client_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn insert_token(&self, token_hash: &str, token: &TokenRecord) -> StoreResult<()> {
        let _write = self.write.lock().await;
        sqlx::query("INSERT INTO tokens (token_hash, tenant_id, client_id, expires_at) VALUES (?, ?, ?, ?)")
            .bind(token_hash)
            .bind(&token.tenant_id)
            .bind(&token.client_id)
            .bind(millis(token.expires_at))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn find_token(&self, token_hash: &str) -> StoreResult<Option<TokenRecord>> {
        sqlx::query_as::<_, TokenRow>("SELECT tenant_id, client_id, expires_at FROM tokens WHERE token_hash = ?")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?
            .map(TokenRecord::try_from)
            .transpose()
    }

    async fn append_events(&self, tenant_id: &str, events: &[NewEvent]) -> StoreResult<i64> {
        let received_at = millis(Utc::now());
        let _write = self.write.lock().await;
        let mut tx = self.pool.begin().await?;
        let mut last = 0;
        // Multi-row statements: one round trip into SQLite per slice instead of per event.
        for slice in events.chunks(ROWS_PER_INSERT) {
            let mut insert = sqlx::QueryBuilder::new("INSERT INTO events (tenant_id, type, received_at, body) ");
            insert.push_values(slice, |mut row, event| {
                row.push_bind(tenant_id).push_bind(event.event_type.as_str()).push_bind(received_at).push_bind(&event.body);
            });
            last = insert.build().execute(&mut *tx).await?.last_insert_rowid();
        }
        tx.commit().await?;
        self.checkpointer.wrote();
        Ok(last)
    }

    async fn create_stream(&self, stream: &StreamRecord) -> StoreResult<()> {
        let _write = self.write.lock().await;
        // Positioned after every event stored so far: earlier events are not part of the stream.
        sqlx::query(
            "INSERT INTO streams (tenant_id, stream_id, name, type, destination, batch_size, enrichment, \
             created_at, position, start_position, issued_cursor, state) \
             SELECT ?, ?, ?, ?, ?, ?, ?, ?, last, last, last, ? FROM (SELECT COALESCE(MAX(seq), 0) AS last FROM events)",
        )
        .bind(&stream.tenant_id)
        .bind(stream.stream_id.as_str())
        .bind(&stream.name)
        .bind(stream.event_type.as_str())
        .bind(destination_json(&stream.destination)?)
        .bind(i64::from(stream.batch_size))
        .bind(stream.enrichment)
        .bind(millis(stream.created_at))
        .bind(stream.state.as_str())
        .execute(&self.pool)
        .await
        .map_err(map_conflict)?;
        Ok(())
    }

    async fn get_stream(&self, tenant_id: &str, stream_id: &StreamId) -> StoreResult<Option<StreamRecord>> {
        let sql = format!("SELECT {STREAM_COLUMNS} FROM streams WHERE tenant_id = ? AND stream_id = ?");
        let row = sqlx::query_as::<_, StreamRow>(&sql)
            .bind(tenant_id)
            .bind(stream_id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.map(StreamRecord::try_from).transpose()
    }

    async fn list_streams(&self, tenant_id: &str) -> StoreResult<Vec<StreamRecord>> {
        let sql = format!("SELECT {STREAM_COLUMNS} FROM streams WHERE tenant_id = ? ORDER BY created_at, stream_id");
        let rows = sqlx::query_as::<_, StreamRow>(&sql).bind(tenant_id).fetch_all(&self.pool).await?;
        rows.into_iter().map(StreamRecord::try_from).collect()
    }

    async fn all_streams(&self) -> StoreResult<Vec<StreamRecord>> {
        let sql = format!("SELECT {STREAM_COLUMNS} FROM streams ORDER BY tenant_id, stream_id");
        let rows = sqlx::query_as::<_, StreamRow>(&sql).fetch_all(&self.pool).await?;
        rows.into_iter().map(StreamRecord::try_from).collect()
    }

    async fn update_stream(&self, stream: &StreamRecord) -> StoreResult<()> {
        let _write = self.write.lock().await;
        let updated = sqlx::query(
            "UPDATE streams SET name = ?, destination = ?, batch_size = ?, enrichment = ?, \
             settings_version = settings_version + 1, state = 'active', last_error = NULL \
             WHERE tenant_id = ? AND stream_id = ?",
        )
        .bind(&stream.name)
        .bind(destination_json(&stream.destination)?)
        .bind(i64::from(stream.batch_size))
        .bind(stream.enrichment)
        .bind(&stream.tenant_id)
        .bind(stream.stream_id.as_str())
        .execute(&self.pool)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn delete_stream(&self, tenant_id: &str, stream_id: &StreamId) -> StoreResult<bool> {
        let _write = self.write.lock().await;
        let deleted = sqlx::query("DELETE FROM streams WHERE tenant_id = ? AND stream_id = ?")
            .bind(tenant_id)
            .bind(stream_id.as_str())
            .execute(&self.pool)
            .await?;
        Ok(deleted.rows_affected() > 0)
    }

    async fn stream_lag(&self, stream: &StreamRecord) -> StoreResult<u64> {
        let lag: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE tenant_id = ? AND type = ? AND seq > ?")
            .bind(&stream.tenant_id)
            .bind(stream.event_type.as_str())
            .bind(stream.position)
            .fetch_one(&self.pool)
            .await?;
        Ok(lag.try_into().unwrap_or(0))
    }

    async fn read_events(&self, tenant_id: &str, event_type: EventType, after: i64, limit: u16)
        -> StoreResult<Vec<StoredEvent>> {
        sqlx::query_as::<_, StoredEvent>(
            "SELECT seq, body FROM events WHERE tenant_id = ? AND type = ? AND seq > ? ORDER BY seq LIMIT ?")
            .bind(tenant_id)
            .bind(event_type.as_str())
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::from)
    }

    async fn commit_delivery(&self, stream: &StreamRecord, holder: &str, through: i64, count: u64) -> StoreResult<bool> {
        let _write = self.write.lock().await;
        let updated = sqlx::query(
            "UPDATE streams SET position = ?, delivered = delivered + ?, last_delivery_at = ?, state = 'active', \
             last_error = NULL WHERE tenant_id = ? AND stream_id = ? AND position = ? AND settings_version = ? \
             AND lease_holder = ? AND lease_expires_at > ?",
        )
        .bind(through)
        .bind(i64::try_from(count).unwrap_or(i64::MAX))
        .bind(millis(Utc::now()))
        .bind(&stream.tenant_id)
        .bind(stream.stream_id.as_str())
        .bind(stream.position)
        .bind(stream.settings_version)
        .bind(holder)
        .bind(millis(Utc::now()))
        .execute(&self.pool)
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    async fn acquire_lease(&self, tenant_id: &str, stream_id: &StreamId, holder: &str, ttl: Duration) -> StoreResult<bool> {
        let now = millis(Utc::now());
        let _write = self.write.lock().await;
        let taken = sqlx::query(
            "UPDATE streams SET lease_holder = ?, lease_expires_at = ? WHERE tenant_id = ? AND stream_id = ? \
             AND (lease_holder IS NULL OR lease_holder = ? OR lease_expires_at < ?)",
        )
        .bind(holder)
        .bind(now + i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX / 2))
        .bind(tenant_id)
        .bind(stream_id.as_str())
        .bind(holder)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(taken.rows_affected() == 1)
    }

    async fn set_stream_health(&self, stream: &StreamRecord, state: StreamState, last_error: Option<&str>)
        -> StoreResult<()> {
        let _write = self.write.lock().await;
        sqlx::query(
            "UPDATE streams SET state = ?, last_error = ? WHERE tenant_id = ? AND stream_id = ? AND settings_version = ?",
        )
        .bind(state.as_str())
        .bind(last_error)
        .bind(&stream.tenant_id)
        .bind(stream.stream_id.as_str())
        .bind(stream.settings_version)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn collect(
        &self,
        tenant_id: &str,
        stream_id: &StreamId,
        event_type: EventType,
        limit: Option<u16>,
        mode: CollectMode,
    ) -> StoreResult<Collected> {
        let request = collector::Request {
            tenant_id: tenant_id.to_owned(),
            stream_id: stream_id.as_str().to_owned(),
            event_type: event_type.as_str(),
            limit,
            mode,
            now: millis(Utc::now()),
        };
        let collector = self.collector.clone();
        let write = self.write.lock().await;
        let (collected, next) = tokio::task::spawn_blocking(move || collector.collect(&request)).await??;
        drop(write);
        if let Some(next) = next {
            // While this batch travels to the collector, the next one is read.
            let collector = self.collector.clone();
            tokio::task::spawn_blocking(move || collector.read_ahead(next));
        }
        Ok(collected)
    }

    async fn put_directory(&self, tenant_id: &str, entries: &[DirectoryEntry]) -> StoreResult<()> {
        let _write = self.write.lock().await;
        let mut tx = self.pool.begin().await?;
        for entry in entries {
            sqlx::query(
                "INSERT INTO directory (tenant_id, kind, id, data) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (tenant_id, kind, id) DO UPDATE SET data = excluded.data",
            )
            .bind(tenant_id)
            .bind(entry.kind.as_str())
            .bind(&entry.id)
            .bind(&entry.data)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_directory(&self, tenant_id: &str, kind: DirectoryKind, id: &str) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT data FROM directory WHERE tenant_id = ? AND kind = ? AND id = ?")
            .bind(tenant_id)
            .bind(kind.as_str())
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn delete_directory(&self, tenant_id: &str, kind: DirectoryKind, id: &str) -> StoreResult<bool> {
        let _write = self.write.lock().await;
        let deleted = sqlx::query("DELETE FROM directory WHERE tenant_id = ? AND kind = ? AND id = ?")
            .bind(tenant_id)
            .bind(kind.as_str())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(deleted.rows_affected() > 0)
    }

    async fn purge(&self, cutoff: DateTime<Utc>) -> StoreResult<u64> {
        let mut purged = 0;
        loop {
            // In slices, so ingestion and collect wait for the write lock only briefly.
            let _write = self.write.lock().await;
            let deleted = sqlx::query(
                "DELETE FROM events WHERE seq IN (SELECT e.seq FROM events e WHERE e.received_at < ? \
                 AND e.seq <= COALESCE((SELECT MIN(s.position) FROM streams s \
                 WHERE s.tenant_id = e.tenant_id AND s.type = e.type), 9223372036854775807) LIMIT 5000)",
            )
            .bind(millis(cutoff))
            .execute(&self.pool)
            .await?
            .rows_affected();
            purged += deleted;
            if deleted > 0 {
                self.collector.events_deleted();
            }
            if deleted < 5000 {
                break;
            }
        }
        let _write = self.write.lock().await;
        sqlx::query("DELETE FROM tokens WHERE expires_at < ?")
            .bind(millis(Utc::now()))
            .execute(&self.pool)
            .await?;
        Ok(purged)
    }
}
