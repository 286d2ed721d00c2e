//! The first real deploy works: generated projects' `scripts/deploy.sh`, the CI deploy steps and
//! the README's first-deploy and rollback commands run against stand-in `docker`, `kubectl`,
//! `ssh` and `git` executables first on `PATH`. Each stand-in records its arguments, the
//! environment a deploy depends on and what it was given on stdin, and answers from `STANDIN_*`
//! variables, so a test can make the release step, a health check or a push fail.
//!
//! Every script runs twice where it matters: with the machine's `PATH`, and with a `PATH` of a
//! few named tools (no GNU `timeout`, no coreutils beyond what macOS also has), as on a Mac.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tfstudio::core::spec::{Ci, DeployTarget, Processes, ProjectSpec, Registry, Services, Stack};

const DIGEST: &str = "sha256:4f1c0a9e6b3d2c1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f";
const SHA: &str = "0123456789abcdef0123456789abcdef01234567";
const REPOSITORY: &str = "registry.example.com/acme/billing-api";

/// The stand-in: one bash script installed under each tool's name. It uses bash builtins only,
/// so it also runs on the minimal `PATH`.
const STANDIN: &str = r#"#!/usr/bin/env bash
name="${0##*/}"
stdin=""
for a in "$@"; do
  case "$a" in
    --password-stdin | -) IFS= read -r -d '' stdin || true ;;
  esac
done
{
  printf 'CALL\t%s' "$name"
  printf '\t%s' "$@"
  printf '\n'
  for v in DOCKER_HOST IMAGE APP_ENV KUBECONFIG IMAGE_REPOSITORY DEPLOY_EXECUTE CI; do
    if [ -n "${!v+x}" ]; then printf 'ENV\t%s=%s\n' "$v" "${!v}"; fi
  done
  if [ -n "$stdin" ]; then printf 'STDIN\t%s\n' "${stdin//$'\n'/\\n}"; fi
  if [ "$name $1 $2" = "kubectl apply -k" ]; then
    content="$(<"$3/kustomization.yaml")"
    printf 'FILE\t%s\n' "${content//$'\n'/\\n}"
  fi
} >>"$STANDIN_LOG"
case "$name $*" in
  "${STANDIN_FAIL:-never}"*) echo "$name: failing as scripted" >&2; exit 1 ;;
  "docker stack ls"*) [ -z "${STANDIN_STACKS:-}" ] || printf '%s\n' "$STANDIN_STACKS" ;;
  "docker network inspect"*) [ -n "${STANDIN_NETWORK:-}" ] || exit 1 ;;
  "docker service inspect"*) exit 1 ;;
  "docker service create"*) echo "svc0release" ;;
  "docker service ps"*) echo "task0release" ;;
  "docker service logs"*) echo "migrate: relation already exists" ;;
  "docker inspect"*Status.State*) echo "${STANDIN_RELEASE:-complete}" ;;
  "docker inspect"*Status.Err*) echo "task: non-zero exit (1)" ;;
  "docker inspect"*State.Health.Status*) echo "${STANDIN_HEALTH:-healthy}" ;;
  "docker run"*) echo "c0ffee" ;;
  "docker buildx imagetools inspect"*) printf 'Name:      %s\nMediaType: application/vnd.oci.image.index.v1+json\nDigest:    %s\n' "$4" "${STANDIN_DIGEST:-}" ;;
  "git rev-parse HEAD") echo "${STANDIN_SHA:-}" ;;
  "kubectl "*" get job "*) printf '%s' "${STANDIN_JOB:-Complete}" ;;
esac
exit 0
"#;

/// The tools a generated script may use beyond bash's builtins and the stand-ins, all of which
/// macOS has too. GNU `timeout` is deliberately absent.
const MINIMAL_TOOLS: &[&str] = &[
    "bash", "sh", "awk", "env", "mkdir", "rm", "cat", "sleep", "seq", "chmod", "python3",
];

/// One recorded call of a stand-in.
#[derive(Clone, Debug, Default)]
pub struct Call {
    pub program: String,
    pub args: Vec<String>,
    pub env: BTreeMap<String, String>,
    pub stdin: Option<String>,
    /// For `kubectl apply -k DIR`: DIR/kustomization.yaml.
    pub file: Option<String>,
}

impl Call {
    fn line(&self) -> String {
        format!("{} {}", self.program, self.args.join(" "))
    }

    fn starts(&self, words: &str) -> bool {
        self.line().starts_with(words)
    }

    /// The value after `flag`, for each time it appears.
    fn values(&self, flag: &str) -> Vec<&str> {
        self.args
            .windows(2)
            .filter(|w| w[0] == flag)
            .map(|w| w[1].as_str())
            .collect()
    }
}

#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub calls: Vec<Call>,
}

impl Outcome {
    fn find(&self, words: &str) -> Option<&Call> {
        self.calls.iter().find(|c| c.starts(words))
    }

    fn position(&self, words: &str) -> Option<usize> {
        self.calls.iter().position(|c| c.starts(words))
    }

    fn context(&self) -> String {
        let calls: Vec<String> = self.calls.iter().map(Call::line).collect();
        format!(
            "exit {}\nstdout:\n{}\nstderr:\n{}\ncalls:\n{}",
            self.code,
            self.stdout,
            self.stderr,
            calls.join("\n")
        )
    }
}

