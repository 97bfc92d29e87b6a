//! Extractors whose rejections speak the contract's error shape.

use crate::{error::Error, platform::Platform, Tenant};
use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Query, Request},
    http::{header, request::Parts, StatusCode},
};
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// The caller's tenant, from its bearer token.
pub struct Auth(pub Tenant);

impl FromRequestParts<Platform> for Auth {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, platform: &Platform) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(header::AUTHORIZATION).map(|v| v.to_str().unwrap_or(""));
        platform.authenticate(header).await.map(Auth)
    }
}

/// A JSON body: `application/json` required, size limited, parse errors explained.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<Platform> for ApiJson<T> {
    type Rejection = Error;

    async fn from_request(request: Request, platform: &Platform) -> Result<Self, Self::Rejection> {
        let JsonText(text) = JsonText::from_request(request, platform).await?;
        serde_json::from_str(&text).map(ApiJson).map_err(Error::not_json)
    }
}

/// A JSON body's text, not yet parsed, for a handler that parses it in its own way: the same
/// checks as [`ApiJson`] before parsing.
pub struct JsonText(pub String);

impl FromRequest<Platform> for JsonText {
    type Rejection = Error;

    async fn from_request(request: Request, platform: &Platform) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if essence != "application/json" {
            return Err(Error::UnsupportedMediaType(format!(
                "the body must be sent as Content-Type: application/json, not {:?}",
                content_type
            )));
        }
        let bytes = Bytes::from_request(request, platform).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::PayloadTooLarge(platform.config().body_limit)
            } else {
                Error::InvalidRequest(format!("the body could not be read: {}", rejection.body_text()))
            }
        })?;
        String::from_utf8(bytes.into()).map(JsonText).map_err(|e| Error::not_json(e.utf8_error()))
    }
}

/// Query parameters by name; the last value wins when one is repeated.
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(pairs) = Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| Error::InvalidRequest(format!("the query string is malformed: {}", e.body_text())))?;
        Ok(Params(pairs.into_iter().collect()))
    }
}

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub fn required(&self, name: &str) -> Result<&str, Error> {
        self.get(name)
            .ok_or_else(|| Error::InvalidRequest(format!("the query parameter {name:?} is required")))
    }
}
