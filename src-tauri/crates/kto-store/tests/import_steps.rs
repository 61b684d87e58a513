//! The import as the app steers it: columns matched on English and Dutch headers, a
//! preview that writes nothing, duplicates merged or skipped, progress and cancel, undo of
//! the last import, workbooks (XLSX) and files that cannot be read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{TimeZone, Utc};
use kto_core::activity::{Action, Change, RecordKind as K};
use kto_core::import::{
    DuplicateChoice, ImportChoice, ImportFormat, ImportRequest, IssueKind, MatchedBy,
};
use kto_core::record::{RecordQuery, StoredRecord, Value, Values};
use kto_core::validation::Problem;
use kto_store::{inspect_file, inspect_import, Error, Store, MAX_IMPORT_BYTES};

fn change() -> Change {
    Change {
        actor: "Test User".into(),
        at: Utc.with_ymd_and_hms(2026, 3, 7, 9, 30, 0).unwrap(),
    }
}

fn later() -> Change {
    Change {
        actor: "Other User".into(),
        at: Utc.with_ymd_and_hms(2026, 3, 8, 10, 0, 0).unwrap(),
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn vals(pairs: &[(&str, Value)]) -> Values {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), v.clone()))
        .collect()
}

fn all(store: &Store, kind: K) -> Vec<StoredRecord> {
    let mut rows = store
        .list_records(
            kind,
            &RecordQuery {
                limit: 500,
                ..Default::default()
            },
        )
        .unwrap()
        .rows;
    rows.sort_by(|a, b| a.title.cmp(&b.title));
    rows
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
) -> kto_core::import::ImportOutcome {
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

/// A messy office spreadsheet of costs: BOM, `;`, Dutch headers, amounts and dates.
const DUTCH_COSTS: &str = "\u{feff}Omschrijving;Categorie;Datum betaling;Bedrag (€);Kleur\r\n\
    Octrooigemachtigde;Patent;31-12-2025;1.234,56;rood\r\n\
    Vertaling;overig;1-2-2026;99,5;blauw\r\n\
    Advocaat;legal;32-01-2026;10;groen\r\n\
    ;legal;02-01-2026;tien euro;geel\r\n";

#[test]
fn dutch_and_english_headers_are_mapped_and_unknown_ones_ignored() {
    let source = inspect_import(K::Cost, DUTCH_COSTS.as_bytes(), None).unwrap();
    let targets: Vec<(&str, Option<&str>)> = source
        .columns
        .iter()
        .map(|c| (c.header.as_str(), c.target.as_deref()))
        .collect();
    assert_eq!(
        targets,
        vec![
            ("Omschrijving", Some("description")),
            ("Categorie", Some("category")),
            ("Datum betaling", Some("paidDate")),
            ("Bedrag (€)", Some("amount")),
            ("Kleur", None),
        ]
    );
    assert_eq!(source.rows, 4);
    assert_eq!(
        source.columns[0].samples,
        vec!["Octrooigemachtigde", "Vertaling", "Advocaat"]
    );

    let english = "ID,Description,Category,Date paid,Amount,Created at\n";
    let source = inspect_import(K::Cost, english.as_bytes(), None).unwrap();
    let targets: Vec<Option<&str>> = source.columns.iter().map(|c| c.target.as_deref()).collect();
    assert_eq!(
        targets,
        vec![
            Some("id"),
            Some("description"),
            Some("category"),
            Some("paidDate"),
            Some("amount"),
            None
        ]
    );
}

#[test]
fn the_preview_names_every_bad_row_and_cell_and_writes_nothing() {
    let store = Store::open_in_memory().unwrap();
    let bytes = DUTCH_COSTS.as_bytes();
    let preview = store
        .preview_import(&auto(K::Cost, bytes), bytes, change().at.date_naive())
        .unwrap();
    assert_eq!(
        (preview.rows, preview.create, preview.invalid_rows),
        (4, 2, 2)
    );
    assert!(!preview.blocked);
    let found: Vec<(u32, Option<&str>, &IssueKind)> = preview
        .problems
        .iter()
        .map(|p| (p.line, p.column.as_deref(), &p.issue))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                4,
                Some("Datum betaling"),
                &IssueKind::NotDate {
                    value: "32-01-2026".into()
                }
            ),
            (
                5,
                Some("Bedrag (€)"),
                &IssueKind::NotAmount {
                    value: "tien euro".into()
                }
            ),
        ]
    );
    assert!(all(&store, K::Cost).is_empty());

    // A row whose cells read but break a rule of the kind is named with its column.
    let file = "Omschrijving;Categorie;Datum betaling;Bedrag\n;legal;02-01-2026;10\n";
    let preview = store
        .preview_import(
            &auto(K::Cost, file.as_bytes()),
            file.as_bytes(),
            change().at.date_naive(),
        )
        .unwrap();
    assert_eq!(preview.problems.len(), 1);
    let p = &preview.problems[0];
    assert_eq!((p.line, p.column.as_deref()), (2, Some("Omschrijving")));
    assert_eq!(
        p.issue,
        IssueKind::Invalid {
            problem: Problem::Required
        }
    );
}

