//! Deadlines that follow from stored dates: patent deadlines from priority and grant dates
//! (`kto_core::deadlines`) and agreement end dates.

use chrono::{Days, NaiveDate};
use kto_core::activity::RecordKind;
use kto_core::deadlines::{
    agreement_end_deadline, patent_deadlines, DeadlineRules, Jurisdiction, PatentDates,
    EP_VALIDATION_MONTHS, PCT_EXTENDED_NATIONAL_PHASE_MONTHS, PRIORITY_YEAR_MONTHS,
};
use kto_core::pipeline::RecordDeadline;
use rusqlite::Connection;

use crate::{parse_date, Error, Result};

/// How far ahead the start page lists deadlines: patent deadlines need weeks of lead time.
pub const AHEAD_DAYS: u64 = 90;

/// How far back a passed deadline is still shown as overdue.
pub const OVERDUE_DAYS: u64 = 31;

fn opt_date(s: Option<String>) -> Result<Option<NaiveDate>> {
    s.as_deref().map(parse_date).transpose()
}

/// `id, title, jurisdiction, filing_date, is_priority, priority_date, grant_date` of a patent.
type PatentRow = (
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

const PATENT_COLUMNS: &str =
    "id, title, jurisdiction, filing_date, is_priority, priority_date, grant_date";

fn patent_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PatentRow> {
    Ok((
        r.get("id")?,
        r.get("title")?,
        r.get("jurisdiction")?,
        r.get("filing_date")?,
        r.get("is_priority")?,
        r.get("priority_date")?,
        r.get("grant_date")?,
    ))
}

/// Every deadline one patent application's dates give, past ones included.
fn patent_row_deadlines(row: PatentRow, rules: &DeadlineRules) -> Result<Vec<RecordDeadline>> {
    let (id, title, jurisdiction, filing, priority, priority_date, grant) = row;
    let dates = PatentDates {
        source_id: id.clone(),
        jurisdiction: Jurisdiction::new(&jurisdiction),
        filing_date: opt_date(filing)?,
        is_priority: priority == Some(1),
        priority_date: opt_date(priority_date)?,
        grant_date: opt_date(grant)?,
    };
    let found =
        patent_deadlines(&dates, rules).map_err(|e| Error::Corrupt(format!("patent {id}: {e}")))?;
    Ok(found
        .into_iter()
        .map(|d| RecordDeadline {
            kind: d.kind,
            due: d.due,
            record_kind: RecordKind::Patent,
            record_id: id.clone(),
            title: title.clone(),
            params: d.label_params,
        })
        .collect())
}

/// Every deadline of one record, past and future, soonest first: a patent application's
/// priority year, publication, national phase and EP validation, or an agreement's end.
/// Other kinds have none. The record page lists them; My week lists the ones near today.
pub(crate) fn of_record(
    conn: &Connection,
    kind: RecordKind,
    id: &str,
) -> Result<Vec<RecordDeadline>> {
    let mut out = match kind {
        RecordKind::Patent => {
            let row = conn
                .prepare_cached(&format!(
                    "SELECT {PATENT_COLUMNS} FROM patents WHERE id = ?1"
                ))
                .and_then(|mut s| s.query_map([id], patent_row)?.next().transpose())
                .map_err(Error::sql("reading a patent's dates"))?;
            match row {
                Some(row) => patent_row_deadlines(row, &DeadlineRules::default())?,
                None => Vec::new(),
            }
        }
        RecordKind::Agreement => {
            let row = conn
                .prepare_cached("SELECT title, end_date FROM agreements WHERE id = ?1")
                .and_then(|mut s| {
                    s.query_map([id], |r| {
                        Ok((
                            r.get::<_, String>("title")?,
                            r.get::<_, Option<String>>("end_date")?,
                        ))
                    })?
                    .next()
                    .transpose()
                })
                .map_err(Error::sql("reading an agreement's end date"))?;
            match row {
                Some((title, Some(end))) => agreement_end_deadline(id, Some(parse_date(&end)?))
                    .map(|d| RecordDeadline {
                        kind: d.kind,
                        due: d.due,
                        record_kind: RecordKind::Agreement,
                        record_id: id.to_string(),
                        title,
                        params: d.label_params,
                    })
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    };
    out.sort_by_key(|d| (d.due, d.kind));
    Ok(out)
}

/// Deadlines due from `today - OVERDUE_DAYS` up to `until`, soonest first. Only patent
/// applications still pending or granted produce deadlines.
pub(crate) fn between(
    conn: &Connection,
    today: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<RecordDeadline>> {
    let from = today
        .checked_sub_days(Days::new(OVERDUE_DAYS))
        .unwrap_or(today);
    let rules = DeadlineRules::default();
    let mut out = Vec::new();
    let patents = conn
        .prepare_cached(&format!(
            "SELECT {PATENT_COLUMNS}
               FROM patents
              WHERE status IN ('pending', 'granted')
                AND (coalesce(priority_date, filing_date) BETWEEN ?1 AND ?2
                     OR grant_date BETWEEN ?3 AND ?4)"
        ))
        .and_then(|mut s| {
            // Only applications whose dates can put a deadline in the window: a basis
            // date from 31 months before its start (the latest national phase) to 12
            // months before its end (the earliest, the priority year); a grant within
            // three months before the window (EP validation).
            let months =
                |d: NaiveDate, m: u32| d.checked_sub_months(chrono::Months::new(m)).unwrap_or(d);
            let range = [
                months(from, PCT_EXTENDED_NATIONAL_PHASE_MONTHS).to_string(),
                months(until, PRIORITY_YEAR_MONTHS).to_string(),
                months(from, EP_VALIDATION_MONTHS).to_string(),
                until.to_string(),
            ];
            s.query_map(rusqlite::params_from_iter(range.iter()), patent_row)?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(Error::sql("reading patent dates"))?;
    for row in patents {
        out.extend(patent_row_deadlines(row, &rules)?);
    }
    let agreements = conn
        .prepare_cached(
            "SELECT id, title, end_date FROM agreements
              WHERE end_date >= ?1 AND end_date <= ?2",
        )
        .and_then(|mut s| {
            s.query_map([from.to_string(), until.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(Error::sql("reading agreement end dates"))?;
    for (id, title, end) in agreements {
        if let Some(d) = agreement_end_deadline(&id, Some(parse_date(&end)?)) {
            out.push(RecordDeadline {
                kind: d.kind,
                due: d.due,
                record_kind: RecordKind::Agreement,
                record_id: id,
                title,
                params: d.label_params,
            });
        }
    }
    out.retain(|d| d.due >= from && d.due <= until);
    out.sort_by(|a, b| (a.due, &a.record_id, a.kind).cmp(&(b.due, &b.record_id, b.kind)));
    Ok(out)
}

impl crate::Store {
    /// Every deadline of one record, past and future, soonest first (see [`of_record`]).
    pub fn record_deadlines(&self, kind: RecordKind, id: &str) -> Result<Vec<RecordDeadline>> {
        of_record(&self.conn, kind, id)
    }
}
