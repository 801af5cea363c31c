//! Keeping offers of the Angebotsplattform: a provider, a Gemeinde or the Kanton writes an offer as a draft,
//! submits it, and the Kanton publishes it or returns it with a reason; the owner keeps it current and archives
//! it. Publication is by the Kanton only (`Approve` on offers).
//!
//! An offer belongs to its organisation: with organisation scope only the own organisation's offers exist, any
//! other is NotFound and the attempt is logged as refused; the Kanton (canton scope) reaches all (declared in
//! `reach/angebote.rs`, applied by the guard). Every change writes its access-log entry in its own transaction. Reading offers writes none: an offer holds no personal
//! data of clients (like the Massnahmen catalogue).
//!
//! Editing a published offer keeps it published (providers must be able to correct a date or a price without
//! the offer vanishing from the search) and puts it back into the Kanton's queue for a re-check: `eingereicht_at`
//! then lies after `veroeffentlicht_at` (ADR 0014). Expiry is not stored: a published offer past its validity
//! reads as expired (`offers_from_rows`), and editing it with a new validity date renews it.
//!
//! Every lifecycle change returns the changed offer, so the web layer can update the search index.

use crate::entity::{angebot, angebot_ort};
use crate::guard::Guard;
use crate::{Angebot, Page, PageWindow, Store, StoreError, begin_write, decode};
use chrono::{DateTime, Months, NaiveDate, Utc};
use iim_domain::angebot::{AngebotData, AngebotInput, AngebotStatus};
use iim_domain::dossier::Handlungsfeld;
use iim_domain::person::fold_for_search;
use iim_domain::regeln::AngeboteRegel;
use iim_domain::{Action, Actor, BfsNr, Choice, FieldErrors, Resource, sortierung};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, NotSet, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
};
use std::collections::{HashMap, HashSet};

/// An offer as its keepers see it: with whether the Kanton still has to check it and whether it is due for
/// the yearly update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerwaltetesAngebot {
    pub angebot: Angebot,
    /// Submitted, or changed since its publication: waits for the Kanton.
    pub zu_pruefen: bool,
    /// Not updated for 12 months (and not archived).
    pub erinnerung: bool,
}

/// Which offers a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AngebotFilter {
    Status(AngebotStatus),
    /// Submitted or changed since publication: the Kanton's queue.
    ZuPruefen,
    /// Not updated for 12 months.
    Erinnerung,
}

/// A list request; `organisation` narrows the Kanton's overview to one owner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AngebotQuery {
    pub filter: Option<AngebotFilter>,
    pub organisation: Option<i64>,
    pub page: u64,
    pub per_page: u64,
}

/// An offer named in casework (an Empfehlung, a Hilfsplan goal), as the case shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AngebotVerweis {
    pub id: i64,
    pub titel: String,
    pub anbieter: String,
    /// The first place's Gemeinde, empty if none.
    pub gemeinde: String,
    pub status: AngebotStatus,
    /// The field of action, by which pickers group the offers.
    pub handlungsfeld: Handlungsfeld,
}

impl AngebotVerweis {
    /// Whether the public detail page shows it (published, also when expired since).
    pub fn oeffentlich(&self) -> bool {
        matches!(self.status, AngebotStatus::Veroeffentlicht | AngebotStatus::Abgelaufen)
    }

    /// «Titel – Anbieter, Gemeinde», for pickers.
    pub fn bezeichnung(&self) -> String {
        if self.gemeinde.is_empty() {
            format!("{} – {}", self.titel, self.anbieter)
        } else {
            format!("{} – {}, {}", self.titel, self.anbieter, self.gemeinde)
        }
    }
}

/// An offer for the bulk loader (demo data, benchmark).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeuesAngebot {
    pub organisation_id: i64,
    /// Entwurf, Eingereicht or Veroeffentlicht (expiry follows from the validity date).
    pub status: AngebotStatus,
    pub data: AngebotData,
    pub updated_by: i64,
    pub updated_at: DateTime<Utc>,
}

/// What a lifecycle step does to the stored row.
enum Schritt<'a> {
    Einreichen,
    Veroeffentlichen,
    Zurueckgeben(&'a str),
    Archivieren,
}

