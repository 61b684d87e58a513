//! The yearly monitor's data: the facts the figures are computed from (read from every
//! record table, all of them or only what one reporting period needs), the office's
//! yearly inputs, the signed submissions (stored immutably,
//! corrections as new versions) and the registry of signing keys.
//!
//! Computing figures is `kto_core::monitor`'s job; signing and files are `kto-report`'s.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use kto_core::activity::Change;
use kto_core::deadlines::Jurisdiction;
use kto_core::ids::new_id;
use kto_core::monitor::{
    AgreementFact, AgreementKind, CompanyStatus, ContributionFact, CountedRecord, DisclosureFact,
    FundingRoundFact, IncomeFact, IncomeKind, LeadOutcome, MonitorFacts, OfficeInputs,
    PatentApplicationFact, RecordKind as MonitorRecordKind, ReportingPeriod, ScoutingLeadFact,
    SigningKeyRecord, SpinOffFact, SubmissionRecord,
};
use kto_core::party::OrganisationKind;
use kto_core::toeslag::PartnerKind;
use kto_core::validation::{Problem, ValidationErrors};
use kto_core::Money;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::de::DeserializeOwned;

use crate::{parse_date, parse_ts, ts, Error, Result, Store};

/// Years an office can report on.
pub const MONITOR_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// Largest FTE input accepted, in hundredths (100,000 FTE).
const MAX_FTE_HUNDREDTHS: u32 = 10_000_000;

/// A signed submission about to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubmission {
    /// The reported year.
    pub year: i32,
    /// The id of the version this one corrects: must be the latest of the year, and `None`
    /// exactly when the year has no submission yet.
    pub supersedes_id: Option<String>,
    /// The institution id in the file.
    pub institution_id: String,
    /// The definition set's version.
    pub definition_version: String,
    /// The file exactly as signed.
    pub canonical_json: String,
    /// The detached minisign signature.
    pub signature: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// The signing key (registered when not yet known).
    pub key: NewSigningKey,
    /// Who signed.
    pub signer: String,
    /// When.
    pub signed_at: DateTime<Utc>,
}

/// A public key to put into the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSigningKey {
    /// Key id, 16 hex digits.
    pub key_id: String,
    /// The public key in minisign's file format.
    pub public_key: String,
    /// SHA-256 of the public key.
    pub fingerprint: String,
}

/// Parses a stored choice key (camelCase, as serde writes the enum), without copying it.
fn choice<T: DeserializeOwned>(key: &str) -> Option<T> {
    T::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(key)).ok()
}

fn money(cents: Option<i64>) -> Money {
    Money::from_cents(cents.unwrap_or(0))
}

fn count_u32(v: Option<i64>, what: &str) -> Result<Option<u32>> {
    v.map(|n| u32::try_from(n).map_err(|_| Error::Corrupt(format!("{what} {n} is out of range"))))
        .transpose()
}

/// Runs `sql` and maps every row.
fn rows<T>(
    conn: &Connection,
    sql: &str,
    doing: &'static str,
    mut map: impl FnMut(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql).map_err(Error::sql(doing))?;
    let mut rows = stmt.query([]).map_err(Error::sql(doing))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(Error::sql(doing))? {
        out.push(map(row)?);
    }
    Ok(out)
}

/// Reads column `i` of `row`.
fn col<T: rusqlite::types::FromSql>(row: &Row<'_>, i: usize, doing: &'static str) -> Result<T> {
    row.get(i).map_err(Error::sql(doing))
}

const FACTS: &str = "reading the monitor facts";

/// The characters Rust's `str::trim` removes (Unicode White_Space), as SQL: a family is
/// compared trimmed of these, as `kto_core::monitor` compares it. Migration 0011 indexes
/// priority filings by exactly this expression.
const FAMILY_KEY: &str = "trim(family, char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, \
     8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288))";

/// Which rows of each table the monitor facts are read from: every row, or what the
/// figures and data-quality checks of one reporting period read.
#[derive(Clone, Copy)]
enum Scope<'a> {
    All,
    /// The period's first and last day as stored (`YYYY-MM-DD`) and its year.
    Period {
        start: &'a str,
        end: &'a str,
        year: i32,
    },
}

impl Scope<'_> {
    /// The SQL condition of the rows in scope: `1` (every row), or `period` for a period.
    fn pick(self, period: &str) -> &str {
        match self {
            Scope::All => "1",
            Scope::Period { .. } => period,
        }
    }
}

