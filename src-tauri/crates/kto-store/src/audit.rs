//! The audit chain over the activity history, and the one check of it that the app,
//! `kto audit verify` and `kto check` all run ([`Store::verify_audit_with`]).
//!
//! Hash of entry n = SHA-256(hash of the chain's entry before n ‖ canonical fields of n),
//! the first entry's predecessor being 32 zero bytes. The canonical fields are, in order,
//! `seq` (as decimal text), `record_kind`, `record_id`, `at`, `actor`, `action`, `field`,
//! `old_value`, `new_value`; each is written as a 0 byte when absent, or as a 1 byte, its
//! length in bytes (u64, big-endian) and its UTF-8 bytes. Entries made after migration
//! 0012 (seq above their chain's `sealed_after`) add two more fields the same way: the
//! chain's id and `row_hash`, the SHA-256 of the record's row as the change left it
//! ([`row_hash`]; absent when the change removed the row). Hashes are lower-case hex in
//! `audit_chain`, which names each entry's chain (`audit_chains`; one per device that
//! writes history, the one this file appends to marked `local`).
//!
//! What the check finds: an entry edited, deleted, reordered or added without its hash;
//! a schema or trigger that is not what the migrations made; a record row that is not
//! what the newest entry of its history recorded, one that has no history, and one whose
//! history says it exists but that is gone. Someone who can write the file can still
//! rewrite the history and recompute every hash after it; that is found by comparing the
//! chain with its anchors ([`AuditAnchor`]), heads of the chain kept outside the file: in
//! the sidecar of every backup and in the signature of every monitor submission (signed
//! with the office's key). A chain that no longer holds an anchor's entry, or holds it
//! with another hash, was cut short or rewritten after the anchor was taken. Changes
//! made after the newest anchor and before the file was rewritten cannot be told from
//! genuine ones.

use std::collections::HashMap;

use kto_core::activity::RecordKind;
use kto_core::backup::{AuditAnchor, AuditReport, FoundAnchor};
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

/// The hash of an entry given its predecessor's (entries made before migration 0012).
fn digest(prev: &[u8; 32], f: &Fields<'_>) -> [u8; 32] {
    hasher(prev, f).finalize().into()
}

/// The hash of an entry made after migration 0012: it also covers its chain's id and the
/// hash of the record's row as the change left it.
pub(crate) fn digest_sealed(
    prev: &[u8; 32],
    f: &Fields<'_>,
    chain: &str,
    row: Option<&str>,
) -> [u8; 32] {
    let mut h = hasher(prev, f);
    for part in [Some(chain), row] {
        put(&mut h, part);
    }
    h.finalize().into()
}

fn put(h: &mut Sha256, part: Option<&str>) {
    match part {
        None => h.update([0u8]),
        Some(s) => {
            h.update([1u8]);
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
        }
    }
}

fn hasher(prev: &[u8; 32], f: &Fields<'_>) -> Sha256 {
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
        put(&mut h, part);
    }
    h
}

