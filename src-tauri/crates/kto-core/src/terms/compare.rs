//! What each deal form is worth to the university under a scenario the user enters: the
//! yearly cash flows (for a chart) and their present value, for equity, royalty and hybrid.
//!
//! # Model
//! - Years are contract years: year 1 starts on signing; cash flows fall at year end.
//! - **Royalty** in year `y` = revenue × rate × (royalty-bearing months of the year / 12),
//!   where the first `royalty_free_months` after signing bear none and revenue is taken as
//!   spread evenly over the year. The licence survives an exit, so royalties run for the
//!   whole revenue path.
//! - **Equity** pays once, in the exit year: exit value × stake at founding × (1 − dilution
//!   until exit). It is the stake's pro-rata share, before liquidation preferences; use
//!   [`crate::terms::exit::waterfall`] on a cap table for the exact split.
//! - **Exit fee** pays once, in the exit year: exit value × fee.
//! - **Present value** = Σ cash flow of year `y` / (1 + discount rate)^`y`.
//!
//! # Rounding
//! Each yearly amount is rounded to a whole cent, half away from zero
//! ([`Money::apply_ratio`]). Discount factors are computed in fixed point with 18 decimals
//! (each year's factor is the previous one divided by `1 + r`, rounded half up); each
//! year's present value is rounded to a cent, half up, and the total present value is the
//! sum of those rounded yearly values, so a chart and its total always agree.

use serde::{Deserialize, Serialize};

use super::deal::{check_amount, check_bp, DealForm, FULL_BP};
use super::error::{Result, TermsError};
use crate::money::Money;

/// The longest horizon accepted, in years.
pub const MAX_YEARS: u32 = 100;

/// An exit (sale of the company) in the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct ExitAssumption {
    /// Contract year of the exit, 1 to [`MAX_YEARS`].
    pub year: u32,
    /// Value of the whole company at exit.
    pub value: Money,
}

/// What the user expects to happen to the company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct Scenario {
    /// The royalty base (e.g. net sales) per contract year; index 0 is year 1.
    pub revenue_by_year: Vec<Money>,
    /// The exit, if one is expected within the horizon.
    #[serde(default)]
    pub exit: Option<ExitAssumption>,
    /// Share of the founding stake lost to dilution by the exit, in basis points.
    pub dilution_until_exit_bp: u32,
    /// Yearly discount rate in basis points (e.g. `1_000` = 10 %).
    pub discount_rate_bp: u32,
}

/// The terms of one deal form to value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct FormOption {
    /// Which form this is (a label: the figures below decide the cash flows).
    pub form: DealForm,
    /// University stake at founding, basis points.
    #[serde(default)]
    pub equity_bp: u32,
    /// Royalty rate, basis points of the revenue.
    #[serde(default)]
    pub royalty_rate_bp: u32,
    /// Months after signing without royalty.
    #[serde(default)]
    pub royalty_free_months: u32,
    /// Fee on the exit value, basis points.
    #[serde(default)]
    pub exit_fee_bp: u32,
}

impl FormOption {
    /// An equity deal: a stake, no royalty.
    pub const fn equity(equity_bp: u32) -> FormOption {
        FormOption {
            form: DealForm::Equity,
            equity_bp,
            royalty_rate_bp: 0,
            royalty_free_months: 0,
            exit_fee_bp: 0,
        }
    }

    /// A royalty deal: a rate after a free period, no stake.
    pub const fn royalty(royalty_rate_bp: u32, royalty_free_months: u32) -> FormOption {
        FormOption {
            form: DealForm::Royalty,
            equity_bp: 0,
            royalty_rate_bp,
            royalty_free_months,
            exit_fee_bp: 0,
        }
    }

    /// A hybrid deal: a stake and a royalty.
    pub const fn hybrid(
        equity_bp: u32,
        royalty_rate_bp: u32,
        royalty_free_months: u32,
    ) -> FormOption {
        FormOption {
            form: DealForm::Hybrid,
            equity_bp,
            royalty_rate_bp,
            royalty_free_months,
            exit_fee_bp: 0,
        }
    }
}

