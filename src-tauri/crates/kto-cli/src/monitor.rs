//! `kto monitor`: the yearly monitor on the command line.
//!
//! - `figures`: a year's figures with units and breakdowns ("not available" apart from
//!   zero), data-quality warnings and changes since the last signed year; `--figure CODE`
//!   lists the records a figure counts.
//! - `export`: sign the year with a secret key and write the submission, its `.minisig`
//!   and the PDF report (the export routine of `kto_report::monitor`, shared with the app).
//! - `inputs`: the office's yearly inputs (research expenditure, research FTE, KTO FTE).
//! - `settings`: the institution id and name and the financial year start.

use std::env::VarError;
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use kto_core::activity::Change;
use kto_core::monitor::{
    DefinitionSet, FigureValue, FinancialYearStart, MonitorOverview, NotAvailableReason,
    OfficeInputs, Unit,
};
use kto_core::Money;
use kto_report::monitor::{self as export, ExportRequest};
use kto_report::office::{self, OfficeFolder};
use kto_report::Locale;
use kto_store::Store;
use serde_json::json;

use crate::error::CliError;
use crate::keygen::PASSPHRASE_ENV;

#[derive(Subcommand)]
pub(crate) enum MonitorCommand {
    /// Compute a year's figures, with breakdowns, warnings and changes since the last signed year.
    Figures {
        /// The reported year: the financial year that ends in it.
        #[arg(long)]
        year: i32,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// List the records one figure counts (kind, id, title) instead.
        #[arg(long, value_name = "CODE")]
        figure: Option<String>,
        /// A definition set (JSON) instead of the office's: the set installed beside the
        /// database (`monitor/definitions.json`), else the one shipped with KTO Desk.
        #[arg(long, value_name = "FILE")]
        definitions: Option<PathBuf>,
    },
    /// Sign a year and write the submission, its .minisig signature and the PDF report.
    ///
    /// The passphrase comes from KTO_KEY_PASSPHRASE; otherwise it is asked on the terminal,
    /// or read as one line from standard input when that is not a terminal.
    Export {
        /// The reported year.
        #[arg(long)]
        year: i32,
        /// The secret key (a `.key` file from `kto keygen`); without it, the office's key
        /// beside the database (`keys/kto-monitor.key`, see `kto monitor key`).
        #[arg(long, value_name = "SECRET_KEY")]
        key: Option<PathBuf>,
        /// Folder for the files; created when missing.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Language of the labels and the report.
        #[arg(long, value_enum, default_value_t = Lang::En)]
        lang: Lang,
        /// A definition set (JSON) instead of the office's: the set installed beside the
        /// database (`monitor/definitions.json`), else the one shipped with KTO Desk.
        #[arg(long, value_name = "FILE")]
        definitions: Option<PathBuf>,
    },
    /// The office's signing key beside the database (`keys/kto-monitor.*`), the key the
    /// app signs with.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Show or set the office's inputs for a year; an input left out keeps its value.
    Inputs {
        /// The reported year.
        #[arg(long)]
        year: i32,
        /// Research expenditure in euros (`12500000` or `12500000.50`); `-` clears it.
        #[arg(long, value_name = "EUR")]
        research_expenditure: Option<String>,
        /// Research staff in FTE (`1234.5`); `-` clears it.
        #[arg(long, value_name = "N")]
        research_fte: Option<String>,
        /// KTO staff in FTE (`12.25`); `-` clears it.
        #[arg(long, value_name = "N")]
        kto_fte: Option<String>,
    },
    /// Show or set the institution and the financial year used by the monitor.
    Settings {
        /// Short id of the institution in the submission, e.g. `tue`.
        #[arg(long)]
        institution_id: Option<String>,
        /// Full name of the institution.
        #[arg(long)]
        institution_name: Option<String>,
        /// First day of the financial year as MM-DD (01-01 for a calendar year).
        #[arg(long, value_name = "MM-DD")]
        financial_year_start: Option<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum KeyCommand {
    /// The key in use: key id, fingerprint and public key.
    Show,
    /// Make a new key. The old one is retired, not deleted: it is kept in `keys/retired/`
    /// and in the key registry, so what it signed stays verifiable. The passphrase comes
    /// as for `kto keygen`.
    Replace,
    /// Write the public key, for the national monitor, into a folder.
    ExportPublic {
        /// The folder; created when missing. Another file of the same name is never overwritten.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Lang {
    En,
    Nl,
}

impl From<Lang> for Locale {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::En => Locale::En,
            Lang::Nl => Locale::Nl,
        }
    }
}

/// Opens a secret key with the passphrase from `KTO_KEY_PASSPHRASE` or the terminal; a
/// wrong passphrase names the key file.
pub(crate) fn open_secret_key(key: &Path) -> Result<kto_report::SigningKey, CliError> {
    let passphrase = passphrase_once()?;
    kto_report::load_secret_key(key, &passphrase).map_err(|e| match e {
        kto_report::Error::WrongPassphrase => CliError::WrongPassphrase {
            key: key.to_path_buf(),
        },
        other => CliError::Key(other),
    })
}

pub(crate) fn run(db: &Path, command: MonitorCommand) -> Result<(), CliError> {
    match command {
        MonitorCommand::Figures {
            year,
            json,
            figure,
            definitions,
        } => figures(db, year, json, figure, definitions.as_deref()),
        MonitorCommand::Export {
            year,
            key,
            out,
            lang,
            definitions,
        } => {
            let key = key.unwrap_or_else(|| OfficeFolder::of_database(db).secret_key_path());
            export_year(db, year, &key, &out, lang, definitions.as_deref())
        }
        MonitorCommand::Key { command } => key(db, command),
        MonitorCommand::Inputs {
            year,
            research_expenditure,
            research_fte,
            kto_fte,
        } => inputs(db, year, research_expenditure, research_fte, kto_fte),
        MonitorCommand::Settings {
            institution_id,
            institution_name,
            financial_year_start,
        } => settings(db, institution_id, institution_name, financial_year_start),
    }
}

/// The definitions for the office of `db`: `--definitions FILE` when given, else the set
/// installed in the office's data folder, else the shipped one (the app's rule).
fn definitions(db: &Path, path: Option<&Path>) -> Result<DefinitionSet, CliError> {
    Ok(OfficeFolder::of_database(db).definitions(path)?)
}

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Number => "count",
        Unit::Eur => "eur_cents",
        Unit::Fte => "fte_hundredths",
    }
}

