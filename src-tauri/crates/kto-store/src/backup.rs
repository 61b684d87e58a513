//! Backups of the office database and restoring them.
//!
//! A backup is made with `VACUUM INTO` a hidden temporary file beside its destination,
//! which is fsynced, opened and checked (`integrity_check`, KTO Desk's application id, a
//! schema this version knows) and only then renamed into place, so a backup file that
//! exists is whole. Backups are named `kto-desk-<kind>-YYYYMMDD-HHMMSSmmm.sqlite3` (UTC);
//! automatic ones are rotated, keeping the newest of each of the last [`KEEP_DAILY`] days
//! and of each of the last [`KEEP_WEEKLY`] ISO weeks.
//!
//! Beside every backup `NAME` a sidecar `NAME.check.json` ([`SIDECAR_SUFFIX`]) holds the
//! backup's size and SHA-256 and the head of its audit chain ([`AuditAnchor`]); it is
//! written before the backup is renamed into place, so a backup that exists has one.
//!
//! A restore ([`prepare_restore`], then [`PreparedRestore::commit`]) verifies the chosen
//! backup's checksum against its sidecar, checks it, writes a consistent snapshot of it
//! (`VACUUM INTO`, which reads committed rows still in a `-wal` too) to a temporary file
//! beside the live database, migrates and checks the snapshot including its audit chain
//! against the sidecar's anchor, and only then removes the live file's stale `-wal` and
//! `-shm` and renames the snapshot over the live file: at every moment the live path
//! holds either the old database or the whole restored one, and a refused restore leaves
//! it untouched. The caller closes the store before the commit and reopens it after.
//!
//! Killed backups and restores leave hidden temporary files (`.NAME.backup.tmp`,
//! `.NAME.restore.tmp`); [`remove_stale_temps`] removes them at start-up and rotation does
//! too.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use kto_core::backup::{AuditAnchor, BackupInfo, BackupKind, FoundAnchor};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{schema, Error, Result, Store};

/// The backup folder's name inside the data folder.
pub const BACKUP_DIR_NAME: &str = "backups";
/// Daily generations of automatic backups kept by [`rotate_backups`].
pub const KEEP_DAILY: usize = 7;
/// Weekly generations of automatic backups kept by [`rotate_backups`].
pub const KEEP_WEEKLY: usize = 4;

/// Appended to a backup's file name to name its sidecar.
pub const SIDECAR_SUFFIX: &str = ".check.json";
/// The file in the backup folder that records the newest restore.
pub const RESTORE_RECORD: &str = "last-restore.json";
const SIDECAR_FORMAT: &str = "kto-desk-backup-check";

const PREFIX: &str = "kto-desk-";
const SUFFIX: &str = ".sqlite3";
const STAMP: &str = "%Y%m%d-%H%M%S%3f";
const STAMP_LEN: usize = 18;

/// The file name of a backup of `kind` made at `at`.
pub fn backup_file_name(kind: BackupKind, at: DateTime<Utc>) -> String {
    format!("{PREFIX}{}-{}{SUFFIX}", kind.code(), at.format(STAMP))
}

/// The kind and time of a backup from its file name; `None` for other files.
fn parse_name(name: &str) -> Option<(BackupKind, DateTime<Utc>)> {
    let stem = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let split = stem.len().checked_sub(STAMP_LEN)?;
    let (code, stamp) = (stem.get(..split)?, stem.get(split..)?);
    let kind = BackupKind::from_code(code.strip_suffix('-')?)?;
    let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
    Some((kind, at))
}

