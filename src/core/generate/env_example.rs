//! `.env.example`: every variable the app and compose read, with placeholders.

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};
use crate::core::content::FileId;

pub(super) fn generate(renderer: &Renderer, model: &Model) -> Result<GeneratedFile, GenerateError> {
    Ok(GeneratedFile::new(
        ".env.example",
        renderer.render("env_example", model)?,
        Some(FileId::EnvExample),
    ))
}
