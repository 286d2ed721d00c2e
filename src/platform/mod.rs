//! The only code that touches browser APIs: downloads, storage, URL and the worker.

pub mod clock;
pub mod download;
pub mod location;
pub mod storage;
pub mod worker;