#[test]
fn the_user_can_correct_the_mapping_and_a_missing_required_column_is_reported_once() {
    let mut store = Store::open_in_memory().unwrap();
    let file = "Wat;Soort kosten;Wanneer;Hoeveel\n\
                Octrooi;patent;31-12-2025;12\n\
                Vertaling;other;01-01-2026;5\n";
    let auto_request = auto(K::Cost, file.as_bytes());
    assert_eq!(auto_request.mapping, vec![None, None, None, None]);
    let preview = store
        .preview_import(&auto_request, file.as_bytes(), change().at.date_naive())
        .unwrap();
    assert!(preview.blocked, "no column is mapped");

    // Only some columns mapped: the missing required fields are named once, at the header.
    let partial = ImportRequest {
        mapping: vec![
            Some("description".into()),
            None,
            None,
            Some("amount".into()),
        ],
        ..auto_request.clone()
    };
    let preview = store
        .preview_import(&partial, file.as_bytes(), change().at.date_naive())
        .unwrap();
    let missing: Vec<(u32, Option<&str>)> = preview
        .problems
        .iter()
        .map(|p| (p.line, p.field.as_deref()))
        .collect();
    assert_eq!(missing, vec![(1, Some("category")), (1, Some("paidDate"))]);
    assert_eq!((preview.create, preview.invalid_rows), (0, 2));

    // The same field twice is refused.
    let twice = ImportRequest {
        mapping: vec![
            Some("description".into()),
            Some("description".into()),
            None,
            None,
        ],
        ..auto_request.clone()
    };
    let preview = store
        .preview_import(&twice, file.as_bytes(), change().at.date_naive())
        .unwrap();
    assert!(preview.blocked);
    assert!(preview
        .problems
        .iter()
        .any(|p| p.issue == IssueKind::MappedTwice));

    let corrected = ImportRequest {
        mapping: ["description", "category", "paidDate", "amount"]
            .map(|k| Some(k.to_string()))
            .to_vec(),
        ..auto_request
    };
    let outcome = apply(&mut store, &corrected, file.as_bytes(), &[]);
    assert_eq!((outcome.created, outcome.invalid), (2, 0));
    let costs = all(&store, K::Cost);
    assert_eq!(costs[0].values.get("amount"), Some(&Value::Int(1200)));
    assert_eq!(costs[0].values.get("paidDate"), Some(&text("2025-12-31")));
}

fn organisation(store: &mut Store, name: &str, kvk: &str) -> String {
    store
        .create_record(
            &change(),
            K::Organisation,
            &vals(&[
                ("name", text(name)),
                ("kind", text("sme")),
                ("country", text("NL")),
                ("kvk", text(kvk)),
            ]),
        )
        .unwrap()
        .id
}

