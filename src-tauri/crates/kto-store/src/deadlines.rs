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
        .prepare_cached(
            "SELECT id, title, jurisdiction, filing_date, is_priority, priority_date, grant_date
               FROM patents
              WHERE status IN ('pending', 'granted')
                AND (coalesce(priority_date, filing_date) BETWEEN ?1 AND ?2
                     OR grant_date BETWEEN ?3 AND ?4)",
        )
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
            s.query_map(rusqlite::params_from_iter(range.iter()), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(Error::sql("reading patent dates"))?;
    for (id, title, jurisdiction, filing, priority, priority_date, grant) in patents {
        let dates = PatentDates {
            source_id: id.clone(),
            jurisdiction: Jurisdiction::new(&jurisdiction),
            filing_date: opt_date(filing)?,
            is_priority: priority == Some(1),
            priority_date: opt_date(priority_date)?,
            grant_date: opt_date(grant)?,
        };
        let found = patent_deadlines(&dates, &rules)
            .map_err(|e| Error::Corrupt(format!("patent {id}: {e}")))?;
        out.extend(found.into_iter().map(|d| RecordDeadline {
            kind: d.kind,
            due: d.due,
            record_kind: RecordKind::Patent,
            record_id: id.clone(),
            title: title.clone(),
            params: d.label_params,
        }));
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
