//! The exit waterfall: who receives what when the company is sold.
//!
//! # Preferences
//! Each preferred series has a liquidation preference of `multiple × original issue price ×
//! preferred shares` (see [`crate::terms::captable`]), exact in fractions of a cent. Series
//! are paid by seniority, highest rank first ("stacked"); series of equal rank share pari
//! passu in proportion to their preferences. When the money runs out inside a rank, that
//! rank shares what is left and every lower rank, and common, gets nothing.
//!
//! # The rest
//! What remains after the preferences, `R`, is shared per share at one common price `p`
//! among: common shares; series that converted; participating series (as converted, on top
//! of their preference); capped participating series until their total reaches the cap;
//! and, when [`ExitTerms::option_grants`] are given, granted options that are in the money
//! (`p` above the strike), which receive `p − strike` per share (the strike paid in and
//! returned, net). `p` is the exact solution of
//! `R = U·p + Σ min(s·p, headroom) + Σ n·max(p − strike, 0)`. Without option grants the whole
//! pool counts as common shares exercised at zero strike; with them, the pool's unallocated
//! part takes nothing.
//!
//! # Who converts
//! A non-participating or capped participating series converts to common when that pays it
//! strictly more than keeping its preference (and participation), given what the others do;
//! a tie keeps the preference. A fully participating series never converts: its
//! participation always pays at least as much. The choices are found by walking the series
//! in order of their threshold per share (preference, or cap, per as-converted share),
//! converting each that gains, and then letting any series that would still gain by
//! choosing the other way change until none would: the result is an equilibrium in which no
//! series does better by choosing the other way.
//!
//! # Rounding
//! All amounts are computed exactly; the payouts are then rounded to whole cents once, by
//! the largest-remainder method, so each is within a cent of its exact value and they add
//! up to exactly the exit value.

use num_rational::BigRational;
use num_traits::{Signed, Zero};
use serde::{Deserialize, Serialize};

use super::captable::{CapTable, HolderId, HolderKind, Participation, SharePrice};
use super::deal::check_amount;
use super::error::{Result, TermsError};
use super::exact::{apportion_exact, int, to_money, ExactPrice};
use crate::money::Money;

/// Options granted from a pool and outstanding at the exit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct OptionGrant {
    /// The pool the options come from (a holder of kind option pool).
    pub pool: HolderId,
    /// Number of options (one common share each).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shares: u64,
    /// Exercise price per share.
    pub strike: Money,
}

/// What the exit assumes beyond the cap table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(default, rename_all = "camelCase")]
pub struct ExitTerms {
    /// The options granted, with their strikes. `None` (the default): every pool share
    /// counts as common at zero strike. `Some`: only these options share in the exit, when
    /// in the money, and the rest of each pool is unallocated and takes nothing.
    pub option_grants: Option<Vec<OptionGrant>>,
}

/// What one preferred series chose and received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SeriesPayout {
    /// Round of the series.
    pub round: String,
    /// Its holder.
    pub holder: HolderId,
    /// Its liquidation preference (multiple × original issue price × shares), to the cent.
    pub preference: Money,
    /// How it participates.
    pub participation: Participation,
    /// Its rank; higher is paid first.
    pub seniority: u32,
    /// True when it converted to common.
    pub converted: bool,
    /// Received as preference.
    pub from_preference: Money,
    /// Received as common (converted) or as participation.
    pub from_shares: Money,
    /// What it receives in total.
    pub payout: Money,
}

/// What one holder receives in total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
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
    /// Received for common, converted and participating shares and options (net of strike).
    pub from_shares: Money,
    /// The sum of both.
    pub total: Money,
    /// Its share of the exit in basis points, apportioned from the exact payouts as the
    /// cap table apportions ownership, so a holder paid pro rata shows the same percentage
    /// in both (0 for an exit of nothing).
    pub share_bp: u32,
}

/// The full waterfall for one exit value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Waterfall {
    /// The exit value shared out.
    pub exit_value: Money,
    /// What is left after preferences (`R`, to the cent) over the shares that share in it.
    pub price_per_common_share: SharePrice,
    /// The exact price per common share `p`; `None` when nobody shares in the rest.
    pub common_share_price: Option<ExactPrice>,
    /// Pool shares left out as unallocated (only with option grants).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub unallocated_pool_shares: u64,
    /// Per series, in issue order.
    pub series: Vec<SeriesPayout>,
    /// Per holder, in table order; the totals add up to exactly the exit value.
    pub holders: Vec<HolderPayout>,
}

