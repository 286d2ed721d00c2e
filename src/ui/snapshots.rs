//! Snapshots: save the answers as they stand, list, rename and delete them, see the trend of
//! score and level, and compare two states (snapshots, the current work or an imported file).
//!
//! The logic lives in `core::snapshot` and `core::compare`; this screen only holds what the
//! user picked. The pair being compared is kept in the URL (`#/snapshots?before=s2&after=now`)
//! so a reload shows the same comparison.

use leptos::prelude::*;

use super::state::{use_store, Store};
use crate::core::answers::{load_document, Answers};
use crate::core::compare::{self, compare, delta_text, pct, Comparison, Direction};
use crate::core::content::{Level, CONTENT_VERSION};
use crate::core::score::Decision;
use crate::core::snapshot::{self, display_date, Draft, FieldErrors, TrendPoint};
use crate::core::upgrade::DroppedAnswer;
use crate::platform::{clock, download, location};

/// One side of a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Now,
    Snapshot(u32),
    File,
}

impl Source {
    fn key(self) -> String {
        match self {
            Source::Now => "now".into(),
            Source::Snapshot(id) => format!("s{id}"),
            Source::File => "file".into(),
        }
    }

    fn parse(key: &str) -> Option<Source> {
        match key {
            "now" => Some(Source::Now),
            "file" => Some(Source::File),
            k => k.strip_prefix('s')?.parse().ok().map(Source::Snapshot),
        }
    }
}

/// A file picked for comparison, already upgraded to the current questionnaire.
#[derive(Clone, Debug, PartialEq)]
struct PickedFile {
    name: String,
    answers: Answers,
    dropped: Vec<DroppedAnswer>,
    from_version: u32,
}

/// What the user picked to compare; shared by the list and the compare panel.
#[derive(Clone, Copy)]
struct Picks {
    before: RwSignal<Option<Source>>,
    after: RwSignal<Option<Source>>,
    file: RwSignal<Option<PickedFile>>,
}

impl Picks {
    /// From the URL, else the latest snapshot against the current work.
    fn new(store: Store) -> Picks {
        let hash = location::hash();
        let query = hash.split_once('?').map_or("", |(_, q)| q);
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
                .and_then(Source::parse)
                .filter(|s| *s != Source::File)
        };
        let latest = store.snapshots.with_untracked(|s| {
            snapshot::chronological(s)
                .last()
                .map(|s| Source::Snapshot(s.id))
        });
        Picks {
            before: RwSignal::new(param("before").or(latest)),
            after: RwSignal::new(param("after").or(Some(Source::Now))),
            file: RwSignal::new(None),
        }
    }

    fn show(&self, before: Source, after: Source) {
        self.before.set(Some(before));
        self.after.set(Some(after));
    }
}

/// One side resolved: its name, its answers, and what its upgrade left out.
struct Side {
    name: String,
    answers: Answers,
    upgrade_note: Option<(String, Vec<String>)>,
}

fn upgrade_note(
    what: &str,
    from_version: u32,
    dropped: &[DroppedAnswer],
) -> Option<(String, Vec<String>)> {
    if from_version >= CONTENT_VERSION && dropped.is_empty() {
        return None;
    }
    let text = match dropped.len() {
        0 => format!("{what} was written for version {from_version} of the questionnaire; every answer was carried over to version {CONTENT_VERSION}."),
        n => format!(
            "{what} was written for version {from_version} of the questionnaire: {n} {} could not be carried over to version {CONTENT_VERSION} and {} compared as unanswered.",
            if n == 1 { "answer" } else { "answers" },
            if n == 1 { "is" } else { "are" }
        ),
    };
    Some((text, dropped.iter().map(DroppedAnswer::describe).collect()))
}

fn resolve(store: Store, picks: Picks, source: Source) -> Option<Side> {
    match source {
        Source::Now => Some(Side {
            name: "Current work".into(),
            answers: store.answers.get(),
            upgrade_note: None,
        }),
        Source::Snapshot(id) => store.snapshots.with(|list| {
            let s = list.iter().find(|s| s.id == id)?;
            let loaded = s.upgraded();
            let name = format!("\u{201c}{}\u{201d} ({})", s.label, display_date(&s.date));
            Some(Side {
                upgrade_note: upgrade_note(
                    &format!("Snapshot {name}"),
                    s.content_version,
                    &loaded.dropped,
                ),
                name,
                answers: loaded.answers,
            })
        }),
        Source::File => picks.file.with(|f| {
            f.as_ref().map(|f| Side {
                name: f.name.clone(),
                answers: f.answers.clone(),
                upgrade_note: upgrade_note(&f.name, f.from_version, &f.dropped),
            })
        }),
    }
}

