//! The presenter view: one question at a time in large type for a meeting room, driven by the
//! keyboard like review mode. `#/present/<n>` names the question by its place in the content,
//! so reload and Back show the same question whatever filters are on.

use leptos::prelude::*;

use super::review::ReviewState;
use super::state::{use_store, Route, Store};
use super::team::{accept_majority, position, Votes};
use crate::core::answers::Answer;
use crate::core::content::{self, Question, Topic};

/// Whether help is open; shared by the screen and the keyboard handler.
#[derive(Clone, Copy)]
pub struct PresenterState {
    pub show_help: RwSignal<bool>,
}

impl Default for PresenterState {
    fn default() -> Self {
        PresenterState {
            show_help: RwSignal::new(false),
        }
    }
}

fn question_at(n: usize) -> (&'static Topic, &'static Question) {
    content::questions()
        .nth(n)
        .or_else(|| content::questions().last())
        .expect("the content has questions")
}

/// The question `delta` steps away from `n` in the review's visible order (filters, team
/// scope, ordering), or None at either end.
fn neighbour(review: ReviewState, n: usize, delta: isize) -> Option<usize> {
    let id = question_at(n).1.id;
    review.visible.with_untracked(|v| {
        let next = match v.iter().position(|x| *x == id) {
            Some(i) => i.checked_add_signed(delta)?,
            // The current question is filtered out: start from the first visible one.
            None => 0,
        };
        v.get(next).copied().and_then(position)
    })
}

fn go(store: Store, review: ReviewState, n: usize, delta: isize) {
    if let Some(m) = neighbour(review, n, delta) {
        store.navigate(Route::Present(m));
    }
}

/// Handles a key press in the presenter view. Returns true when it was a shortcut.
pub fn handle_key(
    store: Store,
    review: ReviewState,
    state: PresenterState,
    ev: &web_sys::KeyboardEvent,
) -> bool {
    let Route::Present(n) = store.route.get_untracked() else {
        return false;
    };
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return false;
    }
    let typing = ev
        .target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().to_ascii_lowercase().as_str(),
                "input" | "textarea" | "select"
            )
        });
    let key = ev.key();
    if typing {
        // Esc leaves the N/A reason field for the keys again.
        if key == "Escape" {
            super::question::focus_id("present-question");
            return true;
        }
        return false;
    }
    let id = question_at(n).1.id;
    let answer = match key.as_str() {
        "1" => Some(Answer::Yes),
        "2" => Some(Answer::Partly),
        "3" => Some(Answer::No),
        "4" => Some(Answer::NotApplicable),
        _ => None,
    };
    if let Some(a) = answer {
        store.answers.update(|s| s.set_answer(id, Some(a)));
        if a == Answer::NotApplicable {
            gloo::timers::callback::Timeout::new(0, || super::question::focus_id("present-reason"))
                .forget();
        }
        return true;
    }
    match key.as_str() {
        "j" | "ArrowRight" | "ArrowDown" | "PageDown" | " " => go(store, review, n, 1),
        "k" | "ArrowLeft" | "ArrowUp" | "PageUp" => go(store, review, n, -1),
        "a" => {
            accept_majority(store, id);
        }
        "h" | "?" => state.show_help.update(|s| *s = !*s),
        "Escape" => {
            if state.show_help.get_untracked() {
                state.show_help.set(false);
            } else {
                exit(store, review, id);
            }
        }
        _ => return false,
    }
    true
}

/// Back to review mode with the cursor on the question presented.
fn exit(store: Store, review: ReviewState, id: &'static str) {
    if let Some(i) = review
        .visible
        .with_untracked(|v| v.iter().position(|x| *x == id))
    {
        review.cursor.set(i);
    }
    store.navigate(Route::Review);
}