const ATTEMPT: &str = "computing the exit waterfall";

fn overflow() -> TermsError {
    TermsError::Overflow { attempted: ATTEMPT }
}

/// Shares `exit_value` over the holders of `table`, every pool share counted as common at
/// zero strike (see the module docs).
///
/// # Errors
/// [`TermsError::NegativeAmount`] for a negative exit value; [`TermsError::Overflow`] only
/// for amounts beyond what `Money` can hold.
pub fn waterfall(table: &CapTable, exit_value: Money) -> Result<Waterfall> {
    waterfall_with(table, exit_value, &ExitTerms::default())
}

/// The exact figures the waterfall works on.
struct Model {
    exit: BigRational,
    /// Per position: shares that take part as common.
    common: Vec<u64>,
    /// Granted options: (position index, shares, strike in cents).
    options: Vec<(usize, u64, BigRational)>,
    pref: Vec<BigRational>,
    cap: Vec<Option<BigRational>>,
    shares: Vec<u64>,
    participation: Vec<Participation>,
    seniority: Vec<u32>,
    /// Per position: all its common shares, for money nobody else can take.
    fallback: Vec<u64>,
}

/// The exact outcome for one set of conversion choices.
struct Evaluation {
    pref_paid: Vec<BigRational>,
    from_shares: Vec<BigRational>,
    common_paid: Vec<BigRational>,
    residual: BigRational,
    price: Option<BigRational>,
    sharing: u128,
}

impl Evaluation {
    fn payout(&self, series: usize) -> BigRational {
        &self.pref_paid[series] + &self.from_shares[series]
    }
}

/// Shares `exit_value` over the holders of `table` under `terms` (see the module docs).
///
/// # Errors
/// [`TermsError::NegativeAmount`] for a negative exit value or strike;
/// [`TermsError::InvalidInput`] for option grants from a holder that is not a pool or more
/// options than the pool holds; [`TermsError::Overflow`] only for amounts beyond what
/// `Money` can hold.
pub fn waterfall_with(table: &CapTable, exit_value: Money, terms: &ExitTerms) -> Result<Waterfall> {
    check_amount("the exit value", exit_value)?;
    let (model, unallocated) = model(table, exit_value, terms)?;
    let converted = choose(&model);
    let result = evaluate(&model, &converted);

    // Rounded once, top down, so that every holder's total, every series' payout and each
    // part of it is within a cent of its exact amount and the totals add up exactly.
    let positions = table.positions();
    let series = table.series();
    let holder_of: Vec<usize> = series
        .iter()
        .map(|s| {
            positions
                .iter()
                .position(|p| p.holder.id == s.holder)
                .unwrap_or(0)
        })
        .collect();
    let series_exact: Vec<BigRational> = (0..series.len()).map(|i| result.payout(i)).collect();
    let holder_exact: Vec<BigRational> = (0..positions.len())
        .map(|h| {
            (0..series.len())
                .filter(|&i| holder_of[i] == h)
                .fold(result.common_paid[h].clone(), |acc, i| {
                    acc + &series_exact[i]
                })
        })
        .collect();
    let holder_cents = apportion_exact(exit_value.cents(), &holder_exact).ok_or_else(overflow)?;
    let mut common_cents = vec![0i64; positions.len()];
    let mut series_cents = vec![0i64; series.len()];
    for (h, cents) in holder_cents.iter().enumerate() {
        let mine: Vec<usize> = (0..series.len()).filter(|&i| holder_of[i] == h).collect();
        let parts: Vec<BigRational> = std::iter::once(result.common_paid[h].clone())
            .chain(mine.iter().map(|&i| series_exact[i].clone()))
            .collect();
        let split = apportion_exact(*cents, &parts).ok_or_else(overflow)?;
        common_cents[h] = split[0];
        for (k, &i) in mine.iter().enumerate() {
            series_cents[i] = split[k + 1];
        }
    }

    let mut series_payouts = Vec::with_capacity(series.len());
    for (i, s) in series.iter().enumerate() {
        let parts = [result.pref_paid[i].clone(), result.from_shares[i].clone()];
        let split = apportion_exact(series_cents[i], &parts).ok_or_else(overflow)?;
        let from_preference = Money::from_cents(split[0]);
        let from_shares = Money::from_cents(split[1]);
        series_payouts.push(SeriesPayout {
            round: s.round.clone(),
            holder: s.holder.clone(),
            preference: to_money(&model.pref[i]).ok_or_else(overflow)?,
            participation: model.participation[i],
            seniority: model.seniority[i],
            converted: converted[i],
            from_preference,
            from_shares,
            payout: from_preference + from_shares,
        });
    }
    let shares_bp: Vec<i64> = if exit_value.cents() > 0 {
        let exit = int(exit_value.cents());
        let full = int(i64::from(super::deal::FULL_BP));
        let exact_bp: Vec<BigRational> = holder_exact.iter().map(|x| x * &full / &exit).collect();
        apportion_exact(i64::from(super::deal::FULL_BP), &exact_bp).ok_or_else(overflow)?
    } else {
        vec![0; positions.len()]
    };
    let mut holders = Vec::with_capacity(positions.len());
    for ((position, paid), share_bp) in positions.iter().zip(&common_cents).zip(&shares_bp) {
        let id = &position.holder.id;
        let mine = || series_payouts.iter().filter(move |p| &p.holder == id);
        let from_preference: Money = mine().map(|p| p.from_preference).sum();
        let from_shares = Money::from_cents(*paid) + mine().map(|p| p.from_shares).sum::<Money>();
        holders.push(HolderPayout {
            holder: id.clone(),
            name: position.holder.name.clone(),
            kind: position.holder.kind,
            from_preference,
            from_shares,
            total: from_preference + from_shares,
            share_bp: u32::try_from(*share_bp).unwrap_or(0),
        });
    }

    Ok(Waterfall {
        exit_value,
        price_per_common_share: SharePrice {
            amount: to_money(&result.residual).ok_or_else(overflow)?,
            shares: u64::try_from(result.sharing).map_err(|_| overflow())?,
        },
        common_share_price: result.price.map(ExactPrice),
        unallocated_pool_shares: unallocated,
        series: series_payouts,
        holders,
    })
}

