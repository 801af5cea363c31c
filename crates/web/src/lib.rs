//! The HTTP face of IIM Cockpit: server-rendered HTML pages for people, a JSON API for systems, and the
//! operations endpoints. Handlers are thin: they parse input, call the guarded [`iim_store::Store`] API with
//! the caller's [`iim_domain::Actor`], and render. They never decide access and never touch SQL.
//!
//! [`Application::build`] binds the listener itself (port 0 in tests) and is shared by `iim serve`,
//! `iim demo`, the benchmark and every test, so all of them run the same stack.

mod api;
mod auth;
mod error;
mod form_tokens;
mod input_guard;
mod ops;
mod pages;
pub mod search_hook;
mod state;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::response::Response;
use iim_store::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use api::openapi_document;
pub use ipnet::IpNet;
pub use state::AppState;

/// Settings of the web layer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Settings {
    /// Address to listen on, e.g. `127.0.0.1:8080`; port 0 picks a free port.
    pub listen: String,
    /// Send cookies only over HTTPS (`Secure`, `__Host-` prefix). Turn off only for plain-HTTP local use.
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (addresses or networks); from any other peer
    /// the header is ignored, so a client cannot choose the address its failed logins are counted under.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Default for Settings {
    fn default() -> Self {
        Self { listen: "127.0.0.1:8080".to_owned(), secure_cookies: false, trusted_proxies: Vec::new() }
    }
}

/// Reads a list of trusted proxies, separated by commas or spaces: addresses (`10.0.0.5`) or networks
/// (`10.0.0.0/24`).
pub fn parse_trusted_proxies(text: &str) -> Result<Vec<ipnet::IpNet>, String> {
    text.split([',', ' '])
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("«{item}» ist keine IP-Adresse und kein Netz"))
        })
        .collect()
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    store: Store,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

impl Application {
    /// Binds the listener, builds the search index of published offers and assembles routes and middleware.
    pub async fn build(settings: Settings, store: Store) -> std::io::Result<Self> {
        let listener = TcpListener::bind(&settings.listen).await?;
        let search = search_hook::build_index(&store).await.map_err(std::io::Error::other)?;
        let state = AppState::new(store.clone(), settings, search);
        Ok(Self { listener, router: router(state), store })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, lets running requests finish, then flushes the access log.
    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service).with_graceful_shutdown(shutdown).await?;
        self.store.close().await;
        Ok(())
    }
}

/// Unknown paths: a problem document under `/api/`, an HTML page elsewhere.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") { api::not_found().await.into_response() } else { pages::not_found().await }
}

/// How long an upload of register deliveries (sending and importing) may take; other requests: 30 s.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Browser features no page of ours uses; switched off so that injected content could not use them either.
const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), \
    bluetooth=(), hid=(), midi=(), accelerometer=(), gyroscope=(), magnetometer=(), display-capture=(), \
    fullscreen=(self)";

/// HSTS, sent only when cookies are secure: that setting says the site is served over HTTPS (`serve`), and
/// over plain HTTP (`demo`) the header would be wrong.
fn strict_transport_security(settings: &Settings) -> Option<HeaderValue> {
    settings.secure_cookies.then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains"))
}

fn router(state: AppState) -> Router {
    let hsts = strict_transport_security(&state.settings);
    let state = Arc::new(state);
    let limited = Router::new()
        .merge(pages::router(state.clone()))
        .merge(api::router(state.clone()))
        .merge(ops::router(state.clone()))
        .fallback(not_found)
        .layer(RequestBodyLimitLayer::new(2 * 1024 * 1024))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)));
    let uploads = pages::upload_router(state)
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, UPLOAD_TIMEOUT));
    Router::new()
        .merge(uploads)
        .merge(limited)
        .layer(axum::middleware::from_fn(input_guard::refuse_unreadable_input))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(PERMISSIONS_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::STRICT_TRANSPORT_SECURITY, move |_: &Response| hsts.clone()))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}
