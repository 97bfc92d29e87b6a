//! Sluice's event-streaming platform.
//!
//! With no features this is only [`model`]: plain serde types shared with the console (and
//! compiled to wasm there). The `service` feature adds the platform itself: the domain core
//! ([`Platform`]), its storage, and the HTTP API that the `sluice` binary serves.

pub mod model;

#[cfg(feature = "service")]
pub mod api;
#[cfg(feature = "service")]
pub mod auth;
#[cfg(feature = "service")]
pub mod collect;
#[cfg(feature = "service")]
pub mod delivery;
#[cfg(feature = "service")]
pub mod demo;
#[cfg(feature = "service")]
pub mod directory;
#[cfg(feature = "service")]
pub mod enrich;
#[cfg(feature = "service")]
pub mod error;
#[cfg(feature = "service")]
pub mod ingest;
#[cfg(feature = "service")]
pub mod json_scan;
#[cfg(feature = "service")]
mod platform;
#[cfg(feature = "service")]
pub mod retention;
#[cfg(feature = "service")]
pub mod store;
#[cfg(feature = "service")]
pub mod streams;
#[cfg(feature = "service")]
pub mod telemetry;

#[cfg(feature = "service")]
pub use platform::{Platform, PlatformConfig, Tenant};
