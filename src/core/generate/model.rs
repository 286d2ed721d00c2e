//! The single model every template reads: derived once from the spec.

use serde::Serialize;

use crate::core::answers::Answers;
use crate::core::spec::{ProjectSpec, Stack};

#[derive(Clone, Debug, Serialize)]
pub struct Model {
    pub name: String,
    pub description: String,
    pub stack: &'static str,
    pub stack_label: &'static str,
    pub runtime_version: String,
    pub port: u16,
    pub health_path: &'static str,
    pub ready_path: &'static str,
}

impl Model {
    pub fn new(spec: &ProjectSpec, _answers: &Answers) -> Model {
        Model {
            name: spec.name.clone(),
            description: spec.description.clone(),
            stack: spec.stack.id(),
            stack_label: spec.stack.label(),
            runtime_version: spec.runtime_version().to_string(),
            port: spec.port,
            health_path: "/health",
            ready_path: "/ready",
        }
    }

    pub fn stack(&self) -> Stack {
        Stack::from_id(self.stack).expect("the model holds a known stack")
    }
}