/// Runs `sql`, binding whichever of `:start`, `:end` and `:year` it names from `scope`,
/// and maps every row.
fn scoped_rows<T>(
    conn: &Connection,
    sql: &str,
    scope: Scope<'_>,
    mut map: impl FnMut(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for_each_scoped_row(conn, sql, scope, |row| {
        out.push(map(row)?);
        Ok(())
    })?;
    Ok(out)
}

/// Runs `sql` as [`scoped_rows`] does and hands every row to `each`.
fn for_each_scoped_row(
    conn: &Connection,
    sql: &str,
    scope: Scope<'_>,
    mut each: impl FnMut(&Row<'_>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql).map_err(Error::sql(FACTS))?;
    if let Scope::Period { start, end, year } = scope {
        for (name, value) in [
            (":start", &start as &dyn rusqlite::ToSql),
            (":end", &end),
            (":year", &year),
        ] {
            if let Some(i) = stmt.parameter_index(name).map_err(Error::sql(FACTS))? {
                stmt.raw_bind_parameter(i, value)
                    .map_err(Error::sql(FACTS))?;
            }
        }
    }
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next().map_err(Error::sql(FACTS))? {
        each(row)?;
    }
    Ok(())
}

/// Column `i` of `row` as text borrowed from the row; `None` for NULL.
fn str_col<'r>(row: &'r Row<'_>, i: usize) -> Result<Option<&'r str>> {
    match row.get_ref(i).map_err(Error::sql(FACTS))? {
        rusqlite::types::ValueRef::Null => Ok(None),
        v => v.as_str().map(Some).map_err(|e| Error::Sql {
            doing: FACTS,
            source: e.into(),
        }),
    }
}

/// Column `i` of `row` as text that must be there.
fn req_str_col<'r>(row: &'r Row<'_>, i: usize) -> Result<&'r str> {
    str_col(row, i)?.ok_or_else(|| Error::Sql {
        doing: FACTS,
        source: rusqlite::Error::InvalidColumnType(i, String::new(), rusqlite::types::Type::Null),
    })
}

/// A stored date (`YYYY-MM-DD`), parsed without chrono's general format machinery; any
/// other text goes through [`parse_date`] (which says what is wrong with it).
fn fact_date(s: &str) -> Result<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            if let Some(date) = i32::try_from(y)
                .ok()
                .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
            {
                return Ok(date);
            }
        }
    }
    parse_date(s)
}

fn opt_fact_date(row: &Row<'_>, i: usize) -> Result<Option<NaiveDate>> {
    str_col(row, i)?.map(fact_date).transpose()
}

/// Disclosures with their inventors' shares: one row per inventor, in disclosure order.
fn disclosure_facts(c: &Connection, scope: Scope<'_>) -> Result<Vec<DisclosureFact>> {
    let mut disclosures: Vec<DisclosureFact> = Vec::new();
    for_each_scoped_row(
        c,
        &format!(
            "SELECT d.id, d.received_on, di.share_bp
               FROM disclosures d
               LEFT JOIN disclosure_inventors di ON di.disclosure_id = d.id
              WHERE {}
              ORDER BY d.id, di.position",
            scope.pick("d.received_on BETWEEN :start AND :end")
        ),
        scope,
        |r| {
            let id = req_str_col(r, 0)?;
            let share = col::<Option<i64>>(r, 2, FACTS)?
                .map(|bp| {
                    u32::try_from(bp)
                        .map_err(|_| Error::Corrupt(format!("inventor share {bp} is out of range")))
                })
                .transpose()?;
            match disclosures.last_mut() {
                Some(d) if d.id == id => d.inventor_shares_bp.extend(share),
                _ => disclosures.push(DisclosureFact {
                    id: id.to_owned(),
                    received_date: opt_fact_date(r, 1)?,
                    inventor_shares_bp: share.into_iter().collect(),
                }),
            }
            Ok(())
        },
    )?;
    Ok(disclosures)
}

