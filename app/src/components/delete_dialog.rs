use super::modal::Modal;
use crate::server_fns::DeleteStream;
use leptos::prelude::*;

/// The confirmation before a stream is deleted, naming the stream.
#[component]
pub fn DeleteDialog(target: Memo<Option<String>>, action: ServerAction<DeleteStream>) -> impl IntoView {
    let open = Signal::derive(move || target.with(Option::is_some));
    let name = move || target.get().unwrap_or_default();
    let refusal = move || action.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(ToString::to_string));

    view! {
        <Modal open labelled_by="delete-stream-title">
            <ActionForm action attr:class="form">
                <h2 id="delete-stream-title">"Delete stream “" {name} "”?"</h2>
                {move || refusal().map(|message| view! { <p class="alert" role="alert">{message}</p> })}
                <p>
                    "Events stop flowing to its destination and its position is forgotten. "
                    "This cannot be undone."
                </p>
                <input type="hidden" name="stream_id" value=name/>
                <div class="actions">
                    <a class="button" href=crate::EVENT_STREAMING_PATH>"Cancel"</a>
                    <button type="submit" class="button danger" disabled=move || action.pending().get()>
                        "Delete stream"
                    </button>
                </div>
            </ActionForm>
        </Modal>
    }
}
