//! The console's admin login: one email and an argon2 hash of its password.

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};

pub struct AdminLogin {
    email: String,
    password_hash: String,
}

impl AdminLogin {
    /// Hashes the password right away: the plain text is not kept.
    pub fn new(email: &str, password: &str) -> Result<Self, argon2::password_hash::Error> {
        let salt = SaltString::generate(&mut OsRng);
        let password_hash = Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string();
        Ok(Self { email: email.trim().to_owned(), password_hash })
    }

    pub fn email(&self) -> &str {
        &self.email
    }

    /// Emails compare without case; the password by argon2 (off the async workers, it is slow).
    pub async fn verify(&self, email: &str, password: &str) -> bool {
        let email_matches = email.trim().eq_ignore_ascii_case(&self.email);
        let (hash, password) = (self.password_hash.clone(), password.to_owned());
        let password_matches = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await
        .unwrap_or(false);
        email_matches && password_matches
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_the_right_email_and_password_pass() {
        let admin = AdminLogin::new("Admin@Example.com", "s3cret-pass").unwrap();
        assert!(admin.verify("admin@example.com", "s3cret-pass").await);
        assert!(!admin.verify("admin@example.com", "wrong").await);
        assert!(!admin.verify("other@example.com", "s3cret-pass").await);
    }
}
