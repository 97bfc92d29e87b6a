//! The management app that exists from the first start, so a new install can be used at once.

use crate::config::Config;
use platform::{auth::Credentials, Platform};
use std::{io::Write, os::unix::fs::OpenOptionsExt, path::PathBuf};

/// Where generated credentials are kept (mode 0600), so the embedded console can reach the
/// platform after a restart without the secret ever being logged.
fn credentials_file(config: &Config) -> PathBuf {
    config.data_dir.join("bootstrap-app.json")
}

fn read_saved(config: &Config) -> Option<Credentials> {
    let text = std::fs::read_to_string(credentials_file(config)).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
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
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(credentials_file(config))?;
    writeln!(file, "{body:#}")
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
