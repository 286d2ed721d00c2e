//! Comparing two states of an assessment (two snapshots, a snapshot and the current work, or an
//! imported file): what a review meeting asks after "did we get better?".
//!
//! Both sides are scored against the current questionnaire, so older snapshots and version-1
//! files are upgraded first by their caller ([`super::snapshot::Snapshot::upgraded`],
//! [`super::answers::load_document`]). The comparison reports the overall and per-topic score
//! change, the launch decision and level change, every answer that changed, and the launch
//! blockers opened and closed.

use std::fmt::Write;

use super::answers::{Answer, Answers, Response};
use super::content::{self, Level, Question, Topic, CONTENT_VERSION};
use super::report::md_escape;
use super::score::{self, Decision, Report};

/// How a question stands, as a reader compares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerState {
    Unanswered,
    Answered(Answer),
    /// N/A without a reason counts as unanswered in the score; it is shown as it was typed.
    NaWithoutReason,
}

impl AnswerState {
    pub fn of(response: Option<&Response>) -> AnswerState {
        match response.and_then(|r| r.answer.map(|a| (a, r))) {
            None => AnswerState::Unanswered,
            Some((Answer::NotApplicable, r)) if r.na_reason.trim().is_empty() => {
                AnswerState::NaWithoutReason
            }
            Some((a, _)) => AnswerState::Answered(a),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AnswerState::Unanswered => "Unanswered",
            AnswerState::Answered(a) => a.label(),
            AnswerState::NaWithoutReason => "N/A (no reason)",
        }
    }
}

/// The headline figures of one side.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub score: Option<u32>,
    pub decision: Decision,
    pub open_blockers: usize,
    pub level: Level,
    pub answered: u32,
    pub total: u32,
}

impl Summary {
    fn of(r: &Report) -> Summary {
        Summary {
            score: r.overall.whole_percent(),
            decision: r.launch.decision,
            open_blockers: r.launch.open_blockers.len(),
            level: r.level.level,
            answered: r.overall.answered,
            total: r.overall.total,
        }
    }

    /// "No-go (3 open blockers)" or "Go".
    pub fn decision_text(&self) -> String {
        match self.decision {
            Decision::Go => "Go".to_string(),
            Decision::NoGo => format!(
                "No-go ({} open {})",
                self.open_blockers,
                if self.open_blockers == 1 {
                    "blocker"
                } else {
                    "blockers"
                }
            ),
        }
    }

    /// "Foundation (1 of 4)".
    pub fn level_text(&self) -> String {
        format!("{} ({} of 4)", self.level.name(), self.level.number())
    }
}

/// One topic's score on both sides.
#[derive(Clone, Debug, PartialEq)]
pub struct TopicChange {
    pub topic: &'static Topic,
    pub before: Option<u32>,
    pub after: Option<u32>,
    pub before_open_blockers: u32,
    pub after_open_blockers: u32,
    /// How many of its answers changed.
    pub changed_answers: usize,
}

impl TopicChange {
    /// Whether anything a reader would notice moved.
    pub fn changed(&self) -> bool {
        self.before != self.after
            || self.before_open_blockers != self.after_open_blockers
            || self.changed_answers > 0
    }
}

/// One question answered differently.
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerChange {
    pub topic: &'static Topic,
    pub question: &'static Question,
    pub before: AnswerState,
    pub after: AnswerState,
}

/// Everything that differs between `before` and `after`.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub before: Summary,
    pub after: Summary,
    /// Every topic, in content order.
    pub topics: Vec<TopicChange>,
    /// In content order.
    pub answers: Vec<AnswerChange>,
    /// Blockers open after that were met before.
    pub blockers_opened: Vec<&'static Question>,
    /// Blockers met after that were open before.
    pub blockers_closed: Vec<&'static Question>,
}

impl Comparison {
    /// Whether the two sides differ in any answer (notes aside).
    pub fn is_same(&self) -> bool {
        self.answers.is_empty()
    }

