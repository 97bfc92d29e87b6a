//! What the console's server functions fail with, in terms a page can show next to a field.

use leptos::server_fn::{codec::JsonEncoding, error::{FromServerFnError, ServerFnErrorErr}};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ConsoleError {
    /// No valid session: the admin must sign in.
    #[error("Sign in to continue.")]
    Unauthenticated,
    #[error("Wrong email or password.")]
    InvalidCredentials,
    /// A form field is wrong; `field` is the input's name, e.g. `stream_id` or `destination.url`.
    #[error("{message}")]
    Field { field: String, message: String },
    #[error("The platform at {url} cannot be reached ({reason}).")]
    PlatformUnreachable { url: String, reason: String },
    /// The platform refused the request for a reason no field explains.
    #[error("{message}")]
    Platform { code: String, message: String },
    #[error("{0}")]
    ServerFn(String),
}

impl ConsoleError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Field { field: field.to_owned(), message: message.into() }
    }

    /// The message to show beside `field`, when this error concerns it.
    pub fn for_field(&self, field: &str) -> Option<String> {
        match self {
            Self::Field { field: f, message } if f == field => Some(message.clone()),
            _ => None,
        }
    }

    /// The message to show above the form, when no field explains this error.
    pub fn general(&self) -> Option<String> {
        match self {
            Self::Field { .. } => None,
            other => Some(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl ConsoleError {
    /// The HTTP status a refused server-function call answers with.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            Self::Unauthenticated | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::Field { .. } => StatusCode::BAD_REQUEST,
            Self::PlatformUnreachable { .. } => StatusCode::BAD_GATEWAY,
            Self::Platform { code, .. } => match code.as_str() {
                "stream_exists" => StatusCode::CONFLICT,
                "stream_not_found" => StatusCode::NOT_FOUND,
                c if c.starts_with("invalid_") || c == "unknown_event_type" => StatusCode::BAD_REQUEST,
                _ => StatusCode::BAD_GATEWAY,
            },
            Self::ServerFn(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl FromServerFnError for ConsoleError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::ServerFn(value.to_string())
    }
}
