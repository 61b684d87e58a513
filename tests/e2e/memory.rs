//! Benchmark, not a test: resident memory of the app after opening each main view on a
//! large office. Ignored in the normal run; BENCHMARKS.md has the command and the figures:
//!
//! ```sh
//! KTO_BENCH_OFFICE=target/bench-data/office-100000-seed7.sqlite3 \
//!   cargo test --release -p kto-desk --test e2e memory -- --ignored --nocapture
//! ```
//!
//! Memory is the RSS of the app process and of the WebKit processes it started (the
//! webview's page and network processes), read from `/proc` after each view has shown its
//! data and settled for a second.

use std::time::Duration;

use crate::harness::Driver;

/// Resident set size of a process, in kB; 0 when it is gone.
fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(p) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
        // Field 4 (after the parenthesised name) is the parent pid.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
        if ppid == Some(pid) {
            out.push(p);
        }
    }
    out
}

/// The newest process running the app binary.
fn app_pid() -> u32 {
    let bin = std::fs::canonicalize(env!("CARGO_BIN_EXE_kto-desk")).unwrap();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(p) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if std::fs::read_link(format!("/proc/{p}/exe")).ok().as_ref() == Some(&bin) {
            found.push(p);
        }
    }
    found.into_iter().max().expect("the app process is running")
}

/// (app, app and its WebKit processes) in MB.
fn memory(app: u32) -> (u64, u64) {
    let mut total = rss_kb(app);
    let mut stack = children(app);
    while let Some(p) = stack.pop() {
        total += rss_kb(p);
        stack.extend(children(p));
    }
    (rss_kb(app) / 1024, total / 1024)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: needs KTO_BENCH_OFFICE, see the module docs"]
async fn memory_after_each_main_view() {
    let office = std::env::var("KTO_BENCH_OFFICE")
        .expect("KTO_BENCH_OFFICE names an office database built by the office bench");
    let driver = Driver::start();
    // A backup of today exists, so the daily backup does not run during the measurement.
    let backups = driver.data_dir.path().join(kto_store::BACKUP_DIR_NAME);
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::copy(&office, driver.db_path()).unwrap();
    std::fs::copy(
        &office,
        backups.join(format!(
            "kto-desk-auto-{}-000000000.sqlite3",
            chrono::Utc::now().format("%Y%m%d")
        )),
    )
    .unwrap();

    let app = driver.launch().await;
    app.wait_text("#week-title", |s| !s.is_empty()).await;
    app.wait_text("#pipeline-chart", |s| !s.is_empty()).await;
    let pid = app_pid();
    let settle = || tokio::time::sleep(Duration::from_secs(1));
    settle().await;
    let mut rows = vec![("My week (start)", memory(pid))];

    let views: [(&str, &str, &str); 8] = [
        ("Disclosures list", "#nav-disclosures", "#disclosure-rows"),
        ("Licensing board", "#nav-boards", "#board"),
        ("Agreements table", "#nav-agreement", "#records-table"),
        ("Patents table", "#nav-patent", "#records-table"),
        ("Organisations table", "#nav-organisation", "#records-table"),
        ("Monitor", "#nav-monitor", "#monitor-title"),
        ("Learn", "#nav-learn", "#lesson"),
        ("Settings", "#nav-settings", "#backups"),
    ];
    for (name, nav, shown) in views {
        app.click(nav).await;
        app.wait_text(shown, |s| !s.is_empty()).await;
        settle().await;
        rows.push((name, memory(pid)));
    }
    app.click("#open-search").await;
    app.fill("#global-search", "se").await;
    app.wait_text("#global-results", |s| !s.is_empty()).await;
    settle().await;
    rows.push(("Search palette, 'se'", memory(pid)));
    // Escape closes the palette (WebDriver's key code for Escape).
    app.find("#global-search")
        .await
        .send_keys("\u{E00C}")
        .await
        .unwrap();
    app.click("#nav-week").await;
    app.wait_text("#pipeline-chart", |s| !s.is_empty()).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    rows.push(("My week again, after 5 s", memory(pid)));

    println!("| after opening | app process | app + WebKit processes |");
    println!("|---|---|---|");
    for (name, (own, total)) in &rows {
        println!("| {name} | {own} MB | {total} MB |");
    }
    app.quit().await;
    // A figure of a process that was gone, or without the webview's processes, is no figure.
    for (name, (own, total)) in rows {
        assert!(own > 0, "{name}: the app process was not found");
        assert!(
            total > own,
            "{name}: the WebKit processes of the app were not found"
        );
    }
}
