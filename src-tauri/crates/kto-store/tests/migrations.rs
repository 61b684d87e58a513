//! Every released schema opens in this build with nothing lost.
//!
//! For each schema version N there is a database as the release with N migrations left it:
//! the migrations up to N applied, then the rows that release could write (`seed`). Opening
//! it with [`Store::open`] migrates it to the latest schema; afterwards every row is still
//! there, the file passes the integrity and audit checks, the records read back through the
//! store as the app reads them, a new change can be made, and the schema is exactly that of
//! a database created new.
//!
//! A new migration needs a `seed` arm for its tables and a line in `RELEASED`: the first
//! test fails until both exist.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{TimeZone, Utc};
use kto_core::activity::{Change, RecordKind as K};
use kto_core::pipeline::Pipeline;
use kto_core::record::{RecordQuery, Value, Values};
use kto_core::terms::deal::{AntiDilution, DealForm, DealTerms};
use kto_core::terms::reference::{ReferenceSet, ReferenceSetId};
use kto_store::{migrate_to, Store, LATEST_VERSION, MIGRATIONS};
use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};

/// The start of the SHA-256 of each released migration. A released migration is never edited (databases
/// in the field already ran it); a change of schema is a new numbered migration.
const RELEASED: &[(&str, &str)] = &[
    ("0001_initial", "ed563f813c6d94fe"),
    ("0002_pipelines", "5133fb304fb147fc"),
    ("0003_records", "caeb8cb10c27d06d"),
    ("0004_monitor", "a7e7de848b095370"),
    ("0005_terms", "88f5ac812ba0ce3c"),
    ("0006_audit", "a4b01e3774c055d8"),
    ("0007_attachment_content", "ec4f80b12990c855"),
    ("0008_import_batches", "806a06bf0197ad93"),
    ("0009_search_kinds", "af6b3673927b6abc"),
    ("0010_deal_table", "8baf6e016f73ca30"),
    ("0011_monitor_period_indexes", "0b6075d71b31fe10"),
    ("0012_audit_chains", "0c434e117711f4a3"),
];

const ORG: &str = "01930000-0000-7000-8000-000000000101";
const ORG_KVK: &str = "01930000-0000-7000-8000-000000000102";
const PERSON: &str = "01930000-0000-7000-8000-000000000103";
const DISCLOSURE: &str = "01930000-0000-7000-8000-000000000104";
const DEAL: &str = "01930000-0000-7000-8000-000000000201";
const LEAD: &str = "01930000-0000-7000-8000-000000000301";
const PATENT: &str = "01930000-0000-7000-8000-000000000302";
const AGREEMENT: &str = "01930000-0000-7000-8000-000000000303";
const CONSORTIUM: &str = "01930000-0000-7000-8000-000000000304";
const CONTRIBUTION: &str = "01930000-0000-7000-8000-000000000305";
const SPIN_OFF: &str = "01930000-0000-7000-8000-000000000306";
const FOUNDER: &str = "01930000-0000-7000-8000-000000000307";
const ROUND: &str = "01930000-0000-7000-8000-000000000308";
const INCOME: &str = "01930000-0000-7000-8000-000000000309";
const COST: &str = "01930000-0000-7000-8000-000000000310";
const ATTACHMENT: &str = "01930000-0000-7000-8000-000000000701";

const T0: &str = "2024-03-01T09:00:00.000Z";

