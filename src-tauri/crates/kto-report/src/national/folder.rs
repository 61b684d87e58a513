//! The coordinator's data folder and the policies over it, shared by the app (which keeps
//! it in `<data dir>/national/`) and `kto national --data DIR`:
//!
//! - `national-keys.json`: the registry of the offices' public keys ([`Registry`]);
//! - `coordinator.pub`, `coordinator.key`: the coordinator's own key pair, made once, which
//!   signs the national aggregate;
//! - `benchmark.json`: a newer benchmark of European peers the coordinator installed; without
//!   it the benchmark shipped with KTO Desk applies.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kto_core::monitor::DefinitionSet;

use super::{
    aggregate, check_inbox, known_definitions, shipped_benchmark, BenchmarkSet, InboxReport,
    NationalAggregate, NationalError, NationalResult, Registry, REGISTRY_FILE,
};
use crate::keys::{generate_key_files, load_public_key, load_secret_key};
use crate::{PublicKey, SigningKey};

/// File name of the coordinator's key pair, without extension.
pub const COORDINATOR_KEY: &str = "coordinator";

/// The coordinator's data folder.
#[derive(Debug, Clone)]
pub struct NationalFolder {
    dir: PathBuf,
}

impl NationalFolder {
    /// The coordinator's data folder `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        NationalFolder { dir: dir.into() }
    }

    /// The key registry.
    pub fn registry_path(&self) -> PathBuf {
        self.dir.join(REGISTRY_FILE)
    }

    /// The coordinator's public key.
    pub fn coordinator_public_path(&self) -> PathBuf {
        self.dir.join(format!("{COORDINATOR_KEY}.pub"))
    }

    /// The coordinator's secret key.
    pub fn coordinator_secret_path(&self) -> PathBuf {
        self.dir.join(format!("{COORDINATOR_KEY}.key"))
    }

    /// A benchmark set the coordinator installed.
    pub fn benchmark_path(&self) -> PathBuf {
        self.dir.join("benchmark.json")
    }

    /// The registry; empty before the first key is registered.
    ///
    /// # Errors
    /// [`NationalError::BadRegistry`] for a file that cannot be read as a registry.
    pub fn registry(&self) -> NationalResult<Registry> {
        Registry::load(&self.registry_path())
    }

    /// Registers an office's public key (the text of its `.pub` file) and saves the registry.
    ///
    /// # Errors
    /// As [`Registry::register`]; [`NationalError::Io`] when it cannot be saved.
    pub fn register(
        &self,
        public_key: &str,
        institution_id: &str,
        institution_name: &str,
        today: NaiveDate,
    ) -> NationalResult<Registry> {
        let mut registry = self.registry()?;
        registry.register(public_key, institution_id, institution_name, today)?;
        self.save(&registry)?;
        Ok(registry)
    }

    /// Replaces an institution's key (the old one stays valid up to and including
    /// `last_year`) and saves the registry.
    ///
    /// # Errors
    /// As [`Registry::rotate`]; [`NationalError::Io`] when it cannot be saved.
    pub fn rotate(
        &self,
        institution_id: &str,
        public_key: &str,
        last_year: i32,
        today: NaiveDate,
    ) -> NationalResult<Registry> {
        let mut registry = self.registry()?;
        registry.rotate(institution_id, public_key, last_year, today)?;
        self.save(&registry)?;
        Ok(registry)
    }

    fn save(&self, registry: &Registry) -> NationalResult<()> {
        self.create()?;
        registry.save(&self.registry_path())
    }

    fn create(&self) -> NationalResult<()> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| NationalError::io("create the folder", &self.dir, e))
    }

    /// The coordinator's public key, `None` before it was made.
    ///
    /// # Errors
    /// [`NationalError::Report`] for a key file that cannot be read.
    pub fn coordinator_key(&self) -> NationalResult<Option<PublicKey>> {
        let path = self.coordinator_public_path();
        if !path.exists() {
            return Ok(None);
        }
        Ok(Some(load_public_key(&path)?))
    }

    /// Makes the coordinator's key pair. Made once: a second one is refused, so the key
    /// that signed earlier aggregates is never lost.
    ///
    /// # Errors
    /// [`NationalError::CoordinatorKeyExists`]; passphrase and file errors as
    /// [`generate_key_files`].
    pub fn make_coordinator_key(&self, passphrase: &str) -> NationalResult<PublicKey> {
        if self.coordinator_secret_path().exists() || self.coordinator_public_path().exists() {
            return Err(NationalError::CoordinatorKeyExists);
        }
        self.create()?;
        let files = generate_key_files(&self.dir, COORDINATOR_KEY, passphrase)?;
        Ok(files.signing_key.public_key())
    }

    /// The coordinator's secret key, opened with `passphrase`.
    ///
    /// # Errors
    /// [`NationalError::NoCoordinatorKey`] before it was made; a wrong passphrase as
    /// [`crate::Error::WrongPassphrase`].
    pub fn coordinator_secret(&self, passphrase: &str) -> NationalResult<SigningKey> {
        let path = self.coordinator_secret_path();
        if !path.exists() {
            return Err(NationalError::NoCoordinatorKey);
        }
        Ok(load_secret_key(&path, passphrase)?)
    }

    /// Checks every file in the inbox `folder` against the registry and the known
    /// definition sets.
    ///
    /// # Errors
    /// [`NationalError::NotAFolder`]; a registry that cannot be read; a folder that cannot
    /// be listed.
    pub fn check(&self, folder: &Path) -> NationalResult<InboxReport> {
        if !folder.is_dir() {
            return Err(NationalError::NotAFolder {
                path: folder.to_path_buf(),
            });
        }
        let defs = known_definitions()?;
        check_inbox(folder, &self.registry()?, &defs)
    }

    /// The benchmark of European peers: the installed set, else the shipped one.
    ///
    /// # Errors
    /// [`NationalError::BadBenchmark`] for a set that does not fit `defs`; file errors.
    pub fn benchmark(&self, defs: &DefinitionSet) -> NationalResult<BenchmarkSet> {
        let path = self.benchmark_path();
        if !path.exists() {
            return shipped_benchmark(defs);
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| NationalError::io("read the benchmark set", &path, e))?;
        BenchmarkSet::from_json(&text, defs)
    }
}

