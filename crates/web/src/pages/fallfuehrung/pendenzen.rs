//! "Meine Pendenzen": everything that waits for the user, in one list per kind, each line linking to the
//! dossier (or, for transfers and exception requests, to the page where the Stelle decides).

use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::pages::Layout;
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use iim_domain::{Action, Resource};
use iim_store::Pendenz;

pub struct Line {
    /// The dossier, or for an exception request the page where the Leitung decides it.
    href: String,
    person: String,
    was: String,
    seit: String,
}

impl From<&Pendenz> for Line {
    fn from(p: &Pendenz) -> Self {
        Self {
            href: match p.ausnahmegesuch {
                Some(gesuch) => format!("/dossiers/{}/ausnahmegesuche/{gesuch}", p.dossier_id),
                None => format!("/dossiers/{}", p.dossier_id),
            },
            person: p.person_name.clone(),
            was: p.was.clone(),
            seit: p.seit.format("%d.%m.%Y").to_string(),
        }
    }
}

/// One section of the worklist.
pub struct Section {
    heading: &'static str,
    empty: &'static str,
    lines: Vec<Line>,
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/pendenzen.html")]
pub struct WorklistPage {
    layout: Layout,
    sections: Vec<Section>,
    /// Standortbestimmungen due in the next 30 days (the start page's agenda shows the first of them).
    bald: Vec<Line>,
    transfers: usize,
    may_receive_transfers: bool,
}

pub async fn show(State(state): State<SharedState>, user: CurrentUser) -> Result<WorklistPage, PageError> {
    let worklist = state.store.pendenzen(user.actor()).await?;
    let bald = state.store.bald_faellige_standortbestimmungen(user.actor()).await?;
    let section =
        |heading, empty, items: &[Pendenz]| Section { heading, empty, lines: items.iter().map(Line::from).collect() };
    let mut sections = vec![
        section("Überfällige Standortbestimmungen", "Keine Standortbestimmung ist überfällig.", &worklist.ueberfaellig),
        section("Eingegangene Ergebnisse", "Keine neuen Ergebnisse von Anbietern.", &worklist.ergebnisse),
        section(
            "Massnahmen ohne Anschluss",
            "Jede abgeschlossene Massnahme hat einen Anschluss.",
            &worklist.ohne_anschluss,
        ),
        section(
            "Umzüge in eine andere Sozialregion",
            "Das Einwohnerregister meldet keinen Umzug, der eine Übergabe nahelegt.",
            &worklist.umzuege,
        ),
    ];
    if user.actor().may(Resource::Dossier, Action::Approve) {
        sections.push(section("Zu genehmigen", "Nichts wartet auf Ihre Genehmigung.", &worklist.genehmigungen));
    }
    Ok(WorklistPage {
        layout: Layout::for_user(&user, "Meine Pendenzen", "pendenzen"),
        sections,
        bald: bald.iter().map(Line::from).collect(),
        transfers: worklist.uebergaben.len(),
        may_receive_transfers: user.actor().may(Resource::Uebergabe, Action::Read),
    })
}
