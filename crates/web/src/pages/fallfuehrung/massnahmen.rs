//! Sprache und Massnahmen: the German levels and the participations on the dossier page, their forms (level,
//! booking with entry criteria, the Leitung's exception and the request for one, end, Anschluss), and the Massnahmen catalogue that
//! everyone reads and the Kanton edits. All decisions (criteria, who may override, who may edit) are the
//! store's; these pages only show its answers.

use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::pages::ausnahmegesuche::{GesuchForm, gesuch_form};
use crate::pages::dossiers::to_dossier;
use crate::pages::form::{
    FormField, Gruppen, choice_field, choices, grouped_select, summary, text_field, textarea_field, with_errors,
};
use crate::pages::konflikt::Konflikt;
use crate::pages::listenfilter::{self, ListenFilter};
use crate::pages::{Layout, parse_id};
use crate::pages::{swiss_date, unprocessable};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use iim_domain::dossier::Handlungsfeld;
use iim_domain::massnahmen::{
    AnschlussArt, AnschlussInput, Ausbildungsgrundlage, BuchungInput, Ergebnis, Katalog, Massnahme, MassnahmeInput,
    TeilnahmeEndeInput,
};
use iim_domain::person::Choice;
use iim_domain::sprache::{Fertigkeit, Nachweis, Niveau, SprachstandInput, aktueller_sprachstand};
use iim_domain::{Action, FieldErrors, Resource};
use iim_store::{Ausnahmegesuch, Dossier, StoreError, TeilnahmeEintrag};
use std::collections::HashMap;

fn person_name(dossier: &Dossier) -> String {
    format!("{}, {}", dossier.person.data.nachname.as_str(), dossier.person.data.vornamen.as_str())
}

/// The section «Sprache und Massnahmen» of the dossier page.
pub struct DossierSection {
    pub aktuell: String,
    pub staende: Vec<StandRow>,
    pub teilnahmen: Vec<TeilnahmeRow>,
    /// Exception requests to the Leitung, the open ones and the latest decided.
    pub gesuche: Vec<GesuchRow>,
}

/// An exception request as a line of the dossier: the measure and where it stands.
pub struct GesuchRow {
    pub id: i64,
    pub massnahme: String,
    pub stand: String,
    pub offen: bool,
}

impl GesuchRow {
    fn of(gesuch: &Ausnahmegesuch) -> Self {
        let stand = match &gesuch.entscheid {
            None => format!(
                "Ausnahme beantragt am {} – wartet auf die Leitung",
                swiss_date(gesuch.beantragt_am.date_naive())
            ),
            Some(e) if e.bewilligt => {
                format!("Ausnahme bewilligt am {} von {}: {}", swiss_date(e.am.date_naive()), e.von, e.begruendung)
            }
            Some(e) => {
                format!("Ausnahme abgelehnt am {} von {}: {}", swiss_date(e.am.date_naive()), e.von, e.begruendung)
            }
        };
        Self { id: gesuch.id, massnahme: gesuch.massnahme.clone(), stand, offen: gesuch.entscheid.is_none() }
    }
}

pub struct StandRow {
    pub datum: String,
    pub fertigkeit: &'static str,
    pub niveau: &'static str,
    pub nachweis: &'static str,
    pub bemerkung: String,
}

pub struct TeilnahmeRow {
    pub id: i64,
    pub massnahme: String,
    pub anbieter: String,
    pub zeitraum: String,
    pub ergebnis: String,
    pub anschluss: String,
    pub ohne_anschluss: bool,
    pub laeuft: bool,
    pub ausnahme: String,
}

impl DossierSection {
    pub fn of(dossier: &Dossier) -> Self {
        let aktuell = aktueller_sprachstand(&dossier.sprachstaende).map_or_else(
            || "noch kein Sprachstand erfasst".to_owned(),
            |stand| format!("Deutsch {}", stand.beschrieb()),
        );
        let staende = dossier
            .sprachstaende
            .iter()
            .rev()
            .map(|stand| StandRow {
                datum: swiss_date(stand.datum),
                fertigkeit: stand.fertigkeit.label(),
                niveau: stand.niveau.code(),
                nachweis: stand.nachweis.label(),
                bemerkung: stand.bemerkung.clone(),
            })
            .collect();
        Self {
            aktuell,
            staende,
            teilnahmen: dossier.teilnahmen.iter().map(teilnahme_row).collect(),
            gesuche: dossier.ausnahmegesuche.iter().map(GesuchRow::of).collect(),
        }
    }
}

