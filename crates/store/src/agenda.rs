//! The start page's agenda («Heute»): for each role of the actor, what is overdue, what waits and what falls
//! due in the next [`AGENDA_TAGE`] days, each with the person's name, the oldest first, at most
//! [`AGENDA_ZEILEN`] lines per section with the count of all of them.
//!
//! Why its own module: the start page used to show counts only, which say nothing about whom to call today.
//! The agenda reuses the worklist's queries (`pendenzen.rs`: its counts, its sources, its reach), so the start
//! page and «Meine Pendenzen» agree; only the Standortbestimmungen due soon and the transfers are read here.
//! Names are personal data: each section is logged like the worklist, with the records it shows.

use crate::entity::{dossier, uebergabe};
use crate::fallfuehrung::auftraege::orders_in_status;
use crate::fallfuehrung::dossiers::person_names;
use crate::fallfuehrung::massnahmen::without_anschluss;
use crate::fallfuehrung::pendenzen::{OpenInScope, Pendenz, WORKLIST_LIMIT, dossier_person_names, open};
use crate::fallfuehrung::uebergaben::oldest_incoming;
use crate::fallfuehrung::umzuege::open_proposals;
use crate::guard::Guard;
use crate::{NeuzuzuegerFilter, NeuzuzuegerQuery, PendenzenZahlen, Store, StoreError};
use chrono::{Days, NaiveDate};
use iim_domain::auftrag::AuftragStatus;
use iim_domain::clock::local_date;
use iim_domain::erstinformation::NeuzuzuegerStatus;
use iim_domain::{Action, Actor, Resource, Role};
use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select};

/// The most lines a section of the agenda shows; «Alle N anzeigen» leads to the whole list.
pub const AGENDA_ZEILEN: usize = 10;

/// How many days ahead the agenda looks: due on the 30th day is shown, on the 31st not.
pub const AGENDA_TAGE: u64 = 30;

/// How urgent a line is; the agenda shows the overdue first, then what waits, then what falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dringlichkeit {
    /// Its due date (`Termin::datum`) has passed.
    Ueberfaellig,
    /// It waits for the user since `Termin::datum` (a result arrived, a transfer was requested, …).
    Wartet,
    /// It falls due on `Termin::datum`, today or within [`AGENDA_TAGE`] days.
    Faellig,
}

/// Where a line of the agenda leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verweis {
    Dossier(i64),
    /// A request for an exception, on the Leitung's decision page of the dossier.
    Ausnahmegesuch {
        dossier_id: i64,
        gesuch_id: i64,
    },
    /// The receiving Stelle's list of transfers, where it accepts or rejects.
    Uebergaben,
    Neuzuzueger(i64),
    Kind(i64),
}

/// One line of the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Termin {
    pub verweis: Verweis,
    pub person_name: String,
    pub was: String,
    pub datum: NaiveDate,
    pub dringlichkeit: Dringlichkeit,
}

/// One section: its first lines, most urgent first, and how many lines it has in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Abschnitt {
    pub termine: Vec<Termin>,
    pub total: u64,
}

/// The agenda of the start page, one section per role; `None` where the actor has not that role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agenda {
    /// Case work: Standortbestimmungen, results, transfers, moves, measures without Anschluss.
    pub fallfuehrung: Option<Abschnitt>,
    /// The Leitung's approvals.
    pub genehmigungen: Option<Abschnitt>,
    /// Neuzuzüger to invite, the earliest arrival first.
    pub neuzuzueger: Option<Abschnitt>,
    /// Assessments of the frühe Sprachförderung overdue or due soon.
    pub fruehfoerderung: Option<Abschnitt>,
}

impl Abschnitt {
    /// The most urgent [`AGENDA_ZEILEN`] of `termine`, with `total` lines in all.
    pub(crate) fn aus(mut termine: Vec<Termin>, total: u64) -> Self {
        termine.sort_by(|a, b| {
            (a.dringlichkeit, a.datum, &a.person_name).cmp(&(b.dringlichkeit, b.datum, &b.person_name))
        });
        termine.truncate(AGENDA_ZEILEN);
        Self { termine, total }
    }
}

