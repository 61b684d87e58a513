//! Term-sheet clauses beyond 1× non-participating pari passu, each on a case computed by
//! hand: narrow- and broad-based weighted average and the definition of `A`, NVCA rounding,
//! participating preferred with and without a cap, multiples above 1×, stacked seniority,
//! option strikes and the unallocated pool, and a pool top-up after the money.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kto_core::money::Money;
use kto_core::terms::captable::{
    Allocation, CapTable, Holder, HolderId, HolderKind, Investment, Participation, PoolTiming,
    PoolTopUp, PreferenceTerms, Round, WeightedAverageBase,
};
use kto_core::terms::deal::AntiDilution;
use kto_core::terms::exit::{waterfall, waterfall_with, ExitTerms, OptionGrant, Waterfall};

fn id(s: &str) -> HolderId {
    HolderId(s.to_owned())
}

fn holder(name: &str, kind: HolderKind) -> Holder {
    Holder {
        id: id(name),
        name: name.to_owned(),
        kind,
    }
}

fn allocation(name: &str, kind: HolderKind, shares: u64) -> Allocation {
    Allocation {
        holder: holder(name, kind),
        shares,
    }
}

fn round(name: &str, pre_euros: i64, investor: &str, euros: i64) -> Round {
    Round {
        name: name.to_owned(),
        pre_money: Money::from_euros(pre_euros),
        new_holders: vec![holder(investor, HolderKind::Investor)],
        investments: vec![Investment {
            investor: id(investor),
            amount: Money::from_euros(euros),
            ..Investment::default()
        }],
        ..Round::default()
    }
}

/// Founders 700 000, university 100 000, pool 200 000; seed €250 000 at €1M pre (100 cents,
/// 250 000 shares) protected as given; then €500 000 at €625 000 pre: A₀ = 1 250 000,
/// P = 50 cents, C = 1 000 000.
fn down_round(protect: impl FnOnce(&mut Investment), granted: Option<u64>) -> CapTable {
    let founded = CapTable::found(vec![
        allocation("founders", HolderKind::Founder, 700_000),
        allocation("university", HolderKind::University, 100_000),
        allocation("pool", HolderKind::OptionPool, 200_000),
    ])
    .unwrap();
    let mut seed = round("Seed", 1_000_000, "seed", 250_000);
    protect(&mut seed.investments[0]);
    let mut a = round("A", 625_000, "a", 500_000);
    a.granted_options = granted;
    let (table, outcomes) = founded.apply_rounds(&[seed, a]).unwrap();
    assert_eq!(outcomes[1].issued[0].shares, 1_000_000);
    table
}

fn totals(w: &Waterfall) -> Vec<i64> {
    w.holders.iter().map(|h| h.total.cents()).collect()
}

#[test]
fn narrow_based_weighted_average_counts_only_the_preferred_and_adjusts_more_than_broad_based() {
    // Broad: CP2 = (1 250 000 · 100 + 50 000 000) / 2 250 000 = 77.78 cents → 321 428 shares.
    // Narrow: A = 250 000: CP2 = (250 000 · 100 + 50 000 000) / 1 250 000 = 60 cents
    // → 25 000 000 / 60 = 416 666.67 → 416 666 shares.
    let broad = down_round(
        |i| i.anti_dilution = AntiDilution::BroadBasedWeightedAverage,
        None,
    );
    let narrow = down_round(
        |i| i.anti_dilution = AntiDilution::NarrowBasedWeightedAverage,
        None,
    );
    assert_eq!(broad.shares_of(&id("seed")), 321_428);
    assert_eq!(narrow.shares_of(&id("seed")), 416_666);
    assert_eq!(narrow.series()[0].conversion_price.cents_text(2), "60.00");
}

#[test]
fn the_nvca_definition_of_a_leaves_the_unallocated_pool_out() {
    // 50 000 of the 200 000 pool options are granted: A = 1 250 000 − 150 000 = 1 100 000.
    // CP2 = (1 100 000 · 100 + 50 000 000) / 2 100 000 = 76.19 cents
    // → 25 000 000 · 2 100 000 / 160 000 000 = 328 125 shares exactly.
    let nvca = down_round(
        |i| {
            i.anti_dilution = AntiDilution::BroadBasedWeightedAverage;
            i.weighted_average_base = WeightedAverageBase::OutstandingAndGrantedOptions;
        },
        Some(50_000),
    );
    assert_eq!(nvca.shares_of(&id("seed")), 328_125);
}

