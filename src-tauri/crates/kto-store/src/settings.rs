//! Per-installation settings kept in the office database.

use kto_core::settings::{Language, Settings};
use rusqlite::{params, OptionalExtension};

use crate::{Error, Result, Store};

impl Store {
    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(Error::sql("reading the settings"))
    }

    fn put_setting(conn: &rusqlite::Connection, key: &str, value: &str) -> Result<()> {
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )
        .map_err(Error::sql("saving the settings"))?;
        Ok(())
    }

    /// The settings; `default_user` names the author of changes until the user sets a name.
    pub fn settings(&self, default_user: &str) -> Result<Settings> {
        Ok(Settings {
            language: self
                .setting("language")?
                .map(|c| Language::from_code(&c))
                .unwrap_or_default(),
            user_name: self
                .setting("user_name")?
                .unwrap_or_else(|| default_user.to_string()),
        })
    }

    /// Saves the settings.
    pub fn save_settings(&mut self, settings: &Settings) -> Result<()> {
        let name = settings.user_name.trim();
        if name.is_empty() {
            return Err(kto_core::validation::ValidationErrors::one(
                "userName",
                kto_core::validation::Problem::Required,
            )
            .into());
        }
        let tx = self
            .conn
            .transaction()
            .map_err(Error::sql("saving the settings"))?;
        Self::put_setting(&tx, "language", settings.language.code())?;
        Self::put_setting(&tx, "user_name", name)?;
        tx.commit().map_err(Error::sql("saving the settings"))
    }
}
