//! The single model every template reads: derived once from the spec (and the assessment, for
//! the README's compliance table).
//!
//! Everything a template prints that came from the user is escaped here, once per format, so a
//! template never has to know how to quote: `description_yaml`, `description_label`,
//! `description_json`, `description_xml` and `description_md` are ready to paste.

use serde::Serialize;

use crate::core::answers::Answers;
use crate::core::content::{roman, TopicKind};
use crate::core::report::md_escape;
use crate::core::score::{self, PlanItem};
use crate::core::spec::{Ci, Mode, ProjectSpec, Registry, Stack};

pub use super::ci::CiSetting;

/// Pinned images of backing services, shared by compose and CI.
pub const POSTGRES_IMAGE: &str = "postgres:16.6-alpine";
pub const REDIS_IMAGE: &str = "redis:7.4.1-alpine";

/// The non-root user and group every image runs as: numeric, so Kubernetes can verify
/// `runAsNonRoot`, and above 10000 so it maps to no user of the host.
pub const IMAGE_UID: u32 = 10001;

/// One variable of `.env.example`.
#[derive(Clone, Debug, Serialize)]
pub struct EnvVar {
    pub name: String,
    /// A placeholder or a safe local default; never a real secret.
    pub value: String,
    pub comment: String,
}

impl EnvVar {
    pub(super) fn new(name: &str, value: impl Into<String>, comment: &str) -> EnvVar {
        EnvVar {
            name: name.to_string(),
            value: value.into(),
            comment: comment.to_string(),
        }
    }
}

/// A credential the deploy passes as a file: Docker/Kubernetes secret `file`, read by the app
/// through `<name>_FILE`.
#[derive(Clone, Debug, Serialize)]
pub struct SecretVar {
    pub name: String,
    pub file: String,
}

/// A non-secret setting of the user's app, with its example value (YAML-quoted).
#[derive(Clone, Debug, Serialize)]
pub struct ConfigVar {
    pub name: String,
    pub value: String,
    pub value_yaml: String,
}

/// A group of variables with a heading comment.
#[derive(Clone, Debug, Serialize)]
pub struct EnvSection {
    pub title: &'static str,
    pub vars: Vec<EnvVar>,
}

/// One optional process beside `web`.
#[derive(Clone, Debug, Serialize)]
pub struct Process {
    pub name: &'static str,
    /// Shell form, for the Procfile.
    pub shell: String,
    /// Exec form as a JSON array, for Dockerfile and compose `command:`.
    pub exec: String,
    /// Replicas in production.
    pub replicas: u32,
    pub purpose: &'static str,
}

/// A row of the README's compliance table.
#[derive(Clone, Debug, Serialize)]
pub struct FactorRow {
    pub label: String,
    pub title_md: String,
    pub score: String,
    pub answered: u32,
    pub total: u32,
}

