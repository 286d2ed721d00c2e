//! The project description the generator works from: plain data, validated before use.

use serde::{Deserialize, Serialize};

use super::presets::PresetId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stack {
    Node,
    Python,
    Go,
    Rust,
    Java,
    Ruby,
}

impl Stack {
    pub const ALL: [Stack; 6] = [
        Stack::Node,
        Stack::Python,
        Stack::Go,
        Stack::Rust,
        Stack::Java,
        Stack::Ruby,
    ];

    pub fn id(self) -> &'static str {
        self.profile().id
    }

    pub fn from_id(id: &str) -> Option<Stack> {
        Stack::ALL.into_iter().find(|s| s.id() == id)
    }

    pub fn label(self) -> &'static str {
        self.profile().label
    }

    /// The web framework (or standard library) the generated app uses.
    pub fn framework(self) -> &'static str {
        self.profile().framework
    }

    /// The command that runs the generated project's own tests (CI runs it too).
    pub fn test_command(self) -> &'static str {
        self.profile().test
    }

    /// The current default runtime version.
    pub fn default_version(self) -> &'static str {
        self.profile().versions[0].major
    }

    /// Runtime versions offered in the form, newest first.
    pub fn versions(self) -> Vec<&'static str> {
        self.profile().versions.iter().map(|v| v.major).collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ci {
    GithubActions,
    GitlabCi,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Registry {
    Ghcr,
    DockerHub,
}

/// Where the production stack runs: the files generated for it and what `scripts/deploy.sh` and
/// the CI deploy jobs drive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeployTarget {
    /// Docker Swarm: `docker-compose.prod.yml` and `docker stack deploy`.
    #[default]
    Swarm,
    /// Kubernetes: a Kustomize base and staging/production overlays, `kubectl apply -k`.
    Kubernetes,
    /// Both sets of files; `scripts/deploy.sh` deploys to Kubernetes unless told otherwise.
    Both,
}

impl DeployTarget {
    pub const ALL: [DeployTarget; 3] = [
        DeployTarget::Swarm,
        DeployTarget::Kubernetes,
        DeployTarget::Both,
    ];

    pub fn id(self) -> &'static str {
        match self {
            DeployTarget::Swarm => "swarm",
            DeployTarget::Kubernetes => "kubernetes",
            DeployTarget::Both => "both",
        }
    }

    pub fn from_id(id: &str) -> Option<DeployTarget> {
        DeployTarget::ALL.into_iter().find(|t| t.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            DeployTarget::Swarm => "Docker Swarm",
            DeployTarget::Kubernetes => "Kubernetes (Kustomize)",
            DeployTarget::Both => "Both",
        }
    }

    pub fn swarm(self) -> bool {
        matches!(self, DeployTarget::Swarm | DeployTarget::Both)
    }

    pub fn kubernetes(self) -> bool {
        matches!(self, DeployTarget::Kubernetes | DeployTarget::Both)
    }
}

/// The optional processes beside `web`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Processes {
    pub worker: bool,
    pub scheduler: bool,
    /// A release phase that runs migrations as a one-off admin process.
    pub release: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Services {
    pub postgres: bool,
    pub redis: bool,
}

/// Everything the generator needs to know about the project. Read from people's files, so an
/// unknown (often misspelt) setting is refused by name instead of silently ignored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectSpec {
    pub name: String,
    pub description: String,
    pub stack: Stack,
    /// Empty means the stack's default version.
    pub runtime_version: String,
    pub port: u16,
    pub processes: Processes,
    pub services: Services,
    pub ci: Ci,
    pub registry: Registry,
    /// Older documents have no target: they keep the Swarm files they were made with.
    pub deploy_target: DeployTarget,
    /// A new service around the starter app, or deploy files for the user's own service.
    /// Older documents have none: they are new services. Left out when new, so documents of new
    /// services read as before.
    #[serde(skip_serializing_if = "Mode::is_new")]
    pub mode: Mode,
    /// The user's service, read only in [`Mode::Existing`] (kept in new mode, so switching
    /// back and forth loses nothing typed). Left out while it holds only defaults.
    #[serde(skip_serializing_if = "Existing::is_default")]
    pub existing: Existing,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// The starter app plus every deploy file.
    #[default]
    New,
    /// Deploy files only, fitted to the service the user already has.
    Existing,
}