/// Patent applications filed or granted in scope, and the priority filings of their families.
fn patent_facts(c: &Connection, scope: Scope<'_>) -> Result<Vec<PatentApplicationFact>> {
    scoped_rows(
        c,
        &format!(
            "SELECT id, family, jurisdiction, filing_date, is_priority, grant_date
               FROM patents WHERE {} ORDER BY id",
            scope.pick(&format!(
                "filing_date IS NULL OR filing_date BETWEEN :start AND :end
                 OR grant_date BETWEEN :start AND :end
                 OR is_priority <> 0 AND {FAMILY_KEY} IN (
                    SELECT {FAMILY_KEY} FROM patents INDEXED BY patents_priority_by_family
                     WHERE is_priority <> 0
                       AND (filing_date IS NULL OR filing_date BETWEEN :start AND :end))"
            ))
        ),
        scope,
        |r| {
            Ok(PatentApplicationFact {
                id: col(r, 0, FACTS)?,
                family_id: col(r, 1, FACTS)?,
                jurisdiction: Jurisdiction::new(req_str_col(r, 2)?),
                filing_date: opt_fact_date(r, 3)?,
                is_priority: col::<Option<i64>>(r, 4, FACTS)?.unwrap_or(0) != 0,
                grant_date: opt_fact_date(r, 5)?,
            })
        },
    )
}

/// Agreements, with the kind of their counterparty.
fn agreement_facts(c: &Connection, scope: Scope<'_>) -> Result<Vec<AgreementFact>> {
    scoped_rows(
        c,
        &format!(
            "SELECT a.id, a.kind, a.signed_date, a.value_cents, o.kind
               FROM agreements a LEFT JOIN organisations o ON o.id = a.counterparty_id
              WHERE {}
              ORDER BY a.id",
            scope.pick("a.signed_date IS NULL OR a.signed_date BETWEEN :start AND :end")
        ),
        scope,
        |r| {
            Ok(AgreementFact {
                id: col(r, 0, FACTS)?,
                kind: choice::<AgreementKind>(req_str_col(r, 1)?),
                signed_date: opt_fact_date(r, 2)?,
                value: col::<Option<i64>>(r, 3, FACTS)?.map(Money::from_cents),
                partner_kind: str_col(r, 4)?.and_then(|k| OrganisationKind::from_code(k).ok()),
            })
        },
    )
}

/// Income, with the kind of the agreement it came through.
fn income_facts(c: &Connection, scope: Scope<'_>) -> Result<Vec<IncomeFact>> {
    scoped_rows(
        c,
        &format!(
            "SELECT i.id, i.received_date, i.amount_cents, i.kind, a.kind
               FROM income i LEFT JOIN agreements a ON a.id = i.agreement_id
              WHERE {}
              ORDER BY i.id",
            scope.pick("i.received_date BETWEEN :start AND :end")
        ),
        scope,
        |r| {
            Ok(IncomeFact {
                id: col(r, 0, FACTS)?,
                received_date: opt_fact_date(r, 1)?,
                amount: Money::from_cents(col(r, 2, FACTS)?),
                kind: choice::<IncomeKind>(req_str_col(r, 3)?),
                source_agreement_kind: str_col(r, 4)?.and_then(choice::<AgreementKind>),
            })
        },
    )
}

/// A figure or check reads only external rounds, closed in the period or undated.
const ROUNDS_IN_PERIOD: &str =
    "external <> 0 AND (closed_date IS NULL OR closed_date BETWEEN :start AND :end)";

/// External funding rounds by spin-off.
fn funding_round_facts(
    c: &Connection,
    scope: Scope<'_>,
) -> Result<HashMap<String, Vec<FundingRoundFact>>> {
    let mut rounds: HashMap<String, Vec<FundingRoundFact>> = HashMap::new();
    for (spin_off, round) in scoped_rows(
        c,
        &format!(
            "SELECT spin_off_id, id, closed_date, amount_cents, external
               FROM funding_rounds WHERE {} ORDER BY spin_off_id, closed_date, id",
            scope.pick(ROUNDS_IN_PERIOD)
        ),
        scope,
        |r| {
            Ok((
                col::<String>(r, 0, FACTS)?,
                FundingRoundFact {
                    id: col(r, 1, FACTS)?,
                    date: opt_fact_date(r, 2)?,
                    amount: Money::from_cents(col(r, 3, FACTS)?),
                    external: col::<Option<i64>>(r, 4, FACTS)?.unwrap_or(0) != 0,
                },
            ))
        },
    )? {
        rounds.entry(spin_off).or_default().push(round);
    }
    Ok(rounds)
}

