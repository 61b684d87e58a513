//! The generic record kinds of `kto_core::record`: one path that stores, diffs, lists,
//! links, notes and deletes all of them, driven by their [`KindSpec`].
//!
//! Table and column names come only from the static specs, never from input; values are
//! always bound as parameters.

use kto_core::activity::{Action, Change, RecordKind};
use kto_core::ids::new_id;
use kto_core::page::Page;
use kto_core::pipeline::Pipeline;
use kto_core::record::{
    self, FieldType, KindSpec, LinkedRecord, Links, RecordQuery, RecordRef, SavedView,
    StoredRecord, Value, Values,
};
use kto_core::search::fts_query_of_kind;
use kto_core::toeslag::{
    compute_toeslag, ConsortiumToeslag, PartnerContribution, PartnerKind, ToeslagRules,
};
use kto_core::validation::{Problem, ValidationErrors};
use kto_core::Money;
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

use crate::history::{self, Entry};
use crate::{parse_ts, search, ts, Error, Result, Store};

/// The most rows one table page returns.
pub const MAX_RECORD_PAGE: u32 = 500;

/// Columns of the first schema that are `NOT NULL DEFAULT ''`: an empty value is stored
/// as '' (and read back as absent).
const BLANK_NOT_NULL: &[(&str, &str)] = &[("people", "faculty")];

/// The spec of `kind`, or an error for the kinds with their own modules.
fn spec_of(kind: RecordKind) -> Result<&'static KindSpec> {
    record::spec(kind).ok_or_else(|| {
        Error::Conflict(format!(
            "{} records are not edited through the generic record path",
            kind.code()
        ))
    })
}

/// Where the title of a record of any kind lives: (table, title column).
pub(crate) fn title_source(kind: RecordKind) -> (&'static str, &'static str) {
    match kind {
        RecordKind::Disclosure => ("disclosures", "title"),
        RecordKind::Deal => ("deals", "title"),
        RecordKind::Person => ("people", "name"),
        RecordKind::Organisation => ("organisations", "name"),
        other => {
            let spec = record::spec(other).unwrap_or(&record::KINDS[0]);
            let column = spec.field(spec.title).map_or("id", |f| f.column);
            (spec.table, column)
        }
    }
}

/// The title of a record of any kind, if it exists.
pub(crate) fn title_of(conn: &Connection, kind: RecordKind, id: &str) -> Result<Option<String>> {
    let (table, column) = title_source(kind);
    conn.prepare_cached(&format!("SELECT {column} FROM {table} WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
        .map_err(Error::sql("looking up a linked record"))
}

fn to_sql(v: Option<&Value>) -> SqlValue {
    match v {
        None => SqlValue::Null,
        Some(Value::Bool(b)) => SqlValue::Integer(i64::from(*b)),
        Some(Value::Int(i)) => SqlValue::Integer(*i),
        Some(Value::Text(t)) => SqlValue::Text(t.clone()),
    }
}

fn from_sql(ty: FieldType, v: ValueRef<'_>) -> Option<Value> {
    match (ty, v) {
        (_, ValueRef::Null | ValueRef::Text(b"")) => None,
        (FieldType::Bool, ValueRef::Integer(i)) => Some(Value::Bool(i != 0)),
        (_, ValueRef::Integer(i)) => Some(Value::Int(i)),
        (_, ValueRef::Text(t)) => Some(Value::Text(String::from_utf8_lossy(t).into_owned())),
        (_, ValueRef::Real(f)) => Some(Value::Text(f.to_string())),
        (_, ValueRef::Blob(_)) => None,
    }
}

pub(crate) fn select_columns(spec: &KindSpec) -> String {
    let cols: Vec<&str> = spec.fields.iter().map(|f| f.column).collect();
    format!("id, created_at, updated_at, {}", cols.join(", "))
}

pub(crate) fn read_row(
    spec: &KindSpec,
    r: &Row<'_>,
) -> rusqlite::Result<(String, String, String, Values)> {
    let mut values = Values::new();
    for (i, f) in spec.fields.iter().enumerate() {
        if let Some(v) = from_sql(f.ty, r.get_ref(i + 3)?) {
            values.insert(f.key.to_string(), v);
        }
    }
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, values))
}

