//! The Snapshots screen: save the answers as they stand, list, rename and delete them; below, the
//! trend of score and level and the comparison of two states.
//!
//! The logic lives in `core::snapshot`; the trend chart is `ui::trend`, the comparison
//! `ui::compare`.

use leptos::prelude::*;

use super::compare::{ComparePanel, Picks, Source};
use super::state::use_store;
use super::trend::Trend;
use crate::core::compare::pct;
use crate::core::score::Decision;
use crate::core::snapshot::{self, display_date, Draft, FieldErrors, TrendPoint};
use crate::platform::clock;

#[component]
pub fn SnapshotsScreen() -> impl IntoView {
    let store = use_store();
    let picks = Picks::new(store);
    picks.keep_in_url();
    view! {
        <div class="snapshots" data-testid="snapshots-screen">
            <section class="card no-print" aria-labelledby="save-title">
                <h2 id="save-title">"Save a snapshot"</h2>
                <p class="muted">"A snapshot keeps the answers as they stand now, with a label and a date, so later meetings can see what changed. Snapshots are saved with your work and included in the JSON export."</p>
                <SaveForm/>
            </section>
            <SnapshotList picks=picks/>
            <Trend/>
            <ComparePanel picks=picks/>
        </div>
    }
}

#[component]
fn SaveForm() -> impl IntoView {
    let store = use_store();
    let label = RwSignal::new(String::new());
    let date = RwSignal::new(clock::today());
    let errors = RwSignal::new(FieldErrors::default());
    let status = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = Draft {
            label: label.get_untracked(),
            date: date.get_untracked(),
        };
        match snapshot::check_draft(&draft, &clock::today()) {
            Err(e) => {
                let first = if e.label.is_some() {
                    "snapshot-label"
                } else {
                    "snapshot-date"
                };
                errors.set(e);
                status.set(String::new());
                focus(first);
            }
            Ok((l, d)) => {
                let answers = store.answers.get_untracked();
                let saved_at = clock::now();
                store.snapshots.update(|s| {
                    snapshot::add(s, l.clone(), d.clone(), &saved_at, &answers);
                });
                errors.set(FieldErrors::default());
                label.set(String::new());
                status.set(format!(
                    "Saved snapshot \u{201c}{l}\u{201d} ({}).",
                    display_date(&d)
                ));
            }
        }
    };
    let label_error = move || errors.with(|e| e.label.clone());
    let date_error = move || errors.with(|e| e.date.clone());
    view! {
        <form class="snapshot-form" on:submit=submit novalidate data-testid="snapshot-form">
            <div class="field">
                <label for="snapshot-label">"Label"</label>
                <input id="snapshot-label" type="text" data-testid="snapshot-label" maxlength="200"
                    placeholder="for example: Pre-launch review"
                    aria-invalid=move || label_error().is_some().to_string()
                    aria-describedby="snapshot-label-msg"
                    prop:value=move || label.get()
                    on:input=move |ev| { label.set(event_target_value(&ev)); errors.update(|e| e.label = None); }/>
                <p class="field-msg" id="snapshot-label-msg" data-testid="snapshot-label-msg">{label_error}</p>
            </div>
            <div class="field">
                <label for="snapshot-date">"Date of the review"</label>
                <input id="snapshot-date" type="date" data-testid="snapshot-date"
                    aria-invalid=move || date_error().is_some().to_string()
                    aria-describedby="snapshot-date-msg"
                    prop:value=move || date.get()
                    on:input=move |ev| { date.set(event_target_value(&ev)); errors.update(|e| e.date = None); }/>
                <p class="field-msg" id="snapshot-date-msg" data-testid="snapshot-date-msg">{date_error}</p>
            </div>
            <button type="submit" class="primary" data-testid="snapshot-save">"Save snapshot"</button>
            <p class="status" role="status" data-testid="snapshot-status">{move || status.get()}</p>
        </form>
    }
}

fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The snapshots, newest first, each with its figures and its actions.
#[component]
fn SnapshotList(picks: Picks) -> impl IntoView {
    let store = use_store();
    let rows = move || {
        let points = store.snapshots.with(|s| snapshot::trend(s, None));
        let list = store.snapshots.get();
        let mut ordered: Vec<_> = snapshot::chronological(&list)
            .into_iter()
            .cloned()
            .collect();
        ordered.reverse();
        ordered
            .into_iter()
            .map(|s| {
                let point = points.iter().find(|p| p.id == Some(s.id)).cloned();
                view! { <SnapshotRow id=s.id label=s.label.clone() date=s.date.clone() point=point picks=picks/> }
            })
            .collect_view()
    };
    view! {
        <section class="card" aria-labelledby="list-title" data-testid="snapshot-list">
            <h2 id="list-title">{move || format!("Snapshots ({})", store.snapshots.with(Vec::len))}</h2>
            <Show when=move || store.snapshots.with(Vec::is_empty)>
                <p data-testid="snapshots-empty">"No snapshots yet. Save one at the end of each review meeting to see how the service moves from one meeting to the next."</p>
            </Show>
            <ul class="snapshot-rows">{rows}</ul>
        </section>
    }
}

