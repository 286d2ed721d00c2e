//! `.twelve-factor/assessment.json`: the assessment and settings this project was generated
//! from, so dropping the zip back into the app restores them and makes them the baseline of
//! "what changed since your last download".

use super::{Context, GenerateError, GeneratedFile};
use crate::core::answers::Document;

pub const PATH: &str = ".twelve-factor/assessment.json";

pub(super) fn render(cx: &Context) -> Result<Vec<GeneratedFile>, GenerateError> {
    let mut json = Document::new(cx.answers, Some(cx.spec))
        .generated()
        .to_json();
    json.push('\n');
    Ok(vec![GeneratedFile::new(PATH, json, None)])
}
