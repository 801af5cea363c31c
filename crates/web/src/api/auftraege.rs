//! `/api/v1/auftraege`: orders for the systems of providers (list, read, report the result), and ordering
//! from a dossier for the systems of the Sozialregionen. Same rules and access log as the pages.

use super::{ApiJson, PageParams, parse_id};
use crate::auth::ApiCaller;
use crate::error::{ApiError, Problem};
use crate::state::SharedState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use iim_domain::auftrag::{AuftragInput, ErgebnisInput};
use iim_domain::person::Choice;
use iim_store::AuftragFuerAnbieter;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Ein Auftrag, wie der Anbieter ihn sieht.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuftragDto {
    pub id: i64,
    /// `praxisassessment`, `vertiefte_potenzialerfassung` or `integrationscoaching`.
    pub art: String,
    /// `erteilt`, `ergebnis_eingegangen` or `erledigt`.
    pub status: String,
    pub person: String,
    /// Date of birth, possibly partial (`1994`, `03.1994`).
    pub geburtsdatum: String,
    /// Language codes (ISO 639).
    pub sprachen: Vec<String>,
    pub fallfuehrende_stelle: String,
    pub erteilt_von: String,
    pub erteilt_am: DateTime<Utc>,
    pub fragestellung: String,
    pub ergebnis: Option<ErgebnisDto>,
}

/// Die Rückmeldung des Anbieters. `komplex` (`ja`/`nein`) nur bei der vertieften Potenzialerfassung nötig,
/// `empfehlungen` bei den Abklärungen, nicht beim Coaching.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErgebnisDto {
    pub ergebnis: String,
    #[serde(default)]
    pub empfehlungen: String,
    #[serde(default)]
    pub komplex: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuftragListDto {
    pub items: Vec<AuftragDto>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

/// Ein neuer Auftrag aus einem Dossier; der Anbieter mit seiner Organisationsnummer (siehe /anbieter).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeuerAuftragDto {
    pub art: String,
    pub anbieter_id: i64,
    pub fragestellung: String,
}

impl AuftragDto {
    fn of(order: &AuftragFuerAnbieter) -> Self {
        let data = &order.person.data;
        Self {
            id: order.id,
            art: order.art.code().to_owned(),
            status: order.status.code().to_owned(),
            person: format!("{}, {}", data.nachname.as_str(), data.vornamen.as_str()),
            geburtsdatum: data.geburtsdatum.to_string(),
            sprachen: data.sprachen.clone(),
            fallfuehrende_stelle: order.stelle.clone(),
            erteilt_von: order.erteilt_von.clone(),
            erteilt_am: order.erteilt_at,
            fragestellung: order.fragestellung.clone(),
            ergebnis: order.ergebnis.as_ref().map(|e| ErgebnisDto {
                ergebnis: e.ergebnis.clone(),
                empfehlungen: e.empfehlungen.clone(),
                komplex: e.komplex.map(|k| if k { "ja" } else { "nein" }.to_owned()),
            }),
        }
    }
}

/// Die Aufträge an die eigene Organisation (nur Anbieter), offene zuerst.
#[utoipa::path(get, path = "/auftraege", tag = "Anbieter", params(PageParams), responses(
    (status = 200, body = AuftragListDto), (status = 400, body = Problem, description = "Abfrage nicht lesbar"),
    (status = 401, body = Problem), (status = 403, body = Problem)
))]
pub async fn list(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    query: Result<Query<PageParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AuftragListDto>, ApiError> {
    let (page, per_page) = PageParams::read(query)?;
    let page = state.store.provider_orders(&actor, page, per_page).await?;
    Ok(Json(AuftragListDto {
        items: page.items.iter().map(AuftragDto::of).collect(),
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    }))
}

/// Ein Auftrag an die eigene Organisation.
#[utoipa::path(get, path = "/auftraege/{id}", tag = "Anbieter", params(("id" = i64, Path)), responses(
    (status = 200, body = AuftragDto), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)
))]
pub async fn get_one(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<AuftragDto>, ApiError> {
    Ok(Json(AuftragDto::of(&state.store.provider_order(&actor, parse_id(&id)?).await?)))
}

/// Meldet das Ergebnis eines Auftrags (einmal).
#[utoipa::path(post, path = "/auftraege/{id}/ergebnis", tag = "Anbieter", params(("id" = i64, Path)), request_body = ErgebnisDto, responses(
    (status = 200, body = AuftragDto),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 422, body = Problem, description = "Angaben fehlen, oder das Ergebnis wurde schon gemeldet")
))]
pub async fn report(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ErgebnisDto>,
) -> Result<Json<AuftragDto>, ApiError> {
    let input = ErgebnisInput {
        ergebnis: body.ergebnis,
        empfehlungen: body.empfehlungen,
        komplex: body.komplex.unwrap_or_default(),
    };
    Ok(Json(AuftragDto::of(&state.store.report_result(&actor, parse_id(&id)?, &input).await?)))
}

/// Erteilt einem Anbieter einen Auftrag aus einem Dossier (Fallführung und Leitung). Integrationscoaching
/// setzt eine vertiefte Potenzialerfassung voraus, die den Fall als komplex einstuft, und wartet auf die Leitung.
#[utoipa::path(post, path = "/dossiers/{id}/auftraege", tag = "Fallführung", params(("id" = i64, Path)), request_body = NeuerAuftragDto, responses(
    (status = 201, description = "Auftrag erteilt; Location zeigt auf das Dossier", headers(("Location" = String))),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 422, body = Problem, description = "Nicht akkreditiert, Coaching-Regel, fehlende Angaben")
))]
pub async fn order(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NeuerAuftragDto>,
) -> Result<Response, ApiError> {
    let input =
        AuftragInput { art: body.art, anbieter: body.anbieter_id.to_string(), fragestellung: body.fragestellung };
    let dossier = state.store.order(&actor, parse_id(&id)?, &input).await?;
    let location = format!("/api/v1/dossiers/{}", dossier.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)]).into_response())
}
