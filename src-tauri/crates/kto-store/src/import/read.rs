//! Reading an import file: CSV in the encodings and separators spreadsheets save, and
//! workbooks (`.xlsx`, `.xls`, `.ods`), into rows of cells; what a chosen file holds.

use super::*;

/// The separator of a file: the most frequent of `,`, `;` and tab in its first line.
pub(super) fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

/// One cell as read from the file.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
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
    pub(super) fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, for samples and messages.
    pub(super) fn text(&self) -> String {
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
pub(super) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The rows of one sheet or CSV file.
pub(super) struct Sheet {
    pub(super) headers: Vec<String>,
    pub(super) rows: Vec<SheetRow>,
    /// Rows that could not be read at all.
    pub(super) issues: Vec<ImportIssue>,
    /// The workbook sheet read.
    pub(super) name: Option<String>,
}

pub(super) struct SheetRow {
    pub(super) line: u32,
    pub(super) cells: Vec<Cell>,
}

pub(super) fn issue(
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
pub(super) fn unreadable(message: String) -> Error {
    Error::Import(ImportProblems(vec![ImportProblem {
        line: 0,
        column: None,
        message,
    }]))
}

pub(super) fn too_large() -> Error {
    unreadable(format!(
        "the file is larger than {} MB; split it into smaller files",
        MAX_IMPORT_BYTES / 1024 / 1024
    ))
}

/// True for the containers of workbooks: a ZIP (`.xlsx`, `.ods`) or an OLE file (`.xls`).
pub(super) fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// The text of a CSV file: UTF-8 or UTF-16 by their byte-order mark, else UTF-8 when it is
/// valid, else Windows-1252 (what spreadsheets on Windows save as "CSV").
pub(super) fn decode_text(bytes: &[u8]) -> String {
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
pub(super) fn looks_like_utf16(bytes: &[u8]) -> bool {
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
pub(super) fn unclosed_quote(text: &str, delimiter: u8) -> Option<(usize, usize)> {
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
pub(super) fn refuse_repeated_headers(headers: &[String]) -> Result<()> {
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

pub(super) fn read_csv(bytes: &[u8]) -> Result<Sheet> {
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

pub(super) type Workbook<'a> = calamine::Sheets<Cursor<&'a [u8]>>;

pub(super) fn open_workbook(bytes: &[u8]) -> Result<Workbook<'_>> {
    calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        unreadable(format!(
            "the file could not be read as a workbook ({e}); it may be damaged or protected \
             with a password. Save it again as .xlsx or .csv"
        ))
    })
}

/// A workbook cell. Date cells become dates; a number keeps its value (a date field
/// reads it as a serial date).
pub(super) fn workbook_cell(d: &Data) -> Cell {
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
pub(super) fn guarded<T>(read: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(unreadable(
            "the workbook is damaged and could not be read; save it again as .xlsx or .csv".into(),
        ))
    })
}

/// True when `bytes` is a workbook with a sheet named `name`.
pub(super) fn has_sheet(bytes: &[u8], name: &str) -> bool {
    is_workbook(bytes)
        && guarded(|| Ok(open_workbook(bytes)?.sheet_names()))
            .is_ok_and(|names| names.iter().any(|n| n == name))
}

pub(super) fn read_workbook(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet> {
    guarded(|| read_workbook_unguarded(bytes, sheet))
}

pub(super) fn read_workbook_unguarded(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet> {
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
pub(super) fn check_size(bytes: &[u8]) -> Result<()> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(too_large());
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(unreadable("the file is empty".into()));
    }
    Ok(())
}

pub(super) fn read_sheet(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet> {
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
pub(super) fn read_rows(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet> {
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
pub(super) fn importable(kind: RecordKind) -> Result<&'static KindSpec> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(sniff_delimiter("a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter("a,b\n"), b',');
    }
}
