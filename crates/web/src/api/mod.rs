//! JSON API `/api/v1` for the systems of providers and the canton. Authentication: personal API tokens as
//! `Authorization: Bearer …` (created with `iim token create`). The same store methods as the pages are
//! called, so the same access rules and the same access log apply. The OpenAPI document is generated from
//! these handlers and types (utoipa) and served at `/api/v1/openapi.json`.
//!
//! API types (DTOs) are separate from domain types on purpose: the API is a contract with other systems
//! and must not change when the domain does.

pub mod angebote;
mod auftraege;
mod dossiers;
mod persons;

use crate::auth::ApiCaller;
use crate::error::{ApiError, AppError, Problem};
use crate::state::SharedState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "IIM Cockpit API",
        description = "Schnittstelle des IIM Cockpit (Integrales Integrationsmodell, Kanton Solothurn). Alle Zugriffe auf Personendaten werden protokolliert.",
        version = "1"
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(Problem))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Persönliches API-Token (iim token create)"))
                    .build(),
            ),
        );
    }
}

fn api_router() -> OpenApiRouter<SharedState> {
    let version_1 = OpenApiRouter::new()
        .routes(routes!(persons::list, persons::create))
        .routes(routes!(persons::get_one, persons::update))
        .routes(routes!(dossiers::list))
        .routes(routes!(dossiers::get_one))
        .routes(routes!(dossiers::open))
        .routes(routes!(dossiers::record_kurzassessment))
        .routes(routes!(auftraege::list))
        .routes(routes!(auftraege::get_one))
        .routes(routes!(auftraege::report))
        .routes(routes!(auftraege::order))
        .routes(routes!(dossiers::add_ziel))
        .routes(routes!(dossiers::record_standortbestimmung))
        .routes(routes!(dossiers::close))
        .routes(routes!(dossiers::reopen))
        .routes(routes!(dossiers::reassign))
        .routes(routes!(angebote::search))
        .routes(routes!(angebote::get_one))
        .routes(routes!(me));
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", version_1)
}

/// The OpenAPI document, as served.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let mut document = api_router().split_for_parts().1;
    problems_as_problem_json(&mut document);
    document
}

pub fn router(state: SharedState) -> Router {
    let (router, mut document) = api_router().split_for_parts();
    problems_as_problem_json(&mut document);
    let document = std::sync::Arc::new(document);
    router
        .route("/api/v1/openapi.json", get(move || async move { Json(document.as_ref().clone()) }))
        .route_layer(axum::middleware::from_fn(crate::error::hide_unreadable_records))
        .with_state(state)
}

/// Error responses are RFC 9457 problem documents: the document names them `application/problem+json`, the
/// content type they are sent with, instead of utoipa's default `application/json`.
fn problems_as_problem_json(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::RefOr;
    for item in document.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for operation in operations.into_iter().flatten() {
            for response in operation.responses.responses.values_mut() {
                let RefOr::T(response) = response else { continue };
                let is_problem = matches!(
                    response.content.get("application/json"),
                    Some(RefOr::T(content))
                        if matches!(&content.schema, Some(RefOr::Ref(schema)) if schema.ref_location.ends_with("/Problem"))
                );
                if let Some(content) = is_problem.then(|| response.content.shift_remove("application/json")).flatten() {
                    response.content.insert("application/problem+json".to_owned(), content);
                }
            }
        }
    }
}

/// Unknown API paths get a problem document, not an HTML page.
pub async fn not_found() -> ApiError {
    ApiError(AppError::NotFound)
}

/// A record number from the path; anything that is not a number is a record that does not exist.
fn parse_id(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| ApiError(AppError::NotFound))
}

/// Page and page size of a list (`?page=2&per_page=50`); both optional. Not-a-number values are refused
/// with a German problem document.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page, from 1 to 10000.
    page: Option<u64>,
    /// Items per page, 1 to 200 (default 50).
    per_page: Option<u64>,
}

impl PageParams {
    /// (page, per page) from the query, or a 400 problem.
    pub fn read(
        query: Result<axum::extract::Query<PageParams>, axum::extract::rejection::QueryRejection>,
    ) -> Result<(u64, u64), ApiError> {
        let axum::extract::Query(params) =
            query.map_err(|e| ApiError(AppError::BadRequest(format!("Ungültige Abfrage: {}", e.body_text()))))?;
        Ok((bounded_page(params.page)?, params.per_page.unwrap_or(50)))
    }
}

/// The page asked for, 1 by default; 0 and pages past [`iim_store::MAX_PAGE`] are refused as a 400 problem (a
/// page past the end of a shorter list is simply empty, with `total` saying how many there are).
pub fn bounded_page(page: Option<u64>) -> Result<u64, ApiError> {
    match page.unwrap_or(1) {
        page @ 1..=iim_store::MAX_PAGE => Ok(page),
        _ => Err(ApiError(AppError::BadRequest(format!(
            "Ungültige Abfrage: page muss eine Zahl von 1 bis {} sein.",
            iim_store::MAX_PAGE
        )))),
    }
}

/// JSON body extractor whose refusals are problem documents with a German explanation.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError(AppError::BadRequest(format!(
                "Der Inhalt ist kein gültiges JSON dieser Schnittstelle: {}",
                rejection.body_text()
            )))),
        }
    }
}

/// Wer aufruft, wie die Schnittstelle es sieht.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeDto {
    pub benutzername: String,
    pub name: String,
    pub organisation: String,
    /// Role codes, e.g. `fallfuehrung`.
    pub rollen: Vec<String>,
}

/// Wer bin ich: die Person hinter dem Token.
#[utoipa::path(get, path = "/me", tag = "Konto", responses(
    (status = 200, body = MeDto),
    (status = 401, body = Problem, description = "Kein oder ungültiges Token")
))]
async fn me(State(_state): State<SharedState>, ApiCaller(actor): ApiCaller) -> Json<MeDto> {
    Json(MeDto {
        benutzername: actor.username,
        name: actor.display_name,
        organisation: actor.organisation_name,
        rollen: actor.roles.iter().map(|r| r.code().to_owned()).collect(),
    })
}
