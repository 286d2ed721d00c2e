//! The scaffold generator: every combination renders, agrees with itself, survives hostile
//! input, zips deterministically, and matches the stored expected output per stack.
//!
//! Refresh the expected files with `UPDATE_EXPECT=1 cargo test --test generate`. Real linters
//! (hadolint, compose, actionlint, ...) run over every combination in `tests/lint/run.sh`.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use tfstudio::core::answers::{load_document, Answer, Answers};
use tfstudio::core::archive::zip_project;
use tfstudio::core::content::{self, FileId};
use tfstudio::core::generate::{self, check_consistency, paths_for, GenerateError, Project};
use tfstudio::core::presets::PRESETS;
use tfstudio::core::spec::{
    Ci, DeployTarget, Existing, Mode, Processes, ProjectSpec, Registry, Services, Stack, Variable,
};

/// Process and service choices that pass validation, from none to everything.
fn combos() -> Vec<(Processes, Services)> {
    let p = |worker, scheduler, release| Processes {
        worker,
        scheduler,
        release,
    };
    let s = |postgres, redis| Services { postgres, redis };
    vec![
        (p(false, false, false), s(false, false)),
        (p(false, false, true), s(true, false)),
        (p(true, false, false), s(false, true)),
        (p(false, true, false), s(false, false)),
        (p(true, true, true), s(true, true)),
    ]
}

/// Every stack, version, CI, registry and process/service choice. The deploy target cycles with
/// the combination (pairwise, not the full product): each target meets every stack, CI,
/// registry and choice of processes and services.
fn matrix() -> Vec<ProjectSpec> {
    let mut specs = Vec::new();
    for stack in Stack::ALL {
        for version in stack.versions() {
            for ci in [Ci::GithubActions, Ci::GitlabCi] {
                for registry in [Registry::Ghcr, Registry::DockerHub] {
                    for (i, (processes, services)) in combos().into_iter().enumerate() {
                        let deploy_target =
                            DeployTarget::ALL[(i + specs.len() / 5) % DeployTarget::ALL.len()];
                        specs.push(ProjectSpec {
                            name: "billing-api".into(),
                            description: "Bills customers: monthly & on demand.".into(),
                            stack,
                            runtime_version: version.to_string(),
                            port: 8080,
                            processes,
                            services,
                            ci,
                            registry,
                            deploy_target,
                            ..ProjectSpec::default()
                        });
                    }
                }
            }
        }
    }
    specs
}

/// Existing services: every preset meets every process/service choice once, with the CI,
/// registry, deploy target, port reading and missing health/readiness paths cycling (pairwise,
/// not the product), and the user's own commands and variable names throughout.
fn existing_matrix() -> Vec<ProjectSpec> {
    let mut specs = Vec::new();
    for preset in PRESETS {
        for (processes, services) in combos() {
            let n = specs.len();
            let mut spec = ProjectSpec {
                name: format!("svc-{}", preset.key),
                description: "Bills customers: monthly & on demand.".into(),
                stack: preset.stack,
                processes,
                services,
                ci: [Ci::GithubActions, Ci::GitlabCi][n % 2],
                registry: [Registry::Ghcr, Registry::DockerHub][(n / 2) % 2],
                deploy_target: DeployTarget::ALL[n % 3],
                mode: Mode::Existing,
                existing: Existing::for_preset(preset.id),
                ..ProjectSpec::default()
            };
            let ex = &mut spec.existing;
            ex.start.worker = "bin/jobs --queue default".into();
            ex.start.scheduler = "bin/clock".into();
            ex.start.release = "bin/migrate --to latest".into();
            ex.reads_port = n % 2 == 0;
            if n % 3 == 1 {
                ex.health_path = String::new();
            }
            if n % 4 == 2 {
                ex.ready_path = String::new();
            } else {
                ex.ready_path = "/internal/ready".into();
            }
            ex.database_var = "ORDERS_DB_URL".into();
            ex.redis_var = "JOB_QUEUE_URL".into();
            ex.variables = vec![
                Variable {
                    name: "PAYMENT_API_KEY".into(),
                    example: "test-key".into(),
                    secret: true,
                },
                Variable {
                    name: "FEATURE_FLAGS".into(),
                    example: "new-checkout".into(),
                    secret: false,
                },
            ];
            specs.push(spec);
        }
    }
    specs
}

