//! `.twelve-factor/assessment.json`: the assessment and settings this project was generated
//! from, so dropping the zip back into the app restores them.

use super::GeneratedFile;
use crate::core::answers::{Answers, Document};
use crate::core::spec::ProjectSpec;

pub const PATH: &str = ".twelve-factor/assessment.json";

pub(super) fn generate(spec: &ProjectSpec, answers: &Answers) -> GeneratedFile {
    let mut json = Document::new(answers, Some(spec)).to_json();
    json.push('\n');
    GeneratedFile::new(PATH, json, None)
}
