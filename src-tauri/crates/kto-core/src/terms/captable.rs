//! The cap table of a spin-off and how it moves through funding rounds.
//!
//! A table is founded with common shares, then changed only by [`CapTable::apply_round`]:
//! nothing else alters a share count, and a round never lowers one. Investors receive a
//! preferred series per investment; its conversion price is `invested / shares`, so an
//! anti-dilution adjustment is recorded as extra conversion shares for that series.
//!
//! # A round, step by step (all arithmetic in exact integers)
//!
//! Let `A` = fully diluted shares before the round (every share, incl. the option pool),
//! `V` = pre-money valuation in cents, `I` = total invested in the round in cents.
//!
//! 1. **Option-pool top-up, pre-money ("option pool shuffle")**. The pool is topped up
//!    *before* the money comes in, so its new shares dilute only the existing holders. With
//!    `Q` = pool shares before and `t` = target in basis points of the post-money:
//!    `T = (t·(V+I)·A − 10000·V·Q) / (10000·V − t·(V+I))`, rounded **up**, and `0` when the
//!    pool is already big enough. Rounding up keeps the pool at or above its target after
//!    step 3 (before any anti-dilution shares of step 4).
//! 2. **Price**: `P = V / (A + T)` cents per share, kept as that exact fraction.
//! 3. **New shares** per investment: `floor(amount · (A + T) / V)`; fractions of a share are
//!    never issued. `C` = the sum over the round.
//! 4. **Anti-dilution**, only when `I > 0`, for each earlier series whose conversion price
//!    `CP = invested / shares` is above `P` (a down round for that series):
//!    - full ratchet: `NCP = P`, so shares become `floor(invested · (A + T) / V)`;
//!    - broad-based weighted average: `NCP = CP · (A + B) / (A + C)` with `B = I / CP`
//!      (shares the new money would buy at the old price), so shares become
//!      `floor(shares · (A + C) / (A + B)) = floor(shares · invested · (A + C) /
//!      (A · invested + I · shares))`.
//!
//!    `A` excludes the pool top-up and `C` excludes the pool top-up and the adjustment
//!    shares (the usual carve-outs). The adjustment shares are issued on top of the round,
//!    not folded into the pre-money, so they dilute the new investors too; a term sheet that
//!    puts them in the pre-money is entered with a correspondingly lower pre-money.
//!
//! The university's founding stake is common stock and therefore fully dilutive (as the UNL
//! principles ask); a stake the university pays for is entered as an investment, and then
//! carries the protection that investment names.
//!
//! # Percentages
//! [`CapTable::ownership`] gives basis points by the largest-remainder method: each holder
//! gets `floor(shares · 10000 / total)`, the basis points left over go one each to the
//! largest remainders (ties to the holder listed first), so the shown percentages always add
//! up to exactly 100.00 %.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

use super::deal::{check_amount, check_bp, AntiDilution, FULL_BP};
use super::error::{Result, TermsError};
use super::split::apportion;
use crate::money::Money;

/// Stable id of a holder on the cap table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HolderId(pub String);

impl fmt::Display for HolderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of holder a line of the cap table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HolderKind {
    /// A founder (researcher, entrepreneur).
    Founder,
    /// The university or its holding.
    University,
    /// The employee option pool, counted as if fully issued.
    OptionPool,
    /// An investor (VC, angel, ROM, ...).
    Investor,
}

/// A holder of shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Holder {
    /// Unique on the table.
    pub id: HolderId,
    /// Name shown to the user.
    pub name: String,
    /// Founder, university, pool or investor.
    pub kind: HolderKind,
}

/// Common shares issued to a holder at founding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Allocation {
    /// Who.
    pub holder: Holder,
    /// How many common shares (may be zero, e.g. a pool filled in a later round).
    pub shares: u64,
}

/// Money put in by one investor in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Investment {
    /// The investor; must be on the table or among the round's new holders.
    pub investor: HolderId,
    /// Amount invested, zero or more.
    pub amount: Money,
    /// Protection of the preferred shares bought, applied in later down rounds.
    #[serde(default)]
    pub anti_dilution: AntiDilution,
}

/// A pre-money top-up of the option pool to a target share of the post-money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolTopUp {
    /// The pool; a holder of kind [`HolderKind::OptionPool`].
    pub pool: HolderId,
    /// Target pool size in basis points of the post-money fully diluted shares.
    pub target_bp: u32,
}