#[test]
fn duplicates_by_kvk_number_are_merged_or_skipped_as_chosen() {
    let mut store = Store::open_in_memory().unwrap();
    let acme = organisation(&mut store, "Acme BV", "12345678");
    let bolt = organisation(&mut store, "Bolt BV", "87654321");
    let file = "Naam;KvK-nummer;Soort;Land\n\
                Acme Holding BV;12345678;large_company;NL\n\
                Bolt;87654321;start_up;nl\n\
                Nieuw BV;11223344;SME;NL\n";
    let request = auto(K::Organisation, file.as_bytes());
    let preview = store
        .preview_import(&request, file.as_bytes(), change().at.date_naive())
        .unwrap();
    assert_eq!(preview.create, 1);
    let dups: Vec<(u32, &str, MatchedBy, &str)> = preview
        .duplicates
        .iter()
        .map(|d| (d.line, d.record_id.as_str(), d.matched_by, d.title.as_str()))
        .collect();
    assert_eq!(
        dups,
        vec![
            (2, acme.as_str(), MatchedBy::Kvk, "Acme BV"),
            (3, bolt.as_str(), MatchedBy::Kvk, "Bolt BV"),
        ]
    );
    assert_eq!(
        preview.duplicates[0].matched,
        vals(&[("kvk", text("12345678"))])
    );
    let outcome = apply(
        &mut store,
        &request,
        file.as_bytes(),
        &[
            ImportChoice {
                line: 2,
                choice: DuplicateChoice::Merge,
            },
            ImportChoice {
                line: 3,
                choice: DuplicateChoice::Skip,
            },
        ],
    );
    assert_eq!(
        (outcome.created, outcome.updated, outcome.skipped),
        (1, 1, 1)
    );
    let acme_now = store.record(K::Organisation, &acme).unwrap();
    assert_eq!(acme_now.title, "Acme Holding BV");
    assert_eq!(acme_now.values.get("kind"), Some(&text("large_company")));
    let bolt_now = store.record(K::Organisation, &bolt).unwrap();
    assert_eq!(bolt_now.title, "Bolt BV", "skipped");
    assert_eq!(all(&store, K::Organisation).len(), 3);
    // The merge is in the history, field by field.
    let history = store.history(&acme).unwrap();
    assert!(history
        .iter()
        .any(|a| a.field.as_deref() == Some("name")
            && a.new_value.as_deref() == Some("Acme Holding BV")));
}

#[test]
fn people_match_on_e_mail_link_to_organisations_by_name_and_keep_unmapped_fields() {
    let mut store = Store::open_in_memory().unwrap();
    let acme = organisation(&mut store, "Acme BV", "12345678");
    let anna = store
        .create_record(
            &change(),
            K::Person,
            &vals(&[
                ("name", text("Anna de Vries")),
                ("email", text("anna@example.org")),
                ("faculty", text("Physics")),
            ]),
        )
        .unwrap()
        .id;
    let file = "Naam,E-mailadres,Organisatie\n\
                Anna de Vries-Jansen,ANNA@example.org ,acme bv\n\
                Bram Bos,bram@example.org,Acme BV\n\
                Cees,cees@example.org,Onbekend BV\n\
                Bram B.,bram@example.org,\n";
    let request = auto(K::Person, file.as_bytes());
    let preview = store
        .preview_import(&request, file.as_bytes(), change().at.date_naive())
        .unwrap();
    assert_eq!(preview.duplicates.len(), 1);
    assert_eq!(preview.duplicates[0].matched_by, MatchedBy::Email);
    assert_eq!(preview.duplicates[0].record_id, anna);
    let issues: Vec<(u32, &IssueKind)> = preview
        .problems
        .iter()
        .map(|p| (p.line, &p.issue))
        .collect();
    assert_eq!(
        issues,
        vec![
            (
                4,
                &IssueKind::NoSuchRecord {
                    value: "Onbekend BV".into()
                }
            ),
            (5, &IssueKind::RepeatedInFile { other_line: 3 }),
        ]
    );
    let outcome = apply(
        &mut store,
        &request,
        file.as_bytes(),
        &[ImportChoice {
            line: 2,
            choice: DuplicateChoice::Merge,
        }],
    );
    assert_eq!(
        (outcome.created, outcome.updated, outcome.invalid),
        (1, 1, 2)
    );
    let anna_now = store.record(K::Person, &anna).unwrap();
    assert_eq!(anna_now.title, "Anna de Vries-Jansen");
    assert_eq!(
        anna_now.values.get("faculty"),
        Some(&text("Physics")),
        "not in the file: kept"
    );
    assert_eq!(anna_now.values.get("organisationId"), Some(&text(&acme)));
}

