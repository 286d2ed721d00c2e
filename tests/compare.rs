//! Comparison of two states: score changes overall and per topic, launch decision and level
//! changes, answers that changed, blockers opened and closed. Table-driven over small edits.

use tfstudio::core::answers::{load_document, Answer, Answers, Response};
use tfstudio::core::compare::{self, compare, delta_text, AnswerState, Direction};
use tfstudio::core::content::{self, Level, Question};
use tfstudio::core::score::{self, Decision};

fn questions() -> Vec<&'static Question> {
    content::questions().map(|(_, q)| q).collect()
}

fn blocker(n: usize) -> &'static Question {
    questions()
        .into_iter()
        .filter(|q| q.blocker)
        .nth(n)
        .unwrap()
}

fn non_blocker(n: usize) -> &'static Question {
    questions()
        .into_iter()
        .filter(|q| !q.blocker)
        .nth(n)
        .unwrap()
}

fn all(answer: Answer) -> Answers {
    let mut a = Answers::default();
    for q in questions() {
        a.set_answer(q.id, Some(answer));
    }
    a
}

fn set(mut a: Answers, q: &Question, answer: Option<Answer>) -> Answers {
    a.set_answer(q.id, answer);
    a
}

#[test]
fn score_changes_read_as_points() {
    let cases = [
        (Some(40), Some(52), "+12 points"),
        (Some(52), Some(51), "\u{2212}1 point"),
        (Some(7), Some(7), "no change"),
        (None, Some(40), "n/a \u{2192} 40%"),
        (Some(40), None, "40% \u{2192} n/a"),
        (None, None, "no change"),
    ];
    for (before, after, text) in cases {
        assert_eq!(delta_text(before, after), text, "{before:?} -> {after:?}");
    }
}

/// One edit and what a reader must see: which blockers open or close, and which way the score,
/// decision and level move.
struct Case {
    what: &'static str,
    before: Answers,
    after: Answers,
    opened: Vec<&'static str>,
    closed: Vec<&'static str>,
    score: Direction,
    decision: Direction,
    level: Direction,
}

fn first_topic_non_blockers_yes() -> Answers {
    let mut a = Answers::default();
    let topic = content::topics().next().unwrap();
    for q in topic.questions.iter().filter(|q| !q.blocker) {
        a.set_answer(q.id, Some(Answer::Yes));
    }
    a
}

fn cases() -> Vec<Case> {
    let b0 = blocker(0);
    let b1 = blocker(1);
    let yes = all(Answer::Yes);
    vec![
        Case {
            what: "nothing changed",
            before: set(Answers::default(), b0, Some(Answer::No)),
            after: set(Answers::default(), b0, Some(Answer::No)),
            opened: vec![],
            closed: vec![],
            score: Direction::Same,
            decision: Direction::Same,
            level: Direction::Same,
        },
        Case {
            what: "a blocker goes from No to Yes",
            before: set(Answers::default(), b0, Some(Answer::No)),
            after: set(Answers::default(), b0, Some(Answer::Yes)),
            opened: vec![],
            closed: vec![b0.id],
            // One question among some 150 moves the whole-percent overall score by less than a point.
            score: Direction::Same,
            decision: Direction::Better,
            level: Direction::Same,
        },
        Case {
            what: "Partly reopens a met blocker and ends Go",
            before: yes.clone(),
            after: set(yes.clone(), b1, Some(Answer::Partly)),
            opened: vec![b1.id],
            closed: vec![],
            score: Direction::Worse,
            decision: Direction::Worse,
            level: Direction::Worse,
        },
        Case {
            what: "N/A with a reason closes a blocker without scoring",
            before: Answers::default(),
            after: {
                let mut a = Answers::default();
                a.set(
                    b0.id,
                    Response {
                        answer: Some(Answer::NotApplicable),
                        na_reason: "no database".into(),
                        note: String::new(),
                    },
                );
                a
            },
            opened: vec![],
            closed: vec![b0.id],
            score: Direction::Same,
            decision: Direction::Better,
            level: Direction::Same,
        },
        Case {
            what: "a topic's non-blockers answered Yes move only the score",
            before: Answers::default(),
            after: first_topic_non_blockers_yes(),
            opened: vec![],
            closed: vec![],
            score: Direction::Better,
            decision: Direction::Same,
            level: Direction::Same,
        },
        Case {
            what: "everything Yes, then everything cleared",
            before: yes.clone(),
            after: Answers::default(),
            opened: questions()
                .into_iter()
                .filter(|q| q.blocker)
                .map(|q| q.id)
                .collect(),
            closed: vec![],
            score: Direction::Worse,
            decision: Direction::Worse,
            level: Direction::Worse,
        },
    ]
}

