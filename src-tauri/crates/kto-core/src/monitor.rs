//! The yearly monitor, the office's contribution to the national KTO monitor (the
//! indicators are in `assets/monitor/definitions-*.json`): indicator definitions as versioned data, the fact
//! records a store fills, and the figures computed from them for one reporting period.
//!
//! - The reporting period is the financial year that *ends* in the reported year
//!   ([`reporting_period`]); every date comparison is inclusive at both ends.
//! - Definitions are data ([`DefinitionSet`], loaded from JSON): each indicator names a
//!   [`RuleKind`] and the computation dispatches on it, so a new definition version can
//!   relabel, reorder or drop indicators, and choose breakdowns, without a new build.
//! - "Not available" is never zero: a missing yearly input is [`FigureValue::NotAvailable`],
//!   an empty year gives `Count(0)` / `Amount(0)`.
//! - Every [`Figure`] lists the ids of the records it counts, sorted, for drill-down.
//!
//! This module does no I/O and reads no clock; it depends only on `crate::money`,
//! `crate::party` (organisation kinds), `crate::deadlines` (month arithmetic,
//! jurisdictions) and `crate::toeslag`. Its errors are [`MonitorError`].

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::deadlines::{add_months, Jurisdiction};
use crate::money::Money;
use crate::party::OrganisationKind;
use crate::toeslag::{compute_toeslag, PartnerContribution, PartnerKind, ToeslagRules};

mod error;
pub use error::{MonitorError, Result};
mod office;
pub use office::{
    ComparedSubmission, CountedRecord, MonitorOverview, MonitorSettings, SignedExport,
    SigningKeyRecord, SubmissionRecord, DEFAULT_CHANGE_FACTOR_HUNDREDTHS,
};

// ---------------------------------------------------------------------------------------
// Reporting period
// ---------------------------------------------------------------------------------------

/// The first day of an office's financial year; 1 January (a calendar year) by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FinancialYearStart {
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month; must exist in every year (so not 29 February).
    pub day: u32,
}

impl Default for FinancialYearStart {
    fn default() -> Self {
        FinancialYearStart { month: 1, day: 1 }
    }
}

/// The dates a monitor year covers, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReportingPeriod {
    /// The reported year: the year the financial year ends in.
    pub year: i32,
    /// First day of the period.
    pub start: NaiveDate,
    /// Last day of the period.
    pub end: NaiveDate,
}

impl ReportingPeriod {
    /// True when `date` lies within the period (inclusive).
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// True when `date` is known and lies within the period.
    pub fn contains_opt(&self, date: Option<NaiveDate>) -> bool {
        date.is_some_and(|d| self.contains(d))
    }
}

/// The financial year that ends in `year`: with a 1 July start, year 2025 is
/// 2024-07-01..2025-06-30; with the default 1 January start, the calendar year.
///
/// # Errors
/// [`MonitorError::InvalidFinancialYearStart`] when the start day does not exist in every
/// year; [`MonitorError::YearOutOfRange`] when the year is beyond the calendar.
pub fn reporting_period(year: i32, fy_start: FinancialYearStart) -> Result<ReportingPeriod> {
    // 2023 is not a leap year: a start valid there is valid in every year.
    if NaiveDate::from_ymd_opt(2023, fy_start.month, fy_start.day).is_none() {
        return Err(MonitorError::InvalidFinancialYearStart {
            month: fy_start.month,
            day: fy_start.day,
        });
    }
    let out_of_range = || MonitorError::YearOutOfRange { year };
    let (start, end) = if fy_start == FinancialYearStart::default() {
        (
            NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(out_of_range)?,
            NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(out_of_range)?,
        )
    } else {
        let start = NaiveDate::from_ymd_opt(year.saturating_sub(1), fy_start.month, fy_start.day)
            .ok_or_else(out_of_range)?;
        let next_start =
            NaiveDate::from_ymd_opt(year, fy_start.month, fy_start.day).ok_or_else(out_of_range)?;
        (start, next_start.pred_opt().ok_or_else(out_of_range)?)
    };
    Ok(ReportingPeriod { year, start, end })
}

// ---------------------------------------------------------------------------------------
// Fact records
// ---------------------------------------------------------------------------------------

/// The kind of an agreement, as the monitor counts them (NDA, MTA, option, licence,
/// assignment, research, consultancy, consortium).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AgreementKind {
    /// Confidentiality agreement.
    Nda,
    /// Material transfer agreement.
    Mta,
    /// Option to a licence.
    #[serde(rename = "option")]
    OptionAgreement,
    /// Licence.
    Licence,
    /// Assignment of IP.
    Assignment,
    /// Collaborative research.
    CollaborativeResearch,
    /// Contract research.
    ContractResearch,
    /// Consultancy.
    Consultancy,
    /// PPS consortium agreement.
    ConsortiumAgreement,
}

impl AgreementKind {
    /// The LOA kind key (`licence`, `option`, `assignment`), or `None` for other kinds.
    pub fn loa_key(self) -> Option<&'static str> {
        match self {
            AgreementKind::Licence => Some("licence"),
            AgreementKind::OptionAgreement => Some("option"),
            AgreementKind::Assignment => Some("assignment"),
            _ => None,
        }
    }

    /// The research-agreement type key (`collaborative` for collaborative research and
    /// consortium agreements, `contractResearch`, `consultancy`), or `None`.
    pub fn research_type_key(self) -> Option<&'static str> {
        match self {
            AgreementKind::CollaborativeResearch | AgreementKind::ConsortiumAgreement => {
                Some("collaborative")
            }
            AgreementKind::ContractResearch => Some("contractResearch"),
            AgreementKind::Consultancy => Some("consultancy"),
            _ => None,
        }
    }
}

/// The kind of an income entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum IncomeKind {
    /// Running royalty.
    Royalty,
    /// Upfront fee.
    UpfrontFee,
    /// Milestone payment.
    Milestone,
    /// Option fee.
    OptionFee,
    /// Sale of equity.
    EquitySale,
    /// A payment for collaborative research (a partner's share of a joint project).
    ResearchPayment,
    /// A payment for contract research or consultancy.
    ContractPayment,
}

