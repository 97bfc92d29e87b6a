//! The HTTP client the HTTP destinations share, and the retry classification of their answers.

use super::{DeliveryConfig, DeliveryError};
use reqwest::StatusCode;

pub(super) fn client(config: &DeliveryConfig) -> Result<reqwest::Client, DeliveryError> {
    reqwest::Client::builder()
        // A redirected POST becomes a GET without its body, and custom headers would follow it
        // to another host: a redirect is reported, never followed.
        .redirect(reqwest::redirect::Policy::none())
        .timeout(config.request_timeout)
        .connect_timeout(config.request_timeout.min(std::time::Duration::from_secs(10)))
        .build()
        .map_err(|e| DeliveryError::Permanent(format!("cannot build an HTTP client: {}", chain(&e))))
}

/// 408, 429 and 5xx are worth retrying; any other refusal, redirects included, needs a change
/// of settings first.
pub(super) fn classify(status: StatusCode, message: String) -> DeliveryError {
    if status.is_redirection() {
        DeliveryError::Permanent(format!("{message} (redirects are not followed: point the destination at the final URL)"))
    } else if status == StatusCode::REQUEST_TIMEOUT || status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        DeliveryError::Retryable(message)
    } else {
        DeliveryError::Permanent(message)
    }
}

/// A request that got no answer: always retryable. The URL is left out, as it may carry a key.
pub(super) fn transport(what: &str, error: reqwest::Error) -> DeliveryError {
    let kind = if error.is_timeout() { "timed out" } else { "failed" };
    DeliveryError::Retryable(format!("{what} {kind}: {}", chain(&error.without_url())))
}

/// An error with its causes, which reqwest keeps out of its own message.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// At most 200 characters of a destination's words, for an error message a person can act on.
pub(super) fn shorten(text: String) -> String {
    let text = text.trim();
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// The start of a response body.
pub(super) async fn body_excerpt(response: reqwest::Response) -> String {
    shorten(response.text().await.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_only_what_can_heal() {
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(!classify(StatusCode::from_u16(code).unwrap(), String::new()).is_permanent(), "{code}");
        }
        for code in [301, 302, 400, 401, 403, 404, 413] {
            assert!(classify(StatusCode::from_u16(code).unwrap(), String::new()).is_permanent(), "{code}");
        }
    }
}
