//! The `tfstudio` command line works as the README documents it.

use tfstudio::cli::run;
use tfstudio::core::answers::{Answer, Answers, Document};
use tfstudio::core::content;

fn call(args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(&args, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tfstudio-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn spec_example_generates_a_project_and_a_reproducible_zip() {
    let dir = temp_dir("gen");
    let (code, spec, _) = call(&["spec", "--example"]);
    assert_eq!(code, 0);
    let spec_path = dir.join("spec.json");
    std::fs::write(&spec_path, &spec).unwrap();
    let out = dir.join("out");
    let (code, msg, err) = call(&[
        "generate",
        "--spec",
        spec_path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(msg.contains("Wrote"));
    let root = out.join("orders-api");
    for f in [
        "Dockerfile",
        "docker-compose.yml",
        "Procfile",
        ".env.example",
        "README.md",
    ] {
        assert!(root.join(f).is_file(), "missing {f}");
    }
    let (a, b) = (dir.join("a.zip"), dir.join("b.zip"));
    assert_eq!(
        call(&[
            "generate",
            "--spec",
            spec_path.to_str().unwrap(),
            "--zip",
            a.to_str().unwrap()
        ])
        .0,
        0
    );
    assert_eq!(
        call(&[
            "generate",
            "--spec",
            spec_path.to_str().unwrap(),
            "--zip",
            b.to_str().unwrap()
        ])
        .0,
        0
    );
    assert_eq!(
        std::fs::read(a).unwrap(),
        std::fs::read(b).unwrap(),
        "same spec, same bytes"
    );
}

#[test]
fn score_gates_on_the_minimum_level() {
    let dir = temp_dir("score");
    let mut all_yes = Answers::default();
    for (_, q) in content::questions() {
        all_yes.set_answer(q.id, Some(Answer::Yes));
    }
    let good = dir.join("good.json");
    std::fs::write(&good, Document::new(&all_yes, None).to_json()).unwrap();
    let (code, out, _) = call(&[
        "score",
        "--answers",
        good.to_str().unwrap(),
        "--min-level",
        "production",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("**Maturity level: Exemplary**") && out.contains("Gate passed"),
        "{out}"
    );

    let empty = dir.join("empty.json");
    std::fs::write(&empty, Document::new(&Answers::default(), None).to_json()).unwrap();
    let (code, out, _) = call(&[
        "score",
        "--answers",
        empty.to_str().unwrap(),
        "--min-level",
        "2",
    ]);
    assert_eq!(code, 1, "below the level fails the gate");
    assert!(
        out.contains("Gate failed: level Not ready is below the required Launchable"),
        "{out}"
    );
}

#[test]
fn bad_input_is_a_clear_error_with_exit_code_2() {
    let dir = temp_dir("bad");
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{not json").unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["frobnicate"], "unrecognized subcommand"),
        (&["score"], "--answers"),
        (
            &["score", "--answers", broken.to_str().unwrap()],
            "malformed",
        ),
        (
            &["score", "--answers", "/nonexistent/x.json"],
            "cannot read",
        ),
        (
            &[
                "score",
                "--answers",
                broken.to_str().unwrap(),
                "--min-level",
                "gold",
            ],
            "unknown level",
        ),
    ];
    for (args, expected) in cases {
        let (code, _, err) = call(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}

#[test]
fn score_gates_on_the_launch_decision() {
    // One blocker answered Partly, everything else Yes: No-go, whatever the level gate says.
    let dir = temp_dir("go");
    let mut answers = Answers::default();
    for (_, q) in content::questions() {
        answers.set_answer(q.id, Some(Answer::Yes));
    }
    let blocker = content::questions()
        .map(|(_, q)| q)
        .find(|q| q.blocker)
        .unwrap();
    answers.set_answer(blocker.id, Some(Answer::Partly));
    let path = dir.join("partly.json");
    std::fs::write(&path, Document::new(&answers, None).to_json()).unwrap();
    let file = path.to_str().unwrap();

    let (code, out, _) = call(&["score", "--answers", file, "--require-go"]);
    assert_eq!(code, 1, "a Partly blocker fails --require-go");
    assert!(out.contains("**Launch decision: No-go**"), "{out}");
    assert!(
        out.contains("Gate failed: launch decision No-go: 1 open launch blocker."),
        "{out}"
    );

    let (code, out, _) = call(&["score", "--answers", file]);
    assert_eq!(code, 0, "without a gate the report alone exits 0: {out}");

    answers.set_answer(blocker.id, Some(Answer::Yes));
    std::fs::write(&path, Document::new(&answers, None).to_json()).unwrap();
    let (code, out, _) = call(&["score", "--require-go", "--answers", file]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Gate passed: launch decision Go: all "),
        "{out}"
    );
}

#[test]
fn checklist_check_and_score_with_the_teams_questions() {
    let dir = temp_dir("checklist");
    let (code, out, _) = call(&["checklist", "check", "examples/team-checklist.json"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("OK, \"Acme platform requirements\" with 2 topics and 3 questions"),
        "{out}"
    );

    let broken = dir.join("broken.json");
    let text = std::fs::read_to_string("examples/team-checklist.json")
        .unwrap()
        .replace("\"weight\": 3", "\"weight\": 7");
    std::fs::write(&broken, text).unwrap();
    let (code, out, _) = call(&["checklist", "check", broken.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        out.contains("topics[0].questions[1].weight: expected 1, 2 or 3, found 7"),
        "{out}"
    );

    let mut answers = Answers::default();
    answers.set_answer("acme-catalogue-entry", Some(Answer::No));
    let doc = dir.join("answers.json");
    std::fs::write(&doc, Document::new(&answers, None).to_json()).unwrap();
    let (code, out, _) = call(&[
        "score",
        "--answers",
        doc.to_str().unwrap(),
        "--checklist",
        "examples/team-checklist.json",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("| Acme observability (team) | 0% | 1/2 | 1 |"),
        "the team's answer counts: {out}"
    );
    let (code, _, err) = call(&[
        "score",
        "--answers",
        doc.to_str().unwrap(),
        "--checklist",
        broken.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("not a valid team checklist"), "{err}");
}

#[test]
fn every_subcommand_has_help_and_flags_take_the_equals_form() {
    for sub in ["spec", "generate", "score", "checklist"] {
        let (code, out, _) = call(&[sub, "--help"]);
        assert_eq!(code, 0, "{sub}");
        assert!(
            out.contains("Usage: tfstudio") && out.contains("Exit status") || sub == "spec",
            "{sub}: {out}"
        );
    }
    let (code, out, _) = call(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("generate") && out.contains("score") && out.contains("Exit status: 0"));
    let (code, _, err) = call(&["score", "--answers=/nonexistent/x.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read /nonexistent/x.json"), "{err}");
    let (code, _, err) = call(&["generate", "--spec=x.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("--out") && err.contains("--zip"), "{err}");
    let (code, _, err) = call(&["scor"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("score"),
        "a near miss suggests the subcommand: {err}"
    );
}

#[test]
fn a_misspelt_spec_setting_is_named_with_a_suggestion() {
    let dir = temp_dir("misspelt");
    let spec = dir.join("spec.json");
    std::fs::write(&spec, r#"{"name": "x-api", "stak": "go"}"#).unwrap();
    let (code, _, err) = call(&[
        "generate",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown field `stak`") && err.contains("did you mean `stack`?"),
        "{err}"
    );
}

#[test]
fn stacks_lists_every_profile_with_its_versions_default_first() {
    let (code, out, _) = call(&["stacks"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), tfstudio::core::spec::Stack::ALL.len());
    for (line, stack) in lines.iter().zip(tfstudio::core::spec::Stack::ALL) {
        let words: Vec<&str> = line.split(' ').collect();
        assert_eq!(words[0], stack.id());
        assert_eq!(words[1], stack.default_version());
        assert_eq!(words[1..], stack.versions()[..]);
    }
}

#[test]
fn an_invalid_spec_names_each_problem_on_its_own_line() {
    let dir = temp_dir("invalid");
    let spec = dir.join("spec.json");
    // An existing service with a worker and a release process but no start commands for them
    // (web starts with the preset's default).
    std::fs::write(
        &spec,
        r#"{"name": "orders-api", "stack": "node", "mode": "existing",
            "processes": {"worker": true, "release": true}, "services": {"postgres": true}}"#,
    )
    .unwrap();
    let out = dir.join("out");
    let (code, _, err) = call(&[
        "generate",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    let problems: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("  existing.start."))
        .collect();
    assert_eq!(
        problems.len(),
        2,
        "worker and release each on a line: {err}"
    );
    assert!(!err.contains(".;"), "no doubled punctuation: {err}");
    assert!(!out.exists(), "nothing is written for an invalid spec");
}
