//! Invention disclosures with their inventors: create, update, move on the board, read,
//! list by key, search.

use chrono::Datelike;
use kto_core::activity::{Action, Change, RecordKind};
use kto_core::disclosure::{
    self, Decision, Disclosure, DisclosureBoard, DisclosureColumn, DisclosureQuery, DisclosureRow,
    DisclosureSort, DisclosureStage, Inventor, ValidDisclosure, CARDS_PER_COLUMN,
};
use kto_core::ids::{DisclosureId, PersonId};
use kto_core::page::Page;
use kto_core::party::Person;
use kto_core::validation::{Problem, ValidationErrors};
use rusqlite::{params, Connection};

use crate::history::{self, Entry};
use crate::parties::{get_person, insert_person, organisation_id_exists};
use crate::{
    col, col_parsed, one_row, parse_date, parse_id, parse_ts, search, ts, Error, Result, Store,
};

/// The most rows one page may hold.
pub const MAX_PAGE: u32 = 1_000;

/// Above this many search matches a page is found by walking the sort index.
const WALK_INDEX_ABOVE: u64 = 1_500;

/// The sort key of each column, written for table alias `{t}`; each matches an index.
fn sort_key(sort: DisclosureSort, t: &str) -> String {
    match sort {
        DisclosureSort::Reference => format!("{t}.reference"),
        DisclosureSort::Title => format!("{t}.title COLLATE NOCASE"),
        DisclosureSort::ReceivedOn => format!("{t}.received_on"),
        DisclosureSort::Faculty => format!("{t}.faculty COLLATE NOCASE"),
        DisclosureSort::Trl => format!("ifnull({t}.trl, 0)"),
        DisclosureSort::Stage => format!(
            "(CASE {t}.stage WHEN 'received' THEN 0 WHEN 'in_assessment' THEN 1 ELSE 2 END)"
        ),
    }
}

/// The columns of a list row, for table alias `d`, in the order [`read_row`] reads them.
const ROW_COLUMNS: &str =
    "d.id, d.reference, d.title, d.received_on, d.faculty, d.trl, d.stage, d.decision,
     (SELECT group_concat(p.name, ', ' ORDER BY di.position)
        FROM disclosure_inventors di JOIN people p ON p.id = di.person_id
       WHERE di.disclosure_id = d.id) AS inventors";

type RawRow = (
    String,
    String,
    String,
    String,
    String,
    Option<u8>,
    String,
    Option<String>,
    Option<String>,
);

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((
        r.get("id")?,
        r.get("reference")?,
        r.get("title")?,
        r.get("received_on")?,
        r.get("faculty")?,
        r.get("trl")?,
        r.get("stage")?,
        r.get("decision")?,
        r.get("inventors")?,
    ))
}

fn to_row(raw: RawRow) -> Result<DisclosureRow> {
    let (id, reference, title, received, faculty, trl, stage, decision, inventors) = raw;
    Ok(DisclosureRow {
        id: parse_id(&id)?,
        reference,
        title,
        received_on: parse_date(&received)?,
        faculty,
        trl,
        stage: DisclosureStage::from_code(&stage)?,
        decision: decision.as_deref().map(Decision::from_code).transpose()?,
        inventors: inventors.unwrap_or_default(),
    })
}

fn inventors_of(conn: &Connection, id: &str) -> Result<Vec<Inventor>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT di.person_id, p.name AS person, p.organisation_id, o.name AS organisation,
                    di.share_bp
               FROM disclosure_inventors di
               JOIN people p ON p.id = di.person_id
               LEFT JOIN organisations o ON o.id = p.organisation_id
              WHERE di.disclosure_id = ?1
              ORDER BY di.position",
        )
        .map_err(Error::sql("reading inventors"))?;
    let raws = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>("person_id")?,
                r.get::<_, String>("person")?,
                r.get::<_, Option<String>>("organisation_id")?,
                r.get::<_, Option<String>>("organisation")?,
                r.get::<_, u32>("share_bp")?,
            ))
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(Error::sql("reading inventors"))?;
    raws.into_iter()
        .map(|(pid, name, oid, oname, share_bp)| {
            Ok(Inventor {
                person_id: parse_id(&pid)?,
                name,
                organisation_id: oid.as_deref().map(parse_id).transpose()?,
                organisation_name: oname,
                share_bp,
            })
        })
        .collect()
}

