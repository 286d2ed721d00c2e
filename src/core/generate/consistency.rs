//! Cross-file consistency: the generated files must agree on variable names, the port, the
//! health path and the process types. This reads the generated text itself (not the model), so
//! it catches a template that drifts from the others.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{GeneratedFile, Project};
use crate::core::command::{self, Parsed};
use crate::core::content::FileId;
use crate::core::spec::{Mode, ProcessType, ProjectSpec};

/// The health path every file must use.
pub const HEALTH_PATH: &str = "/health";
/// The readiness path: the app answers 503 until its backing services answer.
pub const READY_PATH: &str = "/ready";

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

/// The spec recorded in the project's assessment file (the defaults when it cannot be read).
fn spec_of(project: &Project) -> ProjectSpec {
    serde_json::from_str::<serde_json::Value>(text(project, super::assessment::PATH))
        .ok()
        .and_then(|doc| doc.get("project").cloned())
        .and_then(|p| serde_json::from_value(p).ok())
        .unwrap_or_default()
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

/// The generated text the checks read, found once.
pub struct Sources<'a> {
    pub project: &'a Project,
    pub dockerfile: &'a str,
    pub env_example: &'a str,
    pub compose: &'a str,
    /// Empty when the deploy target has no Swarm stack.
    pub prod: &'a str,
    pub procfile: &'a str,
    pub dockerignore: &'a str,
    pub ci: &'a str,
    pub app: Vec<&'a str>,
    /// Every file of the Kubernetes base and overlays, by path; empty without Kubernetes.
    pub kubernetes: Vec<(&'a str, &'a str)>,
    pub env: Vec<(String, String)>,
    /// The settings the project was generated from (`.twelve-factor/assessment.json`), so the
    /// checks hold the files to the user's names, paths and commands.
    pub spec: ProjectSpec,
}

impl<'a> Sources<'a> {
    pub fn new(project: &'a Project) -> Sources<'a> {
        let by_id = |id: FileId| -> Vec<&'a GeneratedFile> {
            project
                .files
                .iter()
                .filter(|f| f.file_id == Some(id))
                .collect()
        };
        let env_example = text(project, ".env.example");
        Sources {
            project,
            dockerfile: text(project, "Dockerfile"),
            env_example,
            compose: text(project, "docker-compose.yml"),
            prod: text(project, "docker-compose.prod.yml"),
            procfile: text(project, "Procfile"),
            dockerignore: text(project, ".dockerignore"),
            ci: by_id(FileId::CiWorkflow)
                .first()
                .map(|f| f.contents.as_str())
                .unwrap_or(""),
            app: by_id(FileId::App)
                .iter()
                .map(|f| f.contents.as_str())
                .collect(),
            kubernetes: [FileId::KubernetesBase, FileId::KubernetesOverlays]
                .into_iter()
                .flat_map(by_id)
                .map(|f| (f.path.as_str(), f.contents.as_str()))
                .collect(),
            env: dotenv_vars(env_example),
            spec: spec_of(project),
        }
    }

    /// The health path the files must use; empty when an existing app has none.
    fn health_path(&self) -> &str {
        match self.spec.mode {
            Mode::New => HEALTH_PATH,
            Mode::Existing => &self.spec.existing.health_path,
        }
    }

    fn ready_path(&self) -> &str {
        match self.spec.mode {
            Mode::New => READY_PATH,
            Mode::Existing => &self.spec.existing.ready_path,
        }
    }

    /// The settings every process reads; a deploy must provide each that .env.example lists.
    fn app_variables(&self) -> Vec<String> {
        let (database, redis) = super::existing::service_vars(&self.spec);
        let mut names: Vec<String> = ["PORT", "LOG_LEVEL", "APP_ENV"]
            .into_iter()
            .map(String::from)
            .chain([database, redis])
            .collect();
        if self.spec.mode == Mode::Existing {
            names.extend(self.spec.existing.variables.iter().map(|v| v.name.clone()));
        }
        names
    }

    fn env_names(&self) -> BTreeSet<&str> {
        self.env.iter().map(|(k, _)| k.as_str()).collect()
    }

