use crate::helpers::*;
use reqwest::Method;
use serde_json::Value;
use std::time::Duration;

#[tokio::test]
async fn client_credentials_by_form_and_by_basic_both_issue_bearer_tokens() {
    let app = spawn_app().await;
    let credentials = app.platform.create_app("acme").await.unwrap();

    let by_basic = app
        .client
        .post(format!("{}/oidc/token", app.url))
        .basic_auth(&credentials.client_id, Some(&credentials.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(by_basic.status(), 200);
    assert_eq!(by_basic.headers()["cache-control"], "no-store");
    let body: Value = by_basic.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let token = body["access_token"].as_str().unwrap();

    let listed = app.client.get(format!("{}/activities/v1/streams", app.url)).bearer_auth(token).send().await.unwrap();
    assert_eq!(listed.status(), 200);
}

#[tokio::test]
async fn token_errors_use_the_oauth_shape() {
    let app = spawn_app().await;
    let credentials = app.platform.create_app("acme").await.unwrap();
    let post = |form: Vec<(&'static str, String)>| {
        let request = app.client.post(format!("{}/oidc/token", app.url)).form(&form);
        async move { request.send().await.unwrap() }
    };

    let wrong_secret = post(vec![
        ("grant_type", "client_credentials".into()),
        ("client_id", credentials.client_id.clone()),
        ("client_secret", "not-the-secret".into()),
    ])
    .await;
    assert_eq!(wrong_secret.status(), 401);
    assert_eq!(wrong_secret.json::<Value>().await.unwrap()["error"], "invalid_client");

    let unknown_client = post(vec![
        ("grant_type", "client_credentials".into()),
        ("client_id", "nobody".into()),
        ("client_secret", "whatever-secret".into()),
    ])
    .await;
    assert_eq!(unknown_client.status(), 401);

    let wrong_grant = post(vec![("grant_type", "password".into())]).await;
    assert_eq!(wrong_grant.status(), 400);
    assert_eq!(wrong_grant.json::<Value>().await.unwrap()["error"], "unsupported_grant_type");

    let missing = post(vec![("grant_type", "client_credentials".into())]).await;
    assert_eq!(missing.status(), 400);
    assert_eq!(missing.json::<Value>().await.unwrap()["error"], "invalid_request");
}

#[tokio::test]
async fn missing_garbled_and_expired_tokens_are_unauthorized() {
    let app = spawn_app_with(|mut config| {
        config.token_ttl = Duration::from_secs(1);
        config
    })
    .await;
    let streams = format!("{}/activities/v1/streams", app.url);

    let missing = app.client.get(&streams).send().await.unwrap();
    assert_eq!(missing.headers()["www-authenticate"], "Bearer");
    assert_error(missing, 401, "unauthorized").await;

    let garbled = app.client.get(&streams).bearer_auth("slt_garbage").send().await.unwrap();
    assert_error(garbled, 401, "unauthorized").await;

    let not_bearer = app.client.get(&streams).header("authorization", "Token abc").send().await.unwrap();
    assert_error(not_bearer, 401, "unauthorized").await;

    assert_eq!(app.request(Method::GET, "/activities/v1/streams").send().await.unwrap().status(), 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let expired = app.request(Method::GET, "/activities/v1/streams").send().await.unwrap();
    let message = assert_error(expired, 401, "unauthorized").await;
    assert!(message.contains("expired"), "{message}");
}

#[tokio::test]
async fn a_tenant_never_sees_another_tenants_streams() {
    let app = spawn_app().await;
    assert_eq!(app.create_stream(&serde_json::json!({"stream_id": "mine", "type": "cis"})).await.status(), 201);
    app.ingest(&events("cis", 0..3)).await;

    let other = app.token_for_new_app("globex").await;
    let get = |path: String| app.client.get(format!("{}{path}", app.url)).bearer_auth(&other).send();
    let listed: Value = get("/activities/v1/streams".into()).await.unwrap().json().await.unwrap();
    assert_eq!(listed["streams"], serde_json::json!([]));
    assert_error(get("/activities/v1/streams/mine".into()).await.unwrap(), 404, "stream_not_found").await;

    let foreign_collect = app
        .client
        .post(format!("{}/activities/v1/activities/collect?type=cis&stream_id=mine", app.url))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_error(foreign_collect, 404, "stream_not_found").await;
}
