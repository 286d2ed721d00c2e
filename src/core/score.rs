//! Scoring: percentages per topic and overall, coverage, the readiness level with its
//! explanation, and the improvement plan.
//!
//! The rules, in plain words (README.md repeats them for users):
//! - Yes earns a question's full weight, Partly half, No and unanswered nothing.
//! - N/A with a reason leaves the question out of the denominator; N/A without a reason
//!   counts as unanswered.
//! - A level is reached when every applicable question required at that level and below is
//!   answered Yes. Levels are cumulative.
//! - A launch blocker answered No or left unanswered caps the level at Foundation.

use super::answers::{Answer, Answers};
use super::content::{self, FileId, Level, Question, Topic, TopicKind};

/// Credit in half-points: Yes = 2, Partly = 1, otherwise 0. None means "not applicable".
fn credit(answer: Option<Answer>) -> Option<u32> {
    match answer {
        Some(Answer::Yes) => Some(2),
        Some(Answer::Partly) => Some(1),
        Some(Answer::No) | None => Some(0),
        Some(Answer::NotApplicable) => None,
    }
}

/// A percentage with the raw figures behind it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    /// Earned credit, in half weight points.
    pub earned: u32,
    /// Applicable credit, in half weight points (N/A excluded).
    pub possible: u32,
    /// Questions with a counted answer (N/A with a reason counts as answered).
    pub answered: u32,
    pub total: u32,
}

impl Tally {
    fn add(&mut self, q: &Question, answers: &Answers) {
        let effective = answers.effective(q.id);
        self.total += 1;
        if effective.is_some() {
            self.answered += 1;
        }
        if let Some(c) = credit(effective) {
            self.earned += c * q.weight as u32;
            self.possible += 2 * q.weight as u32;
        }
    }

    /// The score, 0-100, or `None` when nothing applies (every question N/A).
    pub fn percent(&self) -> Option<f64> {
        (self.possible > 0).then(|| 100.0 * self.earned as f64 / self.possible as f64)
    }

    /// The score rounded down to a whole percent, so 99.6% never shows as 100%.
    pub fn whole_percent(&self) -> Option<u32> {
        self.percent().map(|p| p.floor() as u32)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TopicScore {
    pub topic: &'static Topic,
    pub tally: Tally,
    /// Unmet launch blockers in this topic.
    pub open_blockers: u32,
}

/// Why the level is what it is and what the next one needs.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelExplanation {
    pub level: Level,
    /// Full sentences, in order, explaining the level.
    pub reasons: Vec<String>,
    pub next: Option<Level>,
    /// The questions that must become Yes (or N/A with a reason) to reach `next`.
    pub missing_for_next: Vec<&'static Question>,
    /// Launch blockers answered No or unanswered.
    pub open_blockers: Vec<&'static Question>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanItem {
    pub topic: &'static Topic,
    pub question: &'static Question,
    pub answer: Option<Answer>,
    /// Weight times missing credit (No/unanswered 1, Partly 0.5).
    pub priority: f64,
    pub files: &'static [FileId],
}

#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub overall: Tally,
    pub factors: Tally,
    pub readiness: Tally,
    pub topics: Vec<TopicScore>,
    pub level: LevelExplanation,
    pub plan: Vec<PlanItem>,
}

impl Report {
    pub fn topic(&self, id: &str) -> Option<&TopicScore> {
        self.topics.iter().find(|t| t.topic.id == id)
    }
}

fn is_met(answers: &Answers, q: &Question) -> bool {
    matches!(
        answers.effective(q.id),
        Some(Answer::Yes) | Some(Answer::NotApplicable)
    )
}

fn is_open_blocker(answers: &Answers, q: &Question) -> bool {
    q.blocker && matches!(answers.effective(q.id), Some(Answer::No) | None)
}

