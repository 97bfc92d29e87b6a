//! The JSON route the Events streaming page polls for live status, lag and delivered counts.

use super::ConsoleState;
use crate::server_fns::PolledStatus;
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

/// `GET /console/api/streams`: the signed-in admin's streams' status, or 401.
pub async fn live_streams(State(state): State<ConsoleState>, headers: HeaderMap) -> Response {
    if state.sessions.admin(&headers).is_none() {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    match state.platform.list_streams().await {
        Ok(streams) => {
            let live: Vec<PolledStatus<_>> =
                streams.into_iter().map(|s| PolledStatus { stream_id: s.stream_id, status: s.status }).collect();
            Json(live).into_response()
        }
        Err(error) => (StatusCode::BAD_GATEWAY, error.to_string()).into_response(),
    }
}
