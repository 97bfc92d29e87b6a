//! The console's server functions. Each checks the admin's session first, then calls the
//! platform's HTTP API through the shared client.

use crate::error::ConsoleError;
use leptos::prelude::*;
use platform::model::{BatchSize, DestinationKind, EventType, Stream, StreamId, StreamState, StreamStatus};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The route the page polls for live status (see `ssr::live_streams`).
pub const LIVE_STATUS_PATH: &str = "/console/api/streams";

/// One entry of the polling route's answer. The server sends the platform's [`StreamStatus`]
/// whole; the page reads it as a [`LiveStatus`], skipping what it does not show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolledStatus<S> {
    pub stream_id: StreamId,
    pub status: S,
}

/// A stream as the page lists it. Only what the page shows crosses to the browser, so the
/// wasm carries no deserialiser for every destination's settings nor for timestamps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamSummary {
    pub stream_id: StreamId,
    pub name: Option<String>,
    pub event_type: EventType,
    pub destination: DestinationKind,
    pub batch_size: BatchSize,
    pub enrichment: bool,
    pub collect_url: Option<String>,
    pub status: LiveStatus,
}

impl From<Stream> for StreamSummary {
    fn from(stream: Stream) -> Self {
        Self {
            destination: stream.destination.kind(),
            stream_id: stream.stream_id,
            name: stream.name,
            event_type: stream.event_type,
            batch_size: stream.batch_size,
            enrichment: stream.enrichment,
            collect_url: stream.collect_url,
            status: stream.status.into(),
        }
    }
}

/// A stream's status as the page shows it: the platform's, less its timestamp.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveStatus {
    pub state: StreamState,
    pub lag: u64,
    pub delivered: u64,
    pub last_error: Option<String>,
}

impl From<StreamStatus> for LiveStatus {
    fn from(status: StreamStatus) -> Self {
        Self { state: status.state, lag: status.lag, delivered: status.delivered, last_error: status.last_error }
    }
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

    /// True for a plain form post, which the browser sent itself and which wants a page back.
    fn plain_form() -> bool {
        headers()
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    }

    /// Runs a server function's work and gives a refusal its HTTP status for the wasm client.
    /// A plain form post is answered by a redirect back to the form instead, which a 4xx
    /// status would break.
    pub async fn answer<T>(work: impl std::future::Future<Output = Result<T, ConsoleError>>) -> Result<T, ConsoleError> {
        let error = match work.await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        if let (false, Some(response)) = (plain_form(), use_context::<leptos_axum::ResponseOptions>()) {
            response.set_status(error.status());
        }
        Err(error)
    }

    /// Sends a plain form post on to `path`. A call from an island is not redirected: the
    /// island updates its page in place, and a redirect would make the browser load it again.
    pub fn redirect_plain_form(path: &str) {
        if plain_form() {
            leptos_axum::redirect(path);
        }
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
pub async fn list_streams() -> Result<Vec<StreamSummary>, ConsoleError> {
    session::answer(async {
        let streams = session::require_admin()?.platform.list_streams().await?;
        Ok(streams.into_iter().map(StreamSummary::from).collect())
    })
    .await
}

/// The + Add stream form. Field names are the form's input names; the destination's own
/// settings arrive as `destination[kind]`, `destination[url]`, …. Nothing but success is
/// answered: the island lists the new stream by calling `list_streams` again.
#[server(endpoint = "create_stream")]
pub async fn create_stream(
    stream_id: String,
    event_type: String,
    #[server(default)] destination: HashMap<String, String>,
    batch_size: String,
    #[server(default)] enrichment: Option<String>,
) -> Result<(), ConsoleError> {
    use crate::ssr::{place_platform_error, StreamForm};
    session::answer(async move {
        let state = session::require_admin()?;
        let form = StreamForm { stream_id, event_type, destination, batch_size, enrichment: enrichment.is_some() };
        let new = form.into_new_stream()?;
        state.platform.create_stream(&new).await.map_err(place_platform_error)?;
        session::redirect_plain_form(crate::EVENT_STREAMING_PATH);
        Ok(())
    })
    .await
}

#[server(endpoint = "delete_stream")]
pub async fn delete_stream(stream_id: String) -> Result<(), ConsoleError> {
    session::answer(async move {
        let state = session::require_admin()?;
        let id = StreamId::try_from(stream_id).map_err(|_| ConsoleError::field("stream_id", "No such stream."))?;
        state.platform.delete_stream(&id).await?;
        session::redirect_plain_form(crate::EVENT_STREAMING_PATH);
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
