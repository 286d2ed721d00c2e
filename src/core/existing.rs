//! The checks on an existing service's settings ([`crate::core::spec::Existing`]): each problem
//! is a [`FieldError`] on the field that fixes it, worded for the person who typed it.

use std::collections::BTreeMap;

use super::command::{self, Parsed};
use super::spec::{Field, FieldError, ProcessType, ProjectSpec};

/// Names the generated files set themselves; the app's own variables must not reuse them.
pub const RESERVED_VARIABLES: &[&str] = &[
    "PORT",
    "APP_ENV",
    "LOG_LEVEL",
    "IMAGE",
    "IMAGE_REPOSITORY",
    "POSTGRES_DB",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
];

/// Most extra variables one service may list (a form, not a config store).
pub const MAX_VARIABLES: usize = 50;
const MAX_COMMAND: usize = 500;
const MAX_PATH: usize = 200;

fn error(field: Field, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

impl ProjectSpec {
    /// Every problem with the existing service's settings (checked only in existing mode).
    pub fn existing_errors(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        self.preset_error(&mut errors);
        self.command_errors(&mut errors);
        let ex = &self.existing;
        errors.extend(path_error(Field::HealthPath, &ex.health_path, "health"));
        errors.extend(path_error(Field::ReadyPath, &ex.ready_path, "readiness"));
        self.variable_errors(&mut errors);
        errors.extend(folders_error(&ex.source_folders));
        errors
    }

    fn preset_error(&self, errors: &mut Vec<FieldError>) {
        let Some(id) = self.existing.preset else {
            return;
        };
        let preset = id.preset();
        if preset.stack != self.stack {
            let offered: Vec<&str> = self.stack.presets().map(|p| p.label).collect();
            errors.push(error(
                Field::Preset,
                format!(
                    "{} is a {} tool; for {} choose {}.",
                    preset.label,
                    preset.stack.label(),
                    self.stack.label(),
                    offered.join(", ")
                ),
            ));
        }
    }

    /// Whether the process type runs with these settings (web always).
    pub fn runs(&self, process: ProcessType) -> bool {
        match process {
            ProcessType::Web => true,
            ProcessType::Worker => self.processes.worker,
            ProcessType::Scheduler => self.processes.scheduler,
            ProcessType::Release => self.processes.release,
        }
    }

    fn command_errors(&self, errors: &mut Vec<FieldError>) {
        let ex = &self.existing;
        for (field, text, what) in [
            (Field::BuildCommand, &ex.build_command, "build command"),
            (Field::TestCommand, &ex.test_command, "test command"),
        ] {
            if text.contains(['\n', '\r']) || text.len() > MAX_COMMAND {
                errors.push(error(
                    field,
                    format!("Use one line of at most {MAX_COMMAND} characters for the {what}; join steps with &&."),
                ));
            }
        }
        if ex.test_command.trim().is_empty() {
            errors.push(error(
                Field::TestCommand,
                "Enter the command that runs your tests: CI runs it on every push (`true` runs none).",
            ));
        }
        for process in ProcessType::ALL.into_iter().filter(|p| self.runs(*p)) {
            if let Some(message) = start_error(process, ex.start.get(process)) {
                errors.push(error(Field::Start(process), message));
            }
        }
    }

    fn variable_errors(&self, errors: &mut Vec<FieldError>) {
        let ex = &self.existing;
        let mut seen: BTreeMap<String, &str> = RESERVED_VARIABLES
            .iter()
            .chain(self.stack.profile().env.iter().map(|v| &v.name))
            .map(|n| (n.to_string(), "set by the generated files"))
            .collect();
        let mut claim = |field: Field, name: &str, owner: &'static str| {
            if let Some(message) = name_error(name) {
                return Some(error(field, message));
            }
            seen.insert(name.to_string(), owner).map(|other| {
                error(
                    field,
                    format!("{name} is already used ({other}); each variable needs its own name."),
                )
            })
        };
        if self.services.postgres {
            errors.extend(claim(
                Field::DatabaseVar,
                &ex.database_var,
                "the database URL",
            ));
        }
        if self.services.redis {
            errors.extend(claim(Field::RedisVar, &ex.redis_var, "the Redis URL"));
        }
        for (i, var) in ex.variables.iter().enumerate().take(MAX_VARIABLES) {
            errors.extend(claim(
                Field::VariableName(i),
                &var.name,
                "by another variable",
            ));
            errors.extend(example_error(i, &var.example));
        }
        if ex.variables.len() > MAX_VARIABLES {
            errors.push(error(
                Field::VariableName(MAX_VARIABLES),
                format!("List at most {MAX_VARIABLES} variables; keep the rest in your platform's config."),
            ));
        }
    }
}