impl Mode {
    pub fn is_new(&self) -> bool {
        *self == Mode::New
    }
}

/// The start command of each process type. Empty means not given (required when the process
/// is chosen).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StartCommands {
    pub web: String,
    pub worker: String,
    pub scheduler: String,
    pub release: String,
}

/// A variable the user's app reads, for `.env.example` and the deploy files.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Variable {
    pub name: String,
    /// A placeholder for `.env.example`; never a real secret.
    pub example: String,
    /// Secrets go to Docker/Kubernetes secrets, the rest to config.
    pub secret: bool,
}

/// What the generator must know about a service that already exists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Existing {
    /// The dependency tool; `None` means the stack's first preset.
    pub preset: Option<PresetId>,
    /// Runs after the install, in the image's build stage and in CI (a shell command).
    pub build_command: String,
    /// The project's tests, in CI (a shell command).
    pub test_command: String,
    /// Exec form: no shell operators (see [`crate::core::command`]).
    pub start: StartCommands,
    /// The app reads `$PORT`; otherwise it always binds `port`.
    pub reads_port: bool,
    /// The app reads a credential from the file `NAME_FILE` names (Docker and Kubernetes
    /// secrets are files). Otherwise the image's `env-from-files` sets `NAME` from that file
    /// before the start command runs.
    pub reads_secret_files: bool,
    /// Liveness path, or empty when the app has none (probes fall back to a TCP check).
    pub health_path: String,
    /// Readiness path, or empty when the app has none.
    pub ready_path: String,
    /// The variables the app reads its backing services' URLs from.
    pub database_var: String,
    pub redis_var: String,
    /// Any other variables the app needs.
    pub variables: Vec<Variable>,
    /// Copied into the image after the dependencies, relative to the repository root.
    pub source_folders: Vec<String>,
}

impl Default for Existing {
    fn default() -> Self {
        Existing::for_preset(Stack::Node.default_preset())
    }
}

impl Existing {
    pub fn is_default(&self) -> bool {
        *self == Existing::default()
    }

    /// The form's defaults for a preset.
    pub fn for_preset(id: PresetId) -> Existing {
        let preset = id.preset();
        Existing {
            preset: Some(id),
            build_command: preset.build.to_string(),
            test_command: preset.test.to_string(),
            start: StartCommands {
                web: preset.start_web.to_string(),
                ..StartCommands::default()
            },
            reads_port: true,
            // Most apps read plain variables: the shim is the default that works.
            reads_secret_files: false,
            health_path: "/health".into(),
            ready_path: "/ready".into(),
            database_var: "DATABASE_URL".into(),
            redis_var: "REDIS_URL".into(),
            variables: Vec::new(),
            source_folders: preset
                .source_folders
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }

    /// Switches to another preset: every setting still at the old preset's default takes the
    /// new one's; whatever the user typed stays.
    pub fn change_preset(&mut self, id: PresetId) {
        let old = Existing::for_preset(self.preset.unwrap_or(id));
        let new = Existing::for_preset(id);
        let keep_or = |current: &mut String, old: &str, new: &str| {
            if current == old {
                *current = new.to_string();
            }
        };
        keep_or(
            &mut self.build_command,
            &old.build_command,
            &new.build_command,
        );
        keep_or(&mut self.test_command, &old.test_command, &new.test_command);
        keep_or(&mut self.start.web, &old.start.web, &new.start.web);
        if self.source_folders == old.source_folders {
            self.source_folders = new.source_folders;
        }
        self.preset = Some(id);
    }

    /// The preset in use: the chosen one when it belongs to `stack`, else the stack's default.
    pub fn preset_id(&self, stack: Stack) -> PresetId {
        self.preset
            .filter(|p| p.preset().stack == stack)
            .unwrap_or(stack.default_preset())
    }
}

impl Default for ProjectSpec {
    fn default() -> Self {
        ProjectSpec {
            name: "my-service".to_string(),
            description: "A twelve-factor web service.".to_string(),
            stack: Stack::Node,
            runtime_version: String::new(),
            port: 8080,
            processes: Processes::default(),
            services: Services::default(),
            ci: Ci::GithubActions,
            registry: Registry::Ghcr,
            deploy_target: DeployTarget::Swarm,
            mode: Mode::New,
            existing: Existing::default(),
        }
    }
}

/// A setting of the form, so a validation message lands next to the control that fixes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Description,
    RuntimeVersion,
    Port,
    Worker,
    Release,
    Preset,
    BuildCommand,
    TestCommand,
    /// The start command of a process type.
    Start(ProcessType),
    HealthPath,
    ReadyPath,
    DatabaseVar,
    RedisVar,
    /// The name, or the example, of the extra variable at this position.
    VariableName(usize),
    VariableExample(usize),
    SourceFolders,
}

