//! The import of disclosures (with their inventors in one cell, matched to people by name)
//! and deals (stage by code or name, organisation by name) through the same steps as the
//! generic kinds: preview, duplicates by reference or by title and pipeline, one
//! transaction, undo.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::AtomicBool;

use chrono::{NaiveDate, TimeZone, Utc};
use kto_core::activity::{Change, RecordKind as K};
use kto_core::disclosure::{
    Decision, DisclosureInput, DisclosureQuery, DisclosureStage, InventorInput,
};
use kto_core::import::{
    DuplicateChoice, ImportChoice, ImportOutcome, ImportRequest, IssueKind, MatchedBy,
};
use kto_core::pipeline::Pipeline;
use kto_core::record::{RecordQuery, Value, Values};
use kto_store::{inspect_import, Error, Store};

fn change() -> Change {
    Change {
        actor: "Test User".into(),
        at: Utc.with_ymd_and_hms(2026, 3, 7, 9, 30, 0).unwrap(),
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 7).unwrap()
}

/// The request with the automatic mapping of `bytes`.
fn auto(kind: K, bytes: &[u8]) -> ImportRequest {
    let source = inspect_import(kind, bytes, None).unwrap();
    ImportRequest {
        kind,
        sheet: source.sheet,
        mapping: source.columns.into_iter().map(|c| c.target).collect(),
    }
}

fn apply(
    store: &mut Store,
    request: &ImportRequest,
    bytes: &[u8],
    choices: &[ImportChoice],
) -> ImportOutcome {
    store
        .apply_import(
            &change(),
            "file.csv",
            request,
            bytes,
            choices,
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap()
}

/// A stored disclosure by Anouk de Vries alone, reference D-2025-0007.
fn existing_disclosure(store: &mut Store) {
    let input = DisclosureInput {
        reference: "D-2025-0007".into(),
        title: "Zelfherstellend beton".into(),
        received_on: NaiveDate::from_ymd_opt(2025, 5, 1),
        faculty: "Civiele Techniek".into(),
        trl: Some(3),
        stage: DisclosureStage::Received,
        decision: None,
        decided_on: None,
        summary: String::new(),
        inventors: vec![InventorInput {
            person_id: None,
            name: "Anouk de Vries".into(),
            organisation_id: None,
            share_bp: 10_000,
        }],
    };
    let valid = kto_core::disclosure::validate(&input, today()).unwrap();
    store.create_disclosure(&change(), &valid).unwrap();
}

fn people(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = store
        .list_records(
            K::Person,
            &RecordQuery {
                limit: 500,
                ..Default::default()
            },
        )
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.title)
        .collect();
    names.sort();
    names
}

fn disclosures(store: &Store) -> Vec<kto_core::disclosure::DisclosureRow> {
    let mut rows = store
        .list_disclosures(&DisclosureQuery {
            limit: 500,
            ..Default::default()
        })
        .unwrap()
        .rows;
    rows.sort_by(|a, b| a.reference.cmp(&b.reference));
    rows
}

/// Dutch headers, `;`, Dutch dates, inventors with shares; one row repeats the stored
/// disclosure by reference, one has shares that do not add up, one a broken inventors cell.
const DISCLOSURES: &str = "\u{feff}Kenmerk;Titel;Datum melding;Faculteit;TRL;Fase;Besluit;Datum besluit;Samenvatting;Uitvinders\r\n\
    D-2026-0101;Zuurstofsensor voor bioreactoren;15-01-2026;Scheikunde;4;In beoordeling;;;Een optische sensor.;\"Anouk de Vries (60 %); Bram Jansen (40 %)\"\r\n\
    D-2026-0102;Algoritme voor netplanning;02-02-2026;Wiskunde;;Besloten;Beschermen;20-02-2026;;Bram Jansen\r\n\
    D-2025-0007;Zelfherstellend beton (herzien);01-05-2025;Civiele Techniek;5;;;;;Anouk de Vries (100 %)\r\n\
    D-2026-0103;Halve aandelen;03-02-2026;Wiskunde;;;;;;\"Chen Wei (50 %); Bram Jansen (40 %)\"\r\n\
    D-2026-0104;Kapotte cel;03-02-2026;Wiskunde;;;;;;Chen Wei (zestig)\r\n";