/// The rows a release with schema `version` writes into the tables that version added,
/// in the formats that release wrote them.
fn seed(conn: &Connection, version: u32) {
    match version {
        1 => conn
            .execute_batch(&format!(
                "INSERT INTO settings VALUES ('language', 'nl'), ('user_name', 'Eva');
                 INSERT INTO organisations VALUES
                   ('{ORG}', 'Universiteit van de Lage Landen', 'knowledge_institution', 'NL', NULL, '{T0}', '{T0}'),
                   ('{ORG_KVK}', 'Heliox Coatings B.V.', 'sme', 'NL', '12345678', '{T0}', '{T0}');
                 INSERT INTO people VALUES
                   ('{PERSON}', 'Anouk Hoëk', 'anouk@example.org', '{ORG}', 'Science and Engineering', '{T0}', '{T0}');
                 INSERT INTO disclosures VALUES
                   ('{DISCLOSURE}', 'D-2024-0007', 'Self-healing solar cell', '2024-01-15',
                    'Science and Engineering', 3, 'decided', 'protect', '2024-03-01',
                    'A coating that repairs micro-cracks.', '{T0}', '{T0}');
                 INSERT INTO disclosure_inventors VALUES ('{DISCLOSURE}', '{PERSON}', 10000, 0);
                 INSERT INTO activities (record_kind, record_id, at, actor, action, field, old_value, new_value) VALUES
                   ('disclosure', '{DISCLOSURE}', '{T0}', 'Eva', 'created', NULL, NULL, 'Self-healing solar cell'),
                   ('disclosure', '{DISCLOSURE}', '{T0}', 'Eva', 'stage_changed', 'stage', 'received', 'decided');
                 INSERT INTO search_docs VALUES (1, 'disclosure', '{DISCLOSURE}');
                 INSERT INTO search_index (rowid, title, body) VALUES
                   (1, 'Self-healing solar cell', 'D-2024-0007 Science and Engineering Anouk Hoëk A coating that repairs micro-cracks.');"
            ))
            .unwrap(),
        2 => conn
            .execute_batch(&format!(
                "UPDATE stages SET name = 'Warm lead' WHERE id = 'licensing:interest';
                 INSERT INTO stages VALUES ('licensing:due-diligence', 'licensing', NULL, 'Due diligence', 6, 'open');
                 INSERT INTO deals VALUES
                   ('{DEAL}', 'licensing', 'Licence coating patent', 'licensing:due-diligence', '{ORG_KVK}',
                    4000000, 'Eva', 'Send the draft licence', '2024-04-01', NULL, '', 0, '{T0}', '{T0}');
                 INSERT INTO activities (record_kind, record_id, at, actor, action, field, old_value, new_value) VALUES
                   ('deal', '{DEAL}', '{T0}', 'Eva', 'created', NULL, NULL, 'Licence coating patent'),
                   ('deal', '{DEAL}', '{T0}', 'Eva', 'stage_changed', 'stage', 'licensing:interest', 'licensing:due-diligence');
                 INSERT INTO search_docs VALUES (2, 'deal', '{DEAL}');
                 INSERT INTO search_index (rowid, title, body) VALUES (2, 'Licence coating patent', 'Heliox Coatings');"
            ))
            .unwrap(),
        3 => conn
            .execute_batch(&format!(
                "INSERT INTO scouting_leads (id, created_at, updated_at, topic, research_group, contact_id, visit_date, potential, outcome, disclosure_id)
                   VALUES ('{LEAD}', '{T0}', '{T0}', 'Photovoltaic coatings', 'Solar Materials', '{PERSON}', '2023-11-20', 'high', 'disclosure', '{DISCLOSURE}');
                 INSERT INTO patents (id, created_at, updated_at, title, family, disclosure_id, jurisdiction, filing_date, is_priority, priority_date, status)
                   VALUES ('{PATENT}', '{T0}', '{T0}', 'Self-healing coating', 'PF-HEAL', '{DISCLOSURE}', 'ep', '2024-02-01', 1, '2024-02-01', 'pending');
                 INSERT INTO agreements (id, created_at, updated_at, title, kind, counterparty_id, signed_date, start_date, end_date, value_cents, exclusive, patent_id, deal_id)
                   VALUES ('{AGREEMENT}', '{T0}', '{T0}', 'Coating licence', 'licence', '{ORG_KVK}', '2024-02-20', '2024-03-01', '2029-02-28', 4000000, 1, '{PATENT}', '{DEAL}');
                 INSERT INTO consortia (id, created_at, updated_at, name, programme, start_year, end_year, total_budget_cents)
                   VALUES ('{CONSORTIUM}', '{T0}', '{T0}', 'Circular Plastics Lab', 'TKI', 2024, 2027, 120000000);
                 INSERT INTO contributions (id, created_at, updated_at, consortium_id, organisation_id, partner_kind, role, year, cash_cents, in_kind_cents)
                   VALUES ('{CONTRIBUTION}', '{T0}', '{T0}', '{CONSORTIUM}', '{ORG_KVK}', 'privateCompany', 'Industrial partner', 2024, 5000000, 2000000);
                 INSERT INTO spin_offs (id, created_at, updated_at, name, kvk_number, disclosure_id, patent_id, incorporation_date, deal_form, formal_ip_agreement, status)
                   VALUES ('{SPIN_OFF}', '{T0}', '{T0}', 'HealCoat B.V.', '87654321', '{DISCLOSURE}', '{PATENT}', '2024-02-15', 'equity', 1, 'active');
                 INSERT INTO founders (id, created_at, updated_at, spin_off_id, person_id, role)
                   VALUES ('{FOUNDER}', '{T0}', '{T0}', '{SPIN_OFF}', '{PERSON}', 'CTO');
                 INSERT INTO funding_rounds (id, created_at, updated_at, spin_off_id, name, closed_date, amount_cents, pre_money_cents, investors, external)
                   VALUES ('{ROUND}', '{T0}', '{T0}', '{SPIN_OFF}', 'Seed', '2024-02-28', 75000000, 300000000, 'Regional Fund', 1);
                 INSERT INTO income (id, created_at, updated_at, description, kind, received_date, amount_cents, agreement_id)
                   VALUES ('{INCOME}', '{T0}', '{T0}', 'Upfront fee coating licence', 'upfrontFee', '2024-03-01', 2500000, '{AGREEMENT}');
                 INSERT INTO costs (id, created_at, updated_at, description, category, paid_date, amount_cents, patent_id)
                   VALUES ('{COST}', '{T0}', '{T0}', 'EP filing fee', 'patent', '2024-02-01', 350000, '{PATENT}');
                 INSERT INTO saved_views VALUES ('patent', 'Pending EP', '{{\"filters\":{{\"status\":\"pending\"}}}}');
                 INSERT INTO activities (record_kind, record_id, at, actor, action, field, old_value, new_value) VALUES
                   ('consortium', '{CONSORTIUM}', '{T0}', 'Eva', 'created', NULL, NULL, 'Circular Plastics Lab'),
                   ('consortium', '{CONSORTIUM}', '{T0}', 'Eva', 'noted', NULL, NULL, 'Kick-off on pyrolysis oil quality');
                 INSERT INTO search_docs VALUES (3, 'consortium', '{CONSORTIUM}');
                 INSERT INTO search_index (rowid, title, body) VALUES (3, 'Circular Plastics Lab', 'TKI Kick-off on pyrolysis oil quality');"
            ))
            .unwrap(),
        4 => conn
            .execute_batch(&format!(
                "INSERT INTO office_inputs VALUES (2024, '01930000-0000-7000-8000-000000000401', 1250000000, 125000, 1250, '{T0}', '{T0}', 'Eva');
                 INSERT INTO signing_keys VALUES ('0123456789ABCDEF', 'RWQBI0VyC0yFADtpYzVhrKg9VkV8mYpH4tvQjv1N2TnSTbwZ6AXYrXo4', '{fp}', '{T0}', NULL);
                 INSERT INTO submissions VALUES ('01930000-0000-7000-8000-000000000402', 2023, 1, NULL, 'demo-uni', '2026.1',
                   '{{\"year\":2023}}', 'untrusted comment: signature', '{fp}', '0123456789ABCDEF', 'Eva', '{T0}');",
                fp = "a".repeat(64)
            ))
            .unwrap(),
        5 => {
            let terms = DealTerms {
                form: Some(DealForm::Equity),
                university_equity_bp: Some(1_500),
                anti_dilution: Some(AntiDilution::None),
                days_to_signing: Some(60),
                ..DealTerms::default()
            };
            let mut set: ReferenceSet = serde_json::from_str(
                &std::fs::read_to_string(
                    Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join("../../../assets/term-sets/usit-2023.json"),
                )
                .unwrap(),
            )
            .unwrap();
            set.id = ReferenceSetId("office-holding-2024".into());
            set.name = "Holding policy 2024".into();
            conn.execute(
                "INSERT INTO spin_off_terms VALUES (?1, ?2, NULL, 'usit-2023', ?3, ?3)",
                params![SPIN_OFF, serde_json::to_string(&terms).unwrap(), T0],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO reference_term_sets VALUES ('office-holding-2024', ?1, ?2, ?3, ?3)",
                params![set.name, serde_json::to_string(&set).unwrap(), T0],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO learning_progress VALUES ('equity', '{\"q1\":0}', 1, ?1)",
                [T0],
            )
            .unwrap();
        }
        // 0006 adds the chain over the history; what that release writes is chained by
        // the store itself, which is what the audit check after the migration covers.
        6 => {}
        // 0009 rebuilds the full-text index with each record's kind; the searches in
        // `reads_back` cover what the earlier releases wrote to it. Its deal table saved
        // its views under the kind `deal` alone, the pipeline in the view's filters.
        9 => {
            let mut q = RecordQuery {
                sort: Some("value".into()),
                descending: true,
                limit: 100,
                ..RecordQuery::default()
            };
            q.filters
                .insert("pipeline".into(), Value::Text("contractResearch".into()));
            conn.execute(
                "INSERT INTO saved_views VALUES ('deal', 'Biggest first', ?1)",
                [serde_json::to_string(&q).unwrap()],
            )
            .unwrap();
        }
        // 0010 adds indexes for the deal table's sort orders (the deal seeded by 0002 is
        // listed through them in every sort direction in `reads_back`) and moves the deal
        // views of 0009 under their pipeline, which `reads_back` checks too.
        10 => {}
        // 0011 only adds indexes for reading one period's monitor facts; the monitor tests
        // compare what they read with the full read.
        11 => {}
        // 0012 names the audit chain and seals the records that exist; it writes its
        // own rows, which the whole audit check below reads.
        12 => {}
        // 0013 adds the sync tables, all empty but this laptop's row; the history written
        // before it is not carried to other laptops (they join from a snapshot).
        13 => {}
        7 => {
            let content = b"%PDF-1.4 signed licence";
            conn.execute(
                "INSERT INTO attachments VALUES (?1, 'agreement', ?2, 'licence.pdf', ?3, ?4, ?5, ?6, 'Eva')",
                params![
                    ATTACHMENT,
                    AGREEMENT,
                    format!("{ATTACHMENT}-licence.pdf"),
                    content.len() as i64,
                    format!("{:x}", Sha256::digest(content)),
                    T0
                ],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO attachment_content VALUES (?1, ?2)",
                params![ATTACHMENT, content.as_slice()],
            )
            .unwrap();
        }
        8 => conn
            .execute_batch(&format!(
                "INSERT INTO import_batches VALUES ('01930000-0000-7000-8000-000000000801', 'cost',
                   'costs.csv', '{T0}', 'Eva', 1, 0, NULL);
                 INSERT INTO import_batch_records VALUES
                   ('01930000-0000-7000-8000-000000000801', 0, '{COST}', 'created', NULL, '{T0}');"
            ))
            .unwrap(),
        v => panic!(
            "migration {v} has no seed: add the rows its release writes to `seed` in tests/migrations.rs"
        ),
    }
}

