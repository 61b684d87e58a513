//! The coordinator's side: key registry rules, the inbox check with a reason for every
//! refused file, and national totals that never count "not available" as 0.

use std::path::Path;

use chrono::{TimeZone, Utc};
use kto_report::national::{
    aggregate, check_inbox, known_definitions, sign_aggregate, to_csv, to_xlsx, verify_aggregate,
    write_outputs, FileStatus, NationalError, RefusalKind, Registry,
};
use kto_report::pdf::{render_national_report, NationalReportInput};
use kto_report::Locale;
use kto_report::{
    sha256_hex, sign_detached, sign_submission, write_signed, GeneratedKey, Submission,
};

use crate::fixtures::{self, date};

fn new_key() -> GeneratedKey {
    kto_report::generate(fixtures::PASSPHRASE).unwrap()
}

fn today() -> chrono::NaiveDate {
    date(2026, 3, 1)
}

/// The fixture submission for another institution, year and set of values.
fn submission(institution: &str, year: i32, scale: i64) -> Submission {
    let mut s = fixtures::submission();
    s.definition_version = "2026.1".into();
    s.institution.id = institution.into();
    s.institution.name = format!("University {institution}");
    s.year = year;
    s.period.start = date(year, 1, 1);
    s.period.end = date(year, 12, 31);
    for f in &mut s.figures {
        if let Some(v) = f.value.as_mut() {
            *v *= scale;
        }
        for b in &mut f.breakdowns {
            b.value *= scale;
        }
    }
    s
}

fn send(inbox: &Path, name: &str, sub: &Submission, key: &GeneratedKey) -> String {
    let signed = sign_submission(sub, &key.signing_key).unwrap();
    write_signed(&inbox.join(name), &signed).unwrap();
    signed.sha256
}

fn status<'a>(report: &'a kto_report::national::InboxReport, file: &str) -> &'a FileStatus {
    &report
        .files
        .iter()
        .find(|f| f.file == file)
        .unwrap_or_else(|| panic!("{file} is not in the report"))
        .status
}

fn refusal(report: &kto_report::national::InboxReport, file: &str) -> (RefusalKind, String) {
    match status(report, file) {
        FileStatus::Refused(r) => (r.kind, r.message.clone()),
        other => panic!("{file} was not refused: {other:?}"),
    }
}

#[test]
fn a_key_is_registered_once_and_for_one_institution_only() {
    let key = new_key();
    let mut registry = Registry::new();
    registry
        .register(&key.public_text, "tue", "TU Eindhoven", today())
        .unwrap();

    let twice = registry
        .register(&key.public_text, "tue", "TU Eindhoven", today())
        .unwrap_err();
    assert!(matches!(twice, NationalError::KeyAlreadyRegistered { .. }));
    assert!(
        twice.to_string().contains("already registered for tue"),
        "{twice}"
    );

    let other = registry
        .register(&key.public_text, "uu", "Universiteit Utrecht", today())
        .unwrap_err();
    assert!(matches!(other, NationalError::KeyAlreadyRegistered { .. }));
    assert!(other.to_string().contains("one institution"), "{other}");

    let second = registry
        .register(&new_key().public_text, "tue", "TU Eindhoven", today())
        .unwrap_err();
    assert!(matches!(second, NationalError::InstitutionHasKey { .. }));
    assert!(second.to_string().contains("rotate"), "{second}");
    assert_eq!(registry.keys.len(), 1);
}

#[test]
fn a_rotated_key_stays_valid_for_the_years_it_signed_and_the_registry_survives_a_reload() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("national-keys.json");
    let (old, new) = (new_key(), new_key());
    let mut registry = Registry::new();
    registry
        .register(&old.public_text, "tue", "TU Eindhoven", today())
        .unwrap();
    registry
        .rotate("tue", &new.public_text, 2024, today())
        .unwrap();
    registry.save(&path).unwrap();
    let registry = Registry::load(&path).unwrap();

    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    send(&inbox, "tue-2024.json", &submission("tue", 2024, 1), &old);
    send(
        &inbox,
        "tue-2025-old-key.json",
        &submission("tue", 2025, 1),
        &old,
    );
    send(&inbox, "tue-2025.json", &submission("tue", 2025, 2), &new);
    // The schema an office's export writes beside its file is not a submission.
    std::fs::write(
        inbox.join("tue-2025.schema.json"),
        kto_report::SUBMISSION_SCHEMA,
    )
    .unwrap();
    let report = check_inbox(&inbox, &registry, &known_definitions().unwrap()).unwrap();

    assert_eq!(report.files.len(), 3, "{:?}", report.files);
    assert_eq!(status(&report, "tue-2024.json"), &FileStatus::Accepted);
    assert_eq!(status(&report, "tue-2025.json"), &FileStatus::Accepted);
    let (kind, message) = refusal(&report, "tue-2025-old-key.json");
    assert_eq!(kind, RefusalKind::KeyRetired);
    assert!(message.contains("retired after 2024"), "{message}");
}

