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
pub fn set(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
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
