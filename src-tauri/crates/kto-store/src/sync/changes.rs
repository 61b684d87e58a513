//! A changeset read into owned rows, so that its changes can be weighed against this
//! laptop's before SQLite applies them.

use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::hooks::Action;
use rusqlite::session::{ChangesetItem, ChangesetIter};
use rusqlite::types::Value;

/// What a change does to its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Insert,
    Update,
    Delete,
}

/// One changed row: its table, which columns form the primary key, and the old and new
/// values (`None` where the changeset does not carry a column: unchanged in an update).
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub table: String,
    pub op: Op,
    pub pk: Vec<bool>,
    pub old: Vec<Option<Value>>,
    pub new: Vec<Option<Value>>,
}

impl Item {
    /// The row's primary key values, in column order.
    pub fn key(&self) -> Vec<Value> {
        let side = if self.op == Op::Insert {
            &self.new
        } else {
            &self.old
        };
        self.pk
            .iter()
            .zip(side)
            .filter(|(is_pk, _)| **is_pk)
            .map(|(_, v)| v.clone().unwrap_or(Value::Null))
            .collect()
    }

    /// The primary key as JSON text: how `sync_clock` and `sync_conflicts` name a row.
    pub fn pk_json(&self) -> String {
        key_json(&self.key())
    }
}

/// Primary key values as JSON text.
pub(crate) fn key_json(key: &[Value]) -> String {
    serde_json::Value::Array(key.iter().map(value_json).collect()).to_string()
}

/// One SQLite value as JSON (a blob as lower-case hex).
pub(crate) fn value_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => (*i).into(),
        Value::Real(f) => {
            serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
        }
        Value::Text(t) => t.clone().into(),
        Value::Blob(b) => b
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
            .into(),
    }
}

/// An owned copy of a value of a changeset.
pub(crate) fn owned_value(v: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

fn owned(item: &ChangesetItem) -> rusqlite::Result<Item> {
    let op = item.op()?;
    let n = op.number_of_columns() as usize;
    let kind = match op.code() {
        Action::SQLITE_INSERT => Op::Insert,
        Action::SQLITE_UPDATE => Op::Update,
        Action::SQLITE_DELETE => Op::Delete,
        _ => {
            return Err(rusqlite::Error::ToSqlConversionFailure(Box::new(
                std::io::Error::other("a change that is neither insert, update nor delete"),
            )))
        }
    };
    let table = op.table_name().to_string();
    let pk = item.pk()?.iter().map(|b| *b != 0).collect();
    let mut old = vec![None; n];
    let mut new = vec![None; n];
    for col in 0..n {
        if kind != Op::Insert {
            old[col] = item.old_value(col).ok().map(owned_value);
        }
        if kind != Op::Delete {
            new[col] = item.new_value(col).ok().map(owned_value);
        }
    }
    Ok(Item {
        table,
        op: kind,
        pk,
        old,
        new,
    })
}

/// Reads every change of `changeset`; an error names what could not be read.
pub(crate) fn read(changeset: &[u8]) -> Result<Vec<Item>, String> {
    if changeset.is_empty() {
        return Ok(Vec::new());
    }
    let mut input: &[u8] = changeset;
    let reader: &mut dyn std::io::Read = &mut input;
    let mut iter = ChangesetIter::start_strm(&reader).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    while let Some(item) = iter.next().map_err(|e| e.to_string())? {
        out.push(owned(item).map_err(|e| e.to_string())?);
    }
    Ok(out)
}
