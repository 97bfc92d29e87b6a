//! Runs the real `sluice` binary for tests: started on a free port, killed when dropped.
// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use reqwest::Client;
use serde_json::Value;
use std::{path::Path, process::Stdio, time::Duration};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

const CLIENT_ID: &str = "test-app";
const CLIENT_SECRET: &str = "test-app-secret";

pub struct Sluice {
    child: Child,
    pub url: String,
    pub token: String,
}

/// Starts `sluice` with `args` on a free loopback port over `data_dir`, and gets a token.
pub async fn start(data_dir: &Path, args: &[&str]) -> Sluice {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .env("SLUICE_LISTEN", "127.0.0.1:0")
        .env("SLUICE_DATA_DIR", data_dir)
        .env("SLUICE_BOOTSTRAP_CLIENT_ID", CLIENT_ID)
        .env("SLUICE_BOOTSTRAP_CLIENT_SECRET", CLIENT_SECRET)
        .env("RUST_LOG", "warn")
        .args(args)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start sluice");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("sluice prints its address")
            .unwrap()
            .expect("sluice exited before listening");
        if let Some(url) = line.strip_prefix("sluice listening on ") {
            break url.to_owned();
        }
    };
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let token = token(&url, CLIENT_ID, CLIENT_SECRET).await;
    Sluice { child, url, token }
}

/// An access token for a management app, by the client-credentials grant.
pub async fn token(url: &str, client_id: &str, client_secret: &str) -> String {
    let body: Value = Client::new()
        .post(format!("{url}/oidc/token"))
        .basic_auth(client_id, Some(client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["access_token"].as_str().expect("a token").to_owned()
}

/// A GET of the API's JSON, as `token`'s tenant.
pub async fn get_json(url: &str, path: &str, token: &str) -> Value {
    Client::new().get(format!("{url}{path}")).bearer_auth(token).send().await.unwrap().json().await.unwrap()
}

impl Sluice {
    pub async fn kill9(mut self) {
        self.child.kill().await.unwrap(); // SIGKILL: no shutdown, no flush
    }

    /// A collect call that runs on its own, so the server can be killed while it is in flight.
    pub fn collect(&self, client: &Client, query: String) -> tokio::task::JoinHandle<reqwest::Result<(Vec<Value>, String)>> {
        let request = client
            .post(format!("{}/activities/v1/activities/collect?{query}", self.url))
            .bearer_auth(&self.token);
        tokio::spawn(async move {
            let response = request.send().await?.error_for_status()?;
            let cursor = response.headers()["sluice-cursor"].to_str().unwrap().to_owned();
            Ok((response.json().await?, cursor))
        })
    }
}

