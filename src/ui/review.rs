//! Review mode: every topic on one page, filters, and keyboard shortcuts for meetings.

use leptos::prelude::*;

use super::question::{focus_id, open_note, QuestionCard};
use super::state::{percent_text, use_store, Route, Store};
use crate::core::answers::Answer;
use crate::core::content::{self, Topic};
use crate::core::team;

#[derive(Clone, Copy)]
pub struct ReviewState {
    pub unanswered_only: RwSignal<bool>,
    pub blockers_only: RwSignal<bool>,
    /// Team review: only questions the participants disagree on.
    pub disagreements_only: RwSignal<bool>,
    /// Team review: one list, the most disputed question first, instead of by topic.
    pub most_disagreement_first: RwSignal<bool>,
    /// Index into the visible questions of the keyboard cursor.
    pub cursor: RwSignal<usize>,
    pub show_help: RwSignal<bool>,
    pub visible: Memo<Vec<&'static str>>,
}

impl ReviewState {
    pub fn new(store: Store) -> ReviewState {
        let unanswered_only = RwSignal::new(false);
        let blockers_only = RwSignal::new(false);
        let disagreements_only = RwSignal::new(false);
        let most_disagreement_first = RwSignal::new(false);
        let visible = Memo::new(move |_| {
            let (u, b) = (unanswered_only.get(), blockers_only.get());
            let (d, m) = (disagreements_only.get(), most_disagreement_first.get());
            // A team checklist (added here or in another tab) changes the questions.
            store.checklist.track();
            store.team.with(|team| {
                // Outside a team review, and for participants, the team filters do nothing.
                let votes = team.as_ref().filter(|t| !t.is_participant());
                let mut ids: Vec<&'static str> = store.answers.with(|a| {
                    content::questions()
                        .filter(|(t, _)| team.as_ref().is_none_or(|team| team.covers(t.id)))
                        .map(|(_, q)| q)
                        .filter(|q| (!b || q.blocker) && (!u || a.effective(q.id).is_none()))
                        .filter(|q| !d || votes.is_none_or(|v| v.spread(q.id).is_disagreement()))
                        .map(|q| q.id)
                        .collect()
                });
                if let Some(v) = votes.filter(|_| m) {
                    team::most_disagreement_first(v, &mut ids);
                }
                ids
            })
        });
        ReviewState {
            unanswered_only,
            blockers_only,
            disagreements_only,
            most_disagreement_first,
            cursor: RwSignal::new(0),
            show_help: RwSignal::new(false),
            visible,
        }
    }

    fn current_id(&self) -> Option<&'static str> {
        let v = self.visible.get_untracked();
        v.get(self.cursor.get_untracked().min(v.len().saturating_sub(1)))
            .copied()
    }

    fn move_by(&self, delta: isize) {
        let len = self.visible.with_untracked(Vec::len);
        if len == 0 {
            return;
        }
        let cur = self.cursor.get_untracked().min(len - 1) as isize;
        let next = (cur + delta).clamp(0, len as isize - 1) as usize;
        self.cursor.set(next);
        if let Some(id) = self.current_id() {
            focus_id(&format!("q-{id}"));
        }
    }
}

