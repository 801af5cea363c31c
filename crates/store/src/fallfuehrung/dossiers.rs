//! Dossiers of the Durchgehende Fallführung, guarded like persons: every method takes the [`Actor`], asks
//! the matrix (a case worker reaches the dossiers it is responsible for, the Leitung those of its Stelle),
//! and writes the access log; a change writes its timeline event and log entry in its own transaction.

use crate::entity::{
    dossier, dossier_event, hilfsplan_ziel, kurzassessment, organisation, person, standortbestimmung, user,
    ziel_bewertung, zielvorschlag_verworfen,
};
use crate::fallfuehrung::massnahmen::{TeilnahmeEintrag, sprachstaende_of, teilnahmen_of};
use crate::fallfuehrung::persons::{PersonSummary, person_data};
use crate::guard::{Guard, Guarded};
use crate::{Page, PageWindow, Store, StoreError, begin_write, is_unique_violation};
use chrono::{DateTime, NaiveDate, Utc};
use iim_domain::dossier::{
    AsylStatus, Bewertung, DossierEvent, DossierStatus, Handlungsfeld, KURZASSESSMENT_VERSION, Kurzassessment,
    KurzassessmentInput, StandortbestimmungInput, TargetGroups, Ziel, check_eligibility, next_standortbestimmung,
};
use iim_domain::person::Choice;
use iim_domain::regeln::FallfuehrungRegel;
use iim_domain::sprache::{Sprachstand, aktueller_sprachstand};
use iim_domain::zielvorschlaege::{Grundlage, VorschlagRegel, Zielvorschlag, offene_vorschlaege};
use iim_domain::{Action, Actor, FieldErrors, Regel, Resource, Role, sortierung};
use sea_orm::sea_query::{Expr, NullOrdering, Order};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, NotSet, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// A dossier as the case worker sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dossier {
    pub id: i64,
    pub person: PersonSummary,
    pub stelle: String,
    pub responsible: String,
    pub groups: TargetGroups,
    pub status: DossierStatus,
    pub opened_at: DateTime<Utc>,
    /// Grows with every change; a form sends back the version it was loaded with.
    pub version: i32,
    /// The current Kurzassessment: the one saved last.
    pub kurzassessment: Option<Kurzassessment>,
    /// Which version the current Kurzassessment is, and who saved it when.
    pub kurzassessment_fassung: Option<KurzassessmentFassung>,
    /// The versions saved before the current one, newest first (at most [`FRUEHERE_FASSUNGEN`]).
    pub fruehere_kurzassessments: Vec<KurzassessmentFassung>,
    /// Goals the current Kurzassessment proposes that are neither goals yet nor discarded for it.
    pub zielvorschlaege: Vec<Zielvorschlag>,
    pub next_standortbestimmung: Option<NaiveDate>,
    /// The Hilfsplan, in the order the goals were set.
    pub ziele: Vec<HilfsplanZiel>,
    /// Orders to providers, oldest first.
    pub auftraege: Vec<crate::Auftrag>,
    /// The other members of the family, if linked.
    pub familie: Vec<crate::FamilienMitglied>,
    /// The open transfer, or the last refused one.
    pub uebergabe: Option<crate::Uebergabe>,
    /// A closing waiting for the Leitung.
    pub abschluss_antrag: Option<crate::AbschlussAntrag>,
    /// German levels, oldest first (as `aktueller_sprachstand` takes them).
    pub sprachstaende: Vec<Sprachstand>,
    /// Participations in measures, the latest start first.
    pub teilnahmen: Vec<TeilnahmeEintrag>,
    /// Exception requests to the Leitung: the open ones and the latest decided, newest first.
    pub ausnahmegesuche: Vec<crate::Ausnahmegesuch>,
    /// Newest first.
    pub timeline: Vec<TimelineEntry>,
}

/// A goal of the Hilfsplan with its latest judgement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HilfsplanZiel {
    pub id: i64,
    pub ziel: Ziel,
    pub letzte_bewertung: Option<Bewertung>,
    pub bewertet_am: Option<NaiveDate>,
    /// The offer of the Angebotsplattform the goal is to be reached with, if any (shown also once expired).
    pub angebot: Option<crate::AngebotVerweis>,
}

impl HilfsplanZiel {
    /// Open until a Standortbestimmung finds it reached.
    pub fn offen(&self) -> bool {
        self.letzte_bewertung != Some(Bewertung::Erreicht)
    }
}

/// How many earlier Kurzassessment versions the dossier lists; each stays readable by its number.
pub const FRUEHERE_FASSUNGEN: u64 = 100;

/// One saved version of the Kurzassessment. Saving again keeps the earlier versions; the last one is current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KurzassessmentFassung {
    pub id: i64,
    /// 1 for the first version of the dossier, counting up.
    pub nummer: u64,
    /// Date of the conversation.
    pub datum: NaiveDate,
    pub erfasst_am: DateTime<Utc>,
    pub erfasst_von: String,
}

/// One version of the Kurzassessment with its answers, read on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KurzassessmentGelesen {
    pub fassung: KurzassessmentFassung,
    pub kurzassessment: Kurzassessment,
    /// Whether this is the current version.
    pub aktuell: bool,
    /// How many versions the dossier has.
    pub fassungen: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub event: DossierEvent,
    pub by: String,
    pub detail: Option<String>,
}

/// A dossier for bulk loading (demo data, benchmark): opened at a time, optionally assessed, with goals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierSeed {
    pub person_id: i64,
    pub stelle_id: i64,
    pub responsible_user_id: i64,
    pub opened_at: DateTime<Utc>,
    pub kurzassessment: Option<Kurzassessment>,
    pub ziele: Vec<Ziel>,
}

/// One line of a caseload or worklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierSummary {
    pub id: i64,
    pub person_name: String,
    pub status: DossierStatus,
    pub responsible: String,
    pub next_standortbestimmung: Option<NaiveDate>,
    pub overdue: bool,
}