    pub fn changed_topics(&self) -> impl Iterator<Item = &TopicChange> {
        self.topics.iter().filter(|t| t.changed())
    }
}

/// Compares two sets of answers, both scored against the current questionnaire.
pub fn compare(before: &Answers, after: &Answers) -> Comparison {
    let (rb, ra) = (score::score(before), score::score(after));
    let answers: Vec<AnswerChange> = content::questions()
        .filter_map(|(topic, question)| {
            let b = AnswerState::of(before.get(question.id));
            let a = AnswerState::of(after.get(question.id));
            (b != a).then_some(AnswerChange {
                topic,
                question,
                before: b,
                after: a,
            })
        })
        .collect();
    let topics = rb
        .topics
        .iter()
        .zip(&ra.topics)
        .map(|(b, a)| TopicChange {
            topic: b.topic,
            before: b.tally.whole_percent(),
            after: a.tally.whole_percent(),
            before_open_blockers: b.open_blockers,
            after_open_blockers: a.open_blockers,
            changed_answers: answers.iter().filter(|c| c.topic == b.topic).count(),
        })
        .collect();
    let open_in = |r: &Report, q: &Question| r.launch.open_blockers.contains(&q);
    let blockers = || content::questions().map(|(_, q)| q).filter(|q| q.blocker);
    Comparison {
        before: Summary::of(&rb),
        after: Summary::of(&ra),
        topics,
        blockers_opened: blockers()
            .filter(|q| open_in(&ra, q) && !open_in(&rb, q))
            .collect(),
        blockers_closed: blockers()
            .filter(|q| open_in(&rb, q) && !open_in(&ra, q))
            .collect(),
        answers,
    }
}

/// What a reader must know about one side before trusting the comparison: it was written for an
/// older questionnaire, or some of its answers have no question here (`dropped` of them). `None`
/// when every answer was compared as written.
pub fn upgrade_notice(what: &str, from_version: u32, dropped: usize) -> Option<String> {
    let (answers, are) = if dropped == 1 {
        ("answer", "is")
    } else {
        ("answers", "are")
    };
    match (from_version < CONTENT_VERSION, dropped) {
        (false, 0) => None,
        (true, 0) => Some(format!(
            "{what} was written for version {from_version} of the questionnaire; every answer was carried over to version {CONTENT_VERSION}."
        )),
        (true, n) => Some(format!(
            "{what} was written for version {from_version} of the questionnaire: {n} {answers} could not be carried over to version {CONTENT_VERSION} and {are} compared as unanswered."
        )),
        (false, n) => Some(format!(
            "{what} has {n} {answers} to questions this questionnaire does not have (a team checklist that is not loaded, or a newer version); {} compared as unanswered.",
            if n == 1 { "it is" } else { "they are" }
        )),
    }
}

/// The change of a score in words: "+12 points", "−5 points", "no change", "n/a → 40%".
pub fn delta_text(before: Option<u32>, after: Option<u32>) -> String {
    match (before, after) {
        (Some(b), Some(a)) if a == b => "no change".to_string(),
        (Some(b), Some(a)) if a > b => format!("+{} {}", a - b, points(a - b)),
        (Some(b), Some(a)) => format!("\u{2212}{} {}", b - a, points(b - a)),
        (None, None) => "no change".to_string(),
        (b, a) => format!("{} \u{2192} {}", pct(b), pct(a)),
    }
}

fn points(n: u32) -> &'static str {
    if n == 1 {
        "point"
    } else {
        "points"
    }
}

/// "42%" or "n/a".
pub fn pct(p: Option<u32>) -> String {
    p.map_or_else(|| "n/a".to_string(), |p| format!("{p}%"))
}

/// Whether the change is for the better, worse, or neither; drives the arrow a reader sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Better,
    Worse,
    Same,
}

