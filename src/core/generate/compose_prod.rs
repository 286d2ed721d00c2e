//! `docker-compose.prod.yml`: the production stack for `docker stack deploy`, generated when the
//! deploy target includes Docker Swarm.

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};
use crate::core::content::FileId;
use crate::core::spec::ProjectSpec;

const PATH: &str = "docker-compose.prod.yml";

pub fn paths(spec: &ProjectSpec) -> Vec<String> {
    if spec.deploy_target.swarm() {
        vec![PATH.into()]
    } else {
        Vec::new()
    }
}

pub(super) fn generate(
    renderer: &Renderer,
    model: &Model,
) -> Result<Option<GeneratedFile>, GenerateError> {
    if !model.swarm {
        return Ok(None);
    }
    Ok(Some(GeneratedFile::new(
        PATH,
        renderer.render("compose_prod", model)?,
        Some(FileId::ComposeProd),
    )))
}
