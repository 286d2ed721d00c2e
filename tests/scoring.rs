//! The scoring rules, table-driven, plus properties that must hold for any answers.

use proptest::prelude::*;
use tfstudio::core::answers::{load_document, Answer, Answers, Document, Response};
use tfstudio::core::content::{self, Level, Question};
use tfstudio::core::score::{self, Report};

fn all_questions() -> Vec<&'static Question> {
    content::questions().map(|(_, q)| q).collect()
}

fn answer_all(answer: Answer) -> Answers {
    let mut a = Answers::default();
    for q in all_questions() {
        a.set(
            q.id,
            Response {
                answer: Some(answer),
                na_reason: "does not apply here".into(),
                note: String::new(),
            },
        );
    }
    a
}

fn with(mut base: Answers, id: &str, answer: Option<Answer>) -> Answers {
    base.set_answer(id, answer);
    base
}

fn first_blocker() -> &'static Question {
    all_questions()
        .into_iter()
        .find(|q| q.blocker)
        .expect("content has blockers")
}

#[test]
fn empty_assessment_scores_zero_and_is_not_ready() {
    // Nothing answered: no credit, nothing covered, and the level says why.
    let r = score::score(&Answers::default());
    assert_eq!(r.overall.whole_percent(), Some(0));
    assert_eq!(r.overall.answered, 0);
    assert_eq!(r.overall.total as usize, all_questions().len());
    assert_eq!(r.level.level, Level::NotReady);
    assert!(
        r.level.reasons[0].starts_with("Not ready"),
        "{:?}",
        r.level.reasons
    );
    assert_eq!(r.plan.len(), all_questions().len());
    assert!(
        r.plan[0].question.blocker,
        "blockers come first in the plan"
    );
}

#[test]
fn all_yes_is_exemplary_with_full_score_and_empty_plan() {
    let r = score::score(&answer_all(Answer::Yes));
    assert_eq!(r.overall.whole_percent(), Some(100));
    assert_eq!(r.level.level, Level::Exemplary);
    assert_eq!(r.level.next, None);
    assert!(r.plan.is_empty());
    for t in &r.topics {
        assert_eq!(t.tally.whole_percent(), Some(100), "{}", t.topic.id);
    }
}

#[test]
fn all_na_has_no_score_and_claims_no_level() {
    let r = score::score(&answer_all(Answer::NotApplicable));
    assert_eq!(
        r.overall.percent(),
        None,
        "nothing applicable means no percentage, not 0 or 100"
    );
    assert_eq!(
        r.overall.answered, r.overall.total,
        "N/A with a reason counts as answered"
    );
    assert_eq!(r.level.level, Level::NotReady);
    assert!(r.level.reasons[0].contains("N/A"), "{:?}", r.level.reasons);
    assert!(r.plan.is_empty());
}

#[test]
fn na_without_reason_counts_as_unanswered() {
    let q = all_questions()[0];
    let mut a = Answers::default();
    a.set(
        q.id,
        Response {
            answer: Some(Answer::NotApplicable),
            na_reason: "  ".into(),
            note: String::new(),
        },
    );
    let r = score::score(&a);
    assert_eq!(r.overall.answered, 0);
    assert!(r.plan.iter().any(|i| i.question.id == q.id));
}

#[test]
fn na_is_excluded_from_the_denominator() {
    // One topic: answer its first question Yes and the rest N/A: the topic scores 100%.
    let topic = &content::factors()[0];
    let mut a = Answers::default();
    for (i, q) in topic.questions.iter().enumerate() {
        let answer = if i == 0 {
            Answer::Yes
        } else {
            Answer::NotApplicable
        };
        a.set(
            q.id,
            Response {
                answer: Some(answer),
                na_reason: "not here".into(),
                note: String::new(),
            },
        );
    }
    let r = score::score(&a);
    assert_eq!(r.topic(topic.id).unwrap().tally.whole_percent(), Some(100));
}

