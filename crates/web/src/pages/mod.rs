//! HTML pages for people: German, accessible, usable without JavaScript. Post/Redirect/Get: after a
//! successful form the browser is sent to the result page, with a short notice named in the URL
//! (`?hinweis=gespeichert`), so a reload never submits twice.

pub(crate) mod angebote;
mod export;
pub(crate) mod fallfuehrung;
mod form;
mod home;
mod konflikt;
pub(crate) mod konten;
mod listenfilter;
mod mentoring;
pub(crate) mod start_integration;
pub(crate) mod steuerung;
mod tabelle;

use crate::auth::{CurrentUser, csrf_guard};
use crate::form_tokens::form_token_guard;
use crate::state::SharedState;
use angebote::{oeffentlich, verwaltung};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use fallfuehrung::{
    auftraege, ausnahmegesuche, caseload, caseload_export, dossiers, hilfsplan, massnahmen, pendenzen, persons,
    uebergaben,
};
use iim_domain::{Action, Resource};
use konten::{audit, login, tokens};
use start_integration::{duplikate, fordern, fruehfoerderung, neuzuzueger, register_import};
use steuerung::{gemeinden, kennzahlen, selbstdeklaration};

pub fn router(state: SharedState) -> Router {
    Router::new()
        .route("/", get(home::show))
        .route("/login", get(login::form).post(login::submit))
        .route("/angebote", get(oeffentlich::search))
        .route("/angebote/export.csv", get(oeffentlich::export_csv))
        .route("/angebote/export.json", get(oeffentlich::export_json))
        .route("/angebote/{id}", get(oeffentlich::show))
        .route("/abmelden", axum::routing::post(login::logout))
        .route("/personen", get(persons::list).post(persons::create))
        .route("/personen/neu", get(persons::new_form))
        .route("/personen/export.csv", get(export::persons_csv))
        .route("/personen/duplikate", get(duplikate::list))
        .route("/personen/duplikate/{id}", axum::routing::post(duplikate::decide))
        .route("/personen/{id}", get(persons::show).post(persons::update))
        .route("/personen/{id}/bearbeiten", get(persons::edit_form))
        .route("/personen/{id}/dossier", axum::routing::post(dossiers::open))
        .route("/dossiers", get(dossiers::list))
        .route("/dossiers/export.xlsx", get(caseload_export::xlsx))
        .route("/dossiers/export.csv", get(caseload_export::csv))
        .route("/fallliste-import/bestaetigen", axum::routing::post(caseload::confirm))
        .route("/fallliste-import/vorlage.csv", get(caseload::vorlage_csv))
        .route("/fallliste-import/vorlage.xlsx", get(caseload::vorlage_xlsx))
        .route("/dossiers/{id}", get(dossiers::show))
        .route("/dossiers/{id}/hilfsplan", get(hilfsplan::show))
        .route("/dossiers/{id}/kurzassessment", get(dossiers::assessment_form).post(dossiers::record_assessment))
        .route("/dossiers/{id}/kurzassessment/{fassung}", get(dossiers::assessment_version))
        .route("/dossiers/{id}/zielvorschlaege/uebernehmen", axum::routing::post(dossiers::accept_proposal))
        .route("/dossiers/{id}/zielvorschlaege/verwerfen", axum::routing::post(dossiers::discard_proposal))
        .route("/dossiers/{id}/ziele/neu", get(dossiers::goal_form))
        .route("/dossiers/{id}/ziele", axum::routing::post(dossiers::add_goal))
        .route(
            "/dossiers/{id}/standortbestimmung",
            get(dossiers::standortbestimmung_form).post(dossiers::record_standortbestimmung),
        )
        .route("/dossiers/{id}/abschliessen", axum::routing::post(dossiers::close))
        .route("/dossiers/{id}/wiedereroeffnen", axum::routing::post(dossiers::reopen))
        .route("/dossiers/{id}/zuweisen", axum::routing::post(dossiers::assign))
        .route("/dossiers/{id}/abschluss/entscheid", axum::routing::post(dossiers::decide_closing))
        .route("/dossiers/{id}/familie", axum::routing::post(dossiers::link_family))
        .route("/dossiers/{id}/familie/loesen", axum::routing::post(dossiers::unlink_family))
        .route("/dossiers/{id}/auftraege/neu", get(auftraege::order_form))
        .route("/dossiers/{id}/auftraege", axum::routing::post(auftraege::order))
        .route("/dossiers/{id}/auftraege/{auftrag}/entscheid", axum::routing::post(auftraege::decide))
        .route("/dossiers/{id}/auftraege/{auftrag}/kenntnis", axum::routing::post(auftraege::acknowledge))
        .route("/dossiers/{id}/uebergabe", get(uebergaben::request_form).post(uebergaben::request))
        .route("/dossiers/{id}/umzug/{vorschlag}/verwerfen", axum::routing::post(uebergaben::dismiss_move))
        .route("/uebergaben", get(uebergaben::incoming))
        .route("/uebergaben/{id}/annehmen", axum::routing::post(uebergaben::accept))
        .route("/uebergaben/{id}/ablehnen", axum::routing::post(uebergaben::reject))
        .route("/pendenzen", get(pendenzen::show))
        .route("/anbieter", get(auftraege::providers))
        .route("/auftraege", get(auftraege::provider_list))
        .route("/auftraege/{id}", get(auftraege::provider_show))
        .route("/auftraege/{id}/ergebnis", axum::routing::post(auftraege::report))
        .route("/dossiers/{id}/sprachstand", get(massnahmen::sprachstand_form).post(massnahmen::record_sprachstand))
        .route("/dossiers/{id}/massnahmen/neu", get(massnahmen::buchung_form))
        .route("/dossiers/{id}/massnahmen", axum::routing::post(massnahmen::book))
        .route("/dossiers/{id}/ausnahmegesuche", axum::routing::post(ausnahmegesuche::request))
        .route("/dossiers/{id}/ausnahmegesuche/{gid}", get(ausnahmegesuche::show))
        .route("/dossiers/{id}/ausnahmegesuche/{gid}/entscheid", axum::routing::post(ausnahmegesuche::decide))
        .route("/dossiers/{id}/teilnahmen/{tid}/beenden", get(massnahmen::ende_form).post(massnahmen::end))
        .route(
            "/dossiers/{id}/teilnahmen/{tid}/anschluss",
            get(massnahmen::anschluss_form).post(massnahmen::record_anschluss),
        )
        .route("/massnahmen", get(massnahmen::katalog).post(massnahmen::create_massnahme))
        .route("/massnahmen/neu", get(massnahmen::new_massnahme_form))
        .route("/massnahmen/{code}/bearbeiten", get(massnahmen::edit_massnahme_form).post(massnahmen::update_massnahme))
        .route("/massnahmen/{code}/deaktivieren", axum::routing::post(massnahmen::deactivate_massnahme))
        .route("/neuzuzueger", get(neuzuzueger::list))
        .route("/neuzuzueger/export.csv", get(neuzuzueger::export_csv))
        .route("/neuzuzueger/{id}", get(neuzuzueger::show))
        .route("/neuzuzueger/{id}/status", axum::routing::post(neuzuzueger::change_status))
        .route(
            "/neuzuzueger/{id}/gespraech",
            get(neuzuzueger::conversation_form).post(neuzuzueger::record_conversation),
        )
        .route("/neuzuzueger/{id}/fordern", get(neuzuzueger::hand_over_form).post(neuzuzueger::hand_over))
        .route("/fordern", get(fordern::list))
        .route("/fordern/{id}", get(fordern::show))
        .route("/fordern/{id}/entscheid", axum::routing::post(fordern::decide))
        .route("/selbstdeklaration", get(selbstdeklaration::show))
        .route("/selbstdeklaration/{jahr}/anlegen", axum::routing::post(selbstdeklaration::create_fragebogen))
        .route("/selbstdeklaration/{jahr}/fragebogen", get(selbstdeklaration::fragebogen))
        .route("/selbstdeklaration/{jahr}/fragen", axum::routing::post(selbstdeklaration::add_frage))
        .route(
            "/selbstdeklaration/{jahr}/fragen/{key}",
            get(selbstdeklaration::frage_form).post(selbstdeklaration::update_frage),
        )
        .route("/selbstdeklaration/{jahr}/fragen/{key}/entfernen", axum::routing::post(selbstdeklaration::remove_frage))
        .route("/selbstdeklaration/{jahr}/antworten", get(selbstdeklaration::antworten))
        .route("/selbstdeklaration/{jahr}/export.xlsx", get(selbstdeklaration::export))
        .route("/selbstdeklaration/{jahr}/{bfs}", get(selbstdeklaration::deklaration).post(selbstdeklaration::save))
        .route("/selbstdeklaration/{jahr}/{bfs}/zurueckgeben", axum::routing::post(selbstdeklaration::return_to_draft))
        .route("/gemeinden", get(gemeinden::list))
        .route("/gemeinden/export.csv", get(gemeinden::export_csv))
        .route("/gemeinden/export.xlsx", get(gemeinden::export_xlsx))
        .route("/gemeinden/{bfs}", get(gemeinden::show).post(gemeinden::save))
        .route("/fruehfoerderung", get(fruehfoerderung::list).post(fruehfoerderung::create))
        .route("/fruehfoerderung/neu", get(fruehfoerderung::new_form))
        .route("/fruehfoerderung/aufnehmen", axum::routing::post(fruehfoerderung::aufnehmen))
        .route("/fruehfoerderung/{id}", get(fruehfoerderung::show))
        .route("/fruehfoerderung/{id}/{teil}", get(fruehfoerderung::section_form).post(fruehfoerderung::save_section))
        .route("/kennzahlen", get(kennzahlen::show))
        .route("/kennzahlen/export.csv", get(kennzahlen::export_csv))
        .route("/kennzahlen/export.xlsx", get(kennzahlen::export_xlsx))
        .route("/mentoring", get(mentoring::public_form))
        .route("/mentoring/anmeldung", axum::routing::post(mentoring::sign_up))
        .route("/mentoring/danke", get(mentoring::thanks))
        .route("/mentoring/pool", get(mentoring::pool))
        .route("/mentoring/mentoren/{id}", get(mentoring::mentor_show).post(mentoring::mentor_save))
        .route("/mentoring/mentees/{id}", get(mentoring::mentee_show))
        .route("/mentoring/mentees/{id}/tandem", axum::routing::post(mentoring::tandem_create))
        .route("/mentoring/tandems/{id}", get(mentoring::tandem_show))
        .route("/mentoring/tandems/{id}/status", axum::routing::post(mentoring::tandem_change))
        .route("/mentoring/tandems/{id}/checkins", axum::routing::post(mentoring::checkin))
        .route("/mentoring/zuweisung", get(mentoring::zuweisung_form).post(mentoring::zuweisen))
        .route("/meine-angebote", get(verwaltung::own_list).post(verwaltung::create))
        .route("/meine-angebote/neu", get(verwaltung::new_form))
        .route("/meine-angebote/{id}", get(verwaltung::show).post(verwaltung::update))
        .route("/meine-angebote/{id}/bearbeiten", get(verwaltung::edit_form))
        .route("/meine-angebote/{id}/einreichen", axum::routing::post(verwaltung::submit))
        .route("/meine-angebote/{id}/archivieren", axum::routing::post(verwaltung::archive))
        .route("/angebote-pruefen", get(verwaltung::pruefliste))
        .route("/angebote-pruefen/{id}/veroeffentlichen", axum::routing::post(verwaltung::publish))
        .route("/angebote-pruefen/{id}/zurueckgeben", axum::routing::post(verwaltung::give_back))
        .route("/protokoll", get(audit::list))
        .route("/konto/api-tokens", get(tokens::list).post(tokens::create))
        .route("/konto/api-tokens/{id}/widerrufen", axum::routing::post(tokens::revoke))
        .route("/register-import/{id}", get(register_import::show))
        .route("/static/style.css", get(stylesheet))
        .route_layer(axum::middleware::from_fn(crate::error::hide_unreadable_records))
        .layer(from_fn_with_state(state.clone(), form_token_guard))
        .layer(from_fn_with_state(state.clone(), csrf_guard))
        .with_state(state)
}

