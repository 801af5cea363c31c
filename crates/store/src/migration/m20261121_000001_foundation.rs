//! Organisations, users, sessions, API tokens, login throttling, the Personenregister and the access log.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000001_foundation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("organisations")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("code"))
                    .col(string("kind"))
                    .col(string("name"))
                    .col(integer_null("bfs_nr"))
                    .col(big_integer_null("sozialregion_id"))
                    .col(big_integer_null("leitgemeinde_id"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("username"))
                    .col(string("display_name"))
                    .col(big_integer("organisation_id"))
                    .col(string("roles"))
                    .col(string_null("password_hash"))
                    .col(boolean("disabled"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("users", "organisation_id", "organisations"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(string("token_hash").primary_key())
                    .col(big_integer("user_id"))
                    .col(string("csrf_token"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .foreign_key(&mut fk("sessions", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("sessions", &["user_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("api_tokens")
                    .col(big_pk_auto("id"))
                    .col(big_integer("user_id"))
                    .col(string("name"))
                    .col(string_uniq("token_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("expires_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .foreign_key(&mut fk("api_tokens", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("login_throttle")
                    .col(string("throttle_key").primary_key())
                    .col(integer("failures"))
                    .col(timestamp_with_time_zone("window_started_at"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("persons")
                    .col(big_pk_auto("id"))
                    .col(text("nachname"))
                    .col(text("vornamen"))
                    .col(text("search_text"))
                    .col(string("geschlecht"))
                    .col(integer("geburtsjahr"))
                    .col(integer_null("geburtsmonat"))
                    .col(integer_null("geburtstag"))
                    .col(string("nationalitaet"))
                    .col(string("aufenthaltsstatus"))
                    .col(string_null("ahv_nummer").unique_key())
                    .col(integer_null("einreisejahr"))
                    .col(integer_null("einreisemonat"))
                    .col(integer_null("einreisetag"))
                    .col(string("sprachen"))
                    .col(integer("wohngemeinde_bfs"))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(big_integer("created_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(big_integer("updated_by"))
                    .foreign_key(&mut fk("persons", "created_by", "users"))
                    .foreign_key(&mut fk("persons", "updated_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("persons", &["wohngemeinde_bfs", "nachname", "vornamen", "search_text"])).await?;
        manager.create_index(index("persons", &["nachname", "vornamen"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(big_pk_auto("id"))
                    .col(timestamp_with_time_zone("occurred_at"))
                    .col(big_integer_null("actor_user_id"))
                    .col(string("actor_username"))
                    .col(big_integer_null("actor_organisation_id"))
                    .col(string("channel"))
                    .col(string("action"))
                    .col(string("resource"))
                    .col(string_null("record_id"))
                    .col(string("outcome"))
                    .col(text_null("detail"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("audit_log", &["resource", "record_id"])).await?;
        manager.create_index(index("audit_log", &["actor_organisation_id", "occurred_at"])).await?;
        manager.create_index(index("audit_log", &["occurred_at"])).await?;
        append_only_triggers(manager).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("Die Grundstruktur lässt sich nicht zurücknehmen.".to_owned()))
    }
}

/// A foreign key named after its table and column.
pub(crate) fn fk(table: &str, column: &str, target: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table.to_owned(), column.to_owned())
        .to(target.to_owned(), "id")
        .to_owned()
}

/// A plain index named after its table and columns.
pub(crate) fn index(table: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(format!("ix_{table}_{}", columns.join("_"))).table(table.to_owned());
    for column in columns {
        statement.col((*column).to_owned());
    }
    statement.to_owned()
}

/// The access log refuses UPDATE and DELETE in the database itself, whoever connects.
/// Dialect-specific by necessity: this is the named exception to "every statement written once".
pub(crate) async fn append_only_triggers(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    match manager.get_database_backend() {
        DbBackend::Sqlite => {
            for operation in ["UPDATE", "DELETE"] {
                connection
                    .execute_unprepared(&format!(
                        "CREATE TRIGGER audit_log_no_{op} BEFORE {operation} ON audit_log \
                         BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
                        op = operation.to_lowercase()
                    ))
                    .await?;
            }
        }
        DbBackend::Postgres => {
            connection
                .execute_unprepared(
                    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS \
                     $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
                )
                .await?;
            connection
                .execute_unprepared(
                    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log \
                     FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
                )
                .await?;
            connection
                .execute_unprepared(
                    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log \
                     FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
                )
                .await?;
        }
        other => return Err(DbErr::Migration(format!("Datenbank {other:?} wird nicht unterstützt."))),
    }
    Ok(())
}
