//! The scaffold generator: project spec + assessment -> a list of files.
//!
//! One [`model::Model`] is built from the spec and feeds every template, so names, ports and
//! paths cannot drift apart between files. Each generated file has its own module and template.
//! Zipping happens at the edge ([`crate::core::archive`]), never here.

mod app;
mod assessment;
mod ci;
mod compose;
mod compose_prod;
pub mod consistency;
mod dockerfile;
mod dockerignore;
mod env_example;
mod gitattributes;
mod gitignore;
pub mod kubernetes;
pub mod model;
mod procfile;
mod readme;
mod scripts;

use std::fmt;

use super::answers::Answers;
use super::content::FileId;
use super::spec::{FieldError, ProjectSpec};
pub use consistency::{check_consistency, Check, Consistency};
use model::Model;

/// One generated file, its path relative to the project root.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
    pub executable: bool,
    /// The checklist file this is (or is part of), so the UI can link plan items to files.
    #[serde(default)]
    pub file_id: Option<FileId>,
}

impl GeneratedFile {
    pub(crate) fn new(
        path: impl Into<String>,
        contents: String,
        file_id: Option<FileId>,
    ) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents,
            executable: false,
            file_id,
        }
    }

    pub(crate) fn executable(mut self) -> GeneratedFile {
        self.executable = true;
        self
    }
}

/// A generated project: its folder name and files in a stable order.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Project {
    pub name: String,
    pub files: Vec<GeneratedFile>,
}

impl Project {
    pub fn file(&self, path: &str) -> Option<&GeneratedFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// The paths of the generated files that make up `file` (several for the app).
    pub fn paths_for(&self, file: FileId) -> Vec<&str> {
        self.files
            .iter()
            .filter(|f| f.file_id == Some(file))
            .map(|f| f.path.as_str())
            .collect()
    }

    /// Whether names, ports and paths agree across the files.
    pub fn consistency(&self) -> Consistency {
        check_consistency(self)
    }
}

/// The paths the generator writes for `file` with this spec, without rendering anything.
pub fn paths_for(file: FileId, spec: &ProjectSpec) -> Vec<String> {
    match file {
        FileId::Dockerfile => vec!["Dockerfile".into()],
        FileId::Dockerignore => vec![".dockerignore".into()],
        FileId::Compose => vec!["docker-compose.yml".into()],
        FileId::ComposeProd => compose_prod::paths(spec),
        FileId::CiWorkflow => vec![ci::path(spec).into()],
        FileId::DeployScript => vec!["scripts/deploy.sh".into()],
        FileId::SmokeTest => vec!["scripts/smoke-test.sh".into()],
        FileId::Procfile => vec!["Procfile".into()],
        FileId::EnvExample => vec![".env.example".into()],
        FileId::Readme => vec!["README.md".into()],
        FileId::App => app::paths(spec.stack),
        FileId::KubernetesBase => kubernetes::base_paths(spec),
        FileId::KubernetesOverlays => kubernetes::overlay_paths(spec),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GenerateError {
    /// The spec has problems the user must fix.
    Invalid(Vec<FieldError>),
    /// A template failed to render: a bug in this program.
    Template(String),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::Invalid(errors) => {
                let msgs: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect();
                write!(f, "the project settings are not valid: {}", msgs.join("; "))
            }
            GenerateError::Template(e) => write!(f, "a template failed to render: {e}"),
        }
    }
}

impl std::error::Error for GenerateError {}

