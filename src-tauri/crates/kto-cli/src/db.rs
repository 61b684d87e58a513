//! The commands on an office database: `demo`, `list` and `check`; opening an existing one.

use std::path::Path;

use clap::ValueEnum;
use kto_core::activity::RecordKind;
use kto_core::disclosure::{DisclosureQuery, DisclosureSort};
use kto_core::pipeline::Pipeline;
use kto_core::record::RecordQuery;

use crate::error::CliError;

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Kind {
    Disclosures,
    People,
    Organisations,
    Deals,
    ScoutingLeads,
    Patents,
    Agreements,
    Consortia,
    Contributions,
    SpinOffs,
    Founders,
    FundingRounds,
    Income,
    Costs,
}

impl Kind {
    /// The generic record kind, for the kinds described by `kto_core::record`.
    pub(crate) fn generic(self) -> Option<RecordKind> {
        Some(match self {
            Kind::ScoutingLeads => RecordKind::ScoutingLead,
            Kind::Patents => RecordKind::Patent,
            Kind::Agreements => RecordKind::Agreement,
            Kind::Consortia => RecordKind::Consortium,
            Kind::Contributions => RecordKind::Contribution,
            Kind::SpinOffs => RecordKind::SpinOff,
            Kind::Founders => RecordKind::Founder,
            Kind::FundingRounds => RecordKind::FundingRound,
            Kind::Income => RecordKind::Income,
            Kind::Costs => RecordKind::Cost,
            Kind::Disclosures | Kind::People | Kind::Organisations | Kind::Deals => return None,
        })
    }
}

/// The office database at `path`, which must exist already: commands that read an office
/// never create an empty one by mistake.
pub(crate) fn open_existing(path: &Path) -> Result<kto_store::Store, CliError> {
    if !path.is_file() {
        return Err(CliError::Usage(format!(
            "there is no database at {}; pass the office's kto-desk.sqlite3 with --db",
            path.display()
        )));
    }
    Ok(kto_store::Store::open(path)?)
}

/// `kto demo`: the fictional demo office into an empty database.
pub(crate) fn demo(
    path: &Path,
    seed: u64,
    people: usize,
    disclosures: usize,
    records: Option<u64>,
    lang: crate::monitor::Lang,
) -> Result<(), CliError> {
    let mut store = kto_store::Store::open(path)?;
    let language = match lang {
        crate::monitor::Lang::En => kto_core::settings::Language::En,
        crate::monitor::Lang::Nl => kto_core::settings::Language::Nl,
    };
    let today = chrono::Local::now().date_naive();
    let office = match records {
        Some(n) => kto_core::demo::synthetic(seed, today, usize::try_from(n).unwrap_or(usize::MAX)),
        None => kto_core::demo::office_in(language, seed, today, people, disclosures),
    };
    let n = store.load_demo(&office, today, "kto demo")?;
    println!(
        "demo office written to {}: {} organisations, {} people, {} disclosures, {} deals, {} other records",
        path.display(),
        n.organisations,
        n.people,
        n.disclosures,
        n.deals,
        n.records
    );
    Ok(())
}

/// `kto check`: SQLite's integrity check and the office's whole audit check (schema,
/// triggers, history chain, records against their history, anchors outside the file).
pub(crate) fn check(path: &Path) -> Result<(), CliError> {
    let store = kto_store::Store::open(path)?;
    store.integrity_check()?;
    let report = crate::data::audit_report(&store, path)?;
    println!(
        "ok: {} passed the integrity check and the audit check ({} history entries, {} records, {} anchors)",
        path.display(),
        report.entries,
        report.records,
        report.anchors
    );
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
    if let Some(generic) = kind.generic() {
        return list_generic(&store, generic, json, search);
    }
    match kind {
        Kind::Deals => {
            let mut cards = Vec::new();
            for p in Pipeline::ALL {
                for column in store.board(p)?.columns {
                    cards.extend(column.cards);
                }
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&cards)?);
            } else {
                for c in cards {
                    println!(
                        "{}\t{}\t{}",
                        c.id,
                        c.title,
                        c.value.map(|v| v.to_string()).unwrap_or_default()
                    );
                }
            }
        }
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
        _ => {}
    }
    Ok(())
}

/// Every record of a generic kind, paged through the store; JSON or tab-separated
/// `id`, title and the table columns.
fn list_generic(
    store: &kto_store::Store,
    kind: RecordKind,
    json: bool,
    search: Option<String>,
) -> Result<(), CliError> {
    let mut query = RecordQuery {
        search,
        limit: kto_store::MAX_RECORD_PAGE,
        ..Default::default()
    };
    let mut rows = Vec::new();
    loop {
        let page = store.list_records(kind, &query)?;
        rows.extend(page.rows);
        match page.next.and_then(|n| n.parse().ok()) {
            Some(offset) => query.offset = offset,
            None => break,
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    let spec = kto_core::record::spec(kind);
    for r in rows {
        let mut line = vec![r.id.clone(), r.title.clone()];
        for f in spec
            .iter()
            .flat_map(|s| s.fields.iter())
            .filter(|f| f.in_table && f.key != spec.map_or("", |s| s.title))
        {
            let shown = r
                .link_titles
                .get(f.key)
                .cloned()
                .or_else(|| r.values.get(f.key).map(kto_core::record::Value::display))
                .unwrap_or_default();
            line.push(shown);
        }
        println!("{}", line.join("\t"));
    }
    Ok(())
}
