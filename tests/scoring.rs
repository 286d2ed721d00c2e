//! The scoring rules, table-driven, plus properties that must hold for any answers.

use proptest::prelude::*;
use tfstudio::core::answers::{load_document, Answer, Answers, Document, Response};
use tfstudio::core::content::{self, Level, Question};
use tfstudio::core::score::{self, Decision, Report};

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

fn na_with_reason(mut base: Answers, id: &str, reason: &str) -> Answers {
    base.set(
        id,
        Response {
            answer: Some(Answer::NotApplicable),
            na_reason: reason.into(),
            note: String::new(),
        },
    );
    base
}

#[test]
fn the_launch_decision_depends_on_blockers_alone() {
    // Table: how one launch blocker is answered, everything else Yes -> decision and open count.
    // Only Yes and N/A with a reason meet a blocker; Partly leaves it open.
    let blocker = first_blocker();
    let all_yes = answer_all(Answer::Yes);
    let cases: [(&str, Answers, Decision, usize); 6] = [
        (
            "Yes",
            with(all_yes.clone(), blocker.id, Some(Answer::Yes)),
            Decision::Go,
            0,
        ),
        (
            "N/A with a reason",
            na_with_reason(all_yes.clone(), blocker.id, "no database"),
            Decision::Go,
            0,
        ),
        (
            "N/A without a reason",
            na_with_reason(all_yes.clone(), blocker.id, "  "),
            Decision::NoGo,
            1,
        ),
        (
            "Partly",
            with(all_yes.clone(), blocker.id, Some(Answer::Partly)),
            Decision::NoGo,
            1,
        ),
        (
            "No",
            with(all_yes.clone(), blocker.id, Some(Answer::No)),
            Decision::NoGo,
            1,
        ),
        (
            "unanswered",
            with(all_yes.clone(), blocker.id, None),
            Decision::NoGo,
            1,
        ),
    ];
    for (how, answers, decision, open) in cases {
        let r = score::score(&answers);
        assert_eq!(r.launch.decision, decision, "blocker {} {how}", blocker.id);
        assert_eq!(
            r.launch.open_blockers.len(),
            open,
            "blocker {} {how}",
            blocker.id
        );
        let per_topic: u32 = r.topics.iter().map(|t| t.open_blockers).sum();
        assert_eq!(
            per_topic as usize, open,
            "per-topic counts agree with the decision ({how})"
        );
        if open > 0 {
            assert_eq!(
                r.plan[0].question.id, blocker.id,
                "the open blocker leads the plan ({how})"
            );
            assert!(
                r.launch
                    .summary()
                    .starts_with("No-go: 1 open launch blocker"),
                "{}",
                r.launch.summary()
            );
        }
    }
}

#[test]
fn a_non_blocker_never_changes_the_launch_decision() {
    // Everything No except the blockers: the level is low but the decision is Go.
    let mut a = answer_all(Answer::No);
    for q in all_questions().into_iter().filter(|q| q.blocker) {
        a.set_answer(q.id, Some(Answer::Yes));
    }
    let r = score::score(&a);
    assert_eq!(r.launch.decision, Decision::Go, "{:?}", r.launch.reasons);
    assert_eq!(
        r.level.level,
        Level::NotReady,
        "the level still counts every question"
    );
    assert!(
        r.verdict_line().starts_with("Go: all "),
        "{}",
        r.verdict_line()
    );
}

#[test]
fn partly_blockers_are_explained() {
    let blocker = first_blocker();
    let r = score::score(&with(Answers::default(), blocker.id, Some(Answer::Partly)));
    assert!(
        r.launch
            .reasons
            .iter()
            .any(|s| s.contains("1 answered Partly")),
        "{:?}",
        r.launch.reasons
    );
    assert!(
        r.launch
            .reasons
            .iter()
            .any(|s| s.contains("Partly leaves it open")),
        "{:?}",
        r.launch.reasons
    );
}

#[test]
fn every_blocker_is_required_by_launchable_so_the_level_implies_go() {
    for q in all_questions().into_iter().filter(|q| q.blocker) {
        let r = score::score(&with(answer_all(Answer::Yes), q.id, Some(Answer::No)));
        assert_eq!(r.launch.decision, Decision::NoGo, "{}", q.id);
        assert!(
            r.level.level < Level::Launchable,
            "{} answered No still reached {:?}",
            q.id,
            r.level.level
        );
    }
}

#[test]
fn next_actions_put_blockers_first_then_importance_for_effort() {
    // Answer every blocker Yes: the next actions are then ordered by priority / effort cost.
    let mut a = Answers::default();
    for q in all_questions().into_iter().filter(|q| q.blocker) {
        a.set_answer(q.id, Some(Answer::Yes));
    }
    let r = score::score(&a);
    let next = r.next_actions();
    assert_eq!(next.len(), score::NEXT_ACTIONS);
    let best = r.plan.iter().map(|i| i.value()).fold(0.0, f64::max);
    assert_eq!(
        next[0].value(),
        best,
        "the first action is the best importance for effort"
    );
    for pair in next.windows(2) {
        assert!(pair[0].value() >= pair[1].value());
    }
    // With nothing answered, every next action is a launch blocker.
    let r = score::score(&Answers::default());
    assert!(r.next_actions().iter().all(|i| i.blocks_launch()));
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
    let dropped: Vec<&str> = loaded.dropped.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(dropped, vec!["retired-question"]);
    assert!(loaded.dropped[0]
        .reason
        .contains("not in the current questionnaire"));
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
