//! Crash safety: a writer process is killed with SIGKILL at random moments during a stream
//! of writes, again and again, and after each kill every record it reported as committed
//! is in the file, `integrity_check` passes and the store reopens.
//!
//! The same holds for imports (a killed import leaves all of its rows or none), backups
//! (every backup reported done is whole and matches its check file) and restores (the
//! office is the old or the restored database, never half of one); after every kill the
//! office's whole audit check passes and the hidden temporary files are cleaned up.
//!
//! The writer is this test binary run again with `KTO_CRASH_WRITER` set, selecting the
//! ignored [`writer`] test (`--ignored`), and `KTO_CRASH_MODE` saying what it does. It prints `committed <id>` and flushes after each commit has
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
/// What the writer does: `costs`, `import`, `backup` or `restore`.
const MODE_ENV: &str = "KTO_CRASH_MODE";
/// Rows per import in `import` mode.
const IMPORT_ROWS: usize = 40;

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

/// The writer: run only when re-executed by the crash tests (it is ignored otherwise,
/// and fails when run without its database). Writes until it is killed, printing each
/// result after its commit returned.
#[test]
#[ignore = "the crash tests' writer process; run by them with --ignored"]
fn writer() {
    let path = std::env::var_os(WRITER_ENV).expect("KTO_CRASH_WRITER names the database");
    let path = Path::new(&path);
    let round: usize = std::env::var(ROUND_ENV).unwrap().parse().unwrap();
    let mode = std::env::var(MODE_ENV).unwrap_or_else(|_| "costs".into());
    let backups = path.parent().unwrap().join(kto_store::BACKUP_DIR_NAME);
    let mut store = Some(Store::open(path).unwrap());
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
        let done = match mode.as_str() {
            "import" => {
                let mut csv = String::from("description,category,paidDate,amount\n");
                for i in 0..IMPORT_ROWS {
                    csv.push_str(&format!(
                        "{} row {i},patent,2026-01-15,{i}.50\n",
                        description(round, n)
                    ));
                }
                let s = store.as_mut().unwrap();
                s.import_csv(&change(), K::Cost, csv.as_bytes()).unwrap();
                format!("{n}")
            }
            "backup" => {
                let at = change().at
                    + chrono::Duration::milliseconds(i64::try_from(round * 100_000 + n).unwrap());
                let made = store
                    .as_ref()
                    .unwrap()
                    .backup_into(&backups, kto_core::backup::BackupKind::Manual, at)
                    .unwrap();
                made.name
            }
            "restore" => {
                if let Some(s) = store.take() {
                    s.close().unwrap();
                }
                let source = path.parent().unwrap().join("source.sqlite3");
                kto_store::prepare_restore(&source, path, kto_store::Checksum::Required)
                    .unwrap()
                    .commit()
                    .unwrap();
                format!("{n}")
            }
            _ => {
                let saved = store
                    .as_mut()
                    .unwrap()
                    .create_record(&change(), K::Cost, &cost(round, n))
                    .unwrap();
                format!("{n} {}", saved.id)
            }
        };
        out.write_all(format!("{COMMITTED}{done}\n").as_bytes())
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
    committed(&run_and_kill_in(db, "costs", round, delay))
}

/// Runs one writer in `mode` and returns its whole output once it was killed.
fn run_and_kill_in(db: &Path, mode: &str, round: usize, delay: Duration) -> Vec<u8> {
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args([
            "--exact",
            "writer",
            "--nocapture",
            "--test-threads=1",
            "--ignored",
        ])
        .env(WRITER_ENV, db)
        .env(ROUND_ENV, round.to_string())
        .env(MODE_ENV, mode)
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
    output
}

/// The results a writer in another mode reported, from complete lines only.
fn reported_lines(output: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(output);
    let complete = text.rfind('\n').map_or("", |end| &text[..end]);
    complete
        .lines()
        .filter_map(|l| Some(l[l.find(COMMITTED)? + COMMITTED.len()..].to_string()))
        .collect()
}

