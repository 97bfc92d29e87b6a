//! The store contract: one generic suite every backend must pass, run against SQLite and
//! against a PostgreSQL server the harness starts.

#[path = "../support/postgres.rs"]
mod postgres;

mod contract;

use platform::store::{PostgresStore, SqliteStore, Store};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_keeps_the_store_contract() {
    let data = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", data.path().join("contract.db").display());
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&url).await.unwrap());
    contract::run(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_keeps_the_store_contract() {
    let server = postgres::PostgresServer::start();
    let store: Arc<dyn Store> = Arc::new(PostgresStore::open(&server.database().await, 16).await.unwrap());
    contract::run(store).await;
}
