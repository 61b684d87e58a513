//! The national outputs: the aggregate as RFC 8785 canonical JSON signed with the
//! coordinator's key (listing the SHA-256 of every submission it includes), and every
//! figure as CSV and as an XLSX workbook.
//!
//! The signature is a detached minisign signature like the offices' (made with
//! [`crate::sign_detached`]) whose trusted comment binds the file's SHA-256:
//!
//! ```text
//! kto-national years=<first>-<last> submissions=<n> sha256=<64 hex digits>
//! ```

use rust_xlsxwriter::{Format, Workbook};

use super::aggregate::{FigureTotal, NationalAggregate, AGGREGATE_FORMAT};
use super::error::{NationalError, NationalResult};
use crate::canonical::sha256_hex;
use crate::error::Error;
use crate::keys::{PublicKey, SigningKey};
use crate::pdf::Locale;
use crate::sign::sign_detached;
use crate::submission::Unit;

/// First word of the national aggregate's trusted comment.
pub const NATIONAL_COMMENT_TAG: &str = "kto-national";

/// The signed national aggregate in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedAggregate {
    /// Canonical JSON bytes.
    pub json: Vec<u8>,
    /// Minisign signature text.
    pub signature: String,
    /// SHA-256 of `json`.
    pub sha256: String,
    /// The trusted comment signed.
    pub comment: String,
}

/// The years an aggregate spans: `2025`, `2023-2025`, or `none`.
pub fn year_span(aggregate: &NationalAggregate) -> String {
    match (aggregate.years.first(), aggregate.years.last()) {
        (Some(a), Some(b)) if a.year == b.year => a.year.to_string(),
        (Some(a), Some(b)) => format!("{}-{}", a.year, b.year),
        _ => "none".to_owned(),
    }
}

/// Writes the aggregate as canonical JSON and signs it with the coordinator's key.
///
/// # Errors
/// [`NationalError::Report`] when it cannot be serialised (a figure that is not a finite
/// number) or signed.
pub fn sign_aggregate(
    aggregate: &NationalAggregate,
    key: &SigningKey,
) -> NationalResult<SignedAggregate> {
    let json = serde_jcs::to_vec(aggregate).map_err(Error::Canonical)?;
    let sha256 = sha256_hex(&json);
    let comment = format!(
        "{NATIONAL_COMMENT_TAG} years={} submissions={} sha256={sha256}",
        year_span(aggregate),
        aggregate.submissions.len()
    );
    let signature = sign_detached(&json, &comment, key)?;
    Ok(SignedAggregate {
        json,
        signature,
        sha256,
        comment,
    })
}

/// Checks a signed national aggregate against the coordinator's public key: the
/// signature, the SHA-256 in its trusted comment, the format and the canonical form.
///
/// # Errors
/// [`crate::Error::MalformedPublicKey`], [`crate::Error::MalformedSignature`],
/// [`crate::Error::WrongKeyId`], [`crate::Error::BadSignature`],
/// [`crate::Error::MalformedComment`], [`crate::Error::CommentMismatch`],
/// [`crate::Error::MalformedFile`], [`crate::Error::NotCanonical`].
pub fn verify_aggregate(
    bytes: &[u8],
    sig_text: &str,
    pubkey_text: &str,
) -> NationalResult<NationalAggregate> {
    let public = PublicKey::from_text(pubkey_text)?;
    let key = minisign_verify::PublicKey::decode(&public.to_text()).map_err(|e| {
        Error::MalformedPublicKey {
            reason: e.to_string(),
        }
    })?;
    let signature =
        minisign_verify::Signature::decode(sig_text).map_err(|e| Error::MalformedSignature {
            reason: e.to_string(),
        })?;
    key.verify(bytes, &signature, false).map_err(|e| match e {
        minisign_verify::Error::UnexpectedKeyId => Error::WrongKeyId {
            expected: public.key_id().to_hex(),
            found: "another key".to_owned(),
        },
        minisign_verify::Error::InvalidSignature => Error::BadSignature,
        other => Error::MalformedSignature {
            reason: other.to_string(),
        },
    })?;
    let comment = signature.trusted_comment();
    let sha256 = sha256_hex(bytes);
    let in_comment = comment
        .strip_prefix(NATIONAL_COMMENT_TAG)
        .and_then(|rest| rest.split(' ').find_map(|p| p.strip_prefix("sha256=")))
        .ok_or_else(|| Error::MalformedComment {
            comment: comment.to_owned(),
        })?;
    if in_comment != sha256 {
        return Err(Error::CommentMismatch {
            field: "sha256",
            in_comment: in_comment.to_owned(),
            in_file: sha256,
        }
        .into());
    }
    let aggregate: NationalAggregate =
        serde_json::from_slice(bytes).map_err(|e| Error::MalformedFile {
            reason: e.to_string(),
        })?;
    if aggregate.format != AGGREGATE_FORMAT {
        return Err(Error::MalformedFile {
            reason: format!(
                "it has aggregate format {}, this version reads {AGGREGATE_FORMAT}",
                aggregate.format
            ),
        }
        .into());
    }
    if serde_jcs::to_vec(&aggregate).map_err(Error::Canonical)? != bytes {
        return Err(Error::NotCanonical.into());
    }
    Ok(aggregate)
}

