//! The Markdown report: score, level, per-topic table, plan and notes, ready to paste into
//! meeting minutes or a pull request. The CLI prints it; the app exports it.

use std::fmt::Write;

use super::answers::Answers;
use super::content::{self, TopicKind};
use super::score::{Report, Tally};

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
    let l = &report.level;
    let _ = writeln!(s, "# Twelve-factor assessment\n");
    let _ = writeln!(s, "**Level: {}** — {}\n", l.level.name(), l.level.meaning());
    let _ = writeln!(
        s,
        "Overall score **{}** (factors {}, deployment readiness {}); {} of {} questions answered.\n",
        pct(&report.overall),
        pct(&report.factors),
        pct(&report.readiness),
        report.overall.answered,
        report.overall.total
    );
    for reason in &l.reasons {
        let _ = writeln!(s, "- {reason}");
    }
    let _ = writeln!(
        s,
        "\n## Scores\n\n| Topic | Score | Answered | Open blockers |\n|---|---:|---:|---:|"
    );
    for t in &report.topics {
        let label = match t.topic.kind {
            TopicKind::Factor => format!("{}. {}", content::roman(t.topic.number), t.topic.title),
            TopicKind::Readiness => t.topic.title.to_string(),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {}/{} | {} |",
            md_escape(&label),
            pct(&t.tally),
            t.tally.answered,
            t.tally.total,
            t.open_blockers
        );
    }
    let _ = writeln!(s, "\n## Improvement plan\n");
    if report.plan.is_empty() {
        let _ = writeln!(
            s,
            "Nothing open: every applicable question is answered Yes."
        );
    }
    for (i, item) in report.plan.iter().enumerate() {
        let status = item.answer.map(|a| a.label()).unwrap_or("Unanswered");
        let blocker = if item.question.blocker {
            " **(launch blocker)**"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "{}. {}{} — {}, {}",
            i + 1,
            md_escape(item.question.text),
            blocker,
            status,
            md_escape(item.topic.title)
        );
        let _ = writeln!(s, "   - Do: {}", md_escape(item.question.remediation));
        if !item.files.is_empty() {
            let files: Vec<&str> = item.files.iter().map(|f| f.label()).collect();
            let _ = writeln!(
                s,
                "   - Generated files that help: {}",
                md_escape(&files.join(", "))
            );
        }
    }
    let notes: Vec<_> = content::questions()
        .filter_map(|(_, q)| answers.get(q.id).map(|r| (q, r)))
        .filter(|(_, r)| !r.note.trim().is_empty() || !r.na_reason.trim().is_empty())
        .collect();
    if !notes.is_empty() {
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
    s
}