fn to_record(
    conn: &Connection,
    spec: &KindSpec,
    raw: (String, String, String, Values),
) -> Result<StoredRecord> {
    let (id, created, updated, values) = raw;
    let mut link_titles = std::collections::BTreeMap::new();
    for f in spec.links() {
        if let (FieldType::Link { kind }, Some(Value::Text(target))) = (f.ty, values.get(f.key)) {
            if let Some(title) = title_of(conn, kind, target)? {
                link_titles.insert(f.key.to_string(), title);
            }
        }
    }
    Ok(StoredRecord {
        link_titles,
        title: values
            .get(spec.title)
            .map(Value::display)
            .unwrap_or_default(),
        id,
        kind: spec.kind,
        values,
        created_at: parse_ts(&created)?,
        updated_at: parse_ts(&updated)?,
    })
}

pub(crate) fn get(conn: &Connection, spec: &KindSpec, id: &str) -> Result<StoredRecord> {
    let raw = conn
        .prepare_cached(&format!(
            "SELECT {} FROM {} WHERE id = ?1",
            select_columns(spec),
            spec.table
        ))
        .and_then(|mut s| s.query_row([id], |r| read_row(spec, r)).optional())
        .map_err(Error::sql("reading a record"))?
        .ok_or_else(|| Error::NotFound {
            what: "record",
            id: id.to_string(),
        })?;
    to_record(conn, spec, raw)
}

/// Checks that every link points to an existing record.
fn check_links(conn: &Connection, spec: &KindSpec, values: &Values) -> Result<()> {
    let mut errors = ValidationErrors::default();
    for f in spec.links() {
        let (FieldType::Link { kind }, Some(Value::Text(id))) = (f.ty, values.get(f.key)) else {
            continue;
        };
        if title_of(conn, kind, id)?.is_none() {
            errors.add(f.key, Problem::NotFound);
        }
    }
    errors.into_result(()).map_err(Error::Invalid)
}

/// The text a record is found by: its text fields and the titles it links to (the index
/// adds its notes).
fn index_record(conn: &Connection, spec: &KindSpec, id: &str, values: &Values) -> Result<()> {
    let mut body: Vec<String> = Vec::new();
    for f in spec.fields {
        match (f.ty, values.get(f.key)) {
            (_, None) => {}
            (FieldType::Link { kind }, Some(Value::Text(target))) => {
                body.extend(title_of(conn, kind, target)?);
            }
            (FieldType::Text { .. } | FieldType::LongText { .. }, Some(v))
                if f.key != spec.title =>
            {
                body.push(v.display());
            }
            _ => {}
        }
    }
    let title = values
        .get(spec.title)
        .map(Value::display)
        .unwrap_or_default();
    search::index(conn, spec.kind.code(), id, &title, &body.join(" "))
}

/// Rebuilds the search entry of a generic record from its stored values (after a sync).
pub(crate) fn reindex(conn: &Connection, kind: RecordKind, id: &str) -> Result<()> {
    let spec = spec_of(kind)?;
    let stored = get(conn, spec, id)?;
    index_record(conn, spec, id, &stored.values)
}

