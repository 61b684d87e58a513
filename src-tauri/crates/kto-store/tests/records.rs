//! The generic record kinds: validation, links both ways, deletion that never leaves a
//! dangling link, notes found by search, table pages, saved views and deadlines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use kto_core::activity::{Action, Change, RecordKind as K};
use kto_core::deadlines::DeadlineKind;
use kto_core::ids::OrganisationId;
use kto_core::party::{Organisation, OrganisationKind};
use kto_core::record::{RecordQuery, SavedView, StoredRecord, Value, Values};
use kto_core::validation::Problem;
use kto_store::{Error, Store};

fn change() -> Change {
    Change {
        actor: "Test User".into(),
        at: Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap(),
    }
}

fn vals(pairs: &[(&str, Value)]) -> Values {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), v.clone()))
        .collect()
}

fn s(text: &str) -> Value {
    Value::Text(text.into())
}

fn create(store: &mut Store, kind: K, pairs: &[(&str, Value)]) -> StoredRecord {
    store.create_record(&change(), kind, &vals(pairs)).unwrap()
}

fn organisation(store: &mut Store, name: &str) -> String {
    let o = Organisation {
        id: OrganisationId::new(),
        name: name.into(),
        kind: OrganisationKind::LargeCompany,
        country: "NL".into(),
        kvk: None,
    };
    store.create_organisation(&change(), &o).unwrap();
    o.id.to_string()
}

fn consortium(store: &mut Store, name: &str) -> StoredRecord {
    create(
        store,
        K::Consortium,
        &[("name", s(name)), ("programme", s("TKI HTSM"))],
    )
}

#[test]
fn a_record_is_stored_with_its_history_and_read_back() {
    let mut store = Store::open_in_memory().unwrap();
    let c = consortium(&mut store, "Quantum Sensing NL");
    let again = store.record(K::Consortium, &c.id).unwrap();
    assert_eq!(again.title, "Quantum Sensing NL");
    assert_eq!(again.values.get("programme"), Some(&s("TKI HTSM")));
    let mut v = again.values.clone();
    v.insert("programme".into(), s("NWO"));
    v.insert("startYear".into(), Value::Int(2025));
    store
        .update_record(&change(), K::Consortium, &c.id, &v)
        .unwrap();
    let h = store.history(&c.id).unwrap();
    let edits: Vec<_> = h
        .iter()
        .filter(|a| a.action == Action::Updated)
        .map(|a| {
            (
                a.field.clone().unwrap(),
                a.old_value.clone(),
                a.new_value.clone(),
            )
        })
        .collect();
    assert!(edits.contains(&(
        "programme".into(),
        Some("TKI HTSM".into()),
        Some("NWO".into())
    )));
    assert!(edits.contains(&("startYear".into(), None, Some("2025".into()))));
}

#[test]
fn bad_input_names_each_field_and_stores_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let err = store
        .create_record(
            &change(),
            K::Income,
            &vals(&[("kind", s("royalty")), ("amount", Value::Int(-1))]),
        )
        .unwrap_err();
    let Error::Invalid(errors) = err else {
        panic!("{err}")
    };
    let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&"description"));
    assert!(fields.contains(&"receivedDate"));
    assert!(fields.contains(&"amount"));
    let page = store
        .list_records(
            K::Income,
            &RecordQuery {
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(page.total, Some(0));
}

#[test]
fn a_link_to_a_record_that_does_not_exist_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let err = store
        .create_record(
            &change(),
            K::Contribution,
            &vals(&[
                ("consortiumId", s("0190f3a2-0000-7000-8000-000000000001")),
                ("organisationId", s("0190f3a2-0000-7000-8000-000000000002")),
                ("partnerKind", s("privateCompany")),
                ("role", s("Industry partner")),
                ("year", Value::Int(2026)),
            ]),
        )
        .unwrap_err();
    let Error::Invalid(errors) = err else {
        panic!("{err}")
    };
    assert_eq!(
        errors.for_field("consortiumId").next(),
        Some(&Problem::NotFound)
    );
    assert_eq!(
        errors.for_field("organisationId").next(),
        Some(&Problem::NotFound)
    );
}

