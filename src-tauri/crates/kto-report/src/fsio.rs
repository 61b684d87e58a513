//! Durable file writes: temporary file, fsync, rename, fsync of the folder.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A written-but-not-yet-renamed temporary file; removed on drop unless committed.
pub(crate) struct Staged {
    tmp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staged {
    /// Renames the temporary file over the target.
    pub(crate) fn commit(mut self) -> Result<()> {
        fs::rename(&self.tmp, &self.target)
            .map_err(|e| Error::io("move the finished file into place at", &self.target, e))?;
        self.committed = true;
        Ok(())
    }

    /// Moves the temporary file to the target only if the target does not
    /// exist yet ([`Error::KeyFileExists`] otherwise).
    ///
    /// A hard link is atomic and never overwrites; on file systems without
    /// hard links (FAT, some network shares) it falls back to a checked rename.
    pub(crate) fn commit_new(mut self) -> Result<()> {
        match fs::hard_link(&self.tmp, &self.target) {
            Ok(()) => {
                // The temporary name is removed on drop; the target keeps the data.
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::KeyFileExists {
                path: self.target.clone(),
            }),
            Err(_) => {
                if self.target.exists() {
                    return Err(Error::KeyFileExists {
                        path: self.target.clone(),
                    });
                }
                fs::rename(&self.tmp, &self.target).map_err(|e| {
                    Error::io("move the finished file into place at", &self.target, e)
                })?;
                self.committed = true;
                Ok(())
            }
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `bytes` to `target` durably: a temporary file beside it, fsync, rename over
/// it, fsync of the folder. A failure leaves `target` as it was.
pub fn write_durably(target: &Path, bytes: &[u8]) -> Result<()> {
    stage(target, bytes, 0o644)?.commit()?;
    sync_dir(&parent_dir(target))
}

/// Writes `bytes` to a fresh temporary file beside `target` and fsyncs it.
/// Nothing is visible at `target` until [`Staged::commit`].
pub(crate) fn stage(target: &Path, bytes: &[u8], mode: u32) -> Result<Staged> {
    let dir = parent_dir(target);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_owned());
    let tmp = dir.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let mut file = create_new(&tmp, mode)
        .map_err(|e| Error::io("create a temporary file in", dir.clone(), e))?;
    // From here on a failure removes the temporary file (on drop).
    let staged = Staged {
        tmp,
        target: target.to_path_buf(),
        committed: false,
    };
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io("write", target, e))?;
    Ok(staged)
}

/// Creates `path` with `mode` (Unix permission bits), failing if it exists.
pub(crate) fn create_new(path: &Path, mode: u32) -> std::io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    opts.open(path)
}

/// Makes a rename durable by fsyncing the folder (a no-op where folders
/// cannot be opened, as on Windows).
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io("flush the folder", dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