macro_rules! templates {
    ($($name:literal => $file:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../templates/", $file)))),*]
    };
}

/// The templates, compiled into the binary so the browser needs no file access.
/// They use tera's usual `{{ }}` / `{% %}` delimiters.
const TEMPLATES: &[(&str, &str)] = templates![
    "dockerfile/node" => "dockerfile/node.Dockerfile",
    "dockerfile/python" => "dockerfile/python.Dockerfile",
    "dockerfile/go" => "dockerfile/go.Dockerfile",
    "dockerfile/rust" => "dockerfile/rust.Dockerfile",
    "dockerfile/java" => "dockerfile/java.Dockerfile",
    "dockerfile/ruby" => "dockerfile/ruby.Dockerfile",
    "dockerignore" => "dockerignore/dockerignore",
    "compose" => "compose/docker-compose.yml",
    "compose_prod" => "compose_prod/docker-compose.prod.yml",
    "ci/gitlab" => "ci/gitlab-ci.yml",
    "procfile" => "procfile/Procfile",
    "env_example" => "env_example/env.example",
    "readme" => "readme/README.md",
    "gitattributes" => "gitattributes/gitattributes",
    "gitignore" => "gitignore/gitignore",
    "scripts/deploy" => "scripts/deploy.sh",
    "kubernetes/kustomization" => "kubernetes/kustomization.yaml",
    "kubernetes/deployment" => "kubernetes/deployment.yaml",
    "kubernetes/pod" => "kubernetes/pod.yaml",
    "kubernetes/service" => "kubernetes/service.yaml",
    "kubernetes/hpa" => "kubernetes/hpa.yaml",
    "kubernetes/pdb" => "kubernetes/pdb.yaml",
    "kubernetes/networkpolicy" => "kubernetes/networkpolicy.yaml",
    "kubernetes/release-job" => "kubernetes/release-job.yaml",
    "kubernetes/overlay" => "kubernetes/overlay.yaml",
    "scripts/smoke" => "scripts/smoke-test.sh",
    "app/node/package.json" => "app/node/package.json",
    "app/node/package-lock.json" => "app/node/package-lock.json",
    "app/node/server.js" => "app/node/server.js",
    "app/node/server.test.js" => "app/node/server.test.js",
    "app/python/pyproject.toml" => "app/python/pyproject.toml",
    "app/python/requirements.txt" => "app/python/requirements.txt",
    "app/python/main.py" => "app/python/main.py",
    "app/python/test_app.py" => "app/python/test_app.py",
    "app/go/go.mod" => "app/go/go.mod",
    "app/go/main.go" => "app/go/main.go",
    "app/go/main_test.go" => "app/go/main_test.go",
    "app/rust/Cargo.toml" => "app/rust/Cargo.toml",
    "app/rust/Cargo.lock" => "app/rust/Cargo.lock",
    "app/rust/main.rs" => "app/rust/main.rs",
    "app/java/pom.xml" => "app/java/pom.xml",
    "app/java/App.java" => "app/java/App.java",
    "app/java/AppTest.java" => "app/java/AppTest.java",
    "app/ruby/Gemfile" => "app/ruby/Gemfile",
    "app/ruby/Gemfile.lock" => "app/ruby/Gemfile.lock",
    "app/ruby/config.ru" => "app/ruby/config.ru",
    "app/ruby/puma.rb" => "app/ruby/puma.rb",
    "app/ruby/app.rb" => "app/ruby/app.rb",
    "app/ruby/app_test.rb" => "app/ruby/app_test.rb",
];

/// Templates whose output is full of `${{ }}` (GitHub Actions expressions): they use
/// `[[ ]]` / `[% %]` / `[# #]` instead, so the output needs no escaping.
const BRACKET_TEMPLATES: &[(&str, &str)] = templates![
    "ci/github" => "ci/github-ci.yml",
];

pub(crate) struct Renderer {
    tera: tera::Tera,
    brackets: tera::Tera,
}

fn template_error(e: impl fmt::Display) -> GenerateError {
    GenerateError::Template(e.to_string())
}

impl Renderer {
    pub(crate) fn new() -> Result<Renderer, GenerateError> {
        let mut tera = tera::Tera::new();
        // Escaping is per format and done in the model; never HTML-escape (pom.xml ends in .xml).
        tera.autoescape_on(Vec::<&str>::new());
        tera.add_raw_templates(TEMPLATES.iter().copied())
            .map_err(template_error)?;
        let mut brackets = tera::Tera::new();
        brackets.autoescape_on(Vec::<&str>::new());
        brackets
            .set_delimiters(tera::Delimiters {
                block_start: "[%".into(),
                block_end: "%]".into(),
                variable_start: "[[".into(),
                variable_end: "]]".into(),
                comment_start: "[#".into(),
                comment_end: "#]".into(),
            })
            .map_err(template_error)?;
        brackets
            .add_raw_templates(BRACKET_TEMPLATES.iter().copied())
            .map_err(template_error)?;
        Ok(Renderer { tera, brackets })
    }

    pub(crate) fn render(&self, template: &str, model: &Model) -> Result<String, GenerateError> {
        let context = tera::Context::from_serialize(model).map_err(template_error)?;
        self.render_context(template, context)
    }

    /// Renders with one more variable beside the model (an overlay's environment, say).
    pub(crate) fn render_with(
        &self,
        template: &str,
        model: &Model,
        (name, value): (&str, serde_json::Value),
    ) -> Result<String, GenerateError> {
        let mut context = tera::Context::from_serialize(model).map_err(template_error)?;
        context.insert(name.to_string(), &value);
        self.render_context(template, context)
    }

    fn render_context(
        &self,
        template: &str,
        context: tera::Context,
    ) -> Result<String, GenerateError> {
        let tera = if BRACKET_TEMPLATES.iter().any(|(n, _)| *n == template) {
            &self.brackets
        } else {
            &self.tera
        };
        tera.render(template, &context)
            .map_err(|e| GenerateError::Template(format!("{template}: {e}")))
    }
}

/// Generates every file of the project described by `spec`.
pub fn generate(spec: &ProjectSpec, answers: &Answers) -> Result<Project, GenerateError> {
    let errors = spec.validate();
    if !errors.is_empty() {
        return Err(GenerateError::Invalid(errors));
    }
    let model = Model::new(spec, answers);
    with_renderer(|r| render_all(r, &model, spec, answers))
}

/// Runs `f` with this thread's renderer, parsing the templates only the first time: parsing
/// costs more than rendering, and the browser worker generates on every settings change.
fn with_renderer<T>(
    f: impl FnOnce(&Renderer) -> Result<T, GenerateError>,
) -> Result<T, GenerateError> {
    thread_local! {
        static RENDERER: std::cell::RefCell<Option<Renderer>> = const { std::cell::RefCell::new(None) };
    }
    RENDERER.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(Renderer::new()?);
        }
        f(cell.as_ref().expect("the renderer was just created"))
    })
}

fn render_all(
    r: &Renderer,
    m: &Model,
    spec: &ProjectSpec,
    answers: &Answers,
) -> Result<Project, GenerateError> {
    let mut files = vec![
        dockerfile::generate(r, m)?,
        dockerignore::generate(r, m)?,
        compose::generate(r, m)?,
        ci::generate(r, m)?,
        procfile::generate(r, m)?,
        env_example::generate(r, m)?,
        readme::generate(r, m)?,
        gitattributes::generate(r, m)?,
        gitignore::generate(r, m)?,
        assessment::generate(spec, answers),
    ];
    files.extend(compose_prod::generate(r, m)?);
    files.extend(kubernetes::generate(r, m)?);
    files.extend(scripts::generate(r, m)?);
    files.extend(app::generate(r, m)?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Project {
        name: spec.name.clone(),
        files,
    })
}

/// Generates the project and checks it, for callers that want both.
pub fn generate_checked(
    spec: &ProjectSpec,
    answers: &Answers,
) -> Result<(Project, Consistency), GenerateError> {
    let project = generate(spec, answers)?;
    let consistency = check_consistency(&project);
    Ok((project, consistency))
}