/// One row of the figure table: a national total, a breakdown or an office's value.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureRow {
    /// Reported year.
    pub year: i32,
    /// Definition version.
    pub definition_version: String,
    /// Indicator code.
    pub code: String,
    /// Indicator name in the table's language.
    pub indicator: String,
    /// `count`, `eur` or `fte`.
    pub unit: &'static str,
    /// `national`, `breakdown` or `office`.
    pub scope: &'static str,
    /// Institution id (office rows).
    pub institution: String,
    /// Breakdown key (breakdown rows).
    pub breakdown: String,
    /// The value in the unit (euros, FTE, count); `None` = not available.
    pub value: Option<f64>,
    /// Per €100 million research expenditure.
    pub per_100m_research_expenditure: Option<f64>,
    /// Per 1,000 research FTE.
    pub per_1000_research_fte: Option<f64>,
    /// Offices summed (national and breakdown rows).
    pub offices_counted: String,
    /// Offices lacking (national rows) or the reason not available (office rows).
    pub lacking: String,
    /// SHA-256 of the submission (office rows).
    pub sha256: String,
}

/// The column names of [`FigureRow`], in order.
pub const FIGURE_COLUMNS: [&str; 14] = [
    "year",
    "definition_version",
    "code",
    "indicator",
    "unit",
    "scope",
    "institution",
    "breakdown",
    "value",
    "per_100m_eur_research_expenditure",
    "per_1000_research_fte",
    "offices_counted",
    "offices_lacking_or_reason",
    "submission_sha256",
];

fn unit_word(unit: Unit) -> &'static str {
    match unit {
        Unit::Count => "count",
        Unit::EurCents => "eur",
        Unit::FteHundredths => "fte",
    }
}

/// A value of the file's integer unit in the reader's unit (euros, FTE).
fn natural(value: i64, unit: Unit) -> f64 {
    match unit {
        Unit::Count => value as f64,
        Unit::EurCents | Unit::FteHundredths => value as f64 / 100.0,
    }
}

fn label(f: &FigureTotal, locale: Locale) -> String {
    match locale {
        Locale::Nl => f.label_nl.clone(),
        Locale::En => f.label_en.clone(),
    }
}

/// Every figure of the aggregate as rows: per year and indicator the national total,
/// its breakdowns and every office's value.
pub fn figure_rows(aggregate: &NationalAggregate, locale: Locale) -> Vec<FigureRow> {
    let mut rows = Vec::new();
    for year in &aggregate.years {
        for f in &year.figures {
            let base = FigureRow {
                year: year.year,
                definition_version: f.definition_version.clone(),
                code: f.code.clone(),
                indicator: label(f, locale),
                unit: unit_word(f.unit),
                scope: "national",
                institution: String::new(),
                breakdown: String::new(),
                value: None,
                per_100m_research_expenditure: None,
                per_1000_research_fte: None,
                offices_counted: String::new(),
                lacking: String::new(),
                sha256: String::new(),
            };
            rows.push(FigureRow {
                value: f.total.map(|v| natural(v, f.unit)),
                per_100m_research_expenditure: f
                    .per_100m_research_expenditure
                    .as_ref()
                    .map(|n| natural_f(n.value, f.unit)),
                per_1000_research_fte: f
                    .per_1000_research_fte
                    .as_ref()
                    .map(|n| natural_f(n.value, f.unit)),
                offices_counted: f.institutions_counted.join(" "),
                lacking: f.institutions_lacking.join(" "),
                ..base.clone()
            });
            for b in &f.breakdowns {
                rows.push(FigureRow {
                    scope: "breakdown",
                    breakdown: b.key.clone(),
                    value: Some(natural(b.value, f.unit)),
                    offices_counted: b.institutions.join(" "),
                    ..base.clone()
                });
            }
            for o in &f.offices {
                rows.push(FigureRow {
                    scope: "office",
                    institution: o.institution_id.clone(),
                    value: o.value.map(|v| natural(v, f.unit)),
                    per_100m_research_expenditure: o
                        .per_100m_research_expenditure
                        .map(|v| natural_f(v, f.unit)),
                    per_1000_research_fte: o.per_1000_research_fte.map(|v| natural_f(v, f.unit)),
                    lacking: o.not_available_reason.clone().unwrap_or_default(),
                    sha256: o.sha256.clone(),
                    ..base.clone()
                });
            }
        }
    }
    rows
}

