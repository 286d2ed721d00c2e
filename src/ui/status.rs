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
                <button class="primary" data-testid="newer-reload" on:click=move |_| reload()>"Reload"</button>
            </div>
        </Show>
    }
}

pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}
