//! The activity history: appended in the transaction of each change, with its link in the
//! audit chain ([`crate::audit`]), read per record.

use kto_core::activity::{Action, Activity, Change, RecordKind};
use rusqlite::{params, Connection};

use crate::{audit, parse_ts, ts, Error, Result, Store};

/// One history entry to append.
pub(crate) struct Entry<'a> {
    pub kind: RecordKind,
    pub record_id: &'a str,
    pub action: Action,
    pub field: Option<&'a str>,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
}

/// Appends `entry` as made by `change`; call inside the change's transaction.
pub(crate) fn append(conn: &Connection, change: &Change, entry: Entry<'_>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO activities (record_kind, record_id, at, actor, action, field, old_value, new_value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut s| {
        s.execute(params![
            entry.kind.code(),
            entry.record_id,
            ts(change.at),
            change.actor,
            entry.action.code(),
            entry.field,
            entry.old,
            entry.new
        ])
    })
    .map_err(Error::sql("writing the history"))?;
    let at = ts(change.at);
    audit::chain(
        conn,
        &audit::Fields {
            seq: conn.last_insert_rowid(),
            kind: entry.kind.code(),
            record_id: entry.record_id,
            at: &at,
            actor: &change.actor,
            action: entry.action.code(),
            field: entry.field,
            old: entry.old,
            new: entry.new,
        },
    )
}

impl Store {
    /// The history of one record, newest first.
    pub fn history(&self, record_id: &str) -> Result<Vec<Activity>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, record_kind, record_id, at, actor, action, field, old_value, new_value
                 FROM activities WHERE record_id = ?1 ORDER BY seq DESC",
            )
            .map_err(Error::sql("reading the history"))?;
        let rows = stmt
            .query_map([record_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            })
            .map_err(Error::sql("reading the history"))?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, kind, record_id, at, actor, action, field, old_value, new_value) =
                row.map_err(Error::sql("reading the history"))?;
            out.push(Activity {
                seq,
                record_kind: RecordKind::from_code(&kind)?,
                record_id,
                at: parse_ts(&at)?,
                actor,
                action: Action::from_code(&action)?,
                field,
                old_value,
                new_value,
            });
        }
        Ok(out)
    }
}
