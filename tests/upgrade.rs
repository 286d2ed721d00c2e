//! Work saved for version 1 of the questionnaire loads in version 2: answers to unchanged
//! questions are kept, renamed ids are mapped, a split question takes the old answer only where
//! that stays true, and every answer left out is reported with its reason.

use std::collections::{BTreeMap, BTreeSet};

use tfstudio::core::answers::{load_document, Answer, Response};
use tfstudio::core::content::migrations::{Change, V1_CHANGES};
use tfstudio::core::content::v1::V1_QUESTIONS;
use tfstudio::core::content::{self, CONTENT_VERSION};
use tfstudio::core::share;
use tfstudio::core::upgrade::apply_changes;

fn v1_ids() -> BTreeSet<&'static str> {
    V1_QUESTIONS.iter().map(|(id, _)| *id).collect()
}

fn response(answer: Option<Answer>, na_reason: &str, note: &str) -> Response {
    Response {
        answer,
        na_reason: na_reason.into(),
        note: note.into(),
    }
}

fn current_ids(n: usize) -> Vec<&'static str> {
    content::questions().map(|(_, q)| q.id).take(n).collect()
}

#[test]
fn the_change_table_names_only_real_questions() {
    // Every old id is a version-1 question, listed once; every target exists now; every
    // version-1 id not in the table still exists with the same id.
    let v1 = v1_ids();
    let mut seen = BTreeSet::new();
    for (old, change) in V1_CHANGES {
        assert!(v1.contains(old), "{old} is not a version-1 question");
        assert!(seen.insert(*old), "{old} is listed twice");
        let targets: Vec<&str> = match change {
            Change::Renamed(new) | Change::Merged(new) => vec![new],
            Change::Split(parts) => {
                assert!(!parts.is_empty(), "{old} is split into nothing");
                parts.to_vec()
            }
            Change::Dropped(reason) => {
                assert!(
                    reason.ends_with('.') && reason.len() > 20,
                    "{old}: give the user a full sentence"
                );
                vec![]
            }
        };
        for t in targets {
            assert!(
                content::question(t).is_some(),
                "{old} points at {t}, which does not exist"
            );
        }
    }
    for id in v1.iter().filter(|id| !seen.contains(*id)) {
        assert!(
            content::question(id).is_some(),
            "{id} vanished without an entry in V1_CHANGES"
        );
    }
}

#[test]
fn a_real_version_1_document_loads_and_nothing_is_lost_silently() {
    let json = include_str!("fixtures/v1-assessment.json");
    let original: serde_json::Value = serde_json::from_str(json).unwrap();
    let loaded = load_document(json).expect("a version-1 document loads");
    assert_eq!(loaded.from_version, 1);
    assert!(loaded.project.is_some(), "the project settings come along");
    let dropped: BTreeSet<&str> = loaded.dropped.iter().map(|d| d.id.as_str()).collect();
    for (old, value) in original["answers"].as_object().unwrap() {
        let old_response: Response = serde_json::from_value(value.clone()).unwrap();
        let change = V1_CHANGES.iter().find(|(id, _)| id == old).map(|(_, c)| *c);
        let kept_under =
            |id: &str| loaded.answers.get(id).and_then(|r| r.answer) == old_response.answer;
        match change {
            None => {
                // Kept as it was, unless others were merged into it and disagreed with it.
                let merge_target = V1_CHANGES
                    .iter()
                    .any(|(_, c)| matches!(c, Change::Merged(t) if *t == old.as_str()));
                let now = loaded.answers.response(old);
                let kept =
                    now.answer == old_response.answer && now.na_reason == old_response.na_reason;
                assert!(
                    kept || (merge_target && dropped.contains(old.as_str())),
                    "{old} is unchanged and kept as it was"
                );
            }
            Some(Change::Renamed(new)) => assert!(kept_under(new), "{old} -> {new}"),
            Some(Change::Split(parts)) => {
                let carries = matches!(
                    old_response.answer,
                    Some(Answer::Yes) | Some(Answer::NotApplicable)
                );
                if carries {
                    assert!(
                        parts.iter().all(|p| kept_under(p)),
                        "{old}'s {:?} holds for every part",
                        old_response.answer
                    );
                } else {
                    assert!(
                        dropped.contains(old.as_str()),
                        "{old}'s {:?} is reported, not guessed",
                        old_response.answer
                    );
                }
            }
            Some(Change::Merged(into)) => assert!(
                kept_under(into) || dropped.contains(old.as_str()),
                "{old} -> {into}"
            ),
            Some(Change::Dropped(_)) => assert!(
                dropped.contains(old.as_str()),
                "{old} is reported as dropped"
            ),
        }
        if !old_response.note.is_empty() && !dropped.contains(old.as_str()) {
            let kept = loaded
                .answers
                .responses
                .values()
                .any(|r| r.note.contains(&old_response.note));
            assert!(kept, "the note on {old} is kept");
        }
    }
    for d in &loaded.dropped {
        assert!(!d.reason.is_empty() && !d.question.is_empty(), "{d:?}");
        assert!(d.describe().contains(&d.question));
    }
}

