//! Results: level and explanation, coverage, chart, blockers, the improvement plan, export.

use leptos::prelude::*;

use super::checklist::ChecklistBox;
use super::io::{ExportBar, ImportBox};
use super::state::{percent_text, use_store, Route};

use crate::core::score::{Decision, PlanItem, Report, TopicScore};
use crate::platform::worker::{self, FilePaths};

#[component]
pub fn ResultsScreen() -> impl IntoView {
    let store = use_store();
    let r = store.report;
    // The generated files' paths come from the worker, so this module does not link the
    // generator's tables; until they arrive the plan shows no file links.
    let paths = RwSignal::new(FilePaths::new());
    // `try_set`: the reply may come after the user left the screen.
    Effect::new(move |_| {
        worker::paths(&store.spec.get(), move |p| {
            paths.try_set(p);
        })
    });
    view! {
        <div class="results" data-testid="results-screen">
            <section class="card summary" aria-labelledby="results-title">
                <h2 id="results-title">"Results"</h2>
                <div class="summary-grid">
                    <div class="big-figure">
                        <span class="figure decision" class:go=move || r.with(|r| r.launch.decision == Decision::Go) data-testid="launch-decision">
                            {move || r.with(|r| r.launch.decision.label())}
                        </span>
                        <span class="caption">"launch decision"</span>
                    </div>
                    <div class="big-figure">
                        <span class="figure level" data-testid="level">{move || r.with(|r| r.level.level.name())}</span>
                        <span class="caption">{move || r.with(|r| format!("maturity level {} of 4", r.level.level.number()))}</span>
                    </div>
                    <div class="big-figure">
                        <span class="figure" data-testid="overall-score">{move || percent_text(r.with(|r| r.overall.whole_percent()))}</span>
                        <span class="caption">"overall score"</span>
                    </div>
                    <div class="big-figure">
                        <span class="figure" data-testid="coverage">{move || r.with(|r| format!("{} of {}", r.overall.answered, r.overall.total))}</span>
                        <span class="caption">"questions answered"</span>
                    </div>
                </div>
                <p class="subscores">
                    {move || r.with(|r| {
                        let team = if r.team.total > 0 { format!(" · Team checklist: {}", percent_text(r.team.whole_percent())) } else { String::new() };
                        format!("Twelve factors: {} · Deployment readiness: {}{team}", percent_text(r.factors.whole_percent()), percent_text(r.readiness.whole_percent()))
                    })}
                </p>
                <div class="verdicts">
                    <div class="verdict" data-testid="launch-reasons">
                        <h3>{move || r.with(|r| format!("Launch decision: {}", r.launch.summary()))}</h3>
                        <ul class="reasons">{move || r.with(|r| r.launch.reasons.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view())}</ul>
                    </div>
                    <div class="verdict" data-testid="level-reasons">
                        <h3>{move || r.with(|r| format!("Maturity level: {}", r.level.level.name()))}</h3>
                        <p class="level-meaning">{move || r.with(|r| r.level.level.meaning())}</p>
                        <ul class="reasons">{move || r.with(|r| r.level.reasons.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view())}</ul>
                        {move || r.with(missing_view)}
                    </div>
                </div>
            </section>
            <super::team::TeamResults/>
            <section class="card" aria-labelledby="chart-title">
                <h2 id="chart-title">"Score by factor and section"</h2>
                {move || r.with(chart)}
            </section>
            {move || r.with(blockers_view)}
            <section class="card" aria-labelledby="next-title" data-testid="next-actions-card">
                <h2 id="next-title">{move || r.with(|r| format!("Next {} actions", r.next_actions().len()))}</h2>
                <p class="muted">"Open launch blockers first, then the best importance for the effort (a small task that closes an important gap comes before a large one)."</p>
                {move || { store.long_texts.track(); paths.with(|paths| r.with(|r| plan_list(&r.next_actions(), paths, "next-action"))) }}
            </section>
            <section class="card" aria-labelledby="plan-title">
                <h2 id="plan-title">{move || r.with(|r| format!("Full improvement plan ({} open)", r.plan.len()))}</h2>
                <p class="muted">"Launch blockers first, then by importance times what is missing (No counts fully, Partly half)."</p>
                {move || { store.long_texts.track(); paths.with(|paths| r.with(|r| plan_list(&r.plan.iter().collect::<Vec<_>>(), paths, "plan-item"))) }}
            </section>
            <ExportBar/>
            <ImportBox/>
            <ChecklistBox/>
            <div class="pager no-print">
                <button on:click=move |_| store.navigate(Route::Review)>"Back to review"</button>
                <button data-testid="to-snapshots" on:click=move |_| store.navigate(Route::Snapshots)>"Save a snapshot or compare"</button>
                <button class="primary" on:click=move |_| store.navigate(Route::Generate)>"Generate the scaffold →"</button>
            </div>
        </div>
    }
}

