//! Enrichment: human-readable values from the tenant's directory, added to events on their way
//! out. Look-ups are cached; directory writes invalidate their entry, and a short time-to-live
//! bounds staleness when another replica wrote.

use crate::{
    json_scan,
    store::{DirectoryKind, Store, StoreError, StoreResult},
};
use moka::sync::Cache;
use serde_json::{Map, Value};
use std::{fmt::Write, sync::Arc, time::Duration};

/// What one id adds to an event: the fields, and the same as JSON text, `,"field":value…`, to
/// splice onto a stored event. Empty for an id the directory does not know.
#[derive(Default)]
struct Additions {
    fields: Vec<(&'static str, Value)>,
    text: String,
}

#[derive(Clone)]
pub struct Enricher {
    store: Arc<dyn Store>,
    cache: Cache<(String, DirectoryKind, String), Arc<Additions>>,
}

/// The id field an event names, the directory it is looked up in, and what it adds:
/// (field of the directory entry, field added to the event).
type Lookup = (&'static str, DirectoryKind, &'static [(&'static str, &'static str)]);

const LOOKUPS: [Lookup; 3] = [
    ("user_id", DirectoryKind::User, &[("email", "user_email")]),
    ("app_id", DirectoryKind::App, &[("name", "app_name")]),
    ("actor_id", DirectoryKind::Admin, &[("email", "actor_email"), ("role_groups", "actor_role_groups")]),
];

/// Whether enrichment adds a field named `key`.
fn adds(key: &str) -> bool {
    LOOKUPS.iter().any(|(_, _, adds)| adds.iter().any(|(_, to)| *to == key))
}

impl Enricher {
    pub fn new(store: Arc<dyn Store>) -> Self {
        let cache = Cache::builder().max_capacity(200_000).time_to_live(Duration::from_secs(30)).build();
        Self { store, cache }
    }

    /// What the id of `LOOKUPS[lookup]` adds, rendered once per cache lifetime of its entry.
    async fn lookup(&self, tenant_id: &str, lookup: usize, id: &str) -> StoreResult<Arc<Additions>> {
        let (_, kind, adds) = LOOKUPS[lookup];
        let key = (tenant_id.to_owned(), kind, id.to_owned());
        if let Some(additions) = self.cache.get(&key) {
            return Ok(additions);
        }
        let mut additions = Additions::default();
        if let Some(data) = self.store.get_directory(tenant_id, kind, id).await? {
            let mut entry: Map<String, Value> =
                serde_json::from_str(&data).map_err(|e| StoreError::Corrupt(format!("directory entry: {e}")))?;
            for (from, to) in adds {
                if let Some(value) = entry.remove(*from) {
                    write!(additions.text, ",\"{to}\":{value}").expect("writing to a String");
                    additions.fields.push((to, value));
                }
            }
        }
        let additions = Arc::new(additions);
        self.cache.insert(key, additions.clone());
        Ok(additions)
    }

    /// Forgets a cached entry after its directory entry changed.
    pub fn invalidate(&self, tenant_id: &str, kind: DirectoryKind, id: &str) {
        self.cache.invalidate(&(tenant_id.to_owned(), kind, id.to_owned()));
    }

    /// An enricher for one batch of a tenant's events, which looks each id up once.
    pub fn batch<'a>(&'a self, tenant_id: &'a str) -> BatchEnricher<'a> {
        BatchEnricher { enricher: self, tenant_id, memo: Default::default() }
    }

    /// The general path: parses the whole event, sets the fields, writes it again.
    async fn rebuild(&self, tenant_id: &str, body: &str) -> StoreResult<String> {
        let mut event: Map<String, Value> =
            serde_json::from_str(body).map_err(|e| StoreError::Corrupt(format!("stored event: {e}")))?;
        for (lookup, (id_field, _, _)) in LOOKUPS.iter().enumerate() {
            let Some(Value::String(id)) = event.get(*id_field) else { continue };
            let additions = self.lookup(tenant_id, lookup, &id.clone()).await?;
            for (field, value) in &additions.fields {
                event.insert((*field).to_owned(), value.clone());
            }
        }
        serde_json::to_string(&event).map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}

/// Enriches the events of one batch. Batches repeat the same users, apps and admins, so each
/// id is looked up in the shared cache once per batch, and then in a map of the batch's own.
pub struct BatchEnricher<'a> {
    enricher: &'a Enricher,
    tenant_id: &'a str,
    /// Per lookup (user, app, admin): id, as the batch's events spell it, → what it adds.
    /// foldhash, several times faster than SipHash on ids this short, claims no resistance to
    /// chosen keys; a memo lives for one batch, so colliding ids cost at most that batch.
    memo: [foldhash::HashMap<&'a str, Arc<Additions>>; 3],
}

impl<'a> BatchEnricher<'a> {
    /// The event's JSON with every resolvable id's values added; unresolved ids change nothing.
    pub async fn enrich(&mut self, body: &'a str) -> StoreResult<String> {
        let mut enriched = String::with_capacity(body.len() * 2);
        self.enrich_into(body, &mut enriched).await?;
        Ok(enriched)
    }

