//! Verification with the standard `minisign` tool (a test fails
//! when it is not installed).

use std::process::Command;

use kto_report::{sign_submission, write_signed};

use crate::fixtures;

fn minisign_verify(json: &std::path::Path, public: &std::path::Path) -> std::process::Output {
    Command::new("minisign")
        .arg("-Vm")
        .arg(json)
        .arg("-p")
        .arg(public)
        .output()
        .unwrap()
}

#[test]
fn the_minisign_tool_accepts_a_written_submission_and_rejects_one_flipped_byte() {
    fixtures::require_tool("minisign", "-v", "the minisign CLI test");
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("monitor-2024.json");
    let public = dir.path().join("office.pub");
    std::fs::write(&public, &fixtures::key().public_text).unwrap();
    let signed = sign_submission(&fixtures::submission(), &fixtures::key().signing_key).unwrap();
    write_signed(&json, &signed).unwrap();

    let out = minisign_verify(&json, &public);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "minisign -V failed: {stdout}{stderr}");
    assert!(
        stdout.contains(&format!("Trusted comment: {}", signed.comment)),
        "minisign did not show the trusted comment: {stdout}"
    );

    let mut bytes = std::fs::read(&json).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&json, &bytes).unwrap();
    let out = minisign_verify(&json, &public);
    assert!(!out.status.success(), "minisign accepted a changed file");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_key_from_another_office_is_refused_by_the_minisign_tool() {
    fixtures::require_tool("minisign", "-v", "the minisign CLI wrong-key test");
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("monitor-2024.json");
    let public = dir.path().join("other.pub");
    std::fs::write(&public, &fixtures::other_key().public_text).unwrap();
    let signed = sign_submission(&fixtures::submission(), &fixtures::key().signing_key).unwrap();
    write_signed(&json, &signed).unwrap();
    assert!(!minisign_verify(&json, &public).status.success());
}

/// Runs `minisign` with `stdin` fed to it (it reads passphrases from a
/// non-terminal stdin).
fn minisign_with_input(args: &[&std::ffi::OsStr], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new("minisign")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_minisign_tool_opens_our_secret_key_and_its_signatures_pass_verify() {
    fixtures::require_tool("minisign", "-v", "the minisign CLI signing test");
    let dir = tempfile::tempdir().unwrap();
    let files = kto_report::generate_key_files(dir.path(), "office", fixtures::PASSPHRASE).unwrap();
    let json_path = dir.path().join("monitor-2024.json");
    let json = kto_report::to_canonical_json(&fixtures::submission()).unwrap();
    std::fs::write(&json_path, &json).unwrap();
    let comment = format!(
        "kto-monitor institution=tue year=2024 sha256={}",
        kto_report::sha256_hex(&json)
    );
    let out = minisign_with_input(
        &[
            "-S".as_ref(),
            "-s".as_ref(),
            files.secret_path.as_os_str(),
            "-m".as_ref(),
            json_path.as_os_str(),
            "-t".as_ref(),
            comment.as_ref(),
        ],
        &format!("{}\n", fixtures::PASSPHRASE),
    );
    assert!(
        out.status.success(),
        "minisign -S: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = std::fs::read_to_string(&files.public_path).unwrap();
    let verified = kto_report::verify_files(&json_path, &files.public_path).unwrap();
    assert_eq!(verified.comment.to_string(), comment);
    assert_eq!(
        verified.key_id,
        kto_report::PublicKey::from_text(&public).unwrap().key_id()
    );
}

#[test]
fn a_key_pair_made_by_the_minisign_tool_loads_and_signs() {
    fixtures::require_tool("minisign", "-v", "the minisign CLI key generation test");
    let dir = tempfile::tempdir().unwrap();
    let (public, secret) = (dir.path().join("cli.pub"), dir.path().join("cli.key"));
    let out = minisign_with_input(
        &[
            "-G".as_ref(),
            "-p".as_ref(),
            public.as_os_str(),
            "-s".as_ref(),
            secret.as_os_str(),
        ],
        "pw from cli\npw from cli\n",
    );
    assert!(
        out.status.success(),
        "minisign -G: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(matches!(
        kto_report::load_secret_key(&secret, "wrong"),
        Err(kto_report::Error::WrongPassphrase)
    ));
    let key = kto_report::load_secret_key(&secret, "pw from cli").unwrap();
    assert_eq!(
        key.public_key(),
        kto_report::load_public_key(&public).unwrap()
    );
    let signed = sign_submission(&fixtures::submission(), &key).unwrap();
    let json = dir.path().join("m.json");
    write_signed(&json, &signed).unwrap();
    assert!(minisign_verify(&json, &public).status.success());
}