/// A database file as the release with schema `version` left it.
fn database_of_release(path: &Path, version: u32) {
    let mut conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;")
        .unwrap();
    for v in 1..=version {
        migrate_to(&mut conn, v).unwrap();
        seed(&conn, v);
    }
}

/// Row count of every table; the full-text index counts its entries (its shadow tables
/// are its own business and change when it is rebuilt).
fn row_counts(conn: &Connection) -> BTreeMap<String, i64> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table'
                AND name NOT LIKE 'search\\_index\\_%' ESCAPE '\\' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let n = conn
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .unwrap();
            (t, n)
        })
        .collect()
}

fn schema_of(path: &Path) -> Vec<(String, String, Option<String>)> {
    let conn = Connection::open(path).unwrap();
    let rows = conn
        .prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows
}

fn text(record: &kto_core::record::StoredRecord, key: &str) -> String {
    match record.values.get(key) {
        Some(Value::Text(s)) => s.clone(),
        Some(v) => v.display(),
        None => String::new(),
    }
}

/// What the app reads of the seeded rows of schema `version`, through the store.
fn reads_back(store: &Store, version: u32) {
    let d = store.disclosure(DISCLOSURE.parse().unwrap()).unwrap();
    assert_eq!(d.reference, "D-2024-0007");
    assert_eq!(d.inventors[0].name, "Anouk Hoëk");
    assert_eq!(store.history(DISCLOSURE).unwrap().len(), 2);
    assert_eq!(
        store.settings("x").unwrap().language,
        kto_core::settings::Language::Nl
    );
    let org = store.record(K::Organisation, ORG_KVK).unwrap();
    assert_eq!(text(&org, "kvk"), "12345678");
    let hits = store.search_all("hoek", 5).unwrap();
    assert!(
        hits.iter().any(|h| h.id == DISCLOSURE),
        "schema {version}: search finds the disclosure by its inventor: {hits:?}"
    );
    if version >= 2 {
        let board = store.board(Pipeline::Licensing).unwrap();
        let names: Vec<&str> = board
            .columns
            .iter()
            .map(|c| c.stage.name.as_str())
            .collect();
        assert!(names.contains(&"Warm lead") && names.contains(&"Due diligence"));
        let dd = board
            .columns
            .iter()
            .find(|c| c.stage.name == "Due diligence")
            .unwrap();
        assert_eq!(
            dd.cards.len(),
            1,
            "the deal stays in the office's own stage"
        );
        // The deal table's sort orders (indexed since 0010) list the deal either way.
        for sort in ["title", "value", "nextActionDue"] {
            for descending in [false, true] {
                let q = RecordQuery {
                    sort: Some(sort.into()),
                    descending,
                    limit: 10,
                    ..RecordQuery::default()
                };
                let page = store.list_deals(Pipeline::Licensing, &q).unwrap();
                let ids: Vec<String> = page.rows.iter().map(|r| r.id.to_string()).collect();
                assert_eq!(ids, [DEAL], "sorted by {sort}, descending {descending}");
            }
        }
    }
    if version >= 3 {
        for (kind, id) in [
            (K::ScoutingLead, LEAD),
            (K::Patent, PATENT),
            (K::Agreement, AGREEMENT),
            (K::Consortium, CONSORTIUM),
            (K::Contribution, CONTRIBUTION),
            (K::SpinOff, SPIN_OFF),
            (K::Founder, FOUNDER),
            (K::FundingRound, ROUND),
            (K::Income, INCOME),
            (K::Cost, COST),
        ] {
            store
                .record(kind, id)
                .unwrap_or_else(|e| panic!("schema {version}: {kind:?} {id} reads back: {e}"));
        }
        let links = store.links(K::Patent, PATENT).unwrap();
        assert!(
            format!("{links:?}").contains(AGREEMENT),
            "the licence still points to the patent"
        );
        assert_eq!(store.saved_views(K::Patent).unwrap().len(), 1);
        if version >= 9 {
            let views = store
                .saved_views_in(K::Deal, Some(Pipeline::ContractResearch))
                .unwrap();
            let names: Vec<&str> = views.iter().map(|v| v.name.as_str()).collect();
            assert_eq!(names, ["Biggest first"], "kept under its pipeline");
            assert!(store
                .saved_views_in(K::Deal, Some(Pipeline::Licensing))
                .unwrap()
                .is_empty());
        }
        let toeslag = store.consortium_toeslag(CONSORTIUM).unwrap();
        assert_eq!(toeslag.len(), 1, "one year of contributions");
        let hits = store.search_all("pyroly", 5).unwrap();
        assert!(hits.iter().any(|h| h.id == CONSORTIUM), "found by its note");
    }
    if version >= 4 {
        assert!(store.office_inputs(2024).unwrap().is_some());
        assert_eq!(store.submissions().unwrap().len(), 1);
        assert_eq!(store.signing_keys().unwrap().len(), 1);
    }
    if version >= 5 {
        let terms = store.spin_off_terms(SPIN_OFF).unwrap();
        assert_eq!(terms.terms.university_equity_bp, Some(1_500));
        assert_eq!(store.office_reference_sets().unwrap().len(), 1);
        assert_eq!(store.learning_progress().unwrap().len(), 1);
    }
    if version >= 7 {
        assert_eq!(
            store.attachment_content(ATTACHMENT).unwrap(),
            b"%PDF-1.4 signed licence"
        );
    }
}

