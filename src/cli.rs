//! The `tfstudio` command line: file I/O and argument parsing around the core.

use std::io::Write;
use std::path::Path;

use crate::core::answers::{load_document, Answers, Loaded};
use crate::core::archive;
use crate::core::content::custom::{self, Checklist};
use crate::core::content::Level;
use crate::core::generate;
use crate::core::score;
use crate::core::spec::ProjectSpec;

const USAGE: &str = "\
tfstudio: assess a service against the twelve factors and generate its deploy scaffold.

USAGE:
  tfstudio spec --example                       print a complete example spec (JSON)
  tfstudio generate --spec SPEC.json [--answers ASSESSMENT.json] (--out DIR | --zip FILE)
  tfstudio score --answers ASSESSMENT.json [--checklist TEAM.json] [--min-level LEVEL] [--require-go]
                                                print the verdict, score and plan; exit 1 when the
                                                level is below LEVEL, or with --require-go when the
                                                launch decision is No-go; --checklist adds the
                                                team's own questions (else the assessment's own)
  tfstudio checklist check TEAM.json            validate a team checklist; exit 1 on problems
  tfstudio help

LEVEL is a number or a name: 1 foundation, 2 launchable, 3 production, 4 exemplary.
ASSESSMENT.json is the file the app exports (or .twelve-factor/assessment.json in a generated project).
";

/// Runs the command line; returns the process exit code (0 ok, 1 gate failed, 2 usage or input error).
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match dispatch(args, out) {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(err, "tfstudio: {message}");
            2
        }
    }
}

fn flag<'a>(args: &'a [String], name: &str) -> Result<Option<&'a str>, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .map(|v| Some(v.as_str()))
            .ok_or(format!("{name} needs a value")),
    }
}

fn check_flags(args: &[String], allowed: &[&str]) -> Result<(), String> {
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if !allowed.contains(&a) {
            return Err(format!("unexpected argument {a:?}; see `tfstudio help`"));
        }
        i += if a == "--example" { 1 } else { 2 };
    }
    Ok(())
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn read_answers(path: Option<&str>) -> Result<(Answers, Option<ProjectSpec>), String> {
    match path {
        None => Ok((Answers::default(), None)),
        Some(p) => {
            let loaded = load_document(&read(p)?).map_err(|e| format!("{p}: {e}"))?;
            Ok((loaded.answers, loaded.project))
        }
    }
}

fn dispatch(args: &[String], out: &mut dyn Write) -> Result<i32, String> {
    let w = |e: std::io::Error| e.to_string();
    let Some((command, rest)) = args.split_first() else {
        write!(out, "{USAGE}").map_err(w)?;
        return Ok(2);
    };
    match command.as_str() {
        "help" | "--help" | "-h" => {
            write!(out, "{USAGE}").map_err(w)?;
            Ok(0)
        }
        "--version" | "version" => {
            writeln!(out, "tfstudio {}", env!("CARGO_PKG_VERSION")).map_err(w)?;
            Ok(0)
        }
        "spec" => {
            check_flags(rest, &["--example"])?;
            if !rest.iter().any(|a| a == "--example") {
                return Err("use `tfstudio spec --example` to print an example spec".into());
            }
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&example_spec()).expect("spec serialises")
            )
            .map_err(w)?;
            Ok(0)
        }
        "generate" => {
            check_flags(rest, &["--spec", "--answers", "--out", "--zip"])?;
            let spec_path = flag(rest, "--spec")?.ok_or("generate needs --spec SPEC.json")?;
            let spec: ProjectSpec = serde_json::from_str(&read(spec_path)?)
                .map_err(|e| format!("{spec_path} is not a valid spec: {e}"))?;
            let (answers, _) = read_answers(flag(rest, "--answers")?)?;
            let project = generate::generate(&spec, &answers).map_err(|e| e.to_string())?;
            match (flag(rest, "--out")?, flag(rest, "--zip")?) {
                (Some(dir), None) => {
                    let root = Path::new(dir).join(&project.name);
                    for file in &project.files {
                        let path = root.join(&file.path);
                        if let Some(parent) = path.parent() {
                            std::fs::create_dir_all(parent)
                                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                        }
                        std::fs::write(&path, &file.contents)
                            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                        #[cfg(unix)]
                        if file.executable {
                            use std::os::unix::fs::PermissionsExt;
                            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
                                .map_err(w)?;
                        }
                    }
                    writeln!(
                        out,
                        "Wrote {} files to {}",
                        project.files.len(),
                        root.display()
                    )
                    .map_err(w)?;
                }
                (None, Some(zip)) => {
                    let bytes = archive::zip_project(&project)?;
                    std::fs::write(zip, &bytes).map_err(|e| format!("cannot write {zip}: {e}"))?;
                    writeln!(
                        out,
                        "Wrote {zip} ({} files, {} bytes)",
                        project.files.len(),
                        bytes.len()
                    )
                    .map_err(w)?;
                }
                _ => return Err("generate needs exactly one of --out DIR or --zip FILE".into()),
            }
            Ok(0)
        }
        "score" => {
            let require_go = rest.iter().any(|a| a == "--require-go");
            let rest: Vec<String> = rest
                .iter()
                .filter(|a| *a != "--require-go")
                .cloned()
                .collect();
            check_flags(&rest, &["--answers", "--min-level", "--checklist"])?;
            let path = flag(&rest, "--answers")?.ok_or("score needs --answers ASSESSMENT.json")?;
            let min = flag(&rest, "--min-level")?.map(parse_level).transpose()?;
            let given = flag(&rest, "--checklist")?
                .map(read_checklist)
                .transpose()?;
            let loaded = load_with_checklist(path, given)?;
            custom::install(loaded.checklist.as_ref());
            let answers = loaded.answers;
            let report = score::score(&answers);
            write!(out, "{}", crate::core::report::markdown(&report, &answers)).map_err(w)?;
            score_gates(&report, min, require_go, out).map_err(w)
        }
        "checklist" => match rest {
            [sub, file] if sub == "check" => checklist_check(file, out).map_err(w),
            _ => Err("use `tfstudio checklist check TEAM.json`".into()),
        },
        other => Err(format!("unknown command {other:?}; see `tfstudio help`")),
    }
}

