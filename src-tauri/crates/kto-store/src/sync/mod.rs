//! One office out of several laptops, through a folder the office already shares.
//!
//! - Recording ([`record`]): every write is a [`Write`], whose session (SQLite's session
//!   extension) puts the write's changeset and history in `sync_outbox`.
//! - Writing ([`Store::sync_folder`]): each outbox entry becomes a file of this device in
//!   the folder ([`file`] describes the layout and the format); files are only ever added.
//! - Applying ([`apply`]): other devices' files in order per device, each in one
//!   transaction with its history, search entries and conflicts.
//! - Joining ([`Store::join_office`]): a new laptop starts from the newest snapshot in
//!   the folder and applies the files after it.
//!
//! Disclosure references made on a laptop of a shared office end with that laptop's
//! code (`D-2026-0007-B`), given once per laptop in the folder (`devices/`), so two
//! laptops cannot give the same reference.

mod apply;
mod changes;
mod file;
mod record;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kto_core::activity::RecordKind;
use kto_core::sync::{
    ConflictKind, ConflictWinner, DeviceStatus, SyncConflict, SyncProblem, SyncReport, SyncStatus,
};
use rusqlite::{params, Connection, OptionalExtension};

pub use record::Write;

use crate::{audit, parse_ts, ts, Error, Result, Store};

/// The tables whose rows the laptops of an office share. History, the audit chain and
/// the search index travel separately; settings, saved views, learning progress,
/// signing keys, submissions and import batches stay on their laptop.
pub(crate) const SHARED_TABLES: &[&str] = &[
    "organisations",
    "people",
    "disclosures",
    "disclosure_inventors",
    "stages",
    "deals",
    "scouting_leads",
    "patents",
    "agreements",
    "consortia",
    "contributions",
    "spin_offs",
    "founders",
    "funding_rounds",
    "income",
    "costs",
    "attachments",
    "attachment_content",
    "office_inputs",
    "spin_off_terms",
    "reference_term_sets",
];

/// The `sync_clock` column number that marks a deleted row.
pub(crate) const TOMBSTONE: i64 = -1;

/// The folder inside the shared folder that KTO Desk writes.
pub const SYNC_DIR_NAME: &str = "kto-sync";

/// This device's id: its audit chain.
pub(crate) fn device_id(conn: &Connection) -> rusqlite::Result<String> {
    conn.prepare_cached("SELECT chain FROM audit_chains WHERE local = 1")?
        .query_row([], |r| r.get(0))
}

/// Notes the change of a column (or, for [`TOMBSTONE`], the delete of a row).
pub(crate) fn set_clock(
    conn: &Connection,
    table: &str,
    pk: &str,
    col: i64,
    at: &str,
    device: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_clock (tbl, pk, col, at, device) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (tbl, pk, col) DO UPDATE SET at = excluded.at, device = excluded.device
         WHERE (excluded.at, excluded.device) > (sync_clock.at, sync_clock.device)",
    )?
    .execute(params![table, pk, col, at, device])?;
    Ok(())
}

/// Forgets that a row was deleted (it was made again: restored from a conflict).
pub(crate) fn clear_tombstone(conn: &Connection, table: &str, pk: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM sync_clock WHERE tbl = ?1 AND pk = ?2 AND col = ?3")?
        .execute(params![table, pk, TOMBSTONE])?;
    Ok(())
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Sync(format!("{what} {}: {e}", path.display()))
}

/// Writes `bytes` as `path`: first under a temporary name beside it, then renamed, so
/// that no reader ever sees a half-written file. An existing file is left alone.
fn write_new(path: &Path, bytes: &[u8]) -> Result<bool> {
    if path.exists() {
        return Ok(false);
    }
    let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&tmp, bytes).map_err(|e| io_error("cannot write", &tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| io_error("cannot finish writing", path, e))?;
    Ok(true)
}

fn file_name(seq: i64) -> String {
    format!("{seq:010}.{}", file::EXTENSION)
}

