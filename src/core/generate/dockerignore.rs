//! `.dockerignore`: keeps the build context small and secrets out of images.

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};
use crate::core::content::FileId;

pub(super) fn generate(renderer: &Renderer, model: &Model) -> Result<GeneratedFile, GenerateError> {
    Ok(GeneratedFile::new(
        ".dockerignore",
        renderer.render("dockerignore", model)?,
        Some(FileId::Dockerignore),
    ))
}
