//! Property tests for every parser of user input: share links, imported documents, saved work
//! (with its merge clock), team checklists, project specs and the size guards. None may panic or hang; every
//! refusal is a sentence for the user.
//!
//! `make test` runs the default number of cases (256 per property); `make fuzz` runs many more
//! (PROPTEST_CASES). Inputs are arbitrary strings and mutations of valid inputs, so the parsers
//! are driven past their first check.

use proptest::prelude::*;

use tfstudio::core::answers::{load_document, Answer, Answers, Document, Response};
use tfstudio::core::content;
use tfstudio::core::content::custom;
use tfstudio::core::limits;
use tfstudio::core::share;
use tfstudio::core::spec::{slugify, ProjectSpec};
use tfstudio::core::sync;

fn question_ids() -> Vec<&'static str> {
    content::questions().map(|(_, q)| q.id).collect()
}

fn answer() -> impl Strategy<Value = Option<Answer>> {
    prop_oneof![
        Just(None),
        proptest::sample::select(Answer::ALL.to_vec()).prop_map(Some)
    ]
}

/// Arbitrary answers over the real questions, with notes and reasons in any Unicode.
fn answers() -> impl Strategy<Value = Answers> {
    let n = question_ids().len();
    proptest::collection::vec((answer(), ".{0,20}", ".{0,20}"), n).prop_map(|rows| {
        let mut a = Answers::default();
        for (id, (answer, note, na_reason)) in question_ids().into_iter().zip(rows) {
            a.set(
                id,
                Response {
                    answer,
                    note,
                    na_reason,
                },
            );
        }
        a
    })
}

fn spec() -> impl Strategy<Value = ProjectSpec> {
    ("[a-z][a-z0-9-]{0,20}", ".{0,40}", any::<u16>()).prop_map(|(name, description, port)| {
        ProjectSpec {
            name,
            description,
            port,
            ..ProjectSpec::default()
        }
    })
}

/// A valid text with one byte range replaced by arbitrary text (a damaged copy or paste).
fn mutate(valid: &str, at: usize, cut: usize, insert: &str) -> String {
    let bytes = valid.as_bytes();
    let at = at % (bytes.len() + 1);
    let end = (at + cut).min(bytes.len());
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(insert.as_bytes());
    out.extend_from_slice(&bytes[end..]);
    String::from_utf8_lossy(&out).into_owned()
}

fn is_sentence(message: &str) -> bool {
    message.len() > 20 && message.trim_end().ends_with(['.', ')'])
}