fn gen(spec: &ProjectSpec) -> Project {
    generate::generate(spec, &Answers::default()).unwrap_or_else(|e| panic!("{spec:?}: {e}"))
}

fn is_yaml(path: &str) -> bool {
    path.ends_with(".yml") || path.ends_with(".yaml")
}

/// A YAML check without a parser: no tabs, no trailing spaces, even indentation, and every
/// double-quoted scalar that makes up a whole value is one complete, valid quoted string.
fn yaml_sanity(path: &str, text: &str) -> Result<(), String> {
    if !text.ends_with('\n') || text.ends_with("\n\n") {
        return Err(format!("{path}: must end with exactly one newline"));
    }
    let mut in_block_scalar: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.contains('\t') {
            return Err(format!("{path}:{n}: tab"));
        }
        if line.ends_with(' ') {
            return Err(format!("{path}:{n}: trailing space"));
        }
        let indent = line.len() - line.trim_start().len();
        if let Some(base) = in_block_scalar {
            if line.trim().is_empty() || indent > base {
                continue;
            }
            in_block_scalar = None;
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if indent % 2 != 0 {
            return Err(format!("{path}:{n}: odd indentation"));
        }
        let body = line.trim_start().trim_start_matches("- ");
        if let Some((_, value)) = body.split_once(": ") {
            let value = value.trim();
            if value == "|" || value == ">-" || value == ">" {
                in_block_scalar = Some(indent);
            } else if value.starts_with('"') {
                serde_json::from_str::<String>(value).map_err(|e| {
                    format!("{path}:{n}: quoted scalar {value:?} is not one valid string: {e}")
                })?;
            }
        }
    }
    Ok(())
}

