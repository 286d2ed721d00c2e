//! The Markdown report reads well and user text cannot break its structure.

use tfstudio::core::answers::{Answer, Answers, Response};
use tfstudio::core::content;
use tfstudio::core::report::markdown;
use tfstudio::core::score;

#[test]
fn the_report_has_level_scores_plan_and_notes() {
    let ids: Vec<&str> = content::questions().map(|(_, q)| q.id).collect();
    let mut a = Answers::default();
    a.set_answer(ids[0], Some(Answer::Yes));
    a.set(
        ids[1],
        Response {
            answer: Some(Answer::No),
            na_reason: String::new(),
            note: "| pipe | and *stars* and <script>".into(),
        },
    );
    let md = markdown(&score::score(&a), &a);
    assert!(md.starts_with("# Twelve-factor assessment"));
    assert!(
        md.contains("**Launch decision: No-go** · **Maturity level: Not ready** (0 of 4)"),
        "{md}"
    );
    assert!(md.contains("## Next 5 actions"), "{md}");
    assert!(
        md.contains("2 of 110 questions answered")
            || md.contains(&format!("2 of {} questions answered", ids.len()))
    );
    assert!(md.contains("| I. Codebase |"));
    assert!(md.contains("## Improvement plan ("));
    assert!(md.contains("(launch blocker)"));
    // The note is escaped: no raw pipe or tag can start a table cell or HTML element.
    assert!(
        md.contains(r"\| pipe \| and \*stars\* and \<script\>"),
        "{md}"
    );
    // Every table row has the same number of cells.
    for line in md.lines().filter(|l| l.starts_with("| ")) {
        assert_eq!(line.matches(" | ").count(), 3, "{line}");
    }
}

#[test]
fn every_surface_counts_the_same_open_blockers() {
    // Table of assessments: the results, the Markdown report (also the CLI's output) and the
    // generated README must state the same launch decision and the same open-blocker count.
    use tfstudio::core::generate;
    use tfstudio::core::spec::ProjectSpec;
    let blockers: Vec<&str> = content::questions()
        .filter(|(_, q)| q.blocker)
        .map(|(_, q)| q.id)
        .collect();
    let mut cases: Vec<Answers> = vec![Answers::default()];
    let mut all_yes = Answers::default();
    for (_, q) in content::questions() {
        all_yes.set_answer(q.id, Some(Answer::Yes));
    }
    cases.push(all_yes.clone());
    let mut two_partly = all_yes.clone();
    two_partly.set_answer(blockers[0], Some(Answer::Partly));
    two_partly.set_answer(blockers[1], Some(Answer::Partly));
    cases.push(two_partly);
    for answers in cases {
        let report = score::score(&answers);
        let open = report.launch.open_blockers.len();
        let per_topic: u32 = report.topics.iter().map(|t| t.open_blockers).sum();
        assert_eq!(per_topic as usize, open);
        let md = markdown(&report, &answers);
        assert!(
            md.contains(&format!("## Launch decision: {}", report.launch.summary())),
            "{md}"
        );
        assert_eq!(md.matches("- Open blocker: ").count(), open);
        let readme = generate::generate(&ProjectSpec::default(), &answers)
            .unwrap()
            .file("README.md")
            .unwrap()
            .contents
            .clone();
        assert!(
            readme.contains(&report.verdict_line()),
            "the README states {}",
            report.verdict_line()
        );
        if open > 0 {
            assert!(report
                .verdict_line()
                .contains(&format!("No-go: {open} open launch")));
        }
    }
}
