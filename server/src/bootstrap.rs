//! What exists from the first start, so a new install can be used at once: a management app
//! and the console's admin login.

use crate::config::Config;
use app::ssr::AdminLogin;
use platform::{auth::Credentials, Platform};
use rand::Rng;
use std::{
    io::Write,
    os::unix::fs::OpenOptionsExt,
    path::{Path, PathBuf},
};

/// Where generated management-app credentials are kept (mode 0600), so the embedded console
/// can reach the platform after a restart without the secret ever being logged.
fn credentials_file(config: &Config) -> PathBuf {
    config.data_dir.join("bootstrap-app.json")
}

/// Where a generated admin login is kept (mode 0600), for `make run` to show again.
fn admin_file(config: &Config) -> PathBuf {
    config.data_dir.join("console-admin.json")
}

fn read_json(path: &Path) -> Option<serde_json::Value> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

fn save_json(path: &Path, body: &serde_json::Value) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    writeln!(file, "{body:#}")
}

fn read_saved(config: &Config) -> Option<Credentials> {
    let value = read_json(&credentials_file(config))?;
    Some(Credentials {
        tenant_id: value["tenant_id"].as_str()?.to_owned(),
        client_id: value["client_id"].as_str()?.to_owned(),
        client_secret: value["client_secret"].as_str()?.to_owned(),
    })
}

fn save(config: &Config, credentials: &Credentials) -> std::io::Result<()> {
    let body = serde_json::json!({
        "tenant_id": credentials.tenant_id,
        "client_id": credentials.client_id,
        "client_secret": credentials.client_secret,
    });
    save_json(&credentials_file(config), &body)
}

/// The console's admin login: the configured one, else the one generated at first start.
pub fn admin_login(config: &Config) -> Result<AdminLogin, Box<dyn std::error::Error>> {
    // Configured values win, each on its own; the saved (or a new) login fills the rest.
    let (email, password) = match (&config.admin_email, &config.admin_password) {
        (Some(email), Some(password)) => (email.clone(), password.clone()),
        _ => match read_json(&admin_file(config)) {
            Some(saved) => (
                config.admin_email.clone().unwrap_or_else(|| saved["email"].as_str().unwrap_or_default().to_owned()),
                config
                    .admin_password
                    .clone()
                    .unwrap_or_else(|| saved["password"].as_str().unwrap_or_default().to_owned()),
            ),
            None => {
                let email = config.admin_email.clone().unwrap_or_else(|| "admin@sluice.local".to_owned());
                let password: String =
                    rand::thread_rng().sample_iter(&rand::distributions::Alphanumeric).take(20).map(char::from).collect();
                save_json(&admin_file(config), &serde_json::json!({"email": email, "password": password}))?;
                println!("created the console admin login (shown once; also saved, mode 0600, in {}):", admin_file(config).display());
                println!("  email          {email}");
                println!("  password       {password}");
                (email, password)
            }
        },
    };
    if email.trim().is_empty() || password.len() < 8 {
        return Err(format!(
            "the console admin login needs an email and a password of 8 characters or more; \
             set SLUICE_ADMIN_EMAIL and SLUICE_ADMIN_PASSWORD, or remove {} to generate one",
            admin_file(config).display()
        )
        .into());
    }
    Ok(AdminLogin::new(&email, &password).map_err(|e| e.to_string())?)
}

/// Ensures the bootstrap app: the configured one, else the one generated at first start.
/// Prints generated credentials on stdout once, never to the log.
pub async fn ensure(platform: &Platform, config: &Config) -> Result<Credentials, Box<dyn std::error::Error>> {
    if let (Some(client_id), Some(client_secret)) = (&config.bootstrap_client_id, &config.bootstrap_client_secret) {
        let credentials = Credentials {
            tenant_id: config.bootstrap_tenant.clone(),
            client_id: client_id.clone(),
            client_secret: client_secret.clone(),
        };
        if platform.ensure_app(&credentials).await? {
            tracing::info!(client_id = %credentials.client_id, tenant = %credentials.tenant_id, "bootstrap app created");
        }
        return Ok(credentials);
    }
    if let Some(saved) = read_saved(config) {
        platform.ensure_app(&saved).await?;
        println!(
            "management app: client_id {} (tenant {}); its secret is in {}",
            saved.client_id,
            saved.tenant_id,
            credentials_file(config).display()
        );
        return Ok(saved);
    }
    let credentials = platform.create_app(&config.bootstrap_tenant).await?;
    save(config, &credentials)?;
    println!("created the bootstrap management app (shown once; also saved, mode 0600, in {}):", credentials_file(config).display());
    println!("  tenant         {}", credentials.tenant_id);
    println!("  client_id      {}", credentials.client_id);
    println!("  client_secret  {}", credentials.client_secret);
    Ok(credentials)
}
