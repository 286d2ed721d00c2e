//! Share links: the whole assessment in a compact, versioned string for the URL fragment.
//!
//! Layout: `1.` + base64url(JSON) where the JSON holds the content version, one answer code per
//! question in content order (`-` unanswered), notes and N/A reasons by question position, and
//! the project settings. The fragment never reaches a server.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::answers::{Answer, Answers, Response};
use super::content::{self, CONTENT_VERSION};
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
}

/// Encodes answers and settings for a share link (without the leading `#share=`).
pub fn encode(answers: &Answers, project: Option<&ProjectSpec>) -> String {
    let mut packed = Packed {
        c: CONTENT_VERSION,
        a: String::new(),
        n: BTreeMap::new(),
        r: BTreeMap::new(),
        p: project.cloned(),
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

/// Decodes a share string. Errors are sentences for the user.
pub fn decode(text: &str) -> Result<(Answers, Option<ProjectSpec>), String> {
    let body = text.trim().strip_prefix(PREFIX).ok_or_else(|| {
        "This share link is not one Twelve-Factor Studio can read (unknown format or version). Your current work is unchanged.".to_string()
    })?;
    let damaged = || {
        "This share link is damaged or cut short (was it copied completely?). Your current work is unchanged.".to_string()
    };
    let bytes = base64url_decode(body).ok_or_else(damaged)?;
    let packed: Packed = serde_json::from_slice(&bytes).map_err(|_| damaged())?;
    if packed.c != CONTENT_VERSION {
        return Err(format!(
            "This share link was made for version {} of the questionnaire; this is version {CONTENT_VERSION}. Ask for an exported JSON file instead. Your current work is unchanged.",
            packed.c
        ));
    }
    let questions: Vec<_> = content::questions().map(|(_, q)| q).collect();
    if packed.a.chars().count() != questions.len() {
        return Err(damaged());
    }
    let mut answers = Answers::default();
    for (i, (q, code)) in questions.iter().zip(packed.a.chars()).enumerate() {
        let answer = match code {
            '-' => None,
            c => Some(Answer::from_code(c).ok_or_else(damaged)?),
        };
        let response = Response {
            answer,
            note: packed.n.get(&i).cloned().unwrap_or_default(),
            na_reason: packed.r.get(&i).cloned().unwrap_or_default(),
        };
        answers.set(q.id, response);
    }
    Ok((answers, packed.p))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64 with the URL-safe alphabet and no padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..chunk.len() + 1 {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let values: Option<Vec<u32>> = text
        .bytes()
        .map(|c| ALPHABET.iter().position(|a| *a == c).map(|p| p as u32))
        .collect();
    let values = values?;
    for chunk in values.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, v)| n | v << (18 - 6 * i));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}
