use leptos::prelude::*;

/// The admin's streams. Until the console reaches the platform's streams API there are none
/// to list, so this is the empty state that invites the first stream.
#[component]
pub fn StreamList() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="streams-title">
            <h2 id="streams-title">"Streams"</h2>
            <div class="empty-state">
                <p><strong>"No event streams yet."</strong></p>
                <p>"Add a stream to send events of one source to your SIEM or log pipeline."</p>
            </div>
        </section>
    }
}
