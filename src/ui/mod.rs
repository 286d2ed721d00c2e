//! The browser UI: a thin layer of Leptos components over [`crate::core`].

mod autosave;
mod checklist;
mod compare;
mod existing;
mod explorer;
mod generate;
mod guide;
mod io;
mod links;
mod presenter;
mod question;
mod results;
mod review;
mod snapshots;
mod start;
pub mod state;
mod status;
mod team;
mod trend;

use leptos::prelude::*;

use crate::core::score::Decision;
use crate::platform::location;
use review::ReviewState;
use state::{percent_text, NoticeKind, Route, Store};

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
}

#[component]
pub fn App() -> impl IntoView {
    let store = Store::new();
    provide_context(store);
    store.init();
    // The generator worker loads after the first screen is up, and first sends the long texts
    // of the topics after the first (`core::content::texts`). Its bridge's chunk is requested
    // once the first screen is in the DOM, so issuing those requests does not hold it up.
    gloo::timers::callback::Timeout::new(0, move || leptos::task::spawn_local(start_worker(store)))
        .forget();
    let review = ReviewState::new(store);
    provide_context(review);
    let presenter = presenter::PresenterState::default();
    provide_context(presenter);

    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        store.apply_hash(&location::hash())
    });
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        if review::handle_key(store, review, &ev)
            || presenter::handle_key(store, review, presenter, &ev)
        {
            ev.prevent_default();
        }
    });
    Effect::new(move |_| {
        let large = store.large_type.get();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.class_list().toggle_with_force("large-type", large);
            // The presenter view hides the page chrome.
            let presenting = matches!(store.route.get(), Route::Present(_));
            let _ = root
                .class_list()
                .toggle_with_force("presenting", presenting);
        }
    });
    Effect::new(move |_| {
        let title = match store.route.get() {
            Route::Start => "Twelve-Factor Studio".to_string(),
            Route::Guide(i) => {
                format!("Step {} · Guided walkthrough · Twelve-Factor Studio", i + 1)
            }
            Route::Review => "Review · Twelve-Factor Studio".into(),
            Route::Results => "Results · Twelve-Factor Studio".into(),
            Route::Snapshots => "Snapshots · Twelve-Factor Studio".into(),
            Route::Generate => "Generate · Twelve-Factor Studio".into(),
            Route::Team => "Team review · Twelve-Factor Studio".into(),
            Route::Present(n) => format!("Presenter · question {} · Twelve-Factor Studio", n + 1),
        };
        if let Some(d) = web_sys::window().and_then(|w| w.document()) {
            d.set_title(&title);
        }
    });

    let screen = move || match store.route.get() {
        Route::Start => view! { <start::StartScreen/> }.into_any(),
        Route::Guide(step) => view! { <guide::GuideScreen step=step/> }.into_any(),
        Route::Review => view! { <review::ReviewScreen/> }.into_any(),
        Route::Results => lazy_screen(results_screen()),
        Route::Snapshots => lazy_screen(snapshots_screen()),
        Route::Generate => lazy_screen(generate_screen()),
        Route::Team => lazy_screen(team_screen()),
        Route::Present(n) => lazy_screen(presenter_screen(n)),
    };

    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href="#/"><span class="logo" aria-hidden="true">"12"</span>"Twelve-Factor Studio"</a>
            <nav class="mainnav" aria-label="Main">
                <NavLink label="Guided" target=Route::Guide(0)/>
                <NavLink label="Review" target=Route::Review/>
                <NavLink label="Results" target=Route::Results/>
                <NavLink label="Snapshots" target=Route::Snapshots/>
                <NavLink label="Generate" target=Route::Generate/>
                <NavLink label="Team" target=Route::Team/>
            </nav>
            <ScoreChip/>
        </header>
        <status::StorageNotice/>
        <status::WorkerNotice/>
        <status::NewerElsewhereNotice/>
        <status::UpdatePrompt/>
        <NoticeBar/>
        <team::TeamBanner/>
        {move || store.pending_share.with(Option::is_some).then(|| lazy_part(links::share_dialog(store)))}
        <main id="main" class="page" tabindex="-1">{screen}</main>
        <footer class="footer no-print">
            <p>"Everything stays in this browser. "
                <button class="link-button" data-testid="start-over" on:click=move |_| start_over(store)>"Start over"</button>
            </p>
        </footer>
    }
}