impl IncomeKind {
    /// The camelCase key used in breakdowns.
    pub fn key(self) -> &'static str {
        match self {
            IncomeKind::Royalty => "royalty",
            IncomeKind::UpfrontFee => "upfrontFee",
            IncomeKind::Milestone => "milestone",
            IncomeKind::OptionFee => "optionFee",
            IncomeKind::EquitySale => "equitySale",
            IncomeKind::ResearchPayment => "researchPayment",
            IncomeKind::ContractPayment => "contractPayment",
        }
    }

    /// Whether the income counts as licence income when its agreement is a licence, option
    /// or assignment: research and contract payments never do, whatever the agreement.
    pub fn is_licence_income(self) -> bool {
        !matches!(
            self,
            IncomeKind::ResearchPayment | IncomeKind::ContractPayment
        )
    }
}

/// The status of a spin-off or start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CompanyStatus {
    /// Trading.
    Active,
    /// Sold or listed; the office's involvement ended.
    Exited,
    /// Wound up.
    Dissolved,
}

/// What a scouting lead became.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LeadOutcome {
    /// Became an invention disclosure.
    Disclosure,
    /// Became a PPS consortium.
    Pps,
    /// Became a research contract.
    Contract,
    /// Parked: not converted.
    Parked,
}

impl LeadOutcome {
    /// The breakdown key of a conversion, or `None` for a parked lead.
    pub fn conversion_key(self) -> Option<&'static str> {
        match self {
            LeadOutcome::Disclosure => Some("disclosure"),
            LeadOutcome::Pps => Some("pps"),
            LeadOutcome::Contract => Some("contract"),
            LeadOutcome::Parked => None,
        }
    }
}

/// An invention disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DisclosureFact {
    /// Record id.
    pub id: String,
    /// Date received.
    pub received_date: Option<NaiveDate>,
    /// Inventor shares in basis points (10,000 = 100 %).
    #[serde(default)]
    pub inventor_shares_bp: Vec<u32>,
}

/// A patent application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatentApplicationFact {
    /// Record id.
    pub id: String,
    /// Patent family id; empty when unknown.
    pub family_id: String,
    /// Where it was filed.
    pub jurisdiction: Jurisdiction,
    /// Filing date.
    pub filing_date: Option<NaiveDate>,
    /// True for the family's first filing.
    pub is_priority: bool,
    /// Grant date, if granted.
    pub grant_date: Option<NaiveDate>,
}

/// An agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgreementFact {
    /// Record id.
    pub id: String,
    /// Kind of agreement.
    pub kind: Option<AgreementKind>,
    /// Date signed.
    pub signed_date: Option<NaiveDate>,
    /// Contract value.
    pub value: Option<Money>,
    /// Kind of the (main) counterparty.
    pub partner_kind: Option<OrganisationKind>,
}

/// An income entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncomeFact {
    /// Record id.
    pub id: String,
    /// Date received.
    pub received_date: Option<NaiveDate>,
    /// Amount received.
    pub amount: Money,
    /// Kind of income.
    pub kind: Option<IncomeKind>,
    /// Kind of the agreement it comes from.
    pub source_agreement_kind: Option<AgreementKind>,
}

/// A funding round of a spin-off or start-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FundingRoundFact {
    /// Record id.
    pub id: String,
    /// Closing date.
    pub date: Option<NaiveDate>,
    /// Amount raised.
    pub amount: Money,
    /// True when raised from investors outside the institution.
    pub external: bool,
}

/// A company founded from the institution: a spin-off (formal IP agreement) or a
/// start-up (none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpinOffFact {
    /// Record id.
    pub id: String,
    /// Incorporation date.
    pub incorporation_date: Option<NaiveDate>,
    /// True for a spin-off (licence, assignment or equity deal), false for a start-up.
    pub has_formal_ip_agreement: bool,
    /// Current status.
    pub status: CompanyStatus,
    /// Date the status took effect.
    pub status_date: Option<NaiveDate>,
    /// Funding rounds.
    #[serde(default)]
    pub funding_rounds: Vec<FundingRoundFact>,
}

/// One partner's contribution to a PPS consortium in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContributionFact {
    /// Record id.
    pub id: String,
    /// The consortium (project) id.
    pub consortium_id: String,
    /// The contribution year, matched against the reported year.
    pub year: i32,
    /// The partner's organisation id.
    pub partner_id: String,
    /// The partner's kind for the toeslag.
    pub partner_kind: PartnerKind,
    /// Cash contribution.
    pub cash: Money,
    /// In kind as an amount.
    #[serde(default)]
    pub in_kind_value: Money,
    /// In kind as whole hours (valued at €60 each).
    #[serde(default)]
    pub in_kind_hours: u32,
}

/// A scouting lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoutingLeadFact {
    /// Record id.
    pub id: String,
    /// The research group (its name or id); groups are compared trimmed, case-insensitive.
    pub research_group: String,
    /// Date of the visit, if visited.
    pub visit_date: Option<NaiveDate>,
    /// What the lead became.
    pub outcome: Option<LeadOutcome>,
    /// When it became that.
    pub outcome_date: Option<NaiveDate>,
}

/// The office's yearly inputs for normalising; each may be missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OfficeInputs {
    /// Record id.
    pub id: String,
    /// The reported year they belong to.
    pub year: i32,
    /// Research expenditure of the institution.
    pub research_expenditure: Option<Money>,
    /// Research staff in hundredths of an FTE.
    pub research_fte: Option<u32>,
    /// KTO staff in hundredths of an FTE.
    pub kto_fte: Option<u32>,
}

/// Everything the monitor computes from; a store fills it, tests build it by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MonitorFacts {
    /// Invention disclosures.
    pub disclosures: Vec<DisclosureFact>,
    /// Patent applications.
    pub patent_applications: Vec<PatentApplicationFact>,
    /// Agreements.
    pub agreements: Vec<AgreementFact>,
    /// Income entries.
    pub income: Vec<IncomeFact>,
    /// Spin-offs and start-ups.
    pub spin_offs: Vec<SpinOffFact>,
    /// PPS contributions per partner per year.
    pub contributions: Vec<ContributionFact>,
    /// Scouting leads.
    pub scouting_leads: Vec<ScoutingLeadFact>,
    /// Yearly office inputs.
    pub office_inputs: Vec<OfficeInputs>,
}

// ---------------------------------------------------------------------------------------
// Definitions
// ---------------------------------------------------------------------------------------

