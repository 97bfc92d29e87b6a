//! One module per routed page.

mod event_streaming;
mod not_found;

pub use event_streaming::EventStreaming;
pub use not_found::NotFound;
