//! Backups of the office database and restoring them.
//!
//! A backup is made with `VACUUM INTO` a hidden temporary file beside its destination,
//! which is fsynced, opened and checked (`integrity_check`, KTO Desk's application id, a
//! schema this version knows) and only then renamed into place, so a backup file that
//! exists is whole. Backups are named `kto-desk-<kind>-YYYYMMDD-HHMMSSmmm.sqlite3` (UTC);
//! automatic ones are rotated, keeping the newest of each of the last [`KEEP_DAILY`] days
//! and of each of the last [`KEEP_WEEKLY`] ISO weeks.
//!
//! A restore ([`restore`]) checks the chosen backup, copies it to a temporary file beside
//! the live database, fsyncs and checks the copy, removes the live file's stale `-wal` and
//! `-shm`, and renames the copy over the live file: at every moment the live path holds
//! either the old database or the whole restored one. The caller closes the store before
//! and reopens it after.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use kto_core::backup::{BackupInfo, BackupKind};
use rusqlite::{Connection, OpenFlags};

use crate::{schema, Error, Result, Store};

/// The backup folder's name inside the data folder.
pub const BACKUP_DIR_NAME: &str = "backups";
/// Daily generations of automatic backups kept by [`rotate_backups`].
pub const KEEP_DAILY: usize = 7;
/// Weekly generations of automatic backups kept by [`rotate_backups`].
pub const KEEP_WEEKLY: usize = 4;

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

impl Store {
    /// Writes a checked copy of the database to `dest` (which must not exist yet) and
    /// returns its size in bytes. Works on a database in memory too.
    pub fn backup_to(&self, dest: &Path) -> Result<u64> {
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
    let prune = backups_to_prune(&list_backups(dir)?);
    for name in &prune {
        remove_if_exists(&dir.join(name))?;
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

/// Replaces the database at `live` with the backup at `backup`, never leaving a
/// half-written file: checks the backup, copies it to a temporary file beside `live`,
/// fsyncs and checks the copy, removes `live`'s `-wal` and `-shm` (which belong to the
/// old file and would corrupt the new one), and renames the copy over `live`.
///
/// The store on `live` must be closed before and reopened after. The old database is
/// replaced: make a backup of it first ([`Store::backup_into`]), or move a damaged one
/// aside ([`move_aside`]).
pub fn restore(backup: &Path, live: &Path) -> Result<()> {
    check_backup(backup)?;
    let tmp = temp_beside(live, "restore")?;
    remove_temp(&tmp);
    let result = (|| {
        fs::copy(backup, &tmp).map_err(Error::file("copy the backup beside", live))?;
        fsync(&tmp)?;
        check_backup(&tmp)?;
        remove_temp_companions(&tmp);
        remove_if_exists(&with_suffix(live, "-wal"))?;
        remove_if_exists(&with_suffix(live, "-shm"))?;
        fs::rename(&tmp, live).map_err(Error::file("replace the database", live))?;
        if let Some(dir) = live.parent().filter(|d| !d.as_os_str().is_empty()) {
            fsync_dir(dir)?;
        }
        Ok(())
    })();
    remove_temp(&tmp);
    result
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
