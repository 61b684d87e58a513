//! Deal pipelines: stages as rows, deals on boards and in tables, moves between stages
//! with history.

use chrono::NaiveDate;
use kto_core::activity::{Action, Change, RecordKind};
use kto_core::ids::DealId;
use kto_core::money::Money;
use kto_core::page::Page;
use kto_core::pipeline::{
    self, Board, Card, Column, Deal, DealInput, DealRow, DealSort, NextAction, Outcome, Pipeline,
    Stage, StageTotal, ValidDeal, Week, DEAL_FILTER_OWNER, DEAL_FILTER_STAGE,
};
use kto_core::record::RecordQuery;
use kto_core::validation::{Problem, ValidationErrors};
use rusqlite::types::Value as SqlValue;
use rusqlite::{named_params, params, params_from_iter, Connection, OptionalExtension, Row};

use crate::history::{self, Entry};
use crate::{
    col, col_parsed, one_row, parse_date, parse_id, parse_ts, search, ts, Error, Result, Store,
    MAX_RECORD_PAGE,
};

/// Cards a board column shows; the count and total cover all deals in the stage.
pub const CARDS_PER_COLUMN: u32 = 100;

/// A stage row (`id, pipeline, code, name, position, outcome`), read by column name.
fn stage_from_row(
    r: &Row<'_>,
) -> rusqlite::Result<(String, String, Option<String>, String, u32, String)> {
    Ok((
        r.get("id")?,
        r.get("pipeline")?,
        r.get("code")?,
        r.get("name")?,
        r.get("position")?,
        r.get("outcome")?,
    ))
}

fn stage(raw: (String, String, Option<String>, String, u32, String)) -> Result<Stage> {
    let (id, pipeline, code, name, position, outcome) = raw;
    Ok(Stage {
        id,
        pipeline: Pipeline::from_code(&pipeline)?,
        code,
        name,
        position,
        outcome: Outcome::from_code(&outcome)?,
    })
}