/// Why a start command cannot be used, or `None`.
pub fn start_error(process: ProcessType, text: &str) -> Option<String> {
    if text.len() > MAX_COMMAND {
        return Some(format!(
            "Use at most {MAX_COMMAND} characters for a start command."
        ));
    }
    match command::parse(text) {
        Parsed::Exec(_) => None,
        Parsed::Empty => Some(format!(
            "Enter the command that starts the {} process, as you would type it in the project folder.",
            process.id()
        )),
        Parsed::Unbalanced => Some("A quote is not closed; close it or remove it.".into()),
        Parsed::NeedsShell(shell) => Some(shell.message()),
    }
}

/// An HTTP path for probes: empty (none) or `/` followed by URL-safe characters.
fn path_error(field: Field, path: &str, what: &str) -> Option<FieldError> {
    if path.is_empty() {
        return None;
    }
    let problem = if !path.starts_with('/') {
        Some(format!(
            "Start the {what} path with / (for example /{}).",
            path.trim_start_matches('/')
        ))
    } else if path.len() > MAX_PATH {
        Some(format!(
            "Use at most {MAX_PATH} characters for the {what} path."
        ))
    } else {
        path.chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "/-._~".contains(*c)))
            .map(|c| format!(
                "{c:?} cannot be in the {what} path: use letters, digits and / - . _ ~ (probes and healthchecks send it as is)."
            ))
    };
    problem.map(|message| error(field, message))
}

/// Why `name` is not a usable environment variable name, or `None`.
pub fn name_error(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("Enter the variable's name.".into());
    }
    let valid = name.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if valid {
        return None;
    }
    let upper = name.to_ascii_uppercase();
    let hint = if upper != name && name_error(&upper).is_none() {
        format!(" (did you mean {upper}?)")
    } else {
        String::new()
    };
    Some(format!(
        "{name:?} is not a valid variable name: use capital letters, digits and _, not starting with a digit{hint}."
    ))
}

fn example_error(i: usize, example: &str) -> Option<FieldError> {
    let bad = example
        .chars()
        .find(|c| c.is_whitespace() || "'\"`$#\\".contains(*c));
    bad.map(|c| {
        error(
            Field::VariableExample(i),
            format!(
                "{c:?} cannot be in an example value: .env readers treat spaces, quotes, $, # and \\ differently. Use a plain placeholder."
            ),
        )
    })
}

/// Source folders: at least one, relative to the repository, inside it, no repeats.
fn folders_error(folders: &[String]) -> Option<FieldError> {
    let problem = if folders.is_empty() {
        Some(
            "List at least one folder to copy into the image (. copies the whole repository)."
                .to_string(),
        )
    } else {
        folders.iter().enumerate().find_map(|(i, f)| {
            folder_problem(f).or_else(|| {
                folders[..i]
                    .contains(f)
                    .then(|| format!("{f} is listed twice."))
            })
        })
    };
    problem.map(|message| error(Field::SourceFolders, message))
}

fn folder_problem(folder: &str) -> Option<String> {
    if folder.is_empty() {
        return Some("Remove the empty entry from the folders.".into());
    }
    if folder.starts_with('/') {
        return Some(format!(
            "{folder} starts with /: give folders relative to the repository root (src, not /src)."
        ));
    }
    if folder.split('/').any(|part| part == "..") {
        return Some(format!(
            "{folder} leaves the repository: the image is built from the repository only."
        ));
    }
    folder
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "/-._".contains(*c)))
        .map(|c| format!("{c:?} cannot be in a folder name here: use letters, digits and / - . _"))
}
