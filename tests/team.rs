//! Team reviews: invitation and response codes, merging ballots, the vote spread and the
//! disagreement measure, and the refusals that leave a review unchanged.

use tfstudio::core::answers::{load_document, Answer, Answers, Document, Response};
use tfstudio::core::content::{self, CONTENT_VERSION};
use tfstudio::core::share::{base64url_decode, base64url_encode};
use tfstudio::core::team::{
    decode_invitation, decode_response, most_disagreement_first, Spread, TeamReview,
    MAX_PARTICIPANTS,
};

use Answer::{No, NotApplicable as Na, Partly, Yes};

fn ids() -> Vec<&'static str> {
    content::questions().map(|(_, q)| q.id).collect()
}

fn review() -> TeamReview {
    TeamReview::start("abc123", "billing-api pre-launch", &[]).unwrap()
}

/// A participant's answers: `votes[i]` answers the i-th question.
fn ballot(votes: &[Option<Answer>]) -> Answers {
    let mut a = Answers::default();
    for (id, v) in ids().into_iter().zip(votes) {
        a.set_answer(id, *v);
    }
    a
}

fn spread(yes: u32, partly: u32, no: u32, na: u32) -> Spread {
    Spread {
        counts: [yes, partly, no, na],
        unanswered: 0,
    }
}

#[test]
fn an_invitation_round_trips_and_joins_as_a_participant() {
    // Guards: the participant sees the facilitator's title and topic subset.
    let topics: Vec<&str> = content::topics().take(2).map(|t| t.id).collect();
    let team = TeamReview::start("r-1", "  Checkout review ", &topics).unwrap();
    assert_eq!(team.title, "Checkout review");
    let link = format!("https://example.test/app/#join={}", team.invitation());
    let (joined, checklist) = decode_invitation(&link).unwrap();
    assert_eq!(checklist, None);
    assert_eq!(joined.id, "r-1");
    assert_eq!(joined.title, "Checkout review");
    assert_eq!(joined.topics, topics);
    assert_eq!(joined.participant.as_deref(), Some(""));
    assert!(joined.is_participant());
    assert_eq!(
        joined.questions_in_scope().count(),
        content::topics()
            .take(2)
            .map(|t| t.questions.len())
            .sum::<usize>()
    );
}

#[test]
fn starting_a_review_checks_the_title_and_the_topics() {
    let cases: &[(&str, &[&str], Option<&str>)] = &[
        ("", &[], Some("title")),
        ("   ", &[], Some("title")),
        (&"x".repeat(81), &[], Some("80 characters")),
        ("ok", &["no-such-topic"], Some("at least one topic")),
        ("ok", &[], None),
    ];
    for (title, topics, error) in cases {
        let result = TeamReview::start("id", title, topics);
        match error {
            Some(word) => assert!(
                result.as_ref().is_err_and(|e| e.contains(word)),
                "{title:?} {topics:?} -> {result:?}"
            ),
            None => assert!(result.is_ok(), "{title:?} -> {result:?}"),
        }
    }
    // Every topic chosen is the same as the whole questionnaire.
    let all: Vec<&str> = content::topics().map(|t| t.id).collect();
    assert!(TeamReview::start("id", "t", &all)
        .unwrap()
        .topics
        .is_empty());
}

#[test]
fn a_response_round_trips_answers_notes_and_reasons() {
    let team = review();
    let ids = ids();
    let mut a = Answers::default();
    a.set_answer(ids[0], Some(Yes));
    a.set(
        ids[3],
        Response {
            answer: Some(Na),
            na_reason: "no database".into(),
            note: "checked with Ana".into(),
        },
    );
    a.set(
        ids[9],
        Response {
            answer: None,
            na_reason: String::new(),
            note: "unsure — ask SRE".into(),
        },
    );
    let code = team.response_code(" Bea ", &a);
    assert!(code.starts_with("r1."));
    assert!(code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)));
    let (id, ballot, version) = decode_response(&code).unwrap();
    assert_eq!(id, "abc123");
    assert_eq!(version, CONTENT_VERSION);
    assert_eq!(ballot.name, "Bea");
    assert_eq!(ballot.answers, a.responses);
    // A link holding the code reads the same.
    let link = format!("http://x/#response={code}");
    assert_eq!(decode_response(&link).unwrap().1, ballot);
}