#[test]
fn each_edit_shows_the_blockers_and_directions_a_reader_expects() {
    for case in cases() {
        let c = compare(&case.before, &case.after);
        let ids = |qs: &[&Question]| qs.iter().map(|q| q.id).collect::<Vec<_>>();
        assert_eq!(
            ids(&c.blockers_opened),
            case.opened,
            "{}: opened",
            case.what
        );
        assert_eq!(
            ids(&c.blockers_closed),
            case.closed,
            "{}: closed",
            case.what
        );
        assert_eq!(
            compare::score_direction(c.before.score, c.after.score),
            case.score,
            "{}: score",
            case.what
        );
        assert_eq!(
            c.decision_direction(),
            case.decision,
            "{}: decision",
            case.what
        );
        assert_eq!(c.level_direction(), case.level, "{}: level", case.what);
    }
}

#[test]
fn each_side_agrees_with_the_results_screen() {
    // The comparison's figures are the ones the Results screen shows for each side.
    for case in cases() {
        let c = compare(&case.before, &case.after);
        for (side, answers) in [(&c.before, &case.before), (&c.after, &case.after)] {
            let r = score::score(answers);
            assert_eq!(side.score, r.overall.whole_percent(), "{}", case.what);
            assert_eq!(side.decision, r.launch.decision, "{}", case.what);
            assert_eq!(
                side.open_blockers,
                r.launch.open_blockers.len(),
                "{}",
                case.what
            );
            assert_eq!(side.level, r.level.level, "{}", case.what);
        }
        for (t, (rb, ra)) in c.topics.iter().zip(
            score::score(&case.before)
                .topics
                .iter()
                .zip(score::score(&case.after).topics.iter()),
        ) {
            assert_eq!(
                (t.before, t.after),
                (rb.tally.whole_percent(), ra.tally.whole_percent()),
                "{}: {}",
                case.what,
                t.topic.id
            );
        }
    }
}

#[test]
fn changed_answers_are_listed_from_and_to_in_content_order() {
    let (b0, nb) = (blocker(0), non_blocker(3));
    let mut before = set(Answers::default(), b0, Some(Answer::No));
    before = set(before, nb, Some(Answer::Yes));
    let mut after = set(Answers::default(), b0, Some(Answer::Partly));
    after.set(
        nb.id,
        Response {
            answer: Some(Answer::NotApplicable),
            na_reason: " ".into(),
            note: String::new(),
        },
    );
    let c = compare(&before, &after);
    let got: Vec<(&str, &str, &str)> = c
        .answers
        .iter()
        .map(|ch| (ch.question.id, ch.before.label(), ch.after.label()))
        .collect();
    let order = |id: &str| questions().iter().position(|q| q.id == id).unwrap();
    let mut want = vec![(b0.id, "No", "Partly"), (nb.id, "Yes", "N/A (no reason)")];
    want.sort_by_key(|(id, _, _)| order(id));
    assert_eq!(got, want);
    // The per-topic rows count them and only changed topics are "changed".
    assert_eq!(c.topics.iter().map(|t| t.changed_answers).sum::<usize>(), 2);
    let changed: Vec<&str> = c.changed_topics().map(|t| t.topic.id).collect();
    let mut want_topics: Vec<&str> = vec![
        content::question(b0.id).unwrap().0.id,
        content::question(nb.id).unwrap().0.id,
    ];
    want_topics.dedup();
    want_topics.sort_by_key(|id| content::topics().position(|t| t.id == *id));
    assert_eq!(changed, want_topics);
    assert_eq!(c.topics.len(), content::topics().count());
}

#[test]
fn a_note_alone_is_not_a_changed_answer() {
    let q = non_blocker(0);
    let before = set(Answers::default(), q, Some(Answer::Yes));
    let mut after = before.clone();
    let mut r = after.response(q.id);
    r.note = "Checked with the platform team".into();
    after.set(q.id, r);
    let c = compare(&before, &after);
    assert!(c.is_same());
    assert_eq!(c.changed_topics().count(), 0);
}

