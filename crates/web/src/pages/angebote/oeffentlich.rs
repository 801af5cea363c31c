//! The public face of the Angebotsplattform: search, offer detail and the open-data export, without login
//! (ADR 0012). Offers hold no personal data of clients, so these pages need no session, set none and write no
//! access-log entry. The search form works with GET only, so every result has a shareable address.

use crate::error::PageError;
use crate::pages::export::{csv_download, download};
use crate::pages::{Layout, Pagination, parse_id};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use iim_domain::Choice;
use iim_domain::angebot::{AngebotData, AngebotStatus, format_price};
use iim_domain::catalog;
use iim_search::{Facet, FacetGroup, SearchQuery, SearchResult, Sort};
use iim_store::Angebot;

/// Results per page.
pub const PER_PAGE: usize = 20;

/// The search as given in the URL: `q`, one parameter per facet (repeatable), `sort`, `seite`.
#[derive(Debug, Clone, Default)]
pub struct SearchParams {
    pub q: String,
    pub filters: Vec<(Facet, String)>,
    pub sort: Sort,
    pub page: usize,
}

impl SearchParams {
    /// Reads the query string; unknown parameters and facets are ignored.
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs: Vec<(String, String)> = serde_html_form::from_str(raw.unwrap_or_default()).unwrap_or_default();
        let mut params = SearchParams { page: 1, ..Default::default() };
        for (key, value) in pairs {
            let value = value.trim().to_owned();
            match key.as_str() {
                "q" => params.q = value.chars().take(200).collect(),
                "sort" => params.sort = Sort::from_code(&value),
                "seite" => params.page = usize::try_from(crate::pages::page_number(Some(&value))).unwrap_or(usize::MAX),
                facet => {
                    if let Some(facet) = Facet::from_code(facet).filter(|_| !value.is_empty()) {
                        params.filters.push((facet, value));
                    }
                }
            }
        }
        params
    }

    pub fn query(&self, today: chrono::NaiveDate) -> SearchQuery {
        SearchQuery {
            text: self.q.clone(),
            filters: self.filters.clone(),
            sort: self.sort,
            page: self.page,
            per_page: PER_PAGE,
            today,
        }
    }

    /// The parameters that make up this search, without the page (for page links).
    fn pairs(&self) -> Vec<(&str, &str)> {
        let mut pairs = vec![("q", self.q.as_str())];
        pairs.extend(self.filters.iter().map(|(facet, value)| (facet.code(), value.as_str())));
        if self.sort != Sort::Relevanz {
            pairs.push(("sort", self.sort.code()));
        }
        pairs
    }
}

/// An offer as the public pages show it.
pub struct OfferView {
    pub id: i64,
    pub titel: String,
    pub beschreibung: String,
    pub anbieter: String,
    pub kategorie: &'static str,
    pub orte: Vec<String>,
    pub niveau: String,
    pub zielgruppen: String,
    pub tageszeiten: String,
    pub zeitplan: String,
    pub daten: String,
    pub preis: String,
    pub subventioniert: bool,
    pub sprachen: String,
    pub kinderbetreuung: bool,
    pub barrierefrei: bool,
    pub anmeldung: String,
    pub anmeldung_link: Option<String>,
    pub gueltig_bis: String,
    pub abgelaufen: bool,
}

impl OfferView {
    pub fn new(id: i64, anbieter: &str, data: &AngebotData, abgelaufen: bool) -> Self {
        Self {
            id,
            titel: data.titel.clone(),
            beschreibung: data.beschreibung.clone(),
            anbieter: anbieter.to_owned(),
            kategorie: data.kategorie.label(),
            orte: data
                .orte
                .iter()
                .map(|ort| {
                    if ort.adresse.is_empty() {
                        ort.gemeinde.name()
                    } else {
                        format!("{}, {}", ort.gemeinde.name(), ort.adresse)
                    }
                })
                .collect(),
            niveau: level(data),
            zielgruppen: data.zielgruppen.iter().map(|z| z.label()).collect::<Vec<_>>().join(", "),
            tageszeiten: data.tageszeiten.iter().map(|t| t.label()).collect::<Vec<_>>().join(", "),
            zeitplan: data.zeitplan.clone(),
            daten: dates(data),
            preis: format_price(data.preis_rappen),
            subventioniert: data.subventioniert,
            sprachen: languages(&data.sprachen),
            kinderbetreuung: data.kinderbetreuung,
            barrierefrei: data.barrierefrei,
            anmeldung: data.anmeldung.clone(),
            anmeldung_link: data.anmeldung_link.clone(),
            gueltig_bis: data.gueltig_bis.format("%d.%m.%Y").to_string(),
            abgelaufen,
        }
    }
}

fn level(data: &AngebotData) -> String {
    match (data.niveau_von, data.niveau_bis) {
        (Some(von), Some(bis)) if von != bis => format!("{}–{}", von.code(), bis.code()),
        (Some(one), _) | (None, Some(one)) => one.code().to_owned(),
        (None, None) => String::new(),
    }
}

fn dates(data: &AngebotData) -> String {
    let day = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    match (data.beginn, data.ende) {
        (Some(beginn), Some(ende)) => format!("{} bis {}", day(beginn), day(ende)),
        (Some(beginn), None) => format!("ab {}", day(beginn)),
        (None, Some(ende)) => format!("bis {}", day(ende)),
        (None, None) => String::new(),
    }
}

fn languages(codes: &[String]) -> String {
    codes.iter().map(|code| catalog::language_name(code).unwrap_or(code)).collect::<Vec<_>>().join(", ")
}

/// A facet in the filter column: short lists and lists with a chosen value start open.
struct FacetView {
    group: FacetGroup,
    open: bool,
}

