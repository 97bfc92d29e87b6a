use super::{
    destination_fields::DestinationFields,
    field_error::FieldError,
    form_post::{FormPost, PostForm},
    modal::Modal,
    page_dialog::{DialogLink, PageDialog},
};
use crate::server_fns::CreateStream;
use leptos::{prelude::*, server_fn::ServerFn};
use platform::model::{BatchSize, DestinationKind, EventType, StreamId};

/// The + Add stream form. The browser checks each field as it is typed; the server checks
/// everything again and its refusals appear next to the field they concern.
#[component]
pub fn AddStreamDialog(open: Signal<bool>, post: FormPost, on_done: Callback<()>) -> impl IntoView {
    let destination = RwSignal::new(DestinationKind::Custom);
    let stream_id_check = RwSignal::new(None::<String>);
    let batch_size_check = RwSignal::new(None::<String>);
    let refusal = post.refusal();
    let error = move |field: &'static str, check: RwSignal<Option<String>>| {
        Signal::derive(move || check.get().or_else(|| refusal.with(|e| e.as_ref().and_then(|e| e.for_field(field)))))
    };
    let general_error = move || refusal.with(|e| e.as_ref().and_then(|e| e.general()));

    view! {
        <Modal open labelled_by="add-stream-title">
            <PostForm action=CreateStream::PATH post on_done id="add-stream-form">
                <h2 id="add-stream-title">"Add stream"</h2>
                {move || general_error().map(|message| view! { <p class="alert" role="alert">{message}</p> })}
                <div class="field">
                    <label for="stream-id">"Stream identifier"</label>
                    <input
                        id="stream-id"
                        name="stream_id"
                        required
                        maxlength="64"
                        pattern="[A-Za-z0-9._\\-]+"
                        autocomplete="off"
                        aria-describedby="stream-id-hint stream-id-error"
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            stream_id_check.set(StreamId::try_from(value).err().map(|_| {
                                "Use 1 to 64 letters, digits, dots, dashes or underscores.".to_owned()
                            }));
                        }
                    />
                    <p class="hint" id="stream-id-hint">"Up to 64 letters, digits, dots, dashes and underscores."</p>
                    <FieldError id="stream-id-error" message=error("stream_id", stream_id_check)/>
                </div>
                <fieldset class="field">
                    <legend>"Event type"</legend>
                    {EventType::ALL
                        .into_iter()
                        .map(|t| view! {
                            <label class="choice">
                                <input type="radio" name="event_type" value=t.as_str() checked=t == EventType::Cis/>
                                <span>
                                    <strong>{t.label()}</strong>
                                    <span class="hint">{t.description()}</span>
                                </span>
                            </label>
                        })
                        .collect_view()}
                    <FieldError id="event-type-error" message=error("event_type", RwSignal::new(None))/>
                </fieldset>
                <div class="field">
                    <label for="destination-kind">"Stream destination"</label>
                    <select
                        id="destination-kind"
                        name="destination[kind]"
                        on:change=move |ev| {
                            if let Some(kind) = DestinationKind::from_wire(&event_target_value(&ev)) {
                                destination.set(kind);
                            }
                        }
                    >
                        {DestinationKind::ALL
                            .into_iter()
                            .map(|k| view! { <option value=k.as_str()>{k.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
                {move || view! { <DestinationFields kind=destination.get() refusal/> }}
                <div class="field">
                    <label for="batch-size">"Events per batch"</label>
                    <input
                        id="batch-size"
                        name="batch_size"
                        type="number"
                        required
                        min=BatchSize::MIN
                        max=BatchSize::MAX
                        value=BatchSize::DEFAULT.get()
                        aria-describedby="batch-size-hint batch-size-error"
                        on:input=move |ev| {
                            batch_size_check.set(BatchSize::parse(&event_target_value(&ev)).err().map(|_| {
                                "Events per batch must be a whole number from 1 to 1000.".to_owned()
                            }));
                        }
                    />
                    <p class="hint" id="batch-size-hint">
                        "From 1 to 1000. Larger batches mean fewer requests; smaller batches "
                        "arrive sooner. Balance the batch size with how often you poll."
                    </p>
                    <FieldError id="batch-size-error" message=error("batch_size", batch_size_check)/>
                </div>
                <div class="field">
                    <label class="choice">
                        <input type="checkbox" name="enrichment" value="true"/>
                        <span>
                            <strong>"Include data enrichment"</strong>
                            <span class="hint">
                                "Adds user emails, application names, admin emails and role groups "
                                "to each event. This may impact stream performance."
                            </span>
                        </span>
                    </label>
                </div>
                <div class="actions">
                    <DialogLink to=PageDialog::None class="button">"Cancel"</DialogLink>
                    <button type="submit" class="button primary" disabled=post.pending()>
                        {move || if post.pending().get() { "Adding…" } else { "Add stream" }}
                    </button>
                </div>
            </PostForm>
        </Modal>
    }
}