/// An open item of the improvement plan, ready for Markdown.
#[derive(Clone, Debug, Serialize)]
pub struct PlanRow {
    pub topic_md: String,
    pub question_md: String,
    pub status: &'static str,
    pub remediation_md: String,
    pub files_md: String,
    pub blocker: bool,
    /// "small", "medium" or "large".
    pub effort: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Model {
    pub name: String,
    pub description: String,
    /// YAML double-quoted scalar, with `$` doubled for compose interpolation.
    pub description_yaml: String,
    /// Dockerfile double-quoted LABEL value (quotes, backslashes and `$` escaped).
    pub description_label: String,
    /// JSON string literal (also a valid TOML basic string).
    pub description_json: String,
    pub description_xml: String,
    pub description_md: String,
    /// The name with underscores, for identifiers that reject hyphens.
    pub name_snake: String,

    pub stack: &'static str,
    pub stack_label: &'static str,
    pub framework: &'static str,
    /// The major version the user chose ("22", "3.12").
    pub runtime_version: String,
    /// The exact patch version every image and CI job pins ("22.11.0").
    pub runtime_pin: &'static str,
    pub build_image: String,
    pub runtime_image: String,
    /// A full (non-slim) image with bash, for GitLab's test job.
    pub ci_image: String,

    pub port: u16,
    /// Empty when an existing app has none: probes fall back to a TCP connect.
    pub health_path: String,
    pub ready_path: String,

    /// The web process, shell form (Procfile) and exec form (Dockerfile CMD).
    pub web_shell: String,
    pub web_exec: String,
    /// The exec form of the image's own health probe.
    pub healthcheck_exec: String,
    /// The one-off migration command (release phase), exec form.
    pub migrate_exec: String,
    pub migrate_shell: String,
    /// The migration command inside the image (image paths), for `docker run IMAGE ...`.
    pub migrate_image: String,
    pub processes: Vec<Process>,
    pub worker: bool,
    pub scheduler: bool,
    pub release: bool,
    pub postgres: bool,
    pub redis: bool,
    /// The starter's worker holds a lease on its job (`JOB_CLAIM_IDLE_MS`); otherwise (Go with
    /// PostgreSQL) a lock that ends with the worker's database connection.
    pub job_lease: bool,
    pub postgres_image: &'static str,
    pub redis_image: &'static str,
    /// Docker secrets the production stack mounts, by lower-case name.
    pub secrets: Vec<String>,
    /// The variables passed as secret files, with their secret's name.
    pub secret_vars: Vec<SecretVar>,
    /// Non-secret settings of an existing app (empty for a new service).
    pub config_vars: Vec<ConfigVar>,
    /// The names the app reads its backing services' URLs from.
    pub database_var: String,
    pub redis_var: String,
    /// The existing service's image and runbook facts; `None` for a new service.
    pub existing: Option<super::existing::ExistingModel>,
    /// CI commands as YAML scalars (quoted only when they need it).
    pub ci_build_yaml: String,
    pub ci_test_yaml: String,
    pub smoke_yaml: String,
    /// CI's migration step (the release command) as a YAML scalar.
    pub migrate_yaml: String,

    /// Deploy target, CI system and registry (flattened: templates read `github`, `swarm`, ...).
    #[serde(flatten)]
    pub delivery: Delivery,
    /// CI: command that builds and checks the app, and the command that starts it.
    pub ci_build: String,
    /// CI: the command that runs the project's own tests.
    pub ci_test: String,
    pub ci_start: String,
    /// GitHub Actions steps that install the stack's toolchain.
    pub github_setup: String,
    /// `.gitignore`'s heading and lines for this stack's tools.
    pub gitignore_title: &'static str,
    pub gitignore_lines: Vec<String>,
    /// `.dockerignore` lines for this stack's local dependencies and build output.
    pub dockerignore_lines: Vec<String>,

    pub env: Vec<EnvSection>,
    /// Every variable name of `.env.example`, in order.
    pub env_names: Vec<String>,

    pub factors: Vec<FactorRow>,
    pub plan: Vec<PlanRow>,
    pub plan_more: usize,
    /// The plan's first actions (blockers, then importance for effort).
    pub next_actions: Vec<PlanRow>,
    /// Launch decision and maturity level, the same line the app and the CLI show.
    pub verdict_md: String,
    pub answered: u32,
    pub total: u32,
}

/// One open plan item for the README, its files as the paths this spec generates.
fn plan_row(item: &PlanItem, spec: &ProjectSpec) -> PlanRow {
    PlanRow {
        topic_md: md_escape(&format!("{} {}", item.topic.label(), item.topic.title)),
        question_md: md_escape(item.question.text),
        status: item.answer.map(|a| a.label()).unwrap_or("Unanswered"),
        remediation_md: md_escape(item.question.remediation()),
        files_md: item
            .files
            .iter()
            .flat_map(|f| super::paths_for(*f, spec))
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", "),
        blocker: item.question.blocker,
        effort: item.effort.label().to_lowercase(),
    }
}

