//! Family links: one dossier per household member, linked so that the family can be integrated as a unit
//! (DOMAIN.md "The case"). A link is made by someone who may change both dossiers. The dossier page names
//! a linked member only when the same Stelle keeps that member's dossier; members kept elsewhere (after a
//! transfer) show only where they are kept.

use crate::entity::{dossier, familie, familien_mitglied};
use crate::fallfuehrung::dossiers::{DossierChange, add_event, person_names};
use crate::{Directory, Dossier, Store, StoreError};
use iim_domain::dossier::DossierEvent;
use iim_domain::regeln::FallfuehrungRegel;
use iim_domain::{Action, Actor};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet};
use sea_orm::{PaginatorTrait, QueryFilter, QueryOrder};

/// Another member of the dossier's family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilienMitglied {
    pub dossier_id: i64,
    /// `None` when another Stelle keeps the member's dossier.
    pub person_name: Option<String>,
    pub stelle: String,
}

impl Store {
    /// Links two dossiers the actor may change into one family (joining their families if both have one).
    pub async fn link_family(&self, actor: &Actor, dossier_id: i64, other: &str) -> Result<Dossier, StoreError> {
        let Ok(other_id) = other.trim().trim_start_matches("Nr.").trim().parse::<i64>() else {
            return Err(StoreError::regel(FallfuehrungRegel::DossierNummerFehlt));
        };
        if other_id == dossier_id {
            return Err(StoreError::regel(FallfuehrungRegel::FamilieMitSichSelbst));
        }
        let DossierChange { guard, txn, row, now } =
            self.begin_change(actor, dossier_id, Action::Update, false).await?;
        let other_row = match guard.find(&txn, other_id).await {
            Err(StoreError::NotFound) => {
                return Err(StoreError::regel(FallfuehrungRegel::DossierNichtInIhrenFaellen));
            }
            found => found?,
        };
        let mine = family_id(&txn, row.id).await?;
        let theirs = family_id(&txn, other_row.id).await?;
        let family = match (mine, theirs) {
            (Some(a), Some(b)) if a == b => {
                return Err(StoreError::regel(FallfuehrungRegel::FamilieBereitsVerknuepft));
            }
            (Some(a), Some(b)) => {
                familien_mitglied::Entity::update_many()
                    .col_expr(familien_mitglied::Column::FamilieId, Expr::value(a))
                    .filter(familien_mitglied::Column::FamilieId.eq(b))
                    .exec(&txn)
                    .await?;
                a
            }
            (Some(a), None) => add_member(&txn, a, other_row.id).await?,
            (None, Some(b)) => add_member(&txn, b, row.id).await?,
            (None, None) => {
                let family = familie::ActiveModel { id: NotSet, created_at: Set(now) }.insert(&txn).await?.id;
                add_member(&txn, family, row.id).await?;
                add_member(&txn, family, other_row.id).await?
            }
        };
        let names = person_names(&txn, [row.person_id, other_row.person_id].into_iter()).await?;
        let name = |person_id: i64| names.get(&person_id).cloned().unwrap_or_default();
        let detail = format!("mit Dossier {} ({})", row.id, name(row.person_id));
        add_event(&txn, other_row.id, actor.user_id, DossierEvent::FamilieVerknuepft, Some(detail), now).await?;
        guard.log_change(&txn, other_row.id, Some(format!("Familie {family} verknüpft"))).await?;
        let summary = format!("mit Dossier {} ({})", other_row.id, name(other_row.person_id));
        self.finish_change(&guard, txn, row.into_active_model(), DossierEvent::FamilieVerknuepft, Some(summary), now)
            .await
    }

    /// Takes the dossier out of its family; a family of one is dissolved.
    pub async fn unlink_family(&self, actor: &Actor, dossier_id: i64) -> Result<Dossier, StoreError> {
        let DossierChange { guard, txn, row, now } =
            self.begin_change(actor, dossier_id, Action::Update, false).await?;
        let Some(family) = family_id(&txn, row.id).await? else {
            return Err(StoreError::regel(FallfuehrungRegel::KeineFamilie));
        };
        familien_mitglied::Entity::delete_many()
            .filter(familien_mitglied::Column::DossierId.eq(row.id))
            .exec(&txn)
            .await?;
        let remaining = familien_mitglied::Entity::find()
            .filter(familien_mitglied::Column::FamilieId.eq(family))
            .count(&txn)
            .await?;
        if remaining < 2 {
            familien_mitglied::Entity::delete_many()
                .filter(familien_mitglied::Column::FamilieId.eq(family))
                .exec(&txn)
                .await?;
        }
        self.finish_change(&guard, txn, row.into_active_model(), DossierEvent::FamilieGeloest, None, now).await
    }
}

/// The other members of the dossier's family, for the dossier page.
pub(crate) async fn family_of(
    db: &impl ConnectionTrait,
    dossier: &dossier::Model,
    directory: &Directory,
) -> Result<Vec<FamilienMitglied>, StoreError> {
    let Some(family) = family_id(db, dossier.id).await? else {
        return Ok(Vec::new());
    };
    let members: Vec<i64> = familien_mitglied::Entity::find()
        .filter(familien_mitglied::Column::FamilieId.eq(family))
        .filter(familien_mitglied::Column::DossierId.ne(dossier.id))
        .order_by_asc(familien_mitglied::Column::DossierId)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.dossier_id)
        .collect();
    let rows = dossier::Entity::find().filter(dossier::Column::Id.is_in(members)).all(db).await?;
    let names = person_names(db, rows.iter().map(|r| r.person_id)).await?;
    Ok(rows
        .into_iter()
        .map(|member| FamilienMitglied {
            dossier_id: member.id,
            person_name: names.get(&member.person_id).cloned().filter(|_| member.stelle_id == dossier.stelle_id),
            stelle: directory.get(member.stelle_id).map(|o| o.name.clone()).unwrap_or_default(),
        })
        .collect())
}

async fn family_id(db: &impl ConnectionTrait, dossier_id: i64) -> Result<Option<i64>, StoreError> {
    Ok(familien_mitglied::Entity::find()
        .filter(familien_mitglied::Column::DossierId.eq(dossier_id))
        .one(db)
        .await?
        .map(|m| m.familie_id))
}

async fn add_member(db: &impl ConnectionTrait, family: i64, dossier_id: i64) -> Result<i64, StoreError> {
    familien_mitglied::ActiveModel { id: NotSet, familie_id: Set(family), dossier_id: Set(dossier_id) }
        .insert(db)
        .await?;
    Ok(family)
}
