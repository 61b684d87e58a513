//! The deal terms of a spin-off, as agreed in (or left open by) its term sheet.
//!
//! Percentages are basis points (`10_000` = 100 %), money is [`Money`]. `None` means the term
//! sheet leaves a term open; it is never read as zero. Nothing here depends on the other
//! terms modules except the error type.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::error::{Result, TermsError};
use crate::money::Money;

/// 100 % in basis points.
pub const FULL_BP: u32 = 10_000;

/// Which of the three UNL templates the deal follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum DealForm {
    /// A (fully dilutive) minority equity stake, no royalties.
    Equity,
    /// A licence with royalties, no equity.
    Royalty,
    /// Some equity and some royalty.
    Hybrid,
}

/// What the royalty rate is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum RoyaltyBase {
    /// Net sales of licensed products (gross invoiced less returns, discounts, taxes, freight).
    NetSales,
    /// Gross invoiced sales of licensed products.
    GrossSales,
    /// Gross profit (sales less cost of goods sold) of licensed products.
    GrossProfit,
    /// The company's total revenue, common for software where products are hard to separate.
    TotalRevenue,
}

/// Anti-dilution protection of a stake (see [`crate::terms::captable`] for the formulas).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum AntiDilution {
    /// Fully dilutive: no protection (what the UNL principles ask of the university).
    #[default]
    None,
    /// The conversion price falls to the new, lower round price.
    FullRatchet,
    /// The conversion price falls by the broad-based weighted average of old and new price.
    BroadBasedWeightedAverage,
    /// As the broad-based average, but `A` counts only the preferred outstanding (as
    /// converted), so the adjustment is larger.
    NarrowBasedWeightedAverage,
}

/// A payment due when the company reaches an objective milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct Milestone {
    /// What must be reached, e.g. "first patient dosed in phase II".
    pub description: String,
    /// The amount due when it is reached.
    pub amount: Money,
    /// The date by which it should be reached, if agreed.
    #[serde(default)]
    pub due: Option<NaiveDate>,
}

/// A minimum yearly payment (credited against royalties) and from which contract year on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct MinimumAnnualPayment {
    /// The minimum per contract year.
    pub amount: Money,
    /// The first contract year it applies to; year 1 starts on signing.
    pub from_contract_year: u32,
}

/// Whether the company pays back the patent costs the university made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PatentCostReimbursement {
    /// The company reimburses nothing.
    NotReimbursed,
    /// The company reimburses all past patent costs (amount not fixed in the term sheet).
    AllCosts,
    /// The company reimburses this fixed amount.
    FixedAmount {
        /// The amount to reimburse.
        amount: Money,
    },
}

/// The deal terms of one spin-off. Every field may be open (`None` or empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(default, rename_all = "camelCase")]
pub struct DealTerms {
    /// Equity, royalty or hybrid.
    pub form: Option<DealForm>,
    /// The university's equity at founding, in basis points of the fully diluted shares.
    pub university_equity_bp: Option<u32>,
    /// Royalty rate in basis points of [`DealTerms::royalty_base`].
    pub royalty_rate_bp: Option<u32>,
    /// What the royalty rate is applied to.
    pub royalty_base: Option<RoyaltyBase>,
    /// Months after signing during which no royalty is due.
    pub royalty_free_months: Option<u32>,
    /// The university's share of sublicence income, in basis points.
    pub sublicence_share_bp: Option<u32>,
    /// Fee on the exit value (sale of the company), in basis points.
    pub exit_fee_bp: Option<u32>,
    /// Anti-dilution protection of the university's stake.
    pub anti_dilution: Option<AntiDilution>,
    /// Milestone payments; empty when none are agreed.
    pub milestones: Vec<Milestone>,
    /// Minimum yearly payment.
    pub minimum_annual_payment: Option<MinimumAnnualPayment>,
    /// Reimbursement of past patent costs.
    pub patent_costs: Option<PatentCostReimbursement>,
    /// Agreed days from term sheet to signed documents.
    pub days_to_signing: Option<u32>,
}

