//! "Why this file": what a generated file is for, which factors and review questions it
//! serves, and where the team's answers to those questions stand.
//!
//! Everything is derived from the content's file links (`Question::files`), the same links the
//! plan uses to point at `#/generate?file=…`, so the plan and the explorer cannot disagree.

use serde::{Deserialize, Serialize};

use super::answers::{Answer, Answers};
use super::content::{self, FileId, TopicKind};
use super::generate::GeneratedFile;

/// The explanation of one generated file (for every path of that file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub file: FileId,
    /// What the file is for, one sentence.
    pub purpose: String,
    /// How the team's answers are written into the file itself, when they are.
    pub from_answers: Option<String>,
    /// The twelve factors it serves ("III. Config"), in content order.
    pub factors: Vec<String>,
    /// The readiness sections it serves, in content order.
    pub sections: Vec<String>,
    /// The review questions that name the file, in content order.
    pub questions: Vec<Served>,
}

impl Explanation {
    /// The questions it helps close: those not yet answered Yes (or N/A with a reason).
    pub fn open(&self) -> impl Iterator<Item = &Served> {
        self.questions.iter().filter(|q| q.open)
    }
}

/// A review question a file serves, with the team's answer to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Served {
    pub id: String,
    pub text: String,
    /// The heading of its topic ("III. Config", "Health checks").
    pub topic: String,
    /// The topic's position in the guide, for a link to `#/guide/<step + 1>`.
    pub guide_step: usize,
    pub blocker: bool,
    /// "Yes", "Partly", "No", "N/A" or "Unanswered".
    pub answer: String,
    /// Not answered Yes, nor N/A with a reason: the file helps close it.
    pub open: bool,
}

/// One sentence per file: what it is for, as an SRE would put it.
pub fn purpose(file: FileId) -> &'static str {
    match file {
        FileId::Dockerfile => "Builds the image in stages and runs the app as an unprivileged user, with a healthcheck on the health path.",
        FileId::Dockerignore => "Keeps secrets, local state and build output out of the image's build context.",
        FileId::Compose => "Runs the app with its backing services on a laptop, configured only through the environment, as in production.",
        FileId::ComposeProd => "The Swarm stack: replicas, rolling updates that roll back on failure, secrets from files, and health-gated starts.",
        FileId::CiWorkflow => "Tests, builds and pushes one image per commit, and promotes that same image on a version tag without rebuilding it.",
        FileId::Procfile => "Declares each process type (web, worker, scheduler, release) as one command of the same build.",
        FileId::EnvExample => "Lists every variable the app reads, with safe examples, so a new environment knows what to set.",
        FileId::Readme => "The runbook: how to run, configure, deploy, roll back and observe the service, and the review's open items.",
        FileId::App => "A starter app that keeps the contract the other files rely on: config from the environment, the port, health and readiness, JSON logs, a clean stop on SIGTERM.",
        FileId::DeployScript => "Deploys one image to one environment by digest (or by tag, to roll back), to Kubernetes or Swarm; it prints the commands until you switch it on.",
        FileId::SmokeTest => "CI's behaviour check on every push: starts the app, waits for health and readiness to answer 200, then expects a clean exit on SIGTERM.",
        FileId::KubernetesBase => "The workloads every environment shares: Deployments with probes and limits, the Service, autoscaler, disruption budget, network policy and release Job.",
        FileId::KubernetesOverlays => "What differs per environment (namespace, replicas, resources, image digest), on top of the shared base.",
    }
}

/// Whether the team's answers are written into the file itself (beyond the questions it serves).
fn from_answers(file: FileId) -> Option<&'static str> {
    match file {
        FileId::Readme => Some("Its review section is written from your answers: the verdict, each factor's score and the open questions, launch blockers first."),
        FileId::Dockerfile
        | FileId::Dockerignore
        | FileId::Compose
        | FileId::ComposeProd
        | FileId::CiWorkflow
        | FileId::Procfile
        | FileId::EnvExample
        | FileId::App
        | FileId::DeployScript
        | FileId::SmokeTest
        | FileId::KubernetesBase
        | FileId::KubernetesOverlays => None,
    }
}

/// Why `file` is generated, with the team's current answers.
pub fn explain(file: FileId, answers: &Answers) -> Explanation {
    let mut explanation = Explanation {
        file,
        purpose: purpose(file).to_string(),
        from_answers: from_answers(file).map(str::to_string),
        factors: Vec::new(),
        sections: Vec::new(),
        questions: Vec::new(),
    };
    for (step, topic) in content::topics().enumerate() {
        let served: Vec<Served> = topic
            .questions
            .iter()
            .filter(|q| q.files.contains(&file))
            .map(|q| {
                let answer = answers.effective(q.id);
                Served {
                    id: q.id.to_string(),
                    text: q.text.to_string(),
                    topic: topic.heading(),
                    guide_step: step,
                    blocker: q.blocker,
                    answer: answers
                        .get(q.id)
                        .and_then(|r| r.answer)
                        .map_or("Unanswered", Answer::label)
                        .to_string(),
                    open: !matches!(answer, Some(Answer::Yes | Answer::NotApplicable)),
                }
            })
            .collect();
        if served.is_empty() {
            continue;
        }
        match topic.kind {
            TopicKind::Factor => explanation.factors.push(topic.heading()),
            TopicKind::Readiness | TopicKind::Team => explanation.sections.push(topic.heading()),
        }
        explanation.questions.extend(served);
    }
    explanation
}

/// The explanations of the files a project has, one per file id present, in `FileId::ALL`
/// order.
pub fn explain_project(files: &[GeneratedFile], answers: &Answers) -> Vec<Explanation> {
    FileId::ALL
        .into_iter()
        .filter(|id| files.iter().any(|f| f.file_id == Some(*id)))
        .map(|id| explain(id, answers))
        .collect()
}