fn write_values(
    conn: &Connection,
    spec: &KindSpec,
    id: &str,
    values: &Values,
    at: &str,
    insert: bool,
) -> Result<()> {
    let cols: Vec<&str> = spec.fields.iter().map(|f| f.column).collect();
    // Text columns that predate the generic path and are NOT NULL store empty as ''.
    let mark = |i: usize, col: &str| {
        if BLANK_NOT_NULL.contains(&(spec.table, col)) {
            format!("ifnull(?{}, '')", i + 3)
        } else {
            format!("?{}", i + 3)
        }
    };
    let sql = if insert {
        let marks: Vec<String> = cols.iter().enumerate().map(|(i, c)| mark(i, c)).collect();
        format!(
            "INSERT INTO {} (id, created_at, updated_at, {}) VALUES (?1, ?2, ?2, {})",
            spec.table,
            cols.join(", "),
            marks.join(", ")
        )
    } else {
        let sets: Vec<String> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = {}", mark(i, c)))
            .collect();
        format!(
            "UPDATE {} SET updated_at = ?2, {} WHERE id = ?1",
            spec.table,
            sets.join(", ")
        )
    };
    let mut args: Vec<SqlValue> = vec![SqlValue::Text(id.to_string()), SqlValue::Text(at.into())];
    args.extend(spec.fields.iter().map(|f| to_sql(values.get(f.key))));
    conn.prepare_cached(&sql)
        .and_then(|mut s| s.execute(params_from_iter(args)))
        .map_err(Error::sql("saving a record"))?;
    Ok(())
}

