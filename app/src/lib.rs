//! Sluice's admin console: every component and server function. Pages are rendered on the
//! server (`ssr`); only islands (`#[island]`) are hydrated in the browser (`hydrate`), so the
//! wasm carries them and nothing else: no router, no page that has nothing to do.

#![recursion_limit = "256"]

mod components;
pub mod error;
mod pages;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The path of the console's main page; `/` redirects here.
pub const EVENT_STREAMING_PATH: &str = "/event-streaming";
/// The sign-in page.
pub const LOGIN_PATH: &str = "/login";

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Stylesheet id="leptos" href="/pkg/sluice.css"/>
        <Title formatter=|page: String| format!("{page} · Sluice")/>
        <Router>
            <components::Header/>
            <main class="page">
                <Routes fallback=pages::NotFound>
                    // Async: the whole page waits for the streams, so an expired session can
                    // still answer with a redirect to the sign-in page.
                    <Route path=path!("/event-streaming") view=pages::EventStreaming ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=pages::LoginPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// The browser's entry, called by the `frontend` crate: hydrates the page's islands. Living
/// here, it makes the wasm link this crate, whose islands export themselves to the page.
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}
