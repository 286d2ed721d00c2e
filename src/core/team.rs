//! Team reviews without a server: a facilitator invites participants, each answers blind on
//! their own device and sends back a compact response code, and the facilitator merges them.
//!
//! Codes are `t1.` (invitation) or `r1.` (response) + base64url(JSON). An invitation carries the
//! review id, title, content version and topic subset; a response carries the review id, the
//! participant's name, the content version and one answer code per question in content order
//! (`-` unanswered), with notes and N/A reasons by position, as share links do. A response for
//! another review or content version, or a damaged one, is refused and changes nothing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::answers::{Answer, Answers, Response};
use super::content::custom::{self, Checklist};
use super::content::{self, Question, Topic, TopicKind, CONTENT_VERSION};
use super::share::{base64url_decode, base64url_encode};

/// The most participants one team review accepts.
pub const MAX_PARTICIPANTS: usize = 12;
/// The longest participant name or review title, in characters.
pub const MAX_NAME: usize = 40;
pub const MAX_TITLE: usize = 80;

const INVITATION_PREFIX: &str = "t1.";
const RESPONSE_PREFIX: &str = "r1.";

/// One participant's answers as the facilitator received them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    pub name: String,
    pub answers: BTreeMap<String, Response>,
}

/// A team review as this browser knows it: as the facilitator (with the ballots received) or
/// as a participant (with the participant's name; their answers are this browser's answers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamReview {
    pub id: String,
    pub title: String,
    /// Topic ids in scope; empty means every topic.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    pub content_version: u32,
    /// Set when this browser is a participant: the name they answer under (may still be empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<String>,
    /// The responses received, in order of arrival (facilitator only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ballots: Vec<Ballot>,
}

#[derive(Serialize, Deserialize)]
struct PackedInvitation {
    i: String,
    t: String,
    c: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    s: Vec<String>,
    /// The team's own checklist, so participants answer the same questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    k: Option<Checklist>,
}

#[derive(Serialize, Deserialize)]
struct PackedResponse {
    i: String,
    n: String,
    c: u32,
    a: String,
    /// The id of the team checklist answered with, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    k: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    o: BTreeMap<usize, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    r: BTreeMap<usize, String>,
}

/// What `receive` did with a response, for the message to the facilitator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    pub name: String,
    /// The participant had sent a response before; it was replaced.
    pub replaced: bool,
    pub answered: usize,
}

/// Checks a review title; the message is for the field.
pub fn check_title(title: &str) -> Result<String, String> {
    let t = title.trim();
    if t.is_empty() {
        return Err(
            "Give the review a title, for example \"billing-api pre-launch review\".".into(),
        );
    }
    if t.chars().count() > MAX_TITLE {
        return Err(format!(
            "Keep the title to {MAX_TITLE} characters or fewer."
        ));
    }
    Ok(t.to_string())
}

/// Checks a participant name; the message is for the field.
pub fn check_name(name: &str) -> Result<String, String> {
    let n = name.trim();
    if n.is_empty() {
        return Err("Enter your name so the facilitator can tell the responses apart.".into());
    }
    if n.chars().count() > MAX_NAME {
        return Err(format!("Keep the name to {MAX_NAME} characters or fewer."));
    }
    Ok(n.to_string())
}

impl TeamReview {
    /// A new review run by this browser. `id` comes from the caller (the core draws no random
    /// numbers); unknown topic ids are ignored, and a subset naming every topic means all.
    pub fn start(id: &str, title: &str, topics: &[&str]) -> Result<TeamReview, String> {
        let title = check_title(title)?;
        let mut subset: Vec<String> = content::topics()
            .filter(|t| topics.contains(&t.id))
            .map(|t| t.id.to_string())
            .collect();
        if !topics.is_empty() && subset.is_empty() {
            return Err("Choose at least one topic, or none for the whole questionnaire.".into());
        }
        if subset.len() == content::topics().count() {
            subset.clear();
        }
        Ok(TeamReview {
            id: id.to_string(),
            title,
            topics: subset,
            content_version: CONTENT_VERSION,
            participant: None,
            ballots: Vec::new(),
        })
    }

