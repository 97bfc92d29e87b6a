//! Collect on SQLite, on a connection of its own driven synchronously on a blocking thread.
//!
//! sqlx runs each statement on its connection's worker thread, so a collect of five statements
//! took ten thread hand-offs, and its batch was copied three times on the way (SQLite's
//! group_concat, sqlx's String, the response). Here one hand-off runs the whole transaction with
//! rusqlite, and each event is copied once, from SQLite's page straight into the response.
//!
//! A collector that drains a stream waits for each batch to arrive before it asks for the next,
//! so reading the next batch while this one travels takes the read off its path: after a full
//! batch the store reads ahead, and the stream's next call finds its events read already.

use super::{
    super::{rows::batch_size, CollectMode, Collected, StoreError, StoreResult},
    side_connection,
};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::{
    collections::VecDeque,
    ops::Range,
    path::Path,
    sync::{Mutex, MutexGuard, TryLockError},
};

/// Streams whose next batch is held read ahead; one more drops the oldest.
const READ_AHEAD_STREAMS: usize = 8;
/// A batch read ahead that grows past this is dropped, so at most 32 MiB is held.
const READ_AHEAD_MAX_BYTES: usize = 4 << 20;

pub struct Collector {
    connection: Mutex<Connection>,
    ahead: Mutex<Ahead>,
}

/// Batches read ahead, and how many times events were deleted: a read that began before a
/// deletion may hold deleted events, so it is not kept.
#[derive(Default)]
struct Ahead {
    held: VecDeque<(Read, Batch)>,
    deletions: u64,
}

/// One read of events: up to `limit` of a tenant's events of a type after seq `after`, for a
/// stream. Events are never changed, none is added below the highest seq already stored, and
/// only deletions take any away, so a read that found `limit` events finds the same ones until
/// events are next deleted; until then its batch may be served from ahead.
#[derive(Clone, PartialEq, Eq)]
pub struct Read {
    tenant_id: String,
    stream_id: String,
    event_type: &'static str,
    after: i64,
    limit: u16,
}

struct Batch {
    array: String,
    events: Vec<Range<usize>>,
    last: i64,
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
        Ok(Self { connection: Mutex::new(side_connection(path)?), ahead: Mutex::default() })
    }

    /// Reads the batch and advances the stream as `request.mode` says, in one transaction that
    /// holds SQLite's write lock from its start, so concurrent collects of a stream never
    /// overlap whatever the caller holds. After a full batch it names the read to do ahead.
    pub fn collect(&self, request: &Request) -> StoreResult<(Collected, Option<Read>)> {
        let mut connection = lock(&self.connection);
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

        let read = Read { tenant_id: tenant_id.clone(), stream_id: stream_id.clone(), event_type, after: start, limit };
        let Batch { array, events, last } = match self.take_ahead(&read) {
            Some(batch) => batch,
            None => read.run(&tx, usize::MAX)?,
        };
        let count = events.len() as i64;

        if request.mode != CollectMode::AutoCommit && last > issued {
            tx.prepare_cached("UPDATE streams SET issued_cursor = ?1 WHERE tenant_id = ?2 AND stream_id = ?3")?
                .execute(params![last, tenant_id, stream_id])?;
        }
        if request.mode == CollectMode::AutoCommit && count > 0 {
            advance(last, count)?;
        }
        tx.commit()?;
        let next = (events.len() == usize::from(limit)).then_some(Read { after: last, ..read });
        Ok((Collected { array, events, cursor: last, enrichment }, next))
    }

    /// Does `read` and holds its batch for the stream's next call, if it is full. Outside a
    /// transaction, its one statement reads one snapshot. A read that fails is dropped: the
    /// next collect reads for itself. So is one that would wait: a collect has the connection,
    /// and reading ahead must not make the next one, or the writes queued behind it, wait.
    pub fn read_ahead(&self, read: Read) {
        let connection = match self.connection.try_lock() {
            Ok(connection) => connection,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => return,
        };
        let deletions = {
            let ahead = lock(&self.ahead);
            if ahead.held.iter().any(|(held, _)| *held == read) {
                return;
            }
            ahead.deletions
        };
        let Ok(batch) = read.run(&connection, READ_AHEAD_MAX_BYTES) else { return };
        // Fewer than asked for (or cut short by its size): events stored meanwhile would belong
        // in it.
        if batch.events.len() < usize::from(read.limit) {
            return;
        }
        let mut ahead = lock(&self.ahead);
        if ahead.deletions != deletions {
            return;
        }
        ahead.held.retain(|(held, _)| (&held.tenant_id, &held.stream_id) != (&read.tenant_id, &read.stream_id));
        if ahead.held.len() == READ_AHEAD_STREAMS {
            ahead.held.pop_front();
        }
        ahead.held.push_back((read, batch));
    }

    /// Drops every batch read ahead, and any read under way, once events have been deleted.
    pub fn events_deleted(&self) {
        let mut ahead = lock(&self.ahead);
        ahead.held.clear();
        ahead.deletions += 1;
    }

    fn take_ahead(&self, read: &Read) -> Option<Batch> {
        let mut ahead = lock(&self.ahead);
        let held = ahead.held.iter().position(|(held, _)| held == read)?;
        ahead.held.remove(held).map(|(_, batch)| batch)
    }
}

