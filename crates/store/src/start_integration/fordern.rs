//! start.integration, Fordern: the Gemeinde hands a Neuzuzüger's case to the Migrationsamt with a
//! recommendation (Integrationsvereinbarung or -empfehlung) and its reasons; the Migrationsamt decides.
//!
//! The information flow is explicit (DOMAIN.md "Fordern / Sanktionieren"): the Migrationsamt sees the
//! hand-overs and nothing else of start.integration, and of the person only what the decision needs (name,
//! date of birth, nationality, residence status, Gemeinde). The conversation record stays with the Gemeinde.
//! The decision flows back: the Gemeinde sees it on its hand-overs.

use crate::entity::{fordern_fall, neuzuzueger, person, user};
use crate::start_integration::erstinformation::{bfs_of, birth_date};
use crate::{Page, PageWindow, Store, StoreError, begin_write, decode, decode_optional};
use chrono::{DateTime, Utc};
use iim_domain::erstinformation::{EntscheidInput, FordernEmpfehlung, FordernEntscheid, UebergabeInput};
use iim_domain::regeln::StartIntegrationRegel;
use iim_domain::{Action, Actor, BfsNr, Choice, ResidenceStatus, Resource, catalog};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;

const PER_PAGE: u64 = 50;

/// A hand-over as the Migrationsamt (and the handing Gemeinde) sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FordernFall {
    pub id: i64,
    pub neuzuzueger_id: i64,
    pub name: String,
    pub geburtsdatum: String,
    pub nationalitaet: String,
    pub aufenthaltsstatus: String,
    pub gemeinde: String,
    pub von_organisation: String,
    pub empfehlung: FordernEmpfehlung,
    pub begruendung: String,
    pub uebergeben_at: DateTime<Utc>,
    pub uebergeben_von: String,
    pub entscheid: Option<FordernEntscheid>,
    pub entscheid_begruendung: String,
    pub entschieden_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Hands the Neuzuzüger's case to the Migrationsamt. One open hand-over per Neuzuzüger at a time. The
    /// Neuzuzüger is looked up first: who cannot read it (the Migrationsamt, another Gemeinde) learns only
    /// that it was not found, whatever it may do with hand-overs.
    pub async fn hand_over_to_migrationsamt(
        &self,
        actor: &Actor,
        neuzuzueger_id: i64,
        input: &UebergabeInput,
    ) -> Result<i64, StoreError> {
        let neuzuzueger = self.guard::<neuzuzueger::Entity>(actor, Action::Read, Some(neuzuzueger_id)).await?;
        let row = neuzuzueger.find(&self.db, neuzuzueger_id).await?;
        let guard = self.guard::<fordern_fall::Entity>(actor, Action::Create, None).await?;
        let (empfehlung, begruendung) = input.check().map_err(StoreError::Invalid)?;
        let open = fordern_fall::Entity::find()
            .filter(fordern_fall::Column::NeuzuzuegerId.eq(row.id))
            .filter(fordern_fall::Column::Entscheid.is_null())
            .count(&self.db)
            .await?;
        if open > 0 {
            return Err(StoreError::regel(StartIntegrationRegel::BeimMigrationsamt));
        }
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        let fall = fordern_fall::ActiveModel {
            id: NotSet,
            neuzuzueger_id: Set(row.id),
            organisation_id: Set(actor.organisation_id),
            empfehlung: Set(empfehlung.code().to_owned()),
            begruendung: Set(begruendung),
            uebergeben_at: Set(now),
            uebergeben_von: Set(actor.user_id),
            entscheid: Set(None),
            entscheid_begruendung: Set(None),
            entschieden_at: Set(None),
            entschieden_von: Set(None),
        }
        .insert(&txn)
        .await?;
        let detail = format!("Übergabe an das Migrationsamt (Neuzuzüger {neuzuzueger_id}): {}", empfehlung.label());
        guard.log_change(&txn, fall.id, Some(detail)).await?;
        txn.commit().await?;
        Ok(fall.id)
    }

    /// Hand-overs in the actor's scope: for the Migrationsamt all, for a Gemeinde those of its Neuzuzüger.
    /// `offen` shows those waiting for a decision (oldest first), otherwise the decided ones (newest first).
    pub async fn list_fordern(&self, actor: &Actor, offen: bool, page: u64) -> Result<Page<FordernFall>, StoreError> {
        let guard = self.guard::<fordern_fall::Entity>(actor, Action::Read, None).await?;
        let mut select = guard.select();
        select = if offen {
            select.filter(fordern_fall::Column::Entscheid.is_null()).order_by_asc(fordern_fall::Column::UebergebenAt)
        } else {
            select
                .filter(fordern_fall::Column::Entscheid.is_not_null())
                .order_by_desc(fordern_fall::Column::EntschiedenAt)
        };
        let window = PageWindow::new(page, PER_PAGE, PER_PAGE);
        let page = window.page;
        let total = select.clone().count(&self.db).await?;
        let rows =
            select.order_by_asc(fordern_fall::Column::Id).offset(window.offset()).limit(PER_PAGE).all(&self.db).await?;
        let items = self.fordern_rows(rows).await?;
        let shown: Vec<String> = items.iter().map(|f| f.id.to_string()).collect();
        let detail = format!(
            "Liste Fordern ({}), Seite {page}, angezeigt: {}",
            if offen { "offen" } else { "entschieden" },
            shown.join(",")
        );
        guard.logged(None, Some(detail), Page { items, page, per_page: PER_PAGE, total }).await
    }

    /// One hand-over; the read is logged.
    pub async fn get_fordern(&self, actor: &Actor, id: i64) -> Result<FordernFall, StoreError> {
        let guard = self.guard::<fordern_fall::Entity>(actor, Action::Read, Some(id)).await?;
        let row = guard.find(&self.db, id).await?;
        let fall = self.fordern_rows(vec![row]).await?.remove(0);
        guard.logged(Some(id), None, fall).await
    }

    /// The Migrationsamt records its decision; it flows back to the Gemeinde. A decision is final: the
    /// update only applies to a case still without decision (checked by the database in the same
    /// statement), so of two decisions sent at once exactly one is stored.
    pub async fn decide_fordern(&self, actor: &Actor, id: i64, input: &EntscheidInput) -> Result<(), StoreError> {
        let guard = self.guard::<fordern_fall::Entity>(actor, Action::Update, Some(id)).await?;
        let txn = begin_write(&self.db).await?;
        guard.find_for_change(&txn, id).await?;
        let (entscheid, begruendung) = input.check().map_err(StoreError::Invalid)?;
        let now = self.clock.now();
        let updated = fordern_fall::Entity::update_many()
            .col_expr(fordern_fall::Column::Entscheid, Expr::value(entscheid.code()))
            .col_expr(fordern_fall::Column::EntscheidBegruendung, Expr::value(begruendung))
            .col_expr(fordern_fall::Column::EntschiedenAt, Expr::value(now))
            .col_expr(fordern_fall::Column::EntschiedenVon, Expr::value(actor.user_id))
            .filter(fordern_fall::Column::Id.eq(id))
            .filter(fordern_fall::Column::Entscheid.is_null())
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(StoreError::regel(StartIntegrationRegel::FordernEntschieden));
        }
        guard.log_change(&txn, id, Some(format!("Entscheid: {}", entscheid.label()))).await?;
        txn.commit().await?;
        Ok(())
    }

    /// How many hand-overs wait for the actor's decision, for the start page of the Migrationsamt.
    pub async fn count_open_fordern(&self, actor: &Actor) -> Result<u64, StoreError> {
        if !actor.may(Resource::Fordern, Action::Update) {
            return Ok(0);
        }
        let guard = self.guard::<fordern_fall::Entity>(actor, Action::Update, None).await?;
        Ok(guard.select().filter(fordern_fall::Column::Entscheid.is_null()).count(&self.db).await?)
    }

    async fn fordern_rows(&self, rows: Vec<fordern_fall::Model>) -> Result<Vec<FordernFall>, StoreError> {
        let neuzuzueger_rows: HashMap<i64, neuzuzueger::Model> = neuzuzueger::Entity::find()
            .filter(neuzuzueger::Column::Id.is_in(rows.iter().map(|r| r.neuzuzueger_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|z| (z.id, z))
            .collect();
        let persons: HashMap<i64, person::Model> = person::Entity::find()
            .filter(person::Column::Id.is_in(neuzuzueger_rows.values().map(|z| z.person_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let users: HashMap<i64, String> = user::Entity::find()
            .filter(user::Column::Id.is_in(rows.iter().map(|r| r.uebergeben_von)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        let directory = self.directory();
        rows.into_iter()
            .map(|row| {
                let neuzuzueger = neuzuzueger_rows.get(&row.neuzuzueger_id).ok_or(StoreError::NotFound)?;
                let person = persons.get(&neuzuzueger.person_id).ok_or(StoreError::NotFound)?;
                Ok(FordernFall {
                    id: row.id,
                    neuzuzueger_id: row.neuzuzueger_id,
                    name: format!("{}, {}", person.nachname, person.vornamen),
                    geburtsdatum: birth_date(person),
                    nationalitaet: catalog::country_name(&person.nationalitaet)
                        .unwrap_or(&person.nationalitaet)
                        .to_owned(),
                    aufenthaltsstatus: ResidenceStatus::from_code(&person.aufenthaltsstatus)
                        .map(|s| s.label().to_owned())
                        .unwrap_or_else(|| person.aufenthaltsstatus.clone()),
                    gemeinde: bfs_of(neuzuzueger.gemeinde_bfs).map(BfsNr::name).unwrap_or_default(),
                    von_organisation: directory.get(row.organisation_id).map(|o| o.name.clone()).unwrap_or_default(),
                    empfehlung: decode("Fordern-Empfehlung", &row.empfehlung, FordernEmpfehlung::from_code)?,
                    begruendung: row.begruendung,
                    uebergeben_at: row.uebergeben_at,
                    uebergeben_von: users.get(&row.uebergeben_von).cloned().unwrap_or_default(),
                    entscheid: decode_optional(
                        "Fordern-Entscheid",
                        row.entscheid.as_deref(),
                        FordernEntscheid::from_code,
                    )?,
                    entscheid_begruendung: row.entscheid_begruendung.unwrap_or_default(),
                    entschieden_at: row.entschieden_at,
                })
            })
            .collect()
    }
}
