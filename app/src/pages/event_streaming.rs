use crate::{
    components::{
        poll_live_status, AddStreamDialog, CollectHelp, DeleteDialog, DialogLink, Dialogs, EventSources, FormPost,
        PageDialog, StreamList,
    },
    error::ConsoleError,
    server_fns::{list_streams, CreateStream, DeleteStream, StreamSummary},
};
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

/// The Events streaming page: the admin's streams, and the way to add and delete them. The
/// server renders it whole; [`StreamsConsole`] is the island that makes it live.
#[component]
pub fn EventStreaming() -> impl IntoView {
    let listing = OnceResource::new(list_streams());
    let dialog = use_query_map().with_untracked(|q| PageDialog::from_query(q.get_str("add").is_some(), q.get("delete")));
    // A plain form post the server refused comes back here with the refusal in the URL.
    let refused = |form: &str| {
        use_context::<leptos::server::ServerActionError>()
            .filter(|e| e.path() == form)
            .map(|e| leptos::server_fn::error::ServerFnUrlError::<ConsoleError>::decode_err(e.err()))
    };
    let (add_refusal, delete_refusal) = (refused(CreateStream::PATH), refused(DeleteStream::PATH));

    view! {
        <Title text="Events streaming"/>
        <Suspense>
            {move || {
                let (dialog, add_refusal, delete_refusal) = (dialog.clone(), add_refusal.clone(), delete_refusal.clone());
                Suspend::new(async move {
                    match listing.await {
                        // The page waits for the list (`SsrMode::Async`), so this is a redirect.
                        Err(ConsoleError::Unauthenticated) => view! { <Redirect path=crate::LOGIN_PATH/> }.into_any(),
                        listing => view! { <StreamsConsole listing dialog add_refusal delete_refusal/> }.into_any(),
                    }
                })
            }}
        </Suspense>
        <EventSources/>
    }
}

/// Everything on the page that changes without a page load: the list with its live status,
/// the curl example, and the add and delete dialogs. Their forms post to the server functions;
/// without JavaScript they do so as plain forms, and the server answers with the page again.
#[island]
fn StreamsConsole(
    listing: Result<Vec<StreamSummary>, ConsoleError>,
    dialog: PageDialog,
    add_refusal: Option<ConsoleError>,
    delete_refusal: Option<ConsoleError>,
) -> impl IntoView {
    let listing = RwSignal::new(listing);
    let dialogs = Dialogs::provide(dialog);
    let (adding_post, deleting_post) = (FormPost::new(add_refusal), FormPost::new(delete_refusal));
    // A refusal belongs to the visit of the dialog it was given in.
    Effect::watch(
        move || dialogs.current().track(),
        move |_, _, _| {
            adding_post.reset();
            deleting_post.reset();
        },
        false,
    );
    let live = RwSignal::new(Default::default());
    poll_live_status(live);

    // Once a form has been accepted, the list is fetched again.
    let on_done = Callback::new(move |()| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            use leptos::server_fn::ServerFn;
            let Ok(no_arguments) = web_sys::UrlSearchParams::new() else { return };
            listing.set(crate::components::call(crate::server_fns::ListStreams::PATH, no_arguments).await);
        });
    });
    // Lets browser tests (and curious admins) tell a live page from a static one.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });

    let current = dialogs.current();
    let adding = Signal::derive(move || current.with(|d| *d == PageDialog::Add));
    let deleting = Memo::new(move |_| {
        current.with(|d| match d {
            PageDialog::Delete(id) => Some(id.clone()),
            _ => None,
        })
    });

    view! {
        <header class="page-header">
            <div>
                <h1>"Events streaming"</h1>
                <p class="lead">
                    "Stream identity and security events to your SIEM or log pipeline: "
                    "let Sluice push them to Splunk, Kafka, cloud storage or a webhook, "
                    "or poll them from the collect API."
                </p>
            </div>
            <DialogLink to=PageDialog::Add class="button primary" role="button">"+ Add stream"</DialogLink>
        </header>
        {move || match listing.get() {
            Ok(list) => view! { <StreamList streams=list.clone() live/> <CollectHelp streams=list/> }.into_any(),
            Err(error) => view! {
                <section class="card">
                    <p class="alert" role="alert">{error.to_string()}</p>
                </section>
            }
            .into_any(),
        }}
        <AddStreamDialog open=adding post=adding_post on_done/>
        <DeleteDialog target=deleting post=deleting_post on_done/>
    }
}
