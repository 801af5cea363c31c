//! The register deliveries imported so far, for the page «Register-Import»: who imported which file when,
//! with its counts and refused events. An Integrationsbeauftragte sees the deliveries imported by her
//! organisation's accounts, an admin all of them; another delivery answers "not found" and the refusal is
//! logged. The list holds no personal data; opening a delivery (its refusals may name fields of persons) is
//! logged.

use crate::entity::{register_ablehnung, register_lieferung};
use crate::{Page, PageWindow, Store, StoreError};
use chrono::{DateTime, Utc};
use iim_domain::{Action, Actor};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

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
    /// The deliveries in the actor's scope, newest first.
    pub async fn register_deliveries(
        &self,
        actor: &Actor,
        page: u64,
        per_page: u64,
    ) -> Result<Page<Lieferung>, StoreError> {
        let guard = self.guard::<register_lieferung::Entity>(actor, Action::Read, None).await?;
        let query = guard.select();
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
        let guard = self.guard::<register_lieferung::Entity>(actor, Action::Read, Some(id)).await?;
        let row = guard.find(&self.db, id).await?;
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
        guard.logged(Some(id), None, (lieferung(row), refusals)).await
    }
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
