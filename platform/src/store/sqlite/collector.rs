//! Collect on SQLite, on a connection of its own driven synchronously on a blocking thread.
//!
//! sqlx runs each statement on its connection's worker thread, so a collect of five statements
//! took ten thread hand-offs, and its batch was copied three times on the way (SQLite's
//! group_concat, sqlx's String, the response). Here one hand-off runs the whole transaction with
//! rusqlite, and each event is copied once, from SQLite's page straight into the response.

use super::{
    super::{rows::batch_size, CollectMode, Collected, StoreError, StoreResult},
    side_connection,
};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::{path::Path, sync::Mutex};

pub struct Collector {
    connection: Mutex<Connection>,
}

/// What one collect call asks.
pub struct Request {
    pub tenant_id: String,
    pub stream_id: String,
    pub event_type: &'static str,
    pub limit: Option<u16>,
    pub mode: CollectMode,
    pub now: i64,
}

impl Collector {
    pub fn open(path: &Path) -> StoreResult<Self> {
        // Checkpoints are the checkpointer's and, past their bound, the pool's: a collect's
        // advance adds a page or two, not worth making one wait.
        Ok(Self { connection: Mutex::new(side_connection(path)?) })
    }

    /// Reads the batch and advances the stream as `request.mode` says, in one transaction that
    /// holds SQLite's write lock from its start, so concurrent collects of a stream never
    /// overlap whatever the caller holds.
    pub fn collect(&self, request: &Request) -> StoreResult<Collected> {
        let mut connection = self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // An auto-commit advance is not waited onto disk: it reaches the WAL at once, so it
        // survives a crash of the process, and the disk with the next fsync (any ingest's, or a
        // checkpoint's). A power loss can only move it back, replaying events; it never skips
        // one. The fsync spared cost more than reading the batch. A cursor commit is fsynced.
        let synchronous = if request.mode == CollectMode::AutoCommit { "NORMAL" } else { "FULL" };
        connection.pragma_update(None, "synchronous", synchronous)?;
        let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (tenant_id, stream_id, event_type) = (&request.tenant_id, &request.stream_id, request.event_type);

        // Only a custom stream of the requested type is collected; checked in the transaction,
        // so a stream deleted or changed meanwhile is never read as the old one.
        let (position, start_position, issued, stored_batch_size, enrichment) = tx
            .prepare_cached(
                "SELECT position, start_position, issued_cursor, batch_size, enrichment FROM streams \
                 WHERE tenant_id = ?1 AND stream_id = ?2 AND type = ?3 AND json_extract(destination, '$.kind') = 'custom'",
            )?
            .query_row(params![tenant_id, stream_id, event_type], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, row.get::<_, i64>(2)?, row.get::<_, i64>(3)?, row.get(4)?))
            })
            .optional()?
            .ok_or(StoreError::NotFound)?;
        let limit = match request.limit {
            Some(limit) => limit,
            None => batch_size(stored_batch_size)?,
        };

        let advance = |through: i64, count: i64| -> StoreResult<()> {
            tx.prepare_cached(
                "UPDATE streams SET position = ?1, delivered = delivered + ?2, last_delivery_at = ?3 \
                 WHERE tenant_id = ?4 AND stream_id = ?5",
            )?
            .execute(params![through, count, request.now, tenant_id, stream_id])?;
            Ok(())
        };
        let start = match request.mode {
            CollectMode::AutoCommit | CollectMode::Cursor { commit_through: None } => position,
            CollectMode::Cursor { commit_through: Some(cursor) } => {
                if cursor > issued.max(position) {
                    return Err(StoreError::InvalidCursor);
                }
                if cursor > position {
                    let committed: i64 = tx
                        .prepare_cached(
                            "SELECT COUNT(*) FROM events WHERE tenant_id = ?1 AND type = ?2 AND seq > ?3 AND seq <= ?4",
                        )?
                        .query_row(params![tenant_id, event_type, position, cursor], |row| row.get(0))?;
                    advance(cursor, committed)?;
                }
                cursor.max(start_position)
            }
        };

        let (mut count, mut last) = (0, start);
        let mut array = String::with_capacity(usize::from(limit) * 512 + 2);
        let mut events = Vec::with_capacity(usize::from(limit));
        array.push('[');
        {
            let mut statement = tx.prepare_cached(
                "SELECT seq, body FROM events WHERE tenant_id = ?1 AND type = ?2 AND seq > ?3 ORDER BY seq LIMIT ?4",
            )?;
            let mut rows = statement.query(params![tenant_id, event_type, start, limit])?;
            while let Some(row) = rows.next()? {
                if count > 0 {
                    array.push(',');
                }
                last = row.get(0)?;
                let event = row.get_ref(1)?.as_str().map_err(|e| StoreError::Corrupt(format!("stored event: {e}")))?;
                events.push(array.len()..array.len() + event.len());
                array.push_str(event);
                count += 1;
            }
        }
        array.push(']');

        if request.mode != CollectMode::AutoCommit && last > issued {
            tx.prepare_cached("UPDATE streams SET issued_cursor = ?1 WHERE tenant_id = ?2 AND stream_id = ?3")?
                .execute(params![last, tenant_id, stream_id])?;
        }
        if request.mode == CollectMode::AutoCommit && count > 0 {
            advance(last, count)?;
        }
        tx.commit()?;
        Ok(Collected { array, events, cursor: last, enrichment })
    }
}
