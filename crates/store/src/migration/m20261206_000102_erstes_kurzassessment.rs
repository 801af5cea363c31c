//! Saving the Kurzassessment again used to move the dossier's `kurzassessment_datum` to the new answers' date,
//! and with it the due date of the first Standortbestimmung (issue 12). The earlier answers were always kept as
//! rows of `kurzassessments`; only this date moved. The clock now starts from the earliest Kurzassessment, so
//! dossiers with more than one get that date back, and, where no Standortbestimmung has restarted the clock
//! and the dossier is open, the due date that follows from it (`next_standortbestimmung`, 12 months).

use crate::entity::{dossier, kurzassessment};
use iim_domain::dossier::next_standortbestimmung;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use sea_orm_migration::prelude::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000102_erstes_kurzassessment"
    }
}

/// `status_code(DossierStatus::Abgeschlossen)`, as stored.
const ABGESCHLOSSEN: &str = "4_abgeschlossen";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let earliest: Vec<(i64, chrono::NaiveDate)> = kurzassessment::Entity::find()
            .select_only()
            .column(kurzassessment::Column::DossierId)
            .column_as(Expr::col(kurzassessment::Column::Datum).min(), "erstes")
            .group_by(kurzassessment::Column::DossierId)
            .having(Expr::col(kurzassessment::Column::Id).count().gt(1))
            .into_tuple()
            .all(db)
            .await?;
        for (dossier_id, erstes) in earliest {
            let Some(row) = dossier::Entity::find().filter(dossier::Column::Id.eq(dossier_id)).one(db).await? else {
                continue;
            };
            let mut update = Query::update();
            update.table("dossiers").value("kurzassessment_datum", erstes).and_where(Expr::col("id").eq(dossier_id));
            if row.standortbestimmung_datum.is_none() && row.status != ABGESCHLOSSEN {
                update.value("naechste_standortbestimmung", next_standortbestimmung(Some(erstes), None));
            }
            db.execute(&update).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
