//! Setting up organisations from the command line (`iim org`, `iim serve`, the demo): the Kanton offices,
//! Sozialregionen and Gemeinden from the region mapping, providers with their accreditations, and whether a
//! Sozialregion's closings need the Leitung's approval. Each change reloads the in-memory directory.

use super::Operator;
use crate::directory::{KANTON_OFFICES, gemeinde_code, region_code, upsert};
use crate::entity::{akkreditierung, organisation};
use crate::{OrganisationKind, RegionMapping, StoreError, begin_write};
use iim_domain::Choice;
use iim_domain::auftrag::{AnbieterTyp, AuftragArt};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, NotSet, QueryFilter};
use std::collections::HashMap;

impl Operator<'_> {
    /// Brings the organisations in line with the canton's Gemeinden and the mapping, in one transaction:
    /// Kanton offices, one organisation per Sozialregion and per Gemeinde, their links. Organisations are
    /// never deleted (users and records refer to them); a region missing from the mapping simply keeps no
    /// Gemeinden.
    pub async fn sync_organisations(&self, mapping: &RegionMapping) -> Result<(), StoreError> {
        let now = self.store.clock.now();
        let txn = crate::begin_write(&self.store.db).await?;
        for (code, name) in KANTON_OFFICES {
            upsert(&txn, code, OrganisationKind::Kanton, name, None, None, now).await?;
        }
        let mut region_ids = HashMap::new();
        for region in mapping.regions() {
            let id =
                upsert(&txn, &region_code(region), OrganisationKind::Sozialregion, region, None, None, now).await?;
            region_ids.insert(region.to_owned(), id);
        }
        let mut gemeinde_ids = HashMap::new();
        for row in mapping.rows() {
            let region = region_ids.get(&row.sozialregion).copied();
            let code = gemeinde_code(row.bfs);
            let id =
                upsert(&txn, &code, OrganisationKind::Gemeinde, &row.bfs.name(), Some(row.bfs), region, now).await?;
            gemeinde_ids.insert(row.bfs, id);
        }
        for row in mapping.rows() {
            let leitgemeinde_id = row.leitgemeinde.and_then(|leit| gemeinde_ids.get(&leit).copied());
            if let (Some(id), Some(_)) = (gemeinde_ids.get(&row.bfs), leitgemeinde_id) {
                organisation::Entity::update_many()
                    .col_expr(organisation::Column::LeitgemeindeId, Expr::value(leitgemeinde_id))
                    .filter(organisation::Column::Id.eq(*id))
                    .exec(&txn)
                    .await?;
            }
        }
        txn.commit().await?;
        self.store.reload_directory().await
    }

    /// Adds a provider organisation (or renames it when the code exists).
    pub async fn upsert_provider(&self, code: &str, name: &str) -> Result<i64, StoreError> {
        let id =
            upsert(&self.store.db, code, OrganisationKind::Anbieter, name, None, None, self.store.clock.now()).await?;
        self.store.reload_directory().await?;
        Ok(id)
    }

    /// Sets a provider's kind and what it is accredited for (operator action from the command line).
    pub async fn set_provider_profile(
        &self,
        code: &str,
        typ: AnbieterTyp,
        akkreditiert_fuer: &[AuftragArt],
    ) -> Result<(), StoreError> {
        let txn = begin_write(&self.store.db).await?;
        let row = organisation::Entity::find()
            .filter(organisation::Column::Code.eq(code))
            .filter(organisation::Column::Kind.eq("anbieter"))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let id = row.id;
        let mut active = row.into_active_model();
        active.anbieter_typ = Set(Some(typ.code().to_owned()));
        active.update(&txn).await?;
        akkreditierung::Entity::delete_many().filter(akkreditierung::Column::OrganisationId.eq(id)).exec(&txn).await?;
        for art in akkreditiert_fuer {
            akkreditierung::ActiveModel { id: NotSet, organisation_id: Set(id), leistung: Set(art.code().to_owned()) }
                .insert(&txn)
                .await?;
        }
        txn.commit().await?;
        self.store.reload_directory().await
    }

    /// Whether the Sozialregion's closings need the Leitung's approval (operator setting).
    pub async fn set_closing_approval(&self, code: &str, required: bool) -> Result<(), StoreError> {
        let row = organisation::Entity::find()
            .filter(organisation::Column::Code.eq(code))
            .filter(organisation::Column::Kind.eq("sozialregion"))
            .one(&self.store.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut active = row.into_active_model();
        active.abschluss_genehmigung = Set(required);
        active.update(&self.store.db).await?;
        Ok(())
    }
}
