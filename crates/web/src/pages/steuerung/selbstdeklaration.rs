//! The yearly Selbstdeklaration (ADR 0009). The Kanton sees the completion status of all Gemeinden per
//! year, edits the questionnaire, reads the answers side by side, exports them as XLSX and returns a
//! submission to draft. The Integrationsbeauftragte fills in the declaration of its Gemeinde(n) for the
//! current year: save as draft, submit; read-only after submission and for earlier years.
//!
//! Which view `/selbstdeklaration` shows follows the matrix (`Create` on Selbstdeklaration: the Kanton's
//! overview); what anyone may read or change is decided in the store.

use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::pages::Layout;
use crate::pages::export::download;
use crate::pages::form::{FormField, choice_field, choices, summary, text_field, textarea_field, with_errors};
use crate::pages::unprocessable;
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::Datelike;
use iim_domain::clock::format_swiss;
use iim_domain::person::Choice;
use iim_domain::selbstdeklaration::{DeklarationStatus, Frage, FrageInput, FrageTyp, Fragebogen};
use iim_domain::{Action, FieldErrors, Resource, sortierung};
use iim_store::{DeklarationFilter, FragebogenStand, OrganisationKind, Selbstdeklaration, StoreError};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::collections::{BTreeMap, HashMap};

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn not_found() -> PageError {
    PageError(AppError::NotFound)
}

fn current_year(state: &SharedState) -> i32 {
    state.store.clock().today().year()
}

fn notice_text(key: Option<&str>) -> Option<&'static str> {
    match key {
        Some("entwurf") => Some("Der Entwurf ist gespeichert."),
        Some("eingereicht") => Some("Die Selbstdeklaration ist eingereicht. Vielen Dank."),
        Some("zurueckgegeben") => Some("Die Selbstdeklaration ist zur Überarbeitung an die Gemeinde zurückgegeben."),
        Some("fragebogen") => Some("Der Fragebogen ist als neue Version gespeichert."),
        Some("angelegt") => Some("Der Fragebogen ist angelegt."),
        _ => None,
    }
}

/// A row of the Kanton's overview.
pub struct StatusRow {
    href: String,
    gemeinde: String,
    sozialregion: String,
    status: &'static str,
    eingereicht: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "steuerung/selbstdeklaration/uebersicht.html")]
pub struct UebersichtPage {
    layout: Layout,
    notice: Option<&'static str>,
    jahr: i32,
    jahre: Vec<(i32, bool)>,
    hat_fragebogen: bool,
    anlegbar: Vec<i32>,
    zahlen: Vec<(&'static str, &'static str, usize)>,
    status_options: Vec<(String, String, bool)>,
    region_options: Vec<(String, String, bool)>,
    rows: Vec<StatusRow>,
    gesamt: usize,
    action_error: Option<String>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct UebersichtQuery {
    jahr: String,
    status: String,
    region: String,
    hinweis: String,
}

/// `/selbstdeklaration`: the Kanton's overview, or the Integrationsbeauftragte's own declaration(s).
pub async fn show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(query): Query<UebersichtQuery>,
) -> Result<Response, PageError> {
    if user.actor().may(Resource::Selbstdeklaration, Action::Create) {
        Ok(uebersicht(&state, &user, &query, None).await?.into_response())
    } else {
        meine(&state, &user, &query.hinweis).await
    }
}

