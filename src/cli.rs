//! The `tfstudio` command line: argument parsing (clap) and file I/O around the core.
//!
//! Exit codes: 0 success, 1 the `score --min-level` gate failed, 2 a usage or input error
//! (unknown flag, unreadable or invalid file, invalid settings).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::core::answers::{load_document, Answers, Loaded};
use crate::core::archive;
use crate::core::content::custom::{self, Checklist};
use crate::core::content::Level;
use crate::core::generate::{self, Project};
use crate::core::score;
use crate::core::spec::{parse_spec, ProjectSpec};

const EXIT_CODES: &str = "\
Exit status: 0 success; 1 a gate failed (--min-level, --require-go) or a checklist has problems;
2 a usage or input error.
ASSESSMENT.json is the file the app exports (or .twelve-factor/assessment.json in a generated project).";

/// Assess a service against the twelve factors and generate its deploy scaffold.
#[derive(Debug, Parser)]
#[command(name = "tfstudio", version, after_help = EXIT_CODES, arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print a complete example spec (JSON) to start from.
    Spec {
        /// Print the example (required: there is nothing else to print yet).
        #[arg(long, required = true)]
        example: bool,
        /// An existing service's spec (deploy files only, with its own commands and names).
        #[arg(long)]
        existing: bool,
    },
    /// Generate the project a spec describes, into a folder or a zip.
    #[command(after_help = EXIT_CODES)]
    Generate(GenerateArgs),
    /// Print the verdict, score and plan; optionally gate on a level or the launch decision.
    #[command(after_help = EXIT_CODES)]
    Score(ScoreArgs),
    /// List the stacks and their runtime versions: one stack a line, its id then its versions,
    /// newest (the default) first. Scripts use it instead of their own copy of the table.
    Stacks,
    /// List the tool presets for existing services: one a line, its id, its stack, its
    /// dependency files, then its default start command.
    Presets,
    /// Work with team checklists.
    #[command(subcommand, after_help = EXIT_CODES)]
    Checklist(ChecklistCommand),
}

#[derive(Debug, Subcommand)]
enum ChecklistCommand {
    /// Validate a team checklist; every problem on its own line, exit 1 when there is any.
    #[command(after_help = EXIT_CODES)]
    Check {
        #[arg(value_name = "TEAM.json")]
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
struct GenerateArgs {
    /// The project settings (see `tfstudio spec --example`).
    #[arg(long, value_name = "SPEC.json")]
    spec: PathBuf,
    /// An exported assessment, for the README's compliance table and plan.
    #[arg(long, value_name = "ASSESSMENT.json")]
    answers: Option<PathBuf>,
    #[command(flatten)]
    output: Output,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
struct Output {
    /// Write the files under DIR/<name>/.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write a deterministic zip with everything under <name>/.
    #[arg(long, value_name = "FILE")]
    zip: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ScoreArgs {
    /// The exported assessment.
    #[arg(long, value_name = "ASSESSMENT.json")]
    answers: PathBuf,
    /// Exit 1 below this level: 1-4 or foundation, launchable, production, exemplary.
    #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
    min_level: Option<Level>,
    /// Exit 1 when the launch decision is No-go.
    #[arg(long)]
    require_go: bool,
    /// A team checklist to score with (else the one the assessment carries).
    #[arg(long, value_name = "TEAM.json")]
    checklist: Option<PathBuf>,
}

/// Runs the command line; returns the process exit code (see the module docs).
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let argv = std::iter::once("tfstudio".to_string()).chain(args.iter().cloned());
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e, out, err),
    };
    let result = match cli.command {
        Command::Spec { existing, .. } => print_example(existing, out),
        Command::Generate(a) => generate_command(&a, out),
        Command::Score(a) => score_command(&a, out),
        Command::Stacks => print_stacks(out),
        Command::Presets => print_presets(out),
        Command::Checklist(ChecklistCommand::Check { file }) => {
            checklist_check(&file, out).map_err(io)
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(err, "tfstudio: {message}");
            2
        }
    }
}

/// `--help` and `--version` go to stdout with status 0; usage errors to stderr with status 2.
fn clap_error(e: &clap::Error, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    use clap::error::ErrorKind;
    let text = e.render().to_string();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = write!(out, "{text}");
            0
        }
        _ => {
            let _ = write!(err, "{text}");
            2
        }
    }
}

