//! The error type of the yearly monitor: reporting periods, definition sets and year
//! comparisons. (Deadlines and the PPS-toeslag have their own small errors,
//! [`DeadlineError`](crate::deadlines::DeadlineError) and
//! [`ToeslagError`](crate::toeslag::ToeslagError); the monitor never passes them on.)
//!
//! Every message says what was being attempted, so that the app can show it as a sentence.

/// What went wrong while computing the yearly monitor.
#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    /// The financial-year start is not a day that exists in every year.
    #[error("could not use {month:02}-{day:02} as the start of the financial year: it must be a day that exists in every year")]
    InvalidFinancialYearStart {
        /// Month, 1 to 12.
        month: u32,
        /// Day of the month.
        day: u32,
    },

    /// The reporting year is outside the supported calendar.
    #[error("could not compute the reporting period of year {year}: it is outside the supported calendar")]
    YearOutOfRange {
        /// The requested year.
        year: i32,
    },

    /// The definition set is not valid JSON of the expected shape.
    #[error("could not read the monitor definition set: {0}")]
    DefinitionsParse(#[source] serde_json::Error),

    /// The definition set has no version label.
    #[error("could not load the monitor definition set: it has no version")]
    MissingDefinitionVersion,

    /// Two indicators of one definition set share a code.
    #[error(
        "could not load the monitor definition set: indicator code {code} appears more than once"
    )]
    DuplicateIndicatorCode {
        /// The repeated code.
        code: String,
    },

    /// An indicator's unit does not match what its rule computes.
    #[error(
        "could not load indicator {code}: its rule computes {expected} but the unit says {found}"
    )]
    UnitMismatch {
        /// The indicator code.
        code: String,
        /// The unit the rule produces.
        expected: String,
        /// The unit written in the definition.
        found: String,
    },

    /// An indicator asks for a breakdown its rule cannot produce.
    #[error("could not load indicator {code}: its rule cannot be broken down by {breakdown}")]
    UnsupportedBreakdown {
        /// The indicator code.
        code: String,
        /// The requested breakdown.
        breakdown: String,
    },

    /// The year-over-year factor is not above 1.00.
    #[error("could not compare years: the change factor must be above 1.00, got {hundredths} hundredths")]
    InvalidChangeFactor {
        /// The factor given, in hundredths.
        hundredths: u32,
    },
}

/// Result alias of the monitor's fallible functions.
pub type Result<T> = std::result::Result<T, MonitorError>;
