//! Autosave that several tabs can share without erasing each other's work.
//!
//! Every change is stamped per field (`core::sync`), merged with what is in storage (another
//! tab may have written since), applied back to this tab if the merge brought anything new,
//! and written. Other tabs hear the `storage` event and run the same merge, so changes appear
//! everywhere within a moment and a write never replaces answers it has not seen.

use leptos::prelude::*;

use super::state::{StorageState, Store};
use crate::core::answers::{load_document, Document};
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

/// Starts autosaving and listening to other tabs. Call once, after the saved work is loaded.
pub fn start(store: Store) {
    let saved = storage::get(storage::WORK_KEY).map(|s| sync::from_stored(&s));
    if let Some((json, clock)) = &saved {
        store.clock.set_value(clock.clone());
        if sync::is_newer(json) {
            store.storage.set(StorageState::NewerElsewhere);
        }
    }
    store.synced.set_value(current_fields(store));
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