/// `text` without the Go templates that docker's `--format` takes (`{{.Status.State}}`): the
/// scripts pass them through from raw blocks; Tera would reject them anywhere else.
fn without_docker_formats(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{.") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        match after.find("}}") {
            Some(end)
                if after[..end]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.') =>
            {
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str("{{.");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Template syntax that must not survive rendering.
fn leftovers(path: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let markers: &[&str] = if path == ".github/workflows/ci.yml" {
        &["[[", "]]", "[%", "%]", "[#", "#]"]
    } else {
        &["{{", "{%", "%}", "{#"]
    };
    let text = &without_docker_formats(text);
    for m in markers {
        if text.contains(m) {
            found.push(format!("{path}: leftover {m:?}"));
        }
    }
    if path == ".github/workflows/ci.yml" {
        // GitHub's own `${{ }}` and metadata-action's `{{version}}` are the only braces allowed.
        let stripped = text
            .replace("{{version}}", "")
            .replace("{{major}}", "")
            .replace("{{minor}}", "")
            .split("${{")
            .map(|s| {
                s.split_once("}}")
                    .map(|(_, rest)| rest)
                    .unwrap_or(s)
                    .to_string()
            })
            .collect::<String>();
        if stripped.contains("{{") || stripped.contains("{%") {
            found.push(format!(
                "{path}: template braces outside GitHub expressions"
            ));
        }
    }
    found
}

#[test]
fn every_combination_renders_cleanly_and_consistently() {
    let specs = matrix();
    assert!(
        specs.len() >= 100 && specs.len() <= 300,
        "{} combinations",
        specs.len()
    );
    for spec in specs.iter().chain(&existing_matrix()) {
        let project = gen(spec);
        let ctx = format!(
            "{} {} {:?} {:?} {:?} {:?}",
            spec.stack.id(),
            spec.runtime_version,
            spec.ci,
            spec.registry,
            spec.processes,
            spec.services
        );
        let mut problems = Vec::new();
        for file in &project.files {
            problems.extend(leftovers(&file.path, &file.contents));
            if is_yaml(&file.path) {
                if let Err(e) = yaml_sanity(&file.path, &file.contents) {
                    problems.push(e);
                }
            }
            if file.contents.contains('\r') {
                problems.push(format!("{}: carriage return", file.path));
            }
            if !file.contents.ends_with('\n') {
                problems.push(format!("{}: no final newline", file.path));
            }
            // Every file says which factors it serves, where the format has comments.
            let commentless = file.path.ends_with(".json")
                || file.path.ends_with(".lock")
                || file.path.ends_with("go.sum")
                || file.path.ends_with("__init__.py");
            if !commentless && !file.contents.contains("factor") {
                problems.push(format!(
                    "{}: no header naming the factors it serves",
                    file.path
                ));
            }
        }
        let consistency = check_consistency(&project);
        for c in consistency.failures() {
            problems.push(format!("consistency {}: {}", c.name, c.detail));
        }
        assert!(problems.is_empty(), "{ctx}:\n{}", problems.join("\n"));
        assert!(project.consistency().ok());
    }
}

#[test]
fn every_file_id_maps_to_generated_paths() {
    for spec in matrix() {
        let project = gen(&spec);
        for id in FileId::ALL {
            let expected = paths_for(id, &spec);
            let in_target = match id {
                FileId::ComposeProd => spec.deploy_target.swarm(),
                FileId::KubernetesBase | FileId::KubernetesOverlays => {
                    spec.deploy_target.kubernetes()
                }
                _ => true,
            };
            assert_eq!(
                !expected.is_empty(),
                in_target,
                "{id:?} for {:?}",
                spec.deploy_target
            );
            let mut actual: Vec<String> = project
                .paths_for(id)
                .into_iter()
                .map(String::from)
                .collect();
            actual.sort();
            let mut expected_sorted = expected.clone();
            expected_sorted.sort();
            assert_eq!(actual, expected_sorted, "{id:?} for {}", spec.stack.id());
            for p in &expected {
                assert!(project.file(p).is_some(), "{p} is not generated");
            }
        }
        // Every file the questions point at exists (a target's own files only in that target).
        for (_, q) in content::questions() {
            for f in q.files {
                assert_eq!(
                    project.paths_for(*f).is_empty(),
                    paths_for(*f, &spec).is_empty()
                );
            }
            if spec.deploy_target == DeployTarget::Both {
                assert!(q.files.iter().all(|f| !project.paths_for(*f).is_empty()));
            }
        }
    }
}

fn assert_swarm_stack(prod: &str, spec: &ProjectSpec) {
    assert_eq!(
        prod.contains("database_url:\n    external: true"),
        spec.services.postgres
    );
    for key in [
        "replicas:",
        "failure_action: rollback",
        "order: start-first",
        "restart_policy:",
        "stop_grace_period:",
        "limits:",
    ] {
        assert!(prod.contains(key), "docker-compose.prod.yml lacks {key}");
    }
    assert!(prod.contains("${IMAGE:?"));
    assert!(
        !prod.contains("build:"),
        "production runs the pushed image, never builds"
    );
}

/// What an SRE checks first in the Kubernetes base: one Deployment per process type, probes on
/// web, the hardened security context, rollouts that keep capacity, and no Secret values.
fn assert_kubernetes_base(project: &Project, deployments: &str, spec: &ProjectSpec) {
    let count = |needle: &str| deployments.matches(needle).count();
    let processes = 1 + spec.processes.worker as usize + spec.processes.scheduler as usize;
    assert_eq!(count("kind: Deployment\n"), processes);
    for key in [
        "runAsNonRoot: true",
        "runAsUser: 10001",
        "readOnlyRootFilesystem: true",
        "allowPrivilegeEscalation: false",
        "type: RuntimeDefault",
        "mountPath: /tmp",
        "terminationGracePeriodSeconds: 30",
        "automountServiceAccountToken: false",
    ] {
        assert_eq!(count(key), processes, "deployment.yaml: {key}");
    }
    assert_eq!(count("        - ALL\n"), processes, "capabilities dropped");
    assert_eq!(
        count("maxUnavailable: 0"),
        1 + spec.processes.worker as usize
    );
    for probe in ["startupProbe:", "livenessProbe:", "readinessProbe:"] {
        assert_eq!(count(probe), 1, "{probe} on web only");
    }
    let base = |f: &str| project.file(&format!("deploy/kubernetes/base/{f}"));
    assert_eq!(base("release-job.yaml").is_some(), spec.processes.release);
    assert!(base("hpa.yaml")
        .unwrap()
        .contents
        .contains("averageUtilization: 70"));
    assert!(base("pdb.yaml").is_some() && base("service.yaml").is_some());
    for file in project
        .files
        .iter()
        .filter(|f| f.path.starts_with("deploy/kubernetes/"))
    {
        assert!(
            !file.contents.contains("kind: Secret"),
            "{}: never generate a Secret",
            file.path
        );
    }
    for env in ["staging", "production"] {
        let overlay = &project
            .file(&format!(
                "deploy/kubernetes/overlays/{env}/kustomization.yaml"
            ))
            .unwrap()
            .contents;
        assert!(overlay.contains(&format!("namespace: {}-{env}", spec.name)));
        assert!(overlay.contains(&format!("APP_ENV={env}")));
        assert!(overlay.contains("digest: sha256:"));
    }
}

#[test]
fn the_chosen_ci_registry_processes_and_services_appear() {
    for spec in matrix() {
        let project = gen(&spec);
        let ci_path = if spec.ci == Ci::GithubActions {
            ".github/workflows/ci.yml"
        } else {
            ".gitlab-ci.yml"
        };
        let other = if spec.ci == Ci::GithubActions {
            ".gitlab-ci.yml"
        } else {
            ".github/workflows/ci.yml"
        };
        let ci = &project.file(ci_path).expect("ci file").contents;
        assert!(project.file(other).is_none());
        let host = if spec.registry == Registry::Ghcr {
            "ghcr.io"
        } else {
            "docker.io"
        };
        assert!(ci.contains(host), "{ci_path} does not push to {host}");
        if spec.ci == Ci::GithubActions {
            assert!(ci.contains("environment: production"));
            assert!(
                ci.contains("docker/metadata-action@v5")
                    && ci.contains("docker/build-push-action@v6")
            );
            assert!(
                !ci.contains("type=semver")
                    && ci.contains("type=sha")
                    && ci.contains("type=ref,event=branch")
            );
            assert_eq!(
                ci.contains("packages: write"),
                spec.registry == Registry::Ghcr
            );
            for line in ci.lines().filter(|l| {
                l.trim_start().starts_with("- uses:") || l.trim_start().starts_with("uses:")
            }) {
                let action = line.split("uses:").nth(1).unwrap().trim();
                assert!(action.contains('@'), "unpinned action {action}");
            }
        } else {
            assert!(ci.contains("when: manual"));
            assert!(ci.contains("name: production"));
        }
        let compose = &project.file("docker-compose.yml").unwrap().contents;
        let swarm_file = project.file("docker-compose.prod.yml");
        assert_eq!(swarm_file.is_some(), spec.deploy_target.swarm());
        assert_eq!(
            project
                .file("deploy/kubernetes/overlays/production/kustomization.yaml")
                .is_some(),
            spec.deploy_target.kubernetes()
        );
        let procfile = &project.file("Procfile").unwrap().contents;
        let env = &project.file(".env.example").unwrap().contents;
        assert_eq!(compose.contains("postgres:16."), spec.services.postgres);
        assert_eq!(compose.contains("redis:7."), spec.services.redis);
        assert_eq!(ci.contains("postgres:16."), spec.services.postgres);
        assert_eq!(ci.contains("redis:7."), spec.services.redis);
        assert_eq!(
            compose.matches("condition: service_healthy").count() > 0,
            spec.services.postgres || spec.services.redis
        );
        assert_eq!(env.contains("\nDATABASE_URL="), spec.services.postgres);
        assert_eq!(env.contains("\nREDIS_URL="), spec.services.redis);
        assert_eq!(procfile.contains("\nworker: "), spec.processes.worker);
        assert_eq!(procfile.contains("\nscheduler: "), spec.processes.scheduler);
        assert_eq!(procfile.contains("\nrelease: "), spec.processes.release);
        assert!(procfile.contains("\nweb: PORT=${PORT:-8080} "));
        if let Some(prod) = swarm_file.map(|f| &f.contents) {
            assert_swarm_stack(prod, &spec);
        }
        if let Some(k8s) = project.file("deploy/kubernetes/base/deployment.yaml") {
            assert_kubernetes_base(&project, &k8s.contents, &spec);
        }

        let dockerfile = &project.file("Dockerfile").unwrap().contents;
        let froms: Vec<&str> = dockerfile
            .lines()
            .filter(|l| l.starts_with("FROM "))
            .collect();
        assert!(froms.len() >= 2, "multi-stage");
        for from in froms {
            let image = from.split_whitespace().nth(1).unwrap();
            let tag = image.rsplit_once(':').map(|(_, t)| t).unwrap_or("");
            assert!(
                tag.chars().any(|c| c.is_ascii_digit()) && !tag.contains("latest"),
                "unpinned {from}"
            );
        }
        assert!(dockerfile.contains("\nUSER 10001:10001\n"));
        assert!(dockerfile.contains("\nHEALTHCHECK "));
        let cmd = dockerfile.lines().find(|l| l.starts_with("CMD ")).unwrap();
        assert!(cmd.starts_with("CMD [\""), "exec form: {cmd}");
        assert!(
            !dockerfile.contains("DATABASE_URL") && !dockerfile.contains("PASSWORD"),
            "no config baked in"
        );
        let ignore = &project.file(".dockerignore").unwrap().contents;
        assert!(ignore.lines().any(|l| l == ".env") && ignore.lines().any(|l| l == ".git"));
        let scripts: Vec<_> = project
            .files
            .iter()
            .filter(|f| f.path.ends_with(".sh"))
            .collect();
        assert!(!scripts.is_empty());
        for s in scripts {
            assert!(s.executable, "{} not executable", s.path);
            assert!(
                s.contents.starts_with("#!/usr/bin/env bash\n")
                    && s.contents.contains("\nset -euo pipefail\n")
            );
        }
    }
}

#[test]
fn ci_runs_the_projects_own_tests_and_git_never_sees_local_config() {
    for spec in matrix() {
        let project = gen(&spec);
        let ci_path = if spec.ci == Ci::GithubActions {
            ".github/workflows/ci.yml"
        } else {
            ".gitlab-ci.yml"
        };
        let ci = &project.file(ci_path).unwrap().contents;
        let test = spec.stack.test_command();
        let test_at = ci
            .find(test)
            .unwrap_or_else(|| panic!("{ci_path} of {} never runs `{test}`", spec.stack.id()));
        let smoke_at = ci.find("scripts/smoke-test.sh").expect("a smoke test");
        assert!(
            test_at < smoke_at,
            "{}: the tests run before the smoke test",
            spec.stack.id()
        );
        // The app's own tests are part of the project (Rust keeps them in src/main.rs).
        let has_tests = project
            .files
            .iter()
            .filter(|f| f.file_id == Some(FileId::App))
            .any(|f| f.path.contains("test") || f.contents.contains("#[cfg(test)]"));
        assert!(has_tests, "{}: the app has no tests", spec.stack.id());
        let gitignore: Vec<&str> = project
            .file(".gitignore")
            .expect(".gitignore")
            .contents
            .lines()
            .collect();
        assert!(
            gitignore.contains(&".env") && gitignore.contains(&"!.env.example"),
            "{}",
            spec.stack.id()
        );
    }
}

#[test]
fn the_zip_is_deterministic_rooted_and_keeps_executable_bits() {
    let mut answers = Answers::default();
    answers.set_answer(content::questions().next().unwrap().1.id, Some(Answer::Yes));
    for spec in matrix().into_iter().step_by(7) {
        let a = zip_project(&generate::generate(&spec, &answers).unwrap()).unwrap();
        let b = zip_project(&generate::generate(&spec, &answers).unwrap()).unwrap();
        assert_eq!(a, b, "same input, same bytes");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        let mut names = Vec::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            assert!(name.starts_with("billing-api/"), "{name}");
            let mode = entry.unix_mode().unwrap() & 0o777;
            if name.ends_with(".sh") {
                assert_eq!(mode, 0o755, "{name}");
            } else {
                assert_eq!(mode, 0o644, "{name}");
            }
            let mut s = String::new();
            entry.read_to_string(&mut s).unwrap();
            assert!(!s.is_empty());
            names.push(name);
        }
        assert!(names.contains(&"billing-api/Dockerfile".to_string()));
    }
}