/// Where and how the project is delivered: deploy target, CI system and image registry.
#[derive(Clone, Debug, Serialize)]
pub struct Delivery {
    /// The deploy target's id, and which of its file sets the project gets.
    pub deploy_target: &'static str,
    pub swarm: bool,
    pub kubernetes: bool,
    /// The numeric user and group the image runs as (Dockerfile `USER`, Kubernetes `runAsUser`).
    pub image_uid: u32,
    pub ci: &'static str,
    pub github: bool,
    pub gitlab: bool,
    pub registry: &'static str,
    pub ghcr: bool,
    pub docker_hub: bool,
    pub registry_host: &'static str,
    /// The placeholder image name the Kubernetes base uses; deploy.sh pins it to the real
    /// repository and digest.
    pub image_repository: String,
    /// Every variable and secret the pipeline reads from the CI system's settings.
    pub ci_settings: Vec<CiSetting>,
    /// The same as comment lines for the pipeline file's header.
    pub ci_settings_comment: String,
    /// The settings the build and promote jobs need, and those the deploy jobs need.
    pub ci_build_settings: Vec<CiSetting>,
    pub ci_deploy_settings: Vec<CiSetting>,
    /// Shell (POSIX sh) that fails naming each missing setting: build jobs, then deploy jobs.
    pub ci_build_check: String,
    pub ci_deploy_check: String,
    /// Shell run before `scripts/deploy.sh` in a deploy job: SSH and registry login for Swarm,
    /// the kubeconfig for Kubernetes.
    pub ci_deploy_prepare: String,
    /// Shell that starts the built image ($IMAGE) and waits for its HEALTHCHECK to pass.
    pub ci_image_check: String,
}

impl Delivery {
    fn new(spec: &ProjectSpec) -> Delivery {
        let settings = super::ci::settings(spec);
        let (registry_host, image_repository) = match spec.registry {
            Registry::Ghcr => ("ghcr.io", format!("ghcr.io/your-org/{}", spec.name)),
            Registry::DockerHub => ("docker.io", format!("docker.io/your-user/{}", spec.name)),
        };
        Delivery {
            deploy_target: spec.deploy_target.id(),
            swarm: spec.deploy_target.swarm(),
            kubernetes: spec.deploy_target.kubernetes(),
            image_uid: IMAGE_UID,
            ci: match spec.ci {
                Ci::GithubActions => "github_actions",
                Ci::GitlabCi => "gitlab_ci",
            },
            github: spec.ci == Ci::GithubActions,
            gitlab: spec.ci == Ci::GitlabCi,
            registry: match spec.registry {
                Registry::Ghcr => "ghcr",
                Registry::DockerHub => "docker_hub",
            },
            ghcr: spec.registry == Registry::Ghcr,
            docker_hub: spec.registry == Registry::DockerHub,
            registry_host,
            image_repository,
            ci_build_settings: settings.iter().filter(|s| s.build).cloned().collect(),
            ci_deploy_settings: settings.iter().filter(|s| s.deploy).cloned().collect(),
            ci_build_check: super::ci::check_script(&settings, |s| s.build, spec),
            ci_deploy_check: super::ci::check_script(&settings, |s| s.deploy, spec),
            ci_deploy_prepare: super::ci::deploy_prepare(spec),
            ci_image_check: super::ci::image_check(spec),
            ci_settings_comment: super::ci::settings_comment(&settings),
            ci_settings: settings,
        }
    }
}

