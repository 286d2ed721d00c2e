//! Fitting the model to a service the user already has ([`Mode::Existing`]): the user's start
//! commands, paths, variable names and folders replace the starter app's, and the preset
//! ([`crate::core::presets`]) supplies the image's install steps. A new service's model passes
//! through unchanged, so every template reads the same names in both modes.

use serde::Serialize;

use super::model::{
    exec_form, yaml_plain_or_quoted, yaml_quote, ConfigVar, EnvVar, Model, Process, SecretVar,
};
use crate::core::answers::Answer;
use crate::core::answers::Answers;
use crate::core::command::{self, Parsed};
use crate::core::content;
use crate::core::presets::Preset;
use crate::core::spec::{Mode, ProcessType, ProjectSpec};

/// What the existing service's Dockerfile and runbook read.
#[derive(Clone, Debug, Serialize)]
pub struct ExistingModel {
    pub preset: &'static str,
    /// Copied before the install, one COPY each.
    pub dependency_files: Vec<&'static str>,
    pub install: String,
    pub cache: &'static str,
    /// Empty when the project has no build step.
    pub build_command: String,
    /// `COPY` arguments (source and destination) for each source folder.
    pub copies: Vec<String>,
    /// `ENV` lines for both stages and for the runtime stage.
    pub env: Vec<String>,
    pub runtime_env: Vec<String>,
    pub reads_port: bool,
    /// The credentials `env-from-files` sets from their secret files; empty when the app
    /// reads the files itself (or has no credentials).
    pub env_from_files: Vec<String>,
    /// Where the image keeps `env-from-files`.
    pub env_from_files_path: &'static str,
    /// What the files expect of the app, each tied to a review question.
    pub checklist: Vec<Expectation>,
    /// The start commands as the user typed them, for the README.
    pub commands_md: Vec<String>,
}

/// One line of the README's checklist.
#[derive(Clone, Debug, Serialize)]
pub struct Expectation {
    pub text_md: String,
    /// The review question it answers, and what the team answered.
    pub question_id: &'static str,
    pub question_md: String,
    pub answer: &'static str,
}

/// An existing app that reads only plain variables gets its credentials through
/// `env-from-files`, which reads each secret file into its variable before the start command.
pub fn needs_env_from_files(spec: &ProjectSpec) -> bool {
    spec.mode == Mode::Existing
        && !spec.existing.reads_secret_files
        && !secret_vars(spec).is_empty()
}

/// The names the app reads its database and Redis URLs from.
pub fn service_vars(spec: &ProjectSpec) -> (String, String) {
    match spec.mode {
        Mode::New => ("DATABASE_URL".into(), "REDIS_URL".into()),
        Mode::Existing => (
            spec.existing.database_var.clone(),
            spec.existing.redis_var.clone(),
        ),
    }
}

/// Every credential the deploy passes as a secret file: the service URLs, then the app's own
/// secret variables.
pub fn secret_vars(spec: &ProjectSpec) -> Vec<SecretVar> {
    let (database, redis) = service_vars(spec);
    let mut names = Vec::new();
    if spec.services.postgres {
        names.push(database);
    }
    if spec.services.redis {
        names.push(redis);
    }
    if spec.mode == Mode::Existing {
        names.extend(
            spec.existing
                .variables
                .iter()
                .filter(|v| v.secret)
                .map(|v| v.name.clone()),
        );
    }
    names
        .into_iter()
        .map(|name| SecretVar {
            file: name.to_lowercase(),
            name,
        })
        .collect()
}

/// The app's own non-secret variables for `.env.example`.
pub fn config_env(spec: &ProjectSpec) -> Vec<EnvVar> {
    let vars = spec.existing.variables.iter().filter(|v| !v.secret);
    vars.map(|v| {
        EnvVar::new(
            &v.name,
            v.example.clone(),
            "Read by the app (listed in the Generate settings).",
        )
    })
    .collect()
}

/// The app's own secret variables for `.env.example`, with placeholders only.
pub fn secret_env(spec: &ProjectSpec) -> Vec<EnvVar> {
    let vars = spec.existing.variables.iter().filter(|v| v.secret);
    vars.map(|v| {
        EnvVar::new(
            &v.name,
            v.example.clone(),
            &format!(
                "A credential the app reads. A placeholder here; in production it comes from the {} secret ({}_FILE).",
                v.name.to_lowercase(),
                v.name
            ),
        )
    })
    .collect()
}