#[test]
fn links_are_followed_both_ways() {
    let mut store = Store::open_in_memory().unwrap();
    let org = organisation(&mut store, "Philips");
    let c = consortium(&mut store, "Smart Hospital");
    let part = create(
        &mut store,
        K::Contribution,
        &[
            ("consortiumId", s(&c.id)),
            ("organisationId", s(&org)),
            ("partnerKind", s("privateCompany")),
            ("role", s("Industry partner")),
            ("year", Value::Int(2026)),
            ("cash", Value::Int(2_500_000)),
        ],
    );
    let agreement = create(
        &mut store,
        K::Agreement,
        &[
            ("title", s("Consortium agreement Smart Hospital")),
            ("kind", s("consortiumAgreement")),
            ("consortiumId", s(&c.id)),
            ("counterpartyId", s(&org)),
        ],
    );
    let from_consortium = store.links(K::Consortium, &c.id).unwrap();
    let ids: Vec<_> = from_consortium
        .incoming
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    assert!(ids.contains(&part.id.as_str()) && ids.contains(&agreement.id.as_str()));
    let to = store.links(K::Agreement, &agreement.id).unwrap();
    assert!(to
        .outgoing
        .iter()
        .any(|l| l.kind == K::Consortium && l.title == "Smart Hospital"));
    assert!(to
        .outgoing
        .iter()
        .any(|l| l.kind == K::Organisation && l.title == "Philips"));
    let org_links = store.links(K::Organisation, &org).unwrap();
    assert_eq!(org_links.incoming.len(), 2);
}

#[test]
fn deleting_a_linked_record_asks_first_then_takes_its_parts_and_clears_other_links() {
    let mut store = Store::open_in_memory().unwrap();
    let org = organisation(&mut store, "ASML");
    let c = consortium(&mut store, "Litho 2030");
    let part = create(
        &mut store,
        K::Contribution,
        &[
            ("consortiumId", s(&c.id)),
            ("organisationId", s(&org)),
            ("partnerKind", s("privateCompany")),
            ("role", s("Lead partner")),
            ("year", Value::Int(2026)),
        ],
    );
    let agreement = create(
        &mut store,
        K::Agreement,
        &[
            ("title", s("CA Litho 2030")),
            ("kind", s("consortiumAgreement")),
            ("consortiumId", s(&c.id)),
        ],
    );
    let err = store
        .delete_record(&change(), K::Consortium, &c.id, false)
        .unwrap_err();
    assert!(
        matches!(err, Error::Conflict(ref m) if m.contains("2 other record")),
        "{err}"
    );
    assert!(
        store.record(K::Consortium, &c.id).is_ok(),
        "nothing deleted before confirming"
    );

    store
        .delete_record(&change(), K::Consortium, &c.id, true)
        .unwrap();
    assert!(matches!(
        store.record(K::Consortium, &c.id),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        store.record(K::Contribution, &part.id),
        Err(Error::NotFound { .. })
    ));
    let kept = store.record(K::Agreement, &agreement.id).unwrap();
    assert_eq!(kept.values.get("consortiumId"), None);
    let h = store.history(&agreement.id).unwrap();
    assert!(h
        .iter()
        .any(|a| a.field.as_deref() == Some("consortiumId") && a.new_value.is_none()));
    assert!(store
        .history(&c.id)
        .unwrap()
        .iter()
        .any(|a| a.action == Action::Deleted));
    store.integrity_check().unwrap();
    assert!(store
        .search_all("Litho", 10)
        .unwrap()
        .iter()
        .all(|h| h.id != c.id));
}

