//! `.gitattributes`: LF line endings for scripts and the Procfile, whatever the OS.

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};

pub(super) fn generate(renderer: &Renderer, model: &Model) -> Result<GeneratedFile, GenerateError> {
    Ok(GeneratedFile::new(
        ".gitattributes",
        renderer.render("gitattributes", model)?,
        None,
    ))
}
