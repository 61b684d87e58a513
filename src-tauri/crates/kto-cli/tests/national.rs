//! `kto national` as the coordinator runs it: 24 synthetic offices (universities, UMCs,
//! TNO and NKI) of different sizes and financial years, each signing its 2025
//! submission with its own key through `kto monitor export`; plus a tampered file, a
//! file signed with an unregistered key, one signed with another institution's key, a
//! superseding correction and a file of a newer schema. The national totals must equal
//! a sum computed here from the accepted files, and every refusal must say why.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

mod common;

use common::{kto, ok, stderr, PASSPHRASE};

/// (id, name) of the 24 offices.
const OFFICES: [(&str, &str); 24] = [
    ("uva", "Universiteit van Amsterdam"),
    ("vu", "Vrije Universiteit Amsterdam"),
    ("uu", "Universiteit Utrecht"),
    ("leiden", "Universiteit Leiden"),
    ("eur", "Erasmus Universiteit Rotterdam"),
    ("rug", "Rijksuniversiteit Groningen"),
    ("ru", "Radboud Universiteit"),
    ("um", "Universiteit Maastricht"),
    ("tilburg", "Tilburg University"),
    ("tud", "Technische Universiteit Delft"),
    ("tue", "Technische Universiteit Eindhoven"),
    ("utwente", "Universiteit Twente"),
    ("wur", "Wageningen University & Research"),
    ("ou", "Open Universiteit"),
    ("amsterdamumc", "Amsterdam UMC"),
    ("umcu", "UMC Utrecht"),
    ("lumc", "Leids Universitair Medisch Centrum"),
    ("erasmusmc", "Erasmus MC"),
    ("umcg", "Universitair Medisch Centrum Groningen"),
    ("radboudumc", "Radboudumc"),
    ("mumc", "Maastricht UMC+"),
    ("pmc", "Prinses Máxima Centrum"),
    ("tno", "TNO"),
    ("nki", "Nederlands Kanker Instituut"),
];

/// The office that leaves its research expenditure not available.
const NO_EXPENDITURE: &str = "ou";
/// The office that sends a correction.
const CORRECTED: &str = "tud";

fn cmd_db(db: &Path) -> std::process::Command {
    let mut c = kto();
    c.arg("--db").arg(db);
    c
}

fn national(data: &Path) -> std::process::Command {
    let mut c = kto();
    c.arg("national").arg("--data").arg(data);
    c
}