#[test]
fn nvca_rounding_sets_the_new_conversion_price_to_a_hundredth_of_a_cent() {
    // 77.7777… cents rounds to 77.78 cents: 25 000 000 / 77.78 = 321 419.39 → 321 419.
    let rounded = down_round(
        |i| {
            i.anti_dilution = AntiDilution::BroadBasedWeightedAverage;
            i.round_conversion_price = true;
        },
        None,
    );
    assert_eq!(
        rounded.series()[0].conversion_price.cents_text(4),
        "77.7800"
    );
    assert_eq!(rounded.shares_of(&id("seed")), 321_419);
}

/// Founders 1 000 000; €1M at €1M pre: 1 000 000 preferred at 100 cents with `preference`.
fn one_series(preference: PreferenceTerms) -> CapTable {
    let founded =
        CapTable::found(vec![allocation("founders", HolderKind::Founder, 1_000_000)]).unwrap();
    let mut seed = round("Seed", 1_000_000, "vc", 1_000_000);
    seed.preference = preference;
    founded.apply_round(&seed).unwrap().0
}

fn terms(multiple_bp: u32, participation: Participation) -> PreferenceTerms {
    PreferenceTerms {
        multiple_bp,
        participation,
        seniority: 0,
    }
}

#[test]
fn participating_preferred_takes_its_preference_and_then_shares_as_if_converted() {
    // Exit €4M: €1M preference, then €3M over 2 000 000 shares: vc €2.5M, founders €1.5M.
    // Exit €10M: €1M + €4.5M = €5.5M; founders €4.5M. It never converts.
    let table = one_series(terms(10_000, Participation::Participating));
    let w = waterfall(&table, Money::from_euros(4_000_000)).unwrap();
    assert_eq!(totals(&w), [150_000_000, 250_000_000]);
    assert_eq!(w.series[0].from_preference, Money::from_euros(1_000_000));
    assert_eq!(w.series[0].from_shares, Money::from_euros(1_500_000));
    let w = waterfall(&table, Money::from_euros(10_000_000)).unwrap();
    assert_eq!(totals(&w), [450_000_000, 550_000_000]);
    assert!(!w.series[0].converted);
}

#[test]
fn capped_participation_stops_at_the_cap_and_converts_once_converting_pays_more() {
    let capped = one_series(terms(
        10_000,
        Participation::CappedParticipating {
            cap_multiple_bp: 30_000,
        },
    ));
    // €4M: €1M + €1.5M = €2.5M, under the €3M cap.
    let w = waterfall(&capped, Money::from_euros(4_000_000)).unwrap();
    assert_eq!(totals(&w), [150_000_000, 250_000_000]);
    // €6M: participating would give €1M + €2.5M = €3.5M, capped at €3M; converting gives
    // exactly €3M: a tie keeps the preference. Founders €3M.
    let w = waterfall(&capped, Money::from_euros(6_000_000)).unwrap();
    assert_eq!(totals(&w), [300_000_000, 300_000_000]);
    assert!(!w.series[0].converted);
    // €7M: capped €3M, converting €3.5M: converts, half each.
    let w = waterfall(&capped, Money::from_euros(7_000_000)).unwrap();
    assert_eq!(totals(&w), [350_000_000, 350_000_000]);
    assert!(w.series[0].converted);
}

#[test]
fn a_two_times_preference_is_twice_the_issue_price_until_converting_pays_more() {
    // €3M: 2 × €1M = €2M against €1.5M as converted: keeps €2M, founders €1M.
    // €5M: €2.5M as converted beats €2M: converts.
    let table = one_series(terms(20_000, Participation::NonParticipating));
    assert_eq!(
        table.series()[0].liquidation_preference,
        Money::from_euros(2_000_000)
    );
    let w = waterfall(&table, Money::from_euros(3_000_000)).unwrap();
    assert_eq!(totals(&w), [100_000_000, 200_000_000]);
    let w = waterfall(&table, Money::from_euros(5_000_000)).unwrap();
    assert_eq!(totals(&w), [250_000_000, 250_000_000]);
    assert!(w.series[0].converted);
}

/// Founders 600 000. A: €1M at €3M pre (500 cents, 200 000 shares); B: €3M at €12M pre
/// (1 500 cents, 200 000 shares), with the given seniorities.
fn two_series(a_rank: u32, b_rank: u32) -> CapTable {
    let founded =
        CapTable::found(vec![allocation("founders", HolderKind::Founder, 600_000)]).unwrap();
    let mut a = round("A", 3_000_000, "a", 1_000_000);
    a.preference.seniority = a_rank;
    let mut b = round("B", 12_000_000, "b", 3_000_000);
    b.preference.seniority = b_rank;
    founded.apply_rounds(&[a, b]).unwrap().0
}

