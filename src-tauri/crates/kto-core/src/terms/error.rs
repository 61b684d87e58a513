//! The one error type of the terms module. Each message says what was being attempted and
//! what the user can change to make it work; the variants carry the figures involved so a UI
//! can branch on them.

use super::deal::TermKey;
use crate::money::Money;

/// Result of every fallible function in [`crate::terms`].
pub type Result<T> = std::result::Result<T, TermsError>;

/// Why a terms calculation or a reference set was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermsError {
    /// A reference set's JSON could not be read.
    #[error(
        "reading a reference term set failed: {reason}; fix the JSON so that it has id, name, \
         source, notes and ranges as documented on ReferenceSet"
    )]
    ReferenceSetJson {
        /// The parser's description of the problem, with line and column.
        reason: String,
    },

    /// A range of a reference set is inconsistent.
    #[error(
        "loading reference term set `{set}` failed: the range for {term:?} {problem}; \
         correct the range in the set's JSON file"
    )]
    InvalidRange {
        /// Id of the set.
        set: String,
        /// The term whose range is wrong.
        term: TermKey,
        /// What is wrong, e.g. "has min 500 above max 200".
        problem: String,
    },

    /// A reference set's header is incomplete or malformed.
    #[error("loading reference term set `{set}` failed: {problem}; correct the set's JSON file")]
    InvalidReferenceSet {
        /// Id of the set (may be empty when the id itself is missing).
        set: String,
        /// What is wrong.
        problem: String,
    },

    /// A percentage held as basis points is above 100 %.
    #[error(
        "checking {what} failed: {value} basis points is more than 100 %; \
         enter a percentage between 0 and 100 (0 to 10000 basis points)"
    )]
    BasisPointsAboveFull {
        /// Which figure, e.g. "the royalty rate".
        what: &'static str,
        /// The value given.
        value: u32,
    },

    /// An amount that must not be negative is negative.
    #[error("checking {what} failed: the amount {amount} is negative; enter zero or more")]
    NegativeAmount {
        /// Which amount, e.g. "the exit value".
        what: &'static str,
        /// The amount given.
        amount: Money,
    },

    /// A figure of a deal or scenario is outside what the calculation accepts.
    #[error("{attempted} failed: {problem}")]
    InvalidInput {
        /// What was being done, e.g. "comparing deal forms".
        attempted: &'static str,
        /// What is wrong and what to enter instead.
        problem: String,
    },

    /// Founding a cap table without any shares.
    #[error(
        "founding the cap table failed: no shares were issued; give at least one holder \
         one share or more"
    )]
    NoShares,

    /// The same holder id appears twice.
    #[error("{attempted} failed: holder `{holder}` is listed twice; give every holder its own id")]
    DuplicateHolder {
        /// What was being done.
        attempted: &'static str,
        /// The repeated id.
        holder: String,
    },

    /// A round names a holder that is not on the cap table.
    #[error(
        "applying round `{round}` failed: holder `{holder}` is not on the cap table; add it \
         to the round's new holders or correct the id"
    )]
    UnknownHolder {
        /// Name of the round.
        round: String,
        /// The unknown id.
        holder: String,
    },

    /// A round has a pre-money valuation of zero or less.
    #[error(
        "applying round `{round}` failed: the pre-money valuation is {pre_money}; \
         enter a valuation above zero"
    )]
    NonPositivePreMoney {
        /// Name of the round.
        round: String,
        /// The valuation given.
        pre_money: Money,
    },

    /// A round's option-pool top-up names a holder that is not an option pool.
    #[error(
        "applying round `{round}` failed: the pool top-up names `{holder}`, which is not an \
         option pool; name a holder of kind optionPool"
    )]
    NotAnOptionPool {
        /// Name of the round.
        round: String,
        /// The holder named.
        holder: String,
    },

    /// The option-pool target cannot be met inside the pre-money valuation.
    #[error(
        "applying round `{round}` failed: a pool of {target_bp} basis points of the \
         post-money cannot be created inside the pre-money, because the new investors alone \
         take {investors_bp} basis points; lower the pool target or raise the pre-money \
         valuation"
    )]
    PoolTargetUnreachable {
        /// Name of the round.
        round: String,
        /// The target asked for.
        target_bp: u32,
        /// The investors' share of the post-money, rounded down.
        investors_bp: u32,
    },

    /// Figures so large that exact integer arithmetic would overflow.
    #[error(
        "{attempted} failed: the share counts or amounts are too large to compute exactly; \
         check them for typing errors"
    )]
    Overflow {
        /// What was being done.
        attempted: &'static str,
    },
}

impl TermsError {
    /// A short stable name of the error, for UIs and logs.
    pub fn code(&self) -> &'static str {
        match self {
            TermsError::ReferenceSetJson { .. } => "referenceSetJson",
            TermsError::InvalidRange { .. } => "invalidRange",
            TermsError::InvalidReferenceSet { .. } => "invalidReferenceSet",
            TermsError::BasisPointsAboveFull { .. } => "basisPointsAboveFull",
            TermsError::NegativeAmount { .. } => "negativeAmount",
            TermsError::InvalidInput { .. } => "invalidInput",
            TermsError::NoShares => "noShares",
            TermsError::DuplicateHolder { .. } => "duplicateHolder",
            TermsError::UnknownHolder { .. } => "unknownHolder",
            TermsError::NonPositivePreMoney { .. } => "nonPositivePreMoney",
            TermsError::NotAnOptionPool { .. } => "notAnOptionPool",
            TermsError::PoolTargetUnreachable { .. } => "poolTargetUnreachable",
            TermsError::Overflow { .. } => "overflow",
        }
    }
}