pub(crate) fn get(conn: &Connection, id: DisclosureId) -> Result<Disclosure> {
    let sid = id.to_string();
    let sql = "SELECT reference, title, received_on, faculty, trl, stage, decision, decided_on,
                      summary, created_at, updated_at
                 FROM disclosures WHERE id = ?1";
    let found = one_row(conn, sql, [&sid], "reading a disclosure", |r| {
        Ok(Disclosure {
            id,
            reference: col(r, "reference")?,
            title: col(r, "title")?,
            received_on: parse_date(&col::<String>(r, "received_on")?)?,
            faculty: col(r, "faculty")?,
            trl: col(r, "trl")?,
            stage: DisclosureStage::from_code(&col::<String>(r, "stage")?)?,
            decision: col_parsed(r, "decision", |c| Ok(Decision::from_code(c)?))?,
            decided_on: col_parsed(r, "decided_on", parse_date)?,
            summary: col(r, "summary")?,
            inventors: Vec::new(),
            created_at: parse_ts(&col::<String>(r, "created_at")?)?,
            updated_at: parse_ts(&col::<String>(r, "updated_at")?)?,
        })
    })?;
    let mut disclosure = found.ok_or(Error::NotFound {
        what: "disclosure",
        id: sid.clone(),
    })?;
    disclosure.inventors = inventors_of(conn, &sid)?;
    Ok(disclosure)
}

/// Finds or creates the people behind the inventor lines; new people take the
/// disclosure's faculty.
fn resolve_inventors(
    conn: &Connection,
    change: &Change,
    d: &ValidDisclosure,
) -> Result<Vec<Inventor>> {
    let mut out = Vec::with_capacity(d.inventors.len());
    let mut errors = ValidationErrors::default();
    for (i, line) in d.inventors.iter().enumerate() {
        let person = match line.person_id {
            Some(pid) => match get_person(conn, pid)? {
                Some(p) => p,
                None => {
                    errors.add(format!("inventors.{i}.name"), Problem::Required);
                    continue;
                }
            },
            None => {
                if let Some(oid) = line.organisation_id {
                    if !organisation_id_exists(conn, oid)? {
                        errors.add(format!("inventors.{i}.organisation"), Problem::Required);
                        continue;
                    }
                }
                let p = Person {
                    id: PersonId::new(),
                    name: line.name.clone(),
                    email: None,
                    organisation_id: line.organisation_id,
                    organisation_name: None,
                    faculty: d.faculty.clone(),
                };
                insert_person(conn, change, &p)?;
                p
            }
        };
        if out.iter().any(|o: &Inventor| o.person_id == person.id) {
            errors.add(format!("inventors.{i}.name"), Problem::Duplicate);
            continue;
        }
        out.push(Inventor {
            person_id: person.id,
            name: person.name,
            organisation_id: person.organisation_id,
            organisation_name: person.organisation_name,
            share_bp: line.share_bp,
        });
    }
    errors.into_result(out).map_err(Error::from)
}

/// The next free `D-YEAR-NNNN` reference: one above the highest number used that year
/// (compared as numbers, so `D-2026-10000` follows `D-2026-9999`).
fn next_reference(conn: &Connection, year: i32) -> Result<String> {
    let prefix = format!("D-{year}-");
    let highest: Option<i64> = conn
        .prepare_cached(
            "SELECT max(CAST(substr(reference, ?3) AS INTEGER)) FROM disclosures
              WHERE reference >= ?1 AND reference < ?2 AND substr(reference, ?3) GLOB '[0-9]*'",
        )
        .and_then(|mut s| {
            s.query_row(
                params![prefix, format!("D-{year}."), prefix.len() as i64 + 1],
                |r| r.get(0),
            )
        })
        .map_err(Error::sql("choosing a reference"))?;
    // On a laptop of a shared office the reference ends with the laptop's code, so that
    // two laptops working offline never give the same one (see the sync module).
    let code: Option<String> = conn
        .prepare_cached("SELECT code FROM sync_device")
        .and_then(|mut s| s.query_row([], |r| r.get(0)))
        .map_err(Error::sql("choosing a reference"))?;
    let suffix = code.map(|c| format!("-{c}")).unwrap_or_default();
    Ok(format!("{prefix}{:04}{suffix}", highest.unwrap_or(0) + 1))
}