/// Records that point to `id` (a record of `kind`), from every generic kind.
pub(crate) fn incoming(conn: &Connection, kind: RecordKind, id: &str) -> Result<Vec<LinkedRecord>> {
    let mut out = Vec::new();
    for spec in &record::KINDS {
        let title_column = spec.field(spec.title).map_or("id", |f| f.column);
        for f in spec.links() {
            if f.ty != (FieldType::Link { kind }) {
                continue;
            }
            let rows = conn
                .prepare_cached(&format!(
                    "SELECT id, {title_column} FROM {} WHERE {} = ?1 ORDER BY {title_column}, id",
                    spec.table, f.column
                ))
                .and_then(|mut s| {
                    s.query_map([id], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()
                })
                .map_err(Error::sql("finding linked records"))?;
            for (rid, title) in rows {
                let part = spec.parent == Some(f.key);
                // A part's own title is generic ("Industry partner"): it is named with the
                // records it links to other than this one, and its year, wherever it is listed.
                let title = if spec.parent.is_some() {
                    part_title(conn, spec, &rid, f.key)?
                } else {
                    title.unwrap_or_default()
                };
                out.push(LinkedRecord {
                    kind: spec.kind,
                    id: rid,
                    title,
                    field: f.key.to_string(),
                    part,
                });
            }
        }
    }
    Ok(out)
}

/// The disclosures and deals that point to an organisation or a person. They are typed
/// records outside [`record::KINDS`]: listed so that the link can be followed, while
/// deleting is guarded by their foreign keys.
fn typed_incoming(conn: &Connection, kind: RecordKind, id: &str) -> Result<Vec<LinkedRecord>> {
    let (sql, to, field) = match kind {
        RecordKind::Organisation => (
            "SELECT id, title FROM deals WHERE organisation_id = ?1 ORDER BY title, id",
            RecordKind::Deal,
            "organisationId",
        ),
        RecordKind::Person => (
            "SELECT d.id, d.reference || ' ' || d.title
               FROM disclosure_inventors i JOIN disclosures d ON d.id = i.disclosure_id
              WHERE i.person_id = ?1 ORDER BY d.received_on DESC, d.id",
            RecordKind::Disclosure,
            "inventor",
        ),
        _ => return Ok(Vec::new()),
    };
    conn.prepare_cached(sql)
        .and_then(|mut s| {
            s.query_map([id], |r| {
                Ok(LinkedRecord {
                    kind: to,
                    id: r.get(0)?,
                    title: r.get(1)?,
                    field: field.to_string(),
                    part: false,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(Error::sql("finding linked records"))
}

/// A part's title as its parent lists it: its own title with the other records it names
/// and its year, e.g. "Industry partner — Philips, 2026" or "CEO — Anouk de Vries".
fn part_title(conn: &Connection, spec: &KindSpec, id: &str, parent: &str) -> Result<String> {
    let r = get(conn, spec, id)?;
    let mut extra: Vec<String> = spec
        .links()
        .filter(|f| f.key != parent)
        .filter_map(|f| r.link_titles.get(f.key).cloned())
        .collect();
    for key in ["year", "closedDate"] {
        if let Some(v) = r.values.get(key) {
            extra.push(v.display());
        }
    }
    Ok(if extra.is_empty() {
        r.title
    } else {
        format!("{} — {}", r.title, extra.join(", "))
    })
}

/// Records this one points to.
fn outgoing(conn: &Connection, spec: &KindSpec, values: &Values) -> Result<Vec<LinkedRecord>> {
    let mut out = Vec::new();
    for f in spec.links() {
        let (FieldType::Link { kind }, Some(Value::Text(id))) = (f.ty, values.get(f.key)) else {
            continue;
        };
        if let Some(title) = title_of(conn, kind, id)? {
            out.push(LinkedRecord {
                kind,
                id: id.clone(),
                title,
                field: f.key.to_string(),
                part: false,
            });
        }
    }
    Ok(out)
}

/// Deletes one generic record and what hangs off it, inside the caller's transaction:
/// its parts are deleted first, other records' links to it are cleared with history.
pub(crate) fn delete_in(
    conn: &Connection,
    change: &Change,
    kind: RecordKind,
    id: &str,
) -> Result<()> {
    let spec = spec_of(kind)?;
    let old = get(conn, spec, id)?;
    let links = incoming(conn, kind, id)?;
    // A required link of another record (a partner contribution's organisation, a
    // founder's person) cannot be cleared: refuse before changing anything.
    if let Some(needed) = links.iter().find(|l| !l.part && link_is_required(l)) {
        return Err(Error::Conflict(format!(
            "'{}' is still needed by the {} '{}' ({}); link that to another record or delete it first",
            old.title,
            needed.kind.code(),
            needed.title,
            needed.field
        )));
    }
    for link in links {
        if link.part {
            delete_in(conn, change, link.kind, &link.id)?;
            continue;
        }
        let other = spec_of(link.kind)?;
        let column = other.field(&link.field).map_or("id", |f| f.column);
        conn.prepare_cached(&format!(
            "UPDATE {} SET {column} = NULL, updated_at = ?2 WHERE id = ?1",
            other.table
        ))
        .and_then(|mut s| s.execute(params![link.id, ts(change.at)]))
        .map_err(Error::sql("clearing a link"))?;
        history::append(
            conn,
            change,
            Entry {
                kind: link.kind,
                record_id: &link.id,
                action: Action::Updated,
                field: Some(&link.field),
                old: Some(id),
                new: None,
            },
        )?;
        let values = get(conn, other, &link.id)?.values;
        index_record(conn, other, &link.id, &values)?;
    }
    delete_row(
        conn,
        change,
        (kind, spec.table, id),
        &old.title,
        "is still named on disclosures or deals; remove it there first, then delete it",
    )
}

/// Deletes the row `id` of `table` (a record of `kind` titled `title`) with its search
/// entry and attachments, and records the deletion in the history. A row that others
/// still point to is refused with "'<title>' <still_linked>".
pub(crate) fn delete_row(
    conn: &Connection,
    change: &Change,
    (kind, table, id): (RecordKind, &str, &str),
    title: &str,
    still_linked: &str,
) -> Result<()> {
    conn.prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))
        .and_then(|mut s| s.execute([id]))
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => {
                Error::Conflict(format!("'{title}' {still_linked}"))
            }
            _ => Error::sql("deleting a record")(e),
        })?;
    search::remove(conn, id)?;
    conn.prepare_cached("DELETE FROM attachments WHERE record_id = ?1")
        .and_then(|mut s| s.execute([id]))
        .map_err(Error::sql("deleting a record's attachments"))?;
    history::append(
        conn,
        change,
        Entry {
            kind,
            record_id: id,
            action: Action::Deleted,
            field: None,
            old: Some(title),
            new: None,
        },
    )
}

/// Whether the field through which `link` points is one its record cannot be without.
pub(crate) fn link_is_required(link: &LinkedRecord) -> bool {
    record::spec(link.kind)
        .and_then(|s| s.field(&link.field))
        .is_some_and(|f| f.required)
}

/// Validates and inserts a record with its history and search entry, inside the caller's
/// transaction; returns its new id.
pub(crate) fn create_in(
    conn: &Connection,
    change: &Change,
    kind: RecordKind,
    values: &Values,
) -> Result<String> {
    create_with_id_in(conn, change, kind, values, None)
}

/// [`create_in`] keeping a given id (an import of exported records), else a new one.
pub(crate) fn create_with_id_in(
    conn: &Connection,
    change: &Change,
    kind: RecordKind,
    values: &Values,
    id: Option<&str>,
) -> Result<String> {
    let spec = spec_of(kind)?;
    let clean = record::validate(spec, values, change.at.date_naive())?;
    check_links(conn, spec, &clean)?;
    let id = id.map_or_else(|| new_id().to_string(), str::to_string);
    write_values(conn, spec, &id, &clean, &ts(change.at), true)?;
    let title = clean
        .get(spec.title)
        .map(Value::display)
        .unwrap_or_default();
    history::append(
        conn,
        change,
        Entry {
            kind,
            record_id: &id,
            action: Action::Created,
            field: None,
            old: None,
            new: Some(&title),
        },
    )?;
    index_record(conn, spec, &id, &clean)?;
    Ok(id)
}

/// Validates and stores new values of a record, one history entry per changed field,
/// inside the caller's transaction.
pub(crate) fn update_in(
    conn: &Connection,
    change: &Change,
    kind: RecordKind,
    id: &str,
    values: &Values,
) -> Result<()> {
    let spec = spec_of(kind)?;
    let clean = record::validate(spec, values, change.at.date_naive())?;
    let old = get(conn, spec, id)?;
    check_links(conn, spec, &clean)?;
    let changed = record::changes(&old.values, &clean, spec);
    if changed.is_empty() {
        return Ok(());
    }
    write_values(conn, spec, id, &clean, &ts(change.at), false)?;
    for (field, o, n) in &changed {
        history::append(
            conn,
            change,
            Entry {
                kind,
                record_id: id,
                action: Action::Updated,
                field: Some(field),
                old: o.as_deref(),
                new: n.as_deref(),
            },
        )?;
    }
    index_record(conn, spec, id, &clean)
}

/// Appends a note to a record's timeline and search entry, inside the caller's transaction.
pub(crate) fn note_in(
    conn: &Connection,
    change: &Change,
    kind: RecordKind,
    id: &str,
    text: &str,
) -> Result<()> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ValidationErrors::one("note", Problem::Required).into());
    }
    if text.chars().count() > 20_000 {
        return Err(ValidationErrors::one("note", Problem::TooLong { max: 20_000 }).into());
    }
    if title_of(conn, kind, id)?.is_none() {
        return Err(Error::NotFound {
            what: "record",
            id: id.to_string(),
        });
    }
    history::append(
        conn,
        change,
        Entry {
            kind,
            record_id: id,
            action: Action::Noted,
            field: None,
            old: None,
            new: Some(text),
        },
    )?;
    match record::spec(kind) {
        Some(spec) => {
            let values = get(conn, spec, id)?.values;
            index_record(conn, spec, id, &values)
        }
        None => search::append_text(conn, id, text),
    }
}

