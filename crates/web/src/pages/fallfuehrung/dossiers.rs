//! Dossier pages of the Durchgehende Fallführung: the caseload, one dossier with status, target groups,
//! Kurzassessment (the current version, the earlier ones read-only on their own page) and timeline, the
//! standardised Kurzassessment form, and the goals it proposes for the Hilfsplan, which the case worker takes
//! over with one click, edits in the goal form or discards. The printable Hilfsplan
//! (`hilfsplan.rs`) shows goals, dates and answers the way this page does, with the helpers made `pub` here.

use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::pages::angebote::verwaltung::{OfferLink, offer_filter, offer_options};
use crate::pages::auftraege::{AuftragRow, DecisionForm, order_rows};
use crate::pages::fallfuehrung::uebergaben;
use crate::pages::form::{
    FormField, choice_field, choices, grouped_select, summary, text_field, textarea_field, with_errors,
};
use crate::pages::konflikt::Konflikt;
use crate::pages::listenfilter::ListenFilter;
use crate::pages::{Layout, Pagination, page_number, parse_id};
use crate::pages::{swiss_date, unprocessable};
use crate::state::SharedState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use iim_domain::angebot::angebot_nr;
use iim_domain::clock::format_swiss;
use iim_domain::dossier::{
    AbschlussGrund, Arbeitserfahrung, Bewertung, DossierStatus, Handlungsfeld, KURZASSESSMENT_VERSION, Kurzassessment,
    KurzassessmentInput, Literalitaet, Potenzial, Richtung, StandortbestimmungInput, ZielInput, parse_abschluss,
};
use iim_domain::person::Choice;
use iim_domain::regeln::FallfuehrungRegel;
use iim_domain::zielvorschlaege::{VorschlagRegel, Zielvorschlag};
use iim_domain::{Action, FieldErrors, Regel, Resource, Scope};
use iim_store::{Dossier, HilfsplanZiel, KurzassessmentFassung, StoreError, Uebergabe, Umzugsvorschlag};
use std::collections::HashMap;