#[test]
fn a_damaged_registry_file_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("national-keys.json");
    std::fs::write(&path, "{\"format\": 1, \"keys\": [").unwrap();
    let err = Registry::load(&path).unwrap_err();
    assert!(matches!(err, NationalError::BadRegistry { .. }));
    assert!(err.to_string().contains("national-keys.json"), "{err}");
}

struct Inbox {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    registry: Registry,
}

/// Three registered offices (tue, uu, lumc), one unregistered key.
fn inbox_with_offices() -> (Inbox, Vec<GeneratedKey>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inbox");
    std::fs::create_dir(&path).unwrap();
    let keys: Vec<GeneratedKey> = (0..4).map(|_| new_key()).collect();
    let mut registry = Registry::new();
    for (key, id) in keys.iter().zip(["tue", "uu", "lumc"]) {
        registry
            .register(&key.public_text, id, &format!("University {id}"), today())
            .unwrap();
    }
    (
        Inbox {
            _dir: dir,
            path,
            registry,
        },
        keys,
    )
}

#[test]
fn every_refused_file_has_its_reason_and_is_not_counted() {
    let (inbox, keys) = inbox_with_offices();
    let p = &inbox.path;
    send(p, "tue.json", &submission("tue", 2025, 1), &keys[0]);
    send(p, "uu.json", &submission("uu", 2025, 2), &keys[1]);

    // Changed after signing.
    send(p, "lumc.json", &submission("lumc", 2025, 3), &keys[2]);
    let text = std::fs::read_to_string(p.join("lumc.json")).unwrap();
    std::fs::write(p.join("lumc.json"), text.replacen("\"ID\"", "\"PG\"", 1)).unwrap();
    // Signed with a key nobody registered.
    send(p, "stranger.json", &submission("vu", 2025, 1), &keys[3]);
    // lumc's figures signed with uu's key.
    send(p, "lumc-by-uu.json", &submission("lumc", 2024, 1), &keys[1]);
    // A newer schema version, properly signed.
    let mut value: serde_json::Value = serde_json::from_slice(
        &kto_report::to_canonical_json(&submission("tue", 2024, 1)).unwrap(),
    )
    .unwrap();
    value["schema_version"] = 2.into();
    let bytes = serde_jcs::to_vec(&value).unwrap();
    let comment = format!(
        "kto-monitor institution=tue year=2024 sha256={}",
        sha256_hex(&bytes)
    );
    std::fs::write(p.join("tue-v2-schema.json"), &bytes).unwrap();
    std::fs::write(
        p.join("tue-v2-schema.json.minisig"),
        sign_detached(&bytes, &comment, &keys[0].signing_key).unwrap(),
    )
    .unwrap();
    // An unknown definition version.
    let mut unknown = submission("uu", 2024, 1);
    unknown.definition_version = "2031.4".into();
    send(p, "uu-2031.json", &unknown, &keys[1]);
    // No signature.
    std::fs::write(p.join("unsigned.json"), b"{}").unwrap();

    let report = check_inbox(p, &inbox.registry, &known_definitions().unwrap()).unwrap();
    let expect = [
        ("lumc.json", RefusalKind::Tampered, "changed after signing"),
        (
            "stranger.json",
            RefusalKind::UnregisteredKey,
            "not in the key registry",
        ),
        (
            "lumc-by-uu.json",
            RefusalKind::KeyOfAnotherInstitution,
            "registered for uu",
        ),
        (
            "tue-v2-schema.json",
            RefusalKind::UnsupportedSchema,
            "schema version 2",
        ),
        (
            "uu-2031.json",
            RefusalKind::UnknownDefinitionVersion,
            "2031.4",
        ),
        (
            "unsigned.json",
            RefusalKind::MissingSignature,
            "unsigned.json.minisig",
        ),
    ];
    for (file, kind, words) in expect {
        let (found, message) = refusal(&report, file);
        assert_eq!(found, kind, "{file}: {message}");
        assert!(message.contains(words), "{file}: {message}");
    }
    assert_eq!(report.refused().count(), expect.len());
    let counted: Vec<&str> = report.accepted.iter().map(|a| a.file.as_str()).collect();
    assert_eq!(counted, ["tue.json", "uu.json"]);
}