/// A priced funding round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Round {
    /// Name, e.g. "Seed" or "Series A"; names the preferred series it creates.
    pub name: String,
    /// Closing date, when known (not used in the arithmetic).
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Pre-money valuation, above zero; includes the pool top-up (see the module docs).
    pub pre_money: Money,
    /// Holders who join the table in this round.
    #[serde(default)]
    pub new_holders: Vec<Holder>,
    /// The money coming in.
    pub investments: Vec<Investment>,
    /// Optional pool top-up.
    #[serde(default)]
    pub pool_top_up: Option<PoolTopUp>,
}

/// One holder's line: who and how many common shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    /// The holder.
    pub holder: Holder,
    /// Common shares held (founding shares, pool).
    pub common_shares: u64,
}

/// Preferred shares bought in one investment of one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreferredSeries {
    /// Name of the round that created it.
    pub round: String,
    /// The holder.
    pub holder: HolderId,
    /// Amount paid; also the 1× liquidation preference.
    pub invested: Money,
    /// Common shares it converts into (grows with anti-dilution adjustments).
    pub shares: u64,
    /// Its protection in later down rounds.
    pub anti_dilution: AntiDilution,
}

/// A holder's share of the company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ownership {
    /// The holder.
    pub holder: HolderId,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: HolderKind,
    /// Common plus as-converted preferred shares.
    pub shares: u64,
    /// Basis points of all shares; over all holders exactly 10 000.
    pub bp: u32,
}

/// An exact price per share: `amount / shares`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SharePrice {
    /// Numerator.
    pub amount: Money,
    /// Denominator.
    pub shares: u64,
}

/// Shares issued for one investment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Issue {
    /// The investor.
    pub investor: HolderId,
    /// Amount invested.
    pub amount: Money,
    /// Shares issued, rounded down.
    pub shares: u64,
}

/// An anti-dilution adjustment of one earlier series in a down round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Adjustment {
    /// The protected holder.
    pub holder: HolderId,
    /// The round whose series was adjusted.
    pub series_round: String,
    /// The rule applied.
    pub rule: AntiDilution,
    /// What the series paid (conversion price = invested / shares).
    pub invested: Money,
    /// Conversion shares before.
    pub shares_before: u64,
    /// Conversion shares after.
    pub shares_after: u64,
}

/// What a round did, and the ownership after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundOutcome {
    /// Name of the round.
    pub round: String,
    /// Price per share `V / (A + T)`.
    pub price: SharePrice,
    /// New pool shares `T`.
    pub pool_top_up_shares: u64,
    /// Shares issued to investors.
    pub issued: Vec<Issue>,
    /// Anti-dilution adjustments made.
    pub adjustments: Vec<Adjustment>,
    /// All shares after the round.
    pub total_shares: u64,
    /// Ownership after the round.
    pub ownership: Vec<Ownership>,
}

/// Who holds what. Built by [`CapTable::found`], changed only by [`CapTable::apply_round`].
///
/// Invariants: holder ids are unique, the total is above zero and fits in `u64`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapTable {
    positions: Vec<Position>,
    series: Vec<PreferredSeries>,
}

const ROUND: &str = "applying a funding round";

fn overflow() -> TermsError {
    TermsError::Overflow { attempted: ROUND }
}

impl CapTable {
    /// Founds the table with common shares.
    ///
    /// # Errors
    /// [`TermsError::DuplicateHolder`] when an id repeats, [`TermsError::NoShares`] when no
    /// shares are issued, [`TermsError::Overflow`] when the total does not fit in `u64`.
    pub fn found(allocations: Vec<Allocation>) -> Result<CapTable> {
        let mut table = CapTable {
            positions: Vec::with_capacity(allocations.len()),
            series: Vec::new(),
        };
        let mut total: u64 = 0;
        for allocation in allocations {
            if table.position(&allocation.holder.id).is_some() {
                return Err(TermsError::DuplicateHolder {
                    attempted: "founding the cap table",
                    holder: allocation.holder.id.0,
                });
            }
            total = total
                .checked_add(allocation.shares)
                .ok_or(TermsError::Overflow {
                    attempted: "founding the cap table",
                })?;
            table.positions.push(Position {
                holder: allocation.holder,
                common_shares: allocation.shares,
            });
        }
        if total == 0 {
            return Err(TermsError::NoShares);
        }
        Ok(table)
    }

