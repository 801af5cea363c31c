//! Kennzahlen (`/kennzahlen`): per Gemeinde and Kindergarten entry year, how many children with a recorded
//! level at the entry can communicate in German, against the canton's 80 % goal, with a total per year over
//! the Gemeinden shown. No personal data: counts only. The Kanton sees every Gemeinde, an
//! Integrationsbeauftragte its own and the members it leads.

use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::pages::Layout;
use crate::pages::tabelle::{self, Zelle};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use iim_domain::fruehfoerderung::{Kennzahl, ZIEL_PROZENT};
use iim_domain::{Action, Resource, Scope, sortierung};
use iim_store::KennzahlZeile;
use std::collections::BTreeMap;

/// One line of the table: a Gemeinde in a year, or the year's total.
pub struct Zeile {
    jahr: i32,
    gemeinde: String,
    total: bool,
    erfasst: u64,
    verstaendigen: u64,
    anteil: String,
    erreicht: bool,
}

fn zeile(jahr: i32, gemeinde: String, total: bool, kennzahl: Kennzahl) -> Zeile {
    Zeile {
        jahr,
        gemeinde,
        total,
        erfasst: kennzahl.erfasst,
        verstaendigen: kennzahl.verstaendigen,
        anteil: kennzahl.anteil_text(),
        erreicht: kennzahl.ziel_erreicht().unwrap_or(false),
    }
}

/// Newest year first; within a year the Gemeinden by name, then the year's total when there are several.
fn zeilen(figures: &[KennzahlZeile]) -> Vec<Zeile> {
    let mut by_year: BTreeMap<i32, Vec<&KennzahlZeile>> = BTreeMap::new();
    for figure in figures {
        by_year.entry(figure.jahr).or_default().push(figure);
    }
    let mut zeilen = Vec::new();
    for (jahr, mut figures) in by_year.into_iter().rev() {
        figures.sort_by(|a, b| sortierung::deutsch(&a.gemeinde.name(), &b.gemeinde.name()));
        let mut total = Kennzahl::default();
        for figure in &figures {
            total.erfasst += figure.kennzahl.erfasst;
            total.verstaendigen += figure.kennzahl.verstaendigen;
            zeilen.push(zeile(jahr, figure.gemeinde.name(), false, figure.kennzahl));
        }
        if figures.len() > 1 {
            zeilen.push(zeile(jahr, format!("Total {jahr}"), true, total));
        }
    }
    zeilen
}

#[derive(Template, WebTemplate)]
#[template(path = "steuerung/kennzahlen.html")]
pub struct Page {
    layout: Layout,
    ziel: u64,
    gebiet: &'static str,
    zeilen: Vec<Zeile>,
}

pub async fn show(State(state): State<SharedState>, user: CurrentUser) -> Result<Page, PageError> {
    let figures = state.store.kennzahlen(user.actor()).await?;
    let kanton = user.actor().scope_for(Resource::Kennzahlen, Action::Read).is_ok_and(|s| s == Scope::Canton);
    Ok(Page {
        layout: Layout::for_user(&user, "Kennzahlen", "kennzahlen"),
        ziel: ZIEL_PROZENT,
        gebiet: if kanton {
            "Alle Gemeinden des Kantons mit erfassten Kindern."
        } else {
            "Ihre Gemeinde und die Gemeinden, für die sie Leitgemeinde ist."
        },
        zeilen: zeilen(&figures),
    })
}

const SPALTEN: [(&str, f64); 7] = [
    ("Eintrittsjahr", 12.0),
    ("Gemeinde", 26.0),
    ("BFS-Nr.", 8.0),
    ("Kinder mit erfasstem Stand", 14.0),
    ("verständigen sich auf Deutsch", 14.0),
    ("Anteil in Promille", 12.0),
    ("Ziel 80 % erreicht", 12.0),
];

fn export_rows(figures: &[KennzahlZeile]) -> Vec<Vec<Zelle>> {
    let mut figures: Vec<&KennzahlZeile> = figures.iter().collect();
    figures
        .sort_by(|a, b| b.jahr.cmp(&a.jahr).then_with(|| sortierung::deutsch(&a.gemeinde.name(), &b.gemeinde.name())));
    figures
        .into_iter()
        .map(|f| {
            vec![
                Zelle::Zahl(u64::try_from(f.jahr).unwrap_or_default()),
                Zelle::Text(f.gemeinde.name()),
                Zelle::Zahl(u64::from(f.gemeinde.get())),
                Zelle::Zahl(f.kennzahl.erfasst),
                Zelle::Zahl(f.kennzahl.verstaendigen),
                Zelle::Zahl(f.kennzahl.anteil_promille().unwrap_or_default()),
                Zelle::Text(if f.kennzahl.ziel_erreicht() == Some(true) { "ja" } else { "nein" }.to_owned()),
            ]
        })
        .collect()
}

fn export_name(state: &SharedState, extension: &str) -> String {
    format!("kennzahlen-fruehe-sprachfoerderung-{}.{extension}", state.store.clock().today().format("%Y-%m-%d"))
}

pub async fn export_csv(State(state): State<SharedState>, user: CurrentUser) -> Result<Response, PageError> {
    let figures = state.store.kennzahlen(user.actor()).await?;
    tabelle::csv(&SPALTEN, &export_rows(&figures), &export_name(&state, "csv"))
}

pub async fn export_xlsx(State(state): State<SharedState>, user: CurrentUser) -> Result<Response, PageError> {
    let figures = state.store.kennzahlen(user.actor()).await?;
    tabelle::xlsx("Kennzahlen", &SPALTEN, &export_rows(&figures), &export_name(&state, "xlsx"))
}
