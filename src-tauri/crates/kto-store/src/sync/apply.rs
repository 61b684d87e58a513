//! Applying another device's change file, in one transaction: SQLite's
//! `sqlite3changeset_apply` does the writing; this module decides what it may not.
//!
//! Rules (the same on every laptop, so that every laptop ends with the same office):
//! - a column changed on two laptops keeps the value of the newer change (its commit time;
//!   on a tie the greater device id), decided per column from `sync_clock`; when both
//!   laptops changed it since they last synced, a `field` conflict lists both values;
//! - a record deleted on one laptop and changed on another stays deleted (its last row is
//!   kept in an `edit_delete` conflict, to be restored from there); rows that refer to a
//!   deleted row go with it;
//! - a change to a row that is not here and was never deleted here, or a row that refers
//!   to one, waits: another laptop's file that makes it is not here yet.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use kto_core::activity::{Action, Change, RecordKind};
use rusqlite::hooks::Action as SqlAction;
use rusqlite::session::{ConflictAction, ConflictType};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

use super::changes::{self, key_json, value_json, Op};
use super::file::ChangeFile;
use super::{record, set_clock, SHARED_TABLES, TOMBSTONE};
use crate::history::{self, Entry};
use crate::{audit, search, ts, Error, Result};

const DOING: &str = "applying another laptop's changes";

/// A row named by its table and primary key values.
type RowKey = (String, Vec<Value>);

/// What became of one change file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Applied {
        conflicts: u32,
    },
    /// Not applied now; tried again at the next sync.
    Waiting(String),
    /// Damaged or not acceptable; ignored.
    Refused(String),
}

/// The table's column names in order (`PRAGMA table_info`).
pub(crate) fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
        ))
        .map_err(Error::sql(DOING))?;
    let names = stmt
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
        .map_err(Error::sql(DOING))?;
    Ok(names)
}