fn reference_taken(conn: &Connection, reference: &str, except: Option<&str>) -> Result<bool> {
    conn.prepare_cached("SELECT 1 FROM disclosures WHERE reference = ?1 AND id IS NOT ?2")
        .and_then(|mut s| s.exists(params![reference, except]))
        .map_err(Error::sql("checking the reference"))
}

fn write_inventors(conn: &Connection, id: &str, inventors: &[Inventor]) -> Result<()> {
    conn.prepare_cached("DELETE FROM disclosure_inventors WHERE disclosure_id = ?1")
        .and_then(|mut s| s.execute([id]))
        .map_err(Error::sql("saving inventors"))?;
    let mut stmt = conn
        .prepare_cached(
            "INSERT INTO disclosure_inventors (disclosure_id, person_id, share_bp, position)
             VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(Error::sql("saving inventors"))?;
    for (pos, inv) in inventors.iter().enumerate() {
        stmt.execute(params![
            id,
            inv.person_id.to_string(),
            inv.share_bp,
            pos as i64
        ])
        .map_err(Error::sql("saving inventors"))?;
    }
    Ok(())
}

fn index_disclosure(
    conn: &Connection,
    id: &str,
    reference: &str,
    d: &ValidDisclosure,
    inventors: &[Inventor],
) -> Result<()> {
    let names: Vec<&str> = inventors.iter().map(|i| i.name.as_str()).collect();
    let body = format!(
        "{reference} {} {} {}",
        d.faculty,
        names.join(" "),
        d.summary
    );
    search::index(conn, RecordKind::Disclosure.code(), id, &d.title, &body)
}

/// Inserts a validated disclosure with its inventors, history and search entry.
pub(crate) fn insert(
    conn: &Connection,
    change: &Change,
    d: &ValidDisclosure,
) -> Result<DisclosureId> {
    insert_as(conn, change, d, DisclosureId::new())
}

/// [`insert`] under the id `id` (an import's own).
pub(crate) fn insert_as(
    conn: &Connection,
    change: &Change,
    d: &ValidDisclosure,
    id: DisclosureId,
) -> Result<DisclosureId> {
    let sid = id.to_string();
    let reference = match &d.reference {
        Some(r) if reference_taken(conn, r, None)? => {
            return Err(ValidationErrors::one("reference", Problem::Taken).into());
        }
        Some(r) => r.clone(),
        None => next_reference(conn, d.received_on.year())?,
    };
    let inventors = resolve_inventors(conn, change, d)?;
    write_row(
        conn,
        "INSERT INTO disclosures (id, reference, title, received_on, faculty, trl, stage, decision,
                                  decided_on, summary, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        (&sid, &reference),
        d,
        change,
    )?;
    write_inventors(conn, &sid, &inventors)?;
    history::append(
        conn,
        change,
        Entry {
            kind: RecordKind::Disclosure,
            record_id: &sid,
            action: Action::Created,
            field: None,
            old: None,
            new: Some(&d.title),
        },
    )?;
    index_disclosure(conn, &sid, &reference, d, &inventors)?;
    Ok(id)
}

/// Runs `sql` (an insert or an update of one disclosure) with the disclosure's columns as
/// `?1` (id) … `?11` (the time of the change).
fn write_row(
    conn: &Connection,
    sql: &str,
    (sid, reference): (&str, &str),
    d: &ValidDisclosure,
    change: &Change,
) -> Result<()> {
    conn.prepare_cached(sql)
        .and_then(|mut s| {
            s.execute(params![
                sid,
                reference,
                d.title,
                d.received_on.to_string(),
                d.faculty,
                d.trl,
                d.stage.code(),
                d.decision.map(Decision::code),
                d.decided_on.map(|x| x.to_string()),
                d.summary,
                ts(change.at)
            ])
        })
        .map_err(Error::sql("saving the disclosure"))?;
    Ok(())
}

/// Applies a validated edit: writes only changed fields' history, keeps the reference
/// when the edit leaves it empty.
pub(crate) fn update(
    conn: &Connection,
    change: &Change,
    id: DisclosureId,
    d: &ValidDisclosure,
) -> Result<()> {
    let old = get(conn, id)?;
    let sid = id.to_string();
    if let Some(r) = &d.reference {
        if reference_taken(conn, r, Some(&sid))? {
            return Err(ValidationErrors::one("reference", Problem::Taken).into());
        }
    }
    let inventors = resolve_inventors(conn, change, d)?;
    let changes = disclosure::changes(&old, d, &inventors);
    if changes.is_empty() {
        return Ok(());
    }
    let reference = d.reference.clone().unwrap_or_else(|| old.reference.clone());
    write_row(
        conn,
        "UPDATE disclosures SET reference = ?2, title = ?3, received_on = ?4, faculty = ?5, trl = ?6,
                stage = ?7, decision = ?8, decided_on = ?9, summary = ?10, updated_at = ?11
          WHERE id = ?1",
        (&sid, &reference),
        d,
        change,
    )?;
    write_inventors(conn, &sid, &inventors)?;
    for c in &changes {
        let action = if c.field == "stage" {
            Action::StageChanged
        } else {
            Action::Updated
        };
        history::append(
            conn,
            change,
            Entry {
                kind: RecordKind::Disclosure,
                record_id: &sid,
                action,
                field: Some(c.field),
                old: c.old.as_deref(),
                new: c.new.as_deref(),
            },
        )?;
    }
    index_disclosure(conn, &sid, &reference, d, &inventors)
}

impl Store {
    /// Stores a new disclosure; people named but not yet known are created.
    ///
    /// Errors: `Invalid` when the reference is taken or a picked person no longer exists.
    pub fn create_disclosure(
        &mut self,
        change: &Change,
        d: &ValidDisclosure,
    ) -> Result<Disclosure> {
        let tx = self.begin("saving the disclosure")?;
        let id = insert(&tx, change, d)?;
        tx.commit().map_err(Error::sql("saving the disclosure"))?;
        get(&self.conn, id)
    }

    /// Saves an edit of a disclosure; every changed field goes into its history, a stage
    /// change as such. An edit that changes nothing writes nothing.
    pub fn update_disclosure(
        &mut self,
        change: &Change,
        id: DisclosureId,
        d: &ValidDisclosure,
    ) -> Result<Disclosure> {
        let tx = self.begin("saving the disclosure")?;
        update(&tx, change, id, d)?;
        tx.commit().map_err(Error::sql("saving the disclosure"))?;
        get(&self.conn, id)
    }

    /// Moves a disclosure to another stage of the pipeline, in one transaction with its
    /// history: the stage change and, for a move to "decided", the decision and its date
    /// (a move back withdraws them). The rest of the disclosure stays as stored.
    ///
    /// Errors: `Invalid` when a move to "decided" lacks the decision or its date, or the
    /// date is before the disclosure was received or after `today`; `NotFound` for an
    /// unknown id. Nothing is written then.
    pub fn move_disclosure(
        &mut self,
        change: &Change,
        id: DisclosureId,
        stage: DisclosureStage,
        decision: Option<Decision>,
        decided_on: Option<chrono::NaiveDate>,
        today: chrono::NaiveDate,
    ) -> Result<Disclosure> {
        let tx = self.begin("moving the disclosure")?;
        let input = get(&tx, id)?.moved_to(stage, decision, decided_on);
        let valid = disclosure::validate(&input, today)?;
        update(&tx, change, id, &valid)?;
        tx.commit().map_err(Error::sql("moving the disclosure"))?;
        get(&self.conn, id)
    }

    /// The disclosure pipeline as a board: each stage with its count and its most recently
    /// received disclosures (at most [`CARDS_PER_COLUMN`]).
    pub fn disclosure_board(&self) -> Result<DisclosureBoard> {
        // The stage's rank as the stage index computes it, so both queries use that index.
        let rank = sort_key(DisclosureSort::Stage, "d");
        let mut count = self
            .conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM disclosures d WHERE {rank} = ?1"
            ))
            .map_err(Error::sql("reading the disclosure board"))?;
        let mut cards = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ROW_COLUMNS} FROM disclosures d WHERE {rank} = ?1
                  ORDER BY d.received_on DESC, d.id DESC LIMIT ?2"
            ))
            .map_err(Error::sql("reading the disclosure board"))?;
        let mut columns = Vec::with_capacity(DisclosureStage::ALL.len());
        for (position, stage) in DisclosureStage::ALL.into_iter().enumerate() {
            let position = position as i64;
            let n: i64 = count
                .query_row([position], |r| r.get(0))
                .map_err(Error::sql("reading the disclosure board"))?;
            let raws = cards
                .query_map(params![position, CARDS_PER_COLUMN], read_row)
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(Error::sql("reading the disclosure board"))?;
            columns.push(DisclosureColumn {
                stage,
                count: n.max(0) as u64,
                cards: raws.into_iter().map(to_row).collect::<Result<Vec<_>>>()?,
            });
        }
        Ok(DisclosureBoard { columns })
    }

    /// One disclosure with its inventors.
    pub fn disclosure(&self, id: DisclosureId) -> Result<Disclosure> {
        get(&self.conn, id)
    }

    /// One page of the disclosure list, sorted, optionally filtered by a search, starting
    /// after the `after` cursor. Pages are fetched through the sort column's index, so the
    /// thousandth page costs what the first does.
    pub fn list_disclosures(&self, q: &DisclosureQuery) -> Result<Page<DisclosureRow>> {
        let limit = q.limit.clamp(1, MAX_PAGE);
        let fts = q
            .search
            .as_deref()
            .and_then(|t| kto_core::search::fts_query_of_kind(t, RecordKind::Disclosure.code()));
        if q.search.as_deref().is_some_and(|s| !s.trim().is_empty()) && fts.is_none() {
            return Ok(Page {
                rows: vec![],
                next: None,
                total: Some(0),
            });
        }
        let dir = if q.descending { "DESC" } else { "ASC" };
        let cmp = if q.descending { "<" } else { ">" };
        let key_d = sort_key(q.sort, "d");
        let key_c = sort_key(q.sort, "c");
        // A search counts its matches first (the list shows the count). Few matches: fetch
        // them and sort. Many: walk the sort column's index and test membership (`+d.id`
        // keeps SQLite from driving the query from the match list), stopping at the page.
        let matches = match &fts {
            Some(f) => Some(self.count_matches(f)?),
            None => None,
        };
        let mut conditions = Vec::new();
        if let Some(n) = matches {
            let id_column = if n > WALK_INDEX_ABOVE {
                "+d.id"
            } else {
                "d.id"
            };
            conditions.push(search::matches_clause(
                id_column,
                RecordKind::Disclosure.code(),
            ));
        }
        if q.after.is_some() {
            conditions.push(format!(
                "({key_d}, d.id) {cmp} ((SELECT {key_c} FROM disclosures c WHERE c.id = :after), :after)"
            ));
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let sql = format!(
            "SELECT {ROW_COLUMNS}
               FROM disclosures d {filter}
              ORDER BY {key_d} {dir}, d.id {dir}
              LIMIT :limit"
        );
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(Error::sql("listing disclosures"))?;
        let mut bound: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":limit", &limit)];
        if let Some(f) = &fts {
            bound.push((":q", f));
        }
        if let Some(a) = &q.after {
            bound.push((":after", a));
        }
        let raws = stmt
            .query_map(bound.as_slice(), read_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(Error::sql("listing disclosures"))?;
        let rows = raws.into_iter().map(to_row).collect::<Result<Vec<_>>>()?;
        let next = (rows.len() == limit as usize)
            .then(|| rows.last().map(|r| r.id.to_string()))
            .flatten();
        let total = match matches {
            Some(n) => Some(n),
            None if q.after.is_none() => {
                let n: i64 = self
                    .conn
                    .prepare_cached("SELECT count(*) FROM disclosures")
                    .and_then(|mut s| s.query_row([], |r| r.get(0)))
                    .map_err(Error::sql("counting disclosures"))?;
                Some(n.max(0) as u64)
            }
            None => None,
        };
        Ok(Page { rows, next, total })
    }

    /// How many disclosures match an FTS query of that kind (`fts_query_of_kind`): the
    /// index counts them from its own columns.
    fn count_matches(&self, fts: &str) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM search_index WHERE search_index MATCH ?1")
            .and_then(|mut s| s.query_row([fts], |r| r.get(0)))
            .map_err(Error::sql("searching disclosures"))?;
        Ok(n.max(0) as u64)
    }

    /// Faculties in use, for the form's suggestions.
    pub fn faculties(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT faculty FROM disclosures WHERE faculty <> ''
                 UNION SELECT faculty FROM people WHERE faculty <> '' ORDER BY 1",
            )
            .map_err(Error::sql("listing faculties"))?;
        stmt.query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(Error::sql("listing faculties"))
    }
}
