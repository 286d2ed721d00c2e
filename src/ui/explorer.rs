//! The explorer: the generated project as a folder tree beside a file view with room for 100
//! columns of code, what changed since the last download (marks in the tree, a line diff in
//! the file view), and why each file exists. Everything heavy (rendering, diffing, explaining)
//! arrives from the generator worker; this module only shows it.

use leptos::html;
use leptos::prelude::*;

use super::state::Route;
use crate::core::changes::{self, Counts, DiffLine, FileChange, Hunk, LineTag, Status};
use crate::core::explain::{Explanation, Served};
use crate::core::filetree::{Node, Tree, TreeKey, TreeState};
use crate::core::generate::GeneratedFile;
use crate::platform::{download, location, worker};

/// What the worker last returned for the preview.
#[derive(Clone, Copy)]
pub struct Preview {
    pub files: RwSignal<Vec<GeneratedFile>>,
    pub checks: RwSignal<Vec<worker::Check>>,
    pub changes: RwSignal<Vec<FileChange>>,
    pub explanations: RwSignal<Vec<Explanation>>,
    pub error: RwSignal<Option<String>>,
    pub baseline_error: RwSignal<Option<String>>,
}

impl Preview {
    pub fn empty() -> Preview {
        Preview {
            files: RwSignal::new(Vec::new()),
            checks: RwSignal::new(Vec::new()),
            changes: RwSignal::new(Vec::new()),
            explanations: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            baseline_error: RwSignal::new(None),
        }
    }

    /// Shows a successful reply. The selection moves to the first file only when the selected
    /// one is neither generated nor a removed file whose diff can be shown.
    pub fn show(&self, reply: worker::Reply, selected: RwSignal<String>) {
        let current = selected.get_untracked();
        let known = reply.files.iter().any(|f| f.path == current)
            || changes::status_of(&reply.changes, &current) == Status::Removed;
        if !known {
            if let Some(first) = reply.files.first() {
                selected.set(first.path.clone());
            }
        }
        self.baseline_error.set(reply.baseline_error);
        self.changes.set(reply.changes);
        self.explanations.set(reply.explanations);
        self.checks.set(reply.checks);
        self.files.set(reply.files);
    }
}

/// Selects a file and puts it in the URL, so the address bar can be shared to open it. The
/// history entry is replaced: moving through the tree must not fill the Back button.
fn select(selected: RwSignal<String>, path: &str) {
    if selected.get_untracked() != path {
        selected.set(path.to_string());
    }
    let hash = Route::generate_file_hash(path);
    if location::hash() != hash {
        location::replace_hash(&hash);
    }
}

#[component]
pub fn Explorer(
    preview: Preview,
    selected: RwSignal<String>,
    status: RwSignal<String>,
    /// "billing-api.zip, 3 Dec 2026, 10:14" when there is a last download.
    baseline: Signal<Option<String>>,
) -> impl IntoView {
    let tree = Memo::new(move |_| {
        let mut paths: Vec<String> = preview
            .files
            .with(|f| f.iter().map(|f| f.path.clone()).collect());
        preview.changes.with(|c| {
            paths.extend(
                c.iter()
                    .filter(|c| c.status == Status::Removed)
                    .map(|c| c.path.clone()),
            )
        });
        Tree::new(paths.iter().map(String::as_str))
    });
    let tree_state = RwSignal::new(TreeState::default());
    let focus = RwSignal::new(selected.get_untracked());
    // A linked file is on screen: every folder above it opens.
    Effect::new(move |_| {
        let path = selected.get();
        tree.with_untracked(|t| tree_state.update(|s| t.reveal(s, &path)));
        focus.set(path);
    });
    // A changed `?file=` (pasted, or Back) selects that file.
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(path) = Route::generate_file(&location::hash()) {
            if selected.get_untracked() != path {
                selected.set(path);
            }
        }
    });
    on_cleanup(move || listener.remove());

    view! {
        <section class="card explorer" aria-labelledby="explorer-title" data-testid="explorer">
            <div class="explorer-head">
                <h2 id="explorer-title">"Files"</h2>
                <ChangeSummary preview=preview baseline=baseline/>
            </div>
            <Consistency checks=preview.checks/>
            <p class="field-msg">{move || preview.error.get()}</p>
            <div class="explorer-body">
                <FileTree tree=tree state=tree_state focus=focus selected=selected changes=preview.changes/>
                <FileView preview=preview selected=selected status=status/>
            </div>
        </section>
    }
}