    /// [`Self::enrich`] appending to `out`, which a failure leaves as it was.
    pub async fn enrich_into(&mut self, body: &'a str, out: &mut String) -> StoreResult<()> {
        if !self.splice(body, out).await? {
            out.push_str(&self.enricher.rebuild(self.tenant_id, body).await?);
        }
        Ok(())
    }

    /// The fast path: reads only the event's top-level ids and appends the event to `out` with
    /// the added fields spliced onto its stored text. `false`, with `out` untouched, when the
    /// event needs the general path: an id that is not a plain string, an escaped key, or a
    /// field enrichment would add that the event has already (it is replaced, not repeated).
    async fn splice(&mut self, body: &'a str, out: &mut String) -> StoreResult<bool> {
        if !body.ends_with('}') {
            return Ok(false);
        }
        let mut ids: [Option<&'a str>; 3] = [None; 3];
        for (key, value) in json_scan::members(body) {
            let lookup = match key {
                "user_id" => 0,
                "app_id" => 1,
                "actor_id" => 2,
                _ if key.contains('\\') || adds(key) => return Ok(false),
                _ => continue,
            };
            match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).filter(|id| !id.contains('\\')) {
                Some(id) => ids[lookup] = Some(id),
                None => return Ok(false),
            }
        }
        for (lookup, id) in ids.iter().enumerate() {
            if let Some(id) = *id {
                if !self.memo[lookup].contains_key(id) {
                    let additions = self.enricher.lookup(self.tenant_id, lookup, id).await?;
                    self.memo[lookup].insert(id, additions);
                }
            }
        }
        let open = &body[..body.len() - 1];
        out.push_str(open);
        // An empty object takes the first field without a comma.
        let mut first = open.trim_ascii_end() == "{";
        for (lookup, id) in ids.iter().enumerate() {
            let Some(additions) = id.and_then(|id| self.memo[lookup].get(id)) else { continue };
            if !additions.text.is_empty() {
                out.push_str(if first { &additions.text[1..] } else { &additions.text });
                first = false;
            }
        }
        out.push('}');
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DirectoryEntry, SqliteStore};

    async fn enricher() -> (Enricher, tempfile::TempDir) {
        let data = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", data.path().join("e.db").display());
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&url).await.unwrap());
        let user = DirectoryEntry { kind: DirectoryKind::User, id: "u1".into(), data: r#"{"email":"a@x.io"}"#.into() };
        let admin = DirectoryEntry { kind: DirectoryKind::Admin, id: "a1".into(), data: r#"{"email":"b@x.io","role_groups":["ops"]}"#.into() };
        store.put_directory("t", &[user, admin]).await.unwrap();
        (Enricher::new(store), data)
    }

    #[tokio::test]
    async fn splices_fields_onto_the_stored_text() {
        let (enricher, _data) = enricher().await;
        let enriched = enricher.batch("t").enrich(r#"{"user_id":"u1","actor_id":"a1","x":{"y":[1,2.50]}}"#).await.unwrap();
        assert_eq!(
            enriched,
            r#"{"user_id":"u1","actor_id":"a1","x":{"y":[1,2.50]},"user_email":"a@x.io","actor_email":"b@x.io","actor_role_groups":["ops"]}"#
        );
        assert_eq!(enricher.batch("t").enrich(r#"{"user_id":"nobody"}"#).await.unwrap(), r#"{"user_id":"nobody"}"#);
        // Only the event's own ids count, not ones nested in its fields.
        let nested = r#"{"target":{"user_id":"u1","app_id":"x"},"note":"\"user_id\":\"u1\""}"#;
        assert_eq!(enricher.batch("t").enrich(nested).await.unwrap(), nested);
    }

    #[tokio::test]
    async fn falls_back_to_rebuilding_when_splicing_would_be_wrong() {
        let (enricher, _data) = enricher().await;
        // A field enrichment adds is there already: replaced, not repeated.
        let enriched = enricher.batch("t").enrich(r#"{"user_id":"u1","user_email":"old@x.io"}"#).await.unwrap();
        assert_eq!(enriched, r#"{"user_id":"u1","user_email":"a@x.io"}"#);
        // An id that is not a string is left alone, and the event still served.
        assert_eq!(enricher.batch("t").enrich(r#"{"user_id":7}"#).await.unwrap(), r#"{"user_id":7}"#);
        // An escaped key is read as JSON reads it.
        let escaped = enricher.batch("t").enrich(r#"{"user\u005fid":"u1"}"#).await.unwrap();
        assert_eq!(escaped, r#"{"user_id":"u1","user_email":"a@x.io"}"#);
    }
}
