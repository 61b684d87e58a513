use kto_report::{
    sha256_hex, sign_detached, sign_submission, signature_path_for, verify, verify_files,
    write_signed, Error, SignedSubmission,
};
use proptest::prelude::*;

use crate::fixtures::{self, b64};

fn signed() -> SignedSubmission {
    sign_submission(&fixtures::submission(), &fixtures::key().signing_key).unwrap()
}

fn public_text() -> &'static str {
    &fixtures::key().public_text
}

#[test]
fn a_signed_submission_verifies_and_gives_back_the_submission() {
    let s = signed();
    let verified = verify(&s.json, &s.signature, public_text()).unwrap();
    assert_eq!(verified.submission, fixtures::submission());
    assert_eq!(verified.sha256, sha256_hex(&s.json));
    assert_eq!(verified.key_id, fixtures::key().signing_key.key_id());
    assert_eq!(
        verified.key_fingerprint,
        fixtures::key().signing_key.public_key().fingerprint()
    );
}

#[test]
fn the_trusted_comment_binds_institution_year_and_file_hash() {
    let s = signed();
    let expected = format!("kto-monitor institution=tue year=2024 sha256={}", s.sha256);
    assert_eq!(s.comment.to_string(), expected);
    let lines: Vec<&str> = s.signature.lines().collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[0],
        format!(
            "untrusted comment: signature from KTO Desk key {}",
            s.key_id
        )
    );
    assert_eq!(lines[2], format!("trusted comment: {expected}"));
    // Pre-hashed Ed25519 ("ED"), as minisign 0.8+ writes by default.
    assert_eq!(&b64::decode(lines[1])[..2], b"ED");
}

#[test]
fn signing_the_same_submission_twice_gives_the_same_file_and_hash() {
    let (a, b) = (signed(), signed());
    assert_eq!(a.json, b.json);
    assert_eq!(a.sha256, b.sha256);
}

#[test]
fn written_files_sit_side_by_side_and_leave_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("monitor-2024.json");
    let s = signed();
    let written = write_signed(&path, &s).unwrap();
    assert_eq!(
        written.signature_path,
        dir.path().join("monitor-2024.json.minisig")
    );
    assert_eq!(signature_path_for(&path), written.signature_path);
    assert_eq!(std::fs::read(&path).unwrap(), s.json);
    assert_eq!(
        std::fs::read_to_string(&written.signature_path).unwrap(),
        s.signature
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");

    let pub_path = dir.path().join("office.pub");
    std::fs::write(&pub_path, public_text()).unwrap();
    verify_files(&path, &pub_path).unwrap();

    // Writing again replaces the pair.
    let mut sub = fixtures::submission();
    sub.figures[4].value = Some(65);
    let s2 = sign_submission(&sub, &fixtures::key().signing_key).unwrap();
    write_signed(&path, &s2).unwrap();
    let verified = verify_files(&path, &pub_path).unwrap();
    assert_eq!(verified.submission.figures[4].value, Some(65));
}

#[test]
fn writing_into_a_missing_folder_is_an_io_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-folder").join("monitor.json");
    let err = write_signed(&path, &signed()).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("no-such-folder"), "{err}");
}

#[test]
fn a_signature_by_another_key_is_a_wrong_key_id() {
    let s = signed();
    let err = verify(&s.json, &s.signature, &fixtures::other_key().public_text).unwrap_err();
    match err {
        Error::WrongKeyId { expected, found } => {
            assert_eq!(
                expected,
                fixtures::other_key().signing_key.key_id().to_hex()
            );
            assert_eq!(found, s.key_id.to_hex());
        }
        other => panic!("expected WrongKeyId, got {other:?}"),
    }
}

#[test]
fn a_changed_figure_is_a_bad_signature() {
    let s = signed();
    let text = String::from_utf8(s.json.clone()).unwrap();
    let changed = text.replace("\"value\":64}", "\"value\":65}");
    assert_ne!(changed, text);
    let err = verify(changed.as_bytes(), &s.signature, public_text()).unwrap_err();
    assert!(matches!(err, Error::BadSignature), "{err:?}");
}

#[test]
fn an_edited_trusted_comment_is_a_bad_signature() {
    let s = signed();
    let forged = s.signature.replace("year=2024", "year=2025");
    assert_ne!(forged, s.signature);
    let err = verify(&s.json, &forged, public_text()).unwrap_err();
    assert!(matches!(err, Error::BadSignature), "{err:?}");
}

fn sign_with_comment(json: &[u8], comment: &str) -> String {
    sign_detached(json, comment, &fixtures::key().signing_key).unwrap()
}

#[test]
fn a_comment_for_another_institution_year_or_file_is_a_comment_mismatch() {
    let s = signed();
    let hash = &s.sha256;
    let cases = [
        (
            "institution",
            format!("kto-monitor institution=uu year=2024 sha256={hash}"),
        ),
        (
            "year",
            format!("kto-monitor institution=tue year=2023 sha256={hash}"),
        ),
        (
            "sha256",
            format!(
                "kto-monitor institution=tue year=2024 sha256={}",
                sha256_hex(b"other")
            ),
        ),
    ];
    for (expected_field, comment) in cases {
        let sig = sign_with_comment(&s.json, &comment);
        match verify(&s.json, &sig, public_text()).unwrap_err() {
            Error::CommentMismatch { field, .. } => assert_eq!(field, expected_field),
            other => panic!("{expected_field}: expected CommentMismatch, got {other:?}"),
        }
    }
}