/// Scores an assessment against the current content.
pub fn score(answers: &Answers) -> Report {
    let mut overall = Tally::default();
    let mut factors = Tally::default();
    let mut readiness = Tally::default();
    let mut topics = Vec::new();
    for topic in content::topics() {
        let mut tally = Tally::default();
        let mut open_blockers = 0;
        for q in topic.questions {
            tally.add(q, answers);
            overall.add(q, answers);
            match topic.kind {
                TopicKind::Factor => factors.add(q, answers),
                TopicKind::Readiness => readiness.add(q, answers),
            }
            if is_open_blocker(answers, q) {
                open_blockers += 1;
            }
        }
        topics.push(TopicScore {
            topic,
            tally,
            open_blockers,
        });
    }
    Report {
        overall,
        factors,
        readiness,
        topics,
        level: level(answers),
        plan: plan(answers),
    }
}

/// The reached level and its explanation.
pub fn level(answers: &Answers) -> LevelExplanation {
    let unmet_at = |l: Level| -> Vec<&'static Question> {
        content::questions()
            .map(|(_, q)| q)
            .filter(|q| q.level <= l && !is_met(answers, q))
            .collect()
    };
    // A level also needs something real behind it: at least one question at or below it
    // answered Yes, so an assessment that marks everything N/A does not claim a level.
    let has_yes_at = |l: Level| {
        content::questions()
            .any(|(_, q)| q.level <= l && answers.effective(q.id) == Some(Answer::Yes))
    };
    let mut reached = Level::NotReady;
    for l in &Level::ALL[1..] {
        if unmet_at(*l).is_empty() && has_yes_at(*l) {
            reached = *l;
        } else {
            break;
        }
    }
    let open_blockers: Vec<&'static Question> = content::questions()
        .map(|(_, q)| q)
        .filter(|q| is_open_blocker(answers, q))
        .collect();

    let mut reasons = Vec::new();
    let by_rules = reached;
    if !open_blockers.is_empty() && reached > Level::Foundation {
        reached = Level::Foundation;
    }
    if reached == Level::NotReady && unmet_at(Level::Foundation).is_empty() {
        reasons.push(
            "Not ready: every Foundation question is marked N/A, so nothing shows the basics are in place. Answer at least one of them Yes."
                .to_string(),
        );
    } else if reached == Level::NotReady {
        let n = unmet_at(Level::Foundation).len();
        reasons.push(format!(
            "Not ready: {n} {} required for Foundation {} not yet answered Yes (or N/A with a reason).",
            plural(n, "question", "questions"),
            if n == 1 { "is" } else { "are" }
        ));
    } else {
        reasons.push(format!(
            "{}: every applicable question required at this level and below is answered Yes.",
            reached.name()
        ));
    }
    if !open_blockers.is_empty() {
        let n = open_blockers.len();
        reasons.push(format!(
            "{n} launch {} answered No or left unanswered, so the level cannot rise above Foundation{}.",
            plural(n, "blocker is", "blockers are"),
            if by_rules > reached { " (it would otherwise be higher)" } else { "" }
        ));
    }
    let next = reached.next();
    let missing_for_next = next.map(unmet_at).unwrap_or_default();
    if let Some(next) = next {
        let n = missing_for_next.len();
        reasons.push(format!(
            "To reach {}, {n} more {} must be answered Yes or marked N/A with a reason.",
            next.name(),
            plural(n, "question", "questions")
        ));
    }
    LevelExplanation {
        level: reached,
        reasons,
        next,
        missing_for_next,
        open_blockers,
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Unmet items: blockers first, then by weight times missing credit, then by level and order.
pub fn plan(answers: &Answers) -> Vec<PlanItem> {
    let mut items: Vec<(usize, PlanItem)> = content::questions()
        .enumerate()
        .filter_map(|(order, (topic, q))| {
            let answer = answers.effective(q.id);
            let missing = match answer {
                Some(Answer::Yes) | Some(Answer::NotApplicable) => return None,
                Some(Answer::Partly) => 0.5,
                Some(Answer::No) | None => 1.0,
            };
            let item = PlanItem {
                topic,
                question: q,
                answer,
                priority: q.weight as f64 * missing,
                files: q.files,
            };
            Some((order, item))
        })
        .collect();
    items.sort_by(|(ao, a), (bo, b)| {
        b.question
            .blocker
            .cmp(&a.question.blocker)
            .then(b.priority.total_cmp(&a.priority))
            .then(a.question.level.cmp(&b.question.level))
            .then(ao.cmp(bo))
    });
    items.into_iter().map(|(_, i)| i).collect()
}