/// The upload of register deliveries: its own body limit and timeout (`lib.rs` keeps it out of the 2 MB
/// limit of every other request).
pub fn upload_router(state: SharedState) -> Router {
    Router::new()
        .route("/register-import", get(register_import::list).post(register_import::upload))
        .route(
            "/fallliste-import",
            get(caseload::form)
                .post(caseload::upload)
                .layer(axum::extract::DefaultBodyLimit::max(caseload::UPLOAD_LIMIT)),
        )
        .layer(axum::extract::DefaultBodyLimit::max(register_import::UPLOAD_LIMIT))
        .layer(from_fn_with_state(state.clone(), csrf_guard))
        .with_state(state)
}

/// A form shown again with its messages and the input kept (422).
pub(crate) fn unprocessable(page: impl IntoResponse) -> Result<Response, crate::error::PageError> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// A date as the users write it: 21.11.2026.
pub fn swiss_date(date: chrono::NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// What the frame around every page needs.
pub struct Layout {
    pub title: String,
    pub section: &'static str,
    pub user: Option<UserBar>,
    pub csrf_token: String,
    pub notice: Option<&'static str>,
}

/// The logged-in person in the page header, and which sections the navigation offers.
pub struct UserBar {
    pub display_name: String,
    pub organisation: String,
    pub roles: String,
    pub may_read_persons: bool,
    pub may_read_dossiers: bool,
    pub may_read_orders: bool,
    pub may_read_audit: bool,
    pub may_read_neuzuzueger: bool,
    pub may_import: bool,
    pub may_import_caseload: bool,
    pub may_read_fordern: bool,
    pub may_read_fruehfoerderung: bool,
    pub may_read_kennzahlen: bool,
    pub may_read_gemeindeorganisation: bool,
    pub may_read_selbstdeklaration: bool,
    pub may_read_mentoring: bool,
    pub may_refer_mentoring: bool,
    pub may_keep_offers: bool,
    pub may_pruefen_offers: bool,
}

impl Layout {
    pub fn for_user(user: &CurrentUser, title: impl Into<String>, section: &'static str) -> Self {
        let actor = user.actor();
        Self {
            title: title.into(),
            section,
            user: Some(UserBar {
                display_name: actor.display_name.clone(),
                organisation: actor.organisation_name.clone(),
                roles: role_labels(actor),
                may_read_persons: actor.may(Resource::Person, Action::Read),
                may_read_dossiers: actor.may(Resource::Dossier, Action::Read),
                may_read_orders: actor.may(Resource::Auftrag, Action::Read),
                may_read_audit: actor.may(Resource::AuditLog, Action::Read),
                may_read_neuzuzueger: actor.may(Resource::Neuzuzueger, Action::Read),
                may_import: actor.may(Resource::RegisterImport, Action::Create),
                may_import_caseload: actor.may(Resource::CaseloadImport, Action::Create),
                may_read_fordern: actor.may(Resource::Fordern, Action::Read),
                may_read_fruehfoerderung: actor.may(Resource::Fruehfoerderung, Action::Read),
                may_read_kennzahlen: actor.may(Resource::Kennzahlen, Action::Read),
                may_read_gemeindeorganisation: actor.may(Resource::Gemeindeorganisation, Action::Read),
                may_read_selbstdeklaration: actor.may(Resource::Selbstdeklaration, Action::Read),
                may_read_mentoring: actor.may(Resource::Mentoring, Action::Read),
                may_refer_mentoring: actor.may(Resource::MentoringZuweisung, Action::Create),
                may_keep_offers: actor.may(Resource::Angebot, Action::Create),
                may_pruefen_offers: actor.may(Resource::Angebot, Action::Approve),
            }),
            csrf_token: user.session.csrf_token.clone(),
            notice: None,
        }
    }

    /// A fresh one-time token for one form of the page (ADR 0023); each call gives another, so every form on a
    /// page has its own. Empty without a logged-in user: public forms are not claimed.
    pub fn form_token(&self) -> String {
        if self.user.is_some() { iim_store::new_form_token() } else { String::new() }
    }

    pub fn anonymous(title: impl Into<String>) -> Self {
        Self { title: title.into(), section: "", user: None, csrf_token: String::new(), notice: None }
    }

    /// Adds the notice named by `?hinweis=…`; unknown names are ignored, so URLs cannot inject text.
    pub fn with_notice(mut self, key: Option<&str>) -> Self {
        self.notice = match key {
            Some("erfasst") => Some("Die Person ist erfasst."),
            Some("gespeichert") => Some("Die Änderungen sind gespeichert."),
            Some("unveraendert") => Some("Es gab nichts zu ändern."),
            Some("abgemeldet") => Some("Sie sind abgemeldet."),
            Some("gespraech") => Some("Das Erstinformationsgespräch ist gespeichert."),
            Some("fordern") => Some("Der Fall ist dem Migrationsamt übergeben. Sein Entscheid erscheint hier."),
            Some("entscheid") => Some("Der Entscheid ist gespeichert. Die Gemeinde sieht ihn bei ihrer Übergabe."),
            Some("duplikat") => Some("Der Entscheid zum möglichen Duplikat ist gespeichert."),
            Some("eroeffnet") => Some("Das Dossier ist eröffnet."),
            Some("kurzassessment") => Some("Das Kurzassessment ist gespeichert."),
            Some("bereits_gespeichert") => Some("Dieses Formular wurde bereits gespeichert."),
            Some("bereits_gesendet") => {
                Some("Dieses Formular wurde bereits gesendet. Bitte prüfen Sie, ob die Angaben gespeichert sind.")
            }
            Some("ziel") => Some("Das Ziel ist im Hilfsplan."),
            Some("vorschlag_uebernommen") => Some("Der Vorschlag ist als Ziel im Hilfsplan."),
            Some("vorschlag_verworfen") => {
                Some("Der Vorschlag ist verworfen. Für dieses Kurzassessment wird er nicht mehr vorgeschlagen.")
            }
            Some("standortbestimmung") => Some("Die Standortbestimmung ist gespeichert."),
            Some("abgeschlossen") => Some("Das Dossier ist abgeschlossen."),
            Some("wiedereroeffnet") => Some("Das Dossier ist wiedereröffnet."),
            Some("zugewiesen") => Some("Die Fallführung ist übertragen."),
            Some("auftrag") => Some("Der Auftrag ist erfasst."),
            Some("genehmigt") => Some("Genehmigt."),
            Some("nicht_genehmigt") => Some("Nicht genehmigt; die Begründung steht im Verlauf."),
            Some("kenntnis") => Some("Das Ergebnis ist als gelesen markiert."),
            Some("ergebnis") => Some("Das Ergebnis ist gemeldet. Die fallführende Stelle sieht es in ihren Pendenzen."),
            Some("familie") => Some("Die Dossiers sind als Familie verknüpft."),
            Some("familie_geloest") => Some("Die Familienverknüpfung ist gelöst."),
            Some("uebergabe_beantragt") => {
                Some("Die Übergabe ist beantragt. Das Dossier bleibt bei Ihnen, bis die neue Stelle es annimmt.")
            }
            Some("uebergabe_angenommen") => Some("Sie haben das Dossier übernommen und sind jetzt fallführend."),
            Some("uebergabe_abgelehnt") => {
                Some("Die Übergabe ist abgelehnt. Die bisherige Stelle sieht die Begründung im Verlauf.")
            }
            Some("umzug_verworfen") => Some("Der Umzugsvorschlag ist verworfen; das Dossier bleibt bei Ihnen."),
            Some("abschluss_beantragt") => Some("Der Abschluss liegt der Leitung zur Genehmigung vor."),
            Some("sprachstand") => Some("Der Sprachstand ist gespeichert."),
            Some("gebucht") => Some("Die Massnahme ist gebucht."),
            Some("ausnahme_beantragt") => {
                Some("Die Ausnahme ist bei der Leitung beantragt. Ihren Entscheid sehen Sie hier im Dossier.")
            }
            Some("ausnahme_bewilligt") => Some("Die Ausnahme ist bewilligt und die Massnahme gebucht."),
            Some("ausnahme_abgelehnt") => Some("Die Ausnahme ist abgelehnt. Die Fallführung sieht die Begründung."),
            Some("beendet") => Some("Die Teilnahme ist beendet. Bitte den Anschluss erfassen."),
            Some("anschluss") => Some("Der Anschluss ist erfasst."),
            Some("katalog") => Some("Der Massnahmenkatalog ist als neue Version gespeichert."),
            Some("widerrufen") => Some("Das Token ist widerrufen und funktioniert nicht mehr."),
            Some("tandem") => Some("Das Tandem ist vorgeschlagen. Sobald es sich trifft, auf «aktiv» setzen."),
            Some("checkin") => Some("Der Check-in ist gespeichert."),
            Some("mentoring") => Some("Die Person ist dem Mentoring-Pool zugewiesen. Die Koordination meldet sich."),
            Some("kind_aufgenommen") => Some("Das Kind ist in die frühe Sprachförderung aufgenommen."),
            _ => None,
        };
        self
    }
}

pub fn role_labels(actor: &iim_domain::Actor) -> String {
    actor.roles.iter().map(|role| role.label()).collect::<Vec<_>>().join(", ")
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    message: &'a str,
}

/// An error page with the given status; it shows no user data, so it needs no session.
pub fn render_error_page(status: StatusCode, title: &str, message: &str) -> Response {
    (status, ErrorPage { layout: Layout::anonymous(title), message }).into_response()
}

pub async fn not_found() -> Response {
    render_error_page(
        StatusCode::NOT_FOUND,
        "Seite nicht gefunden",
        "Diese Seite gibt es nicht. Bitte prüfen Sie die Adresse.",
    )
}

async fn stylesheet() -> Response {
    let mut response = include_str!("../../assets/style.css").into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response
}

/// The links under a list: first, previous, the numbers around the current page, next and last, each
/// keeping the other query parameters. A page past the end (`?seite=` larger than the list) gets no links but
/// [`PastEnd`], which the list shows instead of its empty state.
pub struct Pagination {
    pub page: u64,
    pub pages: u64,
    pub first_href: Option<String>,
    pub previous_href: Option<String>,
    pub numbers: Vec<PageLink>,
    pub next_href: Option<String>,
    pub last_href: Option<String>,
    pub past_end: Option<PastEnd>,
}

/// One numbered link in the pagination.
pub struct PageLink {
    pub number: u64,
    pub href: String,
    pub current: bool,
}

/// «Seite N gibt es nicht; die Liste hat M Seiten», with the link to the last page.
pub struct PastEnd {
    pub asked: u64,
    pub pages: u64,
    pub last_href: String,
}

/// How many numbered links are shown on each side of the current page.
const NEIGHBOURS: u64 = 2;

impl Pagination {
    /// `page` is the page asked for (from [`page_number`]), `pages` how many the list has.
    pub fn new(path: &str, params: &[(&str, &str)], page: u64, pages: u64) -> Self {
        let href = |target: u64| {
            let mut query: Vec<String> = params
                .iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(key, value)| format!("{key}={}", urlencoding::encode(value)))
                .collect();
            query.push(format!("seite={target}"));
            format!("{path}?{}", query.join("&"))
        };
        Self::with_links(page, pages, href)
    }

    /// As [`Pagination::new`], with the address of each page made by `href` (for a second list on one page).
    pub fn with_links(page: u64, pages: u64, href: impl Fn(u64) -> String) -> Self {
        let pages = pages.max(1);
        if page > pages {
            let past_end = PastEnd { asked: page, pages, last_href: href(pages) };
            return Self {
                page,
                pages,
                first_href: None,
                previous_href: None,
                numbers: Vec::new(),
                next_href: None,
                last_href: None,
                past_end: Some(past_end),
            };
        }
        let page = page.max(1);
        let around = page.saturating_sub(NEIGHBOURS).max(1)..=page.saturating_add(NEIGHBOURS).min(pages);
        Self {
            page,
            pages,
            first_href: (page > 1).then(|| href(1)),
            previous_href: (page > 1).then(|| href(page - 1)),
            numbers: around.map(|number| PageLink { number, href: href(number), current: number == page }).collect(),
            next_href: (page < pages).then(|| href(page + 1)),
            last_href: (page < pages).then(|| href(pages)),
            past_end: None,
        }
    }
}

