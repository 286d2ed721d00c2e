//! The Kubernetes layout (deploy target Kubernetes or both): a Kustomize base under
//! `deploy/kubernetes/base/` and one overlay per environment under
//! `deploy/kubernetes/overlays/<environment>/`.

use serde::Serialize;

use super::model::Model;
use super::{GenerateError, GeneratedFile, Renderer};
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

/// The base's files (name in the base folder, template); the release Job only with a release.
fn base_files(release: bool) -> Vec<(&'static str, &'static str)> {
    let mut files = vec![
        ("kustomization.yaml", "kubernetes/kustomization"),
        ("deployment.yaml", "kubernetes/deployment"),
        ("service.yaml", "kubernetes/service"),
        ("hpa.yaml", "kubernetes/hpa"),
        ("pdb.yaml", "kubernetes/pdb"),
        ("networkpolicy.yaml", "kubernetes/networkpolicy"),
    ];
    if release {
        files.push(("release-job.yaml", "kubernetes/release-job"));
    }
    files
}

pub fn base_paths(spec: &ProjectSpec) -> Vec<String> {
    if !spec.deploy_target.kubernetes() {
        return Vec::new();
    }
    base_files(spec.processes.release)
        .into_iter()
        .map(|(file, _)| format!("{BASE_DIR}/{file}"))
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

pub(super) fn generate(
    renderer: &Renderer,
    model: &Model,
) -> Result<Vec<GeneratedFile>, GenerateError> {
    if !model.kubernetes {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for (file, template) in base_files(model.release) {
        files.push(GeneratedFile::new(
            format!("{BASE_DIR}/{file}"),
            renderer.render(template, model)?,
            Some(FileId::KubernetesBase),
        ));
    }
    for env in ENVIRONMENTS {
        files.push(GeneratedFile::new(
            format!("{OVERLAYS_DIR}/{}/kustomization.yaml", env.name),
            renderer.render_with(
                "kubernetes/overlay",
                model,
                ("env", serde_json::to_value(env).expect("serialises")),
            )?,
            Some(FileId::KubernetesOverlays),
        ));
    }
    Ok(files)
}