#[test]
fn the_assessment_travels_with_the_project() {
    let spec = ProjectSpec {
        name: "billing-api".into(),
        ..ProjectSpec::default()
    };
    // Every question Yes but one blocker Partly: the README lists it and says No-go.
    let mut answers = Answers::default();
    for (_, other) in content::questions() {
        answers.set_answer(other.id, Some(Answer::Yes));
    }
    let q = content::questions()
        .map(|(_, q)| q)
        .find(|q| q.blocker)
        .unwrap();
    answers.set_answer(q.id, Some(Answer::Partly));
    let project = generate::generate(&spec, &answers).unwrap();
    let doc = project.file(".twelve-factor/assessment.json").unwrap();
    let loaded = load_document(&doc.contents).unwrap();
    assert_eq!(loaded.answers.effective(q.id), Some(Answer::Partly));
    assert_eq!(loaded.project.as_ref(), Some(&spec));
    let readme = &project.file("README.md").unwrap().contents;
    assert!(
        readme.contains("| I | Codebase |") || readme.contains("| I |"),
        "{readme}"
    );
    assert!(
        readme.contains("(Partly; effort "),
        "the open item is listed with its effort"
    );
    assert!(
        readme.contains("**No-go: "),
        "the launch decision is stated"
    );
}

const HOSTILE: &[&str] = &[
    "Say \"hi\": it's #1 & ${X} `date` $(rm -rf /) \\ back slash",
    "key: value # not a comment",
    "- [a, b] {c: d} | > * & ! % @ ~",
    "'single' \"double\" `tick` $$HOME ${{ secrets.TOKEN }} {{ name }} {% if %}",
    "<!-- --> </description> <script>alert(1)</script> **bold** _x_ [link](http://x)",
    "Ünïcödé — 漢字 — emoji 🚀",
    "",
];