    pub fn is_participant(&self) -> bool {
        self.participant.is_some()
    }

    /// Whether a topic is part of this review.
    pub fn covers(&self, topic_id: &str) -> bool {
        self.topics.is_empty() || self.topics.iter().any(|t| t == topic_id)
    }

    /// The topics in scope, in content order.
    pub fn topics_in_scope(&self) -> impl Iterator<Item = &'static Topic> + '_ {
        content::topics().filter(|t| self.covers(t.id))
    }

    /// The questions in scope, in content order.
    pub fn questions_in_scope(
        &self,
    ) -> impl Iterator<Item = (&'static Topic, &'static Question)> + '_ {
        content::questions().filter(|(t, _)| self.covers(t.id))
    }

    /// The invitation code (without the link around it).
    pub fn invitation(&self) -> String {
        let packed = PackedInvitation {
            i: self.id.clone(),
            t: self.title.clone(),
            c: self.content_version,
            s: self.topics.clone(),
            k: custom::installed().cloned(),
        };
        let json = serde_json::to_string(&packed).expect("an invitation serialises");
        format!("{INVITATION_PREFIX}{}", base64url_encode(json.as_bytes()))
    }

    /// The response code a participant sends back: their answers to the questions in scope.
    pub fn response_code(&self, name: &str, answers: &Answers) -> String {
        let mut packed = PackedResponse {
            i: self.id.clone(),
            n: name.trim().to_string(),
            c: self.content_version,
            a: String::new(),
            k: custom::installed().map(|c| c.id.clone()),
            o: BTreeMap::new(),
            r: BTreeMap::new(),
        };
        for (i, (t, q)) in content::questions().enumerate() {
            let r = if self.covers(t.id) {
                answers.response(q.id)
            } else {
                Response::default()
            };
            packed.a.push(r.answer.map(Answer::code).unwrap_or('-'));
            if !r.note.trim().is_empty() {
                packed.o.insert(i, r.note);
            }
            if !r.na_reason.trim().is_empty() {
                packed.r.insert(i, r.na_reason);
            }
        }
        let json = serde_json::to_string(&packed).expect("a response serialises");
        format!("{RESPONSE_PREFIX}{}", base64url_encode(json.as_bytes()))
    }

    /// Adds a participant's response, or replaces their earlier one (names compare without
    /// case). Refuses, leaving the review unchanged, a response for another review or content
    /// version, a damaged one, and a thirteenth participant.
    pub fn receive(&mut self, text: &str) -> Result<Received, String> {
        let (id, ballot, version) = decode_response(text)?;
        if id != self.id {
            return Err(format!(
                "This response from {} belongs to another team review, not to \"{}\". Ask them to open this review's invitation link and answer there. Nothing was changed.",
                ballot.name, self.title
            ));
        }
        if version != self.content_version {
            return Err(format!(
                "This response from {} was made with version {version} of the questionnaire; this review uses version {}. Ask them to reload the invitation link and send it again. Nothing was changed.",
                ballot.name, self.content_version
            ));
        }
        let key = ballot.name.to_lowercase();
        let answered = ballot
            .answers
            .values()
            .filter(|r| r.answer.is_some())
            .count();
        let name = ballot.name.clone();
        match self.ballots.iter().position(|b| b.name.to_lowercase() == key) {
            Some(i) => {
                self.ballots[i] = ballot;
                Ok(Received { name, replaced: true, answered })
            }
            None if self.ballots.len() >= MAX_PARTICIPANTS => Err(format!(
                "A team review takes up to {MAX_PARTICIPANTS} participants and this one is full; the response from {name} was not added. Remove a participant first. Nothing was changed."
            )),
            None => {
                self.ballots.push(ballot);
                Ok(Received { name, replaced: false, answered })
            }
        }
    }

    /// Removes a participant's response.
    pub fn remove(&mut self, name: &str) {
        self.ballots.retain(|b| b.name != name);
    }

    /// How the participants voted on one question.
    pub fn spread(&self, question_id: &str) -> Spread {
        let mut spread = Spread::default();
        for b in &self.ballots {
            match b.answers.get(question_id).and_then(|r| r.answer) {
                Some(a) => spread.counts[index(a)] += 1,
                None => spread.unanswered += 1,
            }
        }
        spread
    }

    /// The participants' notes (and N/A reasons) on one question, with their names.
    pub fn notes(&self, question_id: &str) -> Vec<(String, String)> {
        self.ballots
            .iter()
            .filter_map(|b| {
                let r = b.answers.get(question_id)?;
                let text = match (r.na_reason.trim(), r.note.trim()) {
                    ("", "") => return None,
                    ("", note) => note.to_string(),
                    (reason, "") => format!("N/A because: {reason}"),
                    (reason, note) => format!("N/A because: {reason}. {note}"),
                };
                Some((b.name.clone(), text))
            })
            .collect()
    }

    /// Counts over the questions in scope, given the team answers the facilitator recorded.
    pub fn summary(&self, team: &Answers) -> Summary {
        let mut s = Summary::default();
        for (_, q) in self.questions_in_scope() {
            let spread = self.spread(q.id);
            if spread.votes() == 0 {
                continue;
            }
            s.voted += 1;
            if spread.is_unanimous() {
                s.unanimous += 1;
            }
            if spread.is_disagreement() {
                s.disagreements += 1;
                if team.get(q.id).and_then(|r| r.answer).is_some() {
                    s.settled += 1;
                }
            }
        }
        s
    }

    /// For every unanimous question without a team answer, records the participants' answer
    /// (with the first N/A reason given). Returns how many were filled in.
    pub fn apply_unanimous(&self, team: &mut Answers) -> usize {
        let mut filled = 0;
        for (_, q) in self.questions_in_scope() {
            let spread = self.spread(q.id);
            let Some(answer) = spread.unanimous_answer() else {
                continue;
            };
            if team.get(q.id).and_then(|r| r.answer).is_some() {
                continue;
            }
            let mut r = team.response(q.id);
            r.answer = Some(answer);
            if answer == Answer::NotApplicable && r.na_reason.trim().is_empty() {
                r.na_reason = self.first_reason(q.id);
            }
            team.set(q.id, r);
            filled += 1;
        }
        filled
    }

    /// Records the answer most participants gave as the team answer (an N/A takes the first
    /// reason a participant gave). Returns the answer, or None when no answer has a majority.
    pub fn settle_with_majority(&self, question_id: &str, team: &mut Answers) -> Option<Answer> {
        let answer = self.spread(question_id).majority()?;
        let mut r = team.response(question_id);
        r.answer = Some(answer);
        if answer == Answer::NotApplicable && r.na_reason.trim().is_empty() {
            r.na_reason = self.first_reason(question_id);
        }
        team.set(question_id, r);
        Some(answer)
    }

    fn first_reason(&self, question_id: &str) -> String {
        self.ballots
            .iter()
            .filter_map(|b| b.answers.get(question_id))
            .map(|r| r.na_reason.trim())
            .find(|r| !r.is_empty())
            .unwrap_or("")
            .to_string()
    }
}