fn read_checklist(path: &str) -> Result<Checklist, String> {
    custom::parse(&read(path)?).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
        format!("{path} is not a valid team checklist:\n{}", list.join("\n"))
    })
}

/// Loads an assessment; a checklist given on the command line replaces the one it carries, so
/// answers to its questions are kept.
fn load_with_checklist(path: &str, checklist: Option<Checklist>) -> Result<Loaded, String> {
    let mut text = read(path)?;
    if let Some(c) = checklist {
        let mut doc: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{path} is not valid JSON: {e}"))?;
        if let Some(object) = doc.as_object_mut() {
            object.insert(
                "checklist".into(),
                serde_json::to_value(c).map_err(|e| e.to_string())?,
            );
        }
        text = doc.to_string();
    }
    load_document(&text).map_err(|e| format!("{path}: {e}"))
}

/// `checklist check`: every problem on its own line, exit 1 when there is any.
fn checklist_check(path: &str, out: &mut dyn Write) -> std::io::Result<i32> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            writeln!(out, "{path}: cannot read it ({e})")?;
            return Ok(2);
        }
    };
    match custom::parse(&text) {
        Ok(c) => {
            let questions: usize = c.topics.iter().map(|t| t.questions.len()).sum();
            writeln!(
                out,
                "{path}: OK, \"{}\" with {} topics and {questions} questions.",
                c.title,
                c.topics.len()
            )?;
            Ok(0)
        }
        Err(errors) => {
            for e in &errors {
                writeln!(out, "{path}: {e}")?;
            }
            Ok(1)
        }
    }
}

/// Checks the gates the user asked for, says the outcome of each, and returns the exit code:
/// 1 when any gate fails.
fn score_gates(
    report: &score::Report,
    min: Option<Level>,
    require_go: bool,
    out: &mut dyn Write,
) -> std::io::Result<i32> {
    let mut code = 0;
    if require_go {
        let verb = if report.launch.decision == score::Decision::Go {
            "passed"
        } else {
            "failed"
        };
        writeln!(
            out,
            "\nGate {verb}: launch decision {}.",
            report.launch.summary()
        )?;
        if verb == "failed" {
            code = 1;
        }
    }
    if let Some(min) = min {
        let level = report.level.level;
        if level < min {
            writeln!(
                out,
                "\nGate failed: level {} is below the required {}.",
                level.name(),
                min.name()
            )?;
            code = 1;
        } else {
            writeln!(
                out,
                "\nGate passed: level {} meets the required {}.",
                level.name(),
                min.name()
            )?;
        }
    }
    Ok(code)
}

fn parse_level(s: &str) -> Result<Level, String> {
    let by_number = s.parse::<u8>().ok().and_then(Level::from_number);
    let by_name = Level::ALL
        .into_iter()
        .find(|l| l.name().eq_ignore_ascii_case(s));
    by_number
        .or(by_name)
        .filter(|l| *l != Level::NotReady)
        .ok_or(format!(
            "unknown level {s:?}: use 1-4 or foundation, launchable, production, exemplary"
        ))
}

/// A complete spec with every option shown.
pub fn example_spec() -> ProjectSpec {
    let mut spec = ProjectSpec {
        name: "orders-api".into(),
        ..ProjectSpec::default()
    };
    spec.description = "Takes and tracks customer orders.".into();
    spec.services.postgres = true;
    spec.services.redis = true;
    spec.processes.worker = true;
    spec.processes.release = true;
    spec
}