#[test]
fn a_correction_replaces_the_file_whose_sha256_it_names_and_only_that() {
    let (inbox, keys) = inbox_with_offices();
    let p = &inbox.path;
    let first = send(p, "tue-v1.json", &submission("tue", 2025, 1), &keys[0]);
    let mut correction = submission("tue", 2025, 2);
    correction.supersedes = Some(first.clone());
    let second = send(p, "tue-v2.json", &correction, &keys[0]);

    send(p, "uu-v1.json", &submission("uu", 2025, 1), &keys[1]);
    let mut unlinked = submission("uu", 2025, 5);
    unlinked.supersedes = Some("ab".repeat(32));
    send(p, "uu-v2.json", &unlinked, &keys[1]);

    send(p, "lumc-a.json", &submission("lumc", 2025, 1), &keys[2]);
    send(p, "lumc-b.json", &submission("lumc", 2025, 4), &keys[2]);

    let report = check_inbox(p, &inbox.registry, &known_definitions().unwrap()).unwrap();
    assert_eq!(
        status(&report, "tue-v1.json"),
        &FileStatus::Superseded {
            by_sha256: second.clone(),
            by_file: "tue-v2.json".into()
        }
    );
    assert_eq!(status(&report, "tue-v2.json"), &FileStatus::Accepted);
    assert_eq!(status(&report, "uu-v1.json"), &FileStatus::Accepted);
    assert_eq!(
        refusal(&report, "uu-v2.json").0,
        RefusalKind::UnlinkedCorrection
    );
    assert_eq!(refusal(&report, "lumc-a.json").0, RefusalKind::Conflict);
    assert_eq!(refusal(&report, "lumc-b.json").0, RefusalKind::Conflict);
    let counted: Vec<(&str, &str)> = report
        .accepted
        .iter()
        .map(|a| (a.submission.institution.id.as_str(), a.sha256.as_str()))
        .collect();
    assert_eq!(counted.len(), 2);
    assert!(counted.contains(&("tue", second.as_str())));
}

#[test]
fn a_figure_not_available_for_one_office_is_not_summed_and_the_total_names_that_office() {
    let (inbox, keys) = inbox_with_offices();
    let p = &inbox.path;
    send(p, "tue.json", &submission("tue", 2025, 1), &keys[0]);
    let mut uu = submission("uu", 2025, 2);
    let li = uu.figures.iter_mut().find(|f| f.code == "LI").unwrap();
    li.value = None;
    li.not_available_reason = Some("inputNotRecorded".into());
    send(p, "uu.json", &uu, &keys[1]);
    let mut lumc = submission("lumc", 2025, 3);
    lumc.figures.retain(|f| f.code != "IN-RES-EXP");
    send(p, "lumc.json", &lumc, &keys[2]);

    let report = check_inbox(p, &inbox.registry, &known_definitions().unwrap()).unwrap();
    assert_eq!(report.accepted.len(), 3);
    let national = aggregate(
        &report.accepted,
        &known_definitions().unwrap(),
        Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap(),
    );
    let year = national.year(2025).unwrap();
    let li = year.figure("LI").unwrap();
    assert_eq!(li.total, Some(123_456_789 * (1 + 3)));
    assert_eq!(li.institutions_counted, ["lumc", "tue"]);
    assert_eq!(li.institutions_lacking, ["uu"]);
    assert_eq!(li.label_en, "Licence income");

    let id = year.figure("ID").unwrap();
    assert_eq!(id.total, Some(64 * 6));
    let ra = year.figure("RA").unwrap();
    let consultancy = ra
        .breakdowns
        .iter()
        .find(|b| b.key == "consultancy")
        .unwrap();
    assert_eq!(consultancy.value, 24 * 6);

    // Per €100 million: lumc has no research expenditure, so it is left out of both sums.
    let per = id.per_100m_research_expenditure.as_ref().unwrap();
    assert_eq!(per.numerator, 64 * 3);
    assert_eq!(per.basis, 41_250_000_000 * 3);
    assert_eq!(per.institutions_without_basis, ["lumc"]);
    let expected = (64.0 * 3.0) / (412.5 * 3.0) * 100.0;
    assert!(
        (per.value - expected).abs() < 1e-9,
        "{} vs {expected}",
        per.value
    );
    let per_fte = id.per_1000_research_fte.as_ref().unwrap();
    assert_eq!(per_fte.basis, 312_450 * 6);
    assert!(year
        .figure("IN-RES-EXP")
        .unwrap()
        .per_100m_research_expenditure
        .is_none());
}

