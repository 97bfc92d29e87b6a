//! `spawn_app()`: the real platform router on a free loopback port, with a fresh SQLite database.

use platform::{Platform, PlatformConfig};
use reqwest::{Client, RequestBuilder, Response};
use serde_json::Value;
use tempfile::TempDir;

pub struct TestApp {
    pub url: String,
    pub client: Client,
    pub platform: Platform,
    /// A bearer token of tenant `acme`.
    pub token: String,
    _data: TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|config| config).await
}

pub async fn spawn_app_with(configure: impl FnOnce(PlatformConfig) -> PlatformConfig) -> TestApp {
    let data = tempfile::tempdir().expect("temp dir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let database_url = format!("sqlite://{}", data.path().join("sluice.db").display());
    let platform = Platform::open(configure(PlatformConfig::new(database_url, "https://sluice.example.com")))
        .await
        .expect("open platform");
    let router = platform::api::router(platform.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let mut app = TestApp { url, client: Client::new(), platform, token: String::new(), _data: data };
    app.token = app.token_for_new_app("acme").await;
    app
}

impl TestApp {
    /// Creates a management app in `tenant` and exchanges its credentials for a token.
    pub async fn token_for_new_app(&self, tenant: &str) -> String {
        let credentials = self.platform.create_app(tenant).await.expect("create app");
        let response = self
            .client
            .post(format!("{}/oidc/token", self.url))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", &credentials.client_id),
                ("client_secret", &credentials.client_secret),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    pub fn request(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.client.request(method, format!("{}{path}", self.url)).bearer_auth(&self.token)
    }

    pub async fn ingest(&self, events: &Value) -> Response {
        self.request(reqwest::Method::POST, "/activities/v1/events").json(events).send().await.unwrap()
    }

    pub async fn create_stream(&self, body: &Value) -> Response {
        self.request(reqwest::Method::POST, "/activities/v1/streams").json(body).send().await.unwrap()
    }

    pub async fn collect(&self, query: &str) -> Response {
        self.request(reqwest::Method::POST, &format!("/activities/v1/activities/collect?{query}"))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap()
    }

    /// Collects and returns the events, asserting success.
    pub async fn collect_events(&self, query: &str) -> Vec<Value> {
        let response = self.collect(query).await;
        assert_eq!(response.status(), 200, "collect {query}");
        response.json().await.unwrap()
    }
}

/// Asserts the contract's error shape and code, and returns the message.
pub async fn assert_error(response: Response, status: u16, code: &str) -> String {
    assert_eq!(response.status().as_u16(), status, "expected {code}");
    let body: Value = response.json().await.expect("error body is JSON");
    assert_eq!(body["error"]["code"], code, "{body}");
    let message = body["error"]["message"].as_str().expect("message").to_owned();
    assert!(!message.is_empty());
    message
}

/// `n` minimal events of one type, numbered by their `n` field.
pub fn events(event_type: &str, range: std::ops::Range<usize>) -> Value {
    Value::Array(
        range
            .map(|n| serde_json::json!({"type": event_type, "activity": "user_login_succeeded", "n": n, "user_id": format!("u{n}")}))
            .collect(),
    )
}
