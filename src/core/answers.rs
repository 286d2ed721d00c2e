//! What a team answered: one [`Response`] per question id, plus the project settings.
//!
//! The [`Document`] is the versioned JSON form used for saving, exporting and share links.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::changes::LastDownload;
use super::content::custom::{self, Checklist};
use super::content::{CONTENT_ID, CONTENT_VERSION};
use super::snapshot::Snapshot;
use super::spec::ProjectSpec;
use super::team::TeamReview;
use super::upgrade::{self, DroppedAnswer};

/// The answer to one question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    Partly,
    No,
    /// Not applicable to this service; needs a reason.
    #[serde(rename = "na")]
    NotApplicable,
}

impl Answer {
    pub const ALL: [Answer; 4] = [
        Answer::Yes,
        Answer::Partly,
        Answer::No,
        Answer::NotApplicable,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Answer::Yes => "Yes",
            Answer::Partly => "Partly",
            Answer::No => "No",
            Answer::NotApplicable => "N/A",
        }
    }

    /// The short code used in share links.
    pub fn code(self) -> char {
        match self {
            Answer::Yes => 'y',
            Answer::Partly => 'p',
            Answer::No => 'n',
            Answer::NotApplicable => 'x',
        }
    }

    pub fn from_code(c: char) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.code() == c)
    }
}

/// Everything recorded for one question.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Answer>,
    /// Why the question does not apply; required for N/A to count as answered.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub na_reason: String,
    /// A free-text note (evidence, owner, follow-up).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Response {
    pub fn is_empty(&self) -> bool {
        self.answer.is_none() && self.na_reason.is_empty() && self.note.is_empty()
    }

    /// The answer as scoring sees it: N/A without a reason does not count yet.
    pub fn effective(&self) -> Option<Answer> {
        match self.answer {
            Some(Answer::NotApplicable) if self.na_reason.trim().is_empty() => None,
            a => a,
        }
    }
}

/// The answers of one assessment, keyed by question id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    pub responses: BTreeMap<String, Response>,
}

impl Answers {
    pub fn get(&self, question_id: &str) -> Option<&Response> {
        self.responses.get(question_id)
    }

    pub fn response(&self, question_id: &str) -> Response {
        self.get(question_id).cloned().unwrap_or_default()
    }

    /// Replaces the response to a question; an empty response is removed.
    pub fn set(&mut self, question_id: &str, response: Response) {
        if response.is_empty() {
            self.responses.remove(question_id);
        } else {
            self.responses.insert(question_id.to_string(), response);
        }
    }

    pub fn set_answer(&mut self, question_id: &str, answer: Option<Answer>) {
        let mut r = self.response(question_id);
        r.answer = answer;
        self.set(question_id, r);
    }

    pub fn effective(&self, question_id: &str) -> Option<Answer> {
        self.get(question_id).and_then(Response::effective)
    }
}

/// The format tag of a saved document.
pub const DOCUMENT_FORMAT: &str = "twelve-factor-studio/assessment";
/// The version of the document layout (not of the content).
pub const DOCUMENT_VERSION: u32 = 1;

/// The versioned, self-describing saved form of an assessment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub format: String,
    pub document_version: u32,
    pub content_id: String,
    pub content_version: u32,
    pub answers: BTreeMap<String, Response>,
    /// Generator settings; absent when the user has not touched them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectSpec>,
    /// The team review this browser runs or takes part in; absent outside a team review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamReview>,
    /// The team's own checklist, when one is in use: it travels with the answers to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checklist: Option<Checklist>,
    /// Saved states of the answers (`core::snapshot`); absent in documents without any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub snapshots: Vec<Snapshot>,
    /// The settings and answers of the last zip this browser saved (`core::changes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_download: Option<LastDownload>,
    /// Set in the `.twelve-factor/assessment.json` a generated project carries: the project was
    /// generated from exactly this document, so loading it makes it the last download.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub generated: bool,
}

impl Document {
    /// The document of this thread's work: the answers, the settings and the installed custom
    /// checklist, if any.
    pub fn new(answers: &Answers, project: Option<&ProjectSpec>) -> Document {
        Document {
            format: DOCUMENT_FORMAT.to_string(),
            document_version: DOCUMENT_VERSION,
            content_id: CONTENT_ID.to_string(),
            content_version: CONTENT_VERSION,
            answers: answers.responses.clone(),
            project: project.cloned(),
            checklist: custom::installed().cloned(),
            snapshots: Vec::new(),
            team: None,
            last_download: None,
            generated: false,
        }
    }