    /// Every holder's line, in the order they joined.
    pub fn positions(&self) -> &[Position] {
        &self.positions
    }

    /// Every preferred series, in the order issued.
    pub fn series(&self) -> &[PreferredSeries] {
        &self.series
    }

    /// Common plus as-converted preferred shares of `holder` (zero when unknown).
    pub fn shares_of(&self, holder: &HolderId) -> u64 {
        let common = self.position(holder).map_or(0, |p| p.common_shares);
        self.series
            .iter()
            .filter(|s| &s.holder == holder)
            .fold(common, |acc, s| acc.saturating_add(s.shares))
    }

    /// All shares, fully diluted (pool included, preferred as converted).
    pub fn total_shares(&self) -> u64 {
        let common = self.positions.iter().map(|p| p.common_shares);
        let preferred = self.series.iter().map(|s| s.shares);
        common
            .chain(preferred)
            .fold(0u64, |acc, s| acc.saturating_add(s))
    }

    /// Each holder's shares and basis points, in table order; the basis points add up to
    /// exactly 10 000 (largest-remainder rounding, see the module docs).
    pub fn ownership(&self) -> Vec<Ownership> {
        let shares: Vec<u64> = self
            .positions
            .iter()
            .map(|p| self.shares_of(&p.holder.id))
            .collect();
        let weights: Vec<u128> = shares.iter().map(|s| u128::from(*s)).collect();
        // u64 shares × 10 000 always fits in u128, so apportioning cannot fail.
        let bps = apportion(u128::from(FULL_BP), &weights).unwrap_or_default();
        self.positions
            .iter()
            .zip(shares)
            .enumerate()
            .map(|(i, (p, shares))| Ownership {
                holder: p.holder.id.clone(),
                name: p.holder.name.clone(),
                kind: p.holder.kind,
                shares,
                bp: bps
                    .get(i)
                    .and_then(|bp| u32::try_from(*bp).ok())
                    .unwrap_or(0),
            })
            .collect()
    }

    /// Applies the rounds in order; returns the final table and what each round did.
    ///
    /// # Errors
    /// The first error of [`CapTable::apply_round`].
    pub fn apply_rounds(&self, rounds: &[Round]) -> Result<(CapTable, Vec<RoundOutcome>)> {
        let mut table = self.clone();
        let mut outcomes = Vec::with_capacity(rounds.len());
        for round in rounds {
            let (next, outcome) = table.apply_round(round)?;
            table = next;
            outcomes.push(outcome);
        }
        Ok((table, outcomes))
    }

