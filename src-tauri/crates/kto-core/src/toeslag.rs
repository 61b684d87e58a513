//! The PPS-toeslag (formerly TKI-toeslag) of one consortium for one year: the RVO
//! supplement on private partners' contributions to a public-private research project.
//!
//! Rules (RVO scheme), applied per partner:
//! - from 2018 on, a private company earns 40 % on its first €20,000 and 30 % on the
//!   cash above it. The first €20,000 may be cash or in kind; in kind fills it first
//!   (the reading most favourable to the consortium, as the scheme allows in kind there),
//!   cash fills the rest, and in kind beyond €20,000 earns nothing;
//! - from 2018 on, a charity (ANBI) earns 25 % on its cash; its in kind earns nothing;
//! - a non-profit without ANBI status (a foundation or association the tax authority has
//!   not recognised) is not a private party of the scheme and earns nothing;
//! - before 2018, private companies and ANBI charities earn 25 % flat on cash only (the pre-2018
//!   scheme had neither the 40 % tranche nor in kind);
//! - research organisations and public bodies earn nothing.
//!
//! In-kind hours are valued at €60 an hour. `year` is the calendar year the contributions
//! were paid in; it picks the regime.
//!
//! Rounding: each partner's amount is the exact weighted sum of its base in cents
//! (`Σ cents × basis points / 10,000`), rounded once, half up, to a whole cent. The
//! consortium total is the sum of the rounded partner amounts, so the lines add up.

use serde::{Deserialize, Serialize};

use crate::money::Money;

/// Why a PPS-toeslag could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ToeslagError {
    /// A partner contribution is below zero.
    #[error("could not compute the PPS-toeslag: partner {partner_id} has a negative contribution")]
    NegativeContribution {
        /// The partner whose contribution is negative.
        partner_id: String,
    },

    /// One partner appears with two different kinds in one consortium.
    #[error(
        "could not compute the PPS-toeslag: partner {partner_id} appears with two different kinds"
    )]
    ConflictingPartnerKind {
        /// The partner with conflicting kinds.
        partner_id: String,
    },
}

/// Result of the fallible functions of this module.
pub type Result<T> = std::result::Result<T, ToeslagError>;

/// The kind of a consortium partner, as the toeslag scheme distinguishes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum PartnerKind {
    /// A company: earns 40 % / 30 %.
    PrivateCompany,
    /// A charity with ANBI status: earns 25 % on cash.
    Charity,
    /// A non-profit without ANBI status: earns nothing.
    NonProfit,
    /// A university, UMC, TO2 institute or other research organisation: earns nothing.
    ResearchOrganisation,
    /// A government body: earns nothing.
    PublicBody,
}

impl PartnerKind {
    /// The camelCase key used in breakdowns and JSON.
    pub fn key(self) -> &'static str {
        match self {
            PartnerKind::PrivateCompany => "privateCompany",
            PartnerKind::Charity => "charity",
            PartnerKind::NonProfit => "nonProfit",
            PartnerKind::ResearchOrganisation => "researchOrganisation",
            PartnerKind::PublicBody => "publicBody",
        }
    }
}

/// One partner's contributions to the consortium in the year.
///
/// In kind is `in_kind_value` plus `in_kind_hours` × €60. Several entries with the same
/// `partner_id` are added together before the rules apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartnerContribution {
    /// The partner's id (organisation record), opaque here.
    pub partner_id: String,
    /// What kind of partner it is.
    pub kind: PartnerKind,
    /// Cash paid to the research organisations.
    pub cash: Money,
    /// In kind given as an amount.
    #[serde(default)]
    pub in_kind_value: Money,
    /// In kind given as whole hours, valued at the scheme's hourly rate.
    #[serde(default)]
    pub in_kind_hours: u32,
}

