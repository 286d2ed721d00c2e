//! `docker-compose.prod.yml`: the production stack for `docker stack deploy`, generated when the
//! deploy target includes Docker Swarm.

use super::{Context, GenerateError, GeneratedFile};
use crate::core::content::FileId;
use crate::core::spec::ProjectSpec;

const PATH: &str = "docker-compose.prod.yml";

pub(super) fn paths(spec: &ProjectSpec) -> Vec<String> {
    if spec.deploy_target.swarm() {
        vec![PATH.into()]
    } else {
        Vec::new()
    }
}

pub(super) fn render(cx: &Context) -> Result<Vec<GeneratedFile>, GenerateError> {
    paths(cx.spec)
        .into_iter()
        .map(|path| {
            let text = cx.renderer.render("compose_prod", cx.model)?;
            Ok(GeneratedFile::new(path, text, Some(FileId::ComposeProd)))
        })
        .collect()
}