#[test]
fn hostile_descriptions_cannot_break_any_file() {
    for description in HOSTILE {
        for stack in Stack::ALL {
            for ci in [Ci::GithubActions, Ci::GitlabCi] {
                let spec = ProjectSpec {
                    name: "edge-case".into(),
                    description: description.to_string(),
                    stack,
                    ci,
                    services: Services {
                        postgres: true,
                        redis: true,
                    },
                    processes: Processes {
                        worker: true,
                        scheduler: true,
                        release: true,
                    },
                    ..ProjectSpec::default()
                };
                let project = gen(&spec);
                assert!(check_consistency(&project).ok());
                for file in &project.files {
                    if is_yaml(&file.path) {
                        yaml_sanity(&file.path, &file.contents).unwrap();
                    }
                }
                // Compose: one double-quoted scalar that decodes to the description, `$` doubled.
                let compose = &project.file("docker-compose.yml").unwrap().contents;
                let line = compose
                    .lines()
                    .find(|l| l.contains("org.opencontainers.image.description:"))
                    .unwrap();
                let value = line.split_once(": ").unwrap().1;
                let decoded: String = serde_json::from_str(value).unwrap();
                assert_eq!(decoded, description.replace('$', "$$"));
                // Dockerfile: the LABEL stays on its line; quotes, backslashes and `$` escaped.
                let dockerfile = &project.file("Dockerfile").unwrap().contents;
                let label = dockerfile
                    .lines()
                    .find(|l| l.contains("org.opencontainers.image.description="))
                    .unwrap();
                let value = label.split_once("description=").unwrap().1;
                assert_eq!(unquote_docker(value), *description, "{label}");
                assert_eq!(
                    dockerfile.lines().count(),
                    gen(&ProjectSpec {
                        description: String::new(),
                        ..spec.clone()
                    })
                    .file("Dockerfile")
                    .unwrap()
                    .contents
                    .lines()
                    .count()
                );
                // README: escaped Markdown, never raw HTML or a heading.
                let readme = &project.file("README.md").unwrap().contents;
                assert!(!readme.contains("<script>"));
                assert!(readme.contains(&tfstudio::core::report::md_escape(description)));
                // Manifests: the description is a valid JSON / TOML / XML string.
                for f in &project.files {
                    if f.path.ends_with(".json") {
                        let v: serde_json::Value = serde_json::from_str(&f.contents)
                            .unwrap_or_else(|e| panic!("{}: {e}", f.path));
                        if f.path == "package.json" {
                            assert_eq!(v["description"], *description);
                        }
                    }
                    if f.path == "pom.xml" {
                        assert!(
                            !f.contents.contains("<script>")
                                && !f.contents.contains("</description> ")
                        );
                    }
                }
                // Nothing the user typed reaches a shell script or a CI file.
                for p in [
                    "scripts/deploy.sh",
                    "scripts/smoke-test.sh",
                    ".gitlab-ci.yml",
                    ".github/workflows/ci.yml",
                    "Procfile",
                    ".env.example",
                ] {
                    if let Some(f) = project.file(p) {
                        if !description.is_empty() {
                            assert!(
                                !f.contents.contains(description),
                                "{p} contains the raw description"
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Reads a Dockerfile double-quoted word back (the inverse of the generator's escaping).
fn unquote_docker(word: &str) -> String {
    let inner = word
        .strip_prefix('"')
        .and_then(|w| w.strip_suffix('"'))
        .expect("quoted");
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next().expect("escape has a character")),
            '"' => panic!("unescaped quote in {word}"),
            '$' => panic!("unescaped $ in {word}"),
            c => out.push(c),
        }
    }
    out
}

#[test]
fn invalid_specs_are_refused_with_field_errors() {
    let bad = [
        ProjectSpec {
            description: "two\nlines".into(),
            ..ProjectSpec::default()
        },
        ProjectSpec {
            description: "carriage\rreturn".into(),
            ..ProjectSpec::default()
        },
        ProjectSpec {
            name: "Bad Name".into(),
            ..ProjectSpec::default()
        },
        ProjectSpec {
            name: "../escape".into(),
            ..ProjectSpec::default()
        },
        ProjectSpec {
            port: 80,
            ..ProjectSpec::default()
        },
        ProjectSpec {
            processes: Processes {
                release: true,
                ..Processes::default()
            },
            ..ProjectSpec::default()
        },
        ProjectSpec {
            processes: Processes {
                worker: true,
                ..Processes::default()
            },
            ..ProjectSpec::default()
        },
    ];
    for spec in bad {
        match generate::generate(&spec, &Answers::default()) {
            Err(GenerateError::Invalid(errors)) => assert!(!errors.is_empty()),
            other => panic!("{spec:?} gave {other:?}"),
        }
    }
}

#[test]
fn a_different_port_flows_into_every_file() {
    for stack in Stack::ALL {
        let spec = ProjectSpec {
            name: "port-check".into(),
            stack,
            port: 9417,
            ..ProjectSpec::default()
        };
        let project = gen(&spec);
        assert!(
            check_consistency(&project).ok(),
            "{:?}",
            check_consistency(&project).failures()
        );
        for p in [
            "Dockerfile",
            "docker-compose.yml",
            "docker-compose.prod.yml",
            ".env.example",
            "Procfile",
            "README.md",
        ] {
            assert!(project.file(p).unwrap().contents.contains("9417"), "{p}");
        }
        assert!(!project
            .file("Dockerfile")
            .unwrap()
            .contents
            .contains("8080"));
    }
}

#[test]
fn consistency_catches_drift() {
    let spec = ProjectSpec {
        name: "drift".into(),
        services: Services {
            postgres: true,
            redis: false,
        },
        ..ProjectSpec::default()
    };
    let good = gen(&spec);
    assert!(check_consistency(&good).ok());
    let edit = |path: &str, from: &str, to: &str| {
        let mut p = good.clone();
        let f = p.files.iter_mut().find(|f| f.path == path).unwrap();
        assert!(f.contents.contains(from), "{path} lacks {from}");
        f.contents = f.contents.replace(from, to);
        p
    };
    let kube = gen(&ProjectSpec {
        deploy_target: DeployTarget::Kubernetes,
        processes: Processes {
            release: true,
            ..Processes::default()
        },
        ..spec.clone()
    });
    assert!(
        check_consistency(&kube).ok(),
        "{:?}",
        check_consistency(&kube).failures()
    );
    let edit_k8s = |path: &str, from: &str, to: &str| {
        let mut p = kube.clone();
        let f = p.files.iter_mut().find(|f| f.path == path).unwrap();
        assert!(f.contents.contains(from), "{path} lacks {from}");
        f.contents = f.contents.replace(from, to);
        p
    };
    let cases = [
        (edit("Dockerfile", "EXPOSE 8080", "EXPOSE 9000"), "port"),
        (
            edit(".env.example", "\nLOG_LEVEL=info", "\nLOGLEVEL=info"),
            "compose variables",
        ),
        (
            edit(
                "docker-compose.prod.yml",
                "DATABASE_URL_FILE",
                "DB_URL_FILE",
            ),
            "compose variables",
        ),
        (
            edit("src/server.js", "\"/health\"", "\"/healthz\""),
            "health path",
        ),
        (
            edit(".dockerignore", "\nscripts\n", "\nscripts\nsrc\n"),
            "build context",
        ),
        (edit("Procfile", "web:", "webb:"), "process types"),
        (
            edit_k8s(
                "deploy/kubernetes/base/deployment.yaml",
                "containerPort: 8080",
                "containerPort: 3000",
            ),
            "kubernetes port and probes",
        ),
        (
            edit_k8s(
                "deploy/kubernetes/base/deployment.yaml",
                "path: /ready",
                "path: /health",
            ),
            "kubernetes port and probes",
        ),
        (
            edit_k8s(
                "deploy/kubernetes/base/kustomization.yaml",
                "- LOG_LEVEL=info",
                "- LOGLEVEL=info",
            ),
            "kubernetes variables",
        ),
        (
            edit_k8s(
                "deploy/kubernetes/base/deployment.yaml",
                "DATABASE_URL_FILE",
                "DB_URL_FILE",
            ),
            "kubernetes variables",
        ),
        (
            edit_k8s(
                "deploy/kubernetes/base/deployment.yaml",
                "runAsUser: 10001",
                "runAsUser: 1000",
            ),
            "kubernetes user",
        ),
        (
            edit_k8s("Procfile", "\nrelease:", "\n#release:"),
            "process types",
        ),
    ];
    for (project, name) in cases {
        let c = check_consistency(&project);
        let failed: Vec<&str> = c.failures().iter().map(|c| c.name).collect();
        assert!(
            failed.contains(&name),
            "expected {name} to fail, got {failed:?}"
        );
    }
}

// ---- Expected output, one representative spec per stack ----------------------------------

fn representative_answers() -> Answers {
    let mut answers = Answers::default();
    for (i, (_, q)) in content::questions().enumerate().take(12) {
        answers.set_answer(q.id, Some([Answer::Yes, Answer::Partly, Answer::No][i % 3]));
    }
    answers
}

/// The expected-output cases: `tests/expected/<case>/spec.json` is the input,
/// `tests/expected/<case>/project/` the files it must generate (with `representative_answers`).
fn expected_cases() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected");
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .expect("tests/expected exists")
        .flatten()
        .filter(|e| e.path().join("spec.json").is_file())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    cases.sort();
    cases
}

/// A line diff of `expected` against `actual`: the changed span between the common head and
/// tail, with three lines of context, enough to see what moved without a diff tool.
fn diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let head = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let tail = e[head..]
        .iter()
        .rev()
        .zip(a[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut out = format!("@@ line {} @@\n", head + 1);
    for line in &e[head.saturating_sub(3)..head] {
        out.push_str(&format!("  {line}\n"));
    }
    for line in &e[head..e.len() - tail] {
        out.push_str(&format!("- {line}\n"));
    }
    for line in &a[head..a.len() - tail] {
        out.push_str(&format!("+ {line}\n"));
    }
    for line in e[e.len() - tail..].iter().take(3) {
        out.push_str(&format!("  {line}\n"));
    }
    out
}

fn files_under(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out
}

#[test]
fn output_matches_the_expected_files() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut mismatches = Vec::new();
    let cases = expected_cases();
    assert!(cases.len() >= 6, "one case per stack at least: {cases:?}");
    for (case, dir) in cases {
        let input = std::fs::read_to_string(dir.join("spec.json")).unwrap();
        let spec = tfstudio::core::spec::parse_spec(&input)
            .unwrap_or_else(|e| panic!("{case}/spec.json: {e}"));
        let project = generate::generate(&spec, &representative_answers()).unwrap();
        let out = dir.join("project");
        if update {
            let _ = std::fs::remove_dir_all(&out);
            for f in &project.files {
                let path = out.join(&f.path);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &f.contents).unwrap();
            }
            continue;
        }
        let generated: BTreeSet<String> = project.files.iter().map(|f| f.path.clone()).collect();
        let stored = files_under(&out);
        for missing in generated.difference(&stored) {
            mismatches.push(format!("{case}: {missing} is generated but not expected"));
        }
        for extra in stored.difference(&generated) {
            mismatches.push(format!(
                "{case}: {extra} is expected but no longer generated"
            ));
        }
        for f in &project.files {
            if let Ok(stored) = std::fs::read_to_string(out.join(&f.path)) {
                if stored != f.contents {
                    let d = diff(&stored, &f.contents);
                    mismatches.push(format!("{case}/project/{} differs:\n{d}", f.path));
                }
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{}\n(refresh with UPDATE_EXPECT=1 cargo test --test generate, then read git diff)",
        mismatches.join("\n")
    );
}
