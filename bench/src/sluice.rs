//! Sluice as users run it: the release `sluice` binary with embedded SQLite, driven over HTTP.

use crate::{one_ahead, token};
use bytes::Bytes;
use reqwest::Client;
use serde_json::json;
use std::{
    future::Future,
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

const CLIENT_ID: &str = "bench";
const CLIENT_SECRET: &str = "bench-secret";

pub struct Sluice {
    child: Child,
    _data: tempfile::TempDir,
    url: String,
    token: String,
    client: Client,
}

impl Drop for Sluice {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How a drain reads its stream.
#[derive(Clone, Copy)]
pub enum Mode {
    AutoCommit,
    Cursor,
}

impl Sluice {
    pub async fn start(binary: &str) -> Self {
        let data = tempfile::tempdir().unwrap();
        let mut child = Command::new(binary)
            .env("SLUICE_LISTEN", "127.0.0.1:0")
            .env("SLUICE_DATA_DIR", data.path())
            .env("SLUICE_BOOTSTRAP_CLIENT_ID", CLIENT_ID)
            .env("SLUICE_BOOTSTRAP_CLIENT_SECRET", CLIENT_SECRET)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {binary} (run make build): {e}"));
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = loop {
            let line = lines.next().expect("sluice prints its address").unwrap();
            if let Some(url) = line.strip_prefix("sluice listening on ") {
                break url.to_owned();
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        let token = token::token(&url, CLIENT_ID, CLIENT_SECRET).await;
        Self { child, _data: data, url, token, client: Client::new() }
    }

    /// A POST of JSON to the API, as the bench's tenant.
    fn request(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.post(format!("{}{path}", self.url)).bearer_auth(&self.token).header("content-type", "application/json")
    }

    async fn post(&self, path: &str, body: Vec<u8>) -> reqwest::Response {
        let response = self.request(path).body(body).send().await.unwrap();
        assert!(response.status().is_success(), "{path}: {}", response.status());
        response
    }

    pub async fn import_directory(&self, directory: &platform::model::DirectoryImport) {
        self.post("/directory/v1/import", serde_json::to_vec(directory).unwrap()).await;
    }

    pub async fn create_stream(&self, stream_id: &str, enrichment: bool) {
        let body = json!({"stream_id": stream_id, "type": "cis", "batch_size": 1000, "enrichment": enrichment});
        self.post("/activities/v1/streams", serde_json::to_vec(&body).unwrap()).await;
    }

    /// Ingests pre-serialised arrays of events, one request each.
    pub async fn ingest(&self, arrays: &[Vec<u8>]) {
        for array in arrays {
            self.post("/activities/v1/events", array.clone()).await;
        }
    }

    /// Drains `events` events from a stream in batches of 1000 and returns how many arrived.
    /// Auto-commit asks for the next batch while it frames the current one; cursor mode cannot,
    /// as its next call commits the batch before it, so it waits until the batch is framed.
    pub async fn drain(&self, stream_id: &str, mode: Mode, events: usize) -> usize {
        let path = format!("/activities/v1/activities/collect?type=cis&stream_id={stream_id}&batch_size=1000");
        let drained = match mode {
            Mode::AutoCommit => {
                one_ahead::drain(events, || self.collect(path.clone()), |(_, body)| async move { count_elements(&body) })
                    .await
            }
            Mode::Cursor => {
                let (mut drained, mut cursor) = (0, String::new());
                while drained < events {
                    let body;
                    (cursor, body) = self.collect(format!("{path}&cursor={cursor}")).await;
                    let batch = count_elements(&body);
                    assert!(batch > 0, "{stream_id} ran dry after {drained} events");
                    drained += batch;
                }
                drained
            }
        };
        assert_eq!(drained, events, "{stream_id}: batches of 1000 add up to exactly the events asked for");
        drained
    }

    /// One collect call: its `Sluice-Cursor` and body.
    fn collect(&self, path: String) -> impl Future<Output = (String, Bytes)> + Send + 'static {
        let request = self.request(&path);
        async move {
            let response = request.send().await.unwrap();
            assert!(response.status().is_success(), "{path}: {}", response.status());
            let cursor = response.headers()["sluice-cursor"].to_str().unwrap().to_owned();
            (cursor, response.bytes().await.unwrap())
        }
    }
}

/// The events in a collect response, framed the way the Redis and NATS clients frame theirs: by
/// the wire format alone, here the commas between the array's elements, without parsing each.
fn count_elements(array: &[u8]) -> usize {
    platform::json_scan::elements(std::str::from_utf8(array).expect("a collect response is UTF-8")).count()
}
