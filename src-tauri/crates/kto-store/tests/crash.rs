//! Crash safety: a writer process is killed with SIGKILL at random moments during a stream
//! of writes, again and again, and after each kill every record it reported as committed
//! is in the file, `integrity_check` passes and the store reopens.
//!
//! The writer is this test binary run again with `KTO_CRASH_WRITER` set, selecting the
//! hidden [`writer`] test. It prints `committed <id>` and flushes after each commit has
//! returned, so a line on its stdout is a promise that the record is stored. The kill
//! moments come from a seed that is printed; `KTO_CRASH_SEED=<seed>` replays a run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use kto_core::activity::{Change, RecordKind as K};
use kto_core::record::{Value, Values};
use kto_store::Store;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The database path the writer writes to; set only in the writer process.
const WRITER_ENV: &str = "KTO_CRASH_WRITER";
/// The round number, which makes the writer's descriptions unique across rounds.
const ROUND_ENV: &str = "KTO_CRASH_ROUND";
/// Replays a run with the seed it printed.
const SEED_ENV: &str = "KTO_CRASH_SEED";

const KILLS: usize = 60;
/// The writer runs this long (in milliseconds) after it is ready before it is killed.
const DELAY_MS: std::ops::RangeInclusive<u64> = 5..=60;
/// Far above what the kills take; a hang fails the test instead of blocking `make test`.
const TIME_LIMIT: Duration = Duration::from_secs(50);

const READY: &str = "ready";
const COMMITTED: &str = "committed ";

fn change() -> Change {
    Change {
        actor: "Crash Test".into(),
        at: Utc.with_ymd_and_hms(2026, 3, 7, 9, 30, 0).unwrap(),
    }
}