    /// Applies one round (pool top-up, price, new shares, anti-dilution; see the module docs)
    /// and returns the new table with what happened. `self` is left unchanged.
    ///
    /// # Errors
    /// [`TermsError::DuplicateHolder`] for a new holder already on the table,
    /// [`TermsError::UnknownHolder`] for an investor or pool not on it,
    /// [`TermsError::NonPositivePreMoney`], [`TermsError::NegativeAmount`],
    /// [`TermsError::NotAnOptionPool`], [`TermsError::BasisPointsAboveFull`],
    /// [`TermsError::PoolTargetUnreachable`], [`TermsError::Overflow`].
    pub fn apply_round(&self, round: &Round) -> Result<(CapTable, RoundOutcome)> {
        let mut next = self.clone();
        for holder in &round.new_holders {
            if next.position(&holder.id).is_some() {
                return Err(TermsError::DuplicateHolder {
                    attempted: "adding the round's new holders",
                    holder: holder.id.0.clone(),
                });
            }
            next.positions.push(Position {
                holder: holder.clone(),
                common_shares: 0,
            });
        }
        if round.pre_money.cents() <= 0 {
            return Err(TermsError::NonPositivePreMoney {
                round: round.name.clone(),
                pre_money: round.pre_money,
            });
        }
        let mut invested: u128 = 0;
        for investment in &round.investments {
            next.require(&investment.investor, &round.name)?;
            check_amount("an investment in the round", investment.amount)?;
            invested = invested
                .checked_add(cents(investment.amount))
                .ok_or_else(overflow)?;
        }

        let a = u128::from(self.total_shares());
        let v = cents(round.pre_money);
        let top_up = match &round.pool_top_up {
            None => 0,
            Some(top_up) => next.pool_top_up_shares(top_up, &round.name, a, v, invested)?,
        };
        let pre_shares = a + top_up;

        let mut issued = Vec::with_capacity(round.investments.len());
        let mut c: u128 = 0;
        for investment in &round.investments {
            let shares = mul(cents(investment.amount), pre_shares)? / v;
            c = c.checked_add(shares).ok_or_else(overflow)?;
            issued.push((investment, shares));
        }

        let mut adjustments = Vec::new();
        if invested > 0 {
            for series in &mut next.series {
                let before = u128::from(series.shares);
                let paid = cents(series.invested);
                let down_round = mul(v, before)? < mul(paid, pre_shares)?;
                if before == 0 || paid == 0 || !down_round {
                    continue;
                }
                let after = match series.anti_dilution {
                    AntiDilution::None => continue,
                    AntiDilution::FullRatchet => mul(paid, pre_shares)? / v,
                    AntiDilution::BroadBasedWeightedAverage => {
                        let numerator = mul(mul(before, paid)?, a + c)?;
                        let denominator = mul(a, paid)?
                            .checked_add(mul(invested, before)?)
                            .ok_or_else(overflow)?;
                        numerator / denominator
                    }
                }
                .max(before);
                // Rounding down can leave a tiny round without effect: nothing to record.
                if after == before {
                    continue;
                }
                let after = to_u64(after)?;
                adjustments.push(Adjustment {
                    holder: series.holder.clone(),
                    series_round: series.round.clone(),
                    rule: series.anti_dilution,
                    invested: series.invested,
                    shares_before: series.shares,
                    shares_after: after,
                });
                series.shares = after;
            }
        }

        if let Some(top_up_spec) = &round.pool_top_up {
            let top_up = to_u64(top_up)?;
            if let Some(pool) = next.position_mut(&top_up_spec.pool) {
                pool.common_shares = pool
                    .common_shares
                    .checked_add(top_up)
                    .ok_or_else(overflow)?;
            }
        }
        let mut issues = Vec::with_capacity(issued.len());
        for (investment, shares) in issued {
            let shares = to_u64(shares)?;
            if investment.amount.cents() > 0 {
                next.series.push(PreferredSeries {
                    round: round.name.clone(),
                    holder: investment.investor.clone(),
                    invested: investment.amount,
                    shares,
                    anti_dilution: investment.anti_dilution,
                });
            }
            issues.push(Issue {
                investor: investment.investor.clone(),
                amount: investment.amount,
                shares,
            });
        }

        // Every total must fit in u64 so that later sums cannot saturate.
        let total: u128 = next
            .positions
            .iter()
            .map(|p| u128::from(p.common_shares))
            .chain(next.series.iter().map(|s| u128::from(s.shares)))
            .sum();
        let total_shares = to_u64(total)?;

        let outcome = RoundOutcome {
            round: round.name.clone(),
            price: SharePrice {
                amount: round.pre_money,
                shares: to_u64(pre_shares)?,
            },
            pool_top_up_shares: to_u64(top_up)?,
            issued: issues,
            adjustments,
            total_shares,
            ownership: next.ownership(),
        };
        Ok((next, outcome))
    }

    /// `T` of step 1 in the module docs.
    fn pool_top_up_shares(
        &self,
        top_up: &PoolTopUp,
        round: &str,
        a: u128,
        v: u128,
        invested: u128,
    ) -> Result<u128> {
        let pool = self.require(&top_up.pool, round)?;
        if pool.holder.kind != HolderKind::OptionPool {
            return Err(TermsError::NotAnOptionPool {
                round: round.to_owned(),
                holder: top_up.pool.0.clone(),
            });
        }
        check_bp("the option pool target", Some(top_up.target_bp))?;
        let full = u128::from(FULL_BP);
        let q = u128::from(self.shares_of(&top_up.pool));
        let post = v.checked_add(invested).ok_or_else(overflow)?;
        let target_of_post = mul(u128::from(top_up.target_bp), post)?;
        let full_of_pre = mul(full, v)?;
        if target_of_post >= full_of_pre {
            return Err(TermsError::PoolTargetUnreachable {
                round: round.to_owned(),
                target_bp: top_up.target_bp,
                investors_bp: u32::try_from(mul(invested, full)? / post).unwrap_or(FULL_BP),
            });
        }
        let wanted = mul(target_of_post, a)?;
        let held = mul(full_of_pre, q)?;
        if wanted <= held {
            return Ok(0);
        }
        Ok((wanted - held).div_ceil(full_of_pre - target_of_post))
    }

