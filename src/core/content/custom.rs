//! The team's own questions: a custom checklist file adds topics that count in the score, the
//! level and the launch decision by the same rules as ours.
//!
//! The file is JSON (`docs/checklist.schema.json` describes it; `examples/team-checklist.json`
//! is a worked example). [`parse`] reads and validates it and names the line or the field of
//! every problem; nothing is installed until the caller decides to. [`install`] makes its topics
//! part of [`super::topics`] for this thread: the app and the CLI each have one assessment at a
//! time, and tests run on threads of their own, so one checklist per thread is exactly the scope.

use std::cell::Cell;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{Effort, Level, Question, Topic, TopicKind};

/// The format tag of a custom checklist file.
pub const CHECKLIST_FORMAT: &str = "twelve-factor-studio/checklist";
/// The newest checklist layout this version reads.
pub const CHECKLIST_VERSION: u32 = 1;
/// Limits that keep a hostile file from freezing the page; each is stated in its message.
pub const MAX_FILE_BYTES: usize = 512 * 1024;
pub const MAX_TOPICS: usize = 12;
pub const MAX_QUESTIONS_PER_TOPIC: usize = 7;
pub const MAX_TEXT_CHARS: usize = 2000;

/// A custom checklist as written in its file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub format: String,
    pub version: u32,
    /// A slug naming the checklist, e.g. `acme-platform`.
    pub id: String,
    pub title: String,
    pub topics: Vec<CustomTopic>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomTopic {
    pub id: String,
    pub title: String,
    pub principle: String,
    pub why: String,
    pub looks_like: String,
    pub watch_out: String,
    pub questions: Vec<CustomQuestion>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomQuestion {
    pub id: String,
    pub text: String,
    pub help: String,
    pub weight: u8,
    #[serde(default)]
    pub blocker: bool,
    pub level: LevelName,
    pub effort: Effort,
    pub remediation: String,
}

/// A level as a checklist file names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelName {
    Foundation,
    Launchable,
    Production,
    Exemplary,
}

impl LevelName {
    pub fn level(self) -> Level {
        match self {
            LevelName::Foundation => Level::Foundation,
            LevelName::Launchable => Level::Launchable,
            LevelName::Production => Level::Production,
            LevelName::Exemplary => Level::Exemplary,
        }
    }
}

/// One problem in a checklist file: where it is and what is expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChecklistError {
    /// `line 4, column 9`, or a field path such as `topics[0].questions[2].weight`.
    pub at: String,
    pub message: String,
}

impl std::fmt::Display for ChecklistError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

fn error(at: impl Into<String>, message: impl Into<String>) -> ChecklistError {
    ChecklistError {
        at: at.into(),
        message: message.into(),
    }
}

/// Reads and validates a checklist file. Every problem found is reported, not just the first.
pub fn parse(text: &str) -> Result<Checklist, Vec<ChecklistError>> {
    if text.len() > MAX_FILE_BYTES {
        return Err(vec![error(
            "file",
            format!(
                "the file is {} KB; a checklist may be at most {} KB",
                text.len() / 1024,
                MAX_FILE_BYTES / 1024
            ),
        )]);
    }
    let checklist: Checklist = serde_json::from_str(text).map_err(|e| {
        vec![error(
            format!("line {}, column {}", e.line(), e.column()),
            without_position(&e.to_string()),
        )]
    })?;
    let errors = validate(&checklist);
    if errors.is_empty() {
        Ok(checklist)
    } else {
        Err(errors)
    }
}

/// serde_json ends its messages with " at line L column C", which the error already carries.
fn without_position(message: &str) -> String {
    message
        .rsplit_once(" at line ")
        .map_or(message, |(text, _)| text)
        .to_string()
}

/// Checks everything serde cannot: the format tag, slugs, unique ids, question shape, limits.
pub fn validate(checklist: &Checklist) -> Vec<ChecklistError> {
    let mut errors = Vec::new();
    if checklist.format != CHECKLIST_FORMAT {
        errors.push(error("format", format!("expected \"{CHECKLIST_FORMAT}\"")));
    }
    if checklist.version == 0 || checklist.version > CHECKLIST_VERSION {
        errors.push(error(
            "version",
            format!(
                "this version of Twelve-Factor Studio reads checklist version {CHECKLIST_VERSION}"
            ),
        ));
    }
    check_slug(&mut errors, "id", &checklist.id);
    check_text(&mut errors, "title", &checklist.title);
    if checklist.topics.is_empty() || checklist.topics.len() > MAX_TOPICS {
        errors.push(error(
            "topics",
            format!(
                "expected 1 to {MAX_TOPICS} topics, found {}",
                checklist.topics.len()
            ),
        ));
    }
    let mut seen: HashSet<&str> = super::builtin_ids().collect();
    for (t, topic) in checklist.topics.iter().enumerate().take(MAX_TOPICS) {
        let at = format!("topics[{t}]");
        check_topic(&mut errors, &at, topic, &mut seen);
    }
    errors
}

