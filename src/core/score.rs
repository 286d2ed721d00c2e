//! Scoring: percentages per topic and overall, coverage, the readiness level with its
//! explanation, and the improvement plan.
//!
//! Two verdicts sit side by side and never mix:
//! - The **launch decision** (Go / No-go) is decided by the launch blockers alone: Go when every
//!   blocker is met. A blocker is met only by Yes, or by N/A with a reason; Partly, No,
//!   unanswered and N/A without a reason leave it open.
//! - The **maturity level** is cumulative: a level is reached when every applicable question
//!   required at that level and below is answered Yes (or N/A with a reason). Every blocker is
//!   required at Launchable or below (a content test checks it), so Launchable and above imply Go.
//!
//! The score: Yes earns a question's full weight, Partly half, No and unanswered nothing; N/A
//! with a reason leaves the question out of the denominator. README.md repeats these rules.

use super::answers::{Answer, Answers};
use super::content::{self, Effort, FileId, Level, Question, Topic, TopicKind};

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
}

/// Go or No-go, decided by the launch blockers alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Go,
    NoGo,
}

impl Decision {
    pub fn label(self) -> &'static str {
        match self {
            Decision::Go => "Go",
            Decision::NoGo => "No-go",
        }
    }
}

/// The launch decision and why.
#[derive(Clone, Debug, PartialEq)]
pub struct LaunchDecision {
    pub decision: Decision,
    /// Launch blockers not met: answered Partly or No, unanswered, or N/A without a reason.
    pub open_blockers: Vec<&'static Question>,
    /// Every launch blocker in the content.
    pub total_blockers: usize,
    /// Full sentences explaining the decision.
    pub reasons: Vec<String>,
}

impl LaunchDecision {
    /// "Go" or "No-go: 3 open launch blockers", the same words on every surface.
    pub fn summary(&self) -> String {
        match self.decision {
            Decision::Go => format!("Go: all {} launch blockers met", self.total_blockers),
            Decision::NoGo => {
                let n = self.open_blockers.len();
                format!(
                    "No-go: {n} open launch {}",
                    plural(n, "blocker", "blockers")
                )
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanItem {
    pub topic: &'static Topic,
    pub question: &'static Question,
    pub answer: Option<Answer>,
    /// Weight times missing credit (No/unanswered 1, Partly 0.5).
    pub priority: f64,
    pub effort: Effort,
    pub files: &'static [FileId],
}

impl PlanItem {
    /// Importance for the effort: priority divided by the effort's relative cost.
    pub fn value(&self) -> f64 {
        self.priority / self.effort.cost()
    }

    /// Whether this item keeps the launch decision at No-go.
    pub fn blocks_launch(&self) -> bool {
        self.question.blocker
    }
}

/// How many actions the plan puts first.
pub const NEXT_ACTIONS: usize = 5;

#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub overall: Tally,
    pub factors: Tally,
    pub readiness: Tally,
    /// The team's own topics (all zero when no custom checklist is installed).
    pub team: Tally,
    pub topics: Vec<TopicScore>,
    pub launch: LaunchDecision,
    pub level: LevelExplanation,
    pub plan: Vec<PlanItem>,
}

impl Report {
    pub fn topic(&self, id: &str) -> Option<&TopicScore> {
        self.topics.iter().find(|t| t.topic.id == id)
    }

    /// The one-line verdict shown in the header, results, report, CLI and generated README:
    /// "No-go: 3 open launch blockers · Level Foundation (1 of 4)".
    pub fn verdict_line(&self) -> String {
        let l = self.level.level;
        format!(
            "{} · Level {} ({} of 4)",
            self.launch.summary(),
            l.name(),
            l.number()
        )
    }

    /// The plan's first actions: open launch blockers first, then the best importance for
    /// effort, then the lower level, then content order.
    pub fn next_actions(&self) -> Vec<&PlanItem> {
        let mut items: Vec<(usize, &PlanItem)> = self.plan.iter().enumerate().collect();
        items.sort_by(|(ai, a), (bi, b)| {
            b.blocks_launch()
                .cmp(&a.blocks_launch())
                .then(b.value().total_cmp(&a.value()))
                .then(a.question.level.cmp(&b.question.level))
                .then(ai.cmp(bi))
        });
        items
            .into_iter()
            .take(NEXT_ACTIONS)
            .map(|(_, item)| item)
            .collect()
    }
}

fn is_met(answers: &Answers, q: &Question) -> bool {
    matches!(
        answers.effective(q.id),
        Some(Answer::Yes) | Some(Answer::NotApplicable)
    )
}

/// A blocker is open unless it is met: Partly does not meet it.
fn is_open_blocker(answers: &Answers, q: &Question) -> bool {
    q.blocker && !is_met(answers, q)
}

/// Scores an assessment against the current content.
pub fn score(answers: &Answers) -> Report {
    let mut overall = Tally::default();
    let mut factors = Tally::default();
    let mut readiness = Tally::default();
    let mut team = Tally::default();
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
                TopicKind::Team => team.add(q, answers),
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
        team,
        topics,
        launch: launch_decision(answers),
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
    let mut reasons = Vec::new();
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
    }
}

/// Go when every launch blocker is met; the reasons name what keeps it at No-go.
pub fn launch_decision(answers: &Answers) -> LaunchDecision {
    let blockers: Vec<&'static Question> = content::questions()
        .map(|(_, q)| q)
        .filter(|q| q.blocker)
        .collect();
    let open_blockers: Vec<&'static Question> = blockers
        .iter()
        .copied()
        .filter(|q| is_open_blocker(answers, q))
        .collect();
    let total_blockers = blockers.len();
    let mut reasons = Vec::new();
    if open_blockers.is_empty() {
        reasons.push(format!(
            "Go: all {total_blockers} launch blockers are answered Yes or marked N/A with a reason."
        ));
    } else {
        let count = |wanted: fn(Option<Answer>) -> bool| {
            open_blockers
                .iter()
                .filter(|q| wanted(answers.effective(q.id)))
                .count()
        };
        let partly = count(|a| a == Some(Answer::Partly));
        let no = count(|a| a == Some(Answer::No));
        let unanswered = count(|a| a.is_none());
        let parts: Vec<String> = [
            (no, "answered No"),
            (partly, "answered Partly"),
            (unanswered, "unanswered"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        let n = open_blockers.len();
        reasons.push(format!(
            "No-go: {n} of {total_blockers} launch blockers {} not met ({}).",
            plural(n, "is", "are"),
            parts.join(", ")
        ));
        if partly > 0 {
            reasons.push(
                "A launch blocker counts as met only when answered Yes, or N/A with a reason: Partly leaves it open."
                    .to_string(),
            );
        }
    }
    LaunchDecision {
        decision: if open_blockers.is_empty() {
            Decision::Go
        } else {
            Decision::NoGo
        },
        open_blockers,
        total_blockers,
        reasons,
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Unmet items: launch blockers first, then by weight times missing credit, then by level and
/// content order. [`Report::next_actions`] reorders the first few by importance for effort.
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
                effort: q.effort,
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
