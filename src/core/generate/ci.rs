//! The CI pipeline: `.github/workflows/ci.yml` or `.gitlab-ci.yml`. Test with service
//! containers, build and push the image, deploy to staging on main and to production on a
//! version tag after a manual approval.

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};
use crate::core::content::FileId;
use crate::core::spec::{Ci, ProjectSpec};

pub const GITHUB_PATH: &str = ".github/workflows/ci.yml";
pub const GITLAB_PATH: &str = ".gitlab-ci.yml";

pub fn path(spec: &ProjectSpec) -> &'static str {
    match spec.ci {
        Ci::GithubActions => GITHUB_PATH,
        Ci::GitlabCi => GITLAB_PATH,
    }
}

pub(super) fn generate(renderer: &Renderer, model: &Model) -> Result<GeneratedFile, GenerateError> {
    let (path, template) = if model.github {
        (GITHUB_PATH, "ci/github")
    } else {
        (GITLAB_PATH, "ci/gitlab")
    };
    Ok(GeneratedFile::new(
        path,
        renderer.render(template, model)?,
        Some(FileId::CiWorkflow),
    ))
}
