//! `/api/v1/dossiers`: the Durchgehende Fallführung for systems, with the same rules as the pages.

use super::{ApiJson, PageParams, parse_id};
use crate::auth::ApiCaller;
use crate::error::{ApiError, AppError, Problem};
use crate::state::SharedState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use iim_domain::dossier::{Kurzassessment, KurzassessmentInput, StandortbestimmungInput, ZielInput, parse_abschluss};
use iim_domain::person::Choice;
use iim_store::{Dossier, DossierSummary};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Ein Dossier mit Kurzassessment, Hilfsplan und Verlauf (neueste Einträge zuerst).
#[derive(Debug, Serialize, ToSchema)]
pub struct DossierDto {
    pub id: i64,
    pub person_id: i64,
    pub person: String,
    /// `eroeffnet`, `in_abklaerung`, `hilfsplan_aktiv` or `abgeschlossen`.
    pub status: String,
    pub stelle: String,
    pub fallfuehrung: String,
    pub eroeffnet_am: DateTime<Utc>,
    /// Target groups that apply, as German labels.
    pub zielgruppen: Vec<String>,
    pub naechste_standortbestimmung: Option<NaiveDate>,
    pub kurzassessment: Option<KurzassessmentDto>,
    /// Die Ziele des Hilfsplans, in der Reihenfolge ihrer Erfassung.
    pub hilfsplan: Vec<HilfsplanZielDto>,
    pub verlauf: Vec<TimelineDto>,
}

/// Ein Ziel des Hilfsplans mit seiner letzten Bewertung.
#[derive(Debug, Serialize, ToSchema)]
pub struct HilfsplanZielDto {
    /// Nummer des Ziels, für die Bewertung in der Standortbestimmung.
    pub id: i64,
    /// `sprachfoerderung`, `arbeitsintegration`, `bildungsintegration` oder `soziale_integration`.
    pub handlungsfeld: String,
    pub ziel: String,
    pub kriterium: String,
    pub faellig_am: NaiveDate,
    /// `erreicht`, `teilweise`, `nicht_erreicht` oder `angepasst`; fehlt vor der ersten Bewertung.
    pub letzte_bewertung: Option<String>,
    pub bewertet_am: Option<NaiveDate>,
    /// Offen, bis eine Standortbestimmung es als erreicht bewertet.
    pub offen: bool,
}