/// The values of the writer's `n`-th cost in `round`: the description names both, so
/// the parent can check that what it finds is what was written.
fn cost(round: usize, n: usize) -> Values {
    [
        ("description", Value::Text(description(round, n))),
        ("category", Value::Text("patent".into())),
        ("paidDate", Value::Text("2026-01-15".into())),
        ("amount", Value::Int(i64::try_from(n).unwrap() * 100 + 1)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn description(round: usize, n: usize) -> String {
    format!("round {round} write {n}")
}

/// The writer: runs only when re-executed by [`killed_writers_lose_no_committed_record`].
/// Writes costs until it is killed, printing each id after its commit returned.
#[test]
fn writer() {
    let Some(path) = std::env::var_os(WRITER_ENV) else {
        return;
    };
    let round: usize = std::env::var(ROUND_ENV).unwrap().parse().unwrap();
    let mut store = Store::open(Path::new(&path)).unwrap();
    // Write to the file descriptor directly, one line per call, flushed: nothing that
    // was committed may wait in a buffer when the kill comes.
    let mut out = std::io::stdout().lock();
    out.write_all(format!("{READY}\n").as_bytes()).unwrap();
    out.flush().unwrap();
    // A writer whose parent died before killing it stops by itself.
    let started = Instant::now();
    for n in 0.. {
        if started.elapsed() > TIME_LIMIT {
            break;
        }
        let saved = store
            .create_record(&change(), K::Cost, &cost(round, n))
            .unwrap();
        out.write_all(format!("{COMMITTED}{n} {}\n", saved.id).as_bytes())
            .unwrap();
        out.flush().unwrap();
    }
}

/// The records a writer reported, by write number, from its complete output lines only:
/// a line cut off by the kill has no newline and promises nothing. The test harness may
/// print its own text on the same stream, so a line counts from where its marker starts.
fn committed(output: &[u8]) -> BTreeMap<usize, String> {
    let text = String::from_utf8_lossy(output);
    let complete = match text.rfind('\n') {
        Some(end) => &text[..end],
        None => "",
    };
    complete
        .lines()
        .filter_map(|line| {
            let rest = &line[line.find(COMMITTED)? + COMMITTED.len()..];
            let (n, id) = rest.split_once(' ')?;
            Some((n.parse().ok()?, uuid_text(id)?))
        })
        .collect()
}

/// `id` when it is a whole UUID.
fn uuid_text(id: &str) -> Option<String> {
    (id.len() == 36 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'))
        .then(|| id.to_string())
}

#[test]
fn committed_ids_come_from_complete_lines_only() {
    let id = "0190c6f2-7a4b-7c3d-8e5f-0123456789ab";
    let out = format!(
        "\nrunning 1 test\ntest writer ... {READY}\n{COMMITTED}0 {id}\n{COMMITTED}1 {id}\n{COMMITTED}2 {}",
        &id[..20]
    );
    let found = committed(out.as_bytes());
    assert_eq!(found.keys().copied().collect::<Vec<_>>(), vec![0, 1]);
    // A cut-off last line is ignored even when what remains looks whole.
    let cut = format!("{COMMITTED}0 {id}\n{COMMITTED}1 {id}");
    assert_eq!(committed(cut.as_bytes()).len(), 1);
}

/// Runs one writer in `round` against `db`, kills it after `delay` and returns the ids it
/// reported as committed, by write number.
fn run_and_kill(db: &Path, round: usize, delay: Duration) -> BTreeMap<usize, String> {
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args(["--exact", "writer", "--nocapture", "--test-threads=1"])
        .env(WRITER_ENV, db)
        .env(ROUND_ENV, round.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    // Wait until the store is open, so that the kill lands among the writes.
    let mut output = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = stdout.read_until(b'\n', &mut line).unwrap();
        output.extend_from_slice(&line);
        if n == 0 {
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            let status = child.wait().unwrap();
            panic!(
                "round {round}: the writer ended before it was ready ({status}):\n{}\n{err}",
                String::from_utf8_lossy(&output)
            );
        }
        if String::from_utf8_lossy(&line).contains(READY) {
            break;
        }
    }
    std::thread::sleep(delay);
    // SIGKILL on Unix: no destructor, no flush, no rollback runs in the writer.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "round {round}: the writer was not killed ({status})"
    );
    stdout.read_to_end(&mut output).unwrap();
    committed(&output)
}

#[test]
fn killed_writers_lose_no_committed_record() {
    let started = Instant::now();
    let seed: u64 = match std::env::var(SEED_ENV) {
        Ok(s) => s.parse().expect("KTO_CRASH_SEED is a number"),
        Err(_) => rand::rng().random(),
    };
    println!("crash test seed: {seed} (replay with {SEED_ENV}={seed})");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(kto_store::DB_FILE_NAME);
    // Created and migrated here, so every writer opens an existing file as the app does.
    drop(Store::open(&db).unwrap());

    let mut all: Vec<(usize, usize, String)> = Vec::new();
    for round in 0..KILLS {
        assert!(
            started.elapsed() < TIME_LIMIT,
            "seed {seed}: only {round} of {KILLS} kills in {TIME_LIMIT:?}"
        );
        let delay = Duration::from_millis(rng.random_range(DELAY_MS));
        let reported = run_and_kill(&db, round, delay);

        let store = Store::open(&db)
            .unwrap_or_else(|e| panic!("seed {seed}, round {round}: reopening failed: {e}"));
        store
            .integrity_check()
            .unwrap_or_else(|e| panic!("seed {seed}, round {round}: {e}"));
        for (n, id) in &reported {
            let found = store.record(K::Cost, id).unwrap_or_else(|e| {
                panic!("seed {seed}, round {round}: committed write {n} ({id}) is lost: {e}")
            });
            assert_eq!(found.title, description(round, *n), "seed {seed}");
        }
        all.extend(reported.into_iter().map(|(n, id)| (round, n, id)));
    }

    // The earlier rounds' records survived every later crash and recovery too.
    let store = Store::open(&db).unwrap();
    store.integrity_check().unwrap();
    for (round, n, id) in &all {
        let found = store
            .record(K::Cost, id)
            .unwrap_or_else(|e| panic!("seed {seed}: write {n} of round {round} is lost: {e}"));
        assert_eq!(found.title, description(*round, *n), "seed {seed}");
    }
    println!(
        "{KILLS} kills, {} committed records checked in {:.1?}",
        all.len(),
        started.elapsed()
    );
}
