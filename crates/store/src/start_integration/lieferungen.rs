//! The register deliveries imported so far, for the page «Register-Import»: who first imported which file when,
//! with its counts over all imports of the same message, the refused events still open (each with its reason)
//! and the skipped events grouped by kind and reason (no person is stored for those, so none is shown). An Integrationsbeauftragte sees the deliveries imported by her
//! organisation's accounts, an admin all of them; another delivery answers "not found" and the refusal is
//! logged. The list holds no personal data; opening a delivery (its refusals may name fields of persons) is
//! logged.

use crate::entity::{register_ablehnung, register_ereignis, register_lieferung};
use crate::{Page, PageWindow, Store, StoreError};
use chrono::{DateTime, Utc};
use iim_domain::erstinformation::{Abgelehnt, Ereignisart, Uebersprungen};
use iim_domain::{Action, Actor, Choice};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

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

/// A refused event of a delivery, not imported yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LieferungAblehnung {
    pub position: i32,
    pub art: Ereignisart,
    pub grund: Abgelehnt,
    /// The eCH element and the field path, for the detail view only.
    pub ereignis: String,
    pub feld: String,
    pub meldung: String,
}

/// Skipped events of one kind and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uebersprungene {
    pub art: Ereignisart,
    pub grund: Uebersprungen,
    pub anzahl: u64,
}

/// One delivery as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LieferungDetail {
    pub lieferung: Lieferung,
    pub ablehnungen: Vec<LieferungAblehnung>,
    pub uebersprungen: Vec<Uebersprungene>,
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

    /// One delivery with its open refusals and skipped events, if in scope; the read is logged.
    pub async fn register_delivery(&self, actor: &Actor, id: i64) -> Result<LieferungDetail, StoreError> {
        let guard = self.guard::<register_lieferung::Entity>(actor, Action::Read, Some(id)).await?;
        let row = guard.find(&self.db, id).await?;
        let ablehnungen = register_ablehnung::Entity::find()
            .filter(register_ablehnung::Column::LieferungId.eq(id))
            .order_by_asc(register_ablehnung::Column::Position)
            .order_by_asc(register_ablehnung::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(ablehnung)
            .collect();
        let uebersprungen = skipped(&self.db, id).await?;
        guard.logged(Some(id), None, LieferungDetail { lieferung: lieferung(row), ablehnungen, uebersprungen }).await
    }
}

fn ablehnung(r: register_ablehnung::Model) -> LieferungAblehnung {
    LieferungAblehnung {
        position: r.position,
        art: Ereignisart::of_ech(&r.ereignis),
        grund: r.grund.as_deref().and_then(Abgelehnt::from_code).unwrap_or(Abgelehnt::FehlerInDerLieferung),
        ereignis: r.ereignis,
        feld: r.feld,
        meldung: r.meldung,
    }
}

/// The delivery's skipped events counted by kind and reason, most frequent first.
async fn skipped(db: &impl ConnectionTrait, id: i64) -> Result<Vec<Uebersprungene>, StoreError> {
    use register_ereignis::Column;
    let rows: Vec<(String, Option<String>, i64)> = register_ereignis::Entity::find()
        .select_only()
        .column(Column::Art)
        .column(Column::Grund)
        .column_as(Column::Id.count(), "anzahl")
        .filter(Column::LieferungId.eq(id))
        .filter(Column::Ergebnis.eq("uebersprungen"))
        .group_by(Column::Art)
        .group_by(Column::Grund)
        .into_tuple()
        .all(db)
        .await?;
    let mut groups: Vec<Uebersprungene> = rows
        .into_iter()
        .filter_map(|(art, grund, anzahl)| {
            Some(Uebersprungene {
                art: Ereignisart::from_code(&art)?,
                grund: Uebersprungen::from_code(grund.as_deref()?)?,
                anzahl: u64::try_from(anzahl).unwrap_or_default(),
            })
        })
        .collect();
    groups.sort_by(|a, b| b.anzahl.cmp(&a.anzahl).then(a.grund.cmp(&b.grund)).then(a.art.cmp(&b.art)));
    Ok(groups)
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