fn teilnahme_row(eintrag: &TeilnahmeEintrag) -> TeilnahmeRow {
    let t = &eintrag.teilnahme;
    let bis = match (&t.ende, t.geplantes_ende) {
        (Some(ende), _) => swiss_date(ende.ende),
        (None, Some(geplant)) => format!("geplant {}", swiss_date(geplant)),
        (None, None) => "offen".to_owned(),
    };
    let ergebnis = match &t.ende {
        None => "läuft".to_owned(),
        Some(ende) if ende.abbruchgrund.is_empty() => {
            format!("{}, Anwesenheit {} %", ende.ergebnis.label(), ende.anwesenheit)
        }
        Some(ende) => format!("{} ({}), Anwesenheit {} %", ende.ergebnis.label(), ende.abbruchgrund, ende.anwesenheit),
    };
    let anschluss = t.anschluss.as_ref().map_or_else(String::new, |a| {
        let detail = [a.massnahme.clone().unwrap_or_default(), a.text.clone()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        if detail.is_empty() { a.art.label().to_owned() } else { format!("{}: {detail}", a.art.label()) }
    });
    let ausnahme = match (&t.ausnahme, &eintrag.ausnahme_von) {
        (Some(reason), Some(by)) => format!("Ausnahme bewilligt von {by}: {reason}"),
        (Some(reason), None) => format!("Ausnahme: {reason}"),
        _ => String::new(),
    };
    TeilnahmeRow {
        id: eintrag.id,
        massnahme: format!("{} ({}, Katalog Version {})", t.massnahme_titel, t.massnahme_code, t.katalog_version),
        anbieter: t.anbieter.clone(),
        zeitraum: format!("{} – {bis}", swiss_date(t.beginn)),
        ergebnis,
        anschluss,
        ohne_anschluss: t.ohne_anschluss(),
        laeuft: t.laeuft(),
        ausnahme,
    }
}

/// The forms of this module (and of start.integration) share one page; `reasons` lists unmet entry criteria
/// of a refused booking.
#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/massnahmen/form.html")]
pub struct FormPage {
    pub(crate) layout: Layout,
    pub(crate) back: String,
    pub(crate) back_label: &'static str,
    pub(crate) heading: String,
    pub(crate) lead: String,
    pub(crate) action: String,
    pub(crate) submit: &'static str,
    pub(crate) reasons: Vec<(String, String)>,
    pub(crate) fields: Vec<FormField>,
    pub(crate) errors: Vec<(String, String)>,
    /// «Liste eingrenzen» above a form with a long select (offers, Massnahmen), if there is one.
    pub(crate) listenfilter: Option<ListenFilter>,
    /// The version of the record the form is based on, sent back with the save (versioned records only).
    pub(crate) version: Option<i32>,
    /// Set when a colleague saved while the form was open.
    pub(crate) konflikt: Option<Konflikt>,
}

struct Spec {
    title: &'static str,
    lead: String,
    action: String,
    submit: &'static str,
}

fn dossier_form(
    user: &CurrentUser,
    dossier: &Dossier,
    spec: Spec,
    fields: Vec<FormField>,
    errors: &FieldErrors,
) -> FormPage {
    let name = person_name(dossier);
    let (reasons, others): (Vec<_>, Vec<_>) =
        summary(errors).into_iter().partition(|(field, _)| field.starts_with("eintritt_"));
    FormPage {
        layout: Layout::for_user(user, format!("{} {name}", spec.title), "dossiers"),
        back: format!("/dossiers/{}", dossier.id),
        back_label: "Zurück zum Dossier",
        heading: format!("{}: {name}", spec.title),
        lead: spec.lead,
        action: spec.action,
        submit: spec.submit,
        reasons,
        fields: with_errors(fields, errors),
        errors: others,
        listenfilter: None,
        version: None,
        konflikt: None,
    }
}

fn one(value: &str) -> Vec<String> {
    vec![value.to_owned()]
}

fn yes_no_options() -> Vec<(String, String)> {
    vec![("ja".to_owned(), "ja".to_owned()), ("nein".to_owned(), "nein".to_owned())]
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SprachstandForm {
    datum: String,
    fertigkeit: String,
    niveau: String,
    nachweis: String,
    bemerkung: String,
}

async fn sprachstand_page(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    input: &SprachstandInput,
    errors: &FieldErrors,
) -> Result<FormPage, PageError> {
    let dossier = state.store.get_dossier(user.actor(), id).await?;
    let fields = vec![
        text_field("datum", "Datum des Nachweises", "TT.MM.JJJJ", true, &input.datum),
        choice_field("fertigkeit", "Fertigkeit", "select", true, choices::<Fertigkeit>(), &one(&input.fertigkeit)),
        choice_field("niveau", "Niveau", "radios", true, choices::<Niveau>(), &one(&input.niveau)),
        choice_field("nachweis", "Nachweis", "select", true, choices::<Nachweis>(), &one(&input.nachweis)),
        textarea_field(
            "bemerkung",
            "Bemerkung",
            "Welcher Test, Kurs oder welche Schule; bei «anderer Nachweis» nötig.",
            false,
            &input.bemerkung,
        ),
    ];
    let spec = Spec {
        title: "Sprachstand Deutsch",
        lead: "Niveau nach dem Europäischen Referenzrahmen (A1 bis C2), gesamt oder je Fertigkeit, mit Datum und Nachweis.".to_owned(),
        action: format!("/dossiers/{id}/sprachstand"),
        submit: "Sprachstand speichern",
    };
    Ok(dossier_form(user, &dossier, spec, fields, errors))
}

pub async fn sprachstand_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<FormPage, PageError> {
    state.store.check_permission(user.actor(), Resource::Dossier, Action::Update).await?;
    let input = SprachstandInput {
        datum: swiss_date(state.store.clock().today()),
        fertigkeit: "gesamt".to_owned(),
        ..SprachstandInput::default()
    };
    sprachstand_page(&state, &user, parse_id(&id)?, &input, &FieldErrors::new()).await
}

pub async fn record_sprachstand(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<SprachstandForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = SprachstandInput {
        datum: form.datum,
        fertigkeit: form.fertigkeit,
        niveau: form.niveau,
        nachweis: form.nachweis,
        bemerkung: form.bemerkung,
    };
    let result = match input.parse(state.store.clock().today()) {
        Ok(stand) => state.store.record_sprachstand(user.actor(), id, stand).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(_) => Ok(to_dossier(id, "sprachstand")),
        Err(StoreError::Invalid(errors)) => unprocessable(sprachstand_page(&state, &user, id, &input, &errors).await?),
        Err(other) => Err(other.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct BuchungForm {
    massnahme: String,
    anbieter: String,
    beginn: String,
    geplantes_ende: String,
    ausbildung: String,
    ausnahme: String,
}

impl From<BuchungForm> for BuchungInput {
    fn from(form: BuchungForm) -> Self {
        BuchungInput {
            massnahme: form.massnahme,
            anbieter: form.anbieter,
            beginn: form.beginn,
            geplantes_ende: form.geplantes_ende,
            ausbildung: form.ausbildung,
            ausnahme: form.ausnahme,
        }
    }
}

/// The active measures of the catalogue matching the filter, grouped by Handlungsfeld, and the filter with
/// what it found; the measure already chosen stays in the list.
fn measure_options(katalog: &Katalog, filter: ListenFilter, chosen: &str) -> (Gruppen, ListenFilter) {
    let aktiv: Vec<_> = katalog.massnahmen.iter().filter(|m| m.aktiv).collect();
    let passend: Vec<_> = aktiv
        .iter()
        .filter(|m| m.code == chosen || filter.passt(&format!("{} {} {}", m.code, m.titel, m.anbieter)))
        .collect();
    let groups: Gruppen = Handlungsfeld::ALL
        .iter()
        .map(|feld| {
            let in_feld = passend.iter().filter(|m| m.handlungsfeld == *feld);
            (feld.label().to_owned(), in_feld.map(|m| (m.code.clone(), format!("{} – {}", m.code, m.titel))).collect())
        })
        .filter(|(_, options): &(String, Vec<_>)| !options.is_empty())
        .collect();
    let count = passend.len() as u64;
    (groups, filter.gezaehlt(count, aktiv.len() as u64, count))
}

pub(crate) async fn buchung_page(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    input: &BuchungInput,
    filter: ListenFilter,
    errors: &FieldErrors,
) -> Result<FormPage, PageError> {
    let dossier = state.store.get_dossier(user.actor(), id).await?;
    let katalog = state.store.katalog().await?;
    let (massnahmen, filter) = measure_options(&katalog, filter, &input.massnahme);
    let mut ausbildung = vec![("keine".to_owned(), "keine Angabe".to_owned())];
    ausbildung.extend(choices::<Ausbildungsgrundlage>());
    let mut fields = vec![
        grouped_select("massnahme", "Massnahme", true, massnahmen, &one(&input.massnahme)),
        text_field(
            "anbieter",
            "Anbieter",
            "Leer lassen für den üblichen Anbieter laut Katalog.",
            false,
            &input.anbieter,
        ),
        text_field("beginn", "Beginn", "TT.MM.JJJJ", true, &input.beginn),
        text_field("geplantes_ende", "Geplantes Ende", "TT.MM.JJJJ", false, &input.geplantes_ende),
        choice_field(
            "ausbildung",
            "Grundlage für die Berufsausbildung",
            "radios",
            false,
            ausbildung,
            &one(&input.ausbildung),
        ),
    ];
    fields[4].hint = "Nur für Phase 3 nötig: gültiger Lehrvertrag oder Entscheid für Berufsabschluss für Erwachsene.";
    let refused = errors.iter().any(|(field, _)| field.starts_with("eintritt_"));
    let may_override = user.actor().may(Resource::Dossier, Action::Approve);
    let lead = if refused && may_override {
        "Die Eintrittskriterien sind nicht erfüllt. Als Leitung können Sie eine Ausnahme bewilligen: bitte begründen."
    } else if refused {
        "Die Eintrittskriterien sind nicht erfüllt. Eine Ausnahme kann nur die Leitung bewilligen."
    } else {
        "Die Eintrittskriterien werden beim Speichern geprüft: mit dem aktuellen Sprachstand, dem Kurzassessment und dem Alter der Person."
    };
    if refused && may_override {
        fields.push(textarea_field(
            "ausnahme",
            "Begründung für die Ausnahme",
            "Wird mit der Buchung gespeichert und im Verlauf angezeigt.",
            true,
            &input.ausnahme,
        ));
    }
    let spec = Spec {
        title: "Massnahme buchen",
        lead: lead.to_owned(),
        action: format!("/dossiers/{id}/massnahmen"),
        submit: "Massnahme buchen",
    };
    Ok(FormPage { listenfilter: Some(filter), ..dossier_form(user, &dossier, spec, fields, errors) })
}

pub async fn buchung_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<FormPage, PageError> {
    state.store.check_permission(user.actor(), Resource::Dossier, Action::Update).await?;
    let input = BuchungInput {
        massnahme: params.get("massnahme").cloned().unwrap_or_default(),
        beginn: swiss_date(state.store.clock().today()),
        ..BuchungInput::default()
    };
    let id = parse_id(&id)?;
    let filter = ListenFilter::new(format!("/dossiers/{id}/massnahmen/neu"), &params, &listenfilter::MASSNAHMEN);
    buchung_page(&state, &user, id, &input, filter, &FieldErrors::new()).await
}

/// The booking form's filter when the form is shown again after a refusal: not narrowed.
pub(crate) fn massnahmen_filter(id: i64) -> ListenFilter {
    ListenFilter::new(format!("/dossiers/{id}/massnahmen/neu"), &HashMap::new(), &listenfilter::MASSNAHMEN)
}

pub async fn book(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<BuchungForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = BuchungInput::from(form);
    match state.store.book_massnahme(user.actor(), id, &input).await {
        Ok(_) => Ok(to_dossier(id, "gebucht")),
        Err(StoreError::Invalid(errors)) => {
            let page = buchung_page(&state, &user, id, &input, massnahmen_filter(id), &errors).await?;
            let gesuch = gesuch_form(&user, id, &input, "", &errors);
            unprocessable(BuchungPage { page, gesuch })
        }
        Err(other) => Err(other.into()),
    }
}

/// The booking form refused by the entry criteria, with the request to the Leitung below it (the form
/// page's fields are reached through `Deref`, so the template extends the shared form).
#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/massnahmen/buchung.html")]
pub struct BuchungPage {
    pub(crate) page: FormPage,
    pub(crate) gesuch: Option<GesuchForm>,
}

impl std::ops::Deref for BuchungPage {
    type Target = FormPage;

    fn deref(&self) -> &FormPage {
        &self.page
    }
}

async fn dossier_and_teilnahme(
    state: &SharedState,
    user: &CurrentUser,
    id: &str,
    tid: &str,
) -> Result<(Dossier, TeilnahmeEintrag), PageError> {
    let (id, tid) = (parse_id(id)?, parse_id(tid)?);
    let dossier = state.store.get_dossier(user.actor(), id).await?;
    let eintrag =
        dossier.teilnahmen.iter().find(|t| t.id == tid).cloned().ok_or(PageError(crate::error::AppError::NotFound))?;
    Ok((dossier, eintrag))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct EndeForm {
    ende: String,
    anwesenheit: String,
    ergebnis: String,
    abbruchgrund: String,
}

fn ende_page(
    user: &CurrentUser,
    dossier: &Dossier,
    eintrag: &TeilnahmeEintrag,
    input: &TeilnahmeEndeInput,
    errors: &FieldErrors,
) -> FormPage {
    let fields = vec![
        text_field("ende", "Ende", "TT.MM.JJJJ", true, &input.ende),
        text_field("anwesenheit", "Anwesenheit in Prozent", "Ganze Zahl von 0 bis 100.", true, &input.anwesenheit),
        choice_field("ergebnis", "Ergebnis", "radios", true, choices::<Ergebnis>(), &one(&input.ergebnis)),
        text_field("abbruchgrund", "Grund des Abbruchs", "Nur bei «abgebrochen» nötig.", false, &input.abbruchgrund),
    ];
    let t = &eintrag.teilnahme;
    let spec = Spec {
        title: "Teilnahme beenden",
        lead: format!(
            "{}, Beginn {}. Nach einem Abschluss bitte den Anschluss erfassen: kein Abschluss ohne Anschluss.",
            t.massnahme_titel,
            swiss_date(t.beginn)
        ),
        action: format!("/dossiers/{}/teilnahmen/{}/beenden", dossier.id, eintrag.id),
        submit: "Teilnahme beenden",
    };
    dossier_form(user, dossier, spec, fields, errors)
}

pub async fn ende_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((id, tid)): Path<(String, String)>,
) -> Result<FormPage, PageError> {
    state.store.check_permission(user.actor(), Resource::Dossier, Action::Update).await?;
    let (dossier, eintrag) = dossier_and_teilnahme(&state, &user, &id, &tid).await?;
    let input = TeilnahmeEndeInput { ende: swiss_date(state.store.clock().today()), ..TeilnahmeEndeInput::default() };
    Ok(ende_page(&user, &dossier, &eintrag, &input, &FieldErrors::new()))
}

pub async fn end(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((id, tid)): Path<(String, String)>,
    Form(form): Form<EndeForm>,
) -> Result<Response, PageError> {
    let (dossier_id, teilnahme_id) = (parse_id(&id)?, parse_id(&tid)?);
    let input = TeilnahmeEndeInput {
        ende: form.ende,
        anwesenheit: form.anwesenheit,
        ergebnis: form.ergebnis,
        abbruchgrund: form.abbruchgrund,
    };
    match state.store.end_teilnahme(user.actor(), dossier_id, teilnahme_id, &input).await {
        Ok(_) => Ok(to_dossier(dossier_id, "beendet")),
        Err(StoreError::Invalid(errors)) => {
            let (dossier, eintrag) = dossier_and_teilnahme(&state, &user, &id, &tid).await?;
            unprocessable(ende_page(&user, &dossier, &eintrag, &input, &errors))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AnschlussForm {
    art: String,
    massnahme: String,
    text: String,
}

async fn anschluss_page(
    state: &SharedState,
    user: &CurrentUser,
    (dossier, eintrag): (Dossier, TeilnahmeEintrag),
    input: &AnschlussInput,
    errors: &FieldErrors,
) -> Result<FormPage, PageError> {
    let katalog = state.store.katalog().await?;
    let t = &eintrag.teilnahme;
    let folgen: Vec<(String, String)> = katalog
        .folgemassnahmen(&t.massnahme_code)
        .into_iter()
        .map(|m| (m.code.clone(), format!("{} – {}", m.code, m.titel)))
        .collect();
    let mut fields = vec![choice_field(
        "art",
        "Was folgt auf die Massnahme?",
        "radios",
        true,
        choices::<AnschlussArt>(),
        &one(&input.art),
    )];
    if !folgen.is_empty() {
        let mut folge =
            choice_field("massnahme", "Folgende Massnahme", "select", false, folgen, &one(&input.massnahme));
        folge.hint = "Nur bei «weitere Massnahme»: die Massnahmen, die laut Katalog folgen dürfen.";
        fields.push(folge);
    }
    fields.push(text_field(
        "text",
        "Angaben",
        "Zum Beispiel Lehrbetrieb, Arbeitgeber oder Schule; beim dokumentierten Ende der Grund.",
        false,
        &input.text,
    ));
    let spec = Spec {
        title: "Anschluss erfassen",
        lead: format!(
            "{}: Kein Abschluss ohne Anschluss. Jede abgeschlossene Massnahme führt zu einer weiteren Massnahme, einer Lehrstelle, einer Arbeitsstelle, einer anderen Ausbildung oder zu einem dokumentierten Ende.",
            t.massnahme_titel
        ),
        action: format!("/dossiers/{}/teilnahmen/{}/anschluss", dossier.id, eintrag.id),
        submit: "Anschluss speichern",
    };
    Ok(dossier_form(user, &dossier, spec, fields, errors))
}

pub async fn anschluss_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((id, tid)): Path<(String, String)>,
) -> Result<FormPage, PageError> {
    state.store.check_permission(user.actor(), Resource::Dossier, Action::Update).await?;
    let found = dossier_and_teilnahme(&state, &user, &id, &tid).await?;
    anschluss_page(&state, &user, found, &AnschlussInput::default(), &FieldErrors::new()).await
}

pub async fn record_anschluss(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((id, tid)): Path<(String, String)>,
    Form(form): Form<AnschlussForm>,
) -> Result<Response, PageError> {
    let (dossier_id, teilnahme_id) = (parse_id(&id)?, parse_id(&tid)?);
    let input = AnschlussInput { art: form.art, massnahme: form.massnahme, text: form.text };
    match state.store.record_anschluss(user.actor(), dossier_id, teilnahme_id, &input).await {
        Ok(_) => Ok(to_dossier(dossier_id, "anschluss")),
        Err(StoreError::Invalid(errors)) => {
            let found = dossier_and_teilnahme(&state, &user, &id, &tid).await?;
            unprocessable(anschluss_page(&state, &user, found, &input, &errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// One measure in the catalogue list.
pub struct MassnahmeRow {
    code: String,
    titel: String,
    beschreibung: String,
    anbieter: String,
    kriterien: String,
    anschluesse: String,
    aktiv: bool,
}

/// The entry criteria in words.
fn kriterien_text(massnahme: &Massnahme) -> String {
    let k = &massnahme.kriterien;
    let mut parts = Vec::new();
    if let Some(niveau) = k.mindestniveau {
        parts.push(format!("mindestens Deutsch {}", niveau.code()));
    }
    if k.schulgewohnt {
        parts.push("schulgewohnt (mindestens 6 Schuljahre)".to_owned());
    }
    if let Some(alter) = k.mindestalter {
        parts.push(format!("ab {alter} Jahren"));
    }
    if k.lehrvertrag_oder_bfe {
        parts.push("Lehrvertrag oder Entscheid für Berufsabschluss für Erwachsene".to_owned());
    }
    if parts.is_empty() { "keine".to_owned() } else { parts.join("; ") }
}

pub struct VersionRow {
    version: i32,
    gueltig_ab: String,
    gespeichert: String,
    von: String,
    kommentar: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/massnahmen/katalog.html")]
pub struct KatalogPage {
    layout: Layout,
    version: i32,
    gueltig_ab: String,
    felder: Vec<(&'static str, Vec<MassnahmeRow>)>,
    versionen: Vec<VersionRow>,
    may_edit: bool,
    action_error: Option<String>,
}

async fn katalog_page(
    state: &SharedState,
    user: &CurrentUser,
    notice: Option<&str>,
    action_error: Option<String>,
) -> Result<KatalogPage, PageError> {
    let katalog = state.store.katalog().await?;
    let felder = Handlungsfeld::ALL
        .iter()
        .map(|feld| {
            let rows = katalog
                .massnahmen
                .iter()
                .filter(|m| m.handlungsfeld == *feld)
                .map(|m| MassnahmeRow {
                    code: m.code.clone(),
                    titel: m.titel.clone(),
                    beschreibung: m.beschreibung.clone(),
                    anbieter: m.anbieter.clone(),
                    kriterien: kriterien_text(m),
                    anschluesse: if m.anschluesse.is_empty() { "–".to_owned() } else { m.anschluesse.join(", ") },
                    aktiv: m.aktiv,
                })
                .collect();
            (feld.label(), rows)
        })
        .collect();
    let versionen = state
        .store
        .katalog_versionen()
        .await?
        .into_iter()
        .map(|v| VersionRow {
            version: v.version,
            gueltig_ab: swiss_date(v.gueltig_ab),
            gespeichert: iim_domain::clock::format_swiss(v.gespeichert_am),
            von: if v.gespeichert_von.is_empty() {
                "mit dem Programm ausgeliefert".to_owned()
            } else {
                v.gespeichert_von
            },
            kommentar: v.kommentar,
        })
        .collect();
    Ok(KatalogPage {
        layout: Layout::for_user(user, "Massnahmenkatalog", "massnahmen").with_notice(notice),
        version: katalog.version,
        gueltig_ab: swiss_date(katalog.gueltig_ab),
        felder,
        versionen,
        may_edit: user.actor().may(Resource::Massnahmenkatalog, Action::Update),
        action_error,
    })
}

/// The catalogue: no personal data, so every logged-in user reads it.
pub async fn katalog(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<KatalogPage, PageError> {
    katalog_page(&state, &user, params.get("hinweis").map(String::as_str), None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MassnahmeForm {
    code: String,
    titel: String,
    handlungsfeld: String,
    beschreibung: String,
    anbieter: String,
    mindestniveau: String,
    schulgewohnt: String,
    mindestalter: String,
    lehrvertrag_oder_bfe: String,
    anschluesse: Vec<String>,
    aktiv: String,
    kommentar: String,
    /// The catalogue version the edit form was loaded with.
    version: Option<i32>,
}

impl MassnahmeForm {
    fn input(self) -> (MassnahmeInput, String, Option<i32>) {
        let input = MassnahmeInput {
            code: self.code,
            titel: self.titel,
            handlungsfeld: self.handlungsfeld,
            beschreibung: self.beschreibung,
            anbieter: self.anbieter,
            mindestniveau: self.mindestniveau,
            schulgewohnt: self.schulgewohnt,
            mindestalter: self.mindestalter,
            lehrvertrag_oder_bfe: self.lehrvertrag_oder_bfe,
            anschluesse: self.anschluesse,
            aktiv: self.aktiv,
        };
        (input, self.kommentar, self.version)
    }
}

/// The Kanton's form for one measure; `neu` adds a code field, editing keeps the code from the address.
/// `basis` is the catalogue version the form is based on (the current one when `None`).
async fn massnahme_page(
    state: &SharedState,
    user: &CurrentUser,
    neu: bool,
    input: &MassnahmeInput,
    kommentar: &str,
    errors: &FieldErrors,
    basis: Option<i32>,
) -> Result<FormPage, PageError> {
    let katalog = state.store.katalog().await?;
    massnahme_form(user, &katalog, neu, input, kommentar, errors, basis.unwrap_or(katalog.version), None)
}

/// The measure form on `katalog`, with the conflict part when a colleague saved the measure meanwhile.
#[allow(clippy::too_many_arguments)]
fn massnahme_form(
    user: &CurrentUser,
    katalog: &Katalog,
    neu: bool,
    input: &MassnahmeInput,
    kommentar: &str,
    errors: &FieldErrors,
    basis: i32,
    konflikt: Option<Konflikt>,
) -> Result<FormPage, PageError> {
    let others: Vec<(String, String)> = katalog
        .massnahmen
        .iter()
        .filter(|m| m.code != input.code.trim().to_uppercase())
        .map(|m| (m.code.clone(), format!("{} – {}", m.code, m.titel)))
        .collect();
    let mut fields = Vec::new();
    if neu {
        fields.push(text_field(
            "code",
            "Code",
            "2 bis 20 Zeichen: Buchstaben, Ziffern, Bindestriche, z. B. SF-K.",
            true,
            &input.code,
        ));
    }
    let mut niveau = choice_field(
        "mindestniveau",
        "Mindestniveau Deutsch",
        "select",
        false,
        choices::<Niveau>(),
        &one(&input.mindestniveau),
    );
    niveau.hint = "Leer: kein Mindestniveau.";
    let mut anschluesse =
        choice_field("anschluesse", "Folgemassnahmen", "checkboxes", false, others, &input.anschluesse);
    anschluesse.hint = "Massnahmen, die nach dieser folgen dürfen.";
    fields.extend([
        text_field("titel", "Titel", "", true, &input.titel),
        choice_field(
            "handlungsfeld",
            "Handlungsfeld",
            "select",
            true,
            choices::<Handlungsfeld>(),
            &one(&input.handlungsfeld),
        ),
        text_field("beschreibung", "Beschreibung", "", true, &input.beschreibung),
        text_field("anbieter", "Üblicher Anbieter", "", true, &input.anbieter),
        niveau,
        choice_field(
            "schulgewohnt",
            "Nur für schulgewohnte Personen (mindestens 6 Schuljahre)",
            "radios",
            true,
            yes_no_options(),
            &one(&input.schulgewohnt),
        ),
        text_field("mindestalter", "Mindestalter", "In Jahren; leer: kein Mindestalter.", false, &input.mindestalter),
        choice_field(
            "lehrvertrag_oder_bfe",
            "Verlangt Lehrvertrag oder Entscheid für Berufsabschluss für Erwachsene",
            "radios",
            true,
            yes_no_options(),
            &one(&input.lehrvertrag_oder_bfe),
        ),
        anschluesse,
        choice_field("aktiv", "Kann gebucht werden (aktiv)", "radios", true, yes_no_options(), &one(&input.aktiv)),
        textarea_field(
            "kommentar",
            "Kommentar zur Änderung",
            "Was wird geändert und warum? Steht in der Versionsgeschichte.",
            true,
            kommentar,
        ),
    ]);
    let (title, action) = if neu {
        ("Massnahme hinzufügen".to_owned(), "/massnahmen".to_owned())
    } else {
        (format!("Massnahme {} bearbeiten", input.code), format!("/massnahmen/{}/bearbeiten", input.code))
    };
    Ok(FormPage {
        layout: Layout::for_user(user, title.clone(), "massnahmen"),
        back: "/massnahmen".to_owned(),
        back_label: "Zurück zum Katalog",
        heading: title,
        lead: format!(
            "Jede Änderung wird als neue Version des Katalogs gespeichert (jetzt Version {}). Bestehende Buchungen behalten ihre Version.",
            katalog.version
        ),
        action,
        submit: if konflikt.is_some() { "Meine Werte trotzdem speichern" } else { "Als neue Version speichern" },
        reasons: Vec::new(),
        fields: with_errors(fields, errors),
        errors: summary(errors),
        listenfilter: None,
        version: (!neu).then_some(basis),
        konflikt,
    })
}

/// The measure as saved now beside the values sent, in the words of the form: the Handlungsfeld by its name
/// and the following measures by their titles, not by their codes.
fn massnahme_konflikt(katalog: &Katalog, aktuell: &Massnahme, mine: &MassnahmeInput) -> Konflikt {
    let saved = MassnahmeInput::of(aktuell);
    let feld = |code: &str| Handlungsfeld::from_code(code).map_or_else(|| code.to_owned(), |f| f.label().to_owned());
    let liste = |codes: &[String]| {
        let titel = |code: &String| katalog.massnahme(code).map_or_else(|| code.clone(), |m| m.titel.clone());
        codes.iter().map(titel).collect::<Vec<_>>().join(", ")
    };
    Konflikt::new(
        String::new(),
        vec![
            ("Titel", saved.titel, mine.titel.clone()),
            ("Handlungsfeld", feld(&saved.handlungsfeld), feld(&mine.handlungsfeld)),
            ("Beschreibung", saved.beschreibung, mine.beschreibung.clone()),
            ("Üblicher Anbieter", saved.anbieter, mine.anbieter.clone()),
            ("Mindestniveau Deutsch", saved.mindestniveau, mine.mindestniveau.clone()),
            ("Nur für schulgewohnte Personen", saved.schulgewohnt, mine.schulgewohnt.clone()),
            ("Mindestalter", saved.mindestalter, mine.mindestalter.clone()),
            ("Lehrvertrag oder Entscheid BFE", saved.lehrvertrag_oder_bfe, mine.lehrvertrag_oder_bfe.clone()),
            ("Folgemassnahmen", liste(&saved.anschluesse), liste(&mine.anschluesse)),
            ("Kann gebucht werden", saved.aktiv, mine.aktiv.clone()),
        ],
        format!("/massnahmen/{}/bearbeiten", aktuell.code),
    )
}

pub async fn new_massnahme_form(State(state): State<SharedState>, user: CurrentUser) -> Result<FormPage, PageError> {
    user.actor().scope_for(Resource::Massnahmenkatalog, Action::Update)?;
    let input = MassnahmeInput {
        schulgewohnt: "nein".to_owned(),
        lehrvertrag_oder_bfe: "nein".to_owned(),
        aktiv: "ja".to_owned(),
        ..MassnahmeInput::default()
    };
    massnahme_page(&state, &user, true, &input, "", &FieldErrors::new(), None).await
}

pub async fn edit_massnahme_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(code): Path<String>,
) -> Result<FormPage, PageError> {
    user.actor().scope_for(Resource::Massnahmenkatalog, Action::Update)?;
    let katalog = state.store.katalog().await?;
    let massnahme = katalog.massnahme(&code).ok_or(PageError(crate::error::AppError::NotFound))?;
    massnahme_page(&state, &user, false, &MassnahmeInput::of(massnahme), "", &FieldErrors::new(), None).await
}

/// A well-formed measure goes to the store, which checks the role and logs a refusal; a malformed one is
/// shown again only to those who may edit.
async fn save(
    state: &SharedState,
    user: &CurrentUser,
    neu: bool,
    input: MassnahmeInput,
    kommentar: String,
    basis: Option<i32>,
) -> Result<Response, PageError> {
    let saved = match input.parse() {
        Ok(massnahme) => state.store.save_massnahme(user.actor(), massnahme, neu, basis, &kommentar).await,
        Err(errors) => {
            user.actor().scope_for(Resource::Massnahmenkatalog, Action::Update)?;
            Err(StoreError::Invalid(errors))
        }
    };
    match saved {
        Ok(_) => Ok(Redirect::to("/massnahmen?hinweis=katalog").into_response()),
        Err(StoreError::Invalid(errors)) => {
            unprocessable(massnahme_page(state, user, neu, &input, &kommentar, &errors, basis).await?)
        }
        Err(StoreError::Changed { .. }) => {
            let katalog = state.store.katalog().await?;
            let Some(aktuell) = katalog.massnahme(&input.code) else {
                // A new measure lost against another new one saved at the same moment: nothing to compare.
                let mut errors = FieldErrors::new();
                errors.add("kommentar", "Der Katalog wurde gleichzeitig geändert. Bitte nochmals speichern.");
                return unprocessable(massnahme_page(state, user, neu, &input, &kommentar, &errors, None).await?);
            };
            let konflikt = massnahme_konflikt(&katalog, aktuell, &input);
            let errors = FieldErrors::new();
            let page =
                massnahme_form(user, &katalog, neu, &input, &kommentar, &errors, katalog.version, Some(konflikt))?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn create_massnahme(
    State(state): State<SharedState>,
    user: CurrentUser,
    Form(form): Form<MassnahmeForm>,
) -> Result<Response, PageError> {
    let (input, kommentar, _) = form.input();
    save(&state, &user, true, input, kommentar, None).await
}

pub async fn update_massnahme(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Form(form): Form<MassnahmeForm>,
) -> Result<Response, PageError> {
    let (mut input, kommentar, basis) = form.input();
    input.code = code;
    save(&state, &user, false, input, kommentar, basis).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DeaktivierenForm {
    kommentar: String,
}

/// Deactivating is saving the measure with `aktiv = nein`: a new version; old bookings keep the measure.
pub async fn deactivate_massnahme(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Form(form): Form<DeaktivierenForm>,
) -> Result<Response, PageError> {
    let katalog = state.store.katalog().await?;
    let mut massnahme = katalog.massnahme(&code).cloned().ok_or(PageError(crate::error::AppError::NotFound))?;
    massnahme.aktiv = false;
    match state.store.save_massnahme(user.actor(), massnahme, false, None, &form.kommentar).await {
        Ok(_) => Ok(Redirect::to("/massnahmen?hinweis=katalog").into_response()),
        Err(StoreError::Invalid(errors)) => {
            let message = errors.iter().map(|(_, m)| m.to_owned()).collect::<Vec<_>>().join(" ");
            let page = katalog_page(&state, &user, None, Some(format!("{code}: {message}"))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
