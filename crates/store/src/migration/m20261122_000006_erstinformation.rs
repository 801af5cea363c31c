//! start.integration, Informieren and Fordern: the invitation of each newcomer, the Erstinformationsgespräch
//! with its topics and Empfehlungen, the hand-over of a case to the Migrationsamt with its decision, and the
//! human decision on a possible duplicate from the register import.

use super::m20261121_000001_foundation::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000006_erstinformation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(manager, "zuzuege", date_null("eingeladen_am")).await?;
        add_column(manager, "zuzuege", timestamp_with_time_zone_null("geaendert_at")).await?;
        add_column(manager, "zuzuege", big_integer_null("geaendert_von")).await?;
        add_column(manager, "moegliche_duplikate", timestamp_with_time_zone_null("entschieden_at")).await?;
        add_column(manager, "moegliche_duplikate", big_integer_null("entschieden_von")).await?;
        manager
            .create_table(
                Table::create()
                    .table("erstgespraeche")
                    .col(big_pk_auto("id"))
                    .col(big_integer_uniq("zuzug_id"))
                    .col(date("gefuehrt_am"))
                    .col(string("sprache"))
                    .col(boolean("dolmetscher"))
                    .col(string("themen"))
                    .col(text("bemerkungen"))
                    .col(date_null("nachfassen_am"))
                    .col(timestamp_with_time_zone("erfasst_at"))
                    .col(big_integer("erfasst_von"))
                    .foreign_key(&mut fk("erstgespraeche", "zuzug_id", "zuzuege"))
                    .foreign_key(&mut fk("erstgespraeche", "erfasst_von", "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("empfehlungen")
                    .col(big_pk_auto("id"))
                    .col(big_integer("erstgespraech_id"))
                    .col(integer("position"))
                    .col(string("art"))
                    .col(text("text"))
                    .foreign_key(&mut fk("empfehlungen", "erstgespraech_id", "erstgespraeche"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("empfehlungen", &["erstgespraech_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("fordern_faelle")
                    .col(big_pk_auto("id"))
                    .col(big_integer("zuzug_id"))
                    .col(big_integer("organisation_id"))
                    .col(string("empfehlung"))
                    .col(text("begruendung"))
                    .col(timestamp_with_time_zone("uebergeben_at"))
                    .col(big_integer("uebergeben_von"))
                    .col(string_null("entscheid"))
                    .col(text_null("entscheid_begruendung"))
                    .col(timestamp_with_time_zone_null("entschieden_at"))
                    .col(big_integer_null("entschieden_von"))
                    .foreign_key(&mut fk("fordern_faelle", "zuzug_id", "zuzuege"))
                    .foreign_key(&mut fk("fordern_faelle", "organisation_id", "organisations"))
                    .foreign_key(&mut fk("fordern_faelle", "uebergeben_von", "users"))
                    .foreign_key(&mut fk("fordern_faelle", "entschieden_von", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("fordern_faelle", &["zuzug_id"])).await?;
        manager.create_index(index("fordern_faelle", &["entschieden_at"])).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Erstinformationen lassen sich nicht zurücknehmen.".to_owned()))
    }
}

/// One column per statement: SQLite alters a table one column at a time.
async fn add_column(manager: &SchemaManager<'_>, table: &'static str, column: ColumnDef) -> Result<(), DbErr> {
    manager.alter_table(Table::alter().table(table).add_column(column).to_owned()).await
}
