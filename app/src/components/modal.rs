use leptos::{html, prelude::*};
use leptos_router::hooks::use_navigate;

/// A modal `<dialog>` opened and closed by the page's URL (`?add`, `?delete=…`), so it works
/// without JavaScript too: the server renders it open. With the wasm it becomes a true modal:
/// the browser traps focus in it and closes it on Esc, which navigates back to the page.
#[component]
pub fn Modal(open: Signal<bool>, labelled_by: &'static str, children: Children) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        let Some(element) = dialog.get() else { return };
        if open.get() {
            // Server-rendered `open` shows it inline; re-open it as a modal.
            if !element.matches(":modal").unwrap_or(false) {
                element.close();
                let _ = element.show_modal();
            }
        } else if element.open() {
            element.close();
        }
    });
    let navigate = use_navigate();
    let on_close = move |_| {
        let reopened = dialog.get_untracked().is_some_and(|d| d.open());
        if open.get_untracked() && !reopened {
            navigate(crate::EVENT_STREAMING_PATH, Default::default());
        }
    };

    view! {
        <dialog node_ref=dialog class="dialog" open=open.get_untracked() aria-labelledby=labelled_by on:close=on_close>
            {children()}
        </dialog>
    }
}