impl Read {
    /// The events, copied from SQLite's pages straight into the array collect serves; it stops
    /// early, before the event that would take the array past `max_bytes`.
    fn run(&self, connection: &Connection, max_bytes: usize) -> StoreResult<Batch> {
        let mut batch = Batch {
            array: String::with_capacity(usize::from(self.limit) * 512 + 2),
            events: Vec::with_capacity(usize::from(self.limit)),
            last: self.after,
        };
        batch.array.push('[');
        let mut statement = connection.prepare_cached(
            "SELECT seq, body FROM events WHERE tenant_id = ?1 AND type = ?2 AND seq > ?3 ORDER BY seq LIMIT ?4",
        )?;
        let mut rows = statement.query(params![self.tenant_id, self.event_type, self.after, self.limit])?;
        while let Some(row) = rows.next()? {
            let event = row.get_ref(1)?.as_str().map_err(|e| StoreError::Corrupt(format!("stored event: {e}")))?;
            if batch.array.len().saturating_add(event.len() + 2) > max_bytes {
                break;
            }
            if !batch.events.is_empty() {
                batch.array.push(',');
            }
            batch.last = row.get(0)?;
            batch.events.push(batch.array.len()..batch.array.len() + event.len());
            batch.array.push_str(event);
        }
        batch.array.push(']');
        Ok(batch)
    }
}

/// A poisoned lock still guards sound data here: every change under it is one assignment.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::{lock, Read};
    use crate::{
        model::{Destination, EventType, StreamId},
        store::{CollectMode, NewEvent, SqliteStore, Store, StreamRecord},
    };
    use chrono::{Duration as Age, Utc};
    use std::time::{Duration, Instant};

    async fn store_with_stream(data: &tempfile::TempDir) -> (SqliteStore, StreamId) {
        let store = SqliteStore::open(&format!("sqlite://{}", data.path().join("c.db").display())).await.unwrap();
        let stream_id = StreamId::try_from("pull".to_owned()).unwrap();
        store.create_stream(&record(&stream_id)).await.unwrap();
        let events: Vec<NewEvent> = (0..4).map(|n| NewEvent { event_type: EventType::Cis, body: format!(r#"{{"n":{n}}}"#) }).collect();
        store.append_events("t", &events).await.unwrap();
        (store, stream_id)
    }

    fn record(stream_id: &StreamId) -> StreamRecord {
        StreamRecord::new("t".into(), stream_id.clone(), EventType::Cis, Destination::Custom)
    }

    async fn collect(store: &SqliteStore, stream_id: &StreamId) -> String {
        store.collect("t", stream_id, EventType::Cis, Some(2), CollectMode::AutoCommit).await.unwrap().array
    }

    /// Waits for the read ahead the last full batch started to be held.
    async fn read_ahead(store: &SqliteStore) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while lock(&store.collector.ahead).held.is_empty() {
            assert!(Instant::now() < deadline, "no batch was read ahead after a full one");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    #[tokio::test]
    async fn the_batch_after_a_full_one_is_served_from_ahead() {
        let data = tempfile::tempdir().unwrap();
        let (store, stream_id) = store_with_stream(&data).await;
        assert_eq!(collect(&store, &stream_id).await, r#"[{"n":0},{"n":1}]"#);
        read_ahead(&store).await;
        assert_eq!(collect(&store, &stream_id).await, r#"[{"n":2},{"n":3}]"#);
        // Taken by the collect that served it; the next read ahead finds nothing to hold.
        assert!(lock(&store.collector.ahead).held.iter().all(|(read, _)| read.after != 2));
        assert_eq!(store.get_stream("t", &stream_id).await.unwrap().unwrap().delivered, 4);
    }

    #[tokio::test]
    async fn a_batch_read_ahead_is_dropped_when_events_are_deleted() {
        let data = tempfile::tempdir().unwrap();
        let (store, stream_id) = store_with_stream(&data).await;
        let (pull, cis) = (&stream_id, EventType::Cis);
        let peek = store.collect("t", pull, cis, Some(2), CollectMode::Cursor { commit_through: None }).await.unwrap();
        read_ahead(&store).await;
        // The stream moves past all four events, which retention may then delete; the batch
        // read after the first two stays held.
        assert_eq!(store.collect("t", pull, cis, Some(4), CollectMode::AutoCommit).await.unwrap().events.len(), 4);
        assert_eq!(store.purge(Utc::now() + Age::days(1)).await.unwrap(), 4);
        // A cursor behind the position reads again after it: there is nothing left to read.
        let again = store.collect("t", pull, cis, Some(2), CollectMode::Cursor { commit_through: Some(peek.cursor) }).await.unwrap();
        assert_eq!(again.array, "[]");
    }

    #[tokio::test]
    async fn a_read_stops_before_the_event_that_would_pass_its_bound() {
        let data = tempfile::tempdir().unwrap();
        let (store, stream_id) = store_with_stream(&data).await;
        let read = Read { tenant_id: "t".into(), stream_id: stream_id.to_string(), event_type: "cis", after: 0, limit: 4 };
        let connection = lock(&store.collector.connection);
        // `[{"n":0},{"n":1}]` is 17 bytes.
        let batch = read.run(&connection, 17).unwrap();
        assert_eq!((batch.array.as_str(), batch.events.len()), (r#"[{"n":0},{"n":1}]"#, 2));
        assert_eq!(read.run(&connection, 16).unwrap().array, r#"[{"n":0}]"#);
    }
}
