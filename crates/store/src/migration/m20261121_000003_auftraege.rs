//! What the fallführende Stelle does with others: orders to accredited providers, transfers to another
//! Stelle on Wohnortwechsel, family links between dossiers and closings that wait for the Leitung.
//!
//! The organisation gets two settings: what kind of provider it is, and whether its closings need the
//! Leitung's approval. They are added without foreign keys (SQLite cannot add a referencing column).

use super::m20261121_000001_foundation::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000003_auftraege"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        organisation_settings(manager).await?;
        akkreditierungen(manager).await?;
        auftraege(manager).await?;
        uebergaben(manager).await?;
        familien(manager).await?;
        abschluss_antraege(manager).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Aufträge und Übergaben lassen sich nicht zurücknehmen.".to_owned()))
    }
}

async fn organisation_settings(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table("organisations").add_column(string_null("anbieter_typ")).to_owned())
        .await?;
    manager
        .alter_table(
            Table::alter()
                .table("organisations")
                .add_column(boolean("abschluss_genehmigung").default(false))
                .to_owned(),
        )
        .await
}

async fn akkreditierungen(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("akkreditierungen")
                .col(big_pk_auto("id"))
                .col(big_integer("organisation_id"))
                .col(string("leistung"))
                .foreign_key(&mut fk("akkreditierungen", "organisation_id", "organisations"))
                .to_owned(),
        )
        .await?;
    manager.create_index(index("akkreditierungen", &["organisation_id", "leistung"]).unique().to_owned()).await
}

async fn auftraege(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("auftraege")
                .col(big_pk_auto("id"))
                .col(big_integer("dossier_id"))
                .col(string("art"))
                .col(big_integer("anbieter_id"))
                .col(text("fragestellung"))
                .col(string("status"))
                .col(timestamp_with_time_zone("erteilt_at"))
                .col(big_integer("erteilt_by"))
                .col(timestamp_with_time_zone_null("entschieden_at"))
                .col(big_integer_null("entschieden_by"))
                .col(text_null("entscheid_begruendung"))
                .col(text_null("ergebnis"))
                .col(text_null("empfehlungen"))
                .col(boolean_null("komplex"))
                .col(timestamp_with_time_zone_null("ergebnis_at"))
                .col(big_integer_null("ergebnis_by"))
                .foreign_key(&mut fk("auftraege", "dossier_id", "dossiers"))
                .foreign_key(&mut fk("auftraege", "anbieter_id", "organisations"))
                .foreign_key(&mut fk("auftraege", "erteilt_by", "users"))
                .to_owned(),
        )
        .await?;
    manager.create_index(index("auftraege", &["dossier_id"])).await?;
    manager.create_index(index("auftraege", &["anbieter_id", "status"])).await?;
    manager.create_index(index("auftraege", &["status", "dossier_id"])).await
}

async fn uebergaben(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("uebergaben")
                .col(big_pk_auto("id"))
                .col(big_integer("dossier_id"))
                .col(big_integer("von_stelle_id"))
                .col(big_integer("an_stelle_id"))
                .col(integer("neue_gemeinde_bfs"))
                .col(text("bemerkung"))
                .col(string("status"))
                .col(timestamp_with_time_zone("beantragt_at"))
                .col(big_integer("beantragt_by"))
                .col(timestamp_with_time_zone_null("entschieden_at"))
                .col(big_integer_null("entschieden_by"))
                .col(text_null("entscheid_begruendung"))
                .foreign_key(&mut fk("uebergaben", "dossier_id", "dossiers"))
                .foreign_key(&mut fk("uebergaben", "von_stelle_id", "organisations"))
                .foreign_key(&mut fk("uebergaben", "an_stelle_id", "organisations"))
                .foreign_key(&mut fk("uebergaben", "beantragt_by", "users"))
                .to_owned(),
        )
        .await?;
    manager.create_index(index("uebergaben", &["dossier_id"])).await?;
    manager.create_index(index("uebergaben", &["an_stelle_id", "status"])).await
}

async fn familien(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("familien")
                .col(big_pk_auto("id"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table("familien_mitglieder")
                .col(big_pk_auto("id"))
                .col(big_integer("familie_id"))
                .col(big_integer_uniq("dossier_id"))
                .foreign_key(&mut fk("familien_mitglieder", "familie_id", "familien"))
                .foreign_key(&mut fk("familien_mitglieder", "dossier_id", "dossiers"))
                .to_owned(),
        )
        .await?;
    manager.create_index(index("familien_mitglieder", &["familie_id"])).await
}

async fn abschluss_antraege(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("abschluss_antraege")
                .col(big_pk_auto("id"))
                .col(big_integer("dossier_id"))
                .col(string("grund"))
                .col(text("bemerkung"))
                .col(string("status"))
                .col(timestamp_with_time_zone("beantragt_at"))
                .col(big_integer("beantragt_by"))
                .col(timestamp_with_time_zone_null("entschieden_at"))
                .col(big_integer_null("entschieden_by"))
                .col(text_null("entscheid_begruendung"))
                .foreign_key(&mut fk("abschluss_antraege", "dossier_id", "dossiers"))
                .foreign_key(&mut fk("abschluss_antraege", "beantragt_by", "users"))
                .to_owned(),
        )
        .await?;
    manager.create_index(index("abschluss_antraege", &["dossier_id", "status"])).await
}
