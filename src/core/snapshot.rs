//! Snapshots: the answers as they stood at a review, with a label and a date, kept in the
//! document so a team can see how a service moved between meetings.
//!
//! A snapshot keeps the content version it was taken with; [`Snapshot::upgraded`] carries its
//! answers to the current questionnaire through [`super::upgrade`], the same way a saved
//! document is upgraded. Dates come from the caller (the browser clock in the app): the core
//! does no I/O. [`trend`] scores every snapshot for the trend chart; [`super::compare`] compares
//! two states.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::answers::{from_parts, Answers, Loaded, Response};
use super::content::{custom, Level, CONTENT_VERSION};
use super::score::{self, Decision};

/// The longest label accepted, in characters: it must fit a list row and a chart column.
pub const MAX_LABEL: usize = 80;

/// The answers at one moment, with what the team called that moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Unique within a document; names the snapshot in the UI and in the URL.
    pub id: u32,
    /// What the team calls it, for example "Pre-launch review".
    pub label: String,
    /// The day it stands for, `YYYY-MM-DD`.
    pub date: String,
    /// When it was saved, local time with its offset (RFC 3339); orders snapshots of one day.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub saved_at: String,
    /// The questionnaire version the answers were written for.
    pub content_version: u32,
    pub answers: BTreeMap<String, Response>,
}

impl Snapshot {
    /// The answers carried over to the current questionnaire, with what could not be kept.
    /// Answers to the team's own questions are kept while that checklist is installed.
    pub fn upgraded(&self) -> Loaded {
        from_parts(
            self.answers.clone(),
            None,
            self.content_version,
            custom::installed().cloned(),
        )
    }

    /// "Pre-launch review, 2 Dec 2026": the label and the date, for lists and menus.
    pub fn title(&self) -> String {
        format!("{}, {}", self.label, display_date(&self.date))
    }
}

/// What the form asks for, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub label: String,
    pub date: String,
}

/// Messages for the form's fields; `None` where the field is fine.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors {
    pub label: Option<String>,
    pub date: Option<String>,
}

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        self.label.is_none() && self.date.is_none()
    }
}

/// Checks a label: one message, or the trimmed label.
pub fn check_label(label: &str) -> Result<String, String> {
    let label = label.trim();
    let n = label.chars().count();
    if label.is_empty() {
        Err("Give the snapshot a label, for example \"Pre-launch review\".".to_string())
    } else if n > MAX_LABEL {
        Err(format!(
            "Keep the label to {MAX_LABEL} characters or fewer (it has {n})."
        ))
    } else {
        Ok(label.to_string())
    }
}

/// Checks a `YYYY-MM-DD` date that is not after `today` (also `YYYY-MM-DD`).
pub fn check_date(date: &str, today: &str) -> Result<String, String> {
    let date = date.trim();
    if date.is_empty() {
        return Err("Choose the date of the review.".to_string());
    }
    if parse_date(date).is_none() {
        return Err(format!(
            "\"{date}\" is not a date: write it as YYYY-MM-DD, for example {today}."
        ));
    }
    // Zero-padded ISO dates order as text.
    if parse_date(today).is_some() && date > today {
        return Err(format!(
            "{} is after today ({}): a snapshot records answers as they were.",
            display_date(date),
            display_date(today)
        ));
    }
    Ok(date.to_string())
}

/// Checks the whole form; returns the label and date to save, or a message per field.
pub fn check_draft(draft: &Draft, today: &str) -> Result<(String, String), FieldErrors> {
    match (check_label(&draft.label), check_date(&draft.date, today)) {
        (Ok(label), Ok(date)) => Ok((label, date)),
        (label, date) => Err(FieldErrors {
            label: label.err(),
            date: date.err(),
        }),
    }
}

/// Year, month and day of a valid `YYYY-MM-DD` calendar date.
fn parse_date(date: &str) -> Option<(u32, u32, u32)> {
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r.clone())?
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| date[r].parse().ok())?
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (y >= 1970 && (1..=days).contains(&d)).then_some((y, m, d))
}

/// "2 Dec 2026": a date no reader can take for another (unlike 02/12/2026).
pub fn display_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match parse_date(date) {
        Some((y, m, d)) => format!("{d} {} {y}", MONTHS[m as usize - 1]),
        None => date.to_string(),
    }
}