fn is_device_id(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// The next code after those taken: A…Z, then AA, AB, …
fn free_code(taken: &[String]) -> String {
    (1..)
        .map(|mut n: u32| {
            let mut code = String::new();
            while n > 0 {
                n -= 1;
                code.insert(0, char::from(b'A' + (n % 26) as u8));
                n /= 26;
            }
            code
        })
        .find(|c| !taken.contains(c))
        .unwrap_or_default()
}

/// The folder layout under the shared folder.
struct Layout {
    root: PathBuf,
}

impl Layout {
    fn new(folder: &Path) -> Result<Layout> {
        if !folder.is_dir() {
            return Err(Error::Sync(format!(
                "the shared folder {} cannot be reached: check that it is connected, or choose it again in Settings",
                folder.display()
            )));
        }
        Ok(Layout {
            root: folder.join(SYNC_DIR_NAME),
        })
    }
    fn changes(&self) -> PathBuf {
        self.root.join("changes")
    }
    fn devices(&self) -> PathBuf {
        self.root.join("devices")
    }
    fn snapshots(&self) -> PathBuf {
        self.root.join("snapshots")
    }
    fn create(&self, device: &str) -> Result<()> {
        for dir in [
            self.changes().join(device),
            self.devices(),
            self.snapshots(),
        ] {
            std::fs::create_dir_all(&dir).map_err(|e| io_error("cannot create", &dir, e))?;
        }
        Ok(())
    }
    fn device_files(&self) -> Vec<file::DeviceFile> {
        let Ok(dir) = std::fs::read_dir(self.devices()) else {
            return Vec::new();
        };
        dir.flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| std::fs::read(e.path()).ok())
            .filter(|b| b.len() < 64 * 1024)
            .filter_map(|b| serde_json::from_slice::<file::DeviceFile>(&b).ok())
            .filter(|d| is_device_id(&d.device))
            .collect()
    }
}

/// The change files of one other device after number `after`, in order.
fn pending_files(dir: &Path, after: i64) -> Vec<(i64, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(i64, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let (num, ext) = name.split_once('.')?;
            if ext != file::EXTENSION || num.len() != 10 {
                return None;
            }
            let seq: i64 = num.parse().ok()?;
            (seq > after).then_some((seq, e.path()))
        })
        .collect();
    out.sort();
    out
}

