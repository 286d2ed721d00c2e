//! The scaffold generator: project spec + assessment -> a list of files.
//!
//! One [`model::Model`] is built from the spec and feeds every template, so names, ports and
//! paths cannot drift apart between files. Each generated file has its own module and template.
//! Zipping happens at the edge ([`crate::core::archive`]), never here.

mod dockerfile;
pub mod model;

use std::fmt;

use super::answers::Answers;
use super::spec::{FieldError, ProjectSpec};
use model::Model;

/// One generated file, its path relative to the project root.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
    pub executable: bool,
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
                let msgs: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
                write!(f, "the project settings are not valid: {}", msgs.join("; "))
            }
            GenerateError::Template(e) => write!(f, "a template failed to render: {e}"),
        }
    }
}

impl std::error::Error for GenerateError {}

/// The templates, compiled into the binary so the browser needs no file access.
const TEMPLATES: &[(&str, &str)] = &[
    ("dockerfile/node", include_str!("../../../templates/dockerfile/node.Dockerfile")),
];

pub(crate) struct Renderer {
    tera: tera::Tera,
}

impl Renderer {
    fn new() -> Result<Renderer, GenerateError> {
        let mut tera = tera::Tera::new();
        tera.add_raw_templates(TEMPLATES.iter().copied())
            .map_err(|e| GenerateError::Template(e.to_string()))?;
        Ok(Renderer { tera })
    }

    pub(crate) fn render(&self, template: &str, model: &Model) -> Result<String, GenerateError> {
        let context = tera::Context::from_serialize(model).map_err(|e| GenerateError::Template(e.to_string()))?;
        self.tera
            .render(template, &context)
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
    let renderer = Renderer::new()?;
    let files = vec![dockerfile::generate(&renderer, &model)?];
    Ok(Project { name: spec.name.clone(), files })
}