impl Store {
    /// Creates a record of a generic kind after validating it and its links.
    pub fn create_record(
        &mut self,
        change: &Change,
        kind: RecordKind,
        values: &Values,
    ) -> Result<StoredRecord> {
        let tx = self.begin("saving a record")?;
        let id = create_in(&tx, change, kind, values)?;
        let saved = get(&tx, spec_of(kind)?, &id)?;
        tx.commit().map_err(Error::sql("saving a record"))?;
        Ok(saved)
    }

    /// Replaces the values of a record; each changed field goes into its history.
    pub fn update_record(
        &mut self,
        change: &Change,
        kind: RecordKind,
        id: &str,
        values: &Values,
    ) -> Result<StoredRecord> {
        let tx = self.begin("saving a record")?;
        update_in(&tx, change, kind, id, values)?;
        let saved = get(&tx, spec_of(kind)?, id)?;
        tx.commit().map_err(Error::sql("saving a record"))?;
        Ok(saved)
    }

    /// One record of a generic kind.
    pub fn record(&self, kind: RecordKind, id: &str) -> Result<StoredRecord> {
        get(&self.conn, spec_of(kind)?, id)
    }

    /// Both directions of a record's links; works for every kind.
    pub fn links(&self, kind: RecordKind, id: &str) -> Result<Links> {
        let outgoing = match record::spec(kind) {
            Some(spec) => outgoing(&self.conn, spec, &get(&self.conn, spec, id)?.values)?,
            None => Vec::new(),
        };
        let mut incoming = incoming(&self.conn, kind, id)?;
        incoming.extend(typed_incoming(&self.conn, kind, id)?);
        Ok(Links { outgoing, incoming })
    }