#[test]
fn disclosures_import_with_inventors_matched_by_name_and_missing_people_created() {
    let mut store = Store::open_in_memory().unwrap();
    existing_disclosure(&mut store);
    assert_eq!(people(&store), ["Anouk de Vries"]);
    let bytes = DISCLOSURES.as_bytes();
    let request = auto(K::Disclosure, bytes);
    assert!(request.mapping.iter().all(Option::is_some), "{request:?}");

    let preview = store.preview_import(&request, bytes, today()).unwrap();
    assert_eq!(preview.rows, 5);
    assert_eq!(preview.create, 2);
    assert_eq!(preview.invalid_rows, 2);
    assert_eq!(preview.duplicates.len(), 1);
    let dup = &preview.duplicates[0];
    assert_eq!(
        (dup.line, dup.matched_by, dup.title.as_str()),
        (4, MatchedBy::Key, "Zelfherstellend beton")
    );
    let at = |line: u32| {
        preview
            .problems
            .iter()
            .find(|p| p.line == line)
            .unwrap_or_else(|| panic!("a problem on line {line}: {:?}", preview.problems))
    };
    assert_eq!(at(5).column.as_deref(), Some("Uitvinders"));
    assert!(
        matches!(at(5).issue, IssueKind::Invalid { .. }),
        "{:?}",
        at(5)
    );
    assert_eq!(
        at(6).issue,
        IssueKind::NotInventors {
            value: "Chen Wei (zestig)".into()
        }
    );
    // The preview writes nothing.
    assert_eq!(people(&store), ["Anouk de Vries"]);

    let outcome = apply(
        &mut store,
        &request,
        bytes,
        &[ImportChoice {
            line: 4,
            choice: DuplicateChoice::Merge,
        }],
    );
    assert_eq!(
        (outcome.created, outcome.updated, outcome.invalid),
        (2, 1, 2)
    );
    // Bram Jansen was created once, though two rows name him; Chen Wei never.
    assert_eq!(people(&store), ["Anouk de Vries", "Bram Jansen"]);
    let rows = disclosures(&store);
    let refs: Vec<&str> = rows.iter().map(|r| r.reference.as_str()).collect();
    assert_eq!(refs, ["D-2025-0007", "D-2026-0101", "D-2026-0102"]);
    let sensor = store.disclosure(rows[1].id).unwrap();
    assert_eq!(sensor.stage, DisclosureStage::InAssessment);
    assert_eq!(sensor.trl, Some(4));
    assert_eq!(sensor.faculty, "Scheikunde");
    let shares: Vec<(&str, u32)> = sensor
        .inventors
        .iter()
        .map(|i| (i.name.as_str(), i.share_bp))
        .collect();
    assert_eq!(shares, [("Anouk de Vries", 6_000), ("Bram Jansen", 4_000)]);
    let anouk = store.disclosure(rows[0].id).unwrap().inventors[0].person_id;
    assert_eq!(sensor.inventors[0].person_id, anouk, "matched, not created");
    let grid = store.disclosure(rows[2].id).unwrap();
    assert_eq!(grid.stage, DisclosureStage::Decided);
    assert_eq!(grid.decision, Some(Decision::Protect));
    assert_eq!(grid.decided_on, NaiveDate::from_ymd_opt(2026, 2, 20));
    assert_eq!(grid.inventors[0].share_bp, 10_000);
    let merged = store.disclosure(rows[0].id).unwrap();
    assert_eq!(merged.title, "Zelfherstellend beton (herzien)");
    assert_eq!(merged.trl, Some(5));
    // Found by the search as any disclosure is.
    let found = store
        .list_disclosures(&DisclosureQuery {
            search: Some("zuurstof".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.rows.len(), 1);

    // Undo deletes the two new disclosures and restores the merged one.
    let undone = store.undo_last_import(&change()).unwrap();
    assert_eq!((undone.deleted, undone.restored), (2, 1));
    let rows = disclosures(&store);
    assert_eq!(rows.len(), 1);
    let back = store.disclosure(rows[0].id).unwrap();
    assert_eq!(back.title, "Zelfherstellend beton");
    assert_eq!(back.trl, Some(3));
    assert_eq!(back.inventors.len(), 1);
}

#[test]
fn a_disclosure_file_without_inventors_or_dates_is_refused_by_the_cli_path() {
    let mut store = Store::open_in_memory().unwrap();
    let bytes = "reference,title,receivedOn\nD-1,Zonder uitvinders,2026-01-01\n".as_bytes();
    let err = store
        .import_csv(&change(), K::Disclosure, bytes)
        .unwrap_err();
    let Error::Import(problems) = err else {
        panic!("{err}")
    };
    assert!(
        problems.0.iter().any(|p| p.message.contains("no column")),
        "{problems}"
    );
    assert!(disclosures(&store).is_empty());

    // The canonical headers and one inventor import on the CLI path.
    let bytes =
        "reference,title,receivedOn,inventors\nD-1,Met uitvinder,2026-01-01,Chen Wei\n".as_bytes();
    let summary = store.import_csv(&change(), K::Disclosure, bytes).unwrap();
    assert_eq!((summary.created, summary.updated), (1, 0));
    assert_eq!(people(&store), ["Chen Wei"]);
}

fn organisation(store: &mut Store, name: &str) -> String {
    let values: Values = [
        ("name", Value::Text(name.into())),
        ("kind", Value::Text("sme".into())),
        ("country", Value::Text("NL".into())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    store
        .create_record(&change(), K::Organisation, &values)
        .unwrap()
        .id
}

#[test]
fn deals_import_with_stages_by_code_or_name_and_organisations_by_name() {
    let mut store = Store::open_in_memory().unwrap();
    let acme = organisation(&mut store, "Acme BV");
    let bytes = "Trechter;Titel;Fase;Organisatie;Waarde;Verantwoordelijke;Volgende actie;Deadline\r\n\
        licensing;Sensorlicentie Acme;Onderhandeling;Acme BV;25.000,00;Mila;Concept sturen;01-04-2026\r\n\
        Licenties;Knowhow-licentie;term_sheet;;1.500,50;;;\r\n\
        spin_offs;Start-up Beton;Businesscase;;;;;\r\n\
        licensing;Onbekende fase;Gevierd;;;;;\r\n\
        licensing;Verloren deal;Verloren;;;;;\r\n\
        pps;Consortium Water;Idee;Onbekend BV;;;;\r\n"
        .as_bytes();
    let request = auto(K::Deal, bytes);
    assert!(request.mapping.iter().all(Option::is_some), "{request:?}");
    let preview = store.preview_import(&request, bytes, today()).unwrap();
    assert_eq!((preview.create, preview.invalid_rows), (3, 3));
    let issue = |line: u32| {
        preview
            .problems
            .iter()
            .find(|p| p.line == line)
            .map(|p| p.issue.clone())
    };
    assert_eq!(
        issue(5),
        Some(IssueKind::NotStage {
            value: "Gevierd".into()
        })
    );
    // A lost stage needs the reason, which a spreadsheet row does not carry.
    assert!(
        matches!(issue(6), Some(IssueKind::Invalid { .. })),
        "{:?}",
        issue(6)
    );
    assert_eq!(
        issue(7),
        Some(IssueKind::NoSuchRecord {
            value: "Onbekend BV".into()
        })
    );

    let outcome = apply(&mut store, &request, bytes, &[]);
    assert_eq!((outcome.created, outcome.invalid), (3, 3));
    let licensing = store
        .list_deals(
            Pipeline::Licensing,
            &RecordQuery {
                limit: 100,
                ..Default::default()
            },
        )
        .unwrap()
        .rows;
    assert_eq!(licensing.len(), 2);
    let board = store.board(Pipeline::Licensing).unwrap();
    let in_stage = |code: &str| -> Vec<String> {
        board
            .columns
            .iter()
            .find(|c| c.stage.code.as_deref() == Some(code))
            .unwrap()
            .cards
            .iter()
            .map(|c| c.title.clone())
            .collect()
    };
    assert_eq!(in_stage("negotiation"), ["Sensorlicentie Acme"]);
    assert_eq!(in_stage("term_sheet"), ["Knowhow-licentie"]);
    let sensor = board
        .columns
        .iter()
        .flat_map(|c| c.cards.iter())
        .find(|c| c.title == "Sensorlicentie Acme")
        .unwrap();
    let deal = store.deal(sensor.id).unwrap();
    assert_eq!(deal.organisation_id.map(|o| o.to_string()), Some(acme));
    assert_eq!(deal.value.map(|v| v.cents()), Some(2_500_000));
    assert_eq!(deal.next_action_due, NaiveDate::from_ymd_opt(2026, 4, 1));
    assert_eq!(deal.owner, "Mila");

    // The same deal again (title and pipeline) with a new value and the office's own
    // name for a renamed stage: merged when chosen.
    let stage = board
        .columns
        .iter()
        .find(|c| c.stage.code.as_deref() == Some("signed"))
        .unwrap()
        .stage
        .id
        .clone();
    store.rename_stage(&stage, "Contract getekend").unwrap();
    let again =
        "pipeline,title,stage,value\nlicensing,sensorlicentie acme,Contract getekend,30000\n"
            .as_bytes();
    let request = auto(K::Deal, again);
    let preview = store.preview_import(&request, again, today()).unwrap();
    assert_eq!(preview.duplicates.len(), 1);
    assert_eq!(preview.duplicates[0].record_id, sensor.id.to_string());
    let outcome = apply(
        &mut store,
        &request,
        again,
        &[ImportChoice {
            line: 2,
            choice: DuplicateChoice::Merge,
        }],
    );
    assert_eq!(outcome.updated, 1);
    let deal = store.deal(sensor.id).unwrap();
    assert_eq!(deal.stage_id, stage);
    assert_eq!(deal.value.map(|v| v.cents()), Some(3_000_000));
    assert_eq!(deal.owner, "Mila", "a column not in the file is kept");

    // Undo puts the deal back in negotiation with its old value.
    let undone = store.undo_last_import(&change()).unwrap();
    assert_eq!(undone.restored, 1);
    let deal = store.deal(sensor.id).unwrap();
    assert_eq!(deal.value.map(|v| v.cents()), Some(2_500_000));
    assert_ne!(deal.stage_id, stage);
    // And the first import's three deals go with the next undo.
    let undone = store.undo_last_import(&change()).unwrap();
    assert_eq!(undone.deleted, 3);
    assert!(store.deal(sensor.id).is_err());
}

#[test]
fn an_inventor_whose_name_starts_with_an_accented_letter_is_one_person() {
    let mut store = Store::open_in_memory().unwrap();
    let bytes = "reference,title,receivedOn,inventors\r\n\
        D-2026-0201,Eerste,2026-02-03,Hidde Ëvers\r\n\
        D-2026-0202,Tweede,2026-02-04,\"Hidde Ëvers (50 %); Çelik Mehmet (50 %)\"\r\n"
        .as_bytes();
    store.import_csv(&change(), K::Disclosure, bytes).unwrap();
    assert_eq!(people(&store), ["Hidde Ëvers", "Çelik Mehmet"]);
    // Again, with the plain letters in other case: the same person, none is added.
    store
        .import_csv(
            &change(),
            K::Disclosure,
            "reference,title,receivedOn,inventors\r\nD-2026-0203,Derde,2026-02-05,HIDDE Ëvers\r\n"
                .as_bytes(),
        )
        .unwrap();
    assert_eq!(people(&store), ["Hidde Ëvers", "Çelik Mehmet"]);
}