/// The next free id.
fn next_id(snapshots: &[Snapshot]) -> u32 {
    snapshots.iter().map(|s| s.id).max().map_or(1, |m| m + 1)
}

/// Adds a snapshot of `answers` (checked label and date) and returns its id.
pub fn add(
    snapshots: &mut Vec<Snapshot>,
    label: String,
    date: String,
    saved_at: &str,
    answers: &Answers,
) -> u32 {
    let id = next_id(snapshots);
    snapshots.push(Snapshot {
        id,
        label,
        date,
        saved_at: saved_at.to_string(),
        content_version: CONTENT_VERSION,
        answers: answers.responses.clone(),
    });
    id
}

/// Renames a snapshot; the message is for the field when the label is not accepted.
pub fn rename(snapshots: &mut [Snapshot], id: u32, label: &str) -> Result<(), String> {
    let label = check_label(label)?;
    let snapshot = snapshots
        .iter_mut()
        .find(|s| s.id == id)
        .ok_or_else(|| "This snapshot no longer exists.".to_string())?;
    snapshot.label = label;
    Ok(())
}

/// Removes a snapshot; returns whether it was there.
pub fn remove(snapshots: &mut Vec<Snapshot>, id: u32) -> bool {
    let before = snapshots.len();
    snapshots.retain(|s| s.id != id);
    snapshots.len() != before
}

/// Oldest first: by date, then by time saved, then by id.
pub fn chronological(snapshots: &[Snapshot]) -> Vec<&Snapshot> {
    let mut sorted: Vec<&Snapshot> = snapshots.iter().collect();
    sorted.sort_by(|a, b| {
        (a.date.as_str(), a.saved_at.as_str(), a.id).cmp(&(
            b.date.as_str(),
            b.saved_at.as_str(),
            b.id,
        ))
    });
    sorted
}

/// Adds the snapshots of an imported document to ours, skipping any we already hold (same
/// label, date, version and answers) and giving the others fresh ids. Returns how many were
/// added. Importing a file never loses a snapshot already here.
pub fn merge(ours: &mut Vec<Snapshot>, theirs: Vec<Snapshot>) -> usize {
    let mut added = 0;
    for mut s in theirs {
        let known = ours.iter().any(|o| {
            o.label == s.label
                && o.date == s.date
                && o.content_version == s.content_version
                && o.answers == s.answers
        });
        if !known {
            s.id = next_id(ours);
            ours.push(s);
            added += 1;
        }
    }
    added
}

/// One point of the trend chart.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendPoint {
    /// The snapshot's id; `None` for the current work.
    pub id: Option<u32>,
    pub label: String,
    /// `YYYY-MM-DD`, or empty for the current work.
    pub date: String,
    pub score: Option<u32>,
    pub level: Level,
    pub decision: Decision,
    pub open_blockers: usize,
}

/// Every snapshot scored against the current questionnaire, oldest first, then the current work
/// when given (labelled "Now").
pub fn trend(snapshots: &[Snapshot], current: Option<&Answers>) -> Vec<TrendPoint> {
    let point = |id, label: &str, date: &str, answers: &Answers| {
        let r = score::score(answers);
        TrendPoint {
            id,
            label: label.to_string(),
            date: date.to_string(),
            score: r.overall.whole_percent(),
            level: r.level.level,
            decision: r.launch.decision,
            open_blockers: r.launch.open_blockers.len(),
        }
    };
    let mut points: Vec<TrendPoint> = chronological(snapshots)
        .into_iter()
        .map(|s| point(Some(s.id), &s.label, &s.date, &s.upgraded().answers))
        .collect();
    if let Some(answers) = current {
        points.push(point(None, "Now", "", answers));
    }
    points
}

/// One sentence for screen readers and the chart's label: every point's values in order.
pub fn trend_summary(points: &[TrendPoint]) -> String {
    let parts: Vec<String> = points
        .iter()
        .map(|p| {
            let when = if p.date.is_empty() {
                p.label.clone()
            } else {
                format!("{} ({})", p.label, display_date(&p.date))
            };
            let score = p.score.map_or("n/a".to_string(), |s| format!("{s}%"));
            format!(
                "{when}: score {score}, level {}, {}",
                p.level.name(),
                p.decision.label()
            )
        })
        .collect();
    format!("Score and level over time. {}.", parts.join("; "))
}
