//! Where commands may write when the web view names a path. The web view is treated as
//! untrusted: a path it sends is accepted only when the user picked it in the native
//! dialog in this run (`choose_folder`, `choose_save_file`), the app itself suggested it
//! in this run, or the user confirmed a typed path in the app (the command is sent again
//! with `confirmed`). It must be a full path without `..`, and an existing file is never
//! overwritten. Every command that writes to a path from the web view calls
//! [`PathGrants::check`], so the rule lives here only.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::error::{ApiError, HostError};

/// What a command writes at the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A folder (created when missing) that files are written into.
    Folder,
    /// One new file; it must not exist yet.
    NewFile,
    /// A folder that exists, which files are read from.
    ExistingFolder,
}

/// The paths the user picked in the native dialog, or the app suggested, in this run;
/// and the files the app wrote in this run, which the web view may ask to open.
#[derive(Debug, Default)]
pub struct PathGrants {
    granted: Mutex<HashSet<PathBuf>>,
    written: Mutex<HashSet<PathBuf>>,
}

/// The home folder.
pub fn home_dir() -> Result<PathBuf, ApiError> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| HostError::NoHomeFolder.into())
}

/// Opens `path` with the system's program for it (a folder with the file manager).
pub fn open(path: &Path) -> Result<(), ApiError> {
    opener::open(path).map_err(|e| {
        HostError::NoProgram {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }
        .into()
    })
}

/// A typed path as a full path: `~/` expanded, surrounding spaces removed. Refuses an
/// empty or relative path, one with `..` and one with a NUL character.
pub fn full_path(typed: &str) -> Result<PathBuf, ApiError> {
    let typed = typed.trim();
    let path = match typed
        .strip_prefix("~/")
        .or_else(|| typed.strip_prefix("~\\"))
    {
        Some(rest) => home_dir()?.join(rest),
        None => PathBuf::from(typed),
    };
    if typed.is_empty() || !path.is_absolute() {
        let example = home_dir().map_or_else(
            |_| "your Documents folder".into(),
            |h| h.join("Documents").display().to_string(),
        );
        return Err(HostError::NotFullPath {
            typed: typed.to_owned(),
            example,
        }
        .into());
    }
    if typed.contains('\0') || path.components().any(|c| c == Component::ParentDir) {
        return Err(HostError::ClimbsUp {
            typed: typed.to_owned(),
        }
        .into());
    }
    Ok(path)
}

impl PathGrants {
    /// [`PathGrants::check`] for a path the user may leave empty: `None` when it is
    /// (the command then does what it does without a path).
    pub fn check_optional(
        &self,
        typed: &Option<String>,
        target: Target,
        confirmed: bool,
    ) -> Result<Option<PathBuf>, ApiError> {
        match typed.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(t) => self.check(t, target, confirmed).map(Some),
        }
    }

    /// Records a path the user picked in the native dialog, or that the app suggested.
    pub fn grant(&self, path: &Path) {
        let mut granted = self.granted.lock().unwrap_or_else(|p| p.into_inner());
        granted.insert(path.to_path_buf());
    }

    fn granted(&self, path: &Path) -> bool {
        let granted = self.granted.lock().unwrap_or_else(|p| p.into_inner());
        granted.contains(path)
            || granted
                .iter()
                .any(|g| path.parent() == Some(g.as_path()) && g.is_dir())
    }

    /// Records files the app has just written (a signed submission, its report, an
    /// export), so that the user can open them with one click.
    pub fn wrote<'a>(&self, paths: impl IntoIterator<Item = &'a Path>) {
        let mut written = self.written.lock().unwrap_or_else(|p| p.into_inner());
        written.extend(paths.into_iter().map(Path::to_path_buf));
    }

    /// The file, or with `folder` the folder it is in, that the web view asks to open:
    /// only a file the app wrote in this run, so a web view cannot make the system open
    /// an arbitrary path or program.
    pub fn openable(&self, typed: &str, folder: bool) -> Result<PathBuf, ApiError> {
        let path = full_path(typed)?;
        let written = self.written.lock().unwrap_or_else(|p| p.into_inner());
        if !written.contains(&path) {
            return Err(HostError::NotWrittenHere { path }.into());
        }
        if !path.is_file() {
            return Err(HostError::Gone { path }.into());
        }
        Ok(match (folder, path.parent()) {
            (true, Some(parent)) => parent.to_path_buf(),
            _ => path,
        })
    }

    /// The one rule for a path sent by the web view: a full path ([`full_path`]); picked
    /// in the native dialog or suggested by the app in this run, or `confirmed` by the
    /// user (else an error of kind `confirm`, for the UI to ask and send again); and for
    /// a [`Target::NewFile`], a file that does not exist yet (nothing is overwritten).
    pub fn check(&self, typed: &str, target: Target, confirmed: bool) -> Result<PathBuf, ApiError> {
        let path = full_path(typed)?;
        if !confirmed && !self.granted(&path) {
            return Err(HostError::NotChosen { path }.into());
        }
        if confirmed {
            // Asked once per path and run.
            self.grant(&path);
        }
        match target {
            Target::NewFile if path.exists() || path.is_symlink() => {
                Err(HostError::FileExists { path }.into())
            }
            Target::Folder | Target::ExistingFolder if path.exists() && !path.is_dir() => {
                Err(HostError::NotAFolder { path }.into())
            }
            Target::ExistingFolder if !path.exists() => {
                Err(HostError::NoSuchFolder { path }.into())
            }
            _ => Ok(path),
        }
    }
}

