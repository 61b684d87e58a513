//! The one error type of the `kto` tool; `main` prints it as `kto: <message>` and exits 1.
//!
//! Every message says what went wrong and, where the user can act, what to do.

use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    #[error("no database given: pass --db PATH (or set KTO_DESK_DB)")]
    NoDatabase,
    #[error(transparent)]
    Store(#[from] kto_store::Error),
    #[error("could not write JSON: {0}")]
    Json(#[from] serde_json::Error),

    #[error("could not create the key folder `{}`: {source}", path.display())]
    CreateFolder {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("a key file already exists at `{}`; nothing was written. Pass another --name, or move the old key away first (it may be needed to verify earlier submissions)", path.display())]
    KeyFileExists { path: PathBuf },
    #[error("KTO_KEY_PASSPHRASE is set but empty; set it to the passphrase that will protect the secret key, or unset it to be asked on the terminal")]
    EmptyPassphraseInEnv,
    #[error("KTO_KEY_PASSPHRASE is not valid UTF-8; use a passphrase in plain text")]
    PassphraseNotUnicode,
    #[error("the passphrase is empty; a signing key must be protected by a passphrase")]
    EmptyPassphrase,
    #[error("no passphrase on standard input; set KTO_KEY_PASSPHRASE, or pipe the passphrase as one line")]
    NoPassphraseOnStdin,
    #[error("the two passphrases differ; nothing was written, run `kto keygen` again")]
    PassphraseMismatch,
    #[error("could not read the passphrase: {0}; set KTO_KEY_PASSPHRASE instead")]
    ReadPassphrase(#[source] io::Error),
    #[error(transparent)]
    Key(kto_report::Error),
    #[error("wrong passphrase: it does not open the signing key `{}`; nothing was signed. Type it again (passphrases are case-sensitive) or set KTO_KEY_PASSPHRASE", key.display())]
    WrongPassphrase { key: PathBuf },
    #[error(transparent)]
    Export(#[from] kto_report::monitor::ExportError),
    #[error("{0}")]
    Usage(String),
    #[error("{first}. The office's data was changed outside KTO Desk: restore a backup made before it changed (kto restore), and find out who edited the file{more}")]
    AuditFailed { first: String, more: String },
    #[error("no coordinator data folder given: pass --data DIR (or set KTO_NATIONAL_DATA); it holds the key registry")]
    NoNationalData,
    #[error(transparent)]
    National(#[from] kto_report::national::NationalError),
    #[error(
        "not confirmed; nothing was changed. Answer yes, or pass --yes to restore without asking"
    )]
    NotConfirmed,

    #[error("could not read the {what} `{}`: {source}", path.display())]
    Read {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the signature file `{}` is missing; a submission is checked against the detached `.minisig` file sent with it (pass --sig PATH if it is elsewhere)", path.display())]
    MissingSignature { path: PathBuf },
    #[error("verification of `{}` failed: {source}", file.display())]
    NotVerified {
        file: PathBuf,
        #[source]
        source: kto_report::Error,
    },
}
