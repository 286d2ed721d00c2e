//! `docker-compose.yml`: the local development stack.

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};
use crate::core::content::FileId;

pub(super) fn generate(renderer: &Renderer, model: &Model) -> Result<GeneratedFile, GenerateError> {
    Ok(GeneratedFile::new(
        "docker-compose.yml",
        renderer.render("compose", model)?,
        Some(FileId::Compose),
    ))
}