#[test]
fn a_comment_in_another_format_is_malformed() {
    let s = signed();
    for comment in [
        "timestamp:1700000000\tfile:monitor.json".to_owned(),
        format!("kto-monitor year=2024 institution=tue sha256={}", s.sha256),
        format!(
            "kto-monitor institution=tue year=2024 sha256={} extra=1",
            s.sha256
        ),
        format!(
            "kto-monitor institution=tue year=2024 sha256={}",
            s.sha256.to_uppercase()
        ),
        format!("kto-monitor institution=tue year=+2024 sha256={}", s.sha256),
        format!("kto-monitor  institution=tue year=2024 sha256={}", s.sha256),
    ] {
        let sig = sign_with_comment(&s.json, &comment);
        let err = verify(&s.json, &sig, public_text()).unwrap_err();
        assert!(
            matches!(err, Error::MalformedComment { .. }),
            "{comment}: {err:?}"
        );
    }
}

fn sign_file(json: &[u8]) -> String {
    sign_with_comment(
        json,
        &format!(
            "kto-monitor institution=tue year=2024 sha256={}",
            sha256_hex(json)
        ),
    )
}

#[test]
fn a_signed_file_that_is_not_a_submission_is_malformed() {
    for json in [&b"not json"[..], b"{}", br#"{"schema_version":1}"#] {
        let err = verify(json, &sign_file(json), public_text()).unwrap_err();
        assert!(matches!(err, Error::MalformedFile { .. }), "{err:?}");
    }
}

#[test]
fn a_file_of_another_schema_version_is_reported_as_unsupported() {
    let json = br#"{"schema_version":2,"future":true}"#;
    let err = verify(json, &sign_file(json), public_text()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnsupportedSchemaVersion {
                found: 2,
                supported: 1
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_signed_but_pretty_printed_file_is_not_canonical() {
    let pretty = serde_json::to_vec_pretty(&fixtures::submission()).unwrap();
    let err = verify(&pretty, &sign_file(&pretty), public_text()).unwrap_err();
    assert!(matches!(err, Error::NotCanonical), "{err:?}");
}

#[test]
fn unreadable_signature_and_key_texts_are_reported_as_malformed() {
    let s = signed();
    let err = verify(&s.json, "garbage", public_text()).unwrap_err();
    assert!(matches!(err, Error::MalformedSignature { .. }), "{err:?}");
    let err = verify(&s.json, &s.signature, "garbage").unwrap_err();
    assert!(matches!(err, Error::MalformedPublicKey { .. }), "{err:?}");
}

#[test]
fn a_multi_line_trusted_comment_cannot_be_signed() {
    let err = sign_detached(b"x", "a\nb", &fixtures::key().signing_key).unwrap_err();
    assert!(matches!(err, Error::Signing { .. }));
}

/// Flips bits of byte `index` of the base64 line `line` of a signature, decoded.
fn flip_decoded(sig: &str, line: usize, index: usize, mask: u8) -> String {
    let mut lines: Vec<String> = sig.lines().map(str::to_owned).collect();
    let mut bytes = b64::decode(&lines[line]);
    let i = index % bytes.len();
    bytes[i] ^= mask;
    lines[line] = b64::encode(&bytes);
    lines.join("\n") + "\n"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_changed_byte_of_the_file_fails_verification(index in any::<prop::sample::Index>(), mask in 1u8..=255) {
        let s = signed();
        let mut json = s.json.clone();
        let i = index.index(json.len());
        json[i] ^= mask;
        prop_assert!(verify(&json, &s.signature, public_text()).is_err());
    }

    #[test]
    fn any_changed_byte_of_the_trusted_comment_fails_verification(index in any::<prop::sample::Index>(), replacement in 0x21u8..0x7f) {
        let s = signed();
        let comment = s.comment.to_string();
        let i = index.index(comment.len());
        prop_assume!(comment.as_bytes()[i] != replacement);
        let mut bytes = comment.into_bytes();
        bytes[i] = replacement;
        let forged = s.signature.replace(&s.comment.to_string(), std::str::from_utf8(&bytes).unwrap());
        prop_assert!(verify(&s.json, &forged, public_text()).is_err());
    }

    #[test]
    fn any_changed_byte_of_the_signature_or_global_signature_fails_verification(
        global in any::<bool>(), index in 0usize..74, mask in 1u8..=255,
    ) {
        let s = signed();
        let forged = flip_decoded(&s.signature, if global { 3 } else { 1 }, index, mask);
        prop_assert!(verify(&s.json, &forged, public_text()).is_err());
    }
}

#[test]
fn the_test_base64_helper_round_trips_the_signature_lines() {
    let s = signed();
    for line in [1, 3] {
        let text = s.signature.lines().nth(line).unwrap();
        assert_eq!(b64::encode(&b64::decode(text)), text);
    }
}