#[test]
fn a_response_leaves_out_topics_outside_the_review() {
    let first = content::topics().next().unwrap();
    let team = TeamReview::start("id", "t", &[first.id]).unwrap();
    let outside = content::topics().nth(1).unwrap().questions[0].id;
    let inside = first.questions[0].id;
    let mut a = Answers::default();
    a.set_answer(inside, Some(No));
    a.set_answer(outside, Some(Yes));
    let (_, ballot, _) = decode_response(&team.response_code("Al", &a)).unwrap();
    assert_eq!(ballot.answers.len(), 1);
    assert_eq!(ballot.answers[inside].answer, Some(No));
}

#[test]
fn bad_responses_are_refused_and_change_nothing() {
    let mut team = review();
    team.receive(&team.response_code("Al", &ballot(&[Some(Yes)])))
        .unwrap();
    let before = team.clone();

    let other = TeamReview::start("other", "Other review", &[]).unwrap();
    let n = ids().len();
    let wrong_length = {
        let json = format!(r#"{{"i":"abc123","n":"Cy","c":{CONTENT_VERSION},"a":"yy"}}"#);
        format!("r1.{}", base64url_encode(json.as_bytes()))
    };
    let bad_code = {
        let json = format!(
            r#"{{"i":"abc123","n":"Cy","c":{CONTENT_VERSION},"a":"{}"}}"#,
            "z".repeat(n)
        );
        format!("r1.{}", base64url_encode(json.as_bytes()))
    };
    let old_version = {
        let json = format!(r#"{{"i":"abc123","n":"Cy","c":1,"a":"{}"}}"#, "-".repeat(n));
        format!("r1.{}", base64url_encode(json.as_bytes()))
    };
    let no_name = {
        let json = format!(
            r#"{{"i":"abc123","n":"  ","c":{CONTENT_VERSION},"a":"{}"}}"#,
            "-".repeat(n)
        );
        format!("r1.{}", base64url_encode(json.as_bytes()))
    };
    let valid = team.response_code("Cy", &Answers::default());
    let cut = &valid[..valid.len() - 7];
    let cases: Vec<(String, &str)> = vec![
        (
            other.response_code("Cy", &Answers::default()),
            "another team review",
        ),
        (old_version, "version 1"),
        (wrong_length, "damaged"),
        (bad_code, "damaged"),
        (no_name, "damaged"),
        (cut.to_string(), "damaged"),
        ("r1.!!!".into(), "damaged"),
        ("hello".into(), "not a Twelve-Factor Studio response"),
        (team.invitation(), "invitation, not a response"),
        (String::new(), "not a Twelve-Factor Studio response"),
    ];
    for (code, expected) in cases {
        let err = team.receive(&code).unwrap_err();
        assert!(err.contains(expected), "{code:?}: {err}");
        assert!(err.contains("Nothing was changed"), "{err}");
        assert_eq!(team, before, "{code:?} changed the review");
    }
}

#[test]
fn the_same_participant_sending_again_replaces_the_earlier_response() {
    let mut team = review();
    let first = team.receive(&team.response_code("Ana", &ballot(&[Some(No)])));
    assert!(!first.unwrap().replaced);
    let again = team
        .receive(&team.response_code("ana ", &ballot(&[Some(Yes), Some(Yes)])))
        .unwrap();
    assert!(again.replaced);
    assert_eq!(again.answered, 2);
    assert_eq!(team.ballots.len(), 1);
    assert_eq!(team.spread(ids()[0]), spread(1, 0, 0, 0));
}

#[test]
fn a_review_takes_twelve_participants_and_refuses_a_thirteenth() {
    let mut team = review();
    for i in 0..MAX_PARTICIPANTS {
        team.receive(&team.response_code(&format!("P{i}"), &ballot(&[Some(Yes)])))
            .unwrap();
    }
    let before = team.clone();
    let err = team
        .receive(&team.response_code("P12", &ballot(&[Some(No)])))
        .unwrap_err();
    assert!(err.contains("up to 12"), "{err}");
    assert_eq!(team, before);
    // A participant already in can still replace their response.
    assert!(
        team.receive(&team.response_code("P3", &ballot(&[Some(No)])))
            .unwrap()
            .replaced
    );
    team.remove("P0");
    assert_eq!(team.ballots.len(), MAX_PARTICIPANTS - 1);
}

#[test]
fn the_spread_counts_votes_and_reads_like_the_meeting_says_it() {
    let mut team = review();
    let votes = [
        Some(Yes),
        Some(Yes),
        Some(Partly),
        Some(No),
        Some(Yes),
        None,
    ];
    for (i, v) in votes.iter().enumerate() {
        team.receive(&team.response_code(&format!("P{i}"), &ballot(&[*v])))
            .unwrap();
    }
    let s = team.spread(ids()[0]);
    assert_eq!(s.label(), "Yes 3 · Partly 1 · No 1 · Unanswered 1");
    assert_eq!(s.votes(), 5);
    assert!(s.is_disagreement());
    assert_eq!(s.majority(), Some(Yes));
    assert_eq!(Spread::default().label(), "No votes yet");
}

#[test]
fn disagreement_flags_unanimity_majority_and_measure() {
    // (spread, disagreement flag, unanimous answer, majority, measure)
    let cases = [
        (spread(0, 0, 0, 0), false, None, None, 0.0),
        (spread(1, 0, 0, 0), false, None, Some(Yes), 0.0),
        (spread(3, 0, 0, 0), false, Some(Yes), Some(Yes), 0.0),
        (spread(0, 0, 0, 2), false, Some(Na), Some(Na), 0.0),
        (spread(2, 1, 0, 0), true, None, Some(Yes), 2.0 / 6.0),
        (spread(2, 0, 1, 0), true, None, Some(Yes), 4.0 / 6.0),
        (spread(1, 0, 1, 0), true, None, None, 1.0),
        (spread(1, 0, 0, 1), true, None, None, 1.0),
        (spread(1, 1, 1, 0), true, None, None, 4.0 / 6.0),
    ];
    for (s, flag, unanimous, majority, measure) in cases {
        assert_eq!(s.is_disagreement(), flag, "{s:?}");
        assert_eq!(s.unanimous_answer(), unanimous, "{s:?}");
        assert_eq!(s.majority(), majority, "{s:?}");
        assert!(
            (s.disagreement() - measure).abs() < 1e-9,
            "{s:?}: {}",
            s.disagreement()
        );
    }
    // A split between Yes and No is more disagreement than one between Yes and Partly.
    assert!(spread(2, 0, 1, 0).disagreement() > spread(2, 1, 0, 0).disagreement());
}

#[test]
fn two_agree_one_disagrees_then_the_facilitator_settles() {
    // Guards the meeting from the issue: three participants, one question disputed.
    let mut team = review();
    let ids = ids();
    team.receive(&team.response_code("Ana", &ballot(&[Some(Yes), Some(No), Some(Na)])))
        .unwrap();
    team.receive(&team.response_code("Bo", &ballot(&[Some(Yes), Some(No), None])))
        .unwrap();
    let mut cy = ballot(&[Some(No), Some(No)]);
    cy.set(
        ids[0],
        Response {
            answer: Some(No),
            na_reason: String::new(),
            note: "No alerting on the queue yet".into(),
        },
    );
    team.receive(&team.response_code("Cy", &cy)).unwrap();

    assert_eq!(team.spread(ids[0]).label(), "Yes 2 · No 1");
    assert_eq!(
        team.notes(ids[0]),
        vec![("Cy".to_string(), "No alerting on the queue yet".to_string())]
    );
    let mut order = vec![ids[2], ids[1], ids[0]];
    most_disagreement_first(&team, &mut order);
    assert_eq!(order, vec![ids[0], ids[2], ids[1]]);

    let mut answers = Answers::default();
    assert_eq!(team.settle_with_majority(ids[0], &mut answers), Some(Yes));
    answers.set_answer(ids[0], None);
    let s = team.summary(&answers);
    assert_eq!(
        (s.voted, s.unanimous, s.disagreements, s.settled),
        (3, 1, 1, 0)
    );
    // Only Ana answered the third question: one vote is neither unanimous nor a dispute.
    assert_eq!(team.apply_unanimous(&mut answers), 1);
    assert_eq!(answers.effective(ids[1]), Some(No));
    assert_eq!(
        answers.effective(ids[0]),
        None,
        "a dispute is never filled in"
    );
    answers.set_answer(ids[0], Some(Partly));
    let s = team.summary(&answers);
    assert_eq!((s.unanimous, s.disagreements, s.settled), (1, 1, 1));
}

#[test]
fn applying_unanimous_na_keeps_a_reason_and_never_overwrites_a_team_answer() {
    let mut team = review();
    let ids = ids();
    for name in ["A", "B"] {
        let mut a = ballot(&[Some(Yes)]);
        a.set(
            ids[1],
            Response {
                answer: Some(Na),
                na_reason: if name == "B" {
                    "no queue".into()
                } else {
                    String::new()
                },
                note: String::new(),
            },
        );
        team.receive(&team.response_code(name, &a)).unwrap();
    }
    let mut answers = Answers::default();
    answers.set_answer(ids[0], Some(No));
    assert_eq!(team.apply_unanimous(&mut answers), 1);
    assert_eq!(answers.effective(ids[0]), Some(No));
    assert_eq!(answers.response(ids[1]).na_reason, "no queue");
    assert_eq!(answers.effective(ids[1]), Some(Na));

    // The majority of a split vote, with the N/A reason carried over.
    let mut team2 = review();
    for (name, v) in [
        ("A", Some(Na)),
        ("B", Some(Na)),
        ("C", Some(Yes)),
        ("D", Some(No)),
    ] {
        let mut a = ballot(&[v]);
        if name == "B" {
            a.set(
                ids[0],
                Response {
                    answer: v,
                    na_reason: "batch job, no HTTP".into(),
                    note: String::new(),
                },
            );
        }
        team2.receive(&team2.response_code(name, &a)).unwrap();
    }
    let mut answers = Answers::default();
    assert_eq!(team2.settle_with_majority(ids[0], &mut answers), Some(Na));
    assert_eq!(
        answers.effective(ids[0]),
        Some(Na),
        "the reason makes N/A count"
    );
    // A tie has no majority and records nothing.
    team2.remove("B");
    let mut answers = Answers::default();
    assert_eq!(team2.settle_with_majority(ids[0], &mut answers), None);
    assert!(answers.responses.is_empty());
}

#[test]
fn invitations_for_other_versions_or_damaged_are_refused() {
    let old = format!(
        "t1.{}",
        base64url_encode(br#"{"i":"x","t":"Old review","c":1}"#)
    );
    let unknown_topic = format!(
        "t1.{}",
        base64url_encode(
            format!(r#"{{"i":"x","t":"T","c":{CONTENT_VERSION},"s":["nope"]}}"#).as_bytes()
        )
    );
    let cases = [
        (old.as_str(), "version 1"),
        (unknown_topic.as_str(), "damaged"),
        ("t1.@@", "damaged"),
        ("r1.abc", "not a Twelve-Factor Studio invitation"),
    ];
    for (code, expected) in cases {
        let err = decode_invitation(code).unwrap_err();
        assert!(err.contains(expected), "{code}: {err}");
    }
    assert!(base64url_decode("t1.@@").is_none());
}

#[test]
fn a_document_carries_the_team_review_and_older_ones_load_unchanged() {
    let mut team = review();
    team.receive(&team.response_code("Ana", &ballot(&[Some(Yes)])))
        .unwrap();
    let doc = Document::new(&Answers::default(), None).with_team(Some(team.clone()));
    let loaded = load_document(&doc.to_json()).unwrap();
    assert_eq!(loaded.team, Some(team));

    let plain = Document::new(&ballot(&[Some(No)]), None).to_json();
    assert!(
        !plain.contains("\"team\""),
        "no team field outside a review"
    );
    let loaded = load_document(&plain).unwrap();
    assert_eq!(loaded.team, None);
    assert_eq!(loaded.answers, ballot(&[Some(No)]));
}

#[test]
fn the_team_checklist_travels_with_the_invitation_and_must_match_the_response() {
    // Guards part 4 meeting part 1: participants answer the facilitator's own questions too.
    use tfstudio::core::content::custom;
    let checklist =
        custom::parse(include_str!("../examples/team-checklist.json")).expect("example is valid");
    let team_topic = checklist.topics[0].id.clone();
    custom::install(Some(&checklist));
    let mut team = TeamReview::start("k1", "with checklist", &[team_topic.as_str()]).unwrap();
    assert_eq!(team.topics, vec![team_topic.clone()]);
    let invitation = team.invitation();

    // The participant's browser has no checklist until it reads the invitation.
    custom::install(None);
    let (joined, carried) = decode_invitation(&invitation).unwrap();
    assert_eq!(carried.as_ref(), Some(&checklist));
    assert_eq!(joined.topics, vec![team_topic]);
    let plain = joined.response_code("Ana", &Answers::default());
    custom::install(carried.as_ref());
    let mut answers = Answers::default();
    let question = checklist.topics[0].questions[0].id.as_str();
    answers.set_answer(question, Some(Partly));
    let code = joined.response_code("Ana", &answers);

    // A response made without the checklist is refused with a reason; the right one is merged.
    let before = team.clone();
    let err = team.receive(&plain).unwrap_err();
    assert!(err.contains("no team checklist"), "{err}");
    assert_eq!(team, before);
    team.receive(&code).unwrap();
    assert_eq!(team.spread(question).label(), "Partly 1");
    custom::install(None);
}