/// The parameters of the scheme; [`ToeslagRules::RVO`] is the one in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToeslagRules {
    /// First year of the 40 % / 30 % regime.
    pub regime_start_year: i32,
    /// The first tranche per private party.
    pub first_tranche: Money,
    /// Rate on the first tranche, in basis points.
    pub first_tranche_bp: i64,
    /// Rate on private cash above the first tranche, in basis points.
    pub above_tranche_bp: i64,
    /// Rate on charity (ANBI) cash, in basis points.
    pub charity_bp: i64,
    /// Flat rate on cash before `regime_start_year`, in basis points.
    pub before_regime_bp: i64,
    /// Value of one in-kind hour.
    pub in_kind_hour: Money,
}

impl ToeslagRules {
    /// The RVO scheme: from 2018 40 % on the first €20,000 and 30 % above; 25 % for
    /// charities; 25 % before 2018; €60 per in-kind hour.
    pub const RVO: ToeslagRules = ToeslagRules {
        regime_start_year: 2018,
        first_tranche: Money::from_euros(20_000),
        first_tranche_bp: 4_000,
        above_tranche_bp: 3_000,
        charity_bp: 2_500,
        before_regime_bp: 2_500,
        in_kind_hour: Money::from_euros(60),
    };
}

impl Default for ToeslagRules {
    fn default() -> Self {
        ToeslagRules::RVO
    }
}

/// The toeslag one partner generates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PartnerToeslag {
    /// The partner's id.
    pub partner_id: String,
    /// The partner's kind.
    pub kind: PartnerKind,
    /// Total cash of the partner in the year.
    pub cash: Money,
    /// Total in kind (amount plus valued hours).
    pub in_kind: Money,
    /// The part of the base at the first-tranche rate (40 %); zero outside that regime.
    pub first_tranche: Money,
    /// The part of the base at the other rate (30 % private cash, or 25 %).
    pub rest: Money,
    /// What the toeslag is computed on: `first_tranche + rest`.
    pub base: Money,
    /// The toeslag, rounded to a cent.
    pub amount: Money,
}

/// The toeslag of a consortium for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ConsortiumToeslag {
    /// The contribution year.
    pub year: i32,
    /// One line per partner, in order of first appearance.
    pub partners: Vec<PartnerToeslag>,
    /// Sum of the partners' bases.
    pub total_base: Money,
    /// Sum of the partners' amounts.
    pub total_amount: Money,
    /// True when there is at least one research organisation and one private company,
    /// as the scheme requires of a collaboration. Reported, not enforced.
    pub meets_composition_rule: bool,
}

/// Computes the toeslag of one consortium for one contribution year.
///
/// # Errors
/// [`ToeslagError::NegativeContribution`] when cash or in kind is negative;
/// [`ToeslagError::ConflictingPartnerKind`] when one partner id has two kinds.
pub fn compute_toeslag(
    year: i32,
    partners: &[PartnerContribution],
    rules: &ToeslagRules,
) -> Result<ConsortiumToeslag> {
    // Merge entries per partner, keeping first-appearance order.
    let mut merged: Vec<(String, PartnerKind, Money, Money)> = Vec::new();
    for p in partners {
        let in_kind = p.in_kind_value
            + Money::from_cents(
                rules
                    .in_kind_hour
                    .cents()
                    .saturating_mul(i64::from(p.in_kind_hours)),
            );
        if p.cash.is_negative() || p.in_kind_value.is_negative() {
            return Err(ToeslagError::NegativeContribution {
                partner_id: p.partner_id.clone(),
            });
        }
        match merged.iter_mut().find(|m| m.0 == p.partner_id) {
            Some(m) if m.1 != p.kind => {
                return Err(ToeslagError::ConflictingPartnerKind {
                    partner_id: p.partner_id.clone(),
                })
            }
            Some(m) => {
                m.2 += p.cash;
                m.3 += in_kind;
            }
            None => merged.push((p.partner_id.clone(), p.kind, p.cash, in_kind)),
        }
    }

    let lines: Vec<PartnerToeslag> = merged
        .into_iter()
        .map(|(partner_id, kind, cash, in_kind)| {
            let (first_tranche, first_bp, rest, rest_bp) =
                split_base(year, kind, cash, in_kind, rules);
            PartnerToeslag {
                partner_id,
                kind,
                cash,
                in_kind,
                first_tranche,
                rest,
                base: first_tranche + rest,
                amount: weighted(&[(first_tranche, first_bp), (rest, rest_bp)]),
            }
        })
        .collect();

    let has = |k: PartnerKind| lines.iter().any(|l| l.kind == k);
    Ok(ConsortiumToeslag {
        year,
        total_base: lines.iter().map(|l| l.base).sum(),
        total_amount: lines.iter().map(|l| l.amount).sum(),
        meets_composition_rule: has(PartnerKind::ResearchOrganisation)
            && has(PartnerKind::PrivateCompany),
        partners: lines,
    })
}

