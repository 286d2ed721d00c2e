//! `.gitignore`: local configuration and build output never reach the repository.

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};

pub(super) fn generate(renderer: &Renderer, model: &Model) -> Result<GeneratedFile, GenerateError> {
    Ok(GeneratedFile::new(
        ".gitignore",
        renderer.render("gitignore", model)?,
        None,
    ))
}