#[test]
fn stacked_seniority_pays_the_senior_series_in_full_before_the_junior_one() {
    // Exit €2M against €4M of preferences.
    // Pari passu: A 2M × 1/4 = €0.5M, B €1.5M. B senior: B €2M, A nothing.
    // A senior: A its €1M, B the other €1M.
    let exit = Money::from_euros(2_000_000);
    let pari_passu = waterfall(&two_series(0, 0), exit).unwrap();
    assert_eq!(totals(&pari_passu), [0, 50_000_000, 150_000_000]);
    let b_senior = waterfall(&two_series(0, 1), exit).unwrap();
    assert_eq!(totals(&b_senior), [0, 0, 200_000_000]);
    let a_senior = waterfall(&two_series(1, 0), exit).unwrap();
    assert_eq!(totals(&a_senior), [0, 100_000_000, 100_000_000]);
}

#[test]
fn only_granted_options_share_in_the_exit_and_they_pay_their_strike() {
    // Founders 800 000, pool 200 000 of which 100 000 granted at €0.50. Exit €1M:
    // 800 000·p + 100 000·(p − 50) = 100 000 000 → p = 105 000 000 / 900 000 = 116.67 cents.
    // Founders €933 333.33, option holders 100 000 × 66.67 = €66 666.67; 100 000 unallocated
    // options take nothing. Counting the whole pool as common at zero strike would give the
    // founders only €800 000.
    let table = CapTable::found(vec![
        allocation("founders", HolderKind::Founder, 800_000),
        allocation("pool", HolderKind::OptionPool, 200_000),
    ])
    .unwrap();
    let exit = Money::from_euros(1_000_000);
    assert_eq!(
        totals(&waterfall(&table, exit).unwrap()),
        [80_000_000, 20_000_000]
    );
    let terms = ExitTerms {
        option_grants: Some(vec![OptionGrant {
            pool: id("pool"),
            shares: 100_000,
            strike: Money::from_cents(50),
        }]),
    };
    let w = waterfall_with(&table, exit, &terms).unwrap();
    assert_eq!(totals(&w), [93_333_333, 6_666_667]);
    assert_eq!(w.unallocated_pool_shares, 100_000);
    assert_eq!(w.common_share_price.unwrap().cents_text(4), "116.6667");
    // At €400 000 the price is 50 cents: the options are not in the money.
    let w = waterfall_with(&table, Money::from_euros(400_000), &terms).unwrap();
    assert_eq!(totals(&w), [40_000_000, 0]);
}

#[test]
fn too_many_options_or_options_from_a_founder_are_refused() {
    let table = CapTable::found(vec![
        allocation("founders", HolderKind::Founder, 800_000),
        allocation("pool", HolderKind::OptionPool, 200_000),
    ])
    .unwrap();
    for (pool, shares) in [("pool", 200_001), ("founders", 1)] {
        let terms = ExitTerms {
            option_grants: Some(vec![OptionGrant {
                pool: id(pool),
                shares,
                strike: Money::ZERO,
            }]),
        };
        assert!(waterfall_with(&table, Money::from_euros(1), &terms).is_err());
    }
}

#[test]
fn a_pool_topped_up_after_the_money_dilutes_the_new_investor_too() {
    // Founders 900 000, pool 100 000; €1M at €4M pre: 400 cents, 250 000 shares; then the
    // pool to 15 % of the post-money: N = 1 250 000, T = ceil((1 500 · 1 250 000 −
    // 10 000 · 100 000) / 8 500) = ceil(102 941.18) = 102 942. The investor has
    // 250 000 / 1 352 942 = 18.48 % instead of 20 %.
    let founded = CapTable::found(vec![
        allocation("founders", HolderKind::Founder, 900_000),
        allocation("pool", HolderKind::OptionPool, 100_000),
    ])
    .unwrap();
    let mut seed = round("Seed", 4_000_000, "vc", 1_000_000);
    seed.pool_top_up = Some(PoolTopUp {
        pool: id("pool"),
        target_bp: 1_500,
        timing: PoolTiming::PostMoney,
    });
    let (table, outcome) = founded.apply_round(&seed).unwrap();
    assert_eq!(outcome.price.shares, 1_000_000);
    assert_eq!(outcome.issued[0].shares, 250_000);
    assert_eq!(outcome.pool_top_up_shares, 102_942);
    assert_eq!(table.total_shares(), 1_352_942);
    let vc = outcome
        .ownership
        .iter()
        .find(|o| o.holder == id("vc"))
        .unwrap();
    assert_eq!(vc.bp, 1_848);
}

