//! Operations: liveness, readiness, metrics and the OpenAPI document.

use super::{error::error_response, openapi::ApiDoc};
use crate::platform::Platform;
use axum::{
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use utoipa::OpenApi;

pub fn router() -> Router<Platform> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
}

/// Answers as long as the process serves requests.
async fn healthz() -> &'static str {
    "ok"
}

/// Answers 200 only while storage does.
async fn readyz(State(platform): State<Platform>) -> Response {
    match platform.store().ping().await {
        Ok(()) => "ok".into_response(),
        Err(error) => {
            tracing::warn!(%error, "storage is not ready");
            error_response(StatusCode::SERVICE_UNAVAILABLE, "not_ready", "storage does not answer")
        }
    }
}

async fn metrics(State(platform): State<Platform>) -> Result<Response, crate::error::Error> {
    let text = platform.render_metrics().await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response())
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
