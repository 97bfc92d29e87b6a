use super::{
    form_post::{FormPost, PostForm},
    modal::Modal,
    page_dialog::{DialogLink, PageDialog},
};
use crate::server_fns::DeleteStream;
use leptos::{prelude::*, server_fn::ServerFn};

/// The confirmation before a stream is deleted, naming the stream.
#[component]
pub fn DeleteDialog(target: Memo<Option<String>>, post: FormPost, on_done: Callback<()>) -> impl IntoView {
    let open = Signal::derive(move || target.with(Option::is_some));
    let name = move || target.get().unwrap_or_default();
    let refusal = move || post.refusal().with(|e| e.as_ref().map(ToString::to_string));

    view! {
        <Modal open labelled_by="delete-stream-title">
            <PostForm action=DeleteStream::PATH post on_done>
                <h2 id="delete-stream-title">"Delete stream “" {name} "”?"</h2>
                {move || refusal().map(|message| view! { <p class="alert" role="alert">{message}</p> })}
                <p>
                    "Events stop flowing to its destination and its position is forgotten. "
                    "This cannot be undone."
                </p>
                <input type="hidden" name="stream_id" value=name/>
                <div class="actions">
                    <DialogLink to=PageDialog::None class="button">"Cancel"</DialogLink>
                    <button type="submit" class="button danger" disabled=post.pending()>
                        "Delete stream"
                    </button>
                </div>
            </PostForm>
        </Modal>
    }
}
