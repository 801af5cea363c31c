//! The register deliveries imported so far, for the page «Register-Import»: who imported which file when,
//! with its counts and refused events. An Integrationsbeauftragte sees the deliveries imported by her
//! organisation's accounts, an admin all of them; another delivery answers "not found" and the refusal is
//! logged. The list holds no personal data; opening a delivery (its refusals may name fields of persons) is
//! logged.

use crate::entity::{register_ablehnung, register_lieferung, user};
use crate::{Page, PageWindow, Store, StoreError};
use chrono::{DateTime, Utc};
use iim_domain::{Action, Actor, AuditEntry, Outcome, Resource, Scope};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Select};

/// One imported delivery with its counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lieferung {
    pub id: i64,
    pub message_id: String,
    pub sender_id: String,
    pub datei: String,
    pub importiert_at: DateTime<Utc>,
    pub importiert_von: String,
    pub gelesen: i32,
    pub gespeichert: i32,
    pub zugeordnet: i32,
    pub uebersprungen: i32,
    pub abgelehnt: i32,
}

/// A refused event of a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LieferungAblehnung {
    pub position: i32,
    pub ereignis: String,
    pub feld: String,
    pub meldung: String,
}

impl Store {
    /// Refuses, and logs the refusal of, an actor whose roles do not allow `action` on register imports.
    pub async fn check_import_permission(&self, actor: &Actor, action: Action) -> Result<Scope, StoreError> {
        self.authorize_import(actor, action, None).await
    }

    pub(crate) async fn authorize_import(
        &self,
        actor: &Actor,
        action: Action,
        record: Option<i64>,
    ) -> Result<Scope, StoreError> {
        match actor.scope_for(Resource::RegisterImport, action) {
            Ok(scope) => Ok(scope),
            Err(denied) => {
                let entry = self.import_entry(actor, action, record, Outcome::Denied);
                self.log_read(entry.with_detail("Rolle ohne Berechtigung")).await?;
                Err(denied.into())
            }
        }
    }

    fn import_entry(&self, actor: &Actor, action: Action, record: Option<i64>, outcome: Outcome) -> AuditEntry {
        let record = record.map(|id| id.to_string());
        AuditEntry::of(actor, action, Resource::RegisterImport, record, outcome, self.clock.now())
    }

    /// The deliveries in the actor's scope, newest first.
    pub async fn register_deliveries(
        &self,
        actor: &Actor,
        page: u64,
        per_page: u64,
    ) -> Result<Page<Lieferung>, StoreError> {
        let scope = self.authorize_import(actor, Action::Read, None).await?;
        let query = deliveries_in_scope(actor, scope);
        let total = query.clone().count(&self.db).await?;
        let PageWindow { page, per_page } = PageWindow::new(page, per_page, 200);
        let rows = query
            .order_by_desc(register_lieferung::Column::ImportiertAt)
            .order_by_desc(register_lieferung::Column::Id)
            .paginate(&self.db, per_page)
            .fetch_page(page - 1)
            .await?;
        Ok(Page { items: rows.into_iter().map(lieferung).collect(), page, per_page, total })
    }

    /// One delivery with its refused events, if in scope; the read is logged.
    pub async fn register_delivery(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(Lieferung, Vec<LieferungAblehnung>), StoreError> {
        let scope = self.authorize_import(actor, Action::Read, Some(id)).await?;
        let found =
            deliveries_in_scope(actor, scope).filter(register_lieferung::Column::Id.eq(id)).one(&self.db).await?;
        let Some(row) = found else {
            let exists = register_lieferung::Entity::find_by_id(id).one(&self.db).await?.is_some();
            if exists {
                let entry = self.import_entry(actor, Action::Read, Some(id), Outcome::Denied);
                self.log_read(entry.with_detail("ausserhalb der Zuständigkeit")).await?;
            }
            return Err(StoreError::NotFound);
        };
        let refusals = register_ablehnung::Entity::find()
            .filter(register_ablehnung::Column::LieferungId.eq(id))
            .order_by_asc(register_ablehnung::Column::Position)
            .order_by_asc(register_ablehnung::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| LieferungAblehnung {
                position: r.position,
                ereignis: r.ereignis,
                feld: r.feld,
                meldung: r.meldung,
            })
            .collect();
        self.log_read(self.import_entry(actor, Action::Read, Some(id), Outcome::Allowed)).await?;
        Ok((lieferung(row), refusals))
    }
}

/// Canton: every delivery; otherwise those imported by accounts of the actor's organisation.
fn deliveries_in_scope(actor: &Actor, scope: Scope) -> Select<register_lieferung::Entity> {
    let select = register_lieferung::Entity::find();
    if scope == Scope::Canton {
        return select;
    }
    let colleagues = Query::select()
        .column(user::Column::Username)
        .from(user::Entity)
        .and_where(user::Column::OrganisationId.eq(actor.organisation_id))
        .to_owned();
    select.filter(register_lieferung::Column::ImportiertVon.in_subquery(colleagues))
}

fn lieferung(row: register_lieferung::Model) -> Lieferung {
    Lieferung {
        id: row.id,
        message_id: row.message_id,
        sender_id: row.sender_id,
        datei: row.datei,
        importiert_at: row.importiert_at,
        importiert_von: row.importiert_von,
        gelesen: row.gelesen,
        gespeichert: row.gespeichert,
        zugeordnet: row.zugeordnet,
        uebersprungen: row.uebersprungen,
        abgelehnt: row.abgelehnt,
    }
}