#[component]
pub fn PresenterScreen(n: usize) -> impl IntoView {
    let store = use_store();
    let review = expect_context::<ReviewState>();
    let state = expect_context::<PresenterState>();
    let (topic, question) = question_at(n);
    let id = question.id;
    let answer = move || store.answers.with(|a| a.get(id).and_then(|r| r.answer));
    let reason = move || store.answers.with(|a| a.response(id).na_reason);
    let place = move || {
        review
            .visible
            .with(|v| v.iter().position(|x| *x == id).map(|i| (i + 1, v.len())))
    };
    let keys = Answer::ALL
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            view! {
                <button class=format!("present-key key-{}", a.code()) data-testid=format!("present-answer-{}", a.code())
                    aria-pressed=move || (answer() == Some(a)).to_string()
                    on:click=move |_| store.answers.update(|s| s.set_answer(id, Some(a)))>
                    <kbd>{(i + 1).to_string()}</kbd> " " {a.label()}
                </button>
            }
        })
        .collect_view();
    let topics: Vec<&'static Topic> = store.team.with_untracked(|t| match t {
        Some(t) => t.topics_in_scope().collect(),
        None => content::topics().collect(),
    });
    let topic_index = topics.iter().position(|t| *t == topic);
    let topic_count = topics.len();
    let strip = topics
        .iter()
        .map(|t| {
            let here = *t == topic;
            let tid = t.id;
            let done = move || {
                store.report.with(|r| {
                    r.topic(tid)
                        .is_some_and(|s| s.tally.answered == s.tally.total)
                })
            };
            view! { <li class:here=here class:done=done title=t.title>{short(t)}</li> }
        })
        .collect_view();
    let in_topic = topic.questions.iter().position(|q| q.id == id).unwrap_or(0) + 1;
    view! {
        <div class="presenter" data-testid="presenter-screen">
            <header class="present-head">
                <p class="present-topic" data-testid="present-topic">
                    {topic.label()} " · " <strong>{topic.title}</strong>
                </p>
                <p class="present-progress" data-testid="present-progress">
                    {match topic_index {
                        Some(i) => format!("Topic {} of {topic_count} · question {in_topic} of {}", i + 1, topic.questions.len()),
                        None => format!("Question {in_topic} of {} in this topic", topic.questions.len()),
                    }}
                    {move || place().map(|(i, t)| format!(" · {i} of {t} overall"))}
                </p>
            </header>
            <ol class="present-strip" aria-label="Topics">{strip}</ol>
            <h2 class="present-question" data-testid="present-question" id="present-question" tabindex="-1">{question.text}</h2>
            <p class="q-meta present-meta">
                {question.blocker.then(|| view! { <span class="badge badge-blocker">"Launch blocker"</span> })}
                <span class="badge">{format!("Needed for {}", question.level.name())}</span>
                <span class="badge">{format!("Effort: {}", question.effort.label().to_lowercase())}</span>
            </p>
            <div class="present-keys" role="group" aria-label="Team answer">{keys}</div>
            <Show when=move || answer() == Some(Answer::NotApplicable)>
                <div class="field present-reason">
                    <label for="present-reason">"Why does this not apply?"</label>
                    <input id="present-reason" type="text" maxlength="300" class="wide"
                        aria-invalid=move || reason().trim().is_empty().to_string()
                        prop:value=reason
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            store.answers.update(|s| { let mut r = s.response(id); r.na_reason = text; s.set(id, r); });
                        }/>
                    <p class="field-msg">{move || reason().trim().is_empty().then_some("Give a reason: N/A without one counts as unanswered.")}</p>
                </div>
            </Show>
            <Votes question_id=id large=true/>
            <Show when=move || state.show_help.get()>
                <div class="present-help" data-testid="present-help">
                    <p>{store.long_text(move || question.help())}</p>
                    <p class="muted">"What to do when it is not Yes: " {store.long_text(move || question.remediation())}</p>
                </div>
            </Show>
            <nav class="present-nav" aria-label="Presenter">
                <button data-testid="present-prev" disabled=move || neighbour(review, n, -1).is_none() on:click=move |_| go(store, review, n, -1)>"← Previous (k)"</button>
                <button data-testid="present-help-toggle" aria-expanded=move || state.show_help.get().to_string() on:click=move |_| state.show_help.update(|s| *s = !*s)>"Help (h)"</button>
                <button data-testid="present-exit" on:click=move |_| exit(store, review, id)>"Exit (Esc)"</button>
                <button class="primary" data-testid="present-next" disabled=move || neighbour(review, n, 1).is_none() on:click=move |_| go(store, review, n, 1)>"Next (j) →"</button>
            </nav>
            <p class="present-keys-hint muted">"Keys: 1 Yes · 2 Partly · 3 No · 4 N/A · a majority · j/→ next · k/← previous · h help · Esc back to review"</p>
        </div>
    }
}

fn short(t: &Topic) -> String {
    match t.kind {
        content::TopicKind::Factor => content::roman(t.number).to_string(),
        content::TopicKind::Readiness => format!("R{}", t.number),
        content::TopicKind::Team => format!("T{}", t.number),
    }
}
