//! The coordinator's key registry: which public key signs for which institution, and
//! for which years.
//!
//! Stored as one JSON file in the coordinator's data folder (`national-keys.json`),
//! replaced atomically with [`crate::write_durably`] on every change, so a crash leaves
//! the old or the new registry, never half of one.
//!
//! Rules: a key (by fingerprint, and by the key id a signature names) is registered
//! once, for one institution; an institution has at most one *active* key. Rotation
//! retires the active key after a last year and registers the new one: the retired key
//! stays valid for the years up to and including its last year, so the submissions it
//! signed keep verifying, and the new key is valid for every year (an office signs
//! corrections of earlier years with its current key).

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::error::{NationalError, NationalResult};
use crate::keys::PublicKey;
use crate::submission::validate_institution_id;

/// File name of the registry in the coordinator's data folder.
pub const REGISTRY_FILE: &str = "national-keys.json";

/// Format version of the registry file.
pub const REGISTRY_FORMAT: u32 = 1;

/// One registered public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct RegisteredKey {
    /// Institution id, as offices write it into their submissions (`tue`).
    pub institution_id: String,
    /// The institution's name.
    pub institution_name: String,
    /// Minisign key id, 16 hex digits as `minisign` prints it.
    pub key_id: String,
    /// SHA-256 of the public key.
    pub fingerprint: String,
    /// The `.pub` text.
    pub public_key: String,
    /// When the coordinator registered it.
    pub registered_on: NaiveDate,
    /// `None` while active; otherwise the last reported year the key may sign for.
    pub last_year: Option<i32>,
}

impl RegisteredKey {
    /// True when the key may sign a submission of `year`.
    pub fn valid_for(&self, year: i32) -> bool {
        self.last_year.is_none_or(|last| year <= last)
    }
}