/// Checks that `path` is a whole KTO Desk database this version can open: SQLite's full
/// `integrity_check`, the application id and a schema version not newer than this build.
/// Opens the file read-only and changes nothing.
pub fn check_backup(path: &Path) -> Result<()> {
    let bad = |reason: String| Error::BadBackup {
        path: path.to_path_buf(),
        reason,
    };
    if !path.is_file() {
        return Err(bad("there is no such file".into()));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| bad(format!("it could not be opened ({e})")))?;
    let app_id: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| bad(format!("it is not an SQLite database ({e})")))?;
    if app_id != schema::APPLICATION_ID {
        return Err(bad(format!(
            "it is not a KTO Desk database (application id {app_id:#x})"
        )));
    }
    schema::integrity_check(&conn).map_err(|e| match e {
        Error::Damaged(what) => bad(format!("it failed the integrity check ({what})")),
        other => bad(other.to_string()),
    })?;
    schema::refuse_newer(&conn).map_err(|e| bad(e.to_string()))?;
    Ok(())
}

/// Flushes a file's contents to disk.
fn fsync(path: &Path) -> Result<()> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(Error::file("flush to disk", path))
}

/// Flushes a folder's entries (a rename) to disk; not possible, nor needed, on Windows.
fn fsync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    fsync(dir)?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Removes a file if it exists.
fn remove_if_exists(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::file("remove", path)(e)),
        _ => Ok(()),
    }
}

/// `path` with `suffix` appended to its file name (`x.sqlite3` → `x.sqlite3-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// A hidden temporary file beside `path`.
fn temp_beside(path: &Path, what: &str) -> Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| Error::Conflict(format!("`{}` is not a file path", path.display())))?;
    let mut tmp = std::ffi::OsString::from(".");
    tmp.push(name);
    tmp.push(format!(".{what}.tmp"));
    Ok(path.with_file_name(tmp))
}

/// Removes a temporary database and whatever SQLite left beside it.
fn remove_temp(tmp: &Path) {
    for p in [
        tmp.to_path_buf(),
        with_suffix(tmp, "-wal"),
        with_suffix(tmp, "-shm"),
        with_suffix(tmp, "-journal"),
    ] {
        let _ = fs::remove_file(p);
    }
}

/// What the sidecar `NAME.check.json` of a backup says about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sidecar {
    /// Always `kto-desk-backup-check`.
    pub format: String,
    /// The backup's file name.
    pub file: String,
    pub size_bytes: u64,
    /// SHA-256 of the backup file, 64 lower-case hex digits.
    pub sha256: String,
    /// The head of the backup's audit chain.
    pub audit: AuditAnchor,
    /// When the backup was made.
    pub made_at: DateTime<Utc>,
}

/// The sidecar path of the backup at `backup`.
pub fn sidecar_path(backup: &Path) -> PathBuf {
    with_suffix(backup, SIDECAR_SUFFIX)
}

/// SHA-256 of a file, as lower-case hex, and its size.
fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let mut file = File::open(path).map_err(Error::file("read", path))?;
    let mut h = Sha256::new();
    let size = std::io::copy(&mut file, &mut h).map_err(Error::file("read", path))?;
    Ok((format!("{:x}", h.finalize()), size))
}

/// Writes the sidecar of the finished backup `tmp` (to be renamed to `dest`), fsynced.
fn write_sidecar(tmp: &Path, dest: &Path, audit: AuditAnchor) -> Result<()> {
    let (sha256, size_bytes) = sha256_file(tmp)?;
    let sidecar = Sidecar {
        format: SIDECAR_FORMAT.into(),
        file: dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        size_bytes,
        sha256,
        audit,
        made_at: Utc::now(),
    };
    let path = sidecar_path(dest);
    let staged = temp_beside(&path, "write")?;
    let text = serde_json::to_string_pretty(&sidecar)
        .map_err(|e| Error::Corrupt(format!("writing the backup's sidecar: {e}")))?;
    fs::write(&staged, text).map_err(Error::file("write", &staged))?;
    fsync(&staged)?;
    fs::rename(&staged, &path).map_err(Error::file("write", &path))?;
    Ok(())
}

/// Reads the sidecar of the backup at `backup`; `None` when there is none.
pub fn read_sidecar(backup: &Path) -> Result<Option<Sidecar>> {
    let path = sidecar_path(backup);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::file("read", &path)(e)),
    };
    let sidecar: Sidecar = serde_json::from_str(&text).map_err(|e| Error::BadBackup {
        path: backup.to_path_buf(),
        reason: format!("its check file {} cannot be read ({e})", path.display()),
    })?;
    if sidecar.format != SIDECAR_FORMAT {
        return Err(Error::BadBackup {
            path: backup.to_path_buf(),
            reason: format!("{} is not a KTO Desk backup check file", path.display()),
        });
    }
    Ok(Some(sidecar))
}

