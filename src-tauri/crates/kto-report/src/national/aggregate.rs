//! The national aggregate of the accepted submissions: per year and indicator the
//! national total with its breakdowns, every office's value, and the figure normalised
//! per €100 million research expenditure and per 1,000 research FTE (as the ASTP and
//! JRC surveys normalise), plus the trend over the years received.
//!
//! Rules a reader relies on:
//! - a figure that is "not available" for an office is never summed as 0: the total
//!   names the offices it lacks (and a figure no office has is itself not available);
//! - figures computed under different definition versions are never added up: each
//!   version has its own totals, and the year says which offices used which version;
//! - a normalised figure divides the sum over the offices that have both the figure and
//!   the basis by the sum of their bases, and names the offices it leaves out.
//!
//! Plain data in, plain data out; no file, no clock.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use kto_core::monitor::DefinitionSet;
use serde::{Deserialize, Serialize};

use super::inbox::AcceptedSubmission;
use crate::submission::Unit;

/// Format version of the national aggregate file.
pub const AGGREGATE_FORMAT: u32 = 1;

/// Code of the research expenditure input (the basis per €100 million).
pub const RESEARCH_EXPENDITURE: &str = "IN-RES-EXP";
/// Code of the research staff input (the basis per 1,000 FTE).
pub const RESEARCH_FTE: &str = "IN-RES-FTE";

/// €100 million in cents.
const HUNDRED_MILLION_EUR_CENTS: f64 = 10_000_000_000.0;
/// 1,000 FTE in hundredths.
const THOUSAND_FTE_HUNDREDTHS: f64 = 100_000.0;

/// The national aggregate: what was counted and every figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NationalAggregate {
    /// Always [`AGGREGATE_FORMAT`].
    pub format: u32,
    /// When it was made (given by the caller).
    pub generated_at: DateTime<Utc>,
    /// Every submission counted, with its SHA-256.
    pub submissions: Vec<IncludedSubmission>,
    /// Per year received, oldest first.
    pub years: Vec<YearAggregate>,
    /// Per indicator and definition version, the national total over the years.
    pub trends: Vec<Trend>,
}

/// A submission the aggregate counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IncludedSubmission {
    /// Institution id.
    pub institution_id: String,
    /// Registered name.
    pub institution_name: String,
    /// Reported year.
    pub year: i32,
    /// Definition version of its figures.
    pub definition_version: String,
    /// SHA-256 of the signed file.
    pub sha256: String,
    /// File name in the inbox.
    pub file: String,
    /// Key id that signed it.
    pub key_id: String,
}

/// One year's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct YearAggregate {
    /// The reported year.
    pub year: i32,
    /// Which offices computed with which definition version.
    pub definition_versions: Vec<VersionOffices>,
    /// True when offices used more than one definition version: the totals are then
    /// per version, never added up.
    pub mixed_definitions: bool,
    /// Per indicator and definition version, in the definition set's order.
    pub figures: Vec<FigureTotal>,
}

/// The offices of one definition version in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VersionOffices {
    /// Definition version.
    pub definition_version: String,
    /// Institution ids.
    pub institutions: Vec<String>,
}

/// One indicator's national figure in one year under one definition version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FigureTotal {
    /// Indicator code.
    pub code: String,
    /// English name (from the definition set, else as the files label it).
    pub label_en: String,
    /// Dutch name.
    pub label_nl: String,
    /// Unit of every value.
    pub unit: Unit,
    /// Definition version the values were computed with.
    pub definition_version: String,
    /// Sum over the offices that have the figure; `None` when none has it.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub total: Option<i64>,
    /// Offices summed.
    pub institutions_counted: Vec<String>,
    /// Offices of this definition version whose figure is not available (or absent):
    /// the total lacks them.
    pub institutions_lacking: Vec<String>,
    /// Sub-totals, each summed over the offices that report that breakdown.
    pub breakdowns: Vec<BreakdownTotal>,
    /// Per €100 million research expenditure; `None` for the basis itself or when no
    /// office has both the figure and the basis.
    pub per_100m_research_expenditure: Option<Normalised>,
    /// Per 1,000 research FTE.
    pub per_1000_research_fte: Option<Normalised>,
    /// Every office's value, for drill-down to its submission.
    pub offices: Vec<OfficeValue>,
}

/// A breakdown's national sub-total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BreakdownTotal {
    /// Breakdown key, e.g. `sme`.
    pub key: String,
    /// Sum.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub value: i64,
    /// Offices that report it.
    pub institutions: Vec<String>,
}

/// A normalised figure: `numerator / basis × scale`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Normalised {
    /// The figure per €100 million (or per 1,000 FTE), in the figure's unit.
    pub value: f64,
    /// Sum of the figure over the offices used.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub numerator: i64,
    /// Sum of their basis (cents or FTE hundredths).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub basis: i64,
    /// Offices used: those with the figure and a basis above zero.
    pub institutions: Vec<String>,
    /// Offices with the figure but without a basis, left out.
    pub institutions_without_basis: Vec<String>,
}

