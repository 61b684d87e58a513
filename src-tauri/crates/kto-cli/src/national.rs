//! `kto national keys|check|aggregate|report`: the coordinator's side of the yearly
//! monitor, on the functions of `kto_report::national` that the app uses too.
//!
//! The coordinator's data folder (`--data DIR` or `KTO_NATIONAL_DATA`) holds the key
//! registry (`national-keys.json`). An inbox is a folder of the offices' `.json` and
//! `.minisig` files.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use kto_report::national::{
    aggregate_accepted, write_outputs, FileStatus, InboxReport, NationalAggregate, NationalFolder,
};
use kto_report::pdf::{format_optional, format_ratio};
use kto_report::Locale;

use crate::error::CliError;
use crate::monitor::{open_secret_key, Lang};

#[derive(Subcommand)]
pub(crate) enum NationalCommand {
    /// The key registry: which office key signs for which institution.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Check every submission in an inbox folder; prints each file's status and reason.
    Check {
        /// Folder of `.json` submissions with their `.minisig` signatures.
        inbox: PathBuf,
        /// Print JSON (one array of files) instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Aggregate the accepted submissions of an inbox into national figures.
    Aggregate {
        /// Folder of `.json` submissions with their `.minisig` signatures.
        inbox: PathBuf,
        /// Print the whole aggregate as JSON instead of the national totals.
        #[arg(long)]
        json: bool,
        /// Only this year (by default the latest received).
        #[arg(long)]
        year: Option<i32>,
    },
    /// Write the national outputs: the aggregate signed with the coordinator's key
    /// (canonical JSON + .minisig), CSV, XLSX and the PDF report.
    ///
    /// The passphrase comes from KTO_KEY_PASSPHRASE; otherwise it is asked on the terminal.
    Report {
        /// Folder of `.json` submissions with their `.minisig` signatures.
        inbox: PathBuf,
        /// The coordinator's secret key (from `kto keygen`); without it, the one in the
        /// data folder (`coordinator.key`, made in the app's National area).
        #[arg(long, value_name = "SECRET_KEY")]
        key: Option<PathBuf>,
        /// Folder for the files; created when missing. Files are never overwritten.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Language of the report and the labels.
        #[arg(long, value_enum, default_value_t = Lang::En)]
        lang: Lang,
    },
}

#[derive(Subcommand)]
pub(crate) enum KeysCommand {
    /// List the registered keys.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Register an office's public key (its first, or after all were retired).
    Add {
        /// The office's `.pub` file.
        #[arg(long = "pub", value_name = "KEY.pub")]
        public: PathBuf,
        /// Institution id, as the office writes it in its submission (e.g. `tue`).
        #[arg(long)]
        institution: String,
        /// The institution's full name.
        #[arg(long)]
        name: String,
    },
    /// Replace an office's key: the old key stays valid up to and including LAST_YEAR.
    Rotate {
        /// Institution id.
        #[arg(long)]
        institution: String,
        /// The office's new `.pub` file.
        #[arg(long = "pub", value_name = "KEY.pub")]
        public: PathBuf,
        /// The last reported year the old key may sign for.
        #[arg(long)]
        last_year: i32,
    },
}

pub(crate) fn run(data: Option<&Path>, command: NationalCommand) -> Result<(), CliError> {
    let data = data.ok_or(CliError::NoNationalData)?;
    let folder = NationalFolder::new(data);
    match command {
        NationalCommand::Keys { command } => keys(&folder, command),
        NationalCommand::Check { inbox, json } => {
            let report = folder.check(&inbox)?;
            print_check(&report, json)
        }
        NationalCommand::Aggregate { inbox, json, year } => {
            let report = folder.check(&inbox)?;
            let national = aggregate_accepted(&report, chrono::Utc::now())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&national)?);
                return Ok(());
            }
            print_totals(&national, year)
        }
        NationalCommand::Report {
            inbox,
            key,
            out,
            lang,
        } => {
            let report = folder.check(&inbox)?;
            let national = aggregate_accepted(&report, chrono::Utc::now())?;
            let key = key.unwrap_or_else(|| folder.coordinator_secret_path());
            let signing_key = open_secret_key(&key)?;
            let written = write_outputs(
                &out,
                &national,
                &signing_key,
                lang.into(),
                chrono::Local::now().date_naive(),
            )?;
            println!("aggregate:   {}", written.json.display());
            println!("signature:   {}", written.signature.display());
            println!("csv:         {}", written.csv.display());
            println!("xlsx:        {}", written.xlsx.display());
            println!("report:      {}", written.pdf.display());
            println!("sha256:      {}", written.sha256);
            println!("submissions: {}", national.submissions.len());
            Ok(())
        }
    }
}

