//! Guards the architecture invariant: the domain core never imports browser crates.

use std::fs;
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn core_has_no_browser_dependency() {
    let mut files = Vec::new();
    rust_files(Path::new("src/core"), &mut files);
    assert!(
        files.len() > 5,
        "expected the core's files, found {files:?}"
    );
    let forbidden = [
        "leptos",
        "web_sys",
        "gloo",
        "wasm_bindgen",
        "js_sys",
        "crate::ui",
        "crate::platform",
    ];
    let mut offences = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in forbidden {
                if code.contains(word) {
                    offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "the core must stay browser-free:\n{}",
        offences.join("\n")
    );
}

#[test]
fn main_only_mounts_the_app() {
    let main = fs::read_to_string("src/main.rs").unwrap();
    let code_lines = main
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .count();
    assert!(
        code_lines <= 12,
        "src/main.rs should only mount the app, it has {code_lines} lines of code"
    );
    assert!(main.contains("ui::start()"));
}