#[component]
fn ChangeSummary(preview: Preview, baseline: Signal<Option<String>>) -> impl IntoView {
    let text = move || {
        match (baseline.get(), preview.baseline_error.get()) {
        (_, Some(e)) => e,
        (None, None) => "Download the project and later changes to the settings or answers are marked here, file by file (A added, M changed, D removed).".to_string(),
        (Some(label), None) => {
            let counts = preview.changes.with(|c| Counts::of(c));
            format!(
                "Since your last download ({label}): {}.",
                counts.summary()
            )
        }
    }
    };
    view! { <p class="change-summary" data-testid="change-summary" role="status">{text}</p> }
}

#[component]
fn Consistency(checks: RwSignal<Vec<worker::Check>>) -> impl IntoView {
    view! {
        <div class="consistency" data-testid="consistency" hidden=move || checks.with(Vec::is_empty)>
            {move || {
                let all = checks.get();
                let failed = all.iter().filter(|c| !c.ok).count();
                view! {
                    <p class=if failed == 0 { "ok" } else { "bad" }>
                        {if failed == 0 { format!("✓ Consistent: {} cross-file checks pass (env vars, port, health path).", all.len()) } else { format!("✗ {failed} of {} consistency checks fail.", all.len()) }}
                    </p>
                    <ul class="checks">
                        {all.into_iter().filter(|c| !c.ok).map(|c| view! { <li>{format!("{}: {}", c.name, c.detail)}</li> }).collect_view()}
                    </ul>
                }
            }}
        </div>
    }
}

/// Moves keyboard focus to a row once it is on screen (it may have just been revealed).
fn focus_row(tree_ref: NodeRef<html::Ul>, path: String) {
    request_animation_frame(move || {
        let Some(list) = tree_ref.get_untracked() else {
            return;
        };
        // Generated paths hold no quotes; escaping keeps the selector valid whatever they hold.
        let escaped = path.replace('\\', "\\\\").replace('"', "\\\"");
        let row = list
            .query_selector(&format!("[role=treeitem][data-path=\"{escaped}\"]"))
            .ok()
            .flatten()
            .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(n).ok());
        if let Some(row) = row {
            let _ = row.focus();
        }
    });
}

/// The tree: one `treeitem` per visible row, a roving tab stop, and the keys of
/// `core::filetree`. Selection follows focus on files, as in an editor's explorer.
#[component]
fn FileTree(
    tree: Memo<Tree>,
    state: RwSignal<TreeState>,
    focus: RwSignal<String>,
    selected: RwSignal<String>,
    changes: RwSignal<Vec<FileChange>>,
) -> impl IntoView {
    let tree_ref = NodeRef::<html::Ul>::new();
    let rows = Memo::new(move |_| {
        state.with(|s| tree.with(|t| t.visible(s).into_iter().cloned().collect::<Vec<Node>>()))
    });
    // The tab stop: the focused row if visible, else the selected file, else the first row.
    let tab_stop = Memo::new(move |_| {
        rows.with(|r| {
            [focus.get(), selected.get()]
                .into_iter()
                .find(|p| r.iter().any(|n| &n.path == p))
                .or_else(|| r.first().map(|n| n.path.clone()))
                .unwrap_or_default()
        })
    });
    let activate = move |path: &str| {
        let is_folder = tree.with_untracked(|t| t.node(path).is_some_and(Node::is_folder));
        if is_folder {
            tree.with_untracked(|t| state.update(|s| t.toggle(s, path)));
        } else {
            select(selected, path);
        }
        focus.set(path.to_string());
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        let current = tab_stop.get_untracked();
        if key == "Enter" || key == " " {
            ev.prevent_default();
            activate(&current);
            return;
        }
        let Some(key) = TreeKey::from_key(&key) else {
            return;
        };
        ev.prevent_default();
        let mut next_state = state.get_untracked();
        let next = tree.with_untracked(|t| t.navigate(&mut next_state, &current, key));
        if next_state != state.get_untracked() {
            state.set(next_state);
        }
        if let Some(path) = next {
            if tree.with_untracked(|t| t.node(&path).is_some_and(|n| !n.is_folder())) {
                select(selected, &path);
            }
            focus.set(path.clone());
            focus_row(tree_ref, path);
        }
    };
    view! {
        <nav class="file-tree" aria-label="Generated files">
            <ul role="tree" aria-label="Generated files" data-testid="file-tree" node_ref=tree_ref on:keydown=on_key>
                <For each=move || rows.get() key=|n| n.path.clone() let:node>
                    <TreeRow node=node state=state selected=selected tab_stop=tab_stop changes=changes activate=Callback::new(move |p: String| activate(&p))/>
                </For>
            </ul>
        </nav>
    }
}

