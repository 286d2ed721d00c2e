//! The CI pipeline: `.github/workflows/ci.yml` or `.gitlab-ci.yml`. Test with service
//! containers, build and push the image once per commit on main, deploy it to staging by
//! digest; a version tag promotes that same image to production (never rebuilds).

use super::{Context, GenerateError, GeneratedFile};
use crate::core::content::FileId;
use serde::Serialize;

use crate::core::spec::{Ci, ProjectSpec, Registry};

pub fn path(spec: &ProjectSpec) -> &'static str {
    match spec.ci {
        Ci::GithubActions => ".github/workflows/ci.yml",
        Ci::GitlabCi => ".gitlab-ci.yml",
    }
}

fn template(ci: Ci) -> &'static str {
    match ci {
        Ci::GithubActions => "ci/github",
        Ci::GitlabCi => "ci/gitlab",
    }
}

pub(super) fn render(cx: &Context) -> Result<Vec<GeneratedFile>, GenerateError> {
    Ok(vec![GeneratedFile::new(
        path(cx.spec),
        cx.renderer.render(template(cx.spec.ci), cx.model)?,
        Some(FileId::CiWorkflow),
    )])
}

/// Which deploy target's jobs need a setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Need {
    OnSwarm,
    OnKubernetes,
}

/// One row of [`SETTINGS`]: a variable or secret some pipelines read from the CI system.
struct Row {
    name: &'static str,
    /// The variable the scripts read, when it differs from the setting's name (GitHub's
    /// KUBECONFIG secret holds the file's text, so the job maps it to KUBECONFIG_DATA).
    env: Option<&'static str>,
    secret: bool,
    per_environment: bool,
    build: bool,
    deploy: Need,
    when: fn(&ProjectSpec) -> bool,
    /// A setting that may be given instead.
    or: Option<&'static str>,
    purpose: &'static str,
}

fn docker_hub(spec: &ProjectSpec) -> bool {
    spec.registry == Registry::DockerHub
}
fn gitlab_ghcr(spec: &ProjectSpec) -> bool {
    spec.ci == Ci::GitlabCi && spec.registry == Registry::Ghcr
}
fn any(_: &ProjectSpec) -> bool {
    true
}
fn github(spec: &ProjectSpec) -> bool {
    spec.ci == Ci::GithubActions
}
fn gitlab(spec: &ProjectSpec) -> bool {
    spec.ci == Ci::GitlabCi
}

/// Every setting any pipeline reads, in the order the header, the check and the README list
/// them. GitHub's own GITHUB_TOKEN needs no setting: the jobs ask for `packages` permission.
const SETTINGS: &[Row] = &[
    Row { name: "DOCKERHUB_USERNAME", env: None, secret: false, per_environment: false, build: true, deploy: Need::OnSwarm, when: docker_hub, or: None,
          purpose: "the Docker Hub account that owns the image (docker.io/<account>/<name>) and logs in to push and pull it" },
    Row { name: "DOCKERHUB_TOKEN", env: None, secret: true, per_environment: false, build: true, deploy: Need::OnSwarm, when: docker_hub, or: None,
          purpose: "a Docker Hub access token of that account with read and write access" },
    Row { name: "GHCR_USER", env: None, secret: false, per_environment: false, build: true, deploy: Need::OnSwarm, when: gitlab_ghcr, or: None,
          purpose: "the GitHub user the token belongs to; the image is ghcr.io/<user>/<name> unless IMAGE_REPOSITORY names an organisation's repository" },
    Row { name: "GHCR_TOKEN", env: None, secret: true, per_environment: false, build: true, deploy: Need::OnSwarm, when: gitlab_ghcr, or: None,
          purpose: "a GitHub personal access token (classic) of that user with the write:packages scope" },
    Row { name: "DEPLOY_HOST", env: None, secret: false, per_environment: true, build: false, deploy: Need::OnSwarm, when: any, or: None,
          purpose: "user@host of the environment's swarm manager; the job deploys through DOCKER_HOST=ssh://<DEPLOY_HOST>" },
    Row { name: "DEPLOY_SSH_KEY", env: None, secret: true, per_environment: true, build: false, deploy: Need::OnSwarm, when: any, or: None,
          purpose: "the private SSH key (no passphrase) of that user, who may run docker on the manager" },
    Row { name: "DEPLOY_KNOWN_HOSTS", env: None, secret: false, per_environment: true, build: false, deploy: Need::OnSwarm, when: any, or: None,
          purpose: "the manager's host key line (ssh-keyscan -t ed25519 <host>, checked out of band), so the job never trusts an unknown host" },
    Row { name: "KUBECONFIG", env: Some("KUBECONFIG_DATA"), secret: true, per_environment: true, build: false, deploy: Need::OnKubernetes, when: github, or: None,
          purpose: "the text of a kubeconfig whose current context may deploy to the environment's namespace" },
    Row { name: "KUBE_CONTEXT", env: None, secret: false, per_environment: true, build: false, deploy: Need::OnKubernetes, when: gitlab, or: Some("KUBECONFIG"),
          purpose: "the GitLab agent for Kubernetes context (path/to/agent-project:agent-name), or instead a KUBECONFIG file variable" },
];

