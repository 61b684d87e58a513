//! Times the main operations on a 16-figure submission and writes the
//! files it measured, for a look:
//!
//! ```text
//! cargo run -p kto-report --release --example measure -- target/kto-measure
//! ```
//!
//! Timing is plain `std::time::Instant`; the medians of several runs are printed. Without
//! an argument the files go to `kto-measure` in the current folder.

// The test fixtures, reused as they are (test code, so unwrap is allowed in them).
#[path = "../tests/it/fixtures.rs"]
#[allow(dead_code, clippy::unwrap_used, clippy::expect_used)]
mod fixtures;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use kto_report::{
    generate_key_files, load_secret_key, render_report, sign_submission, verify_files,
    write_signed, Locale, ReportInput, SignatureInfo,
};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Runs `f` `runs` times (at least once) and returns the median time and the last result.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut samples = Vec::with_capacity(runs.max(1));
    let start = Instant::now();
    let mut last = f();
    samples.push(start.elapsed());
    for _ in 1..runs {
        let start = Instant::now();
        last = f();
        samples.push(start.elapsed());
    }
    (median(samples), last)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "kto-measure".into()),
    );
    std::fs::create_dir_all(&out)?;
    for name in ["office.pub", "office.key"] {
        let _ = std::fs::remove_file(out.join(name));
    }
    let sub = fixtures::submission();
    assert_eq!(sub.figures.len(), 16);

    let start = Instant::now();
    let files = generate_key_files(&out, "office", fixtures::PASSPHRASE)?;
    let generate = start.elapsed();

    let (open, key) = time(5, || {
        load_secret_key(&files.secret_path, fixtures::PASSPHRASE)
    });
    let key = key?;

    let json_path = out.join("monitor-2024.json");
    let (sign_write, signed) = time(50, || -> kto_report::Result<_> {
        let signed = sign_submission(&sub, &key)?;
        write_signed(&json_path, &signed)?;
        Ok(signed)
    });
    let signed = signed?;
    let (sign_only, _) = time(50, || sign_submission(&sub, &key));

    let (verify, verified) = time(50, || verify_files(&json_path, &files.public_path));
    verified?;

    let public = key.public_key();
    let input = ReportInput {
        submission: &sub,
        locale: Locale::Nl,
        generated_on: fixtures::date(2025, 3, 14),
        previous_years: fixtures::previous_years(),
        chart_codes: vec!["ID".into(), "PA-PRIO".into(), "LI".into(), "SO".into()],
        quality_notes: vec![
            "Twee ideeën zijn dubbel gemeld en één keer geteld.".into(),
            "Scouting wordt pas vanaf 2025 geregistreerd.".into(),
        ],
        signature: Some(SignatureInfo {
            key_id: public.key_id().to_hex(),
            key_fingerprint: public.fingerprint(),
            file_sha256: signed.sha256.clone(),
        }),
        definitions: Vec::new(),
        submission_file: Some("kto-monitor-tue-2024-v1.json".to_owned()),
    };
    let (render, pdf) = time(10, || render_report(&input));
    let pdf = pdf?;
    std::fs::write(out.join("monitor-2024-nl.pdf"), &pdf)?;
    let en = render_report(&ReportInput {
        locale: Locale::En,
        ..input.clone()
    })?;
    std::fs::write(out.join("monitor-2024-en.pdf"), &en)?;

    println!(
        "16-figure submission, {} bytes canonical JSON",
        signed.json.len()
    );
    println!("generate key pair + write files (2 scrypt runs): {generate:?}");
    println!("open secret key with passphrase (scrypt), median of 5: {open:?}");
    println!("sign only, median of 50: {sign_only:?}");
    println!("sign + write FILE.json and .minisig (fsync, rename), median of 50: {sign_write:?}");
    println!("verify files, median of 50: {verify:?}");
    println!(
        "render PDF report, median of 10: {render:?} ({} bytes)",
        pdf.len()
    );
    println!("files in {}", out.display());
    Ok(())
}