    fn position(&self, holder: &HolderId) -> Option<&Position> {
        self.positions.iter().find(|p| &p.holder.id == holder)
    }

    fn position_mut(&mut self, holder: &HolderId) -> Option<&mut Position> {
        self.positions.iter_mut().find(|p| &p.holder.id == holder)
    }

    fn require(&self, holder: &HolderId, round: &str) -> Result<&Position> {
        self.position(holder)
            .ok_or_else(|| TermsError::UnknownHolder {
                round: round.to_owned(),
                holder: holder.0.clone(),
            })
    }
}

/// Cents of a non-negative amount (callers have checked the sign).
fn cents(amount: Money) -> u128 {
    u128::try_from(amount.cents()).unwrap_or(0)
}

fn mul(x: u128, y: u128) -> Result<u128> {
    x.checked_mul(y).ok_or_else(overflow)
}

fn to_u64(x: u128) -> Result<u64> {
    u64::try_from(x).map_err(|_| overflow())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn holder(id: &str, kind: HolderKind) -> Holder {
        Holder {
            id: HolderId(id.to_owned()),
            name: id.to_owned(),
            kind,
        }
    }

    pub(crate) fn allocation(id: &str, kind: HolderKind, shares: u64) -> Allocation {
        Allocation {
            holder: holder(id, kind),
            shares,
        }
    }

    fn id(s: &str) -> HolderId {
        HolderId(s.to_owned())
    }

    fn bp_of(ownership: &[Ownership], who: &str) -> u32 {
        ownership.iter().find(|o| o.holder.0 == who).unwrap().bp
    }

    /// Founders 700 000, university 100 000, pool 200 000; then a seed round of €250 000 at
    /// €1 000 000 pre-money (price €1.00, 250 000 shares) with the given protection.
    fn seeded(rule: AntiDilution) -> CapTable {
        let founded = CapTable::found(vec![
            allocation("founders", HolderKind::Founder, 700_000),
            allocation("university", HolderKind::University, 100_000),
            allocation("pool", HolderKind::OptionPool, 200_000),
        ])
        .unwrap();
        let seed = Round {
            name: "Seed".to_owned(),
            date: None,
            pre_money: Money::from_euros(1_000_000),
            new_holders: vec![holder("seed-vc", HolderKind::Investor)],
            investments: vec![Investment {
                investor: id("seed-vc"),
                amount: Money::from_euros(250_000),
                anti_dilution: rule,
            }],
            pool_top_up: None,
        };
        let (table, outcome) = founded.apply_round(&seed).unwrap();
        assert_eq!(outcome.issued[0].shares, 250_000);
        assert_eq!(table.total_shares(), 1_250_000);
        table
    }

    /// A down round: €500 000 at €625 000 pre-money, price 62 500 000 / 1 250 000 = 50 cents.
    fn down_round() -> Round {
        Round {
            name: "Series A".to_owned(),
            date: None,
            pre_money: Money::from_euros(625_000),
            new_holders: vec![holder("a-vc", HolderKind::Investor)],
            investments: vec![Investment {
                investor: id("a-vc"),
                amount: Money::from_euros(500_000),
                anti_dilution: AntiDilution::None,
            }],
            pool_top_up: None,
        }
    }

    #[test]
    fn full_ratchet_reprices_the_seed_series_to_the_down_round_price() {
        // Seed CP = 25 000 000 / 250 000 = 100 cents; new price P = 50 cents.
        // NCP = P = 50 cents → seed shares = 25 000 000 / 50 = 500 000 (250 000 extra).
        // New money: 50 000 000 / 50 = 1 000 000 shares. Total 1 250 000 + 1 000 000 + 250 000
        // = 2 500 000: founders 28 %, university 4 %, pool 8 %, seed 20 %, Series A 40 %.
        let (table, outcome) = seeded(AntiDilution::FullRatchet)
            .apply_round(&down_round())
            .unwrap();
        assert_eq!(outcome.issued[0].shares, 1_000_000);
        assert_eq!(outcome.adjustments.len(), 1);
        assert_eq!(outcome.adjustments[0].shares_before, 250_000);
        assert_eq!(outcome.adjustments[0].shares_after, 500_000);
        assert_eq!(table.total_shares(), 2_500_000);
        let bps: Vec<u32> = outcome.ownership.iter().map(|o| o.bp).collect();
        assert_eq!(bps, [2_800, 400, 800, 2_000, 4_000]);
    }

    #[test]
    fn broad_based_weighted_average_reprices_the_seed_series_part_of_the_way() {
        // A = 1 250 000 (fully diluted before), B = 50 000 000 / 100 = 500 000,
        // C = 1 000 000. NCP = 100 × (1 250 000 + 500 000) / (1 250 000 + 1 000 000)
        // = 77.78 cents → seed shares = 250 000 × 2 250 000 / 1 750 000 = 321 428.57 → 321 428.
        // Total 1 250 000 + 1 000 000 + 71 428 = 2 321 428. Exact bp: founders 3015.39,
        // university 430.77, pool 861.54, seed 1384.61, Series A 4307.69; floors sum to 9997,
        // the 3 left go to the largest remainders (university .77, Series A .69, seed .61).
        let (table, outcome) = seeded(AntiDilution::BroadBasedWeightedAverage)
            .apply_round(&down_round())
            .unwrap();
        assert_eq!(outcome.adjustments[0].shares_after, 321_428);
        assert_eq!(table.total_shares(), 2_321_428);
        let bps: Vec<u32> = outcome.ownership.iter().map(|o| o.bp).collect();
        assert_eq!(bps, [3_015, 431, 861, 1_385, 4_308]);
        assert_eq!(bps.iter().sum::<u32>(), 10_000);
    }

    #[test]
    fn an_unprotected_seed_series_is_simply_diluted_in_a_down_round() {
        let (table, outcome) = seeded(AntiDilution::None)
            .apply_round(&down_round())
            .unwrap();
        assert!(outcome.adjustments.is_empty());
        assert_eq!(table.shares_of(&id("seed-vc")), 250_000);
        assert_eq!(table.total_shares(), 2_250_000);
    }

    #[test]
    fn protection_does_nothing_in_an_up_round() {
        let mut up = down_round();
        up.pre_money = Money::from_euros(2_500_000); // price €2.00 > CP €1.00
        let (_, outcome) = seeded(AntiDilution::FullRatchet).apply_round(&up).unwrap();
        assert!(outcome.adjustments.is_empty());
        // €500 000 at €2.00 a share.
        assert_eq!(outcome.issued[0].shares, 250_000);
    }

    #[test]
    fn the_pool_is_topped_up_pre_money_to_at_least_its_post_money_target() {
        // S = 1 000 000 (pool Q = 100 000), V = €4M, I = €1M, t = 15 %.
        // T = (1500 × 5e8 × 1e6 − 1e4 × 4e8 × 1e5) / (1e4 × 4e8 − 1500 × 5e8)
        //   = 107 692.31 → 107 693 (rounded up).
        // Price = 4e8 / 1 107 693; new shares = floor(1e8 × 1 107 693 / 4e8) = 276 923.
        // Total 1 384 616: founders 64.9999 %, pool 15.0004 %, investor 19.9999 % → the two
        // left-over bp go to founders and investor: 6 500 / 1 500 / 2 000.
        let founded = CapTable::found(vec![
            allocation("founders", HolderKind::Founder, 900_000),
            allocation("pool", HolderKind::OptionPool, 100_000),
        ])
        .unwrap();
        let round = Round {
            name: "Seed".to_owned(),
            date: None,
            pre_money: Money::from_euros(4_000_000),
            new_holders: vec![holder("vc", HolderKind::Investor)],
            investments: vec![Investment {
                investor: id("vc"),
                amount: Money::from_euros(1_000_000),
                anti_dilution: AntiDilution::None,
            }],
            pool_top_up: Some(PoolTopUp {
                pool: id("pool"),
                target_bp: 1_500,
            }),
        };
        let (table, outcome) = founded.apply_round(&round).unwrap();
        assert_eq!(outcome.pool_top_up_shares, 107_693);
        assert_eq!(outcome.issued[0].shares, 276_923);
        assert_eq!(table.total_shares(), 1_384_616);
        assert_eq!(table.shares_of(&id("founders")), 900_000);
        let o = &outcome.ownership;
        assert_eq!(
            (bp_of(o, "founders"), bp_of(o, "pool"), bp_of(o, "vc")),
            (6_500, 1_500, 2_000)
        );
    }

    #[test]
    fn a_pool_target_the_pre_money_cannot_hold_is_refused() {
        let founded = CapTable::found(vec![
            allocation("founders", HolderKind::Founder, 900_000),
            allocation("pool", HolderKind::OptionPool, 0),
        ])
        .unwrap();
        let round = Round {
            name: "Seed".to_owned(),
            date: None,
            pre_money: Money::from_euros(1_000_000),
            new_holders: vec![holder("vc", HolderKind::Investor)],
            investments: vec![Investment {
                investor: id("vc"),
                amount: Money::from_euros(1_000_000),
                anti_dilution: AntiDilution::None,
            }],
            pool_top_up: Some(PoolTopUp {
                pool: id("pool"),
                target_bp: 5_000,
            }),
        };
        assert_eq!(
            founded.apply_round(&round).unwrap_err(),
            TermsError::PoolTargetUnreachable {
                round: "Seed".to_owned(),
                target_bp: 5_000,
                investors_bp: 5_000
            }
        );
    }

    #[test]
    fn founding_and_rounds_refuse_duplicates_unknown_investors_and_zero_valuations() {
        assert_eq!(
            CapTable::found(vec![allocation("f", HolderKind::Founder, 0)]),
            Err(TermsError::NoShares)
        );
        assert!(matches!(
            CapTable::found(vec![
                allocation("f", HolderKind::Founder, 1),
                allocation("f", HolderKind::Founder, 1)
            ]),
            Err(TermsError::DuplicateHolder { .. })
        ));
        let table = seeded(AntiDilution::None);
        let mut round = down_round();
        round.new_holders.clear();
        assert!(matches!(
            table.apply_round(&round),
            Err(TermsError::UnknownHolder { .. })
        ));
        let mut round = down_round();
        round.pre_money = Money::ZERO;
        assert!(matches!(
            table.apply_round(&round),
            Err(TermsError::NonPositivePreMoney { .. })
        ));
        let mut round = down_round();
        round.pool_top_up = Some(PoolTopUp {
            pool: id("founders"),
            target_bp: 1_000,
        });
        assert!(matches!(
            table.apply_round(&round),
            Err(TermsError::NotAnOptionPool { .. })
        ));
    }

    #[test]
    fn a_round_serialises_from_camel_case_json() {
        let json = r#"{"name":"Seed","preMoney":100000000,
            "newHolders":[{"id":"vc","name":"VC","kind":"investor"}],
            "investments":[{"investor":"vc","amount":25000000,"antiDilution":"fullRatchet"}],
            "poolTopUp":{"pool":"pool","targetBp":1000}}"#;
        let round: Round = serde_json::from_str(json).unwrap();
        assert_eq!(
            round.investments[0].anti_dilution,
            AntiDilution::FullRatchet
        );
        assert_eq!(round.pool_top_up.unwrap().target_bp, 1_000);
    }

    // ---- properties ----

    pub(crate) fn founding_strategy() -> impl Strategy<Value = Vec<Allocation>> {
        (
            prop::collection::vec(0u64..5_000_000, 1..5),
            0u64..2_000_000,
            0u64..1_000_000,
        )
            .prop_filter("some shares", |(founders, uni, pool)| {
                founders.iter().sum::<u64>() + uni + pool > 0
            })
            .prop_map(|(founders, uni, pool)| {
                let mut allocations: Vec<Allocation> = founders
                    .iter()
                    .enumerate()
                    .map(|(i, s)| allocation(&format!("founder-{i}"), HolderKind::Founder, *s))
                    .collect();
                allocations.push(allocation("university", HolderKind::University, uni));
                allocations.push(allocation("pool", HolderKind::OptionPool, pool));
                allocations
            })
    }

    fn rule_strategy() -> impl Strategy<Value = AntiDilution> {
        prop_oneof![
            Just(AntiDilution::None),
            Just(AntiDilution::FullRatchet),
            Just(AntiDilution::BroadBasedWeightedAverage),
        ]
    }

    /// Rounds with pre-money €1k–€100M, up to three investors each investing at most the
    /// pre-money, and a pool target up to 20 % (always reachable: 20 % × 4V < V).
    pub(crate) fn rounds_strategy() -> impl Strategy<Value = Vec<Round>> {
        let round = (
            100_000i64..10_000_000_000,
            prop::collection::vec((0u16..=1_000, rule_strategy()), 0..4),
            prop::option::of(0u32..=2_000),
        );
        prop::collection::vec(round, 0..5).prop_map(|rounds| {
            rounds
                .into_iter()
                .enumerate()
                .map(|(r, (pre, investments, pool))| {
                    let investors: Vec<Holder> = (0..investments.len())
                        .map(|i| holder(&format!("inv-{r}-{i}"), HolderKind::Investor))
                        .collect();
                    Round {
                        name: format!("round {r}"),
                        date: None,
                        pre_money: Money::from_cents(pre),
                        investments: investments
                            .iter()
                            .zip(&investors)
                            .map(|((permille, rule), h)| Investment {
                                investor: h.id.clone(),
                                amount: Money::from_cents(pre)
                                    .apply_ratio(i64::from(*permille), 1_000),
                                anti_dilution: *rule,
                            })
                            .collect(),
                        new_holders: investors,
                        pool_top_up: pool.map(|target_bp| PoolTopUp {
                            pool: id("pool"),
                            target_bp,
                        }),
                    }
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn ownership_always_sums_to_exactly_one_hundred_percent(
            founding in founding_strategy(),
            rounds in rounds_strategy(),
        ) {
            let table = CapTable::found(founding).unwrap();
            prop_assert_eq!(table.ownership().iter().map(|o| o.bp).sum::<u32>(), 10_000);
            let (_, outcomes) = table.apply_rounds(&rounds).unwrap();
            for outcome in outcomes {
                prop_assert_eq!(outcome.ownership.iter().map(|o| o.bp).sum::<u32>(), 10_000);
                prop_assert_eq!(
                    outcome.ownership.iter().map(|o| o.shares).sum::<u64>(),
                    outcome.total_shares
                );
            }
        }

        #[test]
        fn founding_shares_stay_exactly_as_allocated_until_a_round_is_applied(
            founding in founding_strategy(),
        ) {
            let table = CapTable::found(founding.clone()).unwrap();
            for a in &founding {
                prop_assert_eq!(table.shares_of(&a.holder.id), a.shares);
            }
            let (same, outcomes) = table.apply_rounds(&[]).unwrap();
            prop_assert!(outcomes.is_empty());
            prop_assert_eq!(same, table);
        }

        #[test]
        fn a_round_without_money_or_pool_top_up_changes_no_share_count(
            founding in founding_strategy(),
            rounds in rounds_strategy(),
            pre in 1i64..10_000_000_000,
        ) {
            let (table, _) = CapTable::found(founding).unwrap().apply_rounds(&rounds).unwrap();
            let empty = Round {
                name: "nothing".to_owned(),
                date: None,
                pre_money: Money::from_cents(pre),
                new_holders: vec![],
                investments: vec![],
                pool_top_up: None,
            };
            let (after, outcome) = table.apply_round(&empty).unwrap();
            prop_assert!(outcome.adjustments.is_empty());
            prop_assert_eq!(after, table);
        }

        #[test]
        fn in_a_round_no_share_count_falls_and_only_investors_the_pool_and_protected_holders_gain(
            founding in founding_strategy(),
            rounds in rounds_strategy(),
        ) {
            let mut table = CapTable::found(founding).unwrap();
            for round in &rounds {
                let (next, outcome) = table.apply_round(round).unwrap();
                for position in table.positions() {
                    let who = &position.holder.id;
                    let (before, after) = (table.shares_of(who), next.shares_of(who));
                    prop_assert!(after >= before, "{} fell from {} to {}", who, before, after);
                    if after != before {
                        let invested = round.investments.iter().any(|i| &i.investor == who && i.amount.cents() > 0);
                        let pool = round.pool_top_up.as_ref().is_some_and(|t| &t.pool == who);
                        let protected = outcome.adjustments.iter().any(|a| &a.holder == who && a.rule != AntiDilution::None);
                        prop_assert!(invested || pool || protected, "{} changed without cause", who);
                    }
                }
                for (old, new) in table.series().iter().zip(next.series()) {
                    prop_assert!(new.shares >= old.shares);
                    prop_assert_eq!(&new.holder, &old.holder);
                }
                table = next;
            }
        }
    }
}
