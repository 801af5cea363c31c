//! start.integration, Informieren: the Neuzuzüger from abroad that the register import found, their
//! invitation to the Erstinformationsgespräch, the conversation record and its Empfehlungen.
//!
//! A Neuzuzüger belongs to the Gemeinde it moved into; the Integrationsbeauftragte of that Gemeinde (or of its
//! Leitgemeinde) reaches it through the `Neuzuzueger` row of the matrix. Every list read is logged with the
//! Neuzuzüger shown, every change with its record, and a Neuzuzüger outside the scope answers «not found».

use crate::entity::{empfehlung, erstgespraech, fordern_fall, neuzuzueger, person, user};
use crate::{Page, PageWindow, Store, StoreError, begin_write, decode, decode_optional};
use chrono::{DateTime, NaiveDate, Utc};
use iim_domain::erstinformation::{
    EmpfehlungArt, FordernEmpfehlung, FordernEntscheid, GespraechInput, NeuzuzuegerStatus, StatusInput, Thema,
};
use iim_domain::regeln::StartIntegrationRegel;
use iim_domain::{Action, Actor, BfsNr, Choice, PartialDate, Resource, catalog};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use std::collections::HashMap;

const MAX_PER_PAGE: u64 = 100;
const MAX_EXPORT_ROWS: u64 = 5000;

/// Which Neuzuzüger a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NeuzuzuegerFilter {
    /// Still waiting for the Integrationsbeauftragte: to invite, invited, not reached (oldest first).
    #[default]
    Offen,
    Status(NeuzuzuegerStatus),
    /// Everyone, newest first.
    Alle,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeuzuzuegerQuery {
    pub filter: NeuzuzuegerFilter,
    pub gemeinde: Option<BfsNr>,
    pub text: String,
    pub page: u64,
    pub per_page: u64,
}

/// A Neuzuzüger as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neuzuzueger {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    pub geburtsdatum: String,
    pub nationalitaet: String,
    pub herkunft: String,
    pub gemeinde: String,
    pub zuzug_am: NaiveDate,
    pub status: NeuzuzuegerStatus,
    pub eingeladen_am: Option<NaiveDate>,
    pub nachfassen_am: Option<NaiveDate>,
}

/// The recorded Erstinformationsgespräch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erstgespraech {
    pub gefuehrt_am: NaiveDate,
    pub sprache: String,
    pub dolmetscher: bool,
    pub themen: Vec<&'static str>,
    pub bemerkungen: String,
    /// Kind, text and the offer of the Angebotsplattform it names (shown also after the offer expired).
    pub empfehlungen: Vec<(EmpfehlungArt, String, Option<crate::AngebotVerweis>)>,
    pub nachfassen_am: Option<NaiveDate>,
    pub erfasst_von: String,
    pub erfasst_at: DateTime<Utc>,
}

/// A hand-over to the Migrationsamt as the Gemeinde sees it on the Neuzuzüger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FordernStand {
    pub id: i64,
    pub empfehlung: FordernEmpfehlung,
    pub uebergeben_at: DateTime<Utc>,
    pub entscheid: Option<FordernEntscheid>,
    pub entscheid_begruendung: String,
}

/// One Neuzuzüger with everything the Integrationsbeauftragte recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeuzuzuegerDetail {
    pub neuzuzueger: Neuzuzueger,
    pub sprachen: Vec<String>,
    pub aufenthaltsstatus: String,
    pub gespraech: Option<Erstgespraech>,
    pub fordern: Vec<FordernStand>,
}

impl Store {
    /// Neuzuzüger of the Gemeinden in the actor's scope, filtered and paginated.
    pub async fn list_neuzuzueger(
        &self,
        actor: &Actor,
        query: &NeuzuzuegerQuery,
    ) -> Result<Page<Neuzuzueger>, StoreError> {
        let guard = self.guard::<neuzuzueger::Entity>(actor, Action::Read, None).await?;
        let mut select = filtered(guard.select(), query);
        select = match query.filter {
            NeuzuzuegerFilter::Alle => {
                select.order_by_desc(neuzuzueger::Column::ZuzugAm).order_by_desc(neuzuzueger::Column::Id)
            }
            _ => select.order_by_asc(neuzuzueger::Column::ZuzugAm).order_by_asc(neuzuzueger::Column::Id),
        };
        let window = PageWindow::new(query.page, query.per_page, MAX_PER_PAGE);
        let PageWindow { page, per_page } = window;
        let total = select.clone().count(&self.db).await?;
        let rows = select.offset(window.offset()).limit(per_page).all(&self.db).await?;
        let items = self.neuzuzueger_rows(&self.db, rows).await?;
        let shown: Vec<String> = items.iter().map(|n| n.id.to_string()).collect();
        let detail = format!("Liste Neuzuzüger, Seite {page}, angezeigt: {}", shown.join(","));
        guard.logged(None, Some(detail), Page { items, page, per_page, total }).await
    }

