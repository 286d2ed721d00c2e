//! The team's own questions: the checklist format is validated with messages that name the line
//! or the field, and an installed checklist counts in the score, level and launch decision by the
//! same rules, travels with documents and share links, and works from the command line.

use std::collections::BTreeSet;

use tfstudio::core::answers::{load_document, Answer, Answers, Document};
use tfstudio::core::content::custom::{self, Checklist};
use tfstudio::core::content::{self, TopicKind};
use tfstudio::core::report::markdown;
use tfstudio::core::score::{self, Decision};
use tfstudio::core::share;

const EXAMPLE: &str = include_str!("../examples/team-checklist.json");
const SCHEMA: &str = include_str!("../docs/checklist.schema.json");

fn example() -> Checklist {
    custom::parse(EXAMPLE).expect("the worked example is valid")
}

/// The example with one change applied to its JSON.
fn broken(change: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    change(&mut value);
    value.to_string()
}

#[test]
fn every_kind_of_mistake_is_named_where_it_is() {
    // Table: a broken file -> where the message points and what it says.
    let long = "x".repeat(custom::MAX_TEXT_CHARS + 1);
    let cases: Vec<(String, &str, &str)> = vec![
        (
            "{\n  \"format\": \"twelve-factor-studio/checklist\",\n  oops\n}".into(),
            "line 3, column 3",
            "key must be a string",
        ),
        (
            broken(|v| v["colour"] = "blue".into()),
            "line 1",
            "unknown field `colour`, expected one of",
        ),
        (
            broken(|v| v["topics"][0]["questions"][0]["wieght"] = 2.into()),
            "line 1",
            "unknown field `wieght`",
        ),
        (
            broken(|v| v["format"] = "something-else".into()),
            "format",
            "twelve-factor-studio/checklist",
        ),
        (
            broken(|v| v["topics"][0]["questions"][0]["weight"] = 4.into()),
            "topics[0].questions[0].weight",
            "expected 1, 2 or 3",
        ),
        (
            broken(|v| v["topics"][0]["questions"][0]["text"] = "Do you trace".into()),
            "topics[0].questions[0].text",
            "ending in \"?\"",
        ),
        (
            broken(|v| v["topics"][0]["questions"][1]["level"] = "production".into()),
            "topics[0].questions[1].level",
            "launch blocker",
        ),
        (
            broken(|v| v["topics"][1]["questions"][0]["id"] = "acme-otel-traces".into()),
            "topics[1].questions[0].id",
            "already used",
        ),
        (
            broken(|v| v["topics"][0]["id"] = "config".into()),
            "topics[0].id",
            "already used",
        ),
        (
            broken(|v| v["topics"][0]["id"] = "Acme Observability".into()),
            "topics[0].id",
            "slug",
        ),
        (
            broken(|v| v["topics"][0]["why"] = "  ".into()),
            "topics[0].why",
            "must not be empty",
        ),
        (
            broken(|v| v["topics"][0]["help"] = serde_json::Value::Null),
            "line 1",
            "unknown field `help`",
        ),
        (
            broken(|v| v["topics"][0]["questions"][0]["help"] = long.clone().into()),
            "topics[0].questions[0].help",
            "at most 2000",
        ),
        (
            broken(|v| v["topics"] = serde_json::json!([])),
            "topics",
            "expected 1 to 12 topics",
        ),
        (
            broken(|v| v["topics"][0]["questions"][0]["effort"] = "huge".into()),
            "line 1",
            "unknown variant `huge`",
        ),
        (
            "x".repeat(custom::MAX_FILE_BYTES + 1),
            "file",
            "at most 512 KB",
        ),
    ];
    for (text, at, message) in cases {
        let errors = custom::parse(&text).expect_err(message);
        assert!(
            errors
                .iter()
                .any(|e| e.at.starts_with(at) && e.message.contains(message)),
            "expected `{at}: …{message}…`, got {errors:?}"
        );
    }
}

