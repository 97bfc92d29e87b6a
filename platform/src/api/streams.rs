//! The streams management API (contract §4).

use super::extract::{ApiJson, Auth};
use crate::{
    error::Error,
    model::{BatchSize, EventType, NewStream, Stream, StreamId, StreamList, StreamPatch},
    platform::Platform,
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::get,
    Json, Router,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

pub fn router() -> Router<Platform> {
    Router::new()
        .route("/activities/v1/streams", get(list).post(create))
        .route("/activities/v1/streams/{stream_id}", get(read).patch(update).delete(remove))
}

/// Checks the fields that have codes of their own before serde sees the body, so a bad
/// `type` is `unknown_event_type` and a bad `batch_size` is `invalid_batch_size`.
fn parse_stream_body<T: DeserializeOwned>(body: Value) -> Result<T, Error> {
    let Value::Object(fields) = &body else {
        return Err(Error::InvalidRequest("the body must be a JSON object".into()));
    };
    if let Some(Value::String(t)) = fields.get("type") {
        t.parse::<EventType>()?;
    }
    match fields.get("batch_size") {
        None | Some(Value::Null) => {}
        Some(Value::Number(n)) if n.as_i64().is_some() => {
            BatchSize::try_from(n.as_i64().unwrap_or_default())?;
        }
        Some(other) => return Err(crate::model::InvalidBatchSize(other.to_string()).into()),
    }
    if let Some(Value::String(id)) = fields.get("stream_id") {
        StreamId::try_from(id.clone())?;
    }
    serde_json::from_value(body).map_err(|e| Error::InvalidRequest(e.to_string()))
}

pub(crate) fn stream_id(raw: String) -> Result<StreamId, Error> {
    Ok(StreamId::try_from(raw)?)
}

#[utoipa::path(get, path = "/activities/v1/streams", tag = "streams",
    responses((status = 200, body = StreamList)), security(("bearer" = [])))]
pub async fn list(State(platform): State<Platform>, Auth(tenant): Auth) -> Result<Json<StreamList>, Error> {
    Ok(Json(StreamList { streams: platform.list_streams(&tenant).await? }))
}

#[utoipa::path(post, path = "/activities/v1/streams", tag = "streams", request_body = NewStream,
    responses((status = 201, body = Stream), (status = 400, description = "invalid_request, invalid_batch_size, unknown_event_type"), (status = 409, description = "stream_exists")),
    security(("bearer" = [])))]
pub async fn create(
    State(platform): State<Platform>,
    Auth(tenant): Auth,
    ApiJson(body): ApiJson<Value>,
) -> Result<(StatusCode, Json<Stream>), Error> {
    let new: NewStream = parse_stream_body(body)?;
    Ok((StatusCode::CREATED, Json(platform.create_stream(&tenant, new).await?)))
}

#[utoipa::path(get, path = "/activities/v1/streams/{stream_id}", tag = "streams",
    params(("stream_id" = String, Path)), responses((status = 200, body = Stream), (status = 404, description = "stream_not_found")),
    security(("bearer" = [])))]
pub async fn read(
    State(platform): State<Platform>,
    Auth(tenant): Auth,
    Path(raw): Path<String>,
) -> Result<Json<Stream>, Error> {
    Ok(Json(platform.get_stream(&tenant, &stream_id(raw)?).await?))
}

#[utoipa::path(patch, path = "/activities/v1/streams/{stream_id}", tag = "streams", request_body = StreamPatch,
    params(("stream_id" = String, Path)), responses((status = 200, body = Stream), (status = 404, description = "stream_not_found")),
    security(("bearer" = [])))]
pub async fn update(
    State(platform): State<Platform>,
    Auth(tenant): Auth,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Stream>, Error> {
    let id = stream_id(raw)?;
    let patch: StreamPatch = parse_stream_body(body)?;
    Ok(Json(platform.update_stream(&tenant, &id, patch).await?))
}

#[utoipa::path(delete, path = "/activities/v1/streams/{stream_id}", tag = "streams",
    params(("stream_id" = String, Path)), responses((status = 204), (status = 404, description = "stream_not_found")),
    security(("bearer" = [])))]
pub async fn remove(
    State(platform): State<Platform>,
    Auth(tenant): Auth,
    Path(raw): Path<String>,
) -> Result<StatusCode, Error> {
    platform.delete_stream(&tenant, &stream_id(raw)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
