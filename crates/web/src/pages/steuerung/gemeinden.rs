//! Gemeindeorganisation (`/gemeinden`): how each Gemeinde runs start.integration, the overview (all Gemeinden
//! for the Kanton, with a filter by Sozialregion and a name search; the own Gemeinde and its members for an
//! Integrationsbeauftragte), its export, and one form per Gemeinde. The Leitgemeinde itself is shown, not
//! edited: it comes from the mapping file (ADR 0008).

use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::pages::form::{FormField, summary, text_field, textarea_field, with_errors};
use crate::pages::konflikt::Konflikt;
use crate::pages::tabelle::{self, Zelle};
use crate::pages::{Layout, parse_id};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::NaiveDate;
use iim_domain::gemeindeorganisation::{GemeindeorganisationInput, Modell};
use iim_domain::{Action, BfsNr, FieldErrors, Resource, Scope};
use iim_store::{GemeindeEintrag, GemeindeQuery, StoreError};
use std::collections::HashMap;

fn datum(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default()
}

/// One line of the overview.
pub struct Zeile {
    bfs: String,
    name: String,
    sozialregion: String,
    modell: String,
    vertrag: String,
    leitung: String,
    kontakt: String,
}

fn modell_text(g: &GemeindeEintrag) -> String {
    match (g.modell, &g.leitgemeinde) {
        (Modell::Mitglied, Some((_, leit))) => format!("Leitgemeindemodell, Leitgemeinde {leit}"),
        (Modell::Leitgemeinde, _) => {
            let names: Vec<&str> = g.mitglieder.iter().map(|(_, name)| name.as_str()).collect();
            format!("Leitgemeinde für {}", names.join(", "))
        }
        (modell, _) => modell.label().to_owned(),
    }
}

fn vertrag_text(g: &GemeindeEintrag) -> String {
    match g.organisation.as_ref().map(|o| (o.vertrag_beginn, o.vertrag_ende)) {
        Some((Some(beginn), Some(ende))) => format!("{} – {}", datum(Some(beginn)), datum(Some(ende))),
        Some((Some(beginn), None)) => format!("ab {}, unbefristet", datum(Some(beginn))),
        _ if g.modell == Modell::Mitglied => "noch nicht erfasst".to_owned(),
        _ => String::new(),
    }
}

fn leitung_text(g: &GemeindeEintrag) -> String {
    g.organisation
        .as_ref()
        .map_or_else(|| "noch nicht erfasst".to_owned(), |o| format!("{} ({})", o.leitung_name, o.leitung_ressort))
}

