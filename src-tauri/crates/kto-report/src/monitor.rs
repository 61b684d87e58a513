//! From the office database to the signed monitor files: the one export routine the
//! CLI (`kto monitor export`) and the app (`sign_submission`) share.
//!
//! [`overview`] computes a year's figures with their data-quality warnings and the
//! comparison with the last signed year; [`export`] builds the [`Submission`], signs it,
//! writes `kto-monitor-<institution>-<year>-v<n>.json`, its `.minisig`, the JSON Schema it
//! follows (`….schema.json`) and the PDF
//! report, verifies what was written and records the submission in the store.
//!
//! Figures come from `kto_core::monitor`, rows from `kto_store`; this module adds no
//! rule of its own beyond the mapping to the file format. Time comes in as arguments.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use kto_core::monitor::{
    compute_monitor, data_quality, reporting_period, year_over_year, ComparedSubmission,
    DefinitionSet, Figure, FigureValue, MonitorError, MonitorOverview, MonitorResult,
    NotAvailableReason, Problem, QualityWarning, RecordKind, SignedExport, SubmissionRecord,
    Unit as CoreUnit, DEFAULT_CHANGE_FACTOR_HUNDREDTHS,
};
use kto_core::Money;
use kto_store::{NewSigningKey, NewSubmission, Store};

use crate::keys::SigningKey;
use crate::labels::field_label;
use crate::pdf::{render_report, Locale, ReportInput, SignatureInfo, YearValues};
use crate::sign::{sign_submission, verify, write_signed};
use crate::submission::{
    Breakdown, FigureOut, Institution, Period, Submission, Unit, SCHEMA_VERSION,
};
use crate::{fsio, Error};

/// The default indicator definition set shipped with the app (`assets/monitor/`).
pub const DEFAULT_DEFINITIONS_JSON: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/monitor/definitions-2026.1.json"
));

/// Indicators charted over the years in the PDF, when the definition set has them.
const CHART_CODES: [&str; 4] = ["ID", "PA-PRIO", "LOA", "SO"];