    fn env_value(&self, name: &str) -> String {
        self.env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn kube(&self, file: &str) -> &'a str {
        self.kubernetes
            .iter()
            .find(|(p, _)| p.ends_with(file))
            .map(|(_, t)| *t)
            .unwrap_or("")
    }
}

/// A named check over the generated text.
pub type CheckFn = fn(&Sources) -> Check;

/// Every check, in the order of the contributors that declare them (the preview's order).
pub fn checks() -> Vec<CheckFn> {
    super::contributors::CONTRIBUTORS
        .iter()
        .flat_map(|c| c.checks.iter().copied())
        .collect()
}

/// Every check, in a stable order.
pub fn check_consistency(project: &Project) -> Consistency {
    let sources = Sources::new(project);
    Consistency {
        checks: checks().iter().map(|c| c(&sources)).collect(),
    }
}

/// Dockerfile EXPOSE, .env.example PORT and the compose files use one port.
pub fn port(s: &Sources) -> Check {
    let port = s.env_value("PORT");
    let mut problems = Vec::new();
    if port.is_empty() {
        problems.push(".env.example does not set PORT".to_string());
    }
    let expose: Vec<&str> = s
        .dockerfile
        .lines()
        .filter_map(|l| l.strip_prefix("EXPOSE "))
        .map(str::trim)
        .collect();
    if expose != [port.as_str()] {
        problems.push(format!(
            "Dockerfile exposes {expose:?}, .env.example has PORT={port}"
        ));
    }
    if !s.compose.contains(&format!("\"{port}:{port}\"")) {
        problems.push(format!("docker-compose.yml does not publish {port}:{port}"));
    }
    if !s.prod.is_empty() && !s.prod.contains(&format!("target: {port}")) {
        problems.push(format!(
            "docker-compose.prod.yml does not route to port {port}"
        ));
    }
    check(
        "port",
        problems,
        format!("Dockerfile EXPOSE, .env.example PORT and the compose files use {port}"),
    )
}

/// The app serves the health path, and the image, smoke test and README use it (or, for an
/// existing app without one, say what they check instead).
pub fn health_path(s: &Sources) -> Check {
    let path = s.health_path();
    let mut problems = Vec::new();
    if !s.dockerfile.lines().any(|l| l.starts_with("HEALTHCHECK ")) {
        problems.push("Dockerfile has no HEALTHCHECK".into());
    }
    let smoke = text(s.project, "scripts/smoke-test.sh");
    let readme = text(s.project, "README.md");
    if path.is_empty() {
        if !readme.contains("no health path") || !smoke.contains("no health path") {
            problems.push(
                "README.md or scripts/smoke-test.sh does not say there is no health path".into(),
            );
        }
        return check(
            "health path",
            problems,
            "no health path: the healthcheck and smoke test check the port, and the README says so"
                .into(),
        );
    }
    if !s.app.is_empty() && !s.app.iter().any(|a| a.contains(&format!("\"{path}\""))) {
        problems.push(format!("the app does not serve {path}"));
    }
    // A new app's image probes itself (its `healthcheck` role); an existing one's asks the path.
    if s.spec.mode == Mode::Existing && !s.dockerfile.contains(&format!("GET {path} HTTP")) {
        problems.push(format!("the Dockerfile's HEALTHCHECK does not ask {path}"));
    }
    if !smoke.contains(path) {
        problems.push(format!("scripts/smoke-test.sh does not probe {path}"));
    }
    if !readme.contains(path) {
        problems.push(format!("README.md does not document {path}"));
    }
    check(
        "health path",
        problems,
        format!("{path}: the image healthcheck, smoke test and README use it"),
    )
}

