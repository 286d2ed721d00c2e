//! Snapshots: the form's checks, list operations, how they travel in the saved document (older
//! documents without snapshots load unchanged), how an old snapshot is upgraded, and the trend.

use tfstudio::core::answers::{load_document, Answer, Answers, Document, Response};
use tfstudio::core::content::{self, Level, CONTENT_VERSION};
use tfstudio::core::score::Decision;
use tfstudio::core::snapshot::{
    self, check_date, check_draft, check_label, display_date, Draft, Snapshot,
};
use tfstudio::core::sync::{self, Clock, Fields};

const TODAY: &str = "2026-12-02";

/// A trend point as a reader sees it: id, label, score, level, decision, open blockers.
type Row<'a> = (Option<u32>, &'a str, Option<u32>, Level, Decision, usize);

fn answers(pairs: &[(&str, Answer)]) -> Answers {
    let mut a = Answers::default();
    for (id, answer) in pairs {
        a.set_answer(id, Some(*answer));
    }
    a
}

fn snap(id: u32, label: &str, date: &str, saved_at: &str) -> Snapshot {
    Snapshot {
        id,
        label: label.into(),
        date: date.into(),
        saved_at: saved_at.into(),
        content_version: CONTENT_VERSION,
        answers: Default::default(),
    }
}

#[test]
fn labels_are_checked_with_a_message_for_the_field() {
    // A label is required, trimmed and short enough for a list row and a chart column.
    let long = "x".repeat(81);
    let cases: &[(&str, Result<&str, &str>)] = &[
        ("Pre-launch review", Ok("Pre-launch review")),
        ("  Sprint 12  ", Ok("Sprint 12")),
        ("", Err("Give the snapshot a label")),
        ("   ", Err("Give the snapshot a label")),
        (&long, Err("80 characters or fewer (it has 81)")),
    ];
    for (input, expected) in cases {
        match (check_label(input), expected) {
            (Ok(got), Ok(want)) => assert_eq!(got, *want),
            (Err(got), Err(want)) => assert!(got.contains(want), "{input:?}: {got}"),
            (got, want) => panic!("{input:?}: got {got:?}, want {want:?}"),
        }
    }
    assert_eq!(
        check_label(&"é".repeat(80)).map(|l| l.chars().count()),
        Ok(80)
    );
}