pub(crate) fn to_hex(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn from_hex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The local chain's id and the last entry made before it was sealed.
fn local_chain(conn: &Connection) -> Result<(String, i64)> {
    conn.prepare_cached("SELECT chain, sealed_after FROM audit_chains WHERE local = 1")
        .and_then(|mut s| s.query_row([], |r| Ok((r.get(0)?, r.get(1)?))).optional())
        .map_err(Error::sql("reading the audit chain"))?
        .ok_or_else(|| {
            Error::Corrupt("the audit chain of this database is missing (audit_chains)".into())
        })
}

/// The newest entry of `chain`: its seq and hash (`None` for an empty chain).
fn head_of(conn: &Connection, chain: &str) -> Result<Option<(i64, [u8; 32])>> {
    let row: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT seq, hash FROM audit_chain WHERE chain = ?1 ORDER BY seq DESC LIMIT 1",
        )
        .and_then(|mut s| {
            s.query_row([chain], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(Error::sql("reading the audit chain"))?;
    match row {
        None => Ok(None),
        Some((seq, h)) => from_hex(&h)
            .map(|hash| Some((seq, hash)))
            .ok_or_else(|| Error::Corrupt(format!("audit hash '{h}' is not 64 hex digits"))),
    }
}

/// The newest entry of `chain` by the chain's own numbering, and its hash: what an
/// entry of another device arriving by sync must follow.
pub(crate) fn chain_head(conn: &Connection, chain: &str) -> Result<Option<(i64, String)>> {
    conn.prepare_cached(
        "SELECT coalesce(origin_seq, seq), hash FROM audit_chain WHERE chain = ?1
         ORDER BY seq DESC LIMIT 1",
    )
    .and_then(|mut s| {
        s.query_row([chain], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
    })
    .map_err(Error::sql("reading the audit chain"))
}

/// The hash of the record's row now, for the sync's check of a merged record.
pub(crate) fn current_row_hash(
    conn: &Connection,
    kind: RecordKind,
    id: &str,
) -> Result<Option<String>> {
    row_hash(conn, kind, id)
}

/// The table that holds records of `kind`.
fn table_of(kind: RecordKind) -> &'static str {
    crate::records::title_source(kind).0
}

/// SHA-256 of a record row: its non-empty columns sorted by name, each as its name, a
/// type tag and its value, so that a column added by a later migration (empty in old
/// rows) leaves the hash of old rows as it was.
fn hash_row(row: &rusqlite::Row<'_>, names: &[String]) -> rusqlite::Result<String> {
    use rusqlite::types::ValueRef;
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|a, b| names[*a].cmp(&names[*b]));
    let mut h = Sha256::new();
    for i in order {
        let (tag, bytes): (u8, Vec<u8>) = match row.get_ref(i)? {
            ValueRef::Null => continue,
            ValueRef::Integer(n) => (b'i', n.to_be_bytes().to_vec()),
            ValueRef::Real(x) => (b'r', x.to_bits().to_be_bytes().to_vec()),
            ValueRef::Text(t) => (b't', t.to_vec()),
            ValueRef::Blob(b) => (b'b', b.to_vec()),
        };
        put(&mut h, Some(&names[i]));
        h.update([tag]);
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(&bytes);
    }
    Ok(to_hex(&h.finalize().into()))
}

/// The hash of the row of record `id` of `kind` as it is now; `None` when there is none.
fn row_hash(conn: &Connection, kind: RecordKind, id: &str) -> Result<Option<String>> {
    let mut stmt = conn
        .prepare_cached(&format!("SELECT * FROM {} WHERE id = ?1", table_of(kind)))
        .map_err(Error::sql("reading a record for the audit chain"))?;
    let names: Vec<String> = stmt.column_names().iter().map(|n| n.to_string()).collect();
    stmt.query_row([id], |r| hash_row(r, &names))
        .optional()
        .map_err(Error::sql("reading a record for the audit chain"))
}

/// Chains a just-appended entry onto the local chain, with the hash of its record's row
/// as the change has left it; call inside the change's transaction, after the row
/// was written.
pub(crate) fn chain(conn: &Connection, f: &Fields<'_>) -> Result<()> {
    let (chain, _) = local_chain(conn)?;
    let prev = head_of(conn, &chain)?.map_or([0; 32], |(_, h)| h);
    let kind = RecordKind::from_code(f.kind)?;
    let row = row_hash(conn, kind, f.record_id)?;
    let hash = digest_sealed(&prev, f, &chain, row.as_deref());
    conn.prepare_cached(
        "INSERT INTO audit_chain (seq, hash, chain, row_hash) VALUES (?1, ?2, ?3, ?4)",
    )
    .and_then(|mut s| s.execute(params![f.seq, to_hex(&hash), chain, row]))
    .map_err(Error::sql("writing the audit chain"))?;
    Ok(())
}

/// The one-time step of migration 0012: the row hash of every record that exists, in
/// `audit_baseline`. Runs in the migration's transaction.
pub(crate) fn write_baseline(conn: &Connection) -> Result<()> {
    let mut insert = conn
        .prepare(
            "INSERT INTO audit_baseline (record_kind, record_id, row_hash) VALUES (?1, ?2, ?3)",
        )
        .map_err(Error::sql("sealing the existing records"))?;
    for kind in RecordKind::ALL {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {}", table_of(kind)))
            .map_err(Error::sql("sealing the existing records"))?;
        let names: Vec<String> = stmt.column_names().iter().map(|n| n.to_string()).collect();
        let id_at = names.iter().position(|n| n == "id").unwrap_or(0);
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(id_at)?, hash_row(r, &names)?))
            })
            .map_err(Error::sql("sealing the existing records"))?;
        for row in rows {
            let (id, hash) = row.map_err(Error::sql("sealing the existing records"))?;
            insert
                .execute(params![kind.code(), id, hash])
                .map_err(Error::sql("sealing the existing records"))?;
        }
    }
    Ok(())
}