async fn uebersicht(
    state: &SharedState,
    user: &CurrentUser,
    query: &UebersichtQuery,
    action_error: Option<String>,
) -> Result<UebersichtPage, PageError> {
    let heute = current_year(state);
    let vorhanden = state.store.selbstdeklaration_jahre().await?;
    let jahr = query.jahr.parse().ok().or_else(|| vorhanden.iter().copied().find(|j| *j <= heute)).unwrap_or(heute);
    let stand = state.store.fragebogen(jahr).await?;
    let status = DeklarationStatus::from_code(&query.status);
    let directory = state.store.directory();
    let mut regionen: Vec<_> = directory.all().filter(|o| o.kind == OrganisationKind::Sozialregion).collect();
    sortierung::nach_deutsch(&mut regionen, |r| r.name.as_str());
    let region = regionen.iter().find(|r| r.id.to_string() == query.region).map(|r| r.id);
    let alle = match stand {
        Some(_) => state.store.selbstdeklarationen(user.actor(), jahr, &DeklarationFilter::default()).await?,
        None => Vec::new(),
    };
    let zahlen = DeklarationStatus::ALL
        .iter()
        .map(|s| (s.code(), s.label(), alle.iter().filter(|d| d.status == *s).count()))
        .collect();
    let rows = alle
        .iter()
        .filter(|d| status.is_none_or(|s| d.status == s))
        .filter(|d| region.is_none_or(|id| directory.region_of_gemeinde(d.gemeinde).map(|r| r.id) == Some(id)))
        .map(|d| StatusRow {
            href: format!("/selbstdeklaration/{jahr}/{}", d.gemeinde.get()),
            gemeinde: d.gemeinde_name.clone(),
            sozialregion: d.sozialregion.clone(),
            status: d.status.label(),
            eingereicht: d.eingereicht_am.map(format_swiss).unwrap_or_default(),
        })
        .collect();
    let mut anlegbar: Vec<i32> = [heute, heute + 1].into_iter().filter(|j| !vorhanden.contains(j)).collect();
    anlegbar.sort_unstable();
    Ok(UebersichtPage {
        layout: Layout::for_user(user, format!("Selbstdeklaration {jahr}"), "selbstdeklaration"),
        notice: notice_text(Some(&query.hinweis)),
        jahr,
        jahre: vorhanden.iter().map(|j| (*j, *j == jahr)).collect(),
        hat_fragebogen: stand.is_some(),
        anlegbar,
        zahlen,
        status_options: DeklarationStatus::ALL
            .iter()
            .map(|s| (s.code().to_owned(), s.label().to_owned(), Some(*s) == status))
            .collect(),
        region_options: regionen.iter().map(|r| (r.id.to_string(), r.name.clone(), Some(r.id) == region)).collect(),
        rows,
        gesamt: alle.len(),
        action_error,
    })
}

/// The Integrationsbeauftragte's view: with one Gemeinde its declaration of the current year at once,
/// with several (Leitgemeinde) the list to choose from.
async fn meine(state: &SharedState, user: &CurrentUser, hinweis: &str) -> Result<Response, PageError> {
    let jahr = current_year(state);
    let mut eigene = Vec::new();
    let mut frueher = Vec::new();
    for j in state.store.selbstdeklaration_jahre().await? {
        let items = state.store.selbstdeklarationen(user.actor(), j, &DeklarationFilter::default()).await?;
        if j == jahr {
            eigene = items;
        } else if j < jahr {
            frueher.extend(items.into_iter().filter(|d| d.status != DeklarationStatus::NichtBegonnen));
        }
    }
    if let [einzige] = eigene.as_slice()
        && frueher.is_empty()
    {
        return Ok(deklaration_page(state, user, jahr, einzige.gemeinde.get(), None, notice_text(Some(hinweis)))
            .await?
            .into_response());
    }
    let link = |d: &Selbstdeklaration| StatusRow {
        href: format!("/selbstdeklaration/{}/{}", d.jahr, d.gemeinde.get()),
        gemeinde: format!("{} {}", d.gemeinde_name, d.jahr),
        sozialregion: d.sozialregion.clone(),
        status: d.status.label(),
        eingereicht: d.eingereicht_am.map(format_swiss).unwrap_or_default(),
    };
    Ok(MeinePage {
        layout: Layout::for_user(user, "Selbstdeklaration", "selbstdeklaration"),
        notice: notice_text(Some(hinweis)),
        jahr,
        aktuell: eigene.iter().map(link).collect(),
        frueher: frueher.iter().map(link).collect(),
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "steuerung/selbstdeklaration/meine.html")]
pub struct MeinePage {
    layout: Layout,
    notice: Option<&'static str>,
    jahr: i32,
    aktuell: Vec<StatusRow>,
    frueher: Vec<StatusRow>,
}

/// One question of the declaration form, prepared like `fields.html` does it.
pub struct FrageFeld {
    name: String,
    label: String,
    hint: String,
    required: bool,
    /// `text`, `textarea`, `select` or `radios`.
    kind: &'static str,
    value: String,
    options: Vec<(String, String, bool)>,
    error: Option<String>,
    /// The read-only answer.
    anzeige: String,
}

impl FrageFeld {
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.name));
        }
        ids.join(" ")
    }
}