/// The unit of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "MonitorUnit"))]
pub enum Unit {
    /// A count.
    Number,
    /// An amount in euros (held in cents).
    Eur,
    /// Full-time equivalents (held in hundredths).
    Fte,
}

/// A dimension a figure can be broken down by. Keys read `dimension:member`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum BreakdownKind {
    /// Research agreement type: collaborative (incl. PPS), contract research, consultancy.
    AgreementType,
    /// Partner kind (organisation kind for RA, toeslag partner kind for PPS).
    PartnerKind,
    /// LOA kind: licence, option, assignment.
    LoaKind,
    /// Licensee kind: start-up, SME, large (other, unknown when present).
    LicenseeKind,
    /// Patent office.
    Jurisdiction,
    /// Income kind.
    IncomeKind,
    /// Scouting conversion outcome.
    Outcome,
}

impl BreakdownKind {
    /// The dimension part of breakdown keys.
    pub fn key(self) -> &'static str {
        match self {
            BreakdownKind::AgreementType => "agreementType",
            BreakdownKind::PartnerKind => "partnerKind",
            BreakdownKind::LoaKind => "loaKind",
            BreakdownKind::LicenseeKind => "licenseeKind",
            BreakdownKind::Jurisdiction => "jurisdiction",
            BreakdownKind::IncomeKind => "incomeKind",
            BreakdownKind::Outcome => "outcome",
        }
    }
}

/// How an indicator is computed. Serialised as `{"kind": "disclosuresReceived"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum RuleKind {
    /// Research expenditure from the office inputs (€).
    ResearchExpenditure,
    /// Research FTE from the office inputs.
    ResearchFte,
    /// KTO FTE from the office inputs.
    KtoFte,
    /// Research agreements (collaborative/PPS, contract research, consultancy) with a known
    /// non-academic partner, signed in the period (number).
    ResearchAgreementCount,
    /// Summed value of those agreements that have a value (€).
    ResearchAgreementValue,
    /// Disclosures received in the period.
    DisclosuresReceived,
    /// Families whose first priority filing was filed in the period (one per family).
    PriorityApplications,
    /// All applications filed in the period.
    AllApplications,
    /// Applications granted in the period.
    PatentsGranted,
    /// Licence, option and assignment agreements signed in the period.
    LoaAgreements,
    /// Income received in the period from LOA agreements (€).
    LicenceIncome,
    /// Spin-offs (formal IP agreement) incorporated in the period.
    SpinOffsEstablished,
    /// Spin-offs with at least one external round closed in the period.
    SpinOffsWithExternalInvestment,
    /// Sum of those external rounds (€).
    SpinOffExternalInvestment,
    /// Spin-offs at least `min_age_years` old and still active at the period end.
    ActiveSpinOffs {
        /// Minimum age in whole years at the period end (3 in the default set).
        min_age_years: u32,
    },
    /// Start-ups (no formal IP agreement) incorporated in the period.
    StartUps,
    /// Cash of private companies and charities to PPS consortia in the year (€).
    PpsPrivateCash,
    /// The PPS-toeslag that the year's contributions generate (€).
    PpsToeslag,
    /// Distinct research groups visited in the period.
    ScoutingGroupsVisited,
    /// Scouting leads converted (disclosure, PPS, contract) in the period.
    ScoutingLeadsConverted,
}

impl RuleKind {
    /// The unit the rule computes.
    pub fn unit(&self) -> Unit {
        match self {
            RuleKind::ResearchExpenditure
            | RuleKind::ResearchAgreementValue
            | RuleKind::LicenceIncome
            | RuleKind::SpinOffExternalInvestment
            | RuleKind::PpsPrivateCash
            | RuleKind::PpsToeslag => Unit::Eur,
            RuleKind::ResearchFte | RuleKind::KtoFte => Unit::Fte,
            _ => Unit::Number,
        }
    }

    /// The breakdowns the rule can produce.
    pub fn breakdowns(&self) -> &'static [BreakdownKind] {
        use BreakdownKind as B;
        match self {
            RuleKind::ResearchAgreementCount | RuleKind::ResearchAgreementValue => {
                &[B::AgreementType, B::PartnerKind]
            }
            RuleKind::PriorityApplications
            | RuleKind::AllApplications
            | RuleKind::PatentsGranted => &[B::Jurisdiction],
            RuleKind::LoaAgreements => &[B::LoaKind, B::LicenseeKind],
            RuleKind::LicenceIncome => &[B::IncomeKind],
            RuleKind::PpsPrivateCash | RuleKind::PpsToeslag => &[B::PartnerKind],
            RuleKind::ScoutingLeadsConverted => &[B::Outcome],
            _ => &[],
        }
    }

    /// Members always listed for a breakdown (zeros included), in this order; members
    /// outside the list (`other`, `unknown`, jurisdictions) follow, sorted, when present.
    fn fixed_members(&self, dim: BreakdownKind) -> &'static [&'static str] {
        match (self, dim) {
            (_, BreakdownKind::AgreementType) => {
                &["collaborative", "contractResearch", "consultancy"]
            }
            (RuleKind::PpsPrivateCash | RuleKind::PpsToeslag, BreakdownKind::PartnerKind) => {
                &["privateCompany", "charity"]
            }
            (_, BreakdownKind::PartnerKind) => &[
                "sme",
                "largeCompany",
                "startUp",
                "investor",
                "rom",
                "publicBody",
                "nonProfit",
            ],
            (_, BreakdownKind::LoaKind) => &["licence", "option", "assignment"],
            (_, BreakdownKind::LicenseeKind) => &["startUp", "sme", "large"],
            (_, BreakdownKind::IncomeKind) => &[
                "royalty",
                "upfrontFee",
                "milestone",
                "optionFee",
                "equitySale",
            ],
            (_, BreakdownKind::Outcome) => &["disclosure", "pps", "contract"],
            (_, BreakdownKind::Jurisdiction) => &[],
        }
    }
}

/// One indicator of a definition set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct IndicatorDef {
    /// Stable code, e.g. `PA-PRIO`.
    pub code: String,
    /// English name.
    pub name_en: String,
    /// Dutch name.
    pub name_nl: String,
    /// Unit; must match the rule's.
    pub unit: Unit,
    /// English description of what is counted.
    pub description_en: String,
    /// Dutch description.
    pub description_nl: String,
    /// How it is computed.
    pub rule: RuleKind,
    /// Breakdowns to produce, each supported by the rule.
    #[serde(default)]
    pub breakdowns: Vec<BreakdownKind>,
}

