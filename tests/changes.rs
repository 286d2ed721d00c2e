//! "What changed since your last download": the baseline is saved with the work (and comes back
//! from a generated project's own assessment.json), and the comparison marks added, removed and
//! changed files with a line diff a reviewer can read.

use tfstudio::core::answers::{load_document, Answer, Answers, Document};
use tfstudio::core::changes::{self, Counts, LastDownload, LineTag, Status};
use tfstudio::core::content;
use tfstudio::core::generate;
use tfstudio::core::spec::{DeployTarget, ProjectSpec};
use tfstudio::core::sync::{self, Clock};

fn spec() -> ProjectSpec {
    ProjectSpec {
        name: "billing-api".into(),
        ..ProjectSpec::default()
    }
}

fn files(spec: &ProjectSpec, answers: &Answers) -> Vec<generate::GeneratedFile> {
    generate::generate(spec, answers).unwrap().files
}

#[test]
fn the_same_settings_and_answers_change_nothing() {
    let a = files(&spec(), &Answers::default());
    assert!(changes::compare(&a, &a.clone()).is_empty());
    assert_eq!(Counts::of(&[]).summary(), "no changes");
}

// A new port is a changed line in the Dockerfile, shown with the old and new text and their
// line numbers, and three lines of context around it.
#[test]
fn a_new_port_marks_the_files_that_carry_it_with_a_line_diff() {
    let before = files(&spec(), &Answers::default());
    let after = files(
        &ProjectSpec {
            port: 9090,
            ..spec()
        },
        &Answers::default(),
    );
    let found = changes::compare(&before, &after);
    assert!(
        found.iter().all(|c| c.status == Status::Changed),
        "{found:?}"
    );
    assert_eq!(changes::status_of(&found, "Dockerfile"), Status::Changed);
    assert_eq!(changes::status_of(&found, ".dockerignore"), Status::Same);
    let dockerfile = found.iter().find(|c| c.path == "Dockerfile").unwrap();
    let lines: Vec<_> = dockerfile.hunks.iter().flatten().collect();
    let removed = lines.iter().find(|l| l.tag == LineTag::Removed).unwrap();
    let added = lines.iter().find(|l| l.tag == LineTag::Added).unwrap();
    assert!(
        removed.text.contains("8080") && removed.new.is_none(),
        "{removed:?}"
    );
    assert!(
        added.text.contains("9090") && added.old.is_none(),
        "{added:?}"
    );
    let old_text = &before
        .iter()
        .find(|f| f.path == "Dockerfile")
        .unwrap()
        .contents;
    assert_eq!(
        old_text.lines().nth(removed.old.unwrap() - 1),
        Some(removed.text.as_str()),
        "line numbers are 1-based and point at the line"
    );
    let first_hunk = &dockerfile.hunks[0];
    let leading = first_hunk
        .iter()
        .take_while(|l| l.tag == LineTag::Context)
        .count();
    assert!(leading <= changes::CONTEXT);
}

// Switching from Swarm to Kubernetes adds the manifests and removes the Swarm stack; a removed
// file's diff holds every line it had, since its text exists nowhere else any more.
#[test]
fn a_new_deploy_target_adds_and_removes_files() {
    let before = files(&spec(), &Answers::default());
    let after = files(
        &ProjectSpec {
            deploy_target: DeployTarget::Kubernetes,
            ..spec()
        },
        &Answers::default(),
    );
    let found = changes::compare(&before, &after);
    let counts = Counts::of(&found);
    assert!(counts.added >= 2 && counts.removed >= 1, "{counts:?}");
    assert_eq!(
        changes::status_of(&found, "deploy/kubernetes/base/deployment.yaml"),
        Status::Added
    );
    let prod = found
        .iter()
        .find(|c| c.path == "docker-compose.prod.yml")
        .unwrap();
    assert_eq!(prod.status, Status::Removed);
    let old_lines = before
        .iter()
        .find(|f| f.path == "docker-compose.prod.yml")
        .unwrap()
        .contents
        .lines()
        .count();
    let removed: usize = prod
        .hunks
        .iter()
        .flatten()
        .filter(|l| l.tag == LineTag::Removed)
        .count();
    assert_eq!(removed, old_lines);
    assert!(counts.summary().contains("added") && counts.summary().contains("removed"));
    for c in &found {
        assert!(
            !c.status.letter().is_empty() && c.status.label().contains("since your last download")
        );
    }
}

// An answer changes the README's plan and the assessment it carries, not the Dockerfile.
#[test]
fn a_changed_answer_changes_the_runbook_and_the_assessment_only() {
    let before = files(&spec(), &Answers::default());
    let mut answers = Answers::default();
    let (_, q) = content::questions().next().unwrap();
    answers.set_answer(q.id, Some(Answer::Yes));
    let found = changes::compare(&before, &files(&spec(), &answers));
    let paths: Vec<&str> = found.iter().map(|c| c.path.as_str()).collect();
    assert!(paths.contains(&"README.md"), "{paths:?}");
    assert!(
        paths.contains(&".twelve-factor/assessment.json"),
        "{paths:?}"
    );
    assert!(!paths.contains(&"Dockerfile"));
}