impl Store {
    /// A new offer of the actor's organisation, as a draft.
    pub async fn create_offer(&self, actor: &Actor, input: &AngebotInput) -> Result<Angebot, StoreError> {
        let guard = self.guard::<angebot::Entity>(actor, Action::Create, None).await?;
        let data = input.check(self.clock.today()).map_err(StoreError::Invalid)?;
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        let row =
            new_row(actor.organisation_id, AngebotStatus::Entwurf, &data, actor.user_id, now).insert(&txn).await?;
        insert_places(&txn, row.id, &data).await?;
        guard.log_change(&txn, row.id, Some(format!("Angebot «{}» als Entwurf erfasst", data.titel))).await?;
        let angebot = self.offers_from_rows(&txn, vec![row]).await?.remove(0);
        txn.commit().await?;
        Ok(angebot)
    }

    /// Changes a draft or a published offer, if nobody changed it since the caller read `version`. A published
    /// offer stays published and goes back into the Kanton's queue, unless the actor is the Kanton itself.
    pub async fn update_offer(
        &self,
        actor: &Actor,
        id: i64,
        version: i32,
        input: &AngebotInput,
    ) -> Result<Angebot, StoreError> {
        let guard = self.guard::<angebot::Entity>(actor, Action::Update, Some(id)).await?;
        let txn = begin_write(&self.db).await?;
        let row = offer_for_change(&guard, &txn, id, version).await?;
        let data = input.check(self.clock.today()).map_err(StoreError::Invalid)?;
        let status = stored_status(&row)?;
        if !matches!(status, AngebotStatus::Entwurf | AngebotStatus::Veroeffentlicht) {
            return Err(StoreError::regel(AngeboteRegel::NichtBearbeitbar));
        }
        let now = self.clock.now();
        let recheck = status == AngebotStatus::Veroeffentlicht && !actor.may(Resource::Angebot, Action::Approve);
        let mut active = new_row(row.organisation_id, status, &data, actor.user_id, now);
        active.id = Set(row.id);
        active.created_at = Set(row.created_at);
        active.rueckweisung = Set(row.rueckweisung.clone());
        active.version = Set(row.version + 1);
        active.eingereicht_at = Set(if recheck { Some(now) } else { row.eingereicht_at });
        active.veroeffentlicht_at = Set(row.veroeffentlicht_at);
        let updated = active.update(&txn).await?;
        angebot_ort::Entity::delete_many().filter(angebot_ort::Column::AngebotId.eq(id)).exec(&txn).await?;
        insert_places(&txn, id, &data).await?;
        let detail = if recheck { "Angebot geändert, zur Nachprüfung beim Kanton" } else { "Angebot geändert" };
        guard.log_change(&txn, id, Some(detail.to_owned())).await?;
        let angebot = self.offers_from_rows(&txn, vec![updated]).await?.remove(0);
        txn.commit().await?;
        Ok(angebot)
    }

    /// The owner submits a draft to the Kanton.
    pub async fn submit_offer(&self, actor: &Actor, id: i64, version: i32) -> Result<Angebot, StoreError> {
        self.offer_step(actor, Action::Update, id, version, Schritt::Einreichen).await
    }

    /// The Kanton publishes a submitted offer, or confirms the change of a published one.
    pub async fn publish_offer(&self, actor: &Actor, id: i64, version: i32) -> Result<Angebot, StoreError> {
        self.offer_step(actor, Action::Approve, id, version, Schritt::Veroeffentlichen).await
    }

    /// The Kanton returns a submitted (or changed published) offer to draft, with the reason the owner sees.
    pub async fn return_offer(
        &self,
        actor: &Actor,
        id: i64,
        version: i32,
        begruendung: &str,
    ) -> Result<Angebot, StoreError> {
        if begruendung.trim().is_empty() {
            return Err(StoreError::regel(AngeboteRegel::BegruendungFehlt));
        }
        self.offer_step(actor, Action::Approve, id, version, Schritt::Zurueckgeben(begruendung.trim())).await
    }

    /// The owner takes an offer off the platform for good.
    pub async fn archive_offer(&self, actor: &Actor, id: i64, version: i32) -> Result<Angebot, StoreError> {
        self.offer_step(actor, Action::Update, id, version, Schritt::Archivieren).await
    }