/// A versioned set of indicator definitions; figures come out in its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DefinitionSet {
    /// Version label stated in every submission, e.g. `2026.1`.
    pub version: String,
    /// The indicators, in reporting order.
    pub indicators: Vec<IndicatorDef>,
}

impl DefinitionSet {
    /// Parses and validates a definition set from JSON.
    ///
    /// # Errors
    /// [`MonitorError::DefinitionsParse`] for malformed JSON or an unknown rule, unit or
    /// breakdown; the errors of [`DefinitionSet::validate`].
    pub fn from_json(json: &str) -> Result<DefinitionSet> {
        let set: DefinitionSet =
            serde_json::from_str(json).map_err(MonitorError::DefinitionsParse)?;
        set.validate()?;
        Ok(set)
    }

    /// Checks that the version is set, codes are unique, units match the rules and every
    /// breakdown is one the rule can produce.
    ///
    /// # Errors
    /// [`MonitorError::MissingDefinitionVersion`], [`MonitorError::DuplicateIndicatorCode`],
    /// [`MonitorError::UnitMismatch`], [`MonitorError::UnsupportedBreakdown`].
    pub fn validate(&self) -> Result<()> {
        if self.version.trim().is_empty() {
            return Err(MonitorError::MissingDefinitionVersion);
        }
        let mut codes = BTreeSet::new();
        for ind in &self.indicators {
            if !codes.insert(ind.code.as_str()) {
                return Err(MonitorError::DuplicateIndicatorCode {
                    code: ind.code.clone(),
                });
            }
            if ind.unit != ind.rule.unit() {
                return Err(MonitorError::UnitMismatch {
                    code: ind.code.clone(),
                    expected: format!("{:?}", ind.rule.unit()),
                    found: format!("{:?}", ind.unit),
                });
            }
            if let Some(b) = ind
                .breakdowns
                .iter()
                .find(|b| !ind.rule.breakdowns().contains(b))
            {
                return Err(MonitorError::UnsupportedBreakdown {
                    code: ind.code.clone(),
                    breakdown: b.key().to_owned(),
                });
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------

/// Why a figure is not available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum NotAvailableReason {
    /// No value was recorded for the year.
    InputNotRecorded,
    /// Several records for the year disagree.
    ConflictingInputs,
    /// The records cannot be computed (e.g. a negative contribution); see data quality.
    InvalidRecords,
}

/// A figure's value. Serialised as `{"type": "count", "value": 3}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum FigureValue {
    /// A count.
    Count(#[cfg_attr(feature = "ts", ts(type = "number"))] u64),
    /// An amount.
    Amount(Money),
    /// FTE in hundredths.
    Fte(u32),
    /// Not known; never to be read as zero.
    NotAvailable {
        /// Why.
        reason: NotAvailableReason,
    },
}

/// One member of a breakdown, e.g. `loaKind:licence`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "FigureBreakdown")
)]
pub struct Breakdown {
    /// `dimension:member`.
    pub key: String,
    /// The member's value, in the figure's unit.
    pub value: FigureValue,
}

/// One computed indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Figure {
    /// The indicator code.
    pub code: String,
    /// The value.
    pub value: FigureValue,
    /// Breakdowns in the order the definition asks for them.
    pub breakdowns: Vec<Breakdown>,
    /// Ids of the records counted, sorted and unique.
    pub record_ids: Vec<String>,
}

/// The figures of one reporting period under one definition set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct MonitorResult {
    /// The definition set's version.
    pub definition_version: String,
    /// The period computed.
    pub period: ReportingPeriod,
    /// One figure per indicator, in definition order.
    pub figures: Vec<Figure>,
}

/// Computes every indicator of `defs` for `period`.
pub fn compute_monitor(
    defs: &DefinitionSet,
    facts: &MonitorFacts,
    period: &ReportingPeriod,
) -> MonitorResult {
    MonitorResult {
        definition_version: defs.version.clone(),
        period: *period,
        figures: defs
            .indicators
            .iter()
            .map(|def| compute_figure(def, facts, period))
            .collect(),
    }
}

/// Computes one indicator for `period`, dispatching on its rule.
pub fn compute_figure(
    def: &IndicatorDef,
    facts: &MonitorFacts,
    period: &ReportingPeriod,
) -> Figure {
    let input = |pick: fn(&OfficeInputs) -> Option<FigureValue>| {
        input_figure(&def.code, facts, period, pick)
    };
    match &def.rule {
        RuleKind::ResearchExpenditure => input(|i| i.research_expenditure.map(FigureValue::Amount)),
        RuleKind::ResearchFte => input(|i| i.research_fte.map(FigureValue::Fte)),
        RuleKind::KtoFte => input(|i| i.kto_fte.map(FigureValue::Fte)),
        rule => match items(rule, facts, period) {
            Ok(items) => aggregate(def, &items),
            Err((reason, mut record_ids)) => {
                record_ids.sort();
                record_ids.dedup();
                Figure {
                    code: def.code.clone(),
                    value: FigureValue::NotAvailable { reason },
                    breakdowns: Vec::new(),
                    record_ids,
                }
            }
        },
    }
}

/// A yearly input: available when the year's records that carry it agree.
fn input_figure(
    code: &str,
    facts: &MonitorFacts,
    period: &ReportingPeriod,
    pick: fn(&OfficeInputs) -> Option<FigureValue>,
) -> Figure {
    let found: Vec<(&str, FigureValue)> = facts
        .office_inputs
        .iter()
        .filter(|i| i.year == period.year)
        .filter_map(|i| pick(i).map(|v| (i.id.as_str(), v)))
        .collect();
    let mut record_ids: Vec<String> = found.iter().map(|(id, _)| (*id).to_owned()).collect();
    record_ids.sort();
    let value = match found.first() {
        None => FigureValue::NotAvailable {
            reason: NotAvailableReason::InputNotRecorded,
        },
        Some((_, v)) if found.iter().all(|(_, w)| w == v) => *v,
        Some(_) => FigureValue::NotAvailable {
            reason: NotAvailableReason::ConflictingInputs,
        },
    };
    Figure {
        code: code.to_owned(),
        value,
        breakdowns: Vec::new(),
        record_ids,
    }
}

