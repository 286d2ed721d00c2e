//! Links that carry work in the URL fragment: a share link (`#share=`), a team review
//! invitation (`#join=`) and a participant's response (`#response=`).
//!
//! Decoding them (base64, the document formats, the team merge) and the dialog that asks before
//! a share link replaces work are about 28 KB of the first screen's module (gzip) that most
//! visits never use, so they live in their own chunk, fetched when such a link is opened.

use leptos::prelude::*;

use super::state::{PendingShare, Route, Store};
use super::ScreenUnavailable;
use crate::core::share;
use crate::platform::location;

const PREFIXES: [&str; 3] = ["#share=", "#join=", "#response="];

/// Whether the fragment is one of these links rather than a route.
pub fn is_link(hash: &str) -> bool {
    PREFIXES.iter().any(|prefix| hash.starts_with(prefix))
}

/// Opens the link once its chunk is loaded; says so when the chunk cannot be fetched.
pub fn open(store: Store, hash: &str) {
    let hash = hash.to_string();
    leptos::task::spawn_local(async move {
        if apply(store, hash).await.is_err() {
            store.error("This link could not be opened: the part of the app that reads links did not download (offline before it was saved for offline use, or blocked by the network). The link is still in the address bar: reload the page when you are online.");
        }
    });
}

#[leptos::wasm_split::wasm_split(links, wasm_split_path = ::leptos::wasm_split, fallible)]
fn apply(store: Store, hash: String) -> Result<(), ScreenUnavailable> {
    if !super::team::apply_hash(store, &hash) {
        if let Some(code) = hash.strip_prefix("#share=") {
            open_share(store, code);
        }
    }
    Ok(())
}

/// Loads a share link, or asks first when it would replace different work.
fn open_share(store: Store, code: &str) {
    let fallback = store.route.get_untracked();
    location::replace_hash(&fallback.hash());
    let loaded =
        match crate::core::limits::check_share_length(code).and_then(|()| share::decode(code)) {
            Err(e) => return store.error(e),
            Ok(loaded) => loaded,
        };
    let (answers, spec, dropped, checklist) = (
        loaded.answers,
        loaded.project,
        loaded.dropped,
        loaded.checklist,
    );
    let same = store.answers.with_untracked(|a| *a == answers)
        && spec
            .as_ref()
            .is_none_or(|s| store.spec.with_untracked(|cur| cur == s))
        && store.checklist.with_untracked(|cur| *cur == checklist);
    if same {
        store.info("This share link holds the same work you already have.");
    } else if store.has_work() {
        store.pending_share.set(Some(PendingShare {
            answers,
            spec,
            checklist,
            dropped,
        }));
    } else {
        store.replace_work(answers, spec, checklist);
        store.loaded("Loaded the shared assessment", &dropped);
        store.navigate(Route::Results);
    }
}

/// The dialog, in the links' chunk: only a share link opens it, so the chunk is loaded by then.
#[leptos::wasm_split::wasm_split(links, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn share_dialog(store: Store) -> Result<AnyView, ScreenUnavailable> {
    Ok(view! { <ShareDialog store=store/> }.into_any())
}

/// Asks before a share link replaces different work already in this browser.
#[component]
fn ShareDialog(store: Store) -> impl IntoView {
    let replace = move |_| {
        if let Some(p) = store.pending_share.get_untracked() {
            store.replace_work(p.answers, p.spec, p.checklist);
            store.pending_share.set(None);
            store.loaded("Replaced your work with the shared assessment", &p.dropped);
            store.navigate(Route::Results);
        }
    };
    let keep = move |_| {
        store.pending_share.set(None);
        store.info("Kept your own work; the shared link was not loaded.");
    };
    view! {
        <div class="modal-backdrop">
            <div class="modal card" role="dialog" aria-modal="true" aria-labelledby="share-dialog-title" data-testid="share-dialog">
                <h2 id="share-dialog-title">"Open the shared assessment?"</h2>
                <p>"This browser already holds different work. Opening the link replaces it. Export your current work first if you want to keep it."</p>
                <div class="actions">
                    <button class="primary" data-testid="share-replace" on:click=replace>"Replace my work"</button>
                    <button data-testid="share-keep" on:click=keep autofocus>"Keep my work"</button>
                </div>
            </div>
        </div>
    }
}
