//! Checks a spin-off's deal terms against one reference set, term by term.
//!
//! The result carries a machine code and the numbers involved (never a sentence), so the UI
//! words it in Dutch or English, plus the set's source so every verdict can be traced.

use serde::Serialize;

use super::deal::{DealTerms, TermKey, TermUnit};
use super::reference::{ReferenceSet, ReferenceSetId, TermRange};

/// The verdict for one term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum CheckStatus {
    /// The deal's value lies within one of the set's ranges for the term.
    WithinRange,
    /// The deal's value lies outside every range the set gives figures for.
    OutsideRange,
    /// The set gives no figures for the term (absent, or present without bounds).
    NotCovered,
    /// The deal leaves the term open.
    NotSet,
}

/// Why a term got its verdict; stable codes for translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum ReasonCode {
    /// Within `min..=max` of the matched range.
    InRange,
    /// Below the `min` of the nearest range.
    BelowMinimum,
    /// Above the `max` of the nearest range.
    AboveMaximum,
    /// The set names the term but holds no figures yet (e.g. UNL version 2.0).
    NoFiguresInSet,
    /// The set says nothing about the term.
    TermNotInSet,
    /// The deal leaves the term open.
    OpenInDeal,
}

/// The machine-readable reason: a code and the numbers involved, in `unit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    /// What happened.
    pub code: ReasonCode,
    /// Unit of `value`, `min` and `max`.
    pub unit: TermUnit,
    /// The deal's value, when set.
    #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
    pub value: Option<i64>,
    /// Lower bound of the matched or nearest range.
    #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
    pub min: Option<i64>,
    /// Upper bound of the matched or nearest range.
    #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
    pub max: Option<i64>,
}

/// The check of one term against one set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct TermCheck {
    /// The term checked.
    pub term: TermKey,
    /// The verdict.
    pub status: CheckStatus,
    /// Code and numbers behind the verdict.
    pub reason: Reason,
    /// The case of the matched or nearest range, e.g. "life and physical sciences".
    pub applies_to: Option<String>,
    /// The note of the matched or nearest range (or of the figureless range).
    pub note: Option<String>,
    /// Where in the source that range stands (page, section or article), when named.
    pub section: Option<String>,
    /// Id of the set checked against.
    pub set_id: ReferenceSetId,
    /// The set's source, so the verdict can be traced.
    pub source: String,
}

/// Checks every term of [`TermKey::ALL`] of `deal` against `set`, in that order.
///
/// Per term: the deal leaves it open → `NotSet`; the set has no range for it → `NotCovered`
/// (`termNotInSet`); the set's ranges have no bounds → `NotCovered` (`noFiguresInSet`);
/// the value is inside any range with figures → `WithinRange` (the first such range is
/// reported); otherwise `OutsideRange`, reporting the nearest range (smallest distance,
/// first on a tie). Bounds are inclusive.
pub fn check(deal: &DealTerms, set: &ReferenceSet) -> Vec<TermCheck> {
    TermKey::ALL
        .iter()
        .map(|&term| check_term(deal, set, term))
        .collect()
}

