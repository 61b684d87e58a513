//! The import steps for the kinds with their own modules: disclosures (with their
//! inventors in one cell, matched to people by name, missing people created) and deals
//! (the stage named by code or name within the pipeline, the organisation by name).
//!
//! The generic import (`import.rs`) reads, maps and previews their rows as it does for
//! every kind, through the field lists of [`kto_core::import::DISCLOSURE_IMPORT`] and
//! [`kto_core::import::DEAL_IMPORT`]; this module supplies what differs: the stored
//! records as import values, the rules a row must pass, and writing, changing and
//! deleting one record inside the import's transaction through the disclosure and deal
//! modules, so that each write carries its history and search entry.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::NaiveDate;
use kto_core::activity::{Change, RecordKind};
use kto_core::disclosure::{self, Decision, DisclosureInput, DisclosureStage, InventorInput};
use kto_core::ids::{DealId, DisclosureId, OrganisationId, PersonId};
use kto_core::import::{inventors_cell, names_stage, parse_inventors, IssueKind, INVENTORS_FIELD};
use kto_core::money::Money;
use kto_core::pipeline::{self, DealInput, Pipeline, Stage};
use kto_core::record::{Value, Values};
use kto_core::validation::ValidationErrors;
use rusqlite::Connection;

use crate::{deals, disclosures, Error, Result};

/// True for the kinds this module imports.
pub(crate) fn handles(kind: RecordKind) -> bool {
    matches!(kind, RecordKind::Disclosure | RecordKind::Deal)
}

fn text(values: &Values, key: &str) -> String {
    match values.get(key) {
        Some(Value::Text(t)) => t.clone(),
        Some(other) => other.display(),
        None => String::new(),
    }
}

fn date(values: &Values, key: &str) -> Option<NaiveDate> {
    match values.get(key) {
        Some(Value::Text(t)) => NaiveDate::parse_from_str(t, "%Y-%m-%d").ok(),
        _ => None,
    }
}

fn int(values: &Values, key: &str) -> Option<i64> {
    match values.get(key) {
        Some(Value::Int(i)) => Some(*i),
        _ => None,
    }
}

fn put(values: &mut Values, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        values.insert(key.to_string(), v);
    }
}

fn some_text(t: &str) -> Option<Value> {
    (!t.is_empty()).then(|| Value::Text(t.to_string()))
}

/// Every stored record of `kind` as import values, with its title, by id.
pub(crate) fn load_existing(
    conn: &Connection,
    kind: RecordKind,
) -> Result<HashMap<String, (Values, String)>> {
    match kind {
        RecordKind::Disclosure => existing_disclosures(conn),
        _ => existing_deals(conn),
    }
}