proptest! {
    // A share code of any shape is decoded or refused with a sentence; never a panic.
    #[test]
    fn share_decode_never_panics(code in ".{0,400}") {
        if let Err(e) = share::decode(&code) {
            prop_assert!(is_sentence(&e), "{e}");
        }
    }

    // Damaged real links: refused with a message, or decoded into valid answers.
    #[test]
    fn damaged_share_links_are_refused_or_valid(a in answers(), s in spec(), at in any::<usize>(), cut in 0usize..8, insert in "[A-Za-z0-9_.-]{0,6}") {
        let code = mutate(&share::encode(&a, Some(&s)), at, cut, &insert);
        match share::decode(&code) {
            Err(e) => prop_assert!(is_sentence(&e), "{e}"),
            Ok(decoded) => prop_assert!(decoded.answers.responses.keys().all(|id| content::question(id).is_some())),
        }
    }

    #[test]
    fn share_links_round_trip(a in answers(), s in spec()) {
        let back = share::decode(&share::encode(&a, Some(&s))).unwrap();
        prop_assert_eq!(back.answers, a);
        prop_assert_eq!(back.project, Some(s));
    }

    #[test]
    fn base64url_decode_never_panics(text in "[A-Za-z0-9_=+/ -]{0,200}") {
        let _ = share::base64url_decode(&text);
    }

    // Imported files: arbitrary text is refused with a message.
    #[test]
    fn load_document_never_panics(text in ".{0,400}") {
        if let Err(e) = load_document(&text) {
            prop_assert!(is_sentence(&e.to_string()), "{e}");
        }
    }

    // Damaged real documents keep only answers to existing questions, or are refused.
    #[test]
    fn damaged_documents_are_refused_or_valid(a in answers(), s in spec(), at in any::<usize>(), cut in 0usize..12, insert in ".{0,8}") {
        let json = mutate(&Document::new(&a, Some(&s)).to_json(), at, cut, &insert);
        match load_document(&json) {
            Err(e) => prop_assert!(is_sentence(&e.to_string()), "{e}"),
            Ok(loaded) => prop_assert!(loaded.answers.responses.keys().all(|id| content::question(id).is_some())),
        }
    }

    // Saved work with its merge clock: any text splits without panicking, and a damaged clock
    // never makes the document unreadable.
    #[test]
    fn stored_work_never_panics(text in ".{0,300}", a in answers(), at in any::<usize>(), insert in ".{0,6}") {
        let _ = sync::from_stored(&text);
        let clock = sync::Clock::from([("answer/x".to_string(), 5.0)]);
        let stored = mutate(&sync::to_stored(&Document::new(&a, None), &clock), at, 0, &insert);
        let (json, _) = sync::from_stored(&stored);
        let _ = load_document(&json);
    }

    // Merging tabs is order-independent and idempotent, whatever the two sides hold.
    #[test]
    fn merge_is_commutative_and_idempotent(a in answers(), b in answers(), ta in proptest::collection::vec(0u32..5, 8), tb in proptest::collection::vec(0u32..5, 8)) {
        let spec = ProjectSpec::default();
        let (fa, fb) = (sync::fields(&a, &spec), sync::fields(&b, &spec));
        let clock = |f: &sync::Fields, times: &[u32]| -> sync::Clock {
            f.keys().zip(times.iter().cycle()).map(|(k, t)| (k.clone(), f64::from(*t))).collect()
        };
        let (ca, cb) = (clock(&fa, &ta), clock(&fb, &tb));
        let ab = sync::merge((&fa, &ca), (&fb, &cb));
        let ba = sync::merge((&fb, &cb), (&fa, &ca));
        prop_assert_eq!(&ab, &ba);
        prop_assert_eq!(sync::merge((&ab.0, &ab.1), (&ab.0, &ab.1)), ab.clone());
        // Nothing invented: every merged field comes from one of the sides.
        for (k, v) in &ab.0 {
            prop_assert!(fa.get(k) == Some(v) || fb.get(k) == Some(v));
        }
    }

    // Team checklists: arbitrary text is refused with located, non-empty messages.
    #[test]
    fn checklist_parse_never_panics(text in ".{0,400}") {
        if let Err(errors) = custom::parse(&text) {
            prop_assert!(!errors.is_empty());
            prop_assert!(errors.iter().all(|e| !e.message.is_empty()));
        }
    }

    // Damaged copies of the documented example: refused with messages, or valid.
    #[test]
    fn damaged_checklists_are_refused_or_valid(at in any::<usize>(), cut in 0usize..10, insert in ".{0,8}") {
        let example = include_str!("../examples/team-checklist.json");
        match custom::parse(&mutate(example, at, cut, &insert)) {
            Err(errors) => prop_assert!(errors.iter().all(|e| !e.message.is_empty())),
            Ok(checklist) => prop_assert!(custom::validate(&checklist).is_empty()),
        }
    }

    // Project specs as the app and the CLI read them: parse, then validate; never a panic.
    #[test]
    fn spec_parsing_never_panics(text in ".{0,300}") {
        if let Ok(spec) = serde_json::from_str::<ProjectSpec>(&text) {
            for e in spec.validate() {
                prop_assert!(!e.message.is_empty());
            }
        }
        let _ = limits::check_spec(&text);
    }

    #[test]
    fn damaged_specs_never_panic(s in spec(), at in any::<usize>(), cut in 0usize..6, insert in ".{0,6}") {
        let json = mutate(&serde_json::to_string(&s).unwrap(), at, cut, &insert);
        if let Ok(spec) = serde_json::from_str::<ProjectSpec>(&json) {
            let _ = spec.validate();
        }
    }

    // Whatever a user types as a name, the suggested slug is valid (or empty).
    #[test]
    fn slugify_gives_a_valid_name_or_nothing(name in ".{0,80}") {
        let slug = slugify(&name);
        prop_assert!(slug.is_empty() || tfstudio::core::spec::check_name(&slug).is_none(), "{slug}");
    }

    #[test]
    fn value_counting_never_panics(text in ".{0,300}") {
        let _ = limits::count_json_values(&text);
    }
}

// The three inputs named in the issue are refused before any parsing, with the limit stated.

#[test]
fn a_50_megabyte_file_is_refused_by_its_size() {
    let e = limits::check_import_size(50 * 1024 * 1024).unwrap_err();
    assert!(e.contains("50.0 MB") && e.contains("at most 2.0 MB"), "{e}");
}

#[test]
fn a_100000_character_share_link_is_refused() {
    let code = format!("1.{}", "A".repeat(100_000 - 2));
    let e = limits::check_share_length(&code).unwrap_err();
    assert!(
        e.contains("100,000 characters") && e.contains("at most 60,000"),
        "{e}"
    );
}

#[test]
fn a_spec_with_10000_variables_is_refused() {
    let vars: Vec<String> = (0..10_000)
        .map(|i| format!("\"VAR_{i}\": \"value {i}\""))
        .collect();
    let spec = format!("{{\"name\": \"big\", \"env\": {{{}}}}}", vars.join(", "));
    let e = limits::check_spec(&spec).unwrap_err();
    assert!(
        e.contains("10,002 entries") && e.contains("at most 500"),
        "{e}"
    );
    // The same spec inside an imported assessment is refused by the document limit.
    let doc = format!("{{\"format\": \"twelve-factor-studio/assessment\", \"project\": {spec}}}");
    assert!(limits::check_document(&doc)
        .unwrap_err()
        .contains("at most 5,000"));
}

#[test]
fn real_work_is_far_inside_the_limits() {
    let mut a = Answers::default();
    for id in question_ids() {
        a.set(
            id,
            Response {
                answer: Some(Answer::NotApplicable),
                na_reason: "r".repeat(300),
                note: "n".repeat(1000),
            },
        );
    }
    let doc = Document::new(&a, Some(&ProjectSpec::default())).to_json();
    assert!(limits::check_document(&doc).is_ok());
    assert!((doc.len() as u64) < limits::MAX_IMPORT_BYTES / 4);
    assert!(limits::check_spec(&serde_json::to_string(&ProjectSpec::default()).unwrap()).is_ok());
}
