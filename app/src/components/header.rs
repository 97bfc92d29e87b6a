use leptos::prelude::*;

/// The console's top bar.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href=crate::EVENT_STREAMING_PATH>"Sluice"</a>
            <nav aria-label="Main">
                <a href=crate::EVENT_STREAMING_PATH aria-current="page">"Events streaming"</a>
            </nav>
        </header>
    }
}
