//! Merging the work of several tabs: every field carries the time of its last change.
//!
//! The app is often open twice (a laptop tab and the projector tab). Each tab keeps the whole
//! work in memory and saves it to one storage slot, so a plain save would be "last writer
//! wins" and erase what the other tab typed. Instead the work is split into [`Fields`] (one
//! per answer, note, N/A reason and project setting), a [`Clock`] records when each field last
//! changed in any tab, and [`merge`] keeps, field by field, the later change. A field that was
//! cleared keeps its clock entry, so a deletion also wins over an older value.
//!
//! Invariant: merging is commutative and idempotent, so tabs that exchange their states in
//! any order end with the same work.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::answers::{Answer, Answers, Document, Response, DOCUMENT_VERSION};
use super::changes::LastDownload;
use super::content::custom::Checklist;
use super::content::CONTENT_VERSION;
use super::snapshot::Snapshot;
use super::spec::ProjectSpec;

/// The work as independent fields: `answer/<id>`, `note/<id>`, `na/<id>`, `project/<setting>`
/// (`project/existing/<setting>` for each existing-service setting), and `checklist`,
/// `snapshot/<id>`, `team`, `last_download`.
pub type Fields = BTreeMap<String, Value>;
/// When each field last changed, in milliseconds since the Unix epoch. A missing entry is 0.
pub type Clock = BTreeMap<String, f64>;

const ANSWER: &str = "answer/";
const NOTE: &str = "note/";
const NA_REASON: &str = "na/";
const PROJECT: &str = "project/";

/// Splits answers and project settings into fields. Empty texts and absent answers are absent.
pub fn fields(answers: &Answers, project: &ProjectSpec) -> Fields {
    let mut out = Fields::new();
    for (id, r) in &answers.responses {
        if let Some(a) = r.answer {
            out.insert(
                format!("{ANSWER}{id}"),
                serde_json::to_value(a).unwrap_or_default(),
            );
        }
        if !r.note.is_empty() {
            out.insert(format!("{NOTE}{id}"), Value::String(r.note.clone()));
        }
        if !r.na_reason.is_empty() {
            out.insert(
                format!("{NA_REASON}{id}"),
                Value::String(r.na_reason.clone()),
            );
        }
    }
    if let Ok(Value::Object(settings)) = serde_json::to_value(project) {
        for (key, value) in settings {
            match (key.as_str(), value) {
                // Each existing-service setting is its own field, so two tabs editing different
                // ones keep both edits.
                (EXISTING, Value::Object(inner)) => {
                    for (sub, value) in inner {
                        out.insert(format!("{PROJECT}{EXISTING}/{sub}"), value);
                    }
                }
                (_, value) => {
                    out.insert(format!("{PROJECT}{key}"), value);
                }
            }
        }
    }
    out
}

/// The project setting whose members are fields of their own (`project/existing/<setting>`).
const EXISTING: &str = "existing";

/// The team checklist in use is one more field: installed or removed in one tab, it follows in
/// the others (answers to its questions are fields like any other).
const CHECKLIST: &str = "checklist";

pub fn add_checklist(fields: &mut Fields, checklist: Option<&Checklist>) {
    if let Some(value) = checklist.and_then(|c| serde_json::to_value(c).ok()) {
        fields.insert(CHECKLIST.to_string(), value);
    }
}