/// One year of cash flow to the university.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct YearFlow {
    /// Contract year, from 1.
    pub year: u32,
    /// The royalty base that year (zero beyond the revenue path).
    pub revenue: Money,
    /// Royalty received.
    pub royalty: Money,
    /// Equity proceeds (exit year only).
    pub equity_proceeds: Money,
    /// Exit fee (exit year only).
    pub exit_fee: Money,
    /// Sum of the three.
    pub total: Money,
    /// `total` discounted to signing.
    pub present_value: Money,
}

/// The value of one deal form under the scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct FormValue {
    /// The terms valued.
    pub option: FormOption,
    /// Year by year, from year 1 to the end of the horizon.
    pub flows: Vec<YearFlow>,
    /// Undiscounted sum of the totals.
    pub nominal_total: Money,
    /// Sum of the yearly present values.
    pub present_value: Money,
}

const ATTEMPT: &str = "comparing deal forms";
/// Fixed-point scale of discount factors: 18 decimals.
const SCALE: u128 = 1_000_000_000_000_000_000;

/// Values each option under the same scenario, in the order given.
///
/// # Errors
/// As [`value_form`], for the first option or scenario figure that is out of range.
pub fn compare(scenario: &Scenario, options: &[FormOption]) -> Result<Vec<FormValue>> {
    options.iter().map(|o| value_form(scenario, o)).collect()
}

/// Values one deal form under `scenario` (see the module docs for the model and rounding).
///
/// # Errors
/// [`TermsError::BasisPointsAboveFull`] for a percentage above 100 % (the discount rate
/// included); [`TermsError::NegativeAmount`] for a negative revenue or exit value;
/// [`TermsError::InvalidInput`] for an exit year outside 1 to 100 or a revenue path longer
/// than 100 years.
pub fn value_form(scenario: &Scenario, option: &FormOption) -> Result<FormValue> {
    validate(scenario, option)?;
    let revenue_years = u32::try_from(scenario.revenue_by_year.len()).unwrap_or(u32::MAX);
    let horizon = scenario
        .exit
        .map_or(revenue_years, |e| e.year.max(revenue_years));

    let keep_bp = i64::from(FULL_BP - scenario.dilution_until_exit_bp);
    let full = i64::from(FULL_BP);
    let mut factor = SCALE;
    let mut flows = Vec::new();
    for year in 1..=horizon {
        let revenue = usize::try_from(year - 1)
            .ok()
            .and_then(|i| scenario.revenue_by_year.get(i))
            .copied()
            .unwrap_or(Money::ZERO);
        let bearing_months =
            (i64::from(year) * 12 - i64::from(option.royalty_free_months)).clamp(0, 12);
        let royalty = revenue.apply_ratio(
            i64::from(option.royalty_rate_bp) * bearing_months,
            full * 12,
        );
        let (equity_proceeds, exit_fee) = match scenario.exit {
            Some(exit) if exit.year == year => (
                exit.value
                    .apply_ratio(i64::from(option.equity_bp) * keep_bp, full * full),
                exit.value.apply_ratio(i64::from(option.exit_fee_bp), full),
            ),
            _ => (Money::ZERO, Money::ZERO),
        };
        let total = royalty + equity_proceeds + exit_fee;
        factor = div_half_up(
            factor * u128::from(FULL_BP),
            u128::from(FULL_BP + scenario.discount_rate_bp),
        );
        let present_value = discount(total, factor)?;
        flows.push(YearFlow {
            year,
            revenue,
            royalty,
            equity_proceeds,
            exit_fee,
            total,
            present_value,
        });
    }
    Ok(FormValue {
        option: *option,
        nominal_total: flows.iter().map(|f| f.total).sum(),
        present_value: flows.iter().map(|f| f.present_value).sum(),
        flows,
    })
}

