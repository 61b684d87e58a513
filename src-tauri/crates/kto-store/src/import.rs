//! Import of a generic kind from a spreadsheet: CSV (the canonical format of
//! `docs/csv-format.md` read back, and the shapes spreadsheets really have: a byte-order
//! mark, Windows-1252 or UTF-16 text, `;` or tab separators, Dutch amounts `1.234,56` and
//! dates `31-12-2025`) and workbooks (`.xlsx`, `.xls`, `.ods`, their date cells as dates).
//!
//! An import goes in steps: the columns are matched to fields ([`inspect_import`]), a
//! preview reports every problem by line and column and the rows that match existing
//! records ([`Store::preview_import`]), and the import is applied in one transaction with
//! the user's mapping and choices, reporting progress and cancellable
//! ([`Store::apply_import`]). Each import is remembered so that the last one can be undone
//! ([`Store::undo_last_import`]). [`Store::import_csv`] is the strict all-or-nothing path
//! of `kto import`.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Cursor;
use std::sync::atomic::{AtomicBool, Ordering};

use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Reader};
use chrono::NaiveDate;
use kto_core::activity::{Change, RecordKind};
use kto_core::import::{
    auto_mapping, import_spec, import_specs, match_header, natural_keys, needs_column,
    DuplicateChoice, ImportBatch, ImportChoice, ImportColumn, ImportDuplicate, ImportFile,
    ImportFormat, ImportIssue, ImportOutcome, ImportPreview, ImportProgress, ImportRequest,
    ImportSource, IssueKind, MatchedBy, UndoOutcome, ID_TARGET,
};
use kto_core::record::{self, FieldSpec, FieldType, KindSpec, Value, Values};
use kto_core::validation::Problem;
use rusqlite::{params, Connection, OptionalExtension};

use crate::import_typed;
use crate::records::{
    create_with_id_in, delete_in, get, incoming, read_row, select_columns, title_source, update_in,
};
use crate::{parse_ts, ts, Error, Result, Store};

/// The largest file imported at once.
pub const MAX_IMPORT_BYTES: usize = 50 * 1024 * 1024;
/// At most this many problems are listed; the count says how many there were.
const MAX_PROBLEMS: usize = 500;
/// Progress is reported after every this many rows.
pub const PROGRESS_EVERY: u32 = 25;

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
        match (&self.column, self.line) {
            (_, 0) => f.write_str(&self.message),
            (Some(c), _) => write!(f, "line {}, column {c}: {}", self.line, self.message),
            (None, _) => write!(f, "line {}: {}", self.line, self.message),
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

/// True when `text` reads as an amount in two ways or claims more than whole cents: a
/// single `.` or `,` followed by exactly three digits (`1.234`, `0,001`: thousands in one
/// notation, decimals in the other), or a thousands group after a leading zero
/// (`0.001,50`). [`parse_amount`] reads such text as thousands; an import refuses it.
pub fn ambiguous_amount(text: &str) -> bool {
    let t = amount_core(text);
    let seps = t.matches(['.', ',']).count();
    if seps == 1 {
        if let Some(i) = t.rfind(['.', ',']) {
            if t.len() - i - 1 == 3 && t[i + 1..].bytes().all(|b| b.is_ascii_digit()) {
                return true;
            }
        }
    }
    let first = t.split(['.', ',']).next().unwrap_or("");
    seps > 1 && first.starts_with('0') && parse_amount(text).is_some()
}

/// How a column writes its amounts, read from the amounts that can only be read one way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Notation {
    /// `1.234,56`: `,` is the decimal mark, `.` groups thousands (Dutch).
    DecimalComma,
    /// `1,234.56`: `.` is the decimal mark, `,` groups thousands (English).
    DecimalPoint,
}

/// The bare digits and separators of an amount, without currency, sign or spaces.
fn amount_core(text: &str) -> String {
    let t: String = text
        .trim()
        .trim_start_matches(['€', '-'])
        .trim_end_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\'')
        .collect();
    t.strip_prefix("EUR")
        .unwrap_or(&t)
        .trim_start_matches('-')
        .to_string()
}

/// The notation one amount proves: its decimal mark when one or two digits follow the
/// last separator, or the grouping mark when it appears twice or before the other one.
fn notation_of(text: &str) -> Option<Notation> {
    let t = amount_core(text);
    parse_amount(&t)?;
    let last = t.rfind(['.', ','])?;
    let mark = t.as_bytes()[last];
    let decimals = t.len() - last - 1;
    let as_decimal = |m: u8| {
        if m == b',' {
            Notation::DecimalComma
        } else {
            Notation::DecimalPoint
        }
    };
    let as_grouping = |m: u8| {
        if m == b'.' {
            Notation::DecimalComma
        } else {
            Notation::DecimalPoint
        }
    };
    if (1..=2).contains(&decimals) {
        return Some(as_decimal(mark));
    }
    // Three digits after the last mark: it groups thousands only when it is repeated
    // (`1.234.567`) or the other mark comes before it (`1,234.567` is not an amount).
    (t.matches(char::from(mark)).count() > 1).then(|| as_grouping(mark))
}

/// The notation of a column: the one its unambiguous amounts agree on, or `None` when they
/// prove none or disagree.
fn column_notation<'a>(texts: impl Iterator<Item = &'a str>) -> Option<Notation> {
    let mut found = None;
    for t in texts {
        match (found, notation_of(t)) {
            (_, None) => {}
            (None, n) => found = n,
            (Some(a), Some(b)) if a != b => return None,
            _ => {}
        }
    }
    found
}

/// An amount of a column whose notation is known: `12.500` is twelve thousand five hundred
/// in a column that writes `1.250,00`. `None` when the text is still not one amount (more
/// than two decimals, or the other notation).
fn amount_in(text: &str, notation: Notation) -> Option<i64> {
    let t = amount_core(text);
    let (grouping, decimal) = match notation {
        Notation::DecimalComma => ('.', ','),
        Notation::DecimalPoint => (',', '.'),
    };
    if let Some(i) = t.rfind(decimal) {
        // The decimal mark once, after any grouping, with one or two digits.
        if t.matches(decimal).count() > 1 || t[i..].contains(grouping) || t.len() - i - 1 > 2 {
            return None;
        }
    }
    let first = t.split(['.', ',']).next().unwrap_or("");
    if first.starts_with('0') && first.len() > 1 {
        return None;
    }
    if first == "0" && t[1..].starts_with(grouping) {
        return None;
    }
    parse_amount(text)
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

/// The separator of a file: the most frequent of `,`, `;` and tab in its first line.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

/// One cell as read from the file.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    /// A number cell of a workbook.
    Number(f64),
    /// A date cell of a workbook.
    Date(NaiveDate),
    Bool(bool),
    /// A workbook cell holding an error such as `#DIV/0!`.
    Error(String),
}

