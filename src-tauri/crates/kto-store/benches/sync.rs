//! Office sync (kto-store's sync module): what recording adds to a save, applying 1,000
//! changes from another laptop, and a laptop joining an office of 100,000 records.
//!
//! `cargo bench -p kto-store --bench sync`; the join size with `KTO_BENCH_JOIN=100000`.
//! Figures are written down in BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use kto_core::activity::{Change, RecordKind};
use kto_core::record::{Value, Values};
use kto_store::Store;

mod common;

fn change() -> Change {
    Change {
        actor: "bench".into(),
        at: Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap(),
    }
}

fn consortium(n: usize) -> Values {
    [
        ("name", Value::Text(format!("Consortium {n}"))),
        ("programme", Value::Text("TKI HTSM".into())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// A shared folder where Ana made `changes` saves after Bram joined; Bram's database is
/// copied fresh for every run.
struct Pending {
    _dir: tempfile::TempDir,
    shared: std::path::PathBuf,
    bram: std::path::PathBuf,
}

fn pending(changes: usize) -> Pending {
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let mut ana = Store::open(&dir.path().join("ana.sqlite3")).unwrap();
    ana.sync_folder(&shared).unwrap();
    ana.write_snapshot(&shared).unwrap();
    let bram = dir.path().join("bram.sqlite3");
    drop(Store::join_office(&shared, &bram, "Bram").unwrap());
    for n in 0..changes {
        ana.create_record(&change(), RecordKind::Consortium, &consortium(n))
            .unwrap();
    }
    ana.sync_folder(&shared).unwrap();
    Pending {
        _dir: dir,
        shared,
        bram,
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("sync");
    g.sample_size(10).measurement_time(Duration::from_secs(20));

    // A save with its changeset recorded (every save is), in an office of 10,000 saves.
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("office.sqlite3")).unwrap();
    for n in 0..10_000 {
        store
            .create_record(&change(), RecordKind::Consortium, &consortium(n))
            .unwrap();
    }
    let mut n = 10_000;
    g.bench_function("save a record (recorded for sync)", |b| {
        b.iter(|| {
            n += 1;
            store
                .create_record(&change(), RecordKind::Consortium, &consortium(n))
                .unwrap()
        })
    });

    let p = pending(1_000);
    g.bench_function("apply 1,000 changes of another laptop", |b| {
        b.iter_batched(
            || {
                let copy = p.bram.with_extension(format!("run-{}", uuid_like()));
                std::fs::copy(&p.bram, &copy).unwrap();
                copy
            },
            |copy| {
                let mut s = Store::open(&copy).unwrap();
                let r = s.sync_folder(&p.shared).unwrap();
                assert_eq!(r.applied, 1_000);
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();

    // Joining an office of N records: once, timed by hand (it takes seconds).
    let records: u64 = std::env::var("KTO_BENCH_JOIN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let mut ana = Store::open(&dir.path().join("ana.sqlite3")).unwrap();
    let office = kto_core::demo::synthetic(7, common::today(), records as usize);
    ana.load_demo(&office, common::today(), "bench").unwrap();
    ana.sync_folder(&shared).unwrap();
    let t = Instant::now();
    ana.write_snapshot(&shared).unwrap();
    let snapshot = t.elapsed();
    let t = Instant::now();
    let (_, report) = Store::join_office(&shared, &dir.path().join("cas.sqlite3"), "Cas").unwrap();
    eprintln!(
        "join an office of {records} records: snapshot written in {snapshot:.2?}, joined in {:.2?} ({} changes applied after it)",
        t.elapsed(),
        report.applied
    );
}

fn uuid_like() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

criterion_group!(benches, bench);
criterion_main!(benches);
