//! What a user waits on across the whole office, at 10,000 and 100,000 records (and
//! 1,000,000 for search and figures when asked for): opening the file, the first board,
//! a table page, search, saving a record, My week, the year's monitor figures, a backup
//! and an import of 10,000 rows.
//!
//! `cargo bench -p kto-store --bench office`; sizes with `KTO_BENCH_SIZES=10000,100000`.
//! Offices are built once by the synthetic generator (`kto demo --records N`) into
//! `target/bench-data/` and reused. `scripts/bench-sql.sh` times the same questions as
//! hand-written SQL in the `sqlite3` shell. Figures are written down in BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use kto_core::activity::{Change, RecordKind};
use kto_core::monitor::{compute_monitor, reporting_period, DefinitionSet, FinancialYearStart};
use kto_core::pipeline::Pipeline;
use kto_core::record::{RecordQuery, Value, Values};
use kto_store::Store;

const SEED: u64 = 7;

mod common;

use common::{sizes, today};

/// The office of about `n` records, built once and kept under target/bench-data.
fn office_file(n: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("office-{n}-seed{SEED}.sqlite3"));
    if !path.exists() {
        let t = Instant::now();
        let tmp = path.with_extension("building");
        let _ = std::fs::remove_file(&tmp);
        let mut store = Store::open(&tmp).unwrap();
        let office = kto_core::demo::synthetic(SEED, today(), n);
        store.load_demo(&office, today(), "bench").unwrap();
        drop(store);
        std::fs::rename(&tmp, &path).unwrap();
        eprintln!("built an office of {n} records in {:.1?}", t.elapsed());
    } else {
        // An office cached by an older build is migrated once, in place, so that
        // scripts/bench-sql.sh asks the same schema as the app.
        let t = Instant::now();
        let store = Store::open(&path).unwrap();
        drop(store);
        if t.elapsed().as_secs() >= 1 {
            eprintln!(
                "migrated the cached office of {n} records in {:.1?}",
                t.elapsed()
            );
        }
    }
    path
}

fn definitions() -> DefinitionSet {
    DefinitionSet::from_json(include_str!(
        "../../../../assets/monitor/definitions-2026.1.json"
    ))
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let defs = definitions();
    for n in sizes() {
        let path = office_file(n);
        // Work on a copy so that saving in the benchmark never grows the cached office.
        let copy = tempfile::tempdir().unwrap();
        let work = copy.path().join("office.sqlite3");
        std::fs::copy(&path, &work).unwrap();
        let mut group = c.benchmark_group(format!("office/{n}"));
        group.sample_size(20);
        let full = n < 1_000_000;

        if full {
            group.bench_function("open (checks + migrations)", |b| {
                b.iter(|| Store::open(&work).unwrap())
            });
        }
        let mut store = Store::open(&work).unwrap();
        if full {
            group.bench_function("board licensing", |b| {
                b.iter(|| store.board(Pipeline::Licensing).unwrap().columns.len())
            });
            let by_value = RecordQuery {
                sort: Some("value".into()),
                descending: true,
                limit: 100,
                ..Default::default()
            };
            group.bench_function("table page agreements by value", |b| {
                b.iter(|| {
                    store
                        .list_records(RecordKind::Agreement, &by_value)
                        .unwrap()
                        .rows
                        .len()
                })
            });
            let filtered = RecordQuery {
                filters: [("kind".to_string(), Value::Text("licence".into()))].into(),
                sort: Some("signedDate".into()),
                descending: true,
                limit: 100,
                ..Default::default()
            };
            group.bench_function("table page licences by signing date", |b| {
                b.iter(|| {
                    store
                        .list_records(RecordKind::Agreement, &filtered)
                        .unwrap()
                        .rows
                        .len()
                })
            });
            group.bench_function("my week", |b| {
                b.iter(|| {
                    store
                        .week(today(), today() + chrono::Days::new(14))
                        .unwrap()
                        .deadlines
                        .len()
                })
            });
        }
        group.bench_function("search all kinds 'pyroly'", |b| {
            b.iter(|| store.search_all("pyroly", 8).unwrap().len())
        });
        group.bench_function("search all kinds 'se'", |b| {
            b.iter(|| store.search_all("se", 8).unwrap().len())
        });
        let period = reporting_period(2025, FinancialYearStart::default()).unwrap();
        group.bench_function("monitor figures 2025", |b| {
            b.iter(|| {
                let facts = store.monitor_period_facts(&period).unwrap();
                compute_monitor(&defs, &facts, &period).figures.len()
            })
        });
        if full {
            let change = Change {
                actor: "bench".into(),
                at: Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap(),
            };
            let values: Values = [
                ("title".to_string(), Value::Text("Licence benchmark".into())),
                ("kind".to_string(), Value::Text("licence".into())),
                ("value".to_string(), Value::Int(5_000_000)),
            ]
            .into();
            group.bench_function("save a new agreement", |b| {
                b.iter(|| {
                    store
                        .create_record(&change, RecordKind::Agreement, &values)
                        .unwrap()
                })
            });
            let backups = tempfile::tempdir().unwrap();
            let mut n_backup = 0;
            group.sample_size(10);
            group.bench_function("backup (VACUUM INTO, check, rename)", |b| {
                b.iter(|| {
                    n_backup += 1;
                    store
                        .backup_to(&backups.path().join(format!("b{n_backup}.sqlite3")))
                        .unwrap()
                })
            });
            // 10,000 new income rows in the canonical CSV format, imported in one
            // transaction (validation, links, history, search index, audit chain).
            let agreement = store
                .list_records(
                    RecordKind::Agreement,
                    &RecordQuery {
                        limit: 1,
                        ..Default::default()
                    },
                )
                .unwrap()
                .rows
                .remove(0)
                .id;
            let mut csv = String::from("description,kind,receivedDate,amount,agreementId\n");
            for i in 0..10_000 {
                csv.push_str(&format!(
                    "Royalty {i},royalty,2025-06-30,{}.50,{agreement}\n",
                    1000 + i
                ));
            }
            group.bench_function("import 10,000 CSV rows", |b| {
                b.iter(|| {
                    store
                        .import_csv(&change, RecordKind::Income, csv.as_bytes())
                        .unwrap()
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
