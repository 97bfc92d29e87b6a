use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The dialog the Events streaming page shows. The URL says it too (`?add`, `?delete=<id>`), so
/// a dialog can be linked to, and without JavaScript the server renders it open as a plain form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageDialog {
    #[default]
    None,
    Add,
    Delete(String),
}

impl PageDialog {
    /// Reads the page's query: `add` (with or without a value) and `delete=<stream id>`.
    pub fn from_query(add: bool, delete: Option<String>) -> Self {
        match (add, delete) {
            (true, _) => Self::Add,
            (false, Some(id)) => Self::Delete(id),
            (false, None) => Self::None,
        }
    }

    /// The address that shows this dialog.
    pub fn href(&self) -> String {
        let page = crate::EVENT_STREAMING_PATH;
        match self {
            Self::None => page.to_owned(),
            Self::Add => format!("{page}?add"),
            Self::Delete(id) => format!("{page}?delete={id}"),
        }
    }

    /// The dialog the browser's current address asks for (after Back or Forward).
    #[cfg(feature = "hydrate")]
    fn from_location() -> Self {
        let search = window().location().search().unwrap_or_default();
        let Ok(query) = web_sys::UrlSearchParams::new_with_str(&search) else { return Self::None };
        Self::from_query(query.has("add"), query.get("delete"))
    }
}

/// How a change of dialog is recorded in the browser's history.
#[derive(Clone, Copy)]
pub enum Entry {
    /// A new entry, as following a link makes: Back returns to the previous dialog.
    Push,
    /// The current entry rewritten, once a form has done its work: Back does not reopen it.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // only an island's form does that
    Replace,
}

/// The page's dialog, shared through context by everything inside the page's island.
#[derive(Clone, Copy)]
pub struct Dialogs(RwSignal<PageDialog>);

impl Dialogs {
    /// Provides the page's dialog, starting from the one the server rendered, and follows the
    /// browser's Back and Forward buttons.
    pub fn provide(initial: PageDialog) -> Self {
        let dialogs = Self(RwSignal::new(initial));
        #[cfg(feature = "hydrate")]
        {
            let handle = window_event_listener(leptos::ev::popstate, move |_| dialogs.0.set(PageDialog::from_location()));
            on_cleanup(move || handle.remove());
        }
        provide_context(dialogs);
        dialogs
    }

    pub fn expect() -> Self {
        expect_context()
    }

    pub fn current(self) -> Signal<PageDialog> {
        self.0.into()
    }

    /// Shows `dialog` and puts its address in the address bar, without loading the page.
    pub fn show(self, dialog: PageDialog, entry: Entry) {
        #[cfg(feature = "hydrate")]
        if let Ok(history) = window().history() {
            let href = Some(dialog.href());
            let _ = match entry {
                Entry::Push => history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", href.as_deref()),
                Entry::Replace => history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", href.as_deref()),
            };
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = entry;
        self.0.set(dialog);
    }
}

/// A link to one of the page's dialogs. Without JavaScript it loads the page with that dialog
/// open; in the island it opens the dialog in place.
#[component]
pub fn DialogLink(
    to: PageDialog,
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional)] role: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let dialogs = Dialogs::expect();
    let href = to.href();
    let follow = move |ev: leptos::ev::MouseEvent| {
        // A new tab or window stays the browser's business.
        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() {
            return;
        }
        ev.prevent_default();
        dialogs.show(to.clone(), Entry::Push);
    };
    view! { <a href=href class=class role=role on:click=follow>{children()}</a> }
}

