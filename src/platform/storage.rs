//! Local storage: the autosaved assessment and UI preferences. Nothing leaves the browser.

/// The key holding the saved document: the same JSON as the export, plus a `changed` member
/// with the time of each field's last change (see `core::sync`), for merging tabs.
pub const WORK_KEY: &str = "tfstudio.work.v1";
/// Where unreadable saved work is moved, so it is never silently lost.
pub const BACKUP_KEY: &str = "tfstudio.work.unreadable";
/// Saved work as it was before a questionnaire upgrade left answers out, kept for reference.
pub const PRE_UPGRADE_KEY: &str = "tfstudio.work.before-upgrade";
pub const PREFS_KEY: &str = "tfstudio.prefs.v1";

/// `None` when the browser blocks storage (some private windows, disabled site data): reading
/// `window.localStorage` then throws.
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Whether this page can use local storage at all.
pub fn available() -> bool {
    storage().is_some()
}

pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Writes a value; returns false when storage is unavailable or full.
pub fn set(key: &str, value: &str) -> bool {
    storage()
        .map(|s| s.set_item(key, value).is_ok())
        .unwrap_or(false)
}

pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}
