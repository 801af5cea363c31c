//! Fordern pages: the hand-overs to the Migrationsamt. The Migrationsamt sees the cases waiting for its
//! decision and records it; a Gemeinde sees its own hand-overs with the decisions that came back.

use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::pages::form::summary;
use crate::pages::unprocessable;
use crate::pages::{Layout, Pagination, page_number, parse_id};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use iim_domain::clock::format_swiss;
use iim_domain::erstinformation::{EntscheidInput, FordernEntscheid};
use iim_domain::person::Choice;
use iim_domain::{Action, FieldErrors, Resource};
use iim_store::{FordernFall, StoreError};
use std::collections::HashMap;

pub struct Row {
    id: i64,
    name: String,
    birth: String,
    nationality: String,
    residence: String,
    gemeinde: String,
    from: String,
    recommendation: &'static str,
    reasons: String,
    handed_over: String,
    decision: String,
    decision_reason: String,
    decided: bool,
}

impl From<FordernFall> for Row {
    fn from(f: FordernFall) -> Self {
        Self {
            id: f.id,
            name: f.name,
            birth: f.geburtsdatum,
            nationality: f.nationalitaet,
            residence: f.aufenthaltsstatus,
            gemeinde: f.gemeinde,
            from: f.von_organisation,
            recommendation: f.empfehlung.label(),
            reasons: f.begruendung,
            handed_over: format!("{} von {}", format_swiss(f.uebergeben_at), f.uebergeben_von),
            decided: f.entscheid.is_some(),
            decision: match (f.entscheid, f.entschieden_at) {
                (Some(entscheid), Some(at)) => format!("{} ({})", entscheid.label(), format_swiss(at)),
                _ => "noch offen".to_owned(),
            },
            decision_reason: f.entscheid_begruendung,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "start_integration/fordern/list.html")]
pub struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    total: u64,
    offen: bool,
    pagination: Pagination,
}

pub async fn list(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ListPage, PageError> {
    let offen = params.get("ansicht").map(String::as_str) != Some("entschieden");
    let page = page_number(params.get("seite"));
    let found = state.store.list_fordern(user.actor(), offen, page).await?;
    let view = if offen { "" } else { "entschieden" };
    let pagination = Pagination::new("/fordern", &[("ansicht", view)], page, found.pages());
    Ok(ListPage {
        layout: Layout::for_user(&user, "Fordern: Übergaben an das Migrationsamt", "fordern")
            .with_notice(params.get("hinweis").map(String::as_str)),
        total: found.total,
        rows: found.items.into_iter().map(Row::from).collect(),
        offen,
        pagination,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "start_integration/fordern/show.html")]
pub struct ShowPage {
    layout: Layout,
    f: Row,
    may_decide: bool,
    options: Vec<(String, String)>,
    chosen: String,
    reason: String,
    errors: Vec<(String, String)>,
}

async fn show_page(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    input: &EntscheidInput,
    errors: &FieldErrors,
) -> Result<ShowPage, PageError> {
    let fall = state.store.get_fordern(user.actor(), id).await?;
    let row = Row::from(fall);
    Ok(ShowPage {
        layout: Layout::for_user(user, format!("Fordern {}", row.name), "fordern"),
        may_decide: !row.decided && user.actor().may(Resource::Fordern, Action::Update),
        f: row,
        options: FordernEntscheid::ALL.iter().map(|e| (e.code().to_owned(), e.label().to_owned())).collect(),
        chosen: input.entscheid.clone(),
        reason: input.begruendung.clone(),
        errors: summary(errors),
    })
}

pub async fn show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<ShowPage, PageError> {
    show_page(&state, &user, parse_id(&id)?, &EntscheidInput::default(), &FieldErrors::new()).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    entscheid: String,
    begruendung: String,
}

pub async fn decide(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = EntscheidInput { entscheid: form.entscheid, begruendung: form.begruendung };
    match state.store.decide_fordern(user.actor(), id, &input).await {
        Ok(()) => Ok(Redirect::to("/fordern?hinweis=entscheid").into_response()),
        Err(StoreError::Invalid(errors)) => unprocessable(show_page(&state, &user, id, &input, &errors).await?),
        Err(other) => Err(other.into()),
    }
}
