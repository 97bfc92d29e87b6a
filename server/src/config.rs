//! Typed configuration: every flag is also an environment variable.

use clap::{Args, Parser, Subcommand};
use std::{net::SocketAddr, path::PathBuf};

/// Where cargo-leptos wrote the site when this binary was built, so that `sluice` started from
/// the repository with no environment finds its wasm, JS and CSS.
const BUILT_SITE_ROOT: &str = match option_env!("LEPTOS_SITE_ROOT") {
    Some(root) => root,
    None => "target/site",
};

// No Debug: the config holds secrets.
#[derive(Parser)]
#[command(name = "sluice", version, about = "Identity and security event streaming, with its admin console")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve (the default).
    Serve,
    /// Serve, and generate realistic demo events of all four sources into the bootstrap tenant.
    Demo,
    /// Manage OAuth2 client-credentials management apps.
    Apps {
        #[command(subcommand)]
        action: AppsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AppsCommand {
    /// Create a management app (and its tenant when new); prints its credentials once.
    Create {
        #[arg(long)]
        tenant: String,
    },
}

#[derive(Args)]
pub struct Config {
    /// Address the console and API listen on (port 0 picks a free one).
    #[arg(long, env = "SLUICE_LISTEN", default_value = "127.0.0.1:3000", global = true)]
    pub listen: SocketAddr,

    /// Directory for embedded data: the SQLite database and generated bootstrap credentials.
    #[arg(long, env = "SLUICE_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,

    /// Storage: `sqlite://…` (embedded; default `<data-dir>/sluice.db`) or `postgres://…`
    /// (shared by several replicas). Prefer the variable when the URL holds a password.
    #[arg(long, env = "SLUICE_DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,

    /// Most PostgreSQL connections this process opens.
    #[arg(long, env = "SLUICE_DATABASE_POOL_SIZE", default_value_t = 16, global = true,
          value_parser = clap::value_parser!(u32).range(2..=1000))]
    pub database_pool_size: u32,

    /// Seconds a replica's lease on a push stream lasts unless renewed; after a replica dies,
    /// another takes its streams over within this time.
    #[arg(long, env = "SLUICE_DELIVERY_LEASE_SECS", default_value_t = 15, global = true,
          value_parser = clap::value_parser!(u64).range(2..=3600))]
    pub delivery_lease_secs: u64,

    /// Base URL of collect URLs shown to admins (default: http://<listen address>).
    #[arg(long, env = "SLUICE_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Tenant of the bootstrap management app, and of the demo events.
    #[arg(long, env = "SLUICE_BOOTSTRAP_TENANT", default_value = "default", global = true)]
    pub bootstrap_tenant: String,

    /// Client id of the management app ensured at start (generated at first start when unset).
    #[arg(long, env = "SLUICE_BOOTSTRAP_CLIENT_ID", global = true)]
    pub bootstrap_client_id: Option<String>,

    /// Its secret. Prefer the environment variable: flags show up in process listings.
    #[arg(long, env = "SLUICE_BOOTSTRAP_CLIENT_SECRET", hide_env_values = true, global = true)]
    pub bootstrap_client_secret: Option<String>,

    /// Email the console's admin signs in with (generated at first start when unset).
    #[arg(long, env = "SLUICE_ADMIN_EMAIL", global = true)]
    pub admin_email: Option<String>,

    /// The admin's password; only its argon2 hash is kept in memory.
    #[arg(long, env = "SLUICE_ADMIN_PASSWORD", hide_env_values = true, global = true)]
    pub admin_password: Option<String>,

    /// The platform the console manages (default: the one embedded in this process, still over HTTP).
    #[arg(long, env = "SLUICE_PLATFORM_URL", global = true)]
    pub platform_url: Option<String>,

    /// The console's management app on that platform (default: the bootstrap app).
    #[arg(long, env = "SLUICE_PLATFORM_CLIENT_ID", global = true)]
    pub platform_client_id: Option<String>,

    /// Its secret.
    #[arg(long, env = "SLUICE_PLATFORM_CLIENT_SECRET", hide_env_values = true, global = true)]
    pub platform_client_secret: Option<String>,

    /// Days events are kept once every stream has them.
    #[arg(long, env = "SLUICE_RETENTION_DAYS", default_value_t = 30, global = true,
          value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub retention_days: u32,

    /// Lifetime of issued access tokens, in seconds.
    #[arg(long, env = "SLUICE_TOKEN_TTL_SECS", default_value_t = 3600, global = true,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub token_ttl_secs: u64,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "SLUICE_BODY_LIMIT", default_value_t = 10 * 1024 * 1024, global = true)]
    pub body_limit: usize,

    /// Also generate demo events (same as the `demo` command).
    #[arg(long, env = "SLUICE_DEMO", global = true)]
    pub demo: bool,

    /// Demo events per second.
    #[arg(long, env = "SLUICE_DEMO_RATE", default_value_t = 5, global = true)]
    pub demo_rate: u32,

    /// Directory holding the built site (`pkg/` with the wasm, JS and CSS, and public assets).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = BUILT_SITE_ROOT, global = true)]
    pub site_root: PathBuf,
}

impl Config {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("sluice.db").display()))
    }
}