fn reason_text(reason: NotAvailableReason) -> &'static str {
    match reason {
        NotAvailableReason::InputNotRecorded => "inputNotRecorded",
        NotAvailableReason::ConflictingInputs => "conflictingInputs",
        NotAvailableReason::InvalidRecords => "invalidRecords",
    }
}

/// The value as an integer in its unit; `None` when not available.
fn integer(v: &FigureValue) -> Option<i64> {
    match v {
        FigureValue::Count(n) => Some(i64::try_from(*n).unwrap_or(i64::MAX)),
        FigureValue::Amount(m) => Some(m.cents()),
        FigureValue::Fte(n) => Some(i64::from(*n)),
        FigureValue::NotAvailable { .. } => None,
    }
}

fn shown(v: &FigureValue, unit: Unit) -> String {
    let report_unit = match unit {
        Unit::Number => kto_report::Unit::Count,
        Unit::Eur => kto_report::Unit::EurCents,
        Unit::Fte => kto_report::Unit::FteHundredths,
    };
    match v {
        FigureValue::NotAvailable { reason } => {
            format!("not available ({})", reason_text(*reason))
        }
        other => integer(other)
            .map(|i| kto_report::pdf::format_value(i, report_unit, Locale::En))
            .unwrap_or_default(),
    }
}

