//! Connection settings, start-up checks and the numbered migrations.
//!
//! Migrations are SQL files embedded at compile time, applied in order, each in its own
//! transaction, and tracked by `PRAGMA user_version`. They are never edited once released.

use rusqlite::Connection;

use crate::{Error, Result};

/// The migrations in order; `user_version` N means the first N are applied.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_initial",
        include_str!("../migrations/0001_initial.sql"),
    ),
    (
        "0002_pipelines",
        include_str!("../migrations/0002_pipelines.sql"),
    ),
    (
        "0003_records",
        include_str!("../migrations/0003_records.sql"),
    ),
    (
        "0004_monitor",
        include_str!("../migrations/0004_monitor.sql"),
    ),
    ("0005_terms", include_str!("../migrations/0005_terms.sql")),
    ("0006_audit", include_str!("../migrations/0006_audit.sql")),
    (
        "0007_attachment_content",
        include_str!("../migrations/0007_attachment_content.sql"),
    ),
    (
        "0008_import_batches",
        include_str!("../migrations/0008_import_batches.sql"),
    ),
    (
        "0009_search_kinds",
        include_str!("../migrations/0009_search_kinds.sql"),
    ),
    (
        "0010_deal_table",
        include_str!("../migrations/0010_deal_table.sql"),
    ),
    (
        "0011_monitor_period_indexes",
        include_str!("../migrations/0011_monitor_period_indexes.sql"),
    ),
    (
        "0012_audit_chains",
        include_str!("../migrations/0012_audit_chains.sql"),
    ),
    ("0013_sync", include_str!("../migrations/0013_sync.sql")),
];

/// The schema version this build creates and understands.
pub const LATEST_VERSION: u32 = MIGRATIONS.len() as u32;

/// `PRAGMA application_id` of a KTO Desk database: "KTOD" in ASCII.
pub(crate) const APPLICATION_ID: i64 = 0x4B54_4F44;

/// Per-connection settings: WAL, normal sync, foreign keys, a busy timeout.
pub(crate) fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(Error::sql("switching to WAL"))?;
    conn.execute_batch(
        "PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )
    .map_err(Error::sql("configuring the connection"))?;
    Ok(())
}

pub(crate) fn user_version(conn: &Connection) -> Result<u32> {
    conn.pragma_query_value(None, "user_version", |r| r.get::<_, u32>(0))
        .map_err(Error::sql("reading the schema version"))
}

/// Start-up checks of an existing file: `quick_check`, and that it is ours.
pub(crate) fn check_file(conn: &Connection) -> Result<()> {
    let result: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| Error::Damaged(e.to_string()))?;
    if result != "ok" {
        return Err(Error::Damaged(result));
    }
    check_identity(conn)
}

/// That an existing file is a KTO Desk database (or still empty): its application id.
pub(crate) fn check_identity(conn: &Connection) -> Result<()> {
    let app_id: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(Error::sql("reading the application id"))?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(Error::sql("reading the schema"))?;
    if app_id != APPLICATION_ID && tables > 0 {
        return Err(Error::NotKtoDesk { found: app_id });
    }
    Ok(())
}

/// Full `integrity_check` and foreign-key check.
pub(crate) fn integrity_check(conn: &Connection) -> Result<()> {
    let result: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| Error::Damaged(e.to_string()))?;
    if result != "ok" {
        return Err(Error::Damaged(result));
    }
    let dangling: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .map_err(Error::sql("checking links between records"))?;
    if dangling > 0 {
        return Err(Error::Damaged(format!(
            "{dangling} links point to missing records"
        )));
    }
    Ok(())
}

/// Refuses a database made by a newer version of KTO Desk.
pub(crate) fn refuse_newer(conn: &Connection) -> Result<()> {
    let current = user_version(conn)?;
    if current > LATEST_VERSION {
        return Err(Error::NewerSchema {
            found: current,
            supported: LATEST_VERSION,
        });
    }
    Ok(())
}

/// Applies the pending migrations; refuses a database newer than this build.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, LATEST_VERSION)
}

/// Applies the migrations up to and including `target`, as the release that had `target`
/// as its latest schema did. The app always migrates to [`LATEST_VERSION`]; the migration
/// tests use this to build a database of every released schema.
#[doc(hidden)]
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    refuse_newer(conn)?;
    let current = user_version(conn)?;
    if current >= target {
        return Ok(());
    }
    if current > 0 {
        integrity_check(conn)?;
    }
    for (index, (_name, sql)) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(current as usize)
    {
        let version = index as u32 + 1;
        let tx = conn
            .transaction()
            .map_err(|source| Error::Migration { version, source })?;
        tx.execute_batch(sql)
            .map_err(|source| Error::Migration { version, source })?;
        after_migration(&tx, version)?;
        tx.pragma_update(None, "user_version", version)
            .map_err(|source| Error::Migration { version, source })?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(|source| Error::Migration { version, source })?;
        tx.commit()
            .map_err(|source| Error::Migration { version, source })?;
    }
    Ok(())
}

/// The Rust part of a migration, in its transaction: 0006 chains the existing history
/// (SQLite cannot compute SHA-256).
fn after_migration(conn: &Connection, version: u32) -> Result<()> {
    match version {
        6 => crate::audit::chain_unchained(conn),
        12 => crate::audit::write_baseline(conn),
        _ => Ok(()),
    }
}

/// The schema objects of a database: (type, name, table, SQL), without SQLite's own.
fn schema_objects(conn: &Connection) -> Result<std::collections::BTreeSet<[String; 4]>> {
    let mut stmt = conn
        .prepare(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema
             WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        )
        .map_err(Error::sql("reading the schema"))?;
    let rows = stmt
        .query_map([], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))
        .map_err(Error::sql("reading the schema"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(Error::sql("reading the schema"))
}

/// How the schema of `conn` differs from the one the migrations create: a table, index
/// or trigger (such as the append-only triggers of the history) dropped, added or
/// changed, one sentence each. Empty when they are the same.
pub(crate) fn schema_differences(conn: &Connection) -> Result<Vec<String>> {
    let mut fresh = Connection::open_in_memory().map_err(Error::sql("building the schema"))?;
    migrate_to(&mut fresh, user_version(conn)?)?;
    let expected = schema_objects(&fresh)?;
    let actual = schema_objects(conn)?;
    let mut out = Vec::new();
    for [kind, name, ..] in expected.difference(&actual) {
        let changed = actual.iter().any(|[k, n, ..]| k == kind && n == name);
        out.push(if changed {
            format!("the {kind} `{name}` was changed outside KTO Desk")
        } else {
            format!("the {kind} `{name}` is missing: it was dropped outside KTO Desk")
        });
    }
    for [kind, name, ..] in actual.difference(&expected) {
        if !expected.iter().any(|[k, n, ..]| k == kind && n == name) {
            out.push(format!("the {kind} `{name}` was added outside KTO Desk"));
        }
    }
    Ok(out)
}