/// Spin-offs, each with its funding rounds from `rounds`.
fn spin_off_facts(
    c: &Connection,
    scope: Scope<'_>,
    mut rounds: HashMap<String, Vec<FundingRoundFact>>,
) -> Result<Vec<SpinOffFact>> {
    scoped_rows(
        c,
        &format!(
            "SELECT id, incorporation_date, formal_ip_agreement, status, status_date
               FROM spin_offs WHERE {} ORDER BY id",
            scope.pick(&format!(
                "incorporation_date IS NULL
                 OR incorporation_date <= :end
                    AND (status = 'active' OR status_date IS NULL OR status_date > :end)
                 OR incorporation_date BETWEEN :start AND :end
                 OR status <> 'active' AND status_date IS NULL
                 OR id IN (SELECT spin_off_id FROM funding_rounds WHERE {ROUNDS_IN_PERIOD})"
            ))
        ),
        scope,
        |r| {
            let id: String = col(r, 0, FACTS)?;
            let status = req_str_col(r, 3)?;
            Ok(SpinOffFact {
                incorporation_date: opt_fact_date(r, 1)?,
                has_formal_ip_agreement: col::<Option<i64>>(r, 2, FACTS)?.unwrap_or(0) != 0,
                status: choice::<CompanyStatus>(status)
                    .ok_or_else(|| Error::Corrupt(format!("spin-off status '{status}'")))?,
                status_date: opt_fact_date(r, 4)?,
                funding_rounds: rounds.remove(&id).unwrap_or_default(),
                id,
            })
        },
    )
}

/// PPS partner contributions.
fn contribution_facts(c: &Connection, scope: Scope<'_>) -> Result<Vec<ContributionFact>> {
    scoped_rows(
        c,
        &format!(
            "SELECT id, consortium_id, year, organisation_id, partner_kind, cash_cents,
                    in_kind_cents, in_kind_hours
               FROM contributions WHERE {} ORDER BY id",
            scope.pick("year = :year")
        ),
        scope,
        |r| {
            let kind = req_str_col(r, 4)?;
            let year: i64 = col(r, 2, FACTS)?;
            Ok(ContributionFact {
                id: col(r, 0, FACTS)?,
                consortium_id: col(r, 1, FACTS)?,
                year: i32::try_from(year)
                    .map_err(|_| Error::Corrupt(format!("contribution year {year}")))?,
                partner_id: col(r, 3, FACTS)?,
                partner_kind: choice::<PartnerKind>(kind)
                    .ok_or_else(|| Error::Corrupt(format!("partner kind '{kind}'")))?,
                cash: money(col(r, 5, FACTS)?),
                in_kind_value: money(col(r, 6, FACTS)?),
                in_kind_hours: count_u32(col(r, 7, FACTS)?, "in-kind hours")?.unwrap_or(0),
            })
        },
    )
}

/// Scouting leads visited or converted in scope.
fn scouting_facts(c: &Connection, scope: Scope<'_>) -> Result<Vec<ScoutingLeadFact>> {
    scoped_rows(
        c,
        &format!(
            "SELECT id, research_group, visit_date, outcome, outcome_date
               FROM scouting_leads WHERE {} ORDER BY id",
            // A conversion without its date is reported in every period.
            scope.pick(
                "visit_date BETWEEN :start AND :end OR outcome_date BETWEEN :start AND :end
                 OR outcome_date IS NULL AND outcome IN ('disclosure', 'pps', 'contract')"
            )
        ),
        scope,
        |r| {
            Ok(ScoutingLeadFact {
                id: col(r, 0, FACTS)?,
                research_group: col(r, 1, FACTS)?,
                visit_date: opt_fact_date(r, 2)?,
                outcome: str_col(r, 3)?.and_then(choice::<LeadOutcome>),
                outcome_date: opt_fact_date(r, 4)?,
            })
        },
    )
}

/// The office's yearly inputs.
fn office_input_facts(c: &Connection, scope: Scope<'_>) -> Result<Vec<OfficeInputs>> {
    scoped_rows(
        c,
        &format!(
            "SELECT id, year, research_expenditure_cents, research_fte_hundredths,
                    kto_fte_hundredths FROM office_inputs WHERE {} ORDER BY year",
            scope.pick("year = :year")
        ),
        scope,
        office_inputs_from_row,
    )
}

impl Store {
    /// Everything the monitor computes from, read from every record table: disclosures
    /// with their inventor shares, patent applications, agreements (partner kind from the
    /// counterparty organisation), income (source agreement kind through its agreement),
    /// spin-offs with their funding rounds, PPS contributions, scouting leads and the
    /// yearly office inputs.
    ///
    /// # Errors
    /// [`Error::Sql`] when a table cannot be read; [`Error::Corrupt`] for a stored date or
    /// number that does not parse.
    pub fn monitor_facts(&self) -> Result<MonitorFacts> {
        self.read_facts(Scope::All)
    }

