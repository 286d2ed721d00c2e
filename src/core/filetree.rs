//! The generated project as a folder tree, and how the keyboard moves through it.
//!
//! The explorer shows the files the generator writes as folders that open and close, the way
//! an editor does. The tree is built from the paths alone (folders are every path prefix), so
//! it follows whatever the generator writes. Keyboard rules follow the WAI-ARIA tree pattern:
//! Up/Down move between visible rows, Right opens a folder (or enters an open one), Left closes
//! a folder (or goes to the parent), Home/End go to the first and last visible row.

use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Folder,
    File,
}

/// One row of the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// The path from the project root: `deploy/kubernetes` for a folder, `src/server.js` for a
    /// file. Unique in the tree, so it identifies the row.
    pub path: String,
    /// The last path segment, what the row shows.
    pub name: String,
    /// 0 for the project root's entries.
    pub depth: usize,
    pub kind: NodeKind,
}

impl Node {
    pub fn is_folder(&self) -> bool {
        self.kind == NodeKind::Folder
    }
}

/// Every folder and file, depth first: in each folder its folders, then its files, each
/// ordered by name ignoring case (as file managers do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

/// The folders the user closed. Folders are open unless closed, so a folder the generator
/// starts writing appears open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreeState {
    pub closed: BTreeSet<String>,
}

/// The keys the tree answers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TreeKey {
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
}

impl TreeKey {
    /// The key for a `KeyboardEvent.key` value, if the tree handles it.
    pub fn from_key(key: &str) -> Option<TreeKey> {
        Some(match key {
            "ArrowUp" => TreeKey::Up,
            "ArrowDown" => TreeKey::Down,
            "ArrowLeft" => TreeKey::Left,
            "ArrowRight" => TreeKey::Right,
            "Home" => TreeKey::Home,
            "End" => TreeKey::End,
            _ => return None,
        })
    }
}

#[derive(Default)]
struct Folder<'a> {
    folders: BTreeMap<&'a str, Folder<'a>>,
    files: Vec<&'a str>,
}

fn by_name(a: &str, b: &str) -> std::cmp::Ordering {
    a.to_lowercase().cmp(&b.to_lowercase()).then(a.cmp(b))
}

impl Tree {
    /// The tree of `paths` (relative, `/`-separated, as the generator writes them).
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a str>) -> Tree {
        let mut root = Folder::default();
        for path in paths {
            let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            let Some(file) = segments.pop() else { continue };
            let folder = segments.into_iter().fold(&mut root, |folder, segment| {
                folder.folders.entry(segment).or_default()
            });
            if !folder.files.contains(&file) {
                folder.files.push(file);
            }
        }
        let mut nodes = Vec::new();
        flatten(&root, "", 0, &mut nodes);
        Tree { nodes }
    }

    pub fn node(&self, path: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.path == path)
    }

    /// The rows on screen: every node whose folders are all open.
    pub fn visible(&self, state: &TreeState) -> Vec<&Node> {
        self.nodes
            .iter()
            .filter(|n| ancestors(&n.path).all(|a| !state.closed.contains(a)))
            .collect()
    }

    /// The row the key moves to from `focus`, opening or closing a folder on the way
    /// (`state` changes). `None` when the key does nothing there.
    pub fn navigate(&self, state: &mut TreeState, focus: &str, key: TreeKey) -> Option<String> {
        let rows = self.visible(state);
        let at = rows.iter().position(|n| n.path == focus);
        let target = match (key, at) {
            (TreeKey::Home, _) | (TreeKey::Down, None) => rows.first().copied(),
            (TreeKey::End, _) | (TreeKey::Up, None) => rows.last().copied(),
            (TreeKey::Down, Some(i)) => rows.get(i + 1).copied(),
            (TreeKey::Up, Some(i)) => i.checked_sub(1).and_then(|i| rows.get(i).copied()),
            (TreeKey::Right, Some(i)) => return self.right(state, &rows, i),
            (TreeKey::Left, Some(_)) => return self.left(state, focus),
            (TreeKey::Right | TreeKey::Left, None) => None,
        };
        target.map(|n| n.path.clone())
    }

    /// Right: a closed folder opens; an open folder moves to its first child; a file stays.
    fn right(&self, state: &mut TreeState, rows: &[&Node], i: usize) -> Option<String> {
        let node = rows[i];
        if !node.is_folder() {
            return None;
        }
        if state.closed.remove(&node.path) {
            return Some(node.path.clone());
        }
        rows.get(i + 1)
            .filter(|child| child.depth > node.depth)
            .map(|child| child.path.clone())
    }

    /// Left: an open folder closes; anything else moves to its folder.
    fn left(&self, state: &mut TreeState, focus: &str) -> Option<String> {
        let node = self.node(focus)?;
        if node.is_folder() && !state.closed.contains(focus) {
            state.closed.insert(focus.to_string());
            return Some(focus.to_string());
        }
        parent(focus).map(str::to_string)
    }

    /// Opens or closes a folder (a click on its row).
    pub fn toggle(&self, state: &mut TreeState, folder: &str) {
        if !state.closed.remove(folder) {
            state.closed.insert(folder.to_string());
        }
    }

    /// Opens every folder above `path`, so a linked file is on screen.
    pub fn reveal(&self, state: &mut TreeState, path: &str) {
        for folder in ancestors(path) {
            state.closed.remove(folder);
        }
    }
}

fn flatten(folder: &Folder, prefix: &str, depth: usize, out: &mut Vec<Node>) {
    let join = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}/{name}")
        }
    };
    let mut folders: Vec<(&&str, &Folder)> = folder.folders.iter().collect();
    folders.sort_by(|a, b| by_name(a.0, b.0));
    for (name, sub) in folders {
        let path = join(name);
        out.push(Node {
            path: path.clone(),
            name: name.to_string(),
            depth,
            kind: NodeKind::Folder,
        });
        flatten(sub, &path, depth + 1, out);
    }
    let mut files = folder.files.clone();
    files.sort_by(|a, b| by_name(a, b));
    for name in files {
        out.push(Node {
            path: join(name),
            name: name.to_string(),
            depth,
            kind: NodeKind::File,
        });
    }
}

/// The folder holding `path`, if it is not at the root.
pub fn parent(path: &str) -> Option<&str> {
    path.rsplit_once('/').map(|(folder, _)| folder)
}

/// Every folder above `path`, nearest first.
pub fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(parent(path), |p| parent(p))
}