fn io(e: std::io::Error) -> String {
    e.to_string()
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn read_answers(path: Option<&Path>) -> Result<Answers, String> {
    match path {
        None => Ok(Answers::default()),
        Some(p) => load_document(&read(p)?)
            .map(|loaded| loaded.answers)
            .map_err(|e| format!("{}: {e}", p.display())),
    }
}

fn print_example(existing: bool, out: &mut dyn Write) -> Result<i32, String> {
    let spec = if existing {
        example_existing_spec()
    } else {
        example_spec()
    };
    let json = serde_json::to_string_pretty(&spec).expect("spec serialises");
    writeln!(out, "{json}").map_err(io)?;
    Ok(0)
}

fn print_stacks(out: &mut dyn Write) -> Result<i32, String> {
    for p in crate::core::stacks::PROFILES {
        let versions: Vec<&str> = p.versions.iter().map(|v| v.major).collect();
        writeln!(out, "{} {}", p.id, versions.join(" ")).map_err(io)?;
    }
    Ok(0)
}

fn print_presets(out: &mut dyn Write) -> Result<i32, String> {
    for p in crate::core::presets::PRESETS {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            p.key,
            p.stack.id(),
            p.dependency_files.join(","),
            p.start_web
        )
        .map_err(io)?;
    }
    Ok(0)
}

fn generate_command(a: &GenerateArgs, out: &mut dyn Write) -> Result<i32, String> {
    let spec = parse_spec(&read(&a.spec)?)
        .map_err(|e| format!("{} is not a valid spec: {e}", a.spec.display()))?;
    let answers = read_answers(a.answers.as_deref())?;
    let project = generate::generate(&spec, &answers).map_err(|e| e.to_string())?;
    match (&a.output.out, &a.output.zip) {
        (Some(dir), _) => write_tree(&project, dir, out),
        (None, Some(zip)) => write_zip(&project, zip, out),
        (None, None) => unreachable!("clap requires --out or --zip"),
    }
}

fn write_tree(project: &Project, dir: &Path, out: &mut dyn Write) -> Result<i32, String> {
    let root = dir.join(&project.name);
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
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).map_err(io)?;
        }
    }
    let count = project.files.len();
    writeln!(out, "Wrote {count} files to {}", root.display()).map_err(io)?;
    Ok(0)
}

fn write_zip(project: &Project, zip: &Path, out: &mut dyn Write) -> Result<i32, String> {
    let bytes = archive::zip_project(project)?;
    std::fs::write(zip, &bytes).map_err(|e| format!("cannot write {}: {e}", zip.display()))?;
    let (count, size) = (project.files.len(), bytes.len());
    writeln!(out, "Wrote {} ({count} files, {size} bytes)", zip.display()).map_err(io)?;
    Ok(0)
}

/// `tfstudio score`: the Markdown report, then the verdict of each gate asked for.
fn score_command(a: &ScoreArgs, out: &mut dyn Write) -> Result<i32, String> {
    let given = a.checklist.as_deref().map(read_checklist).transpose()?;
    let loaded = load_with_checklist(&a.answers, given)?;
    custom::install(loaded.checklist.as_ref());
    let answers = loaded.answers;
    let report = score::score(&answers);
    write!(out, "{}", crate::core::report::markdown(&report, &answers)).map_err(io)?;
    score_gates(&report, a.min_level, a.require_go, out).map_err(io)
}