/// What can stop an overview or an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Signing, writing, verifying or rendering failed.
    #[error(transparent)]
    Report(#[from] Error),
    /// The database could not be read or written.
    #[error(transparent)]
    Store(#[from] kto_store::Error),
    /// The definitions or the financial year are unusable.
    #[error(transparent)]
    Monitor(#[from] MonitorError),
    /// The submission names the institution, which the office has not set.
    #[error("the institution is not set: set its short id (such as `tue`) and its name in the monitor settings before signing")]
    NoInstitution,
    /// Nothing in the database falls in the year.
    #[error("there is nothing to report for {year} ({start} to {end}): no record and no office input falls in that financial year; check the year, or enter the year's records first")]
    EmptyYear {
        /// The year asked for.
        year: i32,
        /// First day of its financial year.
        start: NaiveDate,
        /// Last day.
        end: NaiveDate,
    },
    /// A file of the same name would be overwritten.
    #[error("`{}` already exists; nothing was signed. Choose another folder, or move the old file away (it may be a signed submission)", path.display())]
    FileExists {
        /// The existing file.
        path: PathBuf,
    },
    /// The written files did not verify: nothing was recorded.
    #[error("the written submission `{}` did not verify, so it was removed and not recorded: {source}", path.display())]
    NotVerified {
        /// The submission file.
        path: PathBuf,
        /// Why.
        #[source]
        source: Error,
    },
    /// The office has no signing key yet.
    #[error("there is no signing key yet; make one first (the monitor's key section, or `kto monitor key replace`)")]
    NoKey,
    /// The definitions hold no figure of that code.
    #[error("there is no figure `{code}` in definition set {version}; the codes are {codes}")]
    NoFigure {
        /// The code asked for.
        code: String,
        /// The definition set's version.
        version: String,
        /// The codes there are, comma-separated.
        codes: String,
    },
    /// A different file already has the name the public key is written under.
    #[error("`{}` already exists with other content; KTO Desk never overwrites a file. Move it away or choose another folder", path.display())]
    OtherFileThere {
        /// The existing file.
        path: PathBuf,
    },
    /// A stored submission could not be read back.
    #[error("the stored submission of {year} (version {version}) could not be read: {reason}")]
    StoredSubmission {
        /// Its year.
        year: i32,
        /// Its version.
        version: u32,
        /// Why.
        reason: String,
    },
}

impl ExportError {
    /// A short stable name of the error kind, for UIs and logs.
    pub fn code(&self) -> &'static str {
        match self {
            ExportError::Report(e) => e.code(),
            ExportError::Store(_) => "store",
            ExportError::Monitor(_) => "definitions",
            ExportError::NoInstitution => "noInstitution",
            ExportError::EmptyYear { .. } => "emptyYear",
            ExportError::FileExists { .. } => "fileExists",
            ExportError::NotVerified { .. } => "notVerified",
            ExportError::StoredSubmission { .. } => "storedSubmission",
            ExportError::NoKey => "noKey",
            ExportError::NoFigure { .. } => "noFigure",
            ExportError::OtherFileThere { .. } => "otherFileThere",
        }
    }
}

/// The default definition set.
///
/// # Errors
/// [`ExportError::Monitor`] if the shipped file is invalid (a build defect).
pub fn default_definitions() -> Result<DefinitionSet, ExportError> {
    Ok(DefinitionSet::from_json(DEFAULT_DEFINITIONS_JSON)?)
}

/// The year's figures, data-quality warnings, the comparison with the last signed earlier
/// year and the version already signed for the year, if any.
///
/// # Errors
/// [`ExportError::Store`] when the database cannot be read; [`ExportError::Monitor`] for
/// an unusable financial-year start or year; [`ExportError::StoredSubmission`] when the
/// earlier submission cannot be read back.
pub fn overview(
    store: &Store,
    defs: &DefinitionSet,
    year: i32,
) -> Result<MonitorOverview, ExportError> {
    let settings = store.monitor_settings()?;
    let period = reporting_period(year, settings.financial_year_start)?;
    let facts = store.monitor_period_facts(&period)?;
    let result = compute_monitor(defs, &facts, &period);
    let quality = data_quality(&facts, &period);
    let compared_with = match store.latest_submission_before(year)? {
        Some(record) => {
            let sub = parse_stored(&record)?;
            Some(ComparedSubmission {
                year: record.year,
                version: record.version,
                sha256: record.sha256,
                figures: figures_from_submission(&sub),
            })
        }
        None => None,
    };
    let changes = match &compared_with {
        Some(prev) => year_over_year(
            &result.figures,
            &prev.figures,
            DEFAULT_CHANGE_FACTOR_HUNDREDTHS,
        )?,
        None => Vec::new(),
    };
    Ok(MonitorOverview {
        definitions: defs.clone(),
        empty: is_empty(&result),
        result,
        quality,
        compared_with,
        changes,
        signed: store.latest_submission(year)?,
    })
}

/// True when no figure counts a record.
pub fn is_empty(result: &MonitorResult) -> bool {
    result.figures.iter().all(|f| f.record_ids.is_empty())
}

/// Reads a stored submission's file back.
fn parse_stored(record: &SubmissionRecord) -> Result<Submission, ExportError> {
    serde_json::from_str(&record.canonical_json).map_err(|e| ExportError::StoredSubmission {
        year: record.year,
        version: record.version,
        reason: e.to_string(),
    })
}

/// The submission of `result` under `defs`, labelled in `locale`.
///
/// # Errors
/// [`Error::InvalidSubmission`] when a value cannot be written exactly or a rule of the
/// format is broken (an institution id with spaces, say).
pub fn submission_from_result(
    result: &MonitorResult,
    defs: &DefinitionSet,
    institution: Institution,
    locale: Locale,
    app_version: &str,
    created_at: DateTime<Utc>,
    supersedes: Option<String>,
) -> crate::Result<Submission> {
    let figures = result
        .figures
        .iter()
        .map(|f| figure_out(f, defs, locale))
        .collect::<crate::Result<Vec<_>>>()?;
    let submission = Submission {
        schema_version: SCHEMA_VERSION,
        definition_version: result.definition_version.clone(),
        institution,
        year: result.period.year,
        period: Period {
            start: result.period.start,
            end: result.period.end,
        },
        figures,
        app_version: app_version.to_owned(),
        created_at,
        supersedes,
        sync: None,
    };
    submission.validate()?;
    Ok(submission)
}

/// Whose changes the office holds, for a submission signed on a laptop of a shared
/// office; `None` for an office that never synced.
fn office_sync(store: &Store) -> Result<Option<crate::submission::OfficeSync>, ExportError> {
    use crate::submission::{DeviceChanges, OfficeSync};
    let status = store.sync_status()?;
    let last_synced_at = store.last_synced()?;
    if status.devices.is_empty() && last_synced_at.is_none() {
        return Ok(None);
    }
    let mut devices = vec![DeviceChanges {
        device: status.device,
        name: status.name,
        changes: status.changes,
        newest_change_at: None,
    }];
    devices.extend(status.devices.into_iter().map(|d| DeviceChanges {
        device: d.device,
        name: d.name,
        changes: d.last_seq,
        newest_change_at: d.last_at,
    }));
    Ok(Some(OfficeSync {
        last_synced_at,
        devices,
    }))
}

fn unit_of(unit: CoreUnit) -> Unit {
    match unit {
        CoreUnit::Number => Unit::Count,
        CoreUnit::Eur => Unit::EurCents,
        CoreUnit::Fte => Unit::FteHundredths,
    }
}

fn reason_key(reason: NotAvailableReason) -> &'static str {
    match reason {
        NotAvailableReason::InputNotRecorded => "inputNotRecorded",
        NotAvailableReason::ConflictingInputs => "conflictingInputs",
        NotAvailableReason::InvalidRecords => "invalidRecords",
    }
}

