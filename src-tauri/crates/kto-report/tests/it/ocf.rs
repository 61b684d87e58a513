//! The Open Cap Format package validated against the OCF 1.2.0 JSON schemas vendored in
//! `assets/ocf/1.2.0/schema`, resolved offline.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate};
use jsonschema::{Retrieve, Uri};
use kto_core::money::Money;
use kto_core::terms::captable::{
    Allocation, Holder, HolderId, HolderKind, Investment, Participation, PoolTopUp,
    PreferenceTerms, Round,
};
use kto_core::terms::deal::AntiDilution;
use kto_report::ocf::{package, Issuer, OcfPackage};
use kto_store::CapTablePlan;
use serde_json::Value;

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../assets/ocf/1.2.0/schema")
}

/// Every vendored schema by its `$id`.
struct Vendored(HashMap<String, Value>);

impl Vendored {
    fn load() -> Self {
        fn walk(dir: &Path, out: &mut HashMap<String, Value>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.to_string_lossy().ends_with(".schema.json") {
                    let schema: Value =
                        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                    let id = schema["$id"].as_str().unwrap().to_owned();
                    out.insert(id, schema);
                }
            }
        }
        let mut all = HashMap::new();
        walk(&schema_dir(), &mut all);
        assert!(all.len() > 150, "the OCF 1.2.0 schemas are vendored");
        Vendored(all)
    }
}

impl Retrieve for Vendored {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        self.0
            .get(uri.as_str())
            .cloned()
            .ok_or_else(|| format!("{uri} is not among the vendored OCF schemas").into())
    }
}

/// The schema errors of one OCF file, found by its `file_type`.
fn errors(file: &Value) -> Vec<String> {
    let name = match file["file_type"].as_str().unwrap() {
        "OCF_MANIFEST_FILE" => "OCFManifestFile",
        "OCF_STAKEHOLDERS_FILE" => "StakeholdersFile",
        "OCF_STOCK_CLASSES_FILE" => "StockClassesFile",
        "OCF_STOCK_PLANS_FILE" => "StockPlansFile",
        "OCF_STOCK_LEGEND_TEMPLATES_FILE" => "StockLegendTemplatesFile",
        "OCF_TRANSACTIONS_FILE" => "TransactionsFile",
        other => panic!("unexpected file type {other}"),
    };
    let vendored = Vendored::load();
    let id = format!("https://schema.opencaptablecoalition.com/v/1.2.0/files/{name}.schema.json");
    let schema = vendored.0[&id].clone();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .with_retriever(vendored)
        .build(&schema)
        .unwrap();
    validator
        .iter_errors(file)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn assert_valid(p: &OcfPackage) {
    for (name, file) in &p.files {
        assert_eq!(errors(file), Vec::<String>::new(), "{name}");
    }
}

fn holder(id: &str, kind: HolderKind) -> Holder {
    Holder {
        id: HolderId(id.into()),
        name: format!("{} B.V.", id.to_uppercase()),
        kind,
    }
}

fn invest(id: &str, euros: i64, anti_dilution: AntiDilution) -> Investment {
    Investment {
        investor: HolderId(id.into()),
        amount: Money::from_euros(euros),
        anti_dilution,
        ..Investment::default()
    }
}

/// Founders, the university and a pool; a seed round with full-ratchet protection, a down
/// round that triggers it with capped participation, and a second pool that joins late.
fn eventful_plan() -> CapTablePlan {
    CapTablePlan {
        founding: vec![
            Allocation {
                holder: holder("anna", HolderKind::Founder),
                shares: 6_000,
            },
            Allocation {
                holder: holder("bram", HolderKind::Founder),
                shares: 2_000,
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
        rounds: vec![
            Round {
                name: "Seed".into(),
                date: NaiveDate::from_ymd_opt(2025, 3, 1),
                pre_money: Money::from_euros(2_000_000),
                new_holders: vec![holder("vc", HolderKind::Investor)],
                investments: vec![invest("vc", 500_000, AntiDilution::FullRatchet)],
                pool_top_up: Some(PoolTopUp {
                    pool: HolderId("pool".into()),
                    target_bp: 1_500,
                    ..PoolTopUp::default()
                }),
                ..Round::default()
            },
            Round {
                name: "Series A".into(),
                date: None,
                pre_money: Money::from_euros(1_000_000),
                new_holders: vec![
                    holder("fund", HolderKind::Investor),
                    holder("pool2", HolderKind::OptionPool),
                ],
                investments: vec![invest("fund", 750_000, AntiDilution::None)],
                pool_top_up: Some(PoolTopUp {
                    pool: HolderId("pool2".into()),
                    target_bp: 500,
                    ..PoolTopUp::default()
                }),
                preference: PreferenceTerms {
                    multiple_bp: 15_000,
                    participation: Participation::CappedParticipating {
                        cap_multiple_bp: 30_000,
                    },
                    seniority: 1,
                },
                ..Round::default()
            },
        ],
    }
}

fn export(plan: &CapTablePlan) -> OcfPackage {
    package(
        &Issuer {
            id: "0190a2b4-spin-off",
            legal_name: "Qubit Labs B.V.",
            incorporated: NaiveDate::from_ymd_opt(2024, 9, 30),
        },
        plan,
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
        DateTime::from_timestamp(1_796_000_000, 0).unwrap(),
    )
    .unwrap()
}

#[test]
fn every_file_of_an_eventful_cap_table_validates_against_ocf_1_2_0() {
    let p = export(&eventful_plan());
    assert_eq!(p.files.len(), 6);
    let tx = &p
        .files
        .iter()
        .find(|(n, _)| n == "Transactions.ocf.json")
        .unwrap()
        .1;
    assert!(
        tx["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"].as_str().unwrap().starts_with("tx-adjust-")),
        "the down round adjusts the seed series"
    );
    assert_valid(&p);
}

#[test]
fn a_cap_table_of_founders_only_validates() {
    let mut plan = eventful_plan();
    plan.rounds.clear();
    assert_valid(&export(&plan));
}

#[test]
fn the_schemas_catch_what_the_old_export_got_wrong() {
    let p = export(&eventful_plan());
    let mut manifest = p.files[0].1.clone();
    // `as_of_date` instead of `as_of`, and inlined files: refused.
    let as_of = manifest["as_of"].take();
    manifest.as_object_mut().unwrap().remove("as_of");
    manifest["as_of_date"] = as_of;
    assert!(!errors(&manifest).is_empty());
    let mut tx = p.files[5].1.clone();
    tx["items"][0]
        .as_object_mut()
        .unwrap()
        .remove("stock_legend_ids");
    assert!(
        !errors(&tx).is_empty(),
        "an issuance needs stock_legend_ids"
    );
}

#[test]
fn the_zip_reads_back_with_the_md5_the_manifest_lists() {
    use md5::{Digest, Md5};
    use std::io::Read;
    let p = export(&eventful_plan());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(p.to_zip().unwrap())).unwrap();
    let mut manifest = String::new();
    archive
        .by_name("Manifest.ocf.json")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    let manifest: Value = serde_json::from_str(&manifest).unwrap();
    let listed: Vec<&Value> = manifest
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.ends_with("_files"))
        .flat_map(|(_, v)| v.as_array().unwrap())
        .collect();
    assert_eq!(listed.len(), 5);
    for file in listed {
        let name = file["filepath"].as_str().unwrap().trim_start_matches("./");
        let mut bytes = Vec::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        let md5: String = Md5::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(file["md5"], md5, "{name}");
        let doc: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(errors(&doc), Vec::<String>::new(), "{name}");
    }
}
