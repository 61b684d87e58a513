//! The cap table of a spin-off and how it moves through funding rounds.
//!
//! A table is founded with common shares, then changed only by [`CapTable::apply_round`]:
//! nothing else alters a share count, and a round never lowers one. Each investment buys a
//! preferred series. A series keeps its **original issue price** (the round's price), its
//! **conversion price** (the original issue price until an anti-dilution adjustment lowers
//! it) and its number of preferred shares; it converts into
//! `floor(preferred shares × original issue price / conversion price)` common shares, as in
//! the NVCA model certificate of incorporation (COI §4.4). Prices are exact fractions
//! ([`ExactPrice`]); only share counts are rounded, down, when they are derived.
//!
//! # A round, step by step
//!
//! Let `A₀` = fully diluted shares before the round (every share, incl. the whole option pool
//! and the preferred as converted), `V` = pre-money valuation in cents, `I` = total invested
//! in the round in cents.
//!
//! 1. **Option-pool top-up before the money** ("option pool shuffle", the default
//!    [`PoolTiming::PreMoney`]). The pool is topped up inside the pre-money, so its new
//!    shares dilute only the existing holders. With `Q` = pool shares before and `t` = target
//!    in basis points of the post-money:
//!    `T = (t·(V+I)·A₀ − 10000·V·Q) / (10000·V − t·(V+I))`, rounded **up**, and `0` when the
//!    pool is already big enough.
//! 2. **Price**: `P = V / (A₀ + T)` cents per share, kept exact; it is the original issue
//!    price of the round's series.
//! 3. **New shares** per investment: `floor(amount · (A₀ + T) / V)`; fractions of a share are
//!    never issued, and an investment that buys no share creates no series. `C` = the
//!    shares issued in the round (the NVCA "Additional Shares"; the pool top-up is carved
//!    out).
//! 4. **Anti-dilution** (COI §4.4.4), only when the round issues Additional Shares (`C > 0`)
//!    at a price below a series' conversion price in effect before the round (`CP₁ > P`).
//!    Money that buys no share does not trigger it. The new conversion price `CP₂`:
//!    - full ratchet: `CP₂ = P`;
//!    - weighted average: `CP₂ = CP₁ · (A + B) / (A + C)` with `B = I / CP₁` (the shares
//!      the round's money would have bought at `CP₁`, unrounded), i.e.
//!      `CP₂ = (A · CP₁ + I) / (A + C)`. `CP₁` is the conversion price carried from earlier
//!      adjustments, never recomputed from invested ÷ shares.
//!
//!    What `A` counts is a choice of the term sheet ([`WeightedAverageBase`] for the broad
//!    base, [`AntiDilution::NarrowBasedWeightedAverage`] for the narrow one):
//!    - [`WeightedAverageBase::FullyDiluted`] (the default): `A = A₀`, every share before the
//!      round including the whole pool, without this round's top-up;
//!    - [`WeightedAverageBase::FullyDilutedWithTopUp`]: `A = A₀ + T`;
//!    - [`WeightedAverageBase::OutstandingAndGrantedOptions`] (the NVCA text): common
//!      outstanding, preferred as converted and options granted, i.e. `A₀` less the pool's
//!      unallocated part ([`Round::granted_options`]);
//!    - narrow based: `A` = the preferred outstanding as converted (all series).
//!
//!    Optionally ([`Investment::round_conversion_price`]) `CP₂` is rounded to the nearest
//!    1/100 of a cent, as the NVCA text does. The series then converts into
//!    `floor(preferred shares × P_orig / CP₂)` shares; the extra shares are issued on top of
//!    the round, so they dilute the new investors too.
//! 5. **Option-pool top-up after the money** ([`PoolTiming::PostMoney`]): once the shares of
//!    steps 3 and 4 are issued, with `N` = all shares then, the pool is topped up by
//!    `ceil((t·N − 10000·Q) / (10000 − t))` shares, diluting every holder including the new
//!    investors. The price is then `V / A₀`.
//!
//! The university's founding stake is common stock and therefore fully dilutive (as the UNL
//! principles ask); a stake the university pays for is entered as an investment, and then
//! carries the protection that investment names.
//!
//! # Liquidation preference
//! A series' preference is `multiple × original issue price × preferred shares` (COI §2.1),
//! not the cash paid: an investment that bought no share has none. The round's
//! [`PreferenceTerms`] set the multiple, participation (with or without a cap) and seniority
//! used by [`crate::terms::exit`].
//!
//! # Percentages
//! [`CapTable::ownership`] gives basis points by the largest-remainder method: each holder
//! gets `floor(shares · 10000 / total)`, the basis points left over go one each to the
//! largest remainders (ties to the holder listed first), so the shown percentages always add
//! up to exactly 100.00 %.

