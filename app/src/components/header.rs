use crate::server_fns::Logout;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The console's top bar, with sign-out everywhere but on the sign-in page.
#[component]
pub fn Header() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let location = use_location();
    let signed_in_page = move || location.pathname.get() != crate::LOGIN_PATH;

    view! {
        <header class="topbar">
            <a class="brand" href=crate::EVENT_STREAMING_PATH>"Sluice"</a>
            <nav aria-label="Main">
                <a href=crate::EVENT_STREAMING_PATH aria-current="page">"Events streaming"</a>
            </nav>
            <Show when=signed_in_page>
                <ActionForm action=logout>
                    <button type="submit" class="button subtle">"Sign out"</button>
                </ActionForm>
            </Show>
        </header>
    }
}