fn zeile(g: &GemeindeEintrag) -> Zeile {
    Zeile {
        bfs: g.bfs.to_string(),
        name: g.name.clone(),
        sozialregion: g.sozialregion.as_ref().map(|r| r.1.clone()).unwrap_or_default(),
        modell: modell_text(g),
        vertrag: vertrag_text(g),
        leitung: leitung_text(g),
        kontakt: g.organisation.as_ref().map(|o| o.ib_kontakt.clone()).unwrap_or_default(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "steuerung/gemeinden/list.html")]
pub struct ListPage {
    layout: Layout,
    zeilen: Vec<Zeile>,
    /// The filter is offered to those who see the whole canton.
    alle: bool,
    regionen: Vec<(String, String, bool)>,
    text: String,
    export_query: String,
}

fn query_of(params: &HashMap<String, String>) -> GemeindeQuery {
    GemeindeQuery {
        sozialregion: params.get("region").and_then(|r| r.trim().parse().ok()),
        text: params.get("q").cloned().unwrap_or_default(),
    }
}

pub async fn list(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ListPage, PageError> {
    let query = query_of(&params);
    let gemeinden = state.store.list_gemeinden(user.actor(), &query).await?;
    let alle = user.actor().scope_for(Resource::Gemeindeorganisation, Action::Read).is_ok_and(|s| s == Scope::Canton);
    let region = query.sozialregion.map(|r| r.to_string()).unwrap_or_default();
    let regionen = state
        .store
        .sozialregionen()
        .into_iter()
        .map(|(id, name)| {
            let id = id.to_string();
            let selected = id == region;
            (id, name, selected)
        })
        .collect();
    let export_query = [("region", region.as_str()), ("q", query.text.trim())]
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| format!("{key}={}", urlencoding::encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    Ok(ListPage {
        layout: Layout::for_user(&user, "Gemeinden", "gemeinden"),
        zeilen: gemeinden.iter().map(zeile).collect(),
        alle,
        regionen,
        text: query.text,
        export_query,
    })
}

const SPALTEN: [(&str, f64); 11] = [
    ("BFS-Nr.", 8.0),
    ("Gemeinde", 24.0),
    ("Sozialregion", 26.0),
    ("Modell", 18.0),
    ("Leitgemeinde", 24.0),
    ("Mitglieder", 30.0),
    ("Vertrag ab", 12.0),
    ("Vertrag bis", 12.0),
    ("Strategische Leitung", 24.0),
    ("Ressort", 24.0),
    ("Kontakt Integrationsbeauftragte", 30.0),
];

fn export_rows(gemeinden: &[GemeindeEintrag]) -> Vec<Vec<Zelle>> {
    gemeinden
        .iter()
        .map(|g| {
            let o = g.organisation.clone().unwrap_or_default();
            vec![
                Zelle::Zahl(u64::from(g.bfs.get())),
                Zelle::Text(g.name.clone()),
                Zelle::Text(g.sozialregion.as_ref().map(|r| r.1.clone()).unwrap_or_default()),
                Zelle::Text(g.modell.label().to_owned()),
                Zelle::Text(g.leitgemeinde.as_ref().map(|l| l.1.clone()).unwrap_or_default()),
                Zelle::Text(g.mitglieder.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")),
                Zelle::Datum(o.vertrag_beginn),
                Zelle::Datum(o.vertrag_ende),
                Zelle::Text(o.leitung_name),
                Zelle::Text(o.leitung_ressort),
                Zelle::Text(o.ib_kontakt),
            ]
        })
        .collect()
}

fn export_name(state: &SharedState, extension: &str) -> String {
    format!("gemeinden-{}.{extension}", state.store.clock().today().format("%Y-%m-%d"))
}

pub async fn export_csv(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let gemeinden = state.store.list_gemeinden(user.actor(), &query_of(&params)).await?;
    tabelle::csv(&SPALTEN, &export_rows(&gemeinden), &export_name(&state, "csv"))
}

pub async fn export_xlsx(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let gemeinden = state.store.list_gemeinden(user.actor(), &query_of(&params)).await?;
    tabelle::xlsx("Gemeinden", &SPALTEN, &export_rows(&gemeinden), &export_name(&state, "xlsx"))
}

#[derive(Template, WebTemplate)]
#[template(path = "steuerung/gemeinden/show.html")]
pub struct ShowPage {
    layout: Layout,
    bfs: String,
    zeile: Zeile,
    modell_hinweis: String,
    mitglieder: Vec<(String, String)>,
    geaendert: String,
    may_update: bool,
    fields: Vec<FormField>,
    errors: Vec<(String, String)>,
    /// The version the form is based on; sent back with the save.
    version: i32,
    /// Set when a colleague saved while the form was open.
    konflikt: Option<Konflikt>,
}

fn gemeinde_nr(text: &str) -> Result<BfsNr, PageError> {
    let number = parse_id(text)?;
    u16::try_from(number).ok().and_then(BfsNr::known).ok_or(PageError(AppError::NotFound))
}

fn input_of(g: &GemeindeEintrag) -> GemeindeorganisationInput {
    let o = g.organisation.clone().unwrap_or_default();
    GemeindeorganisationInput {
        vertrag_beginn: datum(o.vertrag_beginn),
        vertrag_ende: datum(o.vertrag_ende),
        leitung_name: o.leitung_name,
        leitung_ressort: o.leitung_ressort,
        ib_kontakt: o.ib_kontakt,
    }
}

fn show_page(
    user: &CurrentUser,
    g: &GemeindeEintrag,
    input: &GemeindeorganisationInput,
    errors: &FieldErrors,
    notice: Option<&str>,
    konflikt: Option<Konflikt>,
) -> ShowPage {
    let mut fields = Vec::new();
    // Contract fields belong to the Leitgemeindemodell; they are shown elsewhere only to carry the message
    // about contract dates that were sent anyway.
    let vertrag_gesendet = !input.vertrag_beginn.trim().is_empty() || !input.vertrag_ende.trim().is_empty();
    if g.modell == Modell::Mitglied || vertrag_gesendet {
        fields.push(text_field(
            "vertrag_beginn",
            "Vertrag mit der Leitgemeinde: Beginn",
            "TT.MM.JJJJ",
            g.modell == Modell::Mitglied,
            &input.vertrag_beginn,
        ));
        fields.push(text_field(
            "vertrag_ende",
            "Vertrag mit der Leitgemeinde: Ende",
            "TT.MM.JJJJ; leer lassen, wenn unbefristet.",
            false,
            &input.vertrag_ende,
        ));
    }
    fields.push(text_field(
        "leitung_name",
        "Strategische Leitung: Name",
        "Das zuständige Mitglied des Gemeinderats.",
        true,
        &input.leitung_name,
    ));
    fields.push(text_field("leitung_ressort", "Strategische Leitung: Ressort", "", true, &input.leitung_ressort));
    fields.push(textarea_field(
        "ib_kontakt",
        "Kontakt der Integrationsbeauftragten",
        "Name, Telefon, E-Mail-Adresse – wie Neuzuzügerinnen und Neuzuzüger sie erreichen.",
        false,
        &input.ib_kontakt,
    ));
    let modell_hinweis = match g.modell {
        Modell::Mitglied => {
            "Eine Leitgemeinde führt start.integration für diese Gemeinde; ihre Integrationsbeauftragten betreuen die Neuzuzügerinnen und Neuzuzüger dieser Gemeinde."
        }
        Modell::Leitgemeinde => {
            "Diese Gemeinde führt start.integration selbst und als Leitgemeinde für ihre Mitglieder."
        }
        Modell::Gemeindeintern => "Diese Gemeinde führt start.integration selbst.",
    };
    ShowPage {
        layout: Layout::for_user(user, format!("Gemeinde {}", g.name), "gemeinden").with_notice(notice),
        bfs: g.bfs.to_string(),
        zeile: zeile(g),
        modell_hinweis: modell_hinweis.to_owned(),
        mitglieder: g.mitglieder.iter().map(|(bfs, name)| (bfs.to_string(), name.clone())).collect(),
        geaendert: g.geaendert_am.map_or_else(String::new, |at| {
            format!("zuletzt geändert am {} von {}", iim_domain::clock::format_swiss(at), g.geaendert_von)
        }),
        may_update: user.actor().may(Resource::Gemeindeorganisation, Action::Update),
        fields: with_errors(fields, errors),
        errors: summary(errors),
        version: g.version,
        konflikt,
    }
}

/// The saved values of `current` beside the ones sent in `mine`.
fn konflikt(current: &GemeindeEintrag, mine: &GemeindeorganisationInput) -> Konflikt {
    let saved = input_of(current);
    let geaendert = current.geaendert_am.map_or_else(String::new, |at| {
        format!("Gespeichert am {} von {}", iim_domain::clock::format_swiss(at), current.geaendert_von)
    });
    Konflikt::new(
        geaendert,
        vec![
            ("Vertrag: Beginn", saved.vertrag_beginn, mine.vertrag_beginn.clone()),
            ("Vertrag: Ende", saved.vertrag_ende, mine.vertrag_ende.clone()),
            ("Strategische Leitung: Name", saved.leitung_name, mine.leitung_name.clone()),
            ("Strategische Leitung: Ressort", saved.leitung_ressort, mine.leitung_ressort.clone()),
            ("Kontakt der Integrationsbeauftragten", saved.ib_kontakt, mine.ib_kontakt.clone()),
        ],
        format!("/gemeinden/{}", current.bfs),
    )
}

pub async fn show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(bfs): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ShowPage, PageError> {
    let gemeinde = state.store.get_gemeinde(user.actor(), gemeinde_nr(&bfs)?).await?;
    let notice = params.get("hinweis").map(String::as_str);
    Ok(show_page(&user, &gemeinde, &input_of(&gemeinde), &FieldErrors::new(), notice, None))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct OrganisationForm {
    vertrag_beginn: String,
    vertrag_ende: String,
    leitung_name: String,
    leitung_ressort: String,
    ib_kontakt: String,
    /// The version the form was loaded with (0: nothing recorded yet).
    version: i32,
}

pub async fn save(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(bfs): Path<String>,
    Form(form): Form<OrganisationForm>,
) -> Result<Response, PageError> {
    let bfs = gemeinde_nr(&bfs)?;
    let input = GemeindeorganisationInput {
        vertrag_beginn: form.vertrag_beginn,
        vertrag_ende: form.vertrag_ende,
        leitung_name: form.leitung_name,
        leitung_ressort: form.leitung_ressort,
        ib_kontakt: form.ib_kontakt,
    };
    match state.store.save_gemeindeorganisation(user.actor(), bfs, form.version, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/gemeinden/{bfs}?hinweis=gespeichert")).into_response()),
        Err(StoreError::Invalid(errors)) => {
            let mut gemeinde = state.store.get_gemeinde(user.actor(), bfs).await?;
            gemeinde.version = form.version;
            let page = show_page(&user, &gemeinde, &input, &errors, None, None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(StoreError::Changed { .. }) => {
            let current = state.store.get_gemeinde(user.actor(), bfs).await?;
            let konflikt = konflikt(&current, &input);
            let page = show_page(&user, &current, &input, &FieldErrors::new(), None, Some(konflikt));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
