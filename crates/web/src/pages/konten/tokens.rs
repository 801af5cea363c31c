//! "Meine API-Tokens": every user creates and revokes personal tokens for the JSON API. The secret is
//! shown once, on the answer to the form (not behind a redirect), and stored only as a digest.

use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::pages::Layout;
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::Duration;
use iim_domain::clock::format_swiss;
use iim_store::{ApiTokenInfo, StoreError};
use std::collections::HashMap;

pub struct TokenRow {
    id: i64,
    name: String,
    username: String,
    created: String,
    last_used: String,
    status: String,
    active: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "konten/tokens.html")]
pub struct TokensPage {
    layout: Layout,
    tokens: Vec<TokenRow>,
    new_secret: Option<String>,
    name: String,
    name_error: Option<String>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NewTokenForm {
    name: String,
    tage: String,
}

async fn page(
    state: &SharedState,
    user: &CurrentUser,
    notice: Option<&str>,
    new_secret: Option<String>,
    name: String,
    name_error: Option<String>,
) -> Result<TokensPage, PageError> {
    let now = state.store.clock().now();
    let tokens = state.store.own_api_tokens(user.actor()).await?.into_iter().map(|t| row(t, now)).collect();
    Ok(TokensPage {
        layout: Layout::for_user(user, "Meine API-Tokens", "tokens").with_notice(notice),
        tokens,
        new_secret,
        name,
        name_error,
    })
}

fn row(token: ApiTokenInfo, now: chrono::DateTime<chrono::Utc>) -> TokenRow {
    let (status, active) = match (token.revoked_at, token.expires_at) {
        (Some(at), _) => (format!("widerrufen am {}", format_swiss(at)), false),
        (None, Some(until)) if until <= now => (format!("abgelaufen am {}", format_swiss(until)), false),
        (None, Some(until)) => (format!("gültig bis {}", format_swiss(until)), true),
        (None, None) => ("unbefristet gültig".to_owned(), true),
    };
    TokenRow {
        id: token.id,
        name: token.name,
        username: token.username,
        created: format_swiss(token.created_at),
        last_used: token.last_used_at.map_or_else(|| "nie".to_owned(), format_swiss),
        status,
        active,
    }
}

pub async fn list(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<TokensPage, PageError> {
    page(&state, &user, params.get("hinweis").map(String::as_str), None, String::new(), None).await
}

pub async fn create(
    State(state): State<SharedState>,
    user: CurrentUser,
    Form(form): Form<NewTokenForm>,
) -> Result<Response, PageError> {
    let days = match form.tage.trim() {
        "30" => 30,
        "90" => 90,
        _ => 365,
    };
    match state.store.create_own_api_token(user.actor(), &form.name, Some(Duration::days(days))).await {
        Ok((_, secret)) => Ok(page(&state, &user, None, Some(secret), String::new(), None).await?.into_response()),
        Err(StoreError::Invalid(errors)) => {
            let message = errors.get("name").map(str::to_owned);
            let page = page(&state, &user, None, None, form.name, message).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn revoke(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Redirect, PageError> {
    let id: i64 = id.parse().map_err(|_| PageError(crate::error::AppError::NotFound))?;
    state.store.revoke_own_api_token(user.actor(), id).await?;
    Ok(Redirect::to("/konto/api-tokens?hinweis=widerrufen"))
}