/// Which `PATH` a script runs with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tools {
    /// The machine's own `PATH` behind the stand-ins.
    Full,
    /// The stand-ins and [`MINIMAL_TOOLS`] only.
    Minimal,
}

/// A generated project in a scratch folder, with its stand-ins.
pub struct Sandbox {
    pub root: PathBuf,
    pub project: PathBuf,
    pub spec: ProjectSpec,
}

fn scratch(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tfstudio-deploy-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn install_tools(root: &Path) {
    let standins = root.join("standins");
    std::fs::create_dir_all(&standins).unwrap();
    for tool in ["docker", "kubectl", "ssh", "ssh-keyscan", "git"] {
        let path = standins.join(tool);
        std::fs::write(&path, STANDIN).unwrap();
        make_executable(&path);
    }
    let minimal = root.join("minimal");
    std::fs::create_dir_all(&minimal).unwrap();
    let system_path = std::env::var("PATH").unwrap_or_default();
    for tool in MINIMAL_TOOLS {
        let found = std::env::split_paths(&system_path)
            .map(|d| d.join(tool))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("{tool} is not installed"));
        std::os::unix::fs::symlink(real_program(&found), minimal.join(tool)).unwrap();
    }
    std::fs::create_dir_all(root.join("home")).unwrap();
}

