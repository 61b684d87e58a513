//! The audit chain over the activity history: each entry's hash covers the previous
//! entry's hash and the entry's own fields, so that editing or deleting an entry (with the
//! append-only triggers dropped, or the file edited by hand) breaks the chain from there.
//!
//! Hash of entry n = SHA-256(hash of entry n−1 ‖ canonical fields of entry n), the first
//! entry's predecessor being 32 zero bytes. The canonical fields are, in order, `seq` (as
//! decimal text), `record_kind`, `record_id`, `at`, `actor`, `action`, `field`,
//! `old_value`, `new_value`; each is written as a 0 byte when absent, or as a 1 byte, its
//! length in bytes (u64, big-endian) and its UTF-8 bytes. Hashes are stored as lower-case
//! hex in `audit_chain` (migration 0006).
//!
//! Limit: removing the newest entries together with their hashes leaves a shorter chain
//! that is still consistent; a chain proves that what is there was not altered, and a
//! backup or an exported copy proves what was there.

use kto_core::backup::AuditReport;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::{Error, Result, Store};

/// The fields of one history entry that its hash covers.
pub(crate) struct Fields<'a> {
    pub seq: i64,
    pub kind: &'a str,
    pub record_id: &'a str,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub field: Option<&'a str>,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
}

/// The hash of an entry given its predecessor's.
fn digest(prev: &[u8; 32], f: &Fields<'_>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    let seq = f.seq.to_string();
    for part in [
        Some(seq.as_str()),
        Some(f.kind),
        Some(f.record_id),
        Some(f.at),
        Some(f.actor),
        Some(f.action),
        f.field,
        f.old,
        f.new,
    ] {
        match part {
            None => h.update([0u8]),
            Some(s) => {
                h.update([1u8]);
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
        }
    }
    h.finalize().into()
}

fn to_hex(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The newest hash of the chain (32 zero bytes for an empty chain).
fn head(conn: &Connection) -> Result<[u8; 32]> {
    let hex: Option<String> = conn
        .prepare_cached("SELECT hash FROM audit_chain ORDER BY seq DESC LIMIT 1")
        .and_then(|mut s| s.query_row([], |r| r.get(0)).optional())
        .map_err(Error::sql("reading the audit chain"))?;
    match hex {
        None => Ok([0; 32]),
        Some(h) => from_hex(&h)
            .ok_or_else(|| Error::Corrupt(format!("audit hash '{h}' is not 64 hex digits"))),
    }
}

/// Chains a just-appended entry; call inside the change's transaction.
pub(crate) fn chain(conn: &Connection, f: &Fields<'_>) -> Result<()> {
    let hash = digest(&head(conn)?, f);
    conn.prepare_cached("INSERT INTO audit_chain (seq, hash) VALUES (?1, ?2)")
        .and_then(|mut s| s.execute(params![f.seq, to_hex(&hash)]))
        .map_err(Error::sql("writing the audit chain"))?;
    Ok(())
}

type RawRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Calls `each` with every history entry in order, and its stored hash.
fn walk(
    conn: &Connection,
    mut each: impl FnMut(&Fields<'_>, Option<&str>) -> Result<bool>,
) -> Result<()> {
    let mut stmt = conn
        .prepare(
            "SELECT a.seq, a.record_kind, a.record_id, a.at, a.actor, a.action, a.field,
                    a.old_value, a.new_value, c.hash
             FROM activities a LEFT JOIN audit_chain c ON c.seq = a.seq ORDER BY a.seq",
        )
        .map_err(Error::sql("reading the history"))?;
    let rows = stmt
        .query_map([], |r| {
            Ok::<RawRow, rusqlite::Error>((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })
        .map_err(Error::sql("reading the history"))?;
    for row in rows {
        let (seq, kind, record_id, at, actor, action, field, old, new, hash) =
            row.map_err(Error::sql("reading the history"))?;
        let fields = Fields {
            seq,
            kind: &kind,
            record_id: &record_id,
            at: &at,
            actor: &actor,
            action: &action,
            field: field.as_deref(),
            old: old.as_deref(),
            new: new.as_deref(),
        };
        if !each(&fields, hash.as_deref())? {
            break;
        }
    }
    Ok(())
}

/// The one-time step of migration 0006: chains every entry that has no hash yet, in
/// order. Runs in the migration's transaction.
pub(crate) fn chain_unchained(conn: &Connection) -> Result<()> {
    let mut pending = Vec::new();
    let mut prev = [0u8; 32];
    walk(conn, |f, stored| {
        let hash = match stored.and_then(from_hex) {
            Some(h) => h,
            None => {
                let h = digest(&prev, f);
                pending.push((f.seq, to_hex(&h)));
                h
            }
        };
        prev = hash;
        Ok(true)
    })?;
    let mut insert = conn
        .prepare("INSERT INTO audit_chain (seq, hash) VALUES (?1, ?2)")
        .map_err(Error::sql("chaining the existing history"))?;
    for (seq, hash) in pending {
        insert
            .execute(params![seq, hash])
            .map_err(Error::sql("chaining the existing history"))?;
    }
    Ok(())
}

impl Store {
    /// Walks the audit chain of the whole history and reports the first entry whose hash
    /// does not match: one that was edited, one after a deleted entry, one without a hash,
    /// or the place of a deleted entry whose hash remains.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        let mut report = AuditReport {
            entries: 0,
            first_broken: None,
            problem: None,
        };
        let mut prev = [0u8; 32];
        walk(&self.conn, |f, stored| {
            report.entries += 1;
            let expected = digest(&prev, f);
            let problem = match stored {
                None => Some("it has no audit hash (it was added outside KTO Desk)"),
                Some(h) if from_hex(h) != Some(expected) => Some(
                    "its fields do not match its hash: it was changed, or an entry before it was deleted",
                ),
                Some(_) => None,
            };
            if let Some(p) = problem {
                report.first_broken = Some(f.seq);
                report.problem = Some(p.to_string());
                return Ok(false);
            }
            prev = expected;
            Ok(true)
        })?;
        let orphan: Option<i64> = self
            .conn
            .query_row(
                "SELECT min(seq) FROM audit_chain
                 WHERE seq NOT IN (SELECT seq FROM activities)",
                [],
                |r| r.get(0),
            )
            .map_err(Error::sql("reading the audit chain"))?;
        if let Some(seq) = orphan {
            if report.first_broken.is_none_or(|b| seq < b) {
                report.first_broken = Some(seq);
                report.problem = Some("the entry was deleted; its hash remains".to_string());
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn hex_round_trips_and_rejects_garbage() {
        let bytes: [u8; 32] = core::array::from_fn(|i| (i * 7) as u8);
        assert_eq!(from_hex(&to_hex(&bytes)), Some(bytes));
        assert_eq!(from_hex("zz"), None);
        assert_eq!(from_hex(&"g".repeat(64)), None);
    }

    #[test]
    fn an_absent_field_and_an_empty_one_hash_differently() {
        let base = Fields {
            seq: 1,
            kind: "cost",
            record_id: "x",
            at: "2026-01-01T00:00:00.000Z",
            actor: "a",
            action: "updated",
            field: Some("amount"),
            old: None,
            new: Some("1"),
        };
        let empty = Fields {
            old: Some(""),
            ..base
        };
        assert_ne!(digest(&[0; 32], &base), digest(&[0; 32], &empty));
    }
}