/// A figure value as the file's integer; `None` when not available.
fn integer(code: &str, value: &FigureValue) -> crate::Result<Option<i64>> {
    let too_big = || Error::invalid(format!("figure {code} is too large to write"));
    Ok(match value {
        FigureValue::Count(n) => Some(i64::try_from(*n).map_err(|_| too_big())?),
        FigureValue::Amount(m) => Some(m.cents()),
        FigureValue::Fte(n) => Some(i64::from(*n)),
        FigureValue::NotAvailable { .. } => None,
    })
}

fn figure_out(f: &Figure, defs: &DefinitionSet, locale: Locale) -> crate::Result<FigureOut> {
    let def = defs
        .indicators
        .iter()
        .find(|d| d.code == f.code)
        .ok_or_else(|| Error::invalid(format!("figure {} is not in the definition set", f.code)))?;
    let value = integer(&f.code, &f.value)?;
    let not_available_reason = match f.value {
        FigureValue::NotAvailable { reason } => Some(reason_key(reason).to_owned()),
        _ => None,
    };
    let mut breakdowns = Vec::new();
    if value.is_some() {
        for b in &f.breakdowns {
            if let Some(v) = integer(&format!("{}/{}", f.code, b.key), &b.value)? {
                breakdowns.push(Breakdown {
                    key: b.key.clone(),
                    value: v,
                });
            }
        }
    }
    Ok(FigureOut {
        code: f.code.clone(),
        label: match locale {
            Locale::Nl => def.name_nl.clone(),
            Locale::En => def.name_en.clone(),
        },
        unit: unit_of(def.unit),
        value,
        not_available_reason,
        breakdowns,
    })
}

