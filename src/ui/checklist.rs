//! The team's own checklist: add one from a file (picker or drop), see what it adds, remove it.

use leptos::prelude::*;

use super::io::{dropped_file, read_text_file};
use super::state::{use_store, Store};
use crate::core::content::custom::{self, Checklist, ChecklistError, MAX_FILE_BYTES};

/// What the box says under its title.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Added(String),
    Refused {
        name: String,
        errors: Vec<ChecklistError>,
    },
}

#[component]
pub fn ChecklistBox() -> impl IntoView {
    let store = use_store();
    let outcome = RwSignal::new(None::<Outcome>);
    let dragging = RwSignal::new(false);
    let read = move |file: web_sys::File| {
        if file.size() > MAX_FILE_BYTES as f64 {
            let errors = vec![ChecklistError {
                at: "file".into(),
                message: format!(
                    "the file is {} KB; a checklist may be at most {} KB",
                    file.size() as u64 / 1024,
                    MAX_FILE_BYTES / 1024
                ),
            }];
            outcome.set(Some(Outcome::Refused {
                name: file.name(),
                errors,
            }));
            return;
        }
        read_text_file(file, move |name, text| {
            let parsed = text
                .map_err(|e| {
                    vec![ChecklistError {
                        at: "file".into(),
                        message: e,
                    }]
                })
                .and_then(|t| custom::parse(&t));
            outcome.set(Some(match parsed {
                Ok(checklist) => {
                    let added = summary(&checklist);
                    store.set_checklist(Some(checklist));
                    Outcome::Added(format!("Added {added} from {name}. They appear in the walkthrough, review, results and report, marked (team)."))
                }
                Err(errors) => Outcome::Refused { name, errors },
            }));
        });
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            read(file);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = dropped_file(&ev) {
            read(file);
        }
    };
    view! {
        <section class="card import no-print" class:dragging=move || dragging.get() aria-labelledby="checklist-title" data-testid="checklist-box"
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop>
            <h2 id="checklist-title">"Your team's own questions"</h2>
            {move || store.checklist.with(|c| match c {
                Some(c) => current_view(store, c, outcome).into_any(),
                None => view! {
                    <p class="muted">"Add the checks your platform requires from a checklist file (JSON; see " <code>"examples/team-checklist.json"</code> " and " <code>"docs/checklist.schema.json"</code> " in the repository). Its questions count in the score, the level and the launch decision by the same rules. Drop the file here or choose it:"</p>
                }.into_any(),
            })}
            <label class="file-pick">
                <span class="visually-hidden">"Team checklist JSON file"</span>
                <input type="file" accept=".json,application/json" data-testid="checklist-file" on:change=on_pick/>
            </label>
            {move || outcome.get().map(outcome_view)}
        </section>
    }
}

fn summary(c: &Checklist) -> String {
    let questions: usize = c.topics.iter().map(|t| t.questions.len()).sum();
    let topics = c.topics.len();
    format!(
        "\"{}\" ({topics} {}, {questions} {})",
        c.title,
        if topics == 1 { "topic" } else { "topics" },
        if questions == 1 {
            "question"
        } else {
            "questions"
        }
    )
}

fn current_view(store: Store, c: &Checklist, outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    let ids: Vec<String> = c
        .topics
        .iter()
        .flat_map(|t| &t.questions)
        .map(|q| q.id.clone())
        .collect();
    let remove = move |_| {
        let answered = store
            .answers
            .with_untracked(|a| ids.iter().filter(|id| a.get(id).is_some()).count());
        let question = format!("Remove the team checklist? Its questions leave the review, and the {answered} answers and notes given to them are removed. Export JSON first to keep them.");
        let ok = answered == 0
            || web_sys::window()
                .and_then(|w| w.confirm_with_message(&question).ok())
                .unwrap_or(false);
        if ok {
            store
                .answers
                .update(|a| ids.iter().for_each(|id| a.set(id, Default::default())));
            store.set_checklist(None);
            outcome.set(None);
        }
    };
    view! {
        <p data-testid="checklist-current">{format!("In use: {}. Adding another file replaces it; answers to questions it keeps (same ids) stay.", summary(c))}</p>
        <button class="link-button" data-testid="checklist-remove" on:click=remove>"Remove the team checklist"</button>
    }
}

fn outcome_view(outcome: Outcome) -> AnyView {
    match outcome {
        Outcome::Added(text) => view! { <p role="status" class="status" data-testid="checklist-message">{text}</p> }.into_any(),
        Outcome::Refused { name, errors } => view! {
            <div role="alert" class="field-msg" data-testid="checklist-message">
                <p>{format!("{name} was not added ({} {}); your current work is unchanged:", errors.len(), if errors.len() == 1 { "problem" } else { "problems" })}</p>
                <ul>{errors.into_iter().map(|e| view! { <li><code>{e.at}</code>": "{e.message}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any(),
    }
}
