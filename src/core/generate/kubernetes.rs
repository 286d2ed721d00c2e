//! The Kubernetes layout (deploy target Kubernetes or both): a Kustomize base under
//! `deploy/kubernetes/base/` and one overlay per environment under
//! `deploy/kubernetes/overlays/<environment>/`.

use serde::Serialize;

use super::contributors::{Syntax, Template};
use super::{Context, GenerateError, GeneratedFile};
use crate::core::content::FileId;
use crate::core::spec::ProjectSpec;

pub const BASE_DIR: &str = "deploy/kubernetes/base";
pub const OVERLAYS_DIR: &str = "deploy/kubernetes/overlays";

/// What one environment's overlay changes; everything else comes from the base.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Environment {
    pub name: &'static str,
    /// The web Deployment's replicas, also the autoscaler's floor.
    pub web_replicas: u32,
    pub web_max_replicas: u32,
    pub worker_replicas: u32,
    pub cpu_request: &'static str,
    pub cpu_limit: &'static str,
    /// Request and limit alike: memory is not compressible, so a pod gets what it may use.
    pub memory: &'static str,
}

pub const ENVIRONMENTS: [Environment; 2] = [
    Environment {
        name: "staging",
        web_replicas: 2,
        web_max_replicas: 4,
        worker_replicas: 1,
        cpu_request: "100m",
        cpu_limit: "500m",
        memory: "256Mi",
    },
    Environment {
        name: "production",
        web_replicas: 3,
        web_max_replicas: 10,
        worker_replicas: 2,
        cpu_request: "250m",
        cpu_limit: "1",
        memory: "512Mi",
    },
];

/// The base's files: (name in the base folder, template name, template text). The release Job
/// only with a release process.
fn base_files(release: bool) -> Vec<(&'static str, &'static str, &'static str)> {
    macro_rules! file {
        ($file:literal, $name:literal) => {
            (
                $file,
                concat!("kubernetes/", $name),
                template_text!("kubernetes/", $name, ".yaml"),
            )
        };
    }
    let mut files = vec![
        file!("kustomization.yaml", "kustomization"),
        file!("deployment.yaml", "deployment"),
        file!("service.yaml", "service"),
        file!("hpa.yaml", "hpa"),
        file!("pdb.yaml", "pdb"),
        file!("networkpolicy.yaml", "networkpolicy"),
    ];
    if release {
        files.push(file!("release-job.yaml", "release-job"));
    }
    files
}

const OVERLAY_TEMPLATE: &str = "kubernetes/overlay";

pub(super) fn base_templates() -> Vec<Template> {
    let mut templates: Vec<Template> = base_files(true)
        .into_iter()
        .map(|(_, name, text)| Template {
            name: name.to_string(),
            text,
            syntax: Syntax::Braces,
        })
        .collect();
    // The pod spec every Deployment and the Job include.
    templates.push(Template {
        name: "kubernetes/pod".to_string(),
        text: template_text!("kubernetes/pod.yaml"),
        syntax: Syntax::Braces,
    });
    templates
}

pub(super) fn overlay_templates() -> Vec<Template> {
    vec![Template {
        name: OVERLAY_TEMPLATE.to_string(),
        text: template_text!("kubernetes/overlay.yaml"),
        syntax: Syntax::Braces,
    }]
}

pub fn base_paths(spec: &ProjectSpec) -> Vec<String> {
    if !spec.deploy_target.kubernetes() {
        return Vec::new();
    }
    base_files(spec.processes.release)
        .into_iter()
        .map(|(file, _, _)| format!("{BASE_DIR}/{file}"))
        .collect()
}

pub fn overlay_paths(spec: &ProjectSpec) -> Vec<String> {
    if !spec.deploy_target.kubernetes() {
        return Vec::new();
    }
    ENVIRONMENTS
        .iter()
        .map(|e| format!("{OVERLAYS_DIR}/{}/kustomization.yaml", e.name))
        .collect()
}

pub(super) fn render_base(cx: &Context) -> Result<Vec<GeneratedFile>, GenerateError> {
    if !cx.spec.deploy_target.kubernetes() {
        return Ok(Vec::new());
    }
    base_files(cx.spec.processes.release)
        .into_iter()
        .map(|(file, template, _)| {
            Ok(GeneratedFile::new(
                format!("{BASE_DIR}/{file}"),
                cx.renderer.render(template, cx.model)?,
                Some(FileId::KubernetesBase),
            ))
        })
        .collect()
}

pub(super) fn render_overlays(cx: &Context) -> Result<Vec<GeneratedFile>, GenerateError> {
    if !cx.spec.deploy_target.kubernetes() {
        return Ok(Vec::new());
    }
    ENVIRONMENTS
        .iter()
        .map(|env| {
            let value = serde_json::to_value(env).expect("an environment serialises");
            Ok(GeneratedFile::new(
                format!("{OVERLAYS_DIR}/{}/kustomization.yaml", env.name),
                cx.renderer
                    .render_with(OVERLAY_TEMPLATE, cx.model, ("env", value))?,
                Some(FileId::KubernetesOverlays),
            ))
        })
        .collect()
}
