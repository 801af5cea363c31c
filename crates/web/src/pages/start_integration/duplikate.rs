//! Possible duplicates from the register import, side by side, for a human decision: two different persons,
//! or the same person (the store then merges the import's record into the existing one).

use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::pages::Layout;
use crate::pages::unprocessable;
use crate::pages::{Pagination, page_number, parse_id};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use iim_domain::clock::format_swiss;
use iim_store::{DuplikatEntscheid, DuplikatPerson, StoreError};
use std::collections::HashMap;

pub struct Side {
    id: i64,
    name: String,
    birth: String,
    nationality: String,
    gemeinde: String,
    ahv: String,
    recorded: String,
}

impl From<DuplikatPerson> for Side {
    fn from(p: DuplikatPerson) -> Self {
        Self {
            id: p.id,
            name: p.name,
            birth: p.geburtsdatum,
            nationality: p.nationalitaet,
            gemeinde: p.gemeinde,
            ahv: p.ahv_nummer,
            recorded: format_swiss(p.erfasst_at),
        }
    }
}

pub struct Pair {
    id: i64,
    new: Side,
    existing: Side,
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/persons/duplikate.html")]
pub struct ListPage {
    layout: Layout,
    pairs: Vec<Pair>,
    total: u64,
    pagination: Pagination,
    error: Option<String>,
}

async fn list_page(
    state: &SharedState,
    user: &CurrentUser,
    page: u64,
    notice: Option<&str>,
    error: Option<String>,
) -> Result<ListPage, PageError> {
    let pairs = state.store.possible_duplicates(user.actor(), page).await?;
    let pagination = Pagination::new("/personen/duplikate", &[], pairs.page, pairs.pages());
    Ok(ListPage {
        layout: Layout::for_user(user, "Mögliche Duplikate", "personen").with_notice(notice),
        total: pairs.total,
        pairs: pairs
            .items
            .into_iter()
            .map(|p| Pair { id: p.id, new: Side::from(p.neu), existing: Side::from(p.bestehend) })
            .collect(),
        pagination,
        error,
    })
}

pub async fn list(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ListPage, PageError> {
    let page = page_number(params.get("seite"));
    list_page(&state, &user, page, params.get("hinweis").map(String::as_str), None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    entscheid: String,
}

pub async fn decide(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let entscheid = match form.entscheid.as_str() {
        "verschieden" => DuplikatEntscheid::Verschieden,
        "dieselbe" => DuplikatEntscheid::DieselbePerson,
        _ => {
            let page = list_page(&state, &user, 1, None, Some("Bitte einen Entscheid wählen.".to_owned())).await?;
            return unprocessable(page);
        }
    };
    match state.store.decide_duplicate(user.actor(), id, entscheid).await {
        Ok(()) => Ok(Redirect::to("/personen/duplikate?hinweis=duplikat").into_response()),
        Err(StoreError::Invalid(errors)) => {
            let message = errors.iter().map(|(_, m)| m.to_owned()).collect::<Vec<_>>().join(" ");
            unprocessable(list_page(&state, &user, 1, None, Some(message)).await?)
        }
        Err(other) => Err(other.into()),
    }
}
