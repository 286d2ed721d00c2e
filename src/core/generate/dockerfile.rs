//! `Dockerfile`: multi-stage, pinned, non-root, with a HEALTHCHECK. One template per stack.

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};
use crate::core::content::FileId;

pub(super) fn generate(renderer: &Renderer, model: &Model) -> Result<GeneratedFile, GenerateError> {
    let template = format!("dockerfile/{}", model.stack().id());
    Ok(GeneratedFile::new(
        "Dockerfile",
        renderer.render(&template, model)?,
        Some(FileId::Dockerfile),
    ))
}