/// A store on a file opened read-only, for checks that must change nothing.
fn read_only(path: &Path) -> Result<Store> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(Store {
        conn,
        path: Some(path.to_path_buf()),
        check: None,
    })
}

impl Store {
    /// Writes a checked copy of the database to `dest` (which must not exist yet; its
    /// folder is made when missing) and returns its size in bytes. Works on a database in
    /// memory too.
    pub fn backup_to(&self, dest: &Path) -> Result<u64> {
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(Error::file("create the folder", parent))?;
        }
        if dest.exists() {
            return Err(Error::Conflict(format!(
                "`{}` already exists; a backup never overwrites a file. Choose another name",
                dest.display()
            )));
        }
        let tmp = temp_beside(dest, "backup")?;
        let tmp_str = tmp.to_str().ok_or_else(|| {
            Error::Conflict(format!(
                "`{}`: choose a backup path that is plain text (UTF-8)",
                dest.display()
            ))
        })?;
        remove_temp(&tmp);
        let result = (|| {
            self.conn
                .execute("VACUUM INTO ?1", [tmp_str])
                .map_err(Error::sql("writing the backup"))?;
            fsync(&tmp)?;
            check_backup(&tmp)?;
            let anchor = read_only(&tmp)?.audit_anchor()?;
            write_sidecar(&tmp, dest, anchor)?;
            fs::rename(&tmp, dest).map_err(Error::file("move the finished backup to", dest))?;
            if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
                fsync_dir(dir)?;
            }
            fs::metadata(dest)
                .map(|m| m.len())
                .map_err(Error::file("read the size of", dest))
        })();
        remove_temp(&tmp);
        result
    }

    /// Makes a backup of `kind` in `dir` (created when missing), named by `now`.
    pub fn backup_into(
        &self,
        dir: &Path,
        kind: BackupKind,
        now: DateTime<Utc>,
    ) -> Result<BackupInfo> {
        fs::create_dir_all(dir).map_err(Error::file("create the backup folder", dir))?;
        let name = backup_file_name(kind, now);
        let size_bytes = self.backup_to(&dir.join(&name))?;
        let (kind, created_at) = parse_name(&name).unwrap_or((kind, now));
        Ok(BackupInfo {
            name,
            kind,
            created_at,
            size_bytes,
        })
    }

    /// Closes the database, reporting a failure to close (after which nothing is lost:
    /// SQLite recovers the write-ahead log on the next open).
    pub fn close(self) -> Result<()> {
        self.conn
            .close()
            .map_err(|(_, e)| Error::sql("closing the database")(e))
    }
}

/// The backups in `dir`, newest first; an empty list when the folder does not exist.
pub fn list_backups(dir: &Path) -> Result<Vec<BackupInfo>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::file("read the backup folder", dir)(e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(Error::file("read the backup folder", dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((kind, created_at)) = parse_name(&name) else {
            continue;
        };
        let meta = entry
            .metadata()
            .map_err(Error::file("read the size of", &entry.path()))?;
        if !meta.is_file() {
            continue;
        }
        out.push(BackupInfo {
            name,
            kind,
            created_at,
            size_bytes: meta.len(),
        });
    }
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.name.cmp(&a.name)));
    Ok(out)
}

