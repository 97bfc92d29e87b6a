//! The tenant's directory of users, apps and admins, which enrichment reads.

use crate::{
    error::{Error, Result},
    model::{DirectoryAdmin, DirectoryApp, DirectoryImport, DirectoryUser},
    platform::{Platform, Tenant},
    store::{DirectoryEntry, DirectoryKind},
};
use serde::Serialize;
use serde_json::Value;

const MAX_ID_LEN: usize = 256;

fn entry(kind: DirectoryKind, id: &str, value: &impl Serialize) -> Result<DirectoryEntry> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(Error::InvalidRequest(format!(
            "{} ids must be 1 to {MAX_ID_LEN} characters",
            kind.as_str()
        )));
    }
    let data = serde_json::to_string(value).map_err(|e| Error::InvalidRequest(e.to_string()))?;
    Ok(DirectoryEntry { kind, id: id.to_owned(), data })
}

fn body_field<T: serde::de::DeserializeOwned>(body: &Value, field: &str, what: &str) -> Result<T> {
    let value = body.get(field).cloned().unwrap_or(Value::Null);
    serde_json::from_value(value).map_err(|_| Error::InvalidRequest(format!("field {field:?} must be {what}")))
}

impl Platform {
    /// Creates or replaces one entry from the body of `PUT /directory/v1/{kind}s/{id}`.
    pub async fn put_directory_entry(&self, tenant: &Tenant, kind: DirectoryKind, id: &str, body: &Value) -> Result<Value> {
        if !body.is_object() {
            return Err(Error::InvalidRequest("the body must be a JSON object".into()));
        }
        let entry = match kind {
            DirectoryKind::User => {
                let email = body_field(body, "email", "a string")?;
                entry(kind, id, &DirectoryUser { user_id: id.to_owned(), email })?
            }
            DirectoryKind::App => {
                let name = body_field(body, "name", "a string")?;
                entry(kind, id, &DirectoryApp { app_id: id.to_owned(), name })?
            }
            DirectoryKind::Admin => {
                let email = body_field(body, "email", "a string")?;
                let role_groups = match body.get("role_groups") {
                    None => Vec::new(),
                    Some(_) => body_field(body, "role_groups", "an array of strings")?,
                };
                entry(kind, id, &DirectoryAdmin { admin_id: id.to_owned(), email, role_groups })?
            }
        };
        self.write_directory(tenant, vec![entry]).await.map(|mut written| written.remove(0))
    }

    /// Writes every entry of a bulk import in one transaction; returns how many.
    pub async fn import_directory(&self, tenant: &Tenant, import: &DirectoryImport) -> Result<usize> {
        let mut entries = Vec::new();
        for user in &import.users {
            entries.push(entry(DirectoryKind::User, &user.user_id, user)?);
        }
        for app in &import.apps {
            entries.push(entry(DirectoryKind::App, &app.app_id, app)?);
        }
        for admin in &import.admins {
            entries.push(entry(DirectoryKind::Admin, &admin.admin_id, admin)?);
        }
        self.write_directory(tenant, entries).await.map(|written| written.len())
    }

    async fn write_directory(&self, tenant: &Tenant, entries: Vec<DirectoryEntry>) -> Result<Vec<Value>> {
        self.store.put_directory(&tenant.0, &entries).await?;
        entries
            .iter()
            .map(|e| {
                self.enricher.invalidate(&tenant.0, e.kind, &e.id);
                serde_json::from_str(&e.data).map_err(|e| Error::InvalidRequest(e.to_string()))
            })
            .collect()
    }

    pub async fn get_directory_entry(&self, tenant: &Tenant, kind: DirectoryKind, id: &str) -> Result<Value> {
        let data = self
            .store
            .get_directory(&tenant.0, kind, id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("{} {id:?}", kind.as_str())))?;
        serde_json::from_str(&data).map_err(|e| Error::Internal(crate::store::StoreError::Corrupt(e.to_string())))
    }

    pub async fn delete_directory_entry(&self, tenant: &Tenant, kind: DirectoryKind, id: &str) -> Result<()> {
        let existed = self.store.delete_directory(&tenant.0, kind, id).await?;
        self.enricher.invalidate(&tenant.0, kind, id);
        if existed {
            Ok(())
        } else {
            Err(Error::NotFound(format!("{} {id:?}", kind.as_str())))
        }
    }
}
