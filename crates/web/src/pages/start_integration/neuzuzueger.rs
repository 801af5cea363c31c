//! start.integration pages of the Integrationsbeauftragte: the Neuzuzüger list, one Neuzuzüger with its
//! invitation status, the Erstinformationsgespräch form with Empfehlungen, and the hand-over to the
//! Migrationsamt (Fordern). What may be seen and changed is the store's decision.

use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::pages::angebote::verwaltung::{OfferLink, offer_filter, offer_options};
use crate::pages::export::csv_download;
use crate::pages::form::{FormField, choice_field, choices, summary, text_field, textarea_field, with_errors};
use crate::pages::form::{Gruppen, grouped_select};
use crate::pages::listenfilter::ListenFilter;
use crate::pages::massnahmen::FormPage;
use crate::pages::{Layout, Pagination, page_number, parse_id};
use crate::pages::{swiss_date, unprocessable};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use iim_domain::clock::format_swiss;
use iim_domain::erstinformation::{
    EmpfehlungArt, EmpfehlungInput, FordernEmpfehlung, GespraechInput, NeuzuzuegerStatus, StatusInput, Thema,
    UebergabeInput,
};
use iim_domain::person::Choice;
use iim_domain::{Action, BfsNr, FieldErrors, Resource, catalog};
use iim_store::{Neuzuzueger, NeuzuzuegerDetail, NeuzuzuegerFilter, NeuzuzuegerQuery, StoreError};
use std::collections::HashMap;

/// How many Empfehlung rows the conversation form offers.
const EMPFEHLUNG_ROWS: usize = 3;

pub struct Row {
    id: i64,
    name: String,
    birth: String,
    nationality: String,
    gemeinde: String,
    arrived: String,
    status: &'static str,
    invited: String,
    follow_up: String,
}

