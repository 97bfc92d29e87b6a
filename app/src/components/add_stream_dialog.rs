use super::destination_fields::DestinationFields;
use leptos::{html, prelude::*};
use platform::model::{BatchSize, DestinationKind, EventType};

/// The + Add stream form, in a modal `<dialog>`: the browser traps focus in it and closes it on Esc.
#[component]
pub fn AddStreamDialog(dialog: NodeRef<html::Dialog>) -> impl IntoView {
    let destination = RwSignal::new(DestinationKind::Custom);
    let close = move |_| {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };

    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="add-stream-title">
            <form class="form" method="dialog">
                <h2 id="add-stream-title">"Add stream"</h2>
                <div class="field">
                    <label for="stream-id">"Stream identifier"</label>
                    <input
                        id="stream-id"
                        name="stream_id"
                        required
                        maxlength="64"
                        pattern="[A-Za-z0-9._\\-]+"
                        autocomplete="off"
                        aria-describedby="stream-id-hint"
                    />
                    <p class="hint" id="stream-id-hint">
                        "Up to 64 letters, digits, dots, dashes and underscores."
                    </p>
                </div>
                <fieldset class="field">
                    <legend>"Event type"</legend>
                    {EventType::ALL
                        .into_iter()
                        .map(|t| view! {
                            <label class="choice">
                                <input
                                    type="radio"
                                    name="type"
                                    value=t.as_str()
                                    checked=t == EventType::Cis
                                />
                                <span>
                                    <strong>{t.label()}</strong>
                                    <span class="hint">{t.description()}</span>
                                </span>
                            </label>
                        })
                        .collect_view()}
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
                {move || view! { <DestinationFields kind=destination.get()/> }}
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
                        aria-describedby="batch-size-hint"
                    />
                    <p class="hint" id="batch-size-hint">
                        "From 1 to 1000. Larger batches mean fewer requests; smaller batches "
                        "arrive sooner. Balance the batch size with how often you poll."
                    </p>
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
                    <button type="button" class="button" on:click=close>"Cancel"</button>
                </div>
            </form>
        </dialog>
    }
}