/// A string as a YAML double-quoted scalar (JSON string syntax is valid YAML 1.2).
pub fn yaml_quote(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// A string as a Dockerfile double-quoted word: `\`, `"` and `$` escaped.
pub fn docker_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' | '"' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn xml_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A list of words as a JSON array, the exec form of Dockerfile and compose commands.
pub fn exec_form(words: &[&str]) -> String {
    let quoted: Vec<String> = words
        .iter()
        .map(|w| serde_json::to_string(w).expect("strings serialise"))
        .collect();
    format!("[{}]", quoted.join(", "))
}

/// The stack's facts for this spec, with versions and the project name filled in.
struct StackFacts {
    pin: &'static str,
    build_image: String,
    runtime_image: String,
    ci_image: String,
    /// The program and its leading arguments; a role ("worker", ...) is appended.
    entry: Vec<String>,
    /// The same from the repository root (Procfile, CI smoke test).
    shell_entry: String,
    ci_build: String,
    ci_start: String,
    github_setup: String,
}

fn stack_facts(spec: &ProjectSpec) -> StackFacts {
    let profile = spec.stack.profile();
    let major = spec.runtime_version();
    let fill = |text: &str| profile.fill(text, major, &spec.name);
    StackFacts {
        pin: profile.version(major).pin,
        build_image: fill(profile.build_image),
        runtime_image: fill(profile.runtime_image),
        ci_image: fill(profile.ci_image),
        entry: profile.entry.iter().map(|w| fill(w)).collect(),
        shell_entry: fill(profile.shell_entry),
        ci_build: fill(profile.install),
        ci_start: fill(profile.start),
        github_setup: fill(profile.github_setup),
    }
}

impl Model {
    pub fn new(spec: &ProjectSpec, answers: &Answers) -> Model {
        let stack = spec.stack;
        let facts = stack_facts(spec);
        let pin = facts.pin;
        let entry: Vec<&str> = facts.entry.iter().map(String::as_str).collect();
        fn with<'a>(entry: &[&'a str], role: &'a str) -> Vec<&'a str> {
            let mut v = entry.to_vec();
            v.push(role);
            v
        }
        let with = |role: &'static str| with(&entry, role);
        // The Procfile runs from the project root, so it uses repository paths, not image paths.
        let shell_entry = facts.shell_entry.clone();
        // Ruby's web role starts Puma with config/puma.rb from inside the app, after the app has
        // checked its configuration, so a bad setting gets the same JSON error line as elsewhere.
        let (web_shell, web_exec) = (shell_entry.clone(), exec_form(&entry));
        let processes = processes(spec, &entry, &shell_entry);
        let secret_vars = super::existing::secret_vars(spec);
        let secrets = secret_vars.iter().map(|v| v.file.clone()).collect();
        let env = env_sections(spec);
        let env_names = env
            .iter()
            .flat_map(|s| s.vars.iter().map(|v| v.name.clone()))
            .collect();
        let report = score::score(answers);
        let factors = factor_rows(&report);
        let (plan, next_actions, plan_more) = plan_rows(&report, spec);
        let migrate: Vec<&str> = with("migrate");

        let model = Model {
            name: spec.name.clone(),
            description: spec.description.clone(),
            description_yaml: yaml_quote(&spec.description.replace('$', "$$")),
            description_label: docker_quote(&spec.description),
            description_json: serde_json::to_string(&spec.description)
                .expect("a string serialises"),
            description_xml: xml_escape(&spec.description),
            description_md: md_escape(&spec.description),
            name_snake: spec.name.replace('-', "_"),
            stack: stack.id(),
            stack_label: stack.label(),
            framework: stack.framework(),
            runtime_version: spec.runtime_version().to_string(),
            runtime_pin: pin,
            build_image: facts.build_image,
            runtime_image: facts.runtime_image,
            ci_image: facts.ci_image,
            port: spec.port,
            health_path: "/health".into(),
            ready_path: "/ready".into(),
            web_shell,
            web_exec,
            healthcheck_exec: exec_form(&with("healthcheck")),
            migrate_exec: exec_form(&migrate),
            migrate_shell: format!("{shell_entry} migrate"),
            migrate_image: migrate.join(" "),
            processes,
            worker: spec.processes.worker,
            scheduler: spec.processes.scheduler,
            release: spec.processes.release,
            postgres: spec.services.postgres,
            redis: spec.services.redis,
            job_lease: stack.profile().job_lease.met(spec),
            postgres_image: POSTGRES_IMAGE,
            redis_image: REDIS_IMAGE,
            secrets,
            secret_vars,
            config_vars: Vec::new(),
            database_var: "DATABASE_URL".into(),
            redis_var: "REDIS_URL".into(),
            existing: None,
            ci_build_yaml: yaml_plain_or_quoted(&facts.ci_build),
            ci_test_yaml: yaml_plain_or_quoted(stack.test_command()),
            smoke_yaml: yaml_plain_or_quoted(&format!("scripts/smoke-test.sh {}", facts.ci_start)),
            migrate_yaml: yaml_plain_or_quoted(&format!("{shell_entry} migrate")),
            delivery: Delivery::new(spec),
            ci_build: facts.ci_build,
            ci_test: stack.test_command().to_string(),
            ci_start: facts.ci_start,
            github_setup: facts.github_setup,
            gitignore_title: stack.profile().gitignore.0,
            gitignore_lines: strings(stack.profile().gitignore.1),
            dockerignore_lines: strings(stack.profile().dockerignore),
            env,
            env_names,
            factors,
            plan,
            plan_more,
            next_actions,
            verdict_md: md_escape(&report.verdict_line()),
            answered: report.overall.answered,
            total: report.overall.total,
        };
        super::existing::fit(model, spec, answers)
    }

    pub fn stack(&self) -> Stack {
        Stack::from_id(self.stack).expect("the model holds a known stack")
    }
}

