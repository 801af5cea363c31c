//! Keeps the public search index in step with the offers (ADR 0012): built from the published offers when the
//! server starts, and updated by [`offer_changed`], which the pages that keep offers call after every change.

use crate::state::SharedState;
use iim_domain::angebot::AngebotStatus;
use iim_search::{SearchIndex, SearchOffer};
use iim_store::{Angebot, Directory, Store, StoreError};

/// Puts a published offer into the search, or takes any other (draft, submitted, expired, archived) out.
/// The index is a copy of the database, so a failure is logged and the next change or restart repairs it.
pub async fn offer_changed(state: &SharedState, angebot: &iim_store::Angebot) {
    let outcome = if angebot.status == AngebotStatus::Veroeffentlicht {
        state.search.upsert(search_offer(&state.store.directory(), angebot))
    } else {
        state.search.remove(angebot.id)
    };
    if let Err(error) = outcome {
        tracing::error!(angebot = angebot.id, %error, "search index not updated");
    }
}

/// The index of every published, valid offer.
pub async fn build_index(store: &Store) -> Result<SearchIndex, StoreError> {
    let directory = store.directory();
    let offers = store.published_offers().await?;
    SearchIndex::build(offers.iter().map(|offer| search_offer(&directory, offer)))
        .map_err(|error| StoreError::Config(error.to_string()))
}

/// An offer as the search knows it, with the Sozialregion of each place.
pub fn search_offer(directory: &Directory, angebot: &Angebot) -> SearchOffer {
    let regionen = angebot
        .data
        .orte
        .iter()
        .map(|ort| directory.region_of_gemeinde(ort.gemeinde).map(|region| region.name.clone()).unwrap_or_default())
        .collect();
    SearchOffer {
        id: angebot.id,
        anbieter: angebot.anbieter.clone(),
        data: angebot.data.clone(),
        regionen,
        veroeffentlicht: angebot.veroeffentlicht_at,
    }
}
