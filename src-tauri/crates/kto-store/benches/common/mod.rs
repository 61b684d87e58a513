//! What the benchmarks share: the fixed "today" of the generated offices and the sizes to
//! measure (`KTO_BENCH_SIZES=10000,100000`).

use chrono::NaiveDate;

/// The date the offices are generated for, so that runs compare.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
}

/// The office sizes to measure, from `KTO_BENCH_SIZES` (default 10,000 and 100,000).
#[allow(dead_code)] // not every bench measures several sizes
pub fn sizes() -> Vec<usize> {
    std::env::var("KTO_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}