/// A change of one dossier in progress: its guard, the write transaction, the locked row and the time of
/// the change. Opened by [`Store::begin_change`], completed by [`Store::finish_change`].
pub(crate) struct DossierChange<'a> {
    pub guard: Guard<'a, dossier::Entity>,
    pub txn: DatabaseTransaction,
    pub row: dossier::Model,
    pub now: DateTime<Utc>,
}

impl Store {
    /// Opens the dossier of a person the actor may see, kept by the actor's organisation with the actor as
    /// responsible case worker. Refuses persons outside the target group and a second dossier.
    pub async fn open_dossier(
        &self,
        actor: &Actor,
        person_id: i64,
        sozialhilfe: bool,
        gesundheitliche_einschraenkung: bool,
    ) -> Result<Dossier, StoreError> {
        let guard = self.guard::<dossier::Entity>(actor, Action::Create, None).await?;
        let person = self.get_person(actor, person_id).await?;
        let today = self.clock.today();
        let groups = TargetGroups::derive(&person.data, sozialhilfe, gesundheitliche_einschraenkung, today);
        if let Err(refusal) = check_eligibility(&person.data, &groups) {
            return Err(StoreError::regel(FallfuehrungRegel::AusserhalbZielgruppe(refusal)));
        }
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        let row = dossier::ActiveModel {
            id: NotSet,
            person_id: Set(person_id),
            stelle_id: Set(actor.organisation_id),
            responsible_user_id: Set(actor.user_id),
            asyl: Set(groups.asyl.map(|a| match a {
                AsylStatus::Va => "va".to_owned(),
                AsylStatus::Fl => "fl".to_owned(),
            })),
            sozialhilfe: Set(groups.sozialhilfe),
            jugendliche: Set(groups.jugendliche),
            gesundheitliche_einschraenkung: Set(groups.gesundheitliche_einschraenkung),
            opened_at: Set(now),
            kurzassessment_datum: Set(None),
            standortbestimmung_datum: Set(None),
            naechste_standortbestimmung: Set(None),
            status: Set(status_code(DossierStatus::Eroeffnet).to_owned()),
            version: Set(1),
        }
        .insert(&txn)
        .await;
        let row = match row {
            Ok(row) => row,
            Err(error) if is_unique_violation(&error) => {
                return Err(StoreError::regel(FallfuehrungRegel::DossierBestehtSchon));
            }
            Err(error) => return Err(error.into()),
        };
        add_event(&txn, row.id, actor.user_id, DossierEvent::Eroeffnet, None, now).await?;
        guard.log_change(&txn, row.id, None).await?;
        let dossier = self.dossier_from_row(&txn, row).await?;
        txn.commit().await?;
        Ok(dossier)
    }

    /// One dossier with its timeline, if within the actor's scope; the read is logged.
    pub async fn get_dossier(&self, actor: &Actor, id: i64) -> Result<Dossier, StoreError> {
        let guard = self.guard::<dossier::Entity>(actor, Action::Read, Some(id)).await?;
        let row = guard.find(&self.db, id).await?;
        let dossier = self.dossier_from_row(&self.db, row).await?;
        guard.logged(Some(id), None, dossier).await
    }

    /// The id of the person's dossier, if there is one the actor may open (for a link on the person page).
    /// Only a number, so neither a refusal nor the answer is logged.
    pub async fn dossier_id_of_person(&self, actor: &Actor, person_id: i64) -> Result<Option<i64>, StoreError> {
        let Ok(scope) = actor.scope_for(Resource::Dossier, Action::Read) else {
            return Ok(None);
        };
        let select = dossier::Entity::find()
            .filter(<dossier::Entity as Guarded>::reach(actor, scope))
            .filter(dossier::Column::PersonId.eq(person_id));
        Ok(select.one(&self.db).await?.map(|row| row.id))
    }

    /// Records the Kurzassessment; it sets the dossier "in Abklärung" and starts the 12-month Standortbestimmung clock.
    /// Saving again adds a new version and keeps the earlier ones; the clock keeps starting from the earliest
    /// Kurzassessment's date (DOMAIN.md: the Standortbestimmung follows «at least every 12 months»; nothing says a
    /// repeated Kurzassessment restarts it, and a Standortbestimmung is what restarts it).
    pub async fn record_kurzassessment(
        &self,
        actor: &Actor,
        id: i64,
        assessment: Kurzassessment,
    ) -> Result<Dossier, StoreError> {
        let DossierChange { guard, txn, row, now } = self.begin_change(actor, id, Action::Update, false).await?;
        let earlier =
            kurzassessment::Entity::find().filter(kurzassessment::Column::DossierId.eq(row.id)).count(&txn).await?;
        kurzassessment::ActiveModel {
            id: NotSet,
            dossier_id: Set(row.id),
            form_version: Set(KURZASSESSMENT_VERSION),
            datum: Set(assessment.datum),
            answers: Set(answers_json(&assessment)),
            created_at: Set(now),
            created_by: Set(actor.user_id),
        }
        .insert(&txn)
        .await?;
        let mut summary = format!("{}, {}", assessment.datum.format("%d.%m.%Y"), assessment.richtung.label());
        if earlier > 0 {
            summary.push_str(&format!(" (Fassung {}; die früheren bleiben lesbar)", earlier + 1));
        }
        let first = row.kurzassessment_datum.map_or(assessment.datum, |date| date.min(assessment.datum));
        let mut active = row.into_active_model();
        active.kurzassessment_datum = Set(Some(first));
        self.finish_change(&guard, txn, active, DossierEvent::Kurzassessment, Some(summary), now).await
    }

    /// Adds a goal to the Hilfsplan; the first goal makes the plan active.
    pub async fn add_ziel(&self, actor: &Actor, id: i64, ziel: Ziel) -> Result<Dossier, StoreError> {
        self.add_ziel_mit_angebot(actor, id, ziel, None).await
    }