/// Processes beside `web`, in Procfile order, from one entry point with a role argument.
fn processes(spec: &ProjectSpec, entry: &[&str], shell_entry: &str) -> Vec<Process> {
    let chosen = [
        (
            spec.processes.worker,
            "worker",
            "takes background jobs from the queue",
        ),
        (
            spec.processes.scheduler,
            "scheduler",
            "enqueues periodic jobs; run exactly one",
        ),
    ];
    chosen
        .into_iter()
        .filter(|(on, _, _)| *on)
        .map(|(_, name, purpose)| {
            let mut words = entry.to_vec();
            words.push(name);
            Process {
                name,
                shell: format!("{shell_entry} {name}"),
                exec: exec_form(&words),
                replicas: 1,
                purpose,
            }
        })
        .collect()
}

/// The README's compliance table: one row per factor.
fn factor_rows(report: &score::Report) -> Vec<FactorRow> {
    report
        .topics
        .iter()
        .filter(|t| t.topic.kind == TopicKind::Factor)
        .map(|t| FactorRow {
            label: roman(t.topic.number).to_string(),
            title_md: md_escape(t.topic.title),
            score: match (t.tally.answered, t.tally.whole_percent()) {
                (0, _) => "not assessed".to_string(),
                (_, Some(p)) => format!("{p}%"),
                (_, None) => "not applicable".to_string(),
            },
            answered: t.tally.answered,
            total: t.tally.total,
        })
        .collect()
}

/// The README's open items: the first rows of the plan, the next actions, and how many more
/// open items there are.
fn plan_rows(report: &score::Report, spec: &ProjectSpec) -> (Vec<PlanRow>, Vec<PlanRow>, usize) {
    const PLAN_ROWS: usize = 15;
    let row = |item| plan_row(item, spec);
    let plan = report.plan.iter().take(PLAN_ROWS).map(row).collect();
    let next_actions = report.next_actions().into_iter().map(row).collect();
    (
        plan,
        next_actions,
        report.plan.len().saturating_sub(PLAN_ROWS),
    )
}

/// The variables of `.env.example`, grouped, alphabetical within a group (dotenv-linter).
fn env_sections(spec: &ProjectSpec) -> Vec<EnvSection> {
    let existing = spec.mode == Mode::Existing;
    let mut app = vec![
        EnvVar::new("APP_ENV", "development", "Which deploy this is: development, staging or production. Only for logs and labels; behaviour comes from the other variables."),
        EnvVar::new("LOG_LEVEL", "info", "debug, info, warn or error. Logs go to stdout as one JSON object per line."),
        EnvVar::new("PORT", spec.port.to_string(), "The port the web process binds on all interfaces."),
    ];
    if existing {
        app.extend(super::existing::config_env(spec));
    } else {
        app.extend(
            spec.stack
                .profile()
                .env
                .iter()
                .filter(|v| v.needs.met(spec))
                .map(|v| EnvVar::new(v.name, v.value, v.comment)),
        );
    }
    app.sort_by(|a, b| a.name.cmp(&b.name));
    let mut sections = vec![EnvSection {
        title: "The app (read by every process)",
        vars: app,
    }];
    let (database, redis) = super::existing::service_vars(spec);
    let mut backing = Vec::new();
    if spec.services.postgres {
        backing.push(EnvVar::new(
            &database,
            "postgres://app:change-me@db:5432/app",
            &format!("PostgreSQL connection URL. Locally it points at the compose `db` service; in production it comes from the {} secret ({database}_FILE).", database.to_lowercase()),
        ));
    }
    if spec.services.redis {
        backing.push(EnvVar::new(
            &redis,
            "redis://redis:6379/0",
            &format!("Redis connection URL. Locally it points at the compose `redis` service; in production it comes from the {} secret ({redis}_FILE).", redis.to_lowercase()),
        ));
    }
    if existing {
        backing.extend(super::existing::secret_env(spec));
    }
    backing.sort_by(|a, b| a.name.cmp(&b.name));
    if !backing.is_empty() {
        sections.push(EnvSection {
            title: if existing {
                "Backing services and credentials (secrets in production: swap a service by changing its URL)"
            } else {
                "Backing services (attached resources: swap them by changing the URL)"
            },
            vars: backing,
        });
    }
    if !existing && (spec.services.postgres || spec.services.redis) {
        sections.push(jobs_section(spec));
    }
    if spec.services.postgres {
        sections.push(EnvSection {
            title: if database == "DATABASE_URL" {
                "The local PostgreSQL container (docker-compose.yml only; keep in step with DATABASE_URL)"
            } else {
                "The local PostgreSQL container (docker-compose.yml only; keep in step with the database URL)"
            },
            vars: vec![
                EnvVar::new("POSTGRES_DB", "app", "Database the container creates on first start."),
                EnvVar::new("POSTGRES_PASSWORD", "change-me", "Password of the local database user. A placeholder: pick your own."),
                EnvVar::new("POSTGRES_USER", "app", "User the container creates on first start."),
            ],
        });
    }
    sections.push(deploy_section(spec));
    sections
}