fn core_value(unit: Unit, value: Option<i64>, reason: Option<&str>) -> FigureValue {
    match value {
        None => FigureValue::NotAvailable {
            reason: match reason {
                Some("conflictingInputs") => NotAvailableReason::ConflictingInputs,
                Some("invalidRecords") => NotAvailableReason::InvalidRecords,
                _ => NotAvailableReason::InputNotRecorded,
            },
        },
        Some(v) => match unit {
            Unit::Count => FigureValue::Count(u64::try_from(v).unwrap_or(0)),
            Unit::EurCents => FigureValue::Amount(Money::from_cents(v)),
            Unit::FteHundredths => FigureValue::Fte(u32::try_from(v).unwrap_or(u32::MAX)),
        },
    }
}

/// The figures of a signed file, for comparison with a later year (no record ids: the
/// file does not hold them).
pub fn figures_from_submission(sub: &Submission) -> Vec<Figure> {
    sub.figures
        .iter()
        .map(|f| Figure {
            code: f.code.clone(),
            value: core_value(f.unit, f.value, f.not_available_reason.as_deref()),
            breakdowns: f
                .breakdowns
                .iter()
                .map(|b| kto_core::monitor::Breakdown {
                    key: b.key.clone(),
                    value: core_value(f.unit, Some(b.value), None),
                })
                .collect(),
            record_ids: Vec::new(),
        })
        .collect()
}

