use kto_report::{sha256_hex, to_canonical_json, Error, Submission, Unit, MAX_SAFE_INTEGER};
use proptest::prelude::*;

use crate::fixtures::{self, arb};

#[test]
fn canonical_json_has_sorted_keys_and_no_whitespace() {
    let json = String::from_utf8(to_canonical_json(&fixtures::submission()).unwrap()).unwrap();
    assert!(json.starts_with(r#"{"app_version":"0.1.0","created_at":"2025-03-14T09:30:00Z","definition_version":"kto-nl-2024.1","figures":[{"breakdowns":[],"code":"IN-RES-EXP""#), "{json}");
    assert!(
        json.ends_with(r#""supersedes":null,"year":2024}"#),
        "{json}"
    );
    assert!(!json.contains('\n'));
    assert!(json.contains(r#""institution":{"id":"tue","name":"Technische Universiteit Eindhoven"},"period":{"end":"2024-12-31","start":"2024-01-01"},"schema_version":1"#), "{json}");
    // Diacritics are written as UTF-8, not escaped.
    assert!(json.contains("ideeën"));
}

#[test]
fn not_available_is_written_as_null_and_zero_as_zero() {
    let json = String::from_utf8(to_canonical_json(&fixtures::submission()).unwrap()).unwrap();
    assert!(json.contains(r#""code":"PG","label":"Verleende octrooien","not_available_reason":null,"unit":"count","value":0}"#), "{json}");
    assert!(json.contains(r#""code":"SC","label":"Scouting: bezochte onderzoeksgroepen","not_available_reason":"bezoekregistratie"#), "{json}");
    assert!(json.contains(r#""unit":"count","value":null}"#), "{json}");
}

#[test]
fn money_and_fte_are_written_as_integers() {
    let json = String::from_utf8(to_canonical_json(&fixtures::submission()).unwrap()).unwrap();
    assert!(json.contains(r#""unit":"eur_cents","value":123456789}"#));
    assert!(json.contains(r#""unit":"fte_hundredths","value":1250}"#));
}

#[test]
fn sha256_hex_matches_the_standard_test_vector() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

fn invalid(mutate: impl FnOnce(&mut Submission)) -> String {
    let mut s = fixtures::submission();
    mutate(&mut s);
    match to_canonical_json(&s) {
        Err(Error::InvalidSubmission { reason }) => reason,
        other => panic!("expected InvalidSubmission, got {other:?}"),
    }
}

#[test]
fn integers_beyond_two_to_the_53_are_refused_because_jcs_would_round_them() {
    let reason = invalid(|s| s.figures[9].value = Some(MAX_SAFE_INTEGER + 1));
    assert!(reason.contains("LI"), "{reason}");
    let mut s = fixtures::submission();
    s.figures[9].value = Some(MAX_SAFE_INTEGER);
    let json = String::from_utf8(to_canonical_json(&s).unwrap()).unwrap();
    assert!(json.contains("9007199254740991"));
}

#[test]
fn submissions_that_break_a_rule_are_refused_with_the_rule_named() {
    type Mutation = Box<dyn FnOnce(&mut Submission)>;
    let cases: Vec<(&str, Mutation)> = vec![
        (
            "more than once",
            Box::new(|s| s.figures[1].code = "IN-RES-EXP".into()),
        ),
        ("year must be", Box::new(|s| s.year = 2023)),
        (
            "after it ends",
            Box::new(|s| s.period.start = fixtures::date(2025, 1, 1)),
        ),
        ("negative", Box::new(|s| s.figures[4].value = Some(-1))),
        (
            "negative",
            Box::new(|s| s.figures[3].breakdowns[0].value = -5),
        ),
        (
            "also a not-available reason",
            Box::new(|s| s.figures[0].not_available_reason = Some("x".into())),
        ),
        (
            "not available but has breakdowns",
            Box::new(|s| s.figures[3].value = None),
        ),
        (
            "institution id",
            Box::new(|s| s.institution.id = "tu eindhoven".into()),
        ),
        (
            "institution id",
            Box::new(|s| s.institution.id = String::new()),
        ),
        (
            "supersedes",
            Box::new(|s| s.supersedes = Some("ABC".into())),
        ),
        ("schema_version", Box::new(|s| s.schema_version = 2)),
        ("empty label", Box::new(|s| s.figures[2].label = " ".into())),
        (
            "breakdown key",
            Box::new(|s| s.figures[3].breakdowns[1].key = "collaborative_pps".into()),
        ),
    ];
    for (expected, mutate) in cases {
        let reason = invalid(mutate);
        assert!(
            reason.contains(expected),
            "expected `{expected}` in `{reason}`"
        );
    }
}

#[test]
fn euro_amounts_may_be_negative_but_counts_may_not() {
    let mut s = fixtures::submission();
    s.figures[9].value = Some(-12_345);
    assert!(to_canonical_json(&s).is_ok());
    assert_eq!(s.figures[9].unit, Unit::EurCents);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn canonical_bytes_survive_a_parse_and_reserialise_round_trip(s in arb::submission()) {
        let bytes = to_canonical_json(&s).unwrap();
        let parsed: Submission = serde_json::from_slice(&bytes).unwrap();
        prop_assert_eq!(&parsed, &s);
        prop_assert_eq!(to_canonical_json(&parsed).unwrap(), bytes.clone());
        // Canonicalising the generic JSON value gives the same bytes too.
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        prop_assert_eq!(serde_jcs::to_vec(&value).unwrap(), bytes);
    }
}