/// One counted thing: the records behind it, what makes it distinct for counting, its
/// amount (for € rules) and its breakdown members (at most two), borrowed from the facts
/// where it can be: a year counts thousands of items.
struct Item<'a> {
    record_ids: Ids<'a>,
    count_key: Cow<'a, str>,
    amount: Money,
    dims: [Option<(BreakdownKind, &'a str)>; 2],
}

/// The records behind an item: almost always one.
enum Ids<'a> {
    One(&'a str),
    Many(Vec<&'a str>),
}

impl<'a> Item<'a> {
    fn one(id: &'a str) -> Item<'a> {
        Item {
            record_ids: Ids::One(id),
            count_key: Cow::Borrowed(id),
            amount: Money::ZERO,
            dims: [None, None],
        }
    }

    fn amount(mut self, amount: Money) -> Item<'a> {
        self.amount = amount;
        self
    }

    fn dim(mut self, kind: BreakdownKind, member: &'a str) -> Item<'a> {
        let free = self.dims.iter_mut().find(|d| d.is_none());
        debug_assert!(
            free.is_some(),
            "a rule breaks an item down by two dimensions at most"
        );
        if let Some(free) = free {
            *free = Some((kind, member));
        }
        self
    }

    fn dims(&self) -> impl Iterator<Item = (BreakdownKind, &'a str)> + '_ {
        self.dims.iter().flatten().copied()
    }

    fn record_ids(&self) -> &[&'a str] {
        match &self.record_ids {
            Ids::One(id) => std::slice::from_ref(id),
            Ids::Many(ids) => ids,
        }
    }
}

type Unavailable = (NotAvailableReason, Vec<String>);

/// The items a (non-input) rule counts in `period`.
fn items<'a>(
    rule: &RuleKind,
    facts: &'a MonitorFacts,
    p: &ReportingPeriod,
) -> std::result::Result<Vec<Item<'a>>, Unavailable> {
    use BreakdownKind as B;
    let out = match rule {
        // Yearly inputs are read by `input_figure`, never counted as items.
        RuleKind::ResearchExpenditure | RuleKind::ResearchFte | RuleKind::KtoFte => Vec::new(),
        RuleKind::DisclosuresReceived => facts
            .disclosures
            .iter()
            .filter(|d| p.contains_opt(d.received_date))
            .map(|d| Item::one(&d.id))
            .collect(),
        RuleKind::PriorityApplications => priority_filings(facts)
            .into_values()
            .filter(|(_, a)| p.contains_opt(a.filing_date))
            .map(|(family, a)| {
                let mut item = Item::one(&a.id).dim(B::Jurisdiction, a.jurisdiction.code());
                item.count_key = Cow::Owned(family);
                item
            })
            .collect(),
        RuleKind::AllApplications | RuleKind::PatentsGranted => facts
            .patent_applications
            .iter()
            .filter(|a| {
                p.contains_opt(if *rule == RuleKind::AllApplications {
                    a.filing_date
                } else {
                    a.grant_date
                })
            })
            .map(|a| Item::one(&a.id).dim(B::Jurisdiction, a.jurisdiction.code()))
            .collect(),
        RuleKind::ResearchAgreementCount | RuleKind::ResearchAgreementValue => facts
            .agreements
            .iter()
            .filter(|a| p.contains_opt(a.signed_date))
            .filter(|a| *rule == RuleKind::ResearchAgreementCount || a.value.is_some())
            .filter_map(|a| {
                let kind = a.kind?.research_type_key()?;
                let partner = a
                    .partner_kind
                    .filter(|k| *k != OrganisationKind::KnowledgeInstitution)?;
                Some(
                    Item::one(&a.id)
                        .amount(a.value.unwrap_or(Money::ZERO))
                        .dim(B::AgreementType, kind)
                        .dim(B::PartnerKind, partner.key()),
                )
            })
            .collect(),
        RuleKind::LoaAgreements => facts
            .agreements
            .iter()
            .filter(|a| p.contains_opt(a.signed_date))
            .filter_map(|a| {
                let kind = a.kind?.loa_key()?;
                let licensee = match a.partner_kind {
                    Some(OrganisationKind::StartUp) => "startUp",
                    Some(OrganisationKind::Sme) => "sme",
                    Some(OrganisationKind::LargeCompany) => "large",
                    Some(_) => "other",
                    None => "unknown",
                };
                Some(
                    Item::one(&a.id)
                        .dim(B::LoaKind, kind)
                        .dim(B::LicenseeKind, licensee),
                )
            })
            .collect(),
        RuleKind::LicenceIncome => facts
            .income
            .iter()
            .filter(|i| p.contains_opt(i.received_date))
            .filter(|i| {
                i.source_agreement_kind
                    .and_then(AgreementKind::loa_key)
                    .is_some()
                    && i.kind.is_none_or(IncomeKind::is_licence_income)
            })
            .map(|i| {
                Item::one(&i.id)
                    .amount(i.amount)
                    .dim(B::IncomeKind, i.kind.map_or("unknown", IncomeKind::key))
            })
            .collect(),
        RuleKind::SpinOffsEstablished | RuleKind::StartUps => {
            let formal = *rule == RuleKind::SpinOffsEstablished;
            facts
                .spin_offs
                .iter()
                .filter(|s| {
                    s.has_formal_ip_agreement == formal && p.contains_opt(s.incorporation_date)
                })
                .map(|s| Item::one(&s.id))
                .collect()
        }
        RuleKind::SpinOffsWithExternalInvestment => facts
            .spin_offs
            .iter()
            .filter(|s| s.has_formal_ip_agreement)
            .filter(|s| {
                s.funding_rounds
                    .iter()
                    .any(|r| r.external && p.contains_opt(r.date))
            })
            .map(|s| Item::one(&s.id))
            .collect(),
        RuleKind::SpinOffExternalInvestment => facts
            .spin_offs
            .iter()
            .filter(|s| s.has_formal_ip_agreement)
            .flat_map(|s| &s.funding_rounds)
            .filter(|r| r.external && p.contains_opt(r.date))
            .map(|r| Item::one(&r.id).amount(r.amount))
            .collect(),
        RuleKind::ActiveSpinOffs { min_age_years } => facts
            .spin_offs
            .iter()
            .filter(|s| {
                s.has_formal_ip_agreement && is_active_and_old_enough(s, *min_age_years, p.end)
            })
            .map(|s| Item::one(&s.id))
            .collect(),
        RuleKind::PpsPrivateCash => facts
            .contributions
            .iter()
            .filter(|c| c.year == p.year && earns_toeslag(c.partner_kind))
            .map(|c| {
                Item::one(&c.id)
                    .amount(c.cash)
                    .dim(B::PartnerKind, c.partner_kind.key())
            })
            .collect(),
        RuleKind::PpsToeslag => toeslag_items(facts, p.year)?,
        RuleKind::ScoutingGroupsVisited => facts
            .scouting_leads
            .iter()
            .filter(|l| p.contains_opt(l.visit_date))
            .map(|l| {
                let group = l.research_group.trim().to_lowercase();
                let mut item = Item::one(&l.id);
                if !group.is_empty() {
                    item.count_key = Cow::Owned(format!("group:{group}"));
                }
                item
            })
            .collect(),
        RuleKind::ScoutingLeadsConverted => facts
            .scouting_leads
            .iter()
            .filter(|l| p.contains_opt(l.outcome_date))
            .filter_map(|l| {
                let key = l.outcome?.conversion_key()?;
                Some(Item::one(&l.id).dim(B::Outcome, key))
            })
            .collect(),
    };
    Ok(out)
}

/// Per family (keyed by family id, or by the record id when the family is unknown), its
/// first priority filing with a known date: the earliest, ties broken by id.
fn priority_filings(facts: &MonitorFacts) -> BTreeMap<String, (String, &PatentApplicationFact)> {
    let mut first: BTreeMap<String, (String, &PatentApplicationFact)> = BTreeMap::new();
    for a in facts
        .patent_applications
        .iter()
        .filter(|a| a.is_priority && a.filing_date.is_some())
    {
        let family = family_key(a);
        let earlier = |b: &PatentApplicationFact| (a.filing_date, &a.id) < (b.filing_date, &b.id);
        match first.get(&family) {
            Some((_, b)) if !earlier(b) => {}
            _ => {
                first.insert(family.clone(), (family, a));
            }
        }
    }
    first
}

fn family_key(a: &PatentApplicationFact) -> String {
    let family = a.family_id.trim();
    if family.is_empty() {
        format!("record:{}", a.id)
    } else {
        format!("family:{family}")
    }
}

/// Incorporated at least `min_age_years` before `end` (same day counts, month ends
/// clamped) and not exited or dissolved on or before `end`. An exit or dissolution
/// without a date cannot be placed, so the company is not counted (data quality says so).
fn is_active_and_old_enough(s: &SpinOffFact, min_age_years: u32, end: NaiveDate) -> bool {
    let old_enough = s.incorporation_date.is_some_and(|inc| {
        add_months(inc, min_age_years.saturating_mul(12)).is_ok_and(|birthday| birthday <= end)
    });
    let active_at_end = match s.status {
        CompanyStatus::Active => true,
        CompanyStatus::Exited | CompanyStatus::Dissolved => s.status_date.is_some_and(|d| d > end),
    };
    old_enough && active_at_end
}

fn earns_toeslag(kind: PartnerKind) -> bool {
    matches!(kind, PartnerKind::PrivateCompany | PartnerKind::Charity)
}

/// One item per private company or charity per consortium, carrying its toeslag.
fn toeslag_items(
    facts: &MonitorFacts,
    year: i32,
) -> std::result::Result<Vec<Item<'_>>, Unavailable> {
    let mut by_consortium: BTreeMap<&str, Vec<&ContributionFact>> = BTreeMap::new();
    for c in facts.contributions.iter().filter(|c| c.year == year) {
        by_consortium
            .entry(c.consortium_id.as_str())
            .or_default()
            .push(c);
    }
    let mut out = Vec::new();
    for (consortium, contributions) in by_consortium {
        let partners: Vec<PartnerContribution> = contributions
            .iter()
            .map(|c| PartnerContribution {
                partner_id: c.partner_id.clone(),
                kind: c.partner_kind,
                cash: c.cash,
                in_kind_value: c.in_kind_value,
                in_kind_hours: c.in_kind_hours,
            })
            .collect();
        let toeslag = compute_toeslag(year, &partners, &ToeslagRules::RVO).map_err(|_| {
            (
                NotAvailableReason::InvalidRecords,
                contributions.iter().map(|c| c.id.clone()).collect(),
            )
        })?;
        for line in toeslag.partners.iter().filter(|l| earns_toeslag(l.kind)) {
            out.push(Item {
                record_ids: Ids::Many(
                    contributions
                        .iter()
                        .filter(|c| c.partner_id == line.partner_id)
                        .map(|c| c.id.as_str())
                        .collect(),
                ),
                count_key: Cow::Owned(format!("{consortium}/{}", line.partner_id)),
                amount: line.amount,
                dims: [Some((BreakdownKind::PartnerKind, line.kind.key())), None],
            });
        }
    }
    Ok(out)
}

/// Folds items into a figure: a count of distinct count keys, or a sum of amounts.
fn aggregate(def: &IndicatorDef, items: &[Item<'_>]) -> Figure {
    let value_of = |selected: &[&Item<'_>]| match def.rule.unit() {
        Unit::Eur => FigureValue::Amount(selected.iter().map(|i| i.amount).sum()),
        Unit::Number | Unit::Fte => {
            let mut keys: Vec<&str> = selected.iter().map(|i| i.count_key.as_ref()).collect();
            keys.sort_unstable();
            keys.dedup();
            FigureValue::Count(keys.len() as u64)
        }
    };
    let all: Vec<&Item<'_>> = items.iter().collect();
    let mut breakdowns = Vec::new();
    for &dim in &def.breakdowns {
        // Each member's items, in item order; members sorted (fixed ones are listed first).
        let mut members: BTreeMap<&str, Vec<&Item<'_>>> = BTreeMap::new();
        for item in items {
            for (_, member) in item.dims().filter(|(k, _)| *k == dim) {
                members.entry(member).or_default().push(item);
            }
        }
        let fixed = def.rule.fixed_members(dim);
        let extra = members.keys().filter(|m| !fixed.contains(m)).copied();
        for member in fixed.iter().copied().chain(extra) {
            breakdowns.push(Breakdown {
                key: format!("{}:{member}", dim.key()),
                value: value_of(members.get(member).map_or(&[], Vec::as_slice)),
            });
        }
    }
    let mut record_ids: Vec<&str> = items.iter().flat_map(Item::record_ids).copied().collect();
    record_ids.sort_unstable();
    record_ids.dedup();
    Figure {
        code: def.code.clone(),
        value: value_of(&all),
        breakdowns,
        record_ids: record_ids.into_iter().map(str::to_owned).collect(),
    }
}

// ---------------------------------------------------------------------------------------
// Data quality
// ---------------------------------------------------------------------------------------

/// Which kind of record a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "MonitorRecordKind")
)]
pub enum RecordKind {
    /// A disclosure.
    Disclosure,
    /// A patent application.
    PatentApplication,
    /// An agreement.
    Agreement,
    /// An income entry.
    Income,
    /// A spin-off or start-up.
    SpinOff,
    /// A funding round.
    FundingRound,
    /// A PPS contribution.
    Contribution,
    /// A scouting lead.
    ScoutingLead,
    /// Yearly office inputs.
    OfficeInputs,
}

