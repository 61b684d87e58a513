//! Signed anchors of the audit chain beside a submission: read back only when the
//! office's key signed them, and held against a history cut short after them.

use kto_core::activity::{Change, RecordKind as K};
use kto_core::backup::AuditAnchor;
use kto_core::record::{Value, Values};
use kto_report::audit::{signed_anchors, verify_office, write_anchor, SUBMISSIONS_DIR};
use kto_store::Store;

use crate::fixtures;

fn cost(store: &mut Store, description: &str) {
    let values: Values = [
        ("description", Value::Text(description.into())),
        ("category", Value::Text("legal".into())),
        ("paidDate", Value::Text("2026-01-15".into())),
        ("amount", Value::Int(100)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let change = Change {
        actor: "Eva".into(),
        at: chrono::Utc::now(),
    };
    store.create_record(&change, K::Cost, &values).unwrap();
}

#[test]
fn a_signed_anchor_is_read_only_with_the_office_key_and_catches_a_cut_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(kto_store::DB_FILE_NAME);
    let mut store = Store::open(&db).unwrap();
    for d in ["Attorney", "Translation", "Annual fee"] {
        cost(&mut store, d);
    }
    let key = fixtures::key();
    let public = key.signing_key.public_key().to_text();
    let submissions = dir.path().join(SUBMISSIONS_DIR);
    std::fs::create_dir_all(&submissions).unwrap();
    let json = submissions.join("kto-monitor-x-2025-v1.json");
    let anchor = store.audit_anchor().unwrap();
    write_anchor(&json, &"0".repeat(64), &anchor, &key.signing_key).unwrap();

    let (found, problems) = signed_anchors(&submissions, std::slice::from_ref(&public));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].anchor, anchor);
    assert!(found[0].signed);
    // Another office's key does not vouch for it.
    let other = fixtures::other_key().signing_key.public_key().to_text();
    let (found, problems) = signed_anchors(&submissions, &[other]);
    assert!(found.is_empty() && problems.len() == 1, "{problems:?}");
    drop(store);

    // Register the key as the office's, then cut the history short and put the
    // triggers back.
    let mut store = Store::open(&db).unwrap();
    store
        .register_signing_key(
            &kto_store::NewSigningKey {
                key_id: key.signing_key.key_id().to_hex(),
                public_key: public.clone(),
                fingerprint: key.signing_key.public_key().fingerprint(),
            },
            chrono::Utc::now(),
        )
        .unwrap();
    assert!(verify_office(&store, &db).unwrap().intact());
    drop(store);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "DROP TRIGGER activities_are_append_only_delete;
             DROP TRIGGER audit_chain_is_append_only_delete;
             DELETE FROM activities WHERE seq = (SELECT max(seq) FROM activities);
             DELETE FROM audit_chain WHERE seq NOT IN (SELECT seq FROM activities);
             DELETE FROM costs WHERE description = 'Annual fee';
             CREATE TRIGGER activities_are_append_only_delete BEFORE DELETE ON activities
             BEGIN SELECT RAISE(ABORT, 'the activity history cannot be deleted'); END;
             CREATE TRIGGER audit_chain_is_append_only_delete BEFORE DELETE ON audit_chain
             BEGIN SELECT RAISE(ABORT, 'the audit chain cannot be deleted'); END;",
        )
        .unwrap();
    let store = Store::open(&db).unwrap();
    let report = verify_office(&store, &db).unwrap();
    let all = report.problems().join("\n");
    assert!(all.contains("signed anchor"), "{all}");
    assert!(all.contains("removed from its end"), "{all}");
    // The anchor text round-trips.
    assert_eq!(AuditAnchor::from_text(&anchor.to_text()), Some(anchor));
}
