//! Register imports remember each event, not each delivery (issue 11): a delivery whose events were partly
//! refused (another Gemeinde's, a broken file) must be importable again for exactly those events. Each event
//! that is done (stored, matched to a known person, or skipped as not needed) gets a row keyed by its delivery
//! and position, with its kind and, for a skipped event, the reason (codes of `iim_domain::erstinformation`);
//! nothing of the person. Refusals get a reason code too.
//!
//! Deliveries imported before this migration were recorded whole: their events up to the count read are
//! marked done (`frueher`), except the refused ones, which a later import now tries again.

use super::m20261121_000001_foundation::{fk, index};
use sea_orm::{ConnectionTrait, FromQueryResult};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use std::collections::BTreeSet;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000001_register_ereignisse"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("register_ereignisse")
                    .col(big_pk_auto("id"))
                    .col(big_integer("lieferung_id"))
                    .col(integer("position"))
                    .col(string("art"))
                    .col(string("ergebnis"))
                    .col(string_null("grund"))
                    .foreign_key(&mut fk("register_ereignisse", "lieferung_id", "register_lieferungen"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("register_ereignisse", &["lieferung_id", "position"]).unique().to_owned()).await?;
        manager
            .alter_table(Table::alter().table("register_ablehnungen").add_column(string_null("grund")).to_owned())
            .await?;
        manager.create_index(index("register_ablehnungen", &["lieferung_id", "position"])).await?;
        mark_earlier_events_done(manager).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Register-Importe lassen sich nicht zurücknehmen.".to_owned()))
    }
}

#[derive(FromQueryResult)]
struct Delivery {
    id: i64,
    gelesen: i32,
}

#[derive(FromQueryResult)]
struct Refused {
    position: i32,
}

/// Rows per INSERT: 4 values each, far below PostgreSQL's 65 535 parameters.
const ROWS_PER_INSERT: usize = 1000;

async fn mark_earlier_events_done(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let builder = db.get_database_backend();
    let deliveries = Query::select().columns(["id", "gelesen"]).from("register_lieferungen").to_owned();
    for delivery in Delivery::find_by_statement(builder.build(&deliveries)).all(db).await? {
        let refused = Query::select()
            .column("position")
            .from("register_ablehnungen")
            .and_where(Expr::col("lieferung_id").eq(delivery.id))
            .to_owned();
        let refused: BTreeSet<i32> = Refused::find_by_statement(builder.build(&refused))
            .all(db)
            .await?
            .into_iter()
            .map(|r| r.position)
            .collect();
        let done: Vec<i32> = (1..=delivery.gelesen).filter(|p| !refused.contains(p)).collect();
        for chunk in done.chunks(ROWS_PER_INSERT) {
            let mut insert = Query::insert()
                .into_table("register_ereignisse")
                .columns(["lieferung_id", "position", "art", "ergebnis"])
                .to_owned();
            for position in chunk {
                insert
                    .values([delivery.id.into(), (*position).into(), "andere".into(), "frueher".into()])
                    .map_err(|e| DbErr::Custom(e.to_string()))?;
            }
            db.execute(&insert).await?;
        }
    }
    Ok(())
}