#[test]
fn a_record_another_one_cannot_be_without_is_not_deleted_and_says_which_needs_it() {
    let mut store = Store::open_in_memory().unwrap();
    let org = organisation(&mut store, "Philips");
    let c = consortium(&mut store, "Photonics 2030");
    let part = create(
        &mut store,
        K::Contribution,
        &[
            ("consortiumId", s(&c.id)),
            ("organisationId", s(&org)),
            ("partnerKind", s("privateCompany")),
            ("role", s("Industry partner")),
            ("year", Value::Int(2026)),
        ],
    );
    // The organisation's page names the contribution by its consortium and year, not by
    // its generic role alone.
    let links = store.links(K::Organisation, &org).unwrap();
    let titles: Vec<_> = links.incoming.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(titles, vec!["Industry partner — Photonics 2030, 2026"]);
    // A partner contribution needs its partner: even confirmed, the partner stays.
    let err = store
        .delete_record(&change(), K::Organisation, &org, true)
        .unwrap_err();
    assert!(
        matches!(err, Error::Conflict(ref m) if m.contains("Philips") && m.contains("organisationId")),
        "{err}"
    );
    assert!(store.record(K::Organisation, &org).is_ok());
    let kept = store.record(K::Contribution, &part.id).unwrap();
    assert_eq!(kept.values.get("organisationId"), Some(&s(&org)));
    store.integrity_check().unwrap();

    // Without the contribution, it goes.
    store
        .delete_record(&change(), K::Contribution, &part.id, true)
        .unwrap();
    store
        .delete_record(&change(), K::Organisation, &org, true)
        .unwrap();
    assert!(matches!(
        store.record(K::Organisation, &org),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn a_consortium_is_found_by_a_word_in_one_of_its_notes() {
    let mut store = Store::open_in_memory().unwrap();
    let c = consortium(&mut store, "Circular Plastics");
    store
        .add_note(
            &change(),
            K::Consortium,
            &c.id,
            "Kick-off in Wageningen with the pyrolysis partners",
        )
        .unwrap();
    let hits = store.search_all("pyroly", 5).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].kind, hits[0].id.as_str()),
        (K::Consortium, c.id.as_str())
    );
    // An edit re-indexes the record and keeps its notes searchable.
    let mut v = store.record(K::Consortium, &c.id).unwrap().values;
    v.insert("programme".into(), s("Groeifonds"));
    store
        .update_record(&change(), K::Consortium, &c.id, &v)
        .unwrap();
    assert_eq!(store.search_all("wageningen", 5).unwrap().len(), 1);
    let notes: Vec<_> = store
        .history(&c.id)
        .unwrap()
        .into_iter()
        .filter(|a| a.action == Action::Noted)
        .collect();
    assert_eq!(notes.len(), 1);
    assert!(matches!(
        store.add_note(&change(), K::Consortium, &c.id, "   "),
        Err(Error::Invalid(_))
    ));
}