/// The automatic backups that rotation removes: all but the newest of each of the last
/// [`KEEP_DAILY`] days and the newest of each of the last [`KEEP_WEEKLY`] ISO weeks.
/// Manual and before-restore backups are never pruned.
pub fn backups_to_prune(backups: &[BackupInfo]) -> Vec<String> {
    let mut auto: Vec<&BackupInfo> = backups
        .iter()
        .filter(|b| b.kind == BackupKind::Auto)
        .collect();
    auto.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.name.cmp(&a.name)));
    let mut keep = BTreeSet::new();
    let mut days = BTreeSet::new();
    let mut weeks = BTreeSet::new();
    for b in &auto {
        let day = b.created_at.date_naive();
        if days.len() < KEEP_DAILY && days.insert(day) {
            keep.insert(b.name.clone());
        }
        let week = (day.iso_week().year(), day.iso_week().week());
        if weeks.len() < KEEP_WEEKLY && weeks.insert(week) {
            keep.insert(b.name.clone());
        }
    }
    auto.into_iter()
        .filter(|b| !keep.contains(&b.name))
        .map(|b| b.name.clone())
        .collect()
}

/// Removes the automatic backups in `dir` beyond the rotation; returns their names.
pub fn rotate_backups(dir: &Path) -> Result<Vec<String>> {
    remove_stale_temps(dir)?;
    let prune = backups_to_prune(&list_backups(dir)?);
    for name in &prune {
        remove_if_exists(&dir.join(name))?;
        remove_if_exists(&sidecar_path(&dir.join(name)))?;
    }
    Ok(prune)
}

/// True when `dir` holds no automatic backup made on `now`'s UTC day: the check
/// [`auto_backup`] makes first, cheap enough to run before opening a connection.
pub fn auto_backup_due(dir: &Path, now: DateTime<Utc>) -> Result<bool> {
    let today = now.date_naive();
    Ok(!list_backups(dir)?
        .iter()
        .any(|b| b.kind == BackupKind::Auto && b.created_at.date_naive() == today))
}

/// The daily automatic backup: when `dir` holds no automatic backup of `now`'s (UTC)
/// date, makes one and rotates. Returns the new backup, or `None` when one existed.
pub fn auto_backup(store: &Store, dir: &Path, now: DateTime<Utc>) -> Result<Option<BackupInfo>> {
    if !auto_backup_due(dir, now)? {
        return Ok(None);
    }
    let made = store.backup_into(dir, BackupKind::Auto, now)?;
    rotate_backups(dir)?;
    Ok(Some(made))
}

/// How much of a backup [`prepare_restore`] may take on trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checksum {
    /// The backup must have a sidecar whose SHA-256 matches (every backup KTO Desk
    /// makes has one).
    Required,
    /// A file without a sidecar (made by an earlier version, or elsewhere) is accepted on
    /// its integrity and audit checks alone; one with a sidecar must still match it.
    IfPresent,
}

/// A checked snapshot of a backup beside the live database, ready to replace it. Dropping
/// it without [`PreparedRestore::commit`] removes the snapshot and leaves the office as
/// it was.
#[derive(Debug)]
pub struct PreparedRestore {
    tmp: PathBuf,
    live: PathBuf,
    committed: bool,
}