/// Reads a response code (or a link holding one) into the review id, the ballot and the
/// content version.
pub fn decode_response(text: &str) -> Result<(String, Ballot, u32), String> {
    let code = code_in(text, "response=");
    let damaged = || {
        "This response code is damaged or cut short (was it copied completely?). Nothing was changed.".to_string()
    };
    if code.starts_with(INVITATION_PREFIX) {
        return Err("This is an invitation, not a response: send it to participants; paste here what they send back. Nothing was changed.".into());
    }
    let body = code.strip_prefix(RESPONSE_PREFIX).ok_or_else(|| {
        "This is not a Twelve-Factor Studio response code (they start with \"r1.\"). Nothing was changed.".to_string()
    })?;
    let bytes = base64url_decode(body).ok_or_else(damaged)?;
    let packed: PackedResponse = serde_json::from_slice(&bytes).map_err(|_| damaged())?;
    let name = check_name(&packed.n).map_err(|_| damaged())?;
    if packed.c != CONTENT_VERSION {
        return Err(format!(
            "This response from {name} was made with version {} of the questionnaire; this app uses version {CONTENT_VERSION}. Ask them to reload the invitation link and send it again. Nothing was changed.",
            packed.c
        ));
    }
    let installed = custom::installed().map(|c| c.id.as_str());
    if packed.k.as_deref() != installed {
        return Err(format!(
            "This response from {name} was made with {}, but this browser uses {}. Ask them to reload the invitation link and send it again. Nothing was changed.",
            checklist_words(packed.k.as_deref()),
            checklist_words(installed)
        ));
    }
    let ids: Vec<&str> = content::questions().map(|(_, q)| q.id).collect();
    if packed.a.chars().count() != ids.len() {
        return Err(damaged());
    }
    let mut answers = BTreeMap::new();
    for (i, (id, c)) in ids.iter().zip(packed.a.chars()).enumerate() {
        let answer = match c {
            '-' => None,
            c => Some(Answer::from_code(c).ok_or_else(damaged)?),
        };
        let response = Response {
            answer,
            note: packed.o.get(&i).cloned().unwrap_or_default(),
            na_reason: packed.r.get(&i).cloned().unwrap_or_default(),
        };
        if !response.is_empty() {
            answers.insert(id.to_string(), response);
        }
    }
    Ok((packed.i, Ballot { name, answers }, packed.c))
}