impl Store {
    /// Begins a write whose changes are recorded for the other laptops of the office.
    pub(crate) fn begin(&self, doing: &'static str) -> Result<Write<'_>> {
        record::begin(&self.conn, doing)
    }

    /// This laptop's user name as the office's other laptops see it.
    pub fn set_device_name(&mut self, name: &str) -> Result<()> {
        self.conn
            .execute("UPDATE sync_device SET name = ?1", [name.trim()])
            .map_err(Error::sql("saving this laptop's name"))?;
        Ok(())
    }

    /// Where this laptop stands: its id, name, code and the other laptops' progress.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        const DOING: &str = "reading the sync status";
        let device = device_id(&self.conn).map_err(Error::sql(DOING))?;
        let (name, code): (String, Option<String>) = self
            .conn
            .query_row("SELECT name, code FROM sync_device", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(Error::sql(DOING))?;
        let changes: i64 = self
            .conn
            .query_row("SELECT coalesce(max(seq), 0) FROM sync_outbox", [], |r| {
                r.get(0)
            })
            .map_err(Error::sql(DOING))?;
        let mut stmt = self
            .conn
            .prepare("SELECT device, name, code, last_seq, last_at FROM sync_devices ORDER BY name, device")
            .map_err(Error::sql(DOING))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .map_err(Error::sql(DOING))?;
        let mut devices = Vec::new();
        for row in rows {
            let (device, name, code, last_seq, last_at) = row.map_err(Error::sql(DOING))?;
            devices.push(DeviceStatus {
                device,
                name,
                code,
                last_seq,
                last_at: last_at.as_deref().map(parse_ts).transpose()?,
            });
        }
        let open_conflicts: u32 = self
            .conn
            .query_row(
                "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL",
                [],
                |r| r.get(0),
            )
            .map_err(Error::sql(DOING))?;
        Ok(SyncStatus {
            device,
            name,
            code,
            changes,
            devices,
            open_conflicts,
        })
    }

    /// Syncs with the shared `folder`: writes this laptop's new changes there, then
    /// applies every other laptop's changes not applied yet, in order per laptop, each
    /// file in one transaction. A file that cannot be applied is named with its reason in
    /// the report; nothing of it is applied.
    pub fn sync_folder(&mut self, folder: &Path) -> Result<SyncReport> {
        const DOING: &str = "syncing with the shared folder";
        let layout = Layout::new(folder)?;
        let me = device_id(&self.conn).map_err(Error::sql(DOING))?;
        layout.create(&me)?;
        let mut report = SyncReport {
            at: chrono::Utc::now(),
            ..SyncReport::default()
        };

        // This laptop's entry and code.
        // Until the laptop is given a name of its own, it goes by its user's name.
        let (name, code): (String, Option<String>) = self
            .conn
            .query_row(
                "SELECT coalesce(nullif(name, ''),
                                 (SELECT value FROM settings WHERE key = 'user_name'), ''), code
                 FROM sync_device",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(Error::sql(DOING))?;
        let others = layout.device_files();
        let code = match code {
            Some(c) => c,
            None => {
                let taken: Vec<String> = others
                    .iter()
                    .filter(|d| d.device != me)
                    .map(|d| d.code.clone())
                    .collect();
                let c = others
                    .iter()
                    .find(|d| d.device == me)
                    .map_or_else(|| free_code(&taken), |d| d.code.clone());
                self.conn
                    .execute("UPDATE sync_device SET code = ?1", [&c])
                    .map_err(Error::sql(DOING))?;
                c
            }
        };
        let entry = file::DeviceFile {
            device: me.clone(),
            name: name.clone(),
            code,
        };
        write_new(
            &layout.devices().join(format!("{me}.json")),
            &serde_json::to_vec_pretty(&entry).unwrap_or_default(),
        )?;
        for d in &others {
            if d.device != me {
                self.conn
                    .execute(
                        "INSERT INTO sync_devices (device, name, code) VALUES (?1, ?2, ?3)
                         ON CONFLICT (device) DO UPDATE SET name = excluded.name, code = excluded.code",
                        params![d.device, d.name, d.code],
                    )
                    .map_err(Error::sql(DOING))?;
            }
        }

        // This laptop's changes out.
        report.written = self.write_outbox(&layout, &me, &name)?;

        // The others' changes in, until no file more can be applied.
        let schema = self.schema_version()?;
        let mut problems: BTreeMap<String, SyncProblem> = BTreeMap::new();
        loop {
            let mut progress = false;
            let dirs = std::fs::read_dir(layout.changes())
                .map_err(|e| io_error("cannot read", &layout.changes(), e))?;
            let mut devices: Vec<String> = dirs
                .flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| is_device_id(n) && *n != me)
                .collect();
            devices.sort();
            for device in devices {
                let mut last: i64 = self
                    .conn
                    .query_row(
                        "SELECT last_seq FROM sync_devices WHERE device = ?1",
                        [&device],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(Error::sql(DOING))?
                    .unwrap_or(0);
                for (seq, path) in pending_files(&layout.changes().join(&device), last) {
                    let shown = format!("changes/{device}/{}", file_name(seq));
                    let (reason, waiting) =
                        match self.apply_path(&path, &device, seq, last, schema, &name)? {
                            apply::Outcome::Applied { conflicts } => {
                                report.applied += 1;
                                report.conflicts += conflicts;
                                problems.remove(&shown);
                                progress = true;
                                last = seq;
                                continue;
                            }
                            apply::Outcome::Waiting(reason) => (reason, true),
                            apply::Outcome::Refused(reason) => (reason, false),
                        };
                    // The device's later files wait behind this one.
                    problems.insert(
                        shown.clone(),
                        SyncProblem {
                            file: shown,
                            reason,
                            waiting,
                        },
                    );
                    break;
                }
            }
            if !progress {
                break;
            }
        }
        report.problems = problems.into_values().collect();
        self.conn
            .execute(
                "INSERT INTO settings (key, value) VALUES ('sync.lastSyncedAt', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [ts(report.at)],
            )
            .map_err(Error::sql(DOING))?;
        Ok(report)
    }

    /// Writes every outbox entry of this laptop not yet in the folder; returns how many.
    fn write_outbox(&self, layout: &Layout, me: &str, name: &str) -> Result<u32> {
        const DOING: &str = "writing this laptop's changes";
        let dir = layout.changes().join(me);
        let present = pending_files(&dir, 0)
            .into_iter()
            .map(|(s, _)| s)
            .max()
            .unwrap_or(0);
        let outbox: i64 = self
            .conn
            .query_row("SELECT coalesce(max(seq), 0) FROM sync_outbox", [], |r| {
                r.get(0)
            })
            .map_err(Error::sql(DOING))?;
        if present > outbox {
            return Err(Error::Sync(format!(
                "this laptop has written {present} changes to the shared folder, but its database holds only {outbox}: it was restored from an older backup or copied. Nothing was written; join the office again into an empty data folder (kto sync join)"
            )));
        }
        let sealed_after: i64 = self
            .conn
            .query_row(
                "SELECT sealed_after FROM audit_chains WHERE local = 1",
                [],
                |r| r.get(0),
            )
            .map_err(Error::sql(DOING))?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, at, changeset, history_from, history_to FROM sync_outbox
                 WHERE seq > ?1 ORDER BY seq",
            )
            .map_err(Error::sql(DOING))?;
        let rows = stmt
            .query_map([present], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })
            .map_err(Error::sql(DOING))?;
        let schema = self.schema_version()?;
        let mut written = 0;
        for row in rows {
            let (seq, at, changeset, from, to) = row.map_err(Error::sql(DOING))?;
            let history =
                record::outgoing_history(&self.conn, from, to).map_err(Error::sql(DOING))?;
            let header = file::Header {
                schema,
                device: me.to_string(),
                device_name: name.to_string(),
                seq,
                at,
                sealed_after,
                history_len: 0,
                changeset_len: 0,
                sha256: String::new(),
            };
            if write_new(
                &dir.join(file_name(seq)),
                &file::encode(header, &history, &changeset),
            )? {
                written += 1;
            }
        }
        Ok(written)
    }

    /// Reads, checks and applies one change file of `device`.
    fn apply_path(
        &mut self,
        path: &Path,
        device: &str,
        seq: i64,
        last: i64,
        schema: u32,
        local_name: &str,
    ) -> Result<apply::Outcome> {
        use apply::Outcome;
        const DOING: &str = "applying another laptop's changes";
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size > file::MAX_FILE_BYTES {
            return Ok(Outcome::Refused(format!(
                "it is {size} bytes, more than a change file can be"
            )));
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return Ok(Outcome::Waiting(format!("it cannot be read yet ({e})"))),
        };
        let file = match file::decode(&bytes) {
            Ok(f) => f,
            // A file still arriving is read again next time.
            Err(reason) => return Ok(Outcome::Waiting(reason)),
        };
        let h = &file.header;
        if h.device != device || h.seq != seq {
            return Ok(Outcome::Refused(format!(
                "it says it is change {} of laptop {}, but it lies where change {seq} of laptop {device} belongs",
                h.seq, h.device
            )));
        }
        if h.schema > schema {
            return Ok(Outcome::Waiting(format!(
                "it was made by a newer KTO Desk (database version {}; this laptop has {schema}): install the newer KTO Desk here; the file is kept until then",
                h.schema
            )));
        }
        if chrono::DateTime::parse_from_rfc3339(&h.at).is_err() {
            return Ok(Outcome::Refused(format!(
                "its time `{}` is not a time",
                h.at
            )));
        }
        if seq != last + 1 {
            return Ok(Outcome::Waiting(format!(
                "it waits for change {} of the same laptop",
                last + 1
            )));
        }
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(Error::sql(DOING))?;
        if let Some(reason) = check_history(&tx, &file)? {
            return Ok(Outcome::Refused(reason));
        }
        let outcome = apply::apply(&tx, &file, local_name)?;
        if let Outcome::Applied { .. } = outcome {
            tx.execute(
                "INSERT INTO sync_applied (device, seq, sha256, applied_at) VALUES (?1, ?2, ?3, ?4)",
                params![device, seq, h.sha256, ts(chrono::Utc::now())],
            )
            .map_err(Error::sql(DOING))?;
            tx.execute(
                "INSERT INTO sync_devices (device, name, last_seq, last_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (device) DO UPDATE SET name = excluded.name, last_seq = excluded.last_seq,
                                                    last_at = excluded.last_at",
                params![device, h.device_name, seq, h.at],
            )
            .map_err(Error::sql(DOING))?;
            tx.commit().map_err(Error::sql(DOING))?;
        }
        Ok(outcome)
    }
}

