//! Checking an import without writing: each cell converted for its field, links resolved,
//! duplicates of existing records found, every row validated by its kind's rules, every
//! problem named by line and column.

use super::*;

/// A number cell read as a date: the spreadsheet's serial day number.
pub(super) fn serial_date(n: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    let (y, m, d, ..) =
        ExcelDateTime::new(n, ExcelDateTimeType::DateTime, false).to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
}

/// One cell's value for a field that is not a link, or what is wrong with it.
pub(super) fn convert(
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
pub(super) fn describe(kind: &IssueKind) -> String {
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

pub(super) fn issue_of(
    line: u32,
    column: Option<&str>,
    field: Option<&str>,
    kind: IssueKind,
) -> ImportIssue {
    let message = describe(&kind);
    issue(line, column, field, kind, message)
}

/// A key value compared without case and surrounding spaces.
pub(super) fn key_text(v: &Value) -> String {
    match v {
        Value::Text(t) => t.trim().to_lowercase(),
        other => other.display(),
    }
}

/// The key of `values` for one natural-key set, when all its fields are filled.
pub(super) fn key_of(values: &Values, fields: &[&str]) -> Option<String> {
    let parts: Option<Vec<String>> = fields
        .iter()
        .map(|f| values.get(*f).map(key_text))
        .collect();
    parts.map(|p| p.join("\u{1f}"))
}

/// A stored record of the kind being imported.
pub(crate) struct Existing {
    pub(crate) values: Values,
    pub(crate) title: String,
}

/// A row that can be imported.
pub(super) struct Planned {
    pub(super) line: u32,
    /// The id the row carries (kept for a new record).
    pub(super) id: Option<String>,
    /// The mapped fields with a value.
    pub(crate) values: Values,
    /// The mapped fields whose cell is empty.
    pub(super) cleared: Vec<&'static str>,
    pub(super) existing: Option<ImportDuplicate>,
}

pub(super) struct Analysis {
    pub(super) rows: u32,
    pub(super) planned: Vec<Planned>,
    pub(super) issues: Vec<ImportIssue>,
    pub(super) invalid_rows: u32,
    pub(super) blocked: bool,
    pub(super) existing: HashMap<String, Existing>,
}

/// Looks up link targets by id or by title, remembering the answers.
pub(super) struct Links<'c> {
    pub(super) conn: &'c Connection,
    pub(super) found: HashMap<(RecordKind, String), std::result::Result<String, IssueKind>>,
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

/// Reads every row with `mapping`, finds duplicates and validates what would be written,
/// without writing anything.
pub(super) fn analyse(
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
    let existing = target(spec.kind).load_existing(conn, spec)?;
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
        let existing_id = duplicate.as_ref().map(|d| d.record_id.as_str());
        let problems = target(spec.kind).check(conn, spec, &candidate, existing_id, today)?;
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
pub(super) fn merged(old: Option<&Values>, values: &Values, cleared: &[&str]) -> Values {
    let mut out = old.cloned().unwrap_or_default();
    for key in cleared {
        out.remove(*key);
    }
    out.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
    out
}

/// The problems listed one by one in a refusal; the rest are counted in a last line.
pub const MAX_LISTED_PROBLEMS: usize = 100;

pub(super) fn problems_of(issues: &[ImportIssue]) -> ImportProblems {
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
pub(super) fn updated_at(conn: &Connection, spec: &KindSpec, id: &str) -> Result<Option<String>> {
    conn.prepare_cached(&format!(
        "SELECT updated_at FROM {} WHERE id = ?1",
        spec.table
    ))
    .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
    .map_err(Error::sql("reading a record's update time"))
}
