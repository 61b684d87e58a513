//! What the app holds while it runs: the data folder and the open office database.
//!
//! The database may fail to open (newer schema, damaged file). The app still starts and
//! shows the reason, rather than crashing before the user can read anything.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use kto_core::backup::RestoreOutcome;
use kto_store::Store;

use crate::error::{ApiError, HostError};

/// Environment variable naming the data folder (tests and power users).
pub const DATA_DIR_ENV: &str = "KTO_DESK_DATA_DIR";

/// A lock that a panicking thread left behind.
pub(crate) fn poisoned() -> ApiError {
    HostError::Internal("the database lock was poisoned; restart KTO Desk".into()).into()
}

/// The running app's state, managed by Tauri.
pub struct AppState {
    pub data_dir: PathBuf,
    pub db_path: PathBuf,
    store: Mutex<Result<Store, ApiError>>,
    /// The database failed its check at start-up: the app runs in safe mode and offers
    /// the newest good backup.
    damaged: std::sync::atomic::AtomicBool,
    /// The paths the web view may name for writing (`paths.rs`).
    pub grants: crate::paths::PathGrants,
}

impl AppState {
    /// Opens (or creates) the office database in `data_dir`, then starts the day's
    /// automatic backup into `<data_dir>/backups/` in the background if there is none yet.
    pub fn open(data_dir: &Path) -> AppState {
        let db_path = data_dir.join(kto_store::DB_FILE_NAME);
        let opened = std::fs::create_dir_all(data_dir)
            .map_err(kto_store::Error::file("create the data folder", data_dir))
            .and_then(|()| Store::open_checking_in_background(&db_path));
        // What killed backups and restores left behind; a failure to remove it is no
        // reason not to start.
        for dir in [
            data_dir.to_path_buf(),
            data_dir.join(kto_store::BACKUP_DIR_NAME),
        ] {
            if let Err(e) = kto_store::remove_stale_temps(&dir) {
                eprintln!("kto-desk: could not clean up {}: {e}", dir.display());
            }
        }
        let damaged = matches!(
            opened,
            Err(kto_store::Error::Damaged(_) | kto_store::Error::Corrupt(_))
        );
        if opened.is_ok() {
            // The daily backup runs on its own connection beside the app (WAL lets it
            // read while the app works), ten seconds after start, so a large office
            // opens without waiting for it.
            // A failed backup must not keep the office from working; it is logged.
            let dir = data_dir.join(kto_store::BACKUP_DIR_NAME);
            let path = db_path.clone();
            std::thread::spawn(move || {
                // Once a day, and not while the window is starting up.
                match kto_store::auto_backup_due(&dir, chrono::Utc::now()) {
                    Ok(false) => return,
                    Ok(true) => std::thread::sleep(std::time::Duration::from_secs(10)),
                    Err(_) => {}
                }
                let made = Store::open(&path)
                    .and_then(|store| kto_store::auto_backup(&store, &dir, chrono::Utc::now()));
                if let Err(e) = made {
                    eprintln!(
                        "kto-desk: the daily backup into {} failed: {e}",
                        dir.display()
                    );
                }
            });
        }
        let grants = crate::paths::PathGrants::default();
        grants.grant(data_dir);
        AppState {
            data_dir: data_dir.to_path_buf(),
            db_path,
            store: Mutex::new(opened.map_err(ApiError::from)),
            damaged: damaged.into(),
            grants,
        }
    }

    /// The backup folder.
    pub fn backup_dir(&self) -> PathBuf {
        self.data_dir.join(kto_store::BACKUP_DIR_NAME)
    }

