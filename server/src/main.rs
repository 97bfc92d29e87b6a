//! `sluice`: serves the admin console and the platform's HTTP API on one address.

mod bootstrap;
mod config;
mod demo;

use app::{
    server_fns::LIVE_STATUS_PATH,
    shell,
    ssr::{live_streams, ConsoleState, PlatformClient},
    App, EVENT_STREAMING_PATH,
};
use axum::{response::Redirect, routing::get, Router};
use clap::Parser;
use config::{AppsCommand, Cli, Command, Config};
use leptos::{config::LeptosOptions, prelude::provide_context};
use leptos_axum::{generate_route_list, LeptosRoutes};
use platform::{auth::Credentials, delivery::{DeliveryConfig, DeliverySupervisor}, Platform, PlatformConfig, Tenant};
use std::{net::SocketAddr, time::Duration};
use tower_http::trace::TraceLayer;
use tracing_subscriber::EnvFilter;

type BoxError = Box<dyn std::error::Error>;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let Cli { command, config } = Cli::parse();
    std::fs::create_dir_all(&config.data_dir)?;
    match command {
        Some(Command::Apps { action: AppsCommand::Create { tenant } }) => create_app(&config, &tenant).await,
        Some(Command::Demo) => serve(config, true).await,
        Some(Command::Serve) | None => {
            let demo = config.demo;
            serve(config, demo).await
        }
    }
}

fn platform_config(config: &Config, public_url: String) -> PlatformConfig {
    let defaults = PlatformConfig::new(config.database_url(), public_url);
    PlatformConfig {
        database_pool_size: config.database_pool_size,
        delivery: DeliveryConfig { lease_ttl: Duration::from_secs(config.delivery_lease_secs), ..defaults.delivery.clone() },
        token_ttl: Duration::from_secs(config.token_ttl_secs),
        retention: Duration::from_secs(u64::from(config.retention_days) * 24 * 3600),
        body_limit: config.body_limit,
        ..defaults
    }
}

async fn create_app(config: &Config, tenant: &str) -> Result<(), BoxError> {
    let public_url = config.public_url.clone().unwrap_or_else(|| format!("http://{}", config.listen));
    let platform = Platform::open(platform_config(config, public_url)).await?;
    let credentials = platform.create_app(tenant).await?;
    println!("created a management app (the secret is shown only now):");
    println!("  tenant         {}", credentials.tenant_id);
    println!("  client_id      {}", credentials.client_id);
    println!("  client_secret  {}", credentials.client_secret);
    Ok(())
}

async fn serve(config: Config, demo: bool) -> Result<(), BoxError> {
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let public_url = config.public_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    let platform = Platform::open(platform_config(&config, public_url.clone())).await?;
    let bootstrap = bootstrap::ensure(&platform, &config).await?;
    let console = console_state(&config, &public_url, &bootstrap, addr)?;
    let router = router(&config, addr, platform.clone(), console);

    tracing::info!(data_dir = %config.data_dir.display(), site_root = %config.site_root.display(), "starting");
    // Tests and scripts read the bound address from this line (the port may have been 0).
    println!("sluice listening on http://{addr}");

    // Background work beside the API; each loops until aborted, so one that returns has failed.
    let mut background = tokio::task::JoinSet::new();
    background.spawn(platform.clone().run_retention(Duration::from_secs(3600)));
    background.spawn(DeliverySupervisor::new(platform.clone()).run());
    if demo {
        background.spawn(demo::run(platform.clone(), Tenant(bootstrap.tenant_id), config.demo_rate));
    }
    let server = axum::serve(listener, router).with_graceful_shutdown(shutdown_signal());
    tokio::select! {
        served = server => served?,
        stopped = background.join_next() => {
            let error = format!("a background task stopped: {stopped:?}");
            tracing::error!("{error}");
            return Err(error.into());
        }
    }
    background.abort_all();
    tracing::info!("stopped");
    Ok(())
}

/// The console reaches the platform over HTTP: the embedded one on this very address unless
/// `SLUICE_PLATFORM_URL` names another.
fn console_state(
    config: &Config,
    public_url: &str,
    bootstrap: &Credentials,
    addr: SocketAddr,
) -> Result<ConsoleState, BoxError> {
    let platform_url = config.platform_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    let client_id = config.platform_client_id.as_deref().unwrap_or(&bootstrap.client_id);
    let client_secret = config.platform_client_secret.as_deref().unwrap_or(&bootstrap.client_secret);
    let client = PlatformClient::new(&platform_url, client_id, client_secret);
    let admin = bootstrap::admin_login(config)?;
    tracing::info!(%platform_url, admin = admin.email(), "console ready");
    Ok(ConsoleState::new(client, admin, public_url.starts_with("https://")))
}

/// The console's pages, its static files and the platform's API, on one router.
fn router(config: &Config, addr: SocketAddr, platform: Platform, console: ConsoleState) -> Router {
    let options = LeptosOptions::builder()
        .output_name("sluice")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let pages = Router::new()
        .route("/", get(|| async { Redirect::to(EVENT_STREAMING_PATH) }))
        .leptos_routes_with_context(
            &options,
            generate_route_list(App),
            {
                let console = console.clone();
                move || provide_context(console.clone())
            },
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options);
    let live = Router::new().route(LIVE_STATUS_PATH, get(live_streams)).with_state(console);
    pages.merge(live).merge(platform::api::router(platform)).layer(TraceLayer::new_for_http())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! { _ = interrupt => {}, _ = terminate => {} }
}
