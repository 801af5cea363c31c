//! Keeping offers of the Angebotsplattform: «Meine Angebote» (`/meine-angebote`) for providers, Gemeinden and
//! the Kanton (list with status, new, edit, submit, archive) and «Angebote prüfen» (`/angebote-pruefen`) for the
//! Kanton (the queue of submissions and changes, publish or return with a reason, and an overview of all offers).
//! Who may do what is decided in the store; after each change the search is told (`search_hook`).

use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::pages::form::{FormField, Gruppen, choice_field, choices, summary, text_field, textarea_field, with_errors};
use crate::pages::konflikt::Konflikt;
use crate::pages::listenfilter::{self, ListenFilter};
use crate::pages::{Layout, Pagination, page_number, parse_id};
use crate::pages::{swiss_date, unprocessable};
use crate::search_hook;
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use iim_domain::angebot::{
    ANMELDUNG_LIMIT, AngebotInput, AngebotStatus, Kategorie, Tageszeit, Zielgruppe, format_price,
};
use iim_domain::clock::format_swiss;
use iim_domain::dossier::Handlungsfeld;
use iim_domain::regeln::AngeboteRegel;
use iim_domain::sprache::Niveau;
use iim_domain::{Action, Choice, FieldErrors, Regel, Resource, catalog, sortierung};
use iim_store::{
    Angebot, AngebotFilter, AngebotQuery, AngebotVerweis, OrganisationKind, StoreError, VerwaltetesAngebot,
};
use std::collections::HashMap;

const PER_PAGE: u64 = 25;
const ORT_ROWS: usize = 3;

/// The notices of these pages, by the key in `?hinweis=`.
fn notice(key: Option<&str>) -> Option<&'static str> {
    match key? {
        "erfasst" => Some("Das Angebot ist als Entwurf gespeichert. Reichen Sie es ein, wenn es vollständig ist."),
        "gespeichert" => Some("Die Änderungen sind gespeichert."),
        "nachpruefung" => Some("Die Änderungen sind gespeichert und öffentlich. Der Kanton prüft sie nach."),
        "eingereicht" => Some("Das Angebot ist eingereicht. Der Kanton prüft es und veröffentlicht es."),
        "archiviert" => Some("Das Angebot ist archiviert und nicht mehr öffentlich."),
        "veroeffentlicht" => Some("Das Angebot ist veröffentlicht."),
        "zurueckgegeben" => Some("Das Angebot ist mit Ihrer Begründung an die Organisation zurückgegeben."),
        _ => None,
    }
}

fn layout(user: &CurrentUser, title: impl Into<String>, section: &'static str, key: Option<&str>) -> Layout {
    let mut layout = Layout::for_user(user, title, section);
    layout.notice = notice(key);
    layout
}

/// One offer as a table row.
pub struct OfferRow {
    id: i64,
    titel: String,
    anbieter: String,
    status: &'static str,
    orte: String,
    geaendert: String,
    zu_pruefen: bool,
    erinnerung: bool,
    rueckweisung: Option<String>,
}

impl From<&VerwaltetesAngebot> for OfferRow {
    fn from(offer: &VerwaltetesAngebot) -> Self {
        let angebot = &offer.angebot;
        Self {
            id: angebot.id,
            titel: angebot.data.titel.clone(),
            anbieter: angebot.anbieter.clone(),
            status: angebot.status.label(),
            orte: places(angebot),
            geaendert: format_swiss(angebot.updated_at),
            zu_pruefen: offer.zu_pruefen,
            erinnerung: offer.erinnerung,
            rueckweisung: angebot.rueckweisung.clone(),
        }
    }
}

fn places(angebot: &Angebot) -> String {
    angebot.data.orte.iter().map(|ort| ort.gemeinde.name().to_owned()).collect::<Vec<_>>().join(", ")
}

/// The filters of the lists: the states, the Kanton's queue and the reminder.
fn filters() -> Vec<(String, String)> {
    let mut filters = vec![
        ("zu_pruefen".to_owned(), "wartet auf Prüfung".to_owned()),
        ("erinnerung".to_owned(), "seit 12 Monaten nicht aktualisiert".to_owned()),
    ];
    filters.extend(AngebotStatus::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())));
    filters
}

