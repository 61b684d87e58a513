//! The start-up check of an office that is already up to date, run beside the first screen.
//!
//! `quick_check` reads the whole file: seconds for a large office on a cold disk. The app
//! needs it before it writes (nothing may be written into a damaged file), not before it
//! reads. [`Store::open_checking_in_background`] therefore opens the file, starts the check
//! on a second, read-only connection, and holds every commit until the check has passed;
//! when it fails, the commit is rolled back and the store reports the damage.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};

use rusqlite::{Connection, OpenFlags};

use crate::{schema, Error, Result, Store};

/// Where the start-up check of an open store stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartupCheck {
    /// Still reading the file; commits wait for it.
    Running,
    /// The file passed (or was checked before it was opened).
    Passed,
    /// The file is damaged: what `quick_check` reported. Nothing is committed any more.
    Failed(String),
}

/// The check's outcome, shared by the checking thread and the connection's commit hook.
#[derive(Debug)]
pub(crate) struct BackgroundCheck {
    state: Mutex<StartupCheck>,
    done: Condvar,
}

impl BackgroundCheck {
    pub(crate) fn state(&self) -> StartupCheck {
        self.state
            .lock()
            .map(|s| s.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    fn finish(&self, outcome: StartupCheck) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        *s = outcome;
        self.done.notify_all();
    }

    /// Blocks until the check is done and returns its outcome.
    fn wait(&self) -> StartupCheck {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        while *s == StartupCheck::Running {
            s = self.done.wait(s).unwrap_or_else(|p| p.into_inner());
        }
        s.clone()
    }

    fn wait_passed(&self) -> bool {
        self.wait() == StartupCheck::Passed
    }
}

/// A way to wait for a store's start-up check without holding the store.
#[derive(Debug, Clone)]
pub struct StartupCheckHandle(Arc<BackgroundCheck>);

impl StartupCheckHandle {
    /// Blocks until the check is done and returns its outcome.
    pub fn wait(&self) -> StartupCheck {
        self.0.wait()
    }
}

/// `quick_check` of the file at `path` on its own read-only connection.
fn quick_check(path: &Path) -> StartupCheck {
    let checked = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::Damaged(e.to_string()))
        .and_then(|conn| schema::check_file(&conn));
    match checked {
        Ok(()) => StartupCheck::Passed,
        Err(Error::Damaged(reason)) => StartupCheck::Failed(reason),
        Err(e) => StartupCheck::Failed(e.to_string()),
    }
}

impl Store {
    /// Opens the database at `path` like [`Store::open`], except that an existing file at
    /// the latest schema is checked with `quick_check` in the background: the first screen
    /// can be read at once, and every commit waits until the check has passed (and is
    /// rolled back if it fails). A new file, or one that needs migrating, is checked first
    /// as [`Store::open`] does, because migrating writes.
    pub fn open_checking_in_background(path: &Path) -> Result<Store> {
        let existed = path.metadata().map(|m| m.len() > 0).unwrap_or(false);
        if !existed {
            return Store::open(path);
        }
        let conn = Connection::open(path).map_err(|source| Error::Open {
            path: path.to_path_buf(),
            source,
        })?;
        // Anything unusual (a foreign or newer file, pending migrations, an unreadable
        // schema) takes the careful path, which checks first and explains what it finds.
        let current = schema::check_identity(&conn)
            .and_then(|()| schema::user_version(&conn))
            .is_ok_and(|v| v == schema::LATEST_VERSION);
        if !current {
            drop(conn);
            return Store::open(path);
        }
        schema::configure(&conn)?;
        let check = Arc::new(BackgroundCheck {
            state: Mutex::new(StartupCheck::Running),
            done: Condvar::new(),
        });
        let gate = Arc::clone(&check);
        // Returning true turns the commit into a rollback.
        conn.commit_hook(Some(move || !gate.wait_passed()))
            .map_err(Error::sql("holding writes until the start-up check"))?;
        let checker = Arc::clone(&check);
        let file = path.to_path_buf();
        std::thread::Builder::new()
            .name("kto-startup-check".into())
            .spawn(move || checker.finish(quick_check(&file)))
            .map_err(Error::file("start the integrity check", path))?;
        Ok(Store {
            conn,
            path: Some(path.to_path_buf()),
            check: Some(check),
        })
    }

    /// A handle to wait for the start-up check on another thread; `None` when the store
    /// was checked before it opened.
    pub fn startup_check_handle(&self) -> Option<StartupCheckHandle> {
        self.check.clone().map(StartupCheckHandle)
    }

    /// Where the start-up check stands; [`StartupCheck::Passed`] for a store opened with
    /// [`Store::open`], which checks before it returns.
    pub fn startup_check(&self) -> StartupCheck {
        self.check
            .as_ref()
            .map_or(StartupCheck::Passed, |c| c.state())
    }
}
