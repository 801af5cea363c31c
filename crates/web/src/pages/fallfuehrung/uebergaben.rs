//! Transfer on Wohnortwechsel: the case worker asks the Stelle of the new Gemeinde to take the dossier over
//! (form on the dossier); the receiving Stelle sees the requests addressed to it and accepts or refuses.

use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::pages::dossiers::{DossierFormPage, FormSpec, after_action, form_page, to_dossier};
use crate::pages::form::{choice_field, textarea_field};
use crate::pages::unprocessable;
use crate::pages::{Layout, parse_id, swiss_date};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use iim_domain::clock::format_swiss;
use iim_domain::{Action, FieldErrors, Resource, catalog};
use iim_store::{EingehendeUebergabe, StoreError};
use std::collections::HashMap;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct RequestForm {
    gemeinde: String,
    bemerkung: String,
}

async fn request_page(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    form: &RequestForm,
    errors: &FieldErrors,
) -> Result<DossierFormPage, PageError> {
    let dossier = state.store.get_dossier(user.actor(), id).await?;
    let gemeinden: Vec<(String, String)> =
        catalog::gemeinden_nach_name().map(|g| (g.bfs.get().to_string(), g.name.clone())).collect();
    let fields = vec![
        choice_field("gemeinde", "Neue Wohngemeinde", "select", true, gemeinden, std::slice::from_ref(&form.gemeinde)),
        textarea_field(
            "bemerkung",
            "Bemerkung an die neue Stelle",
            "Zum Beispiel das Umzugsdatum.",
            false,
            &form.bemerkung,
        ),
    ];
    let spec = FormSpec {
        title: "Übergabe bei Wohnortwechsel",
        lead: "Die Stelle der neuen Wohngemeinde erhält die Anfrage. Bis sie das Dossier annimmt, bleibt es bei Ihnen; danach sehen Sie es nicht mehr.".to_owned(),
        path: "uebergabe",
        submit: "Übergabe beantragen",
    };
    Ok(form_page(user, &dossier, spec, fields, errors))
}

/// The request form; `?gemeinde=BFS` preselects the new Gemeinde (from a move the register reported).
pub async fn request_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<DossierFormPage, PageError> {
    state.store.check_permission(user.actor(), Resource::Dossier, Action::Update).await?;
    let form = RequestForm { gemeinde: params.get("gemeinde").cloned().unwrap_or_default(), ..RequestForm::default() };
    request_page(&state, &user, parse_id(&id)?, &form, &FieldErrors::new()).await
}

/// Dismisses the transfer proposal after a reported move, with the reason why the dossier stays.
pub async fn dismiss_move(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((id, vorschlag)): Path<(String, String)>,
    Form(form): Form<RejectForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = state.store.dismiss_move_proposal(user.actor(), id, parse_id(&vorschlag)?, &form.begruendung).await;
    after_action(&state, &user, id, result, "umzug_verworfen").await
}

pub async fn request(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<RequestForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    match state.store.request_transfer(user.actor(), id, &form.gemeinde, &form.bemerkung).await {
        Ok(_) => Ok(to_dossier(id, "uebergabe_beantragt")),
        Err(StoreError::Invalid(errors)) => unprocessable(request_page(&state, &user, id, &form, &errors).await?),
        Err(other) => Err(other.into()),
    }
}

pub struct IncomingRow {
    id: i64,
    person: String,
    birth: String,
    from: String,
    requested: String,
    gemeinde: String,
    bemerkung: String,
}

impl From<EingehendeUebergabe> for IncomingRow {
    fn from(u: EingehendeUebergabe) -> Self {
        Self {
            id: u.id,
            person: u.person_name,
            birth: u.geburtsdatum,
            from: u.von_stelle,
            requested: format!("{} von {}", format_swiss(u.beantragt_at), u.beantragt_von),
            gemeinde: u.neue_gemeinde,
            bemerkung: u.bemerkung,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/uebergaben/list.html")]
pub struct IncomingPage {
    layout: Layout,
    transfers: Vec<IncomingRow>,
    error: Option<String>,
}

async fn incoming_page(
    state: &SharedState,
    user: &CurrentUser,
    notice: Option<&str>,
    error: Option<String>,
) -> Result<IncomingPage, PageError> {
    let transfers = state.store.incoming_transfers(user.actor()).await?;
    Ok(IncomingPage {
        layout: Layout::for_user(user, "Übergaben an Ihre Stelle", "pendenzen").with_notice(notice),
        transfers: transfers.into_iter().map(IncomingRow::from).collect(),
        error,
    })
}

pub async fn incoming(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<IncomingPage, PageError> {
    incoming_page(&state, &user, params.get("hinweis").map(String::as_str), None).await
}

pub async fn accept(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    match state.store.accept_transfer(user.actor(), parse_id(&id)?).await {
        Ok(dossier) => Ok(to_dossier(dossier, "uebergabe_angenommen")),
        Err(StoreError::Invalid(errors)) => refused(&state, &user, &errors).await,
        Err(other) => Err(other.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct RejectForm {
    begruendung: String,
}

pub async fn reject(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<RejectForm>,
) -> Result<Response, PageError> {
    match state.store.reject_transfer(user.actor(), parse_id(&id)?, &form.begruendung).await {
        Ok(()) => Ok(Redirect::to("/uebergaben?hinweis=uebergabe_abgelehnt").into_response()),
        Err(StoreError::Invalid(errors)) => refused(&state, &user, &errors).await,
        Err(other) => Err(other.into()),
    }
}

async fn refused(state: &SharedState, user: &CurrentUser, errors: &FieldErrors) -> Result<Response, PageError> {
    let message = errors.iter().map(|(_, m)| m.to_owned()).collect::<Vec<_>>().join(" ");
    let page = incoming_page(state, user, None, Some(message)).await?;
    unprocessable(page)
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/uebergaben/weitergegeben.html")]
pub struct WeitergegebenPage {
    layout: Layout,
    uebergeben_am: String,
    an_stelle: String,
}

/// The answer for a dossier the user cannot open: where it went if the user had it before it was handed over
/// (a bookmark of the former case worker), else the plain «not found» that reveals nothing.
pub async fn gone_or_not_found(state: &SharedState, user: &CurrentUser, id: i64) -> Result<Response, PageError> {
    let Some(weitergegeben) = state.store.former_dossier(user.actor(), id).await? else {
        return Err(PageError(AppError::NotFound));
    };
    let page = WeitergegebenPage {
        layout: Layout::for_user(user, "Dossier übergeben", "dossiers"),
        uebergeben_am: swiss_date(weitergegeben.uebergeben_am),
        an_stelle: weitergegeben.an_stelle,
    };
    Ok((StatusCode::GONE, page).into_response())
}