    /// All Neuzuzüger matching the query (up to 5000), for the CSV export; logged as one read with the count.
    pub async fn export_neuzuzueger(
        &self,
        actor: &Actor,
        query: &NeuzuzuegerQuery,
    ) -> Result<Vec<Neuzuzueger>, StoreError> {
        let guard = self.guard::<neuzuzueger::Entity>(actor, Action::Read, None).await?;
        let rows = filtered(guard.select(), query)
            .order_by_asc(neuzuzueger::Column::ZuzugAm)
            .order_by_asc(neuzuzueger::Column::Id)
            .limit(MAX_EXPORT_ROWS)
            .all(&self.db)
            .await?;
        let items = self.neuzuzueger_rows(&self.db, rows).await?;
        let detail = crate::audit::export_detail(
            "Export Neuzuzüger",
            ("Neuzuzüger/in", "Neuzuzüger"),
            items.iter().map(|n| n.id),
        );
        guard.logged(None, Some(detail), items).await
    }

    /// One Neuzuzüger with the conversation and the hand-overs; the read is logged.
    pub async fn get_neuzuzueger(&self, actor: &Actor, id: i64) -> Result<NeuzuzuegerDetail, StoreError> {
        let guard = self.guard::<neuzuzueger::Entity>(actor, Action::Read, Some(id)).await?;
        let row = guard.find(&self.db, id).await?;
        let person = person::Entity::find_by_id(row.person_id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        let neuzuzueger = self.neuzuzueger_rows(&self.db, vec![row]).await?.remove(0);
        let gespraech = self.conversation(id).await?;
        let fordern = fordern_fall::Entity::find()
            .filter(fordern_fall::Column::NeuzuzuegerId.eq(id))
            .order_by_asc(fordern_fall::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|fall| {
                Ok(FordernStand {
                    id: fall.id,
                    empfehlung: decode("Fordern-Empfehlung", &fall.empfehlung, FordernEmpfehlung::from_code)?,
                    uebergeben_at: fall.uebergeben_at,
                    entscheid: decode_optional(
                        "Fordern-Entscheid",
                        fall.entscheid.as_deref(),
                        FordernEntscheid::from_code,
                    )?,
                    entscheid_begruendung: fall.entscheid_begruendung.unwrap_or_default(),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let detail = NeuzuzuegerDetail {
            neuzuzueger,
            sprachen: split_codes(&person.sprachen)
                .map(|code| catalog::language_name(code).unwrap_or(code).to_owned())
                .collect(),
            aufenthaltsstatus: person.aufenthaltsstatus,
            gespraech,
            fordern,
        };
        guard.logged(Some(id), None, detail).await
    }

    /// Records an invitation (with its date), a refusal or «not reached». The change is checked against the
    /// status as it is in the transaction (the row locked), not as it was when the page was shown.
    pub async fn change_neuzuzueger_status(
        &self,
        actor: &Actor,
        id: i64,
        input: &StatusInput,
    ) -> Result<(), StoreError> {
        let guard = self.guard::<neuzuzueger::Entity>(actor, Action::Update, Some(id)).await?;
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        let row = guard.find_for_change(&txn, id).await?;
        let wechsel = input.check(status_of(&row)?).map_err(StoreError::Invalid)?;
        let mut active = row.into_active_model();
        active.status = Set(wechsel.status.code().to_owned());
        if let Some(date) = wechsel.eingeladen_am {
            active.eingeladen_am = Set(Some(date));
        }
        active.geaendert_at = Set(Some(now));
        active.geaendert_von = Set(Some(actor.user_id));
        active.update(&txn).await?;
        guard.log_change(&txn, id, Some(format!("Status: {}", wechsel.status.label()))).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Records the Erstinformationsgespräch with its Empfehlungen; the Neuzuzüger's status becomes «held».
    pub async fn record_conversation(&self, actor: &Actor, id: i64, input: &GespraechInput) -> Result<(), StoreError> {
        let guard = self.guard::<neuzuzueger::Entity>(actor, Action::Update, Some(id)).await?;
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        let row = guard.find_for_change(&txn, id).await?;
        let status = status_of(&row)?;
        if !status.conversation_possible() {
            return Err(StoreError::regel(StartIntegrationRegel::GespraechNichtMoeglich(status)));
        }
        let gespraech = input.check(row.zuzug_am, self.clock.today()).map_err(StoreError::Invalid)?;
        let mut errors = iim_domain::FieldErrors::new();
        for (index, item) in gespraech.empfehlungen.iter().enumerate() {
            if let Some(angebot_id) = item.angebot_id {
                self.check_pickable(&txn, angebot_id, format!("empfehlung_angebot_{}", index + 1), &mut errors).await?;
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let stored = erstgespraech::ActiveModel {
            id: NotSet,
            neuzuzueger_id: Set(id),
            gefuehrt_am: Set(gespraech.gefuehrt_am),
            sprache: Set(gespraech.sprache.clone()),
            dolmetscher: Set(gespraech.dolmetscher),
            themen: Set(gespraech.themen.iter().map(|t| t.code()).collect::<Vec<_>>().join(",")),
            bemerkungen: Set(gespraech.bemerkungen.clone()),
            nachfassen_am: Set(gespraech.nachfassen_am),
            erfasst_at: Set(now),
            erfasst_von: Set(actor.user_id),
        }
        .insert(&txn)
        .await?;
        for (position, item) in gespraech.empfehlungen.iter().enumerate() {
            empfehlung::ActiveModel {
                id: NotSet,
                erstgespraech_id: Set(stored.id),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                art: Set(item.art.code().to_owned()),
                text: Set(item.text.clone()),
                angebot_id: Set(item.angebot_id),
            }
            .insert(&txn)
            .await?;
        }
        let mut active = row.into_active_model();
        active.status = Set(NeuzuzuegerStatus::Gefuehrt.code().to_owned());
        active.geaendert_at = Set(Some(now));
        active.geaendert_von = Set(Some(actor.user_id));
        active.update(&txn).await?;
        let detail = format!("Erstinformationsgespräch erfasst, {} Empfehlungen", gespraech.empfehlungen.len());
        guard.log_change(&txn, id, Some(detail)).await?;
        txn.commit().await?;
        Ok(())
    }

    /// How many Neuzuzüger in the actor's scope wait for an invitation, for the start page.
    pub async fn count_neuzuzueger_to_invite(&self, actor: &Actor) -> Result<u64, StoreError> {
        if !actor.may(Resource::Neuzuzueger, Action::Read) {
            return Ok(0);
        }
        let guard = self.guard::<neuzuzueger::Entity>(actor, Action::Read, None).await?;
        Ok(guard
            .select()
            .filter(neuzuzueger::Column::Status.eq(NeuzuzuegerStatus::Einzuladen.code()))
            .count(&self.db)
            .await?)
    }

    async fn conversation(&self, neuzuzueger_id: i64) -> Result<Option<Erstgespraech>, StoreError> {
        let Some(row) = erstgespraech::Entity::find()
            .filter(erstgespraech::Column::NeuzuzuegerId.eq(neuzuzueger_id))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let rows = empfehlung::Entity::find()
            .filter(empfehlung::Column::ErstgespraechId.eq(row.id))
            .order_by_asc(empfehlung::Column::Position)
            .all(&self.db)
            .await?;
        let angebote = self.offer_links(&self.db, rows.iter().filter_map(|e| e.angebot_id)).await?;
        let empfehlungen = rows
            .into_iter()
            .map(|e| {
                let angebot = e.angebot_id.and_then(|id| angebote.get(&id).cloned());
                Ok((decode("Empfehlungsart", &e.art, EmpfehlungArt::from_code)?, e.text, angebot))
            })
            .collect::<Result<_, StoreError>>()?;
        let erfasst_von =
            user::Entity::find_by_id(row.erfasst_von).one(&self.db).await?.map(|u| u.display_name).unwrap_or_default();
        Ok(Some(Erstgespraech {
            gefuehrt_am: row.gefuehrt_am,
            sprache: catalog::language_name(&row.sprache).unwrap_or(&row.sprache).to_owned(),
            dolmetscher: row.dolmetscher,
            themen: split_codes(&row.themen).filter_map(Thema::from_code).map(Thema::label).collect(),
            bemerkungen: row.bemerkungen,
            empfehlungen,
            nachfassen_am: row.nachfassen_am,
            erfasst_von,
            erfasst_at: row.erfasst_at,
        }))
    }

    /// The list rows with the persons' names and the follow-up dates, in the order given.
    async fn neuzuzueger_rows(
        &self,
        db: &impl ConnectionTrait,
        rows: Vec<neuzuzueger::Model>,
    ) -> Result<Vec<Neuzuzueger>, StoreError> {
        let person_ids: Vec<i64> = rows.iter().map(|r| r.person_id).collect();
        let neuzuzueger_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let persons: HashMap<i64, person::Model> = person::Entity::find()
            .filter(person::Column::Id.is_in(person_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let follow_ups: HashMap<i64, Option<NaiveDate>> = erstgespraech::Entity::find()
            .filter(erstgespraech::Column::NeuzuzuegerId.is_in(neuzuzueger_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|g| (g.neuzuzueger_id, g.nachfassen_am))
            .collect();
        rows.into_iter()
            .map(|row| {
                let person = persons.get(&row.person_id).ok_or(StoreError::NotFound)?;
                Ok(Neuzuzueger {
                    id: row.id,
                    person_id: row.person_id,
                    name: format!("{}, {}", person.nachname, person.vornamen),
                    geburtsdatum: birth_date(person),
                    nationalitaet: catalog::country_name(&person.nationalitaet)
                        .unwrap_or(&person.nationalitaet)
                        .to_owned(),
                    herkunft: row
                        .herkunft
                        .as_deref()
                        .map(|code| catalog::country_name(code).unwrap_or(code).to_owned())
                        .unwrap_or_default(),
                    gemeinde: bfs_of(row.gemeinde_bfs).map(BfsNr::name).unwrap_or_default(),
                    zuzug_am: row.zuzug_am,
                    status: status_of(&row)?,
                    eingeladen_am: row.eingeladen_am,
                    nachfassen_am: follow_ups.get(&row.id).copied().flatten(),
                })
            })
            .collect()
    }
}

fn filtered(mut select: Select<neuzuzueger::Entity>, query: &NeuzuzuegerQuery) -> Select<neuzuzueger::Entity> {
    select = match query.filter {
        NeuzuzuegerFilter::Offen => select.filter(
            neuzuzueger::Column::Status.is_in(
                [NeuzuzuegerStatus::Einzuladen, NeuzuzuegerStatus::Eingeladen, NeuzuzuegerStatus::NichtErreicht]
                    .map(|s| s.code()),
            ),
        ),
        NeuzuzuegerFilter::Status(status) => select.filter(neuzuzueger::Column::Status.eq(status.code())),
        NeuzuzuegerFilter::Alle => select,
    };
    if let Some(gemeinde) = query.gemeinde {
        select = select.filter(neuzuzueger::Column::GemeindeBfs.eq(i32::from(gemeinde.get())));
    }
    let folded = iim_domain::person::fold_for_search(&query.text);
    if folded.is_empty() && !query.text.trim().is_empty() {
        return select.filter(neuzuzueger::Column::Id.lt(0));
    }
    for word in folded.split_whitespace() {
        let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let matching = Query::select()
            .column(person::Column::Id)
            .from(person::Entity)
            .and_where(Expr::col(person::Column::SearchText).like(LikeExpr::new(format!("%{escaped}%")).escape('\\')))
            .to_owned();
        select = select.filter(Expr::col(neuzuzueger::Column::PersonId).in_subquery(matching));
    }
    select
}

pub(crate) fn status_of(row: &neuzuzueger::Model) -> Result<NeuzuzuegerStatus, StoreError> {
    decode("Status des Neuzuzügers", &row.status, NeuzuzuegerStatus::from_code)
}

pub(crate) fn bfs_of(number: i32) -> Option<BfsNr> {
    u16::try_from(number).ok().and_then(BfsNr::known)
}

pub(crate) fn birth_date(person: &person::Model) -> String {
    PartialDate::from_parts(
        person.geburtsjahr,
        person.geburtsmonat.and_then(|m| u32::try_from(m).ok()),
        person.geburtstag.and_then(|d| u32::try_from(d).ok()),
    )
    .map(|date| date.to_string())
    .unwrap_or_else(|_| person.geburtsjahr.to_string())
}

fn split_codes(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|code| !code.is_empty())
}