#[test]
fn a_cancelled_import_changes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let mut file = String::from("description;category;paidDate;amount\n");
    for n in 0..120 {
        file.push_str(&format!("Fee {n};legal;01-02-2026;{n},50\n"));
    }
    let request = auto(K::Cost, file.as_bytes());
    let cancel = AtomicBool::new(false);
    let mut seen = Vec::new();
    let outcome = store
        .apply_import(
            &change(),
            "fees.csv",
            &request,
            file.as_bytes(),
            &[],
            &mut |p| {
                seen.push((p.done, p.total));
                if p.done >= 50 {
                    cancel.store(true, Ordering::SeqCst);
                }
            },
            &cancel,
        )
        .unwrap();
    assert!(outcome.cancelled);
    assert_eq!((outcome.created, outcome.batch_id), (0, None));
    assert_eq!(seen, vec![(0, 120), (25, 120), (50, 120)]);
    assert!(all(&store, K::Cost).is_empty());
    assert!(store.last_import().unwrap().is_none());

    // Not cancelled, the same file imports whole and reports its progress to the end.
    let mut last = None;
    let outcome = store
        .apply_import(
            &change(),
            "fees.csv",
            &request,
            file.as_bytes(),
            &[],
            &mut |p| last = Some((p.done, p.total)),
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(outcome.created, 120);
    assert_eq!(last, Some((120, 120)));
}

#[test]
fn undo_deletes_what_the_import_created_and_restores_what_it_changed() {
    let mut store = Store::open_in_memory().unwrap();
    let acme = organisation(&mut store, "Acme BV", "12345678");
    let file = "name,kvk,kind,country\n\
                Acme Holding BV,12345678,large_company,NL\n\
                Nieuw BV,11223344,sme,NL\n";
    let request = auto(K::Organisation, file.as_bytes());
    let outcome = apply(
        &mut store,
        &request,
        file.as_bytes(),
        &[ImportChoice {
            line: 2,
            choice: DuplicateChoice::Merge,
        }],
    );
    let batch = store.last_import().unwrap().expect("remembered");
    assert_eq!(Some(&batch.id), outcome.batch_id.as_ref());
    assert_eq!(
        (batch.kind, batch.created, batch.updated),
        (K::Organisation, 1, 1)
    );
    assert_eq!(batch.file_name, "file.csv");
    let nieuw = all(&store, K::Organisation)
        .into_iter()
        .find(|o| o.title == "Nieuw BV")
        .unwrap()
        .id;

    let undone = store.undo_last_import(&later()).unwrap();
    assert_eq!((undone.deleted, undone.restored), (1, 1));
    let acme_now = store.record(K::Organisation, &acme).unwrap();
    assert_eq!(acme_now.title, "Acme BV");
    assert_eq!(acme_now.values.get("kind"), Some(&text("sme")));
    assert_eq!(all(&store, K::Organisation).len(), 1);
    // Both the restore and the delete are in the history, by the user who undid.
    let restored = store.history(&acme).unwrap();
    assert!(restored.iter().any(|a| a.actor == "Other User"
        && a.field.as_deref() == Some("name")
        && a.new_value.as_deref() == Some("Acme BV")));
    let deleted = store.history(&nieuw).unwrap();
    assert_eq!(deleted[0].action, Action::Deleted);
    assert!(store.last_import().unwrap().is_none());
    assert!(matches!(
        store.undo_last_import(&later()),
        Err(Error::Conflict(_))
    ));
}

#[test]
fn undo_is_refused_when_a_record_was_changed_after_the_import() {
    let mut store = Store::open_in_memory().unwrap();
    let file = "name,kvk,kind,country\nNieuw BV,11223344,sme,NL\nAnder BV,,sme,BE\n";
    apply(
        &mut store,
        &auto(K::Organisation, file.as_bytes()),
        file.as_bytes(),
        &[],
    );
    let nieuw = all(&store, K::Organisation)
        .into_iter()
        .find(|o| o.title == "Nieuw BV")
        .unwrap();
    let mut edited = nieuw.values.clone();
    edited.insert("country".into(), text("DE"));
    store
        .update_record(&later(), K::Organisation, &nieuw.id, &edited)
        .unwrap();
    let err = store.undo_last_import(&later()).unwrap_err();
    let Error::Conflict(message) = &err else {
        panic!("{err}")
    };
    assert!(
        message.contains("'Nieuw BV' was changed after the import"),
        "{message}"
    );
    assert!(message.contains("Nothing was changed"), "{message}");
    assert_eq!(all(&store, K::Organisation).len(), 2);
    assert!(store.last_import().unwrap().is_some());
}