    /// Adds a goal to be reached with a published offer of the Angebotsplattform (`angebot_id`, checked here).
    pub async fn add_ziel_mit_angebot(
        &self,
        actor: &Actor,
        id: i64,
        ziel: Ziel,
        angebot_id: Option<i64>,
    ) -> Result<Dossier, StoreError> {
        self.insert_goal(actor, id, ziel, angebot_id, None).await
    }

    /// Adds the goal a proposal of the Kurzassessment version `fassung` led to, as the case worker edited it in
    /// the goal form. Refused with [`FallfuehrungRegel::ZielvorschlagNichtOffen`] when the proposal is no longer
    /// open (a goal from it exists, it was discarded), so a form sent twice adds one goal.
    pub async fn add_ziel_aus_vorschlag(
        &self,
        actor: &Actor,
        id: i64,
        ziel: Ziel,
        angebot_id: Option<i64>,
        fassung: i64,
        regel: VorschlagRegel,
    ) -> Result<Dossier, StoreError> {
        self.insert_goal(actor, id, ziel, angebot_id, Some((fassung, regel))).await
    }

    /// Takes a proposal of the Kurzassessment version `fassung` into the Hilfsplan as it is proposed.
    pub async fn accept_zielvorschlag(
        &self,
        actor: &Actor,
        id: i64,
        fassung: i64,
        regel: VorschlagRegel,
    ) -> Result<Dossier, StoreError> {
        let DossierChange { guard, txn, row, now } = self.begin_change(actor, id, Action::Update, false).await?;
        let vorschlag = self.offener_vorschlag(&txn, &row, fassung, regel).await?;
        let summary =
            format!("{}: {} (aus dem Kurzassessment)", vorschlag.ziel.handlungsfeld.label(), vorschlag.ziel.ziel);
        let mut goal = goal_row(row.id, &vorschlag.ziel, actor.user_id, now);
        goal.vorschlag_regel = Set(Some(regel.code().to_owned()));
        goal.insert(&txn).await?;
        self.finish_change(&guard, txn, row.into_active_model(), DossierEvent::ZielErfasst, Some(summary), now).await
    }

    /// Discards a proposal for the Kurzassessment version `fassung`: it is not proposed again for that version
    /// (a later version may propose it again).
    pub async fn discard_zielvorschlag(
        &self,
        actor: &Actor,
        id: i64,
        fassung: i64,
        regel: VorschlagRegel,
    ) -> Result<Dossier, StoreError> {
        let DossierChange { guard, txn, row, now } = self.begin_change(actor, id, Action::Update, false).await?;
        let vorschlag = self.offener_vorschlag(&txn, &row, fassung, regel).await?;
        zielvorschlag_verworfen::ActiveModel {
            id: NotSet,
            dossier_id: Set(row.id),
            kurzassessment_id: Set(fassung),
            regel: Set(regel.code().to_owned()),
            verworfen_at: Set(now),
            verworfen_by: Set(actor.user_id),
        }
        .insert(&txn)
        .await?;
        let summary = format!("{}: {}", vorschlag.ziel.handlungsfeld.label(), vorschlag.ziel.ziel);
        let event = DossierEvent::ZielvorschlagVerworfen;
        self.finish_change(&guard, txn, row.into_active_model(), event, Some(summary), now).await
    }

    /// One version of the dossier's Kurzassessment with its answers (also an earlier one); the read is logged.
    pub async fn kurzassessment_fassung(
        &self,
        actor: &Actor,
        id: i64,
        fassung: i64,
    ) -> Result<KurzassessmentGelesen, StoreError> {
        let guard = self.guard::<dossier::Entity>(actor, Action::Read, Some(id)).await?;
        let row = guard.find(&self.db, id).await?;
        let assessment = kurzassessment::Entity::find()
            .filter(kurzassessment::Column::DossierId.eq(row.id))
            .filter(kurzassessment::Column::Id.eq(fassung))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let versions = kurzassessment::Entity::find().filter(kurzassessment::Column::DossierId.eq(row.id));
        let fassungen = versions.clone().count(&self.db).await?;
        let before = versions.clone().filter(kurzassessment::Column::Id.lt(fassung)).count(&self.db).await?;
        let later = versions.filter(kurzassessment::Column::Id.gt(fassung)).count(&self.db).await?;
        let gelesen = KurzassessmentGelesen {
            kurzassessment: assessment_from_row(&assessment, self.clock.today())?,
            fassung: KurzassessmentFassung {
                id: assessment.id,
                nummer: before + 1,
                datum: assessment.datum,
                erfasst_am: assessment.created_at,
                erfasst_von: user_name(&self.db, assessment.created_by).await?,
            },
            aktuell: later == 0,
            fassungen,
        };
        let detail = format!("Kurzassessment Fassung {} von {fassungen}", before + 1);
        guard.logged(Some(id), Some(detail), gelesen).await
    }

    /// The proposal of `regel` if it is open for the current Kurzassessment, which must be version `fassung`.
    async fn offener_vorschlag(
        &self,
        txn: &DatabaseTransaction,
        row: &dossier::Model,
        fassung: i64,
        regel: VorschlagRegel,
    ) -> Result<Zielvorschlag, StoreError> {
        let current = current_assessment(txn, row.id).await?;
        let Some(current) = current.filter(|current| current.id == fassung) else {
            return Err(StoreError::regel(FallfuehrungRegel::KurzassessmentNeuErfasst));
        };
        let assessment = assessment_from_row(&current, self.clock.today())?;
        let sprachstaende = sprachstaende_of(txn, row.id).await?;
        let offen = open_proposals(txn, row, &current, &assessment, &sprachstaende, self.clock.today()).await?;
        offen
            .into_iter()
            .find(|vorschlag| vorschlag.regel == regel)
            .ok_or_else(|| StoreError::regel(FallfuehrungRegel::ZielvorschlagNichtOffen))
    }

