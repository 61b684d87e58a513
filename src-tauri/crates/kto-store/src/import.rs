//! Import of a generic kind from CSV: the canonical format of `docs/csv-format.md` read
//! back, and the shapes spreadsheets really have (a byte-order mark, `;` or tab separators,
//! Dutch amounts `1.234,56` and dates `31-12-2025`).
//!
//! All rows are applied in one transaction. Every problem is reported with its line,
//! column and what is wrong, and when there is any, nothing is changed. A row with the id
//! of an existing record updates it (with history); a row with a new or no id creates one.

use std::fmt;

use chrono::NaiveDate;
use kto_core::activity::{Change, RecordKind};
use kto_core::record::{self, FieldType, KindSpec, Value, Values};
use rusqlite::OptionalExtension;

use crate::records::{create_with_id_in, update_in};
use crate::{Error, Result, Store};

/// The largest file imported at once.
pub const MAX_IMPORT_BYTES: usize = 50 * 1024 * 1024;
/// At most this many problems are reported; the count says how many there were.
const MAX_PROBLEMS: usize = 200;

/// One problem in an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// Line in the file, 1 being the header.
    pub line: u64,
    /// The column's header, when the problem is in one cell.
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "line {}, column {c}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// The problems of a refused import, for [`Error::Import`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblems(pub Vec<ImportProblem>);

impl fmt::Display for ImportProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().take(20).enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        if self.0.len() > 20 {
            write!(f, "; and {} more", self.0.len() - 20)?;
        }
        Ok(())
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
}

/// Parses an amount in euros into cents: `1234.56`, `1234,56`, `1.234,56`, `1,234.56`,
/// `€ 1.234`, `-5`. The last `.` or `,` followed by one or two digits is the decimal mark;
/// other separators group thousands. `None` when it is not an amount.
pub fn parse_amount(text: &str) -> Option<i64> {
    let t: String = text
        .trim()
        .trim_start_matches('€')
        .trim_end_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\'')
        .collect();
    let t = t.strip_prefix("EUR").unwrap_or(&t);
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return None;
    }
    let (whole, frac) = match t.rfind(['.', ',']) {
        Some(i) if (1..=2).contains(&(t.len() - i - 1)) => (&t[..i], &t[i + 1..]),
        _ => (t, ""),
    };
    // Thousands groups: every group after a separator has exactly three digits.
    let mut groups = whole.split(['.', ',']);
    let first = groups.next()?;
    if first.is_empty() && whole.contains(['.', ',']) {
        return None;
    }
    let mut digits = first.to_string();
    for g in groups {
        if g.len() != 3 {
            return None;
        }
        digits.push_str(g);
    }
    if digits.is_empty() {
        digits.push('0');
    }
    let euros: i64 = digits.parse().ok()?;
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    let total = euros.checked_mul(100)?.checked_add(cents)?;
    Some(if negative { -total } else { total })
}

/// Parses a date: ISO `2025-12-31`, or Dutch day first `31-12-2025`, `31/12/2025`,
/// `31.12.2025`, `1-2-2025`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    // `str::parse` and chrono's %Y take a sign: `+1-1-+202` must not be a date.
    if !t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'/' | b'.'))
    {
        return None;
    }
    // chrono's %Y would read `31-12-25` as the year 31, and `-120-02-10` as the year
    // -120: ISO only with a 4-digit year.
    if t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[..4].iter().all(u8::is_ascii_digit)
    {
        return NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
    }
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || d.is_empty() || d.len() > 2 || m.is_empty() || m.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Parses a flag: true/false, yes/no, ja/nee, 1/0, y/n, j/n (any case).
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "true" | "yes" | "ja" | "1" | "y" | "j" | "waar" => Some(true),
        "false" | "no" | "nee" | "0" | "n" | "onwaar" => Some(false),
        _ => None,
    }
}

