//! Shared state of all handlers.

use crate::Settings;
use iim_search::SearchIndex;
use iim_store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    /// The public search of published offers, in memory (ADR 0012).
    pub search: Arc<SearchIndex>,
}

impl AppState {
    pub fn new(store: Store, settings: Settings, search: SearchIndex) -> Self {
        Self { store, settings: Arc::new(settings), search: Arc::new(search) }
    }
}

/// What handlers receive: the state behind one shared pointer.
pub type SharedState = Arc<AppState>;
