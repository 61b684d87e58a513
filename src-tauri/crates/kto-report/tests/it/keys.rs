use kto_report::{
    generate, generate_key_files, load_public_key, load_secret_key, secret_key_from_text, Error,
    PublicKey,
};

use crate::fixtures::{self, PASSPHRASE};

#[test]
fn key_files_are_written_in_minisign_format_with_a_private_secret_key() {
    let dir = tempfile::tempdir().unwrap();
    let files = generate_key_files(dir.path(), "office-2024", PASSPHRASE).unwrap();
    assert_eq!(files.public_path, dir.path().join("office-2024.pub"));
    assert_eq!(files.secret_path, dir.path().join("office-2024.key"));

    let public = std::fs::read_to_string(&files.public_path).unwrap();
    let lines: Vec<&str> = public.lines().collect();
    assert_eq!(lines.len(), 2);
    let key_id = files.signing_key.key_id().to_hex();
    assert_eq!(
        lines[0],
        format!("untrusted comment: minisign public key {key_id}")
    );
    assert_eq!(lines[1].len(), 56);
    assert!(
        lines[1].starts_with("RW"),
        "Ed25519 public keys start with RW: {}",
        lines[1]
    );

    let secret = std::fs::read_to_string(&files.secret_path).unwrap();
    assert!(secret.starts_with("untrusted comment: "));
    // Base64 of "Ed" + "Sc" (scrypt) + "B2" (BLAKE2b checksum): an encrypted key.
    assert!(
        secret.lines().nth(1).unwrap().starts_with("RWRTY0Iy"),
        "{secret}"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files.secret_path)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "secret key mode {mode:o}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_secret_key_file_opens_with_its_passphrase_and_matches_its_public_key() {
    let dir = tempfile::tempdir().unwrap();
    let files = generate_key_files(dir.path(), "k", PASSPHRASE).unwrap();
    let loaded = load_secret_key(&files.secret_path, PASSPHRASE).unwrap();
    let public = load_public_key(&files.public_path).unwrap();
    assert_eq!(loaded.public_key(), public);
    assert_eq!(loaded.key_id(), files.signing_key.key_id());
}

#[test]
fn a_wrong_passphrase_is_reported_as_wrong_passphrase() {
    let key = fixtures::key();
    let err = secret_key_from_text(&key.secret_text, "Correct horse battery staple").unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase), "{err:?}");
    assert_eq!(err.code(), "wrongPassphrase");
    assert!(err.to_string().contains("wrong passphrase"));
    let err = secret_key_from_text(&key.secret_text, "").unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase), "{err:?}");
}

#[test]
fn an_empty_passphrase_is_refused_for_a_new_key() {
    assert!(matches!(generate(""), Err(Error::EmptyPassphrase)));
}

#[test]
fn a_passphrase_that_is_easy_to_guess_is_refused_with_what_to_do() {
    for weak in [
        "a",
        "pass",
        "password1",
        "kto desk",
        "12345678",
        "Summer2026",
    ] {
        match generate(weak) {
            Err(Error::WeakPassphrase { reason }) => {
                assert!(reason.contains("too easy to guess"), "{weak}: {reason}");
                assert!(reason.contains("four or more words"), "{weak}: {reason}");
            }
            other => panic!("{weak}: {other:?}"),
        }
    }
    assert_eq!(kto_report::passphrase_problem(PASSPHRASE), None);
}

#[test]
fn new_keys_cost_what_minisign_own_keys_cost() {
    let key = fixtures::key();
    assert_eq!(
        kto_report::secret_key_cost(&key.secret_text).unwrap(),
        (kto_report::KDF_OPSLIMIT, kto_report::KDF_MEMLIMIT)
    );
    assert_eq!(
        (kto_report::KDF_OPSLIMIT, kto_report::KDF_MEMLIMIT),
        (33_554_432, 1_073_741_824),
        "minisign -G: libsodium's sensitive limits"
    );
}

#[test]
fn keys_made_at_the_earlier_lower_cost_keep_working() {
    // As KTO Desk made keys before: the minisign crate's own, lower scrypt cost.
    let pair =
        minisign::KeyPair::generate_encrypted_keypair(Some("an older passphrase".into())).unwrap();
    let text = pair.sk.to_box(None).unwrap().into_string();
    let (ops, mem) = kto_report::secret_key_cost(&text).unwrap();
    assert!(ops < kto_report::KDF_OPSLIMIT && mem < kto_report::KDF_MEMLIMIT);
    let key = secret_key_from_text(&text, "an older passphrase").unwrap();
    assert_eq!(key.key_id().0.to_vec(), pair.pk.keynum().to_vec());
}

#[test]
fn existing_key_files_are_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("k.key"), "old key").unwrap();
    let err = generate_key_files(dir.path(), "k", "pass").unwrap_err();
    assert!(matches!(err, Error::KeyFileExists { .. }), "{err:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("k.key")).unwrap(),
        "old key"
    );
    assert!(!dir.path().join("k.pub").exists());
}

#[test]
fn key_names_with_folders_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["", "../k", "a/b", ".hidden"] {
        assert!(
            matches!(
                generate_key_files(dir.path(), name, "pass"),
                Err(Error::KeyGeneration { .. })
            ),
            "{name}"
        );
    }
}

#[test]
fn text_that_is_not_a_secret_key_is_malformed_not_a_wrong_passphrase() {
    for text in [
        "",
        "hello",
        "untrusted comment: x\nnot base64!\n",
        "untrusted comment: x\nRWQ=\n",
    ] {
        let err = secret_key_from_text(text, PASSPHRASE).unwrap_err();
        assert!(
            matches!(err, Error::MalformedSecretKey { .. }),
            "{text:?}: {err:?}"
        );
    }
}

#[test]
fn the_public_key_text_round_trips_and_a_bare_base64_line_is_accepted() {
    let key = fixtures::key();
    let public = PublicKey::from_text(&key.public_text).unwrap();
    assert_eq!(public.to_text(), key.public_text);
    let bare = key.public_text.lines().nth(1).unwrap();
    assert_eq!(PublicKey::from_text(bare).unwrap(), public);
    assert!(matches!(
        PublicKey::from_text("nonsense"),
        Err(Error::MalformedPublicKey { .. })
    ));
}

#[test]
fn the_fingerprint_is_the_sha256_of_the_public_key_and_the_key_id_is_16_hex_digits() {
    let public = fixtures::key().signing_key.public_key();
    let fp = public.fingerprint();
    assert_eq!(fp.len(), 64);
    assert!(fp
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    let id = public.key_id().to_hex();
    assert_eq!(id.len(), 16);
    assert!(id
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)));
    assert_ne!(
        fp,
        fixtures::other_key().signing_key.public_key().fingerprint()
    );
}

#[test]
fn debug_output_of_a_signing_key_shows_only_its_key_id() {
    let key = &fixtures::key().signing_key;
    let debug = format!("{key:?}");
    assert_eq!(debug, format!("SigningKey({})", key.key_id()));
}
