//! The app's state: core values wrapped in signals, loading, autosave and routing.

use leptos::prelude::*;

use crate::core::answers::{load_document, Answers, Document};
use crate::core::changes::LastDownload;
use crate::core::content;
use crate::core::content::custom::{self, Checklist};
use crate::core::content::texts;
use crate::core::score::{self, Report};
use crate::core::share;
use crate::core::snapshot::Snapshot;
use crate::core::spec::ProjectSpec;
use crate::core::sync::{Clock, Fields};
use crate::core::team::TeamReview;
use crate::core::upgrade::DroppedAnswer;
use crate::platform::{location, storage};

/// The screens. Each has a URL fragment, so Back and reload behave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Start,
    Guide(usize),
    Review,
    Results,
    /// Snapshots, the trend and comparisons (`ui::snapshots`).
    Snapshots,
    Generate,
    /// Team review: start one, invite, merge responses (`#/team`).
    Team,
    /// Presenter view of one question, by its position in the content (`#/present/3`).
    Present(usize),
}

impl Route {
    pub fn hash(self) -> String {
        match self {
            Route::Start => "#/".into(),
            Route::Guide(step) => format!("#/guide/{}", step + 1),
            Route::Review => "#/review".into(),
            Route::Results => "#/results".into(),
            Route::Snapshots => "#/snapshots".into(),
            Route::Generate => "#/generate".into(),
            Route::Team => "#/team".into(),
            Route::Present(n) => format!("#/present/{}", n + 1),
        }
    }

    /// The Generate screen with one file selected: `#/generate?file=Dockerfile`.
    pub fn generate_file_hash(path: &str) -> String {
        format!(
            "{}?file={}",
            Route::Generate.hash(),
            js_sys::encode_uri_component(path)
        )
    }

    /// The file a `#/generate?file=…` fragment selects.
    pub fn generate_file(hash: &str) -> Option<String> {
        let query = hash.trim_start_matches('#').strip_prefix("/generate?")?;
        let encoded = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("file="))?;
        js_sys::decode_uri_component(encoded).ok().map(String::from)
    }

    pub fn parse(hash: &str) -> Option<Route> {
        let hash = hash.trim_start_matches('#');
        let path = hash.split_once('?').map_or(hash, |(path, _)| path);
        let steps = content::topics().count();
        match path {
            "" | "/" => Some(Route::Start),
            "/review" => Some(Route::Review),
            "/results" => Some(Route::Results),
            "/snapshots" => Some(Route::Snapshots),
            "/generate" => Some(Route::Generate),
            "/team" => Some(Route::Team),
            p if p.starts_with("/present/") => {
                let n: usize = p.strip_prefix("/present/")?.parse().ok()?;
                Some(Route::Present(n.clamp(1, content::questions().count()) - 1))
            }
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
    /// Items listed under the text, folded (for example each answer an upgrade left out).
    pub details: Vec<String>,
}

/// Shared work arriving by link while the browser already holds different work.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingShare {
    pub answers: Answers,
    pub spec: Option<ProjectSpec>,
    pub checklist: Option<Checklist>,
    /// Answers the link held that could not be carried over to this questionnaire.
    pub dropped: Vec<DroppedAnswer>,
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
    /// The team's own checklist in use; change it only with [`Store::set_checklist`].
    pub checklist: RwSignal<Option<Checklist>>,
    /// Whether saved work existed when the page opened (for "Resume").
    pub had_saved_work: RwSignal<bool>,
    pub last_guide_step: RwSignal<usize>,
    pub storage: RwSignal<StorageState>,
    /// When each field of the work last changed, in any tab (see `core::sync`).
    pub clock: StoredValue<Clock>,
    /// The work as last merged with storage; a difference from it is a change of this tab.
    pub synced: StoredValue<Fields>,
    /// Saved states of the answers, part of the saved work and the JSON export.
    pub snapshots: RwSignal<Vec<Snapshot>>,
    /// The team review this browser runs or takes part in (`ui::team`); saved with the work.
    pub team: RwSignal<Option<TeamReview>>,
    /// Whether the long content texts this build leaves out have arrived from the worker
    /// (`core::content::texts`).
    pub long_texts: RwSignal<bool>,
    /// Why the generator worker did not load, once it is known it did not: no generation and
    /// no later long texts until a reload.
    pub worker_failure: RwSignal<Option<String>>,
    /// The settings and answers of the last zip saved: the Generate screen marks what changed
    /// since. Saved, synced and exported with the work.
    pub last_download: RwSignal<Option<LastDownload>>,
}