fn where_pk(cols: &[String], pk: &[bool]) -> String {
    cols.iter()
        .zip(pk)
        .filter(|(_, p)| **p)
        .enumerate()
        .map(|(i, (c, _))| format!("\"{c}\" = ?{}", i + 1))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The row of `table` with primary key `key`, all columns in order.
fn row(
    conn: &Connection,
    table: &str,
    cols: &[String],
    pk: &[bool],
    key: &[Value],
) -> Result<Option<Vec<Value>>> {
    let sql = format!("SELECT * FROM \"{table}\" WHERE {}", where_pk(cols, pk));
    conn.prepare_cached(&sql)
        .and_then(|mut s| {
            s.query_row(params_from_iter(key), |r| {
                (0..cols.len()).map(|i| r.get::<_, Value>(i)).collect()
            })
            .optional()
        })
        .map_err(Error::sql(DOING))
}

fn row_json(cols: &[String], values: &[Value]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = cols
        .iter()
        .zip(values)
        .map(|(c, v)| (c.clone(), value_json(v)))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// A value as a conflict keeps it: JSON, so that its type survives (`None` for NULL).
fn text(v: &Value) -> Option<String> {
    (*v != Value::Null).then(|| value_json(v).to_string())
}

/// A value back from its JSON text.
fn from_text(s: Option<&str>) -> Value {
    match s.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok()) {
        None | Some(serde_json::Value::Null) => Value::Null,
        Some(serde_json::Value::Bool(b)) => Value::Integer(i64::from(b)),
        Some(serde_json::Value::Number(n)) => n
            .as_i64()
            .map(Value::Integer)
            .or_else(|| n.as_f64().map(Value::Real))
            .unwrap_or(Value::Null),
        Some(serde_json::Value::String(t)) => Value::Text(t),
        Some(other) => Value::Text(other.to_string()),
    }
}

/// Sets one column of one shared row to a conflict's other value, as a change of this
/// laptop: with a history entry and the record's search entry.
pub(crate) fn set_column(
    conn: &Connection,
    change: &Change,
    record_kind: Option<&str>,
    table: &str,
    pk: &str,
    col: &str,
    value: Option<&str>,
) -> Result<()> {
    if !SHARED_TABLES.contains(&table) {
        return Err(Error::Sync(format!("the table `{table}` is not shared")));
    }
    let cols = columns(conn, table)?;
    if !cols.iter().any(|c| c == col) {
        return Err(Error::Sync(format!(
            "the table `{table}` has no column `{col}`"
        )));
    }
    let flags = pk_flags(conn, table, &cols)?;
    let key: Vec<Value> = match serde_json::from_str::<Vec<serde_json::Value>>(pk) {
        Ok(k) => k.iter().map(|v| from_text(Some(&v.to_string()))).collect(),
        Err(_) => return Err(Error::Corrupt(format!("conflict key `{pk}`"))),
    };
    let before = row(conn, table, &cols, &flags, &key)?.ok_or_else(|| Error::NotFound {
        what: "record",
        id: pk.to_string(),
    })?;
    let at = cols.iter().position(|c| c == col).unwrap_or(0);
    let new = from_text(value);
    conn.execute(
        &format!(
            "UPDATE \"{table}\" SET \"{col}\" = ?{} WHERE {}",
            key.len() + 1,
            where_pk(&cols, &flags)
        ),
        params_from_iter(key.iter().chain(std::iter::once(&new))),
    )
    .map_err(Error::sql(DOING))?;
    if let (Some(kind), Some(Value::Text(id))) = (
        record_kind.map(RecordKind::from_code).transpose()?,
        key.first(),
    ) {
        history::append(
            conn,
            change,
            Entry {
                kind,
                record_id: id,
                action: Action::Updated,
                field: Some(col),
                old: text(&before[at]).as_deref(),
                new: value,
            },
        )?;
        search::reindex(conn, kind, id)?;
    }
    Ok(())
}

/// The record a row of `table` belongs to (for history, search and conflicts).
fn record_of(table: &str, key: &[Value]) -> Option<(RecordKind, String)> {
    let id = match key.first() {
        Some(Value::Text(t)) => t.clone(),
        _ => return None,
    };
    if table == "disclosure_inventors" {
        return Some((RecordKind::Disclosure, id));
    }
    RecordKind::ALL
        .into_iter()
        .find(|k| crate::records::title_source(*k).0 == table)
        .map(|k| (k, id))
}

/// The newest change of a column of a row: (commit time, device).
fn clock(conn: &Connection, table: &str, pk: &str, col: i64) -> Result<Option<(String, String)>> {
    conn.prepare_cached("SELECT at, device FROM sync_clock WHERE tbl = ?1 AND pk = ?2 AND col = ?3")
        .and_then(|mut s| {
            s.query_row(params![table, pk, col], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(Error::sql(DOING))
}

/// A conflict found while applying.
struct Found<'a> {
    kind: &'static str,
    table: &'a str,
    pk: &'a str,
    key: &'a [Value],
    col: Option<&'a str>,
    local: Option<String>,
    remote: Option<String>,
    local_at: Option<String>,
    winner: &'static str,
}

impl<'a> Found<'a> {
    /// A row changed on one laptop and deleted on the other; `local` and `remote` hold
    /// the row as each side has it (`None` for the side that deleted it).
    fn edit_delete(
        table: &'a str,
        pk: &'a str,
        key: &'a [Value],
        local: Option<String>,
        remote: Option<String>,
    ) -> Found<'a> {
        Found {
            kind: "edit_delete",
            table,
            pk,
            key,
            col: None,
            winner: if local.is_none() { "local" } else { "remote" },
            local,
            remote,
            local_at: None,
        }
    }
}

/// A changeset row's values with the columns it does not carry as NULL.
fn filled(values: &[Option<Value>]) -> Vec<Value> {
    values
        .iter()
        .map(|v| v.clone().unwrap_or(Value::Null))
        .collect()
}

struct Ctx<'a> {
    conn: &'a Connection,
    file: &'a ChangeFile,
    local_device: String,
    found_at: String,
    conflicts: u32,
    touched: BTreeSet<(RecordKind, String)>,
    columns: HashMap<String, Vec<String>>,
}

impl Ctx<'_> {
    fn cols(&mut self, table: &str) -> Result<Vec<String>> {
        if let Some(c) = self.columns.get(table) {
            return Ok(c.clone());
        }
        let c = columns(self.conn, table)?;
        self.columns.insert(table.to_string(), c.clone());
        Ok(c)
    }

    fn conflict(&mut self, f: Found<'_>) -> Result<()> {
        let record = record_of(f.table, f.key);
        self.conn
            .prepare_cached(
                "INSERT INTO sync_conflicts (found_at, kind, tbl, pk, record_kind, record_id, col,
                     local_value, remote_value, local_device, remote_device, local_at, remote_at, winner)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    self.found_at,
                    f.kind,
                    f.table,
                    f.pk,
                    record.as_ref().map(|r| r.0.code()),
                    record.as_ref().map(|r| r.1.as_str()),
                    f.col,
                    f.local,
                    f.remote,
                    self.local_device,
                    self.file.header.device,
                    f.local_at,
                    self.file.header.at,
                    f.winner
                ])
            })
            .map_err(Error::sql(DOING))?;
        self.conflicts += 1;
        Ok(())
    }

    /// Deletes a row and, first, every row that refers to it, each kept in an
    /// `edit_delete` conflict; used where a delete from another laptop meets rows that
    /// still refer to the deleted one here.
    fn delete_with_dependants(&mut self, table: &str, key: &[Value], depth: u32) -> Result<()> {
        if depth > 8 {
            return Err(Error::Corrupt(format!(
                "rows of {table} refer to each other too deeply to delete"
            )));
        }
        let cols = self.cols(table)?;
        let pk_cols: Vec<bool> = pk_flags(self.conn, table, &cols)?;
        let Some(current) = row(self.conn, table, &cols, &pk_cols, key)? else {
            return Ok(());
        };
        for (child, from, to) in referring(self.conn, table)? {
            let to_at = cols.iter().position(|c| *c == to).unwrap_or(0);
            let ccols = self.cols(&child)?;
            let cpk = pk_flags(self.conn, &child, &ccols)?;
            let pk_names: Vec<&String> = ccols
                .iter()
                .zip(&cpk)
                .filter(|(_, p)| **p)
                .map(|(c, _)| c)
                .collect();
            let sql = format!(
                "SELECT {} FROM \"{child}\" WHERE \"{from}\" = ?1",
                pk_names
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let keys: Vec<Vec<Value>> = self
                .conn
                .prepare(&sql)
                .and_then(|mut s| {
                    s.query_map([&current[to_at]], |r| {
                        (0..pk_names.len()).map(|i| r.get::<_, Value>(i)).collect()
                    })?
                    .collect()
                })
                .map_err(Error::sql(DOING))?;
            for k in keys {
                self.delete_with_dependants(&child, &k, depth + 1)?;
            }
        }
        let pk = key_json(key);
        let json = row_json(&cols, &current);
        self.conflict(Found::edit_delete(table, &pk, key, Some(json), None))?;
        self.conn
            .execute(
                &format!(
                    "DELETE FROM \"{table}\" WHERE {}",
                    where_pk(&cols, &pk_cols)
                ),
                params_from_iter(key),
            )
            .map_err(Error::sql(DOING))?;
        set_clock(
            self.conn,
            table,
            &pk,
            TOMBSTONE,
            &self.file.header.at,
            &self.file.header.device,
        )
        .map_err(Error::sql(DOING))?;
        if let Some(r) = record_of(table, key) {
            self.touched.insert(r);
        }
        Ok(())
    }
}

