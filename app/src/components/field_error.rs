use leptos::prelude::*;

/// The message under a field, from the browser's own check or from the server's.
#[component]
pub fn FieldError(#[prop(into)] id: String, message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="field-error" id=id role="alert" hidden=move || message.with(Option::is_none)>
            {move || message.get()}
        </p>
    }
}