fn frage_feld(frage: &Frage, value: &str, gespeichert: Option<&str>, errors: &FieldErrors) -> FrageFeld {
    let (kind, options) = match frage.typ {
        FrageTyp::JaNein => {
            ("radios", vec![("ja".to_owned(), "Ja".to_owned()), ("nein".to_owned(), "Nein".to_owned())])
        }
        FrageTyp::Auswahl => ("select", frage.optionen.iter().map(|o| (o.clone(), o.clone())).collect()),
        FrageTyp::Text => ("textarea", Vec::new()),
        FrageTyp::Zahl | FrageTyp::Datum => ("text", Vec::new()),
    };
    let hint = match (frage.typ, frage.hilfe.is_empty()) {
        (FrageTyp::Datum, true) => "Datum als TT.MM.JJJJ".to_owned(),
        (FrageTyp::Datum, false) => format!("{} Datum als TT.MM.JJJJ", frage.hilfe),
        _ => frage.hilfe.clone(),
    };
    FrageFeld {
        name: frage.feldname(),
        label: frage.text.clone(),
        hint,
        required: frage.pflicht,
        kind,
        value: value.to_owned(),
        options: options.into_iter().map(|(v, l)| (v.clone(), l, v == value)).collect(),
        error: errors.get(&frage.feldname()).map(str::to_owned),
        anzeige: match gespeichert {
            Some(_) => frage.anzeige(gespeichert),
            None => "nicht beantwortet".to_owned(),
        },
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "steuerung/selbstdeklaration/deklaration.html")]
pub struct DeklarationPage {
    layout: Layout,
    notice: Option<&'static str>,
    jahr: i32,
    gemeinde: String,
    action: String,
    status: &'static str,
    editierbar: bool,
    eingereicht: Option<String>,
    rueckgabe: Option<String>,
    version_hinweis: Option<String>,
    felder: Vec<FrageFeld>,
    errors: Vec<(String, String)>,
    /// The Kanton may return a submitted declaration of the current year.
    rueckgabe_moeglich: bool,
    rueckgabe_fehler: Option<String>,
    zurueck: &'static str,
}

