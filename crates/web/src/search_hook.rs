//! Where keeping offers tells the public search that an offer changed. Helper F fills this: the pages of
//! `/meine-angebote` and `/angebote-pruefen` call (and await) [`offer_changed`] after every create, edit, submission,
//! publication, return and archiving, with the offer as it now is (its `status` says whether it is public).

use crate::state::SharedState;
use iim_store::Angebot;

/// Called after every change of an offer, with the changed offer.
pub async fn offer_changed(_state: &SharedState, _angebot: &Angebot) {}
