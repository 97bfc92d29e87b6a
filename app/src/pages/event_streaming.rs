use crate::{
    components::{poll_live_status, AddStreamDialog, CollectHelp, DeleteDialog, EventSources, StreamList},
    error::ConsoleError,
    server_fns::{list_streams, CreateStream, DeleteStream},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

/// The Events streaming page: the admin's streams, and the way to add and delete them.
/// Its dialogs follow the URL (`?add`, `?delete=<id>`), so every action also works without
/// JavaScript, as plain forms posting to the server functions.
#[component]
pub fn EventStreaming() -> impl IntoView {
    let create = ServerAction::<CreateStream>::new();
    let delete = ServerAction::<DeleteStream>::new();
    let streams = Resource::new(move || (create.version().get(), delete.version().get()), |_| list_streams());
    let live = RwSignal::new(Default::default());
    poll_live_status(live);

    let query = use_query_map();
    let adding = Signal::derive(move || query.with(|q| q.get_str("add").is_some()));
    let deleting = Memo::new(move |_| query.with(|q| q.get("delete")));

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
            <a class="button primary" role="button" href=format!("{}?add", crate::EVENT_STREAMING_PATH)>
                "+ Add stream"
            </a>
        </header>
        <Transition fallback=|| view! { <p class="card">"Loading streams…"</p> }>
            {move || Suspend::new(async move {
                match streams.await {
                    Ok(list) => view! { <StreamList streams=list.clone() live/> <CollectHelp streams=list/> }.into_any(),
                    Err(ConsoleError::Unauthenticated) => view! { <Redirect path=crate::LOGIN_PATH/> }.into_any(),
                    Err(error) => view! {
                        <section class="card">
                            <p class="alert" role="alert">{error.to_string()}</p>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Transition>
        <EventSources/>
        <AddStreamDialog open=adding action=create/>
        <DeleteDialog target=deleting action=delete/>
    }
}