/// True when any shared table holds a row besides the pipeline stages every office
/// starts with.
pub(crate) fn holds_records(conn: &Connection) -> Result<bool> {
    for table in SHARED_TABLES.iter().filter(|t| **t != "stages") {
        let any = conn
            .prepare(&format!("SELECT 1 FROM \"{table}\" LIMIT 1"))
            .and_then(|mut s| s.exists([]))
            .map_err(Error::sql("looking for records"))?;
        if any {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Checks that a file's history entries follow, hash by hash, the entries this laptop
/// has of that device's chain; entries it has already are skipped. `Some(reason)` when
/// they do not.
fn check_history(conn: &Connection, file: &file::ChangeFile) -> Result<Option<String>> {
    let h = &file.header;
    let (mut prev_seq, prev) = audit::chain_head(conn, &h.device)?.unwrap_or((0, "0".repeat(64)));
    let mut prev = audit::from_hex(&prev).unwrap_or([0; 32]);
    if audit::chain_head(conn, &h.device)?.is_none() {
        prev = [0; 32];
    }
    for e in &file.history {
        if RecordKind::from_code(&e.kind).is_err()
            || kto_core::activity::Action::from_code(&e.action).is_err()
        {
            return Ok(Some(format!(
                "its history entry {} names a record kind or action KTO Desk does not know",
                e.seq
            )));
        }
        if e.seq <= prev_seq {
            continue;
        }
        let fields = audit::Fields {
            seq: e.seq,
            kind: &e.kind,
            record_id: &e.record_id,
            at: &e.at,
            actor: &e.actor,
            action: &e.action,
            field: e.field.as_deref(),
            old: e.old.as_deref(),
            new: e.new.as_deref(),
        };
        let expected = audit::digest_sealed(&prev, &fields, &h.device, e.row_hash.as_deref());
        if audit::to_hex(&expected) != e.hash {
            return Ok(Some(format!(
                "its history entry {} does not follow the entries this laptop has of that laptop: the file was altered",
                e.seq
            )));
        }
        prev = expected;
        prev_seq = e.seq;
    }
    Ok(None)
}

/// A stored conflict as `resolve_conflict` reads it: kind, table, key, column, both
/// values, the winner and the record kind.
type ConflictRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

impl Store {
    /// The conflicts not yet accepted or swapped, newest first.
    pub fn sync_conflicts(&self) -> Result<Vec<SyncConflict>> {
        const DOING: &str = "reading the conflicts";
        let mut stmt = self
            .conn
            .prepare(
                "SELECT c.id, c.kind, c.record_kind, c.record_id, c.tbl, c.col, c.local_value,
                        c.remote_value,
                        coalesce(nullif(me.name, ''), c.local_device) AS local_device_name,
                        coalesce(nullif(d.name, ''), c.remote_device) AS remote_device_name,
                        c.local_at, c.remote_at, c.winner, c.found_at
                 FROM sync_conflicts c JOIN sync_device me
                 LEFT JOIN sync_devices d ON d.device = c.remote_device
                 WHERE c.resolved_at IS NULL ORDER BY c.id DESC",
            )
            .map_err(Error::sql(DOING))?;
        /// A conflict row as stored; its record's title is read after the statement.
        struct Stored {
            id: i64,
            kind: String,
            record_kind: Option<String>,
            record_id: Option<String>,
            table: String,
            column: Option<String>,
            local_value: Option<String>,
            remote_value: Option<String>,
            local_device: String,
            remote_device: String,
            local_at: Option<String>,
            remote_at: String,
            winner: String,
            found_at: String,
        }
        let rows: Vec<Stored> = stmt
            .query_map([], |r| {
                Ok(Stored {
                    id: r.get("id")?,
                    kind: r.get("kind")?,
                    record_kind: r.get("record_kind")?,
                    record_id: r.get("record_id")?,
                    table: r.get("tbl")?,
                    column: r.get("col")?,
                    local_value: r.get("local_value")?,
                    remote_value: r.get("remote_value")?,
                    local_device: r.get("local_device_name")?,
                    remote_device: r.get("remote_device_name")?,
                    local_at: r.get("local_at")?,
                    remote_at: r.get("remote_at")?,
                    winner: r.get("winner")?,
                    found_at: r.get("found_at")?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(Error::sql(DOING))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let record_kind = row
                .record_kind
                .as_deref()
                .map(RecordKind::from_code)
                .transpose()?;
            let title = match (record_kind, &row.record_id) {
                (Some(k), Some(id)) => crate::records::title_of(&self.conn, k, id)?,
                _ => None,
            };
            out.push(SyncConflict {
                id: row.id,
                kind: if row.kind == "field" {
                    ConflictKind::Field
                } else {
                    ConflictKind::EditDelete
                },
                record_kind,
                record_id: row.record_id,
                title,
                table: row.table,
                column: row.column,
                local_value: row.local_value,
                remote_value: row.remote_value,
                local_device: row.local_device,
                remote_device: row.remote_device,
                local_at: row.local_at.as_deref().map(parse_ts).transpose()?,
                remote_at: parse_ts(&row.remote_at)?,
                winner: if row.winner == "local" {
                    ConflictWinner::Local
                } else {
                    ConflictWinner::Remote
                },
                found_at: parse_ts(&row.found_at)?,
            });
        }
        Ok(out)
    }

    /// Settles a conflict: `swap` puts the value the provisional choice passed over into
    /// the record (a field conflict: as a change of this laptop, which reaches the others
    /// at the next sync); otherwise the choice is accepted as it is.
    pub fn resolve_conflict(
        &mut self,
        change: &kto_core::activity::Change,
        id: i64,
        swap: bool,
    ) -> Result<()> {
        const DOING: &str = "settling a conflict";
        let row: Option<ConflictRow> = self
            .conn
            .query_row(
                "SELECT kind, tbl, pk, col, local_value, remote_value, winner, record_kind
                 FROM sync_conflicts WHERE id = ?1 AND resolved_at IS NULL",
                [id],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                    ))
                },
            )
            .optional()
            .map_err(Error::sql(DOING))?;
        let Some((kind, table, pk, col, local, remote, winner, record_kind)) = row else {
            return Err(Error::NotFound {
                what: "conflict",
                id: id.to_string(),
            });
        };
        let tx = self.begin(DOING)?;
        if swap {
            let other = if winner == "local" { remote } else { local };
            match (kind.as_str(), col) {
                ("field", Some(col)) => {
                    apply::set_column(
                        &tx,
                        change,
                        record_kind.as_deref(),
                        &table,
                        &pk,
                        &col,
                        other.as_deref(),
                    )?;
                }
                _ => {
                    return Err(Error::Sync(
                        "a record deleted on one laptop and changed on another stays deleted; its last values are shown in the conflict to be entered again".into(),
                    ));
                }
            }
        }
        tx.execute(
            "UPDATE sync_conflicts SET resolved_at = ?1, resolution = ?2 WHERE id = ?3",
            params![ts(change.at), if swap { "swapped" } else { "accepted" }, id],
        )
        .map_err(Error::sql(DOING))?;
        tx.commit().map_err(Error::sql(DOING))?;
        Ok(())
    }
}

impl Store {
    /// SHA-256 over every row of the shared tables in key order: two laptops that have
    /// synced all of each other's changes give the same fingerprint.
    pub fn office_fingerprint(&self) -> Result<String> {
        use sha2::{Digest, Sha256};
        const DOING: &str = "fingerprinting the office";
        let mut h = Sha256::new();
        for table in SHARED_TABLES {
            let cols = apply::columns(&self.conn, table)?;
            let flags = apply::pk_flags(&self.conn, table, &cols)?;
            let order: Vec<String> = cols
                .iter()
                .zip(&flags)
                .filter(|(_, p)| **p)
                .map(|(c, _)| format!("\"{c}\""))
                .collect();
            let mut stmt = self
                .conn
                .prepare(&format!(
                    "SELECT * FROM \"{table}\" ORDER BY {}",
                    order.join(", ")
                ))
                .map_err(Error::sql(DOING))?;
            let mut rows = stmt.query([]).map_err(Error::sql(DOING))?;
            h.update(table.as_bytes());
            while let Some(row) = rows.next().map_err(Error::sql(DOING))? {
                for i in 0..cols.len() {
                    let v: rusqlite::types::Value = row.get(i).map_err(Error::sql(DOING))?;
                    h.update(changes::value_json(&v).to_string().as_bytes());
                    h.update([0u8]);
                }
                h.update([1u8]);
            }
        }
        Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Writes a snapshot of this office into the shared folder for a new laptop to join
    /// from: a copy of the database (`VACUUM INTO`) with its size and SHA-256 beside it.
    /// Returns the snapshot's path.
    pub fn write_snapshot(&self, folder: &Path) -> Result<PathBuf> {
        const DOING: &str = "writing a snapshot of the office";
        let layout = Layout::new(folder)?;
        let me = device_id(&self.conn).map_err(Error::sql(DOING))?;
        layout.create(&me)?;
        let (name, seq): (String, i64) = self
            .conn
            .query_row(
                "SELECT name, (SELECT coalesce(max(seq), 0) FROM sync_outbox) FROM sync_device",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(Error::sql(DOING))?;
        let path = layout.snapshots().join(format!("{me}-{seq:010}.sqlite3"));
        if path.exists() {
            return Ok(path);
        }
        let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
        self.conn
            .execute("VACUUM INTO ?1", [tmp.to_string_lossy()])
            .map_err(Error::sql(DOING))?;
        let bytes = std::fs::read(&tmp).map_err(|e| io_error("cannot read", &tmp, e))?;
        let meta = file::SnapshotFile {
            device: me,
            device_name: name,
            seq,
            schema: self.schema_version()?,
            at: ts(chrono::Utc::now()),
            size: bytes.len() as u64,
            sha256: file::sha256(&bytes),
        };
        std::fs::rename(&tmp, &path).map_err(|e| io_error("cannot finish writing", &path, e))?;
        write_new(
            &path.with_extension("json"),
            &serde_json::to_vec_pretty(&meta).unwrap_or_default(),
        )?;
        Ok(path)
    }

    /// Makes a new laptop of the office in `folder`: copies the newest snapshot there to
    /// `db_path` after checking its size, SHA-256 and integrity, gives the copy a device
    /// of its own (named `name`), then applies every change after the snapshot. Refuses
    /// when `db_path` already holds records; an empty office there (a fresh install) is
    /// replaced, once the snapshot has passed its checks, with its settings (the user's
    /// name and language; the snapshot's are the other laptop's). `folder` becomes the
    /// laptop's shared folder.
    pub fn join_office(folder: &Path, db_path: &Path, name: &str) -> Result<(Store, SyncReport)> {
        const DOING: &str = "joining the office";
        let existing = db_path.metadata().is_ok_and(|m| m.len() > 0);
        let mut own_settings: Vec<(String, String)> = Vec::new();
        if existing {
            let old = Store::open(db_path)?;
            if holds_records(&old.conn)? {
                return Err(Error::Sync(format!(
                    "{} already holds records of an office; a laptop joins its office with an empty database (a new data folder)",
                    db_path.display()
                )));
            }
            let mut stmt = old
                .conn
                .prepare("SELECT key, value FROM settings WHERE key NOT LIKE 'sync.%'")
                .map_err(Error::sql(DOING))?;
            own_settings = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|rows| rows.collect())
                .map_err(Error::sql(DOING))?;
        }
        let layout = Layout::new(folder)?;
        let mut newest: Option<(String, PathBuf, file::SnapshotFile)> = None;
        let mut problems = Vec::new();
        if let Ok(dir) = std::fs::read_dir(layout.snapshots()) {
            for e in dir.flatten() {
                let p = e.path();
                if p.extension().is_none_or(|x| x != "json") {
                    continue;
                }
                let meta: file::SnapshotFile = match std::fs::read(&p)
                    .ok()
                    .filter(|b| b.len() < 64 * 1024)
                    .and_then(|b| serde_json::from_slice(&b).ok())
                {
                    Some(m) => m,
                    None => {
                        problems.push(format!("{} cannot be read", p.display()));
                        continue;
                    }
                };
                if newest.as_ref().is_none_or(|(at, ..)| meta.at > *at) {
                    newest = Some((meta.at.clone(), p.with_extension("sqlite3"), meta));
                }
            }
        }
        let Some((_, snapshot, meta)) = newest else {
            return Err(Error::Sync(format!(
                "the shared folder {} holds no snapshot of an office yet: on a laptop of the office, sync once with this folder{}",
                folder.display(),
                if problems.is_empty() { String::new() } else { format!(" ({})", problems.join("; ")) }
            )));
        };
        let bytes = std::fs::read(&snapshot).map_err(|e| io_error("cannot read", &snapshot, e))?;
        if bytes.len() as u64 != meta.size || file::sha256(&bytes) != meta.sha256 {
            return Err(Error::Sync(format!(
                "the snapshot {} is not the one its .json describes (size or SHA-256 differ): it is still being copied or was damaged; try again later",
                snapshot.display()
            )));
        }
        if meta.schema > crate::LATEST_VERSION {
            return Err(Error::NewerSchema {
                found: meta.schema,
                supported: crate::LATEST_VERSION,
            });
        }
        let tmp = db_path.with_extension(format!("joining-{}", uuid::Uuid::new_v4().simple()));
        std::fs::write(&tmp, &bytes).map_err(|e| io_error("cannot write", &tmp, e))?;
        let result = (|| {
            let store = Store::open(&tmp)?;
            store.integrity_check()?;
            {
                let tx = store
                    .conn
                    .unchecked_transaction()
                    .map_err(Error::sql(DOING))?;
                tx.execute_batch(
                    "UPDATE audit_chains SET local = 0 WHERE local = 1;
                     INSERT INTO audit_chains (chain, local, sealed_after)
                         VALUES (lower(hex(randomblob(16))), 1, 0);
                     DELETE FROM sync_outbox;
                     DELETE FROM sync_conflicts;
                     DELETE FROM settings;",
                )
                .map_err(Error::sql(DOING))?;
                tx.execute(
                    "UPDATE sync_device SET name = ?1, code = NULL,
                         carried_to = (SELECT coalesce(max(seq), 0) FROM activities)",
                    [name.trim()],
                )
                .map_err(Error::sql(DOING))?;
                for (key, value) in &own_settings {
                    tx.execute(
                        "INSERT INTO settings (key, value) VALUES (?1, ?2)",
                        params![key, value],
                    )
                    .map_err(Error::sql(DOING))?;
                }
                tx.execute(
                    "INSERT INTO sync_devices (device, name, last_seq, last_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (device) DO UPDATE SET name = excluded.name, last_seq = excluded.last_seq,
                                                        last_at = excluded.last_at",
                    params![meta.device, meta.device_name, meta.seq, meta.at],
                )
                .map_err(Error::sql(DOING))?;
                tx.commit().map_err(Error::sql(DOING))?;
            }
            Ok::<_, Error>(store)
        })();
        let store = match result {
            Ok(s) => s,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        drop(store);
        if existing {
            for ext in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", db_path.display()));
            }
        }
        std::fs::rename(&tmp, db_path)
            .map_err(|e| io_error("cannot finish writing", db_path, e))?;
        for ext in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{ext}", tmp.display()));
            let _ = std::fs::remove_file(side);
        }
        let mut store = Store::open(db_path)?;
        store.set_shared_folder(Some(folder))?;
        let report = store.sync_folder(folder)?;
        Ok((store, report))
    }
}

impl Store {
    /// The shared folder this laptop syncs with, when one was chosen.
    pub fn shared_folder(&self) -> Result<Option<PathBuf>> {
        self.conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'sync.folder'",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map(|v| v.filter(|s| !s.is_empty()).map(PathBuf::from))
            .map_err(Error::sql("reading the shared folder"))
    }

    /// Chooses the shared folder (`None`: this laptop stops syncing). It must be a
    /// folder that exists now.
    pub fn set_shared_folder(&mut self, folder: Option<&Path>) -> Result<()> {
        let value = match folder {
            Some(f) => {
                Layout::new(f)?;
                f.to_string_lossy().into_owned()
            }
            None => String::new(),
        };
        self.conn
            .execute(
                "INSERT INTO settings (key, value) VALUES ('sync.folder', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [value],
            )
            .map_err(Error::sql("saving the shared folder"))?;
        Ok(())
    }

    /// When this laptop last synced with its shared folder.
    pub fn last_synced(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        let at: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'sync.lastSyncedAt'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(Error::sql("reading the sync status"))?;
        at.as_deref().map(parse_ts).transpose()
    }
}
