//! The domain core: content, answers, scoring, project spec, generator and zip.
//!
//! Invariant: nothing here imports leptos, web-sys, gloo or wasm-bindgen, and nothing here does
//! I/O. The browser UI and the native CLI are thin shells over this module.

pub mod answers;
pub mod archive;
pub mod changes;
pub mod compare;
pub mod content;
pub mod explain;
pub mod filetree;
pub mod generate;
pub mod limits;
pub mod report;
pub mod score;
pub mod share;
pub mod snapshot;
pub mod spec;
pub mod stacks;
pub mod sync;
pub mod team;
pub mod upgrade;
