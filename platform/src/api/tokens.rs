//! `POST /oidc/token`: the OAuth2 client-credentials grant (RFC 6749 §4.4).

use crate::{auth::TokenError, platform::Platform};
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
    routing::post,
    Form, Json, Router,
};
use base64::{engine::general_purpose::STANDARD, Engine};
use serde_json::json;
use std::collections::HashMap;

pub fn router() -> Router<Platform> {
    Router::new().route("/oidc/token", post(token))
}

/// `client_secret_basic`: `Authorization: Basic base64(client_id:client_secret)`.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

#[utoipa::path(post, path = "/oidc/token", tag = "tokens",
    request_body(content_type = "application/x-www-form-urlencoded", description = "grant_type=client_credentials&client_id=…&client_secret=… (or HTTP Basic)"),
    responses((status = 200, description = "An access token"), (status = 400, description = "invalid_request or unsupported_grant_type"), (status = 401, description = "invalid_client")))]
pub async fn token(
    State(platform): State<Platform>,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, axum::extract::rejection::FormRejection>,
) -> Result<Response, TokenError> {
    let Form(form) = form.map_err(|e| TokenError::InvalidRequest(format!("the body must be a form: {}", e.body_text())))?;
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {}
        Some(_) => return Err(TokenError::UnsupportedGrantType),
        None => return Err(TokenError::InvalidRequest("grant_type is required".into())),
    }
    let (client_id, client_secret) = match (basic_credentials(&headers), form.get("client_id"), form.get("client_secret")) {
        (Some(basic), _, _) => basic,
        (None, Some(id), Some(secret)) => (id.clone(), secret.clone()),
        _ => return Err(TokenError::InvalidRequest("client_id and client_secret are required".into())),
    };
    let issued = platform.issue_token(&client_id, &client_secret).await?;
    let body = json!({"access_token": issued.access_token, "token_type": "Bearer", "expires_in": issued.expires_in});
    let mut response = Json(body).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
