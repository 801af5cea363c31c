//! One-time form tokens at the door (issue 10, ADR 0023): a form sent twice (Back, then Speichern, a double
//! click, the same page open in two tabs) saves once. Every form of a logged-in user carries a fresh token
//! (`Layout::form_token`); this middleware claims it before the handler runs, so no handler has to remember to.
//!
//! After the handler: a redirect (the form was saved) is remembered as the page a second send is led to; a
//! refusal (4xx: the form comes back with its messages, or a conflict) gives the token back, so the corrected form
//! can be sent; a server error keeps the claim, because the save may have been stored before the error. A form
//! without token (API clients, scripts, public forms) passes unclaimed.

use crate::auth::{CurrentUser, MAX_FORM_BYTES, is_multipart};
use crate::error::{AppError, PageError};
use crate::pages::render_error_page;
use crate::state::SharedState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use iim_domain::regeln::FormularRegel;
use iim_store::StoreError;

#[derive(serde::Deserialize)]
struct TokenField {
    form_token: Option<String>,
}

/// Claims the form's token before the handler runs, and remembers or gives it back after.
pub async fn form_token_guard(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST || is_multipart(&request) {
        return next.run(request).await;
    }
    let Some(user) = request.extensions().get::<CurrentUser>().cloned() else {
        return next.run(request).await;
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return PageError(AppError::BadRequest("Das Formular ist zu gross.".to_owned())).into_response();
    };
    let token = serde_html_form::from_bytes::<TokenField>(&bytes).ok().and_then(|field| field.form_token);
    let Some(token) = token.filter(|token| !token.is_empty()) else {
        return next.run(Request::from_parts(parts, Body::from(bytes))).await;
    };
    match state.store.claim_form_token(user.actor(), &token).await {
        Ok(()) => {}
        Err(StoreError::AlreadySaved { record }) => return already_sent(&record, &parts.headers),
        Err(StoreError::Invalid(_)) => {
            let message = FormularRegel::Abgelaufen.to_string();
            return render_error_page(StatusCode::UNPROCESSABLE_ENTITY, "Formular abgelaufen", &message);
        }
        Err(other) => return PageError::from(other).into_response(),
    }
    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    let location = response.headers().get(header::LOCATION).and_then(|value| value.to_str().ok()).map(str::to_owned);
    remember(&state, &user, &token, response.status(), location).await;
    response
}

/// Keeps the claim with the page the send led to (`location` of a redirect), or gives it back after a refusal.
async fn remember(state: &SharedState, user: &CurrentUser, token: &str, status: StatusCode, location: Option<String>) {
    let outcome = if status.is_redirection() {
        match location {
            Some(location) => state.store.name_form_record(user.actor(), token, &location).await,
            None => Ok(()),
        }
    } else if status.is_client_error() {
        state.store.release_form_token(user.actor(), token).await
    } else {
        Ok(())
    };
    if let Err(error) = outcome {
        tracing::warn!(%error, "form token: the outcome of a send could not be remembered");
    }
}

/// A second send of a saved form: to the page the first one led to, or, while that is not known, back to the
/// page the form was on, with a notice either way.
fn already_sent(record: &str, headers: &HeaderMap) -> Response {
    if local_path(record) {
        return Redirect::to(&with_notice(record, "bereits_gespeichert")).into_response();
    }
    let referer = headers
        .get(header::REFERER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<axum::http::Uri>().ok())
        .map(|uri| uri.path().to_owned())
        .filter(|path| local_path(path))
        .unwrap_or_else(|| "/".to_owned());
    (StatusCode::SEE_OTHER, [(header::LOCATION, with_notice(&referer, "bereits_gesendet"))]).into_response()
}

/// A path of this application: one leading slash, never `//host` or a scheme.
fn local_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.contains('\\')
}

/// `location` with its notice replaced by `notice`; other query parts and the fragment stay.
fn with_notice(location: &str, notice: &str) -> String {
    let (rest, fragment) = location.split_once('#').map_or((location, None), |(rest, f)| (rest, Some(f)));
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut parts: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !p.starts_with("hinweis=")).collect();
    let hinweis = format!("hinweis={notice}");
    parts.push(&hinweis);
    let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
    format!("{path}?{}{fragment}", parts.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_replaces_the_first_sends_notice_and_keeps_the_rest() {
        assert_eq!(with_notice("/dossiers/7?hinweis=ziel#hilfsplan", "x"), "/dossiers/7?hinweis=x#hilfsplan");
        assert_eq!(with_notice("/personen?seite=2", "x"), "/personen?seite=2&hinweis=x");
        assert_eq!(with_notice("/", "x"), "/?hinweis=x");
    }

    #[test]
    fn only_paths_of_this_application_are_followed() {
        assert!(local_path("/dossiers/7"));
        for foreign in ["", "//evil.example/x", "https://evil.example/", "/\\evil.example"] {
            assert!(!local_path(foreign), "{foreign:?}");
        }
    }

    #[test]
    fn without_a_known_page_the_second_send_goes_back_to_the_form() {
        let mut headers = HeaderMap::new();
        headers.insert(header::REFERER, "http://localhost:8080/dossiers/3/kurzassessment?x=1".parse().unwrap());
        let response = already_sent("", &headers);
        let location = response.headers().get(header::LOCATION).unwrap().to_str().unwrap();
        assert_eq!(location, "/dossiers/3/kurzassessment?hinweis=bereits_gesendet");
        let response = already_sent("", &HeaderMap::new());
        assert_eq!(response.headers().get(header::LOCATION).unwrap(), "/?hinweis=bereits_gesendet");
    }
}
