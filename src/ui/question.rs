//! One question: answer choices, the N/A reason, and a note.

use leptos::prelude::*;

use super::state::use_store;
use crate::core::answers::Answer;
use crate::core::content::Question;

/// `current`: this question is the keyboard cursor's (review mode).
#[component]
pub fn QuestionCard(
    question: &'static Question,
    #[prop(optional)] show_remediation: bool,
    #[prop(into, optional)] current: Signal<bool>,
) -> impl IntoView {
    let store = use_store();
    let answers = store.answers;
    let id = question.id;
    let response = move || answers.with(|a| a.response(id));
    let answer = move || response().answer;
    let legend_id = format!("legend-{id}");
    let legend_a = legend_id.clone();
    let legend_b = legend_id.clone();
    let reason_id = format!("reason-{id}");
    let note_id = format!("note-{id}");
    let note_open = RwSignal::new(answers.with_untracked(|a| !a.response(id).note.is_empty()));

    let choices = Answer::ALL
        .into_iter()
        .map(|a| {
            view! {
                <label class=format!("choice choice-{}", a.code())>
                    <input
                        type="radio"
                        name=format!("answer-{id}")
                        value=a.label()
                        data-testid=format!("answer-{}", a.code())
                        prop:checked=move || answer() == Some(a)
                        on:change=move |_| answers.update(|s| s.set_answer(id, Some(a)))
                    />
                    <span>{a.label()}</span>
                </label>
            }
        })
        .collect_view();

    view! {
        <fieldset
            class="question"
            class:current=move || current.get()
            class:answered=move || answer().is_some()
            id=format!("q-{id}")
            tabindex="-1"
            data-testid="question"
            data-question=id
            aria-labelledby=legend_a
        >
            <legend id=legend_b>
                <span class="q-text">{question.text}</span>
            </legend>
            <p class="q-meta">
                {question.blocker.then(|| view! { <span class="badge badge-blocker">"Launch blocker"</span> })}
                <span class="badge">{format!("Weight {}", question.weight)}</span>
                <span class="badge">{format!("Needed for {}", question.level.name())}</span>
                <span class="badge" title="How much work closing this usually takes">{format!("Effort: {}", question.effort.label().to_lowercase())}</span>
            </p>
            <p class="help">{store.long_text(move || question.help())}</p>
            <div class="choices" role="radiogroup" aria-labelledby=legend_id>
                {choices}
                <button
                    type="button"
                    class="link-button"
                    data-testid="clear-answer"
                    hidden=move || answer().is_none()
                    on:click=move |_| answers.update(|s| s.set_answer(id, None))
                >
                    "Clear"
                </button>
            </div>
            <Show when=move || answer() == Some(Answer::NotApplicable)>
                <div class="field na-reason">
                    <label for=reason_id.clone()>"Why does this not apply?"</label>
                    <input
                        id=reason_id.clone()
                        type="text"
                        data-testid="na-reason"
                        maxlength="300"
                        aria-invalid=move || response().na_reason.trim().is_empty().to_string()
                        aria-describedby=format!("{reason_id}-msg")
                        prop:value=move || response().na_reason
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            answers.update(|s| {
                                let mut r = s.response(id);
                                r.na_reason = text;
                                s.set(id, r);
                            })
                        }
                    />
                    <p class="field-msg" id=format!("{reason_id}-msg")>
                        {move || response().na_reason.trim().is_empty().then_some("Give a reason: N/A without one counts as unanswered.")}
                    </p>
                </div>
            </Show>
            <Show when=move || show_remediation && matches!(answer(), Some(Answer::No) | Some(Answer::Partly))>
                <div class="remediation">
                    <strong>"What to do: "</strong>
                    {store.long_text(move || question.remediation())}
                </div>
            </Show>
            <super::team::Votes question_id=id/>
            <div class="note">
                <button
                    type="button"
                    class="link-button"
                    data-testid="note-toggle"
                    aria-expanded=move || note_open.get().to_string()
                    aria-controls=note_id.clone()
                    on:click=move |_| note_open.update(|o| *o = !*o)
                >
                    {move || if response().note.is_empty() { "Add a note" } else { "Note" }}
                </button>
                <Show when=move || note_open.get()>
                    <textarea
                        id=note_id.clone()
                        data-testid="note"
                        rows="2"
                        maxlength="1000"
                        aria-label=format!("Note for: {}", question.text)
                        placeholder="Evidence, owner, follow-up…"
                        prop:value=move || response().note
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            answers.update(|s| {
                                let mut r = s.response(id);
                                r.note = text;
                                s.set(id, r);
                            })
                        }
                    ></textarea>
                </Show>
            </div>
        </fieldset>
    }
}

/// Opens the note of a question and puts the cursor in it.
pub fn open_note(question_id: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let textarea = format!("note-{question_id}");
    if let Some(el) = doc.get_element_by_id(&textarea) {
        focus(&el);
        return;
    }
    if let Some(card) = doc.get_element_by_id(&format!("q-{question_id}")) {
        if let Ok(Some(button)) = card.query_selector("[data-testid=note-toggle]") {
            if let Ok(b) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(button) {
                b.click();
            }
        }
    }
    // The textarea renders on the next tick.
    gloo::timers::callback::Timeout::new(0, move || {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&textarea))
        {
            focus(&el);
        }
    })
    .forget();
}

pub fn focus(el: &web_sys::Element) {
    if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el.clone()) {
        let _ = el.focus();
    }
}

pub fn focus_id(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        focus(&el);
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        el.scroll_into_view_with_scroll_into_view_options(&options);
    }
}
