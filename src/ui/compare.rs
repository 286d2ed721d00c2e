//! Comparing two states: pick two sides (a snapshot, the current work, or a file) and show what
//! changed between them. The pair lives in the URL so a reload shows the same comparison; the
//! logic is `core::compare`.

use leptos::prelude::*;

use super::io::read_text_file;
use super::state::{use_store, Store};
use crate::core::answers::{load_document, Answers, LoadError};
use crate::core::compare::{self, compare, delta_text, pct, Comparison, Direction};
use crate::core::content::Question;
use crate::core::limits;
use crate::core::snapshot::{self, display_date};
use crate::core::upgrade::DroppedAnswer;
use crate::platform::{download, location};

/// One side of a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Source {
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
pub(super) struct Picks {
    pub before: RwSignal<Option<Source>>,
    pub after: RwSignal<Option<Source>>,
    file: RwSignal<Option<PickedFile>>,
}

impl Picks {
    /// From the URL, else the latest snapshot against the current work.
    pub fn new(store: Store) -> Picks {
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

    pub fn show(&self, before: Source, after: Source) {
        self.before.set(Some(before));
        self.after.set(Some(after));
    }

    /// Keeps the pair in the URL without adding history entries.
    pub fn keep_in_url(self) {
        Effect::new(move |_| {
            let key = |s: Option<Source>| s.map_or(String::new(), Source::key);
            let hash = format!(
                "#/snapshots?before={}&after={}",
                key(self.before.get()),
                key(self.after.get())
            );
            if location::hash() != hash {
                location::replace_hash(&hash);
            }
        });
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
    let text = compare::upgrade_notice(what, from_version, dropped.len())?;
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

/// Picks two sides and shows what changed between them.
#[component]
pub(super) fn ComparePanel(picks: Picks) -> impl IntoView {
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
        read_text_file(file, move |name, text| {
            // The same checks as an import: the size limit first, then the document itself.
            let loaded = text.map(|t| {
                limits::check_document(&t)
                    .map_err(LoadError)
                    .and_then(|()| load_document(&t))
                    .map_err(|e| format!("{name}: {e} Nothing was changed."))
            });
            match loaded {
                Err(e) | Ok(Err(e)) => file_msg.set(Some(e)),
                Ok(Ok(loaded)) => {
                    file_msg.set(None);
                    picks.file.set(Some(PickedFile {
                        name: format!("File {name}"),
                        answers: loaded.answers,
                        dropped: loaded.dropped,
                        from_version: loaded.from_version,
                    }));
                    picks.show(Source::File, Source::Now);
                }
            }
        });
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

/// "(18 → 16 open blockers)", or "(16 open blockers)" when the count did not move.
fn blockers_change(before: usize, after: usize) -> String {
    let word = if after == 1 { "blocker" } else { "blockers" };
    if before == after {
        format!("({after} open {word})")
    } else {
        format!("({before} \u{2192} {after} open {word})")
    }
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
                {figure("compare-decision", "Launch decision", b.decision.label().to_string(), a.decision.label().to_string(),
                    blockers_change(b.open_blockers, a.open_blockers), c.decision_direction())}
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

fn blocker_list(testid: &'static str, title: &'static str, list: &[&'static Question]) -> AnyView {
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