fn strings(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| l.to_string()).collect()
}

/// A string as a plain YAML scalar when that reads back unchanged, else double-quoted: CI
/// commands stay readable, and a user's `#` or `: ` cannot change the workflow's meaning.
pub fn yaml_plain_or_quoted(s: &str) -> String {
    let risky_start =
        s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace());
    let risky = s.is_empty()
        || risky_start
        || s.ends_with(char::is_whitespace)
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.contains(['\n', '\r', '\t']);
    if risky {
        yaml_quote(s)
    } else {
        s.to_string()
    }
}

/// The starter's job settings, read by its worker and scheduler processes (a project has a
/// queue when it has PostgreSQL or Redis).
fn jobs_section(spec: &ProjectSpec) -> EnvSection {
    let mut vars = vec![EnvVar::new(
        "SCHEDULE_INTERVAL",
        "60",
        "Seconds between the jobs the scheduler enqueues (a whole number, 1 or more).",
    )];
    if spec.stack.profile().job_lease.met(spec) {
        vars.insert(0, EnvVar::new("JOB_CLAIM_IDLE_MS", "30000", "Milliseconds a job stays with a worker that stopped answering (killed, or its host lost) before another worker takes it again; attempts counts every take."));
    }
    EnvSection {
        title: "Jobs (read by the worker and scheduler processes)",
        vars,
    }
}

/// The variables only the deploy reads: the repository, and on Swarm the image reference the
/// stack file interpolates.
fn deploy_section(spec: &ProjectSpec) -> EnvSection {
    let repository = match spec.registry {
        Registry::Ghcr => format!("ghcr.io/your-org/{}", spec.name),
        Registry::DockerHub => format!("docker.io/your-user/{}", spec.name),
    };
    let mut vars = Vec::new();
    if spec.deploy_target.swarm() {
        vars.push(EnvVar::new(
            "IMAGE",
            format!("{repository}@sha256:{}", "0".repeat(64)),
            "Read by docker-compose.prod.yml from the shell, never from .env: the image to deploy, by digest. scripts/deploy.sh sets it from its arguments; set it yourself only to run docker stack deploy by hand.",
        ));
    }
    vars.push(EnvVar::new(
        "IMAGE_REPOSITORY",
        repository,
        "Required by scripts/deploy.sh, from the shell (CI sets it): the repository CI pushes to, without a tag. Export it before a manual deploy or rollback.",
    ));
    EnvSection {
        title: if spec.deploy_target.swarm() {
            "Deploying (from the shell for docker-compose.prod.yml and scripts/deploy.sh; not read by the app or by compose)"
        } else {
            "Deploying (from the shell for scripts/deploy.sh; not read by the app or by compose)"
        },
        vars,
    }
}