use chrono::NaiveDate;
use num_rational::BigRational;
use serde::{Deserialize, Serialize};
use std::fmt;

use super::deal::{check_amount, check_bp, AntiDilution, FULL_BP};
use super::error::{Result, TermsError};
use super::exact::{floor_u64, int, ratio, round_half_up, to_money, ExactPrice};
use super::split::apportion;
use crate::money::Money;

/// Stable id of a holder on the cap table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(transparent)]
pub struct HolderId(pub String);

impl fmt::Display for HolderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of holder a line of the cap table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct Allocation {
    /// Who.
    pub holder: Holder,
    /// How many common shares (may be zero, e.g. a pool filled in a later round).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shares: u64,
}

/// What `A` counts in the broad-based weighted-average formula (see the module docs).
/// Term sheets differ here; the default keeps the figures of earlier versions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum WeightedAverageBase {
    /// Every share before the round, the whole option pool included (granted or not),
    /// without the round's own pool top-up.
    #[default]
    FullyDiluted,
    /// As [`WeightedAverageBase::FullyDiluted`] plus the round's pre-money pool top-up.
    FullyDilutedWithTopUp,
    /// The NVCA definition: common outstanding, preferred as converted and options granted
    /// and outstanding; the unallocated pool is left out ([`Round::granted_options`]).
    OutstandingAndGrantedOptions,
}

/// Money put in by one investor in a round.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct Investment {
    /// The investor; must be on the table or among the round's new holders.
    pub investor: HolderId,
    /// Amount invested, zero or more.
    pub amount: Money,
    /// Protection of the preferred shares bought, applied in later down rounds.
    #[serde(default)]
    pub anti_dilution: AntiDilution,
    /// What `A` counts when the protection is the broad-based weighted average.
    #[serde(default)]
    pub weighted_average_base: WeightedAverageBase,
    /// Round an adjusted conversion price to the nearest 1/100 of a cent (NVCA); off keeps
    /// it exact.
    #[serde(default)]
    pub round_conversion_price: bool,
}

/// When the option pool is topped up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum PoolTiming {
    /// Inside the pre-money: only the existing holders are diluted (the usual term sheet).
    #[default]
    PreMoney,
    /// After the money: everyone, the new investors included, is diluted.
    PostMoney,
}

/// A top-up of the option pool to a target share of the post-money.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct PoolTopUp {
    /// The pool; a holder of kind [`HolderKind::OptionPool`].
    pub pool: HolderId,
    /// Target pool size in basis points of the post-money fully diluted shares.
    pub target_bp: u32,
    /// Before (default) or after the money.
    #[serde(default)]
    pub timing: PoolTiming,
}

/// How a series shares in an exit beyond its preference.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Participation {
    /// The preference or conversion to common, whichever pays more (the default).
    #[default]
    NonParticipating,
    /// The preference and then a share of the rest as if converted, without limit.
    Participating,
    /// The preference and a share of the rest until the total per share reaches the cap;
    /// converts to common when that pays more.
    CappedParticipating {
        /// The cap on the total received (preference included), in basis points of the
        /// original issue price per share: `30_000` = 3×.
        #[serde(rename = "capMultipleBp")]
        cap_multiple_bp: u32,
    },
}

