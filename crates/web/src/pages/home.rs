//! The start page: who I am, and the sections my roles open.

use super::{Layout, role_labels};
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use iim_domain::{Action, Resource};

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    layout: Layout,
    display_name: String,
    organisation: String,
    roles: String,
    may_read_persons: bool,
    may_read_audit: bool,
    /// Overdue Standortbestimmungen within the user's dossiers, if the user keeps dossiers.
    overdue_reviews: Option<u64>,
}

pub async fn show(State(state): State<SharedState>, user: CurrentUser) -> Result<HomePage, PageError> {
    let actor = user.actor();
    let overdue_reviews =
        if actor.may(Resource::Dossier, Action::Read) { Some(state.store.overdue_reviews(actor).await?) } else { None };
    Ok(HomePage {
        layout: Layout::for_user(&user, "Start", "start"),
        display_name: actor.display_name.clone(),
        organisation: actor.organisation_name.clone(),
        roles: role_labels(actor),
        may_read_persons: actor.may(Resource::Person, Action::Read),
        may_read_audit: actor.may(Resource::AuditLog, Action::Read),
        overdue_reviews,
    })
}