impl Cell {
    fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, for samples and messages.
    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => number_text(*n),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// A number as a spreadsheet shows it: whole numbers without a decimal point.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The rows of one sheet or CSV file.
struct Sheet {
    headers: Vec<String>,
    rows: Vec<SheetRow>,
    /// Rows that could not be read at all.
    issues: Vec<ImportIssue>,
    /// The workbook sheet read.
    name: Option<String>,
}

struct SheetRow {
    line: u32,
    cells: Vec<Cell>,
}

fn issue(
    line: u32,
    column: Option<&str>,
    field: Option<&str>,
    kind: IssueKind,
    message: String,
) -> ImportIssue {
    ImportIssue {
        line,
        column: column.map(str::to_string),
        field: field.map(str::to_string),
        issue: kind,
        message,
    }
}

/// The refusal of a file that cannot be read at all; nothing is changed.
fn unreadable(message: String) -> Error {
    Error::Import(ImportProblems(vec![ImportProblem {
        line: 0,
        column: None,
        message,
    }]))
}

fn too_large() -> Error {
    unreadable(format!(
        "the file is larger than {} MB; split it into smaller files",
        MAX_IMPORT_BYTES / 1024 / 1024
    ))
}

/// True for the containers of workbooks: a ZIP (`.xlsx`, `.ods`) or an OLE file (`.xls`).
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// The text of a CSV file: UTF-8 or UTF-16 by their byte-order mark, else UTF-8 when it is
/// valid, else Windows-1252 (what spreadsheets on Windows save as "CSV").
fn decode_text(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// True for text that looks like UTF-16 without a byte-order mark: mostly NUL bytes in
/// every other place, as ASCII text in UTF-16 is.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    if bytes.len() < 4 || encoding_rs::Encoding::for_bom(bytes).is_some() {
        return false;
    }
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    let even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    (even.max(odd)) * 10 >= pairs * 8 && even.min(odd) * 10 < pairs
}

/// Where a quoted cell opens that is never closed: (line, cell number), both from 1.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<(usize, usize)> {
    let delimiter = char::from(delimiter);
    let (mut line, mut cell) = (1, 1);
    let mut field_start = true;
    let mut open: Option<(usize, usize)> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if open.is_some() {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                }
                '"' => open = None,
                '\n' => line += 1,
                _ => {}
            }
            continue;
        }
        match c {
            '"' if field_start => open = Some((line, cell)),
            '\n' => {
                line += 1;
                cell = 1;
                field_start = true;
                continue;
            }
            c if c == delimiter => {
                cell += 1;
                field_start = true;
                continue;
            }
            _ => {}
        }
        field_start = false;
    }
    open
}

/// Refuses a sheet whose header names a column twice (one of them would be lost).
fn refuse_repeated_headers(headers: &[String]) -> Result<()> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let key = h.trim().to_lowercase();
        if key.is_empty() {
            continue;
        }
        if let Some(first) = seen.get(&key) {
            problems.push(ImportProblem {
                line: 1,
                column: Some(h.clone()),
                message: format!(
                    "the header names this column twice (columns {} and {}); rename or remove one, \
                     so that no column is lost",
                    first + 1,
                    i + 1
                ),
            });
        } else {
            seen.insert(key, i);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Import(ImportProblems(problems)))
    }
}

fn read_csv(bytes: &[u8]) -> Result<Sheet> {
    // The reader counts a CRLF line end on the line after it: lines are numbered on LF.
    if looks_like_utf16(bytes) {
        return Err(unreadable(
            "the file is UTF-16 text without a byte-order mark, which cannot be told apart \
             reliably; save it again as \"CSV UTF-8\" (or UTF-16 with a byte-order mark)"
                .into(),
        ));
    }
    let text = decode_text(bytes).replace("\r\n", "\n");
    if let Some(at) = text.find('\0') {
        let line = text[..at].matches('\n').count() + 1;
        let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
        return Err(unreadable(format!(
            "line {line}, character {column}: the file holds a NUL character (byte 0), which \
             text never does; it is not a CSV file. Save it from the spreadsheet program as \
             .csv (UTF-8) or .xlsx"
        )));
    }
    let delimiter = sniff_delimiter(&text);
    if let Some((line, column)) = unclosed_quote(&text, delimiter) {
        return Err(unreadable(format!(
            "line {line}, cell {column}: a quoted cell opens here (\") and is never closed, so \
             the rest of the file would be read as one cell; add the closing quote, or remove \
             the opening one"
        )));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => {
            return Err(unreadable(format!(
                "the header row could not be read ({e})"
            )))
        }
    };
    if headers.iter().all(String::is_empty) {
        return Err(unreadable(
            "the file has no header row; the first line must name the columns".into(),
        ));
    }
    let mut rows = Vec::new();
    let mut issues = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line()) as u32;
                issues.push(issue(
                    line,
                    None,
                    None,
                    IssueKind::BadRow,
                    format!("the row could not be read ({e})"),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line()) as u32;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record
            .iter()
            .skip(headers.len())
            .any(|c| !c.trim().is_empty())
        {
            issues.push(issue(
                line,
                None,
                None,
                IssueKind::BadRow,
                format!(
                    "{} cells but the header has {} columns",
                    record.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        let cells = record
            .iter()
            .take(headers.len())
            .map(|c| match c.trim() {
                "" => Cell::Empty,
                t => Cell::Text(crate::export::csv_unguard(t).into_owned()),
            })
            .collect();
        rows.push(SheetRow { line, cells });
    }
    Ok(Sheet {
        headers,
        rows,
        issues,
        name: None,
    })
}

type Workbook<'a> = calamine::Sheets<Cursor<&'a [u8]>>;

fn open_workbook(bytes: &[u8]) -> Result<Workbook<'_>> {
    calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        unreadable(format!(
            "the file could not be read as a workbook ({e}); it may be damaged or protected \
             with a password. Save it again as .xlsx or .csv"
        ))
    })
}

/// A workbook cell. Date cells become dates; a number keeps its value (a date field
/// reads it as a serial date).
fn workbook_cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.trim().to_string()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
                .map_or_else(|| Cell::Number(dt.as_f64()), Cell::Date)
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map_or_else(|| Cell::Text(s.clone()), Cell::Date),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// Runs a workbook reader; a reader that panics on a malformed file refuses the file
/// rather than taking the app down.
fn guarded<T>(read: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(unreadable(
            "the workbook is damaged and could not be read; save it again as .xlsx or .csv".into(),
        ))
    })
}

