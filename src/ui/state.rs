//! The app's state: core values wrapped in signals, loading, autosave and routing.

use leptos::prelude::*;

use crate::core::answers::{load_document, Answers, Document};
use crate::core::content;
use crate::core::score::{self, Report};
use crate::core::share;
use crate::core::spec::ProjectSpec;
use crate::core::sync::{Clock, Fields};
use crate::platform::{location, storage};

/// The screens. Each has a URL fragment, so Back and reload behave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Start,
    Guide(usize),
    Review,
    Results,
    Generate,
}

impl Route {
    pub fn hash(self) -> String {
        match self {
            Route::Start => "#/".into(),
            Route::Guide(step) => format!("#/guide/{}", step + 1),
            Route::Review => "#/review".into(),
            Route::Results => "#/results".into(),
            Route::Generate => "#/generate".into(),
        }
    }

    pub fn parse(hash: &str) -> Option<Route> {
        let path = hash.trim_start_matches('#');
        let steps = content::topics().count();
        match path {
            "" | "/" => Some(Route::Start),
            "/review" => Some(Route::Review),
            "/results" => Some(Route::Results),
            "/generate" => Some(Route::Generate),
            p => {
                let n: usize = p.strip_prefix("/guide/")?.parse().ok()?;
                Some(Route::Guide(n.clamp(1, steps) - 1))
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum NoticeKind {
    Info,
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

/// Shared work arriving by link while the browser already holds different work.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingShare {
    pub answers: Answers,
    pub spec: Option<ProjectSpec>,
}

/// Whether this tab's work reaches local storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageState {
    Saving,
    /// Storage is full, blocked or unavailable: work goes on in memory only.
    Failing,
    /// Another tab saved work with a newer version of the app; this tab stops saving so it
    /// cannot drop what it does not understand, and offers a reload.
    NewerElsewhere,
}

#[derive(Clone, Copy)]
pub struct Store {
    pub answers: RwSignal<Answers>,
    pub spec: RwSignal<ProjectSpec>,
    pub route: RwSignal<Route>,
    pub large_type: RwSignal<bool>,
    pub notice: RwSignal<Option<Notice>>,
    pub pending_share: RwSignal<Option<PendingShare>>,
    pub report: Memo<Report>,
    /// Whether saved work existed when the page opened (for "Resume").
    pub had_saved_work: RwSignal<bool>,
    pub last_guide_step: RwSignal<usize>,
    pub storage: RwSignal<StorageState>,
    /// When each field of the work last changed, in any tab (see `core::sync`).
    pub clock: StoredValue<Clock>,
    /// The work as last merged with storage; a difference from it is a change of this tab.
    pub synced: StoredValue<Fields>,
}

impl Store {
    pub fn new() -> Store {
        let answers = RwSignal::new(Answers::default());
        let report = Memo::new(move |_| answers.with(score::score));
        Store {
            answers,
            spec: RwSignal::new(ProjectSpec::default()),
            route: RwSignal::new(Route::Start),
            large_type: RwSignal::new(false),
            notice: RwSignal::new(None),
            pending_share: RwSignal::new(None),
            report,
            had_saved_work: RwSignal::new(false),
            last_guide_step: RwSignal::new(0),
            storage: RwSignal::new(StorageState::Saving),
            clock: StoredValue::new(Clock::new()),
            synced: StoredValue::new(Fields::new()),
        }
    }

    pub fn info(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            kind: NoticeKind::Info,
            text: text.into(),
        }));
    }