/// The liquidation preference a round's series carry (COI §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(default, rename_all = "camelCase")]
pub struct PreferenceTerms {
    /// The multiple of the original issue price, in basis points: `10_000` = 1× (default).
    pub multiple_bp: u32,
    /// Non-participating (default), participating or capped participating.
    pub participation: Participation,
    /// Rank in the waterfall: a higher rank is paid in full before a lower one; equal ranks
    /// share pari passu. Every round at 0 (the default) is pari passu throughout.
    pub seniority: u32,
}

impl Default for PreferenceTerms {
    fn default() -> Self {
        PreferenceTerms {
            multiple_bp: FULL_BP,
            participation: Participation::NonParticipating,
            seniority: 0,
        }
    }
}

/// The highest preference or cap multiple accepted: 100×.
pub const MAX_MULTIPLE_BP: u32 = 1_000_000;

impl PreferenceTerms {
    /// Checks the multiples: at most [`MAX_MULTIPLE_BP`], and a cap not below the preference.
    ///
    /// # Errors
    /// [`TermsError::InvalidInput`] naming the round and what to change.
    pub fn validate(&self, round: &str) -> Result<()> {
        let problem = if self.multiple_bp > MAX_MULTIPLE_BP {
            Some(format!(
                "round `{round}` has a liquidation preference of {} basis points of the \
                 issue price; enter at most 1000000 (100×)",
                self.multiple_bp
            ))
        } else {
            match self.participation {
                Participation::CappedParticipating { cap_multiple_bp }
                    if cap_multiple_bp > MAX_MULTIPLE_BP =>
                {
                    Some(format!(
                        "round `{round}` has a participation cap of {cap_multiple_bp} basis \
                         points; enter at most 1000000 (100×)"
                    ))
                }
                Participation::CappedParticipating { cap_multiple_bp }
                    if cap_multiple_bp < self.multiple_bp =>
                {
                    Some(format!(
                        "round `{round}` caps participation at {cap_multiple_bp} basis points, \
                         below its preference of {} basis points; the cap includes the \
                         preference, so enter a cap at least as high",
                        self.multiple_bp
                    ))
                }
                _ => None,
            }
        };
        match problem {
            Some(problem) => Err(TermsError::InvalidInput {
                attempted: "checking the liquidation preference",
                problem,
            }),
            None => Ok(()),
        }
    }
}

/// A priced funding round.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct Round {
    /// Name, e.g. "Seed" or "Series A"; names the preferred series it creates.
    pub name: String,
    /// Closing date, when known (not used in the arithmetic).
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Pre-money valuation, above zero; includes a pre-money pool top-up.
    pub pre_money: Money,
    /// Holders who join the table in this round.
    #[serde(default)]
    pub new_holders: Vec<Holder>,
    /// The money coming in.
    pub investments: Vec<Investment>,
    /// Optional pool top-up.
    #[serde(default)]
    pub pool_top_up: Option<PoolTopUp>,
    /// The liquidation preference of the series this round creates.
    #[serde(default)]
    pub preference: PreferenceTerms,
    /// Options granted from the pool and outstanding just before the round; the rest of the
    /// pool is unallocated. Used only by [`WeightedAverageBase::OutstandingAndGrantedOptions`];
    /// when absent the whole pool counts as granted.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
    pub granted_options: Option<u64>,
}

/// One holder's line: who and how many common shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Position {
    /// The holder.
    pub holder: Holder,
    /// Common shares held (founding shares, pool).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub common_shares: u64,
}

/// Preferred shares bought in one investment of one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct PreferredSeries {
    /// Name of the round that created it.
    pub round: String,
    /// The holder.
    pub holder: HolderId,
    /// Amount paid.
    pub invested: Money,
    /// Preferred shares issued (never changes).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub preferred_shares: u64,
    /// Common shares it converts into:
    /// `floor(preferred_shares × original_issue_price / conversion_price)`.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shares: u64,
    /// The round's price per share, `V / (A₀ + T)`.
    pub original_issue_price: SharePrice,
    /// The conversion price in effect; the original issue price until an adjustment.
    pub conversion_price: ExactPrice,
    /// Multiple, participation and seniority.
    pub preference: PreferenceTerms,
    /// `multiple × original issue price × preferred shares`, rounded half up to a cent.
    pub liquidation_preference: Money,
    /// Its protection in later down rounds.
    pub anti_dilution: AntiDilution,
    /// What `A` counts in a broad-based adjustment.
    pub weighted_average_base: WeightedAverageBase,
    /// Whether an adjusted conversion price is rounded to 1/100 of a cent.
    pub round_conversion_price: bool,
}