/// One data-quality warning as a sentence for the PDF and the terminal.
pub fn quality_note(w: &QualityWarning, title: Option<&str>, locale: Locale) -> String {
    let nl = locale == Locale::Nl;
    let kind = match (w.record_kind, nl) {
        (RecordKind::Disclosure, false) => "Disclosure",
        (RecordKind::Disclosure, true) => "Uitvindingsmelding",
        (RecordKind::PatentApplication, false) => "Patent application",
        (RecordKind::PatentApplication, true) => "Octrooiaanvraag",
        (RecordKind::Agreement, false) => "Agreement",
        (RecordKind::Agreement, true) => "Overeenkomst",
        (RecordKind::Income, false) => "Income",
        (RecordKind::Income, true) => "Inkomsten",
        (RecordKind::SpinOff, false) => "Spin-off",
        (RecordKind::SpinOff, true) => "Spin-off",
        (RecordKind::FundingRound, false) => "Funding round",
        (RecordKind::FundingRound, true) => "Financieringsronde",
        (RecordKind::Contribution, false) => "PPS contribution",
        (RecordKind::Contribution, true) => "PPS-bijdrage",
        (RecordKind::ScoutingLead, false) => "Scouting lead",
        (RecordKind::ScoutingLead, true) => "Scoutinglead",
        (RecordKind::OfficeInputs, false) => "Office inputs",
        (RecordKind::OfficeInputs, true) => "Jaarlijkse invoer",
    };
    let what = match title.or(w.record_id.as_deref()) {
        Some(t) => format!("{kind} “{t}”"),
        None => kind.to_owned(),
    };
    let problem = match (&w.problem, nl) {
        (Problem::MissingDate { field }, false) => format!(
            "the {} is missing: enter it, so that the record falls in a year",
            field_label(field, locale)
        ),
        (Problem::MissingDate { field }, true) => format!(
            "de {} ontbreekt: vul die in, zodat het record in een jaar valt",
            field_label(field, locale)
        ),
        // Kinds the record does not hold itself: say where they come from.
        (Problem::MissingKind { field }, false) if field == "partnerKind" && w.record_kind != RecordKind::Contribution => {
            "the counterparty has no organisation kind: pick the counterparty and set its kind (SME, large company, start-up …)".to_owned()
        }
        (Problem::MissingKind { field }, true) if field == "partnerKind" && w.record_kind != RecordKind::Contribution => {
            "de wederpartij heeft geen soort organisatie: kies de wederpartij en stel haar soort in (mkb, groot bedrijf, start-up …)".to_owned()
        }
        (Problem::MissingKind { field }, false) if field == "sourceAgreementKind" => {
            "it is not linked to a licence, option or assignment agreement: link it, so that it counts as licence income".to_owned()
        }
        (Problem::MissingKind { field }, true) if field == "sourceAgreementKind" => {
            "ze zijn niet gekoppeld aan een licentie-, optie- of overdrachtsovereenkomst: koppel ze, zodat ze als licentie-inkomsten tellen".to_owned()
        }
        (Problem::MissingKind { field }, false) => format!(
            "no {} is chosen: choose one, the figures are split by it",
            field_label(field, locale)
        ),
        (Problem::MissingKind { field }, true) => format!(
            "er is geen {} gekozen: kies er een, de cijfers worden erop gesplitst",
            field_label(field, locale)
        ),
        (Problem::MissingValue { field }, false) => format!(
            "the {} is missing: enter it, research agreements are reported in euros",
            field_label(field, locale)
        ),
        (Problem::MissingValue { field }, true) => format!(
            "de {} ontbreekt: vul die in, onderzoeksovereenkomsten worden in euro gerapporteerd",
            field_label(field, locale)
        ),
        (Problem::InventorSharesNot100 { sum_bp }, false) => format!(
            "inventor shares add up to {}.{:02} % instead of 100 %",
            sum_bp / 100,
            sum_bp % 100
        ),
        (Problem::InventorSharesNot100 { sum_bp }, true) => format!(
            "de aandelen van de uitvinders tellen op tot {},{:02} % in plaats van 100 %",
            sum_bp / 100,
            sum_bp % 100
        ),
        (Problem::MissingFamily, false) => "the patent family is missing".to_owned(),
        (Problem::MissingFamily, true) => "de octrooifamilie ontbreekt".to_owned(),
        (Problem::MultiplePriorityFilings { family_id }, false) => format!(
            "family {family_id} has more than one priority filing; only the earliest is counted"
        ),
        (Problem::MultiplePriorityFilings { family_id }, true) => format!(
            "familie {family_id} heeft meer dan één prioriteitsaanvraag; alleen de eerste telt"
        ),
        (Problem::NegativeAmount { field }, false) => format!(
            "the {} is below zero: enter it without a minus sign",
            field_label(field, locale)
        ),
        (Problem::NegativeAmount { field }, true) => format!(
            "het {} is negatief: vul het in zonder minteken",
            field_label(field, locale)
        ),
        (Problem::ConflictingPartnerKind, false) => {
            "the partner appears with two kinds in one consortium and year".to_owned()
        }
        (Problem::ConflictingPartnerKind, true) => {
            "de partner staat met twee soorten in één consortium en jaar".to_owned()
        }
        (Problem::MissingResearchGroup, false) => "the research group is missing".to_owned(),
        (Problem::MissingResearchGroup, true) => "de onderzoeksgroep ontbreekt".to_owned(),
        (Problem::MissingInput { field }, false) => {
            format!("{} is not recorded for the year: the figure is not available", field_label(field, locale))
        }
        (Problem::MissingInput { field }, true) => {
            format!("{} is niet ingevoerd voor het jaar: het cijfer is niet beschikbaar", field_label(field, locale))
        }
        (Problem::ConflictingInputs { field }, false) => {
            format!("records of the year disagree on {}", field_label(field, locale))
        }
        (Problem::ConflictingInputs { field }, true) => {
            format!("gegevens van het jaar spreken elkaar tegen over {}", field_label(field, locale))
        }
    };
    format!("{what}: {problem}.")
}

/// The warnings as sentences, naming each record by its title.
///
/// # Errors
/// [`kto_store::Error`] when the titles cannot be read.
pub fn quality_notes(
    store: &Store,
    warnings: &[QualityWarning],
    locale: Locale,
) -> kto_store::Result<Vec<String>> {
    let ids: Vec<String> = warnings
        .iter()
        .filter_map(|w| w.record_id.clone())
        .collect();
    let titles: BTreeMap<String, String> = store
        .counted_records(&ids)?
        .into_iter()
        .map(|r| (r.id, r.title))
        .collect();
    Ok(warnings
        .iter()
        .map(|w| {
            let title = w.record_id.as_ref().and_then(|id| titles.get(id));
            quality_note(w, title.map(String::as_str), locale)
        })
        .collect())
}

