use leptos::prelude::*;
use platform::model::EventType;

/// The table that explains what each event source carries.
#[component]
pub fn EventSources() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="event-sources-title">
            <h2 id="event-sources-title">"Event sources"</h2>
            <table class="table">
                <thead>
                    <tr><th scope="col">"Event type"</th><th scope="col">"Description"</th></tr>
                </thead>
                <tbody>
                    {EventType::ALL
                        .into_iter()
                        .map(|t| view! {
                            <tr>
                                <td>
                                    <strong>{t.label()}</strong>
                                    " "
                                    <code>{t.as_str()}</code>
                                </td>
                                <td>{t.description()}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}