impl Store {
    /// The start page's agenda of the actor, each section logged with the records it names.
    pub async fn agenda(&self, actor: &Actor) -> Result<Agenda, StoreError> {
        let mut agenda = Agenda::default();
        let zahlen = match actor.may(Resource::Dossier, Action::Read) {
            true => Some(self.pendenzen_zahlen(actor).await?),
            false => None,
        };
        if let Some(zahlen) = zahlen.filter(|_| actor.roles.contains(&Role::Fallfuehrung)) {
            agenda.fallfuehrung = Some(self.agenda_fallfuehrung(actor, zahlen).await?);
        }
        if let (Some(zahlen), Ok(scope)) = (zahlen, actor.scope_for(Resource::Dossier, Action::Approve)) {
            let items = self.approvals(actor, scope).await?;
            let abschnitt = Abschnitt::aus(items.into_iter().map(wartet).collect(), zahlen.genehmigungen);
            let guard = self.guard::<dossier::Entity>(actor, Action::Read, None).await?;
            agenda.genehmigungen = Some(log_dossiers(guard, abschnitt, "Startseite Genehmigungen").await?);
        }
        if actor.may(Resource::Neuzuzueger, Action::Read) {
            agenda.neuzuzueger = Some(self.agenda_neuzuzueger(actor).await?);
        }
        if actor.may(Resource::Fruehfoerderung, Action::Read) {
            agenda.fruehfoerderung = Some(self.agenda_fruehfoerderung(actor, AGENDA_TAGE, AGENDA_ZEILEN).await?);
        }
        Ok(agenda)
    }

    async fn agenda_fallfuehrung(&self, actor: &Actor, zahlen: PendenzenZahlen) -> Result<Abschnitt, StoreError> {
        let guard = self.guard::<dossier::Entity>(actor, Action::Read, None).await?;
        let in_scope = || OpenInScope::new(actor, guard.scope());
        let today = self.clock.today();
        let horizon = today.checked_add_days(Days::new(AGENDA_TAGE)).unwrap_or(NaiveDate::MAX);
        let limit = AGENDA_ZEILEN as u64;
        let ueberfaellig = standortbestimmungen(&guard).filter(dossier::Column::NaechsteStandortbestimmung.lt(today));
        let faellig = standortbestimmungen(&guard)
            .filter(dossier::Column::NaechsteStandortbestimmung.gte(today))
            .filter(dossier::Column::NaechsteStandortbestimmung.lte(horizon));
        let bald = faellig.clone().count(&self.db).await?;
        let mut termine = self.standortbestimmungen(ueberfaellig.limit(limit), Dringlichkeit::Ueberfaellig).await?;
        termine.extend(self.standortbestimmungen(faellig.limit(limit), Dringlichkeit::Faellig).await?);
        let waiting = [
            orders_in_status(&self.db, &in_scope(), AuftragStatus::ErgebnisEingegangen).await?,
            open_proposals(&self.db, &in_scope()).await?,
            without_anschluss(&self.db, &in_scope(), limit).await?,
        ];
        termine.extend(waiting.into_iter().flat_map(|items| items.into_iter().take(AGENDA_ZEILEN)).map(wartet));
        let mut total = zahlen.ueberfaellig + bald + zahlen.ergebnisse + zahlen.umzuege + zahlen.ohne_anschluss;
        if actor.may(Resource::Uebergabe, Action::Read) {
            termine.extend(self.agenda_uebergaben(actor).await?);
            total += zahlen.uebergaben;
        }
        log_dossiers(guard, Abschnitt::aus(termine, total), "Startseite Fallführung").await
    }