/// What [`export`] needs besides the store.
#[derive(Debug, Clone, Copy)]
pub struct ExportRequest<'a> {
    /// The reported year.
    pub year: i32,
    /// The definition set to compute with.
    pub definitions: &'a DefinitionSet,
    /// The opened signing key.
    pub key: &'a SigningKey,
    /// Folder for the files; created when missing.
    pub out_dir: &'a Path,
    /// Who signs (recorded with the submission).
    pub signer: &'a str,
    /// The application version written into the file.
    pub app_version: &'a str,
    /// Now: the file's `created_at` and the stored signing time.
    pub now: DateTime<Utc>,
    /// Today: the report's generation date.
    pub today: NaiveDate,
    /// Labels and report language.
    pub locale: Locale,
}

/// The file name of version `version` of a year's submission.
pub fn file_name(institution_id: &str, year: i32, version: u32) -> String {
    format!("kto-monitor-{institution_id}-{year}-v{version}.json")
}

/// Computes the year, signs it and writes `kto-monitor-<institution>-<year>-v<n>.json`,
/// its `.minisig`, the `.pdf` report and the submission's JSON Schema (`.schema.json`)
/// into `out_dir`, verifies the written files with
/// the key's public key and records the submission in the store (as a correction of the
/// year's latest version when there is one).
///
/// # Errors
/// [`ExportError::NoInstitution`] when the institution is not set;
/// [`ExportError::EmptyYear`] when no record falls in the year;
/// [`ExportError::FileExists`] rather than overwrite; [`ExportError::NotVerified`] when
/// the written files do not verify (they are removed); store, format and I/O errors.
pub fn export(store: &mut Store, req: &ExportRequest<'_>) -> Result<SignedExport, ExportError> {
    let settings = store.monitor_settings()?;
    if settings.institution_id.is_empty() || settings.institution_name.is_empty() {
        return Err(ExportError::NoInstitution);
    }
    let period = reporting_period(req.year, settings.financial_year_start)?;
    let facts = store.monitor_period_facts(&period)?;
    let result = compute_monitor(req.definitions, &facts, &period);
    if is_empty(&result) {
        return Err(ExportError::EmptyYear {
            year: req.year,
            start: period.start,
            end: period.end,
        });
    }
    let previous = store.latest_submission(req.year)?;
    let version = previous.as_ref().map_or(1, |p| p.version + 1);
    let json_path = req
        .out_dir
        .join(file_name(&settings.institution_id, req.year, version));
    let pdf_path = json_path.with_extension("pdf");
    let schema_path = json_path.with_extension("schema.json");
    let sig_path = crate::signature_path_for(&json_path);
    for path in [&json_path, &sig_path, &pdf_path, &schema_path] {
        if path.exists() {
            return Err(ExportError::FileExists { path: path.clone() });
        }
    }
    let mut submission = submission_from_result(
        &result,
        req.definitions,
        Institution {
            id: settings.institution_id.clone(),
            name: settings.institution_name.clone(),
        },
        req.locale,
        req.app_version,
        req.now,
        previous.as_ref().map(|p| p.sha256.clone()),
    )?;
    submission.sync = office_sync(store)?;
    let signed = sign_submission(&submission, req.key)?;

    std::fs::create_dir_all(req.out_dir)
        .map_err(|e| Error::io("create the output folder", req.out_dir, e))?;
    let written = write_signed(&json_path, &signed)?;
    let public = req.key.public_key();
    let remove_written = || {
        let _ = std::fs::remove_file(&written.json_path);
        let _ = std::fs::remove_file(&written.signature_path);
        let _ = std::fs::remove_file(&pdf_path);
        let _ = std::fs::remove_file(&schema_path);
    };
    let verified = (|| {
        let json = std::fs::read(&written.json_path)
            .map_err(|e| Error::io("read back the submission file", &written.json_path, e))?;
        let sig = std::fs::read_to_string(&written.signature_path)
            .map_err(|e| Error::io("read back the signature file", &written.signature_path, e))?;
        verify(&json, &sig, &public.to_text())
    })();
    let verified = match verified {
        Ok(v) => v,
        Err(source) => {
            remove_written();
            return Err(ExportError::NotVerified {
                path: json_path,
                source,
            });
        }
    };
    // The head of the audit chain, signed beside the submission: a history cut short or
    // rewritten later no longer matches it (crate::audit).
    let anchored = store
        .audit_anchor()
        .map_err(ExportError::from)
        .and_then(|anchor| {
            crate::audit::write_anchor(&json_path, &verified.sha256, &anchor, req.key)
                .map_err(ExportError::from)
        });
    if let Err(e) = anchored {
        remove_written();
        return Err(e);
    }

    let pdf = (|| -> Result<(), ExportError> {
        let previous_years = store
            .submissions()?
            .into_iter()
            .filter(|s| s.year < req.year)
            .fold(BTreeMap::<i32, SubmissionRecord>::new(), |mut m, s| {
                m.entry(s.year).or_insert(s);
                m
            })
            .into_values()
            .map(|s| {
                let sub = parse_stored(&s)?;
                Ok(YearValues {
                    year: s.year,
                    values: sub
                        .figures
                        .iter()
                        .map(|f| (f.code.clone(), f.value))
                        .collect(),
                })
            })
            .collect::<Result<Vec<_>, ExportError>>()?;
        let quality = data_quality(&facts, &period);
        let bytes = render_report(&ReportInput {
            submission: &submission,
            locale: req.locale,
            generated_on: req.today,
            previous_years,
            chart_codes: CHART_CODES
                .iter()
                .filter(|c| submission.figure(c).is_some())
                .map(|c| (*c).to_owned())
                .collect(),
            quality_notes: quality_notes(store, &quality, req.locale)?,
            signature: Some(SignatureInfo {
                key_id: verified.key_id.to_hex(),
                key_fingerprint: verified.key_fingerprint.clone(),
                file_sha256: verified.sha256.clone(),
            }),
            definitions: req
                .definitions
                .indicators
                .iter()
                .map(|d| {
                    let text = match req.locale {
                        Locale::Nl => &d.description_nl,
                        Locale::En => &d.description_en,
                    };
                    (d.code.clone(), text.clone())
                })
                .collect(),
            submission_file: json_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned()),
        })?;
        fsio::stage(&pdf_path, &bytes, 0o644)?.commit()?;
        fsio::stage(&schema_path, crate::SUBMISSION_SCHEMA.as_bytes(), 0o644)?.commit()?;
        Ok(())
    })();
    if let Err(e) = pdf {
        remove_written();
        return Err(e);
    }

    let json_text = String::from_utf8(signed.json.clone())
        .map_err(|_| Error::invalid("the canonical JSON is not UTF-8"))?;
    let stored = store.insert_submission(&NewSubmission {
        year: req.year,
        supersedes_id: previous.map(|p| p.id),
        institution_id: settings.institution_id,
        definition_version: result.definition_version.clone(),
        canonical_json: json_text,
        signature: signed.signature.clone(),
        sha256: signed.sha256.clone(),
        key: NewSigningKey {
            key_id: public.key_id().to_hex(),
            public_key: public.to_text(),
            fingerprint: public.fingerprint(),
        },
        signer: req.signer.to_owned(),
        signed_at: req.now,
    });
    let stored = match stored {
        Ok(s) => s,
        Err(e) => {
            remove_written();
            return Err(e.into());
        }
    };
    Ok(SignedExport {
        submission: stored,
        json_path: written.json_path.display().to_string(),
        signature_path: written.signature_path.display().to_string(),
        pdf_path: pdf_path.display().to_string(),
        schema_path: schema_path.display().to_string(),
        sha256: verified.sha256.clone(),
        key_id: verified.key_id.to_hex(),
        key_fingerprint: verified.key_fingerprint.clone(),
        verified: true,
        verification: format!(
            "valid: signed by key {} for institution {}, year {}, SHA-256 {}",
            verified.key_id, verified.comment.institution, verified.comment.year, verified.sha256
        ),
    })
}