/// The national aggregate of what an inbox check accepted.
///
/// # Errors
/// [`NationalError::NothingAccepted`] when it accepted nothing.
pub fn aggregate_accepted(
    report: &InboxReport,
    now: chrono::DateTime<chrono::Utc>,
) -> NationalResult<NationalAggregate> {
    if report.accepted.is_empty() {
        return Err(NationalError::NothingAccepted);
    }
    Ok(aggregate(&report.accepted, &known_definitions()?, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_coordinator_key_is_made_once() {
        let dir = tempfile::tempdir().unwrap();
        let folder = NationalFolder::new(dir.path().join("national"));
        assert!(folder.coordinator_key().unwrap().is_none());
        assert!(matches!(
            folder.coordinator_secret("x"),
            Err(NationalError::NoCoordinatorKey)
        ));
        let public = folder
            .make_coordinator_key("correct horse battery staple 42")
            .unwrap();
        assert_eq!(
            folder.coordinator_key().unwrap().unwrap().to_text(),
            public.to_text()
        );
        assert!(matches!(
            folder.make_coordinator_key("correct horse battery staple 42"),
            Err(NationalError::CoordinatorKeyExists)
        ));
        folder
            .coordinator_secret("correct horse battery staple 42")
            .unwrap();
    }

    #[test]
    fn an_inbox_that_is_not_a_folder_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let folder = NationalFolder::new(dir.path());
        let missing = dir.path().join("inbox");
        let e = folder.check(&missing).unwrap_err();
        assert!(e.to_string().contains("inbox"), "{e}");
        assert_eq!(e.code(), "notAFolder");
    }
}