/// The process types an existing service gives a start command for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProcessType {
    Web,
    Worker,
    Scheduler,
    Release,
}

impl ProcessType {
    pub const ALL: [ProcessType; 4] = [
        ProcessType::Web,
        ProcessType::Worker,
        ProcessType::Scheduler,
        ProcessType::Release,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ProcessType::Web => "web",
            ProcessType::Worker => "worker",
            ProcessType::Scheduler => "scheduler",
            ProcessType::Release => "release",
        }
    }
}

impl StartCommands {
    pub fn get(&self, process: ProcessType) -> &str {
        match process {
            ProcessType::Web => &self.web,
            ProcessType::Worker => &self.worker,
            ProcessType::Scheduler => &self.scheduler,
            ProcessType::Release => &self.release,
        }
    }

    pub fn get_mut(&mut self, process: ProcessType) -> &mut String {
        match process {
            ProcessType::Web => &mut self.web,
            ProcessType::Worker => &mut self.worker,
            ProcessType::Scheduler => &mut self.scheduler,
            ProcessType::Release => &mut self.release,
        }
    }
}

impl Field {
    /// The fields that are not per-row, for checks over every id.
    pub const ALL: [Field; 17] = [
        Field::Name,
        Field::Description,
        Field::RuntimeVersion,
        Field::Port,
        Field::Worker,
        Field::Release,
        Field::Preset,
        Field::BuildCommand,
        Field::TestCommand,
        Field::Start(ProcessType::Web),
        Field::Start(ProcessType::Worker),
        Field::Start(ProcessType::Scheduler),
        Field::Start(ProcessType::Release),
        Field::HealthPath,
        Field::ReadyPath,
        Field::DatabaseVar,
        Field::RedisVar,
    ];

    /// The key used in the spec's JSON (dotted for the existing service's settings), in CLI
    /// messages and as the form's element id suffix.
    pub fn id(self) -> String {
        match self {
            Field::Name => "name".into(),
            Field::Description => "description".into(),
            Field::RuntimeVersion => "runtime_version".into(),
            Field::Port => "port".into(),
            Field::Worker => "worker".into(),
            Field::Release => "release".into(),
            Field::Preset => "existing.preset".into(),
            Field::BuildCommand => "existing.build_command".into(),
            Field::TestCommand => "existing.test_command".into(),
            Field::Start(p) => format!("existing.start.{}", p.id()),
            Field::HealthPath => "existing.health_path".into(),
            Field::ReadyPath => "existing.ready_path".into(),
            Field::DatabaseVar => "existing.database_var".into(),
            Field::RedisVar => "existing.redis_var".into(),
            Field::VariableName(i) => format!("existing.variables.{i}.name"),
            Field::VariableExample(i) => format!("existing.variables.{i}.example"),
            Field::SourceFolders => "existing.source_folders".into(),
        }
    }
}

