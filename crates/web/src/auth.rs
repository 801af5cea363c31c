//! Who is calling: browser sessions (cookie) for pages, bearer tokens for the API, and the CSRF guard.
//!
//! Pages accept only the session cookie and the API only bearer tokens, so a browser can never be tricked
//! into an API call with its cookies. Every state-changing form is checked by [`csrf_guard`], a middleware
//! in front of all page routes, so no handler can forget it: a logged-in form must carry the session's
//! token; the login form and the public sign-up a token from a cookie (double submit).

use crate::error::{ApiError, AppError, PageError};
use crate::state::SharedState;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine;
use iim_domain::Actor;
use iim_store::Session;
use rand::RngCore;
use std::net::{IpAddr, SocketAddr};
use subtle::ConstantTimeEq;

/// Largest form body the CSRF guard reads (forms are small; uploads will get their own route).
pub(crate) const MAX_FORM_BYTES: usize = 256 * 1024;

pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-iim_session" } else { "iim_session" }
}

pub fn login_csrf_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-iim_login_csrf" } else { "iim_login_csrf" }
}

/// The double-submit CSRF cookie of the public forms (the mentor sign-up), which have no session either.
pub fn public_csrf_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-iim_public_csrf" } else { "iim_public_csrf" }
}

/// Public forms: anyone may send them, without a session; they carry the token of [`public_csrf_cookie_name`].
const PUBLIC_FORM_PATHS: &[&str] = &["/mentoring/anmeldung"];

/// A cookie with the flags every cookie of ours carries: HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS.
pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value)).http_only(true).same_site(SameSite::Lax).path("/").secure(secure).build()
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The logged-in person of a page request. Without a valid session the request is sent to the login page.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub session: Session,
    pub token: String,
}

impl CurrentUser {
    pub fn actor(&self) -> &Actor {
        &self.session.actor
    }
}

/// Rejection of page requests without a session: a redirect to the login page that comes back afterwards.
pub struct LoginRequired(String);

impl IntoResponse for LoginRequired {
    fn into_response(self) -> Response {
        let target = format!("/login?weiter={}", urlencoding::encode(&self.0));
        Redirect::to(&target).into_response()
    }
}

impl FromRequestParts<SharedState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let back = parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".to_owned());
        let jar = CookieJar::from_headers(&parts.headers);
        let name = session_cookie_name(state.settings.secure_cookies);
        let Some(token) = jar.get(name).map(|c| c.value().to_owned()) else {
            return Err(LoginRequired(back).into_response());
        };
        match state.store.session(&token).await {
            Ok(Some(session)) => Ok(CurrentUser { session, token }),
            Ok(None) => Err(LoginRequired(back).into_response()),
            Err(error) => Err(PageError::from(error).into_response()),
        }
    }
}

/// The caller of an API request, from `Authorization: Bearer <token>`. Anything else is 401.
#[derive(Debug, Clone)]
pub struct ApiCaller(pub Actor);

impl FromRequestParts<SharedState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or(ApiError(AppError::Unauthorized))?;
        match state.store.api_actor(bearer).await? {
            Some(actor) => Ok(ApiCaller(actor)),
            None => Err(ApiError(AppError::Unauthorized)),
        }
    }
}

/// The address of the client, for counting failed logins and sign-ups per address. It is the TCP peer,
/// unless the peer is a configured trusted proxy: then the right-most address of `X-Forwarded-For` that is
/// not itself a trusted proxy (the left part of the header is whatever the client chose to send).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<SharedState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |ConnectInfo(address)| address.ip().to_canonical());
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().filter_map(|value| value.to_str().ok());
        Ok(ClientAddress(client_address(peer, forwarded, &state.settings.trusted_proxies)))
    }
}

/// Walks from the peer leftwards through `X-Forwarded-For` while the hops are trusted proxies.
fn client_address<'a>(
    peer: IpAddr,
    forwarded_headers: impl Iterator<Item = &'a str>,
    trusted: &[ipnet::IpNet],
) -> IpAddr {
    let is_trusted = |address: &IpAddr| trusted.iter().any(|net| net.contains(address));
    let hops: Vec<&str> = forwarded_headers.flat_map(|value| value.split(',')).map(str::trim).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        if !is_trusted(&client) {
            break;
        }
        match hop.parse::<IpAddr>() {
            Ok(address) => client = address.to_canonical(),
            Err(_) => break,
        }
    }
    client
}