fn validate(scenario: &Scenario, option: &FormOption) -> Result<()> {
    check_bp(
        "the dilution until exit",
        Some(scenario.dilution_until_exit_bp),
    )?;
    check_bp("the discount rate", Some(scenario.discount_rate_bp))?;
    check_bp("the university's equity", Some(option.equity_bp))?;
    check_bp("the royalty rate", Some(option.royalty_rate_bp))?;
    check_bp("the exit fee", Some(option.exit_fee_bp))?;
    for revenue in &scenario.revenue_by_year {
        check_amount("a year's revenue", *revenue)?;
    }
    if scenario.revenue_by_year.len() > MAX_YEARS as usize {
        return Err(TermsError::InvalidInput {
            attempted: ATTEMPT,
            problem: format!(
                "the revenue path has {} years; enter at most {MAX_YEARS}",
                scenario.revenue_by_year.len()
            ),
        });
    }
    if let Some(exit) = scenario.exit {
        check_amount("the exit value", exit.value)?;
        if exit.year == 0 || exit.year > MAX_YEARS {
            return Err(TermsError::InvalidInput {
                attempted: ATTEMPT,
                problem: format!(
                    "the exit year is {}; enter a contract year from 1 (the first year after \
                     signing) to {MAX_YEARS}",
                    exit.year
                ),
            });
        }
    }
    Ok(())
}

/// `amount × factor / SCALE`, rounded half up; amounts here are never negative.
fn discount(amount: Money, factor: u128) -> Result<Money> {
    let cents = u128::try_from(amount.cents()).unwrap_or(0);
    let discounted = cents
        .checked_mul(factor)
        .map(|x| div_half_up(x, SCALE))
        .ok_or(TermsError::Overflow { attempted: ATTEMPT })?;
    i64::try_from(discounted)
        .map(Money::from_cents)
        .map_err(|_| TermsError::Overflow { attempted: ATTEMPT })
}

