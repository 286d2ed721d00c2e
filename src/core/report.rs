//! The Markdown report: launch decision and maturity level, score, per-topic table, next actions,
//! plan and notes, ready to paste into meeting minutes or a pull request. The CLI prints it; the
//! app exports it.

use std::fmt::Write;

use super::answers::Answers;
use super::content;
use super::score::{PlanItem, Report, Tally};

fn pct(t: &Tally) -> String {
    t.whole_percent()
        .map(|p| format!("{p}%"))
        .unwrap_or_else(|| "n/a".into())
}

/// Escapes text for a Markdown table cell or inline text.
pub fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub fn markdown(report: &Report, answers: &Answers) -> String {
    let mut s = String::new();
    verdict(&mut s, report);
    let _ = writeln!(
        s,
        "\n## Scores\n\n| Topic | Score | Answered | Open blockers |\n|---|---:|---:|---:|"
    );
    for t in &report.topics {
        let _ = writeln!(
            s,
            "| {} | {} | {}/{} | {} |",
            md_escape(&t.topic.heading()),
            pct(&t.tally),
            t.tally.answered,
            t.tally.total,
            t.open_blockers
        );
    }
    plan(&mut s, report);
    notes(&mut s, answers);
    s
}

/// The title, both verdicts side by side, the score and the reasons behind each verdict.
fn verdict(s: &mut String, report: &Report) {
    let (launch, l) = (&report.launch, &report.level);
    let _ = writeln!(s, "# Twelve-factor assessment\n");
    let _ = writeln!(
        s,
        "**Launch decision: {}** · **Maturity level: {}** ({} of 4)\n",
        launch.decision.label(),
        l.level.name(),
        l.level.number()
    );
    let _ = writeln!(
        s,
        "Overall score **{}** (factors {}, deployment readiness {}{}); {} of {} questions answered.\n",
        pct(&report.overall),
        pct(&report.factors),
        pct(&report.readiness),
        if report.team.total > 0 { format!(", team checklist {}", pct(&report.team)) } else { String::new() },
        report.overall.answered,
        report.overall.total
    );
    let _ = writeln!(s, "## Launch decision: {}\n", launch.summary());
    for reason in &launch.reasons {
        let _ = writeln!(s, "- {reason}");
    }
    for q in &launch.open_blockers {
        let _ = writeln!(s, "- Open blocker: {}", md_escape(q.text));
    }
    let _ = writeln!(
        s,
        "\n## Maturity level: {}\n\n{}\n",
        l.level.name(),
        l.level.meaning()
    );
    for reason in &l.reasons {
        let _ = writeln!(s, "- {reason}");
    }
}

/// The next actions first, then the whole plan, each item with what to do and what helps.
fn plan(s: &mut String, report: &Report) {
    if report.plan.is_empty() {
        let _ = writeln!(
            s,
            "\n## Improvement plan\n\nNothing open: every applicable question is answered Yes."
        );
        return;
    }
    let next = report.next_actions();
    let _ = writeln!(s, "\n## Next {} actions\n", next.len());
    for (i, item) in next.iter().enumerate() {
        plan_item(s, i + 1, item);
    }
    let _ = writeln!(s, "\n## Improvement plan ({} open)\n", report.plan.len());
    for (i, item) in report.plan.iter().enumerate() {
        plan_item(s, i + 1, item);
    }
}

fn plan_item(s: &mut String, number: usize, item: &PlanItem) {
    let status = item.answer.map(|a| a.label()).unwrap_or("Unanswered");
    let blocker = if item.blocks_launch() {
        " **(launch blocker)**"
    } else {
        ""
    };
    let _ = writeln!(
        s,
        "{number}. {}{blocker} — {status}, {}, effort {}",
        md_escape(item.question.text),
        md_escape(item.topic.title),
        item.effort.label().to_lowercase()
    );
    let _ = writeln!(s, "   - Do: {}", md_escape(item.question.remediation()));
    if !item.files.is_empty() {
        let files: Vec<&str> = item.files.iter().map(|f| f.label()).collect();
        let _ = writeln!(
            s,
            "   - Generated files that help: {}",
            md_escape(&files.join(", "))
        );
    }
}

fn notes(s: &mut String, answers: &Answers) {
    let notes: Vec<_> = content::questions()
        .filter_map(|(_, q)| answers.get(q.id).map(|r| (q, r)))
        .filter(|(_, r)| !r.note.trim().is_empty() || !r.na_reason.trim().is_empty())
        .collect();
    if notes.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n## Notes\n");
    for (q, r) in notes {
        let _ = writeln!(s, "- {}", md_escape(q.text));
        if !r.na_reason.trim().is_empty() {
            let _ = writeln!(s, "  - N/A because: {}", md_escape(&r.na_reason));
        }
        if !r.note.trim().is_empty() {
            let _ = writeln!(s, "  - Note: {}", md_escape(&r.note));
        }
    }
}