/// The questions the next level still needs, folded away.
fn missing_view(r: &Report) -> AnyView {
    let Some(next) = r
        .level
        .next
        .filter(|_| !r.level.missing_for_next.is_empty())
    else {
        return ().into_any();
    };
    let items = r
        .level
        .missing_for_next
        .iter()
        .map(|q| view! { <li>{q.text}{q.blocker.then(|| view! { " " <span class="badge badge-blocker">"Launch blocker"</span> })}</li> })
        .collect_view();
    view! {
        <details class="missing">
            <summary data-testid="missing-summary">{format!("What {} needs ({} questions)", next.name(), r.level.missing_for_next.len())}</summary>
            <ul>{items}</ul>
        </details>
    }
    .into_any()
}

/// The open launch blockers, each with how it is answered now.
fn blockers_view(r: &Report) -> AnyView {
    if r.launch.open_blockers.is_empty() {
        return ().into_any();
    }
    let items = r
        .launch
        .open_blockers
        .iter()
        .map(|q| view! { <li>{q.text}</li> })
        .collect_view();
    view! {
        <section class="card blockers" aria-labelledby="blockers-title" data-testid="blockers">
            <h2 id="blockers-title">{format!("Open launch blockers ({})", r.launch.open_blockers.len())}</h2>
            <p>"The launch decision stays No-go until each of these is answered Yes, or N/A with a reason. Partly does not meet a blocker."</p>
            <ul>{items}</ul>
        </section>
    }
    .into_any()
}

fn plan_list(items: &[&PlanItem], paths: &FilePaths, testid: &'static str) -> AnyView {
    if items.is_empty() {
        return view! { <p data-testid="plan-empty">"Nothing open: every applicable question is answered Yes."</p> }.into_any();
    }
    let items = items
        .iter()
        .map(|item| plan_item_view(item, paths, testid))
        .collect_view();
    view! { <ol class="plan" data-testid=format!("{testid}s")>{items}</ol> }.into_any()
}

fn plan_item_view(item: &PlanItem, paths: &FilePaths, testid: &'static str) -> impl IntoView {
    let status = item.answer.map(|a| a.label()).unwrap_or("Unanswered");
    let links = item
        .files
        .iter()
        .flat_map(|f| paths.iter().filter(move |(id, _)| id == f))
        .flat_map(|(_, paths)| paths.iter().cloned())
        .map(|path| view! { <a href=Route::generate_file_hash(&path) class="file-link"><code>{path.clone()}</code></a> " " })
        .collect_view();
    view! {
        <li class="plan-item" class:blocker=item.question.blocker data-testid=testid>
            <p class="plan-q">
                <strong>{item.question.text}</strong>
                {item.question.blocker.then(|| view! { " " <span class="badge badge-blocker">"Launch blocker"</span> })}
            </p>
            <p class="plan-meta">{format!("{} · {} · weight {} · effort {}", item.topic.title, status, item.question.weight, item.effort.label().to_lowercase())}</p>
            <p>{item.question.remediation()}</p>
            {(!item.files.is_empty()).then(|| view! { <p class="plan-files">"Generated files that help: " {links}</p> })}
        </li>
    }
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
            let label = t.topic.heading();
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
                t.topic.heading(),
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