/// A term that can be compared with a reference range. Each term has one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum TermKey {
    /// [`DealTerms::university_equity_bp`].
    UniversityEquity,
    /// [`DealTerms::royalty_rate_bp`].
    RoyaltyRate,
    /// [`DealTerms::royalty_free_months`].
    RoyaltyFreePeriod,
    /// [`DealTerms::sublicence_share_bp`].
    SublicenceIncomeShare,
    /// [`DealTerms::exit_fee_bp`].
    ExitFee,
    /// The amount of [`DealTerms::minimum_annual_payment`].
    MinimumAnnualPayment,
    /// [`DealTerms::days_to_signing`].
    DaysToSigning,
}

/// The unit in which a term's value and its reference bounds are held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum TermUnit {
    /// Basis points, `10_000` = 100 %.
    BasisPoints,
    /// Whole months.
    Months,
    /// Calendar days.
    Days,
    /// Euro cents, as in [`Money::cents`].
    EuroCents,
}

impl TermKey {
    /// Every term, in the order a UI lists them.
    pub const ALL: [TermKey; 7] = [
        TermKey::UniversityEquity,
        TermKey::RoyaltyRate,
        TermKey::RoyaltyFreePeriod,
        TermKey::SublicenceIncomeShare,
        TermKey::ExitFee,
        TermKey::MinimumAnnualPayment,
        TermKey::DaysToSigning,
    ];

    /// The unit of this term's values and bounds.
    pub const fn unit(self) -> TermUnit {
        match self {
            TermKey::UniversityEquity
            | TermKey::RoyaltyRate
            | TermKey::SublicenceIncomeShare
            | TermKey::ExitFee => TermUnit::BasisPoints,
            TermKey::RoyaltyFreePeriod => TermUnit::Months,
            TermKey::MinimumAnnualPayment => TermUnit::EuroCents,
            TermKey::DaysToSigning => TermUnit::Days,
        }
    }
}

impl DealTerms {
    /// The value of `key` in the unit of [`TermKey::unit`], or `None` when the deal leaves it open.
    pub fn value_of(&self, key: TermKey) -> Option<i64> {
        match key {
            TermKey::UniversityEquity => self.university_equity_bp.map(i64::from),
            TermKey::RoyaltyRate => self.royalty_rate_bp.map(i64::from),
            TermKey::RoyaltyFreePeriod => self.royalty_free_months.map(i64::from),
            TermKey::SublicenceIncomeShare => self.sublicence_share_bp.map(i64::from),
            TermKey::ExitFee => self.exit_fee_bp.map(i64::from),
            TermKey::MinimumAnnualPayment => self.minimum_annual_payment.map(|m| m.amount.cents()),
            TermKey::DaysToSigning => self.days_to_signing.map(i64::from),
        }
    }

    /// Checks that the terms are possible: percentages at most 100 %, amounts not negative,
    /// contract years from 1.
    ///
    /// # Errors
    /// [`TermsError::BasisPointsAboveFull`], [`TermsError::NegativeAmount`] or
    /// [`TermsError::InvalidInput`] naming the first offending term.
    pub fn validate(&self) -> Result<()> {
        let percentages = [
            ("the university's equity", self.university_equity_bp),
            ("the royalty rate", self.royalty_rate_bp),
            ("the sublicence income share", self.sublicence_share_bp),
            ("the exit fee", self.exit_fee_bp),
        ];
        for (what, value) in percentages {
            check_bp(what, value)?;
        }
        for milestone in &self.milestones {
            check_amount("a milestone amount", milestone.amount)?;
        }
        if let Some(minimum) = self.minimum_annual_payment {
            check_amount("the minimum annual payment", minimum.amount)?;
            if minimum.from_contract_year == 0 {
                return Err(TermsError::InvalidInput {
                    attempted: "checking the minimum annual payment",
                    problem: "contract year 0 does not exist; enter 1 for the first year \
                              after signing"
                        .to_owned(),
                });
            }
        }
        if let Some(PatentCostReimbursement::FixedAmount { amount }) = self.patent_costs {
            check_amount("the patent cost reimbursement", amount)?;
        }
        Ok(())
    }
}