/// The declaration page: the form while it is a draft of the current year, otherwise read-only.
/// `eingaben` holds what was just sent (shown again with `errors`).
async fn deklaration_page(
    state: &SharedState,
    user: &CurrentUser,
    jahr: i32,
    gemeinde: u16,
    eingaben: Option<(&BTreeMap<String, String>, &FieldErrors)>,
    notice: Option<&'static str>,
) -> Result<DeklarationPage, PageError> {
    let deklaration = state.store.selbstdeklaration(user.actor(), jahr, gemeinde).await?;
    let stand = state.store.fragebogen(jahr).await?.ok_or_else(not_found)?;
    let kanton = user.actor().may(Resource::Selbstdeklaration, Action::Create);
    let aktuell = jahr == current_year(state);
    let editierbar = !kanton && aktuell && deklaration.status != DeklarationStatus::Eingereicht;
    let keine_fehler = FieldErrors::new();
    let errors = eingaben.map_or(&keine_fehler, |(_, e)| e);
    let felder = stand
        .fragebogen
        .fragen
        .iter()
        .map(|frage| {
            let gespeichert = deklaration.antworten.get(&frage.key).map(String::as_str);
            let value = match eingaben {
                Some((sent, _)) => sent.get(&frage.feldname()).cloned().unwrap_or_default(),
                None => frage.eingabewert(gespeichert),
            };
            frage_feld(frage, &value, gespeichert, errors)
        })
        .collect();
    let version_hinweis = deklaration.fragebogen_version.filter(|v| *v != stand.fragebogen.version).map(|v| {
        format!(
            "Beantwortet unter Version {v} des Fragebogens; inzwischen gilt Version {}. Neu hinzugekommene Fragen sind noch nicht beantwortet.",
            stand.fragebogen.version
        )
    });
    Ok(DeklarationPage {
        layout: Layout::for_user(
            user,
            format!("Selbstdeklaration {jahr} {}", deklaration.gemeinde_name),
            "selbstdeklaration",
        ),
        notice,
        jahr,
        gemeinde: deklaration.gemeinde_name.clone(),
        action: format!("/selbstdeklaration/{jahr}/{gemeinde}"),
        status: deklaration.status.label(),
        editierbar,
        eingereicht: deklaration
            .eingereicht_am
            .filter(|_| deklaration.status == DeklarationStatus::Eingereicht)
            .map(|am| format!("Eingereicht am {} von {}.", format_swiss(am), deklaration.eingereicht_von)),
        rueckgabe: deklaration.rueckgabe.as_ref().filter(|_| deklaration.status == DeklarationStatus::Entwurf).map(
            |r| {
                format!(
                    "Vom Kanton am {} zur Überarbeitung zurückgegeben ({}): {}",
                    format_swiss(r.am),
                    r.von,
                    r.begruendung
                )
            },
        ),
        version_hinweis,
        felder,
        errors: summary(errors),
        rueckgabe_moeglich: kanton && aktuell && deklaration.status == DeklarationStatus::Eingereicht,
        rueckgabe_fehler: None,
        zurueck: if kanton { "Zurück zur Übersicht" } else { "Zurück zur Selbstdeklaration" },
    })
}

fn year_and_bfs(jahr: &str, bfs: &str) -> Result<(i32, u16), PageError> {
    Ok((jahr.parse().map_err(|_| not_found())?, bfs.parse().map_err(|_| not_found())?))
}