#[test]
fn offices_on_different_definition_versions_get_separate_totals_and_the_year_says_so() {
    let (inbox, keys) = inbox_with_offices();
    let mut defs = known_definitions().unwrap();
    let mut older = defs[0].clone();
    older.version = "2025.2".into();
    defs.push(older);
    send(
        &inbox.path,
        "tue.json",
        &submission("tue", 2025, 1),
        &keys[0],
    );
    let mut uu = submission("uu", 2025, 2);
    uu.definition_version = "2025.2".into();
    send(&inbox.path, "uu.json", &uu, &keys[1]);
    send(
        &inbox.path,
        "tue-2024.json",
        &submission("tue", 2024, 3),
        &keys[0],
    );

    let report = check_inbox(&inbox.path, &inbox.registry, &defs).unwrap();
    let national = aggregate(
        &report.accepted,
        &defs,
        Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(),
    );
    let year = national.year(2025).unwrap();
    assert!(year.mixed_definitions);
    let ids: Vec<(&str, Option<i64>)> = year
        .figures
        .iter()
        .filter(|f| f.code == "ID")
        .map(|f| (f.definition_version.as_str(), f.total))
        .collect();
    assert_eq!(ids, [("2025.2", Some(128)), ("2026.1", Some(64))]);

    let trend = national
        .trends
        .iter()
        .find(|t| t.code == "ID" && t.definition_version == "2026.1")
        .unwrap();
    let points: Vec<(i32, Option<i64>)> = trend.points.iter().map(|p| (p.year, p.total)).collect();
    assert_eq!(points, [(2024, Some(192)), (2025, Some(64))]);
    assert_eq!(national.submissions.len(), 3);
}

/// Two years of three offices, uu without licence income in 2025.
fn two_year_aggregate() -> kto_report::national::NationalAggregate {
    let (inbox, keys) = inbox_with_offices();
    let p = &inbox.path;
    for (i, id) in ["tue", "uu", "lumc"].iter().enumerate() {
        let scale = i as i64 + 1;
        send(
            p,
            &format!("{id}-2024.json"),
            &submission(id, 2024, scale),
            &keys[i],
        );
        let mut s = submission(id, 2025, scale + 1);
        if *id == "uu" {
            let li = s.figures.iter_mut().find(|f| f.code == "LI").unwrap();
            li.value = None;
            li.not_available_reason = Some("inputNotRecorded".into());
        }
        send(p, &format!("{id}-2025.json"), &s, &keys[i]);
    }
    let report = check_inbox(p, &inbox.registry, &known_definitions().unwrap()).unwrap();
    assert_eq!(report.accepted.len(), 6);
    aggregate(
        &report.accepted,
        &known_definitions().unwrap(),
        Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap(),
    )
}

