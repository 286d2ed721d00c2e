//! Moving work in and out: share link, Markdown and JSON export, print, JSON import.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::state::{use_store, Route, Store};
use crate::core::answers::{load_document, LoadError};
use crate::core::limits;
use crate::core::report;
use crate::core::snapshot;
use crate::platform::download;

#[component]
pub fn ExportBar() -> impl IntoView {
    let store = use_store();
    let share_url = RwSignal::new(String::new());
    let export_md = move |_| {
        let md = store
            .answers
            .with_untracked(|a| report::markdown(&store.report.get_untracked(), a));
        report_result(
            store,
            download::save_text(&md, "twelve-factor-assessment.md", "text/markdown"),
            "Saved the Markdown report.",
        );
    };
    let export_json = move |_| export_json(store);
    let make_link = move |_| {
        let url = store.share_url();
        let code_chars = url.split_once("#share=").map_or(0, |(_, c)| c.len());
        if code_chars > limits::MAX_SHARE_CHARS {
            share_url.set(String::new());
            store.error(format!(
                "This assessment is too long for a share link ({} characters; links carry at most {}), mostly because of its notes. Use Export JSON to pass it on.",
                limits::grouped(code_chars as u64),
                limits::grouped(limits::MAX_SHARE_CHARS as u64)
            ));
            return;
        }
        share_url.set(url.clone());
        if let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) {
            let _ = clipboard.write_text(&url);
        }
        store.info("Share link created and copied to the clipboard (if the browser allowed it). Anyone who opens it sees this assessment; nothing is uploaded.");
    };
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="card export no-print" aria-labelledby="export-title">
            <h2 id="export-title">"Share and export"</h2>
            <div class="actions">
                <button data-testid="share-link" on:click=make_link>"Copy share link"</button>
                <button data-testid="export-md" on:click=export_md>"Export Markdown"</button>
                <button data-testid="export-json" on:click=export_json>"Export JSON"</button>
                <button data-testid="print" on:click=print>"Print / PDF"</button>
            </div>
            <Show when=move || !share_url.get().is_empty()>
                <div class="field">
                    <label for="share-url">"Share link"</label>
                    <input id="share-url" type="text" readonly data-testid="share-url" prop:value=move || share_url.get()
                        on:focus=move |ev| { if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { i.select(); } }/>
                </div>
            </Show>
        </section>
    }
}

/// Saves the work as the versioned JSON document (also offered when storage fails).
pub fn export_json(store: Store) {
    let json = store.document().to_json();
    report_result(
        store,
        download::save_text(&json, "twelve-factor-assessment.json", "application/json"),
        "Saved the JSON assessment; import it here to continue later.",
    );
}

fn report_result(store: Store, result: Result<(), String>, ok: &str) {
    match result {
        Ok(()) => store.info(ok),
        Err(e) => store.error(e),
    }
}

/// Reads a picked or dropped file as text; `done` gets its name and the text, or a message.
pub fn read_text_file(
    file: web_sys::File,
    done: impl FnOnce(String, Result<String, String>) + 'static,
) {
    let name = file.name();
    // Refused before reading: a huge file would freeze the tab while it is read and parsed.
    if let Err(e) = limits::check_import_size(file.size() as u64) {
        done(
            name.clone(),
            Err(format!("{name}: {e} Your current work is unchanged.")),
        );
        return;
    }
    let blob: &web_sys::Blob = file.as_ref();
    let reader = gloo::file::Blob::from(blob.clone());
    let handle = gloo::file::callbacks::read_as_text(&reader, move |result| {
        let text = result.map_err(|_| format!("{name} could not be read as text."));
        done(name, text);
    });
    // The reader must live until its callback runs.
    std::mem::forget(handle);
}

/// The first file of a drop, if any.
pub fn dropped_file(ev: &leptos::ev::DragEvent) -> Option<web_sys::File> {
    ev.data_transfer()
        .and_then(|d| d.files())
        .and_then(|f| f.get(0))
}

/// Reads an exported JSON file (file picker or drag-and-drop) into the app.
#[component]
pub fn ImportBox() -> impl IntoView {
    let store = use_store();
    let dragging = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let read_file = move |file: web_sys::File| {
        read_text_file(file, move |name, result| match result {
            Err(e) => message.set(Some((false, e))),
            Ok(text) => match limits::check_document(&text)
                .map_err(LoadError)
                .and_then(|()| load_document(&text))
            {
                Err(e) => message.set(Some((
                    false,
                    format!("{name}: {e} Your current work is unchanged."),
                ))),
                Ok(loaded) => {
                    let dropped = loaded.dropped.len();
                    store.replace_work(loaded.answers, loaded.project, loaded.checklist);
                    // Snapshots are added to ours, never replace them (`snapshot::merge`).
                    let added = store
                        .snapshots
                        .try_update(|s| snapshot::merge(s, loaded.snapshots))
                        .unwrap_or(0);
                    // A team review travels with the file (and leaves with a file without one).
                    store.team.set(loaded.team);
                    // So does the last download: a generated project's own assessment.json is
                    // one, so the Generate screen shows what a change would do to that project.
                    store.last_download.set(loaded.last_download);
                    let mut extra = match dropped {
                        0 => String::new(),
                        1 => " 1 answer could not be carried over to this questionnaire: see the message above.".to_string(),
                        n => format!(" {n} answers could not be carried over to this questionnaire: see the message above."),
                    };
                    extra.push_str(&match added {
                        0 => String::new(),
                        1 => " Added 1 snapshot from the file.".to_string(),
                        n => format!(" Added {n} snapshots from the file."),
                    });
                    message.set(Some((true, format!("Imported {name}.{extra}"))));
                    store.loaded(&format!("Imported {name}"), &loaded.dropped);
                    store.navigate(Route::Results);
                }
            },
        });
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            read_file(file);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = dropped_file(&ev) {
            read_file(file);
        }
    };
    view! {
        <section
            class="card import no-print"
            class:dragging=move || dragging.get()
            aria-labelledby="import-title"
            data-testid="import-box"
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <h2 id="import-title">"Continue from a file"</h2>
            <p class="muted">"Drop an exported assessment JSON here (or the " <code>".twelve-factor/assessment.json"</code> " from a generated project), or choose it:"</p>
            <label class="file-pick">
                <span class="visually-hidden">"Assessment JSON file"</span>
                <input type="file" accept=".json,application/json" data-testid="import-file" on:change=on_pick/>
            </label>
            <p role="status" class=move || match message.get() { Some((false, _)) => "field-msg", _ => "status" } data-testid="import-message">
                {move || message.get().map(|(_, m)| m)}
            </p>
        </section>
    }
}