/// Das standardisierte Kurzassessment (Formularversion 1); die Antworten sind die Codes des Formulars.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KurzassessmentDto {
    /// `TT.MM.JJJJ` or `JJJJ-MM-TT`.
    pub datum: String,
    /// `arbeitsmarktlich` or `sozial`.
    pub richtung: String,
    /// `ja` or `nein`.
    pub sprachfoerderbedarf: String,
    pub schuljahre: u8,
    /// `alphabetisiert`, `teilweise` or `nicht_alphabetisiert`.
    pub literalitaet: String,
    /// `keine`, `ausland` or `schweiz`.
    pub arbeitserfahrung: String,
    /// `hoch`, `mittel`, `gering` or `unklar`.
    pub potenzial: String,
    /// `ja` or `nein`.
    pub dolmetschende: String,
    #[serde(default)]
    pub bemerkungen: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineDto {
    pub zeit: DateTime<Utc>,
    /// Event code, e.g. `eroeffnet`, `kurzassessment`.
    pub ereignis: String,
    pub von: String,
    pub einzelheiten: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DossierSummaryDto {
    pub id: i64,
    pub person: String,
    pub status: String,
    pub fallfuehrung: String,
    pub naechste_standortbestimmung: Option<NaiveDate>,
    pub ueberfaellig: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DossierListDto {
    pub items: Vec<DossierSummaryDto>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

/// Eröffnung eines Dossiers: was nur die Fallführung weiss.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenDossierDto {
    #[serde(default)]
    pub sozialhilfe: bool,
    #[serde(default)]
    pub gesundheitliche_einschraenkung: bool,
}

fn status_code(status: iim_domain::dossier::DossierStatus) -> String {
    use iim_domain::dossier::DossierStatus::*;
    match status {
        Eroeffnet => "eroeffnet",
        InAbklaerung => "in_abklaerung",
        HilfsplanAktiv => "hilfsplan_aktiv",
        Abgeschlossen => "abgeschlossen",
    }
    .to_owned()
}

fn yes_no(value: bool) -> String {
    if value { "ja" } else { "nein" }.to_owned()
}

impl KurzassessmentDto {
    fn of(assessment: &Kurzassessment) -> Self {
        Self {
            datum: assessment.datum.format("%Y-%m-%d").to_string(),
            richtung: assessment.richtung.code().to_owned(),
            sprachfoerderbedarf: yes_no(assessment.sprachfoerderbedarf),
            schuljahre: assessment.schuljahre,
            literalitaet: assessment.literalitaet.code().to_owned(),
            arbeitserfahrung: assessment.arbeitserfahrung.code().to_owned(),
            potenzial: assessment.potenzial.code().to_owned(),
            dolmetschende: yes_no(assessment.dolmetschende),
            bemerkungen: assessment.bemerkungen.clone(),
        }
    }

    fn input(self) -> KurzassessmentInput {
        KurzassessmentInput {
            datum: self.datum,
            richtung: self.richtung,
            sprachfoerderbedarf: self.sprachfoerderbedarf,
            schuljahre: self.schuljahre.to_string(),
            literalitaet: self.literalitaet,
            arbeitserfahrung: self.arbeitserfahrung,
            potenzial: self.potenzial,
            dolmetschende: self.dolmetschende,
            bemerkungen: self.bemerkungen,
        }
    }
}

impl DossierDto {
    fn of(dossier: &Dossier) -> Self {
        let data = &dossier.person.data;
        Self {
            id: dossier.id,
            person_id: dossier.person.id,
            person: format!("{}, {}", data.nachname.as_str(), data.vornamen.as_str()),
            status: status_code(dossier.status),
            stelle: dossier.stelle.clone(),
            fallfuehrung: dossier.responsible.clone(),
            eroeffnet_am: dossier.opened_at,
            zielgruppen: dossier.groups.labels().into_iter().map(str::to_owned).collect(),
            naechste_standortbestimmung: dossier.next_standortbestimmung,
            kurzassessment: dossier.kurzassessment.as_ref().map(KurzassessmentDto::of),
            hilfsplan: dossier
                .ziele
                .iter()
                .map(|goal| HilfsplanZielDto {
                    id: goal.id,
                    handlungsfeld: goal.ziel.handlungsfeld.code().to_owned(),
                    ziel: goal.ziel.ziel.clone(),
                    kriterium: goal.ziel.kriterium.clone(),
                    faellig_am: goal.ziel.faellig_am,
                    letzte_bewertung: goal.letzte_bewertung.map(|b| b.code().to_owned()),
                    bewertet_am: goal.bewertet_am,
                    offen: goal.offen(),
                })
                .collect(),
            verlauf: dossier
                .timeline
                .iter()
                .map(|entry| TimelineDto {
                    zeit: entry.at,
                    ereignis: entry.event.code().to_owned(),
                    von: entry.by.clone(),
                    einzelheiten: entry.detail.clone(),
                })
                .collect(),
        }
    }
}

/// Die Fallliste: für die Fallführung die eigenen Dossiers, für die Leitung jene der Stelle.
#[utoipa::path(get, path = "/dossiers", tag = "Fallführung", params(PageParams), responses(
    (status = 200, body = DossierListDto), (status = 400, body = Problem, description = "Abfrage nicht lesbar"),
    (status = 401, body = Problem), (status = 403, body = Problem)
))]
pub async fn list(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    query: Result<Query<PageParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<DossierListDto>, ApiError> {
    let (page, per_page) = PageParams::read(query)?;
    let page = state.store.caseload(&actor, page, per_page).await?;
    Ok(Json(DossierListDto {
        items: page
            .items
            .into_iter()
            .map(|d: DossierSummary| DossierSummaryDto {
                id: d.id,
                person: d.person_name,
                status: status_code(d.status),
                fallfuehrung: d.responsible,
                naechste_standortbestimmung: d.next_standortbestimmung,
                ueberfaellig: d.overdue,
            })
            .collect(),
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    }))
}

/// Ein Dossier mit Kurzassessment, Hilfsplan und Verlauf.
#[utoipa::path(get, path = "/dossiers/{id}", tag = "Fallführung", params(("id" = i64, Path)), responses(
    (status = 200, body = DossierDto), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)
))]
pub async fn get_one(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<DossierDto>, ApiError> {
    let dossier = state.store.get_dossier(&actor, parse_id(&id)?).await?;
    Ok(Json(DossierDto::of(&dossier)))
}

/// Eröffnet das Dossier einer Person; die eigene Stelle führt es, die aufrufende Person ist zuständig.
#[utoipa::path(post, path = "/persons/{id}/dossier", tag = "Fallführung", params(("id" = i64, Path)), request_body = OpenDossierDto, responses(
    (status = 201, body = DossierDto, headers(("Location" = String))),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 422, body = Problem, description = "Nicht in der Zielgruppe, oder Dossier besteht schon")
))]
pub async fn open(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    Path(person_id): Path<String>,
    ApiJson(body): ApiJson<OpenDossierDto>,
) -> Result<Response, ApiError> {
    let dossier = state
        .store
        .open_dossier(&actor, parse_id(&person_id)?, body.sozialhilfe, body.gesundheitliche_einschraenkung)
        .await?;
    let location = format!("/api/v1/dossiers/{}", dossier.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(DossierDto::of(&dossier))).into_response())
}

