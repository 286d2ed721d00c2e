//! The stack profile table: every stack has exactly one profile, and no profile leaves a fact
//! empty, so a new stack cannot render a file with a blank where a command or image belongs.

use tfstudio::core::answers::Answers;
use tfstudio::core::generate::{self, paths_for};
use tfstudio::core::spec::{ProjectSpec, Stack};
use tfstudio::core::stacks::PROFILES;

#[test]
fn every_stack_has_one_profile_in_order() {
    let stacks: Vec<Stack> = PROFILES.iter().map(|p| p.stack).collect();
    assert_eq!(
        stacks,
        Stack::ALL,
        "PROFILES must list Stack::ALL once each, in order"
    );
    for p in PROFILES {
        // The id is the one spec documents use.
        let json = serde_json::to_string(&p.stack).unwrap();
        assert_eq!(json, format!("\"{}\"", p.id));
    }
}

#[test]
fn no_profile_leaves_a_fact_empty() {
    for p in PROFILES {
        let id = p.id;
        let texts = [
            ("label", p.label),
            ("framework", p.framework),
            ("build_image", p.build_image),
            ("runtime_image", p.runtime_image),
            ("ci_image", p.ci_image),
            ("dockerfile", p.dockerfile),
            ("manifest", p.manifest),
            ("lock", p.lock),
            ("shell_entry", p.shell_entry),
            ("install", p.install),
            ("test", p.test),
            ("start", p.start),
            ("github_setup", p.github_setup),
            ("gitignore heading", p.gitignore.0),
        ];
        for (fact, text) in texts {
            assert!(!text.trim().is_empty(), "{id}: {fact} is empty");
        }
        assert!(!p.versions.is_empty(), "{id}: no versions");
        for v in p.versions {
            assert!(
                !v.major.is_empty() && v.pin.starts_with(v.major),
                "{id}: {v:?}"
            );
            assert!(
                v.pin.matches('.').count() >= 1,
                "{id}: {} is not an exact pin",
                v.pin
            );
        }
        assert!(
            !p.entry.is_empty() && p.entry.iter().all(|w| !w.is_empty()),
            "{id}: entry"
        );
        assert!(!p.app_files.is_empty(), "{id}: no app files");
        assert!(!p.gitignore.1.is_empty(), "{id}: no .gitignore lines");
        assert!(!p.dockerignore.is_empty(), "{id}: no .dockerignore lines");
        for f in p.app_files {
            assert!(
                !f.path.is_empty() && !f.template.is_empty(),
                "{id}: {}",
                f.path
            );
        }
        for file in [p.manifest, p.lock] {
            assert!(
                p.app_files.iter().any(|f| f.path == file),
                "{id}: {file} is not generated"
            );
        }
        assert!(
            p.dockerfile.contains("FROM {{ build_image }}"),
            "{id}: Dockerfile"
        );
        assert!(
            p.github_setup.starts_with("      - "),
            "{id}: github_setup is not a step"
        );
    }
}

#[test]
fn every_placeholder_in_a_profile_is_filled() {
    for p in PROFILES {
        for major in p.versions.iter().map(|v| v.major) {
            let spec = ProjectSpec {
                stack: p.stack,
                runtime_version: major.to_string(),
                ..ProjectSpec::default()
            };
            let project = generate::generate(&spec, &Answers::default()).unwrap();
            // App sources may use `{name}` themselves (JavaScript template strings): skip them.
            let app = tfstudio::core::content::FileId::App;
            for f in project.files.iter().filter(|f| f.file_id != Some(app)) {
                for placeholder in ["{pin}", "{major}", "{name}"] {
                    assert!(
                        !f.contents.contains(placeholder),
                        "{}: {placeholder} in {}",
                        p.id,
                        f.path
                    );
                }
            }
            let ci = &project.file(".github/workflows/ci.yml").unwrap().contents;
            assert!(ci.contains(p.version(major).pin) || ci.contains(&format!("\"{major}\"")));
            assert_eq!(
                paths_for(tfstudio::core::content::FileId::App, &spec).len(),
                p.app_files.iter().filter(|f| f.chosen(&spec)).count()
            );
        }
    }
}

/// The generated README describes the starter the stack really has: a stack whose starter only
/// probes its services must not promise logins, `migrate-down` or a jobs queue, and one with
/// real drivers must describe them.
#[test]
fn the_readme_promises_only_what_the_starter_does() {
    for p in PROFILES {
        let mut spec = ProjectSpec {
            stack: p.stack,
            ..ProjectSpec::default()
        };
        spec.services.postgres = true;
        spec.services.redis = true;
        spec.processes.worker = true;
        let project = generate::generate(&spec, &Answers::default()).unwrap();
        let readme = &project.file("README.md").unwrap().contents;
        for promise in [
            "migrate-down",
            "`POST /jobs`",
            "`authentication failed`",
            "migrations pending",
        ] {
            assert!(readme.contains(promise), "{}: {promise}", p.id);
        }
        // How a dead worker's job comes back is the one thing the starters do differently.
        let lease = readme.contains("idle\n  `JOB_CLAIM_IDLE_MS`");
        let lock = readme.contains("advisory lock on its job");
        assert!(lease != lock, "{}: one way, named once", p.id);
        let env = &project.file(".env.example").unwrap().contents;
        assert_eq!(lease, env.contains("JOB_CLAIM_IDLE_MS="), "{}", p.id);
    }
}

/// `.env.example` lists the job settings exactly where the starter reads them: a project with a
/// queue (PostgreSQL or Redis) gets SCHEDULE_INTERVAL, and JOB_CLAIM_IDLE_MS where its queue
/// has a lease; a project without a queue gets neither. (That the app reads each variable
/// .env.example lists is the consistency check "no stray variables".)
#[test]
fn env_example_lists_the_job_settings_the_starter_reads() {
    for p in PROFILES {
        for (postgres, redis) in [(true, true), (true, false), (false, true), (false, false)] {
            let mut spec = ProjectSpec {
                stack: p.stack,
                ..ProjectSpec::default()
            };
            spec.services.postgres = postgres;
            spec.services.redis = redis;
            let project = generate::generate(&spec, &Answers::default()).unwrap();
            let env = &project.file(".env.example").unwrap().contents;
            let queued = postgres || redis;
            assert_eq!(
                env.contains("\nSCHEDULE_INTERVAL=60\n"),
                queued,
                "{} {postgres} {redis}",
                p.id
            );
            let lease = env.contains("\nJOB_CLAIM_IDLE_MS=30000\n");
            assert_eq!(lease, p.job_lease.met(&spec), "{} {postgres} {redis}", p.id);
        }
    }
}
