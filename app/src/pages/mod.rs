//! One module per routed page.

mod event_streaming;
mod login;
mod not_found;

pub use event_streaming::EventStreaming;
pub use login::LoginPage;
pub use not_found::NotFound;