impl Store {
    /// A long content text (`core::content::texts`): empty until the worker has sent it, then
    /// shown in place.
    pub fn long_text(
        self,
        text: impl Fn() -> &'static str + Copy + 'static,
    ) -> impl Fn() -> &'static str + Copy + 'static {
        move || {
            self.long_texts.track();
            text()
        }
    }

    /// Asks the worker for the long texts this build leaves out and shows them when they come.
    pub fn load_long_texts(self) {
        crate::platform::worker::on_failure(move |reason| self.worker_failure.set(Some(reason)));
        crate::platform::worker::long_texts(move |texts| {
            texts::install(texts);
            self.long_texts.set(true);
        });
    }

    pub fn new() -> Store {
        let answers = RwSignal::new(Answers::default());
        let checklist = RwSignal::new(None::<Checklist>);
        // The installed checklist adds topics to the content, so the report follows it too.
        let report = Memo::new(move |_| {
            checklist.track();
            answers.with(score::score)
        });
        Store {
            answers,
            checklist,
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
            snapshots: RwSignal::new(Vec::new()),
            team: RwSignal::new(None),
            long_texts: RwSignal::new(texts::installed()),
            worker_failure: RwSignal::new(None),
            last_download: RwSignal::new(None),
        }
    }

    pub fn info(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            kind: NoticeKind::Info,
            text: text.into(),
            details: Vec::new(),
        }));
    }

    pub fn error(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            kind: NoticeKind::Error,
            text: text.into(),
            details: Vec::new(),
        }));
    }

    /// Tells the user what was loaded and lists, one by one, the answers an upgrade left out.
    pub fn loaded(&self, what: &str, dropped: &[DroppedAnswer]) {
        let text = if dropped.is_empty() {
            format!("{what}.")
        } else {
            format!(
                "{what}. It was written for an earlier version of the questionnaire: {} {} could not be carried over (see which and why); everything else was kept.",
                dropped.len(),
                if dropped.len() == 1 { "answer" } else { "answers" }
            )
        };
        self.notice.set(Some(Notice {
            kind: NoticeKind::Info,
            text,
            details: dropped.iter().map(DroppedAnswer::describe).collect(),
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
    /// Installs the team's checklist (or removes it with `None`) and tells everything that
    /// reads the content.
    pub fn set_checklist(&self, checklist: Option<Checklist>) {
        custom::install(checklist.as_ref());
        self.checklist.set(checklist);
    }

    pub fn replace_work(
        &self,
        answers: Answers,
        spec: Option<ProjectSpec>,
        checklist: Option<Checklist>,
    ) {
        self.set_checklist(checklist);
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
        .with_snapshots(self.snapshots.get_untracked())
        .with_team(self.team.get_untracked())
        .with_last_download(self.last_download.get_untracked())
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
                    self.set_checklist(loaded.checklist);
                    self.answers.set(loaded.answers);
                    self.snapshots.set(loaded.snapshots);
                    if let Some(spec) = loaded.project {
                        self.spec.set(spec);
                    }
                    self.had_saved_work.set(has);
                    self.team.set(loaded.team);
                    self.last_download.set(loaded.last_download);
                    if !loaded.dropped.is_empty() {
                        storage::set(storage::PRE_UPGRADE_KEY, &saved);
                        // Work from a newer version is not "upgraded": this tab stops saving
                        // and offers the reload instead (see autosave).
                        if !crate::core::sync::is_newer(&json) {
                            self.loaded("Restored your saved work", &loaded.dropped);
                        }
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
        // Share links, team review invitations and responses load their own chunk.
        if super::links::is_link(hash) {
            super::links::open(*self, hash);
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
