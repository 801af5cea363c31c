//! Personenregister pages: list with search and pagination, view, create, edit with optimistic concurrency.
//! Access is decided by the store; these handlers only translate between forms and domain types.

use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::pages::form::{FormField, choice_field, choices, summary, text_field, with_errors};
use crate::pages::konflikt::Konflikt;
use crate::pages::{Layout, Pagination, page_number, parse_id};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use iim_domain::catalog;
use iim_domain::clock::format_swiss;
use iim_domain::limits::NAME_CHARS;
use iim_domain::person::Choice;
use iim_domain::{Action, Actor, FieldErrors, Nationality, PersonData, PersonInput, ResidenceStatus, Resource, Sex};
use iim_store::{Person, PersonQuery, StoreError};
use std::collections::HashMap;

const PER_PAGE: u64 = 25;

/// A line of the list.
pub struct PersonRow {
    id: i64,
    nachname: String,
    vornamen: String,
    geburtsdatum: String,
    nationalitaet: String,
    aufenthaltsstatus: String,
    wohngemeinde: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/persons/list.html")]
pub struct ListPage {
    layout: Layout,
    query: String,
    persons: Vec<PersonRow>,
    total: u64,
    pagination: Pagination,
    export_href: String,
    may_create: bool,
}

pub async fn list(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ListPage, PageError> {
    let text = params.get("q").cloned().unwrap_or_default();
    let query = PersonQuery { text: text.clone(), page: page_number(params.get("seite")), per_page: PER_PAGE };
    let found = state.store.list_persons(user.actor(), &query).await?;
    let pagination = Pagination::new("/personen", &[("q", &text)], query.page, found.pages());
    Ok(ListPage {
        layout: Layout::for_user(&user, "Personenregister", "personen"),
        query: text.clone(),
        persons: found.items.iter().map(|p| row(p.id, &p.data)).collect(),
        total: found.total,
        pagination,
        export_href: format!("/personen/export.csv?q={}", urlencoding::encode(&text)),
        may_create: user.actor().may(Resource::Person, Action::Create),
    })
}

fn row(id: i64, data: &PersonData) -> PersonRow {
    PersonRow {
        id,
        nachname: data.nachname.as_str().to_owned(),
        vornamen: data.vornamen.as_str().to_owned(),
        geburtsdatum: data.geburtsdatum.to_string(),
        nationalitaet: data.nationalitaet.label().to_owned(),
        aufenthaltsstatus: data.aufenthaltsstatus.code().to_owned(),
        wohngemeinde: data.wohngemeinde.name(),
    }
}

/// Everything the detail page shows, as text.
pub struct PersonView {
    id: i64,
    nachname: String,
    vornamen: String,
    geschlecht: &'static str,
    geburtsdatum: String,
    alter: Option<i32>,
    nationalitaet: String,
    aufenthaltsstatus: &'static str,
    ahv_nummer: String,
    einreisedatum: String,
    sprachen: String,
    wohngemeinde: String,
    erfasst: String,
    erfasst_von: String,
    geaendert: String,
    geaendert_von: String,
    version: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/persons/show.html")]
pub struct ShowPage {
    layout: Layout,
    person: PersonView,
    may_update: bool,
    dossier_href: Option<String>,
    may_open_dossier: bool,
    open_error: Option<String>,
}

pub async fn show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ShowPage, PageError> {
    show_page(&state, &user, parse_id(&id)?, params.get("hinweis").map(String::as_str), None).await
}

/// The person page; `open_error` explains why a dossier could not be opened.
pub async fn show_page(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    notice: Option<&str>,
    open_error: Option<String>,
) -> Result<ShowPage, PageError> {
    let person = state.store.get_person(user.actor(), id).await?;
    let dossier_id = state.store.dossier_id_of_person(user.actor(), id).await?;
    let today = state.store.clock().today();
    let data = &person.data;
    let title = format!("{}, {}", data.nachname.as_str(), data.vornamen.as_str());
    Ok(ShowPage {
        layout: Layout::for_user(user, title, "personen").with_notice(notice),
        person: PersonView {
            id: person.id,
            nachname: data.nachname.as_str().to_owned(),
            vornamen: data.vornamen.as_str().to_owned(),
            geschlecht: data.geschlecht.label(),
            geburtsdatum: data.geburtsdatum.to_string(),
            alter: data.geburtsdatum.age_on(today),
            nationalitaet: data.nationalitaet.label().to_owned(),
            aufenthaltsstatus: data.aufenthaltsstatus.label(),
            ahv_nummer: data.ahv_nummer.as_ref().map_or_else(|| "nicht erfasst".to_owned(), ToString::to_string),
            einreisedatum: data.einreisedatum.map_or_else(|| "nicht erfasst".to_owned(), |d| d.to_string()),
            sprachen: language_names(&data.sprachen),
            wohngemeinde: format!("{} (BFS {})", data.wohngemeinde.name(), data.wohngemeinde),
            erfasst: format_swiss(person.created_at),
            erfasst_von: person.created_by.clone(),
            geaendert: format_swiss(person.updated_at),
            geaendert_von: person.updated_by.clone(),
            version: person.version,
        },
        may_update: user.actor().may(Resource::Person, Action::Update),
        dossier_href: dossier_id.map(|id| format!("/dossiers/{id}")),
        may_open_dossier: dossier_id.is_none() && user.actor().may(Resource::Dossier, Action::Create),
        open_error,
    })
}

fn language_names(codes: &[String]) -> String {
    if codes.is_empty() {
        return "nicht erfasst".to_owned();
    }
    codes.iter().map(|code| catalog::language_name(code).unwrap_or(code)).collect::<Vec<_>>().join(", ")
}

/// The submitted person form. Every field defaults to empty, so a tampered form still parses and gets
/// field messages instead of a bare 400.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PersonForm {
    nachname: String,
    vornamen: String,
    geschlecht: String,
    geburtsdatum: String,
    nationalitaet: String,
    aufenthaltsstatus: String,
    ahv_nummer: String,
    einreisedatum: String,
    sprachen: Vec<String>,
    wohngemeinde_bfs: String,
    version: Option<String>,
}

impl PersonForm {
    fn input(&self) -> PersonInput {
        PersonInput {
            nachname: self.nachname.clone(),
            vornamen: self.vornamen.clone(),
            geschlecht: self.geschlecht.clone(),
            geburtsdatum: self.geburtsdatum.clone(),
            nationalitaet: self.nationalitaet.clone(),
            aufenthaltsstatus: self.aufenthaltsstatus.clone(),
            ahv_nummer: self.ahv_nummer.clone(),
            einreisedatum: self.einreisedatum.clone(),
            sprachen: self.sprachen.clone(),
            wohngemeinde_bfs: self.wohngemeinde_bfs.clone(),
        }
    }
}

/// The stored values as form input (for the edit form).
fn input_of(data: &PersonData) -> PersonInput {
    PersonInput {
        nachname: data.nachname.as_str().to_owned(),
        vornamen: data.vornamen.as_str().to_owned(),
        geschlecht: data.geschlecht.code().to_owned(),
        geburtsdatum: data.geburtsdatum.to_string(),
        nationalitaet: data.nationalitaet.code().to_owned(),
        aufenthaltsstatus: data.aufenthaltsstatus.code().to_owned(),
        ahv_nummer: data.ahv_nummer.as_ref().map(ToString::to_string).unwrap_or_default(),
        einreisedatum: data.einreisedatum.map(|d| d.to_string()).unwrap_or_default(),
        sprachen: data.sprachen.clone(),
        wohngemeinde_bfs: data.wohngemeinde.to_string(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/persons/form.html")]
pub struct FormPage {
    layout: Layout,
    heading: String,
    action: String,
    back_href: String,
    version: Option<i32>,
    fields: Vec<FormField>,
    errors: Vec<(String, String)>,
    konflikt: Option<Konflikt>,
}

/// Gemeinden the actor may register persons in, sorted by name.
fn gemeinde_options(actor: &Actor) -> Vec<(String, String)> {
    let scope = actor.scope_for(Resource::Person, Action::Create).ok();
    catalog::gemeinden_nach_name()
        .filter(|g| scope.is_some_and(|scope| actor.reaches_gemeinde(scope, g.bfs)))
        .map(|g| (g.bfs.to_string(), g.name.clone()))
        .collect()
}

pub(crate) fn nationality_options() -> Vec<(String, String)> {
    let mut options = vec![
        (Nationality::UNKNOWN.to_owned(), "unbekannt".to_owned()),
        (Nationality::STATELESS.to_owned(), "staatenlos".to_owned()),
    ];
    options.extend(catalog::countries().iter().map(|c| (c.code.clone(), c.name.clone())));
    options
}

fn fields(actor: &Actor, input: &PersonInput, errors: &FieldErrors) -> Vec<FormField> {
    let one = |value: &str| vec![value.to_owned()];
    let fields = vec![
        text_field(
            "nachname",
            "Nachname",
            "Wie im Ausweis; jede Schrift ist möglich, höchstens 100 Zeichen.",
            true,
            &input.nachname,
        )
        .with_max_chars(NAME_CHARS),
        text_field("vornamen", "Vornamen", "", true, &input.vornamen).with_max_chars(NAME_CHARS),
        choice_field("geschlecht", "Geschlecht", "radios", true, choices::<Sex>(), &one(&input.geschlecht)),
        text_field(
            "geburtsdatum",
            "Geburtsdatum",
            "TT.MM.JJJJ, oder nur MM.JJJJ oder JJJJ, wenn nicht mehr bekannt ist.",
            true,
            &input.geburtsdatum,
        ),
        choice_field(
            "nationalitaet",
            "Staatsangehörigkeit",
            "select",
            true,
            nationality_options(),
            &one(&input.nationalitaet),
        ),
        choice_field(
            "aufenthaltsstatus",
            "Aufenthaltsstatus",
            "select",
            true,
            choices::<ResidenceStatus>(),
            &one(&input.aufenthaltsstatus),
        ),
        text_field(
            "ahv_nummer",
            "AHV-Nummer",
            "Format 756.XXXX.XXXX.XX; die Punkte dürfen fehlen.",
            false,
            &input.ahv_nummer,
        ),
        text_field(
            "einreisedatum",
            "Einreise in die Schweiz",
            "TT.MM.JJJJ, MM.JJJJ oder JJJJ.",
            false,
            &input.einreisedatum,
        ),
        choice_field(
            "sprachen",
            "Sprachen",
            "checkboxes",
            false,
            catalog::languages().iter().map(|l| (l.code.clone(), l.name.clone())).collect(),
            &input.sprachen,
        ),
        choice_field(
            "wohngemeinde_bfs",
            "Wohngemeinde",
            "select",
            true,
            gemeinde_options(actor),
            &one(&input.wohngemeinde_bfs),
        ),
    ];
    with_errors(fields, errors)
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    user: &CurrentUser,
    heading: String,
    action: String,
    back_href: String,
    version: Option<i32>,
    input: &PersonInput,
    errors: &FieldErrors,
    konflikt: Option<Konflikt>,
) -> FormPage {
    FormPage {
        layout: Layout::for_user(user, heading.clone(), "personen"),
        heading,
        action,
        back_href,
        version,
        fields: fields(user.actor(), input, errors),
        errors: summary(errors),
        konflikt,
    }
}

fn new_page(user: &CurrentUser, input: &PersonInput, errors: &FieldErrors) -> FormPage {
    form_page(
        user,
        "Neue Person erfassen".to_owned(),
        "/personen".to_owned(),
        "/personen".to_owned(),
        None,
        input,
        errors,
        None,
    )
}

fn edit_page(
    user: &CurrentUser,
    id: i64,
    version: i32,
    input: &PersonInput,
    errors: &FieldErrors,
    konflikt: Option<Konflikt>,
) -> FormPage {
    let url = format!("/personen/{id}");
    form_page(user, "Person bearbeiten".to_owned(), url.clone(), url, Some(version), input, errors, konflikt)
}

pub async fn new_form(user: CurrentUser) -> Result<FormPage, PageError> {
    user.actor().scope_for(Resource::Person, Action::Create)?;
    Ok(new_page(&user, &PersonInput::default(), &FieldErrors::new()))
}

pub async fn create(
    State(state): State<SharedState>,
    user: CurrentUser,
    Form(form): Form<PersonForm>,
) -> Result<Response, PageError> {
    let input = form.input();
    let invalid =
        |errors: FieldErrors| (StatusCode::UNPROCESSABLE_ENTITY, new_page(&user, &input, &errors)).into_response();
    let data = match input.parse(state.store.clock().today()) {
        Ok(data) => data,
        Err(errors) => return Ok(invalid(errors)),
    };
    match state.store.create_person(user.actor(), data).await {
        Ok(person) => Ok(Redirect::to(&format!("/personen/{}?hinweis=erfasst", person.id)).into_response()),
        Err(StoreError::Invalid(errors)) => Ok(invalid(errors)),
        Err(other) => Err(other.into()),
    }
}

pub async fn edit_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<FormPage, PageError> {
    let id = parse_id(&id)?;
    state.store.check_permission(user.actor(), Resource::Person, Action::Update).await?;
    let person = state.store.get_person(user.actor(), id).await?;
    Ok(edit_page(&user, id, person.version, &input_of(&person.data), &FieldErrors::new(), None))
}

pub async fn update(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<PersonForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = form.input();
    let Some(version) = form.version.as_deref().and_then(|v| v.trim().parse::<i32>().ok()) else {
        return Err(PageError(AppError::BadRequest(
            "Das Formular ist unvollständig. Bitte die Seite neu laden.".to_owned(),
        )));
    };
    let data = match input.parse(state.store.clock().today()) {
        Ok(data) => data,
        Err(errors) => {
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, edit_page(&user, id, version, &input, &errors, None))
                .into_response());
        }
    };
    match state.store.update_person(user.actor(), id, version, data).await {
        Ok(person) if person.version == version => {
            Ok(Redirect::to(&format!("/personen/{id}?hinweis=unveraendert")).into_response())
        }
        Ok(_) => Ok(Redirect::to(&format!("/personen/{id}?hinweis=gespeichert")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, edit_page(&user, id, version, &input, &errors, None)).into_response())
        }
        Err(StoreError::Stale(current)) => {
            let konflikt = person_konflikt(user.actor(), id, &current, &input);
            let page = edit_page(&user, id, current.version, &input, &FieldErrors::new(), Some(konflikt));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The values a colleague saved beside the values just sent, field by field.
fn person_konflikt(actor: &Actor, id: i64, current: &Person, sent: &PersonInput) -> Konflikt {
    let geaendert = format!("{} hat diese Person am {} geändert", current.updated_by, format_swiss(current.updated_at));
    let gespeichert = fields(actor, &input_of(&current.data), &FieldErrors::new());
    let meine = fields(actor, sent, &FieldErrors::new());
    Konflikt::from_fields(geaendert, &gespeichert, &meine, format!("/personen/{id}/bearbeiten"))
}
