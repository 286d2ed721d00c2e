//! `docker-compose.prod.yml`: the production stack for `docker stack deploy`.

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};
use crate::core::content::FileId;

pub(super) fn generate(renderer: &Renderer, model: &Model) -> Result<GeneratedFile, GenerateError> {
    Ok(GeneratedFile::new(
        "docker-compose.prod.yml",
        renderer.render("compose_prod", model)?,
        Some(FileId::ComposeProd),
    ))
}