/// The web process starts with one command everywhere: the Dockerfile's CMD, the Kubernetes
/// web container and the Procfile (and, for an existing app, the command the user gave).
pub fn start_command(s: &Sources) -> Check {
    let mut problems = Vec::new();
    let cmd = s
        .dockerfile
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("CMD "))
        .unwrap_or("")
        .trim();
    let web = s
        .procfile
        .lines()
        .find_map(|l| l.strip_prefix("web:"))
        .unwrap_or("")
        .trim();
    if s.spec.mode == Mode::Existing {
        let typed = s.spec.existing.start.web.trim();
        if let Parsed::Exec(_) = command::parse(typed) {
            // The typed words, behind env-from-files when the app reads plain variables.
            let words = super::existing::start_words(&s.spec, ProcessType::Web);
            if cmd != command::exec_json(&words) {
                problems.push(format!("the Dockerfile runs {cmd}, not {typed}"));
            }
        }
        if !web.ends_with(typed) {
            problems.push(format!(
                "the Procfile's web process runs {web}, not {typed}"
            ));
        }
        for p in ProcessType::ALL
            .into_iter()
            .filter(|p| s.spec.runs(*p) && *p != ProcessType::Web)
        {
            let typed = s.spec.existing.start.get(p).trim();
            if !s.procfile.lines().any(|l| l.ends_with(typed)) {
                problems.push(format!("the Procfile does not run {} with {typed}", p.id()));
            }
        }
    }
    let deployments = s.kube("base/deployment.yaml");
    if !deployments.is_empty() && !deployments.contains(&format!("command: {cmd}\n")) {
        problems.push(format!("the Kubernetes web container does not run {cmd}"));
    }
    check(
        "start command",
        problems,
        format!("the image, the Procfile and Kubernetes start the web process with {cmd}"),
    )
}