    /// Adds a goal, from a proposal (`vorschlag`: Kurzassessment version and rule) or by hand.
    async fn insert_goal(
        &self,
        actor: &Actor,
        id: i64,
        ziel: Ziel,
        angebot_id: Option<i64>,
        vorschlag: Option<(i64, VorschlagRegel)>,
    ) -> Result<Dossier, StoreError> {
        let DossierChange { guard, txn, row, now } = self.begin_change(actor, id, Action::Update, false).await?;
        if let Some((fassung, regel)) = vorschlag {
            self.offener_vorschlag(&txn, &row, fassung, regel).await?;
        }
        if let Some(angebot_id) = angebot_id {
            let mut errors = iim_domain::FieldErrors::new();
            self.check_pickable(&txn, angebot_id, "angebot".to_owned(), &mut errors).await?;
            if !errors.is_empty() {
                return Err(StoreError::Invalid(errors));
            }
        }
        let summary = format!("{}: {}", ziel.handlungsfeld.label(), ziel.ziel);
        let mut goal = goal_row(row.id, &ziel, actor.user_id, now);
        goal.angebot_id = Set(angebot_id);
        goal.vorschlag_regel = Set(vorschlag.map(|(_, regel)| regel.code().to_owned()));
        goal.insert(&txn).await?;
        self.finish_change(&guard, txn, row.into_active_model(), DossierEvent::ZielErfasst, Some(summary), now).await
    }

    /// Records a Standortbestimmung that judges every open goal; it restarts the 12-month Standortbestimmung clock.
    /// `expected_version` is the dossier's version the form was loaded with (`None`: no check, the API): a
    /// Standortbestimmung based on an older state is refused with [`StoreError::Changed`]. A goal already
    /// found reached is never judged again. Both checks run on the locked dossier, in the transaction.
    pub async fn record_standortbestimmung(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: Option<i32>,
        input: &StandortbestimmungInput,
    ) -> Result<Dossier, StoreError> {
        let DossierChange { guard, txn, row, now } =
            self.begin_versioned_change(actor, id, Action::Update, expected_version).await?;
        let goals =
            hilfsplan_ziel::Entity::find().filter(hilfsplan_ziel::Column::DossierId.eq(row.id)).all(&txn).await?;
        refuse_judging_reached_goals(&goals, input)?;
        let open: Vec<i64> = goals.iter().filter(|goal| !is_reached(goal)).map(|goal| goal.id).collect();
        let standortbestimmung = input.parse(&open, self.clock.today()).map_err(StoreError::Invalid)?;
        let stored = standortbestimmung::ActiveModel {
            id: NotSet,
            dossier_id: Set(row.id),
            datum: Set(standortbestimmung.datum),
            bemerkungen: Set(standortbestimmung.bemerkungen.clone()),
            created_at: Set(now),
            created_by: Set(actor.user_id),
        }
        .insert(&txn)
        .await?;
        for judgement in &standortbestimmung.bewertungen {
            ziel_bewertung::ActiveModel {
                id: NotSet,
                standortbestimmung_id: Set(stored.id),
                ziel_id: Set(judgement.ziel_id),
                bewertung: Set(judgement.bewertung.code().to_owned()),
                kommentar: Set(judgement.kommentar.clone()),
            }
            .insert(&txn)
            .await?;
            hilfsplan_ziel::Entity::update_many()
                .col_expr(hilfsplan_ziel::Column::LetzteBewertung, Expr::value(judgement.bewertung.code()))
                .col_expr(hilfsplan_ziel::Column::BewertetAm, Expr::value(standortbestimmung.datum))
                .filter(hilfsplan_ziel::Column::Id.eq(judgement.ziel_id))
                .exec(&txn)
                .await?;
        }
        let reached = standortbestimmung.bewertungen.iter().filter(|b| b.bewertung == Bewertung::Erreicht).count();
        let summary = format!(
            "{}, {} von {} Zielen erreicht",
            standortbestimmung.datum.format("%d.%m.%Y"),
            reached,
            standortbestimmung.bewertungen.len()
        );
        let mut active = row.into_active_model();
        active.standortbestimmung_datum = Set(Some(standortbestimmung.datum));
        self.finish_change(&guard, txn, active, DossierEvent::Standortbestimmung, Some(summary), now).await
    }

