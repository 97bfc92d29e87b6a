//! Bucket delivery: GCS into fake-gcs-server, S3 into moto; objects listed and read back.

use crate::{eventually, ingest_numbered, numbers, servers, spawn_delivering_app, stream};
use flate2::read::GzDecoder;
use futures::TryStreamExt;
use object_store::{aws::AmazonS3Builder, ObjectStore};
use serde_json::{json, Value};
use std::io::Read;

fn parse_ndjson(text: &str) -> Vec<Value> {
    text.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

/// `{prefix}/{type}/{yyyy}/{mm}/{dd}/{HHMMSS}-{first_seq}-{last_seq}.ndjson`
fn assert_layout(name: &str, prefix: &str) {
    let rest = name.strip_prefix(&format!("{prefix}/cis/2026/11/26/")).unwrap_or_else(|| panic!("{name}"));
    let (time, seqs) = rest.split_once('-').unwrap();
    assert_eq!(time, "100000", "{name}");
    let (first, last) = seqs.strip_suffix(".ndjson").unwrap().split_once('-').unwrap();
    assert!(first.parse::<u64>().unwrap() <= last.parse::<u64>().unwrap(), "{name}");
}

#[tokio::test]
async fn gcs_gets_one_ndjson_object_per_batch() {
    let gcs = servers::fake_gcs();
    let http = reqwest::Client::new();
    let created = http
        .post(format!("{}/storage/v1/b?project=sluice-test", gcs.url()))
        .json(&json!({"name": "audit-bucket"}))
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success(), "{}", created.status());

    let app = spawn_delivering_app().await;
    let body = json!({"stream_id": "to-gcs", "type": "cis", "batch_size": 100,
        "destination": {"kind": "gcs", "bucket": "audit-bucket", "prefix": "sluice", "endpoint": gcs.url()}});
    assert_eq!(app.create_stream(&body).await.status(), 201);
    ingest_numbered(&app, 0, 250, 5).await;
    eventually("every event is delivered", || async { stream(&app, "to-gcs").await["status"]["delivered"] == 250 }).await;

    let listing: Value =
        http.get(format!("{}/storage/v1/b/audit-bucket/o", gcs.url())).send().await.unwrap().json().await.unwrap();
    let mut objects: Vec<(String, String)> = listing["items"]
        .as_array()
        .expect("objects")
        .iter()
        .map(|o| (o["name"].as_str().unwrap().to_owned(), o["contentType"].as_str().unwrap_or_default().to_owned()))
        .collect();
    objects.sort_by_key(|(name, _)| name.split('-').nth(1).unwrap().parse::<u64>().unwrap());
    assert_eq!(objects.len(), 3);
    let mut events = Vec::new();
    for (name, content_type) in &objects {
        assert_layout(name, "sluice");
        assert_eq!(content_type, "application/x-ndjson");
        let url = reqwest::Url::parse_with_params(
            &format!("{}/download/storage/v1/b/audit-bucket/o/{}", gcs.url(), name.replace('/', "%2F")),
            &[("alt", "media")],
        )
        .unwrap();
        events.extend(parse_ndjson(&http.get(url).send().await.unwrap().text().await.unwrap()));
    }
    assert_eq!(numbers(&events), (0..250).collect::<Vec<_>>());
}

#[tokio::test]
async fn s3_gets_gzipped_ndjson_objects() {
    let moto = servers::moto();
    let created = reqwest::Client::new().put(format!("{}/archive", moto.url())).send().await.unwrap();
    assert!(created.status().is_success(), "{}", created.status());

    let app = spawn_delivering_app().await;
    let body = json!({"stream_id": "to-s3", "type": "cis", "batch_size": 60,
        "destination": {"kind": "s3", "bucket": "archive", "region": "us-east-1", "prefix": "events",
                        "endpoint": moto.url(), "access_key_id": "test", "secret_access_key": "test-secret", "gzip": true}});
    assert_eq!(app.create_stream(&body).await.status(), 201);
    ingest_numbered(&app, 0, 150, 5).await;
    eventually("every event is delivered", || async { stream(&app, "to-s3").await["status"]["delivered"] == 150 }).await;

    let s3 = AmazonS3Builder::new()
        .with_bucket_name("archive")
        .with_region("us-east-1")
        .with_endpoint(moto.url())
        .with_allow_http(true)
        .with_access_key_id("test")
        .with_secret_access_key("test-secret")
        .build()
        .unwrap();
    let mut listed: Vec<_> = s3.list(None).try_collect().await.unwrap();
    listed.sort_by_key(|o| o.location.as_ref().split('-').nth(1).unwrap().parse::<u64>().unwrap());
    assert_eq!(listed.len(), 3);
    let mut events = Vec::new();
    for object in listed {
        assert_layout(object.location.as_ref(), "events");
        let fetched = s3.get(&object.location).await.unwrap();
        let encoding = fetched.attributes.get(&object_store::Attribute::ContentEncoding).map(|v| v.to_string());
        assert_eq!(encoding.as_deref(), Some("gzip"));
        let mut text = String::new();
        GzDecoder::new(&fetched.bytes().await.unwrap()[..]).read_to_string(&mut text).unwrap();
        events.extend(parse_ndjson(&text));
    }
    assert_eq!(numbers(&events), (0..150).collect::<Vec<_>>());
}