/// The program itself, not a version manager's shim script that needs more tools.
fn real_program(found: &Path) -> PathBuf {
    if found.ends_with("python3") {
        let out = Command::new(found)
            .args(["-c", "import sys; print(sys.executable)"])
            .output()
            .unwrap();
        return PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    }
    found.to_path_buf()
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

impl Sandbox {
    /// Generates the project with the CLI, as a user would.
    pub fn new(label: &str, spec: ProjectSpec) -> Sandbox {
        let root = scratch(label);
        let spec_path = root.join("spec.json");
        std::fs::write(&spec_path, serde_json::to_string(&spec).unwrap()).unwrap();
        let out = root.join("out");
        let args: Vec<String> = [
            "generate",
            "--spec",
            spec_path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let code = tfstudio::cli::run(&args, &mut stdout, &mut stderr);
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr));
        install_tools(&root);
        Sandbox {
            project: out.join(&spec.name),
            root,
            spec,
        }
    }

    pub fn text(&self, path: &str) -> String {
        std::fs::read_to_string(self.project.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn path_for(&self, tools: Tools) -> String {
        let standins = self.root.join("standins");
        match tools {
            Tools::Full => format!(
                "{}:{}",
                standins.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
            Tools::Minimal => format!(
                "{}:{}",
                standins.display(),
                self.root.join("minimal").display()
            ),
        }
    }

    /// Runs `script` (a bash program's text) in the project folder with only `env` set beside
    /// PATH, HOME and the stand-ins' log: nothing leaks in from the machine running the tests.
    pub fn bash(&self, script: &str, env: &[(&str, &str)], tools: Tools) -> Outcome {
        let log = self.root.join("calls.log");
        let _ = std::fs::remove_file(&log);
        std::fs::write(&log, "").unwrap();
        let output = Command::new(self.root.join("minimal/bash"))
            .arg("-c")
            .arg(script)
            .current_dir(&self.project)
            .env_clear()
            .env("PATH", self.path_for(tools))
            .env("HOME", self.root.join("home"))
            .env("STANDIN_LOG", &log)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        Outcome {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into(),
            stderr: String::from_utf8_lossy(&output.stderr).into(),
            calls: parse_log(&std::fs::read_to_string(&log).unwrap()),
        }
    }

    /// `scripts/deploy.sh ARGS` for real (DEPLOY_EXECUTE=1) with the repository set.
    pub fn deploy(&self, args: &str, env: &[(&str, &str)], tools: Tools) -> Outcome {
        let mut all = vec![
            ("DEPLOY_EXECUTE", "1"),
            ("IMAGE_REPOSITORY", REPOSITORY),
            // A stand-in that never reports an end fails the test in seconds, not minutes.
            ("RELEASE_TIMEOUT", "20"),
        ];
        all.extend_from_slice(env);
        self.bash(&format!("scripts/deploy.sh {args}"), &all, tools)
    }
}

fn parse_log(log: &str) -> Vec<Call> {
    let mut calls: Vec<Call> = Vec::new();
    for line in log.lines() {
        let mut fields = line.split('\t');
        let kind = fields.next().unwrap_or_default();
        let rest: Vec<String> = fields.map(str::to_string).collect();
        match kind {
            "CALL" => calls.push(Call {
                program: rest[0].clone(),
                args: rest[1..].to_vec(),
                ..Call::default()
            }),
            "ENV" => {
                let (k, v) = rest[0].split_once('=').unwrap();
                let call = calls.last_mut().unwrap();
                call.env.insert(k.into(), v.into());
            }
            "STDIN" => calls.last_mut().unwrap().stdin = Some(rest.join("\t")),
            "FILE" => calls.last_mut().unwrap().file = Some(rest.join("\t").replace("\\n", "\n")),
            other => panic!("unexpected log line kind {other:?} in {line:?}"),
        }
    }
    calls
}

/// Everything on: every process type, both backing services, the release phase.
fn full_spec(stack: Stack, deploy_target: DeployTarget, ci: Ci, registry: Registry) -> ProjectSpec {
    ProjectSpec {
        name: "billing-api".into(),
        stack,
        processes: Processes {
            worker: true,
            scheduler: true,
            release: true,
        },
        services: Services {
            postgres: true,
            redis: true,
        },
        ci,
        registry,
        deploy_target,
        ..ProjectSpec::default()
    }
}

/// The image's command for the web process (the Dockerfile's exec-form CMD).
fn image_command(sandbox: &Sandbox) -> Vec<String> {
    let dockerfile = sandbox.text("Dockerfile");
    let cmd = dockerfile
        .lines()
        .find_map(|l| l.strip_prefix("CMD "))
        .expect("a CMD");
    serde_json::from_str(cmd).expect("exec-form CMD")
}

/// The secret names the Swarm stack mounts (its top-level `secrets:`).
fn stack_secrets(prod: &str) -> Vec<String> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(prod).unwrap();
    yaml.get("secrets")
        .and_then(|s| s.as_mapping())
        .map(|m| m.keys().map(|k| k.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn swarm_release_runs_as_a_one_off_with_the_stacks_secrets_and_network_before_the_update() {
    for stack in Stack::ALL {
        let sandbox = Sandbox::new(
            &format!("release-{}", stack.id()),
            full_spec(
                stack,
                DeployTarget::Swarm,
                Ci::GithubActions,
                Registry::Ghcr,
            ),
        );
        let prod = sandbox.text("docker-compose.prod.yml");
        let out = sandbox.deploy(&format!("staging {DIGEST}"), &[], Tools::Full);
        let ctx = format!("{}: {}", stack.id(), out.context());
        assert_eq!(out.code, 0, "{ctx}");
        let image = format!("{REPOSITORY}@{DIGEST}");

        let create = out.find("docker service create").expect(&ctx);
        assert_eq!(create.values("--mode"), ["replicated-job"], "{ctx}");
        assert_eq!(create.values("--restart-condition"), ["none"], "{ctx}");
        assert!(
            create.args.iter().any(|a| a == "--with-registry-auth"),
            "{ctx}"
        );
        // The stack's own network, which the stack file declares attachable.
        assert_eq!(
            create.values("--network"),
            ["billing-api-staging_app"],
            "{ctx}"
        );
        let yaml: serde_yaml::Value = serde_yaml::from_str(&prod).unwrap();
        assert_eq!(
            yaml["networks"]["app"]["attachable"],
            serde_yaml::Value::Bool(true),
            "{}: the stack's network is not attachable",
            stack.id()
        );
        // Exactly the stack's secrets, each with the *_FILE variable the app reads.
        let secrets = stack_secrets(&prod);
        assert_eq!(secrets, ["database_url", "redis_url"], "{ctx}");
        assert_eq!(create.values("--secret"), secrets, "{ctx}");
        for s in &secrets {
            let file_var = format!("{}_FILE=/run/secrets/{s}", s.to_uppercase());
            assert!(create.values("--env").contains(&file_var.as_str()), "{ctx}");
        }
        assert!(create.values("--env").contains(&"APP_ENV=staging"), "{ctx}");
        // The new image's own migrate command.
        let mut migrate = image_command(&sandbox);
        migrate.push("migrate".into());
        let at = create.args.iter().position(|a| *a == image).expect(&ctx);
        assert_eq!(create.args[at + 1..], migrate[..], "{ctx}");

        // Release first, then the update; the one-off is removed once it completed.
        let released = out.position("docker service create").unwrap();
        let removed = out
            .position("docker service rm billing-api-staging_release")
            .expect(&ctx);
        let updated = out.position("docker stack deploy").expect(&ctx);
        assert!(released < removed && removed < updated, "{ctx}");
        let deploy = &out.calls[updated];
        assert_eq!(deploy.env.get("IMAGE"), Some(&image), "{ctx}");
        assert_eq!(
            deploy.env.get("APP_ENV").map(String::as_str),
            Some("staging")
        );
        assert!(
            deploy.args.iter().any(|a| a == "--with-registry-auth"),
            "{ctx}"
        );
        assert_eq!(deploy.args.last().unwrap(), "billing-api-staging", "{ctx}");
        // First deploy: the network is created with the stack's label, so the stack adopts it.
        let network = out.find("docker network create").expect(&ctx);
        assert!(network.args.contains(&"--attachable".to_string()), "{ctx}");
        assert!(network
            .args
            .contains(&"com.docker.stack.namespace=billing-api-staging".to_string()));
    }
}

#[test]
fn a_failing_release_fails_the_deploy_and_changes_nothing() {
    for stack in [Stack::Node, Stack::Go, Stack::Ruby] {
        let swarm = Sandbox::new(
            &format!("fail-swarm-{}", stack.id()),
            full_spec(
                stack,
                DeployTarget::Swarm,
                Ci::GitlabCi,
                Registry::DockerHub,
            ),
        );
        for state in ["failed", "rejected"] {
            let out = swarm.deploy(
                &format!("production {DIGEST}"),
                &[("STANDIN_RELEASE", state), ("STANDIN_NETWORK", "1")],
                Tools::Minimal,
            );
            let ctx = out.context();
            assert_ne!(out.code, 0, "{ctx}");
            assert!(out.stderr.contains("release step"), "{ctx}");
            assert!(out.stderr.contains("non-zero exit (1)"), "{ctx}");
            assert!(out.find("docker stack deploy").is_none(), "{ctx}");
            assert!(out.find("docker service logs").is_some(), "{ctx}");
            assert!(
                out.find("docker service rm").is_some(),
                "the one-off stays: {ctx}"
            );
            assert!(out.find("docker network create").is_none(), "{ctx}");
        }

        let kube = Sandbox::new(
            &format!("fail-kube-{}", stack.id()),
            full_spec(
                stack,
                DeployTarget::Kubernetes,
                Ci::GithubActions,
                Registry::Ghcr,
            ),
        );
        let out = kube.deploy(
            &format!("production {DIGEST}"),
            &[("STANDIN_JOB", "FailureTarget Failed")],
            Tools::Minimal,
        );
        let ctx = out.context();
        assert_eq!(out.code, 1, "{ctx}");
        assert!(out.stderr.contains("release Job did not complete"), "{ctx}");
        let applies = out
            .calls
            .iter()
            .filter(|c| c.starts("kubectl apply"))
            .count();
        assert_eq!(
            applies, 1,
            "only the release Job and config were applied: {ctx}"
        );
        assert!(out
            .find("kubectl --namespace billing-api-production rollout")
            .is_none());

        let ok = kube.deploy(&format!("production {DIGEST}"), &[], Tools::Minimal);
        assert_eq!(ok.code, 0, "{}", ok.context());
        let rollouts = ok
            .calls
            .iter()
            .filter(|c| c.line().contains(" rollout status "))
            .count();
        assert_eq!(rollouts, 3, "{}", ok.context());
    }
}

#[test]
fn a_rollback_deploys_the_previous_tag_to_every_process_type() {
    for target in [DeployTarget::Swarm, DeployTarget::Kubernetes] {
        let sandbox = Sandbox::new(
            &format!("rollback-{}", target.id()),
            full_spec(Stack::Python, target, Ci::GithubActions, Registry::Ghcr),
        );
        let out = sandbox.deploy("production 1.4.1", &[], Tools::Minimal);
        let ctx = out.context();
        assert_eq!(out.code, 0, "{ctx}");
        let image = format!("{REPOSITORY}:1.4.1");
        if target.swarm() {
            let deploy = out.find("docker stack deploy").expect(&ctx);
            assert_eq!(deploy.env.get("IMAGE"), Some(&image), "{ctx}");
            // Every service of the stack takes its image from IMAGE.
            let prod = sandbox.text("docker-compose.prod.yml");
            let mut yaml: serde_yaml::Value = serde_yaml::from_str(&prod).unwrap();
            yaml.apply_merge().unwrap();
            let services = yaml["services"].as_mapping().unwrap();
            let names: Vec<&str> = services.keys().map(|k| k.as_str().unwrap()).collect();
            assert_eq!(names, ["web", "worker", "scheduler"]);
            for (name, service) in services {
                let image = service["image"].as_str().unwrap_or_default();
                assert!(image.starts_with("${IMAGE:?"), "{name:?}: {image}");
            }
        } else {
            let apply = out
                .calls
                .iter()
                .rfind(|c| c.starts("kubectl apply -k"))
                .expect(&ctx);
            let pinned = apply.file.as_deref().unwrap();
            assert!(
                pinned.contains(&format!("newName: {REPOSITORY}")),
                "{pinned}"
            );
            assert!(pinned.contains("newTag: \"1.4.1\""), "{pinned}");
            for process in ["web", "worker", "scheduler"] {
                assert!(
                    out.find(&format!(
                        "kubectl --namespace billing-api-production rollout status deployment/billing-api-{process}"
                    ))
                    .is_some(),
                    "{process}: {ctx}"
                );
            }
            // Each Deployment names the image the pin replaces.
            let deployments = sandbox.text("deploy/kubernetes/base/deployment.yaml");
            let pinned_name = pinned
                .lines()
                .find_map(|l| l.trim().strip_prefix("- name: "))
                .unwrap();
            let images: Vec<&str> = deployments
                .lines()
                .filter_map(|l| l.trim().strip_prefix("image: "))
                .collect();
            assert_eq!(images.len(), 3, "{deployments}");
            assert!(images.iter().all(|i| *i == pinned_name), "{images:?}");
        }
    }
}

#[test]
fn deploy_needs_the_repository_a_full_sha_and_says_so() {
    let sandbox = Sandbox::new(
        "inputs",
        full_spec(
            Stack::Rust,
            DeployTarget::Both,
            Ci::GitlabCi,
            Registry::Ghcr,
        ),
    );
    let out = sandbox.bash(
        &format!("scripts/deploy.sh staging {DIGEST}"),
        &[("DEPLOY_EXECUTE", "1")],
        Tools::Minimal,
    );
    assert_eq!(out.code, 2, "{}", out.context());
    assert!(
        out.stderr.contains("IMAGE_REPOSITORY is not set"),
        "{}",
        out.context()
    );
    assert!(out.calls.is_empty(), "{}", out.context());

    let short = sandbox.deploy("production sha-0123456", &[], Tools::Minimal);
    assert_eq!(short.code, 2, "{}", short.context());
    assert!(short.stderr.contains("full 40-character commit sha"));
    let full = sandbox.deploy(
        &format!("production sha-{SHA}"),
        &[("DEPLOY_TARGET", "swarm")],
        Tools::Minimal,
    );
    assert_eq!(full.code, 0, "{}", full.context());
    let deploy = full.find("docker stack deploy").unwrap();
    assert_eq!(
        deploy.env.get("IMAGE"),
        Some(&format!("{REPOSITORY}:sha-{SHA}"))
    );
    // Both targets generated: Kubernetes unless DEPLOY_TARGET says swarm.
    let kube = sandbox.deploy(&format!("staging {DIGEST}"), &[], Tools::Minimal);
    assert_eq!(kube.code, 0, "{}", kube.context());
    assert!(
        kube.calls.iter().all(|c| c.program == "kubectl"),
        "{}",
        kube.context()
    );
}

#[test]
fn without_deploy_execute_nothing_runs_and_nothing_reports_success() {
    let sandbox = Sandbox::new(
        "plan",
        full_spec(
            Stack::Java,
            DeployTarget::Swarm,
            Ci::GithubActions,
            Registry::Ghcr,
        ),
    );
    let base = [("IMAGE_REPOSITORY", REPOSITORY)];
    let plan = sandbox.bash(
        &format!("scripts/deploy.sh staging {DIGEST}"),
        &base,
        Tools::Full,
    );
    assert_eq!(plan.code, 3, "{}", plan.context());
    assert!(plan.calls.is_empty(), "{}", plan.context());
    assert!(plan.stdout.contains("would run: docker service create"));
    assert!(plan.stdout.contains("would run: env IMAGE="));
    assert!(plan.stderr.contains("Nothing was deployed"));

    let ci = sandbox.bash(
        &format!("scripts/deploy.sh staging {DIGEST}"),
        &[base[0], ("CI", "true")],
        Tools::Full,
    );
    assert_eq!(ci.code, 1, "{}", ci.context());
    assert!(
        ci.stderr.contains("DEPLOY_EXECUTE is not 1"),
        "{}",
        ci.context()
    );
    assert!(ci.stdout.is_empty() && ci.calls.is_empty());
}

#[test]
fn one_swarm_per_environment_is_checked() {
    let sandbox = Sandbox::new(
        "one-swarm",
        full_spec(
            Stack::Node,
            DeployTarget::Swarm,
            Ci::GithubActions,
            Registry::Ghcr,
        ),
    );
    let out = sandbox.deploy(
        &format!("production {DIGEST}"),
        &[("STANDIN_STACKS", "monitoring\nbilling-api-staging")],
        Tools::Minimal,
    );
    assert_eq!(out.code, 1, "{}", out.context());
    assert!(
        out.stderr.contains("need a swarm each"),
        "{}",
        out.context()
    );
    assert!(out.find("docker service create").is_none());
    // Its own stack (a redeploy) and other projects' stacks are fine.
    let again = sandbox.deploy(
        &format!("production {DIGEST}"),
        &[(
            "STANDIN_STACKS",
            "billing-api-production\nbilling-api-staging-old",
        )],
        Tools::Minimal,
    );
    assert_eq!(again.code, 0, "{}", again.context());
    let readme = sandbox.text("README.md");
    assert!(
        readme.contains("one swarm per environment"),
        "README does not say it"
    );
}

/// A web server for the smoke test: answers /health and /ready, and exits 0 on SIGTERM.
const TINY_SERVER: &str = r#"
import http.server, signal, sys, threading
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path in ("/health", "/ready") else 404)
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H)
signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=server.shutdown).start())
server.serve_forever()
"#;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn the_smoke_test_runs_without_gnu_timeout() {
    let sandbox = Sandbox::new(
        "smoke",
        full_spec(
            Stack::Node,
            DeployTarget::Swarm,
            Ci::GithubActions,
            Registry::Ghcr,
        ),
    );
    let script = sandbox.text("scripts/smoke-test.sh");
    assert!(
        !script
            .lines()
            .any(|l| l.trim_start().starts_with("timeout ") || l.contains("$(timeout")),
        "the smoke test calls timeout"
    );
    std::fs::write(sandbox.root.join("server.py"), TINY_SERVER).unwrap();
    let server = sandbox.root.join("server.py");
    for tools in [Tools::Full, Tools::Minimal] {
        let port = free_port().to_string();
        let out = sandbox.bash(
            &format!("scripts/smoke-test.sh python3 {} {port}", server.display()),
            &[("PORT", &port)],
            tools,
        );
        assert_eq!(out.code, 0, "{tools:?}: {}", out.context());
        assert!(
            out.stdout.contains("shut down cleanly"),
            "{}",
            out.context()
        );
    }
    // A server that accepts and never answers cannot hang it: each read gives up after 5 s.
    let port = free_port().to_string();
    let mute = format!(
        "import socket, time\ns = socket.socket()\ns.bind(('127.0.0.1', {port}))\ns.listen(5)\nconns = []\nwhile True:\n    conns.append(s.accept())\n"
    );
    std::fs::write(sandbox.root.join("mute.py"), mute).unwrap();
    let started = std::time::Instant::now();
    let out = sandbox.bash(
        &format!(
            "seq() {{ echo 1; }}; export -f seq; scripts/smoke-test.sh python3 {}",
            sandbox.root.join("mute.py").display()
        ),
        &[("PORT", &port)],
        Tools::Minimal,
    );
    assert_eq!(out.code, 1, "{}", out.context());
    assert!(
        out.stderr.contains("did not answer 200"),
        "{}",
        out.context()
    );
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}