fn read_checklist(path: &Path) -> Result<Checklist, String> {
    custom::parse(&read(path)?).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
        let path = path.display();
        format!("{path} is not a valid team checklist:\n{}", list.join("\n"))
    })
}

/// Loads an assessment; a checklist given on the command line replaces the one it carries, so
/// answers to its questions are kept.
fn load_with_checklist(path: &Path, checklist: Option<Checklist>) -> Result<Loaded, String> {
    let mut text = read(path)?;
    let shown = path.display();
    if let Some(c) = checklist {
        let mut doc: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{shown} is not valid JSON: {e}"))?;
        if let Some(object) = doc.as_object_mut() {
            object.insert(
                "checklist".into(),
                serde_json::to_value(c).map_err(|e| e.to_string())?,
            );
        }
        text = doc.to_string();
    }
    load_document(&text).map_err(|e| format!("{shown}: {e}"))
}

/// `checklist check`: every problem on its own line, exit 1 when there is any.
fn checklist_check(path: &Path, out: &mut dyn Write) -> std::io::Result<i32> {
    let shown = path.display();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            writeln!(out, "{shown}: cannot read it ({e})")?;
            return Ok(2);
        }
    };
    match custom::parse(&text) {
        Ok(c) => {
            let questions: usize = c.topics.iter().map(|t| t.questions.len()).sum();
            let topics = c.topics.len();
            let title = &c.title;
            writeln!(
                out,
                "{shown}: OK, \"{title}\" with {topics} topics and {questions} questions."
            )?;
            Ok(0)
        }
        Err(errors) => {
            for e in &errors {
                writeln!(out, "{shown}: {e}")?;
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
        let go = report.launch.decision == score::Decision::Go;
        let verb = if go { "passed" } else { "failed" };
        writeln!(
            out,
            "\nGate {verb}: launch decision {}.",
            report.launch.summary()
        )?;
        if !go {
            code = 1;
        }
    }
    if let Some(min) = min {
        let (level, required) = (report.level.level, min.name());
        if level < min {
            let name = level.name();
            writeln!(
                out,
                "\nGate failed: level {name} is below the required {required}."
            )?;
            code = 1;
        } else {
            let name = level.name();
            writeln!(
                out,
                "\nGate passed: level {name} meets the required {required}."
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

/// The example for an existing service: a Python API on Poetry with its own variable names.
pub fn example_existing_spec() -> ProjectSpec {
    use crate::core::presets::PresetId;
    use crate::core::spec::{Existing, Mode, Variable};
    let mut spec = ProjectSpec {
        name: "billing-api".into(),
        description: "Issues invoices and takes payments.".into(),
        stack: crate::core::spec::Stack::Python,
        mode: Mode::Existing,
        existing: Existing::for_preset(PresetId::Poetry),
        ..ProjectSpec::default()
    };
    spec.services.postgres = true;
    spec.services.redis = true;
    spec.processes.worker = true;
    spec.processes.release = true;
    let ex = &mut spec.existing;
    ex.start.web = "gunicorn --config gunicorn.conf.py billing.wsgi:app".into();
    ex.start.worker = "celery --app billing.tasks worker --loglevel INFO".into();
    ex.start.release = "alembic upgrade head".into();
    ex.health_path = "/healthz".into();
    ex.ready_path = "/readyz".into();
    ex.database_var = "BILLING_DB_URL".into();
    ex.redis_var = "CELERY_BROKER_URL".into();
    ex.variables = vec![
        Variable {
            name: "STRIPE_API_KEY".into(),
            example: "sk_test_placeholder".into(),
            secret: true,
        },
        Variable {
            name: "INVOICE_CURRENCY".into(),
            example: "EUR".into(),
            secret: false,
        },
    ];
    ex.source_folders = vec![
        "billing".into(),
        "migrations".into(),
        "gunicorn.conf.py".into(),
        "alembic.ini".into(),
    ];
    spec
}