/// What is wrong with a record. Serialised as `{"type": "missingDate", "field": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "QualityProblem")
)]
pub enum Problem {
    /// A date a figure needs is missing (camelCase field name).
    MissingDate {
        /// The field.
        field: String,
    },
    /// A kind a figure needs is missing.
    MissingKind {
        /// The field.
        field: String,
    },
    /// A value a figure sums is missing.
    MissingValue {
        /// The field.
        field: String,
    },
    /// Inventor shares do not add up to 100 %.
    InventorSharesNot100 {
        /// Their sum in basis points.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        sum_bp: u64,
    },
    /// A patent application has no family.
    MissingFamily,
    /// A family has more than one priority filing; only the earliest is counted.
    MultiplePriorityFilings {
        /// The family.
        family_id: String,
    },
    /// An amount is below zero.
    NegativeAmount {
        /// The field.
        field: String,
    },
    /// A partner appears with two kinds in one consortium and year.
    ConflictingPartnerKind,
    /// A visited lead has no research group; it counts as a group of its own.
    MissingResearchGroup,
    /// No yearly input of this field is recorded for the year.
    MissingInput {
        /// The field.
        field: String,
    },
    /// Records of the year disagree on this input.
    ConflictingInputs {
        /// The field.
        field: String,
    },
}

