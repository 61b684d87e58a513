//! The exit waterfall: who receives what when the company is sold.
//!
//! Every preferred series carries a 1× non-participating liquidation preference equal to
//! what it invested, and all series rank pari passu (equal seniority). Each series takes the
//! greater of its preference or converting to common; the option pool counts as issued
//! common shares (all options granted and exercised at zero strike).
//!
//! # Who converts
//! Sort the series by preference per share (`invested / shares`), lowest first. Walk the list
//! while the exit value exceeds the preferences still standing: with `R` = exit value minus
//! those preferences and `S` = common shares plus shares already converted, series `x`
//! converts when `shares_x × (R + pref_x) / (S + shares_x) > pref_x`, i.e. when
//! `pref_x / shares_x < R / S`. Each conversion lowers `R / S` but keeps it above the
//! threshold of every series already converted, so one pass settles every choice: no series
//! would do better by choosing the other way. A tie keeps the preference.
//! When the exit value does not cover the preferences, nobody converts (converting can
//! then never pay more) and the exit value is shared pari passu in proportion to the
//! preferences; common gets nothing.
//!
//! # Rounding
//! Amounts are whole cents. Every split (preferences pari passu, the remainder over common
//! and converted shares) uses the largest-remainder method, so the payouts add up to exactly
//! the exit value.

use serde::Serialize;

use super::captable::{CapTable, HolderId, HolderKind, SharePrice};
use super::deal::check_amount;
use super::error::{Result, TermsError};
use super::split::apportion;
use crate::money::Money;

/// What one preferred series chose and received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeriesPayout {
    /// Round of the series.
    pub round: String,
    /// Its holder.
    pub holder: HolderId,
    /// Its preference (1× the amount invested).
    pub preference: Money,
    /// True when it converted to common.
    pub converted: bool,
    /// What it receives.
    pub payout: Money,
}

/// What one holder receives in total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HolderPayout {
    /// The holder.
    pub holder: HolderId,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: HolderKind,
    /// Received as liquidation preference.
    pub from_preference: Money,
    /// Received for common and converted shares.
    pub from_shares: Money,
    /// The sum of both.
    pub total: Money,
}

/// The full waterfall for one exit value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Waterfall {
    /// The exit value shared out.
    pub exit_value: Money,
    /// What is left for common after preferences, over the shares sharing it (`R / S`).
    pub price_per_common_share: SharePrice,
    /// Per series, in issue order.
    pub series: Vec<SeriesPayout>,
    /// Per holder, in table order; the totals add up to exactly the exit value.
    pub holders: Vec<HolderPayout>,
}

const ATTEMPT: &str = "computing the exit waterfall";

/// Shares `exit_value` over the holders of `table` (see the module docs).
///
/// # Errors
/// [`TermsError::NegativeAmount`] for a negative exit value; [`TermsError::Overflow`] only
/// for amounts beyond what `Money` can hold.
pub fn waterfall(table: &CapTable, exit_value: Money) -> Result<Waterfall> {
    check_amount("the exit value", exit_value)?;
    let overflow = || TermsError::Overflow { attempted: ATTEMPT };
    let exit = cents(exit_value);
    let series = table.series();
    let prefs: Vec<u128> = series.iter().map(|s| cents(s.invested)).collect();
    let shares: Vec<u128> = series.iter().map(|s| u128::from(s.shares)).collect();
    let common: Vec<u128> = table
        .positions()
        .iter()
        .map(|p| u128::from(p.common_shares))
        .collect();

    // Products below are of a u64 and an i64-sized amount: they fit in u128.
    let mut standing: u128 = prefs.iter().sum();
    let mut sharing: u128 = common.iter().sum();
    let mut converted = vec![false; series.len()];
    let mut order: Vec<usize> = (0..series.len()).filter(|&i| shares[i] > 0).collect();
    order.sort_by(|&i, &j| {
        (prefs[i] * shares[j])
            .cmp(&(prefs[j] * shares[i]))
            .then(i.cmp(&j))
    });
    for i in order {
        if exit <= standing {
            break;
        }
        let residual = exit - standing;
        if shares[i] * residual > prefs[i] * sharing {
            converted[i] = true;
            standing -= prefs[i];
            sharing += shares[i];
        } else {
            break;
        }
    }

    let standing_weights: Vec<u128> = prefs
        .iter()
        .zip(&converted)
        .map(|(p, c)| if *c { 0 } else { *p })
        .collect();
    let (pref_paid, residual) = if exit <= standing {
        let paid = apportion(exit, &standing_weights).ok_or_else(overflow)?;
        (paid, 0)
    } else {
        (standing_weights, exit - standing)
    };
    // Common holders first, then converted series, as claims on the residual.
    let claims: Vec<u128> = common
        .iter()
        .copied()
        .chain(
            shares
                .iter()
                .zip(&converted)
                .map(|(s, c)| if *c { *s } else { 0 }),
        )
        .collect();
    let from_residual = apportion(residual, &claims).ok_or_else(overflow)?;
    let (common_paid, converted_paid) = from_residual.split_at(common.len());

    let mut series_payouts = Vec::with_capacity(series.len());
    for (i, s) in series.iter().enumerate() {
        let payout = if converted[i] {
            converted_paid[i]
        } else {
            pref_paid[i]
        };
        series_payouts.push(SeriesPayout {
            round: s.round.clone(),
            holder: s.holder.clone(),
            preference: s.invested,
            converted: converted[i],
            payout: money(payout)?,
        });
    }
    let mut holders = Vec::with_capacity(common.len());
    for (position, paid) in table.positions().iter().zip(common_paid) {
        let id = &position.holder.id;
        let mine = || series_payouts.iter().filter(move |p| &p.holder == id);
        let from_preference: Money = mine().filter(|p| !p.converted).map(|p| p.payout).sum();
        let from_shares = money(*paid)?
            + mine()
                .filter(|p| p.converted)
                .map(|p| p.payout)
                .sum::<Money>();
        holders.push(HolderPayout {
            holder: id.clone(),
            name: position.holder.name.clone(),
            kind: position.holder.kind,
            from_preference,
            from_shares,
            total: from_preference + from_shares,
        });
    }

    Ok(Waterfall {
        exit_value,
        price_per_common_share: SharePrice {
            amount: money(residual)?,
            shares: u64::try_from(sharing).map_err(|_| overflow())?,
        },
        series: series_payouts,
        holders,
    })
}

