//! The one place errors become HTTP: each variant's status and code, in the contract's shape.

use crate::{auth::TokenError, error::Error};
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

impl Error {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::InvalidRequest(_) | Self::InvalidStreamId(_) | Self::InvalidDestination(_) => {
                (StatusCode::BAD_REQUEST, "invalid_request")
            }
            Self::InvalidEvent { .. } => (StatusCode::BAD_REQUEST, "invalid_event"),
            Self::InvalidBatchSize(_) => (StatusCode::BAD_REQUEST, "invalid_batch_size"),
            Self::UnknownEventType(_) | Self::UnknownEventTypeAt { .. } => {
                (StatusCode::BAD_REQUEST, "unknown_event_type")
            }
            Self::TypeMismatch { .. } => (StatusCode::BAD_REQUEST, "type_mismatch"),
            Self::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::StreamNotFound(_) => (StatusCode::NOT_FOUND, "stream_not_found"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::StreamExists(_) => (StatusCode::CONFLICT, "stream_exists"),
            Self::NotACustomStream(_) => (StatusCode::CONFLICT, "not_a_custom_stream"),
            Self::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            Self::UnsupportedMediaType(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

/// `{"error": {"code", "message"}}` with the status of its code.
pub fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({"error": {"code": code, "message": message}}))).into_response()
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = match &self {
            // The cause may hold SQL or paths: it goes to the log, the caller gets a sentence.
            Self::Internal(cause) => {
                tracing::error!(error = %cause, "internal error");
                "something went wrong on our side; the request was not applied".to_owned()
            }
            other => other.to_string(),
        };
        let mut response = error_response(status, code, &message);
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// RFC 6749 §5.2: token errors have their own shape, `{"error": "invalid_client", …}`.
impl IntoResponse for TokenError {
    fn into_response(self) -> Response {
        let (status, description) = match &self {
            Self::InvalidRequest(why) => (StatusCode::BAD_REQUEST, why.clone()),
            Self::UnsupportedGrantType => {
                (StatusCode::BAD_REQUEST, "only the client_credentials grant is supported".to_owned())
            }
            Self::InvalidClient => (StatusCode::UNAUTHORIZED, "unknown client or wrong secret".to_owned()),
            Self::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "the token could not be issued".to_owned()),
        };
        let body = json!({"error": self.to_string(), "error_description": description});
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic"));
        }
        response
    }
}