#[test]
fn answer_states_name_what_was_typed() {
    let r = |answer, reason: &str| Response {
        answer,
        na_reason: reason.into(),
        note: String::new(),
    };
    assert_eq!(AnswerState::of(None), AnswerState::Unanswered);
    assert_eq!(AnswerState::of(Some(&r(None, ""))), AnswerState::Unanswered);
    assert_eq!(
        AnswerState::of(Some(&r(Some(Answer::NotApplicable), "batch job"))).label(),
        "N/A"
    );
    assert_eq!(
        AnswerState::of(Some(&r(Some(Answer::NotApplicable), ""))).label(),
        "N/A (no reason)"
    );
    assert_eq!(
        AnswerState::of(Some(&r(Some(Answer::Partly), ""))).label(),
        "Partly"
    );
}

#[test]
fn headlines_say_what_moved_in_the_same_words_as_the_verdict() {
    let yes = all(Answer::Yes);
    let c = compare(&Answers::default(), &yes);
    let n = questions().iter().filter(|q| q.blocker).count();
    assert_eq!(
        c.headlines(),
        [
            "Score: 0% \u{2192} 100% (+100 points)".to_string(),
            format!("Launch decision: No-go ({n} open blockers) \u{2192} Go"),
            "Level: Not ready (0 of 4) \u{2192} Exemplary (4 of 4)".to_string(),
        ]
    );
    let same = compare(&yes, &yes);
    assert_eq!(
        same.headlines(),
        [
            "Score: 100% (unchanged)".to_string(),
            "Launch decision: Go (unchanged)".to_string(),
            "Level: Exemplary (4 of 4) (unchanged)".to_string(),
        ]
    );
    assert_eq!(c.after.level, Level::Exemplary);
    assert_eq!(c.before.decision, Decision::NoGo);
}

#[test]
fn a_generated_projects_version_1_assessment_compares_with_current_work() {
    // The assessment.json inside a project generated by version 1 is upgraded before comparing,
    // so the same answers compare as identical and an edit shows up as one change.
    let text = std::fs::read_to_string("tests/fixtures/v1-generated-assessment.json").unwrap();
    let file = load_document(&text).unwrap();
    let same = compare(&file.answers, &file.answers);
    assert!(same.is_same());
    let q = blocker(0);
    let mut current = file.answers.clone();
    let was = AnswerState::of(current.get(q.id));
    let now = if was == AnswerState::Answered(Answer::Yes) {
        Answer::No
    } else {
        Answer::Yes
    };
    current.set_answer(q.id, Some(now));
    let c = compare(&file.answers, &current);
    assert_eq!(c.answers.len(), 1);
    assert_eq!(
        (c.answers[0].before, c.answers[0].after),
        (was, AnswerState::Answered(now))
    );
    assert_eq!(c.blockers_closed.len() + c.blockers_opened.len(), 1);
}

#[test]
fn the_markdown_lists_verdicts_blockers_topics_and_answers() {
    let b0 = blocker(0);
    let before = set(Answers::default(), b0, Some(Answer::No));
    let after = set(Answers::default(), b0, Some(Answer::Yes));
    let md = compare(&before, &after).markdown("Kick-off, 1 Nov 2026", "Now");
    assert!(
        md.starts_with("# Comparison: Kick-off, 1 Nov 2026 \u{2192} Now\n"),
        "{md}"
    );
    assert!(md.contains("\n## Launch blockers closed (1)\n"), "{md}");
    assert!(!md.contains("blockers opened"), "{md}");
    let topic = content::question(b0.id).unwrap().0;
    assert!(
        md.contains(&format!(": No \u{2192} Yes ({})\n", topic.title)),
        "{md}"
    );
    assert!(md.contains("\n## Answers that changed (1)\n"), "{md}");
}

#[test]
fn a_side_that_was_upgraded_says_so() {
    // Every case a reader must be told about before trusting the comparison, and silence otherwise.
    let cases = [
        (2, 0, None),
        (1, 0, Some("Snapshot \"A\" was written for version 1 of the questionnaire; every answer was carried over to version 2.")),
        (1, 1, Some("Snapshot \"A\" was written for version 1 of the questionnaire: 1 answer could not be carried over to version 2 and is compared as unanswered.")),
        (1, 3, Some("Snapshot \"A\" was written for version 1 of the questionnaire: 3 answers could not be carried over to version 2 and are compared as unanswered.")),
        (2, 2, Some("Snapshot \"A\" has 2 answers to questions this questionnaire does not have (a team checklist that is not loaded, or a newer version); they are compared as unanswered.")),
    ];
    for (version, dropped, want) in cases {
        assert_eq!(
            compare::upgrade_notice("Snapshot \"A\"", version, dropped).as_deref(),
            want,
            "version {version}, {dropped} dropped"
        );
    }
}
