//! The console's server functions. Each checks the admin's session first, then calls the
//! platform's HTTP API through the shared client.

use crate::error::ConsoleError;
use leptos::prelude::*;
use platform::model::{Stream, StreamId, StreamStatus};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The route the page polls for live status (see `ssr::live_streams`).
pub const LIVE_STATUS_PATH: &str = "/console/api/streams";

/// One stream's live status, as the polling route answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveStatus {
    pub stream_id: StreamId,
    pub status: StreamStatus,
}

#[cfg(feature = "ssr")]
mod session {
    use crate::{error::ConsoleError, ssr::ConsoleState};
    use leptos::prelude::*;

    pub fn state() -> Result<ConsoleState, ConsoleError> {
        use_context::<ConsoleState>().ok_or_else(|| ConsoleError::ServerFn("console state is missing".into()))
    }

    pub fn headers() -> http::HeaderMap {
        use_context::<http::request::Parts>().map(|parts| parts.headers).unwrap_or_default()
    }

    /// The console state, once the request's session is known to be live.
    pub fn require_admin() -> Result<ConsoleState, ConsoleError> {
        let state = state()?;
        state.sessions.admin(&headers()).ok_or(ConsoleError::Unauthenticated)?;
        Ok(state)
    }

    /// Runs a server function's work and gives a refusal its HTTP status for the wasm client.
    /// A plain form post is answered by a redirect back to the form instead, which a 4xx
    /// status would break.
    pub async fn answer<T>(work: impl std::future::Future<Output = Result<T, ConsoleError>>) -> Result<T, ConsoleError> {
        let error = match work.await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let accepts_html = headers()
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        if let (false, Some(response)) = (accepts_html, use_context::<leptos_axum::ResponseOptions>()) {
            response.set_status(error.status());
        }
        Err(error)
    }

    pub fn set_cookie(value: &str) {
        if let (Some(response), Ok(value)) =
            (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(value))
        {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }
}

#[server(endpoint = "list_streams")]
pub async fn list_streams() -> Result<Vec<Stream>, ConsoleError> {
    session::answer(async { session::require_admin()?.platform.list_streams().await }).await
}

/// The + Add stream form. Field names are the form's input names; the destination's own
/// settings arrive as `destination[kind]`, `destination[url]`, ….
#[server(endpoint = "create_stream")]
pub async fn create_stream(
    stream_id: String,
    event_type: String,
    #[server(default)] destination: HashMap<String, String>,
    batch_size: String,
    #[server(default)] enrichment: Option<String>,
) -> Result<Stream, ConsoleError> {
    use crate::ssr::{place_platform_error, StreamForm};
    session::answer(async move {
        let state = session::require_admin()?;
        let form = StreamForm { stream_id, event_type, destination, batch_size, enrichment: enrichment.is_some() };
        let new = form.into_new_stream()?;
        let stream = state.platform.create_stream(&new).await.map_err(place_platform_error)?;
        leptos_axum::redirect(crate::EVENT_STREAMING_PATH);
        Ok(stream)
    })
    .await
}

#[server(endpoint = "delete_stream")]
pub async fn delete_stream(stream_id: String) -> Result<(), ConsoleError> {
    session::answer(async move {
        let state = session::require_admin()?;
        let id = StreamId::try_from(stream_id).map_err(|_| ConsoleError::field("stream_id", "No such stream."))?;
        state.platform.delete_stream(&id).await?;
        leptos_axum::redirect(crate::EVENT_STREAMING_PATH);
        Ok(())
    })
    .await
}

#[server(endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), ConsoleError> {
    session::answer(async move {
        let state = session::state()?;
        if !state.admin.verify(&email, &password).await {
            return Err(ConsoleError::InvalidCredentials);
        }
        session::set_cookie(&state.sessions.start(state.admin.email()));
        leptos_axum::redirect(crate::EVENT_STREAMING_PATH);
        Ok(())
    })
    .await
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), ConsoleError> {
    let state = session::state()?;
    session::set_cookie(&state.sessions.end(&session::headers()));
    leptos_axum::redirect(crate::LOGIN_PATH);
    Ok(())
}