// --- CI steps and the README, run as written ----------------------------------------------

/// A GitHub expression's value in the test's pretend run.
fn github_value(expr: &str) -> String {
    let expr = expr.trim();
    match expr {
        "needs.image.outputs.repository" | "needs.promote.outputs.repository" => REPOSITORY.into(),
        "needs.image.outputs.digest" | "needs.promote.outputs.digest" => DIGEST.into(),
        "github.actor" => "octocat".into(),
        "github.sha" => SHA.into(),
        "steps.repository.outputs.name" => REPOSITORY.into(),
        "secrets.GITHUB_TOKEN" => "ghs_pretend".into(),
        "vars.DEPLOY_TARGET" => String::new(),
        _ => {
            let name = expr.rsplit('.').next().unwrap();
            setting_value(name)
        }
    }
}

fn setting_value(name: &str) -> String {
    match name {
        "DEPLOY_HOST" => "deploy@manager.example.com".into(),
        _ => format!("value-of-{name}"),
    }
}

/// `text` with every `${{ expr }}` replaced by its pretend value.
fn resolve_github(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").unwrap() + start;
        out.push_str(&github_value(&rest[start + 3..end]));
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// A GitHub job's step by name prefix: its `run` script and its `env`, resolved.
fn github_step(
    workflow: &serde_yaml::Value,
    job: &str,
    name: &str,
) -> (String, Vec<(String, String)>) {
    let steps = workflow["jobs"][job]["steps"].as_sequence().unwrap();
    let step = steps
        .iter()
        .find(|s| s["name"].as_str().is_some_and(|n| n.starts_with(name)))
        .unwrap_or_else(|| panic!("{job} has no step {name}"));
    let env = step["env"]
        .as_mapping()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let value = v
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| serde_yaml::to_string(v).unwrap().trim().to_string());
                    (k.as_str().unwrap().to_string(), resolve_github(&value))
                })
                .collect()
        })
        .unwrap_or_default();
    (step["run"].as_str().unwrap().to_string(), env)
}