/// The team checklist the fields hold (none when absent or unreadable by this version).
pub fn checklist_of(fields: &Fields) -> Option<Checklist> {
    fields
        .get(CHECKLIST)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// The last download is one more field: a zip saved in one tab is the baseline in every tab.
const LAST_DOWNLOAD: &str = "last_download";

pub fn add_last_download(fields: &mut Fields, last: Option<&LastDownload>) {
    if let Some(value) = last.and_then(|l| serde_json::to_value(l).ok()) {
        fields.insert(LAST_DOWNLOAD.to_string(), value);
    }
}

/// The last download the fields hold (none when absent or unreadable by this version).
pub fn last_download_of(fields: &Fields) -> Option<LastDownload> {
    fields
        .get(LAST_DOWNLOAD)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// Each snapshot is one more field, `snapshot/<id>`: saved, renamed or deleted in one tab, it
/// follows in the others, and two tabs changing different snapshots keep both changes.
const SNAPSHOT: &str = "snapshot/";

pub fn add_snapshots(fields: &mut Fields, snapshots: &[Snapshot]) {
    for snapshot in snapshots {
        if let Ok(value) = serde_json::to_value(snapshot) {
            fields.insert(format!("{SNAPSHOT}{}", snapshot.id), value);
        }
    }
}

/// The snapshots the fields hold, by id (one this version cannot read is left out).
pub fn snapshots_of(fields: &Fields) -> Vec<Snapshot> {
    let mut out: Vec<Snapshot> = fields
        .range(SNAPSHOT.to_string()..)
        .take_while(|(key, _)| key.starts_with(SNAPSHOT))
        .filter_map(|(_, v)| serde_json::from_value(v.clone()).ok())
        .collect();
    out.sort_by_key(|s| s.id);
    out
}

/// Rebuilds answers and project settings from fields. Settings this version cannot read (a
/// newer tab's) fall back to `fallback`.
pub fn unfields(fields: &Fields, fallback: &ProjectSpec) -> (Answers, ProjectSpec) {
    let mut answers = Answers::default();
    let mut settings = Map::new();
    for (key, value) in fields {
        if let Some(key) = key.strip_prefix(PROJECT) {
            match key.split_once('/') {
                Some((EXISTING, sub)) => {
                    let inner = settings
                        .entry(EXISTING)
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(inner) = inner {
                        inner.insert(sub.to_string(), value.clone());
                    }
                }
                _ => {
                    settings.insert(key.to_string(), value.clone());
                }
            }
            continue;
        }
        let Some((kind, id)) = split_key(key) else {
            continue;
        };
        let mut r: Response = answers.response(id);
        match kind {
            ANSWER => r.answer = serde_json::from_value::<Answer>(value.clone()).ok(),
            NOTE => r.note = value.as_str().unwrap_or_default().to_string(),
            NA_REASON => r.na_reason = value.as_str().unwrap_or_default().to_string(),
            other => unreachable!("split_key returned an unknown prefix {other}"),
        }
        answers.set(id, r);
    }
    let project =
        serde_json::from_value(Value::Object(settings)).unwrap_or_else(|_| fallback.clone());
    (answers, project)
}

fn split_key(key: &str) -> Option<(&'static str, &str)> {
    [ANSWER, NOTE, NA_REASON]
        .into_iter()
        .find_map(|prefix| key.strip_prefix(prefix).map(|id| (prefix, id)))
}

/// Records `now` for every field that differs between `before` and `after` (added, changed or
/// removed).
pub fn stamp(clock: &mut Clock, before: &Fields, after: &Fields, now: f64) {
    let keys = before.keys().chain(after.keys());
    for key in keys {
        if before.get(key) != after.get(key) {
            let entry = clock.entry(key.clone()).or_insert(0.0);
            // Never move a field's time backwards (a clock that jumped back must not lose it).
            *entry = entry.max(now);
        }
    }
}

/// Field-by-field union: the later change wins. On equal times the greater value wins, so the
/// result does not depend on which side is "ours".
pub fn merge(a: (&Fields, &Clock), b: (&Fields, &Clock)) -> (Fields, Clock) {
    let (fields_a, clock_a) = a;
    let (fields_b, clock_b) = b;
    let mut fields = Fields::new();
    let mut clock = Clock::new();
    let keys: std::collections::BTreeSet<&String> = fields_a
        .keys()
        .chain(fields_b.keys())
        .chain(clock_a.keys())
        .chain(clock_b.keys())
        .collect();
    for key in keys {
        let time_a = clock_a.get(key).copied().unwrap_or(0.0);
        let time_b = clock_b.get(key).copied().unwrap_or(0.0);
        let value_a = fields_a.get(key);
        let value_b = fields_b.get(key);
        let take_a = match time_a.partial_cmp(&time_b) {
            Some(std::cmp::Ordering::Greater) => true,
            Some(std::cmp::Ordering::Less) => false,
            _ => order_key(value_a) >= order_key(value_b),
        };
        let (value, time) = if take_a {
            (value_a, time_a)
        } else {
            (value_b, time_b)
        };
        if let Some(v) = value {
            fields.insert(key.clone(), v.clone());
        }
        if time > 0.0 {
            clock.insert(key.clone(), time);
        }
    }
    (fields, clock)
}

/// A total order over optional values for tie-breaking (present beats absent).
fn order_key(value: Option<&Value>) -> (bool, String) {
    (
        value.is_some(),
        value.map(Value::to_string).unwrap_or_default(),
    )
}

/// The member of the saved document that carries the clock. Documents are read with it
/// removed, so exports and imports never see it.
pub const CLOCK_MEMBER: &str = "changed";
/// How the clock member is appended: the last top-level member of the pretty-printed document.
/// (Inside JSON strings a line break is always escaped, so this text only occurs here.)
const CLOCK_TAIL: &str = ",\n  \"changed\": ";

/// The saved form: the document with its clock in one value, so another tab never reads new
/// times with old answers (two storage keys would be written, and seen, one after the other).
/// Text surgery rather than a `serde_json::Value` round trip keeps this out of the first
/// screen's weight and off every keystroke's path.
pub fn to_stored(document: &Document, clock: &Clock) -> String {
    let json = document.to_json();
    match json.rfind('}') {
        Some(end) => format!(
            "{}{CLOCK_TAIL}{}\n}}",
            json[..end].trim_end(),
            clock_json(clock)
        ),
        None => json,
    }
}

/// Splits saved work into the document's JSON and its clock. Work without a clock (saved by an
/// older version, or edited by hand) is returned unchanged with no times known (every field
/// at 0); the document reader explains anything wrong with it.
pub fn from_stored(saved: &str) -> (String, Clock) {
    let Some(at) = saved.rfind(CLOCK_TAIL) else {
        return (saved.to_string(), Clock::new());
    };
    let rest = saved[at + CLOCK_TAIL.len()..].trim_end();
    let clock = rest
        .strip_suffix('}')
        .and_then(|c| serde_json::from_str::<Clock>(c.trim()).ok())
        .map(|c| c.into_iter().filter(|(_, t)| t.is_finite()).collect())
        .unwrap_or_default();
    (format!("{}\n}}", &saved[..at]), clock)
}

fn clock_json(clock: &Clock) -> String {
    serde_json::to_string(clock).unwrap_or_else(|_| "{}".into())
}

/// Whether a saved document was written by a newer version of the app (a newer layout or
/// questionnaire). Such work must not be overwritten by this version: it would drop what it
/// cannot read.
pub fn is_newer(json: &str) -> bool {
    let Ok(value) = serde_json::from_str::<Value>(json) else {
        return false;
    };
    let number = |key: &str| value.get(key).and_then(Value::as_u64).unwrap_or(0);
    number("document_version") > u64::from(DOCUMENT_VERSION)
        || number("content_version") > u64::from(CONTENT_VERSION)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, Answer)]) -> Answers {
        let mut a = Answers::default();
        for (id, ans) in pairs {
            a.set_answer(id, Some(*ans));
        }
        a
    }

    // Guards the two-tab scenario of the issue: five answers in one tab, one in the other.
    #[test]
    fn disjoint_changes_from_two_tabs_all_survive() {
        let spec = ProjectSpec::default();
        let empty = fields(&Answers::default(), &spec);
        let ids = ["a", "b", "c", "d", "e"];
        let tab_a = fields(&answers(&ids.map(|id| (id, Answer::Yes))), &spec);
        let mut clock_a = Clock::new();
        stamp(&mut clock_a, &empty, &tab_a, 1000.0);
        let tab_b = fields(&answers(&[("f", Answer::No)]), &spec);
        let mut clock_b = Clock::new();
        stamp(&mut clock_b, &empty, &tab_b, 2000.0);
        let (merged, _) = merge((&tab_a, &clock_a), (&tab_b, &clock_b));
        let (result, _) = unfields(&merged, &spec);
        assert_eq!(result.responses.len(), 6);
        assert_eq!(result.effective("f"), Some(Answer::No));
        assert_eq!(result.effective("c"), Some(Answer::Yes));
    }

    // The later change to the same question wins, whichever side it is on.
    #[test]
    fn later_change_wins_on_the_same_question() {
        let spec = ProjectSpec::default();
        let old = fields(&answers(&[("q", Answer::Yes)]), &spec);
        let new = fields(&answers(&[("q", Answer::No)]), &spec);
        let clock_old = Clock::from([("answer/q".to_string(), 10.0)]);
        let clock_new = Clock::from([("answer/q".to_string(), 20.0)]);
        for (x, y) in [
            ((&old, &clock_old), (&new, &clock_new)),
            ((&new, &clock_new), (&old, &clock_old)),
        ] {
            let (merged, clock) = merge(x, y);
            assert_eq!(unfields(&merged, &spec).0.effective("q"), Some(Answer::No));
            assert_eq!(clock["answer/q"], 20.0);
        }
    }

    // Clearing an answer is a change too: it must not be resurrected by an older copy.
    #[test]
    fn a_later_clear_beats_an_older_value() {
        let spec = ProjectSpec::default();
        let with = fields(&answers(&[("q", Answer::Yes)]), &spec);
        let without = fields(&Answers::default(), &spec);
        let mut clock = Clock::from([("answer/q".to_string(), 10.0)]);
        stamp(&mut clock, &with, &without, 30.0);
        let (merged, _) = merge(
            (&with, &Clock::from([("answer/q".to_string(), 10.0)])),
            (&without, &clock),
        );
        assert!(unfields(&merged, &spec).0.get("q").is_none());
    }

    // A note typed in one tab and an answer given in the other, on one question, both stay.
    #[test]
    fn note_and_answer_of_one_question_merge_separately() {
        let spec = ProjectSpec::default();
        let mut noted = Answers::default();
        noted.set(
            "q",
            Response {
                note: "owner: ana".into(),
                ..Response::default()
            },
        );
        let answered = answers(&[("q", Answer::Partly)]);
        let empty = fields(&Answers::default(), &spec);
        let (fa, fb) = (fields(&noted, &spec), fields(&answered, &spec));
        let (mut ca, mut cb) = (Clock::new(), Clock::new());
        stamp(&mut ca, &empty, &fa, 5.0);
        stamp(&mut cb, &empty, &fb, 6.0);
        let (merged, _) = merge((&fa, &ca), (&fb, &cb));
        let r = unfields(&merged, &spec).0.response("q");
        assert_eq!(r.answer, Some(Answer::Partly));
        assert_eq!(r.note, "owner: ana");
    }

    // Project settings merge per setting: a name typed here and a port set there both stay.
    #[test]
    fn project_settings_merge_per_setting() {
        let base = ProjectSpec::default();
        let named = ProjectSpec {
            name: "billing".into(),
            ..base.clone()
        };
        let ported = ProjectSpec {
            port: 9000,
            ..base.clone()
        };
        let a0 = fields(&Answers::default(), &base);
        let (fa, fb) = (
            fields(&Answers::default(), &named),
            fields(&Answers::default(), &ported),
        );
        let (mut ca, mut cb) = (Clock::new(), Clock::new());
        stamp(&mut ca, &a0, &fa, 5.0);
        stamp(&mut cb, &a0, &fb, 6.0);
        let (merged, _) = merge((&fa, &ca), (&fb, &cb));
        let spec = unfields(&merged, &base).1;
        assert_eq!((spec.name.as_str(), spec.port), ("billing", 9000));
    }

    #[test]
    fn merge_is_idempotent_and_round_trips() {
        let spec = ProjectSpec::default();
        let f = fields(&answers(&[("q", Answer::Yes)]), &spec);
        let c = Clock::from([("answer/q".to_string(), 3.0)]);
        assert_eq!(merge((&f, &c), (&f, &c)), (f.clone(), c.clone()));
        let (a, s) = unfields(&f, &spec);
        assert_eq!(fields(&a, &s), f);
    }

    #[test]
    fn newer_documents_are_recognised() {
        let doc =
            |d: u32, c: u32| format!(r#"{{"document_version": {d}, "content_version": {c}}}"#);
        assert!(!is_newer(&doc(DOCUMENT_VERSION, CONTENT_VERSION)));
        assert!(is_newer(&doc(DOCUMENT_VERSION, CONTENT_VERSION + 1)));
        assert!(is_newer(&doc(DOCUMENT_VERSION + 1, CONTENT_VERSION)));
        assert!(!is_newer("garbage"));
    }

    // The saved form round-trips and reads as a plain document without its clock.
    #[test]
    fn stored_work_carries_its_clock_and_reads_as_a_document() {
        let doc = Document::new(&answers(&[("q", Answer::Yes)]), None);
        let clock = Clock::from([("answer/q".to_string(), 7.0)]);
        let (json, back) = from_stored(&to_stored(&doc, &clock));
        assert_eq!(back, clock);
        assert_eq!(serde_json::from_str::<Document>(&json).unwrap(), doc);
        assert!(!json.contains(CLOCK_MEMBER));
    }

    // A note that looks like the clock member cannot confuse the split (line breaks in JSON
    // strings are escaped).
    #[test]
    fn a_note_imitating_the_clock_member_is_kept() {
        let mut a = Answers::default();
        let note = "x,\n  \"changed\": {}\n}".to_string();
        a.set(
            "q",
            Response {
                note: note.clone(),
                ..Response::default()
            },
        );
        let doc = Document::new(&a, None);
        let (json, clock) = from_stored(&to_stored(&doc, &Clock::from([("note/q".into(), 9.0)])));
        assert_eq!(clock["note/q"], 9.0);
        let back: Document = serde_json::from_str(&json).unwrap();
        assert_eq!(back.answers["q"].note, note);
    }

    #[test]
    fn unreadable_clock_counts_as_empty() {
        assert_eq!(
            from_stored("not json"),
            ("not json".to_string(), Clock::new())
        );
        let (_, clock) = from_stored(r#"{"format": "x", "changed": "nonsense"}"#);
        assert!(clock.is_empty());
    }
}
