//! The commands on an office database: `demo`, `list` and `check`.

use std::path::Path;

use clap::ValueEnum;
use kto_core::disclosure::{DisclosureQuery, DisclosureSort};

use crate::error::CliError;

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Kind {
    Disclosures,
    People,
    Organisations,
}

/// `kto demo`: the fictional demo office into an empty database.
pub(crate) fn demo(
    path: &Path,
    seed: u64,
    people: usize,
    disclosures: usize,
) -> Result<(), CliError> {
    let mut store = kto_store::Store::open(path)?;
    let today = chrono::Local::now().date_naive();
    let office = kto_core::demo::office(seed, today, people, disclosures);
    let n = store.load_demo(&office, today, "kto demo")?;
    println!(
        "demo office written to {}: {} organisations, {} people, {} disclosures, {} deals",
        path.display(),
        n.organisations,
        n.people,
        n.disclosures,
        n.deals
    );
    Ok(())
}

/// `kto check`: SQLite's integrity check.
pub(crate) fn check(path: &Path) -> Result<(), CliError> {
    let store = kto_store::Store::open(path)?;
    store.integrity_check()?;
    println!("ok: {} passed the integrity check", path.display());
    Ok(())
}

/// `kto list KIND`: all records of one kind, as a table or JSON.
pub(crate) fn list(
    path: &Path,
    kind: Kind,
    json: bool,
    search: Option<String>,
) -> Result<(), CliError> {
    let store = kto_store::Store::open(path)?;
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
