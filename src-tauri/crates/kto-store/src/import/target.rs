//! Where an import writes: the one record path of `records.rs` for the generic kinds, or
//! the typed modules of disclosures and deals (inventors with their shares, board stages).
//! The steps of an import (analyse, write, undo) call one [`Target`] and never ask which.

use super::*;

/// What an import needs of the records of one kind.
pub(crate) trait Target {
    /// Every stored record of the kind by id, with its values and title.
    fn load_existing(
        &self,
        conn: &Connection,
        spec: &KindSpec,
    ) -> Result<HashMap<String, Existing>>;

    /// What the kind's rules say of `values` (the record `existing_id`, merged, when the
    /// row updates one), by field.
    fn check(
        &self,
        conn: &Connection,
        spec: &KindSpec,
        values: &Values,
        existing_id: Option<&str>,
        today: NaiveDate,
    ) -> Result<Vec<(String, IssueKind)>>;

    /// Creates a record from a row, under `id` when the file gave one; returns its id.
    fn create(
        &self,
        tx: &Connection,
        change: &Change,
        spec: &KindSpec,
        values: &Values,
        id: Option<&str>,
    ) -> Result<String>;

    /// Writes `values` over the record `id`.
    fn update(
        &self,
        tx: &Connection,
        change: &Change,
        spec: &KindSpec,
        id: &str,
        values: &Values,
    ) -> Result<()>;

    /// Deletes the record `id` (an undone import's own record).
    fn delete(&self, tx: &Connection, change: &Change, spec: &KindSpec, id: &str) -> Result<()>;

    /// The title of the record `id`, for messages.
    fn title(&self, conn: &Connection, spec: &KindSpec, id: &str) -> Result<String>;
}

/// The import target of `kind`.
pub(crate) fn target(kind: RecordKind) -> &'static dyn Target {
    if import_typed::handles(kind) {
        &Typed
    } else {
        &Generic
    }
}

/// The generic kinds, described as data in `kto_core::record`.
struct Generic;

impl Target for Generic {
    fn load_existing(
        &self,
        conn: &Connection,
        spec: &KindSpec,
    ) -> Result<HashMap<String, Existing>> {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {} FROM {}",
                select_columns(spec),
                spec.table
            ))
            .map_err(Error::sql("reading the existing records"))?;
        let rows = stmt
            .query_map([], |r| read_row(spec, r))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(Error::sql("reading the existing records"))?;
        Ok(rows
            .into_iter()
            .map(|(id, _, _, values)| {
                let title = values
                    .get(spec.title)
                    .map(Value::display)
                    .unwrap_or_default();
                (id, Existing { values, title })
            })
            .collect())
    }

    fn check(
        &self,
        _conn: &Connection,
        spec: &KindSpec,
        values: &Values,
        _existing_id: Option<&str>,
        today: NaiveDate,
    ) -> Result<Vec<(String, IssueKind)>> {
        Ok(match record::validate(spec, values, today) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .0
                .into_iter()
                .map(|fe| {
                    (
                        fe.field,
                        IssueKind::Invalid {
                            problem: fe.problem,
                        },
                    )
                })
                .collect(),
        })
    }

    fn create(
        &self,
        tx: &Connection,
        change: &Change,
        spec: &KindSpec,
        values: &Values,
        id: Option<&str>,
    ) -> Result<String> {
        create_with_id_in(tx, change, spec.kind, values, id)
    }

    fn update(
        &self,
        tx: &Connection,
        change: &Change,
        spec: &KindSpec,
        id: &str,
        values: &Values,
    ) -> Result<()> {
        update_in(tx, change, spec.kind, id, values)
    }

    fn delete(&self, tx: &Connection, change: &Change, spec: &KindSpec, id: &str) -> Result<()> {
        delete_in(tx, change, spec.kind, id)
    }

    fn title(&self, conn: &Connection, spec: &KindSpec, id: &str) -> Result<String> {
        get(conn, spec, id).map(|r| r.title)
    }
}

/// Disclosures and deals, through their own modules (`import_typed`). A typed record gets
/// a new id: an id column of the file only finds the record to update.
struct Typed;

impl Target for Typed {
    fn load_existing(
        &self,
        conn: &Connection,
        spec: &KindSpec,
    ) -> Result<HashMap<String, Existing>> {
        Ok(import_typed::load_existing(conn, spec.kind)?
            .into_iter()
            .map(|(id, (values, title))| (id, Existing { values, title }))
            .collect())
    }

    fn check(
        &self,
        conn: &Connection,
        spec: &KindSpec,
        values: &Values,
        existing_id: Option<&str>,
        today: NaiveDate,
    ) -> Result<Vec<(String, IssueKind)>> {
        import_typed::check(conn, spec.kind, values, existing_id, today)
    }

    fn create(
        &self,
        tx: &Connection,
        change: &Change,
        spec: &KindSpec,
        values: &Values,
        id: Option<&str>,
    ) -> Result<String> {
        import_typed::create(tx, change, spec.kind, values, id, change.at.date_naive())
    }

    fn update(
        &self,
        tx: &Connection,
        change: &Change,
        spec: &KindSpec,
        id: &str,
        values: &Values,
    ) -> Result<()> {
        import_typed::update(tx, change, spec.kind, id, values, change.at.date_naive())
    }

    fn delete(&self, tx: &Connection, change: &Change, spec: &KindSpec, id: &str) -> Result<()> {
        import_typed::delete(tx, change, spec.kind, id)
    }

    fn title(&self, conn: &Connection, spec: &KindSpec, id: &str) -> Result<String> {
        import_typed::title(conn, spec.kind, id)
    }
}