/// One history entry as read for the audit check, by column name: `seq, record_kind,
/// record_id, at, actor, action, field, old_value, new_value` and the stored `hash`.
struct HistoryRow {
    seq: i64,
    kind: String,
    record_id: String,
    at: String,
    actor: String,
    action: String,
    field: Option<String>,
    old: Option<String>,
    new: Option<String>,
    hash: Option<String>,
}

impl HistoryRow {
    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(HistoryRow {
            seq: r.get("seq")?,
            kind: r.get("record_kind")?,
            record_id: r.get("record_id")?,
            at: r.get("at")?,
            actor: r.get("actor")?,
            action: r.get("action")?,
            field: r.get("field")?,
            old: r.get("old_value")?,
            new: r.get("new_value")?,
            hash: r.get("hash")?,
        })
    }

    /// The fields its hash covers.
    fn fields(&self) -> Fields<'_> {
        Fields {
            seq: self.seq,
            kind: &self.kind,
            record_id: &self.record_id,
            at: &self.at,
            actor: &self.actor,
            action: &self.action,
            field: self.field.as_deref(),
            old: self.old.as_deref(),
            new: self.new.as_deref(),
        }
    }
}

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
        .query_map([], HistoryRow::read)
        .map_err(Error::sql("reading the history"))?;
    for row in rows {
        let row = row.map_err(Error::sql("reading the history"))?;
        if !each(&row.fields(), row.hash.as_deref())? {
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

/// One chain as the check walks it.
struct ChainState {
    sealed_after: i64,
    prev: [u8; 32],
}

/// The chains named in `audit_chains`.
fn chains(conn: &Connection) -> Result<HashMap<String, ChainState>> {
    let mut stmt = conn
        .prepare("SELECT chain, sealed_after FROM audit_chains")
        .map_err(Error::sql("reading the audit chains"))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .map_err(Error::sql("reading the audit chains"))?;
    let mut out = HashMap::new();
    for row in rows {
        let (chain, sealed_after) = row.map_err(Error::sql("reading the audit chains"))?;
        out.insert(
            chain,
            ChainState {
                sealed_after,
                prev: [0; 32],
            },
        );
    }
    Ok(out)
}

/// Walks every entry in order and checks its hash against its chain's previous entry.
fn check_entries(conn: &Connection, report: &mut AuditReport) -> Result<()> {
    let mut chains = chains(conn)?;
    if chains.is_empty() {
        report.find("the database names no audit chain (audit_chains is empty)".into());
    }
    let mut stmt = conn
        .prepare(
            "SELECT coalesce(c.origin_seq, a.seq) AS seq, a.record_kind, a.record_id, a.at,
                    a.actor, a.action, a.field, a.old_value, a.new_value, c.hash, c.chain,
                    c.row_hash
             FROM activities a LEFT JOIN audit_chain c ON c.seq = a.seq ORDER BY a.seq",
        )
        .map_err(Error::sql("reading the history"))?;
    let rows = stmt
        .query_map([], |r| {
            let chain: Option<String> = r.get("chain")?;
            let row_hash: Option<String> = r.get("row_hash")?;
            Ok((HistoryRow::read(r)?, chain, row_hash))
        })
        .map_err(Error::sql("reading the history"))?;
    for row in rows {
        let (row, chain, row_hash) = row.map_err(Error::sql("reading the history"))?;
        report.entries += 1;
        if report.first_broken.is_some() {
            continue;
        }
        let (seq, f) = (row.seq, row.fields());
        let problem = match (&row.hash, chain.as_deref().and_then(|c| chains.get_mut(c))) {
            (None, _) => Some("it has no audit hash (it was added outside KTO Desk)"),
            (Some(_), None) => Some("it names an audit chain this database does not have"),
            (Some(h), Some(state)) => {
                let expected = if seq > state.sealed_after {
                    digest_sealed(
                        &state.prev,
                        &f,
                        chain.as_deref().unwrap_or(""),
                        row_hash.as_deref(),
                    )
                } else {
                    digest(&state.prev, &f)
                };
                if from_hex(h) == Some(expected) {
                    state.prev = expected;
                    None
                } else {
                    Some("its fields do not match its hash: it was changed, or an entry before it was deleted")
                }
            }
        };
        if let Some(p) = problem {
            report.first_broken = Some(seq);
            report.problem = Some(p.to_string());
        }
    }
    let orphan: Option<i64> = conn
        .query_row(
            "SELECT min(seq) FROM audit_chain WHERE seq NOT IN (SELECT seq FROM activities)",
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
    Ok(())
}

/// Compares every record row with the newest sealed entry of its history (or, for a
/// record not changed since migration 0012, with its baseline), and finds records whose
/// history says they exist but that are gone.
fn check_records(conn: &Connection, report: &mut AuditReport) -> Result<()> {
    // An entry is sealed (it carries its row's hash) when it follows its own chain's
    // `sealed_after`, counted in that chain's numbering.
    const SEALED: &str = "coalesce(c.origin_seq, a.seq) >
                          (SELECT ch.sealed_after FROM audit_chains ch WHERE ch.chain = c.chain)";
    let mut newest = conn
        .prepare(&format!(
            "SELECT c.row_hash FROM activities a JOIN audit_chain c ON c.seq = a.seq
             WHERE a.record_id = ?1 AND a.record_kind = ?2 AND {SEALED}
             ORDER BY a.seq DESC LIMIT 1"
        ))
        .map_err(Error::sql("comparing records with their history"))?;
    let mut baseline = conn
        .prepare("SELECT row_hash FROM audit_baseline WHERE record_kind = ?1 AND record_id = ?2")
        .map_err(Error::sql("comparing records with their history"))?;
    for kind in RecordKind::ALL {
        let table = table_of(kind);
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table}"))
            .map_err(Error::sql("comparing records with their history"))?;
        let names: Vec<String> = stmt.column_names().iter().map(|n| n.to_string()).collect();
        let id_at = names.iter().position(|n| n == "id").unwrap_or(0);
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(id_at)?, hash_row(r, &names)?))
            })
            .map_err(Error::sql("comparing records with their history"))?;
        for row in rows {
            let (id, actual) = row.map_err(Error::sql("comparing records with their history"))?;
            report.records += 1;
            let recorded: Option<Option<String>> = newest
                .query_row(params![id, kind.code()], |r| r.get(0))
                .optional()
                .map_err(Error::sql("comparing records with their history"))?;
            let had_history = recorded.is_some();
            let expected = match recorded {
                Some(h) => h,
                None => baseline
                    .query_row(params![kind.code(), id], |r| r.get(0))
                    .optional()
                    .map_err(Error::sql("comparing records with their history"))?,
            };
            match expected {
                Some(h) if h == actual => {}
                Some(_) => report.find(format!(
                    "the {} record {id} ({table}) is not what its history last recorded: it was changed outside KTO Desk",
                    kind.code()
                )),
                None if had_history => report.find(format!(
                    "the {} record {id} ({table}) exists although its history says it was removed",
                    kind.code()
                )),
                None => report.find(format!(
                    "the {} record {id} ({table}) has no history: it was added outside KTO Desk, or its history was removed",
                    kind.code()
                )),
            }
        }
    }
    // Records that the history (or the baseline) says exist, but that are gone.
    let mut gone = conn
        .prepare(&format!(
            "SELECT record_kind, record_id FROM (
                 SELECT a.record_kind, a.record_id, c.row_hash, max(a.seq)
                 FROM activities a JOIN audit_chain c ON c.seq = a.seq
                 WHERE {SEALED} GROUP BY a.record_kind, a.record_id)
             WHERE row_hash IS NOT NULL
             UNION
             SELECT b.record_kind, b.record_id FROM audit_baseline b
             WHERE NOT EXISTS (SELECT 1 FROM activities a JOIN audit_chain c ON c.seq = a.seq
                               WHERE a.record_id = b.record_id AND {SEALED})"
        ))
        .map_err(Error::sql("comparing records with their history"))?;
    let rows = gone
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .map_err(Error::sql("comparing records with their history"))?;
    for row in rows {
        let (code, id) = row.map_err(Error::sql("comparing records with their history"))?;
        let Ok(kind) = RecordKind::from_code(&code) else {
            report.find(format!(
                "the history names a record kind `{code}` that KTO Desk does not know"
            ));
            continue;
        };
        if row_hash(conn, kind, &id)?.is_none() {
            report.find(format!(
                "the {code} record {id} ({}) is gone although its history says it exists: it was deleted outside KTO Desk",
                table_of(kind)
            ));
        }
    }
    Ok(())
}