fn start_over(store: Store) {
    let ok = web_sys::window()
        .and_then(|w| w.confirm_with_message("Start over? This clears every answer, note, snapshot and setting saved in this browser. Export JSON first if you may need them.").ok())
        .unwrap_or(false);
    if ok {
        store.replace_work(Default::default(), Some(Default::default()), None);
        store.snapshots.set(Vec::new());
        store.team.set(None);
        store.last_download.set(None);
        store.info("Started over: all answers, snapshots and settings were cleared.");
        store.navigate(Route::Start);
    }
}

#[component]
fn NavLink(label: &'static str, target: Route) -> impl IntoView {
    let store = expect_context::<Store>();
    let active = move || match (store.route.get(), target) {
        (Route::Guide(_), Route::Guide(_)) => true,
        (a, b) => a == b,
    };
    let href = move || match target {
        Route::Guide(_) => Route::Guide(store.last_guide_step.get()).hash(),
        t => t.hash(),
    };
    view! {
        <a href=href class:active=active aria-current=move || active().then_some("page") data-testid=format!("nav-{}", label.to_lowercase())>
            {label}
        </a>
    }
}

#[component]
fn ScoreChip() -> impl IntoView {
    let store = expect_context::<Store>();
    let r = store.report;
    view! {
        <div class="score-chip" data-testid="score-chip" aria-live="polite" aria-atomic="true">
            <span class="chip-score">{move || percent_text(r.with(|r| r.overall.whole_percent()))}</span>
            <span class="chip-decision" class:go=move || r.with(|r| r.launch.decision == Decision::Go) data-testid="chip-decision"
                title=move || r.with(|r| r.launch.summary())>
                {move || r.with(|r| match r.launch.decision {
                    Decision::Go => "Go".to_string(),
                    Decision::NoGo => format!("No-go · {} open", r.launch.open_blockers.len()),
                })}
            </span>
            <span class="chip-level" data-testid="chip-level" title="Maturity level">{move || r.with(|r| r.level.level.name())}</span>
            <span class="chip-coverage">{move || r.with(|r| format!("{}/{} answered", r.overall.answered, r.overall.total))}</span>
        </div>
    }
}

#[component]
fn NoticeBar() -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <Show when=move || store.notice.with(Option::is_some)>
            {move || store.notice.get().map(|n| view! {
                <div class="notice" class:notice-error=n.kind == NoticeKind::Error role=if n.kind == NoticeKind::Error { "alert" } else { "status" } data-testid="notice">
                    <div class="notice-body">
                        <p>{n.text}</p>
                        {(!n.details.is_empty()).then(|| view! {
                            <details data-testid="notice-details">
                                <summary>"Which answers, and why"</summary>
                                <ul>{n.details.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul>
                            </details>
                        })}
                    </div>
                    <button class="link-button" aria-label="Dismiss message" on:click=move |_| store.notice.set(None)>"Dismiss"</button>
                </div>
            })}
        </Show>
    }
}

/// A screen's wasm chunk could not be fetched (offline before it was cached, blocked, 404).
pub struct ScreenUnavailable;

impl From<leptos::wasm_split::SplitLoaderError> for ScreenUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ScreenUnavailable
    }
}

