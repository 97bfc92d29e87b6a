use leptos::prelude::*;
use leptos_meta::Title;

/// Shown for any path the console does not know, with a 404 status on the server.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found"/>
        <h1>"Page not found"</h1>
        <p>
            "There is nothing here. Go to " <a href=crate::EVENT_STREAMING_PATH>"Events streaming"</a> "."
        </p>
    }
}
