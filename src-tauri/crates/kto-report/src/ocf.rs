//! A modelled cap table in the Open Cap Format (OCF 1.2, Open Cap Table Coalition).
//!
//! OCF is a set of JSON files (manifest, stakeholders, stock classes, stock plans,
//! transactions). KTO Desk writes them as one JSON document: the manifest object with
//! the other files' objects inlined under `stakeholders_file`, `stock_classes_file`,
//! `stock_plans_file` and `transactions_file`, each a standard OCF file object
//! (`file_type` + `items`), so a tool splits them with a one-line script.
//!
//! Mapping: founders become individual stakeholders, the university and investors
//! institutions; founding shares are common stock; each round creates one preferred class
//! (1× non-participating, pari passu, converting 1:1 to common) at the round's price; the
//! option pool is a stock plan whose reserve grows with every top-up; anti-dilution
//! adjustments are issued as extra preferred shares of the adjusted series at no price.

use chrono::NaiveDate;
use kto_core::terms::captable::{CapTable, HolderKind, SharePrice};
use kto_core::terms::TermsError;
use kto_store::CapTablePlan;
use serde_json::{json, Value};

/// The OCF version the objects follow.
pub const OCF_VERSION: &str = "1.2.0";

fn cents_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn price_text(price: &SharePrice) -> String {
    if price.shares == 0 {
        return "0".to_owned();
    }
    // Ten decimals of euros: enough for any realistic price per share.
    let scaled = i128::from(price.amount.cents()) * 100_000_000 / i128::from(price.shares);
    let whole = scaled / 10_000_000_000;
    let frac = scaled % 10_000_000_000;
    let text = format!("{whole}.{frac:010}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn money(amount: String) -> Value {
    json!({ "amount": amount, "currency": "EUR" })
}

/// The OCF document of `plan` for the company `name` (issuer id `issuer_id`), as of `as_of`.
pub fn export(
    issuer_id: &str,
    name: &str,
    plan: &CapTablePlan,
    as_of: NaiveDate,
) -> Result<Value, TermsError> {
    let date = as_of.format("%Y-%m-%d").to_string();
    let table = CapTable::found(plan.founding.clone())?;
    let (_, outcomes) = table.apply_rounds(&plan.rounds)?;

    let mut stakeholders = Vec::new();
    let mut plans = Vec::new();
    let mut transactions = Vec::new();
    let mut pool_reserved: std::collections::BTreeMap<String, u64> = Default::default();
    let common_total: u64 = plan.founding.iter().map(|a| a.shares).sum();
    let mut common_authorised = common_total;

    let add_holder = |holder: &kto_core::terms::captable::Holder,
                      stakeholders: &mut Vec<Value>,
                      plans: &mut Vec<Value>,
                      shares: u64| {
        match holder.kind {
            HolderKind::OptionPool => plans.push(json!({
                "object_type": "STOCK_PLAN",
                "id": format!("plan-{}", holder.id.0),
                "plan_name": holder.name,
                "initial_shares_reserved": shares.to_string(),
                "stock_class_ids": ["common"],
            })),
            kind => stakeholders.push(json!({
                "object_type": "STAKEHOLDER",
                "id": format!("sh-{}", holder.id.0),
                "name": { "legal_name": holder.name },
                "stakeholder_type": if kind == HolderKind::Founder { "INDIVIDUAL" } else { "INSTITUTION" },
                "comments": [match kind {
                    HolderKind::Founder => "founder",
                    HolderKind::University => "university or its holding",
                    _ => "investor",
                }],
            })),
        }
    };

    for allocation in &plan.founding {
        add_holder(
            &allocation.holder,
            &mut stakeholders,
            &mut plans,
            allocation.shares,
        );
        if allocation.holder.kind == HolderKind::OptionPool {
            pool_reserved.insert(allocation.holder.id.0.clone(), allocation.shares);
            continue;
        }
        if allocation.shares == 0 {
            continue;
        }
        let id = allocation.holder.id.0.as_str();
        transactions.push(json!({
            "object_type": "TX_STOCK_ISSUANCE",
            "id": format!("tx-founding-{id}"),
            "date": date,
            "security_id": format!("CS-{id}"),
            "custom_id": format!("CS-{id}"),
            "stakeholder_id": format!("sh-{id}"),
            "stock_class_id": "common",
            "share_price": money("0.00".into()),
            "quantity": allocation.shares.to_string(),
            "security_law_exemptions": [],
            "comments": ["founding shares"],
        }));
    }

    let mut classes = vec![];
    for (index, (round, outcome)) in plan.rounds.iter().zip(&outcomes).enumerate() {
        let n = index + 1;
        let round_date = round
            .date
            .map_or_else(|| date.clone(), |d| d.format("%Y-%m-%d").to_string());
        for holder in &round.new_holders {
            add_holder(holder, &mut stakeholders, &mut plans, 0);
            if holder.kind == HolderKind::OptionPool {
                pool_reserved.insert(holder.id.0.clone(), 0);
            }
        }
        if let (Some(top_up), true) = (&round.pool_top_up, outcome.pool_top_up_shares > 0) {
            let reserved = pool_reserved.entry(top_up.pool.0.clone()).or_insert(0);
            *reserved += outcome.pool_top_up_shares;
            common_authorised += outcome.pool_top_up_shares;
            transactions.push(json!({
                "object_type": "TX_STOCK_PLAN_POOL_ADJUSTMENT",
                "id": format!("tx-pool-{n}"),
                "date": round_date,
                "stock_plan_id": format!("plan-{}", top_up.pool.0),
                "shares_reserved": reserved.to_string(),
                "comments": [format!("option pool top-up before {}", round.name)],
            }));
        }
        let issued: u64 = outcome.issued.iter().map(|i| i.shares).sum();
        let adjusted: u64 = outcome
            .adjustments
            .iter()
            .map(|a| a.shares_after.saturating_sub(a.shares_before))
            .sum();
        classes.push(json!({
            "object_type": "STOCK_CLASS",
            "id": format!("pref-{n}"),
            "name": format!("{} Preferred", round.name),
            "class_type": "PREFERRED",
            "default_id_prefix": format!("P{n}-"),
            "initial_shares_authorized": issued.to_string(),
            "votes_per_share": "1",
            "seniority": "2",
            "price_per_share": money(price_text(&outcome.price)),
            "liquidation_preference_multiple": "1",
            "conversion_rights": [{
                "type": "STOCK_CLASS_CONVERSION_RIGHT",
                "conversion_mechanism": {
                    "type": "RATIO_CONVERSION",
                    "conversion_price": money(price_text(&outcome.price)),
                    "ratio": { "numerator": "1", "denominator": "1" },
                    "rounding_type": "NORMAL",
                },
                "converts_to_stock_class_id": "common",
            }],
            "comments": [format!("{} new preferred shares; {adjusted} anti-dilution shares on earlier series", issued)],
        }));
        for issue in &outcome.issued {
            let id = issue.investor.0.as_str();
            transactions.push(json!({
                "object_type": "TX_STOCK_ISSUANCE",
                "id": format!("tx-round-{n}-{id}"),
                "date": round_date,
                "security_id": format!("P{n}-{id}"),
                "custom_id": format!("P{n}-{id}"),
                "stakeholder_id": format!("sh-{id}"),
                "stock_class_id": format!("pref-{n}"),
                "share_price": money(price_text(&outcome.price)),
                "quantity": issue.shares.to_string(),
                "security_law_exemptions": [],
                "comments": [format!("{} invested {}", id, cents_text(issue.amount.cents()))],
            }));
        }
        for (k, adjustment) in outcome.adjustments.iter().enumerate() {
            let extra = adjustment
                .shares_after
                .saturating_sub(adjustment.shares_before);
            if extra == 0 {
                continue;
            }
            let series = plan
                .rounds
                .iter()
                .position(|r| r.name == adjustment.series_round)
                .map_or(n, |i| i + 1);
            let id = adjustment.holder.0.as_str();
            transactions.push(json!({
                "object_type": "TX_STOCK_ISSUANCE",
                "id": format!("tx-adjust-{n}-{k}"),
                "date": round_date,
                "security_id": format!("P{series}-{id}-AD{n}"),
                "custom_id": format!("P{series}-{id}-AD{n}"),
                "stakeholder_id": format!("sh-{id}"),
                "stock_class_id": format!("pref-{series}"),
                "share_price": money("0.00".into()),
                "quantity": extra.to_string(),
                "security_law_exemptions": [],
                "comments": [format!("anti-dilution adjustment in {}", round.name)],
            }));
        }
    }
    for plan_object in &mut plans {
        let id = plan_object["id"]
            .as_str()
            .unwrap_or("")
            .trim_start_matches("plan-")
            .to_owned();
        if let Some(reserved) = pool_reserved.get(&id) {
            plan_object["comments"] =
                json!([format!("{reserved} shares reserved after all rounds")]);
        }
    }
    classes.insert(
        0,
        json!({
            "object_type": "STOCK_CLASS",
            "id": "common",
            "name": "Common",
            "class_type": "COMMON",
            "default_id_prefix": "CS-",
            "initial_shares_authorized": common_authorised.to_string(),
            "votes_per_share": "1",
            "seniority": "1",
        }),
    );

    Ok(json!({
        "file_type": "OCF_MANIFEST_FILE",
        "ocf_version": OCF_VERSION,
        "as_of_date": date,
        "generated_at": format!("{date}T00:00:00Z"),
        "issuer": {
            "object_type": "ISSUER",
            "id": issuer_id,
            "legal_name": name,
            "formation_date": date,
            "country_of_formation": "NL",
        },
        "comments": ["Exported by KTO Desk from a modelled cap table; the OCF files are inlined below."],
        "stakeholders_file": { "file_type": "OCF_STAKEHOLDERS_FILE", "items": stakeholders },
        "stock_classes_file": { "file_type": "OCF_STOCK_CLASSES_FILE", "items": classes },
        "stock_plans_file": { "file_type": "OCF_STOCK_PLANS_FILE", "items": plans },
        "transactions_file": { "file_type": "OCF_TRANSACTIONS_FILE", "items": transactions },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kto_core::money::Money;
    use kto_core::terms::captable::{Allocation, Holder, HolderId, Investment, PoolTopUp, Round};
    use kto_core::terms::deal::AntiDilution;

    fn holder(id: &str, kind: HolderKind) -> Holder {
        Holder {
            id: HolderId(id.into()),
            name: id.to_uppercase(),
            kind,
        }
    }

    #[test]
    fn a_seed_round_exports_stakeholders_classes_pool_and_issuances() {
        let plan = CapTablePlan {
            founding: vec![
                Allocation {
                    holder: holder("anna", HolderKind::Founder),
                    shares: 8_000,
                },
                Allocation {
                    holder: holder("uni", HolderKind::University),
                    shares: 1_000,
                },
                Allocation {
                    holder: holder("pool", HolderKind::OptionPool),
                    shares: 1_000,
                },
            ],
            rounds: vec![Round {
                name: "Seed".into(),
                date: NaiveDate::from_ymd_opt(2026, 5, 1),
                pre_money: Money::from_euros(1_000_000),
                new_holders: vec![holder("vc", HolderKind::Investor)],
                investments: vec![Investment {
                    investor: HolderId("vc".into()),
                    amount: Money::from_euros(250_000),
                    anti_dilution: AntiDilution::None,
                    ..Investment::default()
                }],
                pool_top_up: Some(PoolTopUp {
                    pool: HolderId("pool".into()),
                    target_bp: 1_500,
                    ..PoolTopUp::default()
                }),
                ..Round::default()
            }],
        };
        let doc = export(
            "id-1",
            "Qubit BV",
            &plan,
            NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        )
        .unwrap();
        assert_eq!(doc["file_type"], "OCF_MANIFEST_FILE");
        assert_eq!(doc["issuer"]["legal_name"], "Qubit BV");
        let holders = doc["stakeholders_file"]["items"].as_array().unwrap();
        assert_eq!(holders.len(), 3, "anna, uni, vc; the pool is a plan");
        assert_eq!(holders[0]["stakeholder_type"], "INDIVIDUAL");
        let classes = doc["stock_classes_file"]["items"].as_array().unwrap();
        assert_eq!(classes[0]["class_type"], "COMMON");
        assert_eq!(classes[1]["name"], "Seed Preferred");
        assert_eq!(classes[1]["liquidation_preference_multiple"], "1");
        let tx = doc["transactions_file"]["items"].as_array().unwrap();
        assert!(tx
            .iter()
            .any(|t| t["object_type"] == "TX_STOCK_PLAN_POOL_ADJUSTMENT"));
        let seed: Vec<_> = tx
            .iter()
            .filter(|t| t["stock_class_id"] == "pref-1")
            .collect();
        assert_eq!(seed.len(), 1);
        assert_eq!(seed[0]["date"], "2026-05-01");
        assert_eq!(
            doc["stock_plans_file"]["items"][0]["initial_shares_reserved"],
            "1000"
        );
    }

    #[test]
    fn prices_are_decimal_euros() {
        let p = SharePrice {
            amount: Money::from_euros(1_000_000),
            shares: 10_000,
        };
        assert_eq!(price_text(&p), "100");
        let p = SharePrice {
            amount: Money::from_cents(100),
            shares: 3,
        };
        assert_eq!(price_text(&p), "0.3333333333");
        assert_eq!(cents_text(123_456), "1234.56");
    }
}