#[derive(serde::Deserialize)]
struct CsrfField {
    csrf_token: Option<String>,
}

/// Refuses every state-changing page request whose form does not carry the expected CSRF token.
pub async fn csrf_guard(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    if is_multipart(&request) {
        return pass_multipart(&state, request, next).await;
    }
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return PageError(AppError::BadRequest("Das Formular ist zu gross.".to_owned())).into_response();
    };
    let submitted = serde_html_form::from_bytes::<CsrfField>(&bytes).ok().and_then(|f| f.csrf_token);
    let secure = state.settings.secure_cookies;
    let expected = if parts.uri.path() == "/login" {
        CookieJar::from_headers(&parts.headers).get(login_csrf_cookie_name(secure)).map(|c| c.value().to_owned())
    } else if PUBLIC_FORM_PATHS.contains(&parts.uri.path()) {
        CookieJar::from_headers(&parts.headers).get(public_csrf_cookie_name(secure)).map(|c| c.value().to_owned())
    } else {
        match CurrentUser::from_request_parts(&mut parts, &state).await {
            Ok(user) => {
                let token = user.session.csrf_token.clone();
                parts.extensions.insert(user);
                Some(token)
            }
            Err(redirect_to_login) => return redirect_to_login,
        }
    };
    let matches = match (submitted, expected) {
        (Some(submitted), Some(expected)) => bool::from(submitted.as_bytes().ct_eq(expected.as_bytes())),
        _ => false,
    };
    if !matches {
        tracing::warn!(path = %parts.uri.path(), "form refused: CSRF token missing or wrong");
        return crate::pages::render_error_page(
            axum::http::StatusCode::FORBIDDEN,
            "Formular abgelaufen",
            "Das Formular ist abgelaufen oder stammt nicht von dieser Anwendung. Bitte die Seite neu laden und nochmals senden.",
        );
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// The pages that take multipart uploads; they check the CSRF token themselves ([`multipart_csrf_ok`]),
/// because the guard must not buffer a large upload to find it.
const MULTIPART_PATHS: &[&str] = &["/register-import", "/fallliste-import"];

pub(crate) fn is_multipart(request: &Request) -> bool {
    request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// A multipart form: only on the upload pages, and only for a logged-in user; the body streams on unread.
async fn pass_multipart(state: &SharedState, request: Request, next: Next) -> Response {
    if !MULTIPART_PATHS.contains(&request.uri().path()) {
        return PageError(AppError::BadRequest("Dieses Formular nimmt keine Dateien an.".to_owned())).into_response();
    }
    let (mut parts, body) = request.into_parts();
    match CurrentUser::from_request_parts(&mut parts, state).await {
        Ok(user) => parts.extensions.insert(user),
        Err(redirect_to_login) => return redirect_to_login,
    };
    next.run(Request::from_parts(parts, body)).await
}

/// Whether the CSRF token sent as the first field of a multipart form is the session's.
pub fn multipart_csrf_ok(user: &CurrentUser, submitted: &str) -> bool {
    !submitted.is_empty() && bool::from(submitted.as_bytes().ct_eq(user.session.csrf_token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use std::net::IpAddr;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy_and_only_its_right_most_untrusted_hop() {
        let trusted = ["10.0.0.0/24".parse().unwrap()];
        let spoofed = "6.6.6.6, 203.0.113.7";
        assert_eq!(client_address(ip("198.51.100.1"), [spoofed].into_iter(), &trusted), ip("198.51.100.1"));
        assert_eq!(client_address(ip("10.0.0.2"), [spoofed].into_iter(), &trusted), ip("203.0.113.7"));
        assert_eq!(client_address(ip("10.0.0.2"), ["203.0.113.7, 10.0.0.9"].into_iter(), &trusted), ip("203.0.113.7"));
        assert_eq!(client_address(ip("10.0.0.2"), ["unsinn"].into_iter(), &trusted), ip("10.0.0.2"));
        assert_eq!(client_address(ip("10.0.0.2"), std::iter::empty(), &trusted), ip("10.0.0.2"));
    }
}
