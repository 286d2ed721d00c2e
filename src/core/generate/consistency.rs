//! Cross-file consistency: the generated files must agree on variable names, the port, the
//! health path and the process types. This reads the generated text itself (not the model), so
//! it catches a template that drifts from the others.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Project;

/// The health path every file must use.
pub const HEALTH_PATH: &str = "/health";

/// One check, for the UI's "before you download" summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    /// What was compared, or what disagrees.
    pub detail: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Consistency {
    pub checks: Vec<Check>,
}

impl Consistency {
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }

    pub fn failures(&self) -> Vec<&Check> {
        self.checks.iter().filter(|c| !c.ok).collect()
    }
}

fn text<'a>(project: &'a Project, path: &str) -> &'a str {
    project
        .file(path)
        .map(|f| f.contents.as_str())
        .unwrap_or("")
}

/// `NAME=value` pairs of a dotenv file, in order.
pub fn dotenv_vars(contents: &str) -> Vec<(String, String)> {
    contents
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Variables a compose file interpolates: `${NAME}`, `${NAME:-x}`, `${NAME:?x}`; `$${...}` is a
/// literal dollar, not interpolation.
pub fn interpolated_vars(contents: &str) -> BTreeSet<String> {
    let bytes = contents.as_bytes();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'$' && bytes[i + 1] == b'$' {
            i += 2;
            continue;
        }
        if bytes[i] == b'$' && bytes[i + 1] == b'{' {
            let rest = &contents[i + 2..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
        i += 1;
    }
    out
}

/// Keys directly under an `environment:` mapping (block style) of a compose file.
fn environment_keys(contents: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut indent: Option<usize> = None;
    for line in contents.lines() {
        let trimmed = line.trim_start();
        let this = line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(base) = indent {
            if this > base {
                if let Some((k, _)) = trimmed.split_once(':') {
                    out.insert(k.trim().to_string());
                }
                continue;
            }
            indent = None;
        }
        if trimmed == "environment:" {
            indent = Some(this);
        }
    }
    out
}

fn check(name: &'static str, problems: Vec<String>, ok_detail: String) -> Check {
    if problems.is_empty() {
        Check {
            name,
            ok: true,
            detail: ok_detail,
        }
    } else {
        Check {
            name,
            ok: false,
            detail: problems.join("; "),
        }
    }
}

/// Every check, in a stable order.
pub fn check_consistency(project: &Project) -> Consistency {
    let dockerfile = text(project, "Dockerfile");
    let env_example = text(project, ".env.example");
    let compose = text(project, "docker-compose.yml");
    let prod = text(project, "docker-compose.prod.yml");
    let procfile = text(project, "Procfile");
    let dockerignore = text(project, ".dockerignore");
    let ci = [".github/workflows/ci.yml", ".gitlab-ci.yml"]
        .iter()
        .find_map(|p| project.file(p))
        .map(|f| f.contents.as_str())
        .unwrap_or("");
    let app: Vec<&str> = project
        .files
        .iter()
        .filter(|f| f.file_id == Some(crate::core::content::FileId::App))
        .map(|f| f.contents.as_str())
        .collect();
    let env: Vec<(String, String)> = dotenv_vars(env_example);
    let env_names: BTreeSet<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
    let mut checks = Vec::new();

    // The port.
    let port = env
        .iter()
        .find(|(k, _)| k == "PORT")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let mut problems = Vec::new();
    if port.is_empty() {
        problems.push(".env.example does not set PORT".to_string());
    }
    let expose: Vec<&str> = dockerfile
        .lines()
        .filter_map(|l| l.strip_prefix("EXPOSE "))
        .map(str::trim)
        .collect();
    if expose != [port.as_str()] {
        problems.push(format!(
            "Dockerfile exposes {expose:?}, .env.example has PORT={port}"
        ));
    }
    if !compose.contains(&format!("\"{port}:{port}\"")) {
        problems.push(format!("docker-compose.yml does not publish {port}:{port}"));
    }
    if !prod.contains(&format!("target: {port}")) {
        problems.push(format!(
            "docker-compose.prod.yml does not route to port {port}"
        ));
    }
    checks.push(check(
        "port",
        problems,
        format!("Dockerfile EXPOSE, .env.example PORT and both compose files use {port}"),
    ));

    // The health path.
    let mut problems = Vec::new();
    if !dockerfile.lines().any(|l| l.starts_with("HEALTHCHECK ")) {
        problems.push("Dockerfile has no HEALTHCHECK".into());
    }
    if !app
        .iter()
        .any(|a| a.contains(&format!("\"{HEALTH_PATH}\"")))
    {
        problems.push(format!("the app does not serve {HEALTH_PATH}"));
    }
    if !text(project, "scripts/smoke-test.sh").contains(HEALTH_PATH) {
        problems.push(format!(
            "scripts/smoke-test.sh does not probe {HEALTH_PATH}"
        ));
    }
    if !text(project, "README.md").contains(HEALTH_PATH) {
        problems.push(format!("README.md does not document {HEALTH_PATH}"));
    }
    checks.push(check(
        "health path",
        problems,
        format!(
            "the app serves {HEALTH_PATH}; the image healthcheck, smoke test and README use it"
        ),
    ));

    // Variables compose and the deploy script read are documented.
    let mut problems = Vec::new();
    for (file, contents) in [
        ("docker-compose.yml", compose),
        ("docker-compose.prod.yml", prod),
    ] {
        for var in interpolated_vars(contents) {
            if !env_names.contains(var.as_str()) {
                problems.push(format!(
                    "{file} reads ${{{var}}}, which .env.example does not list"
                ));
            }
        }
        for key in environment_keys(contents) {
            let base = key.strip_suffix("_FILE").unwrap_or(&key);
            if !env_names.contains(base) {
                problems.push(format!(
                    "{file} sets {key}, which .env.example does not list"
                ));
            }
        }
    }
    checks.push(check(
        "compose variables",
        problems,
        "every variable the compose files read is in .env.example".into(),
    ));

    // Every documented variable is read by something.
    let mut problems = Vec::new();
    let readers: Vec<&str> = app
        .iter()
        .copied()
        .chain([compose, prod, text(project, "scripts/deploy.sh")])
        .collect();
    for name in &env_names {
        if !readers.iter().any(|r| r.contains(name)) {
            problems.push(format!(
                ".env.example lists {name}, but neither the app nor compose reads it"
            ));
        }
    }
    checks.push(check(
        "no stray variables",
        problems,
        format!("all {} variables of .env.example are used", env_names.len()),
    ));

    // The app reads its backing services under the names .env.example gives them.
    let mut problems = Vec::new();
    for name in ["PORT", "LOG_LEVEL", "APP_ENV", "DATABASE_URL", "REDIS_URL"] {
        if env_names.contains(name) && !app.iter().any(|a| a.contains(name)) {
            problems.push(format!("the app does not read {name}"));
        }
    }
    for name in ["DATABASE_URL", "REDIS_URL"] {
        if env_names.contains(name) && !ci.contains(&format!("{name}:")) {
            problems.push(format!("the CI test job does not set {name}"));
        }
    }
    checks.push(check(
        "app configuration",
        problems,
        "the app and the CI test job use the names in .env.example".into(),
    ));

    // Process types agree between the Procfile and the production stack.
    let procfile_types: BTreeSet<&str> = procfile
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim()))
        .collect();
    let mut problems = Vec::new();
    if !procfile_types.contains("web") {
        problems.push("the Procfile has no web process".into());
    }
    for t in ["worker", "scheduler"] {
        let in_prod = prod.contains(&format!("\n  {t}:\n"));
        if procfile_types.contains(t) != in_prod {
            problems.push(format!(
                "{t}: Procfile {} it, docker-compose.prod.yml {}",
                has(procfile_types.contains(t)),
                has(in_prod)
            ));
        }
    }
    checks.push(check(
        "process types",
        problems,
        format!(
            "Procfile and docker-compose.prod.yml both run: {}",
            procfile_types
                .iter()
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ));

    // The Dockerfile copies nothing .dockerignore excludes, and nothing that does not exist.
    let mut problems = Vec::new();
    let ignored: Vec<&str> = dockerignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .collect();
    for line in dockerfile
        .lines()
        .filter(|l| l.starts_with("COPY ") && !l.contains("--from="))
    {
        let words: Vec<&str> = line
            .split_whitespace()
            .skip(1)
            .filter(|w| !w.starts_with("--"))
            .collect();
        for src in &words[..words.len().saturating_sub(1)] {
            let src = src.trim_end_matches('/');
            let exists = project
                .files
                .iter()
                .any(|f| f.path == src || f.path.starts_with(&format!("{src}/")));
            if !exists {
                problems.push(format!(
                    "Dockerfile copies {src}, which the project does not have"
                ));
            }
            if ignored
                .iter()
                .any(|p| p.trim_end_matches('/').trim_start_matches('/') == src)
            {
                problems.push(format!(
                    "Dockerfile copies {src}, which .dockerignore excludes"
                ));
            }
        }
    }
    if !ignored.iter().any(|p| p.starts_with(".env")) {
        problems.push(".dockerignore does not exclude .env files".into());
    }
    checks.push(check(
        "build context",
        problems,
        "the Dockerfile copies only files that exist and .dockerignore keeps".into(),
    ));

    Consistency { checks }
}

fn has(b: bool) -> &'static str {
    if b {
        "has"
    } else {
        "lacks"
    }
}