/// A variable or secret this project's pipeline reads from the CI system's settings.
#[derive(Clone, Debug, Serialize)]
pub struct CiSetting {
    pub name: &'static str,
    /// The variable the job's scripts read.
    pub env: &'static str,
    pub secret: bool,
    /// GitHub's expression context for it: `secrets` or `vars`.
    pub github_source: &'static str,
    pub per_environment: bool,
    pub build: bool,
    pub deploy: bool,
    /// With both deploy targets: the target (DEPLOY_TARGET) that needs it, if only one does.
    pub only_target: Option<&'static str>,
    pub or: Option<&'static str>,
    pub purpose: &'static str,
    /// Where to set it, in the CI system's words (plain text, for comments and messages).
    pub place: String,
}

/// The settings this project's pipeline reads.
pub fn settings(spec: &ProjectSpec) -> Vec<CiSetting> {
    let target = spec.deploy_target;
    SETTINGS
        .iter()
        .filter(|row| (row.when)(spec))
        .filter_map(|row| {
            let (deploy, only_target) = match row.deploy {
                Need::OnSwarm => (target.swarm(), target.kubernetes().then_some("swarm")),
                Need::OnKubernetes => (target.kubernetes(), target.swarm().then_some("kubernetes")),
            };
            (row.build || deploy).then(|| CiSetting {
                name: row.name,
                env: row.env.unwrap_or(row.name),
                secret: row.secret,
                github_source: if row.secret { "secrets" } else { "vars" },
                per_environment: row.per_environment,
                build: row.build,
                deploy,
                only_target: if deploy && !row.build {
                    only_target
                } else {
                    None
                },
                or: row.or,
                purpose: row.purpose,
                place: place(spec.ci, row),
            })
        })
        .collect()
}

fn place(ci: Ci, row: &Row) -> String {
    let scope = if row.per_environment {
        " of each environment, staging and production"
    } else {
        ""
    };
    match (ci, row.secret) {
        (Ci::GithubActions, true) => format!(
            "a secret{scope} (Settings > Secrets and variables > Actions{})",
            if row.per_environment {
                ", or Settings > Environments"
            } else {
                ""
            }
        ),
        (Ci::GithubActions, false) => format!(
            "a variable{scope} (Settings > Secrets and variables > Actions > Variables{})",
            if row.per_environment {
                ", or Settings > Environments"
            } else {
                ""
            }
        ),
        (Ci::GitlabCi, true) => format!(
            "a masked, protected CI/CD variable{} (Settings > CI/CD > Variables)",
            if row.per_environment {
                " scoped to each environment"
            } else {
                ""
            }
        ),
        (Ci::GitlabCi, false) => format!(
            "a CI/CD variable{} (Settings > CI/CD > Variables)",
            if row.per_environment {
                " scoped to each environment"
            } else {
                ""
            }
        ),
    }
}

