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
