//! The domain core: content, answers, scoring, project spec, generator and zip.
//!
//! Invariant: nothing here imports leptos, web-sys, gloo or wasm-bindgen, and nothing here does
//! I/O. The browser UI and the native CLI are thin shells over this module.

/// The text of a file under `templates/`, embedded at compile time. The page's build (cargo
/// feature `page`, enabled for the app binary only) gets an empty string instead: the page never
/// renders a template (the generator runs in the worker), and the texts would weigh about 50 KB
/// gzip on the first screen. The worker, the CLI and the tests embed them.
#[cfg(not(feature = "page"))]
macro_rules! template_text {
    ($($part:literal),+) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/", $($part),+))
    };
}
#[cfg(feature = "page")]
macro_rules! template_text {
    ($($part:literal),+) => {
        ""
    };
}

pub mod answers;
pub mod archive;
pub mod changes;
pub mod command;
pub mod compare;
pub mod content;
pub mod existing;
pub mod explain;
pub mod filetree;
pub mod generate;
pub mod limits;
pub mod presets;
pub mod report;
pub mod score;
pub mod share;
pub mod snapshot;
pub mod spec;
pub mod stacks;
pub mod sync;
pub mod team;
pub mod upgrade;