/// The deepest indentation the style sheet has (`.depth-0` to `.depth-8`): the content security
/// policy refuses inline styles, so indentation is a class.
const MAX_INDENT: usize = 8;

#[component]
fn TreeRow(
    node: Node,
    state: RwSignal<TreeState>,
    selected: RwSignal<String>,
    tab_stop: Memo<String>,
    changes: RwSignal<Vec<FileChange>>,
    activate: Callback<String>,
) -> impl IntoView {
    let path = node.path.clone();
    let folder = node.is_folder();
    let (p1, p2, p3, p4) = (path.clone(), path.clone(), path.clone(), path.clone());
    let open = Memo::new(move |_| !state.with(|s| s.closed.contains(&p1)));
    let status = Memo::new(move |_| changes.with(|c| changes::status_of(c, &p2)));
    let inside = format!("{path}/");
    let holds_changes = move || changes.with(|c| c.iter().any(|c| c.path.starts_with(&inside)));
    let is_selected = Memo::new(move |_| !folder && selected.get() == p3);
    let level = (node.depth + 1).to_string();
    view! {
        <li role="treeitem" class=format!("tree-row depth-{}", node.depth.min(MAX_INDENT)) data-path=path.clone()
            class:folder=folder class:selected=is_selected class:removed=move || status.get() == Status::Removed
            attr:aria-level=level
            aria-expanded=move || folder.then(|| open.get().to_string())
            aria-selected=move || (!folder).then(|| is_selected.get().to_string())
            tabindex=move || if tab_stop.get() == p4 { "0" } else { "-1" }
            on:click=move |_| activate.run(path.clone())>
            <span class="tree-icon" aria-hidden="true">{move || match (folder, open.get()) {
                (true, true) => "▾",
                (true, false) => "▸",
                (false, _) => "",
            }}</span>
            <span class="tree-name">{node.name.clone()}</span>
            {move || {
                if folder {
                    return holds_changes().then(|| view! {
                        <span class="mark mark-folder" aria-hidden="true">"•"</span>
                        <span class="visually-hidden">", holds changes since your last download"</span>
                    }.into_any());
                }
                let s = status.get();
                (s != Status::Same).then(|| view! {
                    <span class=format!("mark mark-{}", s.letter().to_lowercase()) aria-hidden="true" title=s.label()>{s.letter()}</span>
                    <span class="visually-hidden">{format!(", {}", s.label())}</span>
                }.into_any())
            }}
        </li>
    }
}

/// Whether the file view shows the whole file or the lines that changed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    File,
    Changes,
}