/// Erfasst das Kurzassessment (Formularversion 1).
#[utoipa::path(post, path = "/dossiers/{id}/kurzassessment", tag = "Fallführung", params(("id" = i64, Path)), request_body = KurzassessmentDto, responses(
    (status = 200, body = DossierDto),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 422, body = Problem)
))]
pub async fn record_kurzassessment(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<KurzassessmentDto>,
) -> Result<Json<DossierDto>, ApiError> {
    let assessment = body.input().parse(state.store.clock().today()).map_err(AppError::Invalid)?;
    let dossier = state.store.record_kurzassessment(&actor, parse_id(&id)?, assessment).await?;
    Ok(Json(DossierDto::of(&dossier)))
}

/// Ein neues Ziel im Hilfsplan; es gelten dieselben Regeln wie im Formular.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ZielDto {
    /// `sprachfoerderung`, `arbeitsintegration`, `bildungsintegration` oder `soziale_integration`.
    pub handlungsfeld: String,
    /// Was erreicht werden soll, z. B. «Deutsch auf Niveau A2».
    pub ziel: String,
    /// Woran man erkennt, dass das Ziel erreicht ist.
    pub kriterium: String,
    /// Fällig bis, `TT.MM.JJJJ` oder `JJJJ-MM-TT`, nicht in der Vergangenheit.
    pub faellig_am: String,
}

/// Eine Standortbestimmung: eine Bewertung für jedes offene Ziel.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandortbestimmungDto {
    /// `TT.MM.JJJJ` oder `JJJJ-MM-TT`, nicht in der Zukunft.
    pub datum: String,
    pub bewertungen: Vec<ZielBewertungDto>,
    #[serde(default)]
    pub bemerkungen: String,
}

/// Die Bewertung eines Ziels.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ZielBewertungDto {
    /// `id` des Ziels in `hilfsplan`.
    pub ziel_id: i64,
    /// `erreicht`, `teilweise`, `nicht_erreicht` oder `angepasst`.
    pub bewertung: String,
    #[serde(default)]
    pub kommentar: String,
}

/// Abschluss: ein Grund aus der Liste; bei `anderer` ist die Bemerkung nötig.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AbschlussDto {
    /// `nachhaltig_integriert`, `abloesung_sozialhilfe`, `wegzug_ausserkantonal`, `tod` oder `anderer`.
    pub grund: String,
    #[serde(default)]
    pub bemerkung: String,
}

/// Wiedereröffnung eines abgeschlossenen Dossiers.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WiedereroeffnungDto {
    /// Warum das Dossier wieder geöffnet wird.
    pub begruendung: String,
}

/// Übertragung der Fallführung.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ZuweisungDto {
    /// Benutzername der neuen Fallführung; sie gehört zur selben Stelle.
    pub fallfuehrung: String,
}

/// Ziel im Hilfsplan erfassen. Das erste Ziel macht den Hilfsplan aktiv.
#[utoipa::path(post, path = "/dossiers/{id}/ziele", tag = "Fallführung", params(("id" = i64, Path)), request_body = ZielDto, responses(
    (status = 200, body = DossierDto, description = "Das Dossier mit dem neuen Ziel im Hilfsplan"),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 422, body = Problem, description = "Angaben unvollständig oder ungültig, oder das Dossier ist abgeschlossen")
))]
pub async fn add_ziel(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ZielDto>,
) -> Result<Json<DossierDto>, ApiError> {
    let id = parse_id(&id)?;
    let input = ZielInput {
        handlungsfeld: body.handlungsfeld,
        ziel: body.ziel,
        kriterium: body.kriterium,
        faellig_am: body.faellig_am,
    };
    let ziel = input.parse(state.store.clock().today()).map_err(AppError::Invalid)?;
    Ok(Json(DossierDto::of(&state.store.add_ziel(&actor, id, ziel).await?)))
}

