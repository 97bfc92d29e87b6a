use crate::error::ConsoleError;
use leptos::{ev::SubmitEvent, prelude::*};

/// The state of the page's one form in flight. The island posts the browser's own form data to
/// the server function's URL, exactly what the form sends without JavaScript, so the wasm needs
/// no encoder for the server function's arguments, and reads the answer as JSON.
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

    /// Why the server refused the last post, until the next one is sent.
    pub fn refusal(self) -> Signal<Option<ConsoleError>> {
        self.refusal.into()
    }

    /// Forgets the last refusal, as when another dialog opens.
    pub fn reset(self) {
        self.refusal.set(None);
    }
}

/// A form posting to the server function at `action`. In the island it is sent with `fetch`,
/// `post` tracks it, and `on_done` runs once the server has accepted it.
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
            use wasm_bindgen::JsCast;
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else { return };
            let Ok(body) = web_sys::FormData::new_with_form(&form)
                .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data))
            else {
                return;
            };
            ev.prevent_default();
            post.pending.set(true);
            leptos::task::spawn_local(async move {
                let answer = call::<()>(action, body).await;
                post.pending.set(false);
                match answer {
                    Ok(()) => {
                        post.refusal.set(None);
                        on_done.run(());
                    }
                    Err(refusal) => post.refusal.set(Some(refusal)),
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
/// the value on success, the [`ConsoleError`] it was refused with otherwise.
#[cfg(feature = "hydrate")]
pub async fn call<T: serde::de::DeserializeOwned>(
    path: &str,
    body: web_sys::UrlSearchParams,
) -> Result<T, ConsoleError> {
    let unreadable = |error: gloo_net::Error| ConsoleError::ServerFn(error.to_string());
    let response = gloo_net::http::Request::post(path)
        .header("accept", "application/json")
        .body(body)
        .map_err(unreadable)?
        .send()
        .await
        .map_err(unreadable)?;
    if response.ok() {
        response.json().await.map_err(unreadable)
    } else {
        Err(response.json().await.map_err(unreadable)?)
    }
}
