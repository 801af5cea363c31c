//! Regional Mentoring-Pools: volunteer mentors (from the public sign-up) with their vetting, mentees referred
//! with consent, tandems with their lifecycle, and check-ins. A tandem keeps the Gemeinde of its pool and
//! its dates, so the pool's figures survive the deletion of the people after the retention period (mentor
//! and mentee links become empty).

use super::m20261121_000001_foundation::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000011_mentoring"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("mentoring_mentoren")
                    .col(big_pk_auto("id"))
                    .col(text("name"))
                    .col(text("email"))
                    .col(text("telefon"))
                    .col(integer("gemeinde_bfs"))
                    .col(string("sprachen"))
                    .col(text("verfuegbarkeit"))
                    .col(string("interessen"))
                    .col(text("interessen_text"))
                    .col(string("status"))
                    .col(date_null("gespraech_am"))
                    .col(text("notizen"))
                    .col(timestamp_with_time_zone("angemeldet_at"))
                    .col(timestamp_with_time_zone("geaendert_at"))
                    .col(big_integer_null("geaendert_von"))
                    .foreign_key(&mut fk("mentoring_mentoren", "geaendert_von", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentoring_mentoren", &["gemeinde_bfs", "status"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("mentoring_mentees")
                    .col(big_pk_auto("id"))
                    .col(text("name"))
                    .col(integer("gemeinde_bfs"))
                    .col(string("sprachen"))
                    .col(string("interessen"))
                    .col(text("interessen_text"))
                    .col(text("kontakt"))
                    .col(date("einwilligung_am"))
                    .col(timestamp_with_time_zone("zugewiesen_at"))
                    .col(big_integer("zugewiesen_von"))
                    .foreign_key(&mut fk("mentoring_mentees", "zugewiesen_von", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentoring_mentees", &["gemeinde_bfs"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("mentoring_tandems")
                    .col(big_pk_auto("id"))
                    .col(big_integer_null("mentor_id"))
                    .col(big_integer_null("mentee_id"))
                    .col(integer("gemeinde_bfs"))
                    .col(string("status"))
                    .col(timestamp_with_time_zone("vorgeschlagen_at"))
                    .col(date_null("begonnen_am"))
                    .col(date_null("beendet_am"))
                    .col(string_null("end_grund"))
                    .col(text("end_text"))
                    .col(timestamp_with_time_zone("geaendert_at"))
                    .foreign_key(&mut fk("mentoring_tandems", "mentor_id", "mentoring_mentoren"))
                    .foreign_key(&mut fk("mentoring_tandems", "mentee_id", "mentoring_mentees"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentoring_tandems", &["gemeinde_bfs", "status"])).await?;
        manager.create_index(index("mentoring_tandems", &["mentor_id"])).await?;
        manager.create_index(index("mentoring_tandems", &["mentee_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("mentoring_checkins")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tandem_id"))
                    .col(date("datum"))
                    .col(text("notiz"))
                    .col(big_integer("erfasst_von"))
                    .col(timestamp_with_time_zone("erfasst_at"))
                    .foreign_key(&mut fk("mentoring_checkins", "tandem_id", "mentoring_tandems"))
                    .foreign_key(&mut fk("mentoring_checkins", "erfasst_von", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentoring_checkins", &["tandem_id"])).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Die Mentoring-Pools lassen sich nicht zurücknehmen.".to_owned()))
    }
}
