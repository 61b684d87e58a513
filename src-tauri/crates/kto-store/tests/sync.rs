//! One office out of several laptops: changes recorded by SQLite's session extension,
//! written as files into a shared folder and applied on the other laptops.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone, Utc};
use kto_core::activity::{Action, Change, RecordKind as K};
use kto_core::disclosure::{validate, DisclosureInput, DisclosureStage, InventorInput};
use kto_core::record::{Value, Values};
use kto_core::sync::{ConflictKind, ConflictWinner};
use kto_store::{Store, SYNC_DIR_NAME};
use proptest::prelude::*;

fn change(who: &str) -> Change {
    Change {
        actor: who.into(),
        at: Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap(),
    }
}

/// A laptop: its own database in its own data folder.
struct Laptop {
    store: Store,
    _dir: tempfile::TempDir,
    name: &'static str,
}

fn laptop(name: &'static str) -> Laptop {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("kto-desk.sqlite3")).unwrap();
    store.set_device_name(name).unwrap();
    Laptop {
        store,
        _dir: dir,
        name,
    }
}

/// The first laptop of an office and a second that joined it from the folder.
fn office(shared: &Path) -> (Laptop, Laptop) {
    let mut ana = laptop("Ana");
    ana.store.sync_folder(shared).unwrap();
    ana.store.write_snapshot(shared).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (store, report) =
        Store::join_office(shared, &dir.path().join("kto-desk.sqlite3"), "Bram").unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    (
        ana,
        Laptop {
            store,
            _dir: dir,
            name: "Bram",
        },
    )
}

fn vals(pairs: &[(&str, &str)]) -> Values {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), Value::Text((*v).into())))
        .collect()
}

fn consortium(l: &mut Laptop, name: &str) -> String {
    l.store
        .create_record(
            &change(l.name),
            K::Consortium,
            &vals(&[("name", name), ("programme", "TKI HTSM")]),
        )
        .unwrap()
        .id
}

fn rename(l: &mut Laptop, id: &str, name: &str) {
    l.store
        .update_record(
            &change(l.name),
            K::Consortium,
            id,
            &vals(&[("name", name), ("programme", "TKI HTSM")]),
        )
        .unwrap();
}

fn name_of(l: &Laptop, id: &str) -> Option<String> {
    l.store
        .record(K::Consortium, id)
        .ok()
        .and_then(|r| match r.values.get("name") {
            Some(Value::Text(t)) => Some(t.clone()),
            _ => None,
        })
}

fn sync(l: &mut Laptop, shared: &Path) -> kto_core::sync::SyncReport {
    l.store.sync_folder(shared).unwrap()
}

