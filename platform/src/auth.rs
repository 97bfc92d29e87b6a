//! OAuth2 client credentials: management apps, opaque access tokens, and the bearer check.
//!
//! Tokens are random and opaque; only their SHA-256 is stored, so neither the database nor a
//! log line ever holds one. Client secrets are argon2 hashes.

use crate::{
    error::{Error, Result},
    platform::{Platform, Tenant},
    store::{AppRecord, StoreError, TokenRecord},
};
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::Utc;
use rand::{distributions::Alphanumeric, Rng, RngCore};
use sha2::{Digest, Sha256};

/// A management app's credentials, shown once when the app is created.
#[derive(Clone)]
pub struct Credentials {
    pub tenant_id: String,
    pub client_id: String,
    pub client_secret: String,
}

/// A freshly issued access token.
#[derive(Clone)]
pub struct IssuedToken {
    pub access_token: String,
    pub expires_in: u64,
}

// Hand-written so that no `{:?}` can print a secret or a token.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken").field("expires_in", &self.expires_in).finish_non_exhaustive()
    }
}

/// Why `/oidc/token` refused, in RFC 6749 §5.2 terms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("invalid_request")]
    InvalidRequest(String),
    #[error("unsupported_grant_type")]
    UnsupportedGrantType,
    #[error("invalid_client")]
    InvalidClient,
    #[error("server_error")]
    Internal,
}

impl From<StoreError> for TokenError {
    fn from(error: StoreError) -> Self {
        tracing::error!(%error, "token store failed");
        TokenError::Internal
    }
}

fn random_text(len: usize) -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}

fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// argon2 is deliberately slow: run it off the async workers.
async fn hash_secret(secret: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(secret.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|_| Error::InvalidRequest("hashing was interrupted".into()))?
    .map_err(|e| Error::InvalidRequest(format!("cannot hash secret: {e}")))
}

async fn verify_secret(secret: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| Argon2::default().verify_password(secret.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

impl Platform {
    /// Creates a management app for `tenant_id` (and the tenant when new), with generated credentials.
    pub async fn create_app(&self, tenant_id: &str) -> Result<Credentials> {
        let credentials = Credentials {
            tenant_id: tenant_id.to_owned(),
            client_id: format!("app_{}", random_text(20).to_lowercase()),
            client_secret: random_text(40),
        };
        self.add_app(&credentials).await?;
        Ok(credentials)
    }

    /// Makes sure the app exists with these credentials; returns false when it already existed.
    /// An existing app must belong to the same tenant and accept the same secret.
    pub async fn ensure_app(&self, credentials: &Credentials) -> Result<bool> {
        if let Some(existing) = self.store.find_app(&credentials.client_id).await? {
            let same_secret = verify_secret(credentials.client_secret.clone(), existing.secret_hash).await;
            if existing.tenant_id != credentials.tenant_id || !same_secret {
                return Err(Error::InvalidRequest(format!(
                    "management app {:?} exists already with another tenant or secret",
                    credentials.client_id
                )));
            }
            return Ok(false);
        }
        match self.add_app(credentials).await {
            Err(Error::Internal(StoreError::Conflict)) => Ok(false),
            other => other.map(|()| true),
        }
    }

    async fn add_app(&self, credentials: &Credentials) -> Result<()> {
        if credentials.client_id.is_empty() || credentials.client_secret.len() < 8 {
            return Err(Error::InvalidRequest("client ids must not be empty and secrets need 8 characters or more".into()));
        }
        self.store.ensure_tenant(&credentials.tenant_id).await?;
        let app = AppRecord {
            client_id: credentials.client_id.clone(),
            tenant_id: credentials.tenant_id.clone(),
            secret_hash: hash_secret(credentials.client_secret.clone()).await?,
        };
        self.store.create_app(&app).await?;
        Ok(())
    }

    /// The client-credentials grant: checks the app's secret and issues a token for its tenant.
    pub async fn issue_token(&self, client_id: &str, client_secret: &str) -> Result<IssuedToken, TokenError> {
        let app = self.store.find_app(client_id).await?.ok_or(TokenError::InvalidClient)?;
        if !verify_secret(client_secret.to_owned(), app.secret_hash).await {
            return Err(TokenError::InvalidClient);
        }
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let access_token = format!("slt_{}", URL_SAFE_NO_PAD.encode(bytes));
        let ttl = self.config.token_ttl;
        let record = TokenRecord {
            tenant_id: app.tenant_id,
            client_id: app.client_id,
            expires_at: Utc::now() + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::hours(1)),
        };
        self.store.insert_token(&token_hash(&access_token), &record).await?;
        Ok(IssuedToken { access_token, expires_in: ttl.as_secs() })
    }

    /// Resolves an `Authorization` header value to the tenant its bearer token belongs to.
    pub async fn authenticate(&self, authorization: Option<&str>) -> Result<Tenant> {
        let header = authorization.ok_or(Error::Unauthorized("an Authorization: Bearer token is required"))?;
        let token = header
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|t| !t.is_empty())
            .ok_or(Error::Unauthorized("the Authorization header must be `Bearer <token>`"))?;
        let hash = token_hash(token);
        let record = match self.tokens.get(&hash) {
            Some(record) => record,
            None => {
                let record = self
                    .store
                    .find_token(&hash)
                    .await?
                    .ok_or(Error::Unauthorized("the access token is not valid"))?;
                self.tokens.insert(hash, record.clone());
                record
            }
        };
        if record.expires_at <= Utc::now() {
            return Err(Error::Unauthorized("the access token has expired"));
        }
        Ok(Tenant(record.tenant_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_hashes_are_stable_hex_sha256() {
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[tokio::test]
    async fn secrets_verify_against_their_hash_only() {
        let hash = hash_secret("correct horse".into()).await.unwrap();
        assert!(verify_secret("correct horse".into(), hash.clone()).await);
        assert!(!verify_secret("wrong".into(), hash.clone()).await);
        assert!(!verify_secret("correct horse".into(), "not a hash".into()).await);
    }
}