fn read_workbook(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet> {
    guarded(|| read_workbook_unguarded(bytes, sheet))
}

fn read_workbook_unguarded(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet> {
    let mut wb = open_workbook(bytes)?;
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        Some(s) => {
            return Err(unreadable(format!(
                "the workbook has no sheet named '{s}'; its sheets are {}",
                names.join(", ")
            )))
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| unreadable("the workbook has no sheets".into()))?,
    };
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| unreadable(format!("the sheet '{name}' could not be read ({e})")))?;
    let first_row = range.start().map_or(0, |(r, _)| r);
    let mut lines = range
        .rows()
        .enumerate()
        .map(|(i, cells)| (first_row + i as u32 + 1, cells))
        .filter(|(_, cells)| cells.iter().any(|c| !workbook_cell(c).is_empty()));
    let Some((_, header_cells)) = lines.next() else {
        return Err(unreadable(format!(
            "the sheet '{name}' is empty; the first row must name the columns"
        )));
    };
    let mut headers: Vec<String> = header_cells
        .iter()
        .map(|c| workbook_cell(c).text().trim().to_string())
        .collect();
    while headers.last().is_some_and(String::is_empty) {
        headers.pop();
    }
    let mut rows = Vec::new();
    let mut issues = Vec::new();
    for (line, cells) in lines {
        let cells: Vec<Cell> = cells.iter().map(workbook_cell).collect();
        if cells.iter().skip(headers.len()).any(|c| !c.is_empty()) {
            issues.push(issue(
                line,
                None,
                None,
                IssueKind::BadRow,
                "the row has cells to the right of the last named column".into(),
            ));
            continue;
        }
        rows.push(SheetRow {
            line,
            cells: cells.into_iter().take(headers.len()).collect(),
        });
    }
    Ok(Sheet {
        headers,
        rows,
        issues,
        name: Some(name),
    })
}

/// Refuses a file that is too large or holds nothing.
fn check_size(bytes: &[u8]) -> Result<()> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(too_large());
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(unreadable("the file is empty".into()));
    }
    Ok(())
}

