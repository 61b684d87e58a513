//! `kto`: the KTO Desk command-line tool. Works on the same database file as the app,
//! without a window, for scripts, servers and support.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use kto_core::disclosure::{DisclosureQuery, DisclosureSort};

#[derive(Parser)]
#[command(name = "kto", version, about = "KTO Desk on the command line")]
struct Cli {
    /// The office database (kto-desk.sqlite3); created when it does not exist.
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
    },
    /// List records of one kind.
    List {
        kind: Kind,
        /// Print JSON (one array) instead of a table.
        #[arg(long)]
        json: bool,
        /// Only records matching these words (prefix match from two letters).
        #[arg(long)]
        search: Option<String>,
    },
    /// Run SQLite's integrity check on the database.
    Check,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Disclosures,
    People,
    Organisations,
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("no database given: pass --db PATH (or set KTO_DESK_DB)")]
    NoDatabase,
    #[error(transparent)]
    Store(#[from] kto_store::Error),
    #[error("could not write JSON: {0}")]
    Json(#[from] serde_json::Error),
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
    let path = cli.db.ok_or(CliError::NoDatabase)?;
    let mut store = kto_store::Store::open(&path)?;
    let today = chrono::Local::now().date_naive();
    match cli.command {
        Command::Demo {
            seed,
            people,
            disclosures,
        } => {
            let office = kto_core::demo::office(seed, today, people, disclosures);
            let n = store.load_demo(&office, today, "kto demo")?;
            println!(
                "demo office written to {}: {} organisations, {} people, {} disclosures",
                path.display(),
                n.organisations,
                n.people,
                n.disclosures
            );
        }
        Command::List { kind, json, search } => list(&store, kind, json, search)?,
        Command::Check => {
            store.integrity_check()?;
            println!("ok: {} passed the integrity check", path.display());
        }
    }
    Ok(())
}

fn list(
    store: &kto_store::Store,
    kind: Kind,
    json: bool,
    search: Option<String>,
) -> Result<(), CliError> {
    match kind {
        Kind::Disclosures => {
            let mut query = DisclosureQuery {
                sort: DisclosureSort::Reference,
                search,
                limit: kto_store::MAX_PAGE,
                ..Default::default()
            };
            let mut rows = Vec::new();
            loop {
                let page = store.list_disclosures(&query)?;
                rows.extend(page.rows);
                match page.next {
                    Some(next) => query.after = Some(next),
                    None => break,
                }
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for r in rows {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        r.reference,
                        r.received_on,
                        r.stage.code(),
                        r.title,
                        r.inventors
                    );
                }
            }
        }
        Kind::People => {
            let people = store.list_people(search.as_deref().unwrap_or(""), 500)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&people)?);
            } else {
                for p in people {
                    println!(
                        "{}\t{}\t{}",
                        p.name,
                        p.organisation_name.unwrap_or_default(),
                        p.faculty
                    );
                }
            }
        }
        Kind::Organisations => {
            let orgs = store.list_organisations()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&orgs)?);
            } else {
                for o in orgs {
                    println!(
                        "{}\t{}\t{}\t{}",
                        o.name,
                        o.kind.code(),
                        o.country,
                        o.kvk.unwrap_or_default()
                    );
                }
            }
        }
    }
    Ok(())
}