    /// The facts the figures and data-quality checks of `period` read, and no others:
    /// [`kto_core::monitor::compute_monitor`] and [`kto_core::monitor::data_quality`] give
    /// exactly what they give on [`Store::monitor_facts`], from a fraction of the rows.
    ///
    /// Read are the records dated in the period (received, filed, granted, signed,
    /// incorporated, closed, visited, converted), the records missing the date that places
    /// them (reported as warnings in every period), every priority filing of a family with
    /// a filing in the period or undated (the first filing of a family and duplicate
    /// priority filings need the whole family), spin-offs incorporated by the period end
    /// that may still be active then or lack a status date, and the period year's PPS
    /// contributions and office inputs. Funding rounds are the external ones closed in the
    /// period or undated: the only ones a figure or check reads. Lists keep the order of
    /// [`Store::monitor_facts`]. A period outside the years 1000 to 9999 is read in full.
    ///
    /// # Errors
    /// As [`Store::monitor_facts`], for the rows read.
    pub fn monitor_period_facts(&self, period: &ReportingPeriod) -> Result<MonitorFacts> {
        // Stored dates are `YYYY-MM-DD`: compared as text only with four-digit years.
        let text = |d: NaiveDate| {
            (1000..=9999)
                .contains(&d.year())
                .then(|| d.format("%Y-%m-%d").to_string())
        };
        match (text(period.start), text(period.end)) {
            (Some(start), Some(end)) => self.read_facts(Scope::Period {
                start: &start,
                end: &end,
                year: period.year,
            }),
            _ => self.read_facts(Scope::All),
        }
    }

    fn read_facts(&self, scope: Scope<'_>) -> Result<MonitorFacts> {
        let c = &self.conn;
        let rounds = funding_round_facts(c, scope)?;
        Ok(MonitorFacts {
            disclosures: disclosure_facts(c, scope)?,
            patent_applications: patent_facts(c, scope)?,
            agreements: agreement_facts(c, scope)?,
            income: income_facts(c, scope)?,
            spin_offs: spin_off_facts(c, scope, rounds)?,
            contributions: contribution_facts(c, scope)?,
            scouting_leads: scouting_facts(c, scope)?,
            office_inputs: office_input_facts(c, scope)?,
        })
    }

