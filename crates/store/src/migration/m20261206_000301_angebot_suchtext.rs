//! The offer pickers of the casework filter by the same folding as the register search (issue 12: «Mueller»
//! finds «Müller»), which the database cannot compute: each offer keeps its title folded in `suchtext`,
//! written with every save (`angebote::verwaltung::new_row`). Existing offers get theirs here, in batches by id
//! so memory stays flat on a large catalogue.

use crate::entity::angebot;
use iim_domain::person::fold_for_search;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000301_angebot_suchtext"
    }
}

const BATCH: u64 = 1000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("angebote").add_column(text("suchtext").default("")).to_owned())
            .await?;
        let db = manager.get_connection();
        let mut after = 0_i64;
        loop {
            let rows: Vec<(i64, String)> = angebot::Entity::find()
                .select_only()
                .columns([angebot::Column::Id, angebot::Column::Titel])
                .filter(angebot::Column::Id.gt(after))
                .order_by_asc(angebot::Column::Id)
                .limit(BATCH)
                .into_tuple()
                .all(db)
                .await?;
            let Some((last, _)) = rows.last() else { return Ok(()) };
            after = *last;
            for (id, titel) in rows {
                let update = Query::update()
                    .table("angebote")
                    .value("suchtext", fold_for_search(&titel))
                    .and_where(Expr::col("id").eq(id))
                    .to_owned();
                db.execute(&update).await?;
            }
        }
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Der Suchtext der Angebote lässt sich nicht zurücknehmen.".to_owned()))
    }
}