/// Shell that names every missing setting `needed` selects, then fails. POSIX sh: GitLab's
/// docker image runs it before bash is installed.
pub fn check_script(
    settings: &[CiSetting],
    needed: fn(&CiSetting) -> bool,
    spec: &ProjectSpec,
) -> String {
    let annotate = if spec.ci == Ci::GithubActions {
        "::error::"
    } else {
        ""
    };
    let mut lines = vec!["missing=0".to_string()];
    for s in settings.iter().filter(|s| needed(s)) {
        let mut test = match s.or {
            Some(other) => format!("[ -z \"${{{}:-}}${{{other}:-}}\" ]", s.env),
            None => format!("[ -z \"${{{}:-}}\" ]", s.env),
        };
        if let Some(target) = s.only_target {
            test = format!("[ \"${{DEPLOY_TARGET:-kubernetes}}\" = {target} ] && {test}");
        }
        let what = match s.or {
            Some(other) => format!("Neither {} nor {other} is set", s.name),
            None => format!("{} is not set", s.name),
        };
        let message = format!("{what}: {}. Set it as {}.", s.purpose, s.place);
        lines.push(format!("if {test}; then"));
        // One echo per line of text keeps the pipeline file within yamllint's line length.
        for (i, part) in wrap(&message, 84).iter().enumerate() {
            let prefix = if i == 0 { annotate } else { "  " };
            lines.push(format!("  echo \"{prefix}{}\"", sh_double_quoted(part)));
        }
        lines.push("  missing=1".into());
        lines.push("fi".into());
    }
    lines.push("if [ \"$missing\" -ne 0 ]; then exit 1; fi".into());
    lines.join("\n")
}