/// The model with the existing service's settings in place; a new service's is returned as is.
pub fn fit(mut model: Model, spec: &ProjectSpec, answers: &Answers) -> Model {
    if spec.mode == Mode::New {
        return model;
    }
    let ex = &spec.existing;
    let preset = ex.preset_id(spec.stack).preset();
    let profile = spec.stack.profile();
    let major = spec.runtime_version();
    let fill = |text: &str| profile.fill(text, major, &spec.name);
    let words = |p: ProcessType| start_words(spec, p);
    model.web_exec = command::exec_json(&words(ProcessType::Web));
    model.web_shell = ex.start.web.trim().to_string();
    model.health_path = ex.health_path.clone();
    model.ready_path = ex.ready_path.clone();
    model.healthcheck_exec = healthcheck(&ex.health_path);
    model.migrate_exec = command::exec_json(&words(ProcessType::Release));
    // Empty without a release process, so CI runs no migration step.
    let release = if spec.runs(ProcessType::Release) {
        ex.start.release.trim().to_string()
    } else {
        String::new()
    };
    // The Swarm one-off runs in the image with the secret files, like the other processes.
    model.migrate_image = if needs_env_from_files(spec) && !release.is_empty() {
        format!("{} {release}", super::scripts::ENV_FROM_FILES_IN_IMAGE)
    } else {
        release.clone()
    };
    model.migrate_shell = release;
    model.processes = processes(spec);
    let (database, redis) = service_vars(spec);
    model.database_var = database;
    model.redis_var = redis;
    model.config_vars = config_vars(spec);
    if let Some(image) = preset.build_image {
        model.build_image = fill(image);
    }
    if let Some(image) = preset.ci_image {
        model.ci_image = fill(image);
    }
    model.github_setup = fill(preset.github_setup);
    model.ci_build = ci_build(preset, &ex.build_command);
    model.ci_test = ex.test_command.trim().to_string();
    model.ci_start = model.web_shell.clone();
    model.ci_build_yaml = yaml_plain_or_quoted(&model.ci_build);
    model.ci_test_yaml = yaml_plain_or_quoted(&model.ci_test);
    model.migrate_yaml = yaml_plain_or_quoted(&model.migrate_shell);
    model.smoke_yaml = yaml_plain_or_quoted(&format!("scripts/smoke-test.sh {}", model.ci_start));
    let ignore: Vec<String> = preset.ignore.iter().map(|l| l.to_string()).collect();
    model.dockerignore_lines = ignore.clone();
    model.gitignore_lines = ignore.iter().map(|l| format!("/{l}")).collect();
    model.existing = Some(ExistingModel {
        preset: preset.label,
        dependency_files: preset.dependency_files.to_vec(),
        install: preset.install.to_string(),
        cache: preset.cache,
        build_command: ex.build_command.trim().to_string(),
        copies: ex.source_folders.iter().map(|f| copy_args(f)).collect(),
        env: env_lines(preset.env),
        runtime_env: env_lines(preset.runtime_env),
        reads_port: ex.reads_port,
        env_from_files: if needs_env_from_files(spec) {
            secret_vars(spec).into_iter().map(|v| v.name).collect()
        } else {
            Vec::new()
        },
        env_from_files_path: super::scripts::ENV_FROM_FILES_IN_IMAGE,
        checklist: checklist(spec, answers),
        commands_md: commands_md(spec),
    });
    model
}

/// The words exec form runs; a command the spec's validation refused never gets here, but an
/// empty one (a process that is off) gives no words.
fn exec_words(text: &str) -> Vec<String> {
    match command::parse(text) {
        Parsed::Exec(words) => words,
        Parsed::NeedsShell(shell) => shell.exec_words,
        Parsed::Empty | Parsed::Unbalanced => Vec::new(),
    }
}

/// The words a process type starts with in the image (Dockerfile, compose, Kubernetes, the
/// release one-off): behind `env-from-files` when the app reads plain variables. The Procfile,
/// CI and the README keep the command as typed: there the variables are plain already.
pub(super) fn start_words(spec: &ProjectSpec, p: ProcessType) -> Vec<String> {
    let words = exec_words(spec.existing.start.get(p));
    if words.is_empty() || !needs_env_from_files(spec) {
        return words;
    }
    std::iter::once(super::scripts::ENV_FROM_FILES_IN_IMAGE.to_string())
        .chain(words)
        .collect()
}

fn processes(spec: &ProjectSpec) -> Vec<Process> {
    [
        (ProcessType::Worker, "takes background jobs from the queue"),
        (
            ProcessType::Scheduler,
            "enqueues periodic jobs; run exactly one",
        ),
    ]
    .into_iter()
    .filter(|(p, _)| spec.runs(*p))
    .map(|(p, purpose)| {
        let text = spec.existing.start.get(p);
        Process {
            name: p.id(),
            shell: text.trim().to_string(),
            exec: command::exec_json(&start_words(spec, p)),
            replicas: 1,
            purpose,
        }
    })
    .collect()
}

fn config_vars(spec: &ProjectSpec) -> Vec<ConfigVar> {
    let vars = spec.existing.variables.iter().filter(|v| !v.secret);
    vars.map(|v| ConfigVar {
        name: v.name.clone(),
        value: v.example.clone(),
        value_yaml: yaml_quote(&v.example),
    })
    .collect()
}

