//! The explorer's tree: folders from the generated paths, their order, and the keyboard rules
//! (WAI-ARIA tree pattern) a user relies on to move through a project without the mouse.

use tfstudio::core::filetree::{NodeKind, Tree, TreeKey, TreeState};

const PATHS: [&str; 9] = [
    "README.md",
    "Dockerfile",
    "deploy/kubernetes/base/service.yaml",
    "deploy/kubernetes/base/deployment.yaml",
    "deploy/kubernetes/overlays/staging/kustomization.yaml",
    ".github/workflows/ci.yml",
    "src/server.js",
    ".dockerignore",
    "docker-compose.yml",
];

fn rows(tree: &Tree, state: &TreeState) -> Vec<String> {
    tree.visible(state)
        .into_iter()
        .map(|n| format!("{}{}", "  ".repeat(n.depth), n.name))
        .collect()
}

// Folders come first in every folder, then files, each by name ignoring case; every folder of
// a path is a row of its own.
#[test]
fn folders_come_first_and_names_sort_as_in_a_file_manager() {
    let tree = Tree::new(PATHS);
    assert_eq!(
        rows(&tree, &TreeState::default()),
        [
            ".github",
            "  workflows",
            "    ci.yml",
            "deploy",
            "  kubernetes",
            "    base",
            "      deployment.yaml",
            "      service.yaml",
            "    overlays",
            "      staging",
            "        kustomization.yaml",
            "src",
            "  server.js",
            ".dockerignore",
            "docker-compose.yml",
            "Dockerfile",
            "README.md",
        ]
    );
    let folder = tree.node("deploy/kubernetes").unwrap();
    assert_eq!((folder.kind, folder.depth), (NodeKind::Folder, 1));
    assert_eq!(tree.node("src/server.js").unwrap().kind, NodeKind::File);
}

#[test]
fn a_closed_folder_hides_everything_below_it_and_reveal_opens_the_way() {
    let tree = Tree::new(PATHS);
    let mut state = TreeState::default();
    tree.toggle(&mut state, "deploy");
    let visible = rows(&tree, &state);
    assert!(visible.contains(&"deploy".to_string()));
    assert!(!visible.iter().any(|r| r.contains("kubernetes")));
    // A link to a file inside opens every folder above it.
    tree.toggle(&mut state, "deploy/kubernetes/overlays");
    tree.reveal(
        &mut state,
        "deploy/kubernetes/overlays/staging/kustomization.yaml",
    );
    assert!(state.closed.is_empty());
    tree.toggle(&mut state, "deploy");
    tree.toggle(&mut state, "deploy");
    assert_eq!(rows(&tree, &state).len(), 17);
}

fn press(tree: &Tree, state: &mut TreeState, focus: &str, key: TreeKey) -> String {
    tree.navigate(state, focus, key)
        .unwrap_or_else(|| focus.to_string())
}

#[test]
fn arrows_move_between_visible_rows_and_stop_at_the_ends() {
    let tree = Tree::new(PATHS);
    let mut state = TreeState::default();
    assert_eq!(
        press(&tree, &mut state, "src/server.js", TreeKey::Down),
        ".dockerignore"
    );
    assert_eq!(
        press(&tree, &mut state, "src", TreeKey::Up),
        "deploy/kubernetes/overlays/staging/kustomization.yaml"
    );
    assert_eq!(tree.navigate(&mut state, ".github", TreeKey::Up), None);
    assert_eq!(tree.navigate(&mut state, "README.md", TreeKey::Down), None);
    assert_eq!(
        press(&tree, &mut state, "src/server.js", TreeKey::Home),
        ".github"
    );
    assert_eq!(
        press(&tree, &mut state, ".github", TreeKey::End),
        "README.md"
    );
    // Down skips what a closed folder hides.
    tree.toggle(&mut state, "deploy");
    assert_eq!(press(&tree, &mut state, "deploy", TreeKey::Down), "src");
}

#[test]
fn left_closes_then_climbs_and_right_opens_then_enters() {
    let tree = Tree::new(PATHS);
    let mut state = TreeState::default();
    // Left on a file goes to its folder; on an open folder it closes it; then it climbs.
    let at = press(
        &tree,
        &mut state,
        "deploy/kubernetes/base/service.yaml",
        TreeKey::Left,
    );
    assert_eq!(at, "deploy/kubernetes/base");
    let at = press(&tree, &mut state, &at, TreeKey::Left);
    assert_eq!(at, "deploy/kubernetes/base");
    assert!(state.closed.contains("deploy/kubernetes/base"));
    assert_eq!(
        press(&tree, &mut state, &at, TreeKey::Left),
        "deploy/kubernetes"
    );
    // Right on a closed folder opens it and stays; again, it enters the first child.
    let at = press(&tree, &mut state, "deploy/kubernetes/base", TreeKey::Right);
    assert_eq!(at, "deploy/kubernetes/base");
    assert!(!state.closed.contains("deploy/kubernetes/base"));
    let at = press(&tree, &mut state, &at, TreeKey::Right);
    assert_eq!(at, "deploy/kubernetes/base/deployment.yaml");
    // Right on a file and Left at the root do nothing.
    assert_eq!(tree.navigate(&mut state, &at, TreeKey::Right), None);
    assert_eq!(tree.navigate(&mut state, "Dockerfile", TreeKey::Left), None);
}

#[test]
fn keys_are_read_from_keyboard_event_names() {
    assert_eq!(TreeKey::from_key("ArrowLeft"), Some(TreeKey::Left));
    assert_eq!(TreeKey::from_key("End"), Some(TreeKey::End));
    assert_eq!(TreeKey::from_key("Enter"), None);
}