fn check_topic<'a>(
    errors: &mut Vec<ChecklistError>,
    at: &str,
    topic: &'a CustomTopic,
    seen: &mut HashSet<&'a str>,
) {
    check_id(errors, &format!("{at}.id"), &topic.id, seen);
    for (field, text) in [
        ("title", &topic.title),
        ("principle", &topic.principle),
        ("why", &topic.why),
        ("looks_like", &topic.looks_like),
        ("watch_out", &topic.watch_out),
    ] {
        check_text(errors, &format!("{at}.{field}"), text);
    }
    let n = topic.questions.len();
    if n == 0 || n > MAX_QUESTIONS_PER_TOPIC {
        errors.push(error(
            format!("{at}.questions"),
            format!("expected 1 to {MAX_QUESTIONS_PER_TOPIC} questions, found {n}"),
        ));
    }
    for (i, q) in topic
        .questions
        .iter()
        .enumerate()
        .take(MAX_QUESTIONS_PER_TOPIC)
    {
        check_question(errors, &format!("{at}.questions[{i}]"), q, seen);
    }
}

fn check_question<'a>(
    errors: &mut Vec<ChecklistError>,
    at: &str,
    q: &'a CustomQuestion,
    seen: &mut HashSet<&'a str>,
) {
    check_id(errors, &format!("{at}.id"), &q.id, seen);
    for (field, text) in [
        ("text", &q.text),
        ("help", &q.help),
        ("remediation", &q.remediation),
    ] {
        check_text(errors, &format!("{at}.{field}"), text);
    }
    let text = q.text.trim();
    if !text.ends_with('?') || text.matches('?').count() != 1 {
        errors.push(error(
            format!("{at}.text"),
            "expected one question ending in \"?\", answerable Yes, Partly or No",
        ));
    }
    if !(1..=3).contains(&q.weight) {
        errors.push(error(
            format!("{at}.weight"),
            format!("expected 1, 2 or 3, found {}", q.weight),
        ));
    }
    if q.blocker && q.level.level() > Level::Launchable {
        errors.push(error(
            format!("{at}.level"),
            "a launch blocker must be required at \"foundation\" or \"launchable\"",
        ));
    }
}

fn check_id<'a>(
    errors: &mut Vec<ChecklistError>,
    at: &str,
    id: &'a str,
    seen: &mut HashSet<&'a str>,
) {
    check_slug(errors, at, id);
    if !seen.insert(id) {
        errors.push(error(
            at,
            format!("\"{id}\" is already used by another topic or question (ours or this file's)"),
        ));
    }
}

fn check_slug(errors: &mut Vec<ChecklistError>, at: &str, id: &str) {
    let slug = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !slug {
        errors.push(error(at, format!("expected a slug of lowercase letters, digits and hyphens (at most 64), found \"{}\"", clip(id))));
    }
}

fn check_text(errors: &mut Vec<ChecklistError>, at: &str, text: &str) {
    let chars = text.chars().count();
    if text.trim().is_empty() {
        errors.push(error(at, "must not be empty"));
    } else if chars > MAX_TEXT_CHARS {
        errors.push(error(
            at,
            format!("is {chars} characters long; at most {MAX_TEXT_CHARS}"),
        ));
    }
}

fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

thread_local! {
    /// The installed checklist and its topics, leaked once per install (a few KB, a handful of
    /// times per session) so they can be `&'static` like ours.
    static INSTALLED: Cell<Option<(&'static Checklist, &'static [Topic])>> = const { Cell::new(None) };
}

/// Makes the checklist's topics part of the content on this thread, replacing any other; `None`
/// removes it. The checklist must come from [`parse`] (or pass [`validate`]).
pub fn install(checklist: Option<&Checklist>) {
    let installed = checklist.map(|c| {
        let topics: Vec<Topic> = c
            .topics
            .iter()
            .enumerate()
            .map(|(i, t)| to_topic(i, t))
            .collect();
        (
            &*Box::leak(Box::new(c.clone())),
            &*Box::leak(topics.into_boxed_slice()),
        )
    });
    INSTALLED.with(|cell| cell.set(installed));
}

/// The installed checklist, if any.
pub fn installed() -> Option<&'static Checklist> {
    INSTALLED.with(|cell| cell.get().map(|(c, _)| c))
}

/// The installed checklist's topics (empty when none is installed).
pub fn topics() -> &'static [Topic] {
    INSTALLED.with(|cell| cell.get().map_or(&[][..], |(_, topics)| topics))
}

fn leak(text: &str) -> &'static str {
    Box::leak(text.to_string().into_boxed_str())
}

fn to_topic(index: usize, t: &CustomTopic) -> Topic {
    let questions: Vec<Question> = t
        .questions
        .iter()
        .map(|q| Question {
            id: leak(&q.id),
            text: leak(q.text.trim()),
            help: leak(&q.help),
            weight: q.weight,
            blocker: q.blocker,
            level: q.level.level(),
            effort: q.effort,
            remediation: leak(&q.remediation),
            files: &[],
        })
        .collect();
    Topic {
        id: leak(&t.id),
        kind: TopicKind::Team,
        number: u8::try_from(index + 1).unwrap_or(u8::MAX),
        title: leak(&t.title),
        principle: leak(&t.principle),
        why: leak(&t.why),
        looks_like: leak(&t.looks_like),
        watch_out: leak(&t.watch_out),
        questions: Box::leak(questions.into_boxed_slice()),
    }
}