/// After a kill: the office opens, passes the integrity check and its whole audit check
/// (with the anchors of its backups), and no hidden temporary file is left once the
/// start-up clean-up has run.
fn office_is_sound(db: &Path, what: &str) -> Store {
    let dir = db.parent().unwrap();
    for d in [dir.to_path_buf(), dir.join(kto_store::BACKUP_DIR_NAME)] {
        kto_store::remove_stale_temps(&d).unwrap();
        let hidden: Vec<String> = std::fs::read_dir(&d)
            .map(|r| {
                r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .filter(|n| n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        assert!(hidden.is_empty(), "{what}: left behind {hidden:?}");
    }
    let store = Store::open(db).unwrap_or_else(|e| panic!("{what}: reopening failed: {e}"));
    store
        .integrity_check()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let report = store
        .verify_office_audit(&dir.join(kto_store::BACKUP_DIR_NAME), &[])
        .unwrap();
    assert!(report.intact(), "{what}: {:?}", report.problems());
    store
}

/// The kills of the import, backup and restore tests.
const OTHER_KILLS: usize = 12;

fn seeded(test: &str) -> (u64, ChaCha8Rng) {
    let seed: u64 = match std::env::var(SEED_ENV) {
        Ok(s) => s.parse().expect("KTO_CRASH_SEED is a number"),
        Err(_) => rand::rng().random(),
    };
    println!("{test} seed: {seed} (replay with {SEED_ENV}={seed})");
    (seed, ChaCha8Rng::seed_from_u64(seed))
}

#[test]
fn killed_imports_leave_all_their_rows_or_none() {
    let (seed, mut rng) = seeded("import crash test");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(kto_store::DB_FILE_NAME);
    drop(Store::open(&db).unwrap());
    for round in 0..OTHER_KILLS {
        let delay = Duration::from_millis(rng.random_range(DELAY_MS));
        let out = run_and_kill_in(&db, "import", round, delay);
        let what = format!("seed {seed}, import round {round}");
        let store = office_is_sound(&db, &what);
        let page = store
            .list_records(
                K::Cost,
                &kto_core::record::RecordQuery {
                    search: Some(format!("round {round}")),
                    limit: 10_000,
                    ..Default::default()
                },
            )
            .unwrap();
        let mut per_import: BTreeMap<String, usize> = BTreeMap::new();
        for row in page
            .rows
            .iter()
            .filter(|r| r.title.starts_with(&format!("round {round} ")))
        {
            let import = row.title.rsplit_once(" row ").unwrap().0.to_string();
            *per_import.entry(import).or_default() += 1;
        }
        for (import, rows) in &per_import {
            assert_eq!(*rows, IMPORT_ROWS, "{what}: {import} is partly imported");
        }
        for n in reported_lines(&out) {
            let n: usize = n.parse().unwrap();
            assert!(
                per_import.contains_key(&description(round, n)),
                "{what}: import {n} is lost"
            );
        }
    }
}

#[test]
fn killed_backups_leave_whole_backups_and_no_temporary_files() {
    let (seed, mut rng) = seeded("backup crash test");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(kto_store::DB_FILE_NAME);
    let mut store = Store::open(&db).unwrap();
    for n in 0..200 {
        store
            .create_record(&change(), K::Cost, &cost(999, n))
            .unwrap();
    }
    drop(store);
    let backups = dir.path().join(kto_store::BACKUP_DIR_NAME);
    for round in 0..OTHER_KILLS {
        let delay = Duration::from_millis(rng.random_range(DELAY_MS));
        let out = run_and_kill_in(&db, "backup", round, delay);
        let what = format!("seed {seed}, backup round {round}");
        drop(office_is_sound(&db, &what));
        for name in reported_lines(&out) {
            let path = backups.join(&name);
            kto_store::check_backup(&path).unwrap_or_else(|e| panic!("{what}: {name}: {e}"));
            let snapshot = kto_store::prepare_restore(
                &path,
                &dir.path().join("probe.sqlite3"),
                kto_store::Checksum::Required,
            )
            .unwrap_or_else(|e| panic!("{what}: {name}: {e}"));
            drop(snapshot);
        }
    }
}

#[test]
fn killed_restores_leave_the_old_or_the_restored_office() {
    let (seed, mut rng) = seeded("restore crash test");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(kto_store::DB_FILE_NAME);
    let mut store = Store::open(&db).unwrap();
    for n in 0..300 {
        store
            .create_record(&change(), K::Cost, &cost(998, n))
            .unwrap();
    }
    // The backup restored again and again: the office with 300 costs.
    store.backup_to(&dir.path().join("source.sqlite3")).unwrap();
    for n in 300..310 {
        store
            .create_record(&change(), K::Cost, &cost(998, n))
            .unwrap();
    }
    drop(store);
    let count = |s: &Store| {
        s.list_records(
            K::Cost,
            &kto_core::record::RecordQuery {
                limit: 1,
                ..Default::default()
            },
        )
        .unwrap()
        .total
    };
    // Until a first restore got through, the office is the old one.
    let mut restored = false;
    for round in 0..OTHER_KILLS {
        let delay = Duration::from_millis(rng.random_range(DELAY_MS));
        let out = run_and_kill_in(&db, "restore", round, delay);
        restored |= !reported_lines(&out).is_empty();
        let what = format!("seed {seed}, restore round {round}");
        let store = office_is_sound(&db, &what);
        let n = count(&store);
        assert!(
            n == Some(300) || (n == Some(310) && !restored),
            "{what}: {n:?} costs"
        );
        restored |= n == Some(300);
    }
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