/// The image's healthcheck without curl: bash's /dev/tcp, present in every runtime image the
/// presets use. Without a health path it only checks that the port accepts a connection.
fn healthcheck(health_path: &str) -> String {
    let connect = "exec 3<>/dev/tcp/127.0.0.1/\"${PORT}\"";
    let script = if health_path.is_empty() {
        connect.to_string()
    } else {
        format!(
            "{connect} && printf 'GET {health_path} HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"
        )
    };
    exec_form(&["bash", "-c", &script])
}

fn ci_build(preset: &Preset, build: &str) -> String {
    match build.trim() {
        "" => preset.ci_install.to_string(),
        build => format!("{} && {build}", preset.ci_install),
    }
}

fn env_lines(pairs: &[(&str, &str)]) -> Vec<String> {
    pairs.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect()
}

/// `COPY` source and destination for a folder: `.` copies the whole (filtered) context.
fn copy_args(folder: &str) -> String {
    let folder = folder.trim_end_matches('/');
    if folder == "." {
        ". .".to_string()
    } else {
        format!("{folder} ./{folder}")
    }
}

fn commands_md(spec: &ProjectSpec) -> Vec<String> {
    ProcessType::ALL
        .into_iter()
        .filter(|p| spec.runs(*p))
        .map(|p| format!("`{}`: `{}`", p.id(), spec.existing.start.get(p).trim()))
        .collect()
}

/// What the deploy files expect of the app, each with the review question it answers.
fn checklist(spec: &ProjectSpec, answers: &Answers) -> Vec<Expectation> {
    let ex = &spec.existing;
    let port = if ex.reads_port {
        format!(
            "Binds `0.0.0.0:$PORT` (the files set `PORT={}`), not localhost.",
            spec.port
        )
    } else {
        format!(
            "Binds `0.0.0.0:{}` (the port the files publish), not localhost.",
            spec.port
        )
    };
    let health = match ex.health_path.as_str() {
        "" => "Has no health path: the image's HEALTHCHECK and the Kubernetes liveness and startup probes only check that the port accepts connections, which a hung process still does. Add one and set it here.".to_string(),
        path => format!("Answers `{path}` with 200 while the process runs, without calling its backing services."),
    };
    let ready = match ex.ready_path.as_str() {
        "" => "Has no readiness path: Kubernetes sends traffic as soon as the port accepts connections, even before the backing services answer.".to_string(),
        path => format!("Answers `{path}` with 200 only when it can serve (its backing services answer), 503 otherwise."),
    };
    let mut items = vec![
        (port, "port-bind-all-interfaces"),
        (health, "ready-health-endpoint"),
        (ready, "ready-health-readiness-deps"),
        ("Logs to stdout, one event per line; never to files in the container.".to_string(), "logs-stdout"),
        ("Stops on SIGTERM: finishes in-flight requests and exits 0 within 25 s (the files give 30 s before SIGKILL). The start commands run in exec form, so the program itself receives the signal.".to_string(), "disposability-drain"),
    ];
    if spec.deploy_target.kubernetes() {
        items.push((
            "Writes only to `/tmp` (Kubernetes runs it with a read-only root file system and a 64 MiB `/tmp`), as user 10001, not root.".to_string(),
            "ready-container-non-root",
        ));
    }
    let secrets = secret_vars(spec);
    if !secrets.is_empty() {
        let names: Vec<String> = secrets.iter().map(|s| format!("`{}`", s.name)).collect();
        let text = if spec.existing.reads_secret_files {
            format!(
                "Reads {} from the environment, or in production from the file named by the same name with `_FILE` appended (Docker and Kubernetes secrets are files): read the file when `NAME_FILE` is set.",
                names.join(", ")
            )
        } else {
            format!(
                "Reads {} from the environment. In production they are secret files: the image's `{}` (`{}`) sets each variable from its `NAME_FILE` before the start command runs, so the value is in the process environment, which child processes inherit and the process's owner can read in `/proc`. Reading the file yourself keeps it out: then tick \"reads secret files\".",
                names.join(", "),
                super::scripts::ENV_FROM_FILES_IN_IMAGE,
                super::scripts::ENV_FROM_FILES,
            )
        };
        items.push((text, "config-env-vars"));
    }
    items
        .into_iter()
        .map(|(text, id)| expectation(text, id, answers))
        .collect()
}

fn expectation(text_md: String, question_id: &'static str, answers: &Answers) -> Expectation {
    let question = content::questions().find(|(_, q)| q.id == question_id);
    Expectation {
        text_md,
        question_id,
        question_md: question
            .map(|(_, q)| crate::core::report::md_escape(q.text))
            .unwrap_or_default(),
        answer: answers
            .get(question_id)
            .and_then(|r| r.answer)
            .map(Answer::label)
            .unwrap_or("Unanswered"),
    }
}