fn natural_f(value: f64, unit: Unit) -> f64 {
    match unit {
        Unit::Count => value,
        Unit::EurCents | Unit::FteHundredths => value / 100.0,
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A number for the CSV: integers without a decimal point, others with up to four
/// decimals (trailing zeros removed); empty when not available.
fn csv_number(value: Option<f64>) -> String {
    match value {
        None => String::new(),
        Some(v) if v.fract() == 0.0 && v.abs() < 9.0e15 => format!("{v:.0}"),
        Some(v) => {
            let s = format!("{v:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_owned()
        }
    }
}

/// Every figure as CSV (comma-separated, UTF-8, a header row; numbers with a decimal
/// point; an empty value is "not available", never 0).
pub fn to_csv(aggregate: &NationalAggregate, locale: Locale) -> String {
    let mut out = FIGURE_COLUMNS.join(",");
    out.push('\n');
    for r in figure_rows(aggregate, locale) {
        let fields = [
            r.year.to_string(),
            csv_field(&r.definition_version),
            csv_field(&r.code),
            csv_field(&r.indicator),
            r.unit.to_owned(),
            r.scope.to_owned(),
            csv_field(&r.institution),
            csv_field(&r.breakdown),
            csv_number(r.value),
            csv_number(r.per_100m_research_expenditure),
            csv_number(r.per_1000_research_fte),
            csv_field(&r.offices_counted),
            csv_field(&r.lacking),
            r.sha256,
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> NationalError {
    NationalError::Xlsx(e.to_string())
}

/// Every figure as an XLSX workbook: a sheet of figures (numbers as numbers, an empty
/// cell for "not available") and a sheet of the submissions included.
///
/// # Errors
/// [`NationalError::Xlsx`] when the workbook cannot be built.
pub fn to_xlsx(aggregate: &NationalAggregate, locale: Locale) -> NationalResult<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let decimals = Format::new().set_num_format("#,##0.00");
    let ws = wb.add_worksheet();
    ws.set_name(match locale {
        Locale::Nl => "Cijfers",
        Locale::En => "Figures",
    })
    .map_err(xlsx_error)?;
    for (c, h) in FIGURE_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, col(c), *h, &bold)
            .map_err(xlsx_error)?;
    }
    for (i, r) in figure_rows(aggregate, locale).into_iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|_| NationalError::Xlsx("too many rows".into()))?;
        ws.write_number(row, 0, f64::from(r.year))
            .map_err(xlsx_error)?;
        let texts = [
            (1, &r.definition_version),
            (2, &r.code),
            (3, &r.indicator),
            (6, &r.institution),
            (7, &r.breakdown),
            (11, &r.offices_counted),
            (12, &r.lacking),
            (13, &r.sha256),
        ];
        for (c, t) in texts {
            if !t.is_empty() {
                ws.write_string(row, c, t.as_str()).map_err(xlsx_error)?;
            }
        }
        ws.write_string(row, 4, r.unit).map_err(xlsx_error)?;
        ws.write_string(row, 5, r.scope).map_err(xlsx_error)?;
        for (c, v) in [
            (8, r.value),
            (9, r.per_100m_research_expenditure),
            (10, r.per_1000_research_fte),
        ] {
            if let Some(v) = v {
                ws.write_number_with_format(row, c, v, &decimals)
                    .map_err(xlsx_error)?;
            }
        }
    }
    ws.autofit();
    let subs = wb.add_worksheet();
    subs.set_name(match locale {
        Locale::Nl => "Inzendingen",
        Locale::En => "Submissions",
    })
    .map_err(xlsx_error)?;
    let headers = [
        "institution",
        "name",
        "year",
        "definition_version",
        "file",
        "sha256",
        "key_id",
    ];
    for (c, h) in headers.iter().enumerate() {
        subs.write_string_with_format(0, col(c), *h, &bold)
            .map_err(xlsx_error)?;
    }
    for (i, s) in aggregate.submissions.iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|_| NationalError::Xlsx("too many rows".into()))?;
        subs.write_string(row, 0, &s.institution_id)
            .map_err(xlsx_error)?;
        subs.write_string(row, 1, &s.institution_name)
            .map_err(xlsx_error)?;
        subs.write_number(row, 2, f64::from(s.year))
            .map_err(xlsx_error)?;
        subs.write_string(row, 3, &s.definition_version)
            .map_err(xlsx_error)?;
        subs.write_string(row, 4, &s.file).map_err(xlsx_error)?;
        subs.write_string(row, 5, &s.sha256).map_err(xlsx_error)?;
        subs.write_string(row, 6, &s.key_id).map_err(xlsx_error)?;
    }
    subs.autofit();
    wb.save_to_buffer().map_err(xlsx_error)
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Where [`write_outputs`] put the national files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenOutputs {
    /// The signed aggregate, canonical JSON.
    pub json: std::path::PathBuf,
    /// Its `.minisig`.
    pub signature: std::path::PathBuf,
    /// Every figure as CSV.
    pub csv: std::path::PathBuf,
    /// Every figure as XLSX.
    pub xlsx: std::path::PathBuf,
    /// The PDF report.
    pub pdf: std::path::PathBuf,
    /// SHA-256 of the aggregate file.
    pub sha256: String,
}

