use crate::components::{AddStreamDialog, EventSources, StreamList};
use leptos::{html, prelude::*};
use leptos_meta::Title;

/// The Events streaming page: the admin's streams, and the way to add one.
#[component]
pub fn EventStreaming() -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let open_dialog = move |_| {
        if let Some(dialog) = dialog.get() {
            // Only fails when the dialog is already open, which is what the admin wanted anyway.
            let _ = dialog.show_modal();
        }
    };

    view! {
        <Title text="Events streaming"/>
        <header class="page-header">
            <div>
                <h1>"Events streaming"</h1>
                <p class="lead">
                    "Stream identity and security events to your SIEM or log pipeline: "
                    "let Sluice push them to Splunk, Kafka, cloud storage or a webhook, "
                    "or poll them from the collect API."
                </p>
            </div>
            <button type="button" class="button primary" on:click=open_dialog>
                "+ Add stream"
            </button>
        </header>
        <StreamList/>
        <EventSources/>
        <AddStreamDialog dialog/>
    }
}
