//! Share links restore exactly what was shared, and bad links fail with a clear message.

use tfstudio::core::answers::{Answer, Answers, Response};
use tfstudio::core::content;
use tfstudio::core::share::{base64url_decode, base64url_encode, decode, encode};
use tfstudio::core::spec::ProjectSpec;

fn sample() -> (Answers, ProjectSpec) {
    let ids: Vec<&str> = content::questions().map(|(_, q)| q.id).collect();
    let mut a = Answers::default();
    a.set_answer(ids[0], Some(Answer::Yes));
    a.set_answer(ids[1], Some(Answer::Partly));
    a.set(
        ids[2],
        Response {
            answer: Some(Answer::NotApplicable),
            na_reason: "no database — 100% \"stateless\"".into(),
            note: String::new(),
        },
    );
    a.set(
        ids[5],
        Response {
            answer: Some(Answer::No),
            na_reason: String::new(),
            note: "owner: Ana; ticket #42 & <b>".into(),
        },
    );
    a.set(
        ids[7],
        Response {
            answer: None,
            na_reason: String::new(),
            note: "note without answer".into(),
        },
    );
    let spec = ProjectSpec {
        name: "shared-svc".into(),
        port: 9000,
        ..ProjectSpec::default()
    };
    (a, spec)
}

#[test]
fn a_link_round_trips_answers_notes_reasons_and_settings() {
    let (a, spec) = sample();
    let link = encode(&a, Some(&spec));
    assert!(link.starts_with("1."));
    assert!(
        link.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
        "URL-safe: {link}"
    );
    let loaded = decode(&link).unwrap();
    let (back, back_spec) = (loaded.answers, loaded.project);
    assert!(loaded.dropped.is_empty());
    assert_eq!(back, a);
    assert_eq!(back_spec, Some(spec));
}

#[test]
fn a_link_is_compact() {
    let (a, spec) = sample();
    let link = encode(&a, Some(&spec));
    assert!(link.len() < 1200, "{} characters", link.len());
}

#[test]
fn corrupt_truncated_and_foreign_links_are_clear_errors() {
    let (a, _) = sample();
    let link = encode(&a, None);
    let cases = [
        (link[..link.len() / 2].to_string(), "damaged"),
        (
            link.replace("1.", "9."),
            "not one Twelve-Factor Studio can read",
        ),
        ("1.!!!!".to_string(), "damaged"),
        ("hello".to_string(), "not one Twelve-Factor Studio can read"),
        (
            format!("1.{}", base64url_encode(br#"{"c":0,"a":""}"#)),
            "version 0",
        ),
        (
            format!("1.{}", base64url_encode(br#"{"c":1,"a":"yyy"}"#)),
            "damaged",
        ),
    ];
    for (text, expected) in cases {
        let err = decode(&text).expect_err(&text);
        assert!(err.contains(expected), "{text}: {err}");
        assert!(err.contains("unchanged"), "the message reassures: {err}");
    }
}

#[test]
fn base64url_round_trips_every_length() {
    for len in 0..20 {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
        assert_eq!(base64url_decode(&base64url_encode(&bytes)).unwrap(), bytes);
    }
    assert_eq!(base64url_encode(b"hi?"), "aGk_");
}