#[component]
fn FileView(
    preview: Preview,
    selected: RwSignal<String>,
    status: RwSignal<String>,
) -> impl IntoView {
    let file = Memo::new(move |_| {
        preview
            .files
            .with(|f| f.iter().find(|f| f.path == selected.get()).cloned())
    });
    let change = Memo::new(move |_| {
        preview
            .changes
            .with(|c| c.iter().find(|c| c.path == selected.get()).cloned())
    });
    let file_status = move || change.with(|c| c.as_ref().map_or(Status::Same, |c| c.status));
    // A changed file opens on its changes; the choice sticks while moving between files.
    let mode = RwSignal::new(Mode::Changes);
    let showing = move || match file_status() {
        Status::Removed => Mode::Changes,
        Status::Changed => mode.get(),
        Status::Added | Status::Same => Mode::File,
    };
    let copy = move |_| {
        if let (Some(f), Some(w)) = (file.get_untracked(), web_sys::window()) {
            let _ = w.navigator().clipboard().write_text(&f.contents);
            status.set(format!("Copied {} to the clipboard.", f.path));
        }
    };
    let save = move |_| {
        if let Some(f) = file.get_untracked() {
            let name = f.path.rsplit('/').next().unwrap_or(&f.path).to_string();
            // Not text/plain: browsers would add ".txt" to names like Dockerfile and Procfile.
            match download::save_text(&f.contents, &name, "application/octet-stream") {
                Ok(()) => status.set(format!("Saved {} as {name}.", f.path)),
                Err(e) => status.set(e),
            }
        }
    };
    view! {
        <div class="file-view">
            <div class="file-head">
                <h3 class="file-title"><code data-testid="file-name">{move || selected.get()}</code></h3>
                <span class="file-status" data-testid="file-status" hidden=move || file_status() == Status::Same>
                    {move || status_sentence(file_status())}
                </span>
                <div class="file-actions">
                    <div class="segmented" role="group" aria-label="Show" hidden=move || file_status() != Status::Changed>
                        <button data-testid="show-changes" aria-pressed=move || (showing() == Mode::Changes).to_string() on:click=move |_| mode.set(Mode::Changes)>"Changes"</button>
                        <button data-testid="show-file" aria-pressed=move || (showing() == Mode::File).to_string() on:click=move |_| mode.set(Mode::File)>"Whole file"</button>
                    </div>
                    <button data-testid="copy-file" disabled=move || file.with(Option::is_none) on:click=copy>"Copy"</button>
                    <button data-testid="download-file" disabled=move || file.with(Option::is_none) on:click=save>"Download file"</button>
                </div>
            </div>
            {move || match (showing(), change.get(), file.get()) {
                (Mode::Changes, Some(c), _) => diff_view(&c.path, &c.hunks).into_any(),
                (_, _, Some(f)) => code_view(&f).into_any(),
                (_, _, None) => view! { <p class="muted">"Generating…"</p> }.into_any(),
            }}
            {move || {
                let id = file.with(|f| f.as_ref().and_then(|f| f.file_id));
                let why = id.and_then(|id| preview.explanations.with(|e| e.iter().find(|x| x.file == id).cloned()));
                view! { <WhyThisFile why=why/> }
            }}
        </div>
    }
}

fn status_sentence(status: Status) -> String {
    match status {
        Status::Same => String::new(),
        Status::Added => "Added since your last download".into(),
        Status::Removed => "Removed since your last download: delete it from your project".into(),
        Status::Changed => "Changed since your last download".into(),
    }
}

fn code_view(file: &GeneratedFile) -> impl IntoView {
    let kind = Syntax::of(&file.path);
    view! {
        <pre class="code" data-testid="file-content" tabindex="0" role="region" aria-label=format!("Content of {}", file.path)><code>
            {file.contents.lines().map(|line| view! { <span class="line">{kind.highlight(line)}"\n"</span> }).collect_view()}
        </code></pre>
    }
}

fn diff_view(path: &str, hunks: &[Hunk]) -> impl IntoView {
    let rows = hunks
        .iter()
        .enumerate()
        .map(|(i, hunk)| {
            view! {
                {(i > 0).then(|| view! { <span class="dl dl-gap">"⋯"</span> })}
                {hunk.iter().map(diff_line).collect_view()}
            }
        })
        .collect_view();
    view! {
        <pre class="code diff" data-testid="file-diff" tabindex="0" role="region" aria-label=format!("Line diff of {path} against your last download")><code>{rows}</code></pre>
    }
}

fn diff_line(line: &DiffLine) -> impl IntoView {
    let (class, sign, spoken) = match line.tag {
        LineTag::Context => ("dl", " ", ""),
        LineTag::Added => ("dl dl-add", "+", "added: "),
        LineTag::Removed => ("dl dl-del", "-", "removed: "),
    };
    let number = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    view! {
        <span class=class>
            <span class="ln" aria-hidden="true">{number(line.old)}</span>
            <span class="ln" aria-hidden="true">{number(line.new)}</span>
            <span class="sign" aria-hidden="true">{sign}</span>
            <span class="visually-hidden">{spoken}</span>
            {line.text.clone()}
        </span>
    }
}