fn model(table: &CapTable, exit_value: Money, terms: &ExitTerms) -> Result<(Model, u64)> {
    let positions = table.positions();
    let mut common: Vec<u64> = positions.iter().map(|p| p.common_shares).collect();
    let fallback = common.clone();
    let mut options = Vec::new();
    let mut unallocated = 0u64;
    if let Some(grants) = &terms.option_grants {
        let mut granted = vec![0u64; positions.len()];
        for grant in grants {
            check_amount("an option strike price", grant.strike)?;
            let index = positions
                .iter()
                .position(|p| p.holder.id == grant.pool)
                .filter(|&i| positions[i].holder.kind == HolderKind::OptionPool)
                .ok_or_else(|| TermsError::InvalidInput {
                    attempted: ATTEMPT,
                    problem: format!(
                        "options are granted from `{}`, which is not an option pool on the \
                         cap table; name a holder of kind optionPool",
                        grant.pool
                    ),
                })?;
            granted[index] = granted[index]
                .checked_add(grant.shares)
                .ok_or_else(overflow)?;
            options.push((index, grant.shares, int(grant.strike.cents())));
        }
        for (i, position) in positions.iter().enumerate() {
            if position.holder.kind != HolderKind::OptionPool {
                continue;
            }
            if granted[i] > position.common_shares {
                return Err(TermsError::InvalidInput {
                    attempted: ATTEMPT,
                    problem: format!(
                        "{} options are granted from pool `{}`, which holds {} shares; grant \
                         at most the pool's shares",
                        granted[i], position.holder.id, position.common_shares
                    ),
                });
            }
            unallocated += position.common_shares - granted[i];
            common[i] = 0;
        }
    }
    let series = table.series();
    let model = Model {
        exit: int(exit_value.cents()),
        common,
        options,
        pref: series
            .iter()
            .map(|s| s.liquidation_preference_exact())
            .collect(),
        cap: series.iter().map(|s| s.participation_cap_exact()).collect(),
        shares: series.iter().map(|s| s.shares).collect(),
        participation: series.iter().map(|s| s.preference.participation).collect(),
        seniority: series.iter().map(|s| s.preference.seniority).collect(),
        fallback,
    };
    Ok((model, unallocated))
}

