use super::page_dialog::{Dialogs, Entry, PageDialog};
use leptos::{html, prelude::*};

/// A modal `<dialog>` opened and closed by the page's dialog (`?add`, `?delete=…`), so it works
/// without JavaScript too: the server renders it open. In the island it becomes a true modal:
/// the browser traps focus in it and closes it on Esc, which returns the page to no dialog.
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
    let dialogs = Dialogs::expect();
    let on_close = move |_| {
        let reopened = dialog.get_untracked().is_some_and(|d| d.open());
        if open.get_untracked() && !reopened {
            dialogs.show(PageDialog::None, Entry::Push);
        }
    };

    view! {
        <dialog node_ref=dialog class="dialog" open=open.get_untracked() aria-labelledby=labelled_by on:close=on_close>
            {children()}
        </dialog>
    }
}
