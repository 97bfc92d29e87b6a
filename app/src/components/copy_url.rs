use leptos::{html, prelude::*};

#[derive(Clone, Copy, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    /// The Clipboard API is missing or refused: the URL is shown, selected, to copy by hand.
    Manual,
}

/// Copies a stream's collect URL to the clipboard, and says so.
#[component]
pub fn CopyUrl(url: String) -> impl IntoView {
    let state = RwSignal::new(CopyState::Idle);
    let field = NodeRef::<html::Input>::new();
    let copy = {
        let url = url.clone();
        move |_| {
            #[cfg(feature = "hydrate")]
            {
                let url = url.clone();
                leptos::task::spawn_local(async move {
                    let copied = write_clipboard(&url).await;
                    state.set(if copied { CopyState::Copied } else { CopyState::Manual });
                    if copied {
                        set_timeout(move || state.set(CopyState::Idle), std::time::Duration::from_secs(2));
                    }
                });
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = &url;
        }
    };
    Effect::new(move |_| {
        if state.get() == CopyState::Manual {
            if let Some(input) = field.get() {
                input.select();
            }
        }
    });

    view! {
        <span class="copy-url">
            <button type="button" class="button small" on:click=copy>"Copy URL"</button>
            <span class="copied" role="status">
                {move || (state.get() == CopyState::Copied).then_some("Copied")}
            </span>
            <Show when=move || state.get() == CopyState::Manual>
                <input
                    node_ref=field
                    class="manual-copy"
                    readonly
                    value=url.clone()
                    aria-label="Collect URL: press Ctrl+C to copy"
                />
            </Show>
        </span>
    }
}

/// True when the browser put `text` on the clipboard.
#[cfg(feature = "hydrate")]
async fn write_clipboard(text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let navigator = window().navigator();
    // `navigator.clipboard` is undefined outside secure contexts.
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok().filter(|c| !c.is_undefined());
    let Some(clipboard) = clipboard.and_then(|c| c.dyn_into::<web_sys::Clipboard>().ok()) else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text)).await.is_ok()
}
