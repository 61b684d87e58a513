//! `kto sync`: one office out of several laptops through a shared folder, on the same
//! engine as the app (kto-store's sync module).

use std::path::{Path, PathBuf};

use clap::Subcommand;
use kto_core::sync::SyncReport;
use kto_store::Store;

use crate::error::CliError;

#[derive(Subcommand)]
pub(crate) enum SyncCommand {
    /// Make a new laptop of the office: --db must name a database that does not exist yet.
    Join {
        #[arg(long, value_name = "DIR")]
        folder: PathBuf,
        /// The user's name on this laptop, as the others see it.
        #[arg(long)]
        name: String,
    },
    /// This laptop's device, code and changes, the other laptops and open conflicts.
    Status {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The conflicts not yet settled, each with both values.
    Conflicts {
        #[arg(long)]
        json: bool,
    },
}

fn print_report(r: &SyncReport) {
    println!(
        "{} written, {} applied, {} new conflicts",
        r.written, r.applied, r.conflicts
    );
    for p in &r.problems {
        let what = if p.waiting { "waits" } else { "refused" };
        println!("{what}: {}: {}", p.file, p.reason);
    }
}

/// `kto sync --folder DIR [--snapshot]`: write this laptop's new changes to the shared
/// folder and apply the others'.
pub(crate) fn sync(db: &Path, folder: &Path, snapshot: bool) -> Result<(), CliError> {
    let mut store = Store::open(db)?;
    let report = store.sync_folder(folder)?;
    print_report(&report);
    if snapshot {
        println!("snapshot: {}", store.write_snapshot(folder)?.display());
    }
    if report.problems.iter().any(|p| !p.waiting) {
        return Err(CliError::Usage(
            "some files of the shared folder were refused (listed above); nothing of them was applied".into(),
        ));
    }
    Ok(())
}

pub(crate) fn run(db: &Path, command: SyncCommand) -> Result<(), CliError> {
    match command {
        SyncCommand::Join { folder, name } => {
            let (_, report) = Store::join_office(&folder, db, &name)?;
            println!("joined the office in {} as {name}", folder.display());
            print_report(&report);
            Ok(())
        }
        SyncCommand::Status { json } => {
            let store = Store::open(db)?;
            let s = store.sync_status()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&s)?);
                return Ok(());
            }
            println!(
                "this laptop: {} ({}), code {}, {} changes",
                if s.name.is_empty() {
                    "(no name)"
                } else {
                    &s.name
                },
                s.device,
                s.code.as_deref().unwrap_or("(not synced yet)"),
                s.changes
            );
            for d in &s.devices {
                let when = d.last_at.map_or_else(
                    || "never".to_string(),
                    |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
                );
                println!(
                    "  {} ({}): {} changes applied, newest made {when}",
                    d.name, d.device, d.last_seq
                );
            }
            println!("fingerprint: {}", store.office_fingerprint()?);
            println!("open conflicts: {}", s.open_conflicts);
            Ok(())
        }
        SyncCommand::Conflicts { json } => {
            let store = Store::open(db)?;
            let list = store.sync_conflicts()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
                return Ok(());
            }
            for c in &list {
                println!(
                    "#{} {:?} {} {}: here {} ({}), on {}'s laptop {}; kept: {:?}",
                    c.id,
                    c.kind,
                    c.title.as_deref().unwrap_or(&c.table),
                    c.column.as_deref().unwrap_or(""),
                    c.local_value.as_deref().unwrap_or("(deleted)"),
                    c.local_device,
                    c.remote_device,
                    c.remote_value.as_deref().unwrap_or("(deleted)"),
                    c.winner
                );
            }
            Ok(())
        }
    }
}
