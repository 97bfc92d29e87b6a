use crate::error::ConsoleError;
use leptos::{ev::SubmitEvent, prelude::*};

/// The state of one of the page's forms. The island posts the browser's own form data to the
/// server function's URL, exactly what the form sends without JavaScript, so the wasm needs no
/// encoder for the server function's arguments, and reads the answer as JSON.
#[derive(Clone, Copy)]
pub struct FormPost {
    pending: RwSignal<bool>,
    refusal: RwSignal<Option<ConsoleError>>,
}

impl FormPost {
    /// A form that has not been sent, or whose plain post the server refused with `refusal`.
    pub fn new(refusal: Option<ConsoleError>) -> Self {
        Self { pending: RwSignal::new(false), refusal: RwSignal::new(refusal) }
    }

    pub fn pending(self) -> Signal<bool> {
        self.pending.into()
    }

    /// Why the server refused the last post, until a post succeeds or another dialog opens.
    pub fn refusal(self) -> Signal<Option<ConsoleError>> {
        self.refusal.into()
    }

    /// Forgets the last refusal, as when another dialog opens.
    pub fn reset(self) {
        self.refusal.set(None);
    }
}

/// A form posting to the server function at `action`. In the island it is sent with `fetch`
/// and `post` tracks it; once the server has accepted it, its dialog closes and `on_done` runs.
/// An answer that comes after the admin left the dialog no longer speaks in it.
#[component]
pub fn PostForm(
    action: &'static str,
    post: FormPost,
    on_done: Callback<()>,
    #[prop(optional)] id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let submit = move |ev: SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use super::page_dialog::{Dialogs, Entry, PageDialog};
            use wasm_bindgen::JsCast;
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else { return };
            let Ok(body) = web_sys::FormData::new_with_form(&form)
                .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data))
            else {
                return;
            };
            ev.prevent_default();
            let dialogs = Dialogs::expect();
            let sent_from = dialogs.current().get_untracked();
            post.pending.set(true);
            leptos::task::spawn_local(async move {
                let answer = call::<()>(action, body).await;
                post.pending.set(false);
                let still_open = dialogs.current().get_untracked() == sent_from;
                match answer {
                    Ok(()) => {
                        if still_open {
                            dialogs.show(PageDialog::None, Entry::Replace);
                        }
                        on_done.run(());
                    }
                    Err(refusal) if still_open => post.refusal.set(Some(refusal)),
                    Err(_) => {}
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, post, on_done);
    };

    view! {
        <form method="post" action=action class="form" id=id on:submit=submit>
            {children()}
        </form>
    }
}

/// Calls the server function at `path` with a form-encoded `body` and reads its JSON answer:
/// the value on success, the [`ConsoleError`] it was refused with otherwise. An expired
/// session sends the admin to sign in again, as loading the page would.
#[cfg(feature = "hydrate")]
pub async fn call<T: serde::de::DeserializeOwned>(
    path: &str,
    body: web_sys::UrlSearchParams,
) -> Result<T, ConsoleError> {
    let unreachable = |error: gloo_net::Error| ConsoleError::ServerFn(format!("The console cannot be reached ({error})."));
    let response = gloo_net::http::Request::post(path)
        .header("accept", "application/json")
        .body(body)
        .map_err(unreachable)?
        .send()
        .await
        .map_err(unreachable)?;
    let status = response.status();
    // Anything but the server function's own JSON (a proxy's error page, say) is told by status.
    let unexpected = |_| ConsoleError::ServerFn(format!("The console answered with HTTP status {status}."));
    if response.ok() {
        return response.json().await.map_err(unexpected);
    }
    let refusal = response.json().await.map_err(unexpected)?;
    if refusal == ConsoleError::Unauthenticated {
        let _ = window().location().set_href(crate::LOGIN_PATH);
    }
    Err(refusal)
}
