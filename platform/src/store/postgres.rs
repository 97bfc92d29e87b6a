//! The scale-out backend: PostgreSQL shared by several `sluice` replicas.
//!
//! Two rules keep collect exact across replicas. Appends of one tenant are serialised by a
//! transaction-scoped advisory lock, so a tenant's events commit in seq order and a reader can
//! never see seq n+1 while seq n is still in flight (which would let a position skip n for
//! good). And a stream's position moves only under its row's lock (`SELECT … FOR UPDATE`), so
//! two collectors never get the same event.

use super::*;
use crate::json_scan;
use super::rows::{batch_size, destination_json, map_conflict, millis, StreamRow, TokenRow, STREAM_COLUMNS};
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool, Postgres, Row, Transaction,
};
use std::{str::FromStr, time::Duration};

pub struct PostgresStore {
    pool: PgPool,
}

/// Rows per INSERT: 4 bound values each, under PostgreSQL's 65,535 parameters.
const ROWS_PER_INSERT: usize = 1000;

/// The database's clock in epoch milliseconds: leases compare against one clock, not each replica's.
const DB_NOW: &str = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

async fn advance(
    tx: &mut Transaction<'_, Postgres>,
    tenant_id: &str,
    stream_id: &StreamId,
    through: i64,
    count: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE streams SET position = $1, delivered = delivered + $2, last_delivery_at = $3 \
         WHERE tenant_id = $4 AND stream_id = $5",
    )
    .bind(through)
    .bind(count)
    .bind(millis(Utc::now()))
    .bind(tenant_id)
    .bind(stream_id.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes the tenant's append lock until the transaction ends: this tenant's next append takes
/// its seqs only after these are visible.
async fn lock_tenant(tx: &mut Transaction<'_, Postgres>, tenant_id: &str) -> StoreResult<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))").bind(tenant_id).execute(&mut **tx).await?;
    Ok(())
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user:pass@host:port/db`) with at most `pool_size`
    /// connections, and migrates the schema (concurrent replicas starting together are safe:
    /// sqlx takes an advisory lock around migrations).
    pub async fn open(url: &str, pool_size: u32) -> StoreResult<Self> {
        // Bounds on what a stuck client can hold: a replica cut off mid-transaction must not keep
        // a tenant's append lock or a stream's row lock for good.
        let options = PgConnectOptions::from_str(url)?.options([
            ("idle_in_transaction_session_timeout", "30s"),
            ("lock_timeout", "30s"),
            ("statement_timeout", "60s"),
        ]);
        let pool = PgPoolOptions::new()
            .max_connections(pool_size.max(2))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self { pool })
    }
}

#[async_trait]
impl Store for PostgresStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn ensure_tenant(&self, tenant_id: &str) -> StoreResult<()> {
        sqlx::query("INSERT INTO tenants (tenant_id, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(tenant_id)
            .bind(millis(Utc::now()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn create_app(&self, app: &AppRecord) -> StoreResult<()> {
        sqlx::query("INSERT INTO apps (client_id, tenant_id, secret_hash, created_at) VALUES ($1, $2, $3, $4)")
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
        Ok(sqlx::query_as("SELECT client_id, tenant_id, secret_hash FROM apps WHERE client_id = $1")
            .bind(client_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn insert_token(&self, token_hash: &str, token: &TokenRecord) -> StoreResult<()> {
        sqlx::query("INSERT INTO tokens (token_hash, tenant_id, client_id, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(&token.tenant_id)
            .bind(&token.client_id)
            .bind(millis(token.expires_at))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn find_token(&self, token_hash: &str) -> StoreResult<Option<TokenRecord>> {
        sqlx::query_as::<_, TokenRow>("SELECT tenant_id, client_id, expires_at FROM tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?
            .map(TokenRecord::try_from)
            .transpose()
    }

    async fn append_events(&self, tenant_id: &str, events: &[NewEvent]) -> StoreResult<i64> {
        let received_at = millis(Utc::now());
        let mut tx = self.pool.begin().await?;
        lock_tenant(&mut tx, tenant_id).await?;
        let mut last = 0;
        for slice in events.chunks(ROWS_PER_INSERT) {
            let mut insert = sqlx::QueryBuilder::new("INSERT INTO events (tenant_id, type, received_at, body) ");
            insert.push_values(slice, |mut row, event| {
                row.push_bind(tenant_id).push_bind(event.event_type.as_str()).push_bind(received_at).push_bind(&event.body);
            });
            insert.push(" RETURNING seq");
            let seqs: Vec<i64> = insert.build_query_scalar().fetch_all(&mut *tx).await?;
            last = seqs.into_iter().max().unwrap_or(last);
        }
        tx.commit().await?;
        Ok(last)
    }

    async fn create_stream(&self, stream: &StreamRecord) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        // With the tenant's append lock held no append of this tenant is in flight, so every
        // event of its below MAX(seq) is visible: the stream starts exactly after them.
        lock_tenant(&mut tx, &stream.tenant_id).await?;
        sqlx::query(
            "INSERT INTO streams (tenant_id, stream_id, name, type, destination, batch_size, enrichment, \
             created_at, position, start_position, issued_cursor, state) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, last, last, last, $9 FROM (SELECT COALESCE(MAX(seq), 0) AS last FROM events) m",
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
        .execute(&mut *tx)
        .await
        .map_err(map_conflict)?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_stream(&self, tenant_id: &str, stream_id: &StreamId) -> StoreResult<Option<StreamRecord>> {
        let sql = format!("SELECT {STREAM_COLUMNS} FROM streams WHERE tenant_id = $1 AND stream_id = $2");
        let row = sqlx::query_as::<_, StreamRow>(&sql).bind(tenant_id).bind(stream_id.as_str()).fetch_optional(&self.pool).await?;
        row.map(StreamRecord::try_from).transpose()
    }

    async fn list_streams(&self, tenant_id: &str) -> StoreResult<Vec<StreamRecord>> {
        let sql = format!("SELECT {STREAM_COLUMNS} FROM streams WHERE tenant_id = $1 ORDER BY created_at, stream_id");
        let rows = sqlx::query_as::<_, StreamRow>(&sql).bind(tenant_id).fetch_all(&self.pool).await?;
        rows.into_iter().map(StreamRecord::try_from).collect()
    }

    async fn all_streams(&self) -> StoreResult<Vec<StreamRecord>> {
        let sql = format!("SELECT {STREAM_COLUMNS} FROM streams ORDER BY tenant_id, stream_id");
        let rows = sqlx::query_as::<_, StreamRow>(&sql).fetch_all(&self.pool).await?;
        rows.into_iter().map(StreamRecord::try_from).collect()
    }

    async fn update_stream(&self, stream: &StreamRecord) -> StoreResult<()> {
        let updated = sqlx::query(
            "UPDATE streams SET name = $1, destination = $2, batch_size = $3, enrichment = $4, \
             settings_version = settings_version + 1, state = 'active', last_error = NULL \
             WHERE tenant_id = $5 AND stream_id = $6",
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
        let deleted = sqlx::query("DELETE FROM streams WHERE tenant_id = $1 AND stream_id = $2")
            .bind(tenant_id)
            .bind(stream_id.as_str())
            .execute(&self.pool)
            .await?;
        Ok(deleted.rows_affected() > 0)
    }

    async fn stream_lag(&self, stream: &StreamRecord) -> StoreResult<u64> {
        let lag: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE tenant_id = $1 AND type = $2 AND seq > $3")
            .bind(&stream.tenant_id)
            .bind(stream.event_type.as_str())
            .bind(stream.position)
            .fetch_one(&self.pool)
            .await?;
        Ok(lag.try_into().unwrap_or(0))
    }

    async fn read_events(&self, tenant_id: &str, event_type: EventType, after: i64, limit: u16)
        -> StoreResult<Vec<StoredEvent>> {
        Ok(sqlx::query_as::<_, StoredEvent>(
            "SELECT seq, body FROM events WHERE tenant_id = $1 AND type = $2 AND seq > $3 ORDER BY seq LIMIT $4",
        )
        .bind(tenant_id)
        .bind(event_type.as_str())
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn commit_delivery(&self, stream: &StreamRecord, holder: &str, through: i64, count: u64) -> StoreResult<bool> {
        let sql = format!(
            "UPDATE streams SET position = $1, delivered = delivered + $2, last_delivery_at = $3, state = 'active', \
             last_error = NULL WHERE tenant_id = $4 AND stream_id = $5 AND position = $6 AND settings_version = $7 \
             AND lease_holder = $8 AND lease_expires_at > {DB_NOW}"
        );
        let updated = sqlx::query(&sql)
        .bind(through)
        .bind(i64::try_from(count).unwrap_or(i64::MAX))
        .bind(millis(Utc::now()))
        .bind(&stream.tenant_id)
        .bind(stream.stream_id.as_str())
        .bind(stream.position)
        .bind(stream.settings_version)
        .bind(holder)
        .execute(&self.pool)
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    async fn acquire_lease(&self, tenant_id: &str, stream_id: &StreamId, holder: &str, ttl: Duration) -> StoreResult<bool> {
        let sql = format!(
            "UPDATE streams SET lease_holder = $1, lease_expires_at = {DB_NOW} + $2 WHERE tenant_id = $3 AND stream_id = $4 \
             AND (lease_holder IS NULL OR lease_holder = $1 OR lease_expires_at < {DB_NOW})"
        );
        let taken = sqlx::query(&sql)
            .bind(holder)
            .bind(i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX / 2))
            .bind(tenant_id)
            .bind(stream_id.as_str())
            .execute(&self.pool)
            .await?;
        Ok(taken.rows_affected() == 1)
    }

    async fn set_stream_health(&self, stream: &StreamRecord, state: StreamState, last_error: Option<&str>)
        -> StoreResult<()> {
        sqlx::query(
            "UPDATE streams SET state = $1, last_error = $2 WHERE tenant_id = $3 AND stream_id = $4 AND settings_version = $5",
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
        let mut tx = self.pool.begin().await?;
        if mode == CollectMode::AutoCommit {
            // As on SQLite: an auto-commit advance is not waited onto disk. A crash of the database
            // server can only move the position back, replaying events, never skip one.
            sqlx::query("SET LOCAL synchronous_commit = off").execute(&mut *tx).await?;
        }
        // The row lock serialises collects of this stream across every replica until commit.
        let row = sqlx::query(
            "SELECT position, start_position, issued_cursor, batch_size, enrichment FROM streams WHERE tenant_id = $1 AND stream_id = $2 \
             AND type = $3 AND destination::jsonb ->> 'kind' = 'custom' FOR UPDATE",
        )
        .bind(tenant_id)
        .bind(stream_id.as_str())
        .bind(event_type.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let event_type = event_type.as_str();
        let position: i64 = row.try_get("position")?;
        let start_position: i64 = row.try_get("start_position")?;
        let issued: i64 = row.try_get("issued_cursor")?;
        let limit = match limit {
            Some(limit) => limit,
            None => batch_size(row.try_get("batch_size")?)?,
        };
        let enrichment: bool = row.try_get("enrichment")?;

        let start = match mode {
            CollectMode::AutoCommit | CollectMode::Cursor { commit_through: None } => position,
            CollectMode::Cursor { commit_through: Some(cursor) } => {
                if cursor > issued.max(position) {
                    return Err(StoreError::InvalidCursor);
                }
                if cursor > position {
                    let committed: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM events WHERE tenant_id = $1 AND type = $2 AND seq > $3 AND seq <= $4",
                    )
                    .bind(tenant_id)
                    .bind(event_type)
                    .bind(position)
                    .bind(cursor)
                    .fetch_one(&mut *tx)
                    .await?;
                    advance(&mut tx, tenant_id, stream_id, cursor, committed).await?;
                }
                cursor.max(start_position)
            }
        };

        let (count, last, array): (i64, i64, String) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(MAX(seq), 0), '[' || COALESCE(string_agg(body, ',' ORDER BY seq), '') || ']' FROM \
             (SELECT seq, body FROM events WHERE tenant_id = $1 AND type = $2 AND seq > $3 ORDER BY seq LIMIT $4) batch",
        )
        .bind(tenant_id)
        .bind(event_type)
        .bind(start)
        .bind(i64::from(limit))
        .fetch_one(&mut *tx)
        .await?;

        let cursor = if count == 0 { start } else { last };
        if mode != CollectMode::AutoCommit && cursor > issued {
            sqlx::query("UPDATE streams SET issued_cursor = $1 WHERE tenant_id = $2 AND stream_id = $3")
                .bind(cursor)
                .bind(tenant_id)
                .bind(stream_id.as_str())
                .execute(&mut *tx)
                .await?;
        }
        if mode == CollectMode::AutoCommit && count > 0 {
            advance(&mut tx, tenant_id, stream_id, cursor, count).await?;
        }
        tx.commit().await?;
        let events = json_scan::element_ranges(&array);
        Ok(Collected { array, events, cursor, enrichment })
    }

    async fn put_directory(&self, tenant_id: &str, entries: &[DirectoryEntry]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        for entry in entries {
            sqlx::query(
                "INSERT INTO directory (tenant_id, kind, id, data) VALUES ($1, $2, $3, $4) \
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
        Ok(sqlx::query_scalar("SELECT data FROM directory WHERE tenant_id = $1 AND kind = $2 AND id = $3")
            .bind(tenant_id)
            .bind(kind.as_str())
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn delete_directory(&self, tenant_id: &str, kind: DirectoryKind, id: &str) -> StoreResult<bool> {
        let deleted = sqlx::query("DELETE FROM directory WHERE tenant_id = $1 AND kind = $2 AND id = $3")
            .bind(tenant_id)
            .bind(kind.as_str())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(deleted.rows_affected() > 0)
    }

    async fn purge(&self, cutoff: DateTime<Utc>) -> StoreResult<u64> {
        let cutoff = millis(cutoff);
        let mut purged = 0;
        // Per tenant and type, along events_by_stream up to the slowest stream's position: old
        // events a lagging stream still needs are never scanned again and again.
        let floors: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT tenant_id, type, MIN(position) FROM streams GROUP BY tenant_id, type")
                .fetch_all(&self.pool)
                .await?;
        for (tenant_id, event_type, floor) in floors {
            loop {
                // In slices, so each delete holds its locks briefly.
                let deleted = sqlx::query(
                    "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE tenant_id = $1 AND type = $2 \
                     AND seq <= $3 AND received_at < $4 ORDER BY seq LIMIT 5000)",
                )
                .bind(&tenant_id)
                .bind(&event_type)
                .bind(floor)
                .bind(cutoff)
                .execute(&self.pool)
                .await?
                .rows_affected();
                purged += deleted;
                if deleted < 5000 {
                    break;
                }
            }
        }
        // Events of a tenant and type that no stream reads.
        loop {
            let deleted = sqlx::query(
                "DELETE FROM events WHERE seq IN (SELECT e.seq FROM events e WHERE e.received_at < $1 AND NOT EXISTS \
                 (SELECT 1 FROM streams s WHERE s.tenant_id = e.tenant_id AND s.type = e.type) LIMIT 5000)",
            )
            .bind(cutoff)
            .execute(&self.pool)
            .await?
            .rows_affected();
            purged += deleted;
            if deleted < 5000 {
                break;
            }
        }
        sqlx::query("DELETE FROM tokens WHERE expires_at < $1").bind(millis(Utc::now())).execute(&self.pool).await?;
        Ok(purged)
    }
}
