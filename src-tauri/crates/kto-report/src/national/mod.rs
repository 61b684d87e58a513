//! The national monitor: the receiving side of the offices' signed submissions, used by
//! the coordinator in the app and in `kto national`.
//!
//! - [`registry`]: which public key signs for which institution and years (a JSON file
//!   in the coordinator's data folder).
//! - [`inbox`]: checking a folder of `.json` + `.minisig` files, reusing
//!   [`crate::verify`]; every refused file gets its reason.
//! - [`aggregate`]: national totals per indicator and year, per office and normalised,
//!   never counting "not available" as 0 and never mixing definition versions.
//! - [`benchmark`]: the sourced figures of European peer offices shown beside them.
//! - [`folder`]: the coordinator's data folder: the registry file, the coordinator's key
//!   (made once), an installed benchmark set.
//! - [`output`]: the signed canonical JSON of the aggregate, CSV and XLSX of every figure.
//!
//! Plain data and files only: no database and no Tauri. Time comes in as arguments.

pub mod aggregate;
pub mod benchmark;
pub mod error;
pub mod folder;
pub mod inbox;
pub mod output;
pub mod registry;

pub use aggregate::{aggregate, NationalAggregate};
pub use benchmark::{shipped_benchmark, BenchmarkFigure, BenchmarkSet};
pub use error::{NationalError, NationalResult};
pub use folder::{aggregate_accepted, NationalFolder, COORDINATOR_KEY};
pub use inbox::{check_inbox, known_definitions, FileStatus, InboxReport, Refusal, RefusalKind};
pub use output::{
    sign_aggregate, to_csv, to_xlsx, verify_aggregate, write_outputs, WrittenOutputs,
};
pub use registry::{RegisteredKey, Registry, REGISTRY_FILE};
