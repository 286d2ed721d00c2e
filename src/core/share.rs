//! Share links: the whole assessment in a compact, versioned string for the URL fragment.
//!
//! Layout: `1.` + base64url(JSON) where the JSON holds the content version, one answer code per
//! question in content order (`-` unanswered), notes and N/A reasons by question position, and
//! the project settings. The fragment never reaches a server. Links made for version 1 of the
//! questionnaire still open: their answers go through the same upgrade as saved documents.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use super::answers::{from_parts, Answer, Answers, Loaded, Response};
use super::content::custom::{self, Checklist};
use super::content::v1::V1_QUESTIONS;
use super::content::{self, TopicKind, CONTENT_VERSION};
use super::spec::ProjectSpec;

const PREFIX: &str = "1.";

#[derive(Serialize, Deserialize)]
struct Packed {
    /// Content version.
    c: u32,
    /// One code per question in content order.
    a: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    n: BTreeMap<usize, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    r: BTreeMap<usize, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    p: Option<ProjectSpec>,
    /// The team's own checklist; its questions follow ours in `a`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    k: Option<Checklist>,
}

/// Encodes answers and settings for a share link (without the leading `#share=`).
pub fn encode(answers: &Answers, project: Option<&ProjectSpec>) -> String {
    let mut packed = Packed {
        c: CONTENT_VERSION,
        a: String::new(),
        n: BTreeMap::new(),
        r: BTreeMap::new(),
        p: project.cloned(),
        k: custom::installed().cloned(),
    };
    for (i, (_, q)) in content::questions().enumerate() {
        let r = answers.response(q.id);
        packed.a.push(r.answer.map(Answer::code).unwrap_or('-'));
        if !r.note.is_empty() {
            packed.n.insert(i, r.note);
        }
        if !r.na_reason.is_empty() {
            packed.r.insert(i, r.na_reason);
        }
    }
    let json = serde_json::to_string(&packed).expect("packed state serialises");
    format!("{PREFIX}{}", base64url_encode(json.as_bytes()))
}

/// Decodes a share string, upgrading a link made for version 1 of the questionnaire. Errors are
/// sentences for the user.
pub fn decode(text: &str) -> Result<Loaded, String> {
    let body = text.trim().strip_prefix(PREFIX).ok_or_else(|| {
        "This share link is not one Twelve-Factor Studio can read (unknown format or version). Your current work is unchanged.".to_string()
    })?;
    let damaged = || {
        "This share link is damaged or cut short (was it copied completely?). Your current work is unchanged.".to_string()
    };
    let bytes = base64url_decode(body).ok_or_else(damaged)?;
    let packed: Packed = serde_json::from_slice(&bytes).map_err(|_| damaged())?;
    let ids: Vec<&str> = match packed.c {
        1 => V1_QUESTIONS.iter().map(|(id, _)| *id).collect(),
        CONTENT_VERSION => {
            if let Some(errors) = packed.k.as_ref().map(custom::validate).filter(|e| !e.is_empty()) {
                let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
                return Err(format!("The team checklist in this share link is not valid ({}). Your current work is unchanged.", list.join("; ")));
            }
            let ours = content::questions().filter(|(t, _)| t.kind != TopicKind::Team).map(|(_, q)| q.id);
            let team = packed.k.iter().flat_map(|c| &c.topics).flat_map(|t| &t.questions).map(|q| q.id.as_str());
            ours.chain(team).collect()
        }
        other => {
            return Err(format!(
                "This share link was made for version {other} of the questionnaire, which this version of Twelve-Factor Studio does not know (it reads versions 1 to {CONTENT_VERSION}). Ask for an exported JSON file instead. Your current work is unchanged."
            ))
        }
    };
    if packed.a.chars().count() != ids.len() {
        return Err(damaged());
    }
    let mut responses = BTreeMap::new();
    for (i, (id, code)) in ids.iter().zip(packed.a.chars()).enumerate() {
        let answer = match code {
            '-' => None,
            c => Some(Answer::from_code(c).ok_or_else(damaged)?),
        };
        let response = Response {
            answer,
            note: packed.n.get(&i).cloned().unwrap_or_default(),
            na_reason: packed.r.get(&i).cloned().unwrap_or_default(),
        };
        if !response.is_empty() {
            responses.insert(id.to_string(), response);
        }
    }
    Ok(from_parts(responses, packed.p, packed.c, packed.k))
}

/// Base64 with the URL-safe alphabet and no padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}
