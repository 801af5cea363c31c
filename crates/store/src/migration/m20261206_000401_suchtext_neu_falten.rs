//! The register search folds names more widely since issue 12 («Mueller» finds «Müller», «oedeg» «Ødegård»,
//! «dangelo» «D'Angelo»): stored search texts are computed again with today's folding, in batches by id so
//! memory stays flat on a large register. The person's version is not touched: nothing a user sees changed.

use crate::entity::person;
use iim_domain::person::search_text_of;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use sea_orm_migration::prelude::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000401_suchtext_neu_falten"
    }
}

const BATCH: u64 = 1000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let mut after = 0_i64;
        loop {
            let rows: Vec<(i64, String, String, Option<String>)> = person::Entity::find()
                .select_only()
                .columns([
                    person::Column::Id,
                    person::Column::Nachname,
                    person::Column::Vornamen,
                    person::Column::AhvNummer,
                ])
                .filter(person::Column::Id.gt(after))
                .order_by_asc(person::Column::Id)
                .limit(BATCH)
                .into_tuple()
                .all(db)
                .await?;
            let Some((last, ..)) = rows.last() else { return Ok(()) };
            after = *last;
            for (id, nachname, vornamen, ahv) in rows {
                let text = search_text_of(&nachname, &vornamen, ahv.as_deref());
                let update = Query::update()
                    .table("persons")
                    .value("search_text", text)
                    .and_where(Expr::col("id").eq(id))
                    .to_owned();
                db.execute(&update).await?;
            }
        }
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
