//! A Sozialregion's caseload taken over from its Excel list (issue 11) is imported once per row: each row
//! done is remembered by its Stelle and its key (AHV number, else folded name and birth date; see
//! `iim_domain::caseload::schluessel`) with the person and dossier it created, so a second run of the same
//! file creates nothing twice and tells «bereits übernommen» apart from a person registered otherwise.

use super::m20261121_000001_foundation::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000010_caseload_import"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("caseload_zeilen")
                    .col(big_pk_auto("id"))
                    .col(big_integer("stelle_id"))
                    .col(string("schluessel"))
                    .col(big_integer("person_id"))
                    .col(big_integer("dossier_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("created_by"))
                    .foreign_key(&mut fk("caseload_zeilen", "stelle_id", "organisations"))
                    .foreign_key(&mut fk("caseload_zeilen", "person_id", "persons"))
                    .foreign_key(&mut fk("caseload_zeilen", "dossier_id", "dossiers"))
                    .foreign_key(&mut fk("caseload_zeilen", "created_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("caseload_zeilen", &["stelle_id", "schluessel"]).unique().to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("caseload_zeilen").to_owned()).await
    }
}
