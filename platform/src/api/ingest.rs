//! `POST /activities/v1/events`: events enter the platform.

use super::extract::{Auth, JsonText};
use crate::{error::Error, platform::Platform};
use axum::{extract::State, http::StatusCode, routing::post, Json, Router};
use serde_json::{json, Value};

pub fn router() -> Router<Platform> {
    Router::new().route("/activities/v1/events", post(ingest))
}

#[utoipa::path(post, path = "/activities/v1/events", tag = "ingestion",
    request_body(content = Object, description = "One event, or an array of up to 10,000"),
    responses((status = 202, description = "{\"accepted\": n}: stored durably"), (status = 400, description = "invalid_event names the index and field"), (status = 413, description = "payload_too_large")),
    security(("bearer" = [])))]
pub async fn ingest(
    State(platform): State<Platform>,
    Auth(tenant): Auth,
    JsonText(body): JsonText,
) -> Result<(StatusCode, Json<Value>), Error> {
    let accepted = platform.ingest(&tenant, &body).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"accepted": accepted}))))
}
