//! The one integration test binary of kto-report.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod canonical;
mod cli;
mod fixtures;
mod format;
mod keys;
mod labels;
mod national;
mod ocf;
mod pdf;
mod schema;
mod sign;
mod term_sheet;