impl Field {
    /// The form's label for the field, for the summary of what blocks the download.
    pub fn label(self) -> String {
        match self {
            Field::Name => "Project name".into(),
            Field::Description => "Description".into(),
            Field::RuntimeVersion => "Runtime version".into(),
            Field::Port => "HTTP port".into(),
            Field::Worker => "worker process".into(),
            Field::Release => "release process".into(),
            Field::Preset => "Dependency tool".into(),
            Field::BuildCommand => "Build command".into(),
            Field::TestCommand => "Test command".into(),
            Field::Start(p) => format!("{} start command", p.id()),
            Field::HealthPath => "Health path".into(),
            Field::ReadyPath => "Readiness path".into(),
            Field::DatabaseVar => "Database URL variable".into(),
            Field::RedisVar => "Redis URL variable".into(),
            Field::VariableName(i) => format!("Variable {} name", i + 1),
            Field::VariableExample(i) => format!("Variable {} example", i + 1),
            Field::SourceFolders => "Folders to copy".into(),
        }
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.id())
    }
}

/// A problem with one field, with a message for the person who typed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

/// How the form shows an optional process's checkbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Toggle {
    pub checked: bool,
    /// False only while the box is unticked and cannot be ticked: a ticked box can always be
    /// unticked, even when an imported spec ticked it against the rules.
    pub enabled: bool,
    /// Why it cannot be ticked with the current services, shown beside it.
    pub requirement: Option<&'static str>,
}