impl FacetView {
    fn new(group: FacetGroup) -> Self {
        let open = group.values.len() <= 8 || group.values.iter().any(|v| v.selected);
        Self { group, open }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "angebote/oeffentlich/suche.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    sort: Sort,
    sorts: [Sort; 4],
    total: usize,
    relaxed: bool,
    hits: Vec<OfferView>,
    facets: Vec<FacetView>,
    pagination: Pagination,
    searched: bool,
}

/// Runs a search in the index.
pub fn run_search(state: &SharedState, params: &SearchParams) -> Result<SearchResult, PageError> {
    let today = state.store.clock().today();
    state.search.search(&params.query(today)).map_err(|e| PageError(crate::error::AppError::Internal(e.to_string())))
}

pub async fn search(State(state): State<SharedState>, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    let params = SearchParams::parse(raw.as_deref());
    let result = run_search(&state, &params)?;
    let title = if params.q.is_empty() { "Angebote".to_owned() } else { format!("Angebote zu «{}»", params.q) };
    let page = SearchPage {
        layout: public_layout(title),
        q: params.q.clone(),
        sort: params.sort,
        sorts: Sort::ALL,
        total: result.total,
        relaxed: result.relaxed,
        hits: result.hits.iter().map(|hit| OfferView::new(hit.id, &hit.anbieter, &hit.data, false)).collect(),
        facets: result.facets.into_iter().filter(|group| !group.values.is_empty()).map(FacetView::new).collect(),
        pagination: Pagination::new(
            "/angebote",
            &params.pairs(),
            u64::try_from(params.page).unwrap_or(u64::MAX),
            result.pages as u64,
        ),
        searched: !params.q.is_empty() || !params.filters.is_empty(),
    };
    Ok(page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "angebote/oeffentlich/detail.html")]
struct DetailPage {
    layout: Layout,
    offer: OfferView,
}

/// One published or expired offer; anything else is not found.
pub async fn show(State(state): State<SharedState>, Path(id): Path<String>) -> Result<Response, PageError> {
    let angebot = state.store.public_offer(parse_id(&id)?).await?;
    let offer = view(&angebot);
    Ok(DetailPage { layout: public_layout(offer.titel.clone()), offer }.into_response())
}

/// The frame of the public pages: no logged-in header, the «Angebote» link marked current.
fn public_layout(title: String) -> Layout {
    Layout { section: "angebote", ..Layout::anonymous(title) }
}

pub fn view(angebot: &Angebot) -> OfferView {
    OfferView::new(angebot.id, &angebot.anbieter, &angebot.data, angebot.status == AngebotStatus::Abgelaufen)
}

const EXPORT_HEADER: [&str; 20] = [
    "ID",
    "Titel",
    "Anbieter",
    "Kategorie",
    "Beschreibung",
    "Zielgruppen",
    "Niveau",
    "Sprachen",
    "Gemeinden (BFS)",
    "Orte",
    "Tageszeiten",
    "Zeitplan",
    "Beginn",
    "Ende",
    "Preis (Fr.)",
    "Subventioniert",
    "Kinderbetreuung",
    "Barrierefrei",
    "Anmeldung",
    "Gültig bis",
];

/// Every published, valid offer as CSV (open data).
pub async fn export_csv(State(state): State<SharedState>) -> Result<Response, PageError> {
    let offers = state.store.published_offers().await?;
    let yes_no = |flag: bool| if flag { "ja" } else { "nein" }.to_owned();
    let records = offers.iter().map(|angebot| {
        let data = &angebot.data;
        let anmeldung = match &data.anmeldung_link {
            Some(link) => format!("{} {link}", data.anmeldung),
            None => data.anmeldung.clone(),
        };
        vec![
            angebot.id.to_string(),
            data.titel.clone(),
            angebot.anbieter.clone(),
            data.kategorie.label().to_owned(),
            data.beschreibung.clone(),
            data.zielgruppen.iter().map(|z| z.label()).collect::<Vec<_>>().join(", "),
            level(data),
            languages(&data.sprachen),
            data.orte.iter().map(|o| o.gemeinde.to_string()).collect::<Vec<_>>().join(", "),
            data.orte.iter().map(|o| format!("{} {}", o.gemeinde.name(), o.adresse)).collect::<Vec<_>>().join(" | "),
            data.tageszeiten.iter().map(|t| t.label()).collect::<Vec<_>>().join(", "),
            data.zeitplan.clone(),
            data.beginn.map(|d| d.to_string()).unwrap_or_default(),
            data.ende.map(|d| d.to_string()).unwrap_or_default(),
            format!("{}.{:02}", data.preis_rappen / 100, data.preis_rappen % 100),
            yes_no(data.subventioniert),
            yes_no(data.kinderbetreuung),
            yes_no(data.barrierefrei),
            anmeldung,
            data.gueltig_bis.to_string(),
        ]
    });
    public_file(csv_download(&EXPORT_HEADER, records, "angebote.csv")?)
}

/// Every published, valid offer as JSON (open data), in the form of the public API.
pub async fn export_json(State(state): State<SharedState>) -> Result<Response, PageError> {
    let offers = state.store.published_offers().await?;
    let body: Vec<crate::api::angebote::AngebotDto> =
        offers.iter().map(crate::api::angebote::AngebotDto::from).collect();
    let bytes = serde_json::to_vec_pretty(&body)
        .map_err(|e| PageError(crate::error::AppError::Internal(format!("JSON: {e}"))))?;
    public_file(download(bytes, "application/json", "angebote.json")?)
}

/// Open data may be cached for a while, unlike the exports of personal data.
fn public_file(mut response: Response) -> Result<Response, PageError> {
    response
        .headers_mut()
        .insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("public, max-age=300"));
    Ok(response)
}