    /// Opens the write transaction of a change: the guard for `action`, the dossier within its reach, and
    /// the check that the dossier is open (or, when `reopening`, that it is closed).
    /// The dossier row is locked until the change commits (see `aenderung`), so changes of one dossier run
    /// one after the other and each sees the one before.
    pub(crate) async fn begin_change<'a>(
        &'a self,
        actor: &'a Actor,
        id: i64,
        action: Action,
        reopening: bool,
    ) -> Result<DossierChange<'a>, StoreError> {
        self.begin_dossier_change(actor, id, action, None, reopening).await
    }

    /// [`Store::begin_change`] of a form that names the dossier's version it was loaded with: a change based
    /// on an older state is refused with [`StoreError::Changed`] (only within the reach, so the answer
    /// reveals nothing outside it).
    pub(crate) async fn begin_versioned_change<'a>(
        &'a self,
        actor: &'a Actor,
        id: i64,
        action: Action,
        expected_version: Option<i32>,
    ) -> Result<DossierChange<'a>, StoreError> {
        self.begin_dossier_change(actor, id, action, expected_version, false).await
    }

    async fn begin_dossier_change<'a>(
        &'a self,
        actor: &'a Actor,
        id: i64,
        action: Action,
        expected_version: Option<i32>,
        reopening: bool,
    ) -> Result<DossierChange<'a>, StoreError> {
        let guard = self.guard::<dossier::Entity>(actor, action, Some(id)).await?;
        let txn = begin_write(&self.db).await?;
        let row = guard.find_version_for_change(&txn, id, expected_version).await?;
        let closed = row.status == status_code(DossierStatus::Abgeschlossen);
        let refusal = match (closed, reopening) {
            (true, false) => Some(FallfuehrungRegel::DossierAbgeschlossen),
            (false, true) => Some(FallfuehrungRegel::DossierNichtAbgeschlossen),
            _ => None,
        };
        if let Some(regel) = refusal {
            return Err(StoreError::regel(regel));
        }
        Ok(DossierChange { guard, txn, row, now: self.clock.now() })
    }

    /// Reopens a closed dossier; it continues where it stood, with the same Stelle and case worker.
    pub async fn reopen_dossier(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: Option<i32>,
        begruendung: &str,
    ) -> Result<Dossier, StoreError> {
        if begruendung.trim().is_empty() {
            return Err(StoreError::regel(FallfuehrungRegel::WiedereroeffnungOhneBegruendung));
        }
        let DossierChange { guard, txn, row, now } =
            self.begin_dossier_change(actor, id, Action::Update, expected_version, true).await?;
        let summary = Some(begruendung.trim().to_owned());
        self.finish_change(&guard, txn, row.into_active_model(), DossierEvent::Wiedereroeffnet, summary, now).await
    }

    /// The Leitung hands the dossier to another case worker of the same Stelle. `expected_version` is the
    /// dossier's version the page was loaded with: a page older than a colleague's change is refused with
    /// [`StoreError::Changed`] instead of overwriting it.
    pub async fn reassign_dossier(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: Option<i32>,
        username: &str,
    ) -> Result<Dossier, StoreError> {
        let DossierChange { guard, txn, row, now } =
            self.begin_versioned_change(actor, id, Action::Assign, expected_version).await?;
        let candidate =
            self.case_workers_of(&txn, row.stelle_id).await?.into_iter().find(|u| u.username == username.trim());
        let Some(case_worker) = candidate else {
            return Err(StoreError::regel(FallfuehrungRegel::KeineFallfuehrungDerStelle));
        };
        let summary = Some(format!("an {}", case_worker.display_name));
        let mut active = row.into_active_model();
        active.responsible_user_id = Set(case_worker.id);
        self.finish_change(&guard, txn, active, DossierEvent::Zugewiesen, summary, now).await
    }

    /// The active case workers (Fallführung or Leitung) of the actor's Stelle, for reassignment.
    pub async fn case_workers_of_stelle(&self, actor: &Actor) -> Result<Vec<(String, String)>, StoreError> {
        actor.scope_for(Resource::Dossier, Action::Assign)?;
        let users = self.case_workers_of(&self.db, actor.organisation_id).await?;
        Ok(users.into_iter().map(|u| (u.username, u.display_name)).collect())
    }

    async fn case_workers_of(&self, db: &impl ConnectionTrait, stelle_id: i64) -> Result<Vec<user::Model>, StoreError> {
        let users = user::Entity::find()
            .filter(user::Column::OrganisationId.eq(stelle_id))
            .filter(user::Column::Disabled.eq(false))
            .all(db)
            .await?;
        let mut users: Vec<user::Model> = users
            .into_iter()
            .filter(|u| {
                u.roles.split(',').any(|role| role == Role::Fallfuehrung.code() || role == Role::Leitung.code())
            })
            .collect();
        sortierung::nach_deutsch(&mut users, |u| u.display_name.as_str());
        Ok(users)
    }

    /// Completes a change in its transaction: appends the timeline event, recomputes status and next
    /// Standortbestimmung from the events and dates, writes the log entry and commits.
    pub(crate) async fn finish_change(
        &self,
        guard: &Guard<'_, dossier::Entity>,
        txn: DatabaseTransaction,
        mut active: dossier::ActiveModel,
        event: DossierEvent,
        summary: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Dossier, StoreError> {
        let id = active.id.clone().take().ok_or_else(|| StoreError::Corrupt("Dossier ohne Nummer".to_owned()))?;
        add_event(&txn, id, guard.actor().user_id, event, summary, now).await?;
        let events = events_of(&txn, id).await?;
        let status = DossierStatus::after(&events);
        active.status = Set(status_code(status).to_owned());
        let kurzassessment = active.kurzassessment_datum.clone().take().flatten();
        let last_standortbestimmung = active.standortbestimmung_datum.clone().take().flatten();
        let next = next_standortbestimmung(kurzassessment, last_standortbestimmung)
            .filter(|_| status != DossierStatus::Abgeschlossen);
        active.naechste_standortbestimmung = Set(next);
        let version = active.version.clone().take().unwrap_or_default();
        active.version = Set(version + 1);
        let row = active.update(&txn).await?;
        guard.log_change(&txn, id, Some(event.label().to_owned())).await?;
        let dossier = self.dossier_from_row(&txn, row).await?;
        txn.commit().await?;
        Ok(dossier)
    }

    /// The caseload: the dossiers within the actor's scope; first those still without Kurzassessment, then by
    /// due date of the next Standortbestimmung, so the most overdue come first. `overdue` marks Standortbestimmungen past
    /// due today.
    pub async fn caseload(&self, actor: &Actor, page: u64, per_page: u64) -> Result<Page<DossierSummary>, StoreError> {
        let guard = self.guard::<dossier::Entity>(actor, Action::Read, None).await?;
        let select = guard.select();
        let window = PageWindow::new(page, per_page, 200);
        let PageWindow { page, per_page } = window;
        let total = select.clone().count(&self.db).await?;
        let rows = select
            .order_by_with_nulls(dossier::Column::NaechsteStandortbestimmung, Order::Asc, NullOrdering::First)
            .order_by_asc(dossier::Column::Id)
            .offset(window.offset())
            .limit(per_page)
            .all(&self.db)
            .await?;
        let today = self.clock.today();
        let names = person_names(&self.db, rows.iter().map(|row| row.person_id)).await?;
        let case_workers = user_names(&self.db, rows.iter().map(|row| row.responsible_user_id)).await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let next = row.naechste_standortbestimmung;
            items.push(DossierSummary {
                id: row.id,
                person_name: names.get(&row.person_id).cloned().ok_or(StoreError::NotFound)?,
                status: status_from_code(&row.status)?,
                responsible: case_workers.get(&row.responsible_user_id).cloned().unwrap_or_default(),
                next_standortbestimmung: next,
                overdue: next.is_some_and(|due| due < today),
            });
        }
        let shown: Vec<String> = items.iter().map(|d| d.id.to_string()).collect();
        let detail = format!("Fallliste Seite {page}, angezeigt: {}", shown.join(","));
        guard.logged(None, Some(detail), Page { items, page, per_page, total }).await
    }

    /// How many open dossiers within the actor's scope have a Standortbestimmung past due (for the start
    /// page). No personal data, so not logged.
    pub async fn overdue_standortbestimmungen(&self, actor: &Actor) -> Result<u64, StoreError> {
        let scope = actor.scope_for(Resource::Dossier, Action::Read)?;
        Ok(dossier::Entity::find()
            .filter(<dossier::Entity as Guarded>::reach(actor, scope))
            .filter(dossier::Column::NaechsteStandortbestimmung.lt(self.clock.today()))
            .filter(dossier::Column::Status.ne(status_code(DossierStatus::Abgeschlossen)))
            .count(&self.db)
            .await?)
    }

    pub(crate) async fn dossier_from_row(
        &self,
        db: &impl ConnectionTrait,
        row: dossier::Model,
    ) -> Result<Dossier, StoreError> {
        let today = self.clock.today();
        let person_row = person::Entity::find_by_id(row.person_id).one(db).await?.ok_or(StoreError::NotFound)?;
        let person = PersonSummary { id: person_row.id, data: person_data(&person_row, today)? };
        let stelle = organisation::Entity::find_by_id(row.stelle_id).one(db).await?.map(|o| o.name).unwrap_or_default();
        let current = current_assessment(db, row.id).await?;
        let kurzassessment = current.as_ref().map(|k| assessment_from_row(k, today)).transpose()?;
        let mut fassungen = assessment_versions(db, row.id).await?.into_iter();
        let kurzassessment_fassung = fassungen.next();
        let sprachstaende = sprachstaende_of(db, row.id).await?;
        let zielvorschlaege = match (&current, &kurzassessment) {
            (Some(current), Some(assessment)) => {
                open_proposals(db, &row, current, assessment, &sprachstaende, today).await?
            }
            _ => Vec::new(),
        };
        let goal_rows = hilfsplan_ziel::Entity::find()
            .filter(hilfsplan_ziel::Column::DossierId.eq(row.id))
            .order_by_asc(hilfsplan_ziel::Column::Id)
            .all(db)
            .await?;
        let angebote = self.offer_links(db, goal_rows.iter().filter_map(|goal| goal.angebot_id)).await?;
        let ziele = goal_rows
            .into_iter()
            .map(|goal| {
                let angebot = goal.angebot_id.and_then(|id| angebote.get(&id).cloned());
                goal_from_row(goal).map(|ziel| crate::HilfsplanZiel { angebot, ..ziel })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let events = dossier_event::Entity::find()
            .filter(dossier_event::Column::DossierId.eq(row.id))
            .order_by_desc(dossier_event::Column::Id)
            .all(db)
            .await?;
        let names = user_names(db, events.iter().map(|event| event.actor_user_id)).await?;
        let timeline = events
            .into_iter()
            .map(|event| {
                Ok(TimelineEntry {
                    at: event.occurred_at,
                    event: DossierEvent::from_code(&event.kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("Ereignis {} unbekannt", event.kind)))?,
                    by: names.get(&event.actor_user_id).cloned().unwrap_or_default(),
                    detail: event.detail,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let directory = self.directory();
        Ok(Dossier {
            auftraege: crate::fallfuehrung::auftraege::orders_of(db, row.id).await?,
            familie: crate::fallfuehrung::familien::family_of(db, &row, &directory).await?,
            uebergabe: crate::fallfuehrung::uebergaben::latest_transfer(db, row.id, &directory).await?,
            abschluss_antrag: crate::fallfuehrung::abschluss::pending_closing(db, row.id).await?,
            id: row.id,
            person,
            stelle,
            responsible: user_name(db, row.responsible_user_id).await?,
            groups: groups_of(&row),
            status: status_from_code(&row.status)?,
            opened_at: row.opened_at,
            version: row.version,
            kurzassessment,
            kurzassessment_fassung,
            fruehere_kurzassessments: fassungen.collect(),
            zielvorschlaege,
            next_standortbestimmung: row.naechste_standortbestimmung,
            ziele,
            sprachstaende,
            teilnahmen: teilnahmen_of(db, row.id).await?,
            ausnahmegesuche: crate::fallfuehrung::ausnahmegesuche::requests_of(db, row.id).await?,
            timeline,
        })
    }
}

/// The target groups as stored with the dossier.
pub(crate) fn groups_of(row: &dossier::Model) -> TargetGroups {
    TargetGroups {
        asyl: match row.asyl.as_deref() {
            Some("va") => Some(AsylStatus::Va),
            Some("fl") => Some(AsylStatus::Fl),
            _ => None,
        },
        sozialhilfe: row.sozialhilfe,
        jugendliche: row.jugendliche,
        gesundheitliche_einschraenkung: row.gesundheitliche_einschraenkung,
    }
}

pub(crate) fn seed_row(seed: &DossierSeed) -> dossier::ActiveModel {
    let assessed = seed.kurzassessment.as_ref().map(|k| k.datum);
    let status = match (seed.ziele.is_empty(), assessed) {
        (false, _) => DossierStatus::HilfsplanAktiv,
        (true, Some(_)) => DossierStatus::InAbklaerung,
        (true, None) => DossierStatus::Eroeffnet,
    };
    dossier::ActiveModel {
        id: NotSet,
        person_id: Set(seed.person_id),
        stelle_id: Set(seed.stelle_id),
        responsible_user_id: Set(seed.responsible_user_id),
        asyl: Set(None),
        sozialhilfe: Set(true),
        jugendliche: Set(false),
        gesundheitliche_einschraenkung: Set(false),
        opened_at: Set(seed.opened_at),
        kurzassessment_datum: Set(assessed),
        standortbestimmung_datum: Set(None),
        naechste_standortbestimmung: Set(next_standortbestimmung(assessed, None)),
        status: Set(status_code(status).to_owned()),
        version: Set(1),
    }
}

pub(crate) fn event_row(
    dossier_id: i64,
    actor_user_id: i64,
    event: DossierEvent,
    detail: Option<String>,
    at: DateTime<Utc>,
) -> dossier_event::ActiveModel {
    dossier_event::ActiveModel {
        id: NotSet,
        dossier_id: Set(dossier_id),
        occurred_at: Set(at),
        actor_user_id: Set(actor_user_id),
        kind: Set(event.code().to_owned()),
        detail: Set(detail),
    }
}

pub(crate) fn goal_row(dossier_id: i64, ziel: &Ziel, by: i64, at: DateTime<Utc>) -> hilfsplan_ziel::ActiveModel {
    hilfsplan_ziel::ActiveModel {
        id: NotSet,
        dossier_id: Set(dossier_id),
        handlungsfeld: Set(ziel.handlungsfeld.code().to_owned()),
        ziel: Set(ziel.ziel.clone()),
        kriterium: Set(ziel.kriterium.clone()),
        faellig_am: Set(ziel.faellig_am),
        letzte_bewertung: Set(None),
        bewertet_am: Set(None),
        created_at: Set(at),
        created_by: Set(by),
        angebot_id: Set(None),
        vorschlag_regel: Set(None),
    }
}

pub(crate) async fn add_event(
    db: &impl ConnectionTrait,
    dossier_id: i64,
    actor_user_id: i64,
    event: DossierEvent,
    detail: Option<String>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    event_row(dossier_id, actor_user_id, event, detail, at).insert(db).await?;
    Ok(())
}

async fn events_of(db: &impl ConnectionTrait, dossier_id: i64) -> Result<Vec<DossierEvent>, StoreError> {
    let kinds: Vec<String> = dossier_event::Entity::find()
        .filter(dossier_event::Column::DossierId.eq(dossier_id))
        .order_by_asc(dossier_event::Column::Id)
        .select_only()
        .column(dossier_event::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    Ok(kinds.iter().filter_map(|kind| DossierEvent::from_code(kind)).collect())
}

/// «Nachname, Vornamen» of several persons in one query.
pub(crate) async fn person_names(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, String>, StoreError> {
    let rows: Vec<(i64, String, String)> = person::Entity::find()
        .filter(person::Column::Id.is_in(ids.collect::<Vec<_>>()))
        .select_only()
        .column(person::Column::Id)
        .column(person::Column::Nachname)
        .column(person::Column::Vornamen)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, nachname, vornamen)| (id, format!("{nachname}, {vornamen}"))).collect())
}

/// Display names of several users in one query.
pub(crate) async fn user_names(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, String>, StoreError> {
    let rows: Vec<(i64, String)> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.collect::<Vec<_>>()))
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::DisplayName)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

pub(crate) async fn user_name(db: &impl ConnectionTrait, id: i64) -> Result<String, StoreError> {
    Ok(user::Entity::find_by_id(id).one(db).await?.map(|u| u.display_name).unwrap_or_default())
}

pub(crate) fn status_code(status: DossierStatus) -> &'static str {
    match status {
        DossierStatus::Eroeffnet => "1_eroeffnet",
        DossierStatus::InAbklaerung => "2_in_abklaerung",
        DossierStatus::HilfsplanAktiv => "3_hilfsplan_aktiv",
        DossierStatus::Abgeschlossen => "4_abgeschlossen",
    }
}

pub(crate) fn status_from_code(code: &str) -> Result<DossierStatus, StoreError> {
    [DossierStatus::Eroeffnet, DossierStatus::InAbklaerung, DossierStatus::HilfsplanAktiv, DossierStatus::Abgeschlossen]
        .into_iter()
        .find(|status| status_code(*status) == code)
        .ok_or_else(|| StoreError::Corrupt(format!("Dossierstatus {code} unbekannt")))
}

/// A goal found reached stays reached: a Standortbestimmung that judges it again (typically a second one
/// written at the same time from an older page) is refused.
fn refuse_judging_reached_goals(
    goals: &[hilfsplan_ziel::Model],
    input: &StandortbestimmungInput,
) -> Result<(), StoreError> {
    let regel = FallfuehrungRegel::ZielBereitsErreicht;
    let mut errors = FieldErrors::new();
    for goal in goals.iter().filter(|goal| is_reached(goal)) {
        if input.antworten.iter().any(|(id, code, _)| *id == goal.id && !code.trim().is_empty()) {
            errors.add_owned(format!("{}_{}", regel.feld(), goal.id), regel.to_string());
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(StoreError::Invalid(errors)) }
}

fn is_reached(goal: &hilfsplan_ziel::Model) -> bool {
    goal.letzte_bewertung.as_deref() == Some(Bewertung::Erreicht.code())
}

fn goal_from_row(row: hilfsplan_ziel::Model) -> Result<HilfsplanZiel, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("Hilfsplan-Ziel {}", row.id));
    Ok(HilfsplanZiel {
        id: row.id,
        ziel: Ziel {
            handlungsfeld: Handlungsfeld::from_code(&row.handlungsfeld).ok_or_else(corrupt)?,
            ziel: row.ziel.clone(),
            kriterium: row.kriterium.clone(),
            faellig_am: row.faellig_am,
        },
        letzte_bewertung: match &row.letzte_bewertung {
            Some(code) => Some(Bewertung::from_code(code).ok_or_else(corrupt)?),
            None => None,
        },
        bewertet_am: row.bewertet_am,
        angebot: None,
    })
}