fn parse_filter(code: &str) -> Option<AngebotFilter> {
    match code {
        "zu_pruefen" => Some(AngebotFilter::ZuPruefen),
        "erinnerung" => Some(AngebotFilter::Erinnerung),
        code => AngebotStatus::from_code(code).map(AngebotFilter::Status),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "angebote/verwaltung/list.html")]
pub struct ListPage {
    layout: Layout,
    heading: &'static str,
    lead: &'static str,
    path: &'static str,
    rows: Vec<OfferRow>,
    total: u64,
    erinnerungen: u64,
    filters: Vec<(String, String)>,
    filter: String,
    /// The Kanton's overview filters by organisation too.
    organisationen: Vec<(String, String)>,
    organisation: String,
    may_create: bool,
    pagination: Pagination,
}

/// «Meine Angebote»: the offers of the actor's organisation.
pub async fn own_list(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ListPage, PageError> {
    let actor = user.actor();
    let filter = params.get("status").cloned().unwrap_or_default();
    let query = AngebotQuery {
        filter: parse_filter(&filter),
        organisation: Some(actor.organisation_id),
        page: page_number(params.get("seite")),
        per_page: PER_PAGE,
    };
    let page = state.store.offers(actor, &query).await?;
    let erinnerungen = state
        .store
        .offers(actor, &AngebotQuery { filter: Some(AngebotFilter::Erinnerung), ..query.clone() })
        .await?
        .total;
    Ok(ListPage {
        layout: layout(&user, "Meine Angebote", "meine-angebote", params.get("hinweis").map(String::as_str)),
        heading: "Meine Angebote",
        lead: "Die Angebote Ihrer Organisation auf der Angebotsplattform. Neue Angebote und Änderungen an Entwürfen reichen Sie beim Kanton ein; er veröffentlicht sie.",
        path: "/meine-angebote",
        rows: page.items.iter().map(OfferRow::from).collect(),
        total: page.total,
        erinnerungen,
        filters: filters(),
        pagination: Pagination::new("/meine-angebote", &[("status", &filter)], query.page, page.pages()),
        filter,
        organisationen: Vec::new(),
        organisation: String::new(),
        may_create: actor.may(Resource::Angebot, Action::Create),
    })
}

/// «Angebote prüfen»: the Kanton's queue (the default) and the overview of all offers.
pub async fn pruefliste(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ListPage, PageError> {
    let actor = user.actor();
    state.store.check_permission(actor, Resource::Angebot, Action::Approve).await?;
    let filter = params.get("status").cloned().unwrap_or_else(|| "zu_pruefen".to_owned());
    let organisation = params.get("organisation").cloned().unwrap_or_default();
    let query = AngebotQuery {
        filter: parse_filter(&filter),
        organisation: organisation.parse().ok(),
        page: page_number(params.get("seite")),
        per_page: PER_PAGE,
    };
    let page = state.store.offers(actor, &query).await?;
    let erinnerungen = state.store.count_offers(actor, AngebotFilter::Erinnerung).await?;
    let directory = state.store.directory();
    let mut organisationen: Vec<(String, String)> = directory
        .all()
        .filter(|o| {
            matches!(o.kind, OrganisationKind::Anbieter | OrganisationKind::Gemeinde | OrganisationKind::Kanton)
        })
        .map(|o| (o.id.to_string(), o.name.clone()))
        .collect();
    sortierung::nach_deutsch(&mut organisationen, |o| o.1.as_str());
    let params = [("status", filter.as_str()), ("organisation", organisation.as_str())];
    Ok(ListPage {
        layout: layout(&user, "Angebote prüfen", "angebote-pruefen", None),
        heading: "Angebote prüfen",
        lead: "Eingereichte Angebote und Änderungen an veröffentlichten Angeboten warten auf Ihre Prüfung. Mit «alle» sehen Sie jedes Angebot der Plattform.",
        path: "/angebote-pruefen",
        rows: page.items.iter().map(OfferRow::from).collect(),
        total: page.total,
        erinnerungen,
        filters: filters(),
        pagination: Pagination::new("/angebote-pruefen", &params, query.page, page.pages()),
        filter,
        organisationen,
        organisation,
        may_create: false,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "angebote/verwaltung/show.html")]
pub struct ShowPage {
    layout: Layout,
    id: i64,
    version: i32,
    titel: String,
    facts: Vec<(&'static str, String)>,
    beschreibung: String,
    rueckweisung: Option<String>,
    zu_pruefen: bool,
    erinnerung: bool,
    public: bool,
    may_edit: bool,
    may_submit: bool,
    may_archive: bool,
    may_pruefen: bool,
    errors: Vec<(String, String)>,
}

fn show_page(user: &CurrentUser, offer: VerwaltetesAngebot, key: Option<&str>, errors: &FieldErrors) -> ShowPage {
    let actor = user.actor();
    let angebot = offer.angebot;
    let data = &angebot.data;
    let status = angebot.status;
    let may_update = actor.may(Resource::Angebot, Action::Update);
    let level = match (data.niveau_von, data.niveau_bis) {
        (Some(von), Some(bis)) if von != bis => format!("{} bis {}", von.code(), bis.code()),
        (Some(niveau), _) | (None, Some(niveau)) => niveau.code().to_owned(),
        (None, None) => String::new(),
    };
    let yes = |value: bool| if value { "ja" } else { "nein" }.to_owned();
    let mut facts = vec![
        ("Anbieter", angebot.anbieter.clone()),
        ("Status", status.label().to_owned()),
        ("Kategorie", data.kategorie.label().to_owned()),
        ("Handlungsfeld", data.handlungsfeld.label().to_owned()),
        ("Zielgruppen", data.zielgruppen.iter().map(|z| z.label()).collect::<Vec<_>>().join(", ")),
        ("Niveau", level),
        (
            "Sprachen",
            data.sprachen.iter().map(|c| catalog::language_name(c).unwrap_or(c)).collect::<Vec<_>>().join(", "),
        ),
        (
            "Orte",
            data.orte.iter().map(|o| format!("{}, {}", o.gemeinde.name(), o.adresse)).collect::<Vec<_>>().join("; "),
        ),
        ("Tageszeit", data.tageszeiten.iter().map(|t| t.label()).collect::<Vec<_>>().join(", ")),
        ("Zeitplan", data.zeitplan.clone()),
        ("Beginn", data.beginn.map(swiss_date).unwrap_or_default()),
        ("Ende", data.ende.map(swiss_date).unwrap_or_default()),
        ("Preis", format_price(data.preis_rappen)),
        ("Durch die Integrationspauschale verbilligt", yes(data.subventioniert)),
        ("Kinderbetreuung", yes(data.kinderbetreuung)),
        ("Barrierefrei", yes(data.barrierefrei)),
        ("Anmeldung", data.anmeldung.clone()),
        ("Anmeldung online", data.anmeldung_link.clone().unwrap_or_default()),
        ("Gültig bis", swiss_date(data.gueltig_bis)),
        ("Zuletzt geändert", format_swiss(angebot.updated_at)),
    ];
    facts.retain(|(_, value)| !value.is_empty());
    ShowPage {
        layout: layout(user, angebot.data.titel.clone(), "meine-angebote", key),
        id: angebot.id,
        version: angebot.version,
        titel: data.titel.clone(),
        beschreibung: data.beschreibung.clone(),
        facts,
        rueckweisung: angebot.rueckweisung.clone().filter(|_| status == AngebotStatus::Entwurf),
        zu_pruefen: offer.zu_pruefen,
        erinnerung: offer.erinnerung,
        public: matches!(status, AngebotStatus::Veroeffentlicht | AngebotStatus::Abgelaufen),
        may_edit: may_update
            && matches!(status, AngebotStatus::Entwurf | AngebotStatus::Veroeffentlicht | AngebotStatus::Abgelaufen),
        may_submit: may_update && status == AngebotStatus::Entwurf,
        may_archive: may_update && status != AngebotStatus::Archiviert,
        may_pruefen: offer.zu_pruefen && actor.may(Resource::Angebot, Action::Approve),
        // The form's fields are not on this page: every message but the reason points to the heading.
        errors: summary(errors)
            .into_iter()
            .map(|(field, message)| (if field == "begruendung" { field } else { "angebot".to_owned() }, message))
            .collect(),
    }
}

pub async fn show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ShowPage, PageError> {
    let offer = state.store.offer(user.actor(), parse_id(&id)?).await?;
    Ok(show_page(&user, offer, params.get("hinweis").map(String::as_str), &FieldErrors::new()))
}

/// The offer form as posted.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct OfferForm {
    version: i32,
    titel: String,
    beschreibung: String,
    kategorie: String,
    handlungsfeld: String,
    zielgruppen: Vec<String>,
    niveau_von: String,
    niveau_bis: String,
    sprachen: Vec<String>,
    ort_gemeinde_1: String,
    ort_adresse_1: String,
    ort_gemeinde_2: String,
    ort_adresse_2: String,
    ort_gemeinde_3: String,
    ort_adresse_3: String,
    tageszeiten: Vec<String>,
    zeitplan: String,
    beginn: String,
    ende: String,
    preis: String,
    merkmale: Vec<String>,
    anmeldung: String,
    anmeldung_link: String,
    gueltig_bis: String,
}

impl OfferForm {
    fn input(&self) -> AngebotInput {
        let has = |code: &str| self.merkmale.iter().any(|m| m == code);
        AngebotInput {
            titel: self.titel.clone(),
            beschreibung: self.beschreibung.clone(),
            kategorie: self.kategorie.clone(),
            handlungsfeld: self.handlungsfeld.clone(),
            zielgruppen: self.zielgruppen.clone(),
            niveau_von: self.niveau_von.clone(),
            niveau_bis: self.niveau_bis.clone(),
            sprachen: self.sprachen.clone(),
            orte: vec![
                (self.ort_gemeinde_1.clone(), self.ort_adresse_1.clone()),
                (self.ort_gemeinde_2.clone(), self.ort_adresse_2.clone()),
                (self.ort_gemeinde_3.clone(), self.ort_adresse_3.clone()),
            ],
            tageszeiten: self.tageszeiten.clone(),
            zeitplan: self.zeitplan.clone(),
            beginn: self.beginn.clone(),
            ende: self.ende.clone(),
            preis: self.preis.clone(),
            subventioniert: has("subventioniert"),
            kinderbetreuung: has("kinderbetreuung"),
            barrierefrei: has("barrierefrei"),
            anmeldung: self.anmeldung.clone(),
            anmeldung_link: self.anmeldung_link.clone(),
            gueltig_bis: self.gueltig_bis.clone(),
        }
    }
}

/// The form's values for an existing offer, with empty rows for further places.
fn input_of(angebot: &Angebot) -> AngebotInput {
    let mut input = AngebotInput::from_data(&angebot.data);
    input.orte.resize(ORT_ROWS, (String::new(), String::new()));
    input
}

fn offer_fields(input: &AngebotInput) -> Vec<FormField> {
    let gemeinden: Vec<(String, String)> =
        catalog::gemeinden_nach_name().map(|g| (g.bfs.get().to_string(), g.name.clone())).collect();
    let languages: Vec<(String, String)> =
        catalog::languages().iter().map(|l| (l.code.clone(), l.name.clone())).collect();
    let merkmale = vec![
        ("subventioniert".to_owned(), "durch die Integrationspauschale verbilligt".to_owned()),
        ("kinderbetreuung".to_owned(), "mit Kinderbetreuung".to_owned()),
        ("barrierefrei".to_owned(), "barrierefrei zugänglich".to_owned()),
    ];
    let chosen_merkmale: Vec<String> = [
        (input.subventioniert, "subventioniert"),
        (input.kinderbetreuung, "kinderbetreuung"),
        (input.barrierefrei, "barrierefrei"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, code)| (*code).to_owned())
    .collect();
    let one = std::slice::from_ref;
    let mut fields = vec![
        text_field("titel", "Titel", "Kurz und klar, zum Beispiel «Deutschkurs A1 am Abend».", true, &input.titel),
        textarea_field(
            "beschreibung",
            "Beschreibung",
            "Was man lernt oder bekommt, für wen es passt.",
            true,
            &input.beschreibung,
        ),
        choice_field("kategorie", "Kategorie", "select", true, choices::<Kategorie>(), one(&input.kategorie)),
        choice_field(
            "handlungsfeld",
            "Handlungsfeld",
            "select",
            true,
            choices::<Handlungsfeld>(),
            one(&input.handlungsfeld),
        ),
        choice_field("zielgruppen", "Zielgruppen", "checkboxes", false, choices::<Zielgruppe>(), &input.zielgruppen),
        choice_field(
            "niveau_von",
            "Einstiegsniveau (Sprachkurse)",
            "select",
            false,
            choices::<Niveau>(),
            one(&input.niveau_von),
        ),
        choice_field(
            "niveau_bis",
            "Zielniveau (Sprachkurse)",
            "select",
            false,
            choices::<Niveau>(),
            one(&input.niveau_bis),
        ),
        choice_field("sprachen", "Kurs- oder Beratungssprachen", "checkboxes", true, languages, &input.sprachen),
    ];
    for (index, (gemeinde, adresse)) in input.orte.iter().enumerate().take(ORT_ROWS) {
        let number = index + 1;
        fields.push(choice_field(
            &format!("ort_gemeinde_{number}"),
            &format!("Ort {number}: Gemeinde"),
            "select",
            number == 1,
            gemeinden.clone(),
            one(gemeinde),
        ));
        fields.push(text_field(
            &format!("ort_adresse_{number}"),
            &format!("Ort {number}: Adresse"),
            "Strasse, Hausnummer, Gebäude oder Raum.",
            false,
            adresse,
        ));
    }
    fields.extend([
        choice_field("tageszeiten", "Tageszeit", "checkboxes", false, choices::<Tageszeit>(), &input.tageszeiten),
        text_field(
            "zeitplan",
            "Daten oder Rhythmus",
            "Zum Beispiel «jeden Dienstag, 19.00–21.00».",
            false,
            &input.zeitplan,
        ),
        text_field("beginn", "Beginn", "TT.MM.JJJJ", false, &input.beginn),
        text_field("ende", "Ende", "TT.MM.JJJJ", false, &input.ende),
        text_field(
            "preis",
            "Preis in Franken",
            "Was Teilnehmende bezahlen, zum Beispiel 120 oder 120.50. Leer oder 0: kostenlos.",
            false,
            &input.preis,
        ),
        choice_field("merkmale", "Weitere Merkmale", "checkboxes", false, merkmale, &chosen_merkmale),
        text_field("anmeldung", "Anmeldung", "Telefon, E-Mail oder Ort, wo man sich anmeldet.", true, &input.anmeldung)
            .with_max_chars(ANMELDUNG_LIMIT.max_chars()),
        text_field(
            "anmeldung_link",
            "Anmeldung online",
            "Vollständige Webadresse, beginnend mit https://.",
            false,
            &input.anmeldung_link,
        ),
        text_field(
            "gueltig_bis",
            "Gültig bis",
            "TT.MM.JJJJ. Danach erscheint das Angebot als abgelaufen.",
            true,
            &input.gueltig_bis,
        ),
    ]);
    fields
}

#[derive(Template, WebTemplate)]
#[template(path = "angebote/verwaltung/form.html")]
pub struct FormPage {
    layout: Layout,
    heading: String,
    lead: &'static str,
    action: String,
    back: String,
    version: Option<i32>,
    fields: Vec<FormField>,
    errors: Vec<(String, String)>,
    konflikt: Option<Konflikt>,
}

fn form_page(user: &CurrentUser, existing: Option<&Angebot>, input: &AngebotInput, errors: &FieldErrors) -> FormPage {
    let (heading, action, back, version, lead) = match existing {
        Some(angebot) => (
            format!("Angebot bearbeiten: {}", angebot.data.titel),
            format!("/meine-angebote/{}", angebot.id),
            format!("/meine-angebote/{}", angebot.id),
            Some(angebot.version),
            if angebot.status == AngebotStatus::Entwurf {
                "Änderungen an einem Entwurf sind erst nach dem Einreichen und der Prüfung durch den Kanton öffentlich."
            } else {
                "Das Angebot bleibt veröffentlicht; Ihre Änderungen sind sofort sichtbar und der Kanton prüft sie nach."
            },
        ),
        None => (
            "Neues Angebot".to_owned(),
            "/meine-angebote".to_owned(),
            "/meine-angebote".to_owned(),
            None,
            "Das Angebot wird als Entwurf Ihrer Organisation gespeichert. Öffentlich wird es, wenn Sie es einreichen und der Kanton es veröffentlicht.",
        ),
    };
    FormPage {
        layout: layout(user, heading.clone(), "meine-angebote", None),
        heading,
        lead,
        action,
        back,
        version,
        fields: with_errors(offer_fields(input), errors),
        errors: summary(errors),
        konflikt: None,
    }
}

/// After a colleague saved the offer first: their values beside the values sent, and the form again with the
/// values sent and the current version, so that saving again is a deliberate choice.
fn conflict_page(user: &CurrentUser, current: &Angebot, sent: &AngebotInput) -> FormPage {
    let gespeichert = offer_fields(&input_of(current));
    let meine = offer_fields(sent);
    let konflikt = Konflikt::from_fields(
        String::new(),
        &gespeichert,
        &meine,
        format!("/meine-angebote/{}/bearbeiten", current.id),
    );
    FormPage { konflikt: Some(konflikt), ..form_page(user, Some(current), sent, &FieldErrors::new()) }
}

pub async fn new_form(user: CurrentUser) -> Result<FormPage, PageError> {
    user.actor().scope_for(Resource::Angebot, Action::Create)?;
    let input = AngebotInput { orte: vec![(String::new(), String::new()); ORT_ROWS], ..AngebotInput::default() };
    Ok(form_page(&user, None, &input, &FieldErrors::new()))
}

pub async fn create(
    State(state): State<SharedState>,
    user: CurrentUser,
    Form(form): Form<OfferForm>,
) -> Result<Response, PageError> {
    let input = form.input();
    match state.store.create_offer(user.actor(), &input).await {
        Ok(angebot) => {
            search_hook::offer_changed(&state, &angebot).await;
            Ok(to_offer(angebot.id, "erfasst"))
        }
        Err(StoreError::Invalid(errors)) => unprocessable(form_page(&user, None, &input, &errors)),
        Err(other) => Err(other.into()),
    }
}

pub async fn edit_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<FormPage, PageError> {
    let offer = state.store.offer(user.actor(), parse_id(&id)?).await?;
    Ok(form_page(&user, Some(&offer.angebot), &input_of(&offer.angebot), &FieldErrors::new()))
}

pub async fn update(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<OfferForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = form.input();
    match state.store.update_offer(user.actor(), id, form.version, &input).await {
        Ok(angebot) => {
            search_hook::offer_changed(&state, &angebot).await;
            let rechecked =
                angebot.status != AngebotStatus::Entwurf && !user.actor().may(Resource::Angebot, Action::Approve);
            Ok(to_offer(id, if rechecked { "nachpruefung" } else { "gespeichert" }))
        }
        Err(StoreError::Invalid(errors)) => {
            let current = state.store.offer(user.actor(), id).await?.angebot;
            let mut input = input;
            input.orte.resize(ORT_ROWS, (String::new(), String::new()));
            if errors.get(AngeboteRegel::InzwischenGeaendert.feld()).is_some() {
                return Ok((StatusCode::CONFLICT, conflict_page(&user, &current, &input)).into_response());
            }
            unprocessable(form_page(&user, Some(&Angebot { version: form.version, ..current }), &input, &errors))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    version: i32,
    begruendung: String,
}

pub async fn submit(
    state: State<SharedState>,
    user: CurrentUser,
    id: Path<String>,
    form: Form<StepForm>,
) -> Result<Response, PageError> {
    step(state, user, id, form, Step::Submit).await
}

pub async fn archive(
    state: State<SharedState>,
    user: CurrentUser,
    id: Path<String>,
    form: Form<StepForm>,
) -> Result<Response, PageError> {
    step(state, user, id, form, Step::Archive).await
}

pub async fn publish(
    state: State<SharedState>,
    user: CurrentUser,
    id: Path<String>,
    form: Form<StepForm>,
) -> Result<Response, PageError> {
    step(state, user, id, form, Step::Publish).await
}

pub async fn give_back(
    state: State<SharedState>,
    user: CurrentUser,
    id: Path<String>,
    form: Form<StepForm>,
) -> Result<Response, PageError> {
    step(state, user, id, form, Step::Return).await
}

enum Step {
    Submit,
    Archive,
    Publish,
    Return,
}

async fn step(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
    step: Step,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let actor = user.actor();
    let (result, done) = match step {
        Step::Submit => (state.store.submit_offer(actor, id, form.version).await, "eingereicht"),
        Step::Archive => (state.store.archive_offer(actor, id, form.version).await, "archiviert"),
        Step::Publish => (state.store.publish_offer(actor, id, form.version).await, "veroeffentlicht"),
        Step::Return => (state.store.return_offer(actor, id, form.version, &form.begruendung).await, "zurueckgegeben"),
    };
    match result {
        Ok(angebot) => {
            search_hook::offer_changed(&state, &angebot).await;
            Ok(to_offer(id, done))
        }
        Err(StoreError::Invalid(errors)) => {
            let offer = state.store.offer(actor, id).await?;
            unprocessable(show_page(&user, offer, None, &errors))
        }
        Err(other) => Err(other.into()),
    }
}

fn to_offer(id: i64, notice: &str) -> Response {
    Redirect::to(&format!("/meine-angebote/{id}?hinweis={notice}")).into_response()
}

/// An offer named in casework (Empfehlung, Hilfsplan goal), rendered by `angebote_verwaltung/verweis.html`:
/// the title links to the public detail page while the offer is published or expired.
pub struct OfferLink {
    pub id: i64,
    pub titel: String,
    pub anbieter: String,
    pub oeffentlich: bool,
    /// «abgelaufen», «nicht mehr angeboten», or empty.
    pub vermerk: &'static str,
}

impl From<&AngebotVerweis> for OfferLink {
    fn from(verweis: &AngebotVerweis) -> Self {
        Self {
            id: verweis.id,
            titel: verweis.titel.clone(),
            anbieter: verweis.anbieter.clone(),
            oeffentlich: verweis.oeffentlich(),
            vermerk: match verweis.status {
                AngebotStatus::Abgelaufen => "abgelaufen",
                AngebotStatus::Veroeffentlicht => "",
                _ => "nicht mehr angeboten",
            },
        }
    }
}

/// How many offers a casework picker shows at most.
const PICKER_LIMIT: u64 = 50;

/// The filter «Liste eingrenzen» above a casework form with an offer picker; `action` is the form page.
pub fn offer_filter(action: String, query: &HashMap<String, String>) -> ListenFilter {
    ListenFilter::new(action, query, &listenfilter::ANGEBOTE)
}

/// The options of a casework form's offer picker, grouped by Handlungsfeld: at most [`PICKER_LIMIT`] published
/// offers matching the filter (those near the actor first), plus the offers already chosen in the form; and
/// the filter with what it found.
pub async fn offer_options(
    state: &SharedState,
    user: &CurrentUser,
    filter: ListenFilter,
    chosen: &[&str],
) -> Result<(Gruppen, ListenFilter), PageError> {
    let offers = state.store.offers_to_pick(user.actor(), &filter.wert, PICKER_LIMIT).await?;
    let (passend, gesamt) = state.store.count_offers_to_pick(&filter.wert).await?;
    let filter = filter.gezaehlt(passend, gesamt, offers.len() as u64);
    let mut options: Vec<(Handlungsfeld, String, String)> =
        offers.iter().map(|offer| (offer.handlungsfeld, offer.id.to_string(), offer.bezeichnung())).collect();
    for id in chosen.iter().filter_map(|id| id.parse::<i64>().ok()) {
        if options.iter().any(|(_, value, _)| *value == id.to_string()) {
            continue;
        }
        if let Ok(offer) = state.store.public_offer(id).await {
            let label = format!("{} – {}", offer.data.titel, offer.anbieter);
            options.insert(0, (offer.data.handlungsfeld, id.to_string(), label));
        }
    }
    let groups = Handlungsfeld::ALL
        .iter()
        .map(|feld| {
            let in_feld = options.iter().filter(|(f, ..)| f == feld).map(|(_, v, l)| (v.clone(), l.clone()));
            (feld.label().to_owned(), in_feld.collect::<Vec<_>>())
        })
        .filter(|(_, in_feld)| !in_feld.is_empty())
        .collect();
    Ok((groups, filter))
}