    /// The records behind a figure's `record_ids`, in the order given; ids that match no
    /// record are left out.
    ///
    /// # Errors
    /// [`Error::Sql`] when the tables cannot be read.
    pub fn counted_records(&self, ids: &[String]) -> Result<Vec<CountedRecord>> {
        const DOING: &str = "reading the records behind a figure";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT 'disclosure' AS kind, reference || ' ' || title AS title,
                        received_on AS date, NULL AS amount FROM disclosures WHERE id = ?1
                 UNION ALL SELECT 'patentApplication',
                        title || ' (' || jurisdiction || ifnull(' ' || application_number, '') || ')',
                        filing_date, NULL
                   FROM patents WHERE id = ?1
                 UNION ALL SELECT 'agreement', title, signed_date, value_cents
                   FROM agreements WHERE id = ?1
                 UNION ALL SELECT 'income', description, received_date, amount_cents
                   FROM income WHERE id = ?1
                 UNION ALL SELECT 'spinOff', name, incorporation_date, NULL
                   FROM spin_offs WHERE id = ?1
                 UNION ALL SELECT 'fundingRound', s.name || ': ' || f.name, f.closed_date, f.amount_cents
                   FROM funding_rounds f JOIN spin_offs s ON s.id = f.spin_off_id WHERE f.id = ?1
                 UNION ALL SELECT 'contribution', o.name || ', ' || k.name || ' ' || c.year, NULL, c.cash_cents
                   FROM contributions c JOIN organisations o ON o.id = c.organisation_id
                   JOIN consortia k ON k.id = c.consortium_id WHERE c.id = ?1
                 UNION ALL SELECT 'scoutingLead', research_group || ': ' || topic, visit_date, NULL
                   FROM scouting_leads WHERE id = ?1
                 UNION ALL SELECT 'officeInputs', 'Office inputs ' || year, NULL, NULL
                   FROM office_inputs WHERE id = ?1",
            )
            .map_err(Error::sql(DOING))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let found: Option<(String, String, Option<String>, Option<i64>)> = stmt
                .query_row([id], |r| {
                    Ok((
                        r.get("kind")?,
                        r.get("title")?,
                        r.get("date")?,
                        r.get("amount")?,
                    ))
                })
                .optional()
                .map_err(Error::sql(DOING))?;
            if let Some((kind, title, date, amount)) = found {
                let kind = choice::<MonitorRecordKind>(&kind)
                    .ok_or_else(|| Error::Corrupt(format!("record kind '{kind}'")))?;
                out.push(CountedRecord {
                    kind,
                    id: id.clone(),
                    title,
                    date: date.as_deref().map(parse_date).transpose()?,
                    amount,
                });
            }
        }
        Ok(out)
    }

    /// The office inputs of `year`; `None` when nothing was recorded for it.
    ///
    /// # Errors
    /// [`Error::Sql`] when the table cannot be read.
    pub fn office_inputs(&self, year: i32) -> Result<Option<OfficeInputs>> {
        const DOING: &str = "reading the office inputs";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, year, research_expenditure_cents, research_fte_hundredths,
                        kto_fte_hundredths FROM office_inputs WHERE year = ?1",
            )
            .map_err(Error::sql(DOING))?;
        let mut rows = stmt.query([year]).map_err(Error::sql(DOING))?;
        match rows.next().map_err(Error::sql(DOING))? {
            Some(row) => Ok(Some(office_inputs_from_row(row)?)),
            None => Ok(None),
        }
    }

    /// Saves the office inputs of `inputs.year` (its `id` is ignored: a year keeps the id
    /// it got when first saved). A `None` value is "not available", never 0.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `year`, `researchExpenditure`, `researchFte` or `ktoFte`
    /// when out of range; [`Error::Sql`] when it cannot be written.
    pub fn save_office_inputs(
        &mut self,
        change: &Change,
        inputs: &OfficeInputs,
    ) -> Result<OfficeInputs> {
        let mut errors = ValidationErrors::default();
        if !MONITOR_YEARS.contains(&inputs.year) {
            errors.add(
                "year",
                Problem::OutOfRange {
                    min: i64::from(*MONITOR_YEARS.start()),
                    max: i64::from(*MONITOR_YEARS.end()),
                },
            );
        }
        if inputs.research_expenditure.is_some_and(Money::is_negative) {
            errors.add(
                "researchExpenditure",
                Problem::OutOfRange {
                    min: 0,
                    max: i64::MAX,
                },
            );
        }
        for (field, value) in [
            ("researchFte", inputs.research_fte),
            ("ktoFte", inputs.kto_fte),
        ] {
            if value.is_some_and(|v| v > MAX_FTE_HUNDREDTHS) {
                errors.add(
                    field,
                    Problem::OutOfRange {
                        min: 0,
                        max: i64::from(MAX_FTE_HUNDREDTHS),
                    },
                );
            }
        }
        errors.into_result(())?;
        const DOING: &str = "saving the office inputs";
        let at = ts(change.at);
        let tx = self.begin(DOING)?;
        tx.execute(
            "INSERT INTO office_inputs (year, id, research_expenditure_cents,
                    research_fte_hundredths, kto_fte_hundredths, created_at, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)
             ON CONFLICT (year) DO UPDATE SET
                research_expenditure_cents = excluded.research_expenditure_cents,
                research_fte_hundredths = excluded.research_fte_hundredths,
                kto_fte_hundredths = excluded.kto_fte_hundredths,
                updated_at = excluded.updated_at,
                updated_by = excluded.updated_by",
            params![
                inputs.year,
                new_id().to_string(),
                inputs.research_expenditure.map(Money::cents),
                inputs.research_fte,
                inputs.kto_fte,
                at,
                change.actor,
            ],
        )
        .map_err(Error::sql(DOING))?;
        tx.commit().map_err(Error::sql(DOING))?;
        self.office_inputs(inputs.year)?
            .ok_or_else(|| Error::Corrupt("the office inputs just saved are missing".into()))
    }

    /// Stores a signed submission, immutably, as the next version of its year, and
    /// registers its key when new. The commit is made with `synchronous = FULL`.
    ///
    /// # Errors
    /// [`Error::Conflict`] when `supersedes_id` is not the year's latest version (another
    /// submission was stored meanwhile) or the file was stored before; [`Error::Sql`].
    pub fn insert_submission(&mut self, new: &NewSubmission) -> Result<SubmissionRecord> {
        const DOING: &str = "storing the signed submission";
        let latest = self.latest_submission(new.year)?;
        let latest_id = latest.as_ref().map(|s| s.id.clone());
        if latest_id != new.supersedes_id {
            return Err(Error::Conflict(match latest {
                Some(s) => format!(
                    "version {} of {} was signed meanwhile; compute the figures again and sign a new version",
                    s.version, s.year
                ),
                None => format!(
                    "there is no earlier submission of {} to supersede",
                    new.year
                ),
            }));
        }
        let version = latest.map_or(1, |s| s.version + 1);
        let id = new_id().to_string();
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(Error::sql(DOING))?;
        let result = (|| {
            let tx = self.begin(DOING)?;
            insert_key(&tx, &new.key, new.signed_at)?;
            tx.execute(
                "INSERT INTO submissions (id, year, version, supersedes_id, institution_id,
                        definition_version, canonical_json, signature, sha256, key_id, signer,
                        signed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    id,
                    new.year,
                    version,
                    new.supersedes_id,
                    new.institution_id,
                    new.definition_version,
                    new.canonical_json,
                    new.signature,
                    new.sha256,
                    new.key.key_id,
                    new.signer,
                    ts(new.signed_at),
                ],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Error::Conflict(format!(
                        "this submission (SHA-256 {}) or version {version} of {} is already stored",
                        new.sha256, new.year
                    ))
                }
                other => Error::Sql {
                    doing: DOING,
                    source: other,
                },
            })?;
            tx.commit().map_err(Error::sql(DOING))
        })();
        let restored = self
            .conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(Error::sql(DOING));
        result?;
        restored?;
        self.submission(&id)
    }

    /// Every signed submission, newest year first, then newest version first.
    ///
    /// # Errors
    /// [`Error::Sql`], [`Error::Corrupt`].
    pub fn submissions(&self) -> Result<Vec<SubmissionRecord>> {
        rows(
            &self.conn,
            &format!("{SUBMISSION_SELECT} ORDER BY year DESC, version DESC"),
            "listing the signed submissions",
            submission_from_row,
        )
    }

    /// The submission with `id`.
    ///
    /// # Errors
    /// [`Error::NotFound`] when there is none.
    pub fn submission(&self, id: &str) -> Result<SubmissionRecord> {
        self.one_submission(&format!("{SUBMISSION_SELECT} WHERE id = ?1"), id)?
            .ok_or_else(|| Error::NotFound {
                what: "signed submission",
                id: id.to_owned(),
            })
    }

    /// The latest version signed for `year`, if any.
    ///
    /// # Errors
    /// [`Error::Sql`], [`Error::Corrupt`].
    pub fn latest_submission(&self, year: i32) -> Result<Option<SubmissionRecord>> {
        self.one_submission(
            &format!("{SUBMISSION_SELECT} WHERE year = ?1 ORDER BY version DESC LIMIT 1"),
            year,
        )
    }

    /// The latest version of the most recent year before `year` that has a submission:
    /// what a new year's figures are compared with.
    ///
    /// # Errors
    /// [`Error::Sql`], [`Error::Corrupt`].
    pub fn latest_submission_before(&self, year: i32) -> Result<Option<SubmissionRecord>> {
        self.one_submission(
            &format!(
                "{SUBMISSION_SELECT} WHERE year < ?1 ORDER BY year DESC, version DESC LIMIT 1"
            ),
            year,
        )
    }

    fn one_submission(
        &self,
        sql: &str,
        arg: impl rusqlite::ToSql,
    ) -> Result<Option<SubmissionRecord>> {
        const DOING: &str = "reading a signed submission";
        let mut stmt = self.conn.prepare_cached(sql).map_err(Error::sql(DOING))?;
        let mut rows = stmt.query([arg]).map_err(Error::sql(DOING))?;
        match rows.next().map_err(Error::sql(DOING))? {
            Some(row) => Ok(Some(submission_from_row(row)?)),
            None => Ok(None),
        }
    }

    /// Registers a public key (nothing happens when it is already known).
    ///
    /// # Errors
    /// [`Error::Conflict`] when the key id is known with another public key; [`Error::Sql`].
    pub fn register_signing_key(&mut self, key: &NewSigningKey, at: DateTime<Utc>) -> Result<()> {
        const DOING: &str = "registering the signing key";
        let tx = self.begin(DOING)?;
        insert_key(&tx, key, at)?;
        tx.commit().map_err(Error::sql(DOING))
    }

    /// Retires every key in use and registers `key` as the one in use, in one transaction.
    /// Retired keys stay in the registry with what they signed.
    ///
    /// # Errors
    /// [`Error::Conflict`] when `key` is already registered; [`Error::Sql`].
    pub fn replace_signing_key(&mut self, key: &NewSigningKey, at: DateTime<Utc>) -> Result<()> {
        const DOING: &str = "replacing the signing key";
        let tx = self.begin(DOING)?;
        let known: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM signing_keys WHERE key_id = ?1)",
                [&key.key_id],
                |r| r.get(0),
            )
            .map_err(Error::sql(DOING))?;
        if known {
            return Err(Error::Conflict(format!(
                "signing key {} is already registered",
                key.key_id
            )));
        }
        tx.execute(
            "UPDATE signing_keys SET retired_at = ?1 WHERE retired_at IS NULL",
            [ts(at)],
        )
        .map_err(Error::sql(DOING))?;
        insert_key(&tx, key, at)?;
        tx.commit().map_err(Error::sql(DOING))
    }

    /// Every registered key, the ones in use first, then newest first.
    ///
    /// # Errors
    /// [`Error::Sql`], [`Error::Corrupt`].
    pub fn signing_keys(&self) -> Result<Vec<SigningKeyRecord>> {
        rows(
            &self.conn,
            "SELECT key_id, public_key, fingerprint, created_at, retired_at FROM signing_keys
              ORDER BY retired_at IS NOT NULL, created_at DESC, key_id",
            "listing the signing keys",
            |r| {
                const D: &str = "listing the signing keys";
                Ok(SigningKeyRecord {
                    key_id: col(r, 0, D)?,
                    public_key: col(r, 1, D)?,
                    fingerprint: col(r, 2, D)?,
                    created_at: parse_ts(&col::<String>(r, 3, D)?)?,
                    retired_at: col::<Option<String>>(r, 4, D)?
                        .as_deref()
                        .map(parse_ts)
                        .transpose()?,
                })
            },
        )
    }
}