/// The current Kurzassessment: the version saved last.
async fn current_assessment(
    db: &impl ConnectionTrait,
    dossier_id: i64,
) -> Result<Option<kurzassessment::Model>, StoreError> {
    Ok(kurzassessment::Entity::find()
        .filter(kurzassessment::Column::DossierId.eq(dossier_id))
        .order_by_desc(kurzassessment::Column::Id)
        .one(db)
        .await?)
}

/// The current version and up to [`FRUEHERE_FASSUNGEN`] earlier ones, newest first, without their answers.
async fn assessment_versions(
    db: &impl ConnectionTrait,
    dossier_id: i64,
) -> Result<Vec<KurzassessmentFassung>, StoreError> {
    let versions = kurzassessment::Entity::find().filter(kurzassessment::Column::DossierId.eq(dossier_id));
    let total = versions.clone().count(db).await?;
    let rows: Vec<(i64, NaiveDate, DateTime<Utc>, i64)> = versions
        .select_only()
        .column(kurzassessment::Column::Id)
        .column(kurzassessment::Column::Datum)
        .column(kurzassessment::Column::CreatedAt)
        .column(kurzassessment::Column::CreatedBy)
        .order_by_desc(kurzassessment::Column::Id)
        .limit(FRUEHERE_FASSUNGEN + 1)
        .into_tuple()
        .all(db)
        .await?;
    let names = user_names(db, rows.iter().map(|(_, _, _, by)| *by)).await?;
    Ok(rows
        .into_iter()
        .zip(0..)
        .map(|((id, datum, erfasst_am, by), newer)| KurzassessmentFassung {
            id,
            nummer: total - newer,
            datum,
            erfasst_am,
            erfasst_von: names.get(&by).cloned().unwrap_or_default(),
        })
        .collect())
}