    /// Deletes a record of a generic kind. Records that point to it are listed in a
    /// [`Error::Conflict`] unless `confirmed`; once confirmed, its parts (a consortium's
    /// contributions) are deleted with it and other links to it are cleared, all in one
    /// transaction with history.
    pub fn delete_record(
        &mut self,
        change: &Change,
        kind: RecordKind,
        id: &str,
        confirmed: bool,
    ) -> Result<()> {
        let spec = spec_of(kind)?;
        let tx = self.begin("deleting a record")?;
        get(&tx, spec, id)?;
        let linked = incoming(&tx, kind, id)?;
        if !linked.is_empty() && !confirmed {
            let names: Vec<String> = linked
                .iter()
                .take(5)
                .map(|l| format!("{} '{}'", l.kind.code(), l.title))
                .collect();
            return Err(Error::Conflict(format!(
                "{} other record(s) point to this one ({}{}); confirm to delete it and clear those links",
                linked.len(),
                names.join(", "),
                if linked.len() > 5 { ", …" } else { "" }
            )));
        }
        delete_in(&tx, change, kind, id)?;
        tx.commit().map_err(Error::sql("deleting a record"))?;
        Ok(())
    }

    /// Adds a note to the timeline of a record of any kind; the note becomes searchable.
    pub fn add_note(
        &mut self,
        change: &Change,
        kind: RecordKind,
        id: &str,
        text: &str,
    ) -> Result<()> {
        let tx = self.begin("saving a note")?;
        note_in(&tx, change, kind, id, text)?;
        tx.commit().map_err(Error::sql("saving a note"))?;
        Ok(())
    }