/// `dir/name`, or `dir/stem-2.ext`, `dir/stem-3.ext` … when that exists: a new file for
/// a default export, so that nothing is overwritten.
pub fn fresh_file(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = match name.find('.') {
        Some(i) => (&name[..i], &name[i..]),
        None => (name, ""),
    };
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn relative_and_climbing_paths_are_refused() {
        for typed in ["exports", "./x", "", "  ", "/tmp/../etc/x"] {
            let err = full_path(typed).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Validation, "{typed}");
        }
    }

    #[test]
    fn a_path_nobody_picked_needs_confirmation_and_a_picked_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let grants = PathGrants::default();
        let target = dir.path().join("export");
        let typed = target.display().to_string();
        let err = grants.check(&typed, Target::Folder, false).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Confirm);
        assert_eq!(grants.check(&typed, Target::Folder, true).unwrap(), target);
        grants.grant(&target);
        assert_eq!(grants.check(&typed, Target::Folder, false).unwrap(), target);
    }

    #[test]
    fn an_existing_file_is_never_overwritten_even_when_confirmed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backup.sqlite3");
        std::fs::write(&file, b"keep me").unwrap();
        let grants = PathGrants::default();
        grants.grant(&file);
        let err = grants
            .check(&file.display().to_string(), Target::NewFile, true)
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Conflict);
        assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
    }

    #[test]
    fn only_files_the_app_wrote_are_opened() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("kto-national-2025.pdf");
        std::fs::write(&report, b"%PDF").unwrap();
        let grants = PathGrants::default();
        let typed = report.display().to_string();
        let err = grants.openable(&typed, false).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation);
        assert!(
            err.message.contains("only files it wrote"),
            "{}",
            err.message
        );
        // A folder the user picked is not a file the app wrote.
        grants.grant(dir.path());
        assert!(grants
            .openable(&dir.path().display().to_string(), false)
            .is_err());
        grants.wrote([report.as_path()]);
        assert_eq!(grants.openable(&typed, false).unwrap(), report);
        assert_eq!(grants.openable(&typed, true).unwrap(), dir.path());
        // Nor a program beside it, nor a climb out of the folder.
        let other = dir.path().join("run.sh").display().to_string();
        assert!(grants.openable(&other, false).is_err());
        let climb = format!("{}/../{}", dir.path().display(), "kto-national-2025.pdf");
        assert!(grants.openable(&climb, false).is_err());
        std::fs::remove_file(&report).unwrap();
        assert_eq!(
            grants.openable(&typed, false).unwrap_err().kind,
            ErrorKind::NotFound
        );
    }

    #[test]
    fn default_exports_get_a_fresh_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a-term-sheet.pdf"), b"1").unwrap();
        assert_eq!(
            fresh_file(dir.path(), "a-term-sheet.pdf"),
            dir.path().join("a-term-sheet-2.pdf")
        );
    }
}