/// Variables compose reads are documented in .env.example.
pub fn compose_variables(s: &Sources) -> Check {
    let env_names = s.env_names();
    let mut problems = Vec::new();
    for (file, contents) in [
        ("docker-compose.yml", s.compose),
        ("docker-compose.prod.yml", s.prod),
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
    check(
        "compose variables",
        problems,
        "every variable the compose files read is in .env.example".into(),
    )
}

/// Every documented variable is read by something.
pub fn no_stray_variables(s: &Sources) -> Check {
    let env_names = s.env_names();
    let mut problems = Vec::new();
    let readers: Vec<&str> = s
        .app
        .iter()
        .copied()
        .chain([s.compose, s.prod, text(s.project, "scripts/deploy.sh")])
        // Without Swarm (and for an existing app, without our app) the manifests are the readers.
        .chain(s.kubernetes.iter().map(|(_, t)| *t))
        .collect();
    for name in &env_names {
        if !readers.iter().any(|r| r.contains(name)) {
            problems.push(format!(
                ".env.example lists {name}, but neither the app nor compose reads it"
            ));
        }
    }
    check(
        "no stray variables",
        problems,
        format!("all {} variables of .env.example are used", env_names.len()),
    )
}

/// The app and the CI test job use the names .env.example gives the settings.
pub fn app_configuration(s: &Sources) -> Check {
    let env_names = s.env_names();
    let mut problems = Vec::new();
    for name in s.app_variables() {
        let name = name.as_str();
        if !s.app.is_empty() && env_names.contains(name) && !s.app.iter().any(|a| a.contains(name))
        {
            problems.push(format!("the app does not read {name}"));
        }
    }
    let (database, redis) = super::existing::service_vars(&s.spec);
    let config = s
        .spec
        .existing
        .variables
        .iter()
        .filter(|v| !v.secret && s.spec.mode == Mode::Existing);
    for name in [database, redis]
        .into_iter()
        .chain(config.map(|v| v.name.clone()))
    {
        if env_names.contains(name.as_str()) && !s.ci.contains(&format!("{name}:")) {
            problems.push(format!("the CI test job does not set {name}"));
        }
    }
    check(
        "app configuration",
        problems,
        "the app and the CI test job use the names in .env.example".into(),
    )
}

/// Process types agree between the Procfile and the production stacks.
pub fn process_types(s: &Sources) -> Check {
    let procfile_types: BTreeSet<&str> = s
        .procfile
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim()))
        .collect();
    let mut problems = Vec::new();
    if !procfile_types.contains("web") {
        problems.push("the Procfile has no web process".into());
    }
    let deployments = s.kube("base/deployment.yaml");
    for t in ["web", "worker", "scheduler"] {
        let in_procfile = procfile_types.contains(t);
        if !s.prod.is_empty()
            && t != "web"
            && in_procfile != s.prod.contains(&format!("\n  {t}:\n"))
        {
            problems.push(format!(
                "{t}: Procfile {} it, docker-compose.prod.yml {}",
                has(in_procfile),
                has(!in_procfile)
            ));
        }
        let in_kube = deployments.contains(&format!("app.kubernetes.io/component: {t}\n"));
        if !deployments.is_empty() && in_procfile != in_kube {
            problems.push(format!(
                "{t}: Procfile {} it, the Kubernetes Deployments {}",
                has(in_procfile),
                has(in_kube)
            ));
        }
    }
    let release = procfile_types.contains("release");
    let job = !s.kube("base/release-job.yaml").is_empty();
    if !s.kubernetes.is_empty() && release != job {
        problems.push(format!(
            "release: Procfile {} it, the Kubernetes release Job {}",
            has(release),
            has(job)
        ));
    }
    check(
        "process types",
        problems,
        format!(
            "the Procfile and the production stack run: {}",
            procfile_types
                .iter()
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

/// The Dockerfile copies nothing .dockerignore excludes, and nothing that does not exist.
pub fn build_context(s: &Sources) -> Check {
    let mut problems = Vec::new();
    let ignored: Vec<&str> = s
        .dockerignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .collect();
    for line in s
        .dockerfile
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
            if src == "." {
                problems.extend(app_files_ignored(s, &ignored));
                continue;
            }
            // A wildcard source is optional by design (`go.sum*` before the first dependency).
            if src.contains('*') {
                continue;
            }
            let exists = s
                .project
                .files
                .iter()
                .any(|f| f.path == src || f.path.starts_with(&format!("{src}/")));
            // An existing service's sources are in the user's repository, not in these files.
            if !exists && s.spec.mode == Mode::New {
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
    check(
        "build context",
        problems,
        "the Dockerfile copies only files that exist and .dockerignore keeps".into(),
    )
}

/// When the Dockerfile copies the whole context, no app file may be one .dockerignore excludes
/// (by its exact path or a folder above it: the generated patterns name paths, not globs).
fn app_files_ignored(s: &Sources, ignored: &[&str]) -> Vec<String> {
    s.project
        .files
        .iter()
        .filter(|f| f.file_id == Some(FileId::App))
        .filter(|f| {
            ignored.iter().any(|p| {
                let p = p.trim_end_matches('/').trim_start_matches('/');
                f.path == p || f.path.starts_with(&format!("{p}/"))
            })
        })
        .map(|f| {
            format!(
                "Dockerfile copies the whole context, but .dockerignore excludes {}",
                f.path
            )
        })
        .collect()
}

/// A check that has nothing to compare without the Kubernetes files.
fn not_applicable(name: &'static str) -> Check {
    check(
        name,
        Vec::new(),
        "no Kubernetes manifests (deploy target Swarm)".into(),
    )
}

/// The web container's port and probe paths are the app's.
pub fn kubernetes_port_and_probes(s: &Sources) -> Check {
    const NAME: &str = "kubernetes port and probes";
    let deployments = s.kube("base/deployment.yaml");
    if s.kubernetes.is_empty() {
        return not_applicable(NAME);
    }
    let port = s.env_value("PORT");
    let mut problems = Vec::new();
    if !deployments.contains(&format!("containerPort: {port}\n")) {
        problems.push(format!("the web Deployment does not expose PORT={port}"));
    }
    if !s
        .kube("base/kustomization.yaml")
        .contains(&format!("- PORT=\"{port}\""))
    {
        problems.push(format!("the ConfigMap does not set PORT={port}"));
    }
    let (health, ready) = (s.health_path(), s.ready_path());
    for (probe, path) in [
        ("startupProbe", health),
        ("livenessProbe", health),
        ("readinessProbe", ready),
    ] {
        let probed = probe_target(deployments, probe);
        let expected = if path.is_empty() { "tcpSocket" } else { path };
        if probed != Some(expected) {
            problems.push(format!("the web {probe} probes {probed:?}, not {expected}"));
        }
    }
    if !s.app.is_empty() && !s.app.iter().any(|a| a.contains(&format!("\"{ready}\""))) {
        problems.push(format!("the app does not serve {ready}"));
    }
    let shown = |p: &str| {
        if p.is_empty() {
            "a TCP connect".to_string()
        } else {
            p.to_string()
        }
    };
    check(
        NAME,
        problems,
        format!(
            "the web container listens on {port}; probes use {} and {}",
            shown(health),
            shown(ready)
        ),
    )
}

/// What a probe asks: its HTTP path, or `tcpSocket`.
fn probe_target<'a>(deployments: &'a str, probe: &str) -> Option<&'a str> {
    let (_, rest) = deployments.split_once(&format!("{probe}:"))?;
    let line = rest
        .lines()
        .skip(1)
        .map(str::trim_start)
        .find(|l| l.starts_with("path:") || l.starts_with("tcpSocket:"))?;
    Some(match line.strip_prefix("path:") {
        Some(path) => path.trim(),
        None => "tcpSocket",
    })
}

/// The ConfigMap and the containers' variables use .env.example's names, and give the app
/// every setting .env.example lists for it.
pub fn kubernetes_variables(s: &Sources) -> Check {
    const NAME: &str = "kubernetes variables";
    if s.kubernetes.is_empty() {
        return not_applicable(NAME);
    }
    let env_names = s.env_names();
    let mut provided = BTreeSet::new();
    let mut problems = Vec::new();
    for (path, text) in &s.kubernetes {
        for (key, file) in kube_variables(text) {
            let base = if file {
                key.strip_suffix("_FILE").unwrap_or(key)
            } else {
                key
            };
            if !env_names.contains(base) {
                problems.push(format!(
                    "{path} sets {key}, which .env.example does not list"
                ));
            }
            provided.insert(base);
        }
    }
    for name in s.app_variables() {
        let name = name.as_str();
        if env_names.contains(name) && !provided.contains(name) {
            problems.push(format!("no Kubernetes manifest gives the app {name}"));
        }
    }
    check(
        NAME,
        problems,
        "the ConfigMap and Secret files give the app the variables of .env.example".into(),
    )
}

/// Variable names a manifest sets: ConfigMap literals `- NAME=value` and container `env`
/// entries `- name: NAME` (true when it names a file, `NAME_FILE`).
fn kube_variables(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut in_literals = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("literals:") {
            in_literals = true;
            continue;
        }
        if in_literals {
            if let Some((k, _)) = t.strip_prefix("- ").and_then(|l| l.split_once('=')) {
                out.push((k, false));
                continue;
            }
            in_literals = false;
        }
        if let Some(name) = t.strip_prefix("- name: ") {
            if name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
                out.push((name, name.ends_with("_FILE")));
            }
        }
    }
    out
}

/// Kubernetes runs the containers as the user the Dockerfile sets.
pub fn kubernetes_user(s: &Sources) -> Check {
    const NAME: &str = "kubernetes user";
    if s.kubernetes.is_empty() {
        return not_applicable(NAME);
    }
    let user = s
        .dockerfile
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("USER "))
        .and_then(|u| u.split(':').next())
        .unwrap_or("")
        .trim()
        .to_string();
    let mut problems = Vec::new();
    for (path, text) in &s.kubernetes {
        for line in text
            .lines()
            .filter(|l| l.trim_start().starts_with("runAsUser:"))
        {
            let uid = line.trim_start().trim_start_matches("runAsUser:").trim();
            if uid != user {
                problems.push(format!("{path} runs as {uid}, the Dockerfile as {user:?}"));
            }
        }
    }
    if user.is_empty() || !user.chars().all(|c| c.is_ascii_digit()) {
        problems.push(format!("the Dockerfile's USER {user:?} is not numeric"));
    }
    check(
        NAME,
        problems,
        format!("the image and every pod run as user {user}"),
    )
}

fn has(b: bool) -> &'static str {
    if b {
        "has"
    } else {
        "lacks"
    }
}