fn existing_disclosures(conn: &Connection) -> Result<HashMap<String, (Values, String)>> {
    let doing = "reading the existing disclosures";
    let mut inventors: HashMap<String, Vec<(String, u32)>> = HashMap::new();
    conn.prepare(
        "SELECT di.disclosure_id, p.name, di.share_bp FROM disclosure_inventors di
           JOIN people p ON p.id = di.person_id ORDER BY di.disclosure_id, di.position",
    )
    .and_then(|mut s| {
        let rows = s.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
            ))
        })?;
        for row in rows {
            let (id, name, share) = row?;
            inventors.entry(id).or_default().push((name, share));
        }
        Ok(())
    })
    .map_err(Error::sql(doing))?;
    let mut stmt = conn
        .prepare(
            "SELECT id, reference, title, received_on, faculty, trl, stage, decision, decided_on,
                    summary FROM disclosures",
        )
        .map_err(Error::sql(doing))?;
    let rows = stmt
        .query_map([], |r| {
            let mut v = Values::new();
            let texts = [
                (1, "reference"),
                (2, "title"),
                (3, "receivedOn"),
                (4, "faculty"),
                (6, "stage"),
                (7, "decision"),
                (8, "decidedOn"),
                (9, "summary"),
            ];
            for (i, key) in texts {
                if let Some(t) = r.get::<_, Option<String>>(i)? {
                    put(&mut v, key, some_text(&t));
                }
            }
            put(&mut v, "trl", r.get::<_, Option<i64>>(5)?.map(Value::Int));
            Ok((r.get::<_, String>(0)?, v))
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(Error::sql(doing))?;
    Ok(rows
        .into_iter()
        .map(|(id, mut v)| {
            if let Some(list) = inventors.get(&id) {
                put(&mut v, INVENTORS_FIELD, some_text(&inventors_cell(list)));
            }
            let title = text(&v, "title");
            (id, (v, title))
        })
        .collect())
}

fn existing_deals(conn: &Connection) -> Result<HashMap<String, (Values, String)>> {
    let doing = "reading the existing deals";
    let mut stmt = conn
        .prepare(
            "SELECT d.id, d.pipeline, d.title, s.code, s.name, d.organisation_id, d.value_cents,
                    d.owner, d.next_action, d.next_action_due, d.lost_reason
               FROM deals d JOIN stages s ON s.id = d.stage_id",
        )
        .map_err(Error::sql(doing))?;
    let rows = stmt
        .query_map([], |r| {
            let mut v = Values::new();
            put(&mut v, "pipeline", some_text(&r.get::<_, String>(1)?));
            put(&mut v, "title", some_text(&r.get::<_, String>(2)?));
            // The stage as the office names it, else its code; both are read back.
            let code: Option<String> = r.get(3)?;
            let name: String = r.get(4)?;
            let stage = if name.is_empty() {
                code.unwrap_or_default()
            } else {
                name
            };
            put(&mut v, "stage", some_text(&stage));
            let org: Option<String> = r.get(5)?;
            put(&mut v, "organisationId", org.as_deref().and_then(some_text));
            put(&mut v, "value", r.get::<_, Option<i64>>(6)?.map(Value::Int));
            for (i, key) in [
                (7, "owner"),
                (8, "nextAction"),
                (9, "dueDate"),
                (10, "lostReason"),
            ] {
                if let Some(t) = r.get::<_, Option<String>>(i)? {
                    put(&mut v, key, some_text(&t));
                }
            }
            Ok((r.get::<_, String>(0)?, v))
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(Error::sql(doing))?;
    Ok(rows
        .into_iter()
        .map(|(id, v)| {
            let title = text(&v, "title");
            (id, (v, title))
        })
        .collect())
}

/// The people named exactly `name` (without case and surrounding spaces), at most two.
fn people_named(conn: &Connection, name: &str) -> Result<Vec<String>> {
    // Both sides lowered by SQLite (ASCII letters only), so that a name such as
    // "Hidde Ëvers" finds itself.
    conn.prepare_cached("SELECT id FROM people WHERE lower(trim(name)) = lower(?1) LIMIT 2")
        .and_then(|mut s| {
            s.query_map([name.trim()], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .map_err(Error::sql("looking up inventors"))
}

/// A problem of one field of a row.
pub(crate) type FieldIssue = (String, IssueKind);

/// The disclosure form of a row, or what is wrong with its inventors. Inventors named
/// like one existing person are that person; others become new people when written.
fn disclosure_input(
    conn: &Connection,
    values: &Values,
) -> Result<std::result::Result<DisclosureInput, FieldIssue>> {
    let cell = text(values, INVENTORS_FIELD);
    let mut inventors = Vec::new();
    if !cell.trim().is_empty() {
        let Some(lines) = parse_inventors(&cell) else {
            return Ok(Err((
                INVENTORS_FIELD.into(),
                IssueKind::NotInventors { value: cell },
            )));
        };
        for line in lines {
            let person_id = match people_named(conn, &line.name)?.as_slice() {
                [] => None,
                [one] => PersonId::from_str(one).ok(),
                _ => {
                    return Ok(Err((
                        INVENTORS_FIELD.into(),
                        IssueKind::SeveralRecords { value: line.name },
                    )))
                }
            };
            inventors.push(InventorInput {
                person_id,
                name: line.name,
                organisation_id: None,
                share_bp: line.share_bp,
            });
        }
    }
    let stage = match text(values, "stage").as_str() {
        "in_assessment" => DisclosureStage::InAssessment,
        "decided" => DisclosureStage::Decided,
        // Without a stage, a row with a decision is decided and any other just received.
        "" if values.contains_key("decision") => DisclosureStage::Decided,
        _ => DisclosureStage::Received,
    };
    Ok(Ok(DisclosureInput {
        reference: text(values, "reference"),
        title: text(values, "title"),
        received_on: date(values, "receivedOn"),
        faculty: text(values, "faculty"),
        trl: int(values, "trl"),
        stage,
        decision: values
            .get("decision")
            .and_then(|d| Decision::from_code(&d.display()).ok()),
        decided_on: date(values, "decidedOn"),
        summary: text(values, "summary"),
        inventors,
    }))
}

/// The stage of `pipeline` that `name` names.
fn find_stage(stages: &[Stage], name: &str) -> Option<Stage> {
    stages
        .iter()
        .find(|s| s.id == name.trim() || names_stage(name, s.code.as_deref(), &s.name))
        .cloned()
}

/// The deal form of a row, or what is wrong with its stage. A changed deal keeps its
/// lost reason and notes, which a spreadsheet does not carry.
fn deal_input(
    conn: &Connection,
    values: &Values,
    existing: Option<&str>,
) -> Result<std::result::Result<(DealInput, Stage), FieldIssue>> {
    let Ok(pipeline) = Pipeline::from_code(&text(values, "pipeline")) else {
        return Ok(Err(("pipeline".into(), IssueKind::RequiredColumn)));
    };
    let stages = deals::stages_of(conn, pipeline)?;
    let wanted = text(values, "stage");
    let Some(stage) = find_stage(&stages, &wanted) else {
        return Ok(Err(("stage".into(), IssueKind::NotStage { value: wanted })));
    };
    let kept = match existing.map(DealId::from_str) {
        Some(Ok(id)) => Some(deals::get(conn, id)?),
        _ => None,
    };
    Ok(Ok((
        DealInput {
            pipeline,
            title: text(values, "title"),
            stage_id: stage.id.clone(),
            organisation_id: values
                .get("organisationId")
                .and_then(|o| OrganisationId::from_str(&o.display()).ok()),
            value: int(values, "value").map(Money::from_cents),
            owner: text(values, "owner"),
            next_action: text(values, "nextAction"),
            next_action_due: date(values, "dueDate"),
            // A merged deal keeps its reason unless the row gives one.
            lost_reason: Some(text(values, "lostReason"))
                .filter(|r| !r.trim().is_empty())
                .or_else(|| kept.as_ref().and_then(|d| d.lost_reason.clone()))
                .unwrap_or_default(),
            notes: kept.map(|d| d.notes).unwrap_or_default(),
        },
        stage,
    )))
}

/// Problems of a validation, each at its field; an inventor's problem is the inventors
/// column's, and a deal's stage id is its stage.
fn field_issues(errors: ValidationErrors) -> Vec<FieldIssue> {
    errors
        .0
        .into_iter()
        .map(|fe| {
            let field = if fe.field.starts_with("inventors") || fe.field == "shares" {
                INVENTORS_FIELD.to_string()
            } else if fe.field == "stageId" || fe.field == "lostReason" {
                "stage".to_string()
            } else {
                fe.field
            };
            (
                field,
                IssueKind::Invalid {
                    problem: fe.problem,
                },
            )
        })
        .collect()
}

/// What is wrong with the record a row would store (`values` merged into the existing
/// record `existing`, if any); empty when it can be written.
pub(crate) fn check(
    conn: &Connection,
    kind: RecordKind,
    values: &Values,
    existing: Option<&str>,
    today: NaiveDate,
) -> Result<Vec<FieldIssue>> {
    Ok(match kind {
        RecordKind::Disclosure => match disclosure_input(conn, values)? {
            Err(issue) => vec![issue],
            Ok(input) => match disclosure::validate(&input, today) {
                Ok(_) => Vec::new(),
                Err(errors) => field_issues(errors),
            },
        },
        _ => match deal_input(conn, values, existing)? {
            Err(issue) => vec![issue],
            Ok((input, stage)) => match pipeline::validate_deal(&input, &stage) {
                Ok(_) => Vec::new(),
                Err(errors) => field_issues(errors),
            },
        },
    })
}

/// A row's problems found only when writing, as an error naming the field.
fn refused(errors: Vec<FieldIssue>) -> Error {
    let mut v = ValidationErrors::default();
    for (field, issue) in errors {
        match issue {
            IssueKind::Invalid { problem } => v.add(field, problem),
            _ => v.add(field, kto_core::validation::Problem::Required),
        }
    }
    Error::Invalid(v)
}

/// Creates the record of a row inside the import's transaction, under the row's `id`
/// when it gives one (a UUID, as every export writes it); returns its id.
pub(crate) fn create(
    tx: &Connection,
    change: &Change,
    kind: RecordKind,
    values: &Values,
    id: Option<&str>,
    today: NaiveDate,
) -> Result<String> {
    let given = match id.map(str::trim).filter(|i| !i.is_empty()) {
        Some(i) => Some(uuid::Uuid::parse_str(i).map_err(|_| {
            Error::Conflict(format!(
                "'{i}' is not a record id (a UUID such as an export writes); leave the id empty for a new record"
            ))
        })?),
        None => None,
    };
    match kind {
        RecordKind::Disclosure => {
            // Resolved again here, so that a person created for an earlier row is found.
            let input = disclosure_input(tx, values)?.map_err(|e| refused(vec![e]))?;
            let valid = disclosure::validate(&input, today)?;
            let id = given.map_or_else(DisclosureId::new, DisclosureId);
            Ok(disclosures::insert_as(tx, change, &valid, id)?.to_string())
        }
        _ => {
            let (input, stage) = deal_input(tx, values, None)?.map_err(|e| refused(vec![e]))?;
            let valid = pipeline::validate_deal(&input, &stage)?;
            let id = given.map_or_else(DealId::new, DealId);
            Ok(deals::insert_as(tx, change, &valid, id)?.to_string())
        }
    }
}

/// Gives the record `id` the values of a row (already merged with its own).
pub(crate) fn update(
    tx: &Connection,
    change: &Change,
    kind: RecordKind,
    id: &str,
    values: &Values,
    today: NaiveDate,
) -> Result<()> {
    let bad_id = || Error::NotFound {
        what: "record",
        id: id.to_string(),
    };
    match kind {
        RecordKind::Disclosure => {
            let input = disclosure_input(tx, values)?.map_err(|e| refused(vec![e]))?;
            let valid = disclosure::validate(&input, today)?;
            let id = DisclosureId::from_str(id).map_err(|_| bad_id())?;
            disclosures::update(tx, change, id, &valid)
        }
        _ => {
            let (input, stage) = deal_input(tx, values, Some(id))?.map_err(|e| refused(vec![e]))?;
            let valid = pipeline::validate_deal(&input, &stage)?;
            let id = DealId::from_str(id).map_err(|_| bad_id())?;
            deals::update(tx, change, id, &valid)
        }
    }
}

/// Deletes a record an import created, with its history entry (an undo). Disclosure
/// inventor lines go with it; the people created for them stay in the address book.
pub(crate) fn delete(tx: &Connection, change: &Change, kind: RecordKind, id: &str) -> Result<()> {
    let title = title(tx, kind, id)?;
    let still_linked = "is linked from other records; remove those links first";
    crate::records::delete_row(tx, change, (kind, table(kind), id), &title, still_linked)
}

/// The table of disclosures or deals.
fn table(kind: RecordKind) -> &'static str {
    if kind == RecordKind::Disclosure {
        "disclosures"
    } else {
        "deals"
    }
}

/// The title of a disclosure or deal.
pub(crate) fn title(conn: &Connection, kind: RecordKind, id: &str) -> Result<String> {
    let table = table(kind);
    conn.prepare_cached(&format!("SELECT title FROM {table} WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], |r| r.get(0)))
        .map_err(Error::sql("reading a record's title"))
}
