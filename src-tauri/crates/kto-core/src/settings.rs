//! Per-installation preferences.

use serde::{Deserialize, Serialize};

/// The language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Language {
    #[default]
    En,
    Nl,
}

impl Language {
    /// The stable code stored in the database (a BCP 47 language tag).
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Nl => "nl",
        }
    }

    /// Parses a stored code; unknown codes fall back to English.
    pub fn from_code(code: &str) -> Self {
        match code {
            "nl" => Language::Nl,
            _ => Language::En,
        }
    }
}

/// The settings the user can change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Settings {
    pub language: Language,
    /// The name recorded as the author of every change.
    pub user_name: String,
}

impl Settings {
    /// The settings before any were saved: the default language, changes by `user_name`.
    pub fn of_user(user_name: String) -> Self {
        Settings {
            language: Language::default(),
            user_name,
        }
    }
}