fn checklist_words(id: Option<&str>) -> String {
    match id {
        Some(id) => format!("the team checklist \"{id}\""),
        None => "no team checklist".into(),
    }
}

/// Reads an invitation code (or a link holding one) into a review this browser joins as a
/// participant (name still to be entered), with the team checklist it must install first.
pub fn decode_invitation(text: &str) -> Result<(TeamReview, Option<Checklist>), String> {
    let code = code_in(text, "join=");
    let damaged = || {
        "This invitation is damaged or cut short (was it copied completely?). Ask the facilitator to send it again.".to_string()
    };
    let body = code.strip_prefix(INVITATION_PREFIX).ok_or_else(|| {
        "This is not a Twelve-Factor Studio invitation. Ask the facilitator to send the link again.".to_string()
    })?;
    let bytes = base64url_decode(body).ok_or_else(damaged)?;
    let packed: PackedInvitation = serde_json::from_slice(&bytes).map_err(|_| damaged())?;
    if packed.c != CONTENT_VERSION {
        return Err(format!(
            "This invitation was made with version {} of the questionnaire; this app uses version {CONTENT_VERSION}. Ask the facilitator to start the review again with the current version.",
            packed.c
        ));
    }
    let title = check_title(&packed.t).map_err(|_| damaged())?;
    if packed
        .k
        .as_ref()
        .is_some_and(|k| !custom::validate(k).is_empty())
    {
        return Err(damaged());
    }
    // Topic ids are checked against our topics and the invitation's checklist, not the one
    // this browser may have installed.
    let known = |id: &str| {
        content::topics().any(|t| t.kind != TopicKind::Team && t.id == id)
            || packed.k.iter().flat_map(|k| &k.topics).any(|t| t.id == id)
    };
    if packed.i.is_empty() || !packed.s.iter().all(|t| known(t)) {
        return Err(damaged());
    }
    let review = TeamReview {
        id: packed.i,
        title,
        topics: packed.s,
        content_version: packed.c,
        participant: Some(String::new()),
        ballots: Vec::new(),
    };
    Ok((review, packed.k))
}

/// The code in a pasted text: the part after `key` when it is a link, else the trimmed text.
fn code_in<'a>(text: &'a str, key: &str) -> &'a str {
    let text = text.trim();
    match text.rfind(key) {
        Some(i) => &text[i + key.len()..],
        None => text,
    }
}

fn index(a: Answer) -> usize {
    Answer::ALL
        .iter()
        .position(|x| *x == a)
        .expect("every answer is in ALL")
}

/// The votes on one question: a count per answer (in [`Answer::ALL`] order) and how many
/// participants left it unanswered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spread {
    pub counts: [u32; 4],
    pub unanswered: u32,
}

impl Spread {
    pub fn count(&self, a: Answer) -> u32 {
        self.counts[index(a)]
    }

