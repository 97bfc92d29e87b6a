//! `POST /activities/v1/activities/collect` and the Mosaic-compatible stream endpoints (§5, §6).

use super::{
    extract::{Auth, Params},
    streams::stream_id,
};
use crate::{
    collect::{parse_cursor, CollectRequest},
    error::Error,
    model::{BatchSize, EventType, Stream},
    platform::Platform,
};
use axum::{
    extract::State,
    http::{header, HeaderName, HeaderValue},
    response::{IntoResponse, Response},
    routing::{post, put},
    Json, Router,
};
use serde_json::{json, Value};

/// The header that carries the at-least-once cursor.
pub const CURSOR_HEADER: HeaderName = HeaderName::from_static("sluice-cursor");

pub fn router() -> Router<Platform> {
    Router::new()
        .route("/activities/v1/activities/collect", post(collect))
        .route("/activities/v1/activities/start-collect", put(start_collect))
        .route("/activities/v1/activities/stream", put(put_stream).delete(delete_stream))
}

fn event_type(params: &Params) -> Result<EventType, Error> {
    Ok(params.required("type")?.parse()?)
}

#[utoipa::path(post, path = "/activities/v1/activities/collect", tag = "collect",
    params(("type" = String, Query, description = "cis, risk, verify or admin"),
           ("stream_id" = Option<String>, Query, description = "the type's default stream when absent"),
           ("batch_size" = Option<u16>, Query, description = "1–1000; the stream's own when absent"),
           ("cursor" = Option<String>, Query, description = "at-least-once mode: commit through this Sluice-Cursor, then read without committing")),
    responses((status = 200, description = "A JSON array of events, oldest first; header Sluice-Cursor"),
              (status = 400, description = "unknown_event_type, invalid_batch_size, type_mismatch"),
              (status = 404, description = "stream_not_found"), (status = 409, description = "not_a_custom_stream")),
    security(("bearer" = [])))]
pub async fn collect(State(platform): State<Platform>, Auth(tenant): Auth, params: Params) -> Result<Response, Error> {
    let request = CollectRequest {
        event_type: event_type(&params)?,
        stream_id: params.get("stream_id").map(|id| stream_id(id.to_owned())).transpose()?,
        batch_size: params.get("batch_size").map(BatchSize::parse).transpose()?,
        cursor: params
            .get("cursor")
            .map(|c| if c.is_empty() { Ok(None) } else { parse_cursor(c).map(Some) })
            .transpose()?,
    };
    let collected = platform.collect(&tenant, request).await?;
    let cursor = HeaderValue::from_str(&collected.cursor).map_err(|e| Error::InvalidRequest(e.to_string()))?;
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static("application/json")), (CURSOR_HEADER, cursor)],
        collected.body,
    )
        .into_response())
}

#[utoipa::path(put, path = "/activities/v1/activities/start-collect", tag = "mosaic",
    params(("type" = String, Query)), responses((status = 200, body = Stream), (status = 409, description = "stream_exists")),
    security(("bearer" = [])))]
pub async fn start_collect(State(platform): State<Platform>, Auth(tenant): Auth, params: Params) -> Result<Json<Stream>, Error> {
    Ok(Json(platform.start_collect(&tenant, event_type(&params)?).await?))
}

#[utoipa::path(put, path = "/activities/v1/activities/stream", tag = "mosaic",
    params(("type" = String, Query), ("stream_id" = String, Query), ("enrichment" = Option<bool>, Query)),
    responses((status = 200, body = Stream)), security(("bearer" = [])))]
pub async fn put_stream(State(platform): State<Platform>, Auth(tenant): Auth, params: Params) -> Result<Json<Stream>, Error> {
    let event_type = event_type(&params)?;
    let id = stream_id(params.required("stream_id")?.to_owned())?;
    let enrichment = match params.get("enrichment") {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(other) => return Err(Error::InvalidRequest(format!("enrichment must be true or false, got {other:?}"))),
    };
    Ok(Json(platform.put_custom_stream(&tenant, event_type, id, enrichment).await?))
}

#[utoipa::path(delete, path = "/activities/v1/activities/stream", tag = "mosaic",
    params(("type" = String, Query), ("stream_id" = String, Query)),
    responses((status = 200), (status = 404, description = "stream_not_found")), security(("bearer" = [])))]
pub async fn delete_stream(State(platform): State<Platform>, Auth(tenant): Auth, params: Params) -> Result<Json<Value>, Error> {
    let event_type = event_type(&params)?;
    let id = stream_id(params.required("stream_id")?.to_owned())?;
    platform.delete_typed_stream(&tenant, event_type, &id).await?;
    Ok(Json(json!({"deleted": id})))
}
