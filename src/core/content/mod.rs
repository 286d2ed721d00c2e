//! The checklist content: the twelve factors and the deployment-readiness sections.
//!
//! Content is one declarative list of [`Topic`]s, each carrying its own text and questions.
//! It is plain static data so the first screen can show it without parsing anything, and it is
//! checked by tests (unique ids, no empty text, 3-6 questions per factor, valid file ids).

/// A long text (why, the examples, help, remediation) of every topic but the first. The page's
/// build (feature `page`) leaves it out of its module and shows it once the worker has sent it
/// ([`texts`]); the first topic keeps its texts, so the first screen waits for nothing. Elsewhere
/// (worker, CLI, tests) it is the literal.
#[cfg(not(feature = "page"))]
macro_rules! later {
    ($text:literal) => {
        $text
    };
}
#[cfg(feature = "page")]
macro_rules! later {
    ($text:literal) => {
        ""
    };
}

pub mod custom;
mod factors;
pub mod migrations;
mod operations;
mod readiness;
pub mod texts;
pub mod v1;

use serde::{Deserialize, Serialize};

/// Identifies this questionnaire in saved documents and share links.
pub const CONTENT_ID: &str = "twelve-factor-studio";
/// Bumped whenever a question is added, removed or changes meaning.
pub const CONTENT_VERSION: u32 = 2;

/// A generated file that helps satisfy a question. The generator produces exactly these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileId {
    Dockerfile,
    Dockerignore,
    Compose,
    ComposeProd,
    CiWorkflow,
    Procfile,
    EnvExample,
    Readme,
    App,
    DeployScript,
    SmokeTest,
    /// `deploy/kubernetes/base/`: Deployments, Service, autoscaler, disruption budget, release Job.
    KubernetesBase,
    /// `deploy/kubernetes/overlays/{staging,production}/`: namespace, replicas, resources, image.
    KubernetesOverlays,
}

impl FileId {
    pub const ALL: [FileId; 13] = [
        FileId::Dockerfile,
        FileId::Dockerignore,
        FileId::Compose,
        FileId::ComposeProd,
        FileId::CiWorkflow,
        FileId::Procfile,
        FileId::EnvExample,
        FileId::Readme,
        FileId::App,
        FileId::DeployScript,
        FileId::SmokeTest,
        FileId::KubernetesBase,
        FileId::KubernetesOverlays,
    ];

    /// The stable id used in documents and in the UI.
    pub fn id(self) -> &'static str {
        match self {
            FileId::Dockerfile => "dockerfile",
            FileId::Dockerignore => "dockerignore",
            FileId::Compose => "compose",
            FileId::ComposeProd => "compose_prod",
            FileId::CiWorkflow => "ci_workflow",
            FileId::Procfile => "procfile",
            FileId::EnvExample => "env_example",
            FileId::Readme => "readme",
            FileId::App => "app",
            FileId::DeployScript => "deploy_script",
            FileId::SmokeTest => "smoke_test",
            FileId::KubernetesBase => "kubernetes_base",
            FileId::KubernetesOverlays => "kubernetes_overlays",
        }
    }

    /// What a person calls the file.
    pub fn label(self) -> &'static str {
        match self {
            FileId::Dockerfile => "Dockerfile",
            FileId::Dockerignore => ".dockerignore",
            FileId::Compose => "docker-compose.yml",
            FileId::ComposeProd => "docker-compose.prod.yml",
            FileId::CiWorkflow => "CI workflow",
            FileId::Procfile => "Procfile",
            FileId::EnvExample => ".env.example",
            FileId::Readme => "README.md runbook",
            FileId::App => "application code",
            FileId::DeployScript => "scripts/deploy.sh",
            FileId::SmokeTest => "scripts/smoke-test.sh",
            FileId::KubernetesBase => "Kubernetes base manifests",
            FileId::KubernetesOverlays => "Kubernetes overlays (staging, production)",
        }
    }
}