/// Handles a key press in review mode. Returns true when it was a shortcut.
pub fn handle_key(store: Store, review: ReviewState, ev: &web_sys::KeyboardEvent) -> bool {
    if store.route.get_untracked() != Route::Review
        || ev.ctrl_key()
        || ev.meta_key()
        || ev.alt_key()
    {
        return false;
    }
    let typing = ev
        .target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        .map(|el| {
            let tag = el.tag_name().to_ascii_lowercase();
            tag == "textarea"
                || tag == "select"
                || (tag == "input" && el.get_attribute("type").as_deref() != Some("radio"))
        })
        .unwrap_or(false);
    let key = ev.key();
    if typing {
        if key == "Escape" {
            if let Some(id) = review.current_id() {
                focus_id(&format!("q-{id}"));
            }
            return true;
        }
        return false;
    }
    let on_radio = ev
        .target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        .is_some_and(|el| el.get_attribute("type").as_deref() == Some("radio"));
    let answer = match key.as_str() {
        "1" => Some(Answer::Yes),
        "2" => Some(Answer::Partly),
        "3" => Some(Answer::No),
        "4" => Some(Answer::NotApplicable),
        _ => None,
    };
    if let Some(a) = answer {
        if let Some(id) = review.current_id() {
            store.answers.update(|s| s.set_answer(id, Some(a)));
            if a == Answer::NotApplicable {
                // N/A needs a reason: put the cursor there.
                gloo::timers::callback::Timeout::new(0, move || focus_id(&format!("reason-{id}")))
                    .forget();
            } else {
                let idx = review.cursor.get_untracked();
                // When a filter hides the question just answered, the cursor index now points
                // at the next one: move the focus there, unless the user has moved on already.
                gloo::timers::callback::Timeout::new(0, move || {
                    if review.cursor.get_untracked() == idx {
                        if let Some(id) = review.current_id() {
                            focus_id(&format!("q-{id}"));
                        }
                    }
                })
                .forget();
            }
        }
        return true;
    }
    match key.as_str() {
        "j" => review.move_by(1),
        "k" => review.move_by(-1),
        "ArrowDown" | "ArrowRight" if !on_radio => review.move_by(1),
        "ArrowUp" | "ArrowLeft" if !on_radio => review.move_by(-1),
        "a" if super::team::has_votes(store) => {
            if let Some(id) = review.current_id() {
                super::team::accept_majority(store, id);
            }
        }
        "p" => {
            if let Some(n) = review.current_id().and_then(super::team::position) {
                store.navigate(Route::Present(n));
            }
        }
        "n" => {
            if let Some(id) = review.current_id() {
                open_note(id);
            }
        }
        "?" => review.show_help.update(|s| *s = !*s),
        "Escape" => review.show_help.set(false),
        _ => return false,
    }
    true
}

#[component]
pub fn ReviewScreen() -> impl IntoView {
    let store = use_store();
    let review = expect_context::<ReviewState>();
    let topics = move || {
        content::topics()
            .map(|t| view! { <TopicPanel topic=t review=review/> })
            .collect_view()
    };
    view! {
        <div class="review" data-testid="review-screen">
            <div class="review-toolbar card">
                <h2>"Review"</h2>
                <label class="toggle">
                    <input type="checkbox" data-testid="filter-unanswered"
                        prop:checked=move || review.unanswered_only.get()
                        on:change=move |ev| review.unanswered_only.set(event_target_checked(&ev))/>
                    "Unanswered only"
                </label>
                <label class="toggle">
                    <input type="checkbox" data-testid="filter-blockers"
                        prop:checked=move || review.blockers_only.get()
                        on:change=move |ev| review.blockers_only.set(event_target_checked(&ev))/>
                    "Launch blockers only"
                </label>
                <Show when=move || super::team::has_votes(store)>
                    <label class="toggle">
                        <input type="checkbox" data-testid="filter-disagreements"
                            prop:checked=move || review.disagreements_only.get()
                            on:change=move |ev| review.disagreements_only.set(event_target_checked(&ev))/>
                        "Disagreements only"
                    </label>
                    <label class="toggle">
                        <input type="checkbox" data-testid="order-disagreement"
                            prop:checked=move || review.most_disagreement_first.get()
                            on:change=move |ev| review.most_disagreement_first.set(event_target_checked(&ev))/>
                        "Most disagreement first"
                    </label>
                </Show>
                <label class="toggle">
                    <input type="checkbox" data-testid="large-type"
                        prop:checked=move || store.large_type.get()
                        on:change=move |ev| store.large_type.set(event_target_checked(&ev))/>
                    "Large type (projector)"
                </label>
                <button data-testid="shortcuts-button" aria-expanded=move || review.show_help.get().to_string()
                    on:click=move |_| review.show_help.update(|s| *s = !*s)>
                    "Keyboard shortcuts (?)"
                </button>
                <button data-testid="presenter-button" on:click=move |_| {
                    let n = review.current_id().and_then(super::team::position).unwrap_or(0);
                    store.navigate(Route::Present(n));
                }>"Presenter view (p)"</button>
            </div>
            <Show when=move || review.show_help.get()>
                <div class="shortcuts card" data-testid="shortcuts" role="region" aria-label="Keyboard shortcuts">
                    <h3>"Keyboard shortcuts"</h3>
                    <dl>
                        <dt><kbd>"1"</kbd> <kbd>"2"</kbd> <kbd>"3"</kbd> <kbd>"4"</kbd></dt><dd>"Answer Yes, Partly, No, N/A"</dd>
                        <dt><kbd>"j"</kbd> " / " <kbd>"↓"</kbd></dt><dd>"Next question"</dd>
                        <dt><kbd>"k"</kbd> " / " <kbd>"↑"</kbd></dt><dd>"Previous question"</dd>
                        <dt><kbd>"n"</kbd></dt><dd>"Open the note of the current question"</dd>
                        <dt><kbd>"a"</kbd></dt><dd>"Team review: record the majority vote as the team answer"</dd>
                        <dt><kbd>"p"</kbd></dt><dd>"Presenter view of the current question"</dd>
                        <dt><kbd>"Esc"</kbd></dt><dd>"Leave a text field, close this help"</dd>
                        <dt><kbd>"?"</kbd></dt><dd>"Show or hide these shortcuts"</dd>
                    </dl>
                </div>
            </Show>
            <p class="empty" hidden=move || !review.visible.with(Vec::is_empty) data-testid="review-empty">
                "No question matches these filters."
            </p>
            {move || if review.most_disagreement_first.get() && super::team::has_votes(store) {
                view! { <SortedList review=review/> }.into_any()
            } else {
                topics().into_any()
            }}
        </div>
    }
}

