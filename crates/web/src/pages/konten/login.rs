//! Login and logout. The login form is protected against CSRF by a double-submit cookie, since there is
//! no session yet; failed attempts are throttled by the store.

use crate::auth::{ClientAddress, CurrentUser, cookie, login_csrf_cookie_name, random_token, session_cookie_name};
use crate::error::PageError;
use crate::pages::Layout;
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::Form;
use iim_store::LoginError;
use std::collections::HashMap;

#[derive(Template, WebTemplate)]
#[template(path = "konten/login.html")]
struct LoginPage {
    layout: Layout,
    error: Option<String>,
    username: String,
    next: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    weiter: String,
}

/// Only local paths are followed after login, never another site: anything else goes to the start page.
fn safe_next(next: Option<&str>) -> String {
    next.filter(|path| is_local_path(path)).map_or_else(|| "/".to_owned(), str::to_owned)
}

/// A path on this site: one leading `/`, no second `/` after it, no backslash and no control character, both
/// as written and after percent-decoding. Browsers drop tabs and newlines and read `\` as `/`, so
/// `/%09/example.org` would otherwise lead to another site; a newline would not fit in the `Location` header.
fn is_local_path(path: &str) -> bool {
    let Ok(decoded) = urlencoding::decode(path) else {
        return false;
    };
    [path, decoded.as_ref()].into_iter().all(|text| {
        text.starts_with('/') && !text.starts_with("//") && !text.contains('\\') && !text.chars().any(char::is_control)
    })
}

pub async fn form(
    State(state): State<SharedState>,
    jar: CookieJar,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let token = random_token();
    let secure = state.settings.secure_cookies;
    let jar = jar.add(cookie(login_csrf_cookie_name(secure), token.clone(), secure));
    let mut layout = Layout::anonymous("Anmelden").with_notice(query.get("hinweis").map(String::as_str));
    layout.csrf_token = token;
    let page = LoginPage {
        layout,
        error: None,
        username: String::new(),
        next: safe_next(query.get("weiter").map(String::as_str)),
    };
    (jar, page).into_response()
}

pub async fn submit(
    State(state): State<SharedState>,
    ClientAddress(client): ClientAddress,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let secure = state.settings.secure_cookies;
    match state.store.login(&form.username, &form.password, &client.to_string()).await {
        Ok(actor) => {
            let (token, _) = state.store.start_session(&actor).await?;
            let jar = jar.remove(cookie(login_csrf_cookie_name(secure), String::new(), secure)).add(cookie(
                session_cookie_name(secure),
                token,
                secure,
            ));
            Ok((jar, Redirect::to(&safe_next(Some(&form.weiter)))).into_response())
        }
        Err(LoginError::Store(error)) => Err(error.into()),
        Err(refusal) => {
            let status = match refusal {
                LoginError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::UNAUTHORIZED,
            };
            let token = random_token();
            let jar = jar.add(cookie(login_csrf_cookie_name(secure), token.clone(), secure));
            let mut layout = Layout::anonymous("Anmelden");
            layout.csrf_token = token;
            let page = LoginPage {
                layout,
                error: Some(refusal.to_string()),
                username: form.username,
                next: safe_next(Some(&form.weiter)),
            };
            Ok((status, jar, page).into_response())
        }
    }
}

pub async fn logout(
    State(state): State<SharedState>,
    user: CurrentUser,
    jar: CookieJar,
) -> Result<Response, PageError> {
    state.store.end_session(&user.token, user.actor()).await?;
    let secure = state.settings.secure_cookies;
    let jar = jar.remove(cookie(session_cookie_name(secure), String::new(), secure));
    Ok((jar, Redirect::to("/login?hinweis=abgemeldet")).into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/personen?q=a")), "/personen?q=a");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn disguised_paths_to_other_sites_go_to_the_start_page() {
        for next in [
            "/%09/example.org",
            "/\t/example.org",
            "/\\example.org",
            "/%5Cexample.org",
            "/%2F/example.org",
            "/a\nb",
            "/a%0D%0ALocation:%20x",
            "/%00",
            "personen",
            "",
            "/%ff",
        ] {
            assert_eq!(safe_next(Some(next)), "/", "{next:?}");
        }
        assert_eq!(safe_next(Some("/dossiers/7?seite=2")), "/dossiers/7?seite=2");
        assert_eq!(safe_next(Some("/personen?q=M%C3%BCller")), "/personen?q=M%C3%BCller");
    }
}