fn last_download() -> LastDownload {
    let mut answers = Answers::default();
    answers.set_answer("codebase-one-repo", Some(Answer::No));
    LastDownload::new(&spec(), &answers, "2026-12-03T10:14:07+01:00")
}

// The last download is saved with the work, exported and imported, and read back intact; an
// older document without one loads as before.
#[test]
fn the_last_download_travels_in_the_saved_document() {
    let doc =
        Document::new(&Answers::default(), Some(&spec())).with_last_download(Some(last_download()));
    let loaded = load_document(&doc.to_json()).unwrap();
    assert_eq!(loaded.last_download, Some(last_download()));
    assert_eq!(last_download().when(), "3 Dec 2026, 10:14");
    let older = Document::new(&Answers::default(), Some(&spec())).to_json();
    assert!(!older.contains("last_download") && !older.contains("generated"));
    assert_eq!(load_document(&older).unwrap().last_download, None);
}

// A project's own assessment.json, imported, is the baseline: nothing differs until a setting
// or an answer changes.
#[test]
fn an_imported_generated_assessment_is_the_baseline() {
    let mut answers = Answers::default();
    let (_, q) = content::questions().nth(3).unwrap();
    answers.set_answer(q.id, Some(Answer::Partly));
    let project = generate::generate(&spec(), &answers).unwrap();
    let json = &project
        .file(".twelve-factor/assessment.json")
        .unwrap()
        .contents;
    let loaded = load_document(json).unwrap();
    let last = loaded
        .last_download
        .expect("a generated assessment is a baseline");
    assert_eq!(last.project, spec());
    assert_eq!(last.answers(), answers);
    let again = files(&last.project, &last.answers());
    assert!(changes::compare(&again, &project.files).is_empty());
    // A plain export of the work is not a download: it carries no baseline of its own.
    let export = Document::new(&answers, Some(&spec())).to_json();
    assert_eq!(load_document(&export).unwrap().last_download, None);
}

// A download in one tab is the baseline in the other (the field merges like any other).
#[test]
fn the_last_download_is_a_field_tabs_merge() {
    let empty = sync::fields(&Answers::default(), &spec());
    let mut downloaded = empty.clone();
    sync::add_last_download(&mut downloaded, Some(&last_download()));
    let mut clock = Clock::new();
    sync::stamp(&mut clock, &empty, &downloaded, 5.0);
    let (merged, _) = sync::merge((&empty, &Clock::new()), (&downloaded, &clock));
    assert_eq!(sync::last_download_of(&merged), Some(last_download()));
    assert_eq!(sync::last_download_of(&empty), None);
}

#[test]
fn an_unreadable_date_gives_no_label() {
    let mut last = last_download();
    last.saved_at = "yesterday".into();
    assert_eq!(last.when(), "");
}

/// A diff line as a tuple: tag, old and new line numbers, text.
type Line = (LineTag, Option<usize>, Option<usize>, String);

/// The hunks `similar`'s own line diff (`TextDiff`, which the worker no longer links) gives.
fn text_diff_hunks(old: &str, new: &str) -> Vec<Vec<Line>> {
    let diff = similar::TextDiff::from_lines(old, new);
    diff.grouped_ops(changes::CONTEXT)
        .iter()
        .map(|group| {
            group
                .iter()
                .flat_map(|op| diff.iter_changes(op))
                .map(|c| {
                    let tag = match c.tag() {
                        similar::ChangeTag::Equal => LineTag::Context,
                        similar::ChangeTag::Insert => LineTag::Added,
                        similar::ChangeTag::Delete => LineTag::Removed,
                    };
                    let text = c.value().trim_end_matches(['\n', '\r']).to_string();
                    (
                        tag,
                        c.old_index().map(|i| i + 1),
                        c.new_index().map(|i| i + 1),
                        text,
                    )
                })
                .collect()
        })
        .collect()
}

proptest::proptest! {
    /// Lines drawn from a small alphabet so that edits, moves and repeats all occur; long enough
    /// (up to 300 lines) to cross `TextDiff`'s integer remapping above 100 lines.
    #[test]
    fn the_line_diff_matches_similars_text_diff(
        old in proptest::collection::vec("[abc]{0,2}", 0..300),
        new in proptest::collection::vec("[abc]{0,2}", 0..300),
        trailing_newline in proptest::bool::ANY,
    ) {
        let end = if trailing_newline { "\n" } else { "" };
        let (old, new) = (old.join("\n") + end, new.join("\n") + end);
        let ours: Vec<Vec<Line>> = changes::line_diff(&old, &new)
            .into_iter()
            .map(|hunk| hunk.into_iter().map(|l| (l.tag, l.old, l.new, l.text)).collect())
            .collect();
        proptest::prop_assert_eq!(ours, text_diff_hunks(&old, &new));
    }
}