    /// One page of a kind's table: sorted by any field, filtered by exact field values
    /// and by full-text search, paged by offset. `total` counts all matching rows.
    pub fn list_records(&self, kind: RecordKind, q: &RecordQuery) -> Result<Page<StoredRecord>> {
        let spec = spec_of(kind)?;
        let mut conds: Vec<String> = Vec::new();
        let mut args: Vec<SqlValue> = Vec::new();
        for (key, value) in &q.filters {
            let Some(f) = spec.field(key) else { continue };
            args.push(to_sql(Some(value)));
            conds.push(format!("{} = ?{}", f.column, args.len()));
        }
        if let Some(fts) = q
            .search
            .as_deref()
            .and_then(|t| fts_query_of_kind(t, kind.code()))
        {
            args.push(SqlValue::Text(fts));
            conds.push(search::matches_clause_at("id", kind.code(), args.len()));
        }
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        let sort = q
            .sort
            .as_deref()
            .and_then(|k| spec.field(k))
            .or_else(|| spec.field(spec.title))
            .map_or("id", |f| f.column);
        let dir = if q.descending { "DESC" } else { "ASC" };
        let limit = q.limit.clamp(1, MAX_RECORD_PAGE);
        let sql = format!(
            "SELECT {} FROM {} {filter} ORDER BY {sort} {dir}, id {dir} LIMIT {} OFFSET {}",
            select_columns(spec),
            spec.table,
            limit + 1,
            q.offset
        );
        let mut raws = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_map(params_from_iter(args.iter()), |r| read_row(spec, r))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::sql("listing records"))?;
        let more = raws.len() > limit as usize;
        raws.truncate(limit as usize);
        let total = if q.offset == 0 {
            let n: i64 = self
                .conn
                .prepare_cached(&format!("SELECT count(*) FROM {} {filter}", spec.table))
                .and_then(|mut s| s.query_row(params_from_iter(args.iter()), |r| r.get(0)))
                .map_err(Error::sql("counting records"))?;
            Some(u64::try_from(n).unwrap_or_default())
        } else {
            None
        };
        let rows = raws
            .into_iter()
            .map(|raw| to_record(&self.conn, spec, raw))
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            rows,
            next: more.then(|| (q.offset + limit).to_string()),
            total,
        })
    }

    /// Records of any kind for a link picker: those whose text matches `text` (prefix
    /// search from two letters), or the first by title when `text` is empty.
    pub fn find_records(&self, kind: RecordKind, text: &str, limit: u32) -> Result<Vec<RecordRef>> {
        let (table, column) = title_source(kind);
        let limit = limit.clamp(1, 200);
        let rows = match fts_query_of_kind(text, kind.code()) {
            Some(q) => self
                .conn
                .prepare_cached(&format!(
                    "SELECT id, {column} FROM {table} WHERE {} ORDER BY {column} LIMIT ?2",
                    search::matches_clause_at("id", kind.code(), 1)
                ))
                .and_then(|mut s| {
                    s.query_map(params![q, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect::<rusqlite::Result<Vec<(String, String)>>>()
                }),
            None => self
                .conn
                .prepare_cached(&format!(
                    "SELECT id, {column} FROM {table} ORDER BY {column} LIMIT ?1"
                ))
                .and_then(|mut s| {
                    s.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect::<rusqlite::Result<Vec<(String, String)>>>()
                }),
        }
        .map_err(Error::sql("finding records"))?;
        Ok(rows
            .into_iter()
            .map(|(id, title)| RecordRef { kind, id, title })
            .collect())
    }

    /// The PPS-toeslag of a consortium for each year its partners contributed in, from
    /// the stored contributions and the rules in force.
    pub fn consortium_toeslag(&self, consortium_id: &str) -> Result<Vec<ConsortiumToeslag>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT year, organisation_id, partner_kind, ifnull(cash_cents, 0),
                        ifnull(in_kind_cents, 0), ifnull(in_kind_hours, 0)
                   FROM contributions WHERE consortium_id = ?1 ORDER BY year, created_at, id",
            )
            .and_then(|mut s| {
                s.query_map([consortium_id], |r| {
                    Ok((
                        r.get::<_, i32>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, i64>(5)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::sql("reading contributions"))?;
        let mut by_year: std::collections::BTreeMap<i32, Vec<PartnerContribution>> =
            std::collections::BTreeMap::new();
        for (year, partner, kind, cash, in_kind, hours) in rows {
            let kind: PartnerKind = serde_json::from_value(serde_json::Value::String(kind.clone()))
                .map_err(|_| Error::Corrupt(format!("partner kind '{kind}'")))?;
            by_year.entry(year).or_default().push(PartnerContribution {
                partner_id: partner,
                kind,
                cash: Money::from_cents(cash),
                in_kind_value: Money::from_cents(in_kind),
                in_kind_hours: u32::try_from(hours).unwrap_or(0),
            });
        }
        by_year
            .into_iter()
            .map(|(year, partners)| {
                compute_toeslag(year, &partners, &ToeslagRules::default())
                    .map_err(|e| Error::Conflict(format!("toeslag {year}: {e}")))
            })
            .collect()
    }

    /// Saves (or replaces) a named table view.
    ///
    /// A deal table's view belongs to its pipeline, which the view keeps as the filter
    /// [`VIEW_PIPELINE`]; it is stored under that pipeline, so the same name in two
    /// pipelines names two views.
    pub fn save_view(&mut self, view: &SavedView) -> Result<()> {
        let name = view.name.trim();
        if name.is_empty() {
            return Err(ValidationErrors::one("name", Problem::Required).into());
        }
        if name.chars().count() > 80 {
            return Err(ValidationErrors::one("name", Problem::TooLong { max: 80 }).into());
        }
        let pipeline = match view.query.filters.get(VIEW_PIPELINE) {
            Some(Value::Text(code)) if view.kind == RecordKind::Deal => Some(
                serde_json::from_value::<Pipeline>(serde_json::Value::String(code.clone()))
                    .map_err(|_| {
                        Error::from(ValidationErrors::one(VIEW_PIPELINE, Problem::NotFound))
                    })?,
            ),
            _ => None,
        };
        let query = serde_json::to_string(&view.query)
            .map_err(|e| Error::Corrupt(format!("saved view: {e}")))?;
        self.conn
            .execute(
                "INSERT INTO saved_views (kind, name, query) VALUES (?1, ?2, ?3)
                 ON CONFLICT (kind, name) DO UPDATE SET query = excluded.query",
                params![view_key(view.kind, pipeline), name, query],
            )
            .map_err(Error::sql("saving a view"))?;
        Ok(())
    }

    /// The saved views of a kind, by name.
    pub fn saved_views(&self, kind: RecordKind) -> Result<Vec<SavedView>> {
        self.saved_views_in(kind, None)
    }

    /// The saved views of a kind, by name; for deals, those of one pipeline.
    pub fn saved_views_in(
        &self,
        kind: RecordKind,
        pipeline: Option<Pipeline>,
    ) -> Result<Vec<SavedView>> {
        let rows = self
            .conn
            .prepare_cached("SELECT name, query FROM saved_views WHERE kind = ?1 ORDER BY name")
            .and_then(|mut s| {
                s.query_map([view_key(kind, pipeline)], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::sql("reading saved views"))?;
        rows.into_iter()
            .map(|(name, query)| {
                Ok(SavedView {
                    name,
                    kind,
                    query: serde_json::from_str(&query)
                        .map_err(|e| Error::Corrupt(format!("saved view: {e}")))?,
                })
            })
            .collect()
    }

    /// Deletes a saved view; deleting one that is gone is not an error.
    pub fn delete_view(&mut self, kind: RecordKind, name: &str) -> Result<()> {
        self.delete_view_in(kind, None, name)
    }

    /// Deletes a saved view of a kind (for deals, of one pipeline); deleting one that is
    /// gone is not an error.
    pub fn delete_view_in(
        &mut self,
        kind: RecordKind,
        pipeline: Option<Pipeline>,
        name: &str,
    ) -> Result<()> {
        self.conn
            .execute(
                "DELETE FROM saved_views WHERE kind = ?1 AND name = ?2",
                params![view_key(kind, pipeline), name],
            )
            .map_err(Error::sql("deleting a view"))?;
        Ok(())
    }
}

/// The filter under which a deal table's saved view keeps its pipeline (the pipeline's
/// name as the UI sends it, `contractResearch`); the deal listing ignores it.
pub const VIEW_PIPELINE: &str = "pipeline";

/// The `saved_views.kind` a view is kept under: the kind's code, and for a deal view its
/// pipeline too (`deal:licensing`), so that each pipeline's views have their own names.
fn view_key(kind: RecordKind, pipeline: Option<Pipeline>) -> String {
    match pipeline {
        Some(p) if kind == RecordKind::Deal => format!("{}:{}", kind.code(), p.code()),
        _ => kind.code().to_string(),
    }
}
