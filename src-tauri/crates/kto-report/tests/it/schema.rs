use kto_report::{to_canonical_json, SUBMISSION_SCHEMA};
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::fixtures::{self, arb};

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SUBMISSION_SCHEMA).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn errors(instance: &Value) -> Vec<String> {
    let v = validator();
    v.iter_errors(instance).map(|e| e.to_string()).collect()
}

fn produced_file() -> Value {
    serde_json::from_slice(&to_canonical_json(&fixtures::submission()).unwrap()).unwrap()
}

#[test]
fn the_schema_file_is_draft_2020_12() {
    let schema: Value = serde_json::from_str(SUBMISSION_SCHEMA).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn a_produced_file_validates_against_the_json_schema() {
    let file = produced_file();
    assert_eq!(errors(&file), Vec::<String>::new());
}

#[test]
fn the_schema_rejects_files_that_break_the_format() {
    type Mutation = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Mutation)> = vec![
        (
            "missing key",
            Box::new(|f| {
                f.as_object_mut().unwrap().remove("supersedes");
            }),
        ),
        (
            "unknown key",
            Box::new(|f| {
                f["extra"] = json!(1);
            }),
        ),
        (
            "float value",
            Box::new(|f| {
                f["figures"][9]["value"] = json!(1234.5);
            }),
        ),
        (
            "unsafe integer",
            Box::new(|f| {
                f["figures"][9]["value"] = json!(9_007_199_254_740_992i64);
            }),
        ),
        (
            "negative count",
            Box::new(|f| {
                f["figures"][4]["value"] = json!(-1);
            }),
        ),
        (
            "value and reason",
            Box::new(|f| {
                f["figures"][0]["not_available_reason"] = json!("x");
            }),
        ),
        (
            "unknown unit",
            Box::new(|f| {
                f["figures"][0]["unit"] = json!("eur");
            }),
        ),
        (
            "bad date",
            Box::new(|f| {
                f["period"]["end"] = json!("31-12-2024");
            }),
        ),
        (
            "bad timestamp",
            Box::new(|f| {
                f["created_at"] = json!("yesterday");
            }),
        ),
        (
            "bad supersedes",
            Box::new(|f| {
                f["supersedes"] = json!("abc");
            }),
        ),
        (
            "bad institution id",
            Box::new(|f| {
                f["institution"]["id"] = json!("a b");
            }),
        ),
        (
            "wrong schema version",
            Box::new(|f| {
                f["schema_version"] = json!(2);
            }),
        ),
    ];
    for (name, mutate) in cases {
        let mut file = produced_file();
        mutate(&mut file);
        assert!(
            !errors(&file).is_empty(),
            "schema accepted a file with {name}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_valid_submission_validates_against_the_schema(s in arb::submission()) {
        let file: Value = serde_json::from_slice(&to_canonical_json(&s).unwrap()).unwrap();
        prop_assert_eq!(errors(&file), Vec::<String>::new());
    }
}