/// Which columns of `table` form its primary key.
pub(crate) fn pk_flags(conn: &Connection, table: &str, cols: &[String]) -> Result<Vec<bool>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT name, pk FROM pragma_table_info('{table}')"
        ))
        .map_err(Error::sql(DOING))?;
    let pks: HashMap<String, i64> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(|rows| rows.collect())
        .map_err(Error::sql(DOING))?;
    Ok(cols
        .iter()
        .map(|c| pks.get(c).copied().unwrap_or(0) > 0)
        .collect())
}

/// The shared tables with a foreign key to `table`: (child table, its column, the
/// referenced column of `table`).
fn referring(conn: &Connection, table: &str) -> Result<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    for child in SHARED_TABLES {
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('{child}')"
            ))
            .map_err(Error::sql(DOING))?;
        let fks: Vec<(String, String, Option<String>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(|rows| rows.collect())
            .map_err(Error::sql(DOING))?;
        for (parent, from, to) in fks {
            if parent == table {
                out.push((child.to_string(), from, to.unwrap_or_else(|| "id".into())));
            }
        }
    }
    Ok(out)
}

/// The foreign keys of a row that point at no row: (parent table, parent key as JSON).
fn dangling(
    conn: &Connection,
    table: &str,
    cols: &[String],
    values: &[Value],
) -> Result<Vec<(String, String)>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('{table}')"
        ))
        .map_err(Error::sql(DOING))?;
    let fks: Vec<(String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .and_then(|rows| rows.collect())
        .map_err(Error::sql(DOING))?;
    let mut out = Vec::new();
    for (parent, from, to) in fks {
        let Some(at) = cols.iter().position(|c| *c == from) else {
            continue;
        };
        let v = &values[at];
        if *v == Value::Null {
            continue;
        }
        let to = to.unwrap_or_else(|| "id".into());
        let exists = conn
            .prepare_cached(&format!("SELECT 1 FROM \"{parent}\" WHERE \"{to}\" = ?1"))
            .and_then(|mut s| s.exists([v]))
            .map_err(Error::sql(DOING))?;
        if !exists {
            out.push((parent, key_json(std::slice::from_ref(v))));
        }
    }
    Ok(out)
}

