use crate::server_fns::Login;
use leptos::prelude::*;
use leptos_meta::Title;

/// Sign-in with the admin's email and password.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = move || login.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(ToString::to_string));

    view! {
        <Title text="Sign in"/>
        <section class="card narrow">
            <h1>"Sign in to Sluice"</h1>
            <ActionForm action=login attr:class="form">
                {move || error().map(|message| view! { <p class="alert" role="alert">{message}</p> })}
                <div class="field">
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="username" required/>
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required/>
                </div>
                <div class="actions">
                    <button type="submit" class="button primary" disabled=move || login.pending().get()>
                        "Sign in"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