/// Compares the chain with anchors taken outside the database.
fn check_anchors(
    conn: &Connection,
    anchors: &[FoundAnchor],
    restored_at: Option<chrono::DateTime<chrono::Utc>>,
    report: &mut AuditReport,
) -> Result<()> {
    let mut at_seq = conn
        .prepare("SELECT chain, hash FROM audit_chain WHERE seq = ?1")
        .map_err(Error::sql("reading the audit chain"))?;
    for found in anchors {
        let a = &found.anchor;
        if a.seq == 0 {
            continue;
        }
        report.anchors += 1;
        let entry: Option<(String, String)> = at_seq
            .query_row([a.seq], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(Error::sql("reading the audit chain"))?;
        let problem = match entry {
            Some((chain, hash)) if chain == a.chain && hash == a.head => continue,
            Some(_) => format!(
                "entry {} is not the one {} recorded: the history was rewritten after that anchor was taken",
                a.seq, found.source
            ),
            None => match head_of(conn, &a.chain)? {
                Some((last, _)) if last < a.seq => format!(
                    "the history ends at entry {last}, but {} saw entry {}: entries were removed from its end",
                    found.source, a.seq
                ),
                Some(_) => format!(
                    "entry {} that {} recorded is missing from the history",
                    a.seq, found.source
                ),
                None => format!(
                    "the history that {} recorded (chain {}, {} entries or more) is gone: it was wiped or the database replaced",
                    found.source, a.chain, a.seq
                ),
            },
        };
        // A restore legitimately goes back to an older history; anchors taken before it
        // describe the history it replaced.
        if let (Some(restored), Some(taken)) = (restored_at, found.taken_at) {
            if taken <= restored {
                continue;
            }
        }
        report.find(problem);
    }
    Ok(())
}

impl Store {
    /// Walks the audit chain of the whole history and reports the first entry whose hash
    /// does not match: one that was edited, one after a deleted entry, one without a hash,
    /// or the place of a deleted entry whose hash remains. Also checks the schema and its
    /// triggers and every record against its history; see [`Store::verify_audit_with`]
    /// for the check against anchors.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        self.verify_audit_with(&[], None)
    }

    /// The whole audit check: the chain ([`Store::verify_audit`]), the schema and its
    /// append-only triggers against what the migrations create, every record row against
    /// the newest entry of its history, and the chain against `anchors` taken outside the
    /// file. Anchors taken at or before `restored_at` (the newest restore of this office)
    /// describe the history the restore replaced and are not held against it.
    pub fn verify_audit_with(
        &self,
        anchors: &[FoundAnchor],
        restored_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<AuditReport> {
        let mut report = AuditReport::default();
        for finding in crate::schema::schema_differences(&self.conn)? {
            report.find(finding);
        }
        check_entries(&self.conn, &mut report)?;
        check_records(&self.conn, &mut report)?;
        check_anchors(&self.conn, anchors, restored_at, &mut report)?;
        Ok(report)
    }

    /// The head of this database's own chain now: what a backup's sidecar and a signed
    /// submission record.
    pub fn audit_anchor(&self) -> Result<AuditAnchor> {
        let (chain, _) = local_chain(&self.conn)?;
        let (seq, head) = head_of(&self.conn, &chain)?.unwrap_or((0, [0; 32]));
        Ok(AuditAnchor {
            chain,
            seq,
            head: to_hex(&head),
        })
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