    pub fn error(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            kind: NoticeKind::Error,
            text: text.into(),
        }));
    }

    pub fn navigate(&self, route: Route) {
        self.route.set(route);
        if let Route::Guide(step) = route {
            self.last_guide_step.set(step);
        }
        if location::hash() != route.hash() {
            location::set_hash(&route.hash());
        }
        location::scroll_to_top();
    }

    /// Replaces the work (after import or an accepted share link).
    pub fn replace_work(&self, answers: Answers, spec: Option<ProjectSpec>) {
        self.answers.set(answers);
        if let Some(spec) = spec {
            self.spec.set(spec);
        }
    }

    pub fn document(&self) -> Document {
        Document::new(
            &self.answers.get_untracked(),
            Some(&self.spec.get_untracked()),
        )
    }

    pub fn share_url(&self) -> String {
        let code = share::encode(
            &self.answers.get_untracked(),
            Some(&self.spec.get_untracked()),
        );
        format!("{}#share={code}", location::base_url())
    }

    pub fn has_work(&self) -> bool {
        self.answers.with_untracked(|a| !a.responses.is_empty())
            || self.spec.with_untracked(|s| *s != ProjectSpec::default())
    }

    /// Loads saved work, applies a share link or route from the URL, and starts autosaving.
    pub fn init(&self) {
        if let Some(saved) = storage::get(storage::WORK_KEY) {
            let (json, _) = crate::core::sync::from_stored(&saved);
            match load_document(&json) {
                Ok(loaded) => {
                    let has = !loaded.answers.responses.is_empty();
                    self.answers.set(loaded.answers);
                    if let Some(spec) = loaded.project {
                        self.spec.set(spec);
                    }
                    self.had_saved_work.set(has);
                    if !loaded.dropped.is_empty() && !crate::core::sync::is_newer(&json) {
                        self.info(format!(
                            "Your saved work was from an older questionnaire: {} answer(s) to retired questions were set aside. Everything else is restored.",
                            loaded.dropped.len()
                        ));
                    }
                }
                Err(e) => {
                    storage::set(storage::BACKUP_KEY, &saved);
                    self.error(format!(
                        "Your saved work could not be read ({e}). It was kept in this browser's storage under \"{}\", and you are starting fresh.",
                        storage::BACKUP_KEY
                    ));
                }
            }
        }
        if let Some(prefs) = storage::get(storage::PREFS_KEY) {
            self.large_type.set(prefs.contains("large"));
        }
        self.apply_hash(&location::hash());

        let this = *self;
        super::autosave::start(this);
        Effect::new(move |_| {
            storage::set(
                storage::PREFS_KEY,
                if this.large_type.get() { "large" } else { "" },
            );
        });
    }

    /// Reacts to the URL fragment: a route, or a share link.
    pub fn apply_hash(&self, hash: &str) {
        if let Some(code) = hash.strip_prefix("#share=") {
            let fallback = self.route.get_untracked();
            location::replace_hash(&fallback.hash());
            match crate::core::limits::check_share_length(code).and_then(|()| share::decode(code)) {
                Err(e) => self.error(e),
                Ok((answers, spec)) => {
                    let same = self.answers.with_untracked(|a| *a == answers)
                        && spec
                            .as_ref()
                            .is_none_or(|s| self.spec.with_untracked(|cur| cur == s));
                    if same {
                        self.info("This share link holds the same work you already have.");
                    } else if self.has_work() {
                        self.pending_share.set(Some(PendingShare { answers, spec }));
                    } else {
                        self.replace_work(answers, spec);
                        self.info("Loaded the shared assessment.");
                        self.navigate(Route::Results);
                    }
                }
            }
            return;
        }
        match Route::parse(hash) {
            Some(route) => {
                if self.route.get_untracked() != route {
                    location::scroll_to_top();
                }
                self.route.set(route);
                if let Route::Guide(step) = route {
                    self.last_guide_step.set(step);
                }
            }
            None => {
                self.route.set(Route::Start);
                location::replace_hash(&Route::Start.hash());
            }
        }
    }
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

pub fn use_store() -> Store {
    expect_context::<Store>()
}

pub fn percent_text(p: Option<u32>) -> String {
    p.map(|p| format!("{p}%")).unwrap_or_else(|| "n/a".into())
}