    /// The same document carrying the last download's settings and answers.
    pub fn with_last_download(mut self, last_download: Option<LastDownload>) -> Document {
        self.last_download = last_download;
        self
    }

    /// The same document marked as the one a generated project was built from.
    pub fn generated(mut self) -> Document {
        self.generated = true;
        self
    }

    /// The same document carrying the team's snapshots.
    pub fn with_snapshots(mut self, snapshots: Vec<Snapshot>) -> Document {
        self.snapshots = snapshots;
        self
    }

    /// The same document carrying a team review.
    pub fn with_team(mut self, team: Option<TeamReview>) -> Document {
        self.team = team;
        self
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a document always serialises")
    }
}

/// A document that was read successfully, with what could not be kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    pub answers: Answers,
    pub project: Option<ProjectSpec>,
    /// Answers that could not be carried over to this content version, with the reason.
    pub dropped: Vec<DroppedAnswer>,
    /// The content version the document was written for.
    pub from_version: u32,
    /// The team's own checklist the document carries; the caller installs it with the answers.
    pub checklist: Option<Checklist>,
    /// The document's snapshots, as saved: each keeps its own content version and is upgraded
    /// when it is compared (`Snapshot::upgraded`).
    pub snapshots: Vec<Snapshot>,
    /// The team review saved with the document, if any.
    pub team: Option<TeamReview>,
    /// The baseline of "what changed since your last download", its answers upgraded like the
    /// document's; for a generated project's own assessment.json, the document itself.
    pub last_download: Option<LastDownload>,
}

/// Why a document could not be read. The message is meant for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// Reads a saved document, keeping every answer whose question still exists.
pub fn load_document(json: &str) -> Result<Loaded, LoadError> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
        LoadError(format!(
            "This is not a valid assessment file: the JSON is malformed ({e})."
        ))
    })?;
    let format = value.get("format").and_then(|v| v.as_str()).unwrap_or("");
    if format != DOCUMENT_FORMAT {
        return Err(LoadError(
            "This file is not a Twelve-Factor Studio assessment (its \"format\" field is missing or different)."
                .to_string(),
        ));
    }
    let doc: Document = serde_json::from_value(value).map_err(|e| {
        LoadError(format!(
            "This assessment file is damaged and cannot be read ({e})."
        ))
    })?;
    if doc.document_version > DOCUMENT_VERSION {
        return Err(LoadError(format!(
            "This assessment was saved by a newer version of Twelve-Factor Studio (document version {}); this version reads up to {}.",
            doc.document_version, DOCUMENT_VERSION
        )));
    }
    if doc.content_id != CONTENT_ID {
        return Err(LoadError(format!(
            "This assessment uses a different questionnaire (\"{}\") and cannot be loaded here.",
            doc.content_id
        )));
    }
    if let Some(checklist) = &doc.checklist {
        let errors = custom::validate(checklist);
        if !errors.is_empty() {
            let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
            return Err(LoadError(format!(
                "The team checklist in this assessment is not valid ({}).",
                list.join("; ")
            )));
        }
    }
    let last_download = doc.last_download.map(|mut last| {
        last.answers =
            upgrade::upgrade(last.answers, doc.content_version, doc.checklist.as_ref()).responses;
        last
    });
    let generated = doc.generated;
    let mut loaded = from_parts(doc.answers, doc.project, doc.content_version, doc.checklist);
    loaded.snapshots = doc.snapshots;
    loaded.team = doc.team;
    loaded.last_download = match (last_download, &loaded.project) {
        (Some(last), _) => Some(last),
        (None, Some(project)) if generated => Some(LastDownload::new(project, &loaded.answers, "")),
        (None, _) => None,
    };
    Ok(loaded)
}

/// Brings the responses up to the current content (with the document's own checklist, if any),
/// reporting what could not be kept.
pub fn from_parts(
    responses: BTreeMap<String, Response>,
    project: Option<ProjectSpec>,
    from_version: u32,
    checklist: Option<Checklist>,
) -> Loaded {
    let upgraded = upgrade::upgrade(responses, from_version, checklist.as_ref());
    let mut answers = Answers::default();
    for (id, response) in upgraded.responses {
        answers.set(&id, response);
    }
    Loaded {
        answers,
        project,
        dropped: upgraded.dropped,
        from_version,
        checklist,
        snapshots: Vec::new(),
        team: None,
        last_download: None,
    }
}
