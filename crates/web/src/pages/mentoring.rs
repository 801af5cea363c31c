//! Mentoring-Pools. The public pages (`/mentoring`, the sign-up and the thank-you page) need no login and show
//! no personal data: the sign-up is protected by a double-submit CSRF cookie (there is no session), a
//! honeypot field that bots fill and people never see, and the store's limit per client address. The
//! coordinator's pages (`/mentoring/pool`, mentors, mentees, tandems) and the referral form of
//! Integrationsbeauftragte and case workers are ordinary logged-in pages (ADR 0013).

use super::form::{FormField, choice_field, choices, summary, text_field, textarea_field, with_errors};
use super::{Layout, Pagination, page_number, parse_id};
use super::{swiss_date, unprocessable};
use crate::auth::{ClientAddress, CurrentUser, cookie, public_csrf_cookie_name, random_token};
use crate::error::PageError;
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::{CookieJar, Form};
use iim_domain::clock::{format_swiss, local_date};
use iim_domain::limits::NAME_CHARS;
use iim_domain::mentoring::{
    AbklaerungInput, AnmeldungInput, CheckinInput, EINWILLIGUNG_MENTOR, EndGrund, Interesse, MentorStatus,
    TandemWechselInput, ZuweisungInput,
};
use iim_domain::person::Choice;
use iim_domain::{FieldErrors, catalog};
use iim_store::{AnmeldungError, MentorQuery, PoolZahlen, StoreError};
use std::collections::HashMap;

const PER_PAGE: u64 = 50;

fn gemeinde_options() -> Vec<(String, String)> {
    catalog::gemeinden_nach_name().map(|g| (g.bfs.get().to_string(), g.name.clone())).collect()
}

fn language_options() -> Vec<(String, String)> {
    catalog::languages().iter().map(|l| (l.code.clone(), l.name.clone())).collect()
}