    async fn standortbestimmungen(
        &self,
        select: Select<dossier::Entity>,
        dringlichkeit: Dringlichkeit,
    ) -> Result<Vec<Termin>, StoreError> {
        let rows = select.all(&self.db).await?;
        let names = person_names(&self.db, rows.iter().map(|row| row.person_id)).await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some(Termin {
                    verweis: Verweis::Dossier(row.id),
                    person_name: names.get(&row.person_id).cloned().unwrap_or_default(),
                    was: "Standortbestimmung".to_owned(),
                    datum: row.naechste_standortbestimmung?,
                    dringlichkeit,
                })
            })
            .collect())
    }

    /// The oldest transfers waiting for the actor's Stelle, logged as the list of transfers is.
    async fn agenda_uebergaben(&self, actor: &Actor) -> Result<Vec<Termin>, StoreError> {
        let guard = self.guard::<uebergabe::Entity>(actor, Action::Read, None).await?;
        let rows = oldest_incoming(&self.db, guard.reach(), AGENDA_ZEILEN as u64).await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let names = dossier_person_names(&self.db, rows.iter().map(|(_, dossier, _)| *dossier)).await?;
        let termine = rows
            .iter()
            .map(|(_, dossier, since)| Termin {
                verweis: Verweis::Uebergaben,
                person_name: names.get(dossier).cloned().unwrap_or_default(),
                was: "Übergabe an Ihre Stelle: annehmen oder ablehnen".to_owned(),
                datum: local_date(*since),
                dringlichkeit: Dringlichkeit::Wartet,
            })
            .collect();
        let shown: Vec<String> = rows.iter().map(|(id, ..)| id.to_string()).collect();
        let detail = format!("Startseite, eingehende Übergaben angezeigt: {}", shown.join(","));
        guard.logged(None, Some(detail), termine).await
    }

    /// The Standortbestimmungen of open dossiers in the actor's scope due today or within [`AGENDA_TAGE`] days,
    /// the earliest first (at most 100), for «Meine Pendenzen»; logged with the dossiers it names.
    pub async fn bald_faellige_standortbestimmungen(&self, actor: &Actor) -> Result<Vec<Pendenz>, StoreError> {
        let guard = self.guard::<dossier::Entity>(actor, Action::Read, None).await?;
        let today = self.clock.today();
        let horizon = today.checked_add_days(Days::new(AGENDA_TAGE)).unwrap_or(NaiveDate::MAX);
        let select = standortbestimmungen(&guard)
            .filter(dossier::Column::NaechsteStandortbestimmung.gte(today))
            .filter(dossier::Column::NaechsteStandortbestimmung.lte(horizon))
            .limit(WORKLIST_LIMIT);
        let items: Vec<Pendenz> = self
            .standortbestimmungen(select, Dringlichkeit::Faellig)
            .await?
            .into_iter()
            .filter_map(|termin| match termin.verweis {
                Verweis::Dossier(dossier_id) => Some(Pendenz {
                    dossier_id,
                    person_name: termin.person_name,
                    was: format!("Standortbestimmung fällig am {}", termin.datum.format("%d.%m.%Y")),
                    seit: termin.datum,
                    ausnahmegesuch: None,
                }),
                _ => None,
            })
            .collect();
        if items.is_empty() {
            return Ok(items);
        }
        let shown: Vec<String> = items.iter().map(|p| p.dossier_id.to_string()).collect();
        guard.logged(None, Some(format!("Pendenzen bald fällig, angezeigt: {}", shown.join(","))), items).await
    }

    /// Neuzuzüger to invite, the earliest arrival first; read (and logged) as the first page of their list.
    async fn agenda_neuzuzueger(&self, actor: &Actor) -> Result<Abschnitt, StoreError> {
        let query = NeuzuzuegerQuery {
            filter: NeuzuzuegerFilter::Status(NeuzuzuegerStatus::Einzuladen),
            page: 1,
            per_page: AGENDA_ZEILEN as u64,
            ..NeuzuzuegerQuery::default()
        };
        let page = self.list_neuzuzueger(actor, &query).await?;
        let termine = page
            .items
            .into_iter()
            .map(|n| Termin {
                verweis: Verweis::Neuzuzueger(n.id),
                person_name: n.name,
                was: format!("Einladung zum Erstinformationsgespräch (zugezogen nach {})", n.gemeinde),
                datum: n.zuzug_am,
                dringlichkeit: Dringlichkeit::Wartet,
            })
            .collect();
        Ok(Abschnitt::aus(termine, page.total))
    }
}

/// The open dossiers the guard reaches that have a next Standortbestimmung, the earliest first.
fn standortbestimmungen(guard: &Guard<'_, dossier::Entity>) -> Select<dossier::Entity> {
    guard
        .select()
        .filter(open())
        .filter(dossier::Column::NaechsteStandortbestimmung.is_not_null())
        .order_by_asc(dossier::Column::NaechsteStandortbestimmung)
        .order_by_asc(dossier::Column::Id)
}

/// A line of the worklist as a line that waits since its date.
fn wartet(pendenz: Pendenz) -> Termin {
    let verweis = match pendenz.ausnahmegesuch {
        Some(gesuch_id) => Verweis::Ausnahmegesuch { dossier_id: pendenz.dossier_id, gesuch_id },
        None => Verweis::Dossier(pendenz.dossier_id),
    };
    Termin {
        verweis,
        person_name: pendenz.person_name,
        was: pendenz.was,
        datum: pendenz.seit,
        dringlichkeit: Dringlichkeit::Wartet,
    }
}

/// Returns the section once its read is logged with the dossiers it names (nothing to log when it names none).
async fn log_dossiers(
    guard: Guard<'_, dossier::Entity>,
    abschnitt: Abschnitt,
    was: &str,
) -> Result<Abschnitt, StoreError> {
    let shown: Vec<String> = abschnitt
        .termine
        .iter()
        .filter_map(|t| match t.verweis {
            Verweis::Dossier(id) | Verweis::Ausnahmegesuch { dossier_id: id, .. } => Some(id.to_string()),
            _ => None,
        })
        .collect();
    if shown.is_empty() {
        return Ok(abschnitt);
    }
    guard.logged(None, Some(format!("{was}, angezeigt: {}", shown.join(","))), abschnitt).await
}