#[test]
fn a_cap_below_the_preference_is_refused_with_the_round_named() {
    let founded =
        CapTable::found(vec![allocation("founders", HolderKind::Founder, 1_000)]).unwrap();
    let mut seed = round("Seed", 1_000, "vc", 1_000);
    seed.preference = terms(
        20_000,
        Participation::CappedParticipating {
            cap_multiple_bp: 15_000,
        },
    );
    let error = founded.apply_round(&seed).unwrap_err().to_string();
    assert!(error.contains("`Seed`") && error.contains("cap"), "{error}");
}

#[test]
fn a_cap_table_saved_before_these_terms_existed_reads_with_the_old_meaning() {
    // The JSON an earlier version stored: no preference, timing, base or rounding fields.
    let json = r#"{"name":"Seed","preMoney":100000000,
        "newHolders":[{"id":"vc","name":"VC","kind":"investor"}],
        "investments":[{"investor":"vc","amount":25000000,"antiDilution":"fullRatchet"}],
        "poolTopUp":{"pool":"pool","targetBp":1000}}"#;
    let round: Round = serde_json::from_str(json).unwrap();
    assert_eq!(round.preference, PreferenceTerms::default());
    assert_eq!(round.preference.multiple_bp, 10_000);
    assert_eq!(
        round.preference.participation,
        Participation::NonParticipating
    );
    assert_eq!(round.pool_top_up.unwrap().timing, PoolTiming::PreMoney);
    let investment = &round.investments[0];
    assert_eq!(
        investment.weighted_average_base,
        WeightedAverageBase::FullyDiluted
    );
    assert!(!investment.round_conversion_price);
    assert_eq!(round.granted_options, None);
}

#[test]
fn new_terms_serialise_in_camel_case_for_the_interface() {
    let mut r = round("Seed", 1, "vc", 1);
    r.preference = terms(
        15_000,
        Participation::CappedParticipating {
            cap_multiple_bp: 30_000,
        },
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["preference"]["multipleBp"], 15_000);
    assert_eq!(
        json["preference"]["participation"]["kind"],
        "cappedParticipating"
    );
    assert_eq!(json["preference"]["participation"]["capMultipleBp"], 30_000);
    assert_eq!(
        json["investments"][0]["weightedAverageBase"],
        "fullyDiluted"
    );
    let back: Round = serde_json::from_value(json).unwrap();
    assert_eq!(back, r);
}

/// The worked example of the Learn lesson on participating and stacked preferences.
fn lesson_table(seed: PreferenceTerms, series_a: PreferenceTerms) -> CapTable {
    let founded = CapTable::found(vec![
        allocation("founders", HolderKind::Founder, 800_000),
        allocation("university", HolderKind::University, 100_000),
        allocation("pool", HolderKind::OptionPool, 100_000),
    ])
    .unwrap();
    let mut s = round("Seed", 1_000_000, "seed", 1_000_000);
    s.preference = seed;
    let mut a = round("Series A", 6_000_000, "series-a", 3_000_000);
    a.preference = series_a;
    founded.apply_rounds(&[s, a]).unwrap().0
}

#[test]
fn the_learn_lesson_on_stacked_participating_preferences_pays_what_it_says() {
    // Seed 1 000 000 shares at €1, 2× non-participating, junior; Series A 1 000 000 at €3,
    // 1× participating, senior. Exit €8M: A €3M, seed €2M (converting: 5M / 3M shares ×
    // 1M = €1.67M), €3M left over 2 000 000 shares at €1.50.
    let table = lesson_table(
        PreferenceTerms {
            multiple_bp: 20_000,
            participation: Participation::NonParticipating,
            seniority: 0,
        },
        PreferenceTerms {
            multiple_bp: 10_000,
            participation: Participation::Participating,
            seniority: 1,
        },
    );
    let w = waterfall(&table, Money::from_euros(8_000_000)).unwrap();
    assert_eq!(
        totals(&w),
        [
            120_000_000,
            15_000_000,
            15_000_000,
            200_000_000,
            450_000_000
        ]
    );
    assert!(!w.series[0].converted);
    assert_eq!(w.series[1].from_preference, Money::from_euros(3_000_000));
    assert_eq!(w.series[1].from_shares, Money::from_euros(1_500_000));

    // The same rounds on 1× non-participating pari passu terms: the seed converts and the
    // €5M after Series A's preference goes €2.50 a share; the university gets €250 000.
    let plain = lesson_table(PreferenceTerms::default(), PreferenceTerms::default());
    let w = waterfall(&plain, Money::from_euros(8_000_000)).unwrap();
    assert_eq!(
        totals(&w),
        [
            200_000_000,
            25_000_000,
            25_000_000,
            250_000_000,
            300_000_000
        ]
    );
}
