//! "Why this file": the factors, questions and answers the explorer shows next to a file come
//! from the content's file links, and follow the team's answers.

use tfstudio::core::answers::{Answer, Answers, Response};
use tfstudio::core::content::{self, FileId};
use tfstudio::core::explain;
use tfstudio::core::generate;
use tfstudio::core::spec::{DeployTarget, ProjectSpec};

// Every question that names the Dockerfile is listed, with its topic, and no other.
#[test]
fn a_file_lists_exactly_the_questions_that_name_it() {
    let why = explain::explain(FileId::Dockerfile, &Answers::default());
    let expected: Vec<&str> = content::questions()
        .filter(|(_, q)| q.files.contains(&FileId::Dockerfile))
        .map(|(_, q)| q.id)
        .collect();
    let listed: Vec<&str> = why.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(listed, expected);
    assert!(!why.factors.is_empty(), "the Dockerfile serves factors");
    assert!(
        why.factors.iter().all(|f| f.contains(". ")),
        "{:?}",
        why.factors
    );
    assert!(!why.purpose.is_empty());
    assert!(why
        .questions
        .iter()
        .all(|q| q.open && q.answer == "Unanswered"));
}

// A question answered Yes (or N/A with a reason) is served but no longer open; Partly and an
// N/A without a reason stay open.
#[test]
fn answers_decide_which_questions_the_file_helps_close() {
    let ids: Vec<&str> = content::questions()
        .filter(|(_, q)| q.files.contains(&FileId::CiWorkflow))
        .map(|(_, q)| q.id)
        .take(4)
        .collect();
    assert_eq!(
        ids.len(),
        4,
        "the CI workflow serves at least four questions"
    );
    let mut answers = Answers::default();
    answers.set_answer(ids[0], Some(Answer::Yes));
    answers.set_answer(ids[1], Some(Answer::Partly));
    answers.set_answer(ids[2], Some(Answer::NotApplicable));
    answers.set(
        ids[3],
        Response {
            answer: Some(Answer::NotApplicable),
            na_reason: "no such thing here".into(),
            note: String::new(),
        },
    );
    let why = explain::explain(FileId::CiWorkflow, &answers);
    let state = |id: &str| {
        let q = why.questions.iter().find(|q| q.id == id).unwrap();
        (q.answer.as_str(), q.open)
    };
    assert_eq!(state(ids[0]), ("Yes", false));
    assert_eq!(state(ids[1]), ("Partly", true));
    assert_eq!(state(ids[2]), ("N/A", true));
    assert_eq!(state(ids[3]), ("N/A", false));
    assert_eq!(why.open().count(), why.questions.len() - 2);
}

// The explanations cover the file ids a project has (no Kubernetes text for a Swarm project),
// and the runbook says it is written from the answers.
#[test]
fn a_project_is_explained_file_by_file() {
    let spec = ProjectSpec::default();
    assert_eq!(spec.deploy_target, DeployTarget::Swarm);
    let project = generate::generate(&spec, &Answers::default()).unwrap();
    let all = explain::explain_project(&project.files, &Answers::default());
    let ids: Vec<FileId> = all.iter().map(|e| e.file).collect();
    assert!(ids.contains(&FileId::Dockerfile) && ids.contains(&FileId::ComposeProd));
    assert!(!ids.contains(&FileId::KubernetesBase));
    let readme = all.iter().find(|e| e.file == FileId::Readme).unwrap();
    assert!(readme.from_answers.is_some());
    for e in &all {
        assert!(!e.purpose.is_empty(), "{:?} has a purpose", e.file);
    }
}

// Each question links to its topic's page in the guide.
#[test]
fn questions_point_at_their_guide_step() {
    let why = explain::explain(FileId::EnvExample, &Answers::default());
    let topics: Vec<_> = content::topics().collect();
    for q in &why.questions {
        let topic = topics[q.guide_step];
        assert!(topic.questions.iter().any(|tq| tq.id == q.id));
        assert_eq!(topic.heading(), q.topic);
    }
}
