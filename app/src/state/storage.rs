//! The browser's localStorage, with every failure (private mode, quota, disabled storage)
//! turned into a value the caller can report instead of an exception.

use web_sys::Storage;

fn storage() -> Option<Storage> {
    if cfg!(feature = "ssr") {
        return None; // building pages: there is no browser storage, and nothing to read
    }
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// `false` when the value could not be saved (storage full or unavailable).
/// Keys that hold only copies of what can be read again (the probe's last status and its
/// pictures): dropped when the browser's storage is full, so incidents are always saved first.
pub const CACHE_KEYS: [&str; 2] = ["outpost.probe", "outpost.probe.pictures"];
/// The most one cached copy may take (a real status of 45 endpoints is about 20 KB).
pub const MAX_CACHE_CHARS: usize = 256 * 1024;

/// Saves `value`; when the storage is full, the caches make room first.
pub fn set(key: &str, value: &str) -> bool {
    let Some(storage) = storage() else { return false };
    if storage.set_item(key, value).is_ok() {
        return true;
    }
    for cache in CACHE_KEYS {
        let _ = storage.remove_item(cache);
    }
    storage.set_item(key, value).is_ok()
}

/// Saves a copy that can be read again: only within [`MAX_CACHE_CHARS`], and never by
/// making room (a full storage keeps its room for incidents).
pub fn set_cache(key: &str, value: &str) -> bool {
    let Some(storage) = storage() else { return false };
    if value.len() > MAX_CACHE_CHARS || storage.set_item(key, value).is_err() {
        let _ = storage.remove_item(key);
        return false;
    }
    true
}

pub fn remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

pub fn keys_with_prefix(prefix: &str) -> Vec<String> {
    let Some(storage) = storage() else {
        return Vec::new();
    };
    let length = storage.length().unwrap_or(0);
    (0..length).filter_map(|i| storage.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect()
}

pub fn is_available() -> bool {
    storage().is_some()
}