impl PreferredSeries {
    /// The original issue price as an exact fraction of cents per share.
    pub fn original_issue_price_exact(&self) -> BigRational {
        price_of(&self.original_issue_price)
    }

    /// `multiple × original issue price × preferred shares`, exact, in cents.
    pub fn liquidation_preference_exact(&self) -> BigRational {
        self.original_issue_price_exact()
            * int(self.preferred_shares)
            * ratio(self.preference.multiple_bp, FULL_BP)
    }

    /// The most a capped participating series receives in total (preference included),
    /// exact, in cents; `None` when participation is not capped.
    pub fn participation_cap_exact(&self) -> Option<BigRational> {
        match self.preference.participation {
            Participation::CappedParticipating { cap_multiple_bp } => Some(
                self.original_issue_price_exact()
                    * int(self.preferred_shares)
                    * ratio(cap_multiple_bp, FULL_BP),
            ),
            _ => None,
        }
    }
}

/// A holder's share of the company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Ownership {
    /// The holder.
    pub holder: HolderId,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: HolderKind,
    /// Common plus as-converted preferred shares.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shares: u64,
    /// Basis points of all shares; over all holders exactly 10 000.
    pub bp: u32,
}

/// An exact price per share: `amount / shares`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SharePrice {
    /// Numerator.
    pub amount: Money,
    /// Denominator.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shares: u64,
}

/// Shares issued for one investment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Issue {
    /// The investor.
    pub investor: HolderId,
    /// Amount invested.
    pub amount: Money,
    /// Shares issued, rounded down.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shares: u64,
}

/// An anti-dilution adjustment of one earlier series in a down round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Adjustment {
    /// The protected holder.
    pub holder: HolderId,
    /// The round whose series was adjusted.
    pub series_round: String,
    /// The rule applied.
    pub rule: AntiDilution,
    /// What the series paid.
    pub invested: Money,
    /// Conversion price in effect before the round (`CP₁`).
    pub conversion_price_before: ExactPrice,
    /// Conversion price after it (`CP₂`).
    pub conversion_price_after: ExactPrice,
    /// Conversion shares before.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shares_before: u64,
    /// Conversion shares after.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shares_after: u64,
}

/// What a round did, and the ownership after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct RoundOutcome {
    /// Name of the round.
    pub round: String,
    /// Price per share `V / (A₀ + T)`.
    pub price: SharePrice,
    /// New pool shares, before or after the money as the round says.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub pool_top_up_shares: u64,
    /// Shares issued to investors.
    pub issued: Vec<Issue>,
    /// Anti-dilution adjustments made.
    pub adjustments: Vec<Adjustment>,
    /// All shares after the round.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total_shares: u64,
    /// Ownership after the round.
    pub ownership: Vec<Ownership>,
}

/// Who holds what. Built by [`CapTable::found`], changed only by [`CapTable::apply_round`].
///
/// Invariants: holder ids are unique, the total is above zero and fits in `u64`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct CapTable {
    positions: Vec<Position>,
    series: Vec<PreferredSeries>,
}

const ROUND: &str = "applying a funding round";

fn overflow() -> TermsError {
    TermsError::Overflow { attempted: ROUND }
}

