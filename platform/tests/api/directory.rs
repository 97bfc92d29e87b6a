use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn entries_are_written_read_and_deleted() {
    let app = spawn_app().await;
    let put = app.request(Method::PUT, "/directory/v1/admins/adm-7").json(&json!({"email": "ops@example.com", "role_groups": ["Support"]})).send().await.unwrap();
    assert_eq!(put.status(), 200);
    let read: Value = app.request(Method::GET, "/directory/v1/admins/adm-7").send().await.unwrap().json().await.unwrap();
    assert_eq!(read, json!({"admin_id": "adm-7", "email": "ops@example.com", "role_groups": ["Support"]}));

    app.request(Method::PUT, "/directory/v1/apps/a1").json(&json!({"name": "Mobile Banking"})).send().await.unwrap();
    assert_eq!(app.request(Method::DELETE, "/directory/v1/apps/a1").send().await.unwrap().status(), 204);
    assert_error(app.request(Method::GET, "/directory/v1/apps/a1").send().await.unwrap(), 404, "not_found").await;
    assert_error(app.request(Method::DELETE, "/directory/v1/apps/a1").send().await.unwrap(), 404, "not_found").await;
}

#[tokio::test]
async fn malformed_entries_are_refused() {
    let app = spawn_app().await;
    let no_email = app.request(Method::PUT, "/directory/v1/users/u1").json(&json!({"mail": "x"})).send().await.unwrap();
    assert_error(no_email, 400, "invalid_request").await;
    let bad_groups = app.request(Method::PUT, "/directory/v1/admins/a").json(&json!({"email": "e", "role_groups": "x"})).send().await.unwrap();
    assert_error(bad_groups, 400, "invalid_request").await;
    let unknown = app.request(Method::PUT, "/directory/v1/groups/g").json(&json!({})).send().await.unwrap();
    assert_error(unknown, 404, "not_found").await;
    let bad_import = app.request(Method::POST, "/directory/v1/import").json(&json!({"users": [{"id": 1}]})).send().await.unwrap();
    assert_error(bad_import, 400, "invalid_request").await;
}