#[component]
fn SnapshotRow(
    id: u32,
    label: String,
    date: String,
    point: Option<TrendPoint>,
    picks: Picks,
) -> impl IntoView {
    let store = use_store();
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let draft = RwSignal::new(label.clone());
    let error = RwSignal::new(None::<String>);
    let input_id = format!("rename-{id}");
    let msg_id = format!("rename-{id}-msg");
    let figures = point.map(|p| {
        format!(
            "{} · {} · Level {}",
            pct(p.score),
            match p.decision {
                Decision::Go => "Go".to_string(),
                Decision::NoGo => format!("No-go ({} open)", p.open_blockers),
            },
            p.level.name()
        )
    });
    // Check first: updating the list re-renders every row, which would drop the message.
    let save = move || match snapshot::check_label(&draft.get_untracked()) {
        Err(e) => error.set(Some(e)),
        Ok(label) => store.snapshots.update(|s| {
            let _ = snapshot::rename(s, id, &label);
        }),
    };
    let delete = move |_| {
        store.snapshots.update(|s| {
            snapshot::remove(s, id);
        });
        for pick in [picks.before, picks.after] {
            if pick.get_untracked() == Some(Source::Snapshot(id)) {
                pick.set(None);
            }
        }
    };
    let compare_now = move |_| {
        picks.show(Source::Snapshot(id), Source::Now);
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("compare-title"))
        {
            el.scroll_into_view();
        }
    };
    let title = format!("{label}, {}", display_date(&date));
    let (shown_date, figures) = (display_date(&date), figures.unwrap_or_default());
    let edit_view = move || {
        view! {
            <form class="rename" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save(); } novalidate>
                <div class="field">
                    <label for=input_id.clone()>"New label"</label>
                    <input id=input_id.clone() type="text" data-testid="rename-input" maxlength="200"
                        aria-invalid=move || error.get().is_some().to_string()
                        aria-describedby=msg_id.clone()
                        prop:value=move || draft.get()
                        on:input=move |ev| { draft.set(event_target_value(&ev)); error.set(None); }
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { editing.set(false); }/>
                    <p class="field-msg" id=msg_id.clone() data-testid="rename-msg">{move || error.get()}</p>
                </div>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="rename-save">"Save label"</button>
                    <button type="button" on:click=move |_| { editing.set(false); error.set(None); }>"Cancel"</button>
                </div>
            </form>
        }
    };
    let rename_id = format!("rename-{id}");
    let read_view = move || {
        let (label, date, figures) = (label.clone(), shown_date.clone(), figures.clone());
        let rename_id = rename_id.clone();
        let original = label.clone();
        view! {
            <div class="snapshot-main">
                <strong class="snapshot-label" data-testid="snapshot-row-label">{label}</strong>
                <span class="muted">{date}</span>
                <span class="snapshot-figures" data-testid="snapshot-row-figures">{figures}</span>
            </div>
            <div class="actions no-print">
                <button data-testid="snapshot-compare-now" on:click=compare_now>"Compare with now"</button>
                <button data-testid="snapshot-rename" on:click=move |_| {
                    draft.set(original.clone());
                    editing.set(true);
                    confirming.set(false);
                    let id = rename_id.clone();
                    // The input exists only after this render.
                    request_animation_frame(move || focus(&id));
                }>"Rename"</button>
                <button data-testid="snapshot-delete" on:click=move |_| {
                    confirming.set(true);
                    // Focus the safe choice, so Enter never deletes by accident.
                    request_animation_frame(move || focus(&format!("keep-{id}")));
                }>"Delete"</button>
            </div>
        }
    };
    let confirm_text = format!("Delete the snapshot \u{201c}{title}\u{201d}? Its answers cannot be recovered unless you exported them.");
    view! {
        <li class="snapshot-row" data-testid="snapshot-row">
            {move || if editing.get() { edit_view().into_any() } else { read_view().into_any() }}
            <Show when=move || confirming.get()>
                <div class="confirm" role="alertdialog" aria-label="Confirm deletion" data-testid="delete-confirm">
                    <p>{confirm_text.clone()}</p>
                    <div class="actions">
                        <button class="danger" data-testid="delete-confirm-yes" on:click=delete>"Delete snapshot"</button>
                        <button id=format!("keep-{id}") data-testid="delete-confirm-no" on:click=move |_| confirming.set(false)>"Keep it"</button>
                    </div>
                </div>
            </Show>
        </li>
    }
}