fn check_term(deal: &DealTerms, set: &ReferenceSet, term: TermKey) -> TermCheck {
    let value = deal.value_of(term);
    let ranges: Vec<&TermRange> = set.ranges_for(term).collect();
    let with_figures: Vec<&TermRange> =
        ranges.iter().copied().filter(|r| r.has_figures()).collect();

    let (status, code, range) = match value {
        None => (
            CheckStatus::NotSet,
            ReasonCode::OpenInDeal,
            with_figures.first().or(ranges.first()).copied(),
        ),
        Some(_) if ranges.is_empty() => (CheckStatus::NotCovered, ReasonCode::TermNotInSet, None),
        Some(_) if with_figures.is_empty() => (
            CheckStatus::NotCovered,
            ReasonCode::NoFiguresInSet,
            ranges.first().copied(),
        ),
        Some(v) => match with_figures.iter().find(|r| r.contains(v)) {
            Some(range) => (CheckStatus::WithinRange, ReasonCode::InRange, Some(*range)),
            None => {
                let nearest = with_figures.iter().copied().min_by_key(|r| r.distance(v));
                let code = match nearest.and_then(|r| r.min) {
                    Some(min) if v < min => ReasonCode::BelowMinimum,
                    _ => ReasonCode::AboveMaximum,
                };
                (CheckStatus::OutsideRange, code, nearest)
            }
        },
    };

    TermCheck {
        term,
        status,
        reason: Reason {
            code,
            unit: term.unit(),
            value,
            min: range.and_then(|r| r.min),
            max: range.and_then(|r| r.max),
        },
        applies_to: range.and_then(|r| r.applies_to.clone()),
        note: range.map(|r| r.note.clone()).filter(|n| !n.is_empty()),
        section: range.map(|r| r.section.clone()).filter(|s| !s.is_empty()),
        set_id: set.id.clone(),
        source: set.source.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;
    use crate::terms::deal::MinimumAnnualPayment;
    use crate::terms::reference::tests::shipped;

    fn deal(equity_bp: Option<u32>, royalty_bp: Option<u32>) -> DealTerms {
        DealTerms {
            university_equity_bp: equity_bp,
            royalty_rate_bp: royalty_bp,
            ..DealTerms::default()
        }
    }

    fn verdict(checks: &[TermCheck], term: TermKey) -> &TermCheck {
        checks.iter().find(|c| c.term == term).unwrap()
    }

    #[test]
    fn a_software_spin_off_with_15_percent_equity_and_4_percent_royalty_is_outside_usit_software_on_both(
    ) {
        let set = shipped("usit-software-2024");
        let checks = check(&deal(Some(1_500), Some(400)), &set);
        let equity = verdict(&checks, TermKey::UniversityEquity);
        assert_eq!(equity.status, CheckStatus::OutsideRange);
        assert_eq!(
            equity.reason,
            Reason {
                code: ReasonCode::AboveMaximum,
                unit: TermUnit::BasisPoints,
                value: Some(1_500),
                min: Some(500),
                max: Some(1_000)
            }
        );
        let royalty = verdict(&checks, TermKey::RoyaltyRate);
        assert_eq!(royalty.status, CheckStatus::OutsideRange);
        assert_eq!(royalty.reason.code, ReasonCode::AboveMaximum);
        assert_eq!(
            (royalty.reason.value, royalty.reason.max),
            (Some(400), Some(200))
        );
        assert_eq!(royalty.set_id.0, "usit-software-2024");
        assert!(royalty.source.contains("USIT"));
    }

    #[test]
    fn a_software_spin_off_on_usit_software_terms_signed_in_two_months_is_within_on_all_three() {
        let set = shipped("usit-software-2024");
        let terms = DealTerms {
            days_to_signing: Some(60),
            ..deal(Some(800), Some(100))
        };
        let checks = check(&terms, &set);
        for term in [
            TermKey::UniversityEquity,
            TermKey::RoyaltyRate,
            TermKey::DaysToSigning,
        ] {
            assert_eq!(
                verdict(&checks, term).status,
                CheckStatus::WithinRange,
                "{term:?}"
            );
        }
        assert_eq!(
            verdict(&checks, TermKey::ExitFee).status,
            CheckStatus::NotSet,
            "an exit fee the deal leaves open is reported as not set"
        );
    }

    #[test]
    fn usit_2023_accepts_15_percent_as_life_sciences_but_says_nothing_about_royalties() {
        let set = shipped("usit-2023");
        let checks = check(&deal(Some(1_500), Some(400)), &set);
        let equity = verdict(&checks, TermKey::UniversityEquity);
        assert_eq!(equity.status, CheckStatus::WithinRange);
        assert_eq!(equity.applies_to.as_deref(), Some("life sciences"));
        let royalty = verdict(&checks, TermKey::RoyaltyRate);
        assert_eq!(royalty.status, CheckStatus::NotCovered);
        assert_eq!(royalty.reason.code, ReasonCode::TermNotInSet);
    }

    #[test]
    fn usit_2023_puts_30_percent_above_the_nearest_range_of_10_to_25_percent() {
        let set = shipped("usit-2023");
        let equity = verdict(
            &check(&deal(Some(3_000), None), &set),
            TermKey::UniversityEquity,
        )
        .clone();
        assert_eq!(equity.status, CheckStatus::OutsideRange);
        assert_eq!(equity.reason.code, ReasonCode::AboveMaximum);
        assert_eq!(
            (equity.reason.min, equity.reason.max),
            (Some(1_000), Some(2_500))
        );
    }

    #[test]
    fn sprind_matches_3_percent_to_the_middle_band_and_finds_15_percent_too_high() {
        let set = shipped("sprind-2022");
        let middle = verdict(
            &check(&deal(Some(300), None), &set),
            TermKey::UniversityEquity,
        )
        .clone();
        assert_eq!(middle.status, CheckStatus::WithinRange);
        assert_eq!(
            (middle.reason.min, middle.reason.max),
            (Some(200), Some(500))
        );
        let high = verdict(
            &check(&deal(Some(1_500), None), &set),
            TermKey::UniversityEquity,
        )
        .clone();
        assert_eq!(high.status, CheckStatus::OutsideRange);
        assert_eq!(high.reason.max, Some(1_000));
    }

    #[test]
    fn eth_finds_1_percent_equity_below_its_baseline_and_holds_no_royalty_figures() {
        let set = shipped("eth-zurich-2025");
        let terms = DealTerms {
            minimum_annual_payment: Some(MinimumAnnualPayment {
                amount: Money::from_euros(5_000),
                from_contract_year: 6,
            }),
            ..deal(Some(100), Some(300))
        };
        let checks = check(&terms, &set);
        let equity = verdict(&checks, TermKey::UniversityEquity);
        assert_eq!(equity.status, CheckStatus::OutsideRange);
        assert_eq!(equity.reason.code, ReasonCode::BelowMinimum);
        assert_eq!(
            (equity.reason.value, equity.reason.min),
            (Some(100), Some(200))
        );
        for term in [TermKey::RoyaltyRate, TermKey::MinimumAnnualPayment] {
            let c = verdict(&checks, term);
            assert_eq!(c.status, CheckStatus::NotCovered, "{term:?}");
            assert_eq!(c.reason.code, ReasonCode::NoFiguresInSet, "{term:?}");
            assert!(c.note.is_some());
        }
    }

    #[test]
    fn us_practice_accepts_a_4_percent_stake_and_a_3_percent_royalty_but_not_20_percent_of_sublicence_income(
    ) {
        let set = shipped("us-practice");
        let terms = DealTerms {
            exit_fee_bp: Some(100),
            sublicence_share_bp: Some(2_000),
            ..deal(Some(400), Some(300))
        };
        let checks = check(&terms, &set);
        // MIT takes "less than 5 percent": 4 % is inside, not below a minimum.
        let equity = verdict(&checks, TermKey::UniversityEquity);
        assert_eq!(equity.status, CheckStatus::WithinRange);
        assert_eq!(equity.applies_to.as_deref(), Some("MIT"));
        assert!(equity
            .section
            .as_deref()
            .is_some_and(|s| s.contains("p. 58")));
        assert_eq!(
            verdict(&checks, TermKey::RoyaltyRate).status,
            CheckStatus::WithinRange
        );
        assert_eq!(
            verdict(&checks, TermKey::ExitFee).status,
            CheckStatus::WithinRange
        );
        // WashU's sliding share runs from 15 % down to 5 %: 20 % is above it.
        let sublicence = verdict(&checks, TermKey::SublicenceIncomeShare);
        assert_eq!(sublicence.status, CheckStatus::OutsideRange);
        assert_eq!(sublicence.applies_to.as_deref(), Some("WashU"));
        assert_eq!(
            (sublicence.reason.value, sublicence.reason.max),
            (Some(2_000), Some(1_500))
        );
    }

    #[test]
    fn a_5_percent_stake_is_above_mits_less_than_5_percent_and_washus_success_fee_is_0_95_percent()
    {
        let set = shipped("us-practice");
        let terms = DealTerms {
            exit_fee_bp: Some(95),
            ..deal(Some(500), None)
        };
        let checks = check(&terms, &set);
        let equity = verdict(&checks, TermKey::UniversityEquity);
        assert_eq!(equity.status, CheckStatus::OutsideRange);
        assert_eq!(equity.reason.code, ReasonCode::AboveMaximum);
        assert_eq!(equity.reason.max, Some(499));
        let fee = verdict(&checks, TermKey::ExitFee);
        assert_eq!(fee.status, CheckStatus::WithinRange);
        assert_eq!(fee.applies_to.as_deref(), Some("WashU"));
    }

    #[test]
    fn eth_does_not_check_term_sheet_to_signing_against_its_weeks_from_documents_to_founding() {
        let set = shipped("eth-zurich-2025");
        let terms = DealTerms {
            days_to_signing: Some(120),
            ..DealTerms::default()
        };
        let days = verdict(&check(&terms, &set), TermKey::DaysToSigning).clone();
        assert_eq!(days.status, CheckStatus::NotCovered);
        assert_eq!(days.reason.code, ReasonCode::NoFiguresInSet);
    }

    #[test]
    fn the_unl_set_reports_every_set_term_as_not_covered_until_its_figures_are_filled_in() {
        let set = shipped("unl-ip-deal-terms-2025");
        let checks = check(&deal(Some(1_000), Some(200)), &set);
        for term in [TermKey::UniversityEquity, TermKey::RoyaltyRate] {
            let c = verdict(&checks, term);
            assert_eq!(c.status, CheckStatus::NotCovered);
            assert_eq!(c.reason.code, ReasonCode::NoFiguresInSet);
        }
        let open = verdict(&checks, TermKey::ExitFee);
        assert_eq!(open.status, CheckStatus::NotSet);
        assert_eq!(open.reason.code, ReasonCode::OpenInDeal);
        assert_eq!(checks.len(), TermKey::ALL.len());
    }

    #[test]
    fn a_check_serialises_with_camel_case_codes_for_the_ui() {
        let set = shipped("usit-software-2024");
        let checks = check(&deal(Some(1_500), None), &set);
        let json = serde_json::to_value(&checks[0]).unwrap();
        assert_eq!(json["status"], "outsideRange");
        assert_eq!(json["reason"]["code"], "aboveMaximum");
        assert_eq!(json["reason"]["unit"], "basisPoints");
        assert_eq!(json["setId"], "usit-software-2024");
    }
}