impl From<Neuzuzueger> for Row {
    fn from(n: Neuzuzueger) -> Self {
        Self {
            id: n.id,
            name: n.name,
            birth: n.geburtsdatum,
            nationality: n.nationalitaet,
            gemeinde: n.gemeinde,
            arrived: swiss_date(n.zuzug_am),
            status: n.status.label(),
            invited: n.eingeladen_am.map(swiss_date).unwrap_or_default(),
            follow_up: n.nachfassen_am.map(swiss_date).unwrap_or_default(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "start_integration/neuzuzueger/list.html")]
pub struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    total: u64,
    filter: String,
    filters: Vec<(String, String)>,
    gemeinde: String,
    gemeinden: Vec<(String, String)>,
    text: String,
    pagination: Pagination,
    export_href: String,
}

fn filter_from(code: &str) -> NeuzuzuegerFilter {
    match code {
        "alle" => NeuzuzuegerFilter::Alle,
        other => NeuzuzuegerStatus::from_code(other).map(NeuzuzuegerFilter::Status).unwrap_or_default(),
    }
}

/// The Gemeinden the user answers for, for the filter (empty when the scope is the whole canton).
fn own_gemeinden(user: &CurrentUser) -> Vec<(String, String)> {
    user.actor().jurisdiction.organisation.iter().map(|bfs| (bfs.get().to_string(), bfs.name())).collect()
}

/// The list's filter from the URL: status, Gemeinde and name.
fn list_query(params: &HashMap<String, String>) -> (NeuzuzuegerQuery, [String; 3]) {
    let get = |key: &str| params.get(key).map(|v| v.trim().to_owned()).unwrap_or_default();
    let (filter, gemeinde, text) = (get("filter"), get("gemeinde"), get("q"));
    let query = NeuzuzuegerQuery {
        filter: filter_from(&filter),
        gemeinde: BfsNr::parse(&gemeinde).ok(),
        text: text.clone(),
        page: page_number(params.get("seite")),
        per_page: 50,
    };
    (query, [filter, gemeinde, text])
}

const CSV_HEADER: [&str; 10] = [
    "Name",
    "Geburtsdatum",
    "Staatsangehörigkeit",
    "Herkunft",
    "Gemeinde",
    "Zuzug",
    "Status",
    "Eingeladen am",
    "Nachfassen am",
    "Nr.",
];

/// The list as CSV for Excel (for example to plan invitations); one access-log entry.
pub async fn export_csv(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (query, _) = list_query(&params);
    let rows = state.store.export_neuzuzueger(user.actor(), &query).await?;
    let records = rows.into_iter().map(|n| {
        vec![
            n.name,
            n.geburtsdatum,
            n.nationalitaet,
            n.herkunft,
            n.gemeinde,
            swiss_date(n.zuzug_am),
            n.status.label().to_owned(),
            n.eingeladen_am.map(swiss_date).unwrap_or_default(),
            n.nachfassen_am.map(swiss_date).unwrap_or_default(),
            n.id.to_string(),
        ]
    });
    csv_download(&CSV_HEADER, records, "neuzuzueger.csv")
}

pub async fn list(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ListPage, PageError> {
    let (query, [filter, gemeinde, text]) = list_query(&params);
    let found = state.store.list_neuzuzueger(user.actor(), &query).await?;
    let pagination = Pagination::new(
        "/neuzuzueger",
        &[("filter", &filter), ("gemeinde", &gemeinde), ("q", &text)],
        query.page,
        found.pages(),
    );
    let export_href = format!(
        "/neuzuzueger/export.csv?filter={}&gemeinde={}&q={}",
        urlencoding::encode(&filter),
        urlencoding::encode(&gemeinde),
        urlencoding::encode(&text)
    );
    let mut filters = vec![(String::new(), "Offen (einzuladen, eingeladen, nicht erreicht)".to_owned())];
    filters.extend(choices::<NeuzuzuegerStatus>());
    filters.push(("alle".to_owned(), "Alle".to_owned()));
    Ok(ListPage {
        layout: Layout::for_user(&user, "Neuzuzüger", "neuzuzueger"),
        total: found.total,
        rows: found.items.into_iter().map(Row::from).collect(),
        filter,
        filters,
        gemeinde,
        gemeinden: own_gemeinden(&user),
        text,
        pagination,
        export_href,
    })
}

pub struct FordernRow {
    empfehlung: &'static str,
    handed_over: String,
    decision: String,
    reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "start_integration/neuzuzueger/show.html")]
pub struct ShowPage {
    layout: Layout,
    n: Row,
    languages: String,
    residence: String,
    origin: String,
    status_options: Vec<(String, String)>,
    conversation_possible: bool,
    conversation: Option<ConversationView>,
    fordern: Vec<FordernRow>,
    fordern_open: bool,
    may_hand_over: bool,
    errors: Vec<(String, String)>,
    status_error: Option<String>,
    today: String,
}

pub struct ConversationView {
    held: String,
    language: String,
    interpreter: &'static str,
    topics: String,
    remarks: String,
    recommendations: Vec<(&'static str, String, Option<OfferLink>)>,
    follow_up: String,
    recorded: String,
}

fn show_page(
    state: &SharedState,
    user: &CurrentUser,
    detail: NeuzuzuegerDetail,
    notice: Option<&str>,
    errors: &FieldErrors,
) -> ShowPage {
    let status = detail.neuzuzueger.status;
    let status_options = NeuzuzuegerStatus::ALL
        .iter()
        .filter(|next| status.may_change_to(**next))
        .map(|next| (next.code().to_owned(), next.label().to_owned()))
        .collect();
    let conversation = detail.gespraech.map(|g| ConversationView {
        held: swiss_date(g.gefuehrt_am),
        language: g.sprache,
        interpreter: if g.dolmetscher { "ja" } else { "nein" },
        topics: g.themen.join(", "),
        remarks: g.bemerkungen,
        recommendations: g
            .empfehlungen
            .into_iter()
            .map(|(art, text, angebot)| (art.label(), text, angebot.as_ref().map(OfferLink::from)))
            .collect(),
        follow_up: g.nachfassen_am.map(swiss_date).unwrap_or_default(),
        recorded: format!("{} von {}", format_swiss(g.erfasst_at), g.erfasst_von),
    });
    let fordern_open = detail.fordern.iter().any(|f| f.entscheid.is_none());
    let fordern = detail
        .fordern
        .into_iter()
        .map(|f| FordernRow {
            empfehlung: f.empfehlung.label(),
            handed_over: format_swiss(f.uebergeben_at),
            decision: f.entscheid.map(|e| e.label().to_owned()).unwrap_or_else(|| "noch offen".to_owned()),
            reason: f.entscheid_begruendung,
        })
        .collect();
    let title = format!("Neuzuzüger {}", detail.neuzuzueger.name);
    ShowPage {
        layout: Layout::for_user(user, title, "neuzuzueger").with_notice(notice),
        origin: detail.neuzuzueger.herkunft.clone(),
        n: Row::from(detail.neuzuzueger),
        languages: detail.sprachen.join(", "),
        residence: detail.aufenthaltsstatus,
        status_options,
        conversation_possible: status.conversation_possible(),
        conversation,
        fordern,
        fordern_open,
        may_hand_over: user.actor().may(iim_domain::Resource::Fordern, iim_domain::Action::Create),
        status_error: errors.get("status").or(errors.get("datum")).map(str::to_owned),
        errors: summary(errors),
        today: swiss_date(state.store.clock().today()),
    }
}

pub async fn show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ShowPage, PageError> {
    let detail = state.store.get_neuzuzueger(user.actor(), parse_id(&id)?).await?;
    Ok(show_page(&state, &user, detail, params.get("hinweis").map(String::as_str), &FieldErrors::new()))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
    datum: String,
}

pub async fn change_status(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = StatusInput { status: form.status, datum: form.datum };
    match state.store.change_neuzuzueger_status(user.actor(), id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/neuzuzueger/{id}?hinweis=gespeichert")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            let detail = state.store.get_neuzuzueger(user.actor(), id).await?;
            unprocessable(show_page(&state, &user, detail, None, &errors))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ConversationForm {
    gefuehrt_am: String,
    sprache: String,
    dolmetscher: String,
    themen: Vec<String>,
    bemerkungen: String,
    nachfassen_am: String,
    empfehlung_art_1: String,
    empfehlung_text_1: String,
    empfehlung_art_2: String,
    empfehlung_text_2: String,
    empfehlung_art_3: String,
    empfehlung_text_3: String,
    empfehlung_angebot_1: String,
    empfehlung_angebot_2: String,
    empfehlung_angebot_3: String,
}

impl ConversationForm {
    fn input(&self) -> GespraechInput {
        let row = |art: &str, text: &str, angebot: &str| EmpfehlungInput {
            art: art.to_owned(),
            text: text.to_owned(),
            angebot: angebot.to_owned(),
        };
        GespraechInput {
            gefuehrt_am: self.gefuehrt_am.clone(),
            sprache: self.sprache.clone(),
            dolmetscher: self.dolmetscher.clone(),
            themen: self.themen.clone(),
            bemerkungen: self.bemerkungen.clone(),
            nachfassen_am: self.nachfassen_am.clone(),
            empfehlungen: vec![
                row(&self.empfehlung_art_1, &self.empfehlung_text_1, &self.empfehlung_angebot_1),
                row(&self.empfehlung_art_2, &self.empfehlung_text_2, &self.empfehlung_angebot_2),
                row(&self.empfehlung_art_3, &self.empfehlung_text_3, &self.empfehlung_angebot_3),
            ],
        }
    }
}

fn conversation_fields(input: &GespraechInput, angebote: &Gruppen) -> Vec<FormField> {
    let languages: Vec<(String, String)> =
        catalog::languages().iter().map(|l| (l.code.clone(), l.name.clone())).collect();
    let yes_no = vec![("ja".to_owned(), "ja".to_owned()), ("nein".to_owned(), "nein".to_owned())];
    let mut fields = vec![
        text_field("gefuehrt_am", "Datum des Gesprächs", "TT.MM.JJJJ", true, &input.gefuehrt_am),
        choice_field(
            "sprache",
            "Sprache des Gesprächs",
            "select",
            true,
            languages,
            std::slice::from_ref(&input.sprache),
        ),
        choice_field(
            "dolmetscher",
            "Interkulturell dolmetschende Person dabei",
            "radios",
            true,
            yes_no,
            std::slice::from_ref(&input.dolmetscher),
        ),
        choice_field("themen", "Besprochene Themen", "checkboxes", true, choices::<Thema>(), &input.themen),
    ];
    for (index, row) in input.empfehlungen.iter().enumerate().take(EMPFEHLUNG_ROWS) {
        let number = index + 1;
        fields.push(choice_field(
            &format!("empfehlung_art_{number}"),
            &format!("Empfehlung {number}: Art"),
            "select",
            false,
            choices::<EmpfehlungArt>(),
            std::slice::from_ref(&row.art),
        ));
        fields.push(text_field(
            &format!("empfehlung_text_{number}"),
            &format!("Empfehlung {number}: was genau"),
            "Zum Beispiel Kurs, Anbieter, Ort und Zeit, oder die Beratungsstelle.",
            false,
            &row.text,
        ));
        fields.push(FormField {
            hint: "Ein veröffentlichtes Angebot der Angebotsplattform, Angebote in Ihrer Nähe zuerst.",
            ..grouped_select(
                &format!("empfehlung_angebot_{number}"),
                &format!("Empfehlung {number}: Angebot"),
                false,
                angebote.clone(),
                std::slice::from_ref(&row.angebot),
            )
        });
    }
    fields.push(textarea_field("bemerkungen", "Bemerkungen", "", false, &input.bemerkungen));
    fields.push(text_field(
        "nachfassen_am",
        "Nachfassen am",
        "TT.MM.JJJJ. Wann Sie nachfragen, ob die Empfehlungen umgesetzt sind.",
        false,
        &input.nachfassen_am,
    ));
    fields
}

async fn conversation_page(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    input: &GespraechInput,
    filter: ListenFilter,
    errors: &FieldErrors,
) -> Result<FormPage, PageError> {
    let detail = state.store.get_neuzuzueger(user.actor(), id).await?;
    let chosen: Vec<&str> = input.empfehlungen.iter().map(|e| e.angebot.as_str()).collect();
    let (angebote, filter) = offer_options(state, user, filter, &chosen).await?;
    let name = detail.neuzuzueger.name;
    Ok(FormPage {
        layout: Layout::for_user(user, format!("Erstinformationsgespräch {name}"), "neuzuzueger"),
        back: format!("/neuzuzueger/{id}"),
        back_label: "Zurück zum Neuzuzüger",
        heading: format!("Erstinformationsgespräch: {name}"),
        lead: "Halten Sie fest, worüber Sie gesprochen haben und was Sie empfehlen. Der Status wechselt auf «Gespräch geführt».".to_owned(),
        action: format!("/neuzuzueger/{id}/gespraech"),
        submit: "Gespräch speichern",
        reasons: Vec::new(),
        fields: with_errors(conversation_fields(input, &angebote), errors),
        listenfilter: Some(filter),
        errors: summary(errors),
        version: None,
        konflikt: None,
    })
}

pub async fn conversation_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<FormPage, PageError> {
    let input = GespraechInput {
        gefuehrt_am: swiss_date(state.store.clock().today()),
        empfehlungen: vec![EmpfehlungInput::default(); EMPFEHLUNG_ROWS],
        ..GespraechInput::default()
    };
    let id = parse_id(&id)?;
    let filter = offer_filter(format!("/neuzuzueger/{id}/gespraech"), &query);
    conversation_page(&state, &user, id, &input, filter, &FieldErrors::new()).await
}

pub async fn record_conversation(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ConversationForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = form.input();
    match state.store.record_conversation(user.actor(), id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/neuzuzueger/{id}?hinweis=gespraech")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            let filter = offer_filter(format!("/neuzuzueger/{id}/gespraech"), &HashMap::new());
            unprocessable(conversation_page(&state, &user, id, &input, filter, &errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct HandOverForm {
    empfehlung: String,
    begruendung: String,
}

async fn hand_over_page(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    form: &HandOverForm,
    errors: &FieldErrors,
) -> Result<FormPage, PageError> {
    let detail = state.store.get_neuzuzueger(user.actor(), id).await?;
    let name = detail.neuzuzueger.name;
    let fields = vec![
        choice_field(
            "empfehlung",
            "Empfehlung an das Migrationsamt",
            "radios",
            true,
            choices::<FordernEmpfehlung>(),
            std::slice::from_ref(&form.empfehlung),
        ),
        textarea_field(
            "begruendung",
            "Begründung",
            "Was Sie beobachtet haben und warum Sie diese Massnahme empfehlen. Das Migrationsamt sieht nur diese Übergabe, nicht das Gespräch.",
            true,
            &form.begruendung,
        ),
    ];
    Ok(FormPage {
        layout: Layout::for_user(user, format!("Übergabe an das Migrationsamt {name}"), "neuzuzueger"),
        back: format!("/neuzuzueger/{id}"),
        back_label: "Zurück zum Neuzuzüger",
        heading: format!("Übergabe an das Migrationsamt: {name}"),
        lead: "Das Migrationsamt entscheidet über eine Integrationsvereinbarung oder -empfehlung. Es sieht Name, Geburtsdatum, Staatsangehörigkeit, Aufenthaltsstatus, Gemeinde und Ihre Begründung. Sein Entscheid erscheint hier beim Neuzuzüger.".to_owned(),
        action: format!("/neuzuzueger/{id}/fordern"),
        submit: "An das Migrationsamt übergeben",
        reasons: Vec::new(),
        fields: with_errors(fields, errors),
        errors: summary(errors),
        listenfilter: None,
        version: None,
        konflikt: None,
    })
}

pub async fn hand_over_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<FormPage, PageError> {
    let page = hand_over_page(&state, &user, parse_id(&id)?, &HandOverForm::default(), &FieldErrors::new()).await?;
    state.store.check_permission(user.actor(), Resource::Fordern, Action::Create).await?;
    Ok(page)
}

pub async fn hand_over(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<HandOverForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = UebergabeInput { empfehlung: form.empfehlung.clone(), begruendung: form.begruendung.clone() };
    match state.store.hand_over_to_migrationsamt(user.actor(), id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/neuzuzueger/{id}?hinweis=fordern")).into_response()),
        Err(StoreError::Invalid(errors)) => unprocessable(hand_over_page(&state, &user, id, &form, &errors).await?),
        Err(other) => Err(other.into()),
    }
}