fn borrowed(env: &[(String, String)]) -> Vec<(&str, &str)> {
    env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[test]
fn github_deploy_jobs_log_in_reach_the_target_and_deploy_the_pushed_digest() {
    for (target, registry) in [
        (DeployTarget::Swarm, Registry::Ghcr),
        (DeployTarget::Swarm, Registry::DockerHub),
        (DeployTarget::Kubernetes, Registry::DockerHub),
    ] {
        let sandbox = Sandbox::new(
            &format!("gh-{}-{registry:?}", target.id()),
            full_spec(Stack::Go, target, Ci::GithubActions, registry),
        );
        let workflow: serde_yaml::Value =
            serde_yaml::from_str(&sandbox.text(".github/workflows/ci.yml")).unwrap();
        let runner_temp = sandbox.root.join("runner-temp");
        std::fs::create_dir_all(&runner_temp).unwrap();
        for (job, environment) in [
            ("deploy-staging", "staging"),
            ("deploy-production", "production"),
        ] {
            let (script, mut env) = github_step(&workflow, job, "Deploy ");
            env.push(("CI".into(), "true".into()));
            env.push(("RUNNER_TEMP".into(), runner_temp.display().to_string()));
            // GitHub runs `run:` with bash -e -o pipefail.
            let out = sandbox.bash(
                &format!("set -eo pipefail\n{script}"),
                &borrowed(&env),
                Tools::Minimal,
            );
            let ctx = format!("{job} {target:?} {registry:?}: {}", out.context());
            assert_eq!(out.code, 0, "{ctx}");
            if target.swarm() {
                let login = out.find("docker login").expect(&ctx);
                let token = if registry == Registry::Ghcr {
                    "ghs_pretend"
                } else {
                    "value-of-DOCKERHUB_TOKEN"
                };
                assert_eq!(login.stdin.as_deref(), Some(token), "{ctx}");
                let deploy = out.find("docker stack deploy").expect(&ctx);
                assert_eq!(
                    deploy.env.get("IMAGE"),
                    Some(&format!("{REPOSITORY}@{DIGEST}")),
                    "{ctx}"
                );
                assert!(
                    deploy.args.contains(&format!("billing-api-{environment}")),
                    "{ctx}"
                );
                for call in out.calls.iter().filter(|c| c.program == "docker") {
                    assert_eq!(
                        call.env.get("DOCKER_HOST").map(String::as_str),
                        Some("ssh://deploy@manager.example.com"),
                        "{ctx}"
                    );
                }
                let ssh = sandbox.root.join("home/.ssh");
                let key = std::fs::read_to_string(ssh.join("deploy_key")).unwrap();
                assert_eq!(key, "value-of-DEPLOY_SSH_KEY\n");
                let known = std::fs::read_to_string(ssh.join("known_hosts")).unwrap();
                assert!(known.contains("value-of-DEPLOY_KNOWN_HOSTS"));
            } else {
                let apply = out.find("kubectl apply").expect(&ctx);
                let kubeconfig = apply.env.get("KUBECONFIG").expect(&ctx);
                assert_eq!(
                    std::fs::read_to_string(kubeconfig).unwrap(),
                    "value-of-KUBECONFIG"
                );
                assert!(
                    apply
                        .file
                        .as_deref()
                        .unwrap()
                        .contains(&format!("digest: {DIGEST}")),
                    "{ctx}"
                );
            }
        }
        // The image job pushes only an image that started and passed its health check.
        let (script, env) = github_step(&workflow, "image", "Start the image");
        assert!(workflow["jobs"]["image"]["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .any(|s| {
                s["with"]["tags"].is_string()
                    && serde_yaml::to_string(&workflow["jobs"]["image"])
                        .unwrap()
                        .contains("type=sha,format=long")
            }));
        for (health, code) in [("healthy", 0), ("unhealthy", 1)] {
            let mut env = env.clone();
            env.push(("STANDIN_HEALTH".into(), health.into()));
            let out = sandbox.bash(
                &format!("set -eo pipefail\n{script}"),
                &borrowed(&env),
                Tools::Minimal,
            );
            assert_eq!(out.code, code, "{}", out.context());
            let run = out.find("docker run").expect("the image is started");
            assert!(
                *run.args.last().unwrap() == format!("{REPOSITORY}:sha-{SHA}"),
                "{}",
                out.context()
            );
            assert!(
                out.find("docker rm").is_some(),
                "the container is left behind"
            );
        }
    }
}