#[test]
fn partly_earns_half_credit() {
    let topic = &content::factors()[0];
    let mut a = Answers::default();
    for q in topic.questions {
        a.set_answer(q.id, Some(Answer::Partly));
    }
    let r = score::score(&a);
    assert_eq!(r.topic(topic.id).unwrap().tally.percent(), Some(50.0));
}

#[test]
fn an_open_blocker_caps_the_level_at_foundation() {
    // Table: (answer given to one blocker, everything else Yes) -> expected level.
    let blocker = first_blocker();
    // A blocker required at Foundation keeps the level below it; otherwise the cap is Foundation.
    let open = if blocker.level == Level::Foundation {
        Level::NotReady
    } else {
        Level::Foundation
    };
    let cases = [
        (Some(Answer::Yes), Level::Exemplary),
        (Some(Answer::No), open),
        (None, open),
        (Some(Answer::Partly), open),
    ];
    for (answer, expected) in cases {
        let r = score::score(&with(answer_all(Answer::Yes), blocker.id, answer));
        assert_eq!(
            r.level.level, expected,
            "blocker {} answered {answer:?}",
            blocker.id
        );
        if matches!(answer, Some(Answer::No) | None) {
            assert_eq!(r.level.open_blockers.len(), 1);
            assert!(
                r.level.reasons.iter().any(|s| s.contains("blocker")),
                "{:?}",
                r.level.reasons
            );
            assert_eq!(r.plan[0].question.id, blocker.id);
        }
    }
}

#[test]
fn every_blocker_caps_below_launchable() {
    for q in all_questions().into_iter().filter(|q| q.blocker) {
        let r = score::score(&with(answer_all(Answer::Yes), q.id, Some(Answer::No)));
        assert!(
            r.level.level < Level::Launchable,
            "{} answered No still reached {:?}",
            q.id,
            r.level.level
        );
    }
}

#[test]
fn a_missing_exemplary_item_stops_at_production_and_says_what_is_missing() {
    let q = all_questions()
        .into_iter()
        .find(|q| q.level == Level::Exemplary && !q.blocker)
        .unwrap();
    let r = score::score(&with(answer_all(Answer::Yes), q.id, Some(Answer::No)));
    assert_eq!(r.level.level, Level::Production);
    assert_eq!(r.level.next, Some(Level::Exemplary));
    assert_eq!(
        r.level
            .missing_for_next
            .iter()
            .map(|q| q.id)
            .collect::<Vec<_>>(),
        vec![q.id]
    );
    assert!(
        r.level
            .reasons
            .iter()
            .any(|s| s.contains("To reach Exemplary, 1 more question")),
        "{:?}",
        r.level.reasons
    );
}

#[test]
fn plan_orders_blockers_then_weight_times_missing_credit() {
    let r: Report = score::score(&Answers::default());
    let mut seen_non_blocker = false;
    for pair in r.plan.windows(2) {
        if !pair[0].question.blocker {
            seen_non_blocker = true;
        }
        assert!(
            !(seen_non_blocker && pair[1].question.blocker),
            "a blocker after a non-blocker"
        );
        if pair[0].question.blocker == pair[1].question.blocker {
            assert!(pair[0].priority >= pair[1].priority);
        }
    }
    // A Partly halves the priority.
    let q = all_questions()
        .into_iter()
        .find(|q| !q.blocker && q.weight == 3)
        .unwrap();
    let r = score::score(&with(Answers::default(), q.id, Some(Answer::Partly)));
    let item = r.plan.iter().find(|i| i.question.id == q.id).unwrap();
    assert_eq!(item.priority, 1.5);
}

#[test]
fn old_documents_keep_known_answers_and_report_dropped_ones() {
    let q = all_questions()[0];
    let json = format!(
        r#"{{"format":"twelve-factor-studio/assessment","document_version":1,"content_id":"twelve-factor-studio",
            "content_version":0,"answers":{{"{}":{{"answer":"yes","note":"checked"}},"retired-question":{{"answer":"no"}}}}}}"#,
        q.id
    );
    let loaded = load_document(&json).unwrap();
    assert_eq!(loaded.answers.effective(q.id), Some(Answer::Yes));
    assert_eq!(loaded.answers.response(q.id).note, "checked");
    assert_eq!(loaded.dropped, vec!["retired-question".to_string()]);
    assert_eq!(loaded.from_version, 0);
}