#[component]
pub fn SnapshotsScreen() -> impl IntoView {
    let store = use_store();
    let picks = Picks::new(store);
    // Keep the pair in the URL without adding history entries.
    Effect::new(move |_| {
        let key = |s: Option<Source>| s.map_or(String::new(), Source::key);
        let hash = format!(
            "#/snapshots?before={}&after={}",
            key(picks.before.get()),
            key(picks.after.get())
        );
        if location::hash() != hash {
            location::replace_hash(&hash);
        }
    });
    view! {
        <div class="snapshots" data-testid="snapshots-screen">
            <section class="card no-print" aria-labelledby="save-title">
                <h2 id="save-title">"Save a snapshot"</h2>
                <p class="muted">"A snapshot keeps the answers as they stand now, with a label and a date, so later meetings can see what changed. Snapshots are saved with your work and included in the JSON export."</p>
                <SaveForm/>
            </section>
            <SnapshotList picks=picks/>
            <Trend/>
            <ComparePanel picks=picks/>
        </div>
    }
}

#[component]
fn SaveForm() -> impl IntoView {
    let store = use_store();
    let label = RwSignal::new(String::new());
    let date = RwSignal::new(clock::today());
    let errors = RwSignal::new(FieldErrors::default());
    let status = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = Draft {
            label: label.get_untracked(),
            date: date.get_untracked(),
        };
        match snapshot::check_draft(&draft, &clock::today()) {
            Err(e) => {
                let first = if e.label.is_some() {
                    "snapshot-label"
                } else {
                    "snapshot-date"
                };
                errors.set(e);
                status.set(String::new());
                focus(first);
            }
            Ok((l, d)) => {
                let answers = store.answers.get_untracked();
                let saved_at = clock::now();
                store.snapshots.update(|s| {
                    snapshot::add(s, l.clone(), d.clone(), &saved_at, &answers);
                });
                errors.set(FieldErrors::default());
                label.set(String::new());
                status.set(format!(
                    "Saved snapshot \u{201c}{l}\u{201d} ({}).",
                    display_date(&d)
                ));
            }
        }
    };
    let label_error = move || errors.with(|e| e.label.clone());
    let date_error = move || errors.with(|e| e.date.clone());
    view! {
        <form class="snapshot-form" on:submit=submit novalidate data-testid="snapshot-form">
            <div class="field">
                <label for="snapshot-label">"Label"</label>
                <input id="snapshot-label" type="text" data-testid="snapshot-label" maxlength="200"
                    placeholder="for example: Pre-launch review"
                    aria-invalid=move || label_error().is_some().to_string()
                    aria-describedby="snapshot-label-msg"
                    prop:value=move || label.get()
                    on:input=move |ev| { label.set(event_target_value(&ev)); errors.update(|e| e.label = None); }/>
                <p class="field-msg" id="snapshot-label-msg" data-testid="snapshot-label-msg">{label_error}</p>
            </div>
            <div class="field">
                <label for="snapshot-date">"Date of the review"</label>
                <input id="snapshot-date" type="date" data-testid="snapshot-date"
                    aria-invalid=move || date_error().is_some().to_string()
                    aria-describedby="snapshot-date-msg"
                    prop:value=move || date.get()
                    on:input=move |ev| { date.set(event_target_value(&ev)); errors.update(|e| e.date = None); }/>
                <p class="field-msg" id="snapshot-date-msg" data-testid="snapshot-date-msg">{date_error}</p>
            </div>
            <button type="submit" class="primary" data-testid="snapshot-save">"Save snapshot"</button>
            <p class="status" role="status" data-testid="snapshot-status">{move || status.get()}</p>
        </form>
    }
}

fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The snapshots, newest first, each with its figures and its actions.
#[component]
fn SnapshotList(picks: Picks) -> impl IntoView {
    let store = use_store();
    let rows = move || {
        let points = store.snapshots.with(|s| snapshot::trend(s, None));
        let list = store.snapshots.get();
        let mut ordered: Vec<_> = snapshot::chronological(&list)
            .into_iter()
            .cloned()
            .collect();
        ordered.reverse();
        ordered
            .into_iter()
            .map(|s| {
                let point = points.iter().find(|p| p.id == Some(s.id)).cloned();
                view! { <SnapshotRow id=s.id label=s.label.clone() date=s.date.clone() point=point picks=picks/> }
            })
            .collect_view()
    };
    view! {
        <section class="card" aria-labelledby="list-title" data-testid="snapshot-list">
            <h2 id="list-title">{move || format!("Snapshots ({})", store.snapshots.with(Vec::len))}</h2>
            <Show when=move || store.snapshots.with(Vec::is_empty)>
                <p data-testid="snapshots-empty">"No snapshots yet. Save one at the end of each review meeting to see how the service moves from one meeting to the next."</p>
            </Show>
            <ul class="snapshot-rows">{rows}</ul>
        </section>
    }
}

#[component]
fn SnapshotRow(
    id: u32,
    label: String,
    date: String,
    point: Option<TrendPoint>,
    picks: Picks,
) -> impl IntoView {
    let store = use_store();
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let draft = RwSignal::new(label.clone());
    let error = RwSignal::new(None::<String>);
    let input_id = format!("rename-{id}");
    let msg_id = format!("rename-{id}-msg");
    let figures = point.map(|p| {
        format!(
            "{} · {} · Level {}",
            pct(p.score),
            match p.decision {
                Decision::Go => "Go".to_string(),
                Decision::NoGo => format!("No-go ({} open)", p.open_blockers),
            },
            p.level.name()
        )
    });
    let save = move || {
        let text = draft.get_untracked();
        match store
            .snapshots
            .try_update(|s| snapshot::rename(s, id, &text))
        {
            Some(Err(e)) => error.set(Some(e)),
            _ => editing.set(false),
        }
    };
    let delete = move |_| {
        store.snapshots.update(|s| {
            snapshot::remove(s, id);
        });
        for pick in [picks.before, picks.after] {
            if pick.get_untracked() == Some(Source::Snapshot(id)) {
                pick.set(None);
            }
        }
    };
    let compare_now = move |_| {
        picks.show(Source::Snapshot(id), Source::Now);
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("compare-title"))
        {
            el.scroll_into_view();
        }
    };
    let title = format!("{label}, {}", display_date(&date));
    let (shown_date, figures) = (display_date(&date), figures.unwrap_or_default());
    let edit_view = move || {
        view! {
            <form class="rename" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save(); } novalidate>
                <div class="field">
                    <label for=input_id.clone()>"New label"</label>
                    <input id=input_id.clone() type="text" data-testid="rename-input" maxlength="200"
                        aria-invalid=move || error.get().is_some().to_string()
                        aria-describedby=msg_id.clone()
                        prop:value=move || draft.get()
                        on:input=move |ev| { draft.set(event_target_value(&ev)); error.set(None); }
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { editing.set(false); }/>
                    <p class="field-msg" id=msg_id.clone() data-testid="rename-msg">{move || error.get()}</p>
                </div>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="rename-save">"Save label"</button>
                    <button type="button" on:click=move |_| { editing.set(false); error.set(None); }>"Cancel"</button>
                </div>
            </form>
        }
    };
    let rename_id = format!("rename-{id}");
    let read_view = move || {
        let (label, date, figures) = (label.clone(), shown_date.clone(), figures.clone());
        let rename_id = rename_id.clone();
        let original = label.clone();
        view! {
            <div class="snapshot-main">
                <strong class="snapshot-label" data-testid="snapshot-row-label">{label}</strong>
                <span class="muted">{date}</span>
                <span class="snapshot-figures" data-testid="snapshot-row-figures">{figures}</span>
            </div>
            <div class="actions no-print">
                <button data-testid="snapshot-compare-now" on:click=compare_now>"Compare with now"</button>
                <button data-testid="snapshot-rename" on:click=move |_| {
                    draft.set(original.clone());
                    editing.set(true);
                    confirming.set(false);
                    let id = rename_id.clone();
                    // The input exists only after this render.
                    request_animation_frame(move || focus(&id));
                }>"Rename"</button>
                <button data-testid="snapshot-delete" on:click=move |_| {
                    confirming.set(true);
                    // Focus the safe choice, so Enter never deletes by accident.
                    request_animation_frame(move || focus(&format!("keep-{id}")));
                }>"Delete"</button>
            </div>
        }
    };
    let confirm_text = format!("Delete the snapshot \u{201c}{title}\u{201d}? Its answers cannot be recovered unless you exported them.");
    view! {
        <li class="snapshot-row" data-testid="snapshot-row">
            {move || if editing.get() { edit_view().into_any() } else { read_view().into_any() }}
            <Show when=move || confirming.get()>
                <div class="confirm" role="alertdialog" aria-label="Confirm deletion" data-testid="delete-confirm">
                    <p>{confirm_text.clone()}</p>
                    <div class="actions">
                        <button class="danger" data-testid="delete-confirm-yes" on:click=delete>"Delete snapshot"</button>
                        <button id=format!("keep-{id}") data-testid="delete-confirm-no" on:click=move |_| confirming.set(false)>"Keep it"</button>
                    </div>
                </div>
            </Show>
        </li>
    }
}

