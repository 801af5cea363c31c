//! `/api/v1/angebote`: the public search of the Angebotsplattform for other systems, with the same parameters
//! and results as the page `/angebote`. No token needed: offers hold no personal data (ADR 0012).

use super::parse_id;
use crate::error::{ApiError, AppError, Problem};
use crate::pages::angebote::oeffentlich::{SearchParams, run_search};
use crate::state::SharedState;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use chrono::NaiveDate;
use iim_domain::Choice;
use iim_store::Angebot;
use serde::Serialize;
use utoipa::ToSchema;

/// Ein veröffentlichtes Angebot.
#[derive(Debug, Serialize, ToSchema)]
pub struct AngebotDto {
    pub id: i64,
    pub titel: String,
    pub beschreibung: String,
    pub anbieter: String,
    /// `Kategorie` code, e.g. `sprache`.
    pub kategorie: String,
    /// Target group codes, e.g. `erwachsene`.
    pub zielgruppen: Vec<String>,
    /// CEFR level codes (A1 … C2).
    pub niveau_von: Option<String>,
    pub niveau_bis: Option<String>,
    /// Language codes (ISO 639).
    pub sprachen: Vec<String>,
    pub orte: Vec<OrtDto>,
    /// `morgen`, `nachmittag`, `abend`, `wochenende`.
    pub tageszeiten: Vec<String>,
    pub zeitplan: String,
    pub beginn: Option<NaiveDate>,
    pub ende: Option<NaiveDate>,
    /// Price for the participant in Rappen; 0 is free of charge.
    pub preis_rappen: i64,
    pub subventioniert: bool,
    pub kinderbetreuung: bool,
    pub barrierefrei: bool,
    pub anmeldung: String,
    pub anmeldung_link: Option<String>,
    pub gueltig_bis: NaiveDate,
    /// `veroeffentlicht` or `abgelaufen`.
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrtDto {
    pub gemeinde_bfs: u16,
    pub gemeinde: String,
    pub adresse: String,
}

/// Die Anzahl Angebote je Wert einer Facette, für das aktuelle Suchergebnis.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetteDto {
    /// Parameter name: `kategorie`, `region`, `gemeinde`, `sprache`, `niveau`, `zielgruppe`, `kosten`, `tageszeit`.
    pub name: String,
    pub werte: Vec<FacettenWertDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacettenWertDto {
    pub wert: String,
    pub bezeichnung: String,
    pub anzahl: usize,
    pub gewaehlt: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuchergebnisDto {
    pub items: Vec<AngebotDto>,
    pub total: usize,
    pub seite: usize,
    pub seiten: usize,
    /// No offer matched all words; these match some of them.
    pub teilweise: bool,
    pub facetten: Vec<FacetteDto>,
}

impl AngebotDto {
    fn of(id: i64, anbieter: &str, data: &iim_domain::angebot::AngebotData, status: &str) -> Self {
        Self {
            id,
            titel: data.titel.clone(),
            beschreibung: data.beschreibung.clone(),
            anbieter: anbieter.to_owned(),
            kategorie: data.kategorie.code().to_owned(),
            zielgruppen: data.zielgruppen.iter().map(|z| z.code().to_owned()).collect(),
            niveau_von: data.niveau_von.map(|n| n.code().to_owned()),
            niveau_bis: data.niveau_bis.map(|n| n.code().to_owned()),
            sprachen: data.sprachen.clone(),
            orte: data
                .orte
                .iter()
                .map(|o| OrtDto {
                    gemeinde_bfs: o.gemeinde.get(),
                    gemeinde: o.gemeinde.name(),
                    adresse: o.adresse.clone(),
                })
                .collect(),
            tageszeiten: data.tageszeiten.iter().map(|t| t.code().to_owned()).collect(),
            zeitplan: data.zeitplan.clone(),
            beginn: data.beginn,
            ende: data.ende,
            preis_rappen: data.preis_rappen,
            subventioniert: data.subventioniert,
            kinderbetreuung: data.kinderbetreuung,
            barrierefrei: data.barrierefrei,
            anmeldung: data.anmeldung.clone(),
            anmeldung_link: data.anmeldung_link.clone(),
            gueltig_bis: data.gueltig_bis,
            status: status.to_owned(),
        }
    }
}

impl From<&Angebot> for AngebotDto {
    fn from(angebot: &Angebot) -> Self {
        Self::of(angebot.id, &angebot.anbieter, &angebot.data, angebot.status.code())
    }
}

/// Sucht veröffentlichte Angebote (öffentlich, ohne Token). Facetten-Parameter sind wiederholbar
/// (`kategorie=sprache&kategorie=bildung`); innerhalb einer Facette gilt «oder», zwischen Facetten «und».
#[utoipa::path(get, path = "/angebote", tag = "Angebote", security(()), params(
    ("q" = Option<String>, Query, description = "Suchwörter, z. B. «deutschkurs abend olten»"),
    ("kategorie" = Option<Vec<String>>, Query, description = "Kategorie-Code, z. B. sprache"),
    ("region" = Option<Vec<String>>, Query, description = "Name der Sozialregion"),
    ("gemeinde" = Option<Vec<String>>, Query, description = "BFS-Nummer der Gemeinde"),
    ("sprache" = Option<Vec<String>>, Query, description = "Sprachcode (ISO 639)"),
    ("niveau" = Option<Vec<String>>, Query, description = "A1 … C2"),
    ("zielgruppe" = Option<Vec<String>>, Query, description = "Zielgruppen-Code"),
    ("kosten" = Option<Vec<String>>, Query, description = "kostenlos, bis_100, ueber_100, subventioniert"),
    ("tageszeit" = Option<Vec<String>>, Query, description = "morgen, nachmittag, abend, wochenende"),
    ("sort" = Option<String>, Query, description = "relevanz (Standard), preis, beginn, neu"),
    ("seite" = Option<usize>, Query, description = "Seite, ab 1; 20 Angebote je Seite"),
), responses(
    (status = 200, body = SuchergebnisDto),
    (status = 400, body = Problem, description = "Abfrage nicht lesbar (ungültiges UTF-8 oder Steuerzeichen)")
))]
pub async fn search(
    State(state): State<SharedState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SuchergebnisDto>, ApiError> {
    let params = SearchParams::parse(raw.as_deref());
    let result = run_search(&state, &params).map_err(|e| ApiError(e.0))?;
    Ok(Json(SuchergebnisDto {
        items: result
            .hits
            .iter()
            .map(|hit| AngebotDto::of(hit.id, &hit.anbieter, &hit.data, "veroeffentlicht"))
            .collect(),
        total: result.total,
        seite: result.page,
        seiten: result.pages,
        teilweise: result.relaxed,
        facetten: result
            .facets
            .into_iter()
            .map(|group| FacetteDto {
                name: group.facet.code().to_owned(),
                werte: group
                    .values
                    .into_iter()
                    .map(|v| FacettenWertDto {
                        wert: v.value,
                        bezeichnung: v.label,
                        anzahl: v.count,
                        gewaehlt: v.selected,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// Ein veröffentlichtes (oder inzwischen abgelaufenes) Angebot; Entwürfe gibt es hier nicht.
#[utoipa::path(get, path = "/angebote/{id}", tag = "Angebote", security(()), params(("id" = i64, Path)), responses(
    (status = 200, body = AngebotDto), (status = 404, body = Problem)
))]
pub async fn get_one(State(state): State<SharedState>, Path(id): Path<String>) -> Result<Json<AngebotDto>, ApiError> {
    let angebot = state.store.public_offer(parse_id(&id)?).await.map_err(|e| ApiError(AppError::from(e)))?;
    Ok(Json(AngebotDto::from(&angebot)))
}
