//! The monitor's files in one office's data folder, and the policies over them. The app
//! and the `kto` CLI both call these, so they find the same key and the same definitions:
//!
//! - `keys/kto-monitor.pub`, `keys/kto-monitor.key`: the signing key in use (the secret
//!   key encrypted with its passphrase);
//! - `keys/retired/kto-monitor-<key id>.{pub,key}`: keys replaced by a newer one. They are
//!   kept, and retired in the store's key registry, so that what they signed stays
//!   verifiable ([`OfficeFolder::replace_key`]);
//! - `monitor/definitions.json`: a newer definition set the office installed; without it
//!   the set shipped with KTO Desk applies ([`OfficeFolder::definitions`]);
//! - `submissions/`: the signed submissions ([`crate::audit::SUBMISSIONS_DIR`]).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use kto_core::monitor::{DefinitionSet, Figure, MonitorOverview, SignedExport};
use kto_store::{NewSigningKey, Store};

use crate::keys::{generate_key_files, load_public_key, load_secret_key};
use crate::monitor::{default_definitions, ExportError, ExportRequest};
use crate::{write_durably, Error, PublicKey, SigningKey};

/// What [`OfficeFolder::sign_year`] needs besides the store.
#[derive(Debug, Clone, Copy)]
pub struct SignYear<'a> {
    /// The reported year.
    pub year: i32,
    /// The passphrase of the office's secret key.
    pub passphrase: &'a str,
    /// Where the files go; `None` for the office's submissions folder.
    pub out_dir: Option<&'a Path>,
    /// Who signs, and when: the file's `created_at` and the stored signing time.
    pub change: &'a kto_core::activity::Change,
    /// Today: the report's date.
    pub today: chrono::NaiveDate,
    /// The report's language.
    pub locale: crate::Locale,
}

/// File name of the office's key pair, without extension.
pub const KEY_NAME: &str = "kto-monitor";

/// One office's data folder (the folder that holds its database).
#[derive(Debug, Clone)]
pub struct OfficeFolder {
    dir: PathBuf,
}