/// Score and level across the snapshots, then now.
#[component]
fn Trend() -> impl IntoView {
    let store = use_store();
    let points = Memo::new(move |_| {
        store
            .snapshots
            .with(|s| store.answers.with(|a| snapshot::trend(s, Some(a))))
    });
    view! {
        <Show when=move || store.snapshots.with(|s| !s.is_empty())>
            <section class="card trend" aria-labelledby="trend-title" data-testid="trend">
                <h2 id="trend-title">"Trend: score and maturity level"</h2>
                {move || points.with(|p| trend_chart(p))}
            </section>
        </Show>
    }
}

/// Layout of the trend chart, in SVG user units.
const COL_W: f64 = 120.0;
const LEFT: f64 = 96.0;
const SCORE_TOP: f64 = 48.0;
const SCORE_H: f64 = 150.0;
const LEVEL_TOP: f64 = 250.0;
const LEVEL_H: f64 = 112.0;
const LABELS_Y: f64 = 396.0;

fn x_of(i: usize) -> f64 {
    LEFT + COL_W * (i as f64 + 0.5)
}

fn score_y(score: u32) -> f64 {
    SCORE_TOP + SCORE_H * (1.0 - score as f64 / 100.0)
}

fn level_y(level: Level) -> f64 {
    LEVEL_TOP + LEVEL_H * (1.0 - level.number() as f64 / 4.0)
}

/// Up to two lines of at most `max` characters, broken between words; an ellipsis marks a cut.
fn wrap_label(label: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in label.split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        if line.is_empty() || line.chars().count() + 1 + word.chars().count() <= max {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        } else {
            lines.push(word.to_string());
        }
    }
    let cut = lines.len() > 2;
    lines.truncate(2);
    for (i, line) in lines.iter_mut().enumerate() {
        if line.chars().count() > max || (cut && i == 1) {
            let kept: String = line.chars().take(max - 1).collect();
            *line = format!("{}\u{2026}", kept.trim_end());
        }
    }
    lines
}

/// Two panels sharing one time axis. Values are written beside every marker; score and level
/// differ by line pattern and marker shape, and the current work by a hollow marker, so the
/// chart reads in grayscale and print.
fn trend_chart(points: &[TrendPoint]) -> AnyView {
    let width = LEFT + COL_W * points.len().max(3) as f64 + 16.0;
    let height = LABELS_Y + 56.0;
    let polyline = |coords: Vec<(f64, f64)>| {
        coords
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let score_line = polyline(
        points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.score.map(|s| (x_of(i), score_y(s))))
            .collect(),
    );
    let level_line = polyline(
        points
            .iter()
            .enumerate()
            .map(|(i, p)| (x_of(i), level_y(p.level)))
            .collect(),
    );
    let grid = score_grid(width)
        .into_iter()
        .chain(level_grid(width))
        .collect_view();
    let marks = points
        .iter()
        .enumerate()
        .map(|(i, p)| point_marks(i, p))
        .collect_view();
    view! {
        <svg class="chart trend-chart" data-testid="trend-chart" viewBox=format!("0 0 {width} {height}")
            role="img" aria-label=snapshot::trend_summary(points)>
            <text x="0" y="16" class="trend-legend">
                "\u{25cf} score (solid line)   \u{25a0} maturity level (dashed line)   hollow marker: the current work"
            </text>
            <text x="0" y=SCORE_TOP - 14.0 class="trend-panel">"Score"</text>
            <text x="0" y=LEVEL_TOP - 16.0 class="trend-panel">"Maturity level"</text>
            {grid}
            <polyline points=score_line class="trend-score-line" fill="none"/>
            <polyline points=level_line class="trend-level-line" fill="none" stroke-dasharray="7 5"/>
            {marks}
        </svg>
        <p class="muted chart-note">"Each column is a snapshot, oldest first; the last column is the current work. Under each: its label, date and launch decision."</p>
    }
    .into_any()
}

