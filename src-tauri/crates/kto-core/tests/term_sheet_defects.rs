//! The three ways the cap table and the waterfall once read a term sheet differently from
//! the NVCA model documents, each as a case computed by hand. Rounds are written as the
//! JSON an office has saved, so these cases also show that saved cap tables still read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kto_core::money::Money;
use kto_core::terms::captable::{Allocation, CapTable, Holder, HolderId, HolderKind, Round};
use kto_core::terms::exit::waterfall;

fn founders(shares: u64) -> Vec<Allocation> {
    vec![Allocation {
        holder: Holder {
            id: HolderId("founders".into()),
            name: "Founders".into(),
            kind: HolderKind::Founder,
        },
        shares,
    }]
}

/// A round as saved: one new investor with the given protection.
fn round(name: &str, pre_cents: i64, investor: &str, cents: i64, rule: &str) -> Round {
    serde_json::from_str(&format!(
        r#"{{"name":"{name}","preMoney":{pre_cents},
            "newHolders":[{{"id":"{investor}","name":"{investor}","kind":"investor"}}],
            "investments":[{{"investor":"{investor}","amount":{cents},"antiDilution":"{rule}"}}]}}"#
    ))
    .unwrap()
}

fn id(s: &str) -> HolderId {
    HolderId(s.to_owned())
}

#[test]
fn a_second_down_round_adjusts_the_conversion_price_carried_from_the_first_and_loses_no_share() {
    // Founders 1 000 000. Seed: €1 000 000 at €1 000 000 pre, price 100 cents,
    // 1 000 000 shares, broad-based weighted average.
    // Round 2: €100 000 at €500 000 pre. A = 2 000 000, P = 25 cents, C = 400 000.
    //   CP2 = (A·CP1 + I) / (A + C) = (2 000 000 · 100 + 10 000 000) / 2 400 000 = 87.5 cents;
    //   seed converts into 100 000 000 / 87.5 = 1 142 857.14 → 1 142 857 shares.
    // Round 3: €77 777 at €212 121 pre. A = 2 542 857, C = floor(7 777 700 · A / 21 212 100)
    //   = 932 372. CP3 = (A · 87.5 + 7 777 700) / (A + C) = 460 555 375 / 6 950 458
    //   = 66.2626 cents; seed converts into 100 000 000 / CP3 = 1 509 147.08 → 1 509 147.
    // Recomputing CP2 as invested ÷ shares (87.500011 cents) gave 1 509 146.
    let (table, outcomes) = CapTable::found(founders(1_000_000))
        .unwrap()
        .apply_rounds(&[
            round(
                "Seed",
                100_000_000,
                "seed",
                100_000_000,
                "broadBasedWeightedAverage",
            ),
            round("A", 50_000_000, "a", 10_000_000, "none"),
            round("B", 21_212_100, "b", 7_777_700, "none"),
        ])
        .unwrap();
    assert_eq!(outcomes[1].adjustments[0].shares_after, 1_142_857);
    assert_eq!(outcomes[2].issued[0].shares, 932_372);
    assert_eq!(outcomes[2].adjustments[0].shares_after, 1_509_147);
    assert_eq!(table.shares_of(&id("seed")), 1_509_147);
}

#[test]
fn the_preference_is_the_issue_price_times_the_shares_bought_not_the_cash_paid() {
    // Price 100 cents (€1 000 000 pre on 1 000 000 shares). €1 000.50 buys 1 000 shares:
    // its preference is 1 000 × €1.00 = €1 000.00, the 50 cents bought nothing.
    // €0.50 buys no share and so carries no preference.
    // Exit €2 000: the investor keeps €1 000.00 (converting would pay about €2), the
    // €0.50 investor gets nothing, the founders the other €1 000.00.
    let founded = CapTable::found(founders(1_000_000)).unwrap();
    let mut seed = round("Seed", 100_000_000, "vc", 100_050, "none");
    let extra: Round = round("x", 1, "small", 50, "none");
    seed.new_holders.extend(extra.new_holders);
    seed.investments.extend(extra.investments);
    let (table, _) = founded.apply_round(&seed).unwrap();
    assert_eq!(table.shares_of(&id("vc")), 1_000);
    assert_eq!(table.shares_of(&id("small")), 0);

    let w = waterfall(&table, Money::from_euros(2_000)).unwrap();
    let vc = w.series.iter().find(|s| s.holder == id("vc")).unwrap();
    assert_eq!(vc.preference, Money::from_cents(100_000));
    let total = |who: &str| {
        w.holders
            .iter()
            .find(|h| h.holder == id(who))
            .unwrap()
            .total
    };
    assert_eq!(total("vc"), Money::from_cents(100_000));
    assert_eq!(total("small"), Money::ZERO);
    assert_eq!(total("founders"), Money::from_cents(100_000));
}

#[test]
fn money_that_buys_no_share_issues_no_additional_shares_and_triggers_no_anti_dilution() {
    // Founders 4 000 000; seed €4 000 000 at €4 000 000 pre: 4 000 000 shares at 100 cents,
    // full ratchet (50 %). Then €0.10 at €4 800 000 pre on 8 000 000 shares: price 60
    // cents, and 10 cents buy floor(10 · 8 000 000 / 480 000 000) = 0 shares. No Additional
    // Shares are issued, so the ratchet does not fire (it used to take the seed to
    // 6 666 666 shares and the founders to 37.5 %).
    let (table, outcomes) = CapTable::found(founders(4_000_000))
        .unwrap()
        .apply_rounds(&[
            round("Seed", 400_000_000, "seed", 400_000_000, "fullRatchet"),
            round("Bridge", 480_000_000, "angel", 10, "none"),
        ])
        .unwrap();
    assert_eq!(outcomes[1].issued[0].shares, 0);
    assert!(outcomes[1].adjustments.is_empty());
    assert_eq!(table.shares_of(&id("seed")), 4_000_000);
    let founders_bp = outcomes[1].ownership[0].bp;
    assert_eq!(founders_bp, 5_000);
}

#[test]
fn a_round_that_does_issue_shares_below_the_conversion_price_still_ratchets() {
    // As above, but €6 000 at 60 cents buys 10 000 shares: the seed ratchets to 60 cents,
    // 400 000 000 / 60 = 6 666 666.67 → 6 666 666 shares.
    let (table, outcomes) = CapTable::found(founders(4_000_000))
        .unwrap()
        .apply_rounds(&[
            round("Seed", 400_000_000, "seed", 400_000_000, "fullRatchet"),
            round("Bridge", 480_000_000, "angel", 600_000, "none"),
        ])
        .unwrap();
    assert_eq!(outcomes[1].issued[0].shares, 10_000);
    assert_eq!(table.shares_of(&id("seed")), 6_666_666);
}
