//! One error type for the web layer, with one mapping to HTTP status codes, rendered two ways: as a German
//! HTML page for people ([`PageError`]) and as an RFC 9457 problem document for systems ([`ApiError`]).
//! Internal causes are logged with their chain and never shown.

use crate::pages::render_error_page;
use axum::Json;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use iim_domain::FieldErrors;
use iim_store::StoreError;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: the record does not exist or is outside the caller's scope.
    #[error("Nicht gefunden. Der Datensatz existiert nicht, oder Sie haben keinen Zugriff darauf.")]
    NotFound,
    /// 403: the caller's role does not allow the action. Where the roles cannot read this kind of record
    /// at all (`may_read` false), a route that names a record answers 404 instead ([`hide_unreadable_records`]).
    #[error("Ihre Rolle erlaubt diese Aktion nicht.")]
    Forbidden { may_read: bool },
    /// 401: no valid login or token.
    #[error("Bitte anmelden.")]
    Unauthorized,
    /// 400: the request itself is malformed (not the field values).
    #[error("{0}")]
    BadRequest(String),
    /// 422: field values are invalid; one message per field.
    #[error("Bitte die markierten Angaben prüfen.")]
    Invalid(FieldErrors),
    /// 409: the record changed since the caller read it.
    #[error("Der Datensatz wurde inzwischen von jemand anderem geändert.")]
    Conflict { current_version: i32 },
    /// 503: the access log cannot be written, so no personal data is shown (fail closed).
    #[error(
        "Das Zugriffsprotokoll kann gerade nicht geschrieben werden; aus Datenschutzgründen werden keine Personendaten angezeigt. Bitte versuchen Sie es in einigen Minuten erneut."
    )]
    AuditUnavailable,
    /// 500: a fault on our side; details go to the log only.
    #[error("Ein interner Fehler ist aufgetreten. Bitte später nochmals versuchen.")]
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::AuditUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn log_if_internal(&self) {
        if let AppError::Internal(cause) = self {
            tracing::error!(%cause, "request failed");
        }
    }
}

impl From<iim_domain::Denied> for AppError {
    fn from(denied: iim_domain::Denied) -> Self {
        AppError::Forbidden { may_read: denied.may_read }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Denied(denied) => AppError::Forbidden { may_read: denied.may_read },
            StoreError::Invalid(errors) => AppError::Invalid(errors),
            StoreError::Stale(current) => AppError::Conflict { current_version: current.version },
            StoreError::AuditUnavailable => AppError::AuditUnavailable,
            StoreError::Changed { current_version } => AppError::Conflict { current_version },
            other => AppError::Internal(format!("{other:?}")),
        }
    }
}

/// An error answered with an HTML page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(error: E) -> Self {
        PageError(error.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.log_if_internal();
        let title = match self.0.status() {
            StatusCode::NOT_FOUND => "Nicht gefunden",
            StatusCode::FORBIDDEN => "Kein Zugriff",
            StatusCode::INTERNAL_SERVER_ERROR => "Fehler",
            StatusCode::SERVICE_UNAVAILABLE => "Zugriffsprotokoll nicht verfügbar",
            _ => "Anfrage nicht möglich",
        };
        self.0.marked(render_error_page(self.0.status(), title, &self.0.to_string()))
    }
}

/// Marks a 403 whose caller cannot read this kind of record at all.
#[derive(Debug, Clone, Copy)]
struct UnreadableKind;

impl AppError {
    /// The response, marked where [`hide_unreadable_records`] must turn it into "not found".
    fn marked(&self, mut response: Response) -> Response {
        if matches!(self, AppError::Forbidden { may_read: false }) {
            response.extensions_mut().insert(UnreadableKind);
        }
        response
    }
}

/// On a route that names a record, a refusal to a caller whose roles cannot read this kind of record at
/// all answers as if the record did not exist: 404, not 403, so that no record number reveals whether it
/// exists. (A record of the right kind outside the caller's scope is already "not found" in the store.)
/// The store has logged the refusal.
pub async fn hide_unreadable_records(request: Request, next: Next) -> Response {
    let names_record = request.extensions().get::<MatchedPath>().is_some_and(|path| path.as_str().contains('{'));
    let from_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !names_record || response.extensions().get::<UnreadableKind>().is_none() {
        return response;
    }
    if from_api { ApiError(AppError::NotFound).into_response() } else { PageError(AppError::NotFound).into_response() }
}

/// An error answered with `application/problem+json`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(error: E) -> Self {
        ApiError(error.into())
    }
}

/// RFC 9457 problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Problem kind, e.g. `validation`, `not-found`, `conflict`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// Field name → message, for validation problems.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, String>,
    /// Current version of the record, for conflicts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i32>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log_if_internal();
        let status = self.0.status();
        let kind = match &self.0 {
            AppError::NotFound => "not-found",
            AppError::Forbidden { .. } => "forbidden",
            AppError::Unauthorized => "unauthorized",
            AppError::BadRequest(_) => "bad-request",
            AppError::Invalid(_) => "validation",
            AppError::Conflict { .. } => "conflict",
            AppError::AuditUnavailable => "audit-unavailable",
            AppError::Internal(_) => "internal",
        };
        let errors = match &self.0 {
            AppError::Invalid(errors) => errors.iter().map(|(f, m)| (f.to_owned(), m.to_owned())).collect(),
            _ => BTreeMap::new(),
        };
        let current_version = match &self.0 {
            AppError::Conflict { current_version } => Some(*current_version),
            _ => None,
        };
        let problem = Problem {
            kind: kind.to_owned(),
            title: self.0.to_string(),
            status: status.as_u16(),
            errors,
            current_version,
        };
        let mut response = (status, Json(problem)).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        self.0.marked(response)
    }
}

/// A panic in a handler becomes a plain 500 without any detail; the panic itself is logged.
pub fn panic_response(cause: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = cause
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| cause.downcast_ref::<&str>().copied())
        .unwrap_or("unknown");
    tracing::error!(panic = message, "handler panicked");
    PageError(AppError::Internal("panic".to_owned())).into_response()
}
