use crate::server_fns::LiveStatus;
use leptos::prelude::*;
use platform::model::StreamId;
use std::collections::HashMap;

/// How often the page asks for fresh status, lag and delivered counts.
#[cfg(feature = "hydrate")]
const POLL_EVERY: std::time::Duration = std::time::Duration::from_secs(3);

/// Keeps `live` up to date in the browser by polling the console's JSON status route with
/// gloo-net, for as long as the calling component lives. Does nothing on the server.
pub fn poll_live_status(live: RwSignal<HashMap<StreamId, LiveStatus>>) {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let poll = move || {
                leptos::task::spawn_local(async move {
                    let request = gloo_net::http::Request::get(crate::server_fns::LIVE_STATUS_PATH);
                    let Ok(response) = request.send().await else { return };
                    if !response.ok() {
                        return;
                    }
                    if let Ok(statuses) = response.json::<Vec<crate::server_fns::PolledStatus<LiveStatus>>>().await {
                        live.set(statuses.into_iter().map(|s| (s.stream_id, s.status)).collect());
                    }
                });
            };
            if let Ok(handle) = set_interval_with_handle(poll, POLL_EVERY) {
                on_cleanup(move || handle.clear());
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = live;
    });
}