/// A record number from the URL; anything that is not a number is a record that does not exist.
pub fn parse_id(text: &str) -> Result<i64, crate::error::PageError> {
    text.parse().map_err(|_| crate::error::PageError(crate::error::AppError::NotFound))
}

/// Reads the page asked for from a query value: a whole number from 1. Anything else (`abc`, `-1`, `0`,
/// empty) is page 1. A number too large for any list stays large (at most `u64::MAX`), so that the list can
/// say this page does not exist; the store bounds what it actually reads ([`iim_store::PageWindow`]).
pub fn page_number(value: Option<&String>) -> u64 {
    let Some(text) = value.map(|v| v.trim()).filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())) else {
        return 1;
    };
    text.parse::<u64>().unwrap_or(u64::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::{Pagination, page_number};

    #[test]
    fn page_numbers_are_whole_numbers_from_one() {
        let page = |text: &str| page_number(Some(&text.to_owned()));
        assert_eq!(page("3"), 3);
        assert_eq!(page(" 12 "), 12);
        assert_eq!((page("0"), page("-1"), page("abc"), page(""), page("2.5")), (1, 1, 1, 1, 1));
        assert_eq!(page("9223372036854775807"), 9_223_372_036_854_775_807);
        assert_eq!(page("99999999999999999999999"), u64::MAX);
        assert_eq!(page_number(None), 1);
    }

    #[test]
    fn pagination_offers_first_last_and_the_numbers_around_the_page() {
        let pagination = Pagination::new("/personen", &[("q", "mü")], 5, 9);
        let numbers: Vec<u64> = pagination.numbers.iter().map(|link| link.number).collect();
        assert_eq!(numbers, [3, 4, 5, 6, 7]);
        assert_eq!(pagination.first_href.as_deref(), Some("/personen?q=m%C3%BC&seite=1"));
        assert_eq!(pagination.last_href.as_deref(), Some("/personen?q=m%C3%BC&seite=9"));
        assert!(pagination.past_end.is_none());
    }

    #[test]
    fn a_page_past_the_end_links_to_the_last_page() {
        let pagination = Pagination::new("/dossiers", &[], u64::MAX, 3);
        let past_end = pagination.past_end.expect("past the end");
        assert_eq!((past_end.asked, past_end.pages, past_end.last_href.as_str()), (u64::MAX, 3, "/dossiers?seite=3"));
        assert!(pagination.numbers.is_empty() && pagination.next_href.is_none());
    }
}
