//! KTO Desk's domain: the records a knowledge-transfer office keeps, the rules that make
//! them valid, and the calculations over them.
//!
//! Plain data and pure functions only. This crate knows nothing of SQLite, Tauri or the
//! clock: the current date comes in as an argument (`today: NaiveDate`) so that every
//! figure is reproducible.

pub mod activity;
pub mod backup;
pub mod deadlines;
pub mod demo;
pub mod disclosure;
pub mod error;
pub mod ids;
pub mod import;
pub mod money;
pub mod monitor;
pub mod page;
pub mod party;
pub mod pipeline;
pub mod record;
pub mod search;
pub mod settings;
pub mod sync;
pub mod terms;
pub mod toeslag;
pub mod validation;

pub use error::{Error, Result};
pub use money::Money;