/// Every visible question in one list, in the review's order (most disagreement first).
#[component]
fn SortedList(review: ReviewState) -> impl IntoView {
    let cards = move || {
        review
            .visible
            .get()
            .into_iter()
            .enumerate()
            .filter_map(|(i, id)| content::question(id).map(|(t, q)| (i, t, q)))
            .map(|(i, t, q)| {
                let current = Signal::derive(move || review.cursor.get() == i);
                view! {
                    <div on:focusin=move |_| review.cursor.set(i)>
                        <p class="eyebrow sorted-topic">{format!("{} · {}", t.label(), t.title)}</p>
                        <QuestionCard question=q current=current/>
                    </div>
                }
            })
            .collect_view()
    };
    view! { <section class="card sorted" data-testid="sorted-list" aria-label="Questions, most disagreement first">{cards}</section> }
}

#[component]
fn TopicPanel(topic: &'static Topic, review: ReviewState) -> impl IntoView {
    let store = use_store();
    let shown = move |id: &'static str| review.visible.with(|v| v.contains(&id));
    let any_shown = move || topic.questions.iter().any(|q| shown(q.id));
    let score = move || {
        store.report.with(|r| {
            r.topic(topic.id).map(|t| {
                (
                    t.tally.whole_percent(),
                    t.tally.answered,
                    t.tally.total,
                    t.open_blockers,
                )
            })
        })
    };
    let questions = topic
        .questions
        .iter()
        .map(|q| {
            let id = q.id;
            let current = Signal::derive(move || {
                review.visible.with(|v| v.get(review.cursor.get().min(v.len().saturating_sub(1))) == Some(&id))
            });
            view! {
                <div hidden=move || !shown(id) on:focusin=move |_| {
                    if let Some(i) = review.visible.with_untracked(|v| v.iter().position(|x| *x == id)) {
                        review.cursor.set(i);
                    }
                }>
                    <QuestionCard question=q current=current/>
                </div>
            }
        })
        .collect_view();
    view! {
        <details class="topic-panel card" open hidden=move || !any_shown() data-testid="topic-panel" data-topic=topic.id>
            <summary>
                <span class="eyebrow">{topic.label()}</span>
                <span class="panel-title">{topic.title}</span>
                <span class="panel-score">
                    {move || score().map(|(p, a, t, b)| {
                        let blockers = if b > 0 { format!(" · {b} open blocker{}", if b == 1 { "" } else { "s" }) } else { String::new() };
                        format!("{} · {a}/{t}{blockers}", percent_text(p))
                    })}
                </span>
            </summary>
            <p class="principle">{topic.principle}</p>
            {questions}
        </details>
    }
}
