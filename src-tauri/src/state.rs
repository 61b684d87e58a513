//! What the app holds while it runs: the data folder and the open office database.
//!
//! The database may fail to open (newer schema, damaged file). The app still starts and
//! shows the reason, rather than crashing before the user can read anything.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use kto_store::Store;

use crate::error::{ApiError, ErrorKind};

/// Environment variable naming the data folder (tests and power users).
pub const DATA_DIR_ENV: &str = "KTO_DESK_DATA_DIR";

/// The running app's state, managed by Tauri.
pub struct AppState {
    pub data_dir: PathBuf,
    pub db_path: PathBuf,
    store: Mutex<Result<Store, ApiError>>,
}

impl AppState {
    /// Opens (or creates) the office database in `data_dir`.
    pub fn open(data_dir: &Path) -> AppState {
        let db_path = data_dir.join(kto_store::DB_FILE_NAME);
        let store = std::fs::create_dir_all(data_dir)
            .map_err(ApiError::from)
            .and_then(|()| Store::open(&db_path).map_err(ApiError::from));
        AppState {
            data_dir: data_dir.to_path_buf(),
            db_path,
            store: Mutex::new(store),
        }
    }

    /// Runs `f` with the open store, or returns why there is none.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut guard = self.store.lock().map_err(|_| {
            ApiError::new(
                ErrorKind::Internal,
                "the database lock was poisoned; restart KTO Desk",
            )
        })?;
        match guard.as_mut() {
            Ok(store) => f(store),
            Err(e) => Err(e.clone()),
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
