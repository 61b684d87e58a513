//! "Export to Excel": one `.xlsx` workbook with a sheet per kind of record, in the columns
//! an import reads (`id` and the kind's field keys, as in `docs/csv-format.md`), so that a
//! sheet imports back as its kind. Cells are typed: dates are dates, amounts numbers in
//! euros with a € format, yes/no values booleans, whole numbers numbers; text is always
//! text, never a formula. Each sheet has a frozen header row and filters. A last sheet
//! lists the inventors of each disclosure with their shares as percentages.

use std::path::Path;

use chrono::Datelike;
use kto_core::record::{self, FieldType, KindSpec, Value};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::{Error, Result, Store};

/// The sheet holding the records of `spec`: its table's name, which an import of the
/// workbook for that kind reads without being told.
pub fn xlsx_sheet_name(spec: &KindSpec) -> &'static str {
    match spec.kind {
        kto_core::activity::RecordKind::Disclosure => "disclosures",
        kto_core::activity::RecordKind::Deal => "deals",
        _ => spec.table,
    }
}

/// The sheet of inventors and their shares.
pub const INVENTORS_SHEET: &str = "disclosure inventors";

fn xlsx_error(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| Error::File {
        doing: "write the workbook",
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// The formats of a workbook's cells.
struct Formats {
    header: Format,
    date: Format,
    euro: Format,
    percent: Format,
    text: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            euro: Format::new().set_num_format("[$€-nl-NL] #,##0.00"),
            percent: Format::new().set_num_format("0.00%"),
            text: Format::new().set_text_wrap(),
        }
    }
}

/// One value of a field as a typed cell.
fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    ty: FieldType,
    value: &Value,
    f: &Formats,
) -> std::result::Result<(), XlsxError> {
    match (ty, value) {
        (FieldType::Money, Value::Int(cents)) => {
            ws.write_number_with_format(row, col, *cents as f64 / 100.0, &f.euro)?;
        }
        (FieldType::Date { .. }, Value::Text(s)) => match record::parse_date(s) {
            Some(d) => {
                let cell =
                    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                ws.write_datetime_with_format(row, col, cell, &f.date)?;
            }
            None => {
                ws.write_string(row, col, s)?;
            }
        },
        (_, Value::Bool(b)) => {
            ws.write_boolean(row, col, *b)?;
        }
        (_, Value::Int(n)) => {
            ws.write_number(row, col, *n as f64)?;
        }
        (FieldType::LongText { .. }, Value::Text(s)) => {
            ws.write_string_with_format(row, col, s, &f.text)?;
        }
        (_, Value::Text(s)) => {
            ws.write_string(row, col, s)?;
        }
    }
    Ok(())
}

/// Header, frozen row and filters of a sheet of `rows` rows and `cols` columns.
fn finish_sheet(
    ws: &mut Worksheet,
    headers: &[&str],
    rows: u32,
    f: &Formats,
) -> std::result::Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows, headers.len().saturating_sub(1) as u16)?;
    // Widths from the first 200 rows, at most 480 pixels: a long sheet is not measured
    // cell by cell, and a long summary does not make its column a screen wide.
    ws.set_autofit_max_row(200)
        .set_autofit_max_width(480)
        .autofit();
    Ok(())
}

impl Store {
    /// Writes the workbook of every kind to `path`, which must not exist; returns the
    /// records written.
    pub fn export_xlsx(&self, path: &Path) -> Result<usize> {
        if path.exists() || path.is_symlink() {
            return Err(Error::Conflict(format!(
                "`{}` already exists; an export never overwrites files. Choose another name",
                path.display()
            )));
        }
        let (bytes, n) = self.xlsx_bytes(path)?;
        let tmp = path.with_extension("xlsx.part");
        std::fs::write(&tmp, bytes).map_err(Error::file("write", &tmp))?;
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::file("write", path)(e)
        })?;
        Ok(n)
    }

    /// The workbook as bytes and its number of records.
    fn xlsx_bytes(&self, path: &Path) -> Result<(Vec<u8>, usize)> {
        let err = xlsx_error(path);
        let f = Formats::new();
        let mut wb = Workbook::new();
        let mut total = 0;
        for spec in kto_core::import::import_specs() {
            let target = crate::import::target(spec.kind);
            let mut records: Vec<_> = target
                .load_existing(&self.conn, spec)?
                .into_iter()
                .collect();
            records.sort_by(|a, b| a.0.cmp(&b.0));
            let ws = wb.add_worksheet();
            ws.set_name(xlsx_sheet_name(spec)).map_err(&err)?;
            let mut headers = vec!["id"];
            headers.extend(spec.fields.iter().map(|f| f.key));
            for (r, (id, existing)) in records.iter().enumerate() {
                let row = r as u32 + 1;
                ws.write_string(row, 0, id).map_err(&err)?;
                for (c, field) in spec.fields.iter().enumerate() {
                    if let Some(v) = existing.values.get(field.key) {
                        write_cell(ws, row, c as u16 + 1, field.ty, v, &f).map_err(&err)?;
                    }
                }
            }
            finish_sheet(ws, &headers, records.len() as u32, &f).map_err(&err)?;
            total += records.len();
        }
        self.inventors_sheet(wb.add_worksheet(), &f).map_err(&err)?;
        let bytes = wb.save_to_buffer().map_err(&err)?;
        Ok((bytes, total))
    }

    /// Each disclosure's inventors in order, with their shares as percentages.
    fn inventors_sheet(
        &self,
        ws: &mut Worksheet,
        f: &Formats,
    ) -> std::result::Result<(), XlsxError> {
        ws.set_name(INVENTORS_SHEET)?;
        let rows: Vec<(String, String, String, i64)> = self
            .conn
            .prepare(
                "SELECT d.reference, d.title, p.name, i.share_bp FROM disclosure_inventors i
                   JOIN disclosures d ON d.id = i.disclosure_id
                   JOIN people p ON p.id = i.person_id
                  ORDER BY d.reference, i.position",
            )
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                    .collect()
            })
            .map_err(|e| XlsxError::ParameterError(format!("reading the inventors: {e}")))?;
        for (n, (reference, title, name, share_bp)) in rows.iter().enumerate() {
            let row = n as u32 + 1;
            ws.write_string(row, 0, reference)?;
            ws.write_string(row, 1, title)?;
            ws.write_string(row, 2, name)?;
            ws.write_number_with_format(row, 3, *share_bp as f64 / 10_000.0, &f.percent)?;
        }
        finish_sheet(
            ws,
            &["reference", "title", "inventor", "share"],
            rows.len() as u32,
            f,
        )
    }
}
