//! Signed-in admins, by the random id in their session cookie.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use http::{header, HeaderMap};
use rand::RngCore;
use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

pub const SESSION_COOKIE: &str = "sluice_session";
const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);

/// In memory: a restart signs admins out, which is acceptable for one console process.
pub struct SessionStore {
    sessions: Mutex<HashMap<String, (String, Instant)>>,
    secure_cookies: bool,
}

impl SessionStore {
    pub fn new(secure_cookies: bool) -> Self {
        Self { sessions: Mutex::new(HashMap::new()), secure_cookies }
    }

    /// Starts a session for `email`; returns the `Set-Cookie` value that carries it.
    pub fn start(&self, email: &str) -> String {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let id = URL_SAFE_NO_PAD.encode(bytes);
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        sessions.retain(|_, (_, expires)| *expires > Instant::now());
        sessions.insert(id.clone(), (email.to_owned(), Instant::now() + SESSION_TTL));
        self.cookie(&id, SESSION_TTL.as_secs())
    }

    /// The signed-in admin's email, if the request carries a live session.
    pub fn admin(&self, headers: &HeaderMap) -> Option<String> {
        let id = session_id(headers)?;
        let sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        sessions.get(&id).filter(|(_, expires)| *expires > Instant::now()).map(|(email, _)| email.clone())
    }

    /// Ends the request's session; returns the `Set-Cookie` value that clears the cookie.
    pub fn end(&self, headers: &HeaderMap) -> String {
        if let Some(id) = session_id(headers) {
            self.sessions.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
        }
        self.cookie("", 0)
    }

    fn cookie(&self, value: &str, max_age: u64) -> String {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
    }
}

fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cookie(set_cookie: &str) -> HeaderMap {
        let pair = set_cookie.split(';').next().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, format!("other=1; {pair}").parse().unwrap());
        headers
    }

    #[test]
    fn a_session_lives_until_it_is_ended() {
        let store = SessionStore::new(false);
        let cookie = store.start("admin@example.com");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"));
        let headers = with_cookie(&cookie);
        assert_eq!(store.admin(&headers).as_deref(), Some("admin@example.com"));
        assert!(store.end(&headers).contains("Max-Age=0"));
        assert_eq!(store.admin(&headers), None);
        assert_eq!(store.admin(&with_cookie("sluice_session=forged")), None);
    }

    #[test]
    fn cookies_are_secure_behind_https() {
        assert!(SessionStore::new(true).start("a@b").ends_with("; Secure"));
    }
}
