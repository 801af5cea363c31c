//! Normalised schema description, to prove that the migrations give the same schema on both backends.
//! The catalogue queries are dialect-specific by nature: this is a named exception to "written once".

use crate::StoreError;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::collections::BTreeSet;

pub(crate) async fn describe(db: &DatabaseConnection) -> Result<String, StoreError> {
    let backend = db.get_database_backend();
    let (columns_sql, indexes_sql) = match backend {
        DbBackend::Postgres => (
            "SELECT table_name AS t, column_name AS c, data_type AS ty, is_nullable = 'NO' AS not_null \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name <> 'seaql_migrations'",
            "SELECT i.relname AS name, ix.indisunique AS uniq, t.relname AS t, \
             string_agg(a.attname, ',' ORDER BY array_position(ix.indkey::int[], a.attnum::int)) AS cols \
             FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_attribute a ON a.attrelid = t.oid \
             AND a.attnum = ANY(ix.indkey) WHERE n.nspname = current_schema() AND NOT ix.indisprimary \
             AND t.relname <> 'seaql_migrations' GROUP BY i.relname, ix.indisunique, t.relname",
        ),
        _ => (
            "SELECT m.name AS t, p.name AS c, p.type AS ty, (p.\"notnull\" = 1 OR p.pk > 0) AS not_null \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
             AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'seaql_migrations'",
            "SELECT il.name AS name, il.\"unique\" = 1 AS uniq, m.name AS t, \
             (SELECT group_concat(ii.name, ',') FROM pragma_index_info(il.name) ii) AS cols \
             FROM sqlite_master m JOIN pragma_index_list(m.name) il WHERE m.type = 'table' \
             AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'seaql_migrations' AND il.origin <> 'pk'",
        ),
    };
    let mut lines = BTreeSet::new();
    for row in db.query_all_raw(Statement::from_string(backend, columns_sql)).await? {
        let table: String = row.try_get("", "t")?;
        let column: String = row.try_get("", "c")?;
        let declared: String = row.try_get("", "ty")?;
        let not_null: bool = row.try_get("", "not_null")?;
        let null = if not_null { "not null" } else { "null" };
        lines.insert(format!("column {table}.{column} {} {null}", generic_type(&declared)));
    }
    for row in db.query_all_raw(Statement::from_string(backend, indexes_sql)).await? {
        let table: String = row.try_get("", "t")?;
        let unique: bool = row.try_get("", "uniq")?;
        let columns: String = row.try_get("", "cols")?;
        let kind = if unique { "unique index" } else { "index" };
        lines.insert(format!("{kind} {table}({columns})"));
    }
    Ok(lines.into_iter().collect::<Vec<_>>().join("\n"))
}

/// Maps each backend's declared type to one generic name.
fn generic_type(declared: &str) -> &'static str {
    let lower = declared.to_ascii_lowercase();
    if lower.contains("time") {
        "timestamp"
    } else if lower.starts_with("date") {
        "date"
    } else if lower.contains("bool") {
        "boolean"
    } else if lower.contains("int") {
        "integer"
    } else if lower.contains("char") || lower.contains("text") {
        "text"
    } else {
        "other"
    }
}