/// The proposals of the current Kurzassessment (`current`, parsed as `assessment`) that are still open: no goal
/// of the dossier was made from their rule, and they were not discarded for this version.
async fn open_proposals(
    db: &impl ConnectionTrait,
    row: &dossier::Model,
    current: &kurzassessment::Model,
    assessment: &Kurzassessment,
    sprachstaende: &[Sprachstand],
    today: NaiveDate,
) -> Result<Vec<Zielvorschlag>, StoreError> {
    let from_goals: Vec<Option<String>> = hilfsplan_ziel::Entity::find()
        .filter(hilfsplan_ziel::Column::DossierId.eq(row.id))
        .filter(hilfsplan_ziel::Column::VorschlagRegel.is_not_null())
        .select_only()
        .column(hilfsplan_ziel::Column::VorschlagRegel)
        .into_tuple()
        .all(db)
        .await?;
    let discarded: Vec<String> = zielvorschlag_verworfen::Entity::find()
        .filter(zielvorschlag_verworfen::Column::DossierId.eq(row.id))
        .filter(zielvorschlag_verworfen::Column::KurzassessmentId.eq(current.id))
        .select_only()
        .column(zielvorschlag_verworfen::Column::Regel)
        .into_tuple()
        .all(db)
        .await?;
    let rules = |codes: &mut dyn Iterator<Item = String>| -> Vec<VorschlagRegel> {
        codes.filter_map(|code| VorschlagRegel::from_code(&code)).collect()
    };
    let grundlage = Grundlage {
        kurzassessment: assessment,
        deutsch: aktueller_sprachstand(sprachstaende).map(|stand| stand.niveau),
        jung: row.jugendliche,
    };
    let made = rules(&mut from_goals.into_iter().flatten());
    let discarded = rules(&mut discarded.into_iter());
    Ok(offene_vorschlaege(&grundlage, today, &made, &discarded))
}