fn read_sheet(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet> {
    check_size(bytes)?;
    let read = if is_workbook(bytes) {
        read_workbook(bytes, sheet)?
    } else {
        read_csv(bytes)?
    };
    refuse_repeated_headers(&read.headers)?;
    Ok(read)
}

/// [`read_sheet`] for an import that writes: a file with a header and no rows is refused
/// rather than reported as "0 created".
fn read_rows(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet> {
    let read = read_sheet(bytes, sheet)?;
    if read.rows.is_empty() && read.issues.is_empty() {
        return Err(Error::Import(ImportProblems(vec![ImportProblem {
            line: 2,
            column: None,
            message: "the file has a header row but no rows below it, so there is nothing to \
                      import; add the records below the header"
                .into(),
        }])));
    }
    Ok(read)
}

/// What a chosen file is: CSV or a workbook and its sheets. Refuses a file that is too
/// large, empty, or named as a workbook but not one.
pub fn inspect_file(file_name: &str, bytes: &[u8]) -> Result<ImportFile> {
    check_size(bytes)?;
    let lower = file_name.to_lowercase();
    let named_workbook = [".xlsx", ".xlsm", ".xls", ".ods"]
        .iter()
        .any(|e| lower.ends_with(e));
    let (format, sheets) = if is_workbook(bytes) {
        (
            ImportFormat::Workbook,
            guarded(|| Ok(open_workbook(bytes)?.sheet_names()))?,
        )
    } else if named_workbook {
        return Err(unreadable(format!(
            "{file_name} is not a workbook that can be read; it may be damaged. Open it in \
             the spreadsheet program and save it again as .xlsx or .csv"
        )));
    } else {
        read_csv(bytes)?;
        (ImportFormat::Csv, Vec::new())
    };
    Ok(ImportFile {
        file_name: file_name.to_string(),
        format,
        sheets,
        size: bytes.len() as u64,
    })
}

/// The fields of a kind that can be imported (every kind is).
fn importable(kind: RecordKind) -> Result<&'static KindSpec> {
    import_spec(kind).ok_or_else(|| {
        Error::Conflict(format!(
            "{} records cannot be imported; import one of: {}",
            kind.code(),
            import_specs()
                .iter()
                .map(|k| k.kind.code())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// The columns of `bytes` (the chosen sheet of a workbook) for `kind`, with the mapping
/// matched automatically from the headers and a few sample values each.
pub fn inspect_import(kind: RecordKind, bytes: &[u8], sheet: Option<&str>) -> Result<ImportSource> {
    let spec = importable(kind)?;
    let sheet = read_sheet(bytes, sheet)?;
    let mapping = auto_mapping(spec, &sheet.headers);
    let columns = sheet
        .headers
        .iter()
        .enumerate()
        .map(|(i, header)| ImportColumn {
            header: header.clone(),
            samples: sheet
                .rows
                .iter()
                .filter_map(|r| r.cells.get(i).filter(|c| !c.is_empty()))
                .take(3)
                .map(|c| c.text().chars().take(60).collect())
                .collect(),
            target: mapping.get(i).cloned().flatten(),
        })
        .collect();
    Ok(ImportSource {
        kind,
        sheet: sheet.name,
        columns,
        rows: sheet.rows.len() as u32,
    })
}

/// A number cell read as a date: the spreadsheet's serial day number.
fn serial_date(n: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    let (y, m, d, ..) =
        ExcelDateTime::new(n, ExcelDateTimeType::DateTime, false).to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
}

/// One cell's value for a field that is not a link, or what is wrong with it.
fn convert(
    f: &FieldSpec,
    cell: &Cell,
    notation: Option<Notation>,
) -> std::result::Result<Value, IssueKind> {
    let value = || cell.text();
    if let Cell::Error(e) = cell {
        return Err(IssueKind::CellError { value: e.clone() });
    }
    match f.ty {
        FieldType::Money => match cell {
            Cell::Number(n) if n.is_finite() && n.abs() < 1e13 => Some((n * 100.0).round() as i64),
            Cell::Text(t) => match notation {
                Some(n) => amount_in(t, n),
                None if ambiguous_amount(t) => {
                    return Err(IssueKind::AmbiguousAmount { value: value() })
                }
                None => parse_amount(t),
            },
            _ => None,
        }
        .map(Value::Int)
        .ok_or_else(|| IssueKind::NotAmount { value: value() }),
        FieldType::Date { .. } => match cell {
            Cell::Date(d) => Some(*d),
            Cell::Number(n) => serial_date(*n),
            Cell::Text(t) => parse_date(t),
            _ => None,
        }
        .map(|d| Value::Text(d.format("%Y-%m-%d").to_string()))
        .ok_or_else(|| IssueKind::NotDate { value: value() }),
        FieldType::Bool => match cell {
            Cell::Bool(b) => Some(*b),
            Cell::Number(n) if *n == 1.0 || *n == 0.0 => Some(*n == 1.0),
            Cell::Text(t) => parse_bool(t),
            _ => None,
        }
        .map(Value::Bool)
        .ok_or_else(|| IssueKind::NotYesNo { value: value() }),
        FieldType::Integer { .. } => match cell {
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(*n as i64),
            Cell::Text(t) => t.trim().parse().ok(),
            _ => None,
        }
        .map(Value::Int)
        .ok_or_else(|| IssueKind::NotWholeNumber { value: value() }),
        FieldType::Choice { options } => kto_core::import::match_choice(options, &value())
            .map(|o| Value::Text(o.to_string()))
            .ok_or_else(|| IssueKind::NotChoice {
                value: value(),
                options: options.iter().map(|o| (*o).to_string()).collect(),
            }),
        FieldType::Text { .. } | FieldType::LongText { .. } | FieldType::Link { .. } => {
            Ok(Value::Text(match cell {
                // A KvK number in a number cell lost its leading zeros.
                Cell::Number(n) if f.key.to_lowercase().contains("kvk") && n.fract() == 0.0 => {
                    format!("{:08}", *n as i64)
                }
                other => other.text(),
            }))
        }
    }
}

/// The English sentence of an issue, for the CLI and logs.
fn describe(kind: &IssueKind) -> String {
    match kind {
        IssueKind::NotAmount { value } => {
            format!("'{value}' is not an amount in euros (such as 1234.56 or 1.234,56)")
        }
        IssueKind::AmbiguousAmount { value } => format!(
            "'{value}' can be read two ways (thousands or decimals) or has more than two \
             decimals; write it with no thousands separator and at most two decimals, such \
             as 1234 or 1234.50 (or 1.234,50)"
        ),
        IssueKind::NotDate { value } => {
            format!("'{value}' is not a date (such as 2025-12-31 or 31-12-2025)")
        }
        IssueKind::NotYesNo { value } => {
            format!("'{value}' is not yes or no (true/false, ja/nee, 1/0)")
        }
        IssueKind::NotWholeNumber { value } => format!("'{value}' is not a whole number"),
        IssueKind::NotChoice { value, options } => {
            format!("'{value}' is not one of {}", options.join(", "))
        }
        IssueKind::NotId { value } => {
            format!("'{value}' is not a record id (a UUID); leave it empty for a new record")
        }
        IssueKind::NoSuchRecord { value } => format!("no record '{value}' was found to link to"),
        IssueKind::SeveralRecords { value } => {
            format!("several records are named '{value}'; use the record's id")
        }
        IssueKind::CellError { value } => format!("the cell holds the error {value}"),
        IssueKind::NotInventors { value } => format!(
            "'{value}' is not a list of inventors (such as Anouk de Vries (60 %); Bram Jansen (40 %))"
        ),
        IssueKind::NotStage { value } => {
            format!("'{value}' is not a stage of the deal's pipeline")
        }
        IssueKind::RepeatedInFile { other_line } => {
            format!("the same record as on line {other_line}")
        }
        IssueKind::RequiredColumn => {
            "no column holds this required field; new records cannot be created".into()
        }
        IssueKind::MappedTwice => "two columns are mapped to the same field".into(),
        IssueKind::UnknownField => "the field does not exist for this kind".into(),
        IssueKind::UnknownColumn => "unknown column".into(),
        IssueKind::Invalid { problem } => problem.to_string(),
        IssueKind::Unreadable | IssueKind::BadRow => "the row could not be read".into(),
    }
}

fn issue_of(line: u32, column: Option<&str>, field: Option<&str>, kind: IssueKind) -> ImportIssue {
    let message = describe(&kind);
    issue(line, column, field, kind, message)
}

/// A key value compared without case and surrounding spaces.
fn key_text(v: &Value) -> String {
    match v {
        Value::Text(t) => t.trim().to_lowercase(),
        other => other.display(),
    }
}

/// The key of `values` for one natural-key set, when all its fields are filled.
fn key_of(values: &Values, fields: &[&str]) -> Option<String> {
    let parts: Option<Vec<String>> = fields
        .iter()
        .map(|f| values.get(*f).map(key_text))
        .collect();
    parts.map(|p| p.join("\u{1f}"))
}

/// A stored record of the kind being imported.
struct Existing {
    values: Values,
    title: String,
}

/// A row that can be imported.
struct Planned {
    line: u32,
    /// The id the row carries (kept for a new record).
    id: Option<String>,
    /// The mapped fields with a value.
    values: Values,
    /// The mapped fields whose cell is empty.
    cleared: Vec<&'static str>,
    existing: Option<ImportDuplicate>,
}

struct Analysis {
    rows: u32,
    planned: Vec<Planned>,
    issues: Vec<ImportIssue>,
    invalid_rows: u32,
    blocked: bool,
    existing: HashMap<String, Existing>,
}

/// Looks up link targets by id or by title, remembering the answers.
struct Links<'c> {
    conn: &'c Connection,
    found: HashMap<(RecordKind, String), std::result::Result<String, IssueKind>>,
}

impl Links<'_> {
    fn resolve(
        &mut self,
        kind: RecordKind,
        text: &str,
    ) -> Result<std::result::Result<String, IssueKind>> {
        let key = (kind, text.trim().to_lowercase());
        if let Some(r) = self.found.get(&key) {
            return Ok(r.clone());
        }
        let (table, column) = title_source(kind);
        let ids: Vec<String> = match uuid::Uuid::parse_str(text.trim()) {
            Ok(u) => self
                .conn
                .prepare_cached(&format!("SELECT id FROM {table} WHERE id = ?1"))
                .and_then(|mut s| {
                    s.query_map([u.to_string()], |r| r.get(0))?
                        .collect::<rusqlite::Result<Vec<_>>>()
                }),
            Err(_) => self
                .conn
                .prepare_cached(&format!(
                    "SELECT id FROM {table} WHERE lower(trim({column})) = ?1 LIMIT 2"
                ))
                .and_then(|mut s| {
                    s.query_map([&key.1], |r| r.get(0))?
                        .collect::<rusqlite::Result<Vec<_>>>()
                }),
        }
        .map_err(Error::sql("looking up linked records"))?;
        let value = text.trim().to_string();
        let result = match ids.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(IssueKind::NoSuchRecord { value }),
            _ => Err(IssueKind::SeveralRecords { value }),
        };
        self.found.insert(key, result.clone());
        Ok(result)
    }
}

/// Every record of `spec`'s kind by id.
fn load_existing(conn: &Connection, spec: &KindSpec) -> Result<HashMap<String, Existing>> {
    if import_typed::handles(spec.kind) {
        return Ok(import_typed::load_existing(conn, spec.kind)?
            .into_iter()
            .map(|(id, (values, title))| (id, Existing { values, title }))
            .collect());
    }
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {} FROM {}",
            select_columns(spec),
            spec.table
        ))
        .map_err(Error::sql("reading the existing records"))?;
    let rows = stmt
        .query_map([], |r| read_row(spec, r))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(Error::sql("reading the existing records"))?;
    Ok(rows
        .into_iter()
        .map(|(id, _, _, values)| {
            let title = values
                .get(spec.title)
                .map(Value::display)
                .unwrap_or_default();
            (id, Existing { values, title })
        })
        .collect())
}

/// Reads every row with `mapping`, finds duplicates and validates what would be written,
/// without writing anything.
fn analyse(
    conn: &Connection,
    spec: &'static KindSpec,
    sheet: &Sheet,
    mapping: &[Option<String>],
    today: NaiveDate,
) -> Result<Analysis> {
    let mut issues: Vec<ImportIssue> = sheet.issues.clone();
    let mut blocked = false;
    // The target of each column: the id, a field, or nothing.
    let mut targets: Vec<Option<Option<&'static FieldSpec>>> = Vec::new();
    let mut used: HashMap<&str, usize> = HashMap::new();
    for (i, header) in sheet.headers.iter().enumerate() {
        let target = mapping.get(i).cloned().flatten();
        let Some(target) = target else {
            targets.push(None);
            continue;
        };
        let resolved = if target == ID_TARGET {
            Some(None)
        } else {
            spec.field(&target).map(Some)
        };
        let Some(resolved) = resolved else {
            issues.push(issue_of(
                1,
                Some(header),
                Some(&target),
                IssueKind::UnknownField,
            ));
            blocked = true;
            targets.push(None);
            continue;
        };
        let key = resolved.map_or(ID_TARGET, |f| f.key);
        if used.insert(key, i).is_some() {
            issues.push(issue_of(1, Some(header), Some(key), IssueKind::MappedTwice));
            blocked = true;
        }
        targets.push(Some(resolved));
    }
    if used.is_empty() {
        issues.push(issue(
            1,
            None,
            None,
            IssueKind::Unreadable,
            "no column is mapped to a field; check that the first row names the columns".into(),
        ));
        blocked = true;
    }
    let header_of = |key: &str| {
        used.get(key)
            .and_then(|i| sheet.headers.get(*i))
            .map(String::as_str)
    };
    let unmapped_required: Vec<&str> = spec
        .fields
        .iter()
        .filter(|f| needs_column(spec, f.key) && !used.contains_key(f.key))
        .map(|f| f.key)
        .collect();
    for key in &unmapped_required {
        issues.push(issue_of(1, None, Some(key), IssueKind::RequiredColumn));
    }
    let existing = load_existing(conn, spec)?;
    let keys = natural_keys(spec.kind);
    let mut by_key: HashMap<(usize, String), String> = HashMap::new();
    for (id, e) in &existing {
        for (n, (_, fields)) in keys.iter().enumerate() {
            if let Some(k) = key_of(&e.values, fields) {
                by_key.entry((n, k)).or_insert_with(|| id.clone());
            }
        }
    }
    let mut links = Links {
        conn,
        found: HashMap::new(),
    };
    // Each amount column's notation, from the amounts in it that read only one way.
    let notations: Vec<Option<Notation>> = targets
        .iter()
        .enumerate()
        .map(|(i, target)| match target {
            Some(Some(f)) if matches!(f.ty, FieldType::Money) => {
                column_notation(sheet.rows.iter().filter_map(|r| match r.cells.get(i) {
                    Some(Cell::Text(t)) => Some(t.as_str()),
                    _ => None,
                }))
            }
            _ => None,
        })
        .collect();
    let mut seen: HashMap<(usize, String), u32> = HashMap::new();
    let mut planned = Vec::new();
    let mut invalid_rows = sheet.issues.len() as u32;
    for row in &sheet.rows {
        if blocked {
            break;
        }
        let before = issues.len();
        let mut id = None;
        let mut values = Values::new();
        let mut cleared = Vec::new();
        for (i, target) in targets.iter().enumerate() {
            let Some(target) = target else { continue };
            let header = sheet.headers.get(i).map(String::as_str);
            let cell = row.cells.get(i).unwrap_or(&Cell::Empty);
            match target {
                None if cell.is_empty() => {}
                None => match uuid::Uuid::parse_str(cell.text().trim()) {
                    Ok(u) => id = Some(u.to_string()),
                    Err(_) => issues.push(issue_of(
                        row.line,
                        header,
                        Some(ID_TARGET),
                        IssueKind::NotId { value: cell.text() },
                    )),
                },
                Some(f) if cell.is_empty() => cleared.push(f.key),
                Some(f) => {
                    let converted = match (f.ty, cell) {
                        (FieldType::Link { kind }, Cell::Text(t)) => {
                            links.resolve(kind, t)?.map(Value::Text)
                        }
                        _ => convert(f, cell, notations[i]),
                    };
                    match converted {
                        Ok(v) => {
                            values.insert(f.key.to_string(), v);
                        }
                        Err(kind) => issues.push(issue_of(row.line, header, Some(f.key), kind)),
                    }
                }
            }
        }
        if issues.len() > before {
            invalid_rows += 1;
            continue;
        }
        // The same record twice in the file: by id or by a natural key.
        let mut row_keys: Vec<(usize, String)> = Vec::new();
        if let Some(id) = &id {
            row_keys.push((usize::MAX, id.clone()));
        }
        for (n, (_, fields)) in keys.iter().enumerate() {
            if let Some(k) = key_of(&values, fields) {
                row_keys.push((n, k));
            }
        }
        if let Some(other_line) = row_keys.iter().find_map(|k| seen.get(k).copied()) {
            issues.push(issue_of(
                row.line,
                None,
                None,
                IssueKind::RepeatedInFile { other_line },
            ));
            invalid_rows += 1;
            continue;
        }
        for k in row_keys {
            seen.insert(k, row.line);
        }
        let matched: Option<(String, MatchedBy, String, Values)> = match &id {
            Some(i) if existing.contains_key(i) => {
                Some((i.clone(), MatchedBy::Id, i.clone(), Values::new()))
            }
            _ => keys.iter().enumerate().find_map(|(n, (by, fields))| {
                let k = key_of(&values, fields)?;
                let found = by_key.get(&(n, k))?;
                let matched: Values = fields
                    .iter()
                    .filter_map(|f| values.get(*f).map(|v| ((*f).to_string(), v.clone())))
                    .collect();
                let shown: Vec<String> = fields
                    .iter()
                    .filter_map(|f| {
                        let v = values.get(*f)?;
                        Some(match (spec.field(f).map(|s| s.ty), v) {
                            (Some(FieldType::Money), Value::Int(c)) => crate::euros(*c),
                            _ => v.display(),
                        })
                    })
                    .collect();
                Some((found.clone(), *by, shown.join(", "), matched))
            }),
        };
        let duplicate = matched.map(|(record_id, matched_by, value, matched)| ImportDuplicate {
            line: row.line,
            title: existing
                .get(&record_id)
                .map(|e| e.title.clone())
                .unwrap_or_default(),
            record_id,
            matched_by,
            value,
            matched,
        });
        // What would be stored: the row alone, or merged into the existing record.
        let candidate = match &duplicate {
            Some(d) => merged(
                existing.get(&d.record_id).map(|e| &e.values),
                &values,
                &cleared,
            ),
            None => values.clone(),
        };
        let problems: Vec<(String, IssueKind)> = if import_typed::handles(spec.kind) {
            let existing_id = duplicate.as_ref().map(|d| d.record_id.as_str());
            import_typed::check(conn, spec.kind, &candidate, existing_id, today)?
        } else {
            match record::validate(spec, &candidate, today) {
                Ok(_) => Vec::new(),
                Err(errors) => errors
                    .0
                    .into_iter()
                    .map(|fe| {
                        (
                            fe.field,
                            IssueKind::Invalid {
                                problem: fe.problem,
                            },
                        )
                    })
                    .collect(),
            }
        };
        if !problems.is_empty() {
            for (field, kind) in problems {
                // A required field without a column was reported once, at the header.
                let required = matches!(&kind, IssueKind::Invalid { problem } if *problem == Problem::Required);
                if required && unmapped_required.contains(&field.as_str()) {
                    continue;
                }
                issues.push(issue_of(
                    row.line,
                    Some(header_of(&field).unwrap_or(&field)),
                    Some(&field),
                    kind,
                ));
            }
            invalid_rows += 1;
            continue;
        }
        planned.push(Planned {
            line: row.line,
            id,
            values,
            cleared,
            existing: duplicate,
        });
    }
    Ok(Analysis {
        rows: sheet.rows.len() as u32 + sheet.issues.len() as u32,
        planned,
        issues,
        invalid_rows,
        blocked,
        existing,
    })
}

/// An existing record's values with the row's cells written over them; an empty cell of a
/// mapped column clears its field.
fn merged(old: Option<&Values>, values: &Values, cleared: &[&str]) -> Values {
    let mut out = old.cloned().unwrap_or_default();
    for key in cleared {
        out.remove(*key);
    }
    out.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
    out
}

/// The problems listed one by one in a refusal; the rest are counted in a last line.
pub const MAX_LISTED_PROBLEMS: usize = 100;

fn problems_of(issues: &[ImportIssue]) -> ImportProblems {
    let mut listed: Vec<ImportProblem> = issues
        .iter()
        .take(MAX_LISTED_PROBLEMS)
        .map(|i| ImportProblem {
            line: u64::from(i.line),
            column: i.column.clone().or_else(|| i.field.clone()),
            message: i.message.clone(),
        })
        .collect();
    if issues.len() > MAX_LISTED_PROBLEMS {
        listed.push(ImportProblem {
            line: 0,
            column: None,
            message: format!(
                "and {} more problems ({} in all); correct the ones above and import again to see the rest",
                issues.len() - MAX_LISTED_PROBLEMS,
                issues.len()
            ),
        });
    }
    ImportProblems(listed)
}

/// The `updated_at` of a record, if it exists.
fn updated_at(conn: &Connection, spec: &KindSpec, id: &str) -> Result<Option<String>> {
    conn.prepare_cached(&format!(
        "SELECT updated_at FROM {} WHERE id = ?1",
        spec.table
    ))
    .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
    .map_err(Error::sql("reading a record's update time"))
}

/// One record an import created or changed, for its batch.
struct Touched {
    id: String,
    previous: Option<Values>,
}

/// Writes the planned rows inside `tx`: new records, and duplicates merged or skipped as
/// `choice` says. Stops without writing more when `cancel` is set.
#[allow(clippy::too_many_arguments)]
fn write_rows(
    tx: &Connection,
    change: &Change,
    spec: &KindSpec,
    analysis: &Analysis,
    choice: &dyn Fn(u32) -> DuplicateChoice,
    progress: &mut dyn FnMut(ImportProgress),
    cancel: &AtomicBool,
    outcome: &mut ImportOutcome,
) -> Result<Option<Vec<Touched>>> {
    let total = analysis.planned.len() as u32;
    let mut touched = Vec::new();
    progress(ImportProgress { done: 0, total });
    for (n, p) in analysis.planned.iter().enumerate() {
        if cancel.load(Ordering::SeqCst) {
            return Ok(None);
        }
        let typed = import_typed::handles(spec.kind);
        let today = change.at.date_naive();
        let written = match &p.existing {
            None => if typed {
                import_typed::create(tx, change, spec.kind, &p.values, today)
            } else {
                create_with_id_in(tx, change, spec.kind, &p.values, p.id.as_deref())
            }
            .map(|id| {
                outcome.created += 1;
                touched.push(Touched { id, previous: None });
            }),
            Some(d) if choice(p.line) == DuplicateChoice::Merge => {
                let old = analysis.existing.get(&d.record_id).map(|e| &e.values);
                let values = merged(old, &p.values, &p.cleared);
                if typed {
                    import_typed::update(tx, change, spec.kind, &d.record_id, &values, today)
                } else {
                    update_in(tx, change, spec.kind, &d.record_id, &values)
                }
                .map(|()| {
                    outcome.updated += 1;
                    touched.push(Touched {
                        id: d.record_id.clone(),
                        previous: Some(old.cloned().unwrap_or_default()),
                    });
                })
            }
            Some(_) => {
                outcome.skipped += 1;
                Ok(())
            }
        };
        if let Err(e) = written {
            let column = match &e {
                Error::Invalid(v) => v.0.first().map(|f| f.field.clone()),
                _ => None,
            };
            return Err(Error::Import(ImportProblems(vec![ImportProblem {
                line: u64::from(p.line),
                column,
                message: e.to_string(),
            }])));
        }
        let done = n as u32 + 1;
        if done.is_multiple_of(PROGRESS_EVERY) || done == total {
            progress(ImportProgress { done, total });
        }
    }
    if cancel.load(Ordering::SeqCst) {
        return Ok(None);
    }
    Ok(Some(touched))
}

/// Remembers an import for undo; returns the batch id.
fn record_batch(
    tx: &Connection,
    change: &Change,
    spec: &KindSpec,
    file_name: &str,
    outcome: &ImportOutcome,
    touched: &[Touched],
) -> Result<String> {
    let id = kto_core::ids::new_id().to_string();
    tx.execute(
        "INSERT INTO import_batches (id, record_kind, file_name, imported_at, actor, created, updated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            spec.kind.code(),
            file_name,
            ts(change.at),
            change.actor,
            outcome.created,
            outcome.updated
        ],
    )
    .map_err(Error::sql("remembering the import"))?;
    for (position, t) in touched.iter().enumerate() {
        let after = updated_at(tx, spec, &t.id)?.unwrap_or_default();
        let previous = t
            .previous
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| Error::Corrupt(format!("record values as JSON: {e}")))?;
        tx.prepare_cached(
            "INSERT INTO import_batch_records (batch_id, position, record_id, action, previous, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .and_then(|mut s| {
            s.execute(params![
                id,
                position as i64,
                t.id,
                if t.previous.is_some() { "updated" } else { "created" },
                previous,
                after
            ])
        })
        .map_err(Error::sql("remembering the import"))?;
    }
    Ok(id)
}

