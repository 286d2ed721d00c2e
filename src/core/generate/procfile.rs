//! `Procfile`: the process types.

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};
use crate::core::content::FileId;

pub(super) fn generate(renderer: &Renderer, model: &Model) -> Result<GeneratedFile, GenerateError> {
    Ok(GeneratedFile::new(
        "Procfile",
        renderer.render("procfile", model)?,
        Some(FileId::Procfile),
    ))
}