/// One data-quality finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct QualityWarning {
    /// The kind of record.
    pub record_kind: RecordKind,
    /// The record's id; `None` when the problem is a record that does not exist.
    pub record_id: Option<String>,
    /// What is wrong.
    pub problem: Problem,
}

/// Records that would make the period's figures wrong or incomplete.
///
/// A record without the date that places it in a year is always reported (it could
/// belong to any period); other problems are reported for records dated in the period.
/// Order: by record kind as listed in [`MonitorFacts`], then input order.
pub fn data_quality(facts: &MonitorFacts, period: &ReportingPeriod) -> Vec<QualityWarning> {
    let mut out = Vec::new();
    let mut warn = |record_kind, id: &str, problem| {
        out.push(QualityWarning {
            record_kind,
            record_id: Some(id.to_owned()),
            problem,
        })
    };
    let field = |f: &str| f.to_owned();
    let date = |f: &str| Problem::MissingDate { field: field(f) };
    let kind = |f: &str| Problem::MissingKind { field: field(f) };
    let value = |f: &str| Problem::MissingValue { field: field(f) };
    let negative = |f: &str| Problem::NegativeAmount { field: field(f) };
    // Undated records could be in the period; dated ones only matter when they are.
    let in_scope = |d: Option<NaiveDate>| d.is_none_or(|d| period.contains(d));

    for d in &facts.disclosures {
        if d.received_date.is_none() {
            warn(RecordKind::Disclosure, &d.id, date("receivedDate"));
        }
        let sum: u64 = d.inventor_shares_bp.iter().map(|s| u64::from(*s)).sum();
        if in_scope(d.received_date) && sum != 10_000 {
            warn(
                RecordKind::Disclosure,
                &d.id,
                Problem::InventorSharesNot100 { sum_bp: sum },
            );
        }
    }

    let mut priority_per_family: BTreeMap<&str, Vec<&PatentApplicationFact>> = BTreeMap::new();
    for a in &facts.patent_applications {
        if a.filing_date.is_none() {
            warn(RecordKind::PatentApplication, &a.id, date("filingDate"));
        }
        if in_scope(a.filing_date) && a.family_id.trim().is_empty() {
            warn(RecordKind::PatentApplication, &a.id, Problem::MissingFamily);
        }
        if a.is_priority && !a.family_id.trim().is_empty() {
            priority_per_family
                .entry(a.family_id.trim())
                .or_default()
                .push(a);
        }
    }
    for (family, apps) in priority_per_family {
        if apps.len() > 1 && apps.iter().any(|a| in_scope(a.filing_date)) {
            for a in apps {
                warn(
                    RecordKind::PatentApplication,
                    &a.id,
                    Problem::MultiplePriorityFilings {
                        family_id: family.to_owned(),
                    },
                );
            }
        }
    }

    for a in &facts.agreements {
        if a.signed_date.is_none() {
            warn(RecordKind::Agreement, &a.id, date("signedDate"));
        }
        if !in_scope(a.signed_date) {
            continue;
        }
        match a.kind {
            None => warn(RecordKind::Agreement, &a.id, kind("kind")),
            Some(k) => {
                let research = k.research_type_key().is_some();
                if (research || k.loa_key().is_some()) && a.partner_kind.is_none() {
                    warn(RecordKind::Agreement, &a.id, kind("partnerKind"));
                }
                if research && a.value.is_none() {
                    warn(RecordKind::Agreement, &a.id, value("value"));
                }
            }
        }
    }

    for i in &facts.income {
        if i.received_date.is_none() {
            warn(RecordKind::Income, &i.id, date("receivedDate"));
        }
        if in_scope(i.received_date) {
            if i.source_agreement_kind.is_none() {
                warn(RecordKind::Income, &i.id, kind("sourceAgreementKind"));
            }
            if i.kind.is_none() {
                warn(RecordKind::Income, &i.id, kind("kind"));
            }
        }
    }

    for s in &facts.spin_offs {
        if s.incorporation_date.is_none() {
            warn(RecordKind::SpinOff, &s.id, date("incorporationDate"));
        }
        if s.status != CompanyStatus::Active && s.status_date.is_none() {
            warn(RecordKind::SpinOff, &s.id, date("statusDate"));
        }
        for r in s
            .funding_rounds
            .iter()
            .filter(|r| r.external && r.date.is_none())
        {
            warn(RecordKind::FundingRound, &r.id, date("date"));
        }
    }

    let mut kinds: BTreeMap<(&str, &str), PartnerKind> = BTreeMap::new();
    for c in facts.contributions.iter().filter(|c| c.year == period.year) {
        if c.cash.is_negative() {
            warn(RecordKind::Contribution, &c.id, negative("cash"));
        }
        if c.in_kind_value.is_negative() {
            warn(RecordKind::Contribution, &c.id, negative("inKindValue"));
        }
        let first = *kinds
            .entry((c.consortium_id.as_str(), c.partner_id.as_str()))
            .or_insert(c.partner_kind);
        if first != c.partner_kind {
            warn(
                RecordKind::Contribution,
                &c.id,
                Problem::ConflictingPartnerKind,
            );
        }
    }

    for l in &facts.scouting_leads {
        if period.contains_opt(l.visit_date) && l.research_group.trim().is_empty() {
            warn(
                RecordKind::ScoutingLead,
                &l.id,
                Problem::MissingResearchGroup,
            );
        }
        let converted = l.outcome.and_then(LeadOutcome::conversion_key).is_some();
        if converted && l.outcome_date.is_none() {
            warn(RecordKind::ScoutingLead, &l.id, date("outcomeDate"));
        }
    }

    let year_inputs: Vec<&OfficeInputs> = facts
        .office_inputs
        .iter()
        .filter(|i| i.year == period.year)
        .collect();
    let checks: [(&str, InputPick); 3] = [
        ("researchExpenditure", |i| {
            i.research_expenditure.map(Money::cents)
        }),
        ("researchFte", |i| i.research_fte.map(i64::from)),
        ("ktoFte", |i| i.kto_fte.map(i64::from)),
    ];
    for (name, pick) in checks {
        let values: Vec<(&str, i64)> = year_inputs
            .iter()
            .filter_map(|i| pick(i).map(|v| (i.id.as_str(), v)))
            .collect();
        match values.first() {
            None => out.push(QualityWarning {
                record_kind: RecordKind::OfficeInputs,
                record_id: None,
                problem: Problem::MissingInput { field: field(name) },
            }),
            Some((_, v)) if values.iter().any(|(_, w)| w != v) => {
                for (id, _) in &values {
                    out.push(QualityWarning {
                        record_kind: RecordKind::OfficeInputs,
                        record_id: Some((*id).to_owned()),
                        problem: Problem::ConflictingInputs { field: field(name) },
                    });
                }
            }
            Some(_) => {}
        }
    }
    out
}

