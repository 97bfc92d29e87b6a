//! An access token by the client-credentials grant, as a collector gets one. Shared by the
//! `sluice` binary's tests, the throughput bench and `make bench`.

use serde_json::Value;

/// The token `POST /oidc/token` grants the management app `client_id`.
pub async fn token(url: &str, client_id: &str, client_secret: &str) -> String {
    let body: Value = reqwest::Client::new()
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
