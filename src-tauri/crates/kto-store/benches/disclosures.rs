//! What a user waits on in the disclosure list, at office scale: the first page, a page
//! deep in the list, another sort order, a search, opening and saving a record.
//!
//! `cargo bench -p kto-store --bench disclosures`; sizes with `KTO_BENCH_SIZES=10000,100000`.
//! Figures are written down in BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use chrono::Utc;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use kto_core::activity::Change;
use kto_core::disclosure::{validate, DisclosureQuery, DisclosureSort};
use kto_store::Store;

mod common;

use common::{sizes, today};

/// An office of `n` disclosures in a file database, built through the normal write path.
fn office(n: usize, dir: &std::path::Path) -> Store {
    let path = dir.join(format!("bench-{n}.sqlite3"));
    let t = Instant::now();
    let mut store = Store::open(&path).unwrap();
    let demo = kto_core::demo::office(7, today(), (n / 20).max(64), n);
    store.load_demo(&demo, today(), "bench").unwrap();
    eprintln!("built an office of {n} disclosures in {:.1?}", t.elapsed());
    store
}

fn page(store: &Store, q: &DisclosureQuery) -> usize {
    store.list_disclosures(q).unwrap().rows.len()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    for n in sizes() {
        let mut store = office(n, dir.path());
        let mut group = c.benchmark_group(format!("disclosures/{n}"));
        group.sample_size(30);

        let first = DisclosureQuery {
            sort: DisclosureSort::ReceivedOn,
            descending: true,
            limit: 200,
            ..Default::default()
        };
        group.bench_function(BenchmarkId::new("first_page", "received_desc"), |b| {
            b.iter(|| page(&store, &first))
        });

        // The cursor of the row in the middle of the list: paging by key costs the same there.
        let mut q = DisclosureQuery {
            limit: 1_000,
            ..first.clone()
        };
        for _ in 0..(n / 2_000) {
            q.after = store.list_disclosures(&q).unwrap().next;
        }
        let deep = DisclosureQuery { limit: 200, ..q };
        group.bench_function(BenchmarkId::new("page_by_key", "middle"), |b| {
            b.iter(|| page(&store, &deep))
        });

        let by_title = DisclosureQuery {
            sort: DisclosureSort::Title,
            limit: 200,
            ..Default::default()
        };
        group.bench_function(BenchmarkId::new("first_page", "title"), |b| {
            b.iter(|| page(&store, &by_title))
        });

        for term in ["perovskite", "se", "vries catalyst"] {
            let s = DisclosureQuery {
                search: Some(term.into()),
                limit: 200,
                ..first.clone()
            };
            group.bench_function(BenchmarkId::new("search", term), |b| {
                b.iter(|| page(&store, &s))
            });
        }

        let id = store.list_disclosures(&first).unwrap().rows[0].id;
        group.bench_function("open_record", |b| b.iter(|| store.disclosure(id).unwrap()));

        let input = kto_core::demo::office(99, today(), 10, 1).disclosures[0]
            .input
            .clone();
        let mut input = input;
        input.reference = String::new();
        for inv in &mut input.inventors {
            // People of another generated office: save them as new inventors by name.
            inv.person_id = None;
            inv.organisation_id = None;
        }
        let valid = validate(&input, today()).unwrap();
        group.bench_function("save_new_record", |b| {
            b.iter(|| {
                store
                    .create_disclosure(
                        &Change {
                            actor: "bench".into(),
                            at: Utc::now(),
                        },
                        &valid,
                    )
                    .unwrap()
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