fn tombstoned(conn: &Connection, table: &str, pk: &str) -> Result<bool> {
    Ok(clock(conn, table, pk, TOMBSTONE)?.is_some())
}

/// Applies `file` (already checked: its bytes, its place in the device's order and its
/// history) in the caller's transaction.
pub(crate) fn apply(conn: &Connection, file: &ChangeFile, local_name: &str) -> Result<Outcome> {
    let h = &file.header;
    let items = match changes::read(&file.changeset) {
        Ok(items) => items,
        Err(e) => {
            return Ok(Outcome::Refused(format!(
                "its changes cannot be read ({e})"
            )))
        }
    };
    if let Some(bad) = items
        .iter()
        .find(|i| !SHARED_TABLES.contains(&i.table.as_str()))
    {
        return Ok(Outcome::Refused(format!(
            "it changes the table `{}`, which laptops of an office do not share",
            bad.table
        )));
    }
    let mut ctx = Ctx {
        conn,
        file,
        local_device: super::device_id(conn).map_err(Error::sql(DOING))?,
        found_at: ts(chrono::Utc::now()),
        conflicts: 0,
        touched: BTreeSet::new(),
        columns: HashMap::new(),
    };
    let remote = (h.at.clone(), h.device.clone());

    // Before: each row as it is here, and per updated column whether the remote wins.
    struct Plan {
        cols: Vec<String>,
        pk: String,
        key: Vec<Value>,
        before: Option<Vec<Value>>,
        remote_wins: Vec<bool>,
        local_at: Vec<Option<String>>,
    }
    let mut plans = Vec::with_capacity(items.len());
    for item in &items {
        let cols = ctx.cols(&item.table)?;
        if cols.len() != item.pk.len() {
            return Ok(Outcome::Waiting(format!(
                "it was made with another layout of the table `{}` ({} columns, here {}): update KTO Desk on both laptops",
                item.table,
                item.pk.len(),
                cols.len()
            )));
        }
        let key = item.key();
        let pk = key_json(&key);
        let before = row(conn, &item.table, &cols, &item.pk, &key)?;
        let mut remote_wins = vec![true; cols.len()];
        let mut local_at = vec![None; cols.len()];
        if item.op == Op::Update {
            for (col, new) in item.new.iter().enumerate() {
                if new.is_some() && !item.pk[col] {
                    let local = clock(conn, &item.table, &pk, col as i64)?;
                    // A device's own later change always follows its earlier ones.
                    remote_wins[col] = local.as_ref().is_none_or(|l| remote >= *l);
                    local_at[col] = local.map(|l| l.0);
                }
            }
        }
        if item.op == Op::Update && before.is_none() && !tombstoned(conn, &item.table, &pk)? {
            return Ok(Outcome::Waiting(format!(
                "it changes a row of `{}` that is not on this laptop yet (another laptop's file makes it)",
                item.table
            )));
        }
        plans.push(Plan {
            cols,
            pk,
            key,
            before,
            remote_wins,
            local_at,
        });
    }

    // SQLite applies the changes; a row changed here too is overwritten now and put back
    // below where this laptop's change is the newer one.
    let blocked: Arc<Mutex<Vec<RowKey>>> = Arc::default();
    let blocked_in = Arc::clone(&blocked);
    let mut input: &[u8] = &file.changeset;
    let applied = conn.apply_strm(
        &mut input,
        Some(|table: &str| SHARED_TABLES.contains(&table)),
        move |kind, item| match kind {
            ConflictType::SQLITE_CHANGESET_DATA => ConflictAction::SQLITE_CHANGESET_REPLACE,
            ConflictType::SQLITE_CHANGESET_NOTFOUND
            | ConflictType::SQLITE_CHANGESET_CONFLICT
            | ConflictType::SQLITE_CHANGESET_FOREIGN_KEY => ConflictAction::SQLITE_CHANGESET_OMIT,
            ConflictType::SQLITE_CHANGESET_CONSTRAINT => {
                // A delete refused because rows here still refer to the row: done below,
                // with its dependants. Any other broken rule stops the file.
                let Ok(op) = item.op() else {
                    return ConflictAction::SQLITE_CHANGESET_ABORT;
                };
                if op.code() != SqlAction::SQLITE_DELETE {
                    return ConflictAction::SQLITE_CHANGESET_ABORT;
                }
                let table = op.table_name().to_string();
                let n = op.number_of_columns() as usize;
                let Ok(pk) = item.pk().map(<[u8]>::to_vec) else {
                    return ConflictAction::SQLITE_CHANGESET_ABORT;
                };
                let key = (0..n)
                    .filter(|c| pk.get(*c).is_some_and(|p| *p != 0))
                    .map(|c| {
                        item.old_value(c)
                            .map(changes::owned_value)
                            .unwrap_or(Value::Null)
                    })
                    .collect();
                if let Ok(mut b) = blocked_in.lock() {
                    b.push((table, key));
                }
                ConflictAction::SQLITE_CHANGESET_OMIT
            }
            _ => ConflictAction::SQLITE_CHANGESET_ABORT,
        },
    );
    if let Err(e) = applied {
        return Ok(Outcome::Waiting(format!(
            "its changes break a rule of the office's data here ({e}); it is tried again at the next sync"
        )));
    }
    let blocked = std::mem::take(
        &mut *blocked
            .lock()
            .map_err(|_| Error::Corrupt("sync state".into()))?,
    );
    for (table, key) in blocked {
        ctx.delete_with_dependants(&table, &key, 0)?;
    }

    for (item, plan) in items.iter().zip(&plans) {
        let table = item.table.as_str();
        if let Some(r) = record_of(table, &plan.key) {
            ctx.touched.insert(r);
        }
        match (item.op, &plan.before) {
            (Op::Update, Some(before)) => {
                for (col, new) in item.new.iter().enumerate() {
                    let (Some(new), false) = (new, item.pk[col]) else {
                        continue;
                    };
                    let old = item.old[col].as_ref();
                    let here = &before[col];
                    let both_changed =
                        Some(here) != old && here != new && plan.cols[col] != "updated_at";
                    if plan.remote_wins[col] {
                        set_clock(conn, table, &plan.pk, col as i64, &h.at, &h.device)
                            .map_err(Error::sql(DOING))?;
                    } else {
                        conn.execute(
                            &format!(
                                "UPDATE \"{table}\" SET \"{}\" = ?{} WHERE {}",
                                plan.cols[col],
                                plan.key.len() + 1,
                                where_pk(&plan.cols, &item.pk)
                            ),
                            params_from_iter(plan.key.iter().chain(std::iter::once(here))),
                        )
                        .map_err(Error::sql(DOING))?;
                    }
                    if both_changed {
                        ctx.conflict(Found {
                            kind: "field",
                            table,
                            pk: &plan.pk,
                            key: &plan.key,
                            col: Some(&plan.cols[col]),
                            local: text(here),
                            remote: text(new),
                            local_at: plan.local_at[col].clone(),
                            winner: if plan.remote_wins[col] {
                                "remote"
                            } else {
                                "local"
                            },
                        })?;
                    }
                }
            }
            (Op::Update, None) => {
                // Deleted here: the delete stands; the other laptop's values are kept.
                let values = filled(&item.new);
                ctx.conflict(Found::edit_delete(
                    table,
                    &plan.pk,
                    &plan.key,
                    None,
                    Some(row_json(&plan.cols, &values)),
                ))?;
            }
            (Op::Delete, before) => {
                let old = filled(&item.old);
                if let Some(before) = before {
                    if *before != old {
                        let json = row_json(&plan.cols, before);
                        ctx.conflict(Found::edit_delete(
                            table,
                            &plan.pk,
                            &plan.key,
                            Some(json),
                            None,
                        ))?;
                    }
                }
                set_clock(conn, table, &plan.pk, TOMBSTONE, &h.at, &h.device)
                    .map_err(Error::sql(DOING))?;
            }
            (Op::Insert, before) => {
                // A row deleted here by a newer change (the delete arrived first, from a
                // laptop that had the row) stays deleted; a row made again after its
                // delete (restored) is back.
                let deleted_later =
                    clock(conn, table, &plan.pk, TOMBSTONE)?.is_some_and(|t| t > remote);
                if deleted_later && before.is_none() {
                    conn.execute(
                        &format!(
                            "DELETE FROM \"{table}\" WHERE {}",
                            where_pk(&plan.cols, &item.pk)
                        ),
                        params_from_iter(&plan.key),
                    )
                    .map_err(Error::sql(DOING))?;
                } else {
                    super::clear_tombstone(conn, table, &plan.pk).map_err(Error::sql(DOING))?
                }
            }
        }
    }

    // Rows that now refer to nothing: to a row deleted here they go with it; to a row
    // not here yet, the file waits for the file that makes it.
    for (item, plan) in items.iter().zip(&plans) {
        if item.op == Op::Delete {
            continue;
        }
        let Some(now) = row(conn, &item.table, &plan.cols, &item.pk, &plan.key)? else {
            continue;
        };
        let missing = dangling(conn, &item.table, &plan.cols, &now)?;
        let Some((parent, _)) = missing.first() else {
            continue;
        };
        let mut deleted_here = false;
        for (parent, parent_key) in &missing {
            deleted_here |= tombstoned(conn, parent, parent_key)?;
        }
        if deleted_here {
            ctx.delete_with_dependants(&item.table, &plan.key, 0)?;
        } else {
            return Ok(Outcome::Waiting(format!(
                "a row of `{}` in it refers to a row of `{parent}` that is not on this laptop yet",
                item.table
            )));
        }
    }

    conn.prepare_cached("UPDATE sync_device SET newest_at = max(newest_at, ?1)")
        .and_then(|mut s| s.execute([&h.at]))
        .map_err(Error::sql(DOING))?;

    // The other laptop's history, in its own chain.
    conn.prepare_cached(
        "INSERT OR IGNORE INTO audit_chains (chain, local, sealed_after) VALUES (?1, 0, ?2)",
    )
    .and_then(|mut s| s.execute(params![h.device, h.sealed_after]))
    .map_err(Error::sql(DOING))?;
    for e in &file.history {
        conn.prepare_cached(
            "INSERT INTO activities (record_kind, record_id, at, actor, action, field, old_value, new_value)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .and_then(|mut s| s.execute(params![e.kind, e.record_id, e.at, e.actor, e.action, e.field, e.old, e.new]))
        .map_err(Error::sql(DOING))?;
        let seq = conn.last_insert_rowid();
        conn.prepare_cached(
            "INSERT INTO audit_chain (seq, hash, chain, row_hash, origin_seq) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .and_then(|mut s| s.execute(params![seq, e.hash, h.device, e.row_hash, e.seq]))
        .map_err(Error::sql(DOING))?;
        if let Ok(kind) = RecordKind::from_code(&e.kind) {
            ctx.touched.insert((kind, e.record_id.clone()));
        }
    }

    // Search entries, and a history entry of this laptop where the merged record is not
    // what the other laptop's history says it is.
    let change = Change {
        actor: if local_name.is_empty() {
            "KTO Desk".into()
        } else {
            local_name.to_string()
        },
        at: chrono::Utc::now(),
    };
    let from = if h.device_name.is_empty() {
        h.device.clone()
    } else {
        h.device_name.clone()
    };
    for (kind, id) in std::mem::take(&mut ctx.touched) {
        search::reindex(conn, kind, &id)?;
        let now = audit::current_row_hash(conn, kind, &id)?;
        let recorded: Option<Option<String>> = conn
            .prepare_cached(
                "SELECT c.row_hash FROM activities a JOIN audit_chain c ON c.seq = a.seq
                 WHERE a.record_id = ?1 AND a.record_kind = ?2 ORDER BY a.seq DESC LIMIT 1",
            )
            .and_then(|mut s| {
                s.query_row(params![id, kind.code()], |r| r.get(0))
                    .optional()
            })
            .map_err(Error::sql(DOING))?;
        if recorded.as_ref() != Some(&now) {
            history::append(
                conn,
                &change,
                Entry {
                    kind,
                    record_id: &id,
                    action: Action::Synced,
                    field: None,
                    old: None,
                    new: Some(&from),
                },
            )?;
        }
    }
    record::append_outbox(conn, &ts(change.at), &[]).map_err(Error::sql(DOING))?;
    Ok(Outcome::Applied {
        conflicts: ctx.conflicts,
    })
}