/// Checks the backup at `backup` and writes a checked snapshot of it beside `live`,
/// changing nothing of the office yet: the SHA-256 against the backup's sidecar (see
/// [`Checksum`]), SQLite's integrity check, then a consistent snapshot (`VACUUM INTO`,
/// with the committed rows of a `-wal` beside the backup), migrated to this version's
/// schema, whose whole audit check ([`Store::verify_audit_with`]) must pass with the
/// sidecar's anchor.
pub fn prepare_restore(backup: &Path, live: &Path, checksum: Checksum) -> Result<PreparedRestore> {
    let bad = |reason: String| Error::BadBackup {
        path: backup.to_path_buf(),
        reason,
    };
    if !backup.is_file() {
        return Err(bad("there is no such file".into()));
    }
    let sidecar = read_sidecar(backup)?;
    let mut anchors = Vec::new();
    match &sidecar {
        None if checksum == Checksum::Required => {
            return Err(bad(format!(
                "it has no check file ({}) to prove it is whole; it was made by an earlier version or elsewhere. \
                 If you trust it, restore it with `kto restore --unverified`",
                sidecar_path(backup).display()
            )))
        }
        None => {}
        Some(side) => {
            let (sha256, size) = sha256_file(backup)?;
            if sha256 != side.sha256 || size != side.size_bytes {
                return Err(bad(format!(
                    "its content is not what was written ({size} bytes with SHA-256 {sha256}, \
                     its check file says {} bytes with SHA-256 {}): it was changed or damaged since",
                    side.size_bytes, side.sha256
                )));
            }
            let wal = with_suffix(backup, "-wal");
            if fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                return Err(bad(format!(
                    "{} beside it would change its content, which the checksum does not cover; move it away",
                    wal.display()
                )));
            }
            anchors.push(FoundAnchor {
                anchor: side.audit.clone(),
                source: format!("its check file {}", sidecar_path(backup).display()),
                signed: false,
                taken_at: Some(side.made_at),
            });
        }
    }
    check_backup(backup)?;
    let tmp = temp_beside(live, "restore")?;
    remove_temp(&tmp);
    let prepared = PreparedRestore {
        tmp: tmp.clone(),
        live: live.to_path_buf(),
        committed: false,
    };
    let tmp_str = tmp.to_str().ok_or_else(|| {
        Error::Conflict(format!(
            "`{}`: the data folder's path must be plain text (UTF-8)",
            live.display()
        ))
    })?;
    read_only(backup)?
        .conn
        .execute("VACUUM INTO ?1", [tmp_str])
        .map_err(|e| bad(format!("a snapshot of it could not be written ({e})")))?;
    fsync(&tmp)?;
    check_backup(&tmp)?;
    let snapshot = Store::open(&tmp).map_err(|e| bad(e.to_string()))?;
    let report = snapshot.verify_audit_with(&anchors, None)?;
    snapshot.close()?;
    remove_temp_companions(&tmp);
    if !report.intact() {
        let first = report
            .problem
            .map(|p| format!("history entry {}: {p}", report.first_broken.unwrap_or(0)))
            .or_else(|| report.findings.first().cloned())
            .unwrap_or_default();
        return Err(bad(format!("its audit check failed ({first})")));
    }
    fsync(&tmp)?;
    Ok(prepared)
}

impl PreparedRestore {
    /// Puts the checked backup `name` in place of the office database, keeping what it
    /// replaces: `current`, the database open on the live file, is first backed up into the
    /// backup folder beside it (a `before-restore` backup) and closed; a live file that does
    /// not open (`None`, safe mode) is moved aside under a dated name. Nothing is replaced
    /// when that step fails. The caller reopens the live file afterwards, whatever the
    /// outcome. The app and `kto restore` both restore through this.
    ///
    /// # Errors
    /// The safety backup, closing, moving aside or the replacement failed.
    pub fn replace(
        self,
        name: &str,
        current: Option<Store>,
        now: DateTime<Utc>,
    ) -> Result<kto_core::backup::RestoreOutcome> {
        let mut outcome = kto_core::backup::RestoreOutcome {
            restored: name.to_owned(),
            moved_aside: None,
            safety_backup: None,
        };
        match current {
            Some(store) => {
                let dir = self
                    .live
                    .parent()
                    .unwrap_or(Path::new("."))
                    .join(BACKUP_DIR_NAME);
                let safety = store.backup_into(&dir, BackupKind::BeforeRestore, now)?;
                outcome.safety_backup = Some(safety.name);
                store.close()?;
            }
            None if self.live.exists() => {
                let aside = move_aside(&self.live, now)?;
                outcome.moved_aside = Some(aside.display().to_string());
            }
            None => {}
        }
        self.commit()?;
        Ok(outcome)
    }