fn score_grid(width: f64) -> Vec<AnyView> {
    [0u32, 50, 100]
        .into_iter()
        .map(|s| {
            let y = score_y(s);
            view! {
                <line x1=LEFT y1=y x2=width - 8.0 y2=y class="trend-grid"/>
                <text x=LEFT - 8.0 y=y + 4.0 text-anchor="end" class="chart-tick">{format!("{s}%")}</text>
            }
            .into_any()
        })
        .collect()
}

fn level_grid(width: f64) -> Vec<AnyView> {
    Level::ALL
        .into_iter()
        .map(|l| {
            let y = level_y(l);
            view! {
                <line x1=LEFT y1=y x2=width - 8.0 y2=y class="trend-grid"/>
                <text x=LEFT - 8.0 y=y + 4.0 text-anchor="end" class="chart-tick">{l.name()}</text>
            }
            .into_any()
        })
        .collect()
}

fn point_marks(i: usize, p: &TrendPoint) -> AnyView {
    let x = x_of(i);
    let now = p.id.is_none();
    let marker = if now {
        "trend-marker hollow"
    } else {
        "trend-marker"
    };
    let score = p.score.map(|s| {
        let y = score_y(s);
        view! {
            <circle cx=x cy=y r="5.5" class=marker/>
            <text x=x y=y - 11.0 text-anchor="middle" class="chart-value">{format!("{s}%")}</text>
        }
    });
    let ly = level_y(p.level);
    let decision = match p.decision {
        Decision::Go => "Go".to_string(),
        Decision::NoGo => format!("No-go ({})", p.open_blockers),
    };
    let date = if p.date.is_empty() {
        "current work".to_string()
    } else {
        display_date(&p.date)
    };
    view! {
        <g data-testid="trend-point">
            {score}
            {p.score.is_none().then(|| view! { <text x=x y=score_y(0) - 8.0 text-anchor="middle" class="chart-value">"n/a"</text> })}
            <rect x=x - 5.0 y=ly - 5.0 width="10" height="10" class=marker/>
            <text x=x y=ly - 10.0 text-anchor="middle" class="chart-value">{format!("L{}", p.level.number())}</text>
            {wrap_label(&p.label, 18).into_iter().enumerate().map(|(n, line)| view! {
                <text x=x y=LABELS_Y + 15.0 * n as f64 text-anchor="middle" class="chart-label trend-x">{line}</text>
            }).collect_view()}
            <text x=x y=LABELS_Y + 30.0 text-anchor="middle" class="chart-tick">{date}</text>
            <text x=x y=LABELS_Y + 45.0 text-anchor="middle" class="chart-tick trend-decision">{decision}</text>
        </g>
    }
    .into_any()
}

