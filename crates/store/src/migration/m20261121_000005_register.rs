//! Imports from the population register (eCH-0020): each delivery once (by its message id) with its report
//! and refused events, the link from the register's person number to our person, the newcomers from abroad
//! for start.integration, and possible duplicates for a human decision.

use super::m20261121_000001_foundation::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000005_register"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("register_lieferungen")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("message_id"))
                    .col(string("sender_id"))
                    .col(string("datei"))
                    .col(timestamp_with_time_zone("importiert_at"))
                    .col(string("importiert_von"))
                    .col(integer("gelesen"))
                    .col(integer("gespeichert"))
                    .col(integer("zugeordnet"))
                    .col(integer("uebersprungen"))
                    .col(integer("abgelehnt"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("register_ablehnungen")
                    .col(big_pk_auto("id"))
                    .col(big_integer("lieferung_id"))
                    .col(integer("position"))
                    .col(string("ereignis"))
                    .col(string("feld"))
                    .col(text("meldung"))
                    .foreign_key(&mut fk("register_ablehnungen", "lieferung_id", "register_lieferungen"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("register_ablehnungen", &["lieferung_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("register_personen")
                    .col(big_pk_auto("id"))
                    .col(big_integer("person_id"))
                    .col(string("kategorie"))
                    .col(string("local_id"))
                    .foreign_key(&mut fk("register_personen", "person_id", "persons"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("register_personen", &["kategorie", "local_id"]).unique().to_owned()).await?;
        manager.create_index(index("register_personen", &["person_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("zuzuege")
                    .col(big_pk_auto("id"))
                    .col(big_integer("person_id"))
                    .col(integer("gemeinde_bfs"))
                    .col(date("zuzug_am"))
                    .col(string_null("herkunft"))
                    .col(string("status"))
                    .col(big_integer("lieferung_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("zuzuege", "person_id", "persons"))
                    .foreign_key(&mut fk("zuzuege", "lieferung_id", "register_lieferungen"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("zuzuege", &["person_id", "zuzug_am"]).unique().to_owned()).await?;
        manager.create_index(index("zuzuege", &["gemeinde_bfs", "status"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("moegliche_duplikate")
                    .col(big_pk_auto("id"))
                    .col(big_integer("person_id"))
                    .col(big_integer("kandidat_id"))
                    .col(string("status"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("moegliche_duplikate", "person_id", "persons"))
                    .foreign_key(&mut fk("moegliche_duplikate", "kandidat_id", "persons"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("moegliche_duplikate", &["status"])).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Register-Importe lassen sich nicht zurücknehmen.".to_owned()))
    }
}