/// A small workbook as offices keep them: Dutch headers, a date cell, a date typed as
/// text, a serial date in a plain number cell, numbers as numbers; a second sheet.
fn workbook() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd-mm-yyyy");
    let ws = wb.add_worksheet();
    ws.set_name("Kosten").unwrap();
    for (c, h) in ["Omschrijving", "Categorie", "Betaald", "Bedrag"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "Octrooigemachtigde").unwrap();
    ws.write_string(1, 1, "patent").unwrap();
    ws.write_datetime_with_format(1, 2, ExcelDateTime::from_ymd(2025, 12, 31).unwrap(), &date)
        .unwrap();
    ws.write_number(1, 3, 1234.56).unwrap();
    ws.write_string(2, 0, "Vertaling").unwrap();
    ws.write_string(2, 1, "Other").unwrap();
    ws.write_string(2, 2, "1-2-2026").unwrap();
    ws.write_string(2, 3, "99,50").unwrap();
    ws.write_string(3, 0, "Advocaat").unwrap();
    ws.write_string(3, 1, "legal").unwrap();
    // 46053 is 2026-01-31 as a serial day number.
    ws.write_number(3, 2, 46053.0).unwrap();
    ws.write_number(3, 3, 0.1 + 0.2).unwrap();
    ws.write_string(4, 0, "Kapot").unwrap();
    ws.write_string(4, 1, "legal").unwrap();
    ws.write_string(4, 2, "gisteren").unwrap();
    ws.write_number(4, 3, 5.0).unwrap();
    let second = wb.add_worksheet();
    second.set_name("Organisaties").unwrap();
    for (c, h) in ["Naam", "KvK", "Soort", "Land"].iter().enumerate() {
        second.write_string(0, c as u16, *h).unwrap();
    }
    second.write_string(1, 0, "Nul BV").unwrap();
    // A KvK number typed as a number loses its leading zero.
    second.write_number(1, 1, 1234567.0).unwrap();
    second.write_string(1, 2, "sme").unwrap();
    second.write_string(1, 3, "NL").unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn an_xlsx_workbook_imports_with_its_dates_and_numbers() {
    let bytes = workbook();
    let file = inspect_file("kosten.xlsx", &bytes).unwrap();
    assert_eq!(file.format, ImportFormat::Workbook);
    assert_eq!(file.sheets, vec!["Kosten", "Organisaties"]);

    let mut store = Store::open_in_memory().unwrap();
    let request = auto(K::Cost, &bytes);
    assert_eq!(request.sheet.as_deref(), Some("Kosten"));
    let preview = store
        .preview_import(&request, &bytes, change().at.date_naive())
        .unwrap();
    assert_eq!(preview.create, 3);
    assert_eq!(preview.problems.len(), 1);
    let p = &preview.problems[0];
    assert_eq!((p.line, p.column.as_deref()), (5, Some("Betaald")));
    assert_eq!(
        p.issue,
        IssueKind::NotDate {
            value: "gisteren".into()
        }
    );

    apply(&mut store, &request, &bytes, &[]);
    let got: Vec<(String, Option<Value>, Option<Value>)> = all(&store, K::Cost)
        .into_iter()
        .map(|r| {
            (
                r.title,
                r.values.get("paidDate").cloned(),
                r.values.get("amount").cloned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "Advocaat".into(),
                Some(text("2026-01-31")),
                Some(Value::Int(30))
            ),
            (
                "Octrooigemachtigde".into(),
                Some(text("2025-12-31")),
                Some(Value::Int(123_456))
            ),
            (
                "Vertaling".into(),
                Some(text("2026-02-01")),
                Some(Value::Int(9_950))
            ),
        ]
    );

    // Another sheet of the same workbook, chosen by name.
    let source = inspect_import(K::Organisation, &bytes, Some("Organisaties")).unwrap();
    let request = ImportRequest {
        kind: K::Organisation,
        sheet: source.sheet,
        mapping: source.columns.into_iter().map(|c| c.target).collect(),
    };
    apply(&mut store, &request, &bytes, &[]);
    let org = &all(&store, K::Organisation)[0];
    assert_eq!(org.values.get("kvk"), Some(&text("01234567")));
    assert!(inspect_import(K::Cost, &bytes, Some("Blad9")).is_err());
}