pub async fn deklaration(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((jahr, bfs)): Path<(String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<DeklarationPage, PageError> {
    let (jahr, bfs) = year_and_bfs(&jahr, &bfs)?;
    deklaration_page(&state, &user, jahr, bfs, None, notice_text(params.get("hinweis").map(String::as_str))).await
}

/// Saves a draft or submits (`aktion=einreichen`); refused input comes back with its messages.
pub async fn save(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((jahr, bfs)): Path<(String, String)>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let (jahr, gemeinde) = year_and_bfs(&jahr, &bfs)?;
    let einreichen = form.get("aktion").is_some_and(|a| a == "einreichen");
    match state.store.save_selbstdeklaration(user.actor(), jahr, gemeinde, &form, einreichen).await {
        Ok(_) => {
            let hinweis = if einreichen { "eingereicht" } else { "entwurf" };
            Ok(Redirect::to(&format!("/selbstdeklaration/{jahr}/{gemeinde}?hinweis={hinweis}")).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let mut page = deklaration_page(&state, &user, jahr, gemeinde, Some((&form, &errors)), None).await?;
            if page.felder.iter().all(|f| f.error.is_none()) {
                page.errors = errors.iter().map(|(_, m)| ("antworten".to_owned(), m.to_owned())).collect();
            }
            unprocessable(page)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct RueckgabeForm {
    begruendung: String,
}

pub async fn return_to_draft(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((jahr, bfs)): Path<(String, String)>,
    Form(form): Form<RueckgabeForm>,
) -> Result<Response, PageError> {
    let (jahr, gemeinde) = year_and_bfs(&jahr, &bfs)?;
    match state.store.return_selbstdeklaration(user.actor(), jahr, gemeinde, &form.begruendung).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/selbstdeklaration/{jahr}/{gemeinde}?hinweis=zurueckgegeben")).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let mut page = deklaration_page(&state, &user, jahr, gemeinde, None, None).await?;
            page.rueckgabe_fehler = errors.get("begruendung").map(str::to_owned);
            unprocessable(page)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "steuerung/selbstdeklaration/fragebogen.html")]
pub struct FragebogenPage {
    layout: Layout,
    notice: Option<&'static str>,
    jahr: i32,
    version: i32,
    gespeichert: String,
    eingefroren: bool,
    abgeschlossen: bool,
    fragen: Vec<(String, String, &'static str, bool, String)>,
    heading: String,
    action: String,
    fields: Vec<FormField>,
    errors: Vec<(String, String)>,
}

fn frage_fields(input: &FrageInput, neu: bool) -> Vec<FormField> {
    let mut fields = Vec::new();
    if neu {
        fields.push(text_field(
            "key",
            "Schlüssel",
            "Bleibt über alle Jahre gleich: Kleinbuchstaben, Ziffern und _, z. B. deutschkurse_anzahl.",
            true,
            &input.key,
        ));
    }
    let optionen = textarea_field(
        "optionen",
        "Antworten zur Auswahl",
        "Nur für «Auswahl»: eine Antwort pro Zeile.",
        false,
        &input.optionen,
    );
    fields.extend([
        text_field("text", "Frage", "", true, &input.text),
        text_field("hilfe", "Hilfetext", "Erscheint unter der Frage.", false, &input.hilfe),
        choice_field("typ", "Art der Antwort", "select", true, choices::<FrageTyp>(), std::slice::from_ref(&input.typ)),
        optionen,
        choice_field(
            "pflicht",
            "Muss beantwortet werden",
            "radios",
            true,
            vec![("ja".to_owned(), "Ja".to_owned()), ("nein".to_owned(), "Nein".to_owned())],
            std::slice::from_ref(&input.pflicht),
        ),
    ]);
    fields
}

async fn fragebogen_page(
    state: &SharedState,
    user: &CurrentUser,
    jahr: i32,
    edit: Option<(&FrageInput, bool)>,
    errors: &FieldErrors,
    notice: Option<&'static str>,
) -> Result<FragebogenPage, PageError> {
    let stand: FragebogenStand = state.store.fragebogen(jahr).await?.ok_or_else(not_found)?;
    let leer = FrageInput { pflicht: "nein".to_owned(), typ: "ja_nein".to_owned(), ..FrageInput::default() };
    let (input, neu) = edit.unwrap_or((&leer, true));
    let (heading, action) = if neu {
        ("Frage hinzufügen".to_owned(), format!("/selbstdeklaration/{jahr}/fragen"))
    } else {
        (format!("Frage {} bearbeiten", input.key), format!("/selbstdeklaration/{jahr}/fragen/{}", input.key))
    };
    Ok(FragebogenPage {
        layout: Layout::for_user(user, format!("Fragebogen {jahr}"), "selbstdeklaration"),
        notice,
        jahr,
        version: stand.fragebogen.version,
        gespeichert: if stand.gespeichert_von.is_empty() {
            "mit dem Programm ausgeliefert".to_owned()
        } else {
            format!("{}, {}", format_swiss(stand.gespeichert_am), stand.gespeichert_von)
        },
        eingefroren: stand.eingefroren,
        abgeschlossen: stand.abgeschlossen,
        fragen: stand
            .fragebogen
            .fragen
            .iter()
            .map(|f| (f.key.clone(), f.text.clone(), f.typ.label(), f.pflicht, f.optionen.join(" / ")))
            .collect(),
        heading,
        action,
        fields: with_errors(frage_fields(input, neu), errors),
        errors: summary(errors),
    })
}

fn parse_year(jahr: &str) -> Result<i32, PageError> {
    jahr.parse().map_err(|_| not_found())
}

/// The questionnaire editor; only for those who may change it.
pub async fn fragebogen(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(jahr): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<FragebogenPage, PageError> {
    state.store.check_permission(user.actor(), Resource::Selbstdeklaration, Action::Create).await?;
    let notice = notice_text(params.get("hinweis").map(String::as_str));
    fragebogen_page(&state, &user, parse_year(&jahr)?, None, &FieldErrors::new(), notice).await
}

pub async fn frage_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((jahr, key)): Path<(String, String)>,
) -> Result<FragebogenPage, PageError> {
    state.store.check_permission(user.actor(), Resource::Selbstdeklaration, Action::Create).await?;
    let jahr = parse_year(&jahr)?;
    let stand = state.store.fragebogen(jahr).await?.ok_or_else(not_found)?;
    let input = FrageInput::of(stand.fragebogen.frage(&key).ok_or_else(not_found)?);
    fragebogen_page(&state, &user, jahr, Some((&input, false)), &FieldErrors::new(), None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct FrageForm {
    key: String,
    text: String,
    hilfe: String,
    typ: String,
    optionen: String,
    pflicht: String,
}

impl FrageForm {
    fn input(self) -> FrageInput {
        FrageInput {
            key: self.key,
            text: self.text,
            hilfe: self.hilfe,
            typ: self.typ,
            optionen: self.optionen,
            pflicht: self.pflicht,
        }
    }
}

async fn save_frage(
    state: &SharedState,
    user: &CurrentUser,
    jahr: i32,
    input: FrageInput,
    neu: bool,
) -> Result<Response, PageError> {
    let saved = match input.parse() {
        Ok(frage) => state.store.save_frage(user.actor(), jahr, frage, neu).await,
        Err(errors) => {
            state.store.check_permission(user.actor(), Resource::Selbstdeklaration, Action::Create).await?;
            Err(StoreError::Invalid(errors))
        }
    };
    match saved {
        Ok(_) => Ok(Redirect::to(&format!("/selbstdeklaration/{jahr}/fragebogen?hinweis=fragebogen")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            unprocessable(fragebogen_page(state, user, jahr, Some((&input, neu)), &errors, None).await?)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn add_frage(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(jahr): Path<String>,
    Form(form): Form<FrageForm>,
) -> Result<Response, PageError> {
    save_frage(&state, &user, parse_year(&jahr)?, form.input(), true).await
}

pub async fn update_frage(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((jahr, key)): Path<(String, String)>,
    Form(form): Form<FrageForm>,
) -> Result<Response, PageError> {
    let mut input = form.input();
    input.key = key;
    save_frage(&state, &user, parse_year(&jahr)?, input, false).await
}

pub async fn remove_frage(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((jahr, key)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let jahr = parse_year(&jahr)?;
    match state.store.remove_frage(user.actor(), jahr, &key).await {
        Ok(_) => Ok(Redirect::to(&format!("/selbstdeklaration/{jahr}/fragebogen?hinweis=fragebogen")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            let page = fragebogen_page(&state, &user, jahr, None, &errors, None).await?;
            unprocessable(page)
        }
        Err(other) => Err(other.into()),
    }
}

/// The Kanton creates the questionnaire of a year (a copy of the latest one).
pub async fn create_fragebogen(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(jahr): Path<String>,
) -> Result<Response, PageError> {
    let jahr = parse_year(&jahr)?;
    match state.store.create_fragebogen(user.actor(), jahr).await {
        Ok(_) => Ok(Redirect::to(&format!("/selbstdeklaration/{jahr}/fragebogen?hinweis=angelegt")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            let message = errors.iter().map(|(_, m)| m.to_owned()).collect::<Vec<_>>().join(" ");
            let query = UebersichtQuery { jahr: jahr.to_string(), ..UebersichtQuery::default() };
            unprocessable(uebersicht(&state, &user, &query, Some(message)).await?)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "steuerung/selbstdeklaration/antworten.html")]
pub struct AntwortenPage {
    layout: Layout,
    jahr: i32,
    fragen: Vec<String>,
    zeilen: Vec<(String, String, &'static str, Vec<String>)>,
    nicht_begonnen: usize,
}

/// All answers of a year side by side: Gemeinden as rows, questions as columns.
pub async fn antworten(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(jahr): Path<String>,
) -> Result<AntwortenPage, PageError> {
    let jahr = parse_year(&jahr)?;
    let stand = state.store.fragebogen(jahr).await?.ok_or_else(not_found)?;
    let alle = state.store.selbstdeklarationen(user.actor(), jahr, &DeklarationFilter::default()).await?;
    let begonnen: Vec<&Selbstdeklaration> =
        alle.iter().filter(|d| d.status != DeklarationStatus::NichtBegonnen).collect();
    let zeilen = begonnen
        .iter()
        .map(|d| {
            let werte = stand
                .fragebogen
                .fragen
                .iter()
                .map(|f| f.anzeige(d.antworten.get(&f.key).map(String::as_str)))
                .collect();
            (
                format!("/selbstdeklaration/{jahr}/{}", d.gemeinde.get()),
                d.gemeinde_name.clone(),
                d.status.label(),
                werte,
            )
        })
        .collect();
    Ok(AntwortenPage {
        layout: Layout::for_user(&user, format!("Antworten {jahr}"), "selbstdeklaration"),
        jahr,
        fragen: stand.fragebogen.fragen.iter().map(|f| f.text.clone()).collect(),
        zeilen,
        nicht_begonnen: alle.len() - begonnen.len(),
    })
}

/// All declarations of a year as XLSX: one row per Gemeinde, one column per question; one log entry.
pub async fn export(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(jahr): Path<String>,
) -> Result<Response, PageError> {
    let jahr = parse_year(&jahr)?;
    let stand = state.store.fragebogen(jahr).await?.ok_or_else(not_found)?;
    let rows = state.store.export_selbstdeklarationen(user.actor(), jahr).await?;
    let bytes = workbook(&stand.fragebogen, &rows).map_err(|e| PageError(AppError::Internal(format!("XLSX: {e}"))))?;
    download(bytes, XLSX_TYPE, &format!("selbstdeklaration-{jahr}.xlsx"))
}

const FIXED_COLUMNS: [(&str, f64); 7] = [
    ("BFS-Nr.", 8.0),
    ("Gemeinde", 22.0),
    ("Sozialregion", 26.0),
    ("Status", 14.0),
    ("eingereicht am", 17.0),
    ("eingereicht von", 22.0),
    ("Fragebogen-Version", 10.0),
];

fn workbook(bogen: &Fragebogen, rows: &[Selbstdeklaration]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(format!("Selbstdeklaration {}", bogen.jahr))?;
    let bold = Format::new().set_bold().set_text_wrap();
    let titles = FIXED_COLUMNS.iter().copied().chain(bogen.fragen.iter().map(|f| (f.text.as_str(), 30.0)));
    let mut columns = 0u16;
    for (column, (title, width)) in (0u16..).zip(titles) {
        sheet.write_string_with_format(0, column, title, &bold)?;
        sheet.set_column_width(column, width)?;
        columns = column;
    }
    let mut last_row = 0;
    for (row, d) in (1u32..).zip(rows) {
        sheet.write_number(row, 0, f64::from(d.gemeinde.get()))?;
        sheet.write_string(row, 1, &d.gemeinde_name)?;
        sheet.write_string(row, 2, &d.sozialregion)?;
        sheet.write_string(row, 3, d.status.label())?;
        sheet.write_string(row, 4, d.eingereicht_am.map(format_swiss).unwrap_or_default())?;
        sheet.write_string(row, 5, &d.eingereicht_von)?;
        if let Some(version) = d.fragebogen_version {
            sheet.write_number(row, 6, f64::from(version))?;
        }
        for (column, frage) in (7u16..).zip(&bogen.fragen) {
            let wert = d.antworten.get(&frage.key).map(String::as_str);
            match (frage.typ, wert.and_then(|w| w.parse::<f64>().ok())) {
                (FrageTyp::Zahl, Some(number)) => sheet.write_number(row, column, number).map(|_| ())?,
                _ => sheet.write_string(row, column, frage.anzeige(wert)).map(|_| ())?,
            }
        }
        last_row = row;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row, columns)?;
    workbook.save_to_buffer()
}