fn insert_key(conn: &Connection, key: &NewSigningKey, at: DateTime<Utc>) -> Result<()> {
    const DOING: &str = "registering the signing key";
    let known: Option<String> = conn
        .query_row(
            "SELECT public_key FROM signing_keys WHERE key_id = ?1",
            [&key.key_id],
            |r| r.get(0),
        )
        .optional()
        .map_err(Error::sql(DOING))?;
    match known {
        Some(text) if text.trim() == key.public_key.trim() => Ok(()),
        Some(_) => Err(Error::Conflict(format!(
            "another public key with key id {} is already registered",
            key.key_id
        ))),
        None => conn
            .execute(
                "INSERT INTO signing_keys (key_id, public_key, fingerprint, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![key.key_id, key.public_key, key.fingerprint, ts(at)],
            )
            .map(|_| ())
            .map_err(Error::sql(DOING)),
    }
}

const SUBMISSION_SELECT: &str = "SELECT id, year, version, supersedes_id, institution_id,
        definition_version, canonical_json, signature, sha256, key_id, signer, signed_at
   FROM submissions";

fn submission_from_row(r: &Row<'_>) -> Result<SubmissionRecord> {
    const D: &str = "reading a signed submission";
    Ok(SubmissionRecord {
        id: col(r, 0, D)?,
        year: col(r, 1, D)?,
        version: col(r, 2, D)?,
        supersedes_id: col(r, 3, D)?,
        institution_id: col(r, 4, D)?,
        definition_version: col(r, 5, D)?,
        canonical_json: col(r, 6, D)?,
        signature: col(r, 7, D)?,
        sha256: col(r, 8, D)?,
        key_id: col(r, 9, D)?,
        signer: col(r, 10, D)?,
        signed_at: parse_ts(&col::<String>(r, 11, D)?)?,
    })
}

fn office_inputs_from_row(r: &Row<'_>) -> Result<OfficeInputs> {
    const D: &str = "reading the office inputs";
    Ok(OfficeInputs {
        id: col(r, 0, D)?,
        year: col(r, 1, D)?,
        research_expenditure: col::<Option<i64>>(r, 2, D)?.map(Money::from_cents),
        research_fte: count_u32(col(r, 3, D)?, "research FTE")?,
        kto_fte: count_u32(col(r, 4, D)?, "KTO FTE")?,
    })
}
