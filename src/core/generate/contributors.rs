//! The one list of generated files. Each [`Contributor`] declares its paths, its templates, how
//! it renders and which consistency checks read it; the path list ([`super::paths_for`]), the
//! render loop, template registration, the preview and the consistency checks are all derived
//! from [`CONTRIBUTORS`]. Adding a file is one entry here (or one module, when it needs code),
//! its template(s) and the expected outputs.

use super::consistency::{self, CheckFn};
use super::{app, assessment, ci, compose_prod, kubernetes, scripts};
use super::{Context, GenerateError, GeneratedFile};
use crate::core::content::FileId;
use crate::core::spec::{Mode, ProjectSpec};
use crate::core::stacks::PROFILES;

/// A template's delimiters: tera's usual `{{ }}`, or `[[ ]]` / `[% %]` for files full of
/// GitHub Actions' own `${{ }}` expressions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Braces,
    Brackets,
}

/// A template: its name, its text (compiled into the binary) and its delimiters.
#[derive(Clone, Debug)]
pub struct Template {
    pub name: String,
    pub text: &'static str,
    pub syntax: Syntax,
}

pub struct Contributor {
    /// The checklist file it is, so plan items link to it; `None` for files no question names.
    pub id: Option<FileId>,
    /// Every template it may render, registered once per thread.
    pub templates: fn() -> Vec<Template>,
    /// The paths it writes for this spec (empty when the spec does not ask for it).
    pub paths: fn(&ProjectSpec) -> Vec<String>,
    pub render: fn(&Context) -> Result<Vec<GeneratedFile>, GenerateError>,
    /// The consistency checks that read its output.
    pub checks: &'static [CheckFn],
}

macro_rules! template {
    ($name:literal, $file:literal) => {
        Template {
            name: $name.to_string(),
            text: template_text!($file),
            syntax: Syntax::Braces,
        }
    };
}

/// A file that is always generated, at one path, from one template.
macro_rules! single {
    ($id:expr, $path:literal, $name:literal, $file:literal, $checks:expr) => {
        Contributor {
            id: $id,
            templates: || vec![template!($name, $file)],
            paths: |_| vec![$path.to_string()],
            render: |cx| {
                Ok(vec![GeneratedFile::new(
                    $path,
                    cx.renderer.render($name, cx.model)?,
                    $id,
                )])
            },
            checks: $checks,
        }
    };
}

pub const CONTRIBUTORS: &[Contributor] = &[
    Contributor {
        id: Some(FileId::Dockerfile),
        templates: || {
            PROFILES
                .iter()
                .map(|p| Template {
                    name: format!("dockerfile/{}", p.id),
                    text: p.dockerfile,
                    syntax: Syntax::Braces,
                })
                .chain([template!(
                    "dockerfile/existing",
                    "dockerfile/existing.Dockerfile"
                )])
                .collect()
        },
        paths: |_| vec!["Dockerfile".to_string()],
        render: |cx| {
            // An existing service gets the preset-driven Dockerfile; a new one its stack's.
            let template = match cx.spec.mode {
                Mode::New => format!("dockerfile/{}", cx.spec.stack.id()),
                Mode::Existing => "dockerfile/existing".to_string(),
            };
            Ok(vec![GeneratedFile::new(
                "Dockerfile",
                cx.renderer.render(&template, cx.model)?,
                Some(FileId::Dockerfile),
            )])
        },
        checks: &[
            consistency::port,
            consistency::build_context,
            consistency::start_command,
        ],
    },
    single!(
        Some(FileId::Dockerignore),
        ".dockerignore",
        "dockerignore",
        "dockerignore/dockerignore",
        &[]
    ),
    single!(
        Some(FileId::Compose),
        "docker-compose.yml",
        "compose",
        "compose/docker-compose.yml",
        &[consistency::compose_variables]
    ),
    Contributor {
        id: Some(FileId::ComposeProd),
        templates: || {
            vec![template!(
                "compose_prod",
                "compose_prod/docker-compose.prod.yml"
            )]
        },
        paths: compose_prod::paths,
        render: compose_prod::render,
        checks: &[],
    },
    Contributor {
        id: Some(FileId::CiWorkflow),
        templates: || {
            vec![
                Template {
                    syntax: Syntax::Brackets,
                    ..template!("ci/github", "ci/github-ci.yml")
                },
                template!("ci/gitlab", "ci/gitlab-ci.yml"),
            ]
        },
        paths: |spec| vec![ci::path(spec).to_string()],
        render: ci::render,
        checks: &[consistency::app_configuration],
    },
    single!(
        Some(FileId::Procfile),
        "Procfile",
        "procfile",
        "procfile/Procfile",
        &[consistency::process_types]
    ),
    single!(
        Some(FileId::EnvExample),
        ".env.example",
        "env_example",
        "env_example/env.example",
        &[consistency::no_stray_variables]
    ),
    single!(
        Some(FileId::Readme),
        "README.md",
        "readme",
        "readme/README.md",
        &[consistency::health_path]
    ),
    single!(
        None,
        ".gitattributes",
        "gitattributes",
        "gitattributes/gitattributes",
        &[]
    ),
    single!(None, ".gitignore", "gitignore", "gitignore/gitignore", &[]),
    Contributor {
        id: None,
        templates: Vec::new,
        paths: |_| vec![assessment::PATH.to_string()],
        render: assessment::render,
        checks: &[],
    },
    Contributor {
        id: Some(FileId::DeployScript),
        templates: || vec![template!("scripts/deploy", "scripts/deploy.sh")],
        paths: |_| vec![scripts::DEPLOY.to_string()],
        render: scripts::render_deploy,
        checks: &[],
    },
    Contributor {
        id: Some(FileId::SmokeTest),
        templates: || vec![template!("scripts/smoke", "scripts/smoke-test.sh")],
        paths: |_| vec![scripts::SMOKE.to_string()],
        render: scripts::render_smoke,
        checks: &[],
    },
    Contributor {
        id: None,
        templates: || {
            vec![template!(
                "scripts/env-from-files",
                "scripts/env-from-files.sh"
            )]
        },
        paths: scripts::env_from_files_paths,
        render: scripts::render_env_from_files,
        checks: &[],
    },
    Contributor {
        id: Some(FileId::App),
        templates: app::templates,
        paths: app::paths,
        render: app::render,
        checks: &[],
    },
    Contributor {
        id: Some(FileId::KubernetesBase),
        templates: kubernetes::base_templates,
        paths: kubernetes::base_paths,
        render: kubernetes::render_base,
        checks: &[
            consistency::kubernetes_port_and_probes,
            consistency::kubernetes_variables,
            consistency::kubernetes_user,
        ],
    },
    Contributor {
        id: Some(FileId::KubernetesOverlays),
        templates: kubernetes::overlay_templates,
        paths: kubernetes::overlay_paths,
        render: kubernetes::render_overlays,
        checks: &[],
    },
];
