//! Banners about the app itself rather than the work: storage that does not save, and a newer
//! version waiting for a reload.

use leptos::prelude::*;

use super::io::export_json;
use super::state::{use_store, StorageState};

/// Shown while this tab's work cannot be saved: the work goes on in memory, export is offered.
#[component]
pub fn StorageNotice() -> impl IntoView {
    let store = use_store();
    let failing = move || store.storage.get() == StorageState::Failing;
    view! {
        <Show when=failing>
            <div class="notice notice-error status-banner" role="alert" data-testid="storage-notice">
                <p>
                    <strong>"Your work is not being saved in this browser. "</strong>
                    "Its storage is full, blocked or turned off (as in some private windows). You can carry on: everything stays in this tab until you close it. Export JSON to keep a copy."
                </p>
                <button class="primary" data-testid="storage-export" on:click=move |_| export_json(store)>"Export JSON"</button>
            </div>
        </Show>
    }
}

/// Shown when the generator worker's files did not load: the later topics' long texts will not
/// arrive and nothing can be generated until a reload.
#[component]
pub fn WorkerNotice() -> impl IntoView {
    let store = use_store();
    view! {
        {move || store.worker_failure.get().map(|reason| view! {
            <div class="notice notice-error status-banner" role="alert" data-testid="worker-unavailable">
                <p>
                    <strong>"The generator did not load "</strong>
                    {format!("({reason}). ")}
                    {(!store.long_texts.get()).then_some("The help, examples and remediation of topics after the first stay empty, and ")}
                    "deploy files cannot be generated until the page is reloaded. Your answers are kept. If a reload does not help, a proxy, firewall or browser extension is blocking the file."
                </p>
                <button class="primary" data-testid="worker-reload" on:click=move |_| reload()>"Reload"</button>
            </div>
        })}
    }
}

/// Shown when another tab saved work with a newer version: this tab stops saving and offers a
/// reload, which brings the new version and the saved work.
#[component]
pub fn NewerElsewhereNotice() -> impl IntoView {
    let store = use_store();
    let newer = move || store.storage.get() == StorageState::NewerElsewhere;
    view! {
        <Show when=newer>
            <div class="notice status-banner" role="status" data-testid="newer-elsewhere">
                <p>"A newer version of Twelve-Factor Studio saved your work in another tab. Reload this tab to continue with it; this tab no longer saves, so nothing of the newer work is lost."</p>
                <button class="primary" data-testid="newer-reload" on:click=move |_| apply_update()>"Reload"</button>
            </div>
        </Show>
    }
}

pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// The boot script's `window.__tf` object (see index.html).
fn boot_object() -> Option<wasm_bindgen::JsValue> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &"__tf".into())
        .ok()
        .filter(|v| v.is_object())
}

fn update_waiting() -> bool {
    boot_object()
        .and_then(|tf| js_sys::Reflect::get(&tf, &"update".into()).ok())
        .is_some_and(|w| w.is_object())
}

/// Activates the waiting version; the page reloads once it has taken over.
fn apply_update() {
    let apply = boot_object()
        .and_then(|tf| js_sys::Reflect::get(&tf, &"applyUpdate".into()).ok())
        .and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok());
    match apply {
        Some(f) => {
            let _ = f.call0(&wasm_bindgen::JsValue::NULL);
        }
        None => reload(),
    }
}

/// "A new version is ready — reload": offered when a new deploy has been downloaded, applied
/// only when the user asks. The work is saved on every change, so the reload keeps it; when
/// storage is failing, the prompt says to export first.
#[component]
pub fn UpdatePrompt() -> impl IntoView {
    let store = use_store();
    let ready = RwSignal::new(update_waiting());
    let dismissed = RwSignal::new(false);
    let _ = window_event_listener_untyped("tf-update-ready", move |_| ready.set(true));
    let unsaved = move || store.storage.get() == StorageState::Failing;
    view! {
        <Show when=move || ready.get() && !dismissed.get()>
            <div class="notice status-banner" role="status" data-testid="update-prompt">
                <p>
                    <strong>"A new version is ready — reload to use it. "</strong>
                    {move || if unsaved() {
                        "This browser is not saving your work: export JSON first, or it is lost on reload."
                    } else {
                        "Your work is saved and stays as it is."
                    }}
                </p>
                <button class="primary" data-testid="update-reload" on:click=move |_| apply_update()>"Reload"</button>
                <button class="link-button" data-testid="update-later" on:click=move |_| dismissed.set(true)>"Later"</button>
            </div>
        </Show>
    }
}