fn consent_field(name: &str, label: &str, checked: bool) -> FormField {
    let value = if checked { vec!["ja".to_owned()] } else { Vec::new() };
    choice_field(
        name,
        label,
        "checkboxes",
        true,
        vec![("ja".to_owned(), "Ja, ich bin einverstanden".to_owned())],
        &value,
    )
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AnmeldungForm {
    name: String,
    email: String,
    telefon: String,
    gemeinde: String,
    sprachen: Vec<String>,
    verfuegbarkeit: String,
    interessen: Vec<String>,
    interessen_text: String,
    einwilligung: Vec<String>,
    /// The honeypot: hidden from people, filled by bots.
    website: String,
}

impl AnmeldungForm {
    fn input(&self) -> AnmeldungInput {
        AnmeldungInput {
            name: self.name.clone(),
            email: self.email.clone(),
            telefon: self.telefon.clone(),
            gemeinde: self.gemeinde.clone(),
            sprachen: self.sprachen.clone(),
            verfuegbarkeit: self.verfuegbarkeit.clone(),
            interessen: self.interessen.clone(),
            interessen_text: self.interessen_text.clone(),
            einwilligung: self.einwilligung.iter().any(|v| v == "ja"),
        }
    }

    fn fields(&self, errors: &FieldErrors) -> Vec<FormField> {
        let mut email = text_field("email", "E-Mail", "E-Mail oder Telefon genügt.", false, &self.email);
        email.autocomplete = "email";
        let mut telefon = text_field("telefon", "Telefon", "", false, &self.telefon);
        telefon.autocomplete = "tel";
        let mut name = text_field("name", "Vor- und Nachname", "", true, &self.name).with_max_chars(NAME_CHARS);
        name.autocomplete = "name";
        let fields = vec![
            name,
            email,
            telefon,
            choice_field(
                "gemeinde",
                "Wohngemeinde",
                "select",
                true,
                gemeinde_options(),
                std::slice::from_ref(&self.gemeinde),
            ),
            choice_field(
                "sprachen",
                "Sprachen, die Sie sprechen",
                "checkboxes",
                true,
                language_options(),
                &self.sprachen,
            ),
            textarea_field(
                "verfuegbarkeit",
                "Wann haben Sie Zeit?",
                "Zum Beispiel: Dienstagabend und jeden zweiten Samstag.",
                true,
                &self.verfuegbarkeit,
            ),
            choice_field("interessen", "Interessen", "checkboxes", false, choices::<Interesse>(), &self.interessen),
            text_field("interessen_text", "Weitere Interessen", "", false, &self.interessen_text),
            consent_field("einwilligung", "Einwilligung", self.einwilligung.iter().any(|v| v == "ja")),
        ];
        with_errors(fields, errors)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "mentoring/public.html")]
pub struct PublicPage {
    layout: Layout,
    fields: Vec<FormField>,
    errors: Vec<(String, String)>,
    refusal: Option<String>,
    consent: &'static str,
}

fn public_page(token: String, form: &AnmeldungForm, errors: &FieldErrors, refusal: Option<String>) -> PublicPage {
    let mut layout = Layout::anonymous("Mentoring: Freiwillige begleiten Neuzugezogene");
    layout.csrf_token = token;
    PublicPage { layout, fields: form.fields(errors), errors: summary(errors), refusal, consent: EINWILLIGUNG_MENTOR }
}

/// The public page with the sign-up form; sets the CSRF cookie the form must echo (keeping an existing one,
/// so a form open in another tab stays valid).
pub async fn public_form(State(state): State<SharedState>, jar: CookieJar) -> Response {
    let secure = state.settings.secure_cookies;
    let existing = jar.get(public_csrf_cookie_name(secure)).map(|c| c.value().to_owned()).filter(|t| !t.is_empty());
    let token = existing.unwrap_or_else(random_token);
    let jar = jar.add(cookie(public_csrf_cookie_name(secure), token.clone(), secure));
    (jar, public_page(token, &AnmeldungForm::default(), &FieldErrors::new(), None)).into_response()
}

/// Stores a sign-up. A filled honeypot gets the same thank-you page and stores nothing.
pub async fn sign_up(
    State(state): State<SharedState>,
    ClientAddress(client): ClientAddress,
    jar: CookieJar,
    Form(form): Form<AnmeldungForm>,
) -> Result<Response, PageError> {
    let thanks = Redirect::to("/mentoring/danke").into_response();
    if !form.website.trim().is_empty() {
        tracing::warn!("mentoring sign-up with filled honeypot ignored");
        return Ok(thanks);
    }
    let token = jar
        .get(public_csrf_cookie_name(state.settings.secure_cookies))
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    let anmeldung = match form.input().check() {
        Ok(anmeldung) => anmeldung,
        Err(errors) => return unprocessable(public_page(token, &form, &errors, None)),
    };
    match state.store.mentor_anmelden(&anmeldung, &client.to_string()).await {
        Ok(_) => Ok(thanks),
        Err(AnmeldungError::ZuViele) => {
            let refusal = Some(AnmeldungError::ZuViele.to_string());
            Ok((StatusCode::TOO_MANY_REQUESTS, public_page(token, &form, &FieldErrors::new(), refusal)).into_response())
        }
        Err(AnmeldungError::Store(error)) => Err(error.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "mentoring/danke.html")]
pub struct ThanksPage {
    layout: Layout,
}

pub async fn thanks() -> ThanksPage {
    ThanksPage { layout: Layout::anonymous("Danke für Ihre Anmeldung") }
}

pub struct MentorLine {
    id: i64,
    name: String,
    gemeinde: String,
    status: &'static str,
    sprachen: String,
    angemeldet: String,
}

pub struct MenteeLine {
    id: i64,
    name: String,
    gemeinde: String,
    sprachen: String,
    zugewiesen: String,
    tandem: &'static str,
}

pub struct TandemLine {
    id: i64,
    mentor: String,
    mentee: String,
    status: &'static str,
    begonnen: String,
    beendet: String,
}

impl From<iim_store::TandemZeile> for TandemLine {
    fn from(t: iim_store::TandemZeile) -> Self {
        Self {
            id: t.id,
            mentor: t.mentor,
            mentee: t.mentee,
            status: t.status.label(),
            begonnen: t.begonnen_am.map(swiss_date).unwrap_or_default(),
            beendet: t.beendet_am.map(swiss_date).unwrap_or_default(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "mentoring/pool.html")]
pub struct PoolPage {
    layout: Layout,
    zahlen: PoolZahlen,
    dauer_beendet: String,
    dauer_laufend: String,
    mentoren_nach_status: Vec<(&'static str, u64)>,
    tandems: Vec<TandemLine>,
    mentors: Vec<MentorLine>,
    mentors_total: u64,
    mentor_pages: Pagination,
    status_options: Vec<(String, String)>,
    status: String,
    mentees: Vec<MenteeLine>,
    mentees_total: u64,
    mentee_pages: Pagination,
}

/// The mentees' list pages with `mseite`, beside the mentors' `seite`.
fn mentee_pagination(status: &str, page: u64, pages: u64) -> Pagination {
    let href = |target: u64| format!("/mentoring/pool?status={}&mseite={target}#mentees", urlencoding::encode(status));
    Pagination::with_links(page, pages, href)
}

fn days(value: Option<i64>) -> String {
    value.map(|d| format!("{d} Tage")).unwrap_or_else(|| "–".to_owned())
}

pub async fn pool(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<PoolPage, PageError> {
    let actor = user.actor();
    let status_code = params.get("status").cloned().unwrap_or_default();
    let query = MentorQuery {
        status: MentorStatus::from_code(&status_code),
        page: page_number(params.get("seite")),
        per_page: PER_PAGE,
    };
    let mentee_seite = page_number(params.get("mseite"));
    let zahlen = state.store.pool_zahlen(actor).await?;
    let tandems = state.store.offene_tandems(actor).await?;
    let mentors = state.store.list_mentoren(actor, &query).await?;
    let mentees = state.store.list_mentees(actor, mentee_seite, PER_PAGE).await?;
    let mentor_pages =
        Pagination::new("/mentoring/pool", &[("status", status_code.as_str())], query.page, mentors.pages());
    let mentee_pages = mentee_pagination(&status_code, mentee_seite, mentees.pages());
    Ok(PoolPage {
        layout: Layout::for_user(&user, format!("Mentoring-Pool {}", actor.organisation_name), "mentoring")
            .with_notice(params.get("hinweis").map(String::as_str)),
        dauer_beendet: days(zahlen.dauer_beendet_tage),
        dauer_laufend: days(zahlen.dauer_laufend_tage),
        mentoren_nach_status: zahlen.mentoren_nach_status.iter().map(|(s, n)| (s.label(), *n)).collect(),
        zahlen,
        tandems: tandems.into_iter().map(TandemLine::from).collect(),
        mentors_total: mentors.total,
        mentors: mentors
            .items
            .into_iter()
            .map(|m| MentorLine {
                id: m.id,
                name: m.name,
                gemeinde: m.gemeinde,
                status: m.status.label(),
                sprachen: m.sprachen.join(", "),
                angemeldet: swiss_date(local_date(m.angemeldet_at)),
            })
            .collect(),
        mentor_pages,
        status_options: choices::<MentorStatus>(),
        status: status_code,
        mentees_total: mentees.total,
        mentees: mentees
            .items
            .into_iter()
            .map(|m| MenteeLine {
                id: m.id,
                name: m.name,
                gemeinde: m.gemeinde,
                sprachen: m.sprachen.join(", "),
                zugewiesen: swiss_date(local_date(m.zugewiesen_at)),
                tandem: m.tandem.map_or("wartet auf ein Tandem", |s| s.label()),
            })
            .collect(),
        mentee_pages,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "mentoring/mentor.html")]
pub struct MentorPage {
    layout: Layout,
    m: iim_store::Mentor,
    status: &'static str,
    gespraech: String,
    angemeldet: String,
    tandems: Vec<TandemLine>,
    fields: Vec<FormField>,
    errors: Vec<(String, String)>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AbklaerungForm {
    status: String,
    gespraech_am: String,
    notizen: String,
}

async fn mentor_page(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    form: Option<&AbklaerungForm>,
    errors: &FieldErrors,
) -> Result<MentorPage, PageError> {
    let mut m = state.store.get_mentor(user.actor(), id).await?;
    let gespraech = m.gespraech_am.map(swiss_date).unwrap_or_default();
    let current = AbklaerungForm {
        status: m.status.code().to_owned(),
        gespraech_am: gespraech.clone(),
        notizen: m.notizen.clone(),
    };
    let form = form.unwrap_or(&current);
    let fields = vec![
        choice_field("status", "Status", "select", true, choices::<MentorStatus>(), std::slice::from_ref(&form.status)),
        text_field(
            "gespraech_am",
            "Datum des Gesprächs",
            "TT.MM.JJJJ; nötig für «geeignet» und «nicht geeignet».",
            false,
            &form.gespraech_am,
        ),
        textarea_field("notizen", "Notizen zur Abklärung", "Nur für die Koordination.", false, &form.notizen),
    ];
    Ok(MentorPage {
        layout: Layout::for_user(user, format!("Mentor/in {}", m.name), "mentoring"),
        status: m.status.label(),
        gespraech,
        angemeldet: format_swiss(m.angemeldet_at),
        tandems: std::mem::take(&mut m.tandems).into_iter().map(TandemLine::from).collect(),
        m,
        fields: with_errors(fields, errors),
        errors: summary(errors),
    })
}

pub async fn mentor_show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<MentorPage, PageError> {
    mentor_page(&state, &user, parse_id(&id)?, None, &FieldErrors::new()).await
}

pub async fn mentor_save(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<AbklaerungForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = AbklaerungInput {
        status: form.status.clone(),
        gespraech_am: form.gespraech_am.clone(),
        notizen: form.notizen.clone(),
    };
    match state.store.mentor_abklaeren(user.actor(), id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/mentoring/mentoren/{id}?hinweis=gespeichert")).into_response()),
        Err(StoreError::Invalid(errors)) => unprocessable(mentor_page(&state, &user, id, Some(&form), &errors).await?),
        Err(other) => Err(other.into()),
    }
}

pub struct SuggestionLine {
    mentor_id: i64,
    name: String,
    gemeinde: String,
    punkte: u32,
    gruende: String,
    offene_tandems: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "mentoring/mentee.html")]
pub struct MenteePage {
    layout: Layout,
    m: iim_store::Mentee,
    einwilligung: String,
    zugewiesen: String,
    tandems: Vec<TandemLine>,
    in_tandem: bool,
    suggestions: Vec<SuggestionLine>,
    error: Option<String>,
}

async fn mentee_page(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    error: Option<String>,
) -> Result<MenteePage, PageError> {
    let mut m = state.store.get_mentee(user.actor(), id).await?;
    let tandems: Vec<TandemLine> = std::mem::take(&mut m.tandems).into_iter().map(TandemLine::from).collect();
    let in_tandem = tandems.iter().any(|t| t.beendet.is_empty());
    let suggestions = if in_tandem { Vec::new() } else { state.store.vorschlaege(user.actor(), id).await? };
    Ok(MenteePage {
        layout: Layout::for_user(user, format!("Mentee {}", m.name), "mentoring"),
        einwilligung: swiss_date(m.einwilligung_am),
        zugewiesen: format!("{} von {}", format_swiss(m.zugewiesen_at), m.zugewiesen_von),
        m,
        tandems,
        in_tandem,
        suggestions: suggestions
            .into_iter()
            .map(|s| SuggestionLine {
                mentor_id: s.mentor_id,
                name: s.name,
                gemeinde: s.gemeinde,
                punkte: s.punkte,
                gruende: s.gruende.join("; "),
                offene_tandems: s.offene_tandems,
            })
            .collect(),
        error,
    })
}

pub async fn mentee_show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<MenteePage, PageError> {
    mentee_page(&state, &user, parse_id(&id)?, None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MatchForm {
    mentor: String,
}

/// The coordinator confirms a suggestion: the tandem starts as «vorgeschlagen».
pub async fn tandem_create(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<MatchForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let mentor = parse_id(&form.mentor)?;
    match state.store.tandem_vorschlagen(user.actor(), id, mentor).await {
        Ok(tandem) => Ok(Redirect::to(&format!("/mentoring/tandems/{tandem}?hinweis=tandem")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            let message = errors.iter().map(|(_, m)| m.to_owned()).collect::<Vec<_>>().join(" ");
            unprocessable(mentee_page(&state, &user, id, Some(message)).await?)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "mentoring/tandem.html")]
pub struct TandemPage {
    layout: Layout,
    t: iim_store::Tandem,
    status: &'static str,
    vorgeschlagen: String,
    begonnen: String,
    beendet: String,
    end_grund: &'static str,
    checkins: Vec<(String, String, String)>,
    open: bool,
    status_fields: Vec<FormField>,
    checkin_fields: Vec<FormField>,
    errors: Vec<(String, String)>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct WechselForm {
    status: String,
    datum: String,
    grund: String,
    grund_text: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CheckinForm {
    checkin_datum: String,
    notiz: String,
}

async fn tandem_page(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    wechsel: &WechselForm,
    checkin: &CheckinForm,
    errors: &FieldErrors,
) -> Result<TandemPage, PageError> {
    let mut t = state.store.get_tandem(user.actor(), id).await?;
    let next: Vec<(String, String)> =
        t.status.next().iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect();
    let status_fields = vec![
        choice_field("status", "Neuer Status", "radios", true, next, std::slice::from_ref(&wechsel.status)),
        text_field("datum", "Datum", "TT.MM.JJJJ", true, &wechsel.datum),
        choice_field(
            "grund",
            "Grund für das Ende",
            "select",
            false,
            choices::<EndGrund>(),
            std::slice::from_ref(&wechsel.grund),
        ),
        textarea_field("grund_text", "Bemerkung zum Ende", "Nötig bei «anderer Grund».", false, &wechsel.grund_text),
    ];
    let checkin_fields = vec![
        text_field("checkin_datum", "Datum", "TT.MM.JJJJ", true, &checkin.checkin_datum),
        textarea_field("notiz", "Wie geht es dem Tandem?", "", true, &checkin.notiz),
    ];
    let checkins =
        std::mem::take(&mut t.checkins).into_iter().map(|c| (swiss_date(c.datum), c.notiz, c.erfasst_von)).collect();
    Ok(TandemPage {
        layout: Layout::for_user(user, format!("Tandem {} – {}", t.mentor, t.mentee), "mentoring"),
        status: t.status.label(),
        vorgeschlagen: format_swiss(t.vorgeschlagen_at),
        begonnen: t.begonnen_am.map(swiss_date).unwrap_or_else(|| "–".to_owned()),
        beendet: t.beendet_am.map(swiss_date).unwrap_or_else(|| "–".to_owned()),
        end_grund: t.end_grund.map_or("", EndGrund::label),
        open: t.status.offen(),
        checkins,
        t,
        status_fields: with_errors(status_fields, errors),
        checkin_fields: with_errors(checkin_fields, errors),
        errors: summary(errors),
    })
}

pub async fn tandem_show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<TandemPage, PageError> {
    let mut page = tandem_page(
        &state,
        &user,
        parse_id(&id)?,
        &WechselForm::default(),
        &CheckinForm::default(),
        &FieldErrors::new(),
    )
    .await?;
    page.layout = page.layout.with_notice(params.get("hinweis").map(String::as_str));
    Ok(page)
}

pub async fn tandem_change(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<WechselForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = TandemWechselInput {
        status: form.status.clone(),
        datum: form.datum.clone(),
        grund: form.grund.clone(),
        grund_text: form.grund_text.clone(),
    };
    match state.store.tandem_wechseln(user.actor(), id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/mentoring/tandems/{id}?hinweis=gespeichert")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            unprocessable(tandem_page(&state, &user, id, &form, &CheckinForm::default(), &errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn checkin(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<CheckinForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = CheckinInput { datum: form.checkin_datum.clone(), notiz: form.notiz.clone() };
    match state.store.checkin_erfassen(user.actor(), id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/mentoring/tandems/{id}?hinweis=checkin")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            let errors = checkin_names(&errors);
            unprocessable(tandem_page(&state, &user, id, &WechselForm::default(), &form, &errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// The check-in form calls its date `checkin_datum`, beside the status form's `datum` on the same page.
fn checkin_names(errors: &FieldErrors) -> FieldErrors {
    let mut result = FieldErrors::new();
    for (field, message) in errors.iter() {
        let name = if field == "datum" { "checkin_datum" } else { field };
        result.add_owned(name.to_owned(), message);
    }
    result
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ZuweisungForm {
    name: String,
    gemeinde: String,
    sprachen: Vec<String>,
    interessen: Vec<String>,
    interessen_text: String,
    kontakt: String,
    einwilligung: Vec<String>,
    einwilligung_am: String,
    /// Where the referral came from: `neuzuzueger:ID` or `dossier:ID`, for the way back.
    herkunft: String,
}

impl ZuweisungForm {
    fn input(&self) -> ZuweisungInput {
        ZuweisungInput {
            name: self.name.clone(),
            gemeinde: self.gemeinde.clone(),
            sprachen: self.sprachen.clone(),
            interessen: self.interessen.clone(),
            interessen_text: self.interessen_text.clone(),
            kontakt: self.kontakt.clone(),
            einwilligung: self.einwilligung.iter().any(|v| v == "ja"),
            einwilligung_am: self.einwilligung_am.clone(),
        }
    }

    /// The page the referral came from.
    fn back(&self) -> String {
        match self.herkunft.split_once(':') {
            Some(("neuzuzueger", id)) if id.parse::<i64>().is_ok() => format!("/neuzuzueger/{id}"),
            Some(("dossier", id)) if id.parse::<i64>().is_ok() => format!("/dossiers/{id}"),
            _ => "/".to_owned(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "mentoring/zuweisung.html")]
pub struct ZuweisungPage {
    layout: Layout,
    fields: Vec<FormField>,
    errors: Vec<(String, String)>,
    herkunft: String,
    back: String,
}

fn zuweisung_page(user: &CurrentUser, form: &ZuweisungForm, errors: &FieldErrors) -> ZuweisungPage {
    let fields = vec![
        text_field("name", "Name der Person", "", true, &form.name).with_max_chars(NAME_CHARS),
        choice_field(
            "gemeinde",
            "Wohngemeinde",
            "select",
            true,
            gemeinde_options(),
            std::slice::from_ref(&form.gemeinde),
        ),
        choice_field("sprachen", "Sprachen der Person", "checkboxes", true, language_options(), &form.sprachen),
        choice_field("interessen", "Interessen", "checkboxes", false, choices::<Interesse>(), &form.interessen),
        text_field("interessen_text", "Weitere Interessen oder Wünsche", "", false, &form.interessen_text),
        textarea_field(
            "kontakt",
            "Kontakt",
            "Wie erreicht der Pool die Person (Telefon, über Sie, mit Dolmetschen)? Keine Angaben aus dem Dossier.",
            true,
            &form.kontakt,
        ),
        consent_field(
            "einwilligung",
            "Die Person ist einverstanden, dass ihre Angaben an den Mentoring-Pool gehen",
            form.einwilligung.iter().any(|v| v == "ja"),
        ),
        text_field("einwilligung_am", "Einwilligung gegeben am", "TT.MM.JJJJ", true, &form.einwilligung_am),
    ];
    ZuweisungPage {
        layout: Layout::for_user(user, "Dem Mentoring-Pool zuweisen", "mentoring"),
        fields: with_errors(fields, errors),
        errors: summary(errors),
        herkunft: form.herkunft.clone(),
        back: form.back(),
    }
}

/// The referral form, prefilled from the Neuzuzüger (`?neuzuzueger=ID`) or the dossier (`?dossier=ID`) it comes from.
pub async fn zuweisung_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ZuweisungPage, PageError> {
    let actor = user.actor();
    let today = swiss_date(state.store.clock().today());
    let person = if let Some(id) = params.get("neuzuzueger") {
        let neuzuzueger = state.store.get_neuzuzueger(actor, parse_id(id)?).await?;
        Some((
            format!("neuzuzueger:{}", neuzuzueger.neuzuzueger.id),
            state.store.get_person(actor, neuzuzueger.neuzuzueger.person_id).await?.data,
        ))
    } else if let Some(id) = params.get("dossier") {
        let dossier = state.store.get_dossier(actor, parse_id(id)?).await?;
        Some((format!("dossier:{}", dossier.id), dossier.person.data))
    } else {
        None
    };
    let form = match person {
        Some((herkunft, data)) => ZuweisungForm {
            name: format!("{} {}", data.vornamen.as_str(), data.nachname.as_str()),
            gemeinde: data.wohngemeinde.get().to_string(),
            sprachen: data.sprachen,
            einwilligung_am: today,
            herkunft,
            ..ZuweisungForm::default()
        },
        None => ZuweisungForm { einwilligung_am: today, ..ZuweisungForm::default() },
    };
    Ok(zuweisung_page(&user, &form, &FieldErrors::new()))
}

pub async fn zuweisen(
    State(state): State<SharedState>,
    user: CurrentUser,
    Form(form): Form<ZuweisungForm>,
) -> Result<Response, PageError> {
    match state.store.mentee_zuweisen(user.actor(), &form.input()).await {
        Ok(_) => {
            let back = form.back();
            let separator = if back.contains('?') { '&' } else { '?' };
            Ok(Redirect::to(&format!("{back}{separator}hinweis=mentoring")).into_response())
        }
        Err(StoreError::Invalid(errors)) => unprocessable(zuweisung_page(&user, &form, &errors)),
        Err(other) => Err(other.into()),
    }
}