/// `kto monitor figures`.
fn figures(
    db: &Path,
    year: i32,
    as_json: bool,
    figure: Option<String>,
    defs: Option<&Path>,
) -> Result<(), CliError> {
    let store = Store::open(db)?;
    let defs = definitions(db, defs)?;
    let overview = export::overview(&store, &defs, year)?;
    if let Some(code) = figure {
        return figure_records(&store, &overview, &code, as_json);
    }
    let unit_of = |code: &str| {
        defs.indicators
            .iter()
            .find(|d| d.code == code)
            .map_or(Unit::Number, |d| d.unit)
    };
    let name_of = |code: &str| {
        defs.indicators
            .iter()
            .find(|d| d.code == code)
            .map_or_else(String::new, |d| d.name_en.clone())
    };
    if as_json {
        let figures: Vec<_> = overview
            .result
            .figures
            .iter()
            .map(|f| {
                let unit = unit_of(&f.code);
                json!({
                    "code": f.code,
                    "name": name_of(&f.code),
                    "unit": unit_name(unit),
                    "value": integer(&f.value),
                    "notAvailableReason": match f.value {
                        FigureValue::NotAvailable { reason } => Some(reason_text(reason)),
                        _ => None,
                    },
                    "breakdowns": f.breakdowns.iter().map(|b| json!({
                        "key": b.key,
                        "value": integer(&b.value),
                    })).collect::<Vec<_>>(),
                    "recordIds": f.record_ids,
                })
            })
            .collect();
        let out = json!({
            "year": year,
            "period": overview.result.period,
            "definitionVersion": overview.result.definition_version,
            "empty": overview.empty,
            "figures": figures,
            "quality": overview.quality,
            "comparedWith": overview.compared_with.as_ref().map(|c| json!({
                "year": c.year, "version": c.version, "sha256": c.sha256,
            })),
            "changes": overview.changes,
            "signedVersion": overview.signed.as_ref().map(|s| s.version),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let p = &overview.result.period;
    println!(
        "Monitor {year} ({} to {}), definitions {}",
        p.start, p.end, overview.result.definition_version
    );
    if overview.empty {
        println!("No record and no office input falls in this financial year.");
    }
    for f in &overview.result.figures {
        let unit = unit_of(&f.code);
        println!(
            "{:<10} {:<55} {:>20}  ({} records)",
            f.code,
            name_of(&f.code),
            shown(&f.value, unit),
            f.record_ids.len()
        );
        for b in &f.breakdowns {
            println!("{:<10}   {:<53} {:>20}", "", b.key, shown(&b.value, unit));
        }
    }
    if !overview.quality.is_empty() {
        println!("\nData-quality warnings:");
        for note in export::quality_notes(&store, &overview.quality, Locale::En)? {
            println!("  - {note}");
        }
    }
    if let Some(prev) = &overview.compared_with {
        println!(
            "\nCompared with the signed submission of {} (version {}):",
            prev.year, prev.version
        );
        if overview.changes.is_empty() {
            println!("  no figure doubled or halved");
        }
        for c in &overview.changes {
            let unit = unit_of(&c.code);
            println!(
                "  {:<10} {:?}: {} -> {}",
                c.code,
                c.kind,
                shown(&c.previous, unit),
                shown(&c.current, unit)
            );
        }
    }
    if let Some(s) = &overview.signed {
        println!(
            "\nVersion {} of {year} was signed on {}; exporting again signs a correction (version {}).",
            s.version,
            s.signed_at.format("%Y-%m-%d"),
            s.version + 1
        );
    }
    Ok(())
}

/// `kto monitor figures --figure CODE`: the records behind one figure.
fn figure_records(
    store: &Store,
    overview: &MonitorOverview,
    code: &str,
    as_json: bool,
) -> Result<(), CliError> {
    let figure = office::figure(overview, code)?;
    let records = store.counted_records(&figure.record_ids)?;
    if as_json {
        println!("{}", serde_json::to_string_pretty(&records)?);
        return Ok(());
    }
    let unit = overview
        .definitions
        .indicators
        .iter()
        .find(|d| d.code == figure.code)
        .map_or(Unit::Number, |d| d.unit);
    println!(
        "{} = {}: {} records",
        figure.code,
        shown(&figure.value, unit),
        records.len()
    );
    for r in records {
        let kind = serde_json::to_value(r.kind)?;
        println!(
            "{}\t{}\t{}",
            kind.as_str().unwrap_or_default(),
            r.id,
            r.title
        );
    }
    Ok(())
}

/// `kto monitor key`.
fn key(db: &Path, command: KeyCommand) -> Result<(), CliError> {
    let office = OfficeFolder::of_database(db);
    let public = match command {
        KeyCommand::Show => office
            .public_key()
            .map_err(CliError::Key)?
            .ok_or(export::ExportError::NoKey)?,
        KeyCommand::Replace => {
            let mut store = Store::open(db)?;
            let passphrase = crate::keygen::new_passphrase()?;
            office.replace_key(&mut store, &passphrase, chrono::Utc::now())?
        }
        KeyCommand::ExportPublic { out } => {
            let written = office.export_public_key(&out)?;
            println!("written:     {}", written.display());
            return Ok(());
        }
    };
    println!("public key:  {}", office.public_key_path().display());
    println!("key id:      {}", public.key_id());
    println!("fingerprint: {}", public.fingerprint());
    Ok(())
}

/// `kto monitor export`.
fn export_year(
    db: &Path,
    year: i32,
    key: &Path,
    out: &Path,
    lang: Lang,
    defs: Option<&Path>,
) -> Result<(), CliError> {
    let mut store = Store::open(db)?;
    let defs = definitions(db, defs)?;
    // Refuse an empty year or a missing institution before asking for the passphrase.
    let overview = export::overview(&store, &defs, year)?;
    if overview.empty {
        let p = overview.result.period;
        return Err(export::ExportError::EmptyYear {
            year,
            start: p.start,
            end: p.end,
        }
        .into());
    }
    let settings = store.monitor_settings()?;
    if settings.institution_id.is_empty() || settings.institution_name.is_empty() {
        return Err(CliError::Usage(
            "the institution is not set; run `kto --db PATH monitor settings --institution-id ID --institution-name NAME` first".into(),
        ));
    }
    if !key.exists() {
        return Err(CliError::Read {
            what: "secret key",
            path: key.to_path_buf(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        });
    }
    let signing_key = open_secret_key(key)?;
    let locale = Locale::from(lang);
    let now = chrono::Utc::now();
    let signer = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "kto".to_owned());
    let done = export::export(
        &mut store,
        &ExportRequest {
            year,
            definitions: &defs,
            key: &signing_key,
            out_dir: out,
            signer: &signer,
            app_version: env!("CARGO_PKG_VERSION"),
            now,
            today: chrono::Local::now().date_naive(),
            locale,
        },
    )?;
    if !overview.quality.is_empty() {
        eprintln!(
            "kto: {} data-quality warnings (see `kto monitor figures --year {year}`)",
            overview.quality.len()
        );
    }
    println!("submission:  {}", done.json_path);
    println!("signature:   {}", done.signature_path);
    println!("report:      {}", done.pdf_path);
    println!("schema:      {}", done.schema_path);
    println!("version:     {}", done.submission.version);
    println!("sha256:      {}", done.sha256);
    println!("key id:      {}", done.key_id);
    println!("fingerprint: {}", done.key_fingerprint);
    println!("verified:    {}", done.verification);
    Ok(())
}

/// The passphrase of an existing key: from the environment, the terminal (once, no echo)
/// or one line of a piped standard input.
pub(crate) fn passphrase_once() -> Result<String, CliError> {
    match std::env::var(PASSPHRASE_ENV) {
        Ok(p) if p.is_empty() => Err(CliError::EmptyPassphraseInEnv),
        Ok(p) => Ok(p),
        Err(VarError::NotUnicode(_)) => Err(CliError::PassphraseNotUnicode),
        Err(VarError::NotPresent) if std::io::stdin().is_terminal() => {
            rpassword::prompt_password("Passphrase of the signing key: ")
                .map_err(CliError::ReadPassphrase)
        }
        Err(VarError::NotPresent) => {
            let mut line = String::new();
            let read = std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(CliError::ReadPassphrase)?;
            if read == 0 {
                return Err(CliError::NoPassphraseOnStdin);
            }
            Ok(line.trim_end_matches(['\n', '\r']).to_owned())
        }
    }
}

/// Parses a decimal with at most two decimals (`.` or `,`) into hundredths.
fn hundredths(text: &str, what: &str) -> Result<i64, CliError> {
    let bad = || {
        CliError::Usage(format!(
            "{what} `{text}` is not a number with at most two decimals (such as 1234.50)"
        ))
    };
    let t = text.trim().replace(',', ".");
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().map_err(|_| bad())?
    };
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(frac))
        .ok_or_else(bad)
}

/// `None`: keep; `Some(None)`: clear (`-`); `Some(Some(v))`: set.
fn input_arg(arg: Option<String>, what: &str) -> Result<Option<Option<i64>>, CliError> {
    match arg.as_deref().map(str::trim) {
        None => Ok(None),
        Some("-") => Ok(Some(None)),
        Some(t) => Ok(Some(Some(hundredths(t, what)?))),
    }
}

/// `kto monitor inputs`.
fn inputs(
    db: &Path,
    year: i32,
    expenditure: Option<String>,
    research_fte: Option<String>,
    kto_fte: Option<String>,
) -> Result<(), CliError> {
    let mut store = Store::open(db)?;
    let expenditure = input_arg(expenditure, "research expenditure")?;
    let research_fte = input_arg(research_fte, "research FTE")?;
    let kto_fte = input_arg(kto_fte, "KTO FTE")?;
    let mut current = store.office_inputs(year)?.unwrap_or(OfficeInputs {
        id: String::new(),
        year,
        research_expenditure: None,
        research_fte: None,
        kto_fte: None,
    });
    if expenditure.is_some() || research_fte.is_some() || kto_fte.is_some() {
        let fte = |v: Option<i64>, what: &str| {
            v.map(|n| u32::try_from(n).map_err(|_| CliError::Usage(format!("{what} is too large"))))
                .transpose()
        };
        if let Some(v) = expenditure {
            current.research_expenditure = v.map(Money::from_cents);
        }
        if let Some(v) = research_fte {
            current.research_fte = fte(v, "research FTE")?;
        }
        if let Some(v) = kto_fte {
            current.kto_fte = fte(v, "KTO FTE")?;
        }
        let change = Change {
            actor: std::env::var("USER").unwrap_or_else(|_| "kto".to_owned()),
            at: chrono::Utc::now(),
        };
        current = store.save_office_inputs(&change, &current)?;
    }
    let na = || "not available".to_owned();
    println!("office inputs {year}");
    println!(
        "research expenditure: {}",
        current.research_expenditure.map_or_else(na, |m| {
            kto_report::pdf::format_eur_cents(m.cents(), Locale::En)
        })
    );
    println!(
        "research staff:       {}",
        current
            .research_fte
            .map_or_else(na, |n| kto_report::pdf::format_fte(
                i64::from(n),
                Locale::En
            ))
    );
    println!(
        "KTO staff:            {}",
        current
            .kto_fte
            .map_or_else(na, |n| kto_report::pdf::format_fte(
                i64::from(n),
                Locale::En
            ))
    );
    Ok(())
}

/// `kto monitor settings`.
fn settings(
    db: &Path,
    id: Option<String>,
    name: Option<String>,
    start: Option<String>,
) -> Result<(), CliError> {
    let mut store = Store::open(db)?;
    let mut s = store.monitor_settings()?;
    if id.is_some() || name.is_some() || start.is_some() {
        if let Some(id) = id {
            s.institution_id = id;
        }
        if let Some(name) = name {
            s.institution_name = name;
        }
        if let Some(start) = start {
            s.financial_year_start = start
                .split_once('-')
                .and_then(|(m, d)| {
                    Some(FinancialYearStart {
                        month: m.parse().ok()?,
                        day: d.parse().ok()?,
                    })
                })
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "financial year start `{start}` is not MM-DD (such as 07-01)"
                    ))
                })?;
        }
        store.save_monitor_settings(&s)?;
        s = store.monitor_settings()?;
    }
    println!("institution id:        {}", s.institution_id);
    println!("institution name:      {}", s.institution_name);
    println!(
        "financial year starts: {:02}-{:02}",
        s.financial_year_start.month, s.financial_year_start.day
    );
    Ok(())
}