    /// Replaces the live database with the checked snapshot: removes the live file's
    /// `-wal` and `-shm` (which belong to the old file and would corrupt the new one) and
    /// renames the snapshot over it. The store on the live file must be closed.
    pub fn commit(mut self) -> Result<()> {
        remove_if_exists(&with_suffix(&self.live, "-wal"))?;
        remove_if_exists(&with_suffix(&self.live, "-shm"))?;
        fs::rename(&self.tmp, &self.live)
            .map_err(Error::file("replace the database", &self.live))?;
        self.committed = true;
        if let Some(dir) = self.live.parent().filter(|d| !d.as_os_str().is_empty()) {
            fsync_dir(dir)?;
            let record = dir.join(BACKUP_DIR_NAME);
            if fs::create_dir_all(&record).is_ok() {
                let text = serde_json::json!({ "restoredAt": Utc::now() }).to_string();
                let path = record.join(RESTORE_RECORD);
                fs::write(&path, text).map_err(Error::file("write", &path))?;
            }
        }
        Ok(())
    }
}

impl Drop for PreparedRestore {
    fn drop(&mut self) {
        if !self.committed {
            remove_temp(&self.tmp);
        }
    }
}

/// Replaces the database at `live` with the backup at `backup` ([`prepare_restore`] with
/// the checksum required, then [`PreparedRestore::commit`]). The store on `live` must be
/// closed before and reopened after. The old database is replaced: make a backup of it
/// first ([`Store::backup_into`]), or move a damaged one aside ([`move_aside`]).
pub fn restore(backup: &Path, live: &Path) -> Result<()> {
    prepare_restore(backup, live, Checksum::Required)?.commit()
}

/// Removes the hidden temporary files that a killed backup or restore left in `dir`
/// (`.NAME.backup.tmp`, `.NAME.restore.tmp`, `.NAME.write.tmp` and their `-wal`, `-shm`
/// and `-journal`); returns how many were removed.
pub fn remove_stale_temps(dir: &Path) -> Result<usize> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(Error::file("read the folder", dir)(e)),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stem = ["", "-wal", "-shm", "-journal"]
            .iter()
            .find_map(|s| name.strip_suffix(s).filter(|_| !s.is_empty()))
            .unwrap_or(&name);
        let ours = name.starts_with('.')
            && [".backup.tmp", ".restore.tmp", ".write.tmp"]
                .iter()
                .any(|t| stem.ends_with(t));
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            remove_if_exists(&entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// The anchors in the sidecars of the backups in `dir`, and when the office was last
/// restored (from [`RESTORE_RECORD`]).
pub fn backup_anchors(dir: &Path) -> Result<(Vec<FoundAnchor>, Option<DateTime<Utc>>)> {
    let mut anchors = Vec::new();
    for b in list_backups(dir)? {
        let path = dir.join(&b.name);
        if let Ok(Some(side)) = read_sidecar(&path) {
            anchors.push(FoundAnchor {
                anchor: side.audit,
                source: format!("the backup {}", b.name),
                signed: false,
                taken_at: Some(side.made_at),
            });
        }
    }
    let restored_at = fs::read_to_string(dir.join(RESTORE_RECORD))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| {
            v.get("restoredAt")
                .and_then(|s| s.as_str())
                .map(str::to_owned)
        })
        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|d| d.with_timezone(&Utc));
    Ok((anchors, restored_at))
}

impl Store {
    /// The office's whole audit check ([`Store::verify_audit_with`]) against the anchors
    /// in the sidecars of the backups in `backup_dir` and `more` (such as those of signed
    /// submissions).
    pub fn verify_office_audit(
        &self,
        backup_dir: &Path,
        more: &[FoundAnchor],
    ) -> Result<kto_core::backup::AuditReport> {
        let (mut anchors, restored_at) = backup_anchors(backup_dir)?;
        anchors.extend_from_slice(more);
        self.verify_audit_with(&anchors, restored_at)
    }
}

/// Removes what SQLite may leave beside a checked temporary file.
fn remove_temp_companions(tmp: &Path) {
    for suffix in ["-wal", "-shm", "-journal"] {
        let _ = fs::remove_file(with_suffix(tmp, suffix));
    }
}

