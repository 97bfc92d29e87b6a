//! The platform's HTTP API: a thin layer over [`Platform`], one module per resource.

mod collect;
mod directory;
mod error;
mod extract;
mod ingest;
mod openapi;
mod ops;
mod streams;
mod tokens;

pub use collect::CURSOR_HEADER;
pub use openapi::ApiDoc;

use crate::platform::Platform;
use axum::{
    extract::{DefaultBodyLimit, MatchedPath, Request},
    middleware::{self, Next},
    response::Response,
    Router,
};
use std::time::Instant;

/// Every platform route, with its state, ready to be served or merged beside the console.
pub fn router(platform: Platform) -> Router {
    let body_limit = platform.config().body_limit;
    Router::new()
        .merge(tokens::router())
        .merge(ingest::router())
        .merge(streams::router())
        .merge(collect::router())
        .merge(directory::router())
        .merge(ops::router())
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn(record_latency))
        .with_state(platform)
}

/// Request latency by route template (never the raw path: ids would explode the label set).
async fn record_latency(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics::histogram!(
        "sluice_http_request_duration_seconds",
        "method" => method,
        "route" => route,
        "status" => response.status().as_u16().to_string(),
    )
    .record(started.elapsed().as_secs_f64());
    response
}