/// Whether a topic is one of the twelve factors, a deployment-readiness section, or one of the
/// team's own topics from a custom checklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TopicKind {
    Factor,
    Readiness,
    Team,
}

/// The readiness levels, cumulative: each includes every requirement of the ones below.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// Below the first level: some Foundation question is not met.
    NotReady = 0,
    /// The basics of a twelve-factor service are in place.
    Foundation = 1,
    /// Everything expected before a first launch is met, every launch blocker included.
    Launchable = 2,
    /// The service can be run in production with confidence.
    Production = 3,
    /// Operations are exemplary: everything applicable is met.
    Exemplary = 4,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::NotReady,
        Level::Foundation,
        Level::Launchable,
        Level::Production,
        Level::Exemplary,
    ];

    pub fn from_number(n: u8) -> Option<Level> {
        Level::ALL.get(n as usize).copied()
    }

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::NotReady => "Not ready",
            Level::Foundation => "Foundation",
            Level::Launchable => "Launchable",
            Level::Production => "Production",
            Level::Exemplary => "Exemplary",
        }
    }

    /// One sentence a meeting can read aloud.
    pub fn meaning(self) -> &'static str {
        match self {
            Level::NotReady => "Some twelve-factor basics are still open.",
            Level::Foundation => "The twelve-factor basics are in place; practices expected before launch are still open.",
            Level::Launchable => "Everything expected before a first launch is in place, launch blockers included.",
            Level::Production => "The service can be operated in production with confidence.",
            Level::Exemplary => "Every applicable practice is met.",
        }
    }

    pub fn next(self) -> Option<Level> {
        Level::from_number(self.number() + 1)
    }
}

/// How much work closing a question usually takes, so the plan can put quick wins first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effort {
    /// Under a day for one person: a setting, a file, a short script.
    Small,
    /// A few days: a change across the pipeline or the app, or a new practice to set up.
    Medium,
    /// A week or more, or work that needs other teams: new infrastructure, a process change.
    Large,
}

impl Effort {
    pub const ALL: [Effort; 3] = [Effort::Small, Effort::Medium, Effort::Large];

    pub fn label(self) -> &'static str {
        match self {
            Effort::Small => "Small",
            Effort::Medium => "Medium",
            Effort::Large => "Large",
        }
    }

    /// Relative cost used to rank plan items by importance for effort.
    pub fn cost(self) -> f64 {
        match self {
            Effort::Small => 1.0,
            Effort::Medium => 2.0,
            Effort::Large => 4.0,
        }
    }
}

/// One question, answerable in a meeting. Its long texts are read through [`Question::help`]
/// and [`Question::remediation`]: the page's build may have them only once the worker sent them.
#[derive(Debug)]
pub struct Question {
    /// Stable id, unique across all topics, never reused for a different meaning.
    pub id: &'static str,
    pub text: &'static str,
    /// What the question means and how to tell the answer.
    pub(in crate::core::content) help: &'static str,
    /// Importance, 1 (nice to have) to 3 (essential).
    pub weight: u8,
    /// A "No" or an unanswered blocker keeps the service below [`Level::Launchable`].
    pub blocker: bool,
    /// The level at which this question becomes required (1 to 4).
    pub level: Level,
    /// How much work closing the question usually takes.
    pub effort: Effort,
    /// What to do, concretely, when the answer is not "Yes".
    pub(in crate::core::content) remediation: &'static str,
    /// Generated files that help satisfy the question.
    pub files: &'static [FileId],
}

/// A factor or a deployment-readiness section. Its long texts are read through [`Topic::why`],
/// [`Topic::looks_like`] and [`Topic::watch_out`] (see [`texts`]).
#[derive(Debug)]
pub struct Topic {
    /// Stable id, unique across topics.
    pub id: &'static str,
    pub kind: TopicKind,
    /// 1-12 for factors, the position in the readiness list for sections, the position in the
    /// team's checklist for its topics.
    pub number: u8,
    pub title: &'static str,
    /// The one-line principle.
    pub principle: &'static str,
    /// Why it matters, 2-4 sentences.
    pub(in crate::core::content) why: &'static str,
    /// A concrete example of the practice done right.
    pub(in crate::core::content) looks_like: &'static str,
    /// A concrete example of the practice going wrong.
    pub(in crate::core::content) watch_out: &'static str,
    pub questions: &'static [Question],
}