/// Fails when a basis-point figure is above 100 %.
pub(crate) fn check_bp(what: &'static str, value: Option<u32>) -> Result<()> {
    match value {
        Some(value) if value > FULL_BP => Err(TermsError::BasisPointsAboveFull { what, value }),
        _ => Ok(()),
    }
}

/// Fails when an amount is negative.
pub(crate) fn check_amount(what: &'static str, amount: Money) -> Result<()> {
    if amount.is_negative() {
        Err(TermsError::NegativeAmount { what, amount })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_term_sheet_reads_from_an_empty_json_object() {
        let terms: DealTerms = serde_json::from_str("{}").unwrap();
        assert_eq!(terms, DealTerms::default());
        assert_eq!(terms.value_of(TermKey::RoyaltyRate), None);
        assert!(terms.validate().is_ok());
    }

    #[test]
    fn deal_terms_round_trip_through_camel_case_json() {
        let terms = DealTerms {
            form: Some(DealForm::Hybrid),
            university_equity_bp: Some(500),
            royalty_rate_bp: Some(200),
            royalty_base: Some(RoyaltyBase::NetSales),
            royalty_free_months: Some(24),
            sublicence_share_bp: Some(1_000),
            exit_fee_bp: Some(100),
            anti_dilution: Some(AntiDilution::BroadBasedWeightedAverage),
            milestones: vec![Milestone {
                description: "CE mark".to_owned(),
                amount: Money::from_euros(50_000),
                due: NaiveDate::from_ymd_opt(2027, 6, 30),
            }],
            minimum_annual_payment: Some(MinimumAnnualPayment {
                amount: Money::from_euros(5_000),
                from_contract_year: 6,
            }),
            patent_costs: Some(PatentCostReimbursement::FixedAmount {
                amount: Money::from_euros(20_000),
            }),
            days_to_signing: Some(90),
        };
        let json = serde_json::to_value(&terms).unwrap();
        assert_eq!(json["universityEquityBp"], 500);
        assert_eq!(json["antiDilution"], "broadBasedWeightedAverage");
        assert_eq!(json["royaltyBase"], "netSales");
        assert_eq!(json["patentCosts"]["kind"], "fixedAmount");
        assert_eq!(json["minimumAnnualPayment"]["fromContractYear"], 6);
        assert_eq!(json["milestones"][0]["due"], "2027-06-30");
        let back: DealTerms = serde_json::from_value(json).unwrap();
        assert_eq!(back, terms);
        assert_eq!(back.value_of(TermKey::MinimumAnnualPayment), Some(500_000));
    }

    #[test]
    fn a_royalty_above_one_hundred_percent_is_refused() {
        let terms = DealTerms {
            royalty_rate_bp: Some(10_001),
            ..DealTerms::default()
        };
        assert_eq!(
            terms.validate(),
            Err(TermsError::BasisPointsAboveFull {
                what: "the royalty rate",
                value: 10_001
            })
        );
    }

    #[test]
    fn a_negative_milestone_or_contract_year_zero_is_refused() {
        let negative = DealTerms {
            milestones: vec![Milestone {
                description: "x".to_owned(),
                amount: Money::from_cents(-1),
                due: None,
            }],
            ..DealTerms::default()
        };
        assert!(matches!(
            negative.validate(),
            Err(TermsError::NegativeAmount { .. })
        ));
        let year_zero = DealTerms {
            minimum_annual_payment: Some(MinimumAnnualPayment {
                amount: Money::ZERO,
                from_contract_year: 0,
            }),
            ..DealTerms::default()
        };
        assert!(matches!(
            year_zero.validate(),
            Err(TermsError::InvalidInput { .. })
        ));
    }
}