pub struct CaseRow {
    id: i64,
    person: String,
    status: &'static str,
    next: String,
    overdue: bool,
    responsible: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/dossiers/list.html")]
pub struct ListPage {
    layout: Layout,
    heading: &'static str,
    dossiers: Vec<CaseRow>,
    overdue: u64,
    total: u64,
    pagination: Pagination,
}

pub async fn list(
    State(state): State<SharedState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ListPage, PageError> {
    let scope = state.store.check_permission(user.actor(), Resource::Dossier, Action::Read).await?;
    let page = page_number(params.get("seite"));
    let found = state.store.caseload(user.actor(), page, 50).await?;
    let pagination = Pagination::new("/dossiers", &[], page, found.pages());
    let dossiers: Vec<CaseRow> = found
        .items
        .into_iter()
        .map(|d| CaseRow {
            id: d.id,
            person: d.person_name,
            status: d.status.label(),
            next: d.next_standortbestimmung.map_or_else(|| "nach dem Kurzassessment".to_owned(), swiss_date),
            overdue: d.overdue,
            responsible: d.responsible,
        })
        .collect();
    Ok(ListPage {
        layout: Layout::for_user(&user, "Fälle", "dossiers"),
        heading: if scope == Scope::Own { "Meine Fälle" } else { "Fälle der Stelle" },
        overdue: state.store.overdue_standortbestimmungen(user.actor()).await?,
        dossiers,
        total: found.total,
        pagination,
    })
}

/// Back to the dossier with a notice (Post/Redirect/Get).
pub(crate) fn to_dossier(id: i64, notice: &str) -> Response {
    Redirect::to(&format!("/dossiers/{id}?hinweis={notice}")).into_response()
}

pub struct TimelineRow {
    at: String,
    what: &'static str,
    detail: String,
    by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/dossiers/show.html")]
pub struct ShowPage {
    layout: Layout,
    id: i64,
    /// The dossier's version this page shows; the closing, reopening and reassigning forms send it back.
    version: i32,
    person_id: i64,
    person_name: String,
    birth: String,
    status: &'static str,
    stelle: String,
    responsible: String,
    opened: String,
    groups: Vec<&'static str>,
    next_standortbestimmung_text: String,
    overdue: bool,
    has_assessment: bool,
    assessment: Option<Vec<(&'static str, String)>>,
    /// «Fassung 2, gespeichert am … von …» of the current Kurzassessment.
    assessment_version: Option<String>,
    /// The current Kurzassessment's id, which the proposal forms send back (0 without one).
    fassung: i64,
    earlier_versions: Vec<VersionRow>,
    proposals: Vec<ProposalRow>,
    /// Why taking over or discarding a proposal was refused.
    proposal_error: Option<String>,
    goals: Vec<GoalRow>,
    open_goals: usize,
    sprache: crate::pages::massnahmen::DossierSection,
    timeline: Vec<TimelineRow>,
    may_update: bool,
    closed: bool,
    closing_reasons: Vec<(String, String)>,
    /// User name and name of the Stelle's case workers, for the Leitung's reassignment.
    case_workers: Vec<(String, String)>,
    action_error: Option<String>,
    /// After a colleague changed the dossier first: its state now beside what the refused action asked for.
    konflikt: Option<Konflikt>,
    auftraege: Vec<AuftragRow>,
    familie: Vec<FamilyRow>,
    uebergabe: Option<Uebergabe>,
    transfer_open: bool,
    /// A move to another Sozialregion that the register reported, with the transfer to propose.
    umzug: Option<UmzugNotice>,
    /// «Grund (beantragt am … von …)» of a closing waiting for the Leitung.
    abschluss_antrag: Option<String>,
    may_approve: bool,
}

pub struct UmzugNotice {
    id: i64,
    text: String,
    nach_bfs: u16,
}

impl From<Umzugsvorschlag> for UmzugNotice {
    fn from(v: Umzugsvorschlag) -> Self {
        let von = v.von.map(|name| format!(" von {name}")).unwrap_or_default();
        Self {
            id: v.id,
            text: format!(
                "Laut Einwohnerregister ist die Person am {}{von} nach {} gezogen. Diese Gemeinde gehört zu einer anderen Sozialregion: Bitte die Übergabe des Dossiers beantragen, oder begründen, warum es hier bleibt.",
                v.umzug_am.format("%d.%m.%Y"),
                v.nach
            ),
            nach_bfs: v.nach_bfs,
        }
    }
}

/// An earlier version of the Kurzassessment in the list «Frühere Fassungen».
pub struct VersionRow {
    id: i64,
    nummer: u64,
    datum: String,
    von: String,
    am: String,
}

impl VersionRow {
    fn of(fassung: &KurzassessmentFassung) -> Self {
        Self {
            id: fassung.id,
            nummer: fassung.nummer,
            datum: swiss_date(fassung.datum),
            von: fassung.erfasst_von.clone(),
            am: format_swiss(fassung.erfasst_am),
        }
    }
}

/// A goal the Kurzassessment proposes, with the buttons to take it over, edit or discard it.
pub struct ProposalRow {
    regel: &'static str,
    feld: &'static str,
    ziel: String,
    kriterium: String,
    faellig: String,
    begruendung: String,
}

impl ProposalRow {
    fn of(vorschlag: &Zielvorschlag) -> Self {
        Self {
            regel: vorschlag.regel.code(),
            feld: vorschlag.ziel.handlungsfeld.label(),
            ziel: vorschlag.ziel.ziel.clone(),
            kriterium: vorschlag.ziel.kriterium.clone(),
            faellig: swiss_date(vorschlag.ziel.faellig_am),
            begruendung: vorschlag.begruendung(),
        }
    }
}

pub struct FamilyRow {
    dossier_id: i64,
    name: String,
}

/// A goal of the Hilfsplan as the dossier page and the printable Hilfsplan show it.
pub struct GoalRow {
    pub feld: &'static str,
    pub ziel: String,
    pub kriterium: String,
    pub faellig: String,
    pub bewertung: String,
    pub angebot: Option<OfferLink>,
}

impl GoalRow {
    pub fn of(goal: &HilfsplanZiel) -> Self {
        Self {
            feld: goal.ziel.handlungsfeld.label(),
            ziel: goal.ziel.ziel.clone(),
            kriterium: goal.ziel.kriterium.clone(),
            faellig: swiss_date(goal.ziel.faellig_am),
            bewertung: match (goal.letzte_bewertung, goal.bewertet_am) {
                (Some(bewertung), Some(am)) => format!("{} ({})", bewertung.label(), swiss_date(am)),
                _ => "noch nicht bewertet".to_owned(),
            },
            angebot: goal.angebot.as_ref().map(OfferLink::from),
        }
    }
}

/// When the next Standortbestimmung is due, in words for a dossier without one.
pub fn next_standortbestimmung_text(dossier: &Dossier) -> String {
    dossier.next_standortbestimmung.map_or_else(
        || {
            if dossier.status == DossierStatus::Abgeschlossen {
                "keine (abgeschlossen)"
            } else {
                "nach dem Kurzassessment"
            }
            .to_owned()
        },
        swiss_date,
    )
}

pub async fn show(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    match show_page(&state, &user, id, params.get("hinweis").map(String::as_str), None).await {
        Ok(page) => Ok(page.into_response()),
        Err(PageError(AppError::NotFound)) => uebergaben::gone_or_not_found(&state, &user, id).await,
        Err(error) => Err(error),
    }
}

/// The dossier page; `action_error` explains why closing, reopening or reassigning was refused.
async fn show_page(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    notice: Option<&str>,
    action_error: Option<String>,
) -> Result<ShowPage, PageError> {
    let dossier = state.store.get_dossier(user.actor(), id).await?;
    let today = state.store.clock().today();
    let person_name = person_name(&dossier);
    let may_assign = user.actor().may(Resource::Dossier, Action::Assign);
    let case_workers = if may_assign { state.store.case_workers_of_stelle(user.actor()).await? } else { Vec::new() };
    let umzug = state.store.move_proposal(user.actor(), id).await?.map(UmzugNotice::from);
    Ok(ShowPage {
        layout: Layout::for_user(user, format!("Dossier {person_name}"), "dossiers").with_notice(notice),
        id: dossier.id,
        version: dossier.version,
        person_id: dossier.person.id,
        birth: dossier.person.data.geburtsdatum.to_string(),
        person_name,
        status: dossier.status.label(),
        closed: dossier.status == DossierStatus::Abgeschlossen,
        stelle: dossier.stelle.clone(),
        responsible: dossier.responsible.clone(),
        opened: format_swiss(dossier.opened_at),
        groups: dossier.groups.labels(),
        next_standortbestimmung_text: next_standortbestimmung_text(&dossier),
        overdue: dossier.next_standortbestimmung.is_some_and(|due| due < today),
        has_assessment: dossier.kurzassessment.is_some(),
        assessment: dossier.kurzassessment.as_ref().map(answers),
        assessment_version: dossier.kurzassessment_fassung.as_ref().map(|f| {
            format!("Fassung {}, gespeichert am {} von {}", f.nummer, format_swiss(f.erfasst_am), f.erfasst_von)
        }),
        fassung: dossier.kurzassessment_fassung.as_ref().map_or(0, |f| f.id),
        earlier_versions: dossier.fruehere_kurzassessments.iter().map(VersionRow::of).collect(),
        proposals: dossier.zielvorschlaege.iter().map(ProposalRow::of).collect(),
        proposal_error: None,
        goals: dossier.ziele.iter().map(GoalRow::of).collect(),
        open_goals: dossier.ziele.iter().filter(|goal| goal.offen()).count(),
        sprache: crate::pages::massnahmen::DossierSection::of(&dossier),
        timeline: dossier
            .timeline
            .iter()
            .map(|entry| TimelineRow {
                at: format_swiss(entry.at),
                what: entry.event.label(),
                detail: entry.detail.clone().unwrap_or_default(),
                by: entry.by.clone(),
            })
            .collect(),
        may_update: user.actor().may(Resource::Dossier, Action::Update),
        closing_reasons: choices::<AbschlussGrund>(),
        case_workers,
        action_error,
        konflikt: None,
        auftraege: order_rows(&dossier.auftraege),
        familie: dossier
            .familie
            .iter()
            .map(|m| FamilyRow {
                dossier_id: m.dossier_id,
                name: m.person_name.clone().unwrap_or_else(|| format!("Familienmitglied bei {}", m.stelle)),
            })
            .collect(),
        transfer_open: dossier.uebergabe.as_ref().is_some_and(|t| t.offen),
        umzug,
        uebergabe: dossier.uebergabe.clone(),
        abschluss_antrag: dossier.abschluss_antrag.as_ref().map(|a| {
            let bemerkung = if a.bemerkung.is_empty() { String::new() } else { format!(": {}", a.bemerkung) };
            format!(
                "{}{bemerkung} (vorgelegt am {} von {})",
                a.grund.label(),
                format_swiss(a.beantragt_at),
                a.beantragt_von
            )
        }),
        may_approve: user.actor().may(Resource::Dossier, Action::Approve),
    })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CloseForm {
    grund: String,
    bemerkung: String,
    version: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ReopenForm {
    begruendung: String,
    version: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AssignForm {
    fallfuehrung: String,
    version: String,
}

/// The dossier's version a form was loaded with; none from callers that send none (they are not checked).
fn sent_version(version: &str) -> Option<i32> {
    version.trim().parse().ok()
}

/// After an action on the dossier: back to the dossier, or the dossier as it is now with the refusal.
pub(crate) async fn after_action<T>(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    result: Result<T, StoreError>,
    notice: &str,
) -> Result<Response, PageError> {
    after_versioned_action(state, user, id, result, notice, None).await
}

/// What closing, reopening or reassigning asked for, shown beside the dossier's state after a conflict.
enum Wunsch {
    Status(String),
    Fallfuehrung { username: String },
}

impl Wunsch {
    fn konflikt(&self, page: &ShowPage) -> Konflikt {
        let zeile = match self {
            Wunsch::Status(status) => ("Status", page.status.to_owned(), status.clone()),
            Wunsch::Fallfuehrung { username } => {
                let name = page.case_workers.iter().find(|(value, _)| value == username).map(|(_, name)| name);
                ("Fallführung", page.responsible.clone(), name.cloned().unwrap_or_else(|| username.clone()))
            }
        };
        Konflikt::fuer_aktion(vec![zeile], format!("/dossiers/{}", page.id))
    }
}

/// Like [`after_action`] for the actions that send the version they were loaded with: a page loaded before a
/// colleague's change (409) shows the current state beside what the action asked for, and asks to decide again.
async fn after_versioned_action<T>(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    result: Result<T, StoreError>,
    notice: &str,
    wunsch: Option<Wunsch>,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(to_dossier(id, notice)),
        Err(StoreError::Invalid(errors)) => {
            let message = errors.iter().map(|(_, m)| m.to_owned()).collect::<Vec<_>>().join(" ");
            let page = show_page(state, user, id, None, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(StoreError::Changed { .. }) => {
            let message = "Inzwischen hat jemand anderes dieses Dossier geändert; es wurde nichts gespeichert. \
                           Unten steht der aktuelle Stand: bitte prüfen und nochmals entscheiden."
                .to_owned();
            let mut page = show_page(state, user, id, None, Some(message)).await?;
            if let Some(wunsch) = wunsch {
                page.konflikt = Some(wunsch.konflikt(&page));
                page.action_error = None;
            }
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn close(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<CloseForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = match parse_abschluss(&form.grund, &form.bemerkung) {
        Ok((grund, bemerkung)) => {
            state.store.close_dossier(user.actor(), id, sent_version(&form.version), grund, &bemerkung).await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    let submitted = matches!(&result, Ok(dossier) if dossier.abschluss_antrag.is_some());
    let wunsch =
        AbschlussGrund::from_code(&form.grund).map(|grund| Wunsch::Status(format!("abschliessen ({})", grund.label())));
    let notice = if submitted { "abschluss_beantragt" } else { "abgeschlossen" };
    after_versioned_action(&state, &user, id, result, notice, wunsch).await
}

/// The Leitung approves or refuses a closing that a case worker submitted.
pub async fn decide_closing(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = state.store.decide_closing(user.actor(), id, form.approves(), form.begruendung()).await;
    after_action(&state, &user, id, result, form.notice()).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct FamilyForm {
    dossier: String,
}

pub async fn link_family(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<FamilyForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = state.store.link_family(user.actor(), id, &form.dossier).await;
    after_action(&state, &user, id, result, "familie").await
}

pub async fn unlink_family(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = state.store.unlink_family(user.actor(), id).await;
    after_action(&state, &user, id, result, "familie_geloest").await
}

pub async fn reopen(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ReopenForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = state.store.reopen_dossier(user.actor(), id, sent_version(&form.version), &form.begruendung).await;
    let wunsch = Wunsch::Status("wiedereröffnen".to_owned());
    after_versioned_action(&state, &user, id, result, "wiedereroeffnet", Some(wunsch)).await
}

pub async fn assign(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<AssignForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = state.store.reassign_dossier(user.actor(), id, sent_version(&form.version), &form.fallfuehrung).await;
    let wunsch = Wunsch::Fallfuehrung { username: form.fallfuehrung };
    after_versioned_action(&state, &user, id, result, "zugewiesen", Some(wunsch)).await
}

pub fn person_name(dossier: &Dossier) -> String {
    format!("{}, {}", dossier.person.data.nachname.as_str(), dossier.person.data.vornamen.as_str())
}

fn yes_no(value: bool) -> String {
    if value { "ja" } else { "nein" }.to_owned()
}

/// The answers as questions and answers, for the dossier page.
pub fn answers(assessment: &Kurzassessment) -> Vec<(&'static str, String)> {
    let schooling = if assessment.schulgewohnt() { "schulgewohnt" } else { "schulungsgewohnt" };
    vec![
        ("Datum", swiss_date(assessment.datum)),
        ("Richtung", assessment.richtung.label().to_owned()),
        ("Sprachförderbedarf", yes_no(assessment.sprachfoerderbedarf)),
        ("Schuljahre", format!("{} ({schooling})", assessment.schuljahre)),
        ("Lesen und Schreiben", assessment.literalitaet.label().to_owned()),
        ("Arbeitserfahrung", assessment.arbeitserfahrung.label().to_owned()),
        ("Potenzial", assessment.potenzial.label().to_owned()),
        ("Interkulturell Dolmetschende", yes_no(assessment.dolmetschende)),
        (
            "Bemerkungen",
            if assessment.bemerkungen.is_empty() { "–".to_owned() } else { assessment.bemerkungen.clone() },
        ),
    ]
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct OpenForm {
    sozialhilfe: Option<String>,
    gesundheitliche_einschraenkung: Option<String>,
}

/// Opens the dossier of a person (form on the person page).
pub async fn open(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(person_id): Path<String>,
    Form(form): Form<OpenForm>,
) -> Result<Response, PageError> {
    let person_id = parse_id(&person_id)?;
    let opened = state
        .store
        .open_dossier(
            user.actor(),
            person_id,
            form.sozialhilfe.is_some(),
            form.gesundheitliche_einschraenkung.is_some(),
        )
        .await;
    match opened {
        Ok(dossier) => Ok(Redirect::to(&format!("/dossiers/{}?hinweis=eroeffnet", dossier.id)).into_response()),
        Err(StoreError::Invalid(errors)) => {
            let message = errors.iter().map(|(_, m)| m.to_owned()).collect::<Vec<_>>().join(" ");
            crate::pages::persons::show_page(&state, &user, person_id, None, Some(message))
                .await
                .map(|page| (StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The dossier's forms (Kurzassessment, goal, Standortbestimmung) share one page: only heading, lead text,
/// target and fields differ.
#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/dossiers/form.html")]
pub struct DossierFormPage {
    layout: Layout,
    id: i64,
    /// «Liste eingrenzen» above a form with an offer picker.
    listenfilter: Option<ListenFilter>,
    heading: String,
    lead: String,
    action: String,
    submit: &'static str,
    fields: Vec<FormField>,
    errors: Vec<(String, String)>,
    /// The dossier's version the form is based on, for forms that send it back (Standortbestimmung).
    version: Option<i32>,
    /// After a colleague saved first: their values beside the values sent.
    konflikt: Option<Konflikt>,
    /// Further hidden fields: the proposal a goal form was opened from.
    hidden: Vec<(&'static str, String)>,
}

/// What differs between the dossier's forms.
pub(crate) struct FormSpec {
    pub(crate) title: &'static str,
    pub(crate) lead: String,
    pub(crate) path: &'static str,
    pub(crate) submit: &'static str,
}

pub(crate) fn form_page(
    user: &CurrentUser,
    dossier: &Dossier,
    spec: FormSpec,
    fields: Vec<FormField>,
    errors: &FieldErrors,
) -> DossierFormPage {
    let person_name = person_name(dossier);
    DossierFormPage {
        layout: Layout::for_user(user, format!("{} {person_name}", spec.title), "dossiers"),
        id: dossier.id,
        listenfilter: None,
        heading: format!("{}: {person_name}", spec.title),
        lead: spec.lead,
        action: format!("/dossiers/{}/{}", dossier.id, spec.path),
        submit: spec.submit,
        fields: with_errors(fields, errors),
        errors: summary(errors),
        version: None,
        konflikt: None,
        hidden: Vec::new(),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AssessmentForm {
    datum: String,
    richtung: String,
    sprachfoerderbedarf: String,
    schuljahre: String,
    literalitaet: String,
    arbeitserfahrung: String,
    potenzial: String,
    dolmetschende: String,
    bemerkungen: String,
}

impl AssessmentForm {
    fn input(self) -> KurzassessmentInput {
        KurzassessmentInput {
            datum: self.datum,
            richtung: self.richtung,
            sprachfoerderbedarf: self.sprachfoerderbedarf,
            schuljahre: self.schuljahre,
            literalitaet: self.literalitaet,
            arbeitserfahrung: self.arbeitserfahrung,
            potenzial: self.potenzial,
            dolmetschende: self.dolmetschende,
            bemerkungen: self.bemerkungen,
        }
    }
}

fn assessment_fields(input: &KurzassessmentInput) -> Vec<FormField> {
    let one = |value: &str| vec![value.to_owned()];
    let yes_no = || vec![("ja".to_owned(), "ja".to_owned()), ("nein".to_owned(), "nein".to_owned())];
    let mut schuljahre = text_field(
        "schuljahre",
        "Jahre Schulbesuch",
        "Weniger als 6 Jahre: schulungsgewohnt; ab 6 Jahren: schulgewohnt.",
        true,
        &input.schuljahre,
    );
    schuljahre.autocomplete = "off";
    vec![
        text_field("datum", "Datum des Gesprächs", "TT.MM.JJJJ", true, &input.datum),
        choice_field(
            "richtung",
            "Anzustrebende Integration",
            "radios",
            true,
            choices::<Richtung>(),
            &one(&input.richtung),
        ),
        choice_field(
            "sprachfoerderbedarf",
            "Sprachförderbedarf",
            "radios",
            true,
            yes_no(),
            &one(&input.sprachfoerderbedarf),
        ),
        schuljahre,
        choice_field(
            "literalitaet",
            "Lesen und Schreiben",
            "radios",
            true,
            choices::<Literalitaet>(),
            &one(&input.literalitaet),
        ),
        choice_field(
            "arbeitserfahrung",
            "Arbeitserfahrung",
            "radios",
            true,
            choices::<Arbeitserfahrung>(),
            &one(&input.arbeitserfahrung),
        ),
        choice_field("potenzial", "Potenzial", "radios", true, choices::<Potenzial>(), &one(&input.potenzial)),
        choice_field(
            "dolmetschende",
            "Interkulturell Dolmetschende beigezogen",
            "radios",
            true,
            yes_no(),
            &one(&input.dolmetschende),
        ),
        textarea_field("bemerkungen", "Bemerkungen", "", false, &input.bemerkungen),
    ]
}

async fn assessment_page(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    input: &KurzassessmentInput,
    errors: &FieldErrors,
) -> Result<DossierFormPage, PageError> {
    let dossier = state.store.get_dossier(user.actor(), id).await?;
    let spec = FormSpec {
        title: "Kurzassessment",
        lead: format!(
            "Standardisiertes Formular, Version {KURZASSESSMENT_VERSION}. Bei fremdsprachigen Personen wird empfohlen, interkulturell Dolmetschende beizuziehen."
        ),
        path: "kurzassessment",
        submit: "Kurzassessment speichern",
    };
    Ok(form_page(user, &dossier, spec, assessment_fields(input), errors))
}

pub async fn assessment_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<DossierFormPage, PageError> {
    state.store.check_permission(user.actor(), Resource::Dossier, Action::Update).await?;
    let today = state.store.clock().today();
    let input = KurzassessmentInput { datum: swiss_date(today), ..KurzassessmentInput::default() };
    assessment_page(&state, &user, parse_id(&id)?, &input, &FieldErrors::new()).await
}

pub async fn record_assessment(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<AssessmentForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = form.input();
    let recorded = match input.parse(state.store.clock().today()) {
        Ok(assessment) => state.store.record_kurzassessment(user.actor(), id, assessment).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match recorded {
        Ok(_) => Ok(to_dossier(id, "kurzassessment")),
        Err(StoreError::Invalid(errors)) => unprocessable(assessment_page(&state, &user, id, &input, &errors).await?),
        Err(other) => Err(other.into()),
    }
}

/// One version of the Kurzassessment, read-only (also an earlier one).
#[derive(Template, WebTemplate)]
#[template(path = "fallfuehrung/dossiers/kurzassessment_fassung.html")]
pub struct AssessmentVersionPage {
    layout: Layout,
    id: i64,
    heading: String,
    saved: String,
    current: bool,
    answers: Vec<(&'static str, String)>,
}

pub async fn assessment_version(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((id, fassung)): Path<(String, String)>,
) -> Result<AssessmentVersionPage, PageError> {
    let (id, fassung) = (parse_id(&id)?, parse_id(&fassung)?);
    let read = state.store.kurzassessment_fassung(user.actor(), id, fassung).await?;
    let version = &read.fassung;
    let heading =
        format!("Kurzassessment vom {}, Fassung {} von {}", swiss_date(version.datum), version.nummer, read.fassungen);
    Ok(AssessmentVersionPage {
        layout: Layout::for_user(&user, heading.clone(), "dossiers"),
        id,
        heading,
        saved: format!("Gespeichert am {} von {}.", format_swiss(version.erfasst_am), version.erfasst_von),
        current: read.aktuell,
        answers: answers(&read.kurzassessment),
    })
}

/// The proposal a form names: the Kurzassessment version it was shown for and its rule.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ProposalForm {
    fassung: String,
    regel: String,
}

impl ProposalForm {
    /// A proposal that cannot exist (a changed page) is refused like one no longer open.
    fn parse(&self) -> Result<(i64, VorschlagRegel), StoreError> {
        match (self.fassung.trim().parse(), VorschlagRegel::from_code(self.regel.trim())) {
            (Ok(fassung), Some(regel)) => Ok((fassung, regel)),
            _ => Err(StoreError::Invalid(FallfuehrungRegel::ZielvorschlagNichtOffen.als_feldfehler())),
        }
    }
}

/// Takes a proposal over into the Hilfsplan as proposed (one click).
pub async fn accept_proposal(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ProposalForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = match form.parse() {
        Ok((fassung, regel)) => state.store.accept_zielvorschlag(user.actor(), id, fassung, regel).await,
        Err(error) => Err(error),
    };
    after_proposal(&state, &user, id, result, "vorschlag_uebernommen").await
}

/// Discards a proposal for the current Kurzassessment.
pub async fn discard_proposal(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ProposalForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = match form.parse() {
        Ok((fassung, regel)) => state.store.discard_zielvorschlag(user.actor(), id, fassung, regel).await,
        Err(error) => Err(error),
    };
    after_proposal(&state, &user, id, result, "vorschlag_verworfen").await
}

/// Back to the dossier, or the dossier as it is now with the refusal beside the proposals.
async fn after_proposal(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    result: Result<Dossier, StoreError>,
    notice: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(to_dossier(id, notice)),
        Err(StoreError::Invalid(errors)) => {
            let message = errors.iter().map(|(_, m)| m.to_owned()).collect::<Vec<_>>().join(" ");
            let page = show_page(state, user, id, None, None).await?;
            unprocessable(ShowPage { proposal_error: Some(message), ..page })
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct GoalForm {
    handlungsfeld: String,
    ziel: String,
    kriterium: String,
    faellig_am: String,
    angebot: String,
    /// Set when the goal form was opened from a proposal of the Kurzassessment (see [`ProposalForm`]).
    vorschlag: String,
    fassung: String,
}

/// The goal form; `vorschlag` is the proposal (Kurzassessment version, rule) it was opened from, if any.
#[allow(clippy::too_many_arguments)]
async fn goal_page(
    state: &SharedState,
    user: &CurrentUser,
    dossier: &Dossier,
    input: &ZielInput,
    angebot: &str,
    filter: ListenFilter,
    errors: &FieldErrors,
    vorschlag: Option<(i64, VorschlagRegel)>,
) -> Result<DossierFormPage, PageError> {
    let (angebote, filter) = offer_options(state, user, filter, &[angebot]).await?;
    let fields = vec![
        choice_field(
            "handlungsfeld",
            "Handlungsfeld",
            "select",
            true,
            choices::<Handlungsfeld>(),
            std::slice::from_ref(&input.handlungsfeld),
        ),
        text_field("ziel", "Ziel", "Zum Beispiel «Deutsch auf Niveau A2».", true, &input.ziel),
        text_field(
            "kriterium",
            "Erreicht, wenn",
            "Woran man erkennt, dass das Ziel erreicht ist.",
            true,
            &input.kriterium,
        ),
        text_field("faellig_am", "Fällig bis", "TT.MM.JJJJ", true, &input.faellig_am),
        FormField {
            hint: "Ein veröffentlichtes Angebot der Angebotsplattform, mit dem das Ziel erreicht werden soll, nach Handlungsfeld; Angebote in Ihrer Region zuerst.",
            ..grouped_select("angebot", "Angebot", false, angebote, &[angebot.to_owned()])
        },
    ];
    let mut lead =
        "Jedes Ziel gehört zu einem Handlungsfeld und sagt, woran man erkennt, dass es erreicht ist, und bis wann."
            .to_owned();
    let mut hidden = Vec::new();
    if let Some((fassung, regel)) = vorschlag {
        if let Some(proposal) = dossier.zielvorschlaege.iter().find(|v| v.regel == regel) {
            lead =
                format!("Vorschlag aus dem Kurzassessment, vor dem Speichern anpassbar. {}.", proposal.begruendung());
        }
        hidden = vec![("vorschlag", regel.code().to_owned()), ("fassung", fassung.to_string())];
    }
    let spec = FormSpec { title: "Ziel im Hilfsplan", lead, path: "ziele", submit: "Ziel speichern" };
    Ok(DossierFormPage { listenfilter: Some(filter), hidden, ..form_page(user, dossier, spec, fields, errors) })
}

/// The goal form prefilled with the proposal `regel` of the current Kurzassessment, if it is still open.
fn proposal_input(dossier: &Dossier, regel: &str) -> Option<(ZielInput, (i64, VorschlagRegel))> {
    let regel = VorschlagRegel::from_code(regel)?;
    let fassung = dossier.kurzassessment_fassung.as_ref()?.id;
    let proposal = dossier.zielvorschlaege.iter().find(|v| v.regel == regel)?;
    let input = ZielInput {
        handlungsfeld: proposal.ziel.handlungsfeld.code().to_owned(),
        ziel: proposal.ziel.ziel.clone(),
        kriterium: proposal.ziel.kriterium.clone(),
        faellig_am: swiss_date(proposal.ziel.faellig_am),
    };
    Some((input, (fassung, regel)))
}

pub async fn goal_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<DossierFormPage, PageError> {
    state.store.check_permission(user.actor(), Resource::Dossier, Action::Update).await?;
    let id = parse_id(&id)?;
    let dossier = state.store.get_dossier(user.actor(), id).await?;
    let proposal = query.get("vorschlag").and_then(|regel| proposal_input(&dossier, regel));
    let filter = offer_filter(format!("/dossiers/{id}/ziele/neu"), &query);
    let (input, vorschlag) = proposal.map_or_else(|| (ZielInput::default(), None), |(input, v)| (input, Some(v)));
    goal_page(&state, &user, &dossier, &input, "", filter, &FieldErrors::new(), vorschlag).await
}

pub async fn add_goal(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<GoalForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = ZielInput {
        handlungsfeld: form.handlungsfeld,
        ziel: form.ziel,
        kriterium: form.kriterium,
        faellig_am: form.faellig_am,
    };
    let vorschlag = if form.vorschlag.is_empty() {
        Ok(None)
    } else {
        ProposalForm { fassung: form.fassung.clone(), regel: form.vorschlag.clone() }.parse().map(Some)
    };
    let added = match (input.parse(state.store.clock().today()), angebot_nr(&form.angebot), vorschlag) {
        (_, _, Err(error)) => Err(error),
        (Ok(ziel), Ok(angebot), Ok(Some((fassung, regel)))) => {
            state.store.add_ziel_aus_vorschlag(user.actor(), id, ziel, angebot, fassung, regel).await
        }
        (Ok(ziel), Ok(angebot), Ok(None)) => state.store.add_ziel_mit_angebot(user.actor(), id, ziel, angebot).await,
        (parsed, angebot, Ok(_)) => {
            let mut errors = parsed.err().unwrap_or_default();
            if let Err(message) = angebot {
                errors.add_owned("angebot".to_owned(), message);
            }
            Err(StoreError::Invalid(errors))
        }
    };
    match added {
        Ok(_) => Ok(to_dossier(id, "ziel")),
        Err(StoreError::Invalid(errors)) => {
            let dossier = state.store.get_dossier(user.actor(), id).await?;
            let filter = offer_filter(format!("/dossiers/{id}/ziele/neu"), &HashMap::new());
            let vorschlag = ProposalForm { fassung: form.fassung, regel: form.vorschlag }.parse().ok();
            let errors = proposal_error_at_goal(errors);
            let page = goal_page(&state, &user, &dossier, &input, &form.angebot, filter, &errors, vorschlag);
            unprocessable(page.await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// The goal form has no field «vorschlag»: a refused proposal is shown at the goal's text.
fn proposal_error_at_goal(errors: FieldErrors) -> FieldErrors {
    let feld = FallfuehrungRegel::ZielvorschlagNichtOffen.feld();
    let mut moved = FieldErrors::new();
    for (field, message) in errors.iter() {
        moved.add_owned(if field == feld { "ziel" } else { field }.to_owned(), message.to_owned());
    }
    moved
}

/// The Standortbestimmung form on the dossier as it is now; `version` is the dossier's version the form is
/// based on (`None`: the current one).
async fn standortbestimmung_page(
    state: &SharedState,
    user: &CurrentUser,
    id: i64,
    input: &StandortbestimmungInput,
    errors: &FieldErrors,
    version: Option<i32>,
) -> Result<DossierFormPage, PageError> {
    let dossier = state.store.get_dossier(user.actor(), id).await?;
    let version = version.unwrap_or(dossier.version);
    let mut fields = vec![text_field("datum", "Datum der Standortbestimmung", "TT.MM.JJJJ", true, &input.datum)];
    for goal in dossier.ziele.iter().filter(|goal| goal.offen()) {
        let answer = input.antworten.iter().find(|(goal_id, _, _)| *goal_id == goal.id);
        let chosen: Vec<String> = answer.map(|(_, code, _)| code.clone()).into_iter().collect();
        let label = format!("{}: {}", goal.ziel.handlungsfeld.label(), goal.ziel.ziel);
        let mut judgement =
            choice_field(&format!("bewertung_{}", goal.id), &label, "radios", true, choices::<Bewertung>(), &chosen);
        judgement.hint = "Bewertung";
        fields.push(judgement);
        let comment = answer.map(|(_, _, comment)| comment.as_str()).unwrap_or_default();
        fields.push(textarea_field(&format!("kommentar_{}", goal.id), "Kommentar zu diesem Ziel", "", false, comment));
    }
    fields.push(textarea_field("bemerkungen", "Bemerkungen", "", false, &input.bemerkungen));
    let spec = FormSpec {
        title: "Standortbestimmung",
        lead: "Die Standortbestimmung bewertet jedes offene Ziel des Hilfsplans. Die nächste ist spätestens zwölf Monate danach fällig."
            .to_owned(),
        path: "standortbestimmung",
        submit: "Standortbestimmung speichern",
    };
    Ok(DossierFormPage { version: Some(version), ..form_page(user, &dossier, spec, fields, errors) })
}

/// A colleague recorded a Standortbestimmung first: per goal the user judged, the colleague's judgement (the
/// goal's last one) beside the user's.
fn standortbestimmung_konflikt(dossier: &Dossier, input: &StandortbestimmungInput) -> Konflikt {
    let felder = input
        .antworten
        .iter()
        .filter_map(|(goal_id, code, _)| {
            let goal = dossier.ziele.iter().find(|goal| goal.id == *goal_id)?;
            let meine =
                Bewertung::from_code(code).map_or_else(|| "keine Bewertung".to_owned(), |b| b.label().to_owned());
            let feld = format!("{}: {}", goal.ziel.handlungsfeld.label(), goal.ziel.ziel);
            Some((feld, GoalRow::of(goal).bewertung, meine))
        })
        .collect();
    Konflikt::new(String::new(), felder, format!("/dossiers/{}/standortbestimmung", dossier.id))
}

pub async fn standortbestimmung_form(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<DossierFormPage, PageError> {
    state.store.check_permission(user.actor(), Resource::Dossier, Action::Update).await?;
    let input = StandortbestimmungInput {
        datum: swiss_date(state.store.clock().today()),
        ..StandortbestimmungInput::default()
    };
    standortbestimmung_page(&state, &user, parse_id(&id)?, &input, &FieldErrors::new(), None).await
}

/// The Standortbestimmung form has one judgement and one comment per goal (`bewertung_<id>`, `kommentar_<id>`).
fn standortbestimmung_input(fields: &[(String, String)]) -> StandortbestimmungInput {
    let value = |name: &str| fields.iter().find(|(key, _)| key == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let antworten = fields
        .iter()
        .filter_map(|(key, code)| {
            let goal: i64 = key.strip_prefix("bewertung_")?.parse().ok()?;
            Some((goal, code.clone(), value(&format!("kommentar_{goal}"))))
        })
        .collect();
    StandortbestimmungInput { datum: value("datum"), antworten, bemerkungen: value("bemerkungen") }
}

pub async fn record_standortbestimmung(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = standortbestimmung_input(&fields);
    let version = fields.iter().find(|(key, _)| key == "version").and_then(|(_, v)| v.trim().parse().ok());
    match state.store.record_standortbestimmung(user.actor(), id, version, &input).await {
        Ok(_) => Ok(to_dossier(id, "standortbestimmung")),
        Err(StoreError::Invalid(errors)) => {
            unprocessable(standortbestimmung_page(&state, &user, id, &input, &errors, version).await?)
        }
        Err(StoreError::Changed { .. }) => {
            let dossier = state.store.get_dossier(user.actor(), id).await?;
            let konflikt = standortbestimmung_konflikt(&dossier, &input);
            let page = standortbestimmung_page(&state, &user, id, &input, &FieldErrors::new(), None).await?;
            Ok((StatusCode::CONFLICT, DossierFormPage { konflikt: Some(konflikt), ..page }).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