/// Moves a damaged database (with its `-wal` and `-shm`) aside as
/// `kto-desk.damaged-YYYYMMDD-HHMMSS.sqlite3` in the same folder, so that a restore
/// never overwrites it; returns the new path. Nothing is deleted.
pub fn move_aside(live: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    let stem = live
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "kto-desk".into());
    let mut aside = live.with_file_name(format!(
        "{stem}.damaged-{}.sqlite3",
        now.format("%Y%m%d-%H%M%S")
    ));
    let mut n = 1;
    while aside.exists() {
        n += 1;
        aside = live.with_file_name(format!(
            "{stem}.damaged-{}-{n}.sqlite3",
            now.format("%Y%m%d-%H%M%S")
        ));
    }
    fs::rename(live, &aside).map_err(Error::file("move the damaged database aside", live))?;
    for suffix in ["-wal", "-shm"] {
        let from = with_suffix(live, suffix);
        if from.exists() {
            fs::rename(&from, with_suffix(&aside, suffix))
                .map_err(Error::file("move the damaged database aside", &from))?;
        }
    }
    if let Some(dir) = live.parent().filter(|d| !d.as_os_str().is_empty()) {
        fsync_dir(dir)?;
    }
    Ok(aside)
}

/// The newest backup in `dir` that passes [`check_backup`], if any.
pub fn newest_good_backup(dir: &Path) -> Result<Option<BackupInfo>> {
    Ok(list_backups(dir)?
        .into_iter()
        .find(|b| check_backup(&dir.join(&b.name)).is_ok()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    fn auto(at: DateTime<Utc>) -> BackupInfo {
        BackupInfo {
            name: backup_file_name(BackupKind::Auto, at),
            kind: BackupKind::Auto,
            created_at: at,
            size_bytes: 1,
        }
    }

    #[test]
    fn names_round_trip() {
        let at = Utc.with_ymd_and_hms(2026, 3, 7, 10, 15, 0).unwrap();
        for kind in [
            BackupKind::Auto,
            BackupKind::Manual,
            BackupKind::BeforeRestore,
        ] {
            assert_eq!(parse_name(&backup_file_name(kind, at)), Some((kind, at)));
        }
        assert_eq!(parse_name("kto-desk.sqlite3"), None);
        assert_eq!(parse_name("kto-desk-auto-2026.sqlite3"), None);
        assert_eq!(parse_name("kto-desk-é-20260307-101500000.sqlite3"), None);
    }

    #[test]
    fn rotation_keeps_seven_days_and_four_weeks() {
        // One automatic backup a day for 60 days, two on the newest day.
        let start = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
        let mut all: Vec<BackupInfo> = (0..60)
            .map(|d| auto(start + chrono::Duration::days(d)))
            .collect();
        all.push(auto(
            start + chrono::Duration::days(59) + chrono::Duration::hours(3),
        ));
        all.push(BackupInfo {
            kind: BackupKind::Manual,
            name: backup_file_name(BackupKind::Manual, start),
            ..auto(start)
        });
        let prune = backups_to_prune(&all);
        let kept: Vec<&BackupInfo> = all.iter().filter(|b| !prune.contains(&b.name)).collect();
        let kept_auto: Vec<_> = kept.iter().filter(|b| b.kind == BackupKind::Auto).collect();
        // 7 daily (the newest of 1 Mar .. 23 Feb) plus the newest of 3 earlier weeks.
        let days: BTreeSet<_> = kept_auto
            .iter()
            .map(|b| b.created_at.date_naive())
            .collect();
        assert_eq!(days.len(), kept_auto.len(), "one backup per kept day");
        assert!(kept_auto.len() <= KEEP_DAILY + KEEP_WEEKLY);
        assert!(kept_auto.len() >= KEEP_DAILY);
        let newest = start + chrono::Duration::days(59) + chrono::Duration::hours(3);
        assert!(kept_auto.iter().any(|b| b.created_at == newest));
        assert!(!kept_auto
            .iter()
            .any(|b| b.created_at == start + chrono::Duration::days(59)));
        let weeks: BTreeSet<_> = kept_auto
            .iter()
            .map(|b| b.created_at.date_naive().iso_week())
            .collect();
        assert_eq!(weeks.len(), KEEP_WEEKLY);
        assert!(kept.iter().any(|b| b.kind == BackupKind::Manual));
    }
}
