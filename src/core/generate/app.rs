//! The app in every generated project: manifest, lock file, entry point and the project's own
//! tests. Every stack keeps the same contract (see ARCHITECTURE.md, "Invariants"): config from
//! the environment, `$PORT`, `/health`, `/ready` probing the chosen services, JSON log lines,
//! a graceful SIGTERM, and `worker`, `scheduler`, `migrate` and `healthcheck` roles of one entry
//! point. `tests/apps/` starts each one and checks that from outside.

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};
use crate::core::content::FileId;
use crate::core::spec::Stack;

/// (template, path) for each stack.
fn files(stack: Stack) -> &'static [(&'static str, &'static str)] {
    match stack {
        Stack::Node => &[
            ("app/node/package.json", "package.json"),
            ("app/node/package-lock.json", "package-lock.json"),
            ("app/node/server.js", "src/server.js"),
            ("app/node/server.test.js", "test/server.test.js"),
        ],
        Stack::Python => &[
            ("app/python/pyproject.toml", "pyproject.toml"),
            ("app/python/requirements.txt", "requirements.txt"),
            ("app/python/main.py", "app/main.py"),
            ("app/python/test_app.py", "tests/test_app.py"),
        ],
        Stack::Go => &[
            ("app/go/go.mod", "go.mod"),
            ("app/go/main.go", "main.go"),
            ("app/go/main_test.go", "main_test.go"),
        ],
        Stack::Rust => &[
            ("app/rust/Cargo.toml", "Cargo.toml"),
            ("app/rust/Cargo.lock", "Cargo.lock"),
            ("app/rust/main.rs", "src/main.rs"),
        ],
        Stack::Java => &[
            ("app/java/pom.xml", "pom.xml"),
            (
                "app/java/App.java",
                "src/main/java/com/example/service/App.java",
            ),
            (
                "app/java/AppTest.java",
                "src/test/java/com/example/service/AppTest.java",
            ),
        ],
        Stack::Ruby => &[
            ("app/ruby/Gemfile", "Gemfile"),
            ("app/ruby/Gemfile.lock", "Gemfile.lock"),
            ("app/ruby/config.ru", "config.ru"),
            ("app/ruby/puma.rb", "config/puma.rb"),
            ("app/ruby/app.rb", "app.rb"),
            ("app/ruby/app_test.rb", "test/app_test.rb"),
        ],
    }
}

pub(super) fn paths(stack: Stack) -> Vec<String> {
    let mut paths: Vec<String> = files(stack).iter().map(|(_, p)| p.to_string()).collect();
    if stack == Stack::Python {
        paths.push("app/__init__.py".into());
        paths.push("tests/__init__.py".into());
    }
    paths
}

pub(super) fn generate(
    renderer: &Renderer,
    model: &Model,
) -> Result<Vec<GeneratedFile>, GenerateError> {
    let mut out = Vec::new();
    for (template, path) in files(model.stack()) {
        out.push(GeneratedFile::new(
            *path,
            renderer.render(template, model)?,
            Some(FileId::App),
        ));
    }
    if model.stack() == Stack::Python {
        out.push(GeneratedFile::new(
            "app/__init__.py",
            "\"\"\"The service's package.\"\"\"\n".into(),
            Some(FileId::App),
        ));
        out.push(GeneratedFile::new(
            "tests/__init__.py",
            "\"\"\"The service's own tests.\"\"\"\n".into(),
            Some(FileId::App),
        ));
    }
    Ok(out)
}
