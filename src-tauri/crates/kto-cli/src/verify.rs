//! `kto verify`: checks a monitor submission file against its detached minisign
//! signature and the signer's public key, with `kto_report::verify` (signature, key id,
//! trusted comment, content and canonical form). Exits 0 only when all agree.

use std::io;
use std::path::{Path, PathBuf};

use crate::error::CliError;

pub(crate) fn run(file: &Path, pubkey: &Path, sig: Option<&Path>) -> Result<(), CliError> {
    let sig_path = sig.map_or_else(|| kto_report::signature_path_for(file), Path::to_path_buf);
    let json = std::fs::read(file).map_err(|source| read_error("submission file", file, source))?;
    let signature = match std::fs::read_to_string(&sig_path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(CliError::MissingSignature { path: sig_path })
        }
        Err(source) => return Err(read_error("signature file", &sig_path, source)),
    };
    let key = std::fs::read_to_string(pubkey)
        .map_err(|source| read_error("public key file", pubkey, source))?;
    let verified =
        kto_report::verify(&json, &signature, &key).map_err(|source| CliError::NotVerified {
            file: file.to_path_buf(),
            source,
        })?;
    println!(
        "ok: {} is validly signed: institution={} year={} sha256={} key={}",
        file.display(),
        verified.comment.institution,
        verified.comment.year,
        verified.sha256,
        verified.key_id
    );
    Ok(())
}

fn read_error(what: &'static str, path: &Path, source: io::Error) -> CliError {
    CliError::Read {
        what,
        path: PathBuf::from(path),
        source,
    }
}