/// Picks two sides and shows what changed between them.
#[component]
fn ComparePanel(picks: Picks) -> impl IntoView {
    let store = use_store();
    let file_msg = RwSignal::new(None::<String>);
    let result = Memo::new(move |_| {
        let before = resolve(store, picks, picks.before.get()?)?;
        let after = resolve(store, picks, picks.after.get()?)?;
        let notes: Vec<(String, Vec<String>)> = [before.upgrade_note, after.upgrade_note]
            .into_iter()
            .flatten()
            .collect();
        Some((
            before.name,
            after.name,
            notes,
            compare(&before.answers, &after.answers),
        ))
    });
    let read_file = move |file: web_sys::File| {
        let name = file.name();
        let blob: &web_sys::Blob = file.as_ref();
        let reader = gloo::file::Blob::from(blob.clone());
        let handle = gloo::file::callbacks::read_as_text(&reader, move |text| match text {
            Err(_) => file_msg.set(Some(format!("{name} could not be read as text."))),
            Ok(text) => match load_document(&text) {
                Err(e) => file_msg.set(Some(format!("{name}: {e} Nothing was changed."))),
                Ok(loaded) => {
                    file_msg.set(None);
                    picks.file.set(Some(PickedFile {
                        name: format!("File {name}"),
                        answers: loaded.answers,
                        dropped: loaded.dropped,
                        from_version: loaded.from_version,
                    }));
                    picks.show(Source::File, Source::Now);
                }
            },
        });
        // The reader must live until its callback runs.
        std::mem::forget(handle);
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            read_file(file);
        }
        input.set_value("");
    };
    view! {
        <section class="card compare" aria-labelledby="compare-title" data-testid="compare">
            <h2 id="compare-title">"Compare"</h2>
            <p class="muted no-print">"Compare any two snapshots, a snapshot with the current work, or the current work with a file: an exported assessment JSON, or the " <code>".twelve-factor/assessment.json"</code> " of a generated project. Older files and snapshots are carried over to the current questionnaire first."</p>
            <div class="compare-picks no-print">
                <SourceSelect id="compare-before" label="Before" pick=picks.before picks=picks/>
                <SourceSelect id="compare-after" label="After" pick=picks.after picks=picks/>
                <div class="field">
                    <label for="compare-file">"Compare with a file"</label>
                    <input id="compare-file" type="file" accept=".json,application/json" data-testid="compare-file"
                        aria-describedby="compare-file-msg" aria-invalid=move || file_msg.get().is_some().to_string() on:change=on_pick/>
                    <p class="field-msg" id="compare-file-msg" data-testid="compare-file-msg">{move || file_msg.get()}</p>
                </div>
            </div>
            {move || result.with(|r| match r {
                None => view! { <p data-testid="compare-empty">"Choose what to compare: save a snapshot, or pick a file."</p> }.into_any(),
                Some((before, after, notes, c)) => comparison_view(before, after, notes, c),
            })}
        </section>
    }
}

#[component]
fn SourceSelect(
    id: &'static str,
    label: &'static str,
    pick: RwSignal<Option<Source>>,
    picks: Picks,
) -> impl IntoView {
    let store = use_store();
    let options = move || {
        let mut opts: Vec<(Source, String)> = vec![(Source::Now, "Current work".to_string())];
        store.snapshots.with(|list| {
            for s in snapshot::chronological(list).into_iter().rev() {
                opts.push((Source::Snapshot(s.id), format!("Snapshot: {}", s.title())));
            }
        });
        if let Some(name) = picks.file.with(|f| f.as_ref().map(|f| f.name.clone())) {
            opts.push((Source::File, name));
        }
        opts.into_iter()
            .map(|(src, text)| view! { <option value=src.key() selected=move || pick.get() == Some(src)>{text}</option> })
            .collect_view()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id data-testid=id on:change=move |ev| pick.set(Source::parse(&event_target_value(&ev)))>
                <option value="" selected=move || pick.get().is_none() disabled>"Choose…"</option>
                {options}
            </select>
        </div>
    }
}

fn direction_mark(d: Direction) -> &'static str {
    match d {
        Direction::Better => "\u{25b2} better",
        Direction::Worse => "\u{25bc} worse",
        Direction::Same => "= unchanged",
    }
}

fn direction_class(d: Direction) -> &'static str {
    match d {
        Direction::Better => "change better",
        Direction::Worse => "change worse",
        Direction::Same => "change same",
    }
}

fn figure(
    testid: &'static str,
    caption: &'static str,
    before: String,
    after: String,
    change: String,
    d: Direction,
) -> AnyView {
    view! {
        <div class="big-figure compare-figure" data-testid=testid>
            <span class="caption">{caption}</span>
            <span class="compare-values">{if before == after { before } else { format!("{before} \u{2192} {after}") }}</span>
            <span class=direction_class(d)>{format!("{} {change}", direction_mark(d)).trim_end().to_string()}</span>
        </div>
    }
    .into_any()
}

