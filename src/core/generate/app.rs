//! The app in every generated project: manifest, lock file, entry point and the project's own
//! tests, listed per stack in its profile ([`crate::core::stacks`]). Every stack keeps the same
//! contract (see ARCHITECTURE.md, "Invariants"): config from the environment, `$PORT`,
//! `/health`, `/ready` probing the chosen services, JSON log lines, a graceful SIGTERM, and
//! `worker`, `scheduler`, `migrate` and `healthcheck` roles of one entry point. `tests/apps/`
//! starts each one and checks that from outside.

use super::contributors::{Syntax, Template};
use super::{Context, GenerateError, GeneratedFile};
use crate::core::content::FileId;
use crate::core::spec::{Mode, ProjectSpec};
use crate::core::stacks::PROFILES;

fn template_name(stack_id: &str, path: &str) -> String {
    format!("app/{stack_id}/{path}")
}

pub(super) fn templates() -> Vec<Template> {
    PROFILES
        .iter()
        .flat_map(|p| {
            p.app_files.iter().map(|f| Template {
                name: template_name(p.id, f.path),
                text: f.template,
                syntax: Syntax::Braces,
            })
        })
        .collect()
}

/// An existing service brings its own app: no starter files.
pub(super) fn paths(spec: &ProjectSpec) -> Vec<String> {
    if spec.mode == Mode::Existing {
        return Vec::new();
    }
    spec.stack
        .profile()
        .app_files
        .iter()
        .filter(|f| f.chosen(spec))
        .map(|f| f.path.to_string())
        .collect()
}

pub(super) fn render(cx: &Context) -> Result<Vec<GeneratedFile>, GenerateError> {
    if cx.spec.mode == Mode::Existing {
        return Ok(Vec::new());
    }
    let profile = cx.spec.stack.profile();
    profile
        .app_files
        .iter()
        .filter(|f| f.chosen(cx.spec))
        .map(|f| {
            let text = cx
                .renderer
                .render(&template_name(profile.id, f.path), cx.model)?;
            Ok(GeneratedFile::new(f.path, text, Some(FileId::App)))
        })
        .collect()
}