impl OfficeFolder {
    /// The office whose data folder is `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        OfficeFolder { dir: dir.into() }
    }

    /// The office whose database is the file `db`: its data folder is the file's folder.
    pub fn of_database(db: &Path) -> Self {
        let dir = db
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        OfficeFolder::new(dir)
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the key pair lives.
    pub fn keys_dir(&self) -> PathBuf {
        self.dir.join("keys")
    }

    /// The public key in use.
    pub fn public_key_path(&self) -> PathBuf {
        self.keys_dir().join(format!("{KEY_NAME}.pub"))
    }

    /// The secret key in use.
    pub fn secret_key_path(&self) -> PathBuf {
        self.keys_dir().join(format!("{KEY_NAME}.key"))
    }

    /// Where replaced keys are kept.
    pub fn retired_dir(&self) -> PathBuf {
        self.keys_dir().join("retired")
    }

    /// A definition set the office installed.
    pub fn definitions_path(&self) -> PathBuf {
        self.dir.join("monitor").join("definitions.json")
    }

    /// Where signed submissions are written unless another folder is chosen.
    pub fn submissions_dir(&self) -> PathBuf {
        self.dir.join(crate::audit::SUBMISSIONS_DIR)
    }

    /// The definitions that apply: `explicit` when given (a file the user names), else the
    /// set the office installed in `monitor/definitions.json`, else the shipped set.
    ///
    /// # Errors
    /// [`ExportError::Report`] when a file cannot be read, [`ExportError::Monitor`] when it
    /// is not a valid definition set.
    pub fn definitions(&self, explicit: Option<&Path>) -> Result<DefinitionSet, ExportError> {
        let installed = self.definitions_path();
        let path = match explicit {
            Some(p) => p,
            None if installed.exists() => installed.as_path(),
            None => return default_definitions(),
        };
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            action: "read the definition set",
            path: path.to_path_buf(),
            source,
        })?;
        Ok(DefinitionSet::from_json(&text)?)
    }

    /// Signs `year` with the office's key and definitions: the files go to `out_dir`, or
    /// to the submissions folder when none is given ([`crate::monitor::export`] says what
    /// is written and checked).
    ///
    /// # Errors
    /// A wrong passphrase or a missing key before anything is computed; then as
    /// [`crate::monitor::export`].
    pub fn sign_year(
        &self,
        store: &mut Store,
        sign: &SignYear<'_>,
    ) -> Result<SignedExport, ExportError> {
        let key = self.secret_key(sign.passphrase)?;
        let definitions = self.definitions(None)?;
        let out_dir = sign
            .out_dir
            .map_or_else(|| self.submissions_dir(), Path::to_path_buf);
        let request = ExportRequest {
            year: sign.year,
            definitions: &definitions,
            key: &key,
            out_dir: &out_dir,
            signer: &sign.change.actor,
            app_version: env!("CARGO_PKG_VERSION"),
            now: sign.change.at,
            today: sign.today,
            locale: sign.locale,
        };
        crate::monitor::export(store, &request)
    }

    /// The public key in use, `None` before the first key was made.
    ///
    /// # Errors
    /// [`Error::MalformedPublicKey`] or [`Error::Io`] when the file is there but unusable.
    pub fn public_key(&self) -> Result<Option<PublicKey>, Error> {
        let path = self.public_key_path();
        if !path.exists() {
            return Ok(None);
        }
        load_public_key(&path).map(Some)
    }

    /// The secret key in use, opened with `passphrase`.
    ///
    /// # Errors
    /// [`ExportError::NoKey`] before the first key was made; [`Error::EmptyPassphrase`],
    /// [`Error::WrongPassphrase`] or a file error otherwise.
    pub fn secret_key(&self, passphrase: &str) -> Result<SigningKey, ExportError> {
        let path = self.secret_key_path();
        if !path.exists() {
            return Err(ExportError::NoKey);
        }
        if passphrase.is_empty() {
            return Err(Error::EmptyPassphrase.into());
        }
        Ok(load_secret_key(&path, passphrase)?)
    }

    /// Makes a new key pair protected by `passphrase` and registers it in the store. The
    /// key it replaces is moved to `keys/retired/` under its key id and retired in the
    /// registry, so what it signed stays verifiable. When the new key cannot be made, the
    /// old one is put back and nothing is registered.
    ///
    /// # Errors
    /// [`Error::EmptyPassphrase`] or [`Error::WeakPassphrase`] for a passphrase that does
    /// not protect the key; file and store errors otherwise.
    pub fn replace_key(
        &self,
        store: &mut Store,
        passphrase: &str,
        now: DateTime<Utc>,
    ) -> Result<PublicKey, ExportError> {
        if passphrase.is_empty() {
            return Err(Error::EmptyPassphrase.into());
        }
        let dir = self.keys_dir();
        create_dir(&dir)?;
        let moved = self.retire_current(now)?;
        let files = match generate_key_files(&dir, KEY_NAME, passphrase) {
            Ok(files) => files,
            Err(e) => {
                if let Some((public, secret)) = moved {
                    let _ = std::fs::rename(public, self.public_key_path());
                    let _ = std::fs::rename(secret, self.secret_key_path());
                }
                return Err(e.into());
            }
        };
        let public = files.signing_key.public_key();
        store.replace_signing_key(
            &NewSigningKey {
                key_id: public.key_id().to_hex(),
                public_key: public.to_text(),
                fingerprint: public.fingerprint(),
            },
            now,
        )?;
        Ok(public)
    }

    /// Moves the current key pair, if any, to `keys/retired/` under its key id (or the
    /// time, when the public key cannot be read).
    fn retire_current(&self, now: DateTime<Utc>) -> Result<Option<(PathBuf, PathBuf)>, Error> {
        let (public, secret) = (self.public_key_path(), self.secret_key_path());
        if !public.exists() && !secret.exists() {
            return Ok(None);
        }
        let id = load_public_key(&public)
            .map(|k| k.key_id().to_hex())
            .unwrap_or_else(|_| now.format("%Y%m%dT%H%M%S").to_string());
        let dir = self.retired_dir();
        create_dir(&dir)?;
        let moved_public = dir.join(format!("{KEY_NAME}-{id}.pub"));
        let moved_secret = dir.join(format!("{KEY_NAME}-{id}.key"));
        for (from, to) in [(&public, &moved_public), (&secret, &moved_secret)] {
            if from.exists() {
                std::fs::rename(from, to).map_err(|source| Error::Io {
                    action: "retire the old signing key",
                    path: from.clone(),
                    source,
                })?;
            }
        }
        Ok(Some((moved_public, moved_secret)))
    }

    /// Writes the public key in use to `dir` as `kto-monitor-<key id>.pub`, the file the
    /// national monitor registers. The same key written before is left as it is; another
    /// file of that name is never overwritten.
    ///
    /// # Errors
    /// [`ExportError::NoKey`] before the first key was made; [`ExportError::OtherFileThere`]
    /// when a different file has the name; file errors otherwise.
    pub fn export_public_key(&self, dir: &Path) -> Result<PathBuf, ExportError> {
        let public = self.public_key()?.ok_or(ExportError::NoKey)?;
        create_dir(dir)?;
        let target = dir.join(format!("{KEY_NAME}-{}.pub", public.key_id().to_hex()));
        let text = public.to_text();
        match std::fs::read_to_string(&target) {
            Ok(existing) if existing == text => Ok(target),
            Ok(_) => Err(ExportError::OtherFileThere { path: target }),
            Err(_) if target.exists() || target.is_symlink() => {
                Err(ExportError::OtherFileThere { path: target })
            }
            Err(_) => {
                write_durably(&target, text.as_bytes())?;
                Ok(target)
            }
        }
    }
}