/// The conversion choices (see "Who converts" in the module docs).
fn choose(model: &Model) -> Vec<bool> {
    let n = model.pref.len();
    let mut converted = vec![false; n];
    let threshold = |i: usize| -> BigRational {
        let base = model.cap[i]
            .clone()
            .unwrap_or_else(|| model.pref[i].clone());
        base / int(model.shares[i])
    };
    let mut candidates: Vec<usize> = (0..n)
        .filter(|&i| model.shares[i] > 0 && model.participation[i] != Participation::Participating)
        .collect();
    candidates.sort_by(|&i, &j| threshold(i).cmp(&threshold(j)).then(i.cmp(&j)));
    let gains = |converted: &mut Vec<bool>, i: usize| -> bool {
        let now = evaluate(model, converted).payout(i);
        converted[i] = !converted[i];
        let other = evaluate(model, converted).payout(i);
        converted[i] = !converted[i];
        other > now
    };
    for &i in &candidates {
        if gains(&mut converted, i) {
            converted[i] = true;
        }
    }
    // Settle any choice the walk left that a series would still change.
    for _ in 0..(2 * n + 2) {
        let mut changed = false;
        for &i in &candidates {
            if gains(&mut converted, i) {
                converted[i] = !converted[i];
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    converted
}

/// The exact payouts for the given conversion choices.
fn evaluate(model: &Model, converted: &[bool]) -> Evaluation {
    let n = model.pref.len();
    let zero = BigRational::zero();
    let mut pref_paid = vec![zero.clone(); n];
    let mut remaining = model.exit.clone();
    let mut ranks: Vec<u32> = (0..n)
        .filter(|&i| !converted[i])
        .map(|i| model.seniority[i])
        .collect();
    ranks.sort_unstable_by(|a, b| b.cmp(a));
    ranks.dedup();
    for rank in ranks {
        let group: Vec<usize> = (0..n)
            .filter(|&i| !converted[i] && model.seniority[i] == rank)
            .collect();
        let owed: BigRational = group.iter().map(|&i| model.pref[i].clone()).sum();
        if owed.is_zero() {
            continue;
        }
        if remaining >= owed {
            for &i in &group {
                pref_paid[i] = model.pref[i].clone();
            }
            remaining -= owed;
        } else {
            for &i in &group {
                pref_paid[i] = &model.pref[i] * &remaining / &owed;
            }
            remaining = zero.clone();
        }
    }
    let residual = remaining;

    let mut uncapped: u128 = model.common.iter().map(|s| u128::from(*s)).sum();
    let mut capped: Vec<(usize, u64, BigRational)> = Vec::new();
    for i in 0..n {
        if converted[i] {
            uncapped += u128::from(model.shares[i]);
            continue;
        }
        match model.participation[i] {
            Participation::NonParticipating => {}
            Participation::Participating => uncapped += u128::from(model.shares[i]),
            Participation::CappedParticipating { .. } => {
                let cap = model.cap[i]
                    .clone()
                    .unwrap_or_else(|| model.pref[i].clone());
                let headroom = (cap - &pref_paid[i]).max(zero.clone());
                capped.push((i, model.shares[i], headroom));
            }
        }
    }
    let price = solve_price(&residual, uncapped, &capped, &model.options);

    let mut from_shares = vec![zero.clone(); n];
    let mut common_paid = vec![zero.clone(); model.common.len()];
    let mut sharing = uncapped;
    match &price {
        Some(p) => {
            for (i, shares) in model.common.iter().enumerate() {
                common_paid[i] = int(*shares) * p;
            }
            for i in 0..n {
                let participates =
                    converted[i] || model.participation[i] == Participation::Participating;
                if participates {
                    from_shares[i] = int(model.shares[i]) * p;
                }
            }
            for (i, shares, headroom) in &capped {
                from_shares[*i] = (int(*shares) * p).min(headroom.clone());
                sharing += u128::from(*shares);
            }
            for (position, shares, strike) in &model.options {
                if p > strike {
                    common_paid[*position] += int(*shares) * (p - strike);
                    sharing += u128::from(*shares);
                }
            }
        }
        None => {
            // Everyone who shares is at a cap: the rest goes to the common holders (the
            // whole pool included), or to the series as converted when there are none.
            let mut left = residual.clone();
            for (i, _, headroom) in &capped {
                from_shares[*i] = headroom.clone();
                left -= headroom;
            }
            let weights: u128 = model.fallback.iter().map(|s| u128::from(*s)).sum();
            if weights > 0 {
                for (i, shares) in model.fallback.iter().enumerate() {
                    common_paid[i] = &left * int(*shares) / int(weights);
                }
            } else {
                let weights: u128 = model.shares.iter().map(|s| u128::from(*s)).sum();
                if weights > 0 {
                    for (paid, shares) in from_shares.iter_mut().zip(&model.shares) {
                        *paid += &left * int(*shares) / int(weights);
                    }
                }
            }
        }
    }
    Evaluation {
        pref_paid,
        from_shares,
        common_paid,
        residual,
        price,
        sharing,
    }
}

/// The price `p` at which `uncapped·p + Σ min(s·p, headroom) + Σ n·max(p − strike, 0)`
/// equals `residual`; `None` when nobody can take more than their cap.
fn solve_price(
    residual: &BigRational,
    uncapped: u128,
    capped: &[(usize, u64, BigRational)],
    options: &[(usize, u64, BigRational)],
) -> Option<BigRational> {
    let zero = BigRational::zero();
    if !residual.is_positive() {
        return Some(zero);
    }
    let taken = |p: &BigRational| -> BigRational {
        let mut sum = int(uncapped) * p;
        for (_, s, h) in capped {
            sum += (int(*s) * p).min(h.clone());
        }
        for (_, n, k) in options {
            if p > k {
                sum += int(*n) * (p - k);
            }
        }
        sum
    };
    // The slope of `taken` just above `p`.
    let slope = |p: &BigRational| -> u128 {
        let mut sum = uncapped;
        for (_, s, h) in capped {
            if *s > 0 && h / int(*s) > *p {
                sum += u128::from(*s);
            }
        }
        for (_, n, k) in options {
            if k <= p {
                sum += u128::from(*n);
            }
        }
        sum
    };
    let mut breaks: Vec<BigRational> = capped
        .iter()
        .filter(|(_, s, _)| *s > 0)
        .map(|(_, s, h)| h / int(*s))
        .chain(
            options
                .iter()
                .filter(|(_, n, _)| *n > 0)
                .map(|(_, _, k)| k.clone()),
        )
        .collect();
    breaks.sort();
    breaks.dedup();
    let mut prev = zero;
    let mut taken_prev = BigRational::zero();
    for b in breaks {
        let taken_b = taken(&b);
        if taken_b >= *residual {
            let s = slope(&prev);
            return Some(&prev + (residual - &taken_prev) / int(s));
        }
        prev = b;
        taken_prev = taken_b;
    }
    match slope(&prev) {
        0 => None,
        s => Some(&prev + (residual - &taken_prev) / int(s)),
    }
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
                ..Default::default()
            }],
            pool_top_up: None,
            ..Default::default()
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

    #[test]
    fn a_holder_paid_pro_rata_shows_the_cap_table_percentage_in_the_waterfall() {
        // 5 455 of 20 000 shares is 27.275 %, a tie the cap table gives to the earlier
        // holder (72.73 % and 27.27 %); payouts of whole cents a hair off the exact amounts
        // must not show a different percentage in the waterfall.
        let table = CapTable::found(vec![
            allocation("founders", HolderKind::Founder, 14_545),
            allocation("tto", HolderKind::University, 5_455),
        ])
        .unwrap();
        let ownership: Vec<u32> = table.ownership().iter().map(|o| o.bp).collect();
        assert_eq!(ownership, [7_273, 2_727]);
        for exit in [1_000_001, 3_333_333, 1_000_000_007] {
            let w = waterfall(&table, Money::from_cents(exit)).unwrap();
            let shares: Vec<u32> = w.holders.iter().map(|h| h.share_bp).collect();
            assert_eq!(shares, ownership, "exit {exit} cents");
            assert_eq!(shares.iter().sum::<u32>(), 10_000);
        }
        let nothing = waterfall(&table, Money::ZERO).unwrap();
        assert!(nothing.holders.iter().all(|h| h.share_bp == 0));
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
            // Exactly, converting pays more than the preference and keeping it at least as
            // much as converting; rounded, each payout is within a cent of its exact value.
            let cent = Money::from_cents(1);
            for p in &w.series {
                if p.converted {
                    prop_assert!(p.payout + cent >= p.preference);
                } else {
                    prop_assert!(p.payout <= p.preference + cent);
                    prop_assert!(p.from_shares == Money::ZERO, "non-participating by default");
                }
            }
        }
    }
}
