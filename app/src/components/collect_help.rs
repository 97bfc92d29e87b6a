use crate::server_fns::StreamSummary;
use leptos::prelude::*;

/// How to collect a custom stream with curl, for the stream the admin picks. The token is a
/// placeholder: the console never shows a secret.
#[component]
pub fn CollectHelp(streams: Vec<StreamSummary>) -> impl IntoView {
    let custom: Vec<(String, String)> = streams
        .into_iter()
        .filter_map(|s| s.collect_url.map(|url| (s.stream_id.to_string(), url)))
        .collect();
    let selected = RwSignal::new(custom.first().map(|(_, url)| url.clone()));
    let picker = (custom.len() > 1).then(|| {
        view! {
            <label for="collect-stream">"Example for stream "</label>
            <select id="collect-stream" on:change=move |ev| selected.set(Some(event_target_value(&ev)))>
                {custom.into_iter().map(|(id, url)| view! { <option value=url>{id}</option> }).collect_view()}
            </select>
        }
    });

    view! {
        <section class="card" aria-labelledby="collect-title">
            <h2 id="collect-title">"Collect events"</h2>
            {move || match selected.get() {
                None => view! {
                    <p class="hint">
                        "Streams with the Custom (API polling) destination are collected with an HTTP call. "
                        "Add one to see its example here."
                    </p>
                }
                .into_any(),
                Some(url) => {
                    let base = url.split("/activities/").next().unwrap_or_default().to_owned();
                    view! {
                        <p>
                            "Get an access token with your management app's client credentials, then poll "
                            "the stream's collect URL. Each call returns the next events as a JSON array."
                        </p>
                        <pre class="code"><code>{format!(
                            "curl -s -X POST {base}/oidc/token \\\n  -d grant_type=client_credentials \\\n  -d client_id=<CLIENT_ID> -d client_secret=<CLIENT_SECRET>\n\ncurl -s -X POST -H 'Authorization: Bearer <ACCESS_TOKEN>' \\\n  '{url}'"
                        )}</code></pre>
                    }
                    .into_any()
                }
            }}
            {picker}
        </section>
    }
}