/// One office's value of a figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OfficeValue {
    /// Institution id.
    pub institution_id: String,
    /// The value; `None` = not available.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub value: Option<i64>,
    /// Why not available, as the office wrote it (`absent` when the figure is missing).
    pub not_available_reason: Option<String>,
    /// The office's value per €100 million research expenditure.
    pub per_100m_research_expenditure: Option<f64>,
    /// Per 1,000 research FTE.
    pub per_1000_research_fte: Option<f64>,
    /// SHA-256 of the submission the value comes from.
    pub sha256: String,
    /// Its file name in the inbox.
    pub file: String,
}

/// An indicator's national total over the years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Trend {
    /// Indicator code.
    pub code: String,
    /// Definition version.
    pub definition_version: String,
    /// Unit.
    pub unit: Unit,
    /// One point per year received, oldest first.
    pub points: Vec<TrendPoint>,
}

/// One year of a trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrendPoint {
    /// Year.
    pub year: i32,
    /// National total, `None` when no office has it.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub total: Option<i64>,
    /// Offices summed.
    pub institutions_counted: u32,
    /// Offices lacking.
    pub institutions_lacking: u32,
}

impl NationalAggregate {
    /// The year's aggregate, if received.
    pub fn year(&self, year: i32) -> Option<&YearAggregate> {
        self.years.iter().find(|y| y.year == year)
    }
}

impl YearAggregate {
    /// The figure with this code (of the first definition version that has it).
    pub fn figure(&self, code: &str) -> Option<&FigureTotal> {
        self.figures.iter().find(|f| f.code == code)
    }
}

/// Aggregates the accepted submissions (at most one per institution and year, as
/// [`super::check_inbox`] returns them). `definitions` gives the indicators' names and
/// order; codes it does not know follow in the files' order, labelled as in the files.
pub fn aggregate(
    accepted: &[AcceptedSubmission],
    definitions: &[DefinitionSet],
    generated_at: DateTime<Utc>,
) -> NationalAggregate {
    let mut submissions: Vec<IncludedSubmission> = accepted
        .iter()
        .map(|a| IncludedSubmission {
            institution_id: a.submission.institution.id.clone(),
            institution_name: a.institution_name.clone(),
            year: a.submission.year,
            definition_version: a.submission.definition_version.clone(),
            sha256: a.sha256.clone(),
            file: a.file.clone(),
            key_id: a.key_id.clone(),
        })
        .collect();
    submissions.sort_by(|a, b| (a.year, &a.institution_id).cmp(&(b.year, &b.institution_id)));

    let mut by_year: BTreeMap<i32, BTreeMap<String, Vec<&AcceptedSubmission>>> = BTreeMap::new();
    for a in accepted {
        by_year
            .entry(a.submission.year)
            .or_default()
            .entry(a.submission.definition_version.clone())
            .or_default()
            .push(a);
    }
    let years: Vec<YearAggregate> = by_year
        .into_iter()
        .map(|(year, versions)| year_aggregate(year, versions, definitions))
        .collect();
    let trends = trends(&years);
    NationalAggregate {
        format: AGGREGATE_FORMAT,
        generated_at,
        submissions,
        years,
        trends,
    }
}

fn year_aggregate(
    year: i32,
    versions: BTreeMap<String, Vec<&AcceptedSubmission>>,
    definitions: &[DefinitionSet],
) -> YearAggregate {
    let mut figures = Vec::new();
    let mut definition_versions = Vec::new();
    for (version, mut subs) in versions {
        subs.sort_by(|a, b| {
            a.submission
                .institution
                .id
                .cmp(&b.submission.institution.id)
        });
        definition_versions.push(VersionOffices {
            definition_version: version.clone(),
            institutions: subs
                .iter()
                .map(|s| s.submission.institution.id.clone())
                .collect(),
        });
        let defs = definitions.iter().find(|d| d.version == version);
        // The definition set's order, then any other code in the files' order.
        let mut codes: Vec<String> = defs
            .map(|d| d.indicators.iter().map(|i| i.code.clone()).collect())
            .unwrap_or_default();
        for s in &subs {
            for f in &s.submission.figures {
                if !codes.contains(&f.code) {
                    codes.push(f.code.clone());
                }
            }
        }
        for code in codes {
            if let Some(total) = figure_total(&code, &version, &subs, defs) {
                figures.push(total);
            }
        }
    }
    YearAggregate {
        year,
        mixed_definitions: definition_versions.len() > 1,
        definition_versions,
        figures,
    }
}

/// The office's value of `code`, `None` when not available or absent.
fn value_of(sub: &AcceptedSubmission, code: &str) -> Option<i64> {
    sub.submission.figure(code).and_then(|f| f.value)
}