/// Signs the aggregate and writes `kto-national-<years>.json`, its `.minisig`, `.csv`,
/// `.xlsx` and the `.pdf` report (in `locale`) into `dir`. Existing files are never
/// overwritten; on a failure the files already written are removed.
///
/// # Errors
/// [`NationalError::OutputExists`]; [`NationalError::Report`] for signing, rendering and
/// I/O failures; [`NationalError::Xlsx`].
pub fn write_outputs(
    dir: &std::path::Path,
    aggregate: &NationalAggregate,
    key: &SigningKey,
    locale: Locale,
    today: chrono::NaiveDate,
) -> NationalResult<WrittenOutputs> {
    let stem = format!("kto-national-{}", year_span(aggregate));
    let json = dir.join(format!("{stem}.json"));
    let out = WrittenOutputs {
        signature: crate::signature_path_for(&json),
        csv: dir.join(format!("{stem}.csv")),
        xlsx: dir.join(format!("{stem}.xlsx")),
        pdf: dir.join(format!("{stem}.pdf")),
        json,
        sha256: String::new(),
    };
    let all = [&out.json, &out.signature, &out.csv, &out.xlsx, &out.pdf];
    for path in all {
        if path.exists() {
            return Err(NationalError::OutputExists { path: path.clone() });
        }
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| NationalError::io("create the output folder", dir, e))?;
    let signed = sign_aggregate(aggregate, key)?;
    let pdf = crate::pdf::render_national_report(&crate::pdf::NationalReportInput {
        aggregate,
        locale,
        generated_on: today,
        aggregate_sha256: Some(signed.sha256.clone()),
        key_id: Some(key.key_id().to_hex()),
    })?;
    let contents: [(&std::path::PathBuf, Vec<u8>); 5] = [
        (&out.json, signed.json.clone()),
        (&out.signature, signed.signature.clone().into_bytes()),
        (&out.csv, to_csv(aggregate, locale).into_bytes()),
        (&out.xlsx, to_xlsx(aggregate, locale)?),
        (&out.pdf, pdf),
    ];
    for (n, (path, bytes)) in contents.iter().enumerate() {
        if let Err(e) = crate::write_durably(path, bytes) {
            for (written, _) in &contents[..n] {
                let _ = std::fs::remove_file(written);
            }
            return Err(e.into());
        }
    }
    Ok(WrittenOutputs {
        sha256: signed.sha256,
        ..out
    })
}
