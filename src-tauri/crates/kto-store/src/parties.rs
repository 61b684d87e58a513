//! People and organisations.

use kto_core::activity::{Action, Change, RecordKind};
use kto_core::ids::{OrganisationId, PersonId};
use kto_core::party::{Organisation, OrganisationKind, Person};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::history::{self, Entry};
use crate::{parse_id, search, ts, Error, Result, Store};

const PERSON_COLUMNS: &str = "p.id, p.name, p.email, p.organisation_id, o.name, p.faculty";

/// A person row as SQLite returns it, before ids are parsed.
struct PersonRow {
    id: String,
    name: String,
    email: Option<String>,
    organisation_id: Option<String>,
    organisation_name: Option<String>,
    faculty: String,
}

fn person_from_row(r: &Row<'_>) -> rusqlite::Result<PersonRow> {
    Ok(PersonRow {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        organisation_id: r.get(3)?,
        organisation_name: r.get(4)?,
        faculty: r.get(5)?,
    })
}

fn person(raw: PersonRow) -> Result<Person> {
    Ok(Person {
        id: parse_id(&raw.id)?,
        name: raw.name,
        email: raw.email,
        organisation_id: raw.organisation_id.as_deref().map(parse_id).transpose()?,
        organisation_name: raw.organisation_name,
        faculty: raw.faculty,
    })
}

/// Inserts a person with its history entry and search entry.
pub(crate) fn insert_person(conn: &Connection, change: &Change, p: &Person) -> Result<()> {
    let id = p.id.to_string();
    conn.prepare_cached(
        "INSERT INTO people (id, name, email, organisation_id, faculty, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )
    .and_then(|mut s| {
        s.execute(params![
            id,
            p.name,
            p.email,
            p.organisation_id.map(|o| o.to_string()),
            p.faculty,
            ts(change.at)
        ])
    })
    .map_err(Error::sql("saving a person"))?;
    history::append(
        conn,
        change,
        Entry {
            kind: RecordKind::Person,
            record_id: &id,
            action: Action::Created,
            field: None,
            old: None,
            new: Some(&p.name),
        },
    )?;
    let body = [
        p.email.as_deref().unwrap_or(""),
        &p.faculty,
        p.organisation_name.as_deref().unwrap_or(""),
    ]
    .join(" ");
    search::index(conn, RecordKind::Person.code(), &id, &p.name, &body)
}

/// Inserts an organisation with its history entry and search entry.
pub(crate) fn insert_organisation(
    conn: &Connection,
    change: &Change,
    o: &Organisation,
) -> Result<()> {
    let id = o.id.to_string();
    conn.prepare_cached(
        "INSERT INTO organisations (id, name, kind, country, kvk, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )
    .and_then(|mut s| {
        s.execute(params![
            id,
            o.name,
            o.kind.code(),
            o.country,
            o.kvk,
            ts(change.at)
        ])
    })
    .map_err(Error::sql("saving an organisation"))?;
    history::append(
        conn,
        change,
        Entry {
            kind: RecordKind::Organisation,
            record_id: &id,
            action: Action::Created,
            field: None,
            old: None,
            new: Some(&o.name),
        },
    )?;
    search::index(
        conn,
        RecordKind::Organisation.code(),
        &id,
        &o.name,
        o.kvk.as_deref().unwrap_or(""),
    )
}

/// Reads one person by id.
pub(crate) fn get_person(conn: &Connection, id: PersonId) -> Result<Option<Person>> {
    let raw = conn
        .prepare_cached(&format!(
            "SELECT {PERSON_COLUMNS} FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id
             WHERE p.id = ?1"
        ))
        .and_then(|mut s| s.query_row([id.to_string()], person_from_row).optional())
        .map_err(Error::sql("reading a person"))?;
    raw.map(person).transpose()
}

/// True when the organisation exists.
pub(crate) fn organisation_id_exists(conn: &Connection, id: OrganisationId) -> Result<bool> {
    conn.prepare_cached("SELECT 1 FROM organisations WHERE id = ?1")
        .and_then(|mut s| s.exists([id.to_string()]))
        .map_err(Error::sql("reading an organisation"))
}

impl Store {
    /// People whose name starts with (or, from two characters, contains a word starting
    /// with) `filter`, by name; at most `limit`.
    pub fn list_people(&self, filter: &str, limit: u32) -> Result<Vec<Person>> {
        let limit = limit.clamp(1, 500);
        let query = kto_core::search::fts_query(filter);
        let sql = match query {
            Some(_) => format!(
                "SELECT {PERSON_COLUMNS} FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id
                 WHERE {} ORDER BY p.name COLLATE NOCASE, p.id LIMIT :limit",
                search::matches_clause("p.id", RecordKind::Person.code())
            ),
            None => format!(
                "SELECT {PERSON_COLUMNS} FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id
                 ORDER BY p.name COLLATE NOCASE, p.id LIMIT :limit"
            ),
        };
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(Error::sql("listing people"))?;
        let raws: Vec<_> = match &query {
            Some(q) => stmt
                .query_map(
                    rusqlite::named_params! {":q": q, ":limit": limit},
                    person_from_row,
                )
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>()),
            None => stmt
                .query_map(rusqlite::named_params! {":limit": limit}, person_from_row)
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>()),
        }
        .map_err(Error::sql("listing people"))?;
        raws.into_iter().map(person).collect()
    }

    /// All organisations by name.
    pub fn list_organisations(&self) -> Result<Vec<Organisation>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, kind, country, kvk FROM organisations ORDER BY name COLLATE NOCASE, id")
            .map_err(Error::sql("listing organisations"))?;
        let raws = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(Error::sql("listing organisations"))?;
        raws.into_iter()
            .map(|(id, name, kind, country, kvk)| {
                Ok(Organisation {
                    id: parse_id(&id)?,
                    name,
                    kind: OrganisationKind::from_code(&kind)?,
                    country,
                    kvk,
                })
            })
            .collect()
    }

    /// Adds an organisation.
    pub fn create_organisation(&mut self, change: &Change, o: &Organisation) -> Result<()> {
        let tx = self.begin("saving an organisation")?;
        insert_organisation(&tx, change, o)?;
        tx.commit().map_err(Error::sql("saving an organisation"))
    }
}
