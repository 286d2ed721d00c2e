//! `scripts/deploy.sh` (the deploy step CI calls) and `scripts/smoke-test.sh` (the behaviour
//! check CI runs: the app starts, answers its health endpoint and exits cleanly on SIGTERM);
//! for an existing app that reads plain variables, `scripts/env-from-files.sh`.

use super::{Context, GenerateError, GeneratedFile};
use crate::core::content::FileId;
use crate::core::spec::ProjectSpec;

pub const DEPLOY: &str = "scripts/deploy.sh";
pub const SMOKE: &str = "scripts/smoke-test.sh";
/// Sets each credential from its secret file, for an existing app that reads plain variables.
pub const ENV_FROM_FILES: &str = "scripts/env-from-files.sh";
/// Where the image keeps it: owned by root, outside the app's folder, on every start command.
pub const ENV_FROM_FILES_IN_IMAGE: &str = "/usr/local/bin/env-from-files";

pub(super) fn env_from_files_paths(spec: &ProjectSpec) -> Vec<String> {
    if super::existing::needs_env_from_files(spec) {
        vec![ENV_FROM_FILES.to_string()]
    } else {
        Vec::new()
    }
}

pub(super) fn render_env_from_files(cx: &Context) -> Result<Vec<GeneratedFile>, GenerateError> {
    if !super::existing::needs_env_from_files(cx.spec) {
        return Ok(Vec::new());
    }
    let text = cx.renderer.render("scripts/env-from-files", cx.model)?;
    Ok(vec![
        GeneratedFile::new(ENV_FROM_FILES, text, None).executable()
    ])
}

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