    /// Participants who gave an answer.
    pub fn votes(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// Two or more different answers were given.
    pub fn is_disagreement(&self) -> bool {
        self.counts.iter().filter(|c| **c > 0).count() > 1
    }

    /// At least two participants answered and all gave the same answer.
    pub fn is_unanimous(&self) -> bool {
        self.votes() >= 2 && !self.is_disagreement()
    }

    pub fn unanimous_answer(&self) -> Option<Answer> {
        if !self.is_unanimous() {
            return None;
        }
        Answer::ALL.into_iter().find(|a| self.count(*a) > 0)
    }

    /// The answer most participants gave, when one answer has strictly more votes than any
    /// other.
    pub fn majority(&self) -> Option<Answer> {
        let best = *self.counts.iter().max()?;
        let mut top = Answer::ALL.into_iter().filter(|a| self.count(*a) == best);
        match (best, top.next(), top.next()) {
            (0, _, _) | (_, _, Some(_)) => None,
            (_, first, None) => first,
        }
    }

    /// How far apart the votes are, from 0 (all agree) to 1 (as far apart as possible): the
    /// mean distance over every pair of voters, where Yes-Partly and Partly-No are 1 step,
    /// Yes-No 2 steps, and N/A against any other answer 2 steps (it disputes whether the
    /// question applies at all), divided by 2.
    pub fn disagreement(&self) -> f64 {
        let votes: Vec<Answer> = Answer::ALL
            .into_iter()
            .flat_map(|a| std::iter::repeat_n(a, self.count(a) as usize))
            .collect();
        let mut total = 0u32;
        let mut pairs = 0u32;
        for (i, a) in votes.iter().enumerate() {
            for b in &votes[i + 1..] {
                total += distance(*a, *b);
                pairs += 1;
            }
        }
        if pairs == 0 {
            0.0
        } else {
            f64::from(total) / f64::from(2 * pairs)
        }
    }

    /// For example "Yes 3 · Partly 1 · No 1"; answers nobody gave are left out.
    pub fn label(&self) -> String {
        let mut parts: Vec<String> = Answer::ALL
            .into_iter()
            .filter(|a| self.count(*a) > 0)
            .map(|a| format!("{} {}", a.label(), self.count(a)))
            .collect();
        if self.unanswered > 0 {
            parts.push(format!("Unanswered {}", self.unanswered));
        }
        if parts.is_empty() {
            "No votes yet".into()
        } else {
            parts.join(" · ")
        }
    }
}

fn distance(a: Answer, b: Answer) -> u32 {
    let step = |x: Answer| -> Option<u32> {
        match x {
            Answer::Yes => Some(2),
            Answer::Partly => Some(1),
            Answer::No => Some(0),
            Answer::NotApplicable => None,
        }
    };
    match (step(a), step(b)) {
        (Some(x), Some(y)) => x.abs_diff(y),
        (None, None) => 0,
        _ => 2,
    }
}

/// What the facilitator's results show about the team review.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Questions in scope at least one participant answered.
    pub voted: u32,
    /// Questions every voter answered alike (two voters or more).
    pub unanimous: u32,
    /// Questions with two or more different answers.
    pub disagreements: u32,
    /// Disagreements the facilitator has settled with a team answer.
    pub settled: u32,
}

/// The field a team review takes in autosave's per-field merge (`core::sync`): the whole review
/// is one field, so the tab that changed it last wins it.
const TEAM_FIELD: &str = "team";

/// Adds the team review to the fields two tabs merge.
pub fn add_to_fields(fields: &mut super::sync::Fields, team: Option<&TeamReview>) {
    if let Some(value) = team.and_then(|t| serde_json::to_value(t).ok()) {
        fields.insert(TEAM_FIELD.to_string(), value);
    }
}

/// The team review in merged fields.
pub fn from_fields(fields: &super::sync::Fields) -> Option<TeamReview> {
    fields
        .get(TEAM_FIELD)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// The question ids ordered by disagreement, largest first; equal ones keep their order.
pub fn most_disagreement_first(team: &TeamReview, ids: &mut [&'static str]) {
    ids.sort_by(|a, b| {
        team.spread(b)
            .disagreement()
            .total_cmp(&team.spread(a).disagreement())
    });
}
