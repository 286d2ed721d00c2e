//! Promote, never rebuild: a version tag must deploy the image main already built for that
//! commit. For every stack, CI system and registry, this evaluates which CI jobs run on a tag
//! push and on a push to main (a small evaluator for the conditions the templates use; an
//! unknown condition fails the test, so it must be taught rather than guessed), and checks that
//! no job that runs on a tag builds an image, that one re-tags by digest, and that production
//! deploys that digest.

use std::collections::BTreeMap;

use serde_yaml::Value;
use tfstudio::core::answers::Answers;
use tfstudio::core::generate;
use tfstudio::core::spec::{Ci, DeployTarget, Processes, ProjectSpec, Registry, Services, Stack};

/// What a pipeline knows about the push that started it.
#[derive(Clone, Copy, Debug)]
enum Push {
    Main,
    VersionTag,
}

fn specs() -> Vec<ProjectSpec> {
    let mut out = Vec::new();
    for stack in Stack::ALL {
        for ci in [Ci::GithubActions, Ci::GitlabCi] {
            for (registry, deploy_target) in [Registry::Ghcr, Registry::DockerHub]
                .into_iter()
                .flat_map(|r| DeployTarget::ALL.map(|t| (r, t)))
            {
                out.push(ProjectSpec {
                    name: "billing-api".into(),
                    stack,
                    ci,
                    registry,
                    deploy_target,
                    processes: Processes {
                        worker: true,
                        scheduler: true,
                        release: true,
                    },
                    services: Services {
                        postgres: true,
                        redis: true,
                    },
                    ..ProjectSpec::default()
                });
            }
        }
    }
    out
}

fn workflow(spec: &ProjectSpec) -> (String, Value) {
    let project = generate::generate(spec, &Answers::default()).expect("generates");
    let file = project
        .files
        .iter()
        .find(|f| f.path == ".github/workflows/ci.yml" || f.path == ".gitlab-ci.yml")
        .expect("a CI file");
    let yaml = serde_yaml::from_str(&file.contents).expect("CI file is YAML");
    (file.path.clone(), yaml)
}

// --- GitHub Actions ----------------------------------------------------------------------

fn quoted(s: &str) -> &str {
    s.trim().trim_matches('\'')
}

/// One `a == 'b'`, `a != 'b'` or `startsWith(a, 'b')` term of a job's `if:`.
fn github_term(term: &str, push: Push) -> bool {
    let (event, git_ref, ref_type) = match push {
        Push::Main => ("push", "refs/heads/main", "branch"),
        Push::VersionTag => ("push", "refs/tags/v1.2.3", "tag"),
    };
    let lookup = |name: &str| match name.trim() {
        "github.event_name" => event,
        "github.ref" => git_ref,
        "github.ref_type" => ref_type,
        other => panic!("the test does not know the GitHub context {other:?}"),
    };
    if let Some(args) = term
        .strip_prefix("startsWith(")
        .and_then(|t| t.strip_suffix(')'))
    {
        let (name, prefix) = args.split_once(',').expect("two arguments");
        return lookup(name).starts_with(quoted(prefix));
    }
    if let Some((name, value)) = term.split_once("!=") {
        return lookup(name) != quoted(value);
    }
    if let Some((name, value)) = term.split_once("==") {
        return lookup(name) == quoted(value);
    }
    panic!("the test does not know the condition {term:?}")
}

fn github_runs(jobs: &BTreeMap<String, Value>, job: &str, push: Push) -> bool {
    let spec = &jobs[job];
    let own = spec["if"]
        .as_str()
        .map(|c| c.split("&&").all(|t| github_term(t.trim(), push)))
        .unwrap_or(true);
    let needs: Vec<String> = match &spec["needs"] {
        Value::String(s) => vec![s.clone()],
        Value::Sequence(v) => v
            .iter()
            .filter_map(|n| n.as_str().map(String::from))
            .collect(),
        _ => vec![],
    };
    own && needs.iter().all(|n| github_runs(jobs, n, push))
}

fn github_builds(job: &Value) -> bool {
    job["steps"]
        .as_sequence()
        .into_iter()
        .flatten()
        .any(|step| {
            let uses = step["uses"].as_str().unwrap_or("");
            let run = step["run"].as_str().unwrap_or("");
            uses.starts_with("docker/build-push-action") || builds(run)
        })
}

fn github_jobs(yaml: &Value) -> BTreeMap<String, Value> {
    serde_yaml::from_value(yaml["jobs"].clone()).expect("jobs is a mapping")
}

// --- GitLab CI -----------------------------------------------------------------------------

/// One term of a rule's `if:`, for a pipeline started by a push.
fn gitlab_term(term: &str, push: Push) -> bool {
    let term = term.trim();
    let tag = matches!(push, Push::VersionTag);
    match term {
        "$CI_COMMIT_TAG" => tag,
        "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" => !tag,
        "$CI_PIPELINE_SOURCE == \"merge_request_event\"" => false,
        t if t.starts_with("$CI_COMMIT_TAG =~ /^v") => tag,
        other => panic!("the test does not know the GitLab condition {other:?}"),
    }
}

