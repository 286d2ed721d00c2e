//! The scaffold generator: project spec + assessment -> a list of files.
//!
//! One [`model::Model`] is built from the spec and feeds every template, so names, ports and
//! paths cannot drift apart between files. Every generated file is one entry of
//! [`contributors::CONTRIBUTORS`]; paths, rendering, templates and checks derive from it.
//! Zipping happens at the edge ([`crate::core::archive`]), never here.

mod app;
mod assessment;
mod ci;
mod compose_prod;
pub mod consistency;
pub mod contributors;
pub mod existing;
pub mod kubernetes;
pub mod model;
mod scripts;

use std::fmt;

use super::answers::Answers;
use super::content::FileId;
use super::spec::{FieldError, ProjectSpec};
pub use consistency::{check_consistency, Check, Consistency};
use contributors::{Syntax, Template, CONTRIBUTORS};
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
    CONTRIBUTORS
        .iter()
        .filter(|c| c.id == Some(file))
        .flat_map(|c| (c.paths)(spec))
        .collect()
}

/// What a contributor renders from.
pub struct Context<'a> {
    pub(crate) renderer: &'a Renderer,
    pub model: &'a Model,
    pub spec: &'a ProjectSpec,
    pub answers: &'a Answers,
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
                // One problem a line: the messages are sentences, so a separator would double
                // their full stops.
                f.write_str("the project settings are not valid:")?;
                errors
                    .iter()
                    .try_for_each(|e| write!(f, "\n  {}: {}", e.field, e.message))
            }
            GenerateError::Template(e) => write!(f, "a template failed to render: {e}"),
        }
    }
}

impl std::error::Error for GenerateError {}

pub(crate) struct Renderer {
    tera: tera::Tera,
    brackets: tera::Tera,
    /// The names of the templates in `brackets`.
    bracketed: Vec<String>,
}

fn template_error(e: impl fmt::Display) -> GenerateError {
    GenerateError::Template(e.to_string())
}

impl Renderer {
    pub(crate) fn new() -> Result<Renderer, GenerateError> {
        let templates: Vec<Template> = CONTRIBUTORS.iter().flat_map(|c| (c.templates)()).collect();
        let of = |syntax: Syntax| {
            templates
                .iter()
                .filter(move |t| t.syntax == syntax)
                .map(|t| (t.name.as_str(), t.text))
        };
        let mut tera = tera::Tera::new();
        // Escaping is per format and done in the model; never HTML-escape (pom.xml ends in .xml).
        tera.autoescape_on(Vec::<&str>::new());
        tera.add_raw_templates(of(Syntax::Braces))
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
            .add_raw_templates(of(Syntax::Brackets))
            .map_err(template_error)?;
        let bracketed = of(Syntax::Brackets).map(|(n, _)| n.to_string()).collect();
        Ok(Renderer {
            tera,
            brackets,
            bracketed,
        })
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
        let tera = if self.bracketed.iter().any(|n| n == template) {
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
    renderer: &Renderer,
    model: &Model,
    spec: &ProjectSpec,
    answers: &Answers,
) -> Result<Project, GenerateError> {
    let cx = Context {
        renderer,
        model,
        spec,
        answers,
    };
    let mut files = Vec::new();
    for contributor in CONTRIBUTORS {
        files.extend((contributor.render)(&cx)?);
    }
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
