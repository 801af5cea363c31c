//! The access log for auditors: the Kanton sees every entry, a Leitung those of its own staff.

use super::{Layout, Pagination, page_number};
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use iim_domain::clock::format_swiss;
use iim_domain::{Action, Resource, Scope};
use iim_store::{AuditQuery, AuditRecord};
use std::collections::HashMap;

pub struct EntryView {
    zeit: String,
    wer: String,
    organisation: String,
    weg: &'static str,
    aktion: String,
    datensatz: String,
    ergebnis: String,
    einzelheiten: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditPage {
    layout: Layout,
    scope_note: &'static str,
    username: String,
    record: String,
    entries: Vec<EntryView>,
    total: u64,
    pagination: Pagination,
}

pub async fn list(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<AuditPage, PageError> {
    let scope = user.actor().scope_for(Resource::AuditLog, Action::Read)?;
    let username = params.get("benutzer").cloned().unwrap_or_default();
    let record = params.get("datensatz").cloned().unwrap_or_default();
    let query = AuditQuery {
        resource: (!record.trim().is_empty()).then(|| Resource::Person.code().to_owned()),
        record_id: Some(record.trim().to_owned()),
        username: Some(username.clone()),
        page: page_number(params.get("seite")),
        per_page: 50,
    };
    let found = state.store.list_audit(user.actor(), &query).await?;
    let pagination =
        Pagination::new("/protokoll", &[("benutzer", &username), ("datensatz", &record)], query.page, found.pages());
    Ok(AuditPage {
        layout: Layout::for_user(&user, "Zugriffsprotokoll", "protokoll"),
        scope_note: if scope == Scope::Canton {
            "Alle Zugriffe im Kanton."
        } else {
            "Zugriffe der Mitarbeitenden Ihrer Organisation."
        },
        username,
        record,
        entries: found.items.into_iter().map(view).collect(),
        total: found.total,
        pagination,
    })
}

fn view(entry: AuditRecord) -> EntryView {
    EntryView {
        zeit: format_swiss(entry.occurred_at),
        wer: entry.actor_username,
        organisation: entry.actor_organisation,
        weg: match entry.channel.as_str() {
            "ui" => "Web",
            "api" => "API",
            _ => "Kommandozeile",
        },
        aktion: match entry.action.as_str() {
            "read" => "gelesen".to_owned(),
            "create" => "erfasst".to_owned(),
            "update" => "geändert".to_owned(),
            "delete" => "gelöscht".to_owned(),
            "login" => "Anmeldung".to_owned(),
            "logout" => "Abmeldung".to_owned(),
            other => other.to_owned(),
        },
        datensatz: match (entry.resource.as_str(), entry.record_id) {
            ("person", Some(id)) => format!("Person {id}"),
            ("person", None) => "Personenliste".to_owned(),
            ("audit_log", _) => "Protokoll".to_owned(),
            ("api_token", _) => "API-Token".to_owned(),
            (_, Some(id)) => format!("Benutzer {id}"),
            (_, None) => "–".to_owned(),
        },
        ergebnis: entry.outcome,
        einzelheiten: entry.detail.unwrap_or_default(),
    }
}