/// Whether a job (or the workflow) is in the pipeline: the first matching rule decides.
fn gitlab_rules_run(rules: &Value, push: Push) -> bool {
    let Some(rules) = rules.as_sequence() else {
        return true;
    };
    for rule in rules {
        let matches = rule["if"]
            .as_str()
            .map(|c| c.split("&&").all(|t| gitlab_term(t, push)))
            .unwrap_or(true);
        if matches {
            return rule["when"].as_str() != Some("never");
        }
    }
    false
}

fn gitlab_script(job: &Value) -> String {
    ["before_script", "script"]
        .iter()
        .flat_map(|k| job[*k].as_sequence().cloned().unwrap_or_default())
        .filter_map(|l| l.as_str().map(String::from))
        .collect::<Vec<_>>()
        .join("\n")
}

fn gitlab_jobs(yaml: &Value) -> BTreeMap<String, Value> {
    let all: BTreeMap<String, Value> = serde_yaml::from_value(yaml.clone()).expect("a mapping");
    all.into_iter()
        .filter(|(k, v)| {
            !k.starts_with('.') && v.get("stage").is_some() || v.get("extends").is_some()
        })
        .collect()
}

/// A shell command that builds an image (`docker buildx imagetools` does not: it only tags).
fn builds(script: &str) -> bool {
    [
        "docker build ",
        "docker image build",
        "buildx build",
        "kaniko",
        "buildah bud",
    ]
    .iter()
    .any(|b| script.contains(b))
}

/// The jobs that run for `push`, and the text of the one that deploys to production.
struct Pipeline {
    running: Vec<String>,
    building: Vec<String>,
    promoting: Vec<String>,
    production_deploy: Option<String>,
}

fn pipeline(path: &str, yaml: &Value, push: Push) -> Pipeline {
    let mut p = Pipeline {
        running: vec![],
        building: vec![],
        promoting: vec![],
        production_deploy: None,
    };
    if path.starts_with(".github") {
        let jobs = github_jobs(yaml);
        for (name, job) in &jobs {
            if !github_runs(&jobs, name, push) {
                continue;
            }
            p.running.push(name.clone());
            let text = serde_yaml::to_string(job).unwrap();
            if github_builds(job) {
                p.building.push(name.clone());
            }
            if text.contains("imagetools create") {
                p.promoting.push(name.clone());
            }
            if job["environment"].as_str() == Some("production") {
                p.production_deploy = Some(text);
            }
        }
    } else {
        assert!(
            gitlab_rules_run(&yaml["workflow"]["rules"], push),
            "{push:?}: no pipeline"
        );
        for (name, job) in gitlab_jobs(yaml) {
            if !gitlab_rules_run(&job["rules"], push) {
                continue;
            }
            p.running.push(name.clone());
            let script = gitlab_script(&job);
            if builds(&script) {
                p.building.push(name.clone());
            }
            if script.contains("imagetools create") {
                p.promoting.push(name.clone());
            }
            if job["environment"]["name"].as_str() == Some("production") {
                p.production_deploy = Some(serde_yaml::to_string(&job).unwrap());
            }
        }
    }
    p
}

#[test]
fn a_version_tag_promotes_the_built_image_and_never_builds() {
    for spec in specs() {
        let (path, yaml) = workflow(&spec);
        let ctx = format!("{} {path} {:?}", spec.stack.id(), spec.registry);
        let tag = pipeline(&path, &yaml, Push::VersionTag);
        assert!(
            tag.building.is_empty(),
            "{ctx}: on a tag, {:?} build an image",
            tag.building
        );
        assert_eq!(
            tag.promoting.len(),
            1,
            "{ctx}: one job re-tags on a tag: {:?}",
            tag.running
        );
        let deploy = tag
            .production_deploy
            .unwrap_or_else(|| panic!("{ctx}: no production deploy on a tag"));
        assert!(
            deploy.contains("scripts/deploy.sh production") && deploy.contains("IMAGE_DIGEST"),
            "{ctx}: production is not deployed by digest:\n{deploy}"
        );
        let needs = if path.starts_with(".github") {
            "needs: promote"
        } else {
            "- promote"
        };
        assert!(
            deploy.contains(needs),
            "{ctx}: production does not wait for the promotion"
        );
    }
}

#[test]
fn main_builds_once_and_deploys_staging_by_digest() {
    for spec in specs() {
        let (path, yaml) = workflow(&spec);
        let ctx = format!("{} {path} {:?}", spec.stack.id(), spec.registry);
        let main = pipeline(&path, &yaml, Push::Main);
        assert_eq!(
            main.building.len(),
            1,
            "{ctx}: one build job on main: {:?}",
            main.building
        );
        assert!(main.promoting.is_empty(), "{ctx}: main promotes nothing");
        assert!(
            main.production_deploy.is_none(),
            "{ctx}: main never deploys production"
        );
        assert!(
            main.running.iter().any(|j| j == "deploy-staging"),
            "{ctx}: {:?}",
            main.running
        );
        let text = serde_yaml::to_string(&yaml).unwrap();
        assert!(
            text.contains("scripts/deploy.sh staging \"${IMAGE_DIGEST}\"")
                || text.contains("scripts/deploy.sh staging \"$IMAGE_DIGEST\""),
            "{ctx}: staging is not deployed by digest"
        );
    }
}