    /// One offer within the actor's scope.
    pub async fn offer(&self, actor: &Actor, id: i64) -> Result<VerwaltetesAngebot, StoreError> {
        let guard = self.guard::<angebot::Entity>(actor, Action::Read, Some(id)).await?;
        let row = guard.find(&self.db, id).await?;
        Ok(self.managed(vec![row]).await?.remove(0))
    }

    /// The offers in the actor's scope (own organisation, or all for the Kanton), filtered and paginated: newest
    /// change first; the queue oldest submission first, the reminder list oldest update first.
    pub async fn offers(&self, actor: &Actor, query: &AngebotQuery) -> Result<Page<VerwaltetesAngebot>, StoreError> {
        let guard = self.guard::<angebot::Entity>(actor, Action::Read, None).await?;
        let mut select = self.offer_filter(guard.select(), query.filter);
        if let Some(organisation) = query.organisation {
            select = select.filter(angebot::Column::OrganisationId.eq(organisation));
        }
        select = match query.filter {
            Some(AngebotFilter::ZuPruefen) => select.order_by_asc(angebot::Column::EingereichtAt),
            Some(AngebotFilter::Erinnerung) => select.order_by_asc(angebot::Column::UpdatedAt),
            _ => select.order_by_desc(angebot::Column::UpdatedAt),
        };
        let window = PageWindow::new(query.page, query.per_page, 200);
        let PageWindow { page, per_page } = window;
        let total = select.clone().count(&self.db).await?;
        let rows =
            select.order_by_desc(angebot::Column::Id).offset(window.offset()).limit(per_page).all(&self.db).await?;
        Ok(Page { items: self.managed(rows).await?, page, per_page, total })
    }

    /// How many offers in the actor's scope match `filter` (for the start page); none without the permission.
    pub async fn count_offers(&self, actor: &Actor, filter: AngebotFilter) -> Result<u64, StoreError> {
        if !actor.may(Resource::Angebot, Action::Read) {
            return Ok(0);
        }
        let guard = self.guard::<angebot::Entity>(actor, Action::Read, None).await?;
        Ok(self.offer_filter(guard.select(), Some(filter)).count(&self.db).await?)
    }

