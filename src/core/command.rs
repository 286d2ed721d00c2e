//! Start and build commands the user types for an existing service.
//!
//! The generated files run start commands in exec form (Dockerfile `CMD ["node", "server.js"]`,
//! Kubernetes `command:`, compose `command:`): the program is started directly, without a shell,
//! so it is PID 1 and receives SIGTERM itself. A command that needs a shell (operators,
//! redirections, `$VAR` expansion, a leading `NAME=value`) would run wrongly in exec form, so it
//! is refused with the words exec form would run, and the explicit `sh -c` wrapper is offered.
//! Splitting into words follows POSIX shell quoting (the `shell-words` crate), so quoted
//! arguments stay whole.

/// Why a command cannot run in exec form as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeedsShell {
    /// The shell feature found, as the user typed it (`&&`, `|`, `$PORT`, ...).
    pub feature: String,
    /// What the feature is, for the message ("runs a second command").
    pub meaning: &'static str,
    /// The words exec form would pass to the program (operators become plain arguments).
    pub exec_words: Vec<String>,
    /// The command wrapped explicitly: `sh -c '...'`.
    pub wrapped: String,
}

impl NeedsShell {
    /// The message shown next to the field.
    pub fn message(&self) -> String {
        format!(
            "`{}` {}, which needs a shell; exec form (Dockerfile CMD, Kubernetes command) starts \
             the program directly and would run {}. To run it through a shell, say so explicitly: \
             {} (the shell then receives SIGTERM: put `exec` before the last program so the app \
             gets it).",
            self.feature,
            self.meaning,
            exec_json(&self.exec_words),
            self.wrapped
        )
    }
}

/// A command's problem, or its words for exec form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// Ready for exec form.
    Exec(Vec<String>),
    Empty,
    /// An unclosed quote.
    Unbalanced,
    NeedsShell(NeedsShell),
}

/// The shell features exec form does not have, longest first so `&&` is found before `&`.
const FEATURES: &[(&str, &str)] = &[
    ("&&", "runs a second command when the first succeeds"),
    ("||", "runs a second command when the first fails"),
    ("$(", "substitutes a command's output"),
    (";", "runs a second command"),
    ("|", "pipes into a second command"),
    ("&", "runs the command in the background"),
    ("<", "redirects input"),
    (">", "redirects output"),
    ("`", "substitutes a command's output"),
];

/// Splits `command` for exec form, or says why it cannot be.
pub fn parse(command: &str) -> Parsed {
    let trimmed = command.trim();
    if trimmed.is_empty() {
        return Parsed::Empty;
    }
    let Ok(words) = shell_words::split(trimmed) else {
        return Parsed::Unbalanced;
    };
    match shell_feature(trimmed).or_else(|| leading_assignment(&words)) {
        Some((feature, meaning)) => Parsed::NeedsShell(NeedsShell {
            feature,
            meaning,
            exec_words: words,
            wrapped: wrap_in_shell(trimmed),
        }),
        None => Parsed::Exec(words),
    }
}

/// The command as `sh -c '<command>'`, quoted so the shell sees it unchanged.
pub fn wrap_in_shell(command: &str) -> String {
    format!("sh -c {}", shell_words::quote(command.trim()))
}

/// The first shell feature outside single quotes (inside double quotes only `$` and backticks
/// still expand).
fn shell_feature(command: &str) -> Option<(String, &'static str)> {
    let chars: Vec<char> = command.chars().collect();
    let (mut single, mut double) = (false, false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().collect();
        match c {
            '\\' if !single => {
                i += 2;
                continue;
            }
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '$' if !single => {
                if let Some(found) = expansion(&rest) {
                    return Some(found);
                }
            }
            _ if single => {}
            '`' => return Some(("`".into(), "substitutes a command's output")),
            _ if double => {}
            _ => {
                if let Some((op, meaning)) = FEATURES.iter().find(|(op, _)| rest.starts_with(op)) {
                    return Some((op.to_string(), meaning));
                }
            }
        }
        i += 1;
    }
    None
}

/// `$NAME`, `${NAME}` or `$(...)` at the start of `rest`.
fn expansion(rest: &str) -> Option<(String, &'static str)> {
    if rest.starts_with("$(") {
        return Some(("$(".into(), "substitutes a command's output"));
    }
    let after = rest.strip_prefix('$')?;
    if after.starts_with('{') {
        let name: String = after.chars().take_while(|c| *c != '}').collect();
        return Some((
            format!("${name}}}"),
            "expands a variable (exec form passes it literally)",
        ));
    }
    let name: String = after
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then(|| {
        (
            format!("${name}"),
            "expands a variable (exec form passes it literally)",
        )
    })
}

/// `NAME=value program ...`: a shell assignment, which exec form would try to run as a program.
fn leading_assignment(words: &[String]) -> Option<(String, &'static str)> {
    let first = words.first()?;
    let (name, _) = first.split_once('=')?;
    let valid = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then(|| {
        (
            first.clone(),
            "sets a variable for the command (set it in the environment instead)",
        )
    })
}

/// Words as a JSON array, the way exec form is written.
pub fn exec_json(words: &[String]) -> String {
    let quoted: Vec<String> = words
        .iter()
        .map(|w| serde_json::to_string(w).expect("strings serialise"))
        .collect();
    format!("[{}]", quoted.join(", "))
}
