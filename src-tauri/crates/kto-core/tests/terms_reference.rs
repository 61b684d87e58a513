//! A second, plain implementation of the cap table and the waterfall, written from the
//! textbook formulas with exact fractions, against which random cap tables and exits are
//! checked through the public API: shares to the unit, payouts to the cent.
//!
//! The reference differs from the library on purpose: it recomputes every as-converted
//! share count from the conversion price, writes the weighted average in the NVCA form
//! `CP₂ = CP₁ · (A + B) / (A + C)`, finds the common price by capping and dropping
//! claimants until nothing changes, and finds the conversion choices by trying every
//! combination and keeping those in which no series gains by choosing the other way.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kto_core::money::Money;
use kto_core::terms::captable::{
    Allocation, CapTable, Holder, HolderId, HolderKind, Investment, Participation, PoolTiming,
    PoolTopUp, PreferenceTerms, Round, WeightedAverageBase,
};
use kto_core::terms::deal::AntiDilution;
use kto_core::terms::exit::{waterfall_with, ExitTerms, OptionGrant};
use num_bigint::BigInt;
use num_rational::BigRational as Q;
use num_traits::{Signed, Zero};
use proptest::prelude::*;

fn q(n: impl Into<BigInt>) -> Q {
    Q::from_integer(n.into())
}

fn frac(n: impl Into<BigInt>, d: impl Into<BigInt>) -> Q {
    Q::new(n.into(), d.into())
}

fn floor(x: &Q) -> u64 {
    u64::try_from(x.floor().to_integer()).unwrap()
}

fn ceil(x: &Q) -> u64 {
    u64::try_from(x.ceil().to_integer()).unwrap()
}

// ---------------------------------------------------------------- the reference cap table

#[derive(Clone, Debug)]
struct RefSeries {
    holder: String,
    preferred: u64,
    oip: Q,
    cp: Q,
    rule: AntiDilution,
    base: WeightedAverageBase,
    rounded: bool,
    terms: PreferenceTerms,
}

