//! The console's platform client against a real platform on loopback: what the server
//! functions rely on, including token renewal and a platform that is not there.

use app::{error::ConsoleError, ssr::{PlatformClient, StreamForm}};
use platform::{auth::Credentials, Platform, PlatformConfig};
use std::collections::HashMap;
use tokio::{net::TcpListener, sync::oneshot};

struct RunningPlatform {
    stop: oneshot::Sender<()>,
    stopped: tokio::task::JoinHandle<()>,
    _data: tempfile::TempDir,
}

/// Serves a fresh platform on `address` (port 0 for any) with one app; returns its URL.
async fn serve(address: &str, credentials: Option<&Credentials>) -> (String, Credentials, RunningPlatform) {
    let data = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", data.path().join("sluice.db").display());
    let platform = Platform::open(PlatformConfig::new(url, "https://sluice.example.com")).await.unwrap();
    let credentials = match credentials {
        Some(existing) => {
            platform.ensure_app(existing).await.unwrap();
            existing.clone()
        }
        None => platform.create_app("acme").await.unwrap(),
    };
    let listener = TcpListener::bind(address).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped_signal) = oneshot::channel::<()>();
    let stopped = tokio::spawn(async move {
        axum::serve(listener, platform::api::router(platform))
            .with_graceful_shutdown(async move {
                let _ = stopped_signal.await;
            })
            .await
            .unwrap();
    });
    (base, credentials, RunningPlatform { stop, stopped, _data: data })
}

impl RunningPlatform {
    async fn stop(self) {
        let _ = self.stop.send(());
        self.stopped.await.unwrap();
    }
}

fn form(stream_id: &str, kind: &str) -> StreamForm {
    StreamForm {
        stream_id: stream_id.into(),
        event_type: "risk".into(),
        destination: HashMap::from([("kind".to_owned(), kind.to_owned())]),
        batch_size: "50".into(),
        enrichment: false,
    }
}

#[tokio::test]
async fn streams_are_created_listed_and_deleted_through_the_http_contract() {
    let (url, credentials, running) = serve("127.0.0.1:0", None).await;
    let client = PlatformClient::new(&url, &credentials.client_id, &credentials.client_secret);

    let created = client.create_stream(&form("risk-feed", "custom").into_new_stream().unwrap()).await.unwrap();
    assert_eq!(
        created.collect_url.as_deref(),
        Some("https://sluice.example.com/activities/v1/activities/collect?type=risk&stream_id=risk-feed&batch_size=50")
    );
    let listed = client.list_streams().await.unwrap();
    assert_eq!(listed.iter().map(|s| s.stream_id.as_str()).collect::<Vec<_>>(), ["risk-feed"]);

    let duplicate = client.create_stream(&form("risk-feed", "custom").into_new_stream().unwrap()).await.unwrap_err();
    assert!(matches!(&duplicate, ConsoleError::Platform { code, .. } if code == "stream_exists"), "{duplicate:?}");
    let placed = app::ssr::place_platform_error(duplicate);
    assert_eq!(placed.for_field("stream_id").as_deref(), Some("A stream with this identifier exists already."));

    client.delete_stream(&"risk-feed".parse().unwrap()).await.unwrap();
    assert!(client.list_streams().await.unwrap().is_empty());
    let missing = client.delete_stream(&"risk-feed".parse().unwrap()).await.unwrap_err();
    assert!(matches!(missing, ConsoleError::Platform { code, .. } if code == "stream_not_found"));
    running.stop().await;
}

#[tokio::test]
async fn a_rejected_token_is_renewed_once_and_the_request_retried() {
    let (url, credentials, first) = serve("127.0.0.1:0", None).await;
    let client = PlatformClient::new(&url, &credentials.client_id, &credentials.client_secret);
    client.list_streams().await.unwrap(); // caches a token that only the first platform knows
    let address = url.trim_start_matches("http://").to_owned();
    first.stop().await;

    let (_, _, second) = serve(&address, Some(&credentials)).await;
    assert!(client.list_streams().await.unwrap().is_empty(), "the client renewed its token on 401");
    second.stop().await;
}

#[tokio::test]
async fn an_unreachable_platform_is_named_plainly() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = PlatformClient::new(&url, "app", "secret");
    let error = client.list_streams().await.unwrap_err();
    assert!(matches!(&error, ConsoleError::PlatformUnreachable { url: u, .. } if *u == url), "{error:?}");
    assert!(error.to_string().contains("cannot be reached"));
}

#[tokio::test]
async fn wrong_app_credentials_are_reported_as_such() {
    let (url, credentials, running) = serve("127.0.0.1:0", None).await;
    let client = PlatformClient::new(&url, &credentials.client_id, "not-the-secret");
    let error = client.list_streams().await.unwrap_err();
    assert!(error.to_string().contains("client credentials"), "{error}");
    running.stop().await;
}
