//! The CI pipeline: `.github/workflows/ci.yml` or `.gitlab-ci.yml`. Test with service
//! containers, build and push the image once per commit on main, deploy it to staging by
//! digest; a version tag promotes that same image to production (never rebuilds).

use super::{Context, GenerateError, GeneratedFile};
use crate::core::content::FileId;
use crate::core::spec::{Ci, ProjectSpec};

pub fn path(spec: &ProjectSpec) -> &'static str {
    match spec.ci {
        Ci::GithubActions => ".github/workflows/ci.yml",
        Ci::GitlabCi => ".gitlab-ci.yml",
    }
}

fn template(ci: Ci) -> &'static str {
    match ci {
        Ci::GithubActions => "ci/github",
        Ci::GitlabCi => "ci/gitlab",
    }
}

pub(super) fn render(cx: &Context) -> Result<Vec<GeneratedFile>, GenerateError> {
    Ok(vec![GeneratedFile::new(
        path(cx.spec),
        cx.renderer.render(template(cx.spec.ci), cx.model)?,
        Some(FileId::CiWorkflow),
    )])
}
