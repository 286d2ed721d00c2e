//! The long texts the page's module leaves out (`later!` in the content tables): the worker
//! sends [`builtin`] once it has started, and the page [`install`]s them. Until then the
//! accessors (`Question::help`, `Topic::why`, …) return an empty string for those topics, and the
//! UI shows each text as it arrives. Natively and in the worker every text is built in, so the
//! accessors never look here.

use std::cell::Cell;

use serde::{Deserialize, Serialize};

/// Every built-in topic's and question's long texts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LongTexts {
    pub topics: Vec<TopicTexts>,
    pub questions: Vec<QuestionTexts>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicTexts {
    pub id: String,
    pub why: String,
    pub looks_like: String,
    pub watch_out: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionTexts {
    pub id: String,
    pub help: String,
    pub remediation: String,
}

impl LongTexts {
    pub fn topic(&self, id: &str) -> Option<&TopicTexts> {
        self.topics.iter().find(|t| t.id == id)
    }

    pub fn question(&self, id: &str) -> Option<&QuestionTexts> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// The long texts of every built-in topic and question, from this module's own tables.
pub fn builtin() -> LongTexts {
    let topics: Vec<_> = super::factors()
        .iter()
        .chain(super::readiness_sections())
        .collect();
    LongTexts {
        topics: topics
            .iter()
            .map(|t| TopicTexts {
                id: t.id.to_string(),
                why: t.why.to_string(),
                looks_like: t.looks_like.to_string(),
                watch_out: t.watch_out.to_string(),
            })
            .collect(),
        questions: topics
            .iter()
            .flat_map(|t| t.questions)
            .map(|q| QuestionTexts {
                id: q.id.to_string(),
                help: q.help.to_string(),
                remediation: q.remediation.to_string(),
            })
            .collect(),
    }
}

thread_local! {
    static INSTALLED: Cell<Option<&'static LongTexts>> = const { Cell::new(None) };
}

/// Makes `texts` the source of every text left out of this build. Done once per page: the
/// texts live as long as the page, like the content tables they complete.
pub fn install(texts: LongTexts) {
    INSTALLED.with(|i| i.set(Some(Box::leak(Box::new(texts)))));
}

/// Whether texts have been installed on this thread.
pub fn installed() -> bool {
    INSTALLED.with(|i| i.get().is_some())
}

/// The built-in text, or when this build left it out, the installed one ("" until installed).
pub(super) fn or_loaded(
    built_in: &'static str,
    lookup: impl FnOnce(&'static LongTexts) -> Option<&'static str>,
) -> &'static str {
    if !built_in.is_empty() {
        return built_in;
    }
    INSTALLED.with(|i| i.get()).and_then(lookup).unwrap_or("")
}
