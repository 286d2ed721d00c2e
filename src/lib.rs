//! Twelve-Factor Studio: assess a service against the twelve factors and generate a scaffold.
//!
//! [`core`] is plain Rust (tested natively, used by the CLI). [`ui`] and [`platform`] exist only
//! in the browser build.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod platform;
// Only in the page's build (feature `page`): the screens' split points export symbols, which
// would otherwise keep every screen linked into the generator worker too.
#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod ui;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
