//! A modelled cap table as an Open Cap Format package (OCF 1.2.0, Open Cap Table
//! Coalition): the standard `.ocf.zip`, a ZIP of OCF files with a manifest that lists each
//! file with its MD5.
//!
//! Files: `Manifest.ocf.json`, `Stakeholders.ocf.json`, `StockClasses.ocf.json`,
//! `StockPlans.ocf.json`, `StockLegends.ocf.json` and `Transactions.ocf.json` (the names of
//! the OCF samples). Vesting terms and valuations are not modelled, so the manifest lists
//! no file for them. The schemas the package follows are vendored in `assets/ocf/1.2.0`;
//! the tests validate every file against them.
//!
//! Mapping: founders become individual stakeholders, the university and investors
//! institutions; founding shares are common stock issued on the incorporation date; each
//! round creates one preferred class at the round's price, with the round's preference
//! multiple, participation cap and seniority, converting 1:1 to common; the option pool is a
//! stock plan whose reserve grows with every top-up; anti-dilution adjustments are issued as
//! extra preferred shares of the adjusted series at no price. Every issuance carries the
//! transfer restriction (blokkeringsregeling) that the articles of a Dutch BV impose.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use kto_core::terms::captable::{CapTable, Holder, HolderKind, Participation, SharePrice};
use kto_core::terms::TermsError;
use kto_store::CapTablePlan;
use md5::{Digest, Md5};
use serde_json::{json, Value};

/// The OCF version the package follows.
pub const OCF_VERSION: &str = "1.2.0";

/// The id of the one stock legend every issuance refers to.
const LEGEND_ID: &str = "legend-transfer-restriction";

/// Why no package was written.
#[derive(Debug, thiserror::Error)]
pub enum OcfError {
    /// OCF requires the issuer's formation date.
    #[error(
        "the spin-off has no incorporation date; enter it on the spin-off's page before exporting its cap table"
    )]
    NoIncorporationDate,
    /// The cap table cannot be worked out.
    #[error(transparent)]
    Terms(#[from] TermsError),
    /// The ZIP archive could not be written.
    #[error("the OCF package could not be written: {0}")]
    Archive(String),
}

impl OcfError {
    /// Stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            OcfError::NoIncorporationDate => "noIncorporationDate",
            OcfError::Terms(e) => e.code(),
            OcfError::Archive(_) => "ocfArchive",
        }
    }
}

/// The company whose cap table is exported.
#[derive(Debug, Clone, Copy)]
pub struct Issuer<'a> {
    /// A stable id of the company (the spin-off's record id).
    pub id: &'a str,
    /// The legal name.
    pub legal_name: &'a str,
    /// The date of incorporation; OCF calls it the formation date.
    pub incorporated: Option<NaiveDate>,
}

impl<'a> Issuer<'a> {
    /// The issuer a stored spin-off describes: its id, name and incorporation date.
    pub fn of_spin_off(record: &'a kto_core::record::StoredRecord) -> Self {
        let incorporated = match record.values.get("incorporationDate") {
            Some(kto_core::record::Value::Text(day)) => {
                NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
            }
            _ => None,
        };
        Issuer {
            id: &record.id,
            legal_name: &record.title,
            incorporated,
        }
    }
}

/// An OCF package: its files in the order the manifest lists them, the manifest first.
#[derive(Debug, Clone, PartialEq)]
pub struct OcfPackage {
    /// `(file name, JSON document)`.
    pub files: Vec<(String, Value)>,
}

impl OcfPackage {
    /// The package as a ZIP archive (deflated, fixed timestamps, so the same package gives
    /// the same bytes).
    ///
    /// # Errors
    /// [`OcfError::Archive`] when a file cannot be serialised or written.
    pub fn to_zip(&self) -> Result<Vec<u8>, OcfError> {
        let archive = |e: &dyn std::fmt::Display| OcfError::Archive(e.to_string());
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, doc) in &self.files {
            zip.start_file(name.as_str(), options)
                .map_err(|e| archive(&e))?;
            zip.write_all(&file_bytes(doc)).map_err(|e| archive(&e))?;
        }
        Ok(zip.finish().map_err(|e| archive(&e))?.into_inner())
    }
}

