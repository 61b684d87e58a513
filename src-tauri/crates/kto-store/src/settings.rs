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
        let tx = self.begin("saving the settings")?;
        Self::put_setting(&tx, "language", settings.language.code())?;
        Self::put_setting(&tx, "user_name", name)?;
        tx.commit().map_err(Error::sql("saving the settings"))
    }

    /// The monitor settings: institution id and name (empty until set) and the first day
    /// of the financial year (1 January until set).
    pub fn monitor_settings(&self) -> Result<kto_core::monitor::MonitorSettings> {
        use kto_core::monitor::FinancialYearStart;
        let start = match self.setting("financial_year_start")? {
            None => FinancialYearStart::default(),
            Some(s) => s
                .split_once('-')
                .and_then(|(m, d)| {
                    Some(FinancialYearStart {
                        month: m.parse().ok()?,
                        day: d.parse().ok()?,
                    })
                })
                .ok_or_else(|| Error::Corrupt(format!("financial year start '{s}'")))?,
        };
        Ok(kto_core::monitor::MonitorSettings {
            institution_id: self.setting("institution_id")?.unwrap_or_default(),
            institution_name: self.setting("institution_name")?.unwrap_or_default(),
            financial_year_start: start,
        })
    }

    /// Saves the monitor settings. An empty institution id or name is allowed (not set
    /// yet); a non-empty id must be 1–64 ASCII letters, digits, `.`, `_` or `-` (it goes
    /// into the signature's trusted comment); the financial year must start on a day that
    /// exists in every year.
    pub fn save_monitor_settings(
        &mut self,
        settings: &kto_core::monitor::MonitorSettings,
    ) -> Result<()> {
        use kto_core::validation::{Problem, ValidationErrors};
        let id = settings.institution_id.trim();
        let name = settings.institution_name.trim();
        let mut errors = ValidationErrors::default();
        let id_ok = id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !id_ok {
            errors.add("institutionId", Problem::Invalid);
        }
        if name.chars().count() > 300 {
            errors.add("institutionName", Problem::TooLong { max: 300 });
        }
        let start = settings.financial_year_start;
        if kto_core::monitor::reporting_period(2026, start).is_err() {
            errors.add("financialYearStart", Problem::Invalid);
        }
        errors.into_result(())?;
        let tx = self.begin("saving the monitor settings")?;
        Self::put_setting(&tx, "institution_id", id)?;
        Self::put_setting(&tx, "institution_name", name)?;
        Self::put_setting(
            &tx,
            "financial_year_start",
            &format!("{:02}-{:02}", start.month, start.day),
        )?;
        tx.commit()
            .map_err(Error::sql("saving the monitor settings"))
    }
}
