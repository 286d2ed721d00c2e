//! Twelve-Factor Studio: assess a service against the twelve factors and generate a scaffold.
//!
//! [`core`] is plain Rust (tested natively, used by the CLI). [`ui`] and [`platform`] exist only
//! in the browser build.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod platform;
#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