fn cents(amount: Money) -> u128 {
    u128::try_from(amount.cents()).unwrap_or(0)
}

fn money(cents: u128) -> Result<Money> {
    i64::try_from(cents)
        .map(Money::from_cents)
        .map_err(|_| TermsError::Overflow { attempted: ATTEMPT })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::captable::tests::{allocation, founding_strategy, holder, rounds_strategy};
    use crate::terms::captable::{Investment, Round};
    use crate::terms::deal::AntiDilution;
    use proptest::prelude::*;

    fn id(s: &str) -> HolderId {
        HolderId(s.to_owned())
    }

    fn round(name: &str, pre_euros: i64, investor: &str, euros: i64) -> Round {
        Round {
            name: name.to_owned(),
            date: None,
            pre_money: Money::from_euros(pre_euros),
            new_holders: vec![holder(investor, HolderKind::Investor)],
            investments: vec![Investment {
                investor: id(investor),
                amount: Money::from_euros(euros),
                anti_dilution: AntiDilution::None,
            }],
            pool_top_up: None,
        }
    }

    /// Founders 600 000 common. A invests €1M at €3M pre (price €5, 200 000 shares);
    /// B invests €3M at €12M pre on 800 000 shares (price €15, 200 000 shares).
    /// Total 1 000 000 shares; preferences €1M (A) and €3M (B).
    fn two_series() -> CapTable {
        let founded =
            CapTable::found(vec![allocation("founders", HolderKind::Founder, 600_000)]).unwrap();
        let (table, _) = founded
            .apply_rounds(&[
                round("A", 3_000_000, "a", 1_000_000),
                round("B", 12_000_000, "b", 3_000_000),
            ])
            .unwrap();
        assert_eq!(table.shares_of(&id("a")), 200_000);
        assert_eq!(table.shares_of(&id("b")), 200_000);
        table
    }

    fn totals(w: &Waterfall) -> Vec<i64> {
        w.holders.iter().map(|h| h.total.cents() / 100).collect()
    }

    #[test]
    fn an_exit_below_the_preferences_is_shared_pari_passu_and_common_gets_nothing() {
        // €2M < €4M of preferences: A gets 2M × 1/4 = €500k, B 2M × 3/4 = €1.5M.
        let w = waterfall(&two_series(), Money::from_euros(2_000_000)).unwrap();
        assert_eq!(totals(&w), [0, 500_000, 1_500_000]);
        assert!(w.series.iter().all(|s| !s.converted));
    }

    #[test]
    fn a_cheap_series_converts_while_an_expensive_one_takes_its_preference() {
        // €10M. Thresholds: A €5/share, B €15/share.
        // A: R = 10M − 4M = 6M over S = 600 000 → €10/share > €5: converts.
        // B: R = 10M − 3M = 7M over S = 800 000 → €8.75/share < €15: keeps €3M.
        // Founders 600 000 × 8.75 = €5.25M, A 200 000 × 8.75 = €1.75M, B €3M.
        let w = waterfall(&two_series(), Money::from_euros(10_000_000)).unwrap();
        assert_eq!(totals(&w), [5_250_000, 1_750_000, 3_000_000]);
        assert_eq!(
            w.series.iter().map(|s| s.converted).collect::<Vec<_>>(),
            [true, false]
        );
        assert_eq!(w.holders[2].from_preference, Money::from_euros(3_000_000));
        assert_eq!(w.holders[1].from_shares, Money::from_euros(1_750_000));
    }

    #[test]
    fn at_a_high_exit_every_series_converts_and_all_share_alike() {
        // €20M: A converts (R/S = 16M/600k = €26.67 > €5); then B: 17M/800k = €21.25 > €15,
        // converts. All common: €20/share → founders €12M, A €4M, B €4M (B's €3M is less).
        let w = waterfall(&two_series(), Money::from_euros(20_000_000)).unwrap();
        assert_eq!(totals(&w), [12_000_000, 4_000_000, 4_000_000]);
        assert!(w.series.iter().all(|s| s.converted));
    }

    #[test]
    fn a_single_investor_takes_the_preference_until_converting_pays_more() {
        // Founders 750 000, investor €1M for 250 000 shares (25 %). Converting pays more
        // once 25 % of the exit exceeds €1M, i.e. above €4M. At €4M exactly: a tie keeps
        // the preference (€1M, founders €3M). At €3M: €1M + €2M. At €8M: 25 % = €2M.
        let founded =
            CapTable::found(vec![allocation("founders", HolderKind::Founder, 750_000)]).unwrap();
        // Price 300 000 000 / 750 000 = 400 cents; €1M buys 250 000 shares.
        let (table, _) = founded
            .apply_round(&round("Seed", 3_000_000, "vc", 1_000_000))
            .unwrap();
        for (exit, expected, converted) in [
            (3_000_000, [2_000_000, 1_000_000], false),
            (4_000_000, [3_000_000, 1_000_000], false),
            (8_000_000, [6_000_000, 2_000_000], true),
        ] {
            let w = waterfall(&table, Money::from_euros(exit)).unwrap();
            assert_eq!(totals(&w), expected, "exit {exit}");
            assert_eq!(w.series[0].converted, converted, "exit {exit}");
        }
    }

    #[test]
    fn odd_cents_go_to_the_largest_remainders_so_payouts_add_up_exactly() {
        // €1.00 over three equal holders: 33.33 cents each → 34, 33, 33.
        let table = CapTable::found(vec![
            allocation("x", HolderKind::Founder, 1),
            allocation("y", HolderKind::Founder, 1),
            allocation("z", HolderKind::University, 1),
        ])
        .unwrap();
        let w = waterfall(&table, Money::from_cents(100)).unwrap();
        let cents: Vec<i64> = w.holders.iter().map(|h| h.total.cents()).collect();
        assert_eq!(cents, [34, 33, 33]);
    }

    #[test]
    fn a_negative_exit_value_is_refused() {
        assert!(matches!(
            waterfall(&two_series(), Money::from_cents(-1)),
            Err(TermsError::NegativeAmount { .. })
        ));
    }

    proptest! {
        #[test]
        fn payouts_add_up_to_the_exit_value_and_every_series_made_the_better_choice(
            founding in founding_strategy(),
            rounds in rounds_strategy(),
            exit in 0i64..50_000_000_000,
        ) {
            let (table, _) = CapTable::found(founding).unwrap().apply_rounds(&rounds).unwrap();
            let w = waterfall(&table, Money::from_cents(exit)).unwrap();
            prop_assert_eq!(w.holders.iter().map(|h| h.total).sum::<Money>(), Money::from_cents(exit));
            prop_assert!(w.holders.iter().all(|h| !h.total.is_negative()));
            let r = i128::from(w.price_per_common_share.amount.cents());
            let s = i128::from(w.price_per_common_share.shares);
            for (p, series) in w.series.iter().zip(table.series()) {
                let pref = i128::from(p.preference.cents());
                let own = i128::from(series.shares);
                if p.converted {
                    // Converting paid at least the preference.
                    prop_assert!(p.payout >= p.preference);
                } else {
                    prop_assert!(p.payout <= p.preference);
                    if r > 0 {
                        // Converting alone would not have paid more: own × (R + pref) / (S + own) <= pref.
                        prop_assert!(own * (r + pref) <= pref * (s + own));
                    }
                }
            }
        }
    }
}
