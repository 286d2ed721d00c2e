//! Existing-service mode: the settings' validation messages, the start-command check, every
//! preset's Dockerfile and CI, the user's names in every file, and the consistency checks
//! holding the files to those names.

use tfstudio::core::answers::Answers;
use tfstudio::core::command::{self, Parsed};
use tfstudio::core::generate::{self, check_consistency, Project};
use tfstudio::core::presets::{PresetId, PRESETS};
use tfstudio::core::spec::{
    parse_spec, DeployTarget, Existing, Field, Mode, ProcessType, ProjectSpec, Variable,
};

fn existing(preset: PresetId) -> ProjectSpec {
    let stack = preset.preset().stack;
    ProjectSpec {
        name: "shop-api".into(),
        stack,
        mode: Mode::Existing,
        existing: Existing::for_preset(preset),
        ..ProjectSpec::default()
    }
}

fn message(spec: &ProjectSpec, field: Field) -> String {
    spec.validate()
        .into_iter()
        .find(|e| e.field == field)
        .map(|e| e.message)
        .unwrap_or_else(|| panic!("no message for {field}: {:?}", spec.validate()))
}

fn gen(spec: &ProjectSpec) -> Project {
    generate::generate(spec, &Answers::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn file<'a>(project: &'a Project, path: &str) -> &'a str {
    &project
        .file(path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

#[test]
fn a_start_command_with_shell_operators_is_refused_with_how_it_would_run_and_sh_c() {
    let mut spec = existing(PresetId::Npm);
    spec.existing.start.web = "npm run migrate && node server.js".into();
    let msg = message(&spec, Field::Start(ProcessType::Web));
    assert!(msg.contains("`&&`"), "{msg}");
    assert!(
        msg.contains(r#"["npm", "run", "migrate", "&&", "node", "server.js"]"#),
        "shows the words exec form would run: {msg}"
    );
    assert!(
        msg.contains("sh -c 'npm run migrate && node server.js'"),
        "offers the explicit wrapper: {msg}"
    );
    // Taking the offer is accepted: the operators are inside quotes now.
    spec.existing.start.web = command::wrap_in_shell("npm run migrate && node server.js");
    assert!(spec.validate().is_empty(), "{:?}", spec.validate());
    assert!(gen(&spec)
        .file("Dockerfile")
        .unwrap()
        .contents
        .contains(r#"CMD ["sh", "-c", "npm run migrate && node server.js"]"#));
}

#[test]
fn every_shell_feature_is_named() {
    for (typed, feature) in [
        ("node a.js | tee log", "`|`"),
        ("node a.js > out.log", "`>`"),
        ("node a.js < in", "`<`"),
        ("node a.js; node b.js", "`;`"),
        ("node a.js || exit 1", "`||`"),
        ("node a.js &", "`&`"),
        ("gunicorn -b 0.0.0.0:$PORT app:app", "`$PORT`"),
        ("node \"${ENTRY}\"", "`${ENTRY}`"),
        ("node $(cat entry)", "`$(`"),
        ("node `cat entry`", "`` ` ``"),
        ("NODE_ENV=production node a.js", "`NODE_ENV=production`"),
    ] {
        match command::parse(typed) {
            Parsed::NeedsShell(shell) => {
                let msg = shell.message();
                let shown = feature.trim_matches('`').trim();
                assert!(msg.contains(shown), "{typed}: {msg}");
                assert!(msg.contains("sh -c"), "{typed}: {msg}");
            }
            other => panic!("{typed} was accepted: {other:?}"),
        }
    }
    // Quoted operators are arguments, not shell syntax.
    assert_eq!(
        command::parse("node -e 'a && b' \"x | y\""),
        Parsed::Exec(vec![
            "node".into(),
            "-e".into(),
            "a && b".into(),
            "x | y".into()
        ])
    );
    assert_eq!(command::parse("node 'unclosed"), Parsed::Unbalanced);
    assert_eq!(command::parse("   "), Parsed::Empty);
}

#[test]
fn start_commands_are_required_for_the_chosen_processes_only() {
    let mut spec = existing(PresetId::Pip);
    spec.services.redis = true;
    spec.processes.worker = true;
    let msg = message(&spec, Field::Start(ProcessType::Worker));
    assert!(msg.contains("starts the worker process"), "{msg}");
    spec.existing.start.worker = "celery -A app worker".into();
    assert!(spec.validate().is_empty(), "{:?}", spec.validate());
    spec.processes.worker = false;
    spec.existing.start.worker = "broken && command".into();
    assert!(
        spec.validate().is_empty(),
        "an unused process's command is not checked"
    );
}

#[test]
fn paths_ports_names_and_folders_get_messages_at_their_fields() {
    let mut spec = existing(PresetId::Go);
    spec.existing.health_path = "healthz".into();
    spec.existing.ready_path = "/ready now".into();
    spec.port = 80;
    spec.services.postgres = true;
    spec.services.redis = true;
    spec.existing.database_var = "database-url".into();
    spec.existing.redis_var = "PORT".into();
    spec.existing.variables = vec![
        Variable {
            name: "API_KEY".into(),
            example: "x".into(),
            secret: true,
        },
        Variable {
            name: "API_KEY".into(),
            example: "has space".into(),
            secret: false,
        },
    ];
    spec.existing.source_folders = vec!["/src".into(), "../shared".into()];
    assert!(message(&spec, Field::HealthPath)
        .contains("Start the health path with / (for example /healthz)"));
    assert!(message(&spec, Field::ReadyPath).contains("' ' cannot be in the readiness path"));
    assert!(message(&spec, Field::Port).contains("1024 or above"));
    assert!(message(&spec, Field::DatabaseVar).contains("not a valid variable name"));
    assert!(message(&spec, Field::RedisVar)
        .contains("PORT is already used (set by the generated files)"));
    assert!(message(&spec, Field::VariableName(1)).contains("API_KEY is already used"));
    assert!(message(&spec, Field::VariableExample(1)).contains("' ' cannot be in an example value"));
    assert!(message(&spec, Field::SourceFolders).contains("relative to the repository root"));
    assert!(
        generate::generate(&spec, &Answers::default()).is_err(),
        "no files while the settings are invalid"
    );
    let lower = existing(PresetId::Go);
    let mut lower = ProjectSpec {
        services: tfstudio::core::spec::Services {
            postgres: true,
            redis: false,
        },
        ..lower.clone()
    };
    lower.existing.database_var = "db_url".into();
    assert!(message(&lower, Field::DatabaseVar).contains("did you mean DB_URL?"));
}

#[test]
fn a_preset_of_another_stack_is_refused() {
    let mut spec = existing(PresetId::Npm);
    spec.existing.preset = Some(PresetId::Poetry);
    let msg = message(&spec, Field::Preset);
    assert!(
        msg.contains("Poetry is a Python tool; for Node.js choose npm, pnpm, Yarn"),
        "{msg}"
    );
}

#[test]
fn changing_the_preset_keeps_what_was_typed() {
    let mut ex = Existing::for_preset(PresetId::Npm);
    ex.start.web = "node dist/main.js".into();
    ex.change_preset(PresetId::Pnpm);
    assert_eq!(ex.start.web, "node dist/main.js", "typed: kept");
    assert_eq!(
        ex.test_command, "pnpm test",
        "untouched default: the new preset's"
    );
    assert_eq!(ex.preset, Some(PresetId::Pnpm));
}

#[test]
fn every_preset_gets_its_install_cache_and_commands_in_the_dockerfile_and_ci() {
    for preset in PRESETS {
        let mut spec = existing(preset.id);
        spec.existing.start.web = "bin/serve --listen all".into();
        spec.existing.test_command = "make check-units".into();
        let project = gen(&spec);
        let docker = file(&project, "Dockerfile");
        for dep in preset.dependency_files {
            assert!(
                docker.contains(&format!("COPY {dep} ./{dep}\n")),
                "{}: {docker}",
                preset.key
            );
        }
        assert!(
            docker.contains(&format!("--mount=type=cache,target={}", preset.cache)),
            "{}",
            preset.key
        );
        assert!(docker.contains(preset.install), "{}", preset.key);
        assert!(
            docker.contains(r#"CMD ["bin/serve", "--listen", "all"]"#),
            "{}: exec form of the user's command",
            preset.key
        );
        for folder in preset.source_folders {
            let line = if *folder == "." {
                "COPY . .".to_string()
            } else {
                format!("COPY {folder} ./{folder}")
            };
            assert!(docker.contains(&line), "{}", preset.key);
        }
        if !preset.build.is_empty() {
            assert!(
                docker.contains(&format!("RUN {}", preset.build)),
                "{}",
                preset.key
            );
        }
        let ci = file(&project, ".github/workflows/ci.yml");
        assert!(ci.contains(preset.ci_install), "{}: {ci}", preset.key);
        assert!(ci.contains("run: make check-units"), "{}", preset.key);
        assert!(
            ci.contains("run: scripts/smoke-test.sh bin/serve --listen all"),
            "{}",
            preset.key
        );
        assert!(
            !project
                .files
                .iter()
                .any(|f| f.file_id == Some(tfstudio::core::content::FileId::App)),
            "{}: no starter app in existing mode",
            preset.key
        );
        let consistency = check_consistency(&project);
        assert!(
            consistency.ok(),
            "{}: {:?}",
            preset.key,
            consistency.failures()
        );
    }
}

fn custom() -> ProjectSpec {
    let mut spec = existing(PresetId::Poetry);
    spec.services.postgres = true;
    spec.services.redis = true;
    spec.processes.worker = true;
    spec.processes.release = true;
    spec.deploy_target = DeployTarget::Both;
    let ex = &mut spec.existing;
    ex.start.web = "gunicorn shop.wsgi:app".into();
    ex.start.worker = "celery -A shop worker".into();
    ex.start.release = "alembic upgrade head".into();
    ex.health_path = "/healthz".into();
    ex.ready_path = "/readyz".into();
    ex.database_var = "SHOP_DB".into();
    ex.redis_var = "BROKER_URL".into();
    ex.variables = vec![
        Variable {
            name: "STRIPE_KEY".into(),
            example: "sk_test_x".into(),
            secret: true,
        },
        Variable {
            name: "CURRENCY".into(),
            example: "EUR".into(),
            secret: false,
        },
    ];
    spec
}

#[test]
fn the_users_names_reach_every_file_and_ours_do_not() {
    let project = gen(&custom());
    for f in &project.files {
        if f.path.ends_with("assessment.json") {
            continue;
        }
        for ours in ["DATABASE_URL", "REDIS_URL", "\"/health\"", "/ready\n"] {
            assert!(!f.contents.contains(ours), "{} still has {ours}", f.path);
        }
    }
    let env = file(&project, ".env.example");
    for name in [
        "SHOP_DB=",
        "BROKER_URL=",
        "STRIPE_KEY=sk_test_x",
        "CURRENCY=EUR",
    ] {
        assert!(env.contains(name), "{name}");
    }
    let prod = file(&project, "docker-compose.prod.yml");
    assert!(prod.contains("SHOP_DB_FILE: /run/secrets/shop_db"));
    assert!(prod.contains("STRIPE_KEY_FILE: /run/secrets/stripe_key"));
    assert!(prod.contains("CURRENCY: ${CURRENCY:?"));
    assert!(prod.contains(
        r#"command: ["/usr/local/bin/env-from-files", "celery", "-A", "shop", "worker"]"#
    ));
    let procfile = file(&project, "Procfile");
    assert!(procfile.contains("web: PORT=${PORT:-8080} gunicorn shop.wsgi:app\n"));
    assert!(procfile.contains("worker: celery -A shop worker\n"));
    assert!(procfile.contains("release: alembic upgrade head"));
    let deployment = file(&project, "deploy/kubernetes/base/deployment.yaml");
    assert!(deployment.contains("path: /healthz"));
    assert!(deployment.contains("path: /readyz"));
    assert!(deployment
        .contains(r#"command: ["/usr/local/bin/env-from-files", "gunicorn", "shop.wsgi:app"]"#));
    let pod_env = file(&project, "deploy/kubernetes/base/deployment.yaml");
    assert!(pod_env.contains("- name: BROKER_URL_FILE"));
    let kustomization = file(&project, "deploy/kubernetes/base/kustomization.yaml");
    assert!(kustomization.contains("- CURRENCY=EUR"));
    let job = file(&project, "deploy/kubernetes/base/release-job.yaml");
    assert!(
        job.contains(r#"command: ["/usr/local/bin/env-from-files", "alembic", "upgrade", "head"]"#)
    );
    let ci = file(&project, ".github/workflows/ci.yml");
    assert!(ci.contains("SHOP_DB: postgres://"));
    assert!(ci.contains("BROKER_URL: redis://"));
    let readme = file(&project, "README.md");
    let checklist = readme.split("## Run locally").next().unwrap();
    for expectation in [
        "Binds `0.0.0.0:$PORT`",
        "Answers `/healthz` with 200",
        "Answers `/readyz`",
        "Logs to stdout",
        "Stops on SIGTERM",
        "`SHOP_DB`, `BROKER_URL`, `STRIPE_KEY`",
        "Review question `ready-health-endpoint`",
        "Review question `disposability-drain`",
    ] {
        assert!(
            checklist.contains(expectation),
            "README checklist lacks {expectation}"
        );
    }
    let consistency = check_consistency(&project);
    assert!(consistency.ok(), "{:?}", consistency.failures());
}

#[test]
fn without_health_and_readiness_paths_the_probes_fall_back_to_tcp_and_say_so() {
    let mut spec = custom();
    spec.existing.health_path.clear();
    spec.existing.ready_path.clear();
    let project = gen(&spec);
    let docker = file(&project, "Dockerfile");
    assert!(docker.contains("No health path: only checks that the port accepts connections"));
    assert!(
        docker.contains(r#"CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/\"${PORT}\""]"#),
        "{docker}"
    );
    let deployment = file(&project, "deploy/kubernetes/base/deployment.yaml");
    assert_eq!(deployment.matches("tcpSocket:").count(), 3);
    assert!(!deployment.contains("httpGet"));
    let readme = file(&project, "README.md");
    assert!(readme.contains("Has no health path"));
    assert!(readme.contains("Has no readiness path"));
    assert!(file(&project, "scripts/smoke-test.sh").contains("no health path"));
    assert!(
        check_consistency(&project).ok(),
        "{:?}",
        check_consistency(&project).failures()
    );
}

#[test]
fn consistency_holds_the_files_to_the_users_names() {
    let project = gen(&custom());
    let drift = |path: &str, from: &str, to: &str| {
        let mut p = project.clone();
        let f = p.files.iter_mut().find(|f| f.path == path).unwrap();
        assert!(f.contents.contains(from), "{path} has no {from}");
        f.contents = f.contents.replace(from, to);
        check_consistency(&p)
            .failures()
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
    };
    assert!(
        drift("Procfile", "gunicorn shop.wsgi:app", "gunicorn other:app")
            .contains(&"start command")
    );
    assert!(drift("Dockerfile", r#", "gunicorn", "#, r#", "uvicorn", "#).contains(&"start command"));
    assert!(
        drift(".github/workflows/ci.yml", "SHOP_DB:", "DATABASE_URL:")
            .contains(&"app configuration")
    );
    assert!(drift(
        "deploy/kubernetes/base/deployment.yaml",
        "path: /readyz",
        "path: /ready"
    )
    .contains(&"kubernetes port and probes"));
    assert!(drift(
        "deploy/kubernetes/base/deployment.yaml",
        "- name: SHOP_DB_FILE",
        "- name: DB_FILE"
    )
    .contains(&"kubernetes variables"));
    assert!(drift("Dockerfile", "GET /healthz", "GET /health").contains(&"health path"));
}

#[test]
fn older_documents_load_as_new_services_and_existing_settings_round_trip() {
    let old = r#"{"name": "a-service", "stack": "go", "port": 8080}"#;
    let spec = parse_spec(old).unwrap();
    assert_eq!(spec.mode, Mode::New);
    let new_json = serde_json::to_string(&ProjectSpec::default()).unwrap();
    assert!(
        !new_json.contains("existing"),
        "a new service's document is unchanged: {new_json}"
    );
    let spec = custom();
    let json = serde_json::to_string(&spec).unwrap();
    assert_eq!(parse_spec(&json).unwrap(), spec);
    let typo = r#"{"mode": "existing", "existing": {"healt_path": "/h"}}"#;
    let err = parse_spec(typo).unwrap_err();
    assert!(err.contains("did you mean `health_path`"), "{err}");
    // The assessment file inside the project carries the settings back.
    let project = gen(&spec);
    let loaded =
        tfstudio::core::answers::load_document(file(&project, ".twelve-factor/assessment.json"))
            .unwrap();
    assert_eq!(loaded.project, Some(spec));
}

#[test]
fn switching_to_new_mode_keeps_the_existing_settings_in_the_document() {
    let mut spec = custom();
    spec.mode = Mode::New;
    let json = serde_json::to_string(&spec).unwrap();
    assert!(json.contains("SHOP_DB"), "kept while in new mode");
    let project = gen(&spec);
    assert!(
        file(&project, ".env.example").contains("DATABASE_URL="),
        "a new service uses our names"
    );
    assert!(
        project
            .files
            .iter()
            .any(|f| f.file_id == Some(tfstudio::core::content::FileId::App)),
        "new mode generates the starter app"
    );
}

#[test]
fn tab_sync_merges_existing_settings_field_by_field() {
    use tfstudio::core::sync;
    let base = custom();
    let fields = sync::fields(&Answers::default(), &base);
    assert!(
        fields.contains_key("project/existing/start"),
        "{:?}",
        fields.keys().collect::<Vec<_>>()
    );
    let (_, back) = sync::unfields(&fields, &ProjectSpec::default());
    assert_eq!(back, base);
    // Two tabs change different existing settings: both changes survive the merge.
    let mut a = base.clone();
    a.existing.health_path = "/alive".into();
    let mut b = base.clone();
    b.existing.database_var = "MAIN_DB".into();
    let (fa, fb) = (
        sync::fields(&Answers::default(), &a),
        sync::fields(&Answers::default(), &b),
    );
    let mut ca = sync::Clock::new();
    sync::stamp(&mut ca, &fields, &fa, 10.0);
    let mut cb = sync::Clock::new();
    sync::stamp(&mut cb, &fields, &fb, 20.0);
    let (merged, _) = sync::merge((&fa, &ca), (&fb, &cb));
    let (_, spec) = sync::unfields(&merged, &ProjectSpec::default());
    assert_eq!(spec.existing.health_path, "/alive");
    assert_eq!(spec.existing.database_var, "MAIN_DB");
}

/// Every exec-form start command of `project` (Dockerfile CMD, compose, Kubernetes), with the
/// file it is in.
fn exec_starts(project: &Project) -> Vec<(String, String)> {
    project
        .files
        .iter()
        .filter(|f| {
            f.path == "Dockerfile"
                || f.path.starts_with("docker-compose")
                || f.path.ends_with(".yaml")
        })
        .flat_map(|f| {
            // A Dockerfile's own CMD starts its line (HEALTHCHECK's is indented).
            f.contents
                .lines()
                .filter(|l| l.starts_with("CMD [") || l.trim_start().starts_with("command: ["))
                .map(|l| (f.path.clone(), l.to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn an_app_that_reads_plain_variables_gets_its_secrets_through_env_from_files() {
    let project = gen(&custom());
    let consistency = check_consistency(&project);
    assert!(consistency.ok(), "{:?}", consistency.failures());
    let starts = exec_starts(&project);
    // web (Dockerfile, two Kubernetes files), worker (compose twice, Kubernetes), release.
    assert!(starts.len() >= 6, "{starts:?}");
    for (path, line) in &starts {
        assert!(
            line.contains(r#"["/usr/local/bin/env-from-files", "#),
            "{path}: {line}"
        );
    }
    assert!(file(&project, "Dockerfile")
        .contains("COPY --chmod=0755 scripts/env-from-files.sh /usr/local/bin/env-from-files"));
    assert!(file(&project, ".dockerignore").contains("\n!scripts/env-from-files.sh\n"));
    assert!(file(&project, "scripts/deploy.sh")
        .contains(r#""${image}" /usr/local/bin/env-from-files alembic upgrade head"#));
    // Where the variables are plain, the command stays as typed.
    assert!(file(&project, "Procfile").contains("web: PORT=${PORT:-8080} gunicorn shop.wsgi:app\n"));
    let script = file(&project, "scripts/env-from-files.sh");
    for var in ["SHOP_DB", "BROKER_URL", "STRIPE_KEY"] {
        assert!(script.contains(&format!("\nfrom_file {var}\n")), "{var}");
    }
    assert!(
        !script.contains("CURRENCY"),
        "a plain setting is not a secret"
    );

    // An app that reads NAME_FILE itself needs none of it.
    let mut reads_files = custom();
    reads_files.existing.reads_secret_files = true;
    let project = gen(&reads_files);
    assert!(project.file("scripts/env-from-files.sh").is_none());
    assert!(exec_starts(&project)
        .iter()
        .all(|(_, l)| !l.contains("env-from-files")));
    assert!(!file(&project, ".dockerignore").contains("env-from-files"));
}

/// Runs the generated script under POSIX sh (dash on Debian) with `env`, printing what the
/// start command sees.
fn run_env_from_files(script: &str, env: &[(&str, &str)]) -> std::process::Output {
    let dir = std::env::temp_dir().join(format!("tf-env-from-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("env-from-files.sh");
    std::fs::write(&path, script).unwrap();
    std::process::Command::new("sh")
        .arg(&path)
        .args([
            "sh",
            "-c",
            r#"printf '%s|%s|%s' "$SHOP_DB" "${SHOP_DB_FILE-unset}" "$BROKER_URL""#,
        ])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

#[test]
fn env_from_files_sets_each_variable_from_its_file_and_refuses_an_unreadable_one() {
    let project = gen(&custom());
    let script = file(&project, "scripts/env-from-files.sh");
    let secret = std::env::temp_dir().join(format!("tf-secret-{}", std::process::id()));
    // Quotes, a dollar sign and spaces survive; the trailing newline `printf … | docker secret
    // create` often leaves does not.
    let value = r#"postgres://shop:p'a$s w"d@db:5432/shop"#;
    std::fs::write(&secret, format!("{value}\n")).unwrap();
    let secret_path = secret.to_str().unwrap();

    let out = run_env_from_files(
        script,
        &[
            ("SHOP_DB_FILE", secret_path),
            ("BROKER_URL", "redis://plain:6379/0"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{value}|unset|redis://plain:6379/0"),
        "the file's value, NAME_FILE removed, a plain variable untouched"
    );

    let out = run_env_from_files(script, &[("SHOP_DB_FILE", "/run/secrets/missing")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "the start command never ran");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "env-from-files: SHOP_DB_FILE names /run/secrets/missing, which cannot be read\n"
    );
    std::fs::remove_file(secret).ok();
}