/// GitLab jobs run `before_script` then `script`, each entry in one shell.
fn gitlab_script(ci: &serde_yaml::Value, job: &str, keys: &[&str]) -> String {
    let mut lines = Vec::new();
    for key in keys {
        let value = ci[job][key]
            .as_sequence()
            .unwrap_or_else(|| panic!("{job}.{key}"));
        lines.extend(value.iter().map(|v| v.as_str().unwrap().to_string()));
    }
    lines.join("\n")
}

#[test]
fn gitlab_builds_checks_pushes_the_full_sha_and_deploys_that_digest() {
    for registry in [Registry::Ghcr, Registry::DockerHub] {
        let sandbox = Sandbox::new(
            &format!("gitlab-{registry:?}"),
            full_spec(Stack::Java, DeployTarget::Swarm, Ci::GitlabCi, registry),
        );
        let text = sandbox.text(".gitlab-ci.yml");
        assert!(!text.contains("your-org"), "hard-coded repository");
        let ci: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let (user, token) = match registry {
            Registry::Ghcr => ("GHCR_USER", "GHCR_TOKEN"),
            Registry::DockerHub => ("DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN"),
        };
        let repository = ci["variables"]["IMAGE_REPOSITORY"].as_str().unwrap();
        let settings = [
            (user, "acme"),
            (token, "pretend-token"),
            ("DEPLOY_HOST", "deploy@manager.example.com"),
            ("DEPLOY_SSH_KEY", "pretend-key"),
            ("DEPLOY_KNOWN_HOSTS", "manager ssh-ed25519 AAAA"),
            ("CI", "true"),
            ("CI_COMMIT_SHA", SHA),
            ("CI_COMMIT_REF_SLUG", "main"),
            ("STANDIN_DIGEST", DIGEST),
        ];
        let prelude = format!(
            "REGISTRY={}\nIMAGE_REPOSITORY=\"{repository}\"\nexport IMAGE_REPOSITORY\n",
            ci["variables"]["REGISTRY"].as_str().unwrap()
        );
        let build = format!(
            "{prelude}{}",
            gitlab_script(&ci, "build-image", &["before_script", "script"])
        );
        let out = sandbox.bash(&format!("set -e\n{build}"), &settings, Tools::Minimal);
        let ctx = format!("{registry:?}: {}", out.context());
        assert_eq!(out.code, 0, "{ctx}");
        let pushed = format!(
            "{}/acme/billing-api:sha-{SHA}",
            if registry == Registry::Ghcr {
                "ghcr.io"
            } else {
                "docker.io"
            }
        );
        let run = out.position("docker run").expect(&ctx);
        let push = out
            .calls
            .iter()
            .position(|c| c.line() == format!("docker push {pushed}"))
            .expect(&ctx);
        assert!(run < push, "pushed before the health check: {ctx}");
        let dotenv = std::fs::read_to_string(sandbox.project.join("image.env")).unwrap();
        assert_eq!(dotenv.trim(), format!("IMAGE_DIGEST={DIGEST}"));

        let mut unhealthy = settings.to_vec();
        unhealthy.push(("STANDIN_HEALTH", "unhealthy"));
        let bad = sandbox.bash(&format!("set -e\n{build}"), &unhealthy, Tools::Minimal);
        assert_ne!(bad.code, 0, "{}", bad.context());
        assert!(bad.find("docker push").is_none(), "{}", bad.context());

        let mut deploy_env = settings.to_vec();
        deploy_env.push(("IMAGE_DIGEST", DIGEST));
        deploy_env.push((
            "DEPLOY_EXECUTE",
            ci[".deploy"]["variables"]["DEPLOY_EXECUTE"]
                .as_str()
                .unwrap(),
        ));
        let check = ci[".deploy"]["before_script"][0].as_str().unwrap();
        let deploy = format!(
            "{prelude}{check}\n{}",
            gitlab_script(&ci, "deploy-staging", &["script"])
        );
        let out = sandbox.bash(&format!("set -e\n{deploy}"), &deploy_env, Tools::Minimal);
        let ctx = format!("{registry:?}: {}", out.context());
        assert_eq!(out.code, 0, "{ctx}");
        let login = out.find("docker login").expect(&ctx);
        assert_eq!(login.stdin.as_deref(), Some("pretend-token"), "{ctx}");
        let stack = out.find("docker stack deploy").expect(&ctx);
        let image = format!("{}@{DIGEST}", pushed.rsplit_once(':').unwrap().0);
        assert_eq!(stack.env.get("IMAGE"), Some(&image), "{ctx}");
        assert_eq!(
            stack.env.get("DOCKER_HOST").map(String::as_str),
            Some("ssh://deploy@manager.example.com")
        );
    }
}

