//! Enrichment: human-readable values from the tenant's directory, added to events on their way
//! out. Look-ups are cached; directory writes invalidate their entry, and a short time-to-live
//! bounds staleness when another replica wrote.

use crate::store::{DirectoryKind, Store, StoreError, StoreResult};
use moka::sync::Cache;
use serde_json::{Map, Value};
use std::{sync::Arc, time::Duration};

type Entry = Option<Arc<Map<String, Value>>>;

#[derive(Clone)]
pub struct Enricher {
    store: Arc<dyn Store>,
    cache: Cache<(String, DirectoryKind, String), Entry>,
}

/// The id field an event names, the directory it is looked up in, and what it adds:
/// (field of the directory entry, field added to the event).
type Lookup = (&'static str, DirectoryKind, &'static [(&'static str, &'static str)]);

const LOOKUPS: [Lookup; 3] = [
    ("user_id", DirectoryKind::User, &[("email", "user_email")]),
    ("app_id", DirectoryKind::App, &[("name", "app_name")]),
    ("actor_id", DirectoryKind::Admin, &[("email", "actor_email"), ("role_groups", "actor_role_groups")]),
];

impl Enricher {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            cache: Cache::builder().max_capacity(200_000).time_to_live(Duration::from_secs(30)).build(),
        }
    }

    async fn lookup(&self, tenant_id: &str, kind: DirectoryKind, id: &str) -> StoreResult<Entry> {
        let key = (tenant_id.to_owned(), kind, id.to_owned());
        if let Some(entry) = self.cache.get(&key) {
            return Ok(entry);
        }
        let entry = match self.store.get_directory(tenant_id, kind, id).await? {
            Some(data) => Some(Arc::new(
                serde_json::from_str(&data).map_err(|e| StoreError::Corrupt(format!("directory entry: {e}")))?,
            )),
            None => None,
        };
        self.cache.insert(key, entry.clone());
        Ok(entry)
    }

    /// Forgets a cached entry after its directory entry changed.
    pub fn invalidate(&self, tenant_id: &str, kind: DirectoryKind, id: &str) {
        self.cache.invalidate(&(tenant_id.to_owned(), kind, id.to_owned()));
    }

    /// The event's JSON with every resolvable id's values added; unresolved ids change nothing.
    pub async fn enrich(&self, tenant_id: &str, body: &str) -> StoreResult<String> {
        let mut event: Map<String, Value> =
            serde_json::from_str(body).map_err(|e| StoreError::Corrupt(format!("stored event: {e}")))?;
        for (id_field, kind, adds) in LOOKUPS {
            let Some(Value::String(id)) = event.get(id_field) else { continue };
            let Some(entry) = self.lookup(tenant_id, kind, &id.clone()).await? else { continue };
            for (from, to) in adds {
                if let Some(value) = entry.get(*from) {
                    event.insert((*to).to_owned(), value.clone());
                }
            }
        }
        serde_json::to_string(&event).map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}
