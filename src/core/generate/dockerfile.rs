//! `Dockerfile`: multi-stage, pinned, non-root, with a HEALTHCHECK.

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};

pub(super) fn generate(renderer: &Renderer, model: &Model) -> Result<GeneratedFile, GenerateError> {
    let template = format!("dockerfile/{}", "node");
    let _ = model.stack();
    Ok(GeneratedFile {
        path: "Dockerfile".to_string(),
        contents: renderer.render(&template, model)?,
        executable: false,
    })
}
