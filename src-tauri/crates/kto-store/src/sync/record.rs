//! Recording: every write runs in a [`Write`], a transaction with a session of SQLite's
//! session extension attached to the office's shared tables. On commit the session's
//! changeset and the history entries the write made go into `sync_outbox` under this
//! device's next number, in the same transaction, so a change and its record of itself
//! are stored together or not at all.

use std::ops::Deref;

use rusqlite::session::Session;
use rusqlite::{params, Connection, Transaction};

use super::changes::{self, Op};
use super::SHARED_TABLES;
use crate::{ts, Error, Result};

/// A write transaction that records its changes for the other laptops of the office.
pub struct Write<'c> {
    tx: Transaction<'c>,
    session: Option<Session<'c>>,
}

impl<'c> Deref for Write<'c> {
    type Target = Transaction<'c>;
    fn deref(&self) -> &Transaction<'c> {
        &self.tx
    }
}

/// Begins a recorded write on `conn`.
pub(crate) fn begin<'c>(conn: &'c Connection, doing: &'static str) -> Result<Write<'c>> {
    let tx = conn.unchecked_transaction().map_err(Error::sql(doing))?;
    let mut session = Session::new(conn).map_err(Error::sql(doing))?;
    session.table_filter(Some(|table: &str| SHARED_TABLES.contains(&table)));
    session.attach(None::<&str>).map_err(Error::sql(doing))?;
    Ok(Write {
        tx,
        session: Some(session),
    })
}

impl Write<'_> {
    /// Commits the write with its changeset in this device's outbox.
    pub fn commit(mut self) -> rusqlite::Result<()> {
        let mut changeset = Vec::new();
        if let Some(mut session) = self.session.take() {
            if !session.is_empty() {
                session.changeset_strm(&mut changeset)?;
            }
        }
        let at = stamp(&self.tx)?;
        if append_outbox(&self.tx, &at, &changeset)? && !changeset.is_empty() {
            stamp_clocks(&self.tx, &changeset, &at)?;
        }
        self.tx.commit()
    }
}

/// The time a change committed now is stamped with: the clock's, or, when this laptop
/// has seen a change as new or newer (a clock behind, or two changes in one
/// millisecond), one millisecond after that change.
fn stamp(conn: &Connection) -> rusqlite::Result<String> {
    let newest: String = conn
        .prepare_cached("SELECT newest_at FROM sync_device")?
        .query_row([], |r| r.get(0))?;
    let now = chrono::Utc::now();
    let at = match chrono::DateTime::parse_from_rfc3339(&newest) {
        Ok(seen) if seen.with_timezone(&chrono::Utc) >= now => {
            seen.with_timezone(&chrono::Utc) + chrono::Duration::milliseconds(1)
        }
        _ => now,
    };
    let at = ts(at);
    conn.prepare_cached("UPDATE sync_device SET newest_at = ?1")?
        .execute([&at])?;
    Ok(at)
}

/// Puts `changeset` in this device's outbox with every entry of this device's history
/// not carried yet; writes nothing (and returns false) when both are empty.
pub(crate) fn append_outbox(
    conn: &Connection,
    at: &str,
    changeset: &[u8],
) -> rusqlite::Result<bool> {
    let carried: i64 = conn
        .prepare_cached("SELECT carried_to FROM sync_device")?
        .query_row([], |r| r.get(0))?;
    let newest: Option<i64> = conn
        .prepare_cached(
            "SELECT max(c.seq) FROM audit_chain c
             JOIN audit_chains ch ON ch.chain = c.chain AND ch.local = 1 WHERE c.seq > ?1",
        )?
        .query_row([carried], |r| r.get(0))?;
    if changeset.is_empty() && newest.is_none() {
        return Ok(false);
    }
    let to = newest.unwrap_or(carried);
    conn.prepare_cached(
        "INSERT INTO sync_outbox (at, changeset, history_from, history_to) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![at, changeset, carried, to])?;
    conn.prepare_cached("UPDATE sync_device SET carried_to = ?1")?
        .execute([to])?;
    Ok(true)
}

/// The entries of this device's history chain numbered in `(from, to]`, as JSON: the
/// history that travels with one outbox entry.
pub(crate) fn outgoing_history(conn: &Connection, from: i64, to: i64) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.seq, a.record_kind, a.record_id, a.at, a.actor, a.action, a.field,
                a.old_value, a.new_value, c.hash, c.row_hash
         FROM activities a JOIN audit_chain c ON c.seq = a.seq
         JOIN audit_chains ch ON ch.chain = c.chain AND ch.local = 1
         WHERE a.seq > ?1 AND a.seq <= ?2 ORDER BY a.seq",
    )?;
    let rows = stmt.query_map([from, to], |r| {
        Ok(super::file::HistoryEntry {
            seq: r.get(0)?,
            kind: r.get(1)?,
            record_id: r.get(2)?,
            at: r.get(3)?,
            actor: r.get(4)?,
            action: r.get(5)?,
            field: r.get(6)?,
            old: r.get(7)?,
            new: r.get(8)?,
            hash: r.get(9)?,
            row_hash: r.get(10)?,
        })
    })?;
    let entries = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    serde_json::to_string(&entries)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// Notes this device as the newest writer of every column the changeset updated.
fn stamp_clocks(conn: &Connection, changeset: &[u8], at: &str) -> rusqlite::Result<()> {
    let device = super::device_id(conn)?;
    let items = changes::read(changeset)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(std::io::Error::other(e))))?;
    for item in &items {
        let pk = item.pk_json();
        match item.op {
            Op::Update => {
                for (col, value) in item.new.iter().enumerate() {
                    if value.is_some() && !item.pk[col] {
                        super::set_clock(conn, &item.table, &pk, col as i64, at, &device)?;
                    }
                }
            }
            Op::Delete => super::set_clock(conn, &item.table, &pk, super::TOMBSTONE, at, &device)?,
            Op::Insert => super::clear_tombstone(conn, &item.table, &pk)?,
        }
    }
    Ok(())
}