/// The registry: every key ever registered, retired ones included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    /// Always [`REGISTRY_FORMAT`].
    pub format: u32,
    /// The keys, in the order registered.
    pub keys: Vec<RegisteredKey>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Registry {
            format: REGISTRY_FORMAT,
            keys: Vec::new(),
        }
    }

    /// Reads the registry at `path`; a missing file is an empty registry.
    ///
    /// # Errors
    /// [`NationalError::Io`] when the file cannot be read; [`NationalError::BadRegistry`]
    /// when it is not a registry of a known format or breaks its rules.
    pub fn load(path: &Path) -> NationalResult<Self> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Registry::new()),
            Err(e) => return Err(NationalError::io("read the key registry", path, e)),
        };
        let bad = |reason: String| NationalError::BadRegistry {
            path: path.to_path_buf(),
            reason,
        };
        let registry: Registry = serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
        if registry.format != REGISTRY_FORMAT {
            return Err(bad(format!(
                "it has format {}, this version of KTO Desk reads format {REGISTRY_FORMAT}",
                registry.format
            )));
        }
        for key in &registry.keys {
            let parsed = PublicKey::from_text(&key.public_key).map_err(|e| bad(e.to_string()))?;
            if parsed.fingerprint() != key.fingerprint || parsed.key_id().to_hex() != key.key_id {
                return Err(bad(format!(
                    "the key of {} does not match its recorded id and fingerprint",
                    key.institution_id
                )));
            }
        }
        Ok(registry)
    }

    /// Writes the registry to `path` atomically and durably.
    ///
    /// # Errors
    /// [`NationalError::Report`] with the I/O error when it cannot be written (the old
    /// file is then unchanged).
    pub fn save(&self, path: &Path) -> NationalResult<()> {
        let mut bytes =
            serde_json::to_vec_pretty(self).map_err(|e| NationalError::BadRegistry {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        bytes.push(b'\n');
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| NationalError::io("create the folder of the key registry", dir, e))?;
        }
        crate::write_durably(path, &bytes)?;
        Ok(())
    }

    /// Registers an institution's first key (or a key after all its keys were retired).
    ///
    /// # Errors
    /// [`NationalError::KeyAlreadyRegistered`] for a key registered before (for this or
    /// another institution); [`NationalError::KeyIdTaken`]; [`NationalError::InstitutionHasKey`]
    /// when the institution has an active key (rotate instead);
    /// [`NationalError::NameMismatch`]; [`NationalError::InvalidInstitution`];
    /// [`NationalError::Report`] for text that is not a minisign public key.
    pub fn register(
        &mut self,
        public_key_text: &str,
        institution_id: &str,
        institution_name: &str,
        today: NaiveDate,
    ) -> NationalResult<&RegisteredKey> {
        let entry = self.new_entry(public_key_text, institution_id, institution_name, today)?;
        if let Some(active) = self.active_key(institution_id) {
            return Err(NationalError::InstitutionHasKey {
                institution_id: institution_id.to_owned(),
                key_id: active.key_id.clone(),
            });
        }
        self.keys.push(entry);
        Ok(&self.keys[self.keys.len() - 1])
    }

    /// Replaces an institution's active key: the old one stays valid for the years up
    /// to and including `last_year`, the new one is valid for every year.
    ///
    /// # Errors
    /// [`NationalError::NoActiveKey`] when the institution has no active key; otherwise
    /// as [`Registry::register`].
    pub fn rotate(
        &mut self,
        institution_id: &str,
        public_key_text: &str,
        last_year: i32,
        today: NaiveDate,
    ) -> NationalResult<&RegisteredKey> {
        let name = self
            .active_key(institution_id)
            .map(|k| k.institution_name.clone())
            .ok_or_else(|| NationalError::NoActiveKey {
                institution_id: institution_id.to_owned(),
            })?;
        let entry = self.new_entry(public_key_text, institution_id, &name, today)?;
        if let Some(active) = self
            .keys
            .iter_mut()
            .find(|k| k.institution_id == institution_id && k.last_year.is_none())
        {
            active.last_year = Some(last_year);
        }
        self.keys.push(entry);
        Ok(&self.keys[self.keys.len() - 1])
    }

    /// The institution's active key, if any.
    pub fn active_key(&self, institution_id: &str) -> Option<&RegisteredKey> {
        self.keys
            .iter()
            .find(|k| k.institution_id == institution_id && k.last_year.is_none())
    }

    /// The registered key with this minisign key id.
    pub fn by_key_id(&self, key_id: &str) -> Option<&RegisteredKey> {
        self.keys.iter().find(|k| k.key_id == key_id)
    }

    /// The registered name of an institution, if it has any key.
    pub fn institution_name(&self, institution_id: &str) -> Option<&str> {
        self.keys
            .iter()
            .find(|k| k.institution_id == institution_id)
            .map(|k| k.institution_name.as_str())
    }

    fn new_entry(
        &self,
        public_key_text: &str,
        institution_id: &str,
        institution_name: &str,
        today: NaiveDate,
    ) -> NationalResult<RegisteredKey> {
        validate_institution_id(institution_id)
            .map_err(|_| NationalError::InvalidInstitution(format!("institution id `{institution_id}` must be 1–64 ASCII letters, digits, `.`, `_` or `-`, as the office writes it in its submission")))?;
        let name = institution_name.trim();
        if name.is_empty() {
            return Err(NationalError::InvalidInstitution(format!(
                "the name of {institution_id} is empty; give the institution's full name"
            )));
        }
        if let Some(registered) = self.institution_name(institution_id) {
            if registered != name {
                return Err(NationalError::NameMismatch {
                    institution_id: institution_id.to_owned(),
                    registered: registered.to_owned(),
                    given: name.to_owned(),
                });
            }
        }
        let key = PublicKey::from_text(public_key_text)?;
        let fingerprint = key.fingerprint();
        let key_id = key.key_id().to_hex();
        if let Some(same) = self.keys.iter().find(|k| k.fingerprint == fingerprint) {
            return Err(NationalError::KeyAlreadyRegistered {
                key_id,
                institution_id: same.institution_id.clone(),
                institution_name: same.institution_name.clone(),
            });
        }
        if let Some(other) = self.by_key_id(&key_id) {
            return Err(NationalError::KeyIdTaken {
                key_id,
                institution_id: other.institution_id.clone(),
            });
        }
        Ok(RegisteredKey {
            institution_id: institution_id.to_owned(),
            institution_name: name.to_owned(),
            key_id,
            fingerprint,
            public_key: key.to_text(),
            registered_on: today,
            last_year: None,
        })
    }
}