#[test]
fn released_migrations_are_never_edited() {
    let names: Vec<&str> = MIGRATIONS.iter().map(|(n, _)| *n).collect();
    let released: Vec<&str> = RELEASED.iter().map(|(n, _)| *n).collect();
    assert!(
        names.starts_with(&released),
        "the migrations {released:?} were released and must stay, in this order"
    );
    for ((name, sql), (_, hash)) in MIGRATIONS.iter().zip(RELEASED) {
        let found = format!("{:x}", Sha256::digest(sql.as_bytes()));
        assert!(
            found.starts_with(hash),
            "migration {name} was edited after release (SHA-256 {found}); add a new migration instead"
        );
    }
}

#[test]
fn a_database_of_every_released_schema_opens_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.sqlite3");
    drop(Store::open(&fresh).unwrap());
    for version in 1..=LATEST_VERSION {
        let path = dir.path().join(format!("schema-{version}.sqlite3"));
        database_of_release(&path, version);
        let before = row_counts(&Connection::open(&path).unwrap());

        let mut store = Store::open(&path)
            .unwrap_or_else(|e| panic!("a database of schema {version} opens: {e}"));
        assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
        store.integrity_check().unwrap();
        let audit = store.verify_audit().unwrap();
        assert!(
            audit.intact(),
            "schema {version}: the history is chained, the schema is as new and every record matches its history: {audit:?}"
        );
        reads_back(&store, version);

        let after = row_counts(&Connection::open(&path).unwrap());
        for (table, n) in &before {
            assert_eq!(
                after.get(table),
                Some(n),
                "schema {version}: table {table} kept its rows"
            );
        }

        // The migrated office works on: a change is written, chained and found.
        let change = Change {
            actor: "Eva".into(),
            at: Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap(),
        };
        let mut values = Values::new();
        values.insert("description".into(), Value::Text("Annual fee NL".into()));
        values.insert("category".into(), Value::Text("patent".into()));
        values.insert("paidDate".into(), Value::Text("2026-11-01".into()));
        values.insert("amount".into(), Value::Int(42_000));
        let cost = store.create_record(&change, K::Cost, &values).unwrap();
        let audit = store.verify_audit().unwrap();
        assert!(audit.intact(), "schema {version}: {audit:?}");
        let page = store
            .list_records(
                K::Cost,
                &RecordQuery {
                    search: Some("annual".into()),
                    ..RecordQuery::default()
                },
            )
            .unwrap();
        assert!(page.rows.iter().any(|r| r.id == cost.id));
        drop(store);

        assert_eq!(
            schema_of(&path),
            schema_of(&fresh),
            "schema {version}: migrated to the same schema a new database has"
        );
    }
}
