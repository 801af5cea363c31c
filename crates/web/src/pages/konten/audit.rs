//! The access log for auditors: the Kanton sees every entry, a Leitung those of its own staff. Each entry
//! names its record in the words of its kind («Dossier 12», «Auftrag 3»), from one table, so that an
//! auditor never mistakes one kind of record for another.

use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::pages::{Layout, Pagination, page_number};
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
#[template(path = "konten/audit.html")]
pub struct AuditPage {
    layout: Layout,
    scope_note: &'static str,
    username: String,
    kinds: Vec<KindOption>,
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
    let scope = state.store.check_permission(user.actor(), Resource::AuditLog, Action::Read).await?;
    let username = params.get("benutzer").cloned().unwrap_or_default();
    let record = params.get("datensatz").cloned().unwrap_or_default();
    let kind = params
        .get("art")
        .and_then(|code| KINDS.iter().find(|k| k.resource.code() == code))
        .map_or(Resource::Person, |k| k.resource);
    let query = AuditQuery {
        resource: (!record.trim().is_empty()).then_some(kind),
        record_id: Some(record.trim().to_owned()),
        username: Some(username.clone()),
        page: page_number(params.get("seite")),
        per_page: 50,
    };
    let found = state.store.list_audit(user.actor(), &query).await?;
    let pagination = Pagination::new(
        "/protokoll",
        &[("benutzer", &username), ("art", kind.code()), ("datensatz", &record)],
        query.page,
        found.pages(),
    );
    Ok(AuditPage {
        layout: Layout::for_user(&user, "Zugriffsprotokoll", "protokoll"),
        scope_note: if scope == Scope::Canton {
            "Alle Zugriffe im Kanton."
        } else {
            "Zugriffe der Mitarbeitenden Ihrer Organisation."
        },
        username,
        kinds: KINDS
            .iter()
            .map(|k| KindOption { code: k.resource.code(), label: k.list, selected: k.resource == kind })
            .collect(),
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
        datensatz: record_label(&entry.resource, entry.record_id.as_deref()),
        ergebnis: entry.outcome,
        einzelheiten: entry.detail.unwrap_or_default(),
    }
}

/// How the log names the records of one kind.
struct Kind {
    resource: Resource,
    /// One record, followed by its number: «Dossier 12».
    one: &'static str,
    /// An entry without a record (a list, an export, a search).
    list: &'static str,
}

/// Every kind of record the log knows, in the order of the filter's choices.
const KINDS: &[Kind] = &[
    Kind { resource: Resource::Person, one: "Person", list: "Personen" },
    Kind { resource: Resource::Dossier, one: "Dossier", list: "Dossiers" },
    Kind { resource: Resource::Auftrag, one: "Auftrag", list: "Aufträge" },
    Kind { resource: Resource::Uebergabe, one: "Übergabe", list: "Übergaben" },
    Kind { resource: Resource::Neuzuzueger, one: "Neuzuzüger/in", list: "Neuzuzüger" },
    Kind { resource: Resource::Fordern, one: "Fordern-Fall", list: "Fordern" },
    Kind { resource: Resource::Fruehfoerderung, one: "Kind (Frühförderung)", list: "Frühförderung" },
    Kind { resource: Resource::Mentoring, one: "Mentoring", list: "Mentoring-Pool" },
    Kind { resource: Resource::MentoringZuweisung, one: "Zuweisung Mentoring", list: "Zuweisungen Mentoring" },
    Kind { resource: Resource::RegisterImport, one: "Registerlieferung", list: "Registerlieferungen" },
    Kind { resource: Resource::CaseloadImport, one: "Fallliste", list: "Fallliste übernommen" },
    Kind { resource: Resource::Selbstdeklaration, one: "Selbstdeklaration", list: "Selbstdeklarationen" },
    Kind { resource: Resource::Gemeindeorganisation, one: "Gemeinde", list: "Gemeindeorganisation" },
    Kind { resource: Resource::Kennzahlen, one: "Kennzahlen", list: "Kennzahlen" },
    Kind { resource: Resource::Angebot, one: "Angebot", list: "Angebote" },
    Kind { resource: Resource::Massnahmenkatalog, one: "Massnahmenkatalog", list: "Massnahmenkatalog" },
    Kind { resource: Resource::User, one: "Benutzer", list: "Benutzerkonten" },
    Kind { resource: Resource::ApiToken, one: "API-Token", list: "API-Tokens" },
    Kind { resource: Resource::AuditLog, one: "Protokoll", list: "Protokoll" },
];

/// A choice of the filter «Art des Datensatzes».
pub struct KindOption {
    code: &'static str,
    label: &'static str,
    selected: bool,
}

/// «Dossier 12» for a record, «Dossiers» for a list; a kind the table does not know shows its code.
fn record_label(resource: &str, record_id: Option<&str>) -> String {
    let kind = KINDS.iter().find(|k| k.resource.logged_codes().contains(&resource));
    match (kind, record_id) {
        (Some(kind), Some(id)) => format!("{} {id}", kind.one),
        (Some(kind), None) => kind.list.to_owned(),
        (None, Some(id)) => format!("{resource} {id}"),
        (None, None) => resource.to_owned(),
    }
}
