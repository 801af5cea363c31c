//! Shared state of all handlers.

use crate::Settings;
use iim_store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> Self {
        Self { store, settings: Arc::new(settings) }
    }
}

/// What handlers receive: the state behind one shared pointer.
pub type SharedState = Arc<AppState>;
