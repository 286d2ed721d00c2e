//! `README.md`: the runbook and the compliance table.

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};
use crate::core::content::FileId;

pub(super) fn generate(renderer: &Renderer, model: &Model) -> Result<GeneratedFile, GenerateError> {
    Ok(GeneratedFile::new(
        "README.md",
        renderer.render("readme", model)?,
        Some(FileId::Readme),
    ))
}
