//! The browser UI: a thin layer of Leptos components over [`crate::core`].

use leptos::prelude::*;

use crate::core::answers::{Answer, Answers};
use crate::core::content;
use crate::core::score;
use crate::core::spec::{check_name, ProjectSpec};
use crate::platform;

/// Mounts the app and removes the static loading screen.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    // The generator worker loads after the first screen is up.
    gloo::timers::callback::Timeout::new(0, platform::worker::start).forget();
}

#[component]
pub fn App() -> impl IntoView {
    let answers = RwSignal::new(Answers::default());
    let topic = &content::factors()[0];
    let report = Memo::new(move |_| answers.with(score::score));
    let topic_percent = move || {
        report.with(|r| r.topic(topic.id).and_then(|t| t.tally.whole_percent()))
            .map(|p| format!("{p}%"))
            .unwrap_or_else(|| "n/a".to_string())
    };

    view! {
        <header class="topbar">
            <h1>"Twelve-Factor Studio"</h1>
        </header>
        <main class="page">
            <section class="topic" aria-labelledby="topic-title">
                <p class="eyebrow">{topic.label()}</p>
                <h2 id="topic-title">{topic.title}</h2>
                <p class="principle">{topic.principle}</p>
                <p>{topic.why}</p>
                <p class="score" data-testid="topic-score" aria-live="polite">
                    "Score: " <strong>{topic_percent}</strong>
                </p>
                {topic.questions.iter().map(|q| view! { <QuestionCard question=q answers=answers/> }).collect_view()}
            </section>
            <DownloadPanel answers=answers/>
        </main>
    }
}

#[component]
fn QuestionCard(question: &'static content::Question, answers: RwSignal<Answers>) -> impl IntoView {
    let current = move || answers.with(|a| a.get(question.id).and_then(|r| r.answer));
    let group = format!("q-{}", question.id);
    view! {
        <fieldset class="question" data-testid="question" data-question=question.id>
            <legend>{question.text}</legend>
            <p class="help">{question.help}</p>
            <div class="choices" role="radiogroup" aria-label=question.text>
                {Answer::ALL.into_iter().map(|a| {
                    let group = group.clone();
                    view! {
                        <label class="choice">
                            <input
                                type="radio"
                                name=group
                                value=a.label()
                                data-testid=format!("answer-{}", a.code())
                                prop:checked=move || current() == Some(a)
                                on:change=move |_| answers.update(|s| s.set_answer(question.id, Some(a)))
                            />
                            <span>{a.label()}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}

#[component]
fn DownloadPanel(answers: RwSignal<Answers>) -> impl IntoView {
    let name = RwSignal::new(ProjectSpec::default().name);
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let name_error = move || name.with(|n| check_name(n));
    let download = move |_| {
        if name_error().is_some() {
            return;
        }
        let spec = ProjectSpec { name: name.get_untracked(), ..ProjectSpec::default() };
        busy.set(true);
        status.set("Generating…".to_string());
        let filename = format!("{}.zip", spec.name);
        let answers_now = answers.get_untracked();
        platform::worker::generate(&spec, &answers_now, true, move |reply| {
            busy.set(false);
            match reply.error {
                Some(e) => status.set(e),
                None => match platform::download::save_bytes(&reply.zip, &filename, "application/zip") {
                    Ok(()) => status.set(format!("Saved {filename} ({} files).", reply.files.len())),
                    Err(e) => status.set(e),
                },
            }
        });
    };
    view! {
        <section class="generator" aria-labelledby="gen-title">
            <h2 id="gen-title">"Generate a project"</h2>
            <div class="field">
                <label for="project-name">"Project name"</label>
                <input
                    id="project-name"
                    data-testid="project-name"
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    aria-invalid=move || name_error().is_some().to_string()
                    aria-describedby="project-name-msg"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                <p id="project-name-msg" class="field-msg" data-testid="project-name-error">
                    {move || name_error().unwrap_or_default()}
                </p>
            </div>
            <button
                data-testid="download"
                class="primary"
                disabled=move || name_error().is_some() || busy.get()
                on:click=download
            >
                "Download project"
            </button>
            <p class="status" role="status" data-testid="download-status">{move || status.get()}</p>
        </section>
    }
}