/// A header reduced for matching: lower case, without spaces, `_` and `-`.
fn norm(h: &str) -> String {
    h.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The separator of a file: the most frequent of `,`, `;` and tab in its first line.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

/// The column of a header: a field, `id`, or a timestamp the import ignores.
#[derive(Clone, Copy)]
enum Target {
    Id,
    Ignored,
    Field(&'static record::FieldSpec),
}

fn target(spec: &KindSpec, header: &str) -> Option<Target> {
    let h = norm(header);
    if h == "id" {
        return Some(Target::Id);
    }
    if h == "createdat" || h == "updatedat" {
        return Some(Target::Ignored);
    }
    spec.fields
        .iter()
        .find(|f| norm(f.key) == h || norm(f.column) == h)
        .map(Target::Field)
}

/// One cell's value for its field, or what is wrong with it.
fn value(ty: FieldType, cell: &str) -> std::result::Result<Value, String> {
    match ty {
        FieldType::Money => parse_amount(cell).map(Value::Int).ok_or_else(|| {
            format!("'{cell}' is not an amount in euros (such as 1234.56 or 1.234,56)")
        }),
        FieldType::Date { .. } => parse_date(cell)
            .map(|d| Value::Text(d.format("%Y-%m-%d").to_string()))
            .ok_or_else(|| format!("'{cell}' is not a date (such as 2025-12-31 or 31-12-2025)")),
        FieldType::Bool => parse_bool(cell)
            .map(Value::Bool)
            .ok_or_else(|| format!("'{cell}' is not yes or no (true/false, ja/nee, 1/0)")),
        FieldType::Integer { .. } => cell
            .trim()
            .parse()
            .map(Value::Int)
            .map_err(|_| format!("'{cell}' is not a whole number")),
        FieldType::Choice { options } => {
            let found = options
                .iter()
                .find(|o| o.eq_ignore_ascii_case(cell.trim()))
                .ok_or_else(|| format!("'{cell}' is not one of {}", options.join(", ")))?;
            Ok(Value::Text((*found).to_string()))
        }
        FieldType::Text { .. } | FieldType::LongText { .. } | FieldType::Link { .. } => {
            Ok(Value::Text(cell.to_string()))
        }
    }
}

/// A Windows-1252 byte as a character: Latin-1, except the euro sign and quotes that
/// spreadsheets put in 0x80–0x9F.
fn windows_1252(b: u8) -> char {
    match b {
        0x80 => '€',
        0x91 | 0x92 => '\u{2019}',
        0x93 | 0x94 => '"',
        0x96 | 0x97 => '-',
        _ => char::from(b),
    }
}

/// A parsed row: its line, id and values.
struct Row {
    line: u64,
    /// A cell could not be read (already reported): the row is not validated again.
    bad: bool,
    id: Option<String>,
    values: Values,
}

/// Reads the rows of `bytes` for `spec`, collecting every problem.
fn read_rows(spec: &KindSpec, bytes: &[u8], problems: &mut Vec<ImportProblem>) -> Vec<Row> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        // Spreadsheets on Windows save "CSV" as Windows-1252; its letters that matter
        // (é, ë, ü …) are where Latin-1 has them.
        Err(_) => std::borrow::Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect()),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(&text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(ImportProblem {
                line: 1,
                column: None,
                message: format!("the header row could not be read ({e})"),
            });
            return Vec::new();
        }
    };
    let mut targets = Vec::new();
    for h in headers.iter() {
        match target(spec, h) {
            Some(t) => targets.push(t),
            None if h.trim().is_empty() => targets.push(Target::Ignored),
            None => {
                problems.push(ImportProblem {
                    line: 1,
                    column: Some(h.to_string()),
                    message: format!(
                        "unknown column for {}; the columns are id, {}",
                        spec.kind.code(),
                        spec.fields
                            .iter()
                            .map(|f| f.key)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
                targets.push(Target::Ignored);
            }
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(ImportProblem {
                    line,
                    column: None,
                    message: format!("the row could not be read ({e})"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() > headers.len() {
            problems.push(ImportProblem {
                line,
                column: None,
                message: format!(
                    "{} cells but the header has {} columns",
                    record.len(),
                    headers.len()
                ),
            });
            continue;
        }
        let before = problems.len();
        let mut row = Row {
            line,
            bad: false,
            id: None,
            values: Values::new(),
        };
        for ((cell, t), header) in record.iter().zip(&targets).zip(headers.iter()) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            match t {
                Target::Ignored => {}
                Target::Id => match uuid::Uuid::parse_str(cell) {
                    Ok(u) => row.id = Some(u.to_string()),
                    Err(_) => problems.push(ImportProblem {
                        line,
                        column: Some(header.to_string()),
                        message: format!(
                            "'{cell}' is not a record id (a UUID); leave it empty for a new record"
                        ),
                    }),
                },
                Target::Field(f) => match value(f.ty, cell) {
                    Ok(v) => {
                        row.values.insert(f.key.to_string(), v);
                    }
                    Err(message) => problems.push(ImportProblem {
                        line,
                        column: Some(header.to_string()),
                        message,
                    }),
                },
            }
        }
        row.bad = problems.len() > before;
        rows.push(row);
    }
    rows
}

impl Store {
    /// Imports CSV rows of a generic kind in one transaction; on any problem nothing is
    /// changed and [`Error::Import`] lists them (line, column, what is wrong).
    pub fn import_csv(
        &mut self,
        change: &Change,
        kind: RecordKind,
        bytes: &[u8],
    ) -> Result<ImportSummary> {
        let spec = record::spec(kind).ok_or_else(|| {
            Error::Conflict(format!(
                "{} records cannot be imported yet; import one of: {}",
                kind.code(),
                record::KINDS
                    .iter()
                    .map(|k| k.kind.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        if bytes.len() > MAX_IMPORT_BYTES {
            return Err(Error::Import(ImportProblems(vec![ImportProblem {
                line: 0,
                column: None,
                message: format!(
                    "the file is larger than {} MB; split it into smaller files",
                    MAX_IMPORT_BYTES / 1024 / 1024
                ),
            }])));
        }
        let mut problems = Vec::new();
        let rows = read_rows(spec, bytes, &mut problems);
        let tx = self
            .conn
            .transaction()
            .map_err(Error::sql("importing records"))?;
        let mut summary = ImportSummary::default();
        for row in rows {
            if problems.len() >= MAX_PROBLEMS {
                break;
            }
            if row.bad {
                continue;
            }
            let exists = match &row.id {
                Some(id) => tx
                    .query_row(
                        &format!("SELECT 1 FROM {} WHERE id = ?1", spec.table),
                        [id],
                        |_| Ok(()),
                    )
                    .optional()
                    .map_err(Error::sql("importing records"))?
                    .is_some(),
                None => false,
            };
            let result = match (&row.id, exists) {
                (Some(id), true) => update_in(&tx, change, kind, id, &row.values).map(|()| {
                    summary.updated += 1;
                }),
                (id, _) => create_with_id_in(&tx, change, kind, &row.values, id.as_deref())
                    .map(|_| summary.created += 1),
            };
            match result {
                Ok(()) => {}
                Err(Error::Invalid(v)) => {
                    problems.extend(v.0.into_iter().map(|fe| ImportProblem {
                        line: row.line,
                        column: Some(fe.field),
                        message: fe.problem.to_string(),
                    }))
                }
                Err(other) => problems.push(ImportProblem {
                    line: row.line,
                    column: None,
                    message: other.to_string(),
                }),
            }
        }
        if !problems.is_empty() {
            // Dropping the transaction rolls every row back.
            return Err(Error::Import(ImportProblems(problems)));
        }
        tx.commit().map_err(Error::sql("importing records"))?;
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn amounts_in_english_and_dutch_notation() {
        for (text, cents) in [
            ("1234.56", 123_456),
            ("1234,56", 123_456),
            ("1.234,56", 123_456),
            ("1,234.56", 123_456),
            ("€ 1.234,56", 123_456),
            ("1.234", 123_400),
            ("1.234.567", 123_456_700),
            ("0,5", 50),
            ("-5", -500),
            ("12", 1200),
        ] {
            assert_eq!(parse_amount(text), Some(cents), "{text}");
        }
        for bad in ["", "abc", "1.23.4", "12,3456,7", "1,,2", "--1", "€"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_iso_and_day_first() {
        let d = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        for text in ["2025-12-31", "31-12-2025", "31/12/2025", "31.12.2025"] {
            assert_eq!(parse_date(text), Some(d), "{text}");
        }
        assert_eq!(parse_date("1-2-2025"), NaiveDate::from_ymd_opt(2025, 2, 1));
        for bad in [
            "31-13-2025",
            "2025/12/31x",
            "12-31",
            "31-12-25",
            "",
            "+1-1-2025",
            "1-1-+202",
            "+202-01-01",
            "-120-02-10",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn separators_are_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(sniff_delimiter("a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter("a,b\n"), b',');
    }
}
