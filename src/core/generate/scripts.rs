//! `scripts/deploy.sh` (the deploy step CI calls) and `scripts/smoke-test.sh` (the behaviour
//! check CI runs: the app starts, answers its health endpoint and exits cleanly on SIGTERM).

use super::{Context, GenerateError, GeneratedFile};
use crate::core::content::FileId;

pub const DEPLOY: &str = "scripts/deploy.sh";
pub const SMOKE: &str = "scripts/smoke-test.sh";

pub(super) fn render_deploy(cx: &Context) -> Result<Vec<GeneratedFile>, GenerateError> {
    let text = cx.renderer.render("scripts/deploy", cx.model)?;
    Ok(vec![GeneratedFile::new(
        DEPLOY,
        text,
        Some(FileId::DeployScript),
    )
    .executable()])
}

pub(super) fn render_smoke(cx: &Context) -> Result<Vec<GeneratedFile>, GenerateError> {
    let text = cx.renderer.render("scripts/smoke", cx.model)?;
    Ok(vec![GeneratedFile::new(
        SMOKE,
        text,
        Some(FileId::SmokeTest),
    )
    .executable()])
}
