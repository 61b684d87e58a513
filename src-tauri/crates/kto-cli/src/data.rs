//! The commands on the office's data as a whole: `audit verify`, `backup`, `restore` and
//! `export`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use clap::Subcommand;

use crate::error::CliError;

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Walk the hash chain of the whole history; exits 0 only when it is intact.
    Verify,
}

/// `kto audit verify`.
pub(crate) fn audit(path: &Path, command: AuditCommand) -> Result<(), CliError> {
    match command {
        AuditCommand::Verify => {
            let store = kto_store::Store::open(path)?;
            let report = audit_report(&store, path)?;
            println!(
                "ok: the audit chain of {} is intact, its schema as KTO Desk made it and every record as its history says ({} history entries, {} records, {} anchors outside the database)",
                path.display(),
                report.entries,
                report.records,
                report.anchors
            );
            Ok(())
        }
    }
}

/// The office's whole audit check (the same as the app's); an error listing what it
/// found unless the office is intact.
pub(crate) fn audit_report(
    store: &kto_store::Store,
    path: &Path,
) -> Result<kto_core::backup::AuditReport, CliError> {
    let report = kto_report::audit::verify_office(store, path)?;
    if report.intact() {
        return Ok(report);
    }
    let problems = report.problems();
    Err(CliError::AuditFailed {
        first: format!(
            "{}: {}",
            path.display(),
            problems.first().cloned().unwrap_or_default()
        ),
        more: problems
            .iter()
            .skip(1)
            .map(|p| format!("\n  also: {p}"))
            .collect(),
    })
}

/// `kto backup --out FILE`: a checked copy of the database; never overwrites.
pub(crate) fn backup(path: &Path, out: &Path) -> Result<(), CliError> {
    let store = crate::db::open_existing(path)?;
    let size = store.backup_to(out)?;
    println!(
        "backup written to {} ({size} bytes) and checked",
        out.display()
    );
    Ok(())
}

/// `kto restore FILE`: replaces the database with a checked backup. Everything is checked
/// first (checksum, integrity, audit chain) into a snapshot beside the database; only then
/// is a database that opens backed up into `backups/` beside it (a damaged one moved
/// aside) and replaced. A refused restore changes nothing.
pub(crate) fn restore(
    path: &Path,
    file: &Path,
    yes: bool,
    unverified: bool,
) -> Result<(), CliError> {
    let checksum = if unverified {
        kto_store::Checksum::IfPresent
    } else {
        kto_store::Checksum::Required
    };
    let prepared = kto_store::prepare_restore(file, path, checksum)?;
    if !yes {
        confirm(&format!(
            "Replace the office database {} with the backup {}? Type yes to go on: ",
            path.display(),
            file.display()
        ))?;
    }
    let current = if path.exists() {
        kto_store::Store::open(path)
            .inspect_err(|e| println!("the current database could not be opened ({e})"))
            .ok()
    } else {
        None
    };
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let outcome = prepared.replace(&name, current, chrono::Utc::now())?;
    if let Some(safety) = outcome.safety_backup {
        let dir = path
            .parent()
            .unwrap_or(Path::new("."))
            .join(kto_store::BACKUP_DIR_NAME);
        println!(
            "the current database was kept as {}",
            dir.join(safety).display()
        );
    }
    if let Some(aside) = outcome.moved_aside {
        println!("it was moved to {aside}");
    }
    println!("restored {} from {}", path.display(), file.display());
    Ok(())
}

/// Asks a yes/no question on the terminal (or reads one line from standard input).
fn confirm(question: &str) -> Result<(), CliError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{question}");
        let _ = std::io::stderr().flush();
    }
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|_| CliError::NotConfirmed)?;
    match answer.trim().to_lowercase().as_str() {
        "y" | "yes" | "j" | "ja" => Ok(()),
        _ => Err(CliError::NotConfirmed),
    }
}

/// `kto export --out DIR`: a CSV file per kind and one JSON file of everything.
pub(crate) fn export(path: &Path, out: &Path) -> Result<(), CliError> {
    let store = kto_store::Store::open(path)?;
    let files = store.export_all(out)?;
    for f in &files {
        println!("{}\t{}", f.path.display(), f.rows);
    }
    println!("exported {} files to {}", files.len(), out.display());
    Ok(())
}

/// `kto export --xlsx FILE`: one workbook with a sheet per kind.
pub(crate) fn export_xlsx(path: &Path, file: &Path) -> Result<(), CliError> {
    let store = crate::db::open_existing(path)?;
    let records = store.export_xlsx(file)?;
    println!("exported {records} records to {}", file.display());
    Ok(())
}

/// `kto import DIR`: a whole export into an empty office, all or nothing.
pub(crate) fn import_export(path: &Path, dir: &Path) -> Result<(), CliError> {
    let mut store = kto_store::Store::open(path)?;
    match store.import_export(dir, chrono::Local::now().date_naive()) {
        Ok(done) => {
            println!(
                "imported the export {}: {} records, {} history entries, {} attachments",
                dir.display(),
                done.records,
                done.history,
                done.attachments
            );
            Ok(())
        }
        Err(kto_store::Error::Import(problems)) => {
            for p in &problems.0 {
                eprintln!("{}: {p}", dir.display());
            }
            Err(CliError::Usage(format!(
                "the export {} was not imported: {} records break the rules of their kind \
                 (listed above); nothing was changed. Export the office again, or correct \
                 them in the office it came from",
                dir.display(),
                problems.0.len()
            )))
        }
        Err(e) => Err(e.into()),
    }
}

/// `kto import FILE --kind KIND`: CSV or workbook rows of any kind (disclosures with
/// their inventors, deals, people, organisations and the generic kinds) in one transaction.
pub(crate) fn import(path: &Path, file: &Path, kind: crate::db::Kind) -> Result<(), CliError> {
    use crate::db::Kind;
    use kto_core::activity::RecordKind;
    let kind = match kind {
        Kind::Disclosures => Some(RecordKind::Disclosure),
        Kind::Deals => Some(RecordKind::Deal),
        Kind::People => Some(RecordKind::Person),
        Kind::Organisations => Some(RecordKind::Organisation),
        other => other.generic(),
    };
    let Some(kind) = kind else {
        return Err(CliError::Usage(
            "this kind cannot be imported; import disclosures, deals, people, organisations, \
             scouting-leads, patents, agreements, consortia, contributions, spin-offs, \
             founders, funding-rounds, income or costs"
                .into(),
        ));
    };
    let bytes = std::fs::read(file).map_err(|source| CliError::Read {
        what: "import file",
        path: file.to_path_buf(),
        source,
    })?;
    let mut store = kto_store::Store::open(path)?;
    let change = kto_core::activity::Change {
        actor: std::env::var("USER")
            .ok()
            .filter(|u| !u.trim().is_empty())
            .map_or_else(|| "kto import".to_string(), |u| format!("{u} (kto import)")),
        at: chrono::Utc::now(),
    };
    match store.import_csv(&change, kind, &bytes) {
        Ok(n) => {
            println!(
                "imported {}: {} created, {} updated",
                file.display(),
                n.created,
                n.updated
            );
            Ok(())
        }
        Err(kto_store::Error::Import(problems)) => {
            for p in &problems.0 {
                eprintln!("{}: {p}", file.display());
            }
            Err(CliError::Usage(format!(
                "{} was not imported: {} problems (listed above); nothing was changed. Correct \
                 them and import again",
                file.display(),
                problems.0.len()
            )))
        }
        Err(e) => Err(e.into()),
    }
}