fn comparison_view(
    before: &str,
    after: &str,
    notes: &[(String, Vec<String>)],
    c: &Comparison,
) -> AnyView {
    let (b, a) = (&c.before, &c.after);
    let score_change = delta_text(b.score, a.score);
    let markdown = c.markdown(before, after);
    let export = move |_| {
        let _ = download::save_text(&markdown, "twelve-factor-comparison.md", "text/markdown");
    };
    let notes = notes
        .iter()
        .map(|(text, details)| view! {
            <div class="compare-note" data-testid="compare-note">
                <p>{text.clone()}</p>
                {(!details.is_empty()).then(|| view! {
                    <details><summary>"Which answers, and why"</summary>
                        <ul>{details.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul>
                    </details>
                })}
            </div>
        })
        .collect_view();
    view! {
        <div class="comparison" data-testid="comparison">
            <h3 data-testid="comparison-title">{format!("{before} \u{2192} {after}")}</h3>
            {notes}
            {c.is_same().then(|| view! { <p data-testid="compare-same">"No answer differs between these two."</p> })}
            <div class="summary-grid">
                {figure("compare-score", "Score", pct(b.score), pct(a.score),
                    if score_change == "no change" { String::new() } else { format!("({score_change})") },
                    compare::score_direction(b.score, a.score))}
                {figure("compare-decision", "Launch decision", b.decision_text(), a.decision_text(), String::new(), c.decision_direction())}
                {figure("compare-level", "Maturity level", b.level_text(), a.level_text(), String::new(), c.level_direction())}
                {figure("compare-answered", "Questions answered", format!("{} of {}", b.answered, b.total), format!("{} of {}", a.answered, a.total), String::new(),
                    match b.answered.cmp(&a.answered) { std::cmp::Ordering::Less => Direction::Better, std::cmp::Ordering::Greater => Direction::Worse, std::cmp::Ordering::Equal => Direction::Same })}
            </div>
            {blocker_list("blockers-closed", "Launch blockers closed", &c.blockers_closed)}
            {blocker_list("blockers-opened", "Launch blockers opened", &c.blockers_opened)}
            {topics_table(c)}
            {answers_table(c)}
            <div class="actions no-print">
                <button data-testid="compare-export" on:click=export>"Export comparison (Markdown)"</button>
            </div>
        </div>
    }
    .into_any()
}

fn blocker_list(
    testid: &'static str,
    title: &'static str,
    list: &[&'static crate::core::content::Question],
) -> AnyView {
    if list.is_empty() {
        return ().into_any();
    }
    view! {
        <div class="compare-blockers" data-testid=testid>
            <h4>{format!("{title} ({})", list.len())}</h4>
            <ul>{list.iter().map(|q| view! { <li>{q.text}</li> }).collect_view()}</ul>
        </div>
    }
    .into_any()
}

fn topics_table(c: &Comparison) -> AnyView {
    let changed: Vec<_> = c.changed_topics().collect();
    let unchanged = c.topics.len() - changed.len();
    if changed.is_empty() {
        return view! { <p class="muted">"No topic changed."</p> }.into_any();
    }
    let rows = changed
        .iter()
        .map(|t| {
            let d = compare::score_direction(t.before, t.after);
            view! {
                <tr data-testid="topic-change">
                    <th scope="row">{t.topic.title}</th>
                    <td class="num">{pct(t.before)}</td>
                    <td class="num">{pct(t.after)}</td>
                    <td><span class=direction_class(d)>{if d == Direction::Same { "= no change".to_string() } else { format!("{} {}", if d == Direction::Better { "\u{25b2}" } else { "\u{25bc}" }, delta_text(t.before, t.after)) }}</span></td>
                    <td class="num">{format!("{} \u{2192} {}", t.before_open_blockers, t.after_open_blockers)}</td>
                    <td class="num">{t.changed_answers}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h4>{format!("Topics that changed ({})", changed.len())}</h4>
        <div class="table-scroll">
            <table class="compare-table" data-testid="topic-changes">
                <thead><tr><th scope="col">"Topic"</th><th scope="col">"Before"</th><th scope="col">"After"</th><th scope="col">"Change"</th><th scope="col">"Open blockers"</th><th scope="col">"Answers changed"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="muted">{format!("{unchanged} other {} unchanged.", if unchanged == 1 { "topic is" } else { "topics are" })}</p>
    }
    .into_any()
}

fn answers_table(c: &Comparison) -> AnyView {
    if c.answers.is_empty() {
        return ().into_any();
    }
    let rows = c
        .answers
        .iter()
        .map(|ch| view! {
            <tr data-testid="answer-change">
                <td>{ch.question.text}{ch.question.blocker.then(|| view! { " " <span class="badge badge-blocker">"Launch blocker"</span> })}</td>
                <td>{ch.topic.title}</td>
                <td data-testid="answer-before">{ch.before.label()}</td>
                <td data-testid="answer-after">{ch.after.label()}</td>
            </tr>
        })
        .collect_view();
    view! {
        <h4>{format!("Answers that changed ({})", c.answers.len())}</h4>
        <div class="table-scroll">
            <table class="compare-table" data-testid="answer-changes">
                <thead><tr><th scope="col">"Question"</th><th scope="col">"Topic"</th><th scope="col">"Before"</th><th scope="col">"After"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