#[test]
fn the_cli_path_imports_a_workbook_all_or_nothing() {
    let bytes = workbook();
    let mut store = Store::open_in_memory().unwrap();
    let err = store.import_csv(&change(), K::Cost, &bytes).unwrap_err();
    assert!(
        err.to_string()
            .contains("line 5, column Betaald: 'gisteren' is not a date"),
        "{err}"
    );
    assert!(all(&store, K::Cost).is_empty());
}

#[test]
fn a_malformed_or_huge_file_gets_a_clear_message_and_changes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let mut truncated = workbook();
    truncated.truncate(truncated.len() / 2);
    let huge = vec![b'a'; MAX_IMPORT_BYTES + 1];
    let cases: [(&str, &[u8], &str); 4] = [
        ("kosten.xlsx", &truncated, "could not be read as a workbook"),
        (
            "kosten.xlsx",
            b"description,amount\nx,1\n",
            "is not a workbook",
        ),
        ("kosten.csv", &huge, "larger than 50 MB"),
        ("leeg.csv", b"\n\n", "the file is empty"),
    ];
    for (name, bytes, expected) in cases {
        let err = inspect_file(name, bytes).unwrap_err();
        let message = err.to_string();
        assert!(message.contains(expected), "{name}: {message}");
        assert!(message.contains("nothing was changed"), "{name}: {message}");
    }
    for bytes in [&truncated[..], &huge[..]] {
        assert!(matches!(
            store.import_csv(&change(), K::Cost, bytes),
            Err(Error::Import(_))
        ));
        let request = ImportRequest {
            kind: K::Cost,
            sheet: None,
            mapping: vec![Some("description".into())],
        };
        assert!(store
            .apply_import(
                &change(),
                "x",
                &request,
                bytes,
                &[],
                &mut |_| {},
                &AtomicBool::new(false)
            )
            .is_err());
    }
    assert!(all(&store, K::Cost).is_empty());
    assert!(store.last_import().unwrap().is_none());
}

#[test]
fn utf16_text_as_spreadsheets_save_unicode_text_imports() {
    let mut store = Store::open_in_memory().unwrap();
    let text_file =
        "Omschrijving\tCategorie\tBetaald\tBedrag\r\nCafé € fee\tlegal\t02-01-2026\t€ 10\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text_file.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let summary = store.import_csv(&change(), K::Cost, &bytes).unwrap();
    assert_eq!(summary.created, 1);
    let cost = &all(&store, K::Cost)[0];
    assert_eq!(cost.title, "Café € fee");
    assert_eq!(cost.values.get("amount"), Some(&Value::Int(1000)));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// A workbook damaged anywhere is read or refused with a message, never a crash, and a
    /// preview of it writes nothing.
    #[test]
    fn a_damaged_workbook_is_refused_or_read_never_a_crash(
        flips in proptest::collection::vec((0usize..100_000, proptest::prelude::any::<u8>()), 1..8),
        cut in 0usize..100_000,
    ) {
        let mut bytes = workbook();
        for (at, byte) in flips {
            let n = at % bytes.len();
            bytes[n] = byte;
        }
        bytes.truncate(bytes.len() - cut % (bytes.len() / 4));
        let store = Store::open_in_memory().unwrap();
        match inspect_import(K::Cost, &bytes, None) {
            Ok(source) => {
                let request = ImportRequest {
                    kind: K::Cost,
                    sheet: source.sheet,
                    mapping: source.columns.into_iter().map(|c| c.target).collect(),
                };
                let preview = store.preview_import(&request, &bytes, change().at.date_naive());
                proptest::prop_assert!(matches!(preview, Ok(_) | Err(Error::Import(_))));
            }
            Err(e) => proptest::prop_assert!(matches!(e, Error::Import(_)), "{e}"),
        }
        proptest::prop_assert!(all(&store, K::Cost).is_empty());
    }
}