pub(crate) fn stages_of(conn: &Connection, p: Pipeline) -> Result<Vec<Stage>> {
    let raws = conn
        .prepare_cached(
            "SELECT id, pipeline, code, name, position, outcome FROM stages
              WHERE pipeline = ?1 ORDER BY position, id",
        )
        .and_then(|mut s| {
            s.query_map([p.code()], stage_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(Error::sql("reading stages"))?;
    raws.into_iter().map(stage).collect()
}

pub(crate) fn stage_by_id(conn: &Connection, id: &str) -> Result<Stage> {
    let raw = conn
        .prepare_cached(
            "SELECT id, pipeline, code, name, position, outcome FROM stages WHERE id = ?1",
        )
        .and_then(|mut s| s.query_row([id], stage_from_row).optional())
        .map_err(Error::sql("reading a stage"))?;
    match raw {
        Some(r) => stage(r),
        None => Err(ValidationErrors::one("stageId", Problem::Required).into()),
    }
}

/// How a stage reads in the history: the office's name, else its default code.
fn stage_label(s: &Stage) -> String {
    if s.name.is_empty() {
        s.code.clone().unwrap_or_else(|| s.id.clone())
    } else {
        s.name.clone()
    }
}

pub(crate) fn get(conn: &Connection, id: DealId) -> Result<Deal> {
    let sid = id.to_string();
    let sql = "SELECT d.pipeline, d.title, d.stage_id, d.organisation_id,
                      o.name AS organisation_name, d.value_cents, d.owner, d.next_action,
                      d.next_action_due, d.lost_reason, d.notes, d.created_at, d.updated_at
                 FROM deals d LEFT JOIN organisations o ON o.id = d.organisation_id
                WHERE d.id = ?1";
    let deal = one_row(conn, sql, [&sid], "reading a deal", |r| {
        Ok(Deal {
            id,
            pipeline: Pipeline::from_code(&col::<String>(r, "pipeline")?)?,
            title: col(r, "title")?,
            stage_id: col(r, "stage_id")?,
            organisation_id: col_parsed(r, "organisation_id", parse_id)?,
            organisation_name: col(r, "organisation_name")?,
            value: col::<Option<i64>>(r, "value_cents")?.map(Money::from_cents),
            owner: col(r, "owner")?,
            next_action: col(r, "next_action")?,
            next_action_due: col_parsed(r, "next_action_due", parse_date)?,
            lost_reason: col(r, "lost_reason")?,
            notes: col(r, "notes")?,
            created_at: parse_ts(&col::<String>(r, "created_at")?)?,
            updated_at: parse_ts(&col::<String>(r, "updated_at")?)?,
        })
    })?;
    deal.ok_or(Error::NotFound {
        what: "deal",
        id: sid,
    })
}

/// The rank that puts a card first in its column.
fn top_rank(conn: &Connection, stage_id: &str) -> Result<i64> {
    let min: Option<i64> = conn
        .prepare_cached("SELECT min(rank) FROM deals WHERE stage_id = ?1")
        .and_then(|mut s| s.query_row([stage_id], |r| r.get(0)))
        .map_err(Error::sql("ordering the board"))?;
    Ok(min.map_or(0, |m| m - 1))
}

fn index_deal(conn: &Connection, id: &str, d: &ValidDeal) -> Result<()> {
    let body = format!(
        "{} {} {} {}",
        d.owner,
        d.next_action,
        d.lost_reason.as_deref().unwrap_or(""),
        d.notes
    );
    search::index(conn, RecordKind::Deal.code(), id, &d.title, &body)
}

/// Runs `sql` (an insert or an update of one deal) with the deal's columns as named
/// parameters (`:id`, `:title`, …, `:rank` (`NULL` keeps it), `:at`).
fn write_row(
    conn: &Connection,
    sql: &str,
    (sid, rank): (&str, Option<i64>),
    d: &ValidDeal,
    change: &Change,
) -> Result<()> {
    conn.prepare_cached(sql)
        .and_then(|mut s| {
            s.execute(named_params! {
                ":id": sid,
                ":pipeline": d.pipeline.code(),
                ":title": d.title,
                ":stage_id": d.stage_id,
                ":organisation_id": d.organisation_id.map(|o| o.to_string()),
                ":value_cents": d.value.map(Money::cents),
                ":owner": d.owner,
                ":next_action": d.next_action,
                ":next_action_due": d.next_action_due.map(|x| x.to_string()),
                ":lost_reason": d.lost_reason,
                ":notes": d.notes,
                ":rank": rank,
                ":at": ts(change.at),
            })
        })
        .map_err(Error::sql("saving the deal"))?;
    Ok(())
}

pub(crate) fn insert(conn: &Connection, change: &Change, d: &ValidDeal) -> Result<DealId> {
    insert_as(conn, change, d, DealId::new())
}

/// [`insert`] under the id `id` (an import's own).
pub(crate) fn insert_as(
    conn: &Connection,
    change: &Change,
    d: &ValidDeal,
    id: DealId,
) -> Result<DealId> {
    let sid = id.to_string();
    let rank = top_rank(conn, &d.stage_id)?;
    write_row(
        conn,
        "INSERT INTO deals (id, pipeline, title, stage_id, organisation_id, value_cents, owner,
                            next_action, next_action_due, lost_reason, notes, rank, created_at,
                            updated_at)
         VALUES (:id, :pipeline, :title, :stage_id, :organisation_id, :value_cents, :owner,
                 :next_action, :next_action_due, :lost_reason, :notes, :rank, :at, :at)",
        (&sid, Some(rank)),
        d,
        change,
    )?;
    history::append(
        conn,
        change,
        Entry {
            kind: RecordKind::Deal,
            record_id: &sid,
            action: Action::Created,
            field: None,
            old: None,
            new: Some(&d.title),
        },
    )?;
    index_deal(conn, &sid, d)?;
    Ok(id)
}

pub(crate) fn update(conn: &Connection, change: &Change, id: DealId, d: &ValidDeal) -> Result<()> {
    let old = get(conn, id)?;
    if old.pipeline != d.pipeline {
        return Err(ValidationErrors::one("stageId", Problem::Required).into());
    }
    let changes = pipeline::deal_changes(&old, d);
    if changes.is_empty() {
        return Ok(());
    }
    let sid = id.to_string();
    let moved = old.stage_id != d.stage_id;
    let rank: Option<i64> = if moved {
        Some(top_rank(conn, &d.stage_id)?)
    } else {
        None
    };
    write_row(
        conn,
        "UPDATE deals SET pipeline = :pipeline, title = :title, stage_id = :stage_id,
                organisation_id = :organisation_id, value_cents = :value_cents, owner = :owner,
                next_action = :next_action, next_action_due = :next_action_due,
                lost_reason = :lost_reason, notes = :notes, rank = coalesce(:rank, rank),
                updated_at = :at
          WHERE id = :id",
        (&sid, rank),
        d,
        change,
    )?;
    for c in &changes {
        let (action, old_v, new_v) = if c.field == "stage" {
            (
                Action::StageChanged,
                Some(stage_label(&stage_by_id(conn, &old.stage_id)?)),
                Some(stage_label(&stage_by_id(conn, &d.stage_id)?)),
            )
        } else if c.field == "organisation" {
            (
                Action::Updated,
                organisation_name(conn, c.old.as_deref())?,
                organisation_name(conn, c.new.as_deref())?,
            )
        } else {
            (Action::Updated, c.old.clone(), c.new.clone())
        };
        history::append(
            conn,
            change,
            Entry {
                kind: RecordKind::Deal,
                record_id: &sid,
                action,
                field: Some(c.field),
                old: old_v.as_deref(),
                new: new_v.as_deref(),
            },
        )?;
    }
    index_deal(conn, &sid, d)
}

/// The name of an organisation for the history (its id when it no longer exists).
fn organisation_name(conn: &Connection, id: Option<&str>) -> Result<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    let name: Option<String> = conn
        .prepare_cached("SELECT name FROM organisations WHERE id = ?1")
        .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
        .map_err(Error::sql("reading an organisation"))?;
    Ok(Some(name.unwrap_or_else(|| id.to_string())))
}

fn as_input(d: &Deal) -> DealInput {
    DealInput {
        pipeline: d.pipeline,
        title: d.title.clone(),
        stage_id: d.stage_id.clone(),
        organisation_id: d.organisation_id,
        value: d.value,
        owner: d.owner.clone(),
        next_action: d.next_action.clone(),
        next_action_due: d.next_action_due,
        lost_reason: d.lost_reason.clone().unwrap_or_default(),
        notes: d.notes.clone(),
    }
}

/// Deals in an open stage, `d` joined to their stage `s`.
const OPEN_DEALS: &str = "deals d JOIN stages s ON s.id = d.stage_id AND s.outcome = 'open'";

impl Store {
    /// The start page as of `today`: open deals' next actions that are overdue or due by
    /// `until`, and every stage's deal count and value.
    pub fn week(&self, today: NaiveDate, until: NaiveDate) -> Result<Week> {
        // Each list reads only the rows it shows; its full length is a count by index.
        let (overdue, overdue_count) = self.next_actions("d.next_action_due < ?1", [today])?;
        let (upcoming, upcoming_count) = self.next_actions(
            "d.next_action_due >= ?1 AND d.next_action_due <= ?2",
            [today, until],
        )?;
        let mut deadlines = crate::deadlines::between(
            &self.conn,
            today,
            today + chrono::Days::new(crate::deadlines::AHEAD_DAYS),
        )?;
        let deadline_count = deadlines.len() as u64;
        deadlines.truncate(pipeline::WEEK_LIST_LIMIT);
        let totals = self
            .conn
            .prepare_cached(
                "SELECT s.id, s.pipeline, s.code, s.name, s.position, s.outcome,
                        count(d.id) AS deals, coalesce(sum(d.value_cents), 0) AS value_cents
                   FROM stages s LEFT JOIN deals d ON d.stage_id = s.id
                  GROUP BY s.id ORDER BY s.pipeline, s.position, s.id",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok((
                        stage_from_row(r)?,
                        r.get::<_, i64>("deals")?,
                        r.get::<_, i64>("value_cents")?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::sql("reading the pipeline totals"))?;
        let mut stages = Vec::with_capacity(totals.len());
        for (st, count, total) in totals {
            stages.push(StageTotal {
                stage: stage(st)?,
                count: count.max(0) as u64,
                total: Money::from_cents(total),
            });
        }
        Ok(Week {
            today,
            overdue,
            overdue_count,
            upcoming,
            upcoming_count,
            until,
            stages,
            deadline_count,
            deadlines,
        })
    }

    /// Open deals' next actions due in the window `condition` describes (over
    /// `d.next_action_due`, with `dates` as its parameters), soonest first: the first
    /// [`pipeline::WEEK_LIST_LIMIT`] of them and how many there are.
    fn next_actions<const N: usize>(
        &self,
        condition: &str,
        dates: [NaiveDate; N],
    ) -> Result<(Vec<NextAction>, u64)> {
        let dates = dates.map(|d| d.to_string());
        let count: i64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM {OPEN_DEALS} WHERE {condition}"
            ))
            .and_then(|mut s| s.query_row(rusqlite::params_from_iter(&dates), |r| r.get(0)))
            .map_err(Error::sql("counting next actions"))?;
        let actions = self.next_action_rows(condition, &dates, Some(pipeline::WEEK_LIST_LIMIT))?;
        Ok((actions, count.max(0) as u64))
    }

    /// Open deals' next actions that meet `condition` (over the deal `d`, with `params`
    /// as its parameters), soonest first; at most `limit` of them. My week and the
    /// calendar export read them here.
    pub(crate) fn next_action_rows(
        &self,
        condition: &str,
        params: &[String],
        limit: Option<usize>,
    ) -> Result<Vec<NextAction>> {
        // SQLite reads a negative LIMIT as none.
        let limit = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let raws = self
            .conn
            .prepare_cached(&format!(
                "SELECT d.id, d.title, o.name, d.owner, d.next_action, d.next_action_due,
                        s.id, s.pipeline, s.code, s.name, s.position, s.outcome
                   FROM {OPEN_DEALS} LEFT JOIN organisations o ON o.id = d.organisation_id
                  WHERE d.next_action_due IS NOT NULL AND ({condition})
                  ORDER BY d.next_action_due, d.id LIMIT {limit}"
            ))
            .and_then(|mut s| {
                s.query_map(rusqlite::params_from_iter(params), |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        (
                            r.get(6)?,
                            r.get(7)?,
                            r.get(8)?,
                            r.get(9)?,
                            r.get(10)?,
                            r.get(11)?,
                        ),
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::sql("reading next actions"))?;
        let mut actions = Vec::with_capacity(raws.len());
        for (id, title, org, owner, action, due, st) in raws {
            let stage = stage(st)?;
            actions.push(NextAction {
                deal_id: parse_id(&id)?,
                pipeline: stage.pipeline,
                title,
                stage,
                organisation_name: org,
                owner,
                action,
                due: parse_date(&due)?,
            });
        }
        Ok(actions)
    }

    /// The stages of a pipeline in board order.
    pub fn stages(&self, p: Pipeline) -> Result<Vec<Stage>> {
        stages_of(&self.conn, p)
    }

    /// One stage by id.
    pub fn stage(&self, id: &str) -> Result<Stage> {
        stage_by_id(&self.conn, id)
    }

    /// Stores a new deal, validated against its stage.
    pub fn create_deal(&mut self, change: &Change, input: &DealInput) -> Result<Deal> {
        let tx = self.begin("saving the deal")?;
        let stage = stage_by_id(&tx, &input.stage_id)?;
        let valid = pipeline::validate_deal(input, &stage)?;
        let id = insert(&tx, change, &valid)?;
        tx.commit().map_err(Error::sql("saving the deal"))?;
        get(&self.conn, id)
    }

    /// Saves an edit of a deal; each changed field goes into its history.
    pub fn update_deal(&mut self, change: &Change, id: DealId, input: &DealInput) -> Result<Deal> {
        let tx = self.begin("saving the deal")?;
        let stage = stage_by_id(&tx, &input.stage_id)?;
        let valid = pipeline::validate_deal(input, &stage)?;
        update(&tx, change, id, &valid)?;
        tx.commit().map_err(Error::sql("saving the deal"))?;
        get(&self.conn, id)
    }

    /// Moves a deal to another stage of its pipeline, to the top of that column. Moving
    /// to a lost stage needs `lost_reason`.
    pub fn move_deal(
        &mut self,
        change: &Change,
        id: DealId,
        stage_id: &str,
        lost_reason: &str,
    ) -> Result<Deal> {
        let mut input = as_input(&get(&self.conn, id)?);
        input.stage_id = stage_id.to_string();
        if !lost_reason.trim().is_empty() {
            input.lost_reason = lost_reason.to_string();
        }
        self.update_deal(change, id, &input)
    }

    /// One deal.
    pub fn deal(&self, id: DealId) -> Result<Deal> {
        get(&self.conn, id)
    }

    /// A pipeline's board: every stage with its deal count and total value, and the first
    /// cards of each column in board order.
    pub fn board(&self, p: Pipeline) -> Result<Board> {
        let stages = stages_of(&self.conn, p)?;
        let mut totals = self
            .conn
            .prepare_cached(
                "SELECT count(*), coalesce(sum(value_cents), 0) FROM deals WHERE stage_id = ?1",
            )
            .map_err(Error::sql("reading the board"))?;
        let mut cards = self
            .conn
            .prepare_cached(
                "SELECT d.id, d.title, o.name, d.value_cents, d.next_action, d.next_action_due
                   FROM deals d LEFT JOIN organisations o ON o.id = d.organisation_id
                  WHERE d.stage_id = ?1 ORDER BY d.rank, d.id LIMIT ?2",
            )
            .map_err(Error::sql("reading the board"))?;
        let mut columns = Vec::with_capacity(stages.len());
        for stage in stages {
            let (count, total): (i64, i64) = totals
                .query_row([&stage.id], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(Error::sql("reading the board"))?;
            let raws = cards
                .query_map(params![stage.id, CARDS_PER_COLUMN], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<String>>(5)?,
                    ))
                })
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(Error::sql("reading the board"))?;
            let cards = raws
                .into_iter()
                .map(|(id, title, org, value, next, due)| {
                    Ok(Card {
                        id: parse_id(&id)?,
                        title,
                        organisation_name: org,
                        value: value.map(Money::from_cents),
                        next_action: next,
                        next_action_due: due.as_deref().map(parse_date).transpose()?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            columns.push(Column {
                stage,
                count: count.max(0) as u64,
                total: Money::from_cents(total),
                cards,
            });
        }
        Ok(Board {
            pipeline: p,
            columns,
        })
    }

    /// One page of a pipeline's deal table, sorted by any column (ties broken by id),
    /// filtered by stage (`stageId`) and responsible (`owner`), and by a full-text search.
    /// Other filter keys are ignored. Pages are `limit` rows from `offset`, as in the
    /// generic tables, so a scrolled table can fetch any page; the total comes with the
    /// first page.
    pub fn list_deals(&self, p: Pipeline, q: &RecordQuery) -> Result<Page<DealRow>> {
        let mut conds = vec!["d.pipeline = ?1".to_string()];
        let mut args: Vec<SqlValue> = vec![SqlValue::Text(p.code().into())];
        for key in [DEAL_FILTER_STAGE, DEAL_FILTER_OWNER] {
            let Some(value) = q.filters.get(key) else {
                continue;
            };
            let column = if key == DEAL_FILTER_STAGE {
                "d.stage_id"
            } else {
                "d.owner"
            };
            args.push(SqlValue::Text(value.display()));
            conds.push(format!("{column} = ?{}", args.len()));
        }
        if let Some(text) = q.search.as_deref().filter(|t| !t.trim().is_empty()) {
            let Some(fts) = kto_core::search::fts_query(text) else {
                return Ok(Page {
                    rows: vec![],
                    next: None,
                    total: Some(0),
                });
            };
            args.push(SqlValue::Text(fts));
            conds.push(search::matches_clause_at(
                "d.id",
                RecordKind::Deal.code(),
                args.len(),
            ));
        }
        let filter = conds.join(" AND ");
        // Empty texts and missing values sort last in either direction.
        let (key, empty_last) = match DealSort::from_key(q.sort.as_deref()) {
            DealSort::Title => ("d.title COLLATE NOCASE", None),
            DealSort::Stage => ("s.position", None),
            DealSort::Organisation => ("o.name COLLATE NOCASE", Some("o.name IS NULL")),
            DealSort::Value => ("d.value_cents", Some("d.value_cents IS NULL")),
            DealSort::Owner => ("d.owner COLLATE NOCASE", Some("d.owner = ''")),
            DealSort::NextAction => ("d.next_action COLLATE NOCASE", Some("d.next_action = ''")),
            DealSort::NextActionDue => ("d.next_action_due", Some("d.next_action_due IS NULL")),
        };
        let dir = if q.descending { "DESC" } else { "ASC" };
        let order = match empty_last {
            Some(e) => format!("{e}, {key} {dir}, d.id {dir}"),
            None => format!("{key} {dir}, d.id {dir}"),
        };
        let limit = q.limit.clamp(1, MAX_RECORD_PAGE);
        let sql = format!(
            "SELECT d.id, d.title, o.name, d.value_cents, d.owner, d.next_action, d.next_action_due,
                    s.id, s.pipeline, s.code, s.name, s.position, s.outcome
               FROM deals d
               JOIN stages s ON s.id = d.stage_id
               LEFT JOIN organisations o ON o.id = d.organisation_id
              WHERE {filter}
              ORDER BY {order}
              LIMIT {} OFFSET {}",
            limit + 1,
            q.offset
        );
        let mut raws = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut st| {
                st.query_map(params_from_iter(args.iter()), |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        (
                            r.get(7)?,
                            r.get(8)?,
                            r.get(9)?,
                            r.get(10)?,
                            r.get(11)?,
                            r.get(12)?,
                        ),
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::sql("listing deals"))?;
        let more = raws.len() > limit as usize;
        raws.truncate(limit as usize);
        let total = if q.offset == 0 {
            let n: i64 = self
                .conn
                .prepare_cached(&format!("SELECT count(*) FROM deals d WHERE {filter}"))
                .and_then(|mut st| st.query_row(params_from_iter(args.iter()), |r| r.get(0)))
                .map_err(Error::sql("counting deals"))?;
            Some(u64::try_from(n).unwrap_or_default())
        } else {
            None
        };
        let rows = raws
            .into_iter()
            .map(|(id, title, org, value, owner, next, due, st)| {
                Ok(DealRow {
                    id: parse_id(&id)?,
                    title,
                    stage: stage(st)?,
                    organisation_name: org,
                    value: value.map(Money::from_cents),
                    owner,
                    next_action: next,
                    next_action_due: due.as_deref().map(parse_date).transpose()?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            rows,
            next: more.then(|| (q.offset + limit).to_string()),
            total,
        })
    }

    /// The responsible business developers named on a pipeline's deals, by name.
    pub fn deal_owners(&self, p: Pipeline) -> Result<Vec<String>> {
        self.conn
            .prepare_cached(
                "SELECT DISTINCT owner FROM deals WHERE pipeline = ?1 AND owner <> ''
                  ORDER BY owner COLLATE NOCASE",
            )
            .and_then(|mut st| {
                st.query_map([p.code()], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .map_err(Error::sql("listing owners"))
    }

    /// Renames a stage; history keeps referring to it by id.
    pub fn rename_stage(&mut self, id: &str, name: &str) -> Result<Stage> {
        let name = name.trim();
        if name.chars().count() > 60 {
            return Err(ValidationErrors::one("name", Problem::TooLong { max: 60 }).into());
        }
        stage_by_id(&self.conn, id)?;
        self.conn
            .execute(
                "UPDATE stages SET name = ?2 WHERE id = ?1",
                params![id, name],
            )
            .map_err(Error::sql("renaming a stage"))?;
        stage_by_id(&self.conn, id)
    }

    /// Adds a stage at the end of a pipeline.
    pub fn add_stage(&mut self, p: Pipeline, name: &str, outcome: Outcome) -> Result<Stage> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ValidationErrors::one("name", Problem::Required).into());
        }
        let id = format!("{}:{}", p.code(), uuid::Uuid::now_v7());
        let tx = self.begin("adding a stage")?;
        tx.execute(
            "INSERT INTO stages (id, pipeline, code, name, position, outcome)
             VALUES (?1, ?2, NULL, ?3, (SELECT coalesce(max(position), -1) + 1 FROM stages WHERE pipeline = ?2), ?4)",
            params![id, p.code(), name, outcome.code()],
        )
        .map_err(Error::sql("adding a stage"))?;
        tx.commit().map_err(Error::sql("adding a stage"))?;
        stage_by_id(&self.conn, &id)
    }

    /// Puts a pipeline's stages in the given order; every stage must be named once.
    pub fn reorder_stages(&mut self, p: Pipeline, ids: &[String]) -> Result<Vec<Stage>> {
        let current = stages_of(&self.conn, p)?;
        let mut wanted: Vec<&String> = ids.iter().collect();
        wanted.sort();
        wanted.dedup();
        let mut have: Vec<&String> = current.iter().map(|s| &s.id).collect();
        have.sort();
        if wanted != have || ids.len() != current.len() {
            return Err(Error::Conflict(
                "the stage order names stages that do not match the pipeline; reload the board and try again".into(),
            ));
        }
        let tx = self.begin("reordering stages")?;
        for (pos, id) in ids.iter().enumerate() {
            tx.execute(
                "UPDATE stages SET position = ?2 WHERE id = ?1",
                params![id, pos as i64],
            )
            .map_err(Error::sql("reordering stages"))?;
        }
        tx.commit().map_err(Error::sql("reordering stages"))?;
        stages_of(&self.conn, p)
    }
}