#[test]
fn all_problems_are_reported_at_once() {
    let text = broken(|v| {
        v["topics"][0]["questions"][0]["weight"] = 0.into();
        v["topics"][1]["questions"][0]["text"] = "No question mark".into();
    });
    assert_eq!(custom::parse(&text).unwrap_err().len(), 2);
}

#[test]
fn the_schema_describes_exactly_the_fields_the_format_accepts() {
    // The schema is valid JSON and its property names are the fields of the example, which
    // uses every field; serde refuses any other (deny_unknown_fields).
    let schema: serde_json::Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
    let keys = |v: &serde_json::Value| -> BTreeSet<String> {
        v.as_object().unwrap().keys().cloned().collect()
    };
    let example: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    assert_eq!(keys(&schema["properties"]), keys(&example));
    assert_eq!(
        keys(&schema["$defs"]["topic"]["properties"]),
        keys(&example["topics"][0])
    );
    assert_eq!(
        keys(&schema["$defs"]["question"]["properties"]),
        keys(&example["topics"][0]["questions"][1])
    );
}

#[test]
fn the_teams_questions_count_by_the_same_rules() {
    custom::install(Some(&example()));
    let team: Vec<_> = content::topics()
        .filter(|t| t.kind == TopicKind::Team)
        .collect();
    assert_eq!(team.len(), 2);
    let mut answers = Answers::default();
    for (t, q) in content::questions() {
        if t.kind != TopicKind::Team {
            answers.set_answer(q.id, Some(Answer::Yes));
        }
    }
    let r = score::score(&answers);
    assert_eq!(
        r.launch.decision,
        Decision::NoGo,
        "the team's blocker is open"
    );
    assert_eq!(
        r.launch
            .open_blockers
            .iter()
            .map(|q| q.id)
            .collect::<Vec<_>>(),
        vec!["acme-catalogue-entry"]
    );
    assert_eq!(r.team.total, 3);
    assert!(r.overall.total > r.factors.total + r.readiness.total);
    answers.set_answer("acme-catalogue-entry", Some(Answer::Partly));
    assert_eq!(
        score::score(&answers).launch.decision,
        Decision::NoGo,
        "Partly does not meet a team blocker either"
    );
    for id in [
        "acme-catalogue-entry",
        "acme-otel-traces",
        "acme-data-register",
    ] {
        answers.set_answer(id, Some(Answer::Yes));
    }
    let r = score::score(&answers);
    assert_eq!(r.launch.decision, Decision::Go);
    assert_eq!(r.overall.whole_percent(), Some(100));
    assert!(markdown(&r, &answers).contains("| Acme observability (team) |"));
    custom::install(None);
    assert!(
        content::topics().all(|t| t.kind != TopicKind::Team),
        "removing it removes its topics"
    );
}

#[test]
fn the_checklist_travels_with_documents_and_share_links() {
    custom::install(Some(&example()));
    let mut answers = Answers::default();
    answers.set_answer("acme-data-register", Some(Answer::No));
    answers.set_answer(content::questions().next().unwrap().1.id, Some(Answer::Yes));
    let json = Document::new(&answers, None).to_json();
    let link = share::encode(&answers, None);
    custom::install(None);

    // Loading does not install anything: the caller decides.
    let loaded = load_document(&json).unwrap();
    assert!(custom::installed().is_none());
    assert_eq!(loaded.checklist, Some(example()));
    assert_eq!(
        loaded.answers.effective("acme-data-register"),
        Some(Answer::No),
        "answers to the team's questions are kept"
    );
    assert!(loaded.dropped.is_empty());

    let shared = share::decode(&link).unwrap();
    assert_eq!(shared.checklist, Some(example()));
    assert_eq!(shared.answers, loaded.answers);

    // A document whose checklist is broken is refused with the field named.
    let bad = json.replace("\"weight\": 2", "\"weight\": 9");
    let err = load_document(&bad).unwrap_err().to_string();
    assert!(
        err.contains("team checklist") && err.contains(".weight"),
        "{err}"
    );
}