#[test]
fn each_missing_ci_setting_fails_its_job_early_naming_it() {
    use tfstudio::core::answers::Answers;
    use tfstudio::core::generate::model::Model;
    for ci in [Ci::GithubActions, Ci::GitlabCi] {
        for registry in [Registry::Ghcr, Registry::DockerHub] {
            for target in DeployTarget::ALL {
                let spec = full_spec(Stack::Node, target, ci, registry);
                let model = Model::new(&spec, &Answers::default());
                let sandbox = Sandbox::new(
                    &format!("settings-{ci:?}-{registry:?}-{}", target.id()),
                    spec,
                );
                let readme = sandbox.text("README.md");
                let header = sandbox.text(if ci == Ci::GithubActions {
                    ".github/workflows/ci.yml"
                } else {
                    ".gitlab-ci.yml"
                });
                for (check, needed) in [
                    (
                        &model.delivery.ci_build_check,
                        &model.delivery.ci_build_settings,
                    ),
                    (
                        &model.delivery.ci_deploy_check,
                        &model.delivery.ci_deploy_settings,
                    ),
                ] {
                    let all: Vec<(String, String)> = needed
                        .iter()
                        .map(|s| (s.env.to_string(), setting_value(s.name)))
                        .collect();
                    let script = std::fs::write(sandbox.root.join("check.sh"), check.as_str());
                    script.unwrap();
                    let run = |env: &[(String, String)], deploy_target: &str| {
                        let mut env = borrowed(env);
                        env.push(("DEPLOY_TARGET", deploy_target));
                        // POSIX sh: GitLab's docker image runs it before bash is installed.
                        sandbox.bash(
                            &format!("sh {}", sandbox.root.join("check.sh").display()),
                            &env,
                            Tools::Minimal,
                        )
                    };
                    assert_eq!(run(&all, "").code, 0);
                    for s in needed.iter() {
                        assert!(
                            readme.contains(&format!("| `{}` |", s.name)),
                            "README lacks {}",
                            s.name
                        );
                        assert!(
                            header.contains(&format!("#   {}: ", s.name)),
                            "header lacks {}",
                            s.name
                        );
                        let without: Vec<(String, String)> =
                            all.iter().filter(|(k, _)| k != s.env).cloned().collect();
                        let out = run(&without, s.only_target.unwrap_or(""));
                        assert_eq!(
                            out.code,
                            1,
                            "{ci:?} {target:?}: {} {}",
                            s.name,
                            out.context()
                        );
                        assert!(out.stdout.contains(s.name), "{}", out.context());
                    }
                }
            }
        }
    }
}

