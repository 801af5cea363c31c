//! `/api/v1/persons`: the Personenregister for systems.

use super::{ApiJson, parse_id};
use crate::auth::ApiCaller;
use crate::error::{ApiError, AppError, Problem};
use crate::state::SharedState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use iim_domain::person::Choice;
use iim_domain::{PersonData, PersonInput};
use iim_store::{Person, PersonQuery, PersonSummary};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Eine Person, wie die Schnittstelle sie liefert. Daten im ISO-Format, auch teilweise: `1985`, `1985-03` oder `1985-03-21`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDto {
    pub id: i64,
    pub nachname: String,
    pub vornamen: String,
    /// `weiblich`, `maennlich` or `unbestimmt`.
    pub geschlecht: String,
    #[schema(example = "1985-03")]
    pub geburtsdatum: String,
    /// ISO 3166-1 alpha-2, or `staatenlos` / `unbekannt`.
    pub nationalitaet: String,
    /// `B`, `C`, `F`, `B-FL`, `N`, `S`, `L`, `CH` or `andere`.
    pub aufenthaltsstatus: String,
    #[schema(example = "756.9217.0769.85")]
    pub ahv_nummer: Option<String>,
    pub einreisedatum: Option<String>,
    /// ISO 639 language codes.
    pub sprachen: Vec<String>,
    pub wohngemeinde_bfs: u16,
    pub wohngemeinde: String,
    /// Send this back with a change (optimistic concurrency). Absent in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erfasst_am: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geaendert_am: Option<DateTime<Utc>>,
}

impl PersonDto {
    fn from_data(id: i64, data: &PersonData) -> Self {
        Self {
            id,
            nachname: data.nachname.as_str().to_owned(),
            vornamen: data.vornamen.as_str().to_owned(),
            geschlecht: data.geschlecht.code().to_owned(),
            geburtsdatum: data.geburtsdatum.to_iso(),
            nationalitaet: data.nationalitaet.code().to_owned(),
            aufenthaltsstatus: data.aufenthaltsstatus.code().to_owned(),
            ahv_nummer: data.ahv_nummer.as_ref().map(ToString::to_string),
            einreisedatum: data.einreisedatum.map(|d| d.to_iso()),
            sprachen: data.sprachen.clone(),
            wohngemeinde_bfs: data.wohngemeinde.get(),
            wohngemeinde: data.wohngemeinde.name(),
            version: None,
            erfasst_am: None,
            geaendert_am: None,
        }
    }

    fn from_person(person: &Person) -> Self {
        Self {
            version: Some(person.version),
            erfasst_am: Some(person.created_at),
            geaendert_am: Some(person.updated_at),
            ..Self::from_data(person.id, &person.data)
        }
    }
}

/// Angaben zum Erfassen oder Ändern einer Person; es gelten dieselben Regeln wie im Formular.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonWriteDto {
    /// Required for a change: the version last read (optimistic concurrency). Ignored when creating.
    #[serde(default)]
    pub version: Option<i32>,
    pub nachname: String,
    pub vornamen: String,
    pub geschlecht: String,
    pub geburtsdatum: String,
    pub nationalitaet: String,
    pub aufenthaltsstatus: String,
    #[serde(default)]
    pub ahv_nummer: Option<String>,
    #[serde(default)]
    pub einreisedatum: Option<String>,
    #[serde(default)]
    pub sprachen: Vec<String>,
    pub wohngemeinde_bfs: u16,
}