impl Store {
    /// What importing `bytes` with `request` would do: rows to create, duplicates of
    /// existing records, every problem by line and column. Writes nothing.
    pub fn preview_import(
        &self,
        request: &ImportRequest,
        bytes: &[u8],
        today: NaiveDate,
    ) -> Result<ImportPreview> {
        let spec = importable(request.kind)?;
        let sheet = read_rows(bytes, request.sheet.as_deref())?;
        let analysis = analyse(&self.conn, spec, &sheet, &request.mapping, today)?;
        let problem_count = analysis.issues.len() as u32;
        Ok(ImportPreview {
            rows: analysis.rows,
            create: analysis
                .planned
                .iter()
                .filter(|p| p.existing.is_none())
                .count() as u32,
            duplicates: analysis
                .planned
                .iter()
                .filter_map(|p| p.existing.clone())
                .collect(),
            invalid_rows: analysis.invalid_rows,
            problems: analysis.issues.into_iter().take(MAX_PROBLEMS).collect(),
            problem_count,
            blocked: analysis.blocked,
        })
    }

    /// Imports the valid rows of `bytes` with `request`'s mapping in one transaction: new
    /// records are created, duplicates merged or skipped as `choices` say (unlisted ones
    /// are skipped); rows with problems are left out and counted. `progress` is called
    /// every [`PROGRESS_EVERY`] rows; when `cancel` is set the transaction is rolled back
    /// and the outcome says `cancelled`. The import is remembered for
    /// [`Store::undo_last_import`].
    #[allow(clippy::too_many_arguments)]
    pub fn apply_import(
        &mut self,
        change: &Change,
        file_name: &str,
        request: &ImportRequest,
        bytes: &[u8],
        choices: &[ImportChoice],
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> Result<ImportOutcome> {
        let spec = importable(request.kind)?;
        let sheet = read_rows(bytes, request.sheet.as_deref())?;
        let tx = self.begin("importing records")?;
        let analysis = analyse(&tx, spec, &sheet, &request.mapping, change.at.date_naive())?;
        if analysis.blocked {
            return Err(Error::Import(problems_of(&analysis.issues)));
        }
        let merge: HashSet<u32> = choices
            .iter()
            .filter(|c| c.choice == DuplicateChoice::Merge)
            .map(|c| c.line)
            .collect();
        let choice = |line: u32| {
            if merge.contains(&line) {
                DuplicateChoice::Merge
            } else {
                DuplicateChoice::Skip
            }
        };
        let mut outcome = ImportOutcome {
            invalid: analysis.invalid_rows,
            ..ImportOutcome::default()
        };
        let Some(touched) = write_rows(
            &tx,
            change,
            spec,
            &analysis,
            &choice,
            progress,
            cancel,
            &mut outcome,
        )?
        else {
            // Dropping the transaction rolls every written row back.
            return Ok(ImportOutcome {
                cancelled: true,
                ..ImportOutcome::default()
            });
        };
        if !touched.is_empty() {
            outcome.batch_id = Some(record_batch(
                &tx, change, spec, file_name, &outcome, &touched,
            )?);
        }
        tx.commit().map_err(Error::sql("importing records"))?;
        Ok(outcome)
    }

    /// Imports CSV or workbook rows of a generic kind in one transaction, all or nothing:
    /// columns are matched on their headers and a column that matches no field is a
    /// problem; on any problem nothing is changed and [`Error::Import`] lists them (line,
    /// column, what is wrong). Rows that match an existing record (by id or the kind's
    /// natural key) update it. The import can be undone like any other.
    pub fn import_csv(
        &mut self,
        change: &Change,
        kind: RecordKind,
        bytes: &[u8],
    ) -> Result<ImportSummary> {
        let spec = importable(kind)?;
        let sheet = read_rows(bytes, None)?;
        let mapping = auto_mapping(spec, &sheet.headers);
        let mut unknown = Vec::new();
        for h in &sheet.headers {
            if !h.trim().is_empty() && match_header(spec, h).is_none() {
                unknown.push(issue(
                    1,
                    Some(h),
                    None,
                    IssueKind::UnknownColumn,
                    format!(
                        "unknown column for {}; the columns are id, {}",
                        kind.code(),
                        spec.fields
                            .iter()
                            .map(|f| f.key)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        let tx = self.begin("importing records")?;
        let analysis = analyse(&tx, spec, &sheet, &mapping, change.at.date_naive())?;
        unknown.extend(analysis.issues.iter().cloned());
        if !unknown.is_empty() {
            return Err(Error::Import(problems_of(&unknown)));
        }
        let mut outcome = ImportOutcome::default();
        let never = AtomicBool::new(false);
        let touched = write_rows(
            &tx,
            change,
            spec,
            &analysis,
            &|_| DuplicateChoice::Merge,
            &mut |_| {},
            &never,
            &mut outcome,
        )?
        .unwrap_or_default();
        if !touched.is_empty() {
            record_batch(&tx, change, spec, "kto import", &outcome, &touched)?;
        }
        tx.commit().map_err(Error::sql("importing records"))?;
        Ok(ImportSummary {
            created: outcome.created as usize,
            updated: outcome.updated as usize,
        })
    }

    /// The newest import that has not been undone.
    pub fn last_import(&self) -> Result<Option<ImportBatch>> {
        last_batch(&self.conn)
    }

    /// Undoes the newest import that has not been undone, in one transaction with history:
    /// deletes the records it created and gives those it changed their earlier values.
    /// Refused with [`Error::Conflict`], changing nothing, when one of them was changed
    /// after the import or another record now links to one it created.
    pub fn undo_last_import(&mut self, change: &Change) -> Result<UndoOutcome> {
        let tx = self.begin("undoing the import")?;
        let batch =
            last_batch(&tx)?.ok_or_else(|| Error::Conflict("there is no import to undo".into()))?;
        let spec = importable(batch.kind)?;
        let typed = import_typed::handles(batch.kind);
        let title_of = |id: &str| {
            if typed {
                import_typed::title(&tx, batch.kind, id)
            } else {
                get(&tx, spec, id).map(|r| r.title)
            }
        };
        let entries: Vec<(String, String, Option<String>, String)> = tx
            .prepare(
                "SELECT record_id, action, previous, updated_at FROM import_batch_records
                 WHERE batch_id = ?1 ORDER BY position DESC",
            )
            .and_then(|mut s| {
                s.query_map([&batch.id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::sql("reading the import"))?;
        let created: HashSet<&str> = entries
            .iter()
            .filter(|e| e.1 == "created")
            .map(|e| e.0.as_str())
            .collect();
        let refuse = |what: String| {
            Error::Conflict(format!(
                "the import of {} cannot be undone: {what}. Nothing was changed",
                batch.file_name
            ))
        };
        let mut outcome = UndoOutcome::default();
        for (id, action, _, after) in &entries {
            let now = updated_at(&tx, spec, id)?;
            match (action.as_str(), now) {
                ("created", None) => continue,
                (_, None) => {
                    return Err(refuse(format!(
                        "a record it changed ({id}) was deleted since"
                    )))
                }
                (_, Some(now)) if &now != after => {
                    let title = title_of(id)?;
                    return Err(refuse(format!("'{title}' was changed after the import")));
                }
                _ => {}
            }
            if action == "created" {
                if let Some(l) = incoming(&tx, batch.kind, id)?
                    .into_iter()
                    .find(|l| !created.contains(l.id.as_str()))
                {
                    let title = title_of(id)?;
                    return Err(refuse(format!(
                        "'{title}' is now linked from {} '{}'",
                        l.kind.code(),
                        l.title
                    )));
                }
            }
        }
        for (id, action, previous, _) in &entries {
            if action == "created" {
                if updated_at(&tx, spec, id)?.is_some() {
                    if typed {
                        import_typed::delete(&tx, change, batch.kind, id)?;
                    } else {
                        delete_in(&tx, change, batch.kind, id)?;
                    }
                    outcome.deleted += 1;
                }
                continue;
            }
            let previous: Values = serde_json::from_str(previous.as_deref().unwrap_or("{}"))
                .map_err(|e| Error::Corrupt(format!("the remembered values of {id}: {e}")))?;
            if typed {
                import_typed::update(
                    &tx,
                    change,
                    batch.kind,
                    id,
                    &previous,
                    change.at.date_naive(),
                )?;
            } else {
                update_in(&tx, change, batch.kind, id, &previous)?;
            }
            outcome.restored += 1;
        }
        tx.execute(
            "UPDATE import_batches SET undone_at = ?2 WHERE id = ?1",
            params![batch.id, ts(change.at)],
        )
        .map_err(Error::sql("undoing the import"))?;
        tx.commit().map_err(Error::sql("undoing the import"))?;
        Ok(outcome)
    }
}

fn last_batch(conn: &Connection) -> Result<Option<ImportBatch>> {
    let row = conn
        .query_row(
            "SELECT id, record_kind, file_name, imported_at, actor, created, updated
             FROM import_batches WHERE undone_at IS NULL
             ORDER BY imported_at DESC, rowid DESC LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, u32>(5)?,
                    r.get::<_, u32>(6)?,
                ))
            },
        )
        .optional()
        .map_err(Error::sql("reading the last import"))?;
    let Some((id, kind, file_name, at, actor, created, updated)) = row else {
        return Ok(None);
    };
    Ok(Some(ImportBatch {
        id,
        kind: RecordKind::from_code(&kind)?,
        file_name,
        imported_at: parse_ts(&at)?,
        actor,
        created,
        updated,
    }))
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
    fn a_column_that_proves_its_notation_reads_three_digit_groups_one_way() {
        let dutch = column_notation(["1.234,56", "12.500", "980"].into_iter());
        assert_eq!(dutch, Some(Notation::DecimalComma));
        let english = column_notation(["1,234.56", "12,500"].into_iter());
        assert_eq!(english, Some(Notation::DecimalPoint));
        assert_eq!(column_notation(["12.500", "980"].into_iter()), None);
        assert_eq!(column_notation(["1.234.567"].into_iter()), dutch);
        // Amounts that disagree prove nothing: each ambiguous one is still refused.
        assert_eq!(
            column_notation(["1,50", "2.50", "12.500"].into_iter()),
            None
        );

        for (text, cents) in [("12.500", 1_250_000), ("1.250,00", 125_000), ("0,5", 50)] {
            assert_eq!(
                amount_in(text, Notation::DecimalComma),
                Some(cents),
                "{text}"
            );
        }
        for (text, cents) in [("12,500", 1_250_000), ("1,250.00", 125_000), ("-0.5", -50)] {
            assert_eq!(
                amount_in(text, Notation::DecimalPoint),
                Some(cents),
                "{text}"
            );
        }
        // The other notation, or more than cents, is still not an amount.
        for text in ["12,500", "1,250.00", "0,001", "0.001,50", "1,2,3"] {
            assert_eq!(amount_in(text, Notation::DecimalComma), None, "{text}");
        }
        for text in ["12.500", "1.250,00", "0.001"] {
            assert_eq!(amount_in(text, Notation::DecimalPoint), None, "{text}");
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