/// The exact value of a `SharePrice`.
pub(crate) fn price_of(price: &SharePrice) -> BigRational {
    if price.shares == 0 {
        return int(0);
    }
    ratio(price.amount.cents(), price.shares)
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
    /// [`TermsError::PoolTargetUnreachable`], [`TermsError::InvalidInput`] for impossible
    /// preference terms, [`TermsError::Overflow`].
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
        round.preference.validate(&round.name)?;
        let mut invested: u128 = 0;
        for investment in &round.investments {
            next.require(&investment.investor, &round.name)?;
            check_amount("an investment in the round", investment.amount)?;
            invested = invested
                .checked_add(cents(investment.amount))
                .ok_or_else(overflow)?;
        }

        let a0 = u128::from(self.total_shares());
        let v = cents(round.pre_money);
        let (pre_top_up, post_top_up) = match &round.pool_top_up {
            None => (None, None),
            Some(top_up) => {
                next.check_pool(top_up, &round.name)?;
                match top_up.timing {
                    PoolTiming::PreMoney => (
                        Some(next.pool_top_up_shares(top_up, &round.name, a0, v, invested)?),
                        None,
                    ),
                    PoolTiming::PostMoney => (None, Some(top_up)),
                }
            }
        };
        let top_up = pre_top_up.unwrap_or(0);
        let pre_shares = a0 + top_up;
        let price = SharePrice {
            amount: round.pre_money,
            shares: to_u64(pre_shares)?,
        };
        let p = price_of(&price);

        let mut issued = Vec::with_capacity(round.investments.len());
        let mut c: u128 = 0;
        for investment in &round.investments {
            let shares = mul(cents(investment.amount), pre_shares)? / v;
            c = c.checked_add(shares).ok_or_else(overflow)?;
            issued.push((investment, to_u64(shares)?));
        }

        // Only Additional Shares issued below a series' conversion price adjust it.
        let mut adjustments = Vec::new();
        if c > 0 {
            let pool_total: u64 = self
                .positions
                .iter()
                .filter(|p| p.holder.kind == HolderKind::OptionPool)
                .map(|p| p.common_shares)
                .sum();
            let unallocated = round
                .granted_options
                .map_or(0, |granted| pool_total.saturating_sub(granted));
            let preferred_as_converted: u128 =
                self.series.iter().map(|s| u128::from(s.shares)).sum();
            for series in &mut next.series {
                let cp1 = series.conversion_price.0.clone();
                if series.anti_dilution == AntiDilution::None || p >= cp1 {
                    continue;
                }
                let weighted = |base: u128| (int(base) * &cp1 + int(invested)) / int(base + c);
                let mut cp2 = match series.anti_dilution {
                    AntiDilution::None => continue,
                    AntiDilution::FullRatchet => p.clone(),
                    AntiDilution::BroadBasedWeightedAverage => {
                        let base = match series.weighted_average_base {
                            WeightedAverageBase::FullyDiluted => a0,
                            WeightedAverageBase::FullyDilutedWithTopUp => pre_shares,
                            WeightedAverageBase::OutstandingAndGrantedOptions => {
                                a0.saturating_sub(u128::from(unallocated))
                            }
                        };
                        weighted(base)
                    }
                    AntiDilution::NarrowBasedWeightedAverage => weighted(preferred_as_converted),
                };
                if series.round_conversion_price {
                    let hundredths = round_half_up(&(&cp2 * int(100)));
                    // A price that would round to nothing is kept exact.
                    if hundredths > 0.into() {
                        cp2 = ratio(hundredths, 100);
                    }
                }
                if cp2 >= cp1 {
                    continue;
                }
                let after = floor_u64(
                    &(series.original_issue_price_exact() * int(series.preferred_shares) / &cp2),
                )
                .ok_or_else(overflow)?
                .max(series.shares);
                adjustments.push(Adjustment {
                    holder: series.holder.clone(),
                    series_round: series.round.clone(),
                    rule: series.anti_dilution,
                    invested: series.invested,
                    conversion_price_before: ExactPrice(cp1),
                    conversion_price_after: ExactPrice(cp2.clone()),
                    shares_before: series.shares,
                    shares_after: after,
                });
                series.conversion_price = ExactPrice(cp2);
                series.shares = after;
            }
        }

        if let (Some(top_up_spec), Some(top_up)) = (&round.pool_top_up, pre_top_up) {
            next.add_to_pool(&top_up_spec.pool, top_up)?;
        }
        let mut issues = Vec::with_capacity(issued.len());
        for (investment, shares) in issued {
            if shares > 0 {
                let mut series = PreferredSeries {
                    round: round.name.clone(),
                    holder: investment.investor.clone(),
                    invested: investment.amount,
                    preferred_shares: shares,
                    shares,
                    original_issue_price: price,
                    conversion_price: ExactPrice(p.clone()),
                    preference: round.preference,
                    liquidation_preference: Money::ZERO,
                    anti_dilution: investment.anti_dilution,
                    weighted_average_base: investment.weighted_average_base,
                    round_conversion_price: investment.round_conversion_price,
                };
                series.liquidation_preference =
                    to_money(&series.liquidation_preference_exact()).ok_or_else(overflow)?;
                next.series.push(series);
            }
            issues.push(Issue {
                investor: investment.investor.clone(),
                amount: investment.amount,
                shares,
            });
        }

        let mut pool_top_up_shares = top_up;
        if let Some(top_up_spec) = post_top_up {
            let shares = next.post_money_top_up_shares(top_up_spec, &round.name)?;
            next.add_to_pool(&top_up_spec.pool, shares)?;
            pool_top_up_shares = shares;
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
            price,
            pool_top_up_shares: to_u64(pool_top_up_shares)?,
            issued: issues,
            adjustments,
            total_shares,
            ownership: next.ownership(),
        };
        Ok((next, outcome))
    }

    fn check_pool(&self, top_up: &PoolTopUp, round: &str) -> Result<()> {
        let pool = self.require(&top_up.pool, round)?;
        if pool.holder.kind != HolderKind::OptionPool {
            return Err(TermsError::NotAnOptionPool {
                round: round.to_owned(),
                holder: top_up.pool.0.clone(),
            });
        }
        check_bp("the option pool target", Some(top_up.target_bp))
    }

    fn add_to_pool(&mut self, pool: &HolderId, shares: u128) -> Result<()> {
        let shares = to_u64(shares)?;
        if let Some(pool) = self.position_mut(pool) {
            pool.common_shares = pool
                .common_shares
                .checked_add(shares)
                .ok_or_else(overflow)?;
        }
        Ok(())
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

    /// The top-up of step 5 in the module docs, on the table after the round's issues.
    fn post_money_top_up_shares(&self, top_up: &PoolTopUp, round: &str) -> Result<u128> {
        let full = u128::from(FULL_BP);
        let t = u128::from(top_up.target_bp);
        if t >= full {
            return Err(TermsError::InvalidInput {
                attempted: ROUND,
                problem: format!(
                    "round `{round}` asks for a pool of 100 % of the post-money, which leaves \
                     nothing for anyone else; enter a target below 10000 basis points"
                ),
            });
        }
        let n = u128::from(self.total_shares());
        let q = u128::from(self.shares_of(&top_up.pool));
        let wanted = mul(t, n)?;
        let held = mul(full, q)?;
        if wanted <= held {
            return Ok(0);
        }
        Ok((wanted - held).div_ceil(full - t))
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
                ..Default::default()
            }],
            pool_top_up: None,
            ..Default::default()
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
                ..Default::default()
            }],
            pool_top_up: None,
            ..Default::default()
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
                ..Default::default()
            }],
            pool_top_up: Some(PoolTopUp {
                pool: id("pool"),
                target_bp: 1_500,
                ..Default::default()
            }),
            ..Default::default()
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
                ..Default::default()
            }],
            pool_top_up: Some(PoolTopUp {
                pool: id("pool"),
                target_bp: 5_000,
                ..Default::default()
            }),
            ..Default::default()
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
            ..Default::default()
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
                                ..Default::default()
                            })
                            .collect(),
                        new_holders: investors,
                        pool_top_up: pool.map(|target_bp| PoolTopUp {
                            pool: id("pool"),
                            target_bp,
                            ..Default::default()
                        }),
                        ..Default::default()
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
                ..Default::default()
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
