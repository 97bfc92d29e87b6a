//! What every `Store` must do, whatever the backend.

use chrono::{Duration as Age, Utc};
use platform::{
    model::{Destination, EventType, StreamId, StreamState, WebhookSettings},
    store::{
        AppRecord, CollectMode, DirectoryEntry, DirectoryKind, NewEvent, Store, StoreError, StreamRecord, TokenRecord,
    },
};
use std::{
    collections::BTreeSet,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

fn id(text: &str) -> StreamId {
    StreamId::try_from(text.to_owned()).unwrap()
}

fn events(event_type: EventType, range: std::ops::Range<usize>) -> Vec<NewEvent> {
    range.map(|n| NewEvent { event_type, body: format!(r#"{{"n":{n}}}"#) }).collect()
}

fn numbers(events: &[platform::store::StoredEvent]) -> Vec<usize> {
    events.iter().map(|e| e.body[5..e.body.len() - 1].parse().unwrap()).collect()
}

/// The `n` of each event a collect returned, in order.
fn collected(batch: &platform::store::Collected) -> Vec<usize> {
    let events: Vec<serde_json::Value> = serde_json::from_str(&batch.array).unwrap();
    assert_eq!(events.len(), batch.events.len());
    let located: Vec<serde_json::Value> =
        batch.events.iter().map(|range| serde_json::from_str(&batch.array[range.clone()]).unwrap()).collect();
    assert_eq!(located, events, "each event's range covers exactly that event");
    events.iter().map(|e| e["n"].as_u64().unwrap() as usize).collect()
}

fn stream(tenant: &str, stream_id: &str, destination: Destination) -> StreamRecord {
    StreamRecord::new(tenant.into(), id(stream_id), EventType::Cis, destination)
}

fn webhook() -> Destination {
    Destination::Webhook(WebhookSettings { url: "http://127.0.0.1:9/".into(), headers: Default::default(), secret: None })
}

pub async fn run(store: Arc<dyn Store>) {
    store.ping().await.unwrap();
    apps_and_tokens(&*store).await;
    streams_and_events(&*store).await;
    collect_modes(&*store).await;
    concurrent_collectors_share_without_overlap(store.clone()).await;
    delivery_commits_and_health(&*store).await;
    leases(&*store).await;
    directory(&*store).await;
    retention(&*store).await;
}

async fn apps_and_tokens(store: &dyn Store) {
    store.ensure_tenant("acme").await.unwrap();
    store.ensure_tenant("acme").await.unwrap();
    let app = AppRecord { client_id: "app-1".into(), tenant_id: "acme".into(), secret_hash: "h".into() };
    store.create_app(&app).await.unwrap();
    assert!(matches!(store.create_app(&app).await, Err(StoreError::Conflict)));
    assert_eq!(store.find_app("app-1").await.unwrap().unwrap().tenant_id, "acme");
    assert!(store.find_app("nobody").await.unwrap().is_none());

    let expires_at = Utc::now() + Age::hours(1);
    let token = TokenRecord { tenant_id: "acme".into(), client_id: "app-1".into(), expires_at };
    store.insert_token("hash-1", &token).await.unwrap();
    let found = store.find_token("hash-1").await.unwrap().unwrap();
    assert_eq!((found.client_id.as_str(), found.expires_at.timestamp_millis()), ("app-1", expires_at.timestamp_millis()));
}

async fn streams_and_events(store: &dyn Store) {
    store.ensure_tenant("globex").await.unwrap();
    store.append_events("acme", &events(EventType::Cis, 0..3)).await.unwrap();
    let created = stream("acme", "late", Destination::Custom);
    store.create_stream(&created).await.unwrap();
    assert!(matches!(store.create_stream(&created).await, Err(StoreError::Conflict)));
    let late = store.get_stream("acme", &id("late")).await.unwrap().unwrap();
    assert_eq!(store.stream_lag(&late).await.unwrap(), 0, "a new stream starts after what is stored");

    let last = store.append_events("acme", &events(EventType::Cis, 3..8)).await.unwrap();
    store.append_events("acme", &events(EventType::Risk, 0..2)).await.unwrap();
    store.append_events("globex", &events(EventType::Cis, 100..104)).await.unwrap();
    assert_eq!(store.stream_lag(&late).await.unwrap(), 5, "only its tenant's events of its type");
    let read = store.read_events("acme", EventType::Cis, late.position, 3).await.unwrap();
    assert_eq!(numbers(&read), [3, 4, 5]);
    assert_eq!(store.read_events("acme", EventType::Cis, late.position, 100).await.unwrap().last().unwrap().seq, last);

    assert!(store.get_stream("globex", &id("late")).await.unwrap().is_none(), "streams are per tenant");
    let mut changed = late.clone();
    changed.batch_size = 7;
    changed.destination = webhook();
    store.update_stream(&changed).await.unwrap();
    let reread = store.get_stream("acme", &id("late")).await.unwrap().unwrap();
    assert_eq!((reread.batch_size, reread.settings_version, reread.position), (7, late.settings_version + 1, late.position));
    assert!(matches!(store.update_stream(&stream("acme", "ghost", Destination::Custom)).await, Err(StoreError::NotFound)));
    assert!(store.list_streams("acme").await.unwrap().iter().any(|s| s.stream_id == id("late")));
    assert!(store.all_streams().await.unwrap().iter().all(|s| s.tenant_id == "acme"));
    assert!(store.delete_stream("acme", &id("late")).await.unwrap());
    assert!(!store.delete_stream("acme", &id("late")).await.unwrap());
}

async fn collect_modes(store: &dyn Store) {
    store.create_stream(&stream("acme", "pull", Destination::Custom)).await.unwrap();
    store.create_stream(&stream("acme", "push", webhook())).await.unwrap();
    store.append_events("acme", &events(EventType::Cis, 10..20)).await.unwrap();
    let (pull, cis) = (id("pull"), EventType::Cis);

    let first = store.collect("acme", &pull, cis, Some(4), CollectMode::AutoCommit).await.unwrap();
    assert_eq!(collected(&first), [10, 11, 12, 13]);
    let peek = store.collect("acme", &pull, cis, Some(2), CollectMode::Cursor { commit_through: None }).await.unwrap();
    assert_eq!(collected(&peek), [14, 15]);
    let again = store.collect("acme", &pull, cis, Some(2), CollectMode::Cursor { commit_through: None }).await.unwrap();
    assert_eq!(collected(&again), [14, 15], "uncommitted events come again");
    let next = store.collect("acme", &pull, cis, Some(10), CollectMode::Cursor { commit_through: Some(peek.cursor) }).await.unwrap();
    assert_eq!(collected(&next), [16, 17, 18, 19]);
    assert!(matches!(
        store.collect("acme", &pull, cis, Some(10), CollectMode::Cursor { commit_through: Some(next.cursor + 1000) }).await,
        Err(StoreError::InvalidCursor)
    ));
    let status = store.get_stream("acme", &pull).await.unwrap().unwrap();
    assert_eq!((status.delivered, status.position), (6, peek.cursor));

    assert!(matches!(store.collect("acme", &id("push"), cis, Some(10), CollectMode::AutoCommit).await, Err(StoreError::NotFound)));
    assert!(matches!(store.collect("acme", &pull, EventType::Risk, Some(10), CollectMode::AutoCommit).await, Err(StoreError::NotFound)));

    // Without a limit the stream's own batch size applies, read with its enrichment setting in
    // the collect's transaction.
    let rich = StreamRecord { batch_size: 3, enrichment: true, ..stream("acme", "rich", Destination::Custom) };
    store.create_stream(&rich).await.unwrap();
    store.append_events("acme", &events(EventType::Cis, 20..25)).await.unwrap();
    let batch = store.collect("acme", &id("rich"), cis, None, CollectMode::AutoCommit).await.unwrap();
    assert_eq!((collected(&batch), batch.enrichment), (vec![20, 21, 22], true));
    assert!(!store.collect("acme", &pull, cis, None, CollectMode::AutoCommit).await.unwrap().enrichment);
}

async fn concurrent_collectors_share_without_overlap(store: Arc<dyn Store>) {
    store.create_stream(&stream("globex", "shared", Destination::Custom)).await.unwrap();
    let appender = {
        let store = store.clone();
        tokio::spawn(async move {
            for first in (0..3000).step_by(100) {
                store.append_events("globex", &events(EventType::Cis, first..first + 100)).await.unwrap();
            }
        })
    };
    let appended = Arc::new(AtomicBool::new(false));
    let mut collectors = Vec::new();
    for _ in 0..8 {
        let (store, appended) = (store.clone(), appended.clone());
        collectors.push(tokio::spawn(async move {
            let mut got = Vec::new();
            loop {
                let done = appended.load(Ordering::SeqCst);
                let batch = store.collect("globex", &id("shared"), EventType::Cis, Some(37), CollectMode::AutoCommit).await.unwrap();
                if batch.events.is_empty() {
                    if done {
                        return got;
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                got.extend(collected(&batch));
            }
        }));
    }
    appender.await.unwrap();
    appended.store(true, Ordering::SeqCst);
    let mut all = Vec::new();
    for collector in collectors {
        all.extend(collector.await.unwrap());
    }
    let unique: BTreeSet<usize> = all.iter().copied().collect();
    assert_eq!(unique.len(), all.len(), "an event went to two collectors");
    assert_eq!(unique, (0..3000).collect(), "an event was skipped");
}

async fn delivery_commits_and_health(store: &dyn Store) {
    let push = store.get_stream("acme", &id("push")).await.unwrap().unwrap();
    let batch = store.read_events("acme", EventType::Cis, push.position, 5).await.unwrap();
    let through = batch.last().unwrap().seq;
    assert!(!store.commit_delivery(&push, "replica-a", through, 5).await.unwrap(), "no lease, no commit");
    assert!(store.acquire_lease("acme", &id("push"), "replica-a", Duration::from_secs(60)).await.unwrap());
    assert!(store.commit_delivery(&push, "replica-a", through, 5).await.unwrap());
    assert!(!store.commit_delivery(&push, "replica-a", through, 5).await.unwrap(), "a stale position commits nothing");
    let moved = store.get_stream("acme", &id("push")).await.unwrap().unwrap();
    assert_eq!((moved.position, moved.delivered), (through, 5));
    assert!(moved.last_delivery_at.is_some());

    store.set_stream_health(&moved, StreamState::Failing, Some("HEC answered 403")).await.unwrap();
    let failing = store.get_stream("acme", &id("push")).await.unwrap().unwrap();
    assert_eq!((failing.state, failing.last_error.as_deref()), (StreamState::Failing, Some("HEC answered 403")));

    store.update_stream(&failing).await.unwrap();
    let patched = store.get_stream("acme", &id("push")).await.unwrap().unwrap();
    assert_eq!((patched.state, patched.last_error.as_deref()), (StreamState::Active, None), "new settings are tried afresh");
    store.set_stream_health(&failing, StreamState::Failing, Some("old news")).await.unwrap();
    assert_eq!(store.get_stream("acme", &id("push")).await.unwrap().unwrap().state, StreamState::Active, "old settings report nothing");
    assert!(!store.commit_delivery(&failing, "replica-a", through + 1, 1).await.unwrap(), "nor commit");
}

async fn leases(store: &dyn Store) {
    let push = id("push");
    let short = Duration::from_millis(1500);
    assert!(store.acquire_lease("acme", &push, "replica-a", short).await.unwrap());
    assert!(!store.acquire_lease("acme", &push, "replica-b", short).await.unwrap(), "held by a");
    assert!(store.acquire_lease("acme", &push, "replica-a", short).await.unwrap(), "a renews");
    tokio::time::sleep(Duration::from_millis(1700)).await;
    assert!(store.acquire_lease("acme", &push, "replica-b", short).await.unwrap(), "expired: b takes over");
    assert!(!store.acquire_lease("acme", &push, "replica-a", short).await.unwrap());
    assert!(!store.acquire_lease("acme", &id("ghost"), "replica-a", short).await.unwrap());
}

async fn directory(store: &dyn Store) {
    let entry = DirectoryEntry { kind: DirectoryKind::User, id: "u1".into(), data: r#"{"email":"a@x"}"#.into() };
    store.put_directory("acme", &[entry.clone()]).await.unwrap();
    let updated = DirectoryEntry { data: r#"{"email":"b@x"}"#.into(), ..entry };
    store.put_directory("acme", &[updated]).await.unwrap();
    assert_eq!(store.get_directory("acme", DirectoryKind::User, "u1").await.unwrap().as_deref(), Some(r#"{"email":"b@x"}"#));
    assert!(store.get_directory("globex", DirectoryKind::User, "u1").await.unwrap().is_none());
    assert!(store.get_directory("acme", DirectoryKind::Admin, "u1").await.unwrap().is_none());
    assert!(store.delete_directory("acme", DirectoryKind::User, "u1").await.unwrap());
    assert!(!store.delete_directory("acme", DirectoryKind::User, "u1").await.unwrap());
}

async fn retention(store: &dyn Store) {
    store.ensure_tenant("initech").await.unwrap();
    store.create_stream(&stream("initech", "keeper", Destination::Custom)).await.unwrap();
    store.append_events("initech", &events(EventType::Cis, 0..10)).await.unwrap();
    store.collect("initech", &id("keeper"), EventType::Cis, Some(6), CollectMode::AutoCommit).await.unwrap();
    let expired = TokenRecord { tenant_id: "initech".into(), client_id: "x".into(), expires_at: Utc::now() - Age::hours(1) };
    store.insert_token("hash-expired", &expired).await.unwrap();

    assert_eq!(store.purge(Utc::now() - Age::hours(1)).await.unwrap(), 0, "nothing is old enough");
    let purged = store.purge(Utc::now() + Age::hours(1)).await.unwrap();
    assert!(purged >= 6, "the 6 committed initech events went, at least ({purged})");
    let keeper = store.get_stream("initech", &id("keeper")).await.unwrap().unwrap();
    assert_eq!(numbers(&store.read_events("initech", EventType::Cis, keeper.position, 100).await.unwrap()), [6, 7, 8, 9]);
    assert!(store.find_token("hash-expired").await.unwrap().is_none());
    assert!(store.find_token("hash-1").await.unwrap().is_some());
}