impl Topic {
    /// "Factor III" or "Readiness 4", for headings.
    pub fn label(&self) -> String {
        match self.kind {
            TopicKind::Factor => format!("Factor {}", roman(self.number)),
            TopicKind::Readiness => format!("Readiness {}", self.number),
            TopicKind::Team => format!("Team checklist {}", self.number),
        }
    }

    /// The name in tables and charts: "III. Config", "Health checks", "Audit logging (team)".
    pub fn heading(&self) -> String {
        match self.kind {
            TopicKind::Factor => format!("{}. {}", roman(self.number), self.title),
            TopicKind::Readiness => self.title.to_string(),
            TopicKind::Team => format!("{} (team)", self.title),
        }
    }
}

/// Roman numeral for 1-12 (factor numbers).
pub fn roman(n: u8) -> &'static str {
    const R: [&str; 13] = [
        "", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    R.get(n as usize).copied().unwrap_or("?")
}

/// Every topic, factors first (I-XII), then the readiness sections (the operations sections
/// numbered after them), then the team's own topics when a custom checklist is installed on
/// this thread.
pub fn topics() -> impl Iterator<Item = &'static Topic> {
    factors::FACTORS
        .iter()
        .chain(readiness_sections())
        .chain(custom::topics())
}

/// The ids of our own topics and questions, which a custom checklist may not reuse.
pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
    factors::FACTORS
        .iter()
        .chain(readiness_sections())
        .flat_map(|t| std::iter::once(t.id).chain(t.questions.iter().map(|q| q.id)))
}

pub fn factors() -> &'static [Topic] {
    factors::FACTORS
}

/// The deployment-readiness sections, in order: the deploy-pipeline ones, then operations.
pub fn readiness_sections() -> impl Iterator<Item = &'static Topic> {
    readiness::READINESS
        .iter()
        .chain(operations::OPERATIONS.iter())
}

/// Every question with the topic it belongs to, in display order.
pub fn questions() -> impl Iterator<Item = (&'static Topic, &'static Question)> {
    topics().flat_map(|t| t.questions.iter().map(move |q| (t, q)))
}

pub fn topic(id: &str) -> Option<&'static Topic> {
    topics().find(|t| t.id == id)
}

pub fn question(id: &str) -> Option<(&'static Topic, &'static Question)> {
    questions().find(|(_, q)| q.id == id)
}

impl Question {
    /// What the question means and how to tell the answer (see [`texts`] for the page).
    pub fn help(&self) -> &'static str {
        texts::or_loaded(self.help, |t| t.question(self.id).map(|q| q.help.as_str()))
    }

    /// What to do when the answer is not "Yes" (see [`texts`] for the page).
    pub fn remediation(&self) -> &'static str {
        texts::or_loaded(self.remediation, |t| {
            t.question(self.id).map(|q| q.remediation.as_str())
        })
    }
}

impl Topic {
    /// Why it matters (see [`texts`] for the page).
    pub fn why(&self) -> &'static str {
        texts::or_loaded(self.why, |t| t.topic(self.id).map(|t| t.why.as_str()))
    }

    /// The practice done right (see [`texts`] for the page).
    pub fn looks_like(&self) -> &'static str {
        texts::or_loaded(self.looks_like, |t| {
            t.topic(self.id).map(|t| t.looks_like.as_str())
        })
    }

    /// The practice going wrong (see [`texts`] for the page).
    pub fn watch_out(&self) -> &'static str {
        texts::or_loaded(self.watch_out, |t| {
            t.topic(self.id).map(|t| t.watch_out.as_str())
        })
    }
}

/// Questions are identified by their id.
impl PartialEq for Question {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// Topics are identified by their id.
impl PartialEq for Topic {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}