#[test]
fn a_generated_version_1_assessment_loads() {
    // The .twelve-factor/assessment.json a version-1 project was generated with.
    let loaded = load_document(include_str!("fixtures/v1-generated-assessment.json")).unwrap();
    assert_eq!(loaded.from_version, 1);
    assert!(!loaded.answers.responses.is_empty());
    assert!(loaded.project.is_some());
}

#[test]
fn a_version_1_share_link_opens() {
    // Version-1 links carry one answer code per version-1 question, in version-1 order.
    let codes: String = V1_QUESTIONS
        .iter()
        .enumerate()
        .map(|(i, _)| if i % 2 == 0 { 'y' } else { '-' })
        .collect();
    let json = format!(r#"{{"c":1,"a":"{codes}","n":{{"0":"owner: platform"}}}}"#);
    let link = format!("1.{}", share::base64url_encode(json.as_bytes()));
    let loaded = share::decode(&link).expect("a version-1 link opens");
    assert_eq!(loaded.from_version, 1);
    let first = V1_QUESTIONS[0].0;
    let target = match V1_CHANGES
        .iter()
        .find(|(id, _)| *id == first)
        .map(|(_, c)| *c)
    {
        None => first,
        Some(Change::Renamed(new)) | Some(Change::Merged(new)) => new,
        Some(Change::Split(parts)) => parts[0],
        Some(Change::Dropped(_)) => return,
    };
    assert_eq!(loaded.answers.response(target).note, "owner: platform");
    assert!(
        loaded
            .answers
            .responses
            .values()
            .filter(|r| r.answer == Some(Answer::Yes))
            .count()
            > 10
    );
}

#[test]
fn links_for_unknown_versions_are_refused_with_a_message() {
    let json = format!(r#"{{"c":{},"a":""}}"#, CONTENT_VERSION + 1);
    let err =
        share::decode(&format!("1.{}", share::base64url_encode(json.as_bytes()))).unwrap_err();
    assert!(
        err.contains("does not know") && err.contains("unchanged"),
        "{err}"
    );
}

#[test]
fn each_kind_of_change_carries_only_what_stays_true() {
    // Table: a change, the old answer -> where the answer lands, or that it is reported.
    let ids = current_ids(3);
    let (a, b, c) = (ids[0], ids[1], ids[2]);
    let split: &'static [&str] = Box::leak(vec![a, b].into_boxed_slice());
    let changes = [
        ("old-split", Change::Split(split)),
        ("old-renamed", Change::Renamed(c)),
        (
            "old-gone",
            Change::Dropped("This practice is now part of another question."),
        ),
    ];
    type Case = (
        &'static str,
        Response,
        &'static [(usize, Option<Answer>)],
        bool,
    );
    let cases: [Case; 6] = [
        (
            "old-split",
            response(Some(Answer::Yes), "", ""),
            &[(0, Some(Answer::Yes)), (1, Some(Answer::Yes))],
            false,
        ),
        (
            "old-split",
            response(Some(Answer::NotApplicable), "no queue here", ""),
            &[
                (0, Some(Answer::NotApplicable)),
                (1, Some(Answer::NotApplicable)),
            ],
            false,
        ),
        (
            "old-split",
            response(Some(Answer::No), "", "ticket OPS-1"),
            &[(0, None), (1, None)],
            true,
        ),
        (
            "old-split",
            response(Some(Answer::Partly), "", ""),
            &[(0, None), (1, None)],
            true,
        ),
        (
            "old-renamed",
            response(Some(Answer::Partly), "", "n"),
            &[(2, Some(Answer::Partly))],
            false,
        ),
        (
            "old-gone",
            response(Some(Answer::Yes), "", "keep me"),
            &[(0, None), (2, None)],
            true,
        ),
    ];
    for (old, old_response, expected, reported) in cases {
        let out = apply_changes(
            BTreeMap::from([(old.to_string(), old_response.clone())]),
            &changes,
        );
        for (index, answer) in expected {
            let got = out.responses.get(ids[*index]).and_then(|r| r.answer);
            assert_eq!(
                got, *answer,
                "{old} {:?} -> {}",
                old_response.answer, ids[*index]
            );
        }
        assert_eq!(
            out.dropped.len(),
            usize::from(reported),
            "{old} {:?}: {:?}",
            old_response.answer,
            out.dropped
        );
        if !old_response.note.is_empty() {
            let on_a_question = out.responses.values().any(|r| r.note == old_response.note);
            let quoted = out.dropped.iter().any(|d| d.note == old_response.note);
            assert!(on_a_question || quoted, "the note of {old} survives");
        }
    }
}

#[test]
fn merged_questions_keep_an_answer_only_when_they_agree() {
    let into = current_ids(1)[0];
    let changes = [
        ("old-a", Change::Merged(into)),
        ("old-b", Change::Merged(into)),
    ];
    let both = |x: Answer, y: Answer| {
        apply_changes(
            BTreeMap::from([
                ("old-a".to_string(), response(Some(x), "", "")),
                ("old-b".to_string(), response(Some(y), "", "from b")),
            ]),
            &changes,
        )
    };
    let agree = both(Answer::Yes, Answer::Yes);
    assert_eq!(agree.responses[into].answer, Some(Answer::Yes));
    assert!(agree.dropped.is_empty());
    assert_eq!(agree.responses[into].note, "from b");
    let differ = both(Answer::Yes, Answer::No);
    assert_eq!(
        differ.responses[into].answer, None,
        "conflicting answers are not guessed"
    );
    assert_eq!(differ.dropped.len(), 2);
    assert_eq!(differ.responses[into].note, "from b", "the note is kept");
}

#[test]
fn a_question_others_merge_into_takes_part_in_the_vote_and_direct_answers_win() {
    // `kept` still exists under its own id; `old` is merged into it and `whole` split over it.
    let ids = current_ids(2);
    let (kept, other) = (ids[0], ids[1]);
    let parts: &'static [&str] = Box::leak(vec![kept, other].into_boxed_slice());
    let changes = [("old", Change::Merged(kept))];
    let disagree = apply_changes(
        BTreeMap::from([
            (kept.to_string(), response(Some(Answer::No), "", "")),
            ("old".to_string(), response(Some(Answer::Yes), "", "")),
        ]),
        &changes,
    );
    assert_eq!(
        disagree.responses.get(kept).and_then(|r| r.answer),
        None,
        "No and Yes for one fact: not guessed"
    );
    assert_eq!(disagree.dropped.len(), 2);

    let changes = [("whole", Change::Split(parts))];
    let out = apply_changes(
        BTreeMap::from([
            (kept.to_string(), response(Some(Answer::No), "", "")),
            ("whole".to_string(), response(Some(Answer::Yes), "", "")),
        ]),
        &changes,
    );
    assert_eq!(
        out.responses[kept].answer,
        Some(Answer::No),
        "the direct answer wins over the carried Yes"
    );
    assert_eq!(out.responses[other].answer, Some(Answer::Yes));
}