fn figure_total(
    code: &str,
    version: &str,
    subs: &[&AcceptedSubmission],
    defs: Option<&DefinitionSet>,
) -> Option<FigureTotal> {
    let first = subs.iter().find_map(|s| s.submission.figure(code))?;
    let def = defs.and_then(|d| d.indicators.iter().find(|i| i.code == code));
    let (label_en, label_nl) = match def {
        Some(d) => (d.name_en.clone(), d.name_nl.clone()),
        None => (first.label.clone(), first.label.clone()),
    };
    let unit = first.unit;
    let mut total: Option<i64> = None;
    let mut counted = Vec::new();
    let mut lacking = Vec::new();
    let mut breakdowns: BTreeMap<String, (i64, Vec<String>)> = BTreeMap::new();
    let mut offices = Vec::new();
    for s in subs {
        let id = s.submission.institution.id.clone();
        let figure = s.submission.figure(code);
        let value = figure.and_then(|f| f.value);
        match value {
            Some(v) => {
                total = Some(total.unwrap_or(0).saturating_add(v));
                counted.push(id.clone());
                for b in figure.map(|f| f.breakdowns.as_slice()).unwrap_or_default() {
                    let entry = breakdowns.entry(b.key.clone()).or_default();
                    entry.0 = entry.0.saturating_add(b.value);
                    entry.1.push(id.clone());
                }
            }
            None => lacking.push(id.clone()),
        }
        let normalisable = code != RESEARCH_EXPENDITURE && code != RESEARCH_FTE;
        offices.push(OfficeValue {
            institution_id: id,
            value,
            not_available_reason: match figure {
                Some(f) => f.not_available_reason.clone(),
                None => Some("absent".to_owned()),
            },
            per_100m_research_expenditure: ratio(
                value.filter(|_| normalisable),
                value_of(s, RESEARCH_EXPENDITURE),
                HUNDRED_MILLION_EUR_CENTS,
            ),
            per_1000_research_fte: ratio(
                value.filter(|_| normalisable),
                value_of(s, RESEARCH_FTE),
                THOUSAND_FTE_HUNDREDTHS,
            ),
            sha256: s.sha256.clone(),
            file: s.file.clone(),
        });
    }
    let normalisable = code != RESEARCH_EXPENDITURE && code != RESEARCH_FTE;
    Some(FigureTotal {
        code: code.to_owned(),
        label_en,
        label_nl,
        unit,
        definition_version: version.to_owned(),
        total,
        institutions_counted: counted,
        institutions_lacking: lacking,
        breakdowns: breakdowns
            .into_iter()
            .map(|(key, (value, institutions))| BreakdownTotal {
                key,
                value,
                institutions,
            })
            .collect(),
        per_100m_research_expenditure: normalisable
            .then(|| normalised(code, subs, RESEARCH_EXPENDITURE, HUNDRED_MILLION_EUR_CENTS))
            .flatten(),
        per_1000_research_fte: normalisable
            .then(|| normalised(code, subs, RESEARCH_FTE, THOUSAND_FTE_HUNDREDTHS))
            .flatten(),
        offices,
    })
}

fn ratio(value: Option<i64>, basis: Option<i64>, scale: f64) -> Option<f64> {
    match (value, basis) {
        (Some(v), Some(b)) if b > 0 => Some(v as f64 * scale / b as f64),
        _ => None,
    }
}

fn normalised(
    code: &str,
    subs: &[&AcceptedSubmission],
    basis_code: &str,
    scale: f64,
) -> Option<Normalised> {
    let mut numerator: i64 = 0;
    let mut basis: i64 = 0;
    let mut used = Vec::new();
    let mut without = Vec::new();
    for s in subs {
        let Some(v) = value_of(s, code) else { continue };
        match value_of(s, basis_code) {
            Some(b) if b > 0 => {
                numerator = numerator.saturating_add(v);
                basis = basis.saturating_add(b);
                used.push(s.submission.institution.id.clone());
            }
            _ => without.push(s.submission.institution.id.clone()),
        }
    }
    if used.is_empty() {
        return None;
    }
    Some(Normalised {
        value: numerator as f64 * scale / basis as f64,
        numerator,
        basis,
        institutions: used,
        institutions_without_basis: without,
    })
}

fn trends(years: &[YearAggregate]) -> Vec<Trend> {
    let mut keys: Vec<(String, String, Unit)> = Vec::new();
    let mut seen = BTreeSet::new();
    for y in years {
        for f in &y.figures {
            if seen.insert((f.code.clone(), f.definition_version.clone())) {
                keys.push((f.code.clone(), f.definition_version.clone(), f.unit));
            }
        }
    }
    keys.into_iter()
        .map(|(code, version, unit)| Trend {
            points: years
                .iter()
                .map(|y| {
                    let f = y
                        .figures
                        .iter()
                        .find(|f| f.code == code && f.definition_version == version);
                    TrendPoint {
                        year: y.year,
                        total: f.and_then(|f| f.total),
                        institutions_counted: f.map_or(0, |f| count(f.institutions_counted.len())),
                        institutions_lacking: f.map_or(0, |f| count(f.institutions_lacking.len())),
                    }
                })
                .collect(),
            code,
            definition_version: version,
            unit,
        })
        .collect()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
