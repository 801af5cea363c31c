//! The start page: who I am, and the sections my roles open.

use super::{Layout, role_labels};
use crate::auth::CurrentUser;
use askama::Template;
use askama_web::WebTemplate;
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
}

pub async fn show(user: CurrentUser) -> HomePage {
    let actor = user.actor();
    HomePage {
        layout: Layout::for_user(&user, "Start", "start"),
        display_name: actor.display_name.clone(),
        organisation: actor.organisation_name.clone(),
        roles: role_labels(actor),
        may_read_persons: actor.may(Resource::Person, Action::Read),
        may_read_audit: actor.may(Resource::AuditLog, Action::Read),
    }
}