/// The base split into (first tranche, its rate, rest, its rate), rates in basis points.
fn split_base(
    year: i32,
    kind: PartnerKind,
    cash: Money,
    in_kind: Money,
    rules: &ToeslagRules,
) -> (Money, i64, Money, i64) {
    let none = (Money::ZERO, 0, Money::ZERO, 0);
    match kind {
        PartnerKind::NonProfit | PartnerKind::ResearchOrganisation | PartnerKind::PublicBody => {
            none
        }
        PartnerKind::PrivateCompany | PartnerKind::Charity if year < rules.regime_start_year => {
            (Money::ZERO, 0, cash, rules.before_regime_bp)
        }
        PartnerKind::Charity => (Money::ZERO, 0, cash, rules.charity_bp),
        PartnerKind::PrivateCompany => {
            let in_kind_part = in_kind.min(rules.first_tranche);
            let cash_part = cash.min(rules.first_tranche - in_kind_part);
            (
                in_kind_part + cash_part,
                rules.first_tranche_bp,
                cash - cash_part,
                rules.above_tranche_bp,
            )
        }
    }
}

/// `Σ amount × bp / 10,000` over non-negative parts, rounded once, half up, to a cent.
fn weighted(parts: &[(Money, i64)]) -> Money {
    let num: i128 = parts
        .iter()
        .map(|(m, bp)| i128::from(m.cents()) * i128::from(*bp))
        .sum();
    let cents = (num + 5_000).div_euclid(10_000);
    Money::from_cents(cents.clamp(0, i128::from(i64::MAX)) as i64)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur(cents: i64) -> Money {
        Money::from_cents(cents)
    }

    fn partner(
        id: &str,
        kind: PartnerKind,
        cash: i64,
        in_kind: i64,
        hours: u32,
    ) -> PartnerContribution {
        PartnerContribution {
            partner_id: id.into(),
            kind,
            cash: eur(cash),
            in_kind_value: eur(in_kind),
            in_kind_hours: hours,
        }
    }

    fn one(year: i32, p: PartnerContribution) -> PartnerToeslag {
        compute_toeslag(year, &[p], &ToeslagRules::RVO)
            .unwrap()
            .partners
            .remove(0)
    }

    use PartnerKind::*;

    #[test]
    fn private_partner_edges_follow_the_40_30_rule() {
        // (case, kind, cash cents, in-kind cents, hours, base cents, toeslag cents)
        let cases: &[(&str, PartnerKind, i64, i64, u32, i64, i64)] = &[
            (
                "exactly 20,000 cash",
                PrivateCompany,
                2_000_000,
                0,
                0,
                2_000_000,
                800_000,
            ),
            (
                "20,000 in kind only",
                PrivateCompany,
                0,
                2_000_000,
                0,
                2_000_000,
                800_000,
            ),
            (
                "20,000 in kind as 333 hours + 20",
                PrivateCompany,
                0,
                2_000,
                333,
                2_000_000,
                800_000,
            ),
            (
                "30,000 in kind only: excess earns nothing",
                PrivateCompany,
                0,
                3_000_000,
                0,
                2_000_000,
                800_000,
            ),
            (
                "19,999.99 cash",
                PrivateCompany,
                1_999_999,
                0,
                0,
                1_999_999,
                800_000,
            ),
            (
                "19,999.99 cash + 0.02 in kind",
                PrivateCompany,
                1_999_999,
                2,
                0,
                2_000_001,
                800_000,
            ),
            (
                "20,000.01 cash",
                PrivateCompany,
                2_000_001,
                0,
                0,
                2_000_001,
                800_000,
            ),
            (
                "30,000 cash",
                PrivateCompany,
                3_000_000,
                0,
                0,
                3_000_000,
                1_100_000,
            ),
            (
                "15,000 in kind + 10,000 cash",
                PrivateCompany,
                1_000_000,
                1_500_000,
                0,
                2_500_000,
                950_000,
            ),
            (
                "25,000 in kind + 10,000 cash",
                PrivateCompany,
                1_000_000,
                2_500_000,
                0,
                3_000_000,
                1_100_000,
            ),
            (
                "charity cash and in kind",
                Charity,
                1_000_000,
                500_000,
                0,
                1_000_000,
                250_000,
            ),
            (
                "research organisation",
                ResearchOrganisation,
                5_000_000,
                100_000,
                0,
                0,
                0,
            ),
            ("public body", PublicBody, 5_000_000, 0, 0, 0, 0),
            ("zero contributions", PrivateCompany, 0, 0, 0, 0, 0),
        ];
        for &(case, kind, cash, ik, hours, base, amount) in cases {
            let line = one(2025, partner("p", kind, cash, ik, hours));
            assert_eq!(
                (line.base.cents(), line.amount.cents()),
                (base, amount),
                "{case}"
            );
        }
    }

    #[test]
    fn two_entries_of_19_999_99_and_0_02_are_one_party_crossing_the_tranche() {
        let t = compute_toeslag(
            2025,
            &[
                partner("p", PrivateCompany, 1_999_999, 0, 0),
                partner("p", PrivateCompany, 2, 0, 0),
            ],
            &ToeslagRules::RVO,
        )
        .unwrap();
        assert_eq!(t.partners.len(), 1);
        let l = &t.partners[0];
        assert_eq!((l.first_tranche.cents(), l.rest.cents()), (2_000_000, 1));
        // 2,000,000 × 40 % + 1 × 30 % = 800,000.3 cents -> 800,000.
        assert_eq!(l.amount.cents(), 800_000);
    }

    #[test]
    fn rounding_is_half_up_once_per_partner() {
        // 6 cents at 25 % = 1.5 -> 2.
        assert_eq!(one(2025, partner("p", Charity, 6, 0, 0)).amount.cents(), 2);
        // 2,000,000 at 40 % + 1 at 30 % = 800,000.3 -> 800,000.
        let l = one(2025, partner("p", PrivateCompany, 2_000_001, 0, 0));
        assert_eq!(l.amount.cents(), 800_000);
        let l = one(2016, partner("p", PrivateCompany, 2, 0, 0));
        assert_eq!(l.amount.cents(), 1); // 0.5 -> 1
    }

    #[test]
    fn before_2018_the_rate_is_25_percent_flat_on_cash() {
        let y2017 = one(2017, partner("p", PrivateCompany, 3_000_000, 1_000_000, 0));
        let y2018 = one(2018, partner("p", PrivateCompany, 3_000_000, 1_000_000, 0));
        assert_eq!(
            (y2017.base.cents(), y2017.amount.cents()),
            (3_000_000, 750_000)
        );
        // 2018: 10,000 in kind + 10,000 cash at 40 %, 20,000 cash at 30 %.
        assert_eq!(
            (y2018.base.cents(), y2018.amount.cents()),
            (4_000_000, 1_400_000)
        );
        let charity2017 = one(2017, partner("c", Charity, 1_000_000, 0, 0));
        assert_eq!(charity2017.amount.cents(), 250_000);
    }

    #[test]
    fn a_non_profit_without_anbi_status_earns_nothing_while_an_anbi_charity_earns_25_percent() {
        for year in [2017, 2025] {
            let non_profit = one(year, partner("n", NonProfit, 1_000_000, 500_000, 10));
            assert_eq!(non_profit.amount, Money::ZERO, "{year}");
            let charity = one(year, partner("c", Charity, 1_000_000, 500_000, 10));
            assert_eq!(charity.amount.cents(), 250_000, "{year}");
        }
    }

    #[test]
    fn the_consortium_total_is_the_sum_of_partner_lines() {
        let t = compute_toeslag(
            2024,
            &[
                partner("uni", ResearchOrganisation, 0, 5_000_000, 0),
                partner("acme", PrivateCompany, 3_000_000, 0, 0),
                partner("kwf", Charity, 1_000_000, 0, 0),
                partner("acme", PrivateCompany, 0, 0, 10),
            ],
            &ToeslagRules::RVO,
        )
        .unwrap();
        let ids: Vec<_> = t.partners.iter().map(|p| p.partner_id.as_str()).collect();
        assert_eq!(ids, ["uni", "acme", "kwf"]);
        // acme: 600 in kind + 19,400 cash at 40 %, 10,600 cash at 30 % = 8,000 + 3,180.
        assert_eq!(t.partners[1].amount.cents(), 1_118_000);
        assert_eq!(t.total_amount.cents(), 1_118_000 + 250_000);
        assert_eq!(t.total_base.cents(), 3_060_000 + 1_000_000);
        assert!(t.meets_composition_rule);
    }

    #[test]
    fn a_consortium_without_research_organisation_is_flagged() {
        let t = compute_toeslag(
            2024,
            &[partner("acme", PrivateCompany, 100, 0, 0)],
            &ToeslagRules::RVO,
        )
        .unwrap();
        assert!(!t.meets_composition_rule);
    }

    #[test]
    fn an_empty_consortium_generates_nothing() {
        let t = compute_toeslag(2024, &[], &ToeslagRules::RVO).unwrap();
        assert_eq!((t.total_base, t.total_amount), (Money::ZERO, Money::ZERO));
    }

    #[test]
    fn negative_contributions_and_conflicting_kinds_are_errors() {
        let err = compute_toeslag(
            2024,
            &[partner("p", PrivateCompany, -1, 0, 0)],
            &ToeslagRules::RVO,
        )
        .unwrap_err();
        assert!(matches!(err, ToeslagError::NegativeContribution { .. }));
        let err = compute_toeslag(
            2024,
            &[
                partner("p", PrivateCompany, 1, 0, 0),
                partner("p", Charity, 1, 0, 0),
            ],
            &ToeslagRules::RVO,
        )
        .unwrap_err();
        assert!(err
            .to_string()
            .contains("partner p appears with two different kinds"));
    }

    fn kind_strategy() -> impl Strategy<Value = PartnerKind> {
        prop_oneof![
            Just(PrivateCompany),
            Just(Charity),
            Just(ResearchOrganisation),
            Just(PublicBody)
        ]
    }

    proptest! {
        #[test]
        fn toeslag_never_exceeds_40_percent_of_the_base(
            kind in kind_strategy(),
            year in 2010i32..2030,
            cash in 0i64..10_000_000_000,
            in_kind in 0i64..10_000_000_000,
            hours in 0u32..100_000,
        ) {
            let l = one(year, partner("p", kind, cash, in_kind, hours));
            prop_assert!(l.amount <= l.base.apply_ratio(4_000, 10_000));
            prop_assert!(!l.amount.is_negative());
        }

        #[test]
        fn toeslag_is_monotone_in_cash(
            kind in kind_strategy(),
            year in 2010i32..2030,
            cash in 0i64..10_000_000_000,
            extra in 0i64..10_000_000_000,
            in_kind in 0i64..10_000_000_000,
        ) {
            let low = one(year, partner("p", kind, cash, in_kind, 0));
            let high = one(year, partner("p", kind, cash + extra, in_kind, 0));
            prop_assert!(high.amount >= low.amount);
            prop_assert!(high.base >= low.base);
        }
    }
}