/// The answers of form version 1 as a JSON object of answer codes.
pub(crate) fn answers_json(assessment: &Kurzassessment) -> String {
    let yes_no = |value: bool| if value { "ja" } else { "nein" };
    serde_json::json!({
        "richtung": assessment.richtung.code(),
        "sprachfoerderbedarf": yes_no(assessment.sprachfoerderbedarf),
        "schuljahre": assessment.schuljahre.to_string(),
        "literalitaet": assessment.literalitaet.code(),
        "arbeitserfahrung": assessment.arbeitserfahrung.code(),
        "potenzial": assessment.potenzial.code(),
        "dolmetschende": yes_no(assessment.dolmetschende),
        "bemerkungen": assessment.bemerkungen,
    })
    .to_string()
}

/// Stored answers pass through the form's own parser again.
fn assessment_from_row(row: &kurzassessment::Model, today: NaiveDate) -> Result<Kurzassessment, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("Kurzassessment {}: {what}", row.id));
    if row.form_version != KURZASSESSMENT_VERSION {
        return Err(corrupt("unbekannte Formularversion"));
    }
    let answers: serde_json::Value = serde_json::from_str(&row.answers).map_err(|_| corrupt("Antworten unlesbar"))?;
    let text = |key: &str| answers.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    let input = KurzassessmentInput {
        datum: row.datum.format("%d.%m.%Y").to_string(),
        richtung: text("richtung"),
        sprachfoerderbedarf: text("sprachfoerderbedarf"),
        schuljahre: text("schuljahre"),
        literalitaet: text("literalitaet"),
        arbeitserfahrung: text("arbeitserfahrung"),
        potenzial: text("potenzial"),
        dolmetschende: text("dolmetschende"),
        bemerkungen: text("bemerkungen"),
    };
    input.parse(today).map_err(|errors| corrupt(&errors.to_string()))
}
