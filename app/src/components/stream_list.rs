use super::{
    copy_url::CopyUrl,
    page_dialog::{DialogLink, PageDialog},
};
use crate::server_fns::{LiveStatus, StreamSummary};
use leptos::prelude::*;
use platform::model::{StreamId, StreamState};
use std::collections::HashMap;

/// The admin's streams, with status, lag and delivered counts kept live by `live`.
#[component]
pub fn StreamList(streams: Vec<StreamSummary>, live: RwSignal<HashMap<StreamId, LiveStatus>>) -> impl IntoView {
    if streams.is_empty() {
        return view! {
            <section class="card" aria-labelledby="streams-title">
                <h2 id="streams-title">"Streams"</h2>
                <div class="empty-state">
                    <p><strong>"No event streams yet."</strong></p>
                    <p>"Add a stream to send events of one source to your SIEM or log pipeline."</p>
                    <DialogLink to=PageDialog::Add class="button primary">"+ Add your first stream"</DialogLink>
                </div>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="card" aria-labelledby="streams-title">
            <h2 id="streams-title">"Streams"</h2>
            <table class="table streams">
                <thead>
                    <tr>
                        <th scope="col">"Stream"</th>
                        <th scope="col">"Event source"</th>
                        <th scope="col">"Destination"</th>
                        <th scope="col" class="number">"Events per batch"</th>
                        <th scope="col">"Enrichment"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="number">"Lag"</th>
                        <th scope="col" class="number">"Delivered"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {streams.into_iter().map(|stream| view! { <StreamRow stream live/> }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

#[component]
fn StreamRow(stream: StreamSummary, live: RwSignal<HashMap<StreamId, LiveStatus>>) -> impl IntoView {
    let id = stream.stream_id.clone();
    let initial = stream.status.clone();
    let status = Memo::new(move |_| live.with(|statuses| statuses.get(&id).cloned()).unwrap_or_else(|| initial.clone()));
    let id = stream.stream_id.to_string();

    view! {
        <tr data-stream-id=id.clone()>
            <th scope="row">
                <span class="stream-id">{id.clone()}</span>
                {stream.name.map(|name| view! { <span class="hint">{name}</span> })}
            </th>
            <td>{stream.event_type.label()}</td>
            <td>{stream.destination.label()}</td>
            <td class="number">{stream.batch_size.get()}</td>
            <td>{if stream.enrichment { "On" } else { "Off" }}</td>
            <td class="status-cell">{move || view! { <StatusBadge status=status.get()/> }}</td>
            <td class="number lag">{move || status.with(|s| s.lag)}</td>
            <td class="number delivered">{move || status.with(|s| s.delivered)}</td>
            <td class="row-actions">
                {stream.collect_url.map(|url| view! { <CopyUrl url/> })}
                <details class="menu">
                    <summary aria-label=format!("Actions for {id}")>"⋯"</summary>
                    <div class="menu-items">
                        <DialogLink to=PageDialog::Delete(id.clone()) class="danger">"Delete stream"</DialogLink>
                    </div>
                </details>
            </td>
        </tr>
    }
}

/// The stream's state, with its last error a click (or a hover) away.
#[component]
fn StatusBadge(status: LiveStatus) -> impl IntoView {
    let state = status.state;
    let class = format!("badge {}", state.as_str());
    match (state, status.last_error) {
        (StreamState::Failing, Some(error)) => {
            let title = error.clone();
            view! {
            <details class="status-detail" title=title>
                <summary class=class>{state.as_str()}</summary>
                <p class="last-error">{error}</p>
            </details>
            }
            .into_any()
        }
        _ => view! { <span class=class>{state.as_str()}</span> }.into_any(),
    }
}