#[test]
fn a_table_page_sorts_filters_searches_and_pages() {
    let mut store = Store::open_in_memory().unwrap();
    for (i, kind) in ["licence", "nda", "licence", "option", "licence"]
        .iter()
        .enumerate()
    {
        create(
            &mut store,
            K::Agreement,
            &[
                ("title", s(&format!("Agreement {i}"))),
                ("kind", s(kind)),
                ("value", Value::Int(1000 * (i as i64 + 1))),
            ],
        );
    }
    let q = RecordQuery {
        sort: Some("value".into()),
        descending: true,
        filters: vals(&[("kind", s("licence"))]),
        limit: 2,
        ..Default::default()
    };
    let first = store.list_records(K::Agreement, &q).unwrap();
    assert_eq!(first.total, Some(3));
    let titles: Vec<_> = first.rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["Agreement 4", "Agreement 2"]);
    let next = RecordQuery {
        offset: first.next.unwrap().parse().unwrap(),
        ..q.clone()
    };
    let second = store.list_records(K::Agreement, &next).unwrap();
    assert_eq!(second.rows.len(), 1);
    assert_eq!(second.next, None);
    let searched = store
        .list_records(
            K::Agreement,
            &RecordQuery {
                search: Some("agreement 3".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(searched.total, Some(1));

    let view = SavedView {
        name: "Licences by value".into(),
        kind: K::Agreement,
        query: q,
    };
    store.save_view(&view).unwrap();
    assert_eq!(store.saved_views(K::Agreement).unwrap(), vec![view]);
    store
        .delete_view(K::Agreement, "Licences by value")
        .unwrap();
    assert!(store.saved_views(K::Agreement).unwrap().is_empty());
}

#[test]
fn a_pct_application_puts_its_national_phase_on_my_week() {
    let mut store = Store::open_in_memory().unwrap();
    // Priority 30 months before 2026-12-02: the PCT national phase falls within the week.
    create(
        &mut store,
        K::Patent,
        &[
            ("title", s("Self-healing coating")),
            ("family", s("PF-2024-01")),
            ("jurisdiction", s("pct")),
            ("filingDate", s("2025-06-01")),
            ("priorityDate", s("2024-06-02")),
            ("status", s("pending")),
        ],
    );
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let week = store
        .week(today, NaiveDate::from_ymd_opt(2026, 12, 11).unwrap())
        .unwrap();
    let pct: Vec<_> = week
        .deadlines
        .iter()
        .filter(|d| d.kind == DeadlineKind::PctNationalPhase)
        .collect();
    // 30 months for most offices, 31 for the EPO; both lie within the 90 days ahead.
    assert_eq!(pct.len(), 2, "{:?}", week.deadlines);
    assert_eq!(pct[0].due, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
    assert_eq!(pct[0].title, "Self-healing coating");
    assert_eq!(pct[0].params.get("months").map(String::as_str), Some("30"));
    assert_eq!(pct[1].due, NaiveDate::from_ymd_opt(2027, 1, 2).unwrap());
    assert_eq!(pct[1].params.get("office").map(String::as_str), Some("EP"));
}

#[test]
fn a_patent_page_lists_all_its_deadlines_past_and_future_and_an_agreement_its_end() {
    let mut store = Store::open_in_memory().unwrap();
    let patent = create(
        &mut store,
        K::Patent,
        &[
            ("title", s("Self-healing coating")),
            ("family", s("PF-2024-01")),
            ("jurisdiction", s("pct")),
            ("filingDate", s("2025-06-01")),
            ("priorityDate", s("2024-06-02")),
            ("status", s("pending")),
        ],
    );
    let kinds = |store: &Store, id: &str| -> Vec<(DeadlineKind, String)> {
        store
            .record_deadlines(K::Patent, id)
            .unwrap()
            .iter()
            .map(|d| (d.kind, d.due.to_string()))
            .collect()
    };
    // The PCT application: both national phases (30 months, 31 for the EPO).
    assert_eq!(
        kinds(&store, &patent.id),
        vec![
            (DeadlineKind::PctNationalPhase, "2026-12-02".to_string()),
            (DeadlineKind::PctNationalPhase, "2027-01-02".to_string()),
        ]
    );
    // The priority filing: its priority year and publication, long passed, are listed too
    // (My week shows only those near today), soonest first.
    let priority = create(
        &mut store,
        K::Patent,
        &[
            ("title", s("Self-healing coating")),
            ("family", s("PF-2024-01")),
            ("jurisdiction", s("nl")),
            ("filingDate", s("2024-06-02")),
            ("isPriority", Value::Bool(true)),
            ("status", s("pending")),
        ],
    );
    let first = kinds(&store, &priority.id);
    assert_eq!(
        first.first(),
        Some(&(DeadlineKind::PriorityYear, "2025-06-02".to_string())),
        "{first:?}"
    );
    assert!(
        first.contains(&(DeadlineKind::Publication, "2025-12-02".to_string())),
        "{first:?}"
    );
    let agreement = create(
        &mut store,
        K::Agreement,
        &[
            ("title", s("Licence coating")),
            ("kind", s("licence")),
            ("endDate", s("2030-01-31")),
        ],
    );
    let end = store.record_deadlines(K::Agreement, &agreement.id).unwrap();
    assert_eq!(end.len(), 1);
    assert_eq!(end[0].kind, DeadlineKind::AgreementEnd);
    assert_eq!(end[0].title, "Licence coating");
    assert!(store
        .record_deadlines(K::Income, &agreement.id)
        .unwrap()
        .is_empty());
    assert!(store
        .record_deadlines(K::Patent, "no-such-id")
        .unwrap()
        .is_empty());
}

#[test]
fn applications_of_one_family_are_told_apart_in_search_results() {
    let mut store = Store::open_in_memory().unwrap();
    for (jurisdiction, number) in [("NL", "NL2034567"), ("PCT", "PCT/EP2025/051234")] {
        create(
            &mut store,
            K::Patent,
            &[
                ("title", s("Antibody fragment against RSV")),
                ("family", s("PF-2025-04")),
                ("jurisdiction", s(jurisdiction)),
                ("applicationNumber", s(number)),
                ("status", s("pending")),
            ],
        );
    }
    let mut titles: Vec<_> = store
        .search_all("antibody", 8)
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        vec![
            "Antibody fragment against RSV (NL NL2034567)",
            "Antibody fragment against RSV (PCT PCT/EP2025/051234)",
        ]
    );
}

#[test]
fn every_generic_table_has_the_columns_its_spec_names() {
    let store = Store::open_in_memory().unwrap();
    for spec in &kto_core::record::KINDS {
        let page = store
            .list_records(
                spec.kind,
                &RecordQuery {
                    limit: 1,
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(page.total, Some(0), "{:?}", spec.kind);
    }
}

#[test]
fn a_file_is_kept_with_its_record_checked_listed_and_gone_with_it() {
    let mut store = Store::open_in_memory().unwrap();
    let a = create(
        &mut store,
        K::Agreement,
        &[("title", s("Licence sensor")), ("kind", s("licence"))],
    );
    let pdf = b"%PDF-1.7 signed licence".to_vec();
    let kept = store
        .add_attachment(
            &change(),
            K::Agreement,
            &a.id,
            "C:\\scans\\Licence signed.pdf",
            &pdf,
        )
        .unwrap();
    assert_eq!(kept.file_name, "Licence signed.pdf");
    assert_eq!(kept.size, pdf.len() as u64);
    assert_eq!(store.attachments(&a.id).unwrap(), vec![kept.clone()]);
    assert_eq!(store.attachment_content(&kept.id).unwrap(), pdf);
    let h = store.history(&a.id).unwrap();
    assert!(h.iter().any(|e| e.field.as_deref() == Some("attachments")
        && e.new_value.as_deref() == Some("Licence signed.pdf")));

    // Too large a file is refused with its size, and nothing is kept.
    let big = vec![0u8; kto_core::record::MAX_ATTACHMENT_BYTES + 1];
    let err = store
        .add_attachment(&change(), K::Agreement, &a.id, "scan.tif", &big)
        .unwrap_err();
    assert!(err.to_string().contains("at most 50 MB"), "{err}");
    assert_eq!(store.attachments(&a.id).unwrap().len(), 1);
    // A record that does not exist gets none.
    assert!(matches!(
        store.add_attachment(
            &change(),
            K::Agreement,
            "0190f3a2-0000-7000-8000-000000000009",
            "x.pdf",
            b"x"
        ),
        Err(Error::NotFound { .. })
    ));

    // A full export writes it as a file.
    let out = tempfile::tempdir().unwrap();
    store.export_all(out.path()).unwrap();
    let exported = out
        .path()
        .join("attachments")
        .join(&kept.id)
        .join("Licence signed.pdf");
    assert_eq!(std::fs::read(exported).unwrap(), pdf);

    // Deleting the record deletes its files.
    store
        .delete_record(&change(), K::Agreement, &a.id, true)
        .unwrap();
    assert!(store.attachments(&a.id).unwrap().is_empty());
    assert!(matches!(
        store.attachment_content(&kept.id),
        Err(Error::NotFound { .. })
    ));
    store.integrity_check().unwrap();
}

#[test]
fn people_and_organisations_are_edited_through_the_same_path_and_checked() {
    let mut store = Store::open_in_memory().unwrap();
    let org = create(
        &mut store,
        K::Organisation,
        &[
            ("name", s("Qurant B.V.")),
            ("kind", s("start_up")),
            ("country", s("nl")),
        ],
    );
    assert_eq!(org.values.get("country"), Some(&s("NL")));
    let err = store
        .create_record(
            &change(),
            K::Person,
            &vals(&[("name", s("Eva Smit")), ("email", s("eva at uni"))]),
        )
        .unwrap_err();
    let Error::Invalid(errors) = err else {
        panic!("{err}")
    };
    assert_eq!(errors.for_field("email").next(), Some(&Problem::Invalid));
    let p = create(
        &mut store,
        K::Person,
        &[
            ("name", s("Eva Smit")),
            ("email", s("eva@uni.nl")),
            ("organisationId", s(&org.id)),
        ],
    );
    // The person appears in the typed lists the disclosure form uses.
    let people = store.list_people("smit", 10).unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].organisation_name.as_deref(), Some("Qurant B.V."));
    let links = store.links(K::Organisation, &org.id).unwrap();
    assert_eq!(links.incoming.len(), 1);
    assert_eq!(links.incoming[0].id, p.id);
    assert!(store
        .search_all("qurant", 5)
        .unwrap()
        .iter()
        .any(|h| h.id == org.id));
}

#[test]
fn an_organisation_lists_its_deals_and_a_person_the_disclosures_they_invented() {
    let mut store = Store::open_in_memory().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let office = kto_core::demo::office(7, today, 64, 48);
    store.load_demo(&office, today, "Demo").unwrap();

    // An organisation with deals: each is listed among what points to it.
    let org = store
        .list_records(K::Organisation, &RecordQuery::default())
        .unwrap()
        .rows
        .into_iter()
        .find(|o| {
            store
                .links(K::Organisation, &o.id)
                .unwrap()
                .incoming
                .iter()
                .any(|l| l.kind == K::Deal)
        })
        .expect("the demo office has an organisation with deals");
    let deals: Vec<_> = store
        .links(K::Organisation, &org.id)
        .unwrap()
        .incoming
        .into_iter()
        .filter(|l| l.kind == K::Deal)
        .collect();
    for d in &deals {
        let deal = store.deal(d.id.parse().unwrap()).unwrap();
        assert_eq!(deal.title, d.title);
        assert_eq!(
            deal.organisation_id.map(|o| o.to_string()).as_deref(),
            Some(org.id.as_str())
        );
    }

    // An inventor: the disclosures they are named on, by reference and title.
    let page = store
        .list_disclosures(&kto_core::disclosure::DisclosureQuery {
            limit: 1,
            ..Default::default()
        })
        .unwrap();
    let disclosure = store.disclosure(page.rows[0].id).unwrap();
    let inventor = &disclosure.inventors[0];
    let listed = store
        .links(K::Person, &inventor.person_id.to_string())
        .unwrap()
        .incoming;
    assert!(
        listed.iter().any(|l| l.kind == K::Disclosure
            && l.id == disclosure.id.to_string()
            && l.title == format!("{} {}", disclosure.reference, disclosure.title)),
        "{listed:?}"
    );
}

#[test]
fn hostile_attachment_names_never_leave_the_app_folder() {
    let mut store = Store::open_in_memory().unwrap();
    let a = create(
        &mut store,
        K::Agreement,
        &[("title", s("Licence sensor")), ("kind", s("licence"))],
    );
    let long = format!("{}.pdf", "a".repeat(400));
    let hostile = [
        ("/etc/passwd", "passwd"),
        ("../../../../tmp/evil.sh", "evil.sh"),
        ("..\\..\\Windows\\System32\\evil.dll", "evil.dll"),
        ("report\0.pdf", "report_.pdf"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("LPT1.pdf", "_LPT1.pdf"),
        ("trailing dots...", "trailing dots"),
        (".hidden", "hidden"),
    ];
    for (name, kept) in hostile {
        let att = store
            .add_attachment(&change(), K::Agreement, &a.id, name, b"x")
            .unwrap();
        assert_eq!(att.file_name, kept, "{name:?}");
    }
    let att = store
        .add_attachment(&change(), K::Agreement, &a.id, &long, b"x")
        .unwrap();
    assert!(att.file_name.len() <= 200 && att.file_name.ends_with(".pdf"));
    assert!(store
        .add_attachment(&change(), K::Agreement, &a.id, "../..", b"x")
        .is_err());
    assert_eq!(kto_store::safe_file_name("/abs/path"), "path");
}

#[test]
fn a_hostile_name_written_into_the_file_is_cleaned_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(kto_store::DB_FILE_NAME);
    let mut store = Store::open(&path).unwrap();
    let a = create(
        &mut store,
        K::Agreement,
        &[("title", s("Licence sensor")), ("kind", s("licence"))],
    );
    let att = store
        .add_attachment(&change(), K::Agreement, &a.id, "licence.pdf", b"%PDF")
        .unwrap();
    drop(store);
    let outside = dir.path().join("outside.txt");
    for name in [
        outside.display().to_string(),
        "../../outside.txt".to_string(),
        "..".to_string(),
    ] {
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute(
                "UPDATE attachments SET file_name = ?1 WHERE id = ?2",
                rusqlite::params![name, att.id],
            )
            .unwrap();
        let store = Store::open(&path).unwrap();
        let opened = dir.path().join("opened");
        let written = store.write_attachment_copy(&att.id, &opened).unwrap();
        assert!(
            written.starts_with(opened.join(&att.id)),
            "{name}: {}",
            written.display()
        );
        assert!(!outside.exists(), "{name}");
        assert_eq!(std::fs::read(&written).unwrap(), b"%PDF");
    }
}