// The screens after the checklist live in their own wasm chunks (split after linking by
// wasm-split-cli, see the Makefile), fetched on first navigation, so the first screen's module
// does not carry them. `fallible`: a chunk that cannot load is a message, not an abort.
#[leptos::wasm_split::wasm_split(results, wasm_split_path = ::leptos::wasm_split, fallible)]
fn results_screen() -> Result<AnyView, ScreenUnavailable> {
    Ok(view! { <results::ResultsScreen/> }.into_any())
}

#[leptos::wasm_split::wasm_split(snapshots, wasm_split_path = ::leptos::wasm_split, fallible)]
fn snapshots_screen() -> Result<AnyView, ScreenUnavailable> {
    Ok(view! { <snapshots::SnapshotsScreen/> }.into_any())
}

#[leptos::wasm_split::wasm_split(generate, wasm_split_path = ::leptos::wasm_split, fallible)]
fn generate_screen() -> Result<AnyView, ScreenUnavailable> {
    Ok(view! { <generate::GenerateScreen/> }.into_any())
}

#[leptos::wasm_split::wasm_split(team, wasm_split_path = ::leptos::wasm_split, fallible)]
fn team_screen() -> Result<AnyView, ScreenUnavailable> {
    Ok(view! { <team::TeamScreen/> }.into_any())
}

#[leptos::wasm_split::wasm_split(present, wasm_split_path = ::leptos::wasm_split, fallible)]
fn presenter_screen(n: usize) -> Result<AnyView, ScreenUnavailable> {
    Ok(view! { <presenter::PresenterScreen n=n/> }.into_any())
}

// The page's side of the generator worker (gloo-worker's bridge, bincode, the message types)
// is about 13 KB of the first screen's module (gzip) that the first question never uses: it
// comes in its own chunk, fetched once the first screen is up.
#[leptos::wasm_split::wasm_split(worker_bridge, wasm_split_path = ::leptos::wasm_split, fallible)]
fn start_worker_bridge(store: Store) -> Result<(), ScreenUnavailable> {
    store.load_long_texts();
    Ok(())
}

async fn start_worker(store: Store) {
    if start_worker_bridge(store).await.is_err() {
        store
            .worker_failure
            .set(Some("split_worker_bridge.wasm: did not download".into()));
    }
}

/// Shows a split screen once its chunk is loaded (at once when it already is).
fn lazy_screen(
    load: impl std::future::Future<Output = Result<AnyView, ScreenUnavailable>> + Send + 'static,
) -> AnyView {
    let shown = async move {
        match load.await {
            Ok(screen) => screen,
            Err(ScreenUnavailable) => view! {
                <div class="notice notice-error" role="alert" data-testid="screen-unavailable">
                    <p>"This screen could not be loaded: its part of the app did not download (offline before it was saved for offline use, or blocked by the network). Your work is safe in this browser. Reload the page when you are online."</p>
                    <button class="primary" data-testid="screen-reload" on:click=move |_| status::reload()>"Reload"</button>
                </div>
            }
            .into_any(),
        }
    };
    view! {
        <Suspense fallback=|| view! { <p class="screen-loading" role="status">"Loading…"</p> }>
            {Suspend::new(shown)}
        </Suspense>
    }
    .into_any()
}

/// Shows part of a screen once its chunk is loaded: nothing meanwhile (it sits below the
/// screen's own content and usually arrives within a moment), a short message if it cannot load.
fn lazy_part(
    load: impl std::future::Future<Output = Result<AnyView, ScreenUnavailable>> + Send + 'static,
) -> AnyView {
    let shown = async move {
        load.await.unwrap_or_else(|ScreenUnavailable| {
            view! {
                <p class="notice notice-error" role="alert" data-testid="part-unavailable">
                    "Part of this page could not be loaded: it did not download (offline before it was saved for offline use, or blocked by the network). Your work is safe in this browser; reload the page when you are online."
                </p>
            }
            .into_any()
        })
    };
    view! { <Suspense fallback=|| ()>{Suspend::new(shown)}</Suspense> }.into_any()
}
