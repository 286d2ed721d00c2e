//! "What changed since your last download": the baseline a team generated last, and how the
//! project generated now differs from it, file by file and line by line.
//!
//! A team that generated a project earlier and committed it wants to know what to update when
//! their settings or answers change. The app remembers the spec and answers of the last zip it
//! saved ([`LastDownload`], saved with the work); the generator worker renders that baseline
//! again beside the current project and [`compare`]s them. Both renders use this version's
//! templates, so a change in the templates alone shows no difference: what is marked is what
//! the team's own changes do.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use similar::algorithms::{myers, Capture, Compact, Replace};
use similar::{group_diff_ops, ChangeTag};

use super::answers::{Answers, Response};
use super::generate::GeneratedFile;
use super::spec::ProjectSpec;

/// The settings and answers of the last zip saved: the project the team has on disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastDownload {
    /// When it was saved, local time with offset (`2026-12-03T10:14:00+01:00`), for the label.
    #[serde(default)]
    pub saved_at: String,
    pub project: ProjectSpec,
    /// The answers, of the document's content version (upgraded with the document on load).
    #[serde(default)]
    pub answers: BTreeMap<String, Response>,
}

impl LastDownload {
    pub fn new(project: &ProjectSpec, answers: &Answers, saved_at: impl Into<String>) -> Self {
        LastDownload {
            saved_at: saved_at.into(),
            project: project.clone(),
            answers: answers.responses.clone(),
        }
    }

    pub fn answers(&self) -> Answers {
        Answers {
            responses: self.answers.clone(),
        }
    }

    /// "3 Dec 2026, 10:14" from `saved_at`; empty when it is not a date-time.
    pub fn when(&self) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let s = &self.saved_at;
        let number =
            |range: std::ops::Range<usize>| -> Option<usize> { s.get(range)?.parse().ok() };
        let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10))
        else {
            return String::new();
        };
        let Some(name) = month.checked_sub(1).and_then(|m| MONTHS.get(m)) else {
            return String::new();
        };
        let time = s.get(11..16).map(|t| format!(", {t}")).unwrap_or_default();
        format!("{day} {name} {year}{time}")
    }
}

/// How a file differs from the last download.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Added,
    Removed,
    Changed,
    Same,
}

impl Status {
    /// The mark in the tree: a letter, so it does not rely on colour (as in `git status`).
    pub fn letter(self) -> &'static str {
        match self {
            Status::Added => "A",
            Status::Removed => "D",
            Status::Changed => "M",
            Status::Same => "",
        }
    }

    /// What a screen reader says after the file name.
    pub fn label(self) -> &'static str {
        match self {
            Status::Added => "added since your last download",
            Status::Removed => "removed since your last download",
            Status::Changed => "changed since your last download",
            Status::Same => "unchanged",
        }
    }
}

/// One line of a diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineTag {
    Context,
    Added,
    Removed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub tag: LineTag,
    /// 1-based line numbers on each side; `None` on the side the line is not in.
    pub old: Option<usize>,
    pub new: Option<usize>,
    /// The line without its line break.
    pub text: String,
}

/// A run of changed lines with up to [`CONTEXT`] unchanged lines around it.
pub type Hunk = Vec<DiffLine>;

/// Unchanged lines shown around each change, as `diff -u` does.
pub const CONTEXT: usize = 3;

/// One file that is not the same as in the last download.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    pub path: String,
    pub status: Status,
    /// The line diff: the changed parts of a changed file, every line of a removed one (its
    /// text exists nowhere else now), nothing for an added one (the file view shows it).
    pub hunks: Vec<Hunk>,
}

/// The files that differ, by path; a path not listed is the same as before.
pub fn compare(before: &[GeneratedFile], after: &[GeneratedFile]) -> Vec<FileChange> {
    let old: BTreeMap<&str, &str> = contents_by_path(before);
    let new: BTreeMap<&str, &str> = contents_by_path(after);
    let paths: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    paths
        .into_iter()
        .filter_map(|path| {
            let (status, hunks) = match (old.get(path), new.get(path)) {
                (None, Some(_)) => (Status::Added, Vec::new()),
                (Some(text), None) => (Status::Removed, line_diff(text, "")),
                (Some(a), Some(b)) if a == b => return None,
                (Some(a), Some(b)) => (Status::Changed, line_diff(a, b)),
                (None, None) => return None,
            };
            Some(FileChange {
                path: path.to_string(),
                status,
                hunks,
            })
        })
        .collect()
}

fn contents_by_path(files: &[GeneratedFile]) -> BTreeMap<&str, &str> {
    files
        .iter()
        .map(|f| (f.path.as_str(), f.contents.as_str()))
        .collect()
}

/// The status of `path` in a comparison.
pub fn status_of(changes: &[FileChange], path: &str) -> Status {
    changes
        .iter()
        .find(|c| c.path == path)
        .map_or(Status::Same, |c| c.status)
}

/// The line diff of two texts, in hunks with [`CONTEXT`] lines around each change.
///
/// Myers' algorithm through one hook chain (the one `TextDiff` uses, so the hunks are the same):
/// `TextDiff` chooses the algorithm, the whitespace mode and an integer remapping at run time,
/// which linked every combination into the worker, about 140 KB of wasm for this one diff.
pub fn line_diff(old: &str, new: &str) -> Vec<Hunk> {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let mut hook = Compact::new(Replace::new(Capture::new()), &old_lines, &new_lines);
    let Ok(()) = myers::diff(
        &mut hook,
        &old_lines,
        0..old_lines.len(),
        &new_lines,
        0..new_lines.len(),
    );
    let ops = hook.into_inner().into_inner().into_ops();
    group_diff_ops(ops, CONTEXT)
        .iter()
        .map(|group| {
            group
                .iter()
                .flat_map(|op| op.iter_changes(&old_lines, &new_lines))
                .map(|change| DiffLine {
                    tag: match change.tag() {
                        ChangeTag::Equal => LineTag::Context,
                        ChangeTag::Insert => LineTag::Added,
                        ChangeTag::Delete => LineTag::Removed,
                    },
                    old: change.old_index().map(|i| i + 1),
                    new: change.new_index().map(|i| i + 1),
                    text: change.value().trim_end_matches(['\n', '\r']).to_string(),
                })
                .collect()
        })
        .collect()
}

/// How many files were added, removed and changed, for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

impl Counts {
    pub fn of(changes: &[FileChange]) -> Counts {
        let mut counts = Counts::default();
        for change in changes {
            match change.status {
                Status::Added => counts.added += 1,
                Status::Removed => counts.removed += 1,
                Status::Changed => counts.changed += 1,
                Status::Same => {}
            }
        }
        counts
    }

    pub fn is_empty(self) -> bool {
        self == Counts::default()
    }

    /// "2 changed, 1 added, 1 removed" (only the non-zero parts), or "no changes".
    pub fn summary(self) -> String {
        let parts: Vec<String> = [
            (self.changed, "changed"),
            (self.added, "added"),
            (self.removed, "removed"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if parts.is_empty() {
            "no changes".to_string()
        } else {
            parts.join(", ")
        }
    }
}
