//! The `sluice` command line: the demo generator and `apps create`, run as a user would.

mod support;

use reqwest::Client;
use serde_json::Value;
use std::time::{Duration, Instant};
use support::{get_json, start, token};

#[tokio::test]
async fn demo_emits_enrichable_events_of_all_four_sources() {
    let data = tempfile::tempdir().unwrap();
    let sluice = start(data.path(), &["demo", "--demo-rate", "100"]).await;
    let client = Client::new();
    let mut seen: Vec<Value> = Vec::new();
    for source in ["cis", "risk", "verify", "admin"] {
        let put = client
            .put(format!("{}/activities/v1/activities/stream?type={source}&stream_id=demo-{source}&enrichment=true", sluice.url))
            .bearer_auth(&sluice.token)
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), 200);
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    for source in ["cis", "risk", "verify", "admin"] {
        let mut events = Vec::new();
        while events.len() < 20 && Instant::now() < deadline {
            let query = format!("type={source}&stream_id=demo-{source}&batch_size=1000");
            let (batch, _) = sluice.collect(&client, query).await.unwrap().unwrap();
            if batch.is_empty() {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            events.extend(batch);
        }
        assert!(events.len() >= 20, "{source}: only {} demo events", events.len());
        assert!(events.iter().all(|e| e["type"] == source && e["activity"].is_string()));
        seen.extend(events);
    }
    let has = |field: &str| seen.iter().any(|e| e.get(field).is_some());
    for field in ["user_email", "app_name", "actor_email", "actor_role_groups", "risk_score", "document_type", "additionalParams"] {
        assert!(has(field), "no demo event has {field}");
    }
    sluice.kill9().await;
}

#[tokio::test]
async fn apps_create_adds_a_working_app_in_a_new_tenant() {
    let data = tempfile::tempdir().unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["apps", "create", "--tenant", "globex"])
        .env("SLUICE_DATA_DIR", data.path())
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let field = |name: &str| {
        stdout
            .lines()
            .find_map(|l| l.trim().strip_prefix(name).map(|v| v.trim().to_owned()))
            .unwrap_or_else(|| panic!("no {name} in {stdout}"))
    };
    let (client_id, client_secret) = (field("client_id"), field("client_secret"));

    let sluice = start(data.path(), &[]).await;
    let token = token(&sluice.url, &client_id, &client_secret).await;
    let created = Client::new()
        .post(format!("{}/activities/v1/streams", sluice.url))
        .bearer_auth(&token)
        .json(&serde_json::json!({"stream_id": "globex-only", "type": "cis"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    // The bootstrap app's tenant does not see it.
    let listed = get_json(&sluice.url, "/activities/v1/streams", &sluice.token).await;
    assert_eq!(listed["streams"], serde_json::json!([]));
    sluice.kill9().await;
}
