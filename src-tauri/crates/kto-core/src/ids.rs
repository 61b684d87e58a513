//! Newtype record ids. UUIDs (version 7, time-ordered) so that records made on several
//! laptops can later be merged without clashes.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// A fresh, time-ordered id for a record of a generic kind (`kto_core::record`).
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

macro_rules! record_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, type = "string"))]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

record_id!(
    /// Id of an invention disclosure.
    DisclosureId
);
record_id!(
    /// Id of a person (inventor, contact, investor).
    PersonId
);
record_id!(
    /// Id of an organisation (company, investor, public body, the institution itself).
    OrganisationId
);
record_id!(
    /// Id of a deal on a pipeline board.
    DealId
);
