//! Results: level and explanation, coverage, chart, blockers, the improvement plan, export.

use leptos::prelude::*;

use super::io::{ExportBar, ImportBox};
use super::state::{percent_text, use_store, Route};
use crate::core::content::{self, TopicKind};
use crate::core::score::{Report, TopicScore};

#[component]
pub fn ResultsScreen() -> impl IntoView {
    let store = use_store();
    let r = store.report;
    let level = move || r.with(|r| r.level.level);
    let reasons = move || r.with(|r| r.level.reasons.clone());
    let missing = move || {
        r.with(|r| {
            r.level
                .missing_for_next
                .iter()
                .map(|q| (q.id, q.text, q.blocker))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="results" data-testid="results-screen">
            <section class="card summary" aria-labelledby="results-title">
                <h2 id="results-title">"Results"</h2>
                <div class="summary-grid">
                    <div class="big-figure">
                        <span class="figure" data-testid="overall-score">{move || percent_text(r.with(|r| r.overall.whole_percent()))}</span>
                        <span class="caption">"overall score"</span>
                    </div>
                    <div class="big-figure">
                        <span class="figure level" data-testid="level">{move || level().name()}</span>
                        <span class="caption">{move || format!("level {} of 4", level().number())}</span>
                    </div>
                    <div class="big-figure">
                        <span class="figure" data-testid="coverage">{move || r.with(|r| format!("{} of {}", r.overall.answered, r.overall.total))}</span>
                        <span class="caption">"questions answered"</span>
                    </div>
                </div>
                <p class="level-meaning">{move || level().meaning()}</p>
                <ul class="reasons" data-testid="level-reasons">
                    {move || reasons().into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                </ul>
                <Show when=move || !missing().is_empty()>
                    <details class="missing">
                        <summary data-testid="missing-summary">
                            {move || r.with(|r| r.level.next.map(|n| format!("What {} needs ({} questions)", n.name(), r.level.missing_for_next.len())).unwrap_or_default())}
                        </summary>
                        <ul>
                            {move || missing().into_iter().map(|(_, text, blocker)| view! {
                                <li>{text}{blocker.then(|| view! { " " <span class="badge badge-blocker">"Launch blocker"</span> })}</li>
                            }).collect_view()}
                        </ul>
                    </details>
                </Show>
                <p class="subscores">
                    {move || r.with(|r| format!("Twelve factors: {} · Deployment readiness: {}", percent_text(r.factors.whole_percent()), percent_text(r.readiness.whole_percent())))}
                </p>
            </section>
            <section class="card" aria-labelledby="chart-title">
                <h2 id="chart-title">"Score by factor and section"</h2>
                {move || r.with(chart)}
            </section>
            <Show when=move || r.with(|r| !r.level.open_blockers.is_empty())>
                <section class="card blockers" aria-labelledby="blockers-title" data-testid="blockers">
                    <h2 id="blockers-title">"Open launch blockers"</h2>
                    <p>"Each of these is answered No or not yet answered. Until all are met, the level stays at Foundation or below."</p>
                    <ul>
                        {move || r.with(|r| r.level.open_blockers.iter().map(|q| view! { <li>{q.text}</li> }).collect_view())}
                    </ul>
                </section>
            </Show>
            <section class="card" aria-labelledby="plan-title">
                <h2 id="plan-title">"Improvement plan"</h2>
                <p class="muted">"Launch blockers first, then by importance times what is missing (No counts fully, Partly half)."</p>
                {move || r.with(plan_view)}
            </section>
            <ExportBar/>
            <ImportBox/>
            <div class="pager no-print">
                <button on:click=move |_| store.navigate(Route::Review)>"Back to review"</button>
                <button class="primary" on:click=move |_| store.navigate(Route::Generate)>"Generate the scaffold →"</button>
            </div>
        </div>
    }
}

fn plan_view(r: &Report) -> AnyView {
    if r.plan.is_empty() {
        return view! { <p data-testid="plan-empty">"Nothing open: every applicable question is answered Yes."</p> }.into_any();
    }
    let items = r
        .plan
        .iter()
        .map(|item| {
            let status = item.answer.map(|a| a.label()).unwrap_or("Unanswered");
            let files = item.files.iter().map(|f| f.label()).collect::<Vec<_>>().join(", ");
            view! {
                <li class="plan-item" class:blocker=item.question.blocker data-testid="plan-item">
                    <p class="plan-q">
                        <strong>{item.question.text}</strong>
                        {item.question.blocker.then(|| view! { " " <span class="badge badge-blocker">"Launch blocker"</span> })}
                    </p>
                    <p class="plan-meta">{format!("{} · {} · weight {}", item.topic.title, status, item.question.weight)}</p>
                    <p>{item.question.remediation}</p>
                    {(!files.is_empty()).then(|| view! {
                        <p class="plan-files">"Generated files that help: " <a href=Route::Generate.hash()>{files}</a></p>
                    })}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="plan" data-testid="plan">{items}</ol> }.into_any()
}

/// A horizontal bar chart in SVG: readable in print and grayscale (values are written out).
fn chart(r: &Report) -> AnyView {
    let rows: Vec<&TopicScore> = r.topics.iter().collect();
    let row_h = 26.0;
    let label_w = 230.0;
    let bar_w = 380.0;
    let height = rows.len() as f64 * row_h + 30.0;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let y = 20.0 + i as f64 * row_h;
            let p = t.tally.percent();
            let w = p.unwrap_or(0.0) / 100.0 * bar_w;
            let label = match t.topic.kind {
                TopicKind::Factor => format!("{}. {}", content::roman(t.topic.number), t.topic.title),
                TopicKind::Readiness => t.topic.title.to_string(),
            };
            let class = match t.tally.whole_percent() {
                None => "bar bar-na",
                Some(p) if p >= 80 => "bar bar-good",
                Some(p) if p >= 50 => "bar bar-mid",
                Some(_) => "bar bar-low",
            };
            let value = format!("{}{}", percent_text(t.tally.whole_percent()), if t.open_blockers > 0 { " ⚠" } else { "" });
            view! {
                <g>
                    <text x=label_w - 8.0 y=y + 16.0 text-anchor="end" class="chart-label">{label}</text>
                    <rect x=label_w y=y + 4.0 width=bar_w height=row_h - 8.0 class="bar-track"/>
                    <rect x=label_w y=y + 4.0 width=w height=row_h - 8.0 class=class/>
                    <text x=label_w + bar_w + 8.0 y=y + 16.0 class="chart-value">{value}</text>
                </g>
            }
        })
        .collect_view();
    let summary = rows
        .iter()
        .map(|t| {
            format!(
                "{} {}",
                t.topic.title,
                percent_text(t.tally.whole_percent())
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <svg class="chart" data-testid="chart" viewBox=format!("0 0 {} {height}", label_w + bar_w + 70.0) role="img" aria-label=format!("Scores: {summary}")>
            <line x1=label_w y1="14" x2=label_w y2=height - 6.0 class="axis"/>
            <text x=label_w y="10" class="chart-tick">"0%"</text>
            <text x=label_w + bar_w y="10" text-anchor="end" class="chart-tick">"100%"</text>
            {bars}
        </svg>
        <p class="muted chart-note">"⚠ marks a topic with an open launch blocker. n/a: every question in the topic is marked not applicable."</p>
    }
    .into_any()
}
