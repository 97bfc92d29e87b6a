//! The directory API (contract §7): what enrichment looks up.

use super::extract::{ApiJson, Auth};
use crate::{error::Error, model::DirectoryImport, platform::Platform, store::DirectoryKind};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::{post, put},
    Json, Router,
};
use serde_json::{json, Value};

pub fn router() -> Router<Platform> {
    Router::new()
        .route("/directory/v1/{collection}/{id}", put(write).get(read).delete(remove))
        .route("/directory/v1/import", post(import))
}

fn kind(collection: &str) -> Result<DirectoryKind, Error> {
    match collection {
        "users" => Ok(DirectoryKind::User),
        "apps" => Ok(DirectoryKind::App),
        "admins" => Ok(DirectoryKind::Admin),
        other => Err(Error::NotFound(format!("directory collection {other:?}"))),
    }
}

#[utoipa::path(put, path = "/directory/v1/{collection}/{id}", tag = "directory",
    params(("collection" = String, Path, description = "users, apps or admins"), ("id" = String, Path)),
    request_body(content = Object, description = "users: {email}; apps: {name}; admins: {email, role_groups}"),
    responses((status = 200, description = "The stored entry")), security(("bearer" = [])))]
pub async fn write(
    State(platform): State<Platform>,
    Auth(tenant): Auth,
    Path((collection, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Value>, Error> {
    Ok(Json(platform.put_directory_entry(&tenant, kind(&collection)?, &id, &body).await?))
}

#[utoipa::path(get, path = "/directory/v1/{collection}/{id}", tag = "directory",
    params(("collection" = String, Path), ("id" = String, Path)),
    responses((status = 200, description = "The entry"), (status = 404, description = "not_found")), security(("bearer" = [])))]
pub async fn read(
    State(platform): State<Platform>,
    Auth(tenant): Auth,
    Path((collection, id)): Path<(String, String)>,
) -> Result<Json<Value>, Error> {
    Ok(Json(platform.get_directory_entry(&tenant, kind(&collection)?, &id).await?))
}

#[utoipa::path(delete, path = "/directory/v1/{collection}/{id}", tag = "directory",
    params(("collection" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 404, description = "not_found")), security(("bearer" = [])))]
pub async fn remove(
    State(platform): State<Platform>,
    Auth(tenant): Auth,
    Path((collection, id)): Path<(String, String)>,
) -> Result<StatusCode, Error> {
    platform.delete_directory_entry(&tenant, kind(&collection)?, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/directory/v1/import", tag = "directory", request_body = DirectoryImport,
    responses((status = 200, description = "{\"imported\": n}")), security(("bearer" = [])))]
pub async fn import(
    State(platform): State<Platform>,
    Auth(tenant): Auth,
    ApiJson(import): ApiJson<DirectoryImport>,
) -> Result<Json<Value>, Error> {
    Ok(Json(json!({"imported": platform.import_directory(&tenant, &import).await?})))
}