#[component]
fn WhyThisFile(why: Option<Explanation>) -> impl IntoView {
    let Some(why) = why else {
        return view! {
            <section class="why" data-testid="why-file" aria-labelledby="why-title">
                <h3 id="why-title">"Why this file"</h3>
                <p class="muted">"No review question names this file: it supports the others (version control settings, the app's own dependencies, or the assessment this project was generated from)."</p>
            </section>
        }
        .into_any();
    };
    let open = why.open().count();
    let served: Vec<String> = why.factors.iter().chain(&why.sections).cloned().collect();
    view! {
        <section class="why" data-testid="why-file" aria-labelledby="why-title">
            <h3 id="why-title">"Why this file"</h3>
            <p>{why.purpose.clone()}</p>
            {(!served.is_empty()).then(|| view! { <p><strong>"Serves: "</strong>{served.join(" · ")}</p> })}
            {why.from_answers.clone().map(|t| view! { <p>{t}</p> })}
            {(!why.questions.is_empty()).then(|| view! {
                <p data-testid="why-open">{format!("Helps close {open} of the {} review questions that name it.", why.questions.len())}</p>
                <ul class="why-questions">{why.questions.iter().map(served_item).collect_view()}</ul>
            })}
        </section>
    }
    .into_any()
}

fn served_item(q: &Served) -> impl IntoView {
    let state = if q.open { "open" } else { "met" };
    view! {
        <li class=format!("why-q why-{state}")>
            <span class="badge" class:badge-blocker=q.blocker>{q.answer.clone()}</span>
            " "
            <a href=Route::Guide(q.guide_step).hash()>{q.text.clone()}</a>
            <span class="muted">{format!(" — {}{}", q.topic, if q.blocker { ", launch blocker" } else { "" })}</span>
            {q.open.then(|| view! { <span class="visually-hidden">", still open"</span> })}
        </li>
    }
}

/// Light highlighting so a reader finds instructions, keys and comments; the text is unchanged.
#[derive(Clone, Copy)]
struct Syntax {
    hash_comments: bool,
    yaml: bool,
    docker: bool,
}

impl Syntax {
    fn of(path: &str) -> Syntax {
        let name = path.rsplit('/').next().unwrap_or(path);
        let slash_comments = [".js", ".go", ".rs", ".java", ".json"]
            .iter()
            .any(|ext| name.ends_with(ext));
        Syntax {
            hash_comments: !slash_comments,
            yaml: name.ends_with(".yml") || name.ends_with(".yaml"),
            docker: name == "Dockerfile",
        }
    }

    fn highlight(self, line: &str) -> AnyView {
        let trimmed = line.trim_start();
        if (self.hash_comments && trimmed.starts_with('#')) || trimmed.starts_with("//") {
            return view! { <span class="tok-comment">{line.to_string()}</span> }.into_any();
        }
        if self.docker {
            if let Some((word, rest)) = line.split_once(' ') {
                if !word.is_empty() && word.chars().all(|c| c.is_ascii_uppercase()) {
                    return view! { <span class="tok-kw">{word.to_string()}</span>{format!(" {rest}")} }.into_any();
                }
            }
        }
        if self.yaml {
            if let Some((k, v)) = line.find(':').map(|i| line.split_at(i)) {
                let key = k.trim_start().trim_start_matches("- ");
                if !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
                {
                    return view! { <span class="tok-key">{k.to_string()}</span>{v.to_string()} }
                        .into_any();
                }
            }
        }
        line.to_string().into_any()
    }
}

/// The label of the last download for the summary: "billing-api.zip, 3 Dec 2026, 10:14".
pub fn baseline_label(last: &changes::LastDownload) -> String {
    let when = last.when();
    let zip = format!("{}.zip", last.project.name);
    if when.is_empty() {
        zip
    } else {
        format!("{zip}, {when}")
    }
}
