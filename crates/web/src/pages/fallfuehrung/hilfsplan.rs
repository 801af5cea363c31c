//! The printable Hilfsplan: what the case worker hands to the person and both sign. Only what the person
//! agreed on appears (goals, booked measures, dates, the Kurzassessment's findings), not the internal
//! remarks or the timeline; the print stylesheet hides the navigation, so the page needs no JavaScript to
//! print cleanly.
//!
//! Every printed page carries the person's name, the date and «Seite x von y». The page numbers are an
//! `@page` margin box of the stylesheet; name and date cannot be (Chromium has no `string-set`, and the
//! content security policy allows no inline style), so they are the head of a layout table around the sheet,
//! which browsers repeat on every printed page.

use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::pages::Layout;
use crate::pages::dossiers::{GoalRow, answers, next_standortbestimmung_text, person_name};
use crate::pages::massnahmen::{DossierSection, TeilnahmeRow};
use crate::pages::swiss_date;
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use iim_domain::dossier::Handlungsfeld;
use iim_domain::person::Choice;

/// The goals of one Handlungsfeld.
pub struct FieldGoals {
    feld: &'static str,
    goals: Vec<PrintedGoal>,
}

/// A goal as printed: its title once, with the word «Ziel» in front unless the title begins with it.
pub struct PrintedGoal {
    titel: String,
    row: GoalRow,
}

impl std::ops::Deref for PrintedGoal {
    type Target = GoalRow;

    fn deref(&self) -> &GoalRow {
        &self.row
    }
}

/// «Ziel: Deutsch B1», but «Ziel 1: Deutsch B1» as the case worker wrote it, never «Ziel: Ziel 1: …».
fn printed_title(ziel: &str) -> String {
    let begins_with_ziel = ziel
        .get(..4)
        .is_some_and(|word| word.eq_ignore_ascii_case("ziel") && !ziel[4..].starts_with(char::is_alphabetic));
    if begins_with_ziel { ziel.to_owned() } else { format!("Ziel: {ziel}") }
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/dossiers/hilfsplan.html")]
pub struct HilfsplanPage {
    layout: Layout,
    id: i64,
    person_name: String,
    birth: String,
    stelle: String,
    responsible: String,
    date: String,
    assessment: Option<Vec<(&'static str, String)>>,
    fields: Vec<FieldGoals>,
    teilnahmen: Vec<TeilnahmeRow>,
    next_standortbestimmung_text: String,
}

/// Answers of the Kurzassessment that are internal working notes, not part of the handed-out plan.
const INTERNAL_ANSWERS: [&str; 2] = ["Bemerkungen", "Interkulturell Dolmetschende"];

pub async fn show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<HilfsplanPage, PageError> {
    let dossier = state.store.get_dossier(user.actor(), crate::pages::parse_id(&id)?).await?;
    let person_name = person_name(&dossier);
    let fields = Handlungsfeld::ALL
        .iter()
        .map(|feld| FieldGoals {
            feld: feld.label(),
            goals: dossier
                .ziele
                .iter()
                .filter(|goal| goal.ziel.handlungsfeld == *feld)
                .map(|goal| PrintedGoal { titel: printed_title(&goal.ziel.ziel), row: GoalRow::of(goal) })
                .collect(),
        })
        .filter(|field| !field.goals.is_empty())
        .collect();
    let assessment = dossier.kurzassessment.as_ref().map(|assessment| {
        answers(assessment).into_iter().filter(|(question, _)| !INTERNAL_ANSWERS.contains(question)).collect()
    });
    Ok(HilfsplanPage {
        layout: Layout::for_user(&user, format!("Hilfsplan {person_name}"), "dossiers"),
        id: dossier.id,
        birth: dossier.person.data.geburtsdatum.to_string(),
        stelle: dossier.stelle.clone(),
        responsible: dossier.responsible.clone(),
        date: swiss_date(state.store.clock().today()),
        assessment,
        fields,
        teilnahmen: DossierSection::of(&dossier).teilnahmen,
        next_standortbestimmung_text: next_standortbestimmung_text(&dossier),
        person_name,
    })
}
