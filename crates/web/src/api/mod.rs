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
    api_router().split_for_parts().1
}

pub fn router(state: SharedState) -> Router {
    let (router, document) = api_router().split_for_parts();
    let document = std::sync::Arc::new(document);
    router.route("/api/v1/openapi.json", get(move || async move { Json(document.as_ref().clone()) })).with_state(state)
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
    /// Page, from 1.
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
        Ok((page_in_range(params.page), params.per_page.unwrap_or(50)))
    }
}

/// The highest page an API list answers for; beyond it every list is empty anyway, and the offset of a larger
/// one would not fit the database's integers.
const MAX_PAGE: u64 = 1_000_000;

/// The requested page (default 1), brought into 1 to [`MAX_PAGE`].
pub fn page_in_range(page: Option<u64>) -> u64 {
    page.unwrap_or(1).clamp(1, MAX_PAGE)
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