/// `text` safe inside a shell double-quoted string.
fn sh_double_quoted(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if matches!(c, '\\' | '"' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Shell a deploy job runs before `scripts/deploy.sh`: for Swarm, SSH to the manager (key and
/// pinned host key) and a registry login that `--with-registry-auth` forwards to the nodes;
/// for Kubernetes, the environment's kubeconfig.
pub fn deploy_prepare(spec: &ProjectSpec) -> String {
    let (user, token) = match (spec.ci, spec.registry) {
        (Ci::GithubActions, _) => ("REGISTRY_USER", "REGISTRY_TOKEN"),
        (Ci::GitlabCi, Registry::Ghcr) => ("GHCR_USER", "GHCR_TOKEN"),
        (Ci::GitlabCi, Registry::DockerHub) => ("DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN"),
    };
    let server = match spec.registry {
        Registry::Ghcr => " ghcr.io",
        Registry::DockerHub => "",
    };
    let swarm = [
        "# SSH to the environment's swarm manager: the deploy key, and its host key pinned.".to_string(),
        "mkdir -p \"$HOME/.ssh\" && chmod 700 \"$HOME/.ssh\"".into(),
        "printf '%s\\n' \"$DEPLOY_SSH_KEY\" > \"$HOME/.ssh/deploy_key\" && chmod 600 \"$HOME/.ssh/deploy_key\"".into(),
        "printf '%s\\n' \"$DEPLOY_KNOWN_HOSTS\" >> \"$HOME/.ssh/known_hosts\"".into(),
        "printf 'Host *\\n  IdentityFile %s\\n  IdentitiesOnly yes\\n' \"$HOME/.ssh/deploy_key\" >> \"$HOME/.ssh/config\"".into(),
        "export DOCKER_HOST=\"ssh://${DEPLOY_HOST}\"".into(),
        "# The nodes pull the private image with this login (deploy.sh passes --with-registry-auth).".into(),
        format!("printf '%s' \"${token}\" | docker login --username \"${user}\" --password-stdin{server}"),
    ];
    let kubernetes: Vec<String> = match spec.ci {
        Ci::GithubActions => vec![
            "# The environment's kubeconfig, readable by this job only.".into(),
            "export KUBECONFIG=\"$RUNNER_TEMP/kubeconfig\"".into(),
            "(umask 077 && printf '%s' \"$KUBECONFIG_DATA\" > \"$KUBECONFIG\")".into(),
        ],
        Ci::GitlabCi => vec![
            "# The GitLab agent's context, unless a KUBECONFIG file variable is set instead.".into(),
            "if [ -n \"${KUBE_CONTEXT:-}\" ]; then kubectl config use-context \"$KUBE_CONTEXT\"; fi".into(),
        ],
    };
    let target = spec.deploy_target;
    let lines: Vec<String> = match (target.swarm(), target.kubernetes()) {
        (true, true) => {
            std::iter::once("if [ \"${DEPLOY_TARGET:-kubernetes}\" = swarm ]; then".to_string())
                .chain(swarm.iter().map(|l| format!("  {l}")))
                .chain(std::iter::once("else".to_string()))
                .chain(kubernetes.iter().map(|l| format!("  {l}")))
                .chain(std::iter::once("fi".to_string()))
                .collect()
        }
        (true, false) => swarm.to_vec(),
        (false, _) => kubernetes,
    };
    lines.join("\n")
}

/// Shell that starts the image CI just built ($IMAGE) as production would, with its own CMD
/// and HEALTHCHECK, and fails unless Docker reports it healthy: Dockerfile-only faults stop
/// here instead of in staging. The backing services' URLs point nowhere: liveness does not
/// need them.
pub fn image_check(spec: &ProjectSpec) -> String {
    let mut env = vec![
        "--env APP_ENV=test".to_string(),
        format!("--env PORT={}", spec.port),
    ];
    // The names the app reads: ours for a new service, the user's for an existing one.
    let (database, redis) = super::existing::service_vars(spec);
    if spec.services.postgres {
        env.push(format!(
            "--env {database}=postgres://app:unused@127.0.0.1:5432/app"
        ));
    }
    if spec.services.redis {
        env.push(format!("--env {redis}=redis://127.0.0.1:6379/0"));
    }
    let mut lines = vec!["container=\"$(docker run --detach \\".to_string()];
    lines.extend(env.iter().map(|e| format!("  {e} \\")));
    lines.push("  \"$IMAGE\")\"".into());
    lines.extend([
        "status=starting".to_string(),
        "# The first health check runs one interval (30 s) after the start.".into(),
        "for _ in $(seq 1 60); do".into(),
        "  status=\"$(docker inspect --format '{{.State.Health.Status}}' \"$container\")\"".into(),
        "  if [ \"$status\" != starting ]; then break; fi".into(),
        "  sleep 2".into(),
        "done".into(),
        "if [ \"$status\" != healthy ]; then".into(),
        "  docker logs \"$container\"".into(),
        "  docker rm --force \"$container\" >/dev/null".into(),
        "  echo \"The image did not pass its health check (status: $status): nothing was pushed.\" >&2".into(),
        "  exit 1".into(),
        "fi".into(),
        "docker rm --force \"$container\" >/dev/null".into(),
        "echo \"The image started and passed its health check\"".into(),
    ]);
    lines.join("\n")
}

/// The settings as a comment block for the pipeline file's header, wrapped for yamllint.
pub fn settings_comment(settings: &[CiSetting]) -> String {
    let mut lines = Vec::new();
    for s in settings {
        let text = format!("{}: {}. {}.", s.name, s.purpose, capitalised(&s.place));
        lines.extend(wrap(&text, 92).into_iter().enumerate().map(|(i, l)| {
            let indent = if i == 0 { "#   " } else { "#     " };
            format!("{indent}{l}")
        }));
    }
    lines.join("\n")
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `text` in lines of at most `width` characters, broken between words.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