    /// True in safe mode: the database failed its check at start-up.
    pub fn damaged(&self) -> bool {
        self.damaged.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Replaces the office database with the backup `name` from the backup folder, after
    /// checking it (`kto_store::prepare_restore`, then `PreparedRestore::replace`: the open
    /// database is backed up first, a damaged one moved aside). The database is then
    /// reopened; on failure the reason is kept as at start-up.
    pub fn restore_backup(&self, name: &str) -> Result<RestoreOutcome, ApiError> {
        let dir = self.backup_dir();
        let known = kto_store::list_backups(&dir)?
            .into_iter()
            .any(|b| b.name == name);
        if !known {
            return Err(HostError::NoSuchBackup {
                name: name.to_owned(),
                folder: dir,
            }
            .into());
        }
        let backup = dir.join(name);
        // Everything is checked into a snapshot before the office is touched; a refused
        // restore changes nothing.
        let prepared =
            kto_store::prepare_restore(&backup, &self.db_path, kto_store::Checksum::Required)?;
        let mut guard = self.lock()?;
        let closing = HostError::Closed("restored").into();
        let current = std::mem::replace(&mut *guard, Err(closing)).ok();
        let restored = prepared.replace(name, current, chrono::Utc::now());
        *guard = Store::open(&self.db_path).map_err(ApiError::from);
        let outcome = restored?;
        if let Err(e) = guard.as_ref() {
            return Err(e.clone());
        }
        self.damaged
            .store(false, std::sync::atomic::Ordering::SeqCst);
        Ok(outcome)
    }

    /// Makes this installation a laptop of the office in `folder` (see
    /// `kto_store::Store::join_office`); only while its own office is empty. The open
    /// database is closed for it and reopened after, whatever the outcome.
    pub fn join_office(
        &self,
        folder: &Path,
        name: &str,
    ) -> Result<kto_core::sync::SyncReport, ApiError> {
        let mut guard = self.lock()?;
        if let Ok(store) = guard.as_ref() {
            if !store.is_empty()? {
                return Err(HostError::OfficeNotEmpty.into());
            }
        }
        let closing = HostError::Closed("joined").into();
        if let Ok(store) = std::mem::replace(&mut *guard, Err(closing)) {
            if let Err(e) = store.close() {
                *guard = Store::open(&self.db_path).map_err(ApiError::from);
                return Err(e.into());
            }
        }
        match Store::join_office(folder, &self.db_path, name) {
            Ok((store, report)) => {
                *guard = Ok(store);
                Ok(report)
            }
            Err(e) => {
                *guard = Store::open(&self.db_path).map_err(ApiError::from);
                Err(e.into())
            }
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Result<Store, ApiError>>, ApiError> {
        self.store.lock().map_err(|_| poisoned())
    }

    /// Runs `f` with the open store, or returns why there is none.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut guard = self.store.lock().map_err(|_| poisoned())?;
        let (out, damage) = match guard.as_mut() {
            Err(e) => return Err(e.clone()),
            Ok(store) => match self.damage_found(store) {
                Some(e) => (Err(e.clone()), Some(e)),
                None => {
                    let out = f(store);
                    // A write refused because the start-up check found damage meanwhile.
                    let damage = out.as_ref().err().and_then(|_| self.damage_found(store));
                    (out, damage)
                }
            },
        };
        if let Some(e) = damage {
            // The store is closed without writing; the app is now in safe mode.
            *guard = Err(e.clone());
            return Err(e);
        }
        out
    }

    /// The error of a start-up check that failed after the office was opened: the app
    /// then goes into safe mode, as when the damage is found before opening.
    fn damage_found(&self, store: &Store) -> Option<ApiError> {
        match store.startup_check() {
            kto_store::StartupCheck::Failed(reason) => {
                self.damaged
                    .store(true, std::sync::atomic::Ordering::SeqCst);
                Some(kto_store::Error::Damaged(reason).into())
            }
            _ => None,
        }
    }

    /// Why the database could not be opened, if it could not.
    pub fn open_error(&self) -> Option<ApiError> {
        self.store
            .lock()
            .ok()
            .and_then(|g| g.as_ref().err().cloned())
    }
}
