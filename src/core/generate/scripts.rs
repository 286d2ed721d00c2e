//! `scripts/deploy.sh` (the deploy step CI calls) and `scripts/smoke-test.sh` (the behaviour
//! check CI runs: the app starts, answers its health endpoint and exits cleanly on SIGTERM).

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};
use crate::core::content::FileId;

pub(super) fn generate(
    renderer: &Renderer,
    model: &Model,
) -> Result<Vec<GeneratedFile>, GenerateError> {
    Ok(vec![
        GeneratedFile::new(
            "scripts/deploy.sh",
            renderer.render("scripts/deploy", model)?,
            Some(FileId::DeployScript),
        )
        .executable(),
        GeneratedFile::new(
            "scripts/smoke-test.sh",
            renderer.render("scripts/smoke", model)?,
            Some(FileId::SmokeTest),
        )
        .executable(),
    ])
}