impl PersonWriteDto {
    fn input(self) -> PersonInput {
        PersonInput {
            nachname: self.nachname,
            vornamen: self.vornamen,
            geschlecht: self.geschlecht,
            geburtsdatum: self.geburtsdatum,
            nationalitaet: self.nationalitaet,
            aufenthaltsstatus: self.aufenthaltsstatus,
            ahv_nummer: self.ahv_nummer.unwrap_or_default(),
            einreisedatum: self.einreisedatum.unwrap_or_default(),
            sprachen: self.sprachen,
            wohngemeinde_bfs: self.wohngemeinde_bfs.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonListDto {
    pub items: Vec<PersonDto>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Words in name or AHV number (case, umlauts, accents ignored).
    q: Option<String>,
    /// Page, from 1 to 10000.
    page: Option<u64>,
    /// Items per page, 1 to 200 (default 25).
    per_page: Option<u64>,
}

/// Personen im Zuständigkeitsgebiet, nach Namen sortiert.
#[utoipa::path(get, path = "/persons", tag = "Personenregister", params(ListParams), responses(
    (status = 200, body = PersonListDto),
    (status = 400, body = Problem, description = "Abfrage nicht lesbar"), (status = 401, body = Problem), (status = 403, body = Problem)
))]
pub async fn list(
    State(state): State<crate::state::SharedState>,
    ApiCaller(actor): ApiCaller,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PersonListDto>, ApiError> {
    let Query(params) =
        params.map_err(|e| ApiError(AppError::BadRequest(format!("Ungültige Abfrage: {}", e.body_text()))))?;
    let query = PersonQuery {
        text: params.q.unwrap_or_default(),
        page: super::bounded_page(params.page)?,
        per_page: params.per_page.unwrap_or(25),
    };
    let page = state.store.list_persons(&actor, &query).await?;
    Ok(Json(PersonListDto {
        items: page.items.iter().map(|PersonSummary { id, data }| PersonDto::from_data(*id, data)).collect(),
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    }))
}

/// Erfasst eine Person mit Wohnsitz in einer Gemeinde des Zuständigkeitsgebiets.
#[utoipa::path(post, path = "/persons", tag = "Personenregister", request_body = PersonWriteDto, responses(
    (status = 201, body = PersonDto, headers(("Location" = String))),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "Feldfehler in `errors`")
))]
pub async fn create(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    ApiJson(body): ApiJson<PersonWriteDto>,
) -> Result<Response, ApiError> {
    let data = body.input().parse(state.store.clock().today()).map_err(AppError::Invalid)?;
    let person = state.store.create_person(&actor, data).await?;
    let location = format!("/api/v1/persons/{}", person.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(PersonDto::from_person(&person))).into_response())
}

/// Eine Person. Ausserhalb des Zuständigkeitsgebiets gibt es sie nicht (404); der Versuch wird protokolliert.
#[utoipa::path(get, path = "/persons/{id}", tag = "Personenregister", params(("id" = i64, Path)), responses(
    (status = 200, body = PersonDto),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)
))]
pub async fn get_one(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<PersonDto>, ApiError> {
    let id = parse_id(&id)?;
    let person = state.store.get_person(&actor, id).await?;
    Ok(Json(PersonDto::from_person(&person)))
}

/// Ersetzt die Angaben einer Person. `version` muss die zuletzt gelesene sein, sonst 409 und nichts ändert sich.
#[utoipa::path(put, path = "/persons/{id}", tag = "Personenregister", params(("id" = i64, Path)), request_body = PersonWriteDto, responses(
    (status = 200, body = PersonDto),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem, description = "Inzwischen geändert; `current_version` nennt die aktuelle Version"),
    (status = 422, body = Problem)
))]
pub async fn update(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PersonWriteDto>,
) -> Result<Json<PersonDto>, ApiError> {
    let id = parse_id(&id)?;
    let Some(version) = body.version else {
        let mut errors = iim_domain::FieldErrors::new();
        errors.add("version", "Bitte die zuletzt gelesene Version mitsenden.");
        return Err(ApiError(AppError::Invalid(errors)));
    };
    let data = body.input().parse(state.store.clock().today()).map_err(AppError::Invalid)?;
    let person = state.store.update_person(&actor, id, version, data).await?;
    Ok(Json(PersonDto::from_person(&person)))
}
