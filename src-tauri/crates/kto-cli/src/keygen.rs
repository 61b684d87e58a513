//! `kto keygen`: a new minisign key pair for signing the yearly monitor submission.
//!
//! The passphrase that encrypts the secret key comes from `KTO_KEY_PASSPHRASE`;
//! without it, it is asked twice on the terminal without echo, or read as one line
//! from standard input when that is not a terminal (scripts). Existing key files are
//! never overwritten: an old key may be needed to verify earlier submissions.

use std::env::VarError;
use std::io::{BufRead, IsTerminal};
use std::path::Path;

use crate::error::CliError;

/// Environment variable holding the passphrase for scripts and tests.
pub(crate) const PASSPHRASE_ENV: &str = "KTO_KEY_PASSPHRASE";

pub(crate) fn run(out: &Path, name: &str) -> Result<(), CliError> {
    // Refuse before asking for a passphrase that would be typed in vain.
    for ext in ["pub", "key"] {
        let path = out.join(format!("{name}.{ext}"));
        if path.exists() {
            return Err(CliError::KeyFileExists { path });
        }
    }
    let passphrase = new_passphrase()?;
    std::fs::create_dir_all(out).map_err(|source| CliError::CreateFolder {
        path: out.to_path_buf(),
        source,
    })?;
    let files = kto_report::generate_key_files(out, name, &passphrase).map_err(|e| match e {
        kto_report::Error::KeyFileExists { path } => CliError::KeyFileExists { path },
        kto_report::Error::EmptyPassphrase => CliError::EmptyPassphrase,
        other => CliError::Key(other),
    })?;
    let public = files.signing_key.public_key();
    println!("public key:  {}", files.public_path.display());
    println!(
        "secret key:  {} (encrypted with the passphrase; keep the file and the passphrase private)",
        files.secret_path.display()
    );
    println!("key id:      {}", public.key_id());
    println!("fingerprint: {}", public.fingerprint());
    Ok(())
}

/// A new key's passphrase from the environment, the terminal (twice) or standard input.
pub(crate) fn new_passphrase() -> Result<String, CliError> {
    match std::env::var(PASSPHRASE_ENV) {
        Ok(p) if p.is_empty() => Err(CliError::EmptyPassphraseInEnv),
        Ok(p) => Ok(p),
        Err(VarError::NotUnicode(_)) => Err(CliError::PassphraseNotUnicode),
        Err(VarError::NotPresent) if std::io::stdin().is_terminal() => prompt_twice(),
        Err(VarError::NotPresent) => read_line_from_stdin(),
    }
}

/// Asks on the terminal (rpassword talks to /dev/tty, without echo).
fn prompt_twice() -> Result<String, CliError> {
    let first = rpassword::prompt_password("Passphrase for the new signing key: ")
        .map_err(CliError::ReadPassphrase)?;
    if first.is_empty() {
        return Err(CliError::EmptyPassphrase);
    }
    let second =
        rpassword::prompt_password("Same passphrase again: ").map_err(CliError::ReadPassphrase)?;
    if first != second {
        return Err(CliError::PassphraseMismatch);
    }
    Ok(first)
}

/// One line from a piped standard input, without its line ending. Nothing to
/// confirm: a script does not mistype.
fn read_line_from_stdin() -> Result<String, CliError> {
    let mut line = String::new();
    let read = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(CliError::ReadPassphrase)?;
    if read == 0 {
        return Err(CliError::NoPassphraseOnStdin);
    }
    let passphrase = line
        .strip_suffix('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .unwrap_or(&line);
    if passphrase.is_empty() {
        return Err(CliError::EmptyPassphrase);
    }
    Ok(passphrase.to_owned())
}