/// Why a project name is not usable, or `None` when it is.
///
/// The name becomes a folder, a container image name and a compose project name, so it must be a
/// lowercase slug: letters, digits and single hyphens, starting with a letter, at most 63 long.
pub fn check_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("Enter a project name; it names the folder, the image and the zip.".into());
    }
    if name.len() > 63 {
        return Some(format!(
            "Use at most 63 characters (this has {}), so the name fits DNS labels and image names.",
            name.len()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        let hint = if c.is_ascii_uppercase() {
            "use lowercase letters: container image names cannot contain capitals".to_string()
        } else if c == ' ' || c == '_' || c == '.' {
            format!("use a hyphen instead of {:?}", c)
        } else {
            format!(
                "{:?} is not allowed; use lowercase letters, digits and hyphens",
                c
            )
        };
        return Some(format!("Not a valid name: {hint}."));
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("Start the name with a letter (it becomes a package and folder name).".into());
    }
    if name.ends_with('-') || name.contains("--") {
        return Some(
            "Use single hyphens between words, not at the end (image names reject them).".into(),
        );
    }
    None
}

/// Suggests a valid slug for whatever the user typed ("My Service!" -> "my-service").
pub fn slugify(input: &str) -> String {
    let mut out = String::new();
    for c in input.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '-')
        .trim_end_matches('-');
    out.chars()
        .take(63)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

impl ProjectSpec {
    pub fn runtime_version(&self) -> &str {
        if self.runtime_version.is_empty() {
            self.stack.default_version()
        } else {
            &self.runtime_version
        }
    }

    /// Why the optional process `field` (worker or release) cannot run with the chosen backing
    /// services, or `None`. The form and [`ProjectSpec::validate`] share this rule.
    pub fn process_requirement(&self, field: Field) -> Option<&'static str> {
        match field {
            Field::Release => {
                (!self.services.postgres).then_some("Needs PostgreSQL: migrations need a database.")
            }
            Field::Worker => (!self.services.redis && !self.services.postgres)
                .then_some("Needs Redis or PostgreSQL to take jobs from."),
            Field::Name
            | Field::Description
            | Field::RuntimeVersion
            | Field::Port
            | Field::Preset
            | Field::BuildCommand
            | Field::TestCommand
            | Field::Start(_)
            | Field::HealthPath
            | Field::ReadyPath
            | Field::DatabaseVar
            | Field::RedisVar
            | Field::VariableName(_)
            | Field::VariableExample(_)
            | Field::SourceFolders => None,
        }
    }

    /// Turns PostgreSQL on or off; turning it off also turns off the processes that need it,
    /// so the form never leaves a rule broken behind a disabled checkbox.
    pub fn set_postgres(&mut self, on: bool) {
        self.services.postgres = on;
        self.drop_unsupported_processes();
    }

    /// Turns Redis on or off, with the same care as [`ProjectSpec::set_postgres`].
    pub fn set_redis(&mut self, on: bool) {
        self.services.redis = on;
        self.drop_unsupported_processes();
    }

    fn drop_unsupported_processes(&mut self) {
        if self.process_requirement(Field::Release).is_some() {
            self.processes.release = false;
        }
        if self.process_requirement(Field::Worker).is_some() {
            self.processes.worker = false;
        }
    }

    /// The state of an optional process's checkbox.
    pub fn toggle(&self, field: Field) -> Toggle {
        let checked = match field {
            Field::Release => self.processes.release,
            Field::Worker => self.processes.worker,
            Field::Name
            | Field::Description
            | Field::RuntimeVersion
            | Field::Port
            | Field::Preset
            | Field::BuildCommand
            | Field::TestCommand
            | Field::Start(_)
            | Field::HealthPath
            | Field::ReadyPath
            | Field::DatabaseVar
            | Field::RedisVar
            | Field::VariableName(_)
            | Field::VariableExample(_)
            | Field::SourceFolders => false,
        };
        let requirement = self.process_requirement(field);
        Toggle {
            checked,
            enabled: checked || requirement.is_none(),
            requirement,
        }
    }

    /// Every problem with the spec; empty when it can be generated.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(message) = check_name(&self.name) {
            errors.push(FieldError {
                field: Field::Name,
                message,
            });
        }
        if self.description.len() > 300 {
            errors.push(FieldError {
                field: Field::Description,
                message: "Keep the description under 300 characters; it goes into file headers."
                    .into(),
            });
        }
        if self.description.contains(['\n', '\r']) {
            errors.push(FieldError {
                field: Field::Description,
                message: "Use a single line for the description.".into(),
            });
        }
        if self.port < 1024 {
            errors.push(FieldError {
                field: Field::Port,
                message: "Use a port of 1024 or above: the app runs as a non-root user, which cannot bind lower ports.".into(),
            });
        }
        if !self.runtime_version.is_empty()
            && !self
                .stack
                .versions()
                .contains(&self.runtime_version.as_str())
        {
            errors.push(FieldError {
                field: Field::RuntimeVersion,
                message: format!(
                    "{} {} is not offered; choose one of {}.",
                    self.stack.label(),
                    self.runtime_version,
                    self.stack.versions().join(", ")
                ),
            });
        }
        if self.processes.release && self.process_requirement(Field::Release).is_some() {
            errors.push(FieldError {
                field: Field::Release,
                message: "A release (migration) process needs a database to migrate: add PostgreSQL or turn it off.".into(),
            });
        }
        if self.processes.worker && self.process_requirement(Field::Worker).is_some() {
            errors.push(FieldError {
                field: Field::Worker,
                message: "A worker needs a queue to take jobs from: add Redis (or PostgreSQL) or turn it off.".into(),
            });
        }
        if self.mode == Mode::Existing {
            errors.extend(self.existing_errors());
        }
        errors
    }
}

/// Reads a spec document (JSON), with a "did you mean" hint for a misspelt setting or value.
pub fn parse_spec(text: &str) -> Result<ProjectSpec, String> {
    serde_json::from_str(text).map_err(|e| did_you_mean(&e.to_string()))
}

/// Adds "did you mean `x`?" to serde's "unknown field `y`, expected one of `a`, `b`" and
/// "unknown variant ..." messages when one of the expected names is close to what was written.
pub fn did_you_mean(message: &str) -> String {
    let Some(rest) = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))
    else {
        return message.to_string();
    };
    let Some((written, tail)) = rest.split_once('`') else {
        return message.to_string();
    };
    let expected = tail
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|name| (strsim::jaro_winkler(written, name), name))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match expected {
        Some((_, name)) => format!("{message} (did you mean `{name}`?)"),
        None => message.to_string(),
    }
}