/// Standortbestimmung erfassen. Jedes offene Ziel braucht eine Bewertung (Fehler nennen das Feld
/// `bewertung_<ziel_id>`); die nächste ist spätestens zwölf Monate danach fällig.
#[utoipa::path(post, path = "/dossiers/{id}/standortbestimmung", tag = "Fallführung", params(("id" = i64, Path)), request_body = StandortbestimmungDto, responses(
    (status = 200, body = DossierDto, description = "Das Dossier mit den Bewertungen und der nächsten Standortbestimmung"),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 422, body = Problem, description = "Datum ungültig, ein offenes Ziel nicht bewertet, oder das Dossier ist abgeschlossen")
))]
pub async fn record_standortbestimmung(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StandortbestimmungDto>,
) -> Result<Json<DossierDto>, ApiError> {
    let input = StandortbestimmungInput {
        datum: body.datum,
        antworten: body.bewertungen.into_iter().map(|b| (b.ziel_id, b.bewertung, b.kommentar)).collect(),
        bemerkungen: body.bemerkungen,
    };
    Ok(Json(DossierDto::of(&state.store.record_standortbestimmung(&actor, parse_id(&id)?, None, &input).await?)))
}

/// Dossier abschliessen, mit einem Grund aus der Liste. Danach ist keine Standortbestimmung mehr fällig.
#[utoipa::path(post, path = "/dossiers/{id}/abschluss", tag = "Fallführung", params(("id" = i64, Path)), request_body = AbschlussDto, responses(
    (status = 200, body = DossierDto, description = "Das abgeschlossene Dossier"),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 422, body = Problem, description = "Grund fehlt oder unbekannt, Bemerkung fehlt bei «anderer», oder schon abgeschlossen")
))]
pub async fn close(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AbschlussDto>,
) -> Result<Json<DossierDto>, ApiError> {
    let id = parse_id(&id)?;
    let (grund, bemerkung) = parse_abschluss(&body.grund, &body.bemerkung).map_err(AppError::Invalid)?;
    Ok(Json(DossierDto::of(&state.store.close_dossier(&actor, id, None, grund, &bemerkung).await?)))
}

/// Abgeschlossenes Dossier wiedereröffnen, mit derselben Stelle und Fallführung.
#[utoipa::path(post, path = "/dossiers/{id}/wiedereroeffnung", tag = "Fallführung", params(("id" = i64, Path)), request_body = WiedereroeffnungDto, responses(
    (status = 200, body = DossierDto, description = "Das wiedereröffnete Dossier"),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 422, body = Problem, description = "Begründung fehlt, oder das Dossier ist nicht abgeschlossen")
))]
pub async fn reopen(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<WiedereroeffnungDto>,
) -> Result<Json<DossierDto>, ApiError> {
    Ok(Json(DossierDto::of(&state.store.reopen_dossier(&actor, parse_id(&id)?, None, &body.begruendung).await?)))
}

/// Fallführung übertragen (nur Leitung), an eine Person der Fallführung derselben Stelle.
#[utoipa::path(post, path = "/dossiers/{id}/zuweisung", tag = "Fallführung", params(("id" = i64, Path)), request_body = ZuweisungDto, responses(
    (status = 200, body = DossierDto, description = "Das Dossier mit der neuen Fallführung"),
    (status = 400, body = Problem), (status = 401, body = Problem),
    (status = 403, body = Problem, description = "Nur die Leitung weist Dossiers zu"), (status = 404, body = Problem),
    (status = 422, body = Problem, description = "Keine Person der Fallführung dieser Stelle, oder das Dossier ist abgeschlossen")
))]
pub async fn reassign(
    State(state): State<SharedState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ZuweisungDto>,
) -> Result<Json<DossierDto>, ApiError> {
    Ok(Json(DossierDto::of(&state.store.reassign_dossier(&actor, parse_id(&id)?, None, &body.fallfuehrung).await?)))
}