/// Reads one yearly input as a comparable number.
type InputPick = fn(&OfficeInputs) -> Option<i64>;

// ---------------------------------------------------------------------------------------
// Year over year
// ---------------------------------------------------------------------------------------

/// How a figure changed from the previous year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ChangeKind {
    /// Rose by more than the factor (or from zero to above zero).
    Increase,
    /// Fell by more than the factor (or to zero).
    Decrease,
    /// Not available last year, available now.
    BecameAvailable,
    /// Available last year, not available now.
    BecameUnavailable,
    /// The unit changed between the years (a definition change).
    UnitChanged,
}

/// A figure worth a second look before signing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "FigureChange"))]
pub struct Change {
    /// The indicator code.
    pub code: String,
    /// Last year's value.
    pub previous: FigureValue,
    /// This year's value.
    pub current: FigureValue,
    /// What happened.
    pub kind: ChangeKind,
}

/// Flags figures whose value moved by more than `factor_hundredths / 100` either way
/// (`200`: doubled or halved) between `previous` and `current`, matched by code.
///
/// Moving from zero to anything above it is an increase; to zero from above, a decrease.
/// A change of sign is always flagged. Codes present in only one year are skipped.
/// Output follows the order of `current`. Integer arithmetic only.
///
/// # Errors
/// [`MonitorError::InvalidChangeFactor`] unless `factor_hundredths > 100`.
pub fn year_over_year(
    current: &[Figure],
    previous: &[Figure],
    factor_hundredths: u32,
) -> Result<Vec<Change>> {
    if factor_hundredths <= 100 {
        return Err(MonitorError::InvalidChangeFactor {
            hundredths: factor_hundredths,
        });
    }
    let f = i128::from(factor_hundredths);
    let mut out = Vec::new();
    for cur in current {
        let Some(prev) = previous.iter().find(|p| p.code == cur.code) else {
            continue;
        };
        let kind = match (numeric(&prev.value), numeric(&cur.value)) {
            (None, None) => None,
            (None, Some(_)) => Some(ChangeKind::BecameAvailable),
            (Some(_), None) => Some(ChangeKind::BecameUnavailable),
            (Some(_), Some(_))
                if std::mem::discriminant(&prev.value) != std::mem::discriminant(&cur.value) =>
            {
                Some(ChangeKind::UnitChanged)
            }
            (Some(p), Some(c)) => {
                let direction = if c > p {
                    ChangeKind::Increase
                } else {
                    ChangeKind::Decrease
                };
                let moved = if p < 0 || c < 0 {
                    p != c
                } else {
                    c * 100 > p * f || c * f < p * 100
                };
                moved.then_some(direction)
            }
        };
        if let Some(kind) = kind {
            out.push(Change {
                code: cur.code.clone(),
                previous: prev.value,
                current: cur.value,
                kind,
            });
        }
    }
    Ok(out)
}

fn numeric(v: &FigureValue) -> Option<i128> {
    match v {
        FigureValue::Count(n) => Some(i128::from(*n)),
        FigureValue::Amount(m) => Some(i128::from(m.cents())),
        FigureValue::Fte(n) => Some(i128::from(*n)),
        FigureValue::NotAvailable { .. } => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
