//! The platform's HTTP contract, exercised over real HTTP against the real router and SQLite.

mod helpers;

mod collect;
mod compat;
mod concurrency;
mod directory;
mod ingest;
mod ops;
mod streams;
mod tokens;