impl RefSeries {
    fn as_converted(&self) -> u64 {
        floor(&(q(self.preferred) * &self.oip / &self.cp))
    }
    fn preference(&self) -> Q {
        q(self.preferred) * &self.oip * frac(self.terms.multiple_bp, 10_000)
    }
    fn cap(&self) -> Option<Q> {
        match self.terms.participation {
            Participation::CappedParticipating { cap_multiple_bp } => {
                Some(q(self.preferred) * &self.oip * frac(cap_multiple_bp, 10_000))
            }
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
struct RefTable {
    /// (id, kind, common shares)
    common: Vec<(String, HolderKind, u64)>,
    series: Vec<RefSeries>,
}

impl RefTable {
    fn total(&self) -> u64 {
        self.common.iter().map(|c| c.2).sum::<u64>()
            + self.series.iter().map(RefSeries::as_converted).sum::<u64>()
    }

    fn pool_shares(&self) -> u64 {
        self.common
            .iter()
            .filter(|c| c.1 == HolderKind::OptionPool)
            .map(|c| c.2)
            .sum()
    }

    fn shares_of(&self, id: &str) -> u64 {
        self.common
            .iter()
            .filter(|c| c.0 == id)
            .map(|c| c.2)
            .sum::<u64>()
            + self
                .series
                .iter()
                .filter(|s| s.holder == id)
                .map(RefSeries::as_converted)
                .sum::<u64>()
    }

    fn apply(&mut self, round: &Round) {
        for h in &round.new_holders {
            self.common.push((h.id.0.clone(), h.kind, 0));
        }
        let a0 = self.total();
        let v = q(round.pre_money.cents());
        let money: Q = round.investments.iter().map(|i| q(i.amount.cents())).sum();
        let pre = round
            .pool_top_up
            .as_ref()
            .filter(|t| t.timing == PoolTiming::PreMoney);
        // Option pool shuffle: pool/(post) = t, the pool grown inside the pre-money.
        let top_up = pre.map_or(0, |t| {
            let pool = self.shares_of(&t.pool.0);
            let target = frac(t.target_bp, 10_000);
            let post = &v + &money;
            let shares = (&target * &post * q(a0) - &v * q(pool)) / (&v - &target * &post);
            if shares.is_positive() {
                ceil(&shares)
            } else {
                0
            }
        });
        let price = &v / q(a0 + top_up);
        let issued: Vec<u64> = round
            .investments
            .iter()
            .map(|i| floor(&(q(i.amount.cents()) / &price)))
            .collect();
        let c: u64 = issued.iter().sum();
        if c > 0 {
            let unallocated = round
                .granted_options
                .map_or(0, |g| self.pool_shares().saturating_sub(g));
            let preferred_before: u64 = self.series.iter().map(RefSeries::as_converted).sum();
            for s in &mut self.series {
                if s.rule == AntiDilution::None || price >= s.cp {
                    continue;
                }
                let average = |a: u64| {
                    let b = &money / &s.cp;
                    &s.cp * (q(a) + b) / q(a + c)
                };
                let mut cp2 = match s.rule {
                    AntiDilution::None => unreachable!(),
                    AntiDilution::FullRatchet => price.clone(),
                    AntiDilution::BroadBasedWeightedAverage => average(match s.base {
                        WeightedAverageBase::FullyDiluted => a0,
                        WeightedAverageBase::FullyDilutedWithTopUp => a0 + top_up,
                        WeightedAverageBase::OutstandingAndGrantedOptions => a0 - unallocated,
                    }),
                    AntiDilution::NarrowBasedWeightedAverage => average(preferred_before),
                };
                if s.rounded {
                    let hundredths = (&cp2 * q(100) + frac(1, 2)).floor();
                    if hundredths.is_positive() {
                        cp2 = hundredths / q(100);
                    }
                }
                if cp2 < s.cp {
                    s.cp = cp2;
                }
            }
        }
        if let Some(t) = pre {
            self.add_pool(&t.pool.0, top_up);
        }
        for (i, shares) in round.investments.iter().zip(&issued) {
            if *shares > 0 {
                self.series.push(RefSeries {
                    holder: i.investor.0.clone(),
                    preferred: *shares,
                    oip: price.clone(),
                    cp: price.clone(),
                    rule: i.anti_dilution,
                    base: i.weighted_average_base,
                    rounded: i.round_conversion_price,
                    terms: round.preference,
                });
            }
        }
        if let Some(t) = round
            .pool_top_up
            .as_ref()
            .filter(|t| t.timing == PoolTiming::PostMoney)
        {
            let n = self.total();
            let pool = self.shares_of(&t.pool.0);
            let target = frac(t.target_bp, 10_000);
            // Smallest T with (pool + T) ≥ t · (n + T).
            let shares = (&target * q(n) - q(pool)) / (q(1) - &target);
            self.add_pool(
                &t.pool.0,
                if shares.is_positive() {
                    ceil(&shares)
                } else {
                    0
                },
            );
        }
    }

    fn add_pool(&mut self, pool: &str, shares: u64) {
        for c in &mut self.common {
            if c.0 == pool {
                c.2 += shares;
            }
        }
    }
}

// ---------------------------------------------------------------- the reference waterfall

/// Exact payouts: per common line (options net of strike), per series.
#[derive(Clone, Debug, PartialEq)]
struct RefPayout {
    common: Vec<Q>,
    series: Vec<Q>,
}

fn ref_payout(
    table: &RefTable,
    exit: &Q,
    grants: Option<&[OptionGrant]>,
    converted: &[bool],
) -> RefPayout {
    let n = table.series.len();
    let mut series_paid = vec![Q::zero(); n];
    let mut left = exit.clone();
    // Preferences, highest seniority first, pari passu within a rank.
    let mut ranks: Vec<u32> = table.series.iter().map(|s| s.terms.seniority).collect();
    ranks.sort_unstable();
    ranks.dedup();
    for rank in ranks.into_iter().rev() {
        let members: Vec<usize> = (0..n)
            .filter(|&i| !converted[i] && table.series[i].terms.seniority == rank)
            .collect();
        let owed: Q = members.iter().map(|&i| table.series[i].preference()).sum();
        if owed.is_zero() {
            continue;
        }
        let paid = if left < owed {
            left.clone()
        } else {
            owed.clone()
        };
        for &i in &members {
            series_paid[i] = table.series[i].preference() * &paid / &owed;
        }
        left -= paid;
    }
    let pref_paid = series_paid.clone();

    // Claimants on the rest: (kind, index, shares, strike or headroom).
    enum Claim {
        Common(usize),
        Series(usize),
        Capped(usize, Q),
        Option(usize, Q),
    }
    let mut claims: Vec<(Claim, u64)> = Vec::new();
    for (i, c) in table.common.iter().enumerate() {
        if grants.is_some() && c.1 == HolderKind::OptionPool {
            continue;
        }
        claims.push((Claim::Common(i), c.2));
    }
    if let Some(grants) = grants {
        for g in grants {
            let i = table.common.iter().position(|c| c.0 == g.pool.0).unwrap();
            claims.push((Claim::Option(i, q(g.strike.cents())), g.shares));
        }
    }
    for (i, s) in table.series.iter().enumerate() {
        let shares = s.as_converted();
        if converted[i] {
            claims.push((Claim::Series(i), shares));
        } else {
            match s.terms.participation {
                Participation::NonParticipating => {}
                Participation::Participating => claims.push((Claim::Series(i), shares)),
                Participation::CappedParticipating { .. } => {
                    let headroom = s.cap().unwrap() - &pref_paid[i];
                    claims.push((Claim::Capped(i, headroom), shares));
                }
            }
        }
    }
    // Cap and drop until stable: capped claimants above their cap take the cap; options at
    // or below their strike are not exercised.
    let mut capped = vec![false; claims.len()];
    let mut out = vec![false; claims.len()];
    let mut price = None;
    for _ in 0..200 {
        let mut pot = left.clone();
        let mut shares = 0u64;
        for (k, (claim, s)) in claims.iter().enumerate() {
            match claim {
                Claim::Capped(_, h) if capped[k] => pot -= h,
                Claim::Option(_, strike) if !out[k] => {
                    pot += strike * q(*s);
                    shares += s;
                }
                Claim::Option(..) => {}
                _ => shares += s,
            }
        }
        if shares == 0 {
            price = None;
            break;
        }
        let p = pot / q(shares);
        let mut changed = false;
        for (k, (claim, s)) in claims.iter().enumerate() {
            match claim {
                Claim::Capped(_, h) if !capped[k] && q(*s) * &p > *h => {
                    capped[k] = true;
                    changed = true;
                }
                Claim::Capped(_, h) if capped[k] && q(*s) * &p < *h => {
                    capped[k] = false;
                    changed = true;
                }
                Claim::Option(_, strike) if !out[k] && p <= *strike => {
                    out[k] = true;
                    changed = true;
                }
                Claim::Option(_, strike) if out[k] && p > *strike => {
                    out[k] = false;
                    changed = true;
                }
                _ => {}
            }
        }
        price = Some(p);
        if !changed {
            break;
        }
    }
    let mut common = vec![Q::zero(); table.common.len()];
    if left.is_zero() {
        price = Some(Q::zero());
    }
    match price {
        Some(p) => {
            for (k, (claim, s)) in claims.iter().enumerate() {
                match claim {
                    Claim::Common(i) => common[*i] += q(*s) * &p,
                    Claim::Series(i) => series_paid[*i] += q(*s) * &p,
                    Claim::Capped(i, h) => {
                        series_paid[*i] += if capped[k] { h.clone() } else { q(*s) * &p }
                    }
                    Claim::Option(i, strike) => {
                        if !out[k] {
                            common[*i] += q(*s) * (&p - strike);
                        }
                    }
                }
            }
        }
        None => {
            // Everyone at a cap: the rest to the common lines, the whole pool included.
            let mut rest = left.clone();
            for (claim, _) in &claims {
                if let Claim::Capped(i, h) = claim {
                    series_paid[*i] += h.clone();
                    rest -= h;
                }
            }
            let weight: u64 = table.common.iter().map(|c| c.2).sum();
            if weight > 0 {
                for (i, c) in table.common.iter().enumerate() {
                    common[i] += &rest * q(c.2) / q(weight);
                }
            } else {
                let weight: u64 = table.series.iter().map(RefSeries::as_converted).sum();
                for (i, s) in table.series.iter().enumerate() {
                    series_paid[i] += &rest * q(s.as_converted()) / q(weight);
                }
            }
        }
    }
    RefPayout {
        common,
        series: series_paid,
    }
}

/// Every combination of conversion choices in which no series gains by choosing the other
/// way, with its payouts.
fn equilibria(table: &RefTable, exit: &Q, grants: Option<&[OptionGrant]>) -> Vec<RefPayout> {
    let n = table.series.len();
    let free: Vec<usize> = (0..n)
        .filter(|&i| {
            table.series[i].as_converted() > 0
                && table.series[i].terms.participation != Participation::Participating
        })
        .collect();
    let mut found = Vec::new();
    for mask in 0u32..(1 << free.len()) {
        let mut converted = vec![false; n];
        for (bit, &i) in free.iter().enumerate() {
            converted[i] = mask & (1 << bit) != 0;
        }
        let here = ref_payout(table, exit, grants, &converted);
        let stable = free.iter().all(|&i| {
            let mut flipped = converted.clone();
            flipped[i] = !flipped[i];
            ref_payout(table, exit, grants, &flipped).series[i] <= here.series[i]
        });
        if stable {
            found.push(here);
        }
    }
    found
}

// ---------------------------------------------------------------- random term sheets

fn holder(id: &str, kind: HolderKind) -> Holder {
    Holder {
        id: HolderId(id.to_owned()),
        name: id.to_owned(),
        kind,
    }
}

fn founding() -> impl Strategy<Value = Vec<Allocation>> {
    (1u64..5_000_000, 0u64..1_000_000, 0u64..1_000_000).prop_map(|(f, u, p)| {
        vec![
            Allocation {
                holder: holder("founders", HolderKind::Founder),
                shares: f,
            },
            Allocation {
                holder: holder("university", HolderKind::University),
                shares: u,
            },
            Allocation {
                holder: holder("pool", HolderKind::OptionPool),
                shares: p,
            },
        ]
    })
}

fn rule() -> impl Strategy<Value = AntiDilution> {
    prop_oneof![
        Just(AntiDilution::None),
        Just(AntiDilution::FullRatchet),
        Just(AntiDilution::BroadBasedWeightedAverage),
        Just(AntiDilution::NarrowBasedWeightedAverage),
    ]
}

fn base() -> impl Strategy<Value = WeightedAverageBase> {
    prop_oneof![
        Just(WeightedAverageBase::FullyDiluted),
        Just(WeightedAverageBase::FullyDilutedWithTopUp),
        Just(WeightedAverageBase::OutstandingAndGrantedOptions),
    ]
}

fn preference() -> impl Strategy<Value = PreferenceTerms> {
    let participation = prop_oneof![
        3 => Just(Participation::NonParticipating),
        1 => Just(Participation::Participating),
        // The cap as an extra above the multiple, added below.
        2 => (0u32..=30_000).prop_map(|extra| Participation::CappedParticipating {
            cap_multiple_bp: extra,
        }),
    ];
    (10_000u32..=30_000, participation, 0u32..3).prop_map(
        |(multiple_bp, participation, seniority)| {
            let participation = match participation {
                Participation::CappedParticipating { cap_multiple_bp } => {
                    Participation::CappedParticipating {
                        cap_multiple_bp: multiple_bp + cap_multiple_bp,
                    }
                }
                other => other,
            };
            PreferenceTerms {
                multiple_bp,
                participation,
                seniority,
            }
        },
    )
}

/// Up to three rounds of up to two investors, with every term the model knows.
fn rounds() -> impl Strategy<Value = Vec<Round>> {
    let investment = (0u16..=1_000, rule(), base(), any::<bool>());
    let round = (
        100_000i64..10_000_000_000,
        prop::collection::vec(investment, 0..3),
        prop::option::of((0u32..=2_000, any::<bool>())),
        preference(),
        prop::option::of(0u64..2_000_000),
    );
    prop::collection::vec(round, 0..4).prop_map(|rounds| {
        rounds
            .into_iter()
            .enumerate()
            .map(|(r, (pre, investments, pool, preference, granted))| {
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
                        .map(|((permille, rule, base, rounded), h)| Investment {
                            investor: h.id.clone(),
                            amount: Money::from_cents(pre).apply_ratio(i64::from(*permille), 1_000),
                            anti_dilution: *rule,
                            weighted_average_base: *base,
                            round_conversion_price: *rounded,
                        })
                        .collect(),
                    new_holders: investors,
                    pool_top_up: pool.map(|(target_bp, post)| PoolTopUp {
                        pool: HolderId("pool".into()),
                        target_bp,
                        timing: if post {
                            PoolTiming::PostMoney
                        } else {
                            PoolTiming::PreMoney
                        },
                    }),
                    preference,
                    granted_options: granted,
                }
            })
            .collect()
    })
}

fn reference_of(founding: &[Allocation], rounds: &[Round]) -> RefTable {
    let mut table = RefTable {
        common: founding
            .iter()
            .map(|a| (a.holder.id.0.clone(), a.holder.kind, a.shares))
            .collect(),
        series: Vec::new(),
    };
    for round in rounds {
        table.apply(round);
    }
    table
}

fn assert_same_shares(table: &CapTable, reference: &RefTable) -> Result<(), TestCaseError> {
    prop_assert_eq!(table.total_shares(), reference.total());
    prop_assert_eq!(table.series().len(), reference.series.len());
    for (s, r) in table.series().iter().zip(&reference.series) {
        prop_assert_eq!(&s.holder.0, &r.holder);
        prop_assert_eq!(s.preferred_shares, r.preferred);
        prop_assert_eq!(s.shares, r.as_converted());
        prop_assert_eq!(s.conversion_price.value(), &r.cp);
        prop_assert_eq!(s.liquidation_preference_exact(), r.preference());
    }
    for (p, r) in table.positions().iter().zip(&reference.common) {
        prop_assert_eq!(p.common_shares, r.2);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_share_count_and_conversion_price_agrees_with_the_textbook_formulas(
        founding in founding(),
        rounds in rounds(),
    ) {
        let table = CapTable::found(founding.clone()).unwrap();
        let (table, _) = table.apply_rounds(&rounds).unwrap();
        assert_same_shares(&table, &reference_of(&founding, &rounds))?;
    }

    #[test]
    fn every_payout_agrees_to_the_cent_with_an_equilibrium_of_the_textbook_waterfall(
        founding in founding(),
        rounds in rounds(),
        exit in 0i64..50_000_000_000,
        grants in prop::option::of(prop::collection::vec((0u64..400_000, 0i64..500), 0..3)),
    ) {
        let (table, _) = CapTable::found(founding.clone()).unwrap().apply_rounds(&rounds).unwrap();
        let reference = reference_of(&founding, &rounds);
        let pool = table.positions().iter().find(|p| p.holder.id.0 == "pool").unwrap().common_shares;
        // Keep the grants within the pool.
        let grants: Option<Vec<OptionGrant>> = grants.map(|g| {
            let mut left = pool;
            g.into_iter().map(|(shares, strike)| {
                let shares = shares.min(left);
                left -= shares;
                OptionGrant { pool: HolderId("pool".into()), shares, strike: Money::from_cents(strike) }
            }).collect()
        });
        let terms = ExitTerms { option_grants: grants.clone() };
        let w = waterfall_with(&table, Money::from_cents(exit), &terms).unwrap();
        prop_assert_eq!(w.holders.iter().map(|h| h.total).sum::<Money>(), Money::from_cents(exit));

        let found = equilibria(&reference, &q(exit), grants.as_deref());
        prop_assert!(!found.is_empty(), "the textbook waterfall has an equilibrium");
        let within_a_cent = |paid: Money, exact: &Q| (q(paid.cents()) - exact).abs() < q(1);
        let matches = found.iter().any(|r| {
            w.series.iter().zip(&r.series).all(|(s, e)| within_a_cent(s.payout, e))
                && table.positions().iter().enumerate().all(|(i, _)| {
                    let paid = w.holders[i].total
                        - w.series.iter()
                            .filter(|s| s.holder == w.holders[i].holder)
                            .map(|s| s.payout)
                            .sum::<Money>();
                    within_a_cent(paid, &r.common[i])
                })
        });
        prop_assert!(matches, "payouts {:?} match no equilibrium {:?}", w.series, found);
    }
}

#[test]
fn the_reference_reproduces_a_hand_computed_capped_participation() {
    // Founders 1 000 000; €1M at €1M pre: 1 000 000 preferred at 100 cents, 1× participating
    // capped at 3×. Exit €4M: preference €1M, then €3M over 2 000 000 shares = €1.50 each,
    // so the series would have €2.5M < cap €3M: it participates. Exit €10M: participating
    // would give €1M + €4.5M = €5.5M > cap, capped at €3M; converting gives €5M: converts.
    let founding = vec![Allocation {
        holder: holder("founders", HolderKind::Founder),
        shares: 1_000_000,
    }];
    let round = Round {
        name: "Seed".into(),
        pre_money: Money::from_euros(1_000_000),
        new_holders: vec![holder("vc", HolderKind::Investor)],
        investments: vec![Investment {
            investor: HolderId("vc".into()),
            amount: Money::from_euros(1_000_000),
            ..Investment::default()
        }],
        preference: PreferenceTerms {
            multiple_bp: 10_000,
            participation: Participation::CappedParticipating {
                cap_multiple_bp: 30_000,
            },
            seniority: 0,
        },
        ..Round::default()
    };
    let reference = reference_of(&founding, std::slice::from_ref(&round));
    let four = equilibria(&reference, &q(400_000_000), None);
    assert_eq!(four.len(), 1);
    assert_eq!(four[0].series[0], q(250_000_000));
    let ten = equilibria(&reference, &q(1_000_000_000), None);
    assert_eq!(ten.len(), 1);
    assert_eq!(ten[0].series[0], q(500_000_000));
}
