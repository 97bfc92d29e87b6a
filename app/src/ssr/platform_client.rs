//! The console's client of the platform's HTTP API: the same contract outside collectors use,
//! so the console can manage a remote platform as well as the embedded one.

use crate::error::ConsoleError;
use platform::model::{NewStream, Stream, StreamId, StreamList};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

pub struct PlatformClient {
    http: reqwest::Client,
    base_url: String,
    client_id: String,
    client_secret: String,
    /// The access token and when to stop using it, shared by every request.
    token: Mutex<Option<(String, Instant)>>,
}

impl PlatformClient {
    pub fn new(base_url: &str, client_id: &str, client_secret: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(15))
                .build()
                .expect("a TLS-capable HTTP client can be built"),
            base_url: base_url.trim_end_matches('/').to_owned(),
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            token: Mutex::new(None),
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn unreachable(&self, error: reqwest::Error) -> ConsoleError {
        let reason = if error.is_connect() {
            "connection refused".to_owned()
        } else if error.is_timeout() {
            "timed out".to_owned()
        } else {
            error.without_url().to_string()
        };
        ConsoleError::PlatformUnreachable { url: self.base_url.clone(), reason }
    }

    /// A token from the cache, or a new one when it is missing, expiring, or `refresh` is set.
    async fn token(&self, refresh: bool) -> Result<String, ConsoleError> {
        let mut cached = self.token.lock().await;
        if let Some((token, valid_until)) = cached.as_ref() {
            if !refresh && *valid_until > Instant::now() {
                return Ok(token.clone());
            }
        }
        let response = self
            .http
            .post(format!("{}/oidc/token", self.base_url))
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(|e| self.unreachable(e))?;
        if !response.status().is_success() {
            return Err(ConsoleError::Platform {
                code: "invalid_client".into(),
                message: format!(
                    "The platform refused the console's management app ({}); check its client credentials.",
                    response.status()
                ),
            });
        }
        let body: Value = response.json().await.map_err(|e| self.unreachable(e))?;
        let token = body["access_token"].as_str().unwrap_or_default().to_owned();
        let lifetime = body["expires_in"].as_u64().unwrap_or(60);
        // Renew a little early, so a request never leaves with a token about to expire.
        let valid_until = Instant::now() + Duration::from_secs(lifetime.saturating_sub(30).max(1));
        *cached = Some((token.clone(), valid_until));
        Ok(token)
    }

    /// Sends a request with the cached token; on 401 gets a fresh token and tries once more.
    async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Result<reqwest::Response, ConsoleError> {
        for refresh in [false, true] {
            let token = self.token(refresh).await?;
            let mut request = self.http.request(method.clone(), format!("{}{path}", self.base_url)).bearer_auth(token);
            if let Some(body) = body {
                request = request.json(body);
            }
            let response = request.send().await.map_err(|e| self.unreachable(e))?;
            if response.status() != StatusCode::UNAUTHORIZED || refresh {
                return Ok(response);
            }
        }
        unreachable!("the loop returns on its second pass")
    }

    async fn parse<T: DeserializeOwned>(&self, response: reqwest::Response) -> Result<T, ConsoleError> {
        if response.status().is_success() {
            return response.json().await.map_err(|e| self.unreachable(e));
        }
        let status = response.status();
        let body: Value = response.json().await.unwrap_or_default();
        Err(ConsoleError::Platform {
            code: body["error"]["code"].as_str().unwrap_or("unexpected").to_owned(),
            message: body["error"]["message"]
                .as_str()
                .map_or_else(|| format!("The platform answered {status}."), str::to_owned),
        })
    }

    pub async fn list_streams(&self) -> Result<Vec<Stream>, ConsoleError> {
        let response = self.send(Method::GET, "/activities/v1/streams", None).await?;
        Ok(self.parse::<StreamList>(response).await?.streams)
    }

    pub async fn create_stream(&self, new: &NewStream) -> Result<Stream, ConsoleError> {
        let body = serde_json::to_value(new).map_err(|e| ConsoleError::ServerFn(e.to_string()))?;
        let response = self.send(Method::POST, "/activities/v1/streams", Some(&body)).await?;
        self.parse(response).await
    }

    pub async fn delete_stream(&self, stream_id: &StreamId) -> Result<(), ConsoleError> {
        let response = self.send(Method::DELETE, &format!("/activities/v1/streams/{stream_id}"), None).await?;
        if response.status() == StatusCode::NO_CONTENT {
            return Ok(());
        }
        self.parse::<Value>(response).await.map(|_| ())
    }
}