fn div_half_up(numerator: u128, denominator: u128) -> u128 {
    (numerator + denominator / 2) / denominator
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn euros(e: i64) -> Money {
        Money::from_euros(e)
    }

    fn scenario(discount_rate_bp: u32) -> Scenario {
        Scenario {
            revenue_by_year: vec![euros(100_000), euros(200_000), euros(300_000)],
            exit: Some(ExitAssumption {
                year: 3,
                value: euros(10_000_000),
            }),
            dilution_until_exit_bp: 5_000,
            discount_rate_bp,
        }
    }

    #[test]
    fn royalties_start_after_the_free_period_pro_rata_by_month() {
        // 2 % with 18 months free: year 1 none; year 2 has 6 bearing months:
        // 200 000 × 2 % × 6/12 = €2 000; year 3: 300 000 × 2 % = €6 000.
        let v = value_form(&scenario(0), &FormOption::royalty(200, 18)).unwrap();
        let royalties: Vec<Money> = v.flows.iter().map(|f| f.royalty).collect();
        assert_eq!(royalties, [euros(0), euros(2_000), euros(6_000)]);
        assert_eq!(v.nominal_total, euros(8_000));
        assert_eq!(
            v.present_value, v.nominal_total,
            "no discount, no difference"
        );
    }

    #[test]
    fn equity_pays_the_diluted_stake_of_the_exit_value_in_the_exit_year() {
        // 10 % × (1 − 50 %) × €10M = €500 000 in year 3, nothing before.
        let v = value_form(&scenario(0), &FormOption::equity(1_000)).unwrap();
        let equity: Vec<Money> = v.flows.iter().map(|f| f.equity_proceeds).collect();
        assert_eq!(equity, [euros(0), euros(0), euros(500_000)]);
    }

    #[test]
    fn a_ten_percent_discount_rate_discounts_year_three_by_1_331() {
        // €500 000 / 1.1³ = €375 657.40 (37 565 740.05 cents → 37 565 740).
        let v = value_form(&scenario(1_000), &FormOption::equity(1_000)).unwrap();
        assert_eq!(v.flows[2].present_value, Money::from_cents(37_565_740));
        assert_eq!(v.present_value, Money::from_cents(37_565_740));
    }

    #[test]
    fn the_three_forms_are_valued_side_by_side_with_an_exit_fee_where_agreed() {
        // Equity 10 %: €500 000. Royalty 3 %, 12 months free: 200k × 3 % + 300k × 3 %
        // = €15 000. Hybrid 5 % + 1 %, 12 months free, 1 % exit fee:
        // 250 000 + 2 000 + 3 000 + 100 000 = €355 000.
        let hybrid = FormOption {
            exit_fee_bp: 100,
            ..FormOption::hybrid(500, 100, 12)
        };
        let values = compare(
            &scenario(0),
            &[
                FormOption::equity(1_000),
                FormOption::royalty(300, 12),
                hybrid,
            ],
        )
        .unwrap();
        let totals: Vec<Money> = values.iter().map(|v| v.nominal_total).collect();
        assert_eq!(totals, [euros(500_000), euros(15_000), euros(355_000)]);
        assert_eq!(values[2].flows[2].exit_fee, euros(100_000));
        assert_eq!(values[1].option.form, DealForm::Royalty);
    }

    #[test]
    fn the_horizon_runs_to_the_later_of_the_revenue_path_and_the_exit() {
        let mut s = scenario(0);
        s.exit = Some(ExitAssumption {
            year: 7,
            value: euros(1_000_000),
        });
        let v = value_form(&s, &FormOption::equity(1_000)).unwrap();
        assert_eq!(v.flows.len(), 7);
        assert_eq!(v.flows[6].equity_proceeds, euros(50_000));
        assert_eq!(v.flows[5].revenue, Money::ZERO);
    }

    #[test]
    fn impossible_scenarios_are_refused_with_the_figure_named() {
        let mut s = scenario(0);
        s.exit = Some(ExitAssumption {
            year: 0,
            value: euros(1),
        });
        assert!(matches!(
            value_form(&s, &FormOption::equity(1_000)),
            Err(TermsError::InvalidInput { .. })
        ));
        assert_eq!(
            value_form(&scenario(0), &FormOption::equity(10_001)),
            Err(TermsError::BasisPointsAboveFull {
                what: "the university's equity",
                value: 10_001
            })
        );
        let mut s = scenario(0);
        s.revenue_by_year[1] = Money::from_cents(-1);
        assert!(matches!(
            value_form(&s, &FormOption::royalty(200, 0)),
            Err(TermsError::NegativeAmount { .. })
        ));
    }

    proptest! {
        #[test]
        fn a_hybrid_is_worth_its_equity_part_plus_its_royalty_part_and_discounting_never_adds(
            revenue in prop::collection::vec(0i64..10_000_000_000, 0..15),
            exit_year in 1u32..20,
            exit_value in 0i64..100_000_000_000,
            dilution in 0u32..=10_000,
            rate in 0u32..=3_000,
            equity in 0u32..=3_000,
            royalty in 0u32..=1_000,
            free in 0u32..60,
        ) {
            let s = Scenario {
                revenue_by_year: revenue.into_iter().map(Money::from_cents).collect(),
                exit: Some(ExitAssumption { year: exit_year, value: Money::from_cents(exit_value) }),
                dilution_until_exit_bp: dilution,
                discount_rate_bp: rate,
            };
            let values = compare(&s, &[
                FormOption::equity(equity),
                FormOption::royalty(royalty, free),
                FormOption::hybrid(equity, royalty, free),
            ]).unwrap();
            prop_assert_eq!(values[2].nominal_total, values[0].nominal_total + values[1].nominal_total);
            for v in &values {
                prop_assert!(v.present_value <= v.nominal_total);
                prop_assert_eq!(v.present_value, v.flows.iter().map(|f| f.present_value).sum::<Money>());
                for f in &v.flows {
                    prop_assert_eq!(f.total, f.royalty + f.equity_proceeds + f.exit_fee);
                }
            }
        }
    }
}