#[test]
fn the_signed_national_aggregate_verifies_and_fails_once_a_byte_changes() {
    let national = two_year_aggregate();
    let coordinator = new_key();
    let signed = sign_aggregate(&national, &coordinator.signing_key).unwrap();
    assert!(signed
        .comment
        .starts_with("kto-national years=2024-2025 submissions=6 sha256="));
    let back = verify_aggregate(&signed.json, &signed.signature, &coordinator.public_text).unwrap();
    assert_eq!(back, national);
    let listed: Vec<&str> = back.submissions.iter().map(|s| s.sha256.as_str()).collect();
    assert_eq!(listed.len(), 6);

    let mut changed = signed.json.clone();
    let at = changed.iter().position(|b| b.is_ascii_digit()).unwrap();
    changed[at] = if changed[at] == b'9' {
        b'8'
    } else {
        changed[at] + 1
    };
    let err = verify_aggregate(&changed, &signed.signature, &coordinator.public_text).unwrap_err();
    assert_eq!(err.code(), "badSignature");
    let err =
        verify_aggregate(&signed.json, &signed.signature, &new_key().public_text).unwrap_err();
    assert_eq!(err.code(), "wrongKeyId");
}

#[test]
fn the_csv_has_every_figure_and_leaves_not_available_empty_instead_of_zero() {
    let national = two_year_aggregate();
    let csv = to_csv(&national, Locale::En);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("year,definition_version,code,indicator,unit,scope"));
    // National rows: the 16 figures of the files in each of two years.
    let national_rows = lines.iter().filter(|l| l.contains(",national,")).count();
    assert_eq!(national_rows, 2 * fixtures::submission().figures.len());
    let li_national = lines
        .iter()
        .find(|l| l.starts_with("2025,2026.1,LI,Licence income,eur,national,"))
        .unwrap();
    // tue ×2 + lumc ×4 of € 1,234,567.89; uu is named as lacking.
    assert!(li_national.contains(",7407407.34,"), "{li_national}");
    assert!(li_national.contains(",lumc tue,uu,"), "{li_national}");
    let uu_li = lines
        .iter()
        .find(|l| l.starts_with("2025,2026.1,LI,Licence income,eur,office,uu,"))
        .unwrap();
    assert!(uu_li.contains(",,,,,inputNotRecorded,"), "{uu_li}");

    let xlsx = to_xlsx(&national, Locale::Nl).unwrap();
    assert!(xlsx.starts_with(b"PK"), "an XLSX file is a zip archive");
}

#[test]
fn the_national_report_puts_headline_figures_first_in_words_in_both_languages() {
    let national = two_year_aggregate();
    for (locale, title, headline, lacking, label) in [
        (
            Locale::En,
            "National knowledge transfer monitor",
            "Headline figures 2025",
            "Not available from: University uu",
            "Invention disclosures",
        ),
        (
            Locale::Nl,
            "Nationale monitor kennisoverdracht",
            "Kerncijfers 2025",
            "Niet beschikbaar van: University uu",
            "Uitvindingsmeldingen",
        ),
    ] {
        let pdf = render_national_report(&NationalReportInput {
            aggregate: &national,
            locale,
            generated_on: date(2026, 3, 1),
            aggregate_sha256: Some("ab".repeat(32)),
            key_id: Some("0123456789ABCDEF".into()),
        })
        .unwrap();
        let text = crate::pdf::pdf_text(&pdf, "national report");
        let first_page = text.split('\u{c}').next().unwrap();
        for words in [title, headline, lacking, label] {
            assert!(
                first_page.contains(words),
                "{words} not on page 1:\n{first_page}"
            );
        }
        // The aggregate's hash, grouped in fours for reading aloud.
        assert!(text.contains("abab abab abab"), "{text}");
    }
}

#[test]
fn written_outputs_are_never_overwritten() {
    let national = two_year_aggregate();
    let dir = tempfile::tempdir().unwrap();
    let key = new_key();
    let written = write_outputs(
        dir.path(),
        &national,
        &key.signing_key,
        Locale::En,
        date(2026, 3, 1),
    )
    .unwrap();
    for path in [
        &written.json,
        &written.signature,
        &written.csv,
        &written.xlsx,
        &written.pdf,
    ] {
        assert!(path.exists(), "{}", path.display());
    }
    let json = std::fs::read(&written.json).unwrap();
    assert_eq!(sha256_hex(&json), written.sha256);
    let again = write_outputs(
        dir.path(),
        &national,
        &key.signing_key,
        Locale::En,
        date(2026, 3, 1),
    )
    .unwrap_err();
    assert!(matches!(again, NationalError::OutputExists { .. }));
}