fn create_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        action: "create the folder",
        path: dir.to_path_buf(),
        source,
    })
}

/// The figure `code` of a year (letter case ignored: `kto-3` finds `KTO-3`), whose
/// `record_ids` are the records it counts.
///
/// # Errors
/// [`ExportError::NoFigure`], naming the codes there are.
pub fn figure<'a>(overview: &'a MonitorOverview, code: &str) -> Result<&'a Figure, ExportError> {
    let figures = &overview.result.figures;
    figures
        .iter()
        .find(|f| f.code.eq_ignore_ascii_case(code.trim()))
        .ok_or_else(|| ExportError::NoFigure {
            code: code.to_owned(),
            version: overview.result.definition_version.clone(),
            codes: figures
                .iter()
                .map(|f| f.code.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn office() -> (tempfile::TempDir, OfficeFolder, Store) {
        let dir = tempfile::tempdir().unwrap();
        let office = OfficeFolder::new(dir.path());
        let store = Store::open(&dir.path().join("kto-desk.sqlite3")).unwrap();
        (dir, office, store)
    }

    const PASSPHRASE: &str = "correct horse battery staple 42";

    #[test]
    fn a_replaced_key_is_retired_in_its_folder_and_the_registry() {
        let (_dir, office, mut store) = office();
        let now = Utc::now();
        let first = office.replace_key(&mut store, PASSPHRASE, now).unwrap();
        let second = office.replace_key(&mut store, PASSPHRASE, now).unwrap();
        assert_ne!(first.key_id().to_hex(), second.key_id().to_hex());
        let retired = office
            .retired_dir()
            .join(format!("{KEY_NAME}-{}.pub", first.key_id().to_hex()));
        assert_eq!(
            load_public_key(&retired).unwrap().to_text(),
            first.to_text()
        );
        assert_eq!(
            office.public_key().unwrap().unwrap().to_text(),
            second.to_text()
        );
        let keys = store.signing_keys().unwrap();
        assert_eq!(keys.len(), 2, "both keys stay in the registry");
        assert_eq!(
            keys.iter().filter(|k| k.retired_at.is_none()).count(),
            1,
            "only the new key is in use: {keys:?}"
        );
        office.secret_key(PASSPHRASE).unwrap();
    }

    #[test]
    fn a_weak_passphrase_keeps_the_old_key_in_place() {
        let (_dir, office, mut store) = office();
        let first = office
            .replace_key(&mut store, PASSPHRASE, Utc::now())
            .unwrap();
        let e = office
            .replace_key(&mut store, "1234", Utc::now())
            .unwrap_err();
        assert_eq!(e.code(), "weakPassphrase", "{e}");
        assert_eq!(
            office.public_key().unwrap().unwrap().to_text(),
            first.to_text()
        );
        assert_eq!(store.signing_keys().unwrap().len(), 1);
    }

    #[test]
    fn an_installed_definition_set_applies_unless_a_file_is_named() {
        let (dir, office, _store) = office();
        let shipped = office.definitions(None).unwrap();
        let mut installed: serde_json::Value =
            serde_json::from_str(crate::monitor::DEFAULT_DEFINITIONS_JSON).unwrap();
        installed["version"] = "office-2027".into();
        std::fs::create_dir_all(dir.path().join("monitor")).unwrap();
        std::fs::write(office.definitions_path(), installed.to_string()).unwrap();
        assert_eq!(office.definitions(None).unwrap().version, "office-2027");
        let named = dir.path().join("named.json");
        installed["version"] = "named".into();
        std::fs::write(&named, installed.to_string()).unwrap();
        assert_eq!(office.definitions(Some(&named)).unwrap().version, "named");
        assert_ne!(shipped.version, "office-2027");
        std::fs::write(office.definitions_path(), "{").unwrap();
        assert_eq!(office.definitions(None).unwrap_err().code(), "definitions");
    }

    #[test]
    fn a_public_key_export_never_overwrites_another_file() {
        let (dir, office, mut store) = office();
        let out = dir.path().join("out");
        assert!(matches!(
            office.export_public_key(&out),
            Err(ExportError::NoKey)
        ));
        office
            .replace_key(&mut store, PASSPHRASE, Utc::now())
            .unwrap();
        let written = office.export_public_key(&out).unwrap();
        assert_eq!(
            office.export_public_key(&out).unwrap(),
            written,
            "same key twice"
        );
        std::fs::write(&written, "something else").unwrap();
        assert!(matches!(
            office.export_public_key(&out),
            Err(ExportError::OtherFileThere { .. })
        ));
        assert_eq!(std::fs::read_to_string(&written).unwrap(), "something else");
    }
}
