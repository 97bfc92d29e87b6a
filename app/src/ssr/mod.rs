//! Server-only parts of the console: its state, sessions, the admin login and the platform client.

mod admin;
mod live;
mod platform_client;
mod sessions;
mod stream_form;

pub use admin::AdminLogin;
pub use live::live_streams;
pub use platform_client::PlatformClient;
pub use sessions::{SessionStore, SESSION_COOKIE};
pub use stream_form::{place_platform_error, StreamForm};

use std::sync::Arc;

/// Everything the console's server functions need, provided to them as context.
#[derive(Clone)]
pub struct ConsoleState {
    pub platform: Arc<PlatformClient>,
    pub sessions: Arc<SessionStore>,
    pub admin: Arc<AdminLogin>,
}

impl ConsoleState {
    pub fn new(platform: PlatformClient, admin: AdminLogin, secure_cookies: bool) -> Self {
        Self {
            platform: Arc::new(platform),
            sessions: Arc::new(SessionStore::new(secure_cookies)),
            admin: Arc::new(admin),
        }
    }
}
