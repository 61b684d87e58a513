//! `kto-report`: the signed yearly monitor submission file of KTO Desk and
//! its PDF report.
//!
//! - [`submission`]: the submission as plain data and its format rules.
//! - [`canonical`]: RFC 8785 canonical JSON and SHA-256 of the file.
//! - [`keys`]: minisign Ed25519 key pairs, secret key encrypted by passphrase.
//! - [`sign`]: detached `.minisig` signatures whose trusted comment binds
//!   institution, year and SHA-256; atomic writing; verification.
//! - [`pdf`]: the A4 report, rendered with printpdf and embedded DejaVu fonts.
//! - [`monitor`]: the export routine shared by the CLI and the app: figures from the
//!   office database (`kto-store`, `kto-core`) to the signed, verified and recorded files.
//! - [`national`]: the coordinator's side: key registry, inbox check of the offices'
//!   signed submissions and the national aggregate.
//! - [`ocf`]: a modelled cap table as an Open Cap Format document.
//! - [`office`]: the monitor's files in an office's data folder (the key in use, retired
//!   keys, an installed definition set) and replacing the key; one figure's records.
//! - [`term_sheet`]: a spin-off's stored deal terms phrased as a term sheet and rendered
//!   to PDF.
//!
//! The crate computes no figures (that is `kto-core`'s job); only [`monitor`]
//! and [`office`] read and record through `kto-store`. No Tauri dependency. It never reads the clock: dates and
//! timestamps come in as arguments.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod audit;
pub mod canonical;
pub mod error;
mod fsio;
pub use fsio::write_durably;
pub mod keys;
pub mod labels;
pub mod monitor;
pub mod national;
pub mod ocf;
pub mod office;
pub mod pdf;
pub mod sign;
pub mod submission;
pub mod term_sheet;

pub use canonical::{sha256_hex, to_canonical_json};
pub use error::{Error, Result};
pub use keys::{
    generate, generate_key_files, load_public_key, load_secret_key, passphrase_problem,
    secret_key_cost, secret_key_from_text, GeneratedKey, KeyFiles, KeyId, PublicKey, SigningKey,
    KDF_MEMLIMIT, KDF_OPSLIMIT,
};
pub use pdf::{render_report, Locale, ReportInput, SignatureInfo, YearValues};
pub use sign::{
    sign_detached, sign_submission, signature_path_for, verify, verify_files, write_signed,
    SignedSubmission, TrustedComment, VerifiedSubmission, WrittenSubmission,
};
pub use submission::{
    Breakdown, FigureOut, Institution, Period, Submission, Unit, MAX_SAFE_INTEGER, SCHEMA_VERSION,
};

/// The JSON Schema (draft 2020-12) of the submission file.
/// Shipped as the workspace's `assets/schema/submission.schema.json`.
pub const SUBMISSION_SCHEMA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/schema/submission.schema.json"
));