fn keygen(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    ok(kto()
        .args(["keygen", "--name", name, "--out"])
        .arg(dir)
        .env("KTO_KEY_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap());
    (
        dir.join(format!("{name}.key")),
        dir.join(format!("{name}.pub")),
    )
}

fn export(db: &Path, key: &Path, out: &Path) -> String {
    ok(cmd_db(db)
        .args(["monitor", "export", "--year", "2025", "--key"])
        .arg(key)
        .arg("--out")
        .arg(out)
        .env("KTO_KEY_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap())
}

/// A demo office of size `n`, with its institution, financial year and inputs set.
fn office(dir: &Path, n: usize, id: &str, name: &str, fy_start: &str) -> PathBuf {
    let db = dir.join(format!("{id}.sqlite3"));
    let people = (16 + 4 * n).to_string();
    let disclosures = (12 + 3 * n).to_string();
    ok(cmd_db(&db)
        .args(["demo", "--seed", &(100 + n).to_string()])
        .args(["--people", &people, "--disclosures", &disclosures])
        .output()
        .unwrap());
    ok(cmd_db(&db)
        .args(["monitor", "settings", "--institution-id", id])
        .args([
            "--institution-name",
            name,
            "--financial-year-start",
            fy_start,
        ])
        .output()
        .unwrap());
    let expenditure = if id == NO_EXPENDITURE {
        "-".to_owned()
    } else {
        format!("{}", 40_000_000 + 9_000_000 * n)
    };
    ok(cmd_db(&db)
        .args(["monitor", "inputs", "--year", "2025"])
        .args(["--research-expenditure", &expenditure])
        .args(["--research-fte", &format!("{}.5", 300 + 45 * n)])
        .args(["--kto-fte", &format!("{}.25", 4 + n % 7)])
        .output()
        .unwrap());
    db
}

struct Setup {
    _dir: tempfile::TempDir,
    data: PathBuf,
    inbox: PathBuf,
    keys: PathBuf,
    /// File names that must be counted, by institution.
    counted: BTreeMap<String, String>,
}

/// Builds the 24 offices (four at a time), the extra files, and registers the keys.
fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (data, inbox, keys, dbs) = (
        root.join("data"),
        root.join("inbox"),
        root.join("keys"),
        root.join("db"),
    );
    for d in [&inbox, &keys, &dbs] {
        std::fs::create_dir_all(d).unwrap();
    }
    let starts = ["01-01", "07-01", "09-01", "04-01"];
    std::thread::scope(|s| {
        for chunk in OFFICES.chunks(6).enumerate() {
            let (c, offices) = chunk;
            let (inbox, keys, dbs) = (&inbox, &keys, &dbs);
            s.spawn(move || {
                for (j, (id, name)) in offices.iter().enumerate() {
                    let n = c * 6 + j;
                    let db = office(dbs, n, id, name, starts[n % starts.len()]);
                    let (key, _) = keygen(keys, id);
                    export(&db, &key, inbox);
                }
            });
        }
    });
    let mut counted: BTreeMap<String, String> = OFFICES
        .iter()
        .map(|(id, _)| (id.to_string(), format!("kto-monitor-{id}-2025-v1.json")))
        .collect();

    // A correction: the office changes an input and signs again (version 2 names v1's hash).
    let tud_db = dbs.join(format!("{CORRECTED}.sqlite3"));
    ok(cmd_db(&tud_db)
        .args([
            "monitor",
            "inputs",
            "--year",
            "2025",
            "--research-fte",
            "2500",
        ])
        .output()
        .unwrap());
    export(&tud_db, &keys.join(format!("{CORRECTED}.key")), &inbox);
    counted.insert(
        CORRECTED.into(),
        format!("kto-monitor-{CORRECTED}-2025-v2.json"),
    );

    // A tampered copy of uu's file: one figure changed, uu's signature beside it.
    let uu = std::fs::read_to_string(inbox.join("kto-monitor-uu-2025-v1.json")).unwrap();
    let mut value: Value = serde_json::from_str(&uu).unwrap();
    let figure = value["figures"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|f| f["code"] == "ID")
        .unwrap();
    figure["value"] = (figure["value"].as_i64().unwrap() + 100).into();
    std::fs::write(
        inbox.join("tampered-uu.json"),
        serde_json::to_vec(&value).unwrap(),
    )
    .unwrap();
    std::fs::copy(
        inbox.join("kto-monitor-uu-2025-v1.json.minisig"),
        inbox.join("tampered-uu.json.minisig"),
    )
    .unwrap();

    // An office whose key nobody registered.
    let rogue_out = root.join("rogue");
    let rogue = office(&dbs, 30, "hva", "Hogeschool van Amsterdam", "01-01");
    let (rogue_key, _) = keygen(&keys, "hva");
    export(&rogue, &rogue_key, &rogue_out);
    move_pair(
        &rogue_out.join("kto-monitor-hva-2025-v1.json"),
        &inbox.join("unregistered-hva.json"),
    );

    // lumc's figures signed with umcu's key.
    let fake_out = root.join("fake");
    let other_dbs = root.join("other");
    std::fs::create_dir_all(&other_dbs).unwrap();
    let fake = office(
        &other_dbs,
        31,
        "lumc",
        "Leids Universitair Medisch Centrum",
        "01-01",
    );
    export(&fake, &keys.join("umcu.key"), &fake_out);
    move_pair(
        &fake_out.join("kto-monitor-lumc-2025-v1.json"),
        &inbox.join("lumc-signed-by-umcu.json"),
    );

    // A file of a newer schema version, properly signed by tue's registered key.
    let tue = std::fs::read(inbox.join("kto-monitor-tue-2025-v1.json")).unwrap();
    let mut value: Value = serde_json::from_slice(&tue).unwrap();
    value["schema_version"] = 2.into();
    value["institution"]["sector"] = "university".into();
    // serde_json writes keys sorted and without spaces, as canonical JSON does here.
    let bytes = serde_json::to_vec(&value).unwrap();
    let key = kto_report::load_secret_key(&keys.join("tue.key"), PASSPHRASE).unwrap();
    let comment = format!(
        "kto-monitor institution=tue year=2025 sha256={}",
        kto_report::sha256_hex(&bytes)
    );
    std::fs::write(inbox.join("tue-schema-2.json"), &bytes).unwrap();
    std::fs::write(
        inbox.join("tue-schema-2.json.minisig"),
        kto_report::sign_detached(&bytes, &comment, &key).unwrap(),
    )
    .unwrap();

    for (id, name) in OFFICES {
        ok(national(&data)
            .args(["keys", "add", "--institution", id, "--name", name, "--pub"])
            .arg(keys.join(format!("{id}.pub")))
            .output()
            .unwrap());
    }
    Setup {
        _dir: dir,
        data,
        inbox,
        keys,
        counted,
    }
}

fn move_pair(from: &Path, to: &Path) {
    std::fs::rename(from, to).unwrap();
    std::fs::rename(
        kto_report::signature_path_for(from),
        kto_report::signature_path_for(to),
    )
    .unwrap();
}

fn json_of(out: Output) -> Value {
    serde_json::from_str(&ok(out)).unwrap()
}

/// The figures of a file as written, by code: (unit, value or None).
fn file_figures(path: &Path) -> BTreeMap<String, Option<i64>> {
    let v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap().to_owned(), f["value"].as_i64()))
        .collect()
}

#[test]
fn twenty_four_offices_add_up_to_the_national_totals_and_every_refusal_says_why() {
    let s = setup();

    // The registry refuses a key registered twice or for a second institution.
    let again = national(&s.data)
        .args([
            "keys",
            "add",
            "--institution",
            "nki",
            "--name",
            "Nederlands Kanker Instituut",
            "--pub",
        ])
        .arg(s.keys.join("nki.pub"))
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already registered for nki"),
        "{}",
        stderr(&again)
    );
    let other = national(&s.data)
        .args([
            "keys",
            "add",
            "--institution",
            "hva",
            "--name",
            "Hogeschool van Amsterdam",
            "--pub",
        ])
        .arg(s.keys.join("tno.pub"))
        .output()
        .unwrap();
    assert_eq!(other.status.code(), Some(1));
    assert!(
        stderr(&other).contains("registered for tno"),
        "{}",
        stderr(&other)
    );

    let files = json_of(
        national(&s.data)
            .args(["check", "--json"])
            .arg(&s.inbox)
            .output()
            .unwrap(),
    );
    let files = files.as_array().unwrap();
    let by_name: BTreeMap<&str, &Value> = files
        .iter()
        .map(|f| (f["file"].as_str().unwrap(), f))
        .collect();
    let expect_refused = [
        ("tampered-uu.json", "tampered", "changed after signing"),
        (
            "unregistered-hva.json",
            "unregisteredKey",
            "not in the key registry",
        ),
        (
            "lumc-signed-by-umcu.json",
            "keyOfAnotherInstitution",
            "registered for umcu",
        ),
        ("tue-schema-2.json", "unsupportedSchema", "schema version 2"),
    ];
    for (file, kind, words) in expect_refused {
        let f = by_name[file];
        assert_eq!(f["status"], "refused", "{file}: {f}");
        assert_eq!(f["kind"], kind, "{file}: {f}");
        assert!(
            f["message"].as_str().unwrap().contains(words),
            "{file}: {f}"
        );
    }
    let v1 = by_name[format!("kto-monitor-{CORRECTED}-2025-v1.json").as_str()];
    assert_eq!(v1["status"], "superseded");
    assert_eq!(
        v1["byFile"],
        format!("kto-monitor-{CORRECTED}-2025-v2.json")
    );
    let accepted: Vec<&str> = files
        .iter()
        .filter(|f| f["status"] == "accepted")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    let mut expected: Vec<&str> = s.counted.values().map(String::as_str).collect();
    expected.sort();
    assert_eq!(accepted, expected);
    assert_eq!(files.len(), 24 + 1 + 4);

    // National totals against a sum over the accepted files, computed here.
    let aggregate = json_of(
        national(&s.data)
            .args(["aggregate", "--json"])
            .arg(&s.inbox)
            .output()
            .unwrap(),
    );
    let year = aggregate["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2025)
        .unwrap();
    let per_office: BTreeMap<&String, BTreeMap<String, Option<i64>>> = s
        .counted
        .iter()
        .map(|(id, file)| (id, file_figures(&s.inbox.join(file))))
        .collect();
    let figures = year["figures"].as_array().unwrap();
    assert_eq!(figures.len(), 20);
    for f in figures {
        let code = f["code"].as_str().unwrap();
        let values: Vec<(&String, Option<i64>)> = per_office
            .iter()
            .map(|(id, figs)| (*id, figs.get(code).copied().flatten()))
            .collect();
        let sum: i64 = values.iter().filter_map(|(_, v)| *v).sum();
        let lacking: Vec<&str> = values
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(id, _)| id.as_str())
            .collect();
        let any = values.iter().any(|(_, v)| v.is_some());
        assert_eq!(f["total"].as_i64(), any.then_some(sum), "{code}");
        let named: Vec<&str> = f["institutionsLacking"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(named, lacking, "{code}");
        let counted = f["institutionsCounted"].as_array().unwrap().len();
        assert_eq!(counted + lacking.len(), 24, "{code}");
    }

    // Research expenditure is not available from one office: not a 0 in the total.
    let exp = figures.iter().find(|f| f["code"] == "IN-RES-EXP").unwrap();
    assert_eq!(
        exp["institutionsLacking"],
        serde_json::json!([NO_EXPENDITURE])
    );

    // Disclosures per €100 million: the offices with both figures, divided here.
    let id = figures.iter().find(|f| f["code"] == "ID").unwrap();
    let (mut num, mut basis) = (0i64, 0i64);
    for figs in per_office.values() {
        if let (Some(Some(v)), Some(Some(b))) = (figs.get("ID"), figs.get("IN-RES-EXP")) {
            num += v;
            basis += b;
        }
    }
    let per = &id["per100mResearchExpenditure"];
    assert_eq!(per["numerator"].as_i64(), Some(num));
    assert_eq!(per["basis"].as_i64(), Some(basis));
    let expected = num as f64 * 1e10 / basis as f64;
    assert!((per["value"].as_f64().unwrap() - expected).abs() < 1e-9);
    if per_office[&NO_EXPENDITURE.to_owned()]["ID"].is_some() {
        assert_eq!(
            per["institutionsWithoutBasis"],
            serde_json::json!([NO_EXPENDITURE])
        );
    }

    // The correction's new research FTE is what is counted.
    let fte = figures.iter().find(|f| f["code"] == "IN-RES-FTE").unwrap();
    let tud = fte["offices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["institutionId"] == CORRECTED)
        .unwrap();
    assert_eq!(tud["value"], 250_000);

    // The aggregate lists the SHA-256 of every counted submission.
    let listed: Vec<&str> = aggregate["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sha256"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 24);
    for file in s.counted.values() {
        let sha = kto_report::sha256_hex(&std::fs::read(s.inbox.join(file)).unwrap());
        assert!(listed.contains(&sha.as_str()), "{file}");
    }
}
