//! Autosave that several tabs can share without erasing each other's work.
//!
//! Every change is stamped per field (`core::sync`), merged with what is in storage (another
//! tab may have written since), applied back to this tab if the merge brought anything new,
//! and written. Other tabs hear the `storage` event and run the same merge, so changes appear
//! everywhere within a moment and a write never replaces answers it has not seen.

use leptos::prelude::*;

use super::state::{StorageState, Store};
use crate::core::answers::{load_document, Answers, Document};
use crate::core::spec::ProjectSpec;
use crate::core::sync::{self, Clock, Fields};
use crate::core::team;
use crate::platform::storage;

/// What storage holds right now.
enum Stored {
    /// Work this version can read, as fields with their clock.
    Work(Fields, Clock),
    /// Work written by a newer version of the app, which this tab must not overwrite.
    Newer,
    /// Nothing (or nothing readable: the first load already moved unreadable work aside).
    Empty,
}

fn read_stored(store: &Store) -> Stored {
    let Some(saved) = storage::get(storage::WORK_KEY) else {
        return Stored::Empty;
    };
    let (json, clock) = sync::from_stored(&saved);
    if sync::is_newer(&json) {
        return Stored::Newer;
    }
    match load_document(&json) {
        Ok(loaded) => {
            let spec = loaded.project.unwrap_or_else(|| store.spec.get_untracked());
            let mut fields = sync::fields(&loaded.answers, &spec);
            sync::add_checklist(&mut fields, loaded.checklist.as_ref());
            sync::add_snapshots(&mut fields, &loaded.snapshots);
            team::add_to_fields(&mut fields, loaded.team.as_ref());
            sync::add_last_download(&mut fields, loaded.last_download.as_ref());
            Stored::Work(fields, clock)
        }
        Err(_) => Stored::Empty,
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Stamps this tab's changes, merges with storage, shows what other tabs changed, and saves.
pub fn sync_now(store: Store) {
    if store.storage.get_untracked() == StorageState::NewerElsewhere {
        return;
    }
    let current = current_fields(store);
    let mut clock = store.clock.get_value();
    store
        .synced
        .with_value(|before| sync::stamp(&mut clock, before, &current, now()));
    let (stored_fields, stored_clock) = match read_stored(&store) {
        Stored::Newer => {
            store.storage.set(StorageState::NewerElsewhere);
            return;
        }
        Stored::Empty => (Fields::new(), Clock::new()),
        Stored::Work(f, c) => (f, c),
    };
    let (merged, merged_clock) = sync::merge((&current, &clock), (&stored_fields, &stored_clock));
    store.clock.set_value(merged_clock.clone());
    store.synced.set_value(merged.clone());
    if merged != current {
        apply(store, &merged);
    }
    if merged != stored_fields || merged_clock != stored_clock {
        write(store, &merged, &merged_clock);
    }
}

fn current_fields(store: Store) -> Fields {
    let mut fields = store
        .answers
        .with_untracked(|a| store.spec.with_untracked(|s| sync::fields(a, s)));
    store
        .checklist
        .with_untracked(|c| sync::add_checklist(&mut fields, c.as_ref()));
    store
        .snapshots
        .with_untracked(|s| sync::add_snapshots(&mut fields, s));
    store
        .team
        .with_untracked(|t| team::add_to_fields(&mut fields, t.as_ref()));
    store
        .last_download
        .with_untracked(|l| sync::add_last_download(&mut fields, l.as_ref()));
    fields
}

/// Shows merged work in this tab. `synced` already equals it, so nothing is re-stamped.
fn apply(store: Store, merged: &Fields) {
    let (answers, spec) = sync::unfields(merged, &store.spec.get_untracked());
    // The checklist first: it defines the questions the answers belong to.
    let checklist = sync::checklist_of(merged);
    if store.checklist.with_untracked(|c| *c != checklist) {
        store.set_checklist(checklist);
        // The topics changed under the open screen: setting the route again rebuilds it.
        store.route.set(store.route.get_untracked());
    }
    if store.answers.with_untracked(|a| *a != answers) {
        store.answers.set(answers);
    }
    if store.spec.with_untracked(|s| *s != spec) {
        store.spec.set(spec);
    }
    let snapshots = sync::snapshots_of(merged);
    if store.snapshots.with_untracked(|s| *s != snapshots) {
        store.snapshots.set(snapshots);
    }
    let team = team::from_fields(merged);
    if store.team.with_untracked(|t| *t != team) {
        store.team.set(team);
    }
    let last_download = sync::last_download_of(merged);
    if store.last_download.with_untracked(|l| *l != last_download) {
        store.last_download.set(last_download);
    }
}

fn write(store: Store, merged: &Fields, clock: &Clock) {
    let (answers, spec) = sync::unfields(merged, &store.spec.get_untracked());
    let document = Document::new(&answers, Some(&spec))
        .with_snapshots(sync::snapshots_of(merged))
        .with_team(team::from_fields(merged))
        .with_last_download(sync::last_download_of(merged));
    let saved = sync::to_stored(&document, clock);
    let ok = storage::set(storage::WORK_KEY, &saved);
    let state = if ok {
        StorageState::Saving
    } else {
        StorageState::Failing
    };
    if store.storage.get_untracked() != state {
        store.storage.set(state);
    }
}

/// Opens the saved work and starts autosaving; false if this chunk could not be fetched.
pub async fn open(store: Store) -> bool {
    open_chunk(store).await.is_ok()
}

// Reading saved documents (serde_json's parser, the documents' deserialisers, upgrades) and
// the tab merge are about 60 KB Brotli that a first visit does not need before its first
// question: they come in their own chunk, fetched as the app starts (beside the first module
// when saved work exists: index.html preloads it).
#[leptos::wasm_split::wasm_split(saved_work, wasm_split_path = ::leptos::wasm_split, fallible)]
fn open_chunk(store: Store) -> Result<(), super::ScreenUnavailable> {
    let restored = restore(store);
    start(store, restored);
    Ok(())
}

/// Loads the saved work into the store; whether there was any (readable or not).
fn restore(store: Store) -> bool {
    let Some(saved) = storage::get(storage::WORK_KEY) else {
        return false;
    };
    let (json, _) = sync::from_stored(&saved);
    match load_document(&json) {
        Ok(loaded) => {
            let has = !loaded.answers.responses.is_empty();
            store.set_checklist(loaded.checklist);
            store.answers.set(loaded.answers);
            store.snapshots.set(loaded.snapshots);
            if let Some(spec) = loaded.project {
                store.spec.set(spec);
            }
            store.had_saved_work.set(has);
            store.team.set(loaded.team);
            store.last_download.set(loaded.last_download);
            if !loaded.dropped.is_empty() {
                storage::set(storage::PRE_UPGRADE_KEY, &saved);
                // Work from a newer version is not "upgraded": this tab stops saving and
                // offers the reload instead (see `start`).
                if !sync::is_newer(&json) {
                    store.loaded("Restored your saved work", &loaded.dropped);
                }
            }
        }
        Err(e) => {
            storage::set(storage::BACKUP_KEY, &saved);
            store.error(format!(
                "Your saved work could not be read ({e}). It was kept in this browser's storage under \"{}\", and you are starting fresh.",
                storage::BACKUP_KEY
            ));
        }
    }
    true
}

/// The fields of work nobody has touched (a new store's).
fn untouched_fields() -> Fields {
    let mut fields = sync::fields(&Answers::default(), &ProjectSpec::default());
    sync::add_checklist(&mut fields, None);
    sync::add_snapshots(&mut fields, &[]);
    team::add_to_fields(&mut fields, None);
    sync::add_last_download(&mut fields, None);
    fields
}

/// Starts autosaving and listening to other tabs, once the saved work is loaded. Without saved
/// work, changes made before this chunk arrived count as this tab's changes (stamped and saved);
/// fields nobody touched are not stamped, so they never win over another tab's real changes.
fn start(store: Store, restored: bool) {
    let saved = storage::get(storage::WORK_KEY).map(|s| sync::from_stored(&s));
    if let Some((json, clock)) = &saved {
        store.clock.set_value(clock.clone());
        if sync::is_newer(json) {
            store.storage.set(StorageState::NewerElsewhere);
        }
    }
    store.synced.set_value(if restored {
        current_fields(store)
    } else {
        untouched_fields()
    });
    if !storage::available() {
        store.storage.set(StorageState::Failing);
    }
    Effect::new(move |_| {
        store.answers.track();
        store.spec.track();
        store.checklist.track();
        store.snapshots.track();
        store.team.track();
        store.last_download.track();
        sync_now(store);
    });
    let _ = window_event_listener(leptos::ev::storage, move |ev| {
        let key = ev.key();
        let ours = key.as_deref().is_none_or(|k| k == storage::WORK_KEY);
        if ours {
            sync_now(store);
        }
    });
}