impl Direction {
    /// A word that carries the meaning without colour.
    pub fn word(self) -> &'static str {
        match self {
            Direction::Better => "better",
            Direction::Worse => "worse",
            Direction::Same => "unchanged",
        }
    }
}

pub fn score_direction(before: Option<u32>, after: Option<u32>) -> Direction {
    match before.unwrap_or(0).cmp(&after.unwrap_or(0)) {
        std::cmp::Ordering::Less => Direction::Better,
        std::cmp::Ordering::Greater => Direction::Worse,
        std::cmp::Ordering::Equal => Direction::Same,
    }
}

impl Comparison {
    pub fn decision_direction(&self) -> Direction {
        match (self.before.decision, self.after.decision) {
            (Decision::NoGo, Decision::Go) => Direction::Better,
            (Decision::Go, Decision::NoGo) => Direction::Worse,
            _ => match self.before.open_blockers.cmp(&self.after.open_blockers) {
                std::cmp::Ordering::Greater => Direction::Better,
                std::cmp::Ordering::Less => Direction::Worse,
                std::cmp::Ordering::Equal => Direction::Same,
            },
        }
    }

    pub fn level_direction(&self) -> Direction {
        match self.before.level.cmp(&self.after.level) {
            std::cmp::Ordering::Less => Direction::Better,
            std::cmp::Ordering::Greater => Direction::Worse,
            std::cmp::Ordering::Equal => Direction::Same,
        }
    }

    /// One line per verdict for the top of the comparison, in the same words everywhere:
    /// "Score: 40% → 52% (+12 points)", "Launch decision: No-go (3 open blockers) → Go",
    /// "Level: Not ready (0 of 4) → Foundation (1 of 4)".
    pub fn headlines(&self) -> [String; 3] {
        let (b, a) = (&self.before, &self.after);
        let arrow = |x: String, y: String| {
            if x == y {
                format!("{x} (unchanged)")
            } else {
                format!("{x} \u{2192} {y}")
            }
        };
        let score = match (b.score, a.score) {
            (x, y) if x == y => format!("Score: {} (unchanged)", pct(x)),
            (x, y) => format!(
                "Score: {} \u{2192} {} ({})",
                pct(x),
                pct(y),
                delta_text(x, y)
            ),
        };
        [
            score,
            format!(
                "Launch decision: {}",
                arrow(b.decision_text(), a.decision_text())
            ),
            format!("Level: {}", arrow(b.level_text(), a.level_text())),
        ]
    }

    /// The comparison as Markdown, for meeting minutes.
    pub fn markdown(&self, before_name: &str, after_name: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# Comparison: {} \u{2192} {}\n",
            md_escape(before_name),
            md_escape(after_name)
        );
        for line in self.headlines() {
            let _ = writeln!(s, "- {line}");
        }
        self.markdown_blockers(&mut s);
        let _ = writeln!(
            s,
            "\n## Topics that changed\n\n| Topic | Before | After | Change | Open blockers |\n|---|---:|---:|---|---:|"
        );
        for t in self.changed_topics() {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} \u{2192} {} |",
                md_escape(t.topic.title),
                pct(t.before),
                pct(t.after),
                delta_text(t.before, t.after),
                t.before_open_blockers,
                t.after_open_blockers
            );
        }
        let _ = writeln!(s, "\n## Answers that changed ({})\n", self.answers.len());
        for c in &self.answers {
            let _ = writeln!(
                s,
                "- {}: {} \u{2192} {} ({})",
                md_escape(c.question.text),
                c.before.label(),
                c.after.label(),
                md_escape(c.topic.title)
            );
        }
        s
    }

    fn markdown_blockers(&self, s: &mut String) {
        for (title, list) in [
            ("Launch blockers closed", &self.blockers_closed),
            ("Launch blockers opened", &self.blockers_opened),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(s, "\n## {title} ({})\n", list.len());
            for q in list {
                let _ = writeln!(s, "- {}", md_escape(q.text));
            }
        }
    }
}
