//! The start page: who I am, and the sections my roles open.

use super::{Layout, role_labels};
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use iim_domain::{Action, Resource};
use iim_store::{AngebotFilter, PendenzenZahlen};

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    layout: Layout,
    display_name: String,
    organisation: String,
    roles: String,
    may_read_persons: bool,
    may_read_audit: bool,
    may_read_orders: bool,
    /// What waits in the worklist, if the user keeps dossiers.
    pendenzen: Option<PendenzenZahlen>,
    /// Neuzuzüger to invite and possible duplicates, for the Integrationsbeauftragte.
    start_integration: Option<(u64, u64)>,
    /// Hand-overs waiting for the Migrationsamt's decision.
    fordern_offen: Option<u64>,
    /// Offers not updated for 12 months, and (for the Kanton) offers waiting for its check.
    angebote: Option<(u64, Option<u64>)>,
}

pub async fn show(State(state): State<SharedState>, user: CurrentUser) -> Result<HomePage, PageError> {
    let actor = user.actor();
    let pendenzen = if actor.may(Resource::Dossier, Action::Read) {
        Some(state.store.pendenzen_zahlen(actor).await?)
    } else {
        None
    };
    let start_integration = if actor.may(Resource::Neuzuzueger, Action::Read) {
        Some((
            state.store.count_neuzuzueger_to_invite(actor).await?,
            state.store.count_possible_duplicates(actor).await?,
        ))
    } else {
        None
    };
    let fordern_offen = if actor.may(Resource::Fordern, Action::Update) {
        Some(state.store.count_open_fordern(actor).await?)
    } else {
        None
    };
    let angebote = if actor.may(Resource::Angebot, Action::Create) {
        let zu_pruefen = if actor.may(Resource::Angebot, Action::Approve) {
            Some(state.store.count_offers(actor, AngebotFilter::ZuPruefen).await?)
        } else {
            None
        };
        Some((state.store.count_offers(actor, AngebotFilter::Erinnerung).await?, zu_pruefen))
    } else {
        None
    };
    Ok(HomePage {
        layout: Layout::for_user(&user, "Start", "start"),
        display_name: actor.display_name.clone(),
        organisation: actor.organisation_name.clone(),
        roles: role_labels(actor),
        may_read_persons: actor.may(Resource::Person, Action::Read),
        may_read_audit: actor.may(Resource::AuditLog, Action::Read),
        may_read_orders: actor.may(Resource::Auftrag, Action::Read),
        pendenzen,
        start_integration,
        fordern_offen,
        angebote,
    })
}