fn disclosure(l: &mut Laptop, title: &str) -> kto_core::disclosure::Disclosure {
    let input = DisclosureInput {
        reference: String::new(),
        title: title.into(),
        received_on: Some(NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()),
        faculty: "Science".into(),
        trl: Some(4),
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
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    l.store
        .create_disclosure(&change(l.name), &validate(&input, today).unwrap())
        .unwrap()
}

fn change_files(shared: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dev in std::fs::read_dir(shared.join(SYNC_DIR_NAME).join("changes")).unwrap() {
        for f in std::fs::read_dir(dev.unwrap().path()).unwrap() {
            out.push(f.unwrap().path());
        }
    }
    out.sort();
    out
}

#[test]
fn a_disclosure_made_on_one_laptop_is_found_on_the_other_with_its_history() {
    let shared = tempfile::tempdir().unwrap();
    let (mut ana, mut bram) = office(shared.path());
    let d = disclosure(&mut ana, "Self-healing asphalt");
    let e = disclosure(&mut bram, "Quantum dot ink");
    // Both laptops gave number 1 of 2026 while offline; their codes keep them apart.
    assert_eq!(d.reference, "D-2026-0001-A");
    assert_eq!(e.reference, "D-2026-0001-B");
    sync(&mut ana, shared.path());
    let report = sync(&mut bram, shared.path());
    assert_eq!(report.applied, 1, "{report:?}");
    sync(&mut ana, shared.path());

    for l in [&ana, &bram] {
        let hits = l.store.search_all("asphalt", 5).unwrap();
        assert_eq!(hits.len(), 1, "{} finds the other's disclosure", l.name);
        assert_eq!(l.store.search_all("quantum", 5).unwrap().len(), 1);
        let history = l.store.history(&d.id.to_string()).unwrap();
        assert!(history
            .iter()
            .any(|a| a.action == Action::Created && a.actor == "Ana"));
        let audit = l.store.verify_audit().unwrap();
        assert!(audit.intact(), "{}: {audit:?}", l.name);
    }
    assert_eq!(
        ana.store.office_fingerprint().unwrap(),
        bram.store.office_fingerprint().unwrap()
    );
    let status = bram.store.sync_status().unwrap();
    assert_eq!(status.code.as_deref(), Some("B"));
    assert!(status
        .devices
        .iter()
        .any(|dv| dv.name == "Ana" && dv.last_seq > 0));
}

#[test]
fn a_field_changed_on_two_laptops_keeps_the_newer_value_and_both_list_the_conflict() {
    let shared = tempfile::tempdir().unwrap();
    let (mut ana, mut bram) = office(shared.path());
    let id = consortium(&mut ana, "Quantum Sensing NL");
    sync(&mut ana, shared.path());
    sync(&mut bram, shared.path());
    rename(&mut ana, &id, "Quantum Sensing Netherlands");
    std::thread::sleep(std::time::Duration::from_millis(5));
    rename(&mut bram, &id, "QSNL");
    sync(&mut ana, shared.path());
    let at_bram = sync(&mut bram, shared.path());
    let at_ana = sync(&mut ana, shared.path());
    assert_eq!((at_ana.conflicts, at_bram.conflicts), (1, 1));
    assert_eq!(name_of(&ana, &id).as_deref(), Some("QSNL"));
    assert_eq!(name_of(&bram, &id).as_deref(), Some("QSNL"));

    let c = &ana.store.sync_conflicts().unwrap()[0];
    assert_eq!(c.kind, ConflictKind::Field);
    assert_eq!(c.column.as_deref(), Some("name"));
    assert_eq!(
        c.local_value.as_deref(),
        Some("\"Quantum Sensing Netherlands\"")
    );
    assert_eq!(c.remote_value.as_deref(), Some("\"QSNL\""));
    assert_eq!(c.winner, ConflictWinner::Remote);
    assert_eq!(c.remote_device, "Bram");
    let b = &bram.store.sync_conflicts().unwrap()[0];
    assert_eq!(b.winner, ConflictWinner::Local);

    // Ana swaps: her value becomes the office's on both laptops.
    ana.store
        .resolve_conflict(&change("Ana"), c.id, true)
        .unwrap();
    assert!(ana.store.sync_conflicts().unwrap().is_empty());
    sync(&mut ana, shared.path());
    sync(&mut bram, shared.path());
    assert_eq!(
        name_of(&bram, &id).as_deref(),
        Some("Quantum Sensing Netherlands")
    );
    assert_eq!(
        ana.store.office_fingerprint().unwrap(),
        bram.store.office_fingerprint().unwrap()
    );
    for l in [&ana, &bram] {
        assert!(l.store.verify_audit().unwrap().intact(), "{}", l.name);
    }
}

#[test]
fn a_record_deleted_on_one_laptop_and_edited_on_the_other_stays_deleted_with_its_values_kept() {
    let shared = tempfile::tempdir().unwrap();
    let (mut ana, mut bram) = office(shared.path());
    let id = consortium(&mut ana, "Photonics Delta");
    sync(&mut ana, shared.path());
    sync(&mut bram, shared.path());
    ana.store
        .delete_record(&change("Ana"), K::Consortium, &id, true)
        .unwrap();
    rename(&mut bram, &id, "PhotonDelta");
    sync(&mut ana, shared.path());
    sync(&mut bram, shared.path());
    sync(&mut ana, shared.path());
    assert_eq!(name_of(&ana, &id), None);
    assert_eq!(name_of(&bram, &id), None);
    let at_bram = bram.store.sync_conflicts().unwrap();
    assert_eq!(at_bram[0].kind, ConflictKind::EditDelete);
    assert!(at_bram[0]
        .local_value
        .as_deref()
        .unwrap()
        .contains("PhotonDelta"));
    let at_ana = ana.store.sync_conflicts().unwrap();
    assert!(at_ana[0]
        .remote_value
        .as_deref()
        .unwrap()
        .contains("PhotonDelta"));
    // The edit is in the history of both.
    for l in [&ana, &bram] {
        let h = l.store.history(&id).unwrap();
        assert!(
            h.iter()
                .any(|a| a.new_value.as_deref() == Some("PhotonDelta")),
            "{}",
            l.name
        );
        assert!(l.store.verify_audit().unwrap().intact(), "{}", l.name);
    }
    assert_eq!(
        ana.store.office_fingerprint().unwrap(),
        bram.store.office_fingerprint().unwrap()
    );
}

#[test]
fn a_truncated_altered_or_misplaced_file_is_refused_whole_and_the_real_one_applies_later() {
    let shared = tempfile::tempdir().unwrap();
    let (mut ana, mut bram) = office(shared.path());
    consortium(&mut ana, "Holland High Tech");
    let before = bram.store.office_fingerprint().unwrap();
    sync(&mut ana, shared.path());
    let newest = change_files(shared.path())
        .into_iter()
        .rfind(|p| {
            p.to_string_lossy()
                .contains(&ana.store.sync_status().unwrap().device)
        })
        .unwrap();
    let good = std::fs::read(&newest).unwrap();

    // Half copied.
    std::fs::write(&newest, &good[..good.len() / 2]).unwrap();
    let r = sync(&mut bram, shared.path());
    assert_eq!(r.applied, 0);
    assert!(
        r.problems[0].reason.contains("truncated"),
        "{:?}",
        r.problems
    );
    assert!(r.problems[0].waiting);
    assert_eq!(bram.store.office_fingerprint().unwrap(), before);

    // One byte altered.
    let mut bad = good.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0x20;
    std::fs::write(&newest, &bad).unwrap();
    let r = sync(&mut bram, shared.path());
    assert!(r.problems[0].reason.contains("SHA-256"), "{:?}", r.problems);
    assert_eq!(bram.store.office_fingerprint().unwrap(), before);

    // The complete file arrives: it applies, once.
    std::fs::write(&newest, &good).unwrap();
    let r = sync(&mut bram, shared.path());
    assert_eq!(r.applied, 1, "{r:?}");
    assert!(r.problems.is_empty());
    let again = sync(&mut bram, shared.path());
    assert_eq!(again.applied, 0);
    assert_eq!(
        bram.store.office_fingerprint().unwrap(),
        ana.store.office_fingerprint().unwrap()
    );

    // A copy of it put where another of Ana's changes belongs is refused.
    let copy = newest.with_file_name(format!("{:010}.ktochange", 99));
    std::fs::copy(&newest, &copy).unwrap();
    std::fs::rename(
        &copy,
        newest.with_file_name(format!(
            "{:010}.ktochange",
            ana.store.sync_status().unwrap().changes + 1
        )),
    )
    .unwrap();
    let r = sync(&mut bram, shared.path());
    assert!(
        r.problems[0].reason.contains("lies where change"),
        "{:?}",
        r.problems
    );
}

#[test]
fn a_file_from_a_newer_schema_waits_with_the_version_to_install() {
    let shared = tempfile::tempdir().unwrap();
    let (mut ana, mut bram) = office(shared.path());
    consortium(&mut ana, "Smart Industry");
    sync(&mut ana, shared.path());
    let file = change_files(shared.path()).pop().unwrap();
    let bytes = std::fs::read(&file).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let schema = format!("\"schema\":{}", kto_store::LATEST_VERSION);
    assert!(text.contains(&schema));
    let newer = text.replacen(
        &schema,
        &format!("\"schema\":{}", kto_store::LATEST_VERSION + 1),
        1,
    );
    std::fs::write(&file, newer.as_bytes()).unwrap();
    let r = sync(&mut bram, shared.path());
    assert_eq!(r.applied, 0);
    assert!(r.problems[0].waiting);
    assert!(
        r.problems[0].reason.contains(&format!(
            "database version {}",
            kto_store::LATEST_VERSION + 1
        )),
        "{:?}",
        r.problems
    );
}

#[test]
fn a_laptop_cannot_join_into_a_folder_that_holds_an_office_or_from_a_damaged_snapshot() {
    let shared = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let err = Store::join_office(shared.path(), &dir.path().join("kto-desk.sqlite3"), "Cas")
        .err()
        .unwrap();
    assert!(err.to_string().contains("holds no snapshot"), "{err}");
    let mut ana = laptop("Ana");
    consortium(&mut ana, "Dutch Optics Centre");
    let snap = ana.store.write_snapshot(shared.path()).unwrap();
    let mut bytes = std::fs::read(&snap).unwrap();
    bytes[200] ^= 1;
    std::fs::write(&snap, &bytes).unwrap();
    let err = Store::join_office(shared.path(), &dir.path().join("kto-desk.sqlite3"), "Cas")
        .err()
        .unwrap();
    assert!(err.to_string().contains("SHA-256"), "{err}");
    assert!(!dir.path().join("kto-desk.sqlite3").exists());
    // An office with records is never replaced by a join.
    let held = ana.store.path().unwrap().to_path_buf();
    let err = Store::join_office(shared.path(), &held, "Cas")
        .err()
        .unwrap();
    assert!(err.to_string().contains("already holds records"), "{err}");
}

/// One random step of a business developer.
#[derive(Debug, Clone)]
enum Step {
    Create(usize, u8),
    Rename(usize, usize, u8),
    Delete(usize, usize),
    Note(usize, usize, u8),
    Disclose(usize, u8),
    Sync(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..3usize, any::<u8>()).prop_map(|(l, n)| Step::Create(l, n)),
        (0..3usize, 0..6usize, any::<u8>()).prop_map(|(l, r, n)| Step::Rename(l, r, n)),
        (0..3usize, 0..6usize).prop_map(|(l, r)| Step::Delete(l, r)),
        (0..3usize, 0..6usize, any::<u8>()).prop_map(|(l, r, n)| Step::Note(l, r, n)),
        (0..3usize, any::<u8>()).prop_map(|(l, n)| Step::Disclose(l, n)),
        (0..3usize).prop_map(Step::Sync),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Three laptops edit, delete and note at random, and sync in random orders and with
    /// repeats; after everyone has synced twice the three offices are the same.
    #[test]
    fn three_laptops_that_edit_at_random_end_as_one_office(steps in proptest::collection::vec(step(), 1..40)) {
        let shared = tempfile::tempdir().unwrap();
        let (ana, bram) = office(shared.path());
        let dir = tempfile::tempdir().unwrap();
        let (cas, _) = Store::join_office(shared.path(), &dir.path().join("kto-desk.sqlite3"), "Cas").unwrap();
        let mut laptops = [ana, bram, Laptop { store: cas, _dir: dir, name: "Cas" }];
        let mut ids: Vec<String> = Vec::new();
        let mut references: Vec<String> = Vec::new();
        for s in steps {
            match s {
                Step::Create(l, n) => ids.push(consortium(&mut laptops[l], &format!("Consortium {n}"))),
                Step::Rename(l, r, n) => {
                    if let Some(id) = ids.get(r % ids.len().max(1)).cloned() {
                        if name_of(&laptops[l], &id).is_some() {
                            rename(&mut laptops[l], &id, &format!("Renamed {n}"));
                        }
                    }
                }
                Step::Delete(l, r) => {
                    if let Some(id) = ids.get(r % ids.len().max(1)).cloned() {
                        if name_of(&laptops[l], &id).is_some() {
                            laptops[l].store.delete_record(&change("x"), K::Consortium, &id, true).unwrap();
                        }
                    }
                }
                Step::Note(l, r, n) => {
                    if let Some(id) = ids.get(r % ids.len().max(1)).cloned() {
                        if name_of(&laptops[l], &id).is_some() {
                            laptops[l].store.add_note(&change("x"), K::Consortium, &id, &format!("note {n}")).unwrap();
                        }
                    }
                }
                Step::Disclose(l, n) => {
                    let d = disclosure(&mut laptops[l], &format!("Invention {n}"));
                    references.push(d.reference);
                }
                Step::Sync(l) => {
                    let r = laptops[l].store.sync_folder(shared.path()).unwrap();
                    prop_assert!(r.problems.is_empty(), "{:?}", r.problems);
                }
            }
        }
        for _ in 0..2 {
            for l in laptops.iter_mut() {
                let r = l.store.sync_folder(shared.path()).unwrap();
                prop_assert!(r.problems.is_empty(), "{:?}", r.problems);
            }
        }
        let prints: Vec<String> = laptops.iter().map(|l| l.store.office_fingerprint().unwrap()).collect();
        if prints[0] != prints[1] || prints[1] != prints[2] {
            for l in &laptops {
                let mut out = Vec::new();
                l.store.export_kind_csv(K::Consortium, &mut out).unwrap();
                eprintln!("== {}\n{}", l.name, String::from_utf8_lossy(&out));
            }
        }
        // No reference was given twice, though laptops numbered offline.
        let mut unique = references.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), references.len(), "{:?}", references);
        prop_assert_eq!(&prints[0], &prints[1]);
        prop_assert_eq!(&prints[1], &prints[2]);
        for l in &laptops {
            let audit = l.store.verify_audit().unwrap();
            prop_assert!(audit.intact(), "{}: {:?}", l.name, audit);
        }
    }
}