/// The fenced `sh` blocks between two headings of the README.
fn readme_blocks(readme: &str, from: &str, to: &str) -> Vec<String> {
    let start = readme
        .find(from)
        .unwrap_or_else(|| panic!("README has no {from}"));
    let end = readme[start..].find(to).map_or(readme.len(), |e| start + e);
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in readme[start..end].lines() {
        let trimmed = line.trim();
        match (&mut current, trimmed) {
            (None, "```sh") => current = Some(Vec::new()),
            (Some(_), "```") => blocks.push(current.take().unwrap().join("\n")),
            (Some(lines), _) => lines.push(trimmed.to_string()),
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn the_readme_first_deploy_and_rollback_work_command_by_command() {
    for target in DeployTarget::ALL {
        let sandbox = Sandbox::new(
            &format!("readme-{}", target.id()),
            full_spec(Stack::Ruby, target, Ci::GithubActions, Registry::Ghcr),
        );
        let readme = sandbox.text("README.md");
        let env = [
            ("DATABASE_URL", "postgres://app:secret@db.internal:5432/app"),
            ("REDIS_URL", "rediss://cache.internal:6380/0"),
            ("STANDIN_SHA", SHA),
        ];
        let mut images = Vec::new();
        for (from, to) in [
            ("### First deploy", "## Roll back"),
            ("## Roll back", "For the last update only"),
        ] {
            for block in readme_blocks(&readme, from, to) {
                let out = sandbox.bash(&format!("set -e\n{block}"), &env, Tools::Minimal);
                let ctx = format!("{target:?}:\n{block}\n{}", out.context());
                assert_eq!(out.code, 0, "{ctx}");
                for secret in ["database_url", "redis_url"] {
                    if let Some(create) = out.find(&format!("docker secret create {secret}")) {
                        assert_eq!(
                            create.stdin.as_deref(),
                            env.iter()
                                .find(|(k, _)| k.eq_ignore_ascii_case(secret))
                                .map(|(_, v)| *v)
                        );
                    }
                }
                if let Some(deploy) = out.find("docker stack deploy") {
                    images.push(deploy.env["IMAGE"].clone());
                }
                if let Some(apply) = out.calls.iter().rfind(|c| c.starts("kubectl apply -k")) {
                    images.push(apply.file.clone().unwrap());
                }
            }
        }
        assert_eq!(
            images.len(),
            2,
            "{target:?}: one deploy and one rollback: {images:?}"
        );
        assert!(images[0].contains(&format!("sha-{SHA}")), "{images:?}");
        assert!(images[1].contains("1.4.1"), "{images:?}");
        if target.swarm() {
            assert!(readme.contains("docker secret create database_url"));
        }
    }
}
