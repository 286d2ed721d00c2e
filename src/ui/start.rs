//! The start screen.

use leptos::prelude::*;

use super::checklist::ChecklistBox;
use super::io::ImportBox;
use super::state::{use_store, Route};
use crate::core::content;

#[component]
pub fn StartScreen() -> impl IntoView {
    let store = use_store();
    let answered = move || store.report.with(|r| r.overall.answered);
    let total = store.report.with_untracked(|r| r.overall.total);
    let resume = move |_| {
        let step = store.last_guide_step.get_untracked();
        store.navigate(Route::Guide(step));
    };
    view! {
        <section class="hero card" data-testid="start-screen" aria-labelledby="start-title">
            <h2 id="start-title">"How ready is your service for production?"</h2>
            <p class="lead">
                "Walk through the twelve factors and "
                {content::readiness_sections().count()}
                " deployment-readiness checklists, and get a Go / No-go launch decision, a maturity level and a prioritised improvement plan, each explained. "
                "Then generate a deploy-ready scaffold (Dockerfile, compose, CI, Procfile, runbook) as a zip."
            </p>
            <div class="actions">
                <Show when=move || { answered() > 0 }>
                    <button class="primary" data-testid="resume" on:click=resume>
                        {move || format!("Resume ({} of {total} answered)", answered())}
                    </button>
                </Show>
                <button
                    class=move || { if answered() > 0 { "secondary" } else { "primary" } }
                    data-testid="start-guided"
                    on:click=move |_| store.navigate(Route::Guide(0))
                >
                    "Start guided walkthrough"
                </button>
                <button data-testid="start-review" on:click=move |_| store.navigate(Route::Review)>
                    "Run a review"
                </button>
                <button data-testid="start-generate" on:click=move |_| store.navigate(Route::Generate)>
                    "Generate a project"
                </button>
            </div>
            <dl class="modes">
                <div>
                    <dt>"Guided walkthrough"</dt>
                    <dd>"One factor or section at a time, with the reasoning behind it. Good for onboarding."</dd>
                </div>
                <div>
                    <dt>"Review"</dt>
                    <dd>"Everything on one page, keyboard-first, large type for a projector. Good for meetings."</dd>
                </div>
            </dl>
            <p class="privacy" data-testid="privacy">
                <strong>"Private by design. "</strong>
                "Everything stays in this browser: answers are saved automatically in its local storage (key "
                <code>"tfstudio.work.v1"</code>
                ") and nothing is sent to any server. Share links carry the work in the part of the address after #, which browsers never send."
            </p>
        </section>
        {super::lazy_part(import_boxes())}
    }
}

// Importing a file and adding a team checklist are about 15 KB of the first screen's module
// (gzip); they sit below the start screen's own text, so they come in their own chunk.
#[leptos::wasm_split::wasm_split(start_boxes, wasm_split_path = ::leptos::wasm_split, fallible)]
fn import_boxes() -> Result<AnyView, super::ScreenUnavailable> {
    Ok(view! { <ImportBox/> <ChecklistBox/> }.into_any())
}
