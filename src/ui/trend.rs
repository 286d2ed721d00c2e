//! The trend chart: score and maturity level of every snapshot, oldest first, then the current
//! work. Drawn as SVG with values written out and patterns, not colour alone, so it reads on a
//! projector, in grayscale and in print.

use leptos::prelude::*;

use super::state::use_store;
use crate::core::content::Level;
use crate::core::score::Decision;
use crate::core::snapshot::{self, display_date, TrendPoint};

/// Score and level across the snapshots, then now.
#[component]
pub fn Trend() -> impl IntoView {
    let store = use_store();
    let points = Memo::new(move |_| {
        store
            .snapshots
            .with(|s| store.answers.with(|a| snapshot::trend(s, Some(a))))
    });
    view! {
        <Show when=move || store.snapshots.with(|s| !s.is_empty())>
            <section class="card trend" aria-labelledby="trend-title" data-testid="trend">
                <h2 id="trend-title">"Trend: score and maturity level"</h2>
                {move || points.with(|p| trend_chart(p))}
            </section>
        </Show>
    }
}

/// Layout of the trend chart, in SVG user units.
const COL_W: f64 = 120.0;
const LEFT: f64 = 96.0;
const SCORE_TOP: f64 = 34.0;
const SCORE_H: f64 = 150.0;
const LEVEL_TOP: f64 = 236.0;
const LEVEL_H: f64 = 112.0;
const LABELS_Y: f64 = 382.0;

fn x_of(i: usize) -> f64 {
    LEFT + COL_W * (i as f64 + 0.5)
}

fn score_y(score: u32) -> f64 {
    SCORE_TOP + SCORE_H * (1.0 - score as f64 / 100.0)
}

fn level_y(level: Level) -> f64 {
    LEVEL_TOP + LEVEL_H * (1.0 - level.number() as f64 / 4.0)
}

/// Up to two lines of at most `max` characters, broken between words; an ellipsis marks a cut.
fn wrap_label(label: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in label.split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        if line.is_empty() || line.chars().count() + 1 + word.chars().count() <= max {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        } else {
            lines.push(word.to_string());
        }
    }
    let cut = lines.len() > 2;
    lines.truncate(2);
    for (i, line) in lines.iter_mut().enumerate() {
        if line.chars().count() > max || (cut && i == 1) {
            let kept: String = line.chars().take(max - 1).collect();
            *line = format!("{}\u{2026}", kept.trim_end());
        }
    }
    lines
}

/// Two panels sharing one time axis. Values are written beside every marker; score and level
/// differ by line pattern and marker shape, and the current work by a hollow marker, so the
/// chart reads in grayscale and print.
fn trend_chart(points: &[TrendPoint]) -> AnyView {
    let width = LEFT + COL_W * points.len().max(3) as f64 + 16.0;
    let lines = points
        .iter()
        .map(|p| wrap_label(&p.label, 18).len())
        .max()
        .unwrap_or(1);
    let height = LABELS_Y + 15.0 * lines as f64 + 36.0;
    let polyline = |coords: Vec<(f64, f64)>| {
        coords
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let score_line = polyline(
        points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.score.map(|s| (x_of(i), score_y(s))))
            .collect(),
    );
    let level_line = polyline(
        points
            .iter()
            .enumerate()
            .map(|(i, p)| (x_of(i), level_y(p.level)))
            .collect(),
    );
    let grid = score_grid(width)
        .into_iter()
        .chain(level_grid(width))
        .collect_view();
    let marks = points
        .iter()
        .enumerate()
        .map(|(i, p)| point_marks(i, p, lines))
        .collect_view();
    view! {
        <ul class="trend-key">
            <li><span aria-hidden="true">"\u{25cf}\u{2014}"</span>" Score: solid line, round markers"</li>
            <li><span aria-hidden="true">"\u{25a0}- -"</span>" Maturity level: dashed line, square markers"</li>
            <li><span aria-hidden="true">"\u{25cb} \u{25a1}"</span>" Hollow markers: the current work"</li>
        </ul>
        // Drawn at a fixed scale (the width attribute) so text keeps its size; narrower screens shrink it.
        <svg class="trend-chart" data-testid="trend-chart" viewBox=format!("0 0 {width} {height}") width=format!("{:.0}", width * 1.4)
            role="img" aria-label=snapshot::trend_summary(points)>
            <text x="0" y=SCORE_TOP - 14.0 class="trend-panel">"Score"</text>
            <text x="0" y=LEVEL_TOP - 16.0 class="trend-panel">"Maturity level"</text>
            {grid}
            <polyline points=score_line class="trend-score-line" fill="none"/>
            <polyline points=level_line class="trend-level-line" fill="none" stroke-dasharray="7 5"/>
            {marks}
        </svg>
        <p class="muted chart-note">"Each column is a snapshot, oldest first; the last column is the current work. Under each: its label, date and launch decision."</p>
    }
    .into_any()
}

fn score_grid(width: f64) -> Vec<AnyView> {
    [0u32, 50, 100]
        .into_iter()
        .map(|s| {
            let y = score_y(s);
            view! {
                <line x1=LEFT y1=y x2=width - 8.0 y2=y class="trend-grid"/>
                <text x=LEFT - 8.0 y=y + 4.0 text-anchor="end" class="chart-tick">{format!("{s}%")}</text>
            }
            .into_any()
        })
        .collect()
}

fn level_grid(width: f64) -> Vec<AnyView> {
    Level::ALL
        .into_iter()
        .map(|l| {
            let y = level_y(l);
            view! {
                <line x1=LEFT y1=y x2=width - 8.0 y2=y class="trend-grid"/>
                <text x=LEFT - 8.0 y=y + 4.0 text-anchor="end" class="chart-tick">{l.name()}</text>
            }
            .into_any()
        })
        .collect()
}

/// A column's markers and values; `lines` is how many lines the longest label takes.
fn point_marks(i: usize, p: &TrendPoint, lines: usize) -> AnyView {
    let x = x_of(i);
    let now = p.id.is_none();
    let marker = if now {
        "trend-marker hollow"
    } else {
        "trend-marker"
    };
    let score = p.score.map(|s| {
        let y = score_y(s);
        view! {
            <circle cx=x cy=y r="5.5" class=marker/>
            <text x=x y=y - 11.0 text-anchor="middle" class="chart-value">{format!("{s}%")}</text>
        }
    });
    let ly = level_y(p.level);
    let below = LABELS_Y + 15.0 * lines as f64;
    let decision = match p.decision {
        Decision::Go => "Go".to_string(),
        Decision::NoGo => format!("No-go ({})", p.open_blockers),
    };
    let date = if p.date.is_empty() {
        "current work".to_string()
    } else {
        display_date(&p.date)
    };
    view! {
        <g data-testid="trend-point">
            {score}
            {p.score.is_none().then(|| view! { <text x=x y=score_y(0) - 8.0 text-anchor="middle" class="chart-value">"n/a"</text> })}
            <rect x=x - 5.0 y=ly - 5.0 width="10" height="10" class=marker/>
            <text x=x y=ly - 10.0 text-anchor="middle" class="chart-value">{p.level.name()}</text>
            {wrap_label(&p.label, 18).into_iter().enumerate().map(|(n, line)| view! {
                <text x=x y=LABELS_Y + 15.0 * n as f64 text-anchor="middle" class="chart-label trend-x">{line}</text>
            }).collect_view()}
            <text x=x y=below text-anchor="middle" class="chart-tick">{date}</text>
            <text x=x y=below + 15.0 text-anchor="middle" class="chart-tick trend-decision">{decision}</text>
        </g>
    }
    .into_any()
}