#[test]
fn dates_must_be_real_days_not_after_today() {
    // The date field accepts YYYY-MM-DD calendar dates up to today and names what is wrong.
    let cases: &[(&str, Result<&str, &str>)] = &[
        ("2026-12-02", Ok("2026-12-02")),
        (" 2026-11-30 ", Ok("2026-11-30")),
        ("2024-02-29", Ok("2024-02-29")),
        ("", Err("Choose the date")),
        (
            "2023-02-29",
            Err("is not a date: write it as YYYY-MM-DD, for example 2026-12-02"),
        ),
        ("2026-13-01", Err("is not a date")),
        ("2026-04-31", Err("is not a date")),
        ("2/12/2026", Err("is not a date")),
        ("2026-1-2", Err("is not a date")),
        ("2026-12-03", Err("3 Dec 2026 is after today (2 Dec 2026)")),
    ];
    for (input, expected) in cases {
        match (check_date(input, TODAY), expected) {
            (Ok(got), Ok(want)) => assert_eq!(got, *want),
            (Err(got), Err(want)) => assert!(got.contains(want), "{input:?}: {got}"),
            (got, want) => panic!("{input:?}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn the_form_reports_every_bad_field_at_once() {
    let bad = Draft {
        label: " ".into(),
        date: "tomorrow".into(),
    };
    let errors = check_draft(&bad, TODAY).unwrap_err();
    assert!(errors.label.is_some() && errors.date.is_some());
    let only_date = check_draft(
        &Draft {
            label: "Review".into(),
            date: "2027-01-01".into(),
        },
        TODAY,
    )
    .unwrap_err();
    assert_eq!(only_date.label, None);
    assert!(only_date.date.unwrap().contains("after today"));
    assert_eq!(
        check_draft(
            &Draft {
                label: " Review ".into(),
                date: TODAY.into()
            },
            TODAY
        ),
        Ok(("Review".to_string(), TODAY.to_string()))
    );
}

#[test]
fn dates_read_the_same_to_everyone() {
    for (iso, shown) in [
        ("2026-12-02", "2 Dec 2026"),
        ("2027-01-31", "31 Jan 2027"),
        ("not a date", "not a date"),
    ] {
        assert_eq!(display_date(iso), shown);
    }
}

#[test]
fn add_rename_and_remove_keep_ids_stable() {
    let mut list = Vec::new();
    let a = answers(&[("codebase-one-repo", Answer::Yes)]);
    let first = snapshot::add(&mut list, "Kick-off".into(), "2026-11-01".into(), "", &a);
    let second = snapshot::add(&mut list, "Pre-launch".into(), TODAY.into(), "", &a);
    assert_eq!((first, second), (1, 2));
    assert_eq!(list[0].answers, a.responses);
    assert_eq!(list[0].content_version, CONTENT_VERSION);
    // Renaming checks the label like the form does and leaves everything else alone.
    assert!(snapshot::rename(&mut list, 1, "  ")
        .unwrap_err()
        .contains("label"));
    assert_eq!(list[0].label, "Kick-off");
    snapshot::rename(&mut list, 1, " Kick-off review ").unwrap();
    assert_eq!(list[0].label, "Kick-off review");
    assert!(snapshot::rename(&mut list, 9, "Gone").is_err());
    // A removed id is not reused while a later one exists.
    assert!(snapshot::remove(&mut list, 1));
    assert!(!snapshot::remove(&mut list, 1));
    let third = snapshot::add(&mut list, "After fixes".into(), TODAY.into(), "", &a);
    assert_eq!(third, 3);
    assert_eq!(list.iter().map(|s| s.id).collect::<Vec<_>>(), vec![2, 3]);
}

#[test]
fn snapshots_sort_by_date_then_time_saved() {
    let list = vec![
        snap(1, "c", "2026-12-02", "2026-12-02T15:00:00+01:00"),
        snap(2, "a", "2026-10-01", "2026-12-02T09:00:00+01:00"),
        snap(3, "b", "2026-12-02", "2026-12-02T10:00:00+01:00"),
    ];
    let order: Vec<&str> = snapshot::chronological(&list)
        .iter()
        .map(|s| s.label.as_str())
        .collect();
    assert_eq!(order, vec!["a", "b", "c"]);
}

#[test]
fn importing_a_document_adds_only_snapshots_not_already_here() {
    // Importing never loses a snapshot; one already held (same label, date and answers) is not
    // duplicated, and newcomers get ids that do not collide.
    let mut ours = vec![
        snap(1, "Kick-off", "2026-11-01", ""),
        snap(2, "Mid", "2026-11-15", ""),
    ];
    let theirs = vec![
        snap(1, "Kick-off", "2026-11-01", "other time"),
        snap(2, "Pre-launch", TODAY, ""),
    ];
    assert_eq!(snapshot::merge(&mut ours, theirs), 1);
    assert_eq!(ours.len(), 3);
    assert_eq!((ours[2].id, ours[2].label.as_str()), (3, "Pre-launch"));
}

#[test]
fn a_document_without_snapshots_loads_and_saves_unchanged() {
    // Documents written before snapshots existed have no "snapshots" key; they load, and
    // saving them again writes the same bytes (no empty list appears).
    let a = answers(&[("codebase-one-repo", Answer::Yes)]);
    let json = Document::new(&a, None).to_json();
    assert!(!json.contains("snapshots"));
    let loaded = load_document(&json).unwrap();
    assert!(loaded.snapshots.is_empty());
    assert_eq!(loaded.answers, a);
    assert_eq!(Document::new(&loaded.answers, None).to_json(), json);
    // The version-1 fixtures (an export and a generated assessment.json) still load.
    for fixture in ["v1-assessment.json", "v1-generated-assessment.json"] {
        let text = std::fs::read_to_string(format!("tests/fixtures/{fixture}")).unwrap();
        let loaded = load_document(&text).unwrap_or_else(|e| panic!("{fixture}: {e}"));
        assert!(loaded.snapshots.is_empty(), "{fixture}");
        assert!(!loaded.answers.responses.is_empty(), "{fixture}");
    }
}

#[test]
fn snapshots_travel_in_the_document() {
    let now = answers(&[("codebase-one-repo", Answer::Yes)]);
    let mut list = Vec::new();
    snapshot::add(
        &mut list,
        "Pre-launch review".into(),
        TODAY.into(),
        "2026-12-02T19:54:15+01:00",
        &answers(&[("codebase-one-repo", Answer::No)]),
    );
    let json = Document::new(&now, None)
        .with_snapshots(list.clone())
        .to_json();
    let loaded = load_document(&json).unwrap();
    assert_eq!(loaded.snapshots, list);
    assert_eq!(loaded.answers, now);
}

#[test]
fn a_damaged_snapshot_refuses_the_document_with_a_message() {
    let json = r#"{"format":"twelve-factor-studio/assessment","document_version":1,
        "content_id":"twelve-factor-studio","content_version":2,"answers":{},
        "snapshots":[{"id":1,"label":"x"}]}"#;
    let e = load_document(json).unwrap_err();
    assert!(e.0.contains("damaged"), "{e}");
}

#[test]
fn a_snapshot_from_version_1_is_upgraded_when_read() {
    // A snapshot keeps the answers and the content version it was taken with, so after a
    // questionnaire upgrade it is carried over like a saved version-1 document.
    let text = std::fs::read_to_string("tests/fixtures/v1-assessment.json").unwrap();
    let v1: serde_json::Value = serde_json::from_str(&text).unwrap();
    let old = Snapshot {
        id: 1,
        label: "Before the upgrade".into(),
        date: "2026-10-01".into(),
        saved_at: String::new(),
        content_version: 1,
        answers: serde_json::from_value(v1["answers"].clone()).unwrap(),
    };
    let upgraded = old.upgraded();
    let direct = load_document(&text).unwrap();
    assert_eq!(upgraded.answers, direct.answers);
    assert_eq!(upgraded.dropped, direct.dropped);
    assert!(upgraded
        .answers
        .responses
        .keys()
        .all(|id| content::question(id).is_some()));
}

#[test]
fn the_trend_scores_each_snapshot_oldest_first_then_now() {
    let blockers: Vec<&str> = content::questions()
        .map(|(_, q)| q)
        .filter(|q| q.blocker)
        .map(|q| q.id)
        .collect();
    let mut list = vec![
        snap(5, "Later", "2026-11-20", ""),
        snap(2, "First", "2026-11-01", ""),
    ];
    // "Later" has every twelve-factor question answered Yes.
    for topic in content::factors() {
        for q in topic.questions {
            list[0].answers.insert(
                q.id.into(),
                Response {
                    answer: Some(Answer::Yes),
                    ..Default::default()
                },
            );
        }
    }
    let mut now = Answers::default();
    for (_, q) in content::questions() {
        now.set_answer(q.id, Some(Answer::Yes));
    }
    let points = snapshot::trend(&list, Some(&now));
    let summary: Vec<Row> = points
        .iter()
        .map(|p| {
            (
                p.id,
                p.label.as_str(),
                p.score,
                p.level,
                p.decision,
                p.open_blockers,
            )
        })
        .collect();
    let first = (
        Some(2),
        "First",
        Some(0),
        Level::NotReady,
        Decision::NoGo,
        blockers.len(),
    );
    assert_eq!(summary[0], first);
    assert_eq!(summary[1].1, "Later");
    assert!(summary[1].2.unwrap() > 10, "{:?}", summary[1]);
    assert_eq!(
        summary[2],
        (None, "Now", Some(100), Level::Exemplary, Decision::Go, 0)
    );
    let text = snapshot::trend_summary(&points);
    assert!(
        text.starts_with(
            "Score and level over time. First (1 Nov 2026): score 0%, level Not ready, No-go;"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("Now: score 100%, level Exemplary, Go."),
        "{text}"
    );
}

#[test]
fn two_tabs_keep_each_others_snapshots() {
    // Each snapshot is its own field in the tab merge: a rename in one tab and a new snapshot in
    // the other both survive, and a deletion wins over an older copy.
    let a = answers(&[("codebase-one-repo", Answer::Yes)]);
    let mut base = Vec::new();
    snapshot::add(&mut base, "Kick-off".into(), "2026-11-01".into(), "", &a);
    let fields_of = |list: &[Snapshot]| {
        let mut f = Fields::new();
        sync::add_snapshots(&mut f, list);
        f
    };
    let start = fields_of(&base);
    assert_eq!(sync::snapshots_of(&start), base);

    let mut renamed = base.clone();
    snapshot::rename(&mut renamed, 1, "Kick-off review").unwrap();
    let (tab_a, mut clock_a) = (fields_of(&renamed), Clock::new());
    sync::stamp(&mut clock_a, &start, &tab_a, 10.0);

    let mut added = base.clone();
    snapshot::add(&mut added, "Pre-launch".into(), TODAY.into(), "", &a);
    let (tab_b, mut clock_b) = (fields_of(&added), Clock::new());
    sync::stamp(&mut clock_b, &start, &tab_b, 20.0);

    let (merged, clock) = sync::merge((&tab_a, &clock_a), (&tab_b, &clock_b));
    let labels: Vec<String> = sync::snapshots_of(&merged)
        .into_iter()
        .map(|s| s.label)
        .collect();
    assert_eq!(labels, vec!["Kick-off review", "Pre-launch"]);

    // Tab A deletes "Pre-launch" later: the deletion wins.
    let mut deleted = sync::snapshots_of(&merged);
    snapshot::remove(&mut deleted, 2);
    let after_delete = fields_of(&deleted);
    let mut clock_del = clock.clone();
    sync::stamp(&mut clock_del, &merged, &after_delete, 30.0);
    let (final_fields, _) = sync::merge((&after_delete, &clock_del), (&merged, &clock));
    assert_eq!(sync::snapshots_of(&final_fields).len(), 1);
    // Snapshot fields never leak into the answers.
    let (restored, _) = sync::unfields(&final_fields, &Default::default());
    assert!(restored.responses.is_empty());
}