#[test]
fn corrupt_or_foreign_documents_are_clear_errors() {
    let cases = [
        ("", "malformed"),
        ("{\"answers\":{}}", "not a Twelve-Factor Studio assessment"),
        ("[1,2,3]", "not a Twelve-Factor Studio assessment"),
        (
            r#"{"format":"twelve-factor-studio/assessment","document_version":1}"#,
            "damaged",
        ),
        (
            r#"{"format":"twelve-factor-studio/assessment","document_version":99,"content_id":"twelve-factor-studio","content_version":1,"answers":{}}"#,
            "newer version",
        ),
        (
            r#"{"format":"twelve-factor-studio/assessment","document_version":1,"content_id":"other","content_version":1,"answers":{}}"#,
            "different questionnaire",
        ),
        (
            r#"{"format":"twelve-factor-studio/assessment","document_version":1,"content_id":"twelve-factor-studio","content_version":1,"answers":{"x":{"answer":"maybe"}}}"#,
            "damaged",
        ),
    ];
    for (json, expected) in cases {
        let err = load_document(json).expect_err(json);
        assert!(err.0.contains(expected), "{json}: {err}");
    }
}

fn arb_answer() -> impl Strategy<Value = Option<Answer>> {
    prop_oneof![
        Just(None),
        Just(Some(Answer::Yes)),
        Just(Some(Answer::Partly)),
        Just(Some(Answer::No)),
        Just(Some(Answer::NotApplicable)),
    ]
}

fn arb_answers() -> impl Strategy<Value = Answers> {
    let n = all_questions().len();
    (
        prop::collection::vec(arb_answer(), n),
        prop::collection::vec(any::<bool>(), n),
        prop::collection::vec("[ -~]{0,12}", n),
    )
        .prop_map(|(answers, reasons, notes)| {
            let mut a = Answers::default();
            for (i, q) in all_questions().into_iter().enumerate() {
                a.set(
                    q.id,
                    Response {
                        answer: answers[i],
                        na_reason: if reasons[i] {
                            "reason".into()
                        } else {
                            String::new()
                        },
                        note: notes[i].clone(),
                    },
                );
            }
            a
        })
}

fn all_percents(r: &Report) -> Vec<Option<f64>> {
    let mut v = vec![
        r.overall.percent(),
        r.factors.percent(),
        r.readiness.percent(),
    ];
    v.extend(r.topics.iter().map(|t| t.tally.percent()));
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn scores_stay_within_0_and_100(a in arb_answers()) {
        let r = score::score(&a);
        for p in all_percents(&r).into_iter().flatten() {
            prop_assert!((0.0..=100.0).contains(&p), "{p}");
        }
        prop_assert!(r.overall.answered <= r.overall.total);
    }

    #[test]
    fn changing_no_to_yes_never_lowers_a_score_or_the_level(a in arb_answers(), pick in any::<prop::sample::Index>()) {
        let nos: Vec<&str> = all_questions().into_iter().filter(|q| a.effective(q.id) == Some(Answer::No)).map(|q| q.id).collect();
        prop_assume!(!nos.is_empty());
        let id = nos[pick.index(nos.len())];
        let before = score::score(&a);
        let after = score::score(&with(a.clone(), id, Some(Answer::Yes)));
        prop_assert!(after.level.level >= before.level.level);
        for (b, a) in all_percents(&before).into_iter().zip(all_percents(&after)) {
            if let (Some(b), Some(a)) = (b, a) {
                prop_assert!(a >= b, "{b} -> {a} after {id} No -> Yes");
            }
        }
    }

    #[test]
    fn documents_round_trip_losslessly(a in arb_answers()) {
        let json = Document::new(&a, None).to_json();
        let loaded = load_document(&json).unwrap();
        prop_assert_eq!(loaded.answers, a);
        prop_assert!(loaded.dropped.is_empty());
    }
}
