//! Spin-off deal terms: what a term sheet says, how it compares with published reference
//! sets, how the cap table moves through funding rounds, who gets what at an exit, and what
//! each deal form is worth to the university.
//!
//! Plain functions over plain data: no I/O and no clock (dates and scenarios come in as
//! arguments), so every figure is reproducible. Percentages are basis points (`u32`,
//! `10_000` = 100 %), money is [`Money`](crate::money::Money) in whole cents, share counts
//! are `u64`. The only crate-internal dependency is `crate::money`.

pub mod captable;
pub mod checker;
pub mod compare;
pub mod deal;
pub mod error;
pub mod exact;
pub mod exit;
pub mod reference;
mod split;

pub use error::{Result, TermsError};