fn keys(folder: &NationalFolder, command: KeysCommand) -> Result<(), CliError> {
    let today = chrono::Local::now().date_naive();
    match command {
        KeysCommand::List { json } => {
            let registry = folder.registry()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&registry.keys)?);
                return Ok(());
            }
            for k in &registry.keys {
                let validity = match k.last_year {
                    None => "active".to_owned(),
                    Some(y) => format!("retired, valid up to and including {y}"),
                };
                println!(
                    "{}\t{}\t{}\t{validity}\tregistered {}",
                    k.institution_id, k.institution_name, k.key_id, k.registered_on
                );
            }
            Ok(())
        }
        KeysCommand::Add {
            public,
            institution,
            name,
        } => {
            let text = read(&public, "public key file")?;
            let registry = folder.register(&text, &institution, &name, today)?;
            let key = registry
                .keys
                .last()
                .ok_or_else(|| CliError::Usage("the key was not registered".into()))?;
            println!(
                "registered key {} for {} ({})",
                key.key_id, key.institution_id, key.institution_name
            );
            Ok(())
        }
        KeysCommand::Rotate {
            institution,
            public,
            last_year,
        } => {
            let text = read(&public, "public key file")?;
            let registry = folder.rotate(&institution, &text, last_year, today)?;
            let key = registry
                .keys
                .last()
                .ok_or_else(|| CliError::Usage("the key was not registered".into()))?;
            println!(
                "registered key {} for {}; the previous key stays valid up to and including {last_year}",
                key.key_id, key.institution_id
            );
            Ok(())
        }
    }
}

fn read(path: &Path, what: &'static str) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|source| CliError::Read {
        what,
        path: path.to_path_buf(),
        source,
    })
}

fn print_check(report: &InboxReport, json: bool) -> Result<(), CliError> {
    if json {
        println!("{}", serde_json::to_string_pretty(&report.files)?);
        return Ok(());
    }
    for f in &report.files {
        let who = match (&f.institution_id, f.year) {
            (Some(i), Some(y)) => format!("{i} {y}"),
            _ => "-".to_owned(),
        };
        match &f.status {
            FileStatus::Accepted => println!("accepted\t{}\t{who}", f.file),
            FileStatus::Superseded { by_file, .. } => {
                println!("superseded\t{}\t{who}\tcorrected by {by_file}", f.file)
            }
            FileStatus::Refused(r) => println!("refused\t{}\t{who}\t{}", f.file, r.message),
        }
    }
    let refused = report.refused().count();
    println!(
        "{} files: {} accepted, {} refused",
        report.files.len(),
        report.accepted.len(),
        refused
    );
    Ok(())
}

fn print_totals(national: &NationalAggregate, year: Option<i32>) -> Result<(), CliError> {
    let year = match year {
        Some(y) => national
            .year(y)
            .ok_or_else(|| CliError::Usage(format!("no accepted submission is for {y}")))?,
        None => national
            .years
            .last()
            .ok_or(kto_report::national::NationalError::NothingAccepted)?,
    };
    println!("national figures {}", year.year);
    if year.mixed_definitions {
        println!("offices used different definition versions; totals are per version");
    }
    for f in &year.figures {
        let per = |n: &Option<kto_report::national::aggregate::Normalised>| {
            n.as_ref().map_or_else(
                || "-".to_owned(),
                |n| format_ratio(n.value, f.unit, Locale::En),
            )
        };
        let lacking = if f.institutions_lacking.is_empty() {
            String::new()
        } else {
            format!("\tlacking: {}", f.institutions_lacking.join(" "))
        };
        println!(
            "{}\t{}\t{}\t{}\tper €100m: {}\tper 1,000 FTE: {}\toffices: {}{lacking}",
            f.code,
            f.definition_version,
            f.label_en,
            format_optional(f.total, f.unit, Locale::En),
            per(&f.per_100m_research_expenditure),
            per(&f.per_1000_research_fte),
            f.institutions_counted.len()
        );
    }
    Ok(())
}