/// The bytes of one OCF file as written into the package (and hashed in the manifest).
fn file_bytes(doc: &Value) -> Vec<u8> {
    // A JSON value always serialises: its keys are strings.
    let mut bytes = serde_json::to_vec_pretty(doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn cents_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Basis points as an OCF numeric: `15_000` is `"1.5"`.
fn bp_text(bp: u32) -> String {
    let text = format!("{}.{:04}", bp / 10_000, bp % 10_000);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
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

fn stakeholder(holder: &Holder) -> Value {
    let (kind, role, comment) = match holder.kind {
        HolderKind::Founder => ("INDIVIDUAL", "FOUNDER", "founder"),
        HolderKind::University => ("INSTITUTION", "OTHER", "university or its holding"),
        _ => ("INSTITUTION", "INVESTOR", "investor"),
    };
    json!({
        "object_type": "STAKEHOLDER",
        "id": format!("sh-{}", holder.id.0),
        "name": { "legal_name": holder.name },
        "stakeholder_type": kind,
        "current_relationship": role,
        "comments": [comment],
    })
}

/// A stock issuance of `quantity` shares of `class` to `holder`.
struct Issue<'a> {
    id: String,
    date: &'a str,
    security: String,
    holder: &'a str,
    class: String,
    price: String,
    quantity: u64,
    comment: String,
}

impl Issue<'_> {
    fn to_json(&self) -> Value {
        json!({
            "object_type": "TX_STOCK_ISSUANCE",
            "id": self.id,
            "date": self.date,
            "security_id": self.security,
            "custom_id": self.security,
            "stakeholder_id": format!("sh-{}", self.holder),
            "stock_class_id": self.class,
            "share_price": money(self.price.clone()),
            "quantity": self.quantity.to_string(),
            "stock_legend_ids": [LEGEND_ID],
            "security_law_exemptions": [],
            "comments": [self.comment],
        })
    }
}

fn ocf_file(file_type: &str, items: Vec<Value>) -> Value {
    json!({ "file_type": file_type, "items": items })
}

/// The OCF package of `plan` for `issuer`, as of `as_of`, generated at `generated_at`.
///
/// Founding shares are dated on the incorporation date; a round without a closing date is
/// dated on the as-of date.
///
/// # Errors
/// [`OcfError::NoIncorporationDate`] when the issuer's incorporation date is unknown;
/// [`OcfError::Terms`] when the cap table cannot be worked out.
pub fn package(
    issuer: &Issuer<'_>,
    plan: &CapTablePlan,
    as_of: NaiveDate,
    generated_at: DateTime<Utc>,
) -> Result<OcfPackage, OcfError> {
    let incorporated = issuer.incorporated.ok_or(OcfError::NoIncorporationDate)?;
    let founded = day(incorporated);
    let as_of_day = day(as_of);
    let table = CapTable::found(plan.founding.clone())?;
    let (_, outcomes) = table.apply_rounds(&plan.rounds)?;

    let mut stakeholders = Vec::new();
    // Option pools by holder id: name, initial reserve, reserve after the top-ups.
    let mut pools: BTreeMap<String, (String, u64, u64)> = BTreeMap::new();
    let mut transactions = Vec::new();
    let mut common_authorised: u64 = plan.founding.iter().map(|a| a.shares).sum();

    for allocation in &plan.founding {
        let holder = &allocation.holder;
        if holder.kind == HolderKind::OptionPool {
            pools.insert(
                holder.id.0.clone(),
                (holder.name.clone(), allocation.shares, allocation.shares),
            );
            continue;
        }
        stakeholders.push(stakeholder(holder));
        if allocation.shares == 0 {
            continue;
        }
        let id = holder.id.0.as_str();
        let issue = Issue {
            id: format!("tx-founding-{id}"),
            date: &founded,
            security: format!("CS-{id}"),
            holder: id,
            class: "common".into(),
            price: "0.00".into(),
            quantity: allocation.shares,
            comment: "founding shares".into(),
        };
        transactions.push(issue.to_json());
    }

    let mut classes = vec![];
    for (index, (round, outcome)) in plan.rounds.iter().zip(&outcomes).enumerate() {
        let n = index + 1;
        let round_date = round.date.map_or_else(|| as_of_day.clone(), day);
        for holder in &round.new_holders {
            if holder.kind == HolderKind::OptionPool {
                pools.insert(holder.id.0.clone(), (holder.name.clone(), 0, 0));
            } else {
                stakeholders.push(stakeholder(holder));
            }
        }
        if let (Some(top_up), true) = (&round.pool_top_up, outcome.pool_top_up_shares > 0) {
            let pool = pools
                .entry(top_up.pool.0.clone())
                .or_insert_with(|| (top_up.pool.0.clone(), 0, 0));
            pool.2 += outcome.pool_top_up_shares;
            let total = pool.2;
            common_authorised += outcome.pool_top_up_shares;
            transactions.push(json!({
                "object_type": "TX_STOCK_PLAN_POOL_ADJUSTMENT",
                "id": format!("tx-pool-{n}"),
                "date": round_date,
                "stock_plan_id": format!("plan-{}", top_up.pool.0),
                "shares_reserved": total.to_string(),
                "comments": [format!("option pool top-up before {}", round.name)],
            }));
        }
        classes.push(preferred_class(n, round, outcome));
        let price = price_text(&outcome.price);
        for issued in &outcome.issued {
            let id = issued.investor.0.as_str();
            let issue = Issue {
                id: format!("tx-round-{n}-{id}"),
                date: &round_date,
                security: format!("P{n}-{id}"),
                holder: id,
                class: format!("pref-{n}"),
                price: price.clone(),
                quantity: issued.shares,
                comment: format!("{id} invested {}", cents_text(issued.amount.cents())),
            };
            transactions.push(issue.to_json());
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
            let issue = Issue {
                id: format!("tx-adjust-{n}-{k}"),
                date: &round_date,
                security: format!("P{series}-{id}-AD{n}"),
                holder: id,
                class: format!("pref-{series}"),
                price: "0.00".into(),
                quantity: extra,
                comment: format!("anti-dilution adjustment in {}", round.name),
            };
            transactions.push(issue.to_json());
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
    let plans = pools
        .iter()
        .map(|(id, (name, initial, reserved))| {
            json!({
                "object_type": "STOCK_PLAN",
                "id": format!("plan-{id}"),
                "plan_name": name,
                "initial_shares_reserved": initial.to_string(),
                "stock_class_ids": ["common"],
                "comments": [format!("{reserved} shares reserved after all rounds")],
            })
        })
        .collect();
    let legends = vec![json!({
        "object_type": "STOCK_LEGEND_TEMPLATE",
        "id": LEGEND_ID,
        "name": "Transfer restriction (blokkeringsregeling)",
        "text": "The transfer of these shares is restricted by the articles of association of the company (blokkeringsregeling, article 2:195 of the Dutch Civil Code).",
    })];

    let files = vec![
        (
            "Stakeholders.ocf.json",
            "stakeholders_files",
            ocf_file("OCF_STAKEHOLDERS_FILE", stakeholders),
        ),
        (
            "StockClasses.ocf.json",
            "stock_classes_files",
            ocf_file("OCF_STOCK_CLASSES_FILE", classes),
        ),
        (
            "StockPlans.ocf.json",
            "stock_plans_files",
            ocf_file("OCF_STOCK_PLANS_FILE", plans),
        ),
        (
            "StockLegends.ocf.json",
            "stock_legend_templates_files",
            ocf_file("OCF_STOCK_LEGEND_TEMPLATES_FILE", legends),
        ),
        (
            "Transactions.ocf.json",
            "transactions_files",
            ocf_file("OCF_TRANSACTIONS_FILE", transactions),
        ),
    ];
    let mut manifest = json!({
        "ocf_version": OCF_VERSION,
        "file_type": "OCF_MANIFEST_FILE",
        "issuer": {
            "object_type": "ISSUER",
            "id": issuer.id,
            "legal_name": issuer.legal_name,
            "formation_date": founded,
            "country_of_formation": "NL",
        },
        "as_of": as_of_day,
        "generated_at": generated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "comments": ["Exported by KTO Desk from a modelled cap table."],
        "vesting_terms_files": [],
        "valuations_files": [],
    });
    for (name, key, doc) in &files {
        manifest[*key] = json!([{
            "filepath": format!("./{name}"),
            "md5": md5_hex(&file_bytes(doc)),
        }]);
    }
    let mut out = vec![("Manifest.ocf.json".to_owned(), manifest)];
    out.extend(
        files
            .into_iter()
            .map(|(name, _, doc)| (name.to_owned(), doc)),
    );
    Ok(OcfPackage { files: out })
}

/// The preferred class a round creates, with the round's preference terms.
fn preferred_class(
    n: usize,
    round: &kto_core::terms::captable::Round,
    outcome: &kto_core::terms::captable::RoundOutcome,
) -> Value {
    let issued: u64 = outcome.issued.iter().map(|i| i.shares).sum();
    let adjusted: u64 = outcome
        .adjustments
        .iter()
        .map(|a| a.shares_after.saturating_sub(a.shares_before))
        .sum();
    let price = price_text(&outcome.price);
    let terms = &round.preference;
    let participation = match terms.participation {
        Participation::NonParticipating => "non-participating".to_owned(),
        Participation::Participating => "participating without cap".to_owned(),
        Participation::CappedParticipating { cap_multiple_bp } => {
            format!("participating up to {}×", bp_text(cap_multiple_bp))
        }
    };
    let mut class = json!({
        "object_type": "STOCK_CLASS",
        "id": format!("pref-{n}"),
        "name": format!("{} Preferred", round.name),
        "class_type": "PREFERRED",
        "default_id_prefix": format!("P{n}-"),
        "initial_shares_authorized": issued.to_string(),
        "votes_per_share": "1",
        // OCF: a higher number is paid first; common is 1.
        "seniority": (u64::from(terms.seniority) + 2).to_string(),
        "price_per_share": money(price.clone()),
        "liquidation_preference_multiple": bp_text(terms.multiple_bp),
        "conversion_rights": [{
            "type": "STOCK_CLASS_CONVERSION_RIGHT",
            "conversion_mechanism": {
                "type": "RATIO_CONVERSION",
                "conversion_price": money(price),
                "ratio": { "numerator": "1", "denominator": "1" },
                "rounding_type": "NORMAL",
            },
            "converts_to_stock_class_id": "common",
        }],
        "comments": [
            format!("{issued} new preferred shares; {adjusted} anti-dilution shares on earlier series"),
            format!("liquidation preference {participation}"),
        ],
    });
    if let Participation::CappedParticipating { cap_multiple_bp } = terms.participation {
        class["participation_cap_multiple"] = json!(bp_text(cap_multiple_bp));
    }
    class
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

    fn seed_plan() -> CapTablePlan {
        CapTablePlan {
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
        }
    }

    fn qubit(incorporated: Option<NaiveDate>) -> Issuer<'static> {
        Issuer {
            id: "id-1",
            legal_name: "Qubit BV",
            incorporated,
        }
    }

    fn seed_package() -> OcfPackage {
        package(
            &qubit(NaiveDate::from_ymd_opt(2024, 2, 14)),
            &seed_plan(),
            NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            DateTime::from_timestamp(1_780_000_000, 0).unwrap(),
        )
        .unwrap()
    }

    fn file<'a>(p: &'a OcfPackage, name: &str) -> &'a Value {
        &p.files.iter().find(|(n, _)| n == name).unwrap().1
    }

    #[test]
    fn a_seed_round_exports_stakeholders_classes_pool_and_issuances() {
        let p = seed_package();
        let manifest = file(&p, "Manifest.ocf.json");
        assert_eq!(manifest["file_type"], "OCF_MANIFEST_FILE");
        assert_eq!(manifest["as_of"], "2026-06-01");
        assert_eq!(manifest["issuer"]["legal_name"], "Qubit BV");
        assert_eq!(manifest["issuer"]["formation_date"], "2024-02-14");
        let holders = file(&p, "Stakeholders.ocf.json")["items"]
            .as_array()
            .unwrap();
        assert_eq!(holders.len(), 3, "anna, uni, vc; the pool is a plan");
        assert_eq!(holders[0]["stakeholder_type"], "INDIVIDUAL");
        let classes = file(&p, "StockClasses.ocf.json")["items"]
            .as_array()
            .unwrap();
        assert_eq!(classes[0]["class_type"], "COMMON");
        assert_eq!(classes[1]["name"], "Seed Preferred");
        assert_eq!(classes[1]["liquidation_preference_multiple"], "1");
        let tx = file(&p, "Transactions.ocf.json")["items"]
            .as_array()
            .unwrap();
        let pool = tx
            .iter()
            .find(|t| t["object_type"] == "TX_STOCK_PLAN_POOL_ADJUSTMENT")
            .unwrap();
        assert!(
            pool["shares_reserved"]
                .as_str()
                .unwrap()
                .parse::<u64>()
                .unwrap()
                > 1_000
        );
        let founding = tx.iter().find(|t| t["id"] == "tx-founding-anna").unwrap();
        assert_eq!(
            founding["date"], "2024-02-14",
            "founding shares date from incorporation"
        );
        assert_eq!(founding["stock_legend_ids"][0], LEGEND_ID);
        let seed: Vec<_> = tx
            .iter()
            .filter(|t| t["stock_class_id"] == "pref-1")
            .collect();
        assert_eq!(seed.len(), 1);
        assert_eq!(seed[0]["date"], "2026-05-01");
        assert_eq!(
            file(&p, "StockPlans.ocf.json")["items"][0]["initial_shares_reserved"],
            "1000"
        );
    }

    #[test]
    fn the_manifest_lists_every_file_with_its_md5() {
        let p = seed_package();
        let manifest = file(&p, "Manifest.ocf.json");
        for (name, doc) in &p.files[1..] {
            let listed = [
                "stakeholders_files",
                "stock_classes_files",
                "stock_plans_files",
                "stock_legend_templates_files",
                "transactions_files",
            ]
            .iter()
            .flat_map(|k| manifest[*k].as_array().unwrap())
            .find(|f| f["filepath"] == format!("./{name}"))
            .unwrap_or_else(|| panic!("{name} is not in the manifest"));
            assert_eq!(listed["md5"], md5_hex(&file_bytes(doc)), "{name}");
        }
    }

    #[test]
    fn the_zip_holds_the_files_and_is_the_same_every_time() {
        let p = seed_package();
        let bytes = p.to_zip().unwrap();
        assert_eq!(bytes, seed_package().to_zip().unwrap());
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), p.files.len());
        for (name, doc) in &p.files {
            let mut entry = archive.by_name(name).unwrap();
            let mut text = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut text).unwrap();
            assert_eq!(text, file_bytes(doc), "{name}");
        }
    }

    #[test]
    fn a_company_without_an_incorporation_date_is_refused_with_the_fix() {
        let e = package(
            &qubit(None),
            &seed_plan(),
            NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            DateTime::from_timestamp(0, 0).unwrap(),
        )
        .unwrap_err();
        assert_eq!(e.code(), "noIncorporationDate");
        assert!(e.to_string().contains("incorporation date"));
    }

    #[test]
    fn preference_terms_reach_the_class() {
        let mut plan = seed_plan();
        plan.rounds[0].preference = kto_core::terms::captable::PreferenceTerms {
            multiple_bp: 15_000,
            participation: Participation::CappedParticipating {
                cap_multiple_bp: 30_000,
            },
            seniority: 1,
        };
        let p = package(
            &qubit(NaiveDate::from_ymd_opt(2024, 2, 14)),
            &plan,
            NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            DateTime::from_timestamp(0, 0).unwrap(),
        )
        .unwrap();
        let class = &file(&p, "StockClasses.ocf.json")["items"][1];
        assert_eq!(class["liquidation_preference_multiple"], "1.5");
        assert_eq!(class["participation_cap_multiple"], "3");
        assert_eq!(class["seniority"], "3");
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
        assert_eq!(bp_text(10_000), "1");
        assert_eq!(bp_text(12_500), "1.25");
    }
}
