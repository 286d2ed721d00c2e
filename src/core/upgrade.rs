//! Brings answers written for an older content version up to the current one, and says exactly
//! which answers could not be carried over and why.
//!
//! Version 1 documents, share links and generated `assessment.json` files go through
//! [`upgrade`], which follows the table in [`content::migrations`]. Answers for the current
//! version are kept when their question exists. Nothing a user typed is thrown away silently:
//! a note whose answer cannot be carried over stays on the question it moved to, or is quoted
//! in the [`DroppedAnswer`].

use std::collections::{BTreeMap, HashSet};

use super::answers::{Answer, Response};
use super::content::custom::Checklist;
use super::content::migrations::{Change, V1_CHANGES};
use super::content::v1::V1_QUESTIONS;
use super::content::{self, CONTENT_VERSION};

/// An answer that was not carried over, in words for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedAnswer {
    /// The question's id in the version the answer was written for.
    pub id: String,
    /// The question as the team saw it, or its id when the text is not known.
    pub question: String,
    /// Why the answer was not carried over: one sentence.
    pub reason: String,
    /// The note the team wrote, when it could not be kept on a current question.
    pub note: String,
}

impl DroppedAnswer {
    /// One line for a notice or a log: the question and why its answer was left out.
    pub fn describe(&self) -> String {
        let note = if self.note.trim().is_empty() {
            String::new()
        } else {
            format!(" Its note was: \"{}\"", self.note.trim())
        };
        format!("\"{}\": {}{note}", self.question, self.reason)
    }
}

/// Responses keyed by current question ids, plus what was left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Upgraded {
    pub responses: BTreeMap<String, Response>,
    pub dropped: Vec<DroppedAnswer>,
}

/// Upgrades responses written for `from_version` to the current content; answers to the
/// questions of `checklist` (the team's own, carried by the same document) are kept too.
pub fn upgrade(
    responses: BTreeMap<String, Response>,
    from_version: u32,
    checklist: Option<&Checklist>,
) -> Upgraded {
    let team: HashSet<&str> = checklist
        .into_iter()
        .flat_map(|c| &c.topics)
        .flat_map(|t| &t.questions)
        .map(|q| q.id.as_str())
        .collect();
    if from_version < CONTENT_VERSION {
        apply_changes_knowing(responses, V1_CHANGES, &team)
    } else {
        keep_known(responses, &team)
    }
}

/// Keeps responses whose question exists now (ours, or one of `team`); reports the others.
fn keep_known(responses: BTreeMap<String, Response>, team: &HashSet<&str>) -> Upgraded {
    let mut out = Upgraded::default();
    for (id, response) in responses {
        if content::question(&id).is_some() || team.contains(id.as_str()) {
            out.responses.insert(id, response);
        } else {
            out.dropped.push(dropped(
                &id,
                "This question is not in the current questionnaire.",
                &response.note,
            ));
        }
    }
    out
}

/// Applies a change table; merges are decided once every old answer is seen. Public so tests can
/// pin each kind of change with a table of their own.
pub fn apply_changes(
    responses: BTreeMap<String, Response>,
    changes: &[(&str, Change)],
) -> Upgraded {
    apply_changes_knowing(responses, changes, &HashSet::new())
}

fn apply_changes_knowing(
    responses: BTreeMap<String, Response>,
    changes: &[(&str, Change)],
    team: &HashSet<&str>,
) -> Upgraded {
    let mut out = Upgraded::default();
    let (unchanged, changed): (BTreeMap<String, Response>, Vec<(String, Response)>) = {
        let (unchanged, changed): (Vec<_>, Vec<_>) = responses
            .into_iter()
            .partition(|(id, _)| change_of(changes, id).is_none());
        (unchanged.into_iter().collect(), changed)
    };
    // A question that others were merged into answers alongside them, so it joins their group.
    let mut merged: BTreeMap<&'static str, Vec<(String, Response)>> = BTreeMap::new();
    let mut direct = unchanged;
    for (id, response) in &changed {
        if let Some(Change::Merged(into)) = change_of(changes, id) {
            let group = merged.entry(into).or_default();
            if let Some(own) = direct.remove(into) {
                group.push((into.to_string(), own));
            }
            group.push((id.clone(), response.clone()));
        }
    }
    // Direct answers first: an answer the team gave to a question wins over one carried to it.
    let kept = keep_known(direct, team);
    out.responses.extend(kept.responses);
    out.dropped.extend(kept.dropped);
    for (id, response) in changed {
        match change_of(changes, &id) {
            Some(Change::Renamed(new)) => add(&mut out.responses, new, response),
            Some(Change::Split(parts)) => split(&mut out, &id, parts, response),
            Some(Change::Dropped(reason)) => out.dropped.push(dropped(&id, reason, &response.note)),
            Some(Change::Merged(_)) | None => {}
        }
    }
    for (into, olds) in merged {
        merge(&mut out, into, olds);
    }
    out
}

