//! The guided walkthrough: one topic per step.

use leptos::prelude::*;

use super::question::QuestionCard;
use super::state::{percent_text, use_store, Route};
use crate::core::content::{self, Topic, TopicKind};

#[component]
pub fn GuideScreen(step: usize) -> impl IntoView {
    let store = use_store();
    let topics: Vec<&'static Topic> = content::topics().collect();
    let total = topics.len();
    let step = step.min(total - 1);
    let topic = topics[step];
    let topic_score = move || {
        store.report.with(|r| {
            r.topic(topic.id)
                .map(|t| (t.tally.whole_percent(), t.tally.answered, t.tally.total))
        })
    };
    let progress = ((step + 1) * 100 / total) as u32;

    let steps = topics
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let id = t.id;
            let done = move || {
                store.report.with(|r| {
                    r.topic(id)
                        .is_some_and(|s| s.tally.answered == s.tally.total)
                })
            };
            let label = short_label(t);
            view! {
                <li class:active=i == step class:done=done>
                    <a
                        href=Route::Guide(i).hash()
                        aria-current=(i == step).then_some("step")
                        title=format!("{}: {}", t.label(), t.title)
                    >
                        {label}
                        <span class="visually-hidden">{format!(" {}", t.title)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();

    view! {
        <div class="guide" data-testid="guide-screen">
            <nav class="steps" aria-label="Walkthrough steps">
                <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=progress aria-label="Walkthrough progress">
                    <div class="progress-bar" style:width=format!("{progress}%")></div>
                </div>
                <p class="step-count" data-testid="step-count">
                    {format!("Step {} of {total}: {}", step + 1, topic.title)}
                </p>
                <ol class="step-list">{steps}</ol>
            </nav>
            <article class="topic card" aria-labelledby="topic-title">
                <p class="eyebrow">{topic.label()}</p>
                <h2 id="topic-title" tabindex="-1">{topic.title}</h2>
                <p class="principle">{topic.principle}</p>
                <p>{store.long_text(move || topic.why())}</p>
                <div class="examples">
                    <div class="example good"><h3>"Looks like"</h3><p>{store.long_text(move || topic.looks_like())}</p></div>
                    <div class="example bad"><h3>"Watch out for"</h3><p>{store.long_text(move || topic.watch_out())}</p></div>
                </div>
                <p class="topic-score" data-testid="topic-score">
                    {move || topic_score().map(|(p, a, t)| format!("This {}: {} · {a} of {t} answered", kind_word(topic), percent_text(p))).unwrap_or_default()}
                </p>
                {topic.questions.iter().map(|q| view! { <QuestionCard question=q show_remediation=true/> }).collect_view()}
            </article>
            <div class="pager">
                <button
                    data-testid="back"
                    disabled=step == 0
                    on:click=move |_| store.navigate(Route::Guide(step.saturating_sub(1)))
                >
                    "← Back"
                </button>
                {if step + 1 < total {
                    let next = topics[step + 1];
                    view! {
                        <button class="primary" data-testid="next" on:click=move |_| store.navigate(Route::Guide(step + 1))>
                            {format!("Next: {} →", next.title)}
                        </button>
                    }.into_any()
                } else {
                    view! {
                        <button class="primary" data-testid="next" on:click=move |_| store.navigate(Route::Results)>
                            "See results →"
                        </button>
                    }.into_any()
                }}
            </div>
        </div>
    }
}

fn kind_word(t: &Topic) -> &'static str {
    match t.kind {
        TopicKind::Factor => "factor",
        TopicKind::Readiness => "section",
        TopicKind::Team => "team topic",
    }
}

fn short_label(t: &Topic) -> String {
    match t.kind {
        TopicKind::Factor => content::roman(t.number).to_string(),
        TopicKind::Readiness => format!("R{}", t.number),
        TopicKind::Team => format!("T{}", t.number),
    }
}
