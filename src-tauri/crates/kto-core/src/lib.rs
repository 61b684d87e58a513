//! KTO Desk's domain: the records a knowledge-transfer office keeps, the rules that make
//! them valid, and the calculations over them.
//!
//! Plain data and pure functions only. This crate knows nothing of SQLite, Tauri or the
//! clock: the current date comes in as an argument (`today: NaiveDate`) so that every
//! figure is reproducible.

/// Gives an enum stored by a stable code its `ALL` values (in the order given), `code()`
/// and `from_code()`; an unknown code is refused naming `what`.
macro_rules! stored_codes {
    ($ty:ident, $what:literal, { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in order.
            pub const ALL: [$ty; [$($code),+].len()] = [$($ty::$variant),+];

            /// The stable code stored in the database.
            pub fn code(self) -> &'static str {
                match self {
                    $($ty::$variant => $code),+
                }
            }

            /// Parses a stored code.
            pub fn from_code(code: &str) -> crate::Result<Self> {
                Self::ALL
                    .into_iter()
                    .find(|v| v.code() == code)
                    .ok_or_else(|| crate::Error::UnknownCode {
                        what: $what,
                        value: code.to_string(),
                    })
            }
        }
    };
}

pub mod activity;
pub mod backup;
pub mod calendar;
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