fn change_of(changes: &[(&str, Change)], id: &str) -> Option<Change> {
    changes
        .iter()
        .find(|(old, _)| *old == id)
        .map(|(_, change)| *change)
}

fn v1_text(id: &str) -> String {
    V1_QUESTIONS
        .iter()
        .find(|(old, _)| *old == id)
        .map_or_else(|| id.to_string(), |(_, text)| text.to_string())
}

fn dropped(id: &str, reason: &str, note: &str) -> DroppedAnswer {
    DroppedAnswer {
        id: id.to_string(),
        question: v1_text(id),
        reason: reason.to_string(),
        note: note.to_string(),
    }
}

/// Adds a response under a current id; a note joins any note already there.
fn add(responses: &mut BTreeMap<String, Response>, id: &str, response: Response) {
    let slot = responses.entry(id.to_string()).or_default();
    if slot.answer.is_none() {
        slot.answer = response.answer;
        slot.na_reason = response.na_reason;
    }
    slot.note = join_notes(&slot.note, &response.note);
}

fn join_notes(a: &str, b: &str) -> String {
    match (a.trim().is_empty(), b.trim().is_empty()) {
        (true, _) => b.to_string(),
        (false, true) => a.to_string(),
        (false, false) if a.contains(b) => a.to_string(),
        (false, false) => format!("{a}\n{b}"),
    }
}

/// Yes and N/A held for the whole question, so they hold for each part (a split into one part
/// narrows the question to what a Yes still implies). No and Partly do not say which part is
/// missing: the answer is dropped, the note kept on the first part.
fn split(out: &mut Upgraded, id: &str, parts: &[&str], response: Response) {
    let carries = matches!(
        response.answer,
        Some(Answer::Yes) | Some(Answer::NotApplicable)
    );
    if carries || response.answer.is_none() {
        for part in parts {
            add(&mut out.responses, part, response.clone());
        }
        return;
    }
    let label = response.answer.map_or("", Answer::label);
    let reason = match parts.len() {
        1 => format!("This question now asks one part of what it asked before; \"{label}\" does not say whether that part is missing, so answer it again."),
        n => format!("This question is now {n} separate questions; \"{label}\" does not say which part is missing, so answer each part."),
    };
    out.dropped.push(DroppedAnswer {
        reason,
        ..dropped(id, "", "")
    });
    if let Some(first) = parts.first() {
        add(
            &mut out.responses,
            first,
            Response {
                answer: None,
                na_reason: String::new(),
                note: response.note,
            },
        );
    }
}

/// Several version-1 questions asked the same fact: their answer carries over only if they agree.
fn merge(out: &mut Upgraded, into: &str, olds: Vec<(String, Response)>) {
    let answered: Vec<&(String, Response)> =
        olds.iter().filter(|(_, r)| r.answer.is_some()).collect();
    let agree = answered
        .windows(2)
        .all(|w| w[0].1.effective() == w[1].1.effective());
    for (id, response) in &olds {
        if agree || response.answer.is_none() {
            add(&mut out.responses, into, response.clone());
        } else {
            let label = response.answer.map_or("", Answer::label);
            out.dropped.push(DroppedAnswer {
                reason: format!(
                    "This question was merged with {} other(s) that asked the same thing and were answered differently (this one \"{label}\"), so the team answers it once again.",
                    olds.len() - 1
                ),
                ..dropped(id, "", "")
            });
            add(
                &mut out.responses,
                into,
                Response {
                    answer: None,
                    na_reason: String::new(),
                    note: response.note.clone(),
                },
            );
        }
    }
}