    /// Published, valid offers to pick in casework that match `suche` in title, provider or Gemeinde (empty:
    /// any), at most `limit`: those with a place in the Gemeinden the actor answers for (its organisation's and
    /// its region's) first, then the others, each by title. One bounded query, never the whole catalogue.
    pub async fn offers_to_pick(
        &self,
        actor: &Actor,
        suche: &str,
        limit: u64,
    ) -> Result<Vec<AngebotVerweis>, StoreError> {
        let near: Vec<i32> = actor
            .jurisdiction
            .organisation
            .iter()
            .chain(&actor.jurisdiction.region)
            .map(|g| i32::from(g.get()))
            .collect();
        let near_first =
            Expr::case(Expr::col((angebot::Entity, angebot::Column::Id)).in_subquery(places_in(near.clone())), 0)
                .finally(1);
        let rows = angebot::Entity::find()
            .filter(angebot::Column::Status.eq(AngebotStatus::Veroeffentlicht.code()))
            .filter(angebot::Column::GueltigBis.gte(self.clock.today()))
            .filter(self.matching(suche))
            .order_by(Into::<Expr>::into(near_first), Order::Asc)
            .order_by_asc(angebot::Column::Titel)
            .order_by_asc(angebot::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let mut offers = self.offers_from_rows(&self.db, rows).await?;
        let fern = |offer: &Angebot| !offer.data.orte.iter().any(|ort| near.contains(&i32::from(ort.gemeinde.get())));
        offers.sort_by(|a, b| fern(a).cmp(&fern(b)).then_with(|| sortierung::deutsch(&a.data.titel, &b.data.titel)));
        Ok(offers.iter().map(verweis).collect())
    }

    /// How many published, valid offers match `suche` (as [`Store::offers_to_pick`] does), and how many there
    /// are in all: «12 von 340 Angeboten». Counts only, no personal data.
    pub async fn count_offers_to_pick(&self, suche: &str) -> Result<(u64, u64), StoreError> {
        let pickable = angebot::Entity::find()
            .filter(angebot::Column::Status.eq(AngebotStatus::Veroeffentlicht.code()))
            .filter(angebot::Column::GueltigBis.gte(self.clock.today()));
        let total = pickable.clone().count(&self.db).await?;
        let matching = pickable.filter(self.matching(suche)).count(&self.db).await?;
        Ok((matching, total))
    }

    /// Offers whose title, provider or one of whose Gemeinden contains `suche`, both folded as the register
    /// search folds names (`iim_domain::person::fold_for_search`: «Mueller» finds «Müller»).
    fn matching(&self, suche: &str) -> Condition {
        let wanted = fold_for_search(suche);
        if wanted.is_empty() {
            return if suche.trim().is_empty() { Condition::all() } else { Condition::all().add(Expr::val(false)) };
        }
        let providers: Vec<i64> =
            self.directory().all().filter(|o| fold_for_search(&o.name).contains(&wanted)).map(|o| o.id).collect();
        let gemeinden: Vec<i32> = (1..=u16::MAX)
            .filter_map(BfsNr::known)
            .filter(|g| fold_for_search(&g.name()).contains(&wanted))
            .map(|g| i32::from(g.get()))
            .collect();
        Condition::any()
            .add(angebot::Column::Suchtext.like(format!("%{wanted}%")))
            .add(angebot::Column::OrganisationId.is_in(providers))
            .add(Expr::col((angebot::Entity, angebot::Column::Id)).in_subquery(places_in(gemeinden)))
    }

    async fn offer_step(
        &self,
        actor: &Actor,
        action: Action,
        id: i64,
        version: i32,
        schritt: Schritt<'_>,
    ) -> Result<Angebot, StoreError> {
        let guard = self.guard::<angebot::Entity>(actor, action, Some(id)).await?;
        let txn = begin_write(&self.db).await?;
        let row = offer_for_change(&guard, &txn, id, version).await?;
        let today = self.clock.today();
        let now = self.clock.now();
        let status = stored_status(&row)?;
        let waiting = wartet_auf_pruefung(&row, status);
        let mut active = row.clone().into_active_model();
        let detail = match schritt {
            Schritt::Einreichen => {
                if status != AngebotStatus::Entwurf {
                    return Err(StoreError::regel(AngeboteRegel::NurEntwurfEinreichbar));
                }
                still_valid(&row, today)?;
                active.status = Set(AngebotStatus::Eingereicht.code().to_owned());
                active.eingereicht_at = Set(Some(now));
                active.rueckweisung = Set(None);
                "eingereicht".to_owned()
            }
            Schritt::Veroeffentlichen => {
                if !waiting {
                    return Err(StoreError::regel(AngeboteRegel::WartetNichtAufPruefung));
                }
                still_valid(&row, today)?;
                active.status = Set(AngebotStatus::Veroeffentlicht.code().to_owned());
                active.veroeffentlicht_at = Set(Some(now));
                "veröffentlicht".to_owned()
            }
            Schritt::Zurueckgeben(begruendung) => {
                if !waiting {
                    return Err(StoreError::regel(AngeboteRegel::WartetNichtAufPruefung));
                }
                active.status = Set(AngebotStatus::Entwurf.code().to_owned());
                active.rueckweisung = Set(Some(begruendung.to_owned()));
                format!("zur Überarbeitung zurückgegeben: {begruendung}")
            }
            Schritt::Archivieren => {
                if status == AngebotStatus::Archiviert {
                    return Err(StoreError::regel(AngeboteRegel::SchonArchiviert));
                }
                active.status = Set(AngebotStatus::Archiviert.code().to_owned());
                "archiviert".to_owned()
            }
        };
        active.version = Set(row.version + 1);
        active.updated_at = Set(now);
        active.updated_by = Set(actor.user_id);
        let updated = active.update(&txn).await?;
        guard.log_change(&txn, id, Some(format!("Angebot {detail}"))).await?;
        let angebot = self.offers_from_rows(&txn, vec![updated]).await?.remove(0);
        txn.commit().await?;
        Ok(angebot)
    }

    fn offer_filter(&self, select: Select<angebot::Entity>, filter: Option<AngebotFilter>) -> Select<angebot::Entity> {
        let today = self.clock.today();
        let status = |s: AngebotStatus| angebot::Column::Status.eq(s.code());
        match filter {
            None => select,
            Some(AngebotFilter::Status(AngebotStatus::Veroeffentlicht)) => {
                select.filter(status(AngebotStatus::Veroeffentlicht)).filter(angebot::Column::GueltigBis.gte(today))
            }
            Some(AngebotFilter::Status(AngebotStatus::Abgelaufen)) => {
                select.filter(status(AngebotStatus::Veroeffentlicht)).filter(angebot::Column::GueltigBis.lt(today))
            }
            Some(AngebotFilter::Status(other)) => select.filter(status(other)),
            Some(AngebotFilter::ZuPruefen) => {
                select.filter(Condition::any().add(status(AngebotStatus::Eingereicht)).add(
                    Condition::all().add(status(AngebotStatus::Veroeffentlicht)).add(
                        Expr::col(angebot::Column::EingereichtAt).gt(Expr::col(angebot::Column::VeroeffentlichtAt)),
                    ),
                ))
            }
            Some(AngebotFilter::Erinnerung) => select
                .filter(angebot::Column::Status.ne(AngebotStatus::Archiviert.code()))
                .filter(angebot::Column::UpdatedAt.lt(self.reminder_cutoff())),
        }
    }

    /// Offers last changed before this are due for the yearly update.
    fn reminder_cutoff(&self) -> DateTime<Utc> {
        let now = self.clock.now();
        now.checked_sub_months(Months::new(12)).unwrap_or(now)
    }

    async fn managed(&self, rows: Vec<angebot::Model>) -> Result<Vec<VerwaltetesAngebot>, StoreError> {
        let cutoff = self.reminder_cutoff();
        let mut flags: HashMap<i64, (bool, bool)> = HashMap::new();
        for row in &rows {
            let status = stored_status(row)?;
            let erinnerung = status != AngebotStatus::Archiviert && row.updated_at < cutoff;
            flags.insert(row.id, (wartet_auf_pruefung(row, status), erinnerung));
        }
        Ok(self
            .offers_from_rows(&self.db, rows)
            .await?
            .into_iter()
            .map(|angebot| {
                let (zu_pruefen, erinnerung) = flags.get(&angebot.id).copied().unwrap_or_default();
                VerwaltetesAngebot { angebot, zu_pruefen, erinnerung }
            })
            .collect())
    }

    /// The offers `ids` as casework shows them (any state: a link survives expiry and archiving).
    pub(crate) async fn offer_links(
        &self,
        db: &impl ConnectionTrait,
        ids: impl IntoIterator<Item = i64>,
    ) -> Result<HashMap<i64, AngebotVerweis>, StoreError> {
        let ids: HashSet<i64> = ids.into_iter().collect();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = angebot::Entity::find().filter(angebot::Column::Id.is_in(ids)).all(db).await?;
        Ok(self.offers_from_rows(db, rows).await?.iter().map(|offer| (offer.id, verweis(offer))).collect())
    }

    /// Checks that the offer picked for `field` is published and valid today.
    pub(crate) async fn check_pickable(
        &self,
        db: &impl ConnectionTrait,
        id: i64,
        field: String,
        errors: &mut FieldErrors,
    ) -> Result<(), StoreError> {
        let pickable = match angebot::Entity::find_by_id(id).one(db).await? {
            Some(row) => {
                stored_status(&row)? == AngebotStatus::Veroeffentlicht && row.gueltig_bis >= self.clock.today()
            }
            None => false,
        };
        if !pickable {
            errors.add_owned(field, AngeboteRegel::NichtWaehlbar { angebot: id }.to_string());
        }
        Ok(())
    }
}

/// The row of offer `id` for a change, within the guard's reach, locked, and still at the `version` the
/// caller read.
async fn offer_for_change(
    guard: &Guard<'_, angebot::Entity>,
    txn: &DatabaseTransaction,
    id: i64,
    version: i32,
) -> Result<angebot::Model, StoreError> {
    let row = guard.find_for_change(txn, id).await?;
    if row.version != version {
        return Err(StoreError::regel(AngeboteRegel::InzwischenGeaendert));
    }
    Ok(row)
}

/// The stored status of an offer; an unknown code is a corrupt row, never a default: read as a draft, a broken
/// row could be submitted, and its status overwritten.
fn stored_status(row: &angebot::Model) -> Result<AngebotStatus, StoreError> {
    decode("Angebotsstatus", &row.status, AngebotStatus::from_code)
}

/// Submitted, or published and changed since (its latest submission lies after its publication); `status` is
/// the row's stored status.
fn wartet_auf_pruefung(row: &angebot::Model, status: AngebotStatus) -> bool {
    match status {
        AngebotStatus::Eingereicht => true,
        AngebotStatus::Veroeffentlicht => match (row.eingereicht_at, row.veroeffentlicht_at) {
            (Some(eingereicht), Some(veroeffentlicht)) => eingereicht > veroeffentlicht,
            _ => false,
        },
        _ => false,
    }
}

fn still_valid(row: &angebot::Model, today: NaiveDate) -> Result<(), StoreError> {
    if row.gueltig_bis < today {
        return Err(StoreError::regel(AngeboteRegel::NichtMehrGueltig));
    }
    Ok(())
}

fn verweis(offer: &Angebot) -> AngebotVerweis {
    AngebotVerweis {
        id: offer.id,
        titel: offer.data.titel.clone(),
        anbieter: offer.anbieter.clone(),
        gemeinde: offer.data.orte.first().map(|ort| ort.gemeinde.name().to_owned()).unwrap_or_default(),
        status: offer.status,
        handlungsfeld: offer.data.handlungsfeld,
    }
}

fn join<C: Choice>(values: &[C]) -> String {
    values.iter().map(|value| value.code()).collect::<Vec<_>>().join(",")
}

pub(crate) fn new_row(
    organisation_id: i64,
    status: AngebotStatus,
    data: &AngebotData,
    by: i64,
    at: DateTime<Utc>,
) -> angebot::ActiveModel {
    angebot::ActiveModel {
        id: NotSet,
        organisation_id: Set(organisation_id),
        status: Set(status.code().to_owned()),
        titel: Set(data.titel.clone()),
        suchtext: Set(iim_domain::person::fold_for_search(&data.titel)),
        beschreibung: Set(data.beschreibung.clone()),
        kategorie: Set(data.kategorie.code().to_owned()),
        handlungsfeld: Set(data.handlungsfeld.code().to_owned()),
        zielgruppen: Set(join(&data.zielgruppen)),
        niveau_von: Set(data.niveau_von.map(|n| n.code().to_owned())),
        niveau_bis: Set(data.niveau_bis.map(|n| n.code().to_owned())),
        sprachen: Set(data.sprachen.join(",")),
        tageszeiten: Set(join(&data.tageszeiten)),
        zeitplan: Set(data.zeitplan.clone()),
        beginn: Set(data.beginn),
        ende: Set(data.ende),
        preis_rappen: Set(data.preis_rappen),
        subventioniert: Set(data.subventioniert),
        kinderbetreuung: Set(data.kinderbetreuung),
        barrierefrei: Set(data.barrierefrei),
        anmeldung: Set(data.anmeldung.clone()),
        anmeldung_link: Set(data.anmeldung_link.clone()),
        gueltig_bis: Set(data.gueltig_bis),
        rueckweisung: Set(None),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        updated_by: Set(by),
        eingereicht_at: Set(None),
        veroeffentlicht_at: Set(None),
    }
}

pub(crate) fn place_rows(angebot_id: i64, data: &AngebotData) -> Vec<angebot_ort::ActiveModel> {
    data.orte
        .iter()
        .enumerate()
        .map(|(position, ort)| angebot_ort::ActiveModel {
            id: NotSet,
            angebot_id: Set(angebot_id),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            gemeinde_bfs: Set(i32::from(ort.gemeinde.get())),
            adresse: Set(ort.adresse.clone()),
        })
        .collect()
}

async fn insert_places(db: &impl ConnectionTrait, angebot_id: i64, data: &AngebotData) -> Result<(), StoreError> {
    let rows = place_rows(angebot_id, data);
    if !rows.is_empty() {
        angebot_ort::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// The ids of offers with a place in one of `gemeinden`.
fn places_in(gemeinden: Vec<i32>) -> sea_orm::sea_query::SelectStatement {
    angebot_ort::Entity::find()
        .select_only()
        .column(angebot_ort::Column::AngebotId)
        .filter(angebot_ort::Column::GemeindeBfs.is_in(gemeinden))
        .into_query()
}
