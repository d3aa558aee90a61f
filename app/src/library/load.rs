//! What asking for one of the site's files answers.

/// A file the page needs: still on its way, here, not in the site, or unreadable (why).
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Missing,
    Failed(String),
}

impl<T> Load<T> {
    pub fn ready(self) -> Option<T> {
        match self {
            Load::Ready(value) => Some(value),
            _ => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Load::Loading)
    }
}
