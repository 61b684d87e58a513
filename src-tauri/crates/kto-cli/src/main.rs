//! `kto`: the KTO Desk command-line tool. Works on the same database file as the app,
//! without a window, for scripts, servers and support.
//!
//! - [`db`]: the commands on an office database (`demo`, `list`, `check`); only these need `--db`.
//! - [`keygen`]: `kto keygen`, a passphrase-protected minisign key pair for signing the monitor.
//! - [`verify`]: `kto verify`, checking a signed monitor submission file against a public key.
//! - [`data`]: `audit verify`, `backup`, `restore` and `export`: the office's data as a whole.
//! - [`calendar`]: `kto calendar`, the deadlines and next actions as an iCalendar file.
//! - [`monitor`]: `kto monitor figures|export|inputs|settings`, the yearly monitor.
//! - [`national`]: `kto national keys|check|aggregate|report`, the coordinator's side.
//! - [`sync`]: `kto sync run|join|status|conflicts`, one office out of several laptops.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod calendar;
mod data;
mod db;
mod error;
mod keygen;
mod monitor;
mod national;
mod sync;
mod verify;

use error::CliError;

#[derive(Parser)]
#[command(name = "kto", version, about = "KTO Desk on the command line")]
struct Cli {
    /// The office database (kto-desk.sqlite3); created when it does not exist.
    /// Needed by demo, list, check, calendar and monitor.
    #[arg(long, global = true, env = "KTO_DESK_DB")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Fill an empty database with the fictional demo office.
    Demo {
        /// Seed of the generator: equal seeds give equal offices.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Number of researchers and contacts.
        #[arg(long, default_value_t = 64)]
        people: usize,
        /// Number of invention disclosures, spread over the last three years.
        #[arg(long, default_value_t = 48)]
        disclosures: usize,
        /// Build a synthetic office of about this many records across all kinds instead
        /// (1,000 to 1,000,000; `--people` and `--disclosures` are then derived from it).
        #[arg(long, value_parser = clap::value_parser!(u64).range(1_000..=1_000_000))]
        records: Option<u64>,
        /// Language of the demo's text (titles, notes, faculties); names stay as they are.
        /// The synthetic office is always in English.
        #[arg(long, value_enum, default_value_t = monitor::Lang::En)]
        lang: monitor::Lang,
    },
    /// List records of one kind.
    List {
        kind: db::Kind,
        /// Print JSON (one array) instead of a table.
        #[arg(long)]
        json: bool,
        /// Only records matching these words (prefix match from two letters).
        #[arg(long)]
        search: Option<String>,
    },
    /// Run SQLite's integrity check and the whole audit check on the database.
    Check,
    /// The hash-chained audit trail of every change.
    Audit {
        #[command(subcommand)]
        command: data::AuditCommand,
    },
    /// Write a checked copy of the database to FILE (never overwrites).
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Replace the database with a backup, after checking it. The current database is
    /// first kept in backups/ beside it (or moved aside when it is damaged).
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
        /// Accept a backup without a check file (made by an earlier version or
        /// elsewhere) on its integrity and audit checks alone.
        #[arg(long)]
        unverified: bool,
    },
    /// Import CSV rows of one kind (docs/csv-format.md; `;` or tab separators, Dutch
    /// amounts and dates accepted) in one transaction: on any problem nothing changes.
    /// Given the folder of a whole export (`kto export`), imports all of it into an empty
    /// office: every record with its id, links, history and attachments.
    Import {
        /// A CSV or workbook file (with --kind), or the folder of a whole export.
        file: PathBuf,
        /// The kind of the file's rows; not given for the folder of a whole export.
        #[arg(long)]
        kind: Option<db::Kind>,
    },
    /// Export everything: a CSV file per kind (docs/csv-format.md) and one JSON file.
    /// With --xlsx, one Excel workbook instead: a sheet per kind with typed cells.
    #[command(group(clap::ArgGroup::new("target").required(true).args(["out", "xlsx"])))]
    Export {
        /// Folder for the files; created when missing. Existing files are never overwritten.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// One workbook (a new file): a sheet per kind in the columns an import reads.
        #[arg(long, value_name = "FILE.xlsx")]
        xlsx: Option<PathBuf>,
    },
    /// Write the deadlines (patent priority year, publication, national phases, EP
    /// validation, agreement ends) and open deals' next actions as an iCalendar file
    /// (RFC 5545), from a month ago to three years ahead. Importing a newer file into
    /// Outlook or another calendar updates the events instead of adding them twice.
    /// Never overwrites a file.
    Calendar {
        #[arg(long, value_name = "FILE.ics")]
        out: PathBuf,
        /// Only what one responsible person's deals hold (their next actions and the
        /// agreements and patents linked to those deals): a name as the deals give it,
        /// or a person's id.
        #[arg(long, value_name = "NAME_OR_ID")]
        person: Option<String>,
        /// Language of the events; by default the language set in the app.
        #[arg(long, value_enum)]
        lang: Option<monitor::Lang>,
    },
    /// Make a signing key pair for the yearly monitor: NAME.pub and NAME.key (encrypted).
    ///
    /// The passphrase comes from KTO_KEY_PASSPHRASE; otherwise it is asked twice on the
    /// terminal, or read as one line from standard input when that is not a terminal.
    /// Existing key files are never overwritten.
    Keygen {
        /// Folder for the key files; created when missing.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// File name of the key pair, without extension.
        #[arg(long, default_value = "kto-monitor")]
        name: String,
    },
    /// The yearly monitor: figures, signed export, office inputs, settings.
    Monitor {
        #[command(subcommand)]
        command: monitor::MonitorCommand,
    },
    /// The national monitor: key registry, inbox check, aggregate and report.
    National {
        /// The coordinator's data folder (holds the key registry).
        #[arg(long, value_name = "DIR", env = "KTO_NATIONAL_DATA")]
        data: Option<PathBuf>,
        #[command(subcommand)]
        command: national::NationalCommand,
    },
    /// One office out of several laptops: `kto sync --folder DIR` writes this laptop's
    /// new changes to the folder the office shares and applies the other laptops'.
    Sync {
        /// The shared folder (network drive, SURFdrive, OneDrive, USB stick).
        #[arg(long, value_name = "DIR")]
        folder: Option<PathBuf>,
        /// Also write a snapshot of the office there, for a new laptop to join from.
        #[arg(long)]
        snapshot: bool,
        #[command(subcommand)]
        command: Option<sync::SyncCommand>,
    },
    /// Check the signature of a monitor submission file; exits 0 only when it is valid.
    Verify {
        /// The submission file (canonical JSON).
        file: PathBuf,
        /// The signer's public key (the `.pub` file from `kto keygen` or `minisign -G`).
        #[arg(long, value_name = "KEY.pub")]
        pubkey: PathBuf,
        /// The detached signature; by default FILE.minisig beside the file.
        #[arg(long, value_name = "SIG")]
        sig: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kto: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Keygen { out, name } => keygen::run(&out, &name),
        Command::Verify { file, pubkey, sig } => verify::run(&file, &pubkey, sig.as_deref()),
        Command::Demo {
            seed,
            people,
            disclosures,
            records,
            lang,
        } => db::demo(&database(cli.db)?, seed, people, disclosures, records, lang),
        Command::List { kind, json, search } => db::list(&database(cli.db)?, kind, json, search),
        Command::Check => db::check(&database(cli.db)?),
        Command::Audit { command } => data::audit(&database(cli.db)?, command),
        Command::Backup { out } => data::backup(&database(cli.db)?, &out),
        Command::Restore {
            file,
            yes,
            unverified,
        } => data::restore(&database(cli.db)?, &file, yes, unverified),
        Command::Import { file, kind } => match kind {
            Some(kind) => data::import(&database(cli.db)?, &file, kind),
            None if file.is_dir() => data::import_export(&database(cli.db)?, &file),
            None => Err(error::CliError::Usage(format!(
                "{} is a file: say which kind of records it holds with --kind (for example \
                 --kind patents), or give the folder of a whole export",
                file.display()
            ))),
        },
        Command::Export { out, xlsx } => {
            let db = database(cli.db)?;
            match (out, xlsx) {
                (Some(out), _) => data::export(&db, &out),
                (_, Some(file)) => data::export_xlsx(&db, &file),
                (None, None) => Err(CliError::Usage(
                    "say where to export: --out DIR or --xlsx FILE.xlsx".into(),
                )),
            }
        }
        Command::Calendar { out, person, lang } => {
            calendar::run(&database(cli.db)?, &out, person.as_deref(), lang)
        }
        Command::Monitor { command } => monitor::run(&database(cli.db)?, command),
        Command::National { data, command } => national::run(data.as_deref(), command),
        Command::Sync {
            folder,
            snapshot,
            command,
        } => match (command, folder) {
            (Some(command), _) => sync::run(&database(cli.db)?, command),
            (None, Some(folder)) => sync::sync(&database(cli.db)?, &folder, snapshot),
            (None, None) => Err(CliError::Usage(
                "kto sync needs --folder DIR (the folder the office shares), or one of: join, status, conflicts".into(),
            )),
        },
    }
}

/// The `--db` path, required by the commands that work on an office database.
fn database(db: Option<PathBuf>) -> Result<PathBuf, CliError> {
    db.ok_or(CliError::NoDatabase)
}
