//! Files kept with a record. The content lives in the database (`attachment_content`), so
//! a file is stored in the transaction that lists it, is covered by the integrity check,
//! and is in every backup; opening one writes a copy for the system viewer.

use kto_core::activity::{Action, Change, RecordKind};
use kto_core::ids::new_id;
use kto_core::record::{Attachment, MAX_ATTACHMENT_BYTES};
use kto_core::validation::{Problem, ValidationErrors};
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::history::{self, Entry};
use crate::records::title_source;
use crate::{parse_ts, ts, Error, Result, Store};

/// A file name as kept: the last path component, without characters that are unsafe in
/// a file name on any of the desktop systems.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    base.chars()
        .map(|c| {
            if c.is_control() || "<>:\"|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect()
}

impl Store {
    /// Keeps `content` as a file of the record, with a history entry, in one transaction.
    pub fn add_attachment(
        &mut self,
        change: &Change,
        kind: RecordKind,
        record_id: &str,
        file_name: &str,
        content: &[u8],
    ) -> Result<Attachment> {
        let name = clean_name(file_name);
        if name.is_empty() || name == "." || name == ".." {
            return Err(ValidationErrors::one("fileName", Problem::Required).into());
        }
        if name.chars().count() > 255 {
            return Err(ValidationErrors::one("fileName", Problem::TooLong { max: 255 }).into());
        }
        if content.len() > MAX_ATTACHMENT_BYTES {
            return Err(Error::Conflict(format!(
                "'{name}' is {:.1} MB; attachments can be at most {} MB. Keep large files elsewhere and add a note with their location",
                content.len() as f64 / 1_048_576.0,
                MAX_ATTACHMENT_BYTES / 1_048_576
            )));
        }
        let tx = self
            .conn
            .transaction()
            .map_err(Error::sql("adding an attachment"))?;
        let (table, _) = title_source(kind);
        let exists: Option<i64> = tx
            .query_row(
                &format!("SELECT 1 FROM {table} WHERE id = ?1"),
                [record_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(Error::sql("adding an attachment"))?;
        if exists.is_none() {
            return Err(Error::NotFound {
                what: "record",
                id: record_id.to_string(),
            });
        }
        let id = new_id().to_string();
        let sha256 = format!("{:x}", Sha256::digest(content));
        tx.execute(
            "INSERT INTO attachments (id, record_kind, record_id, file_name, stored_name, size, sha256, added_at, added_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id,
                kind.code(),
                record_id,
                name,
                format!("{id}/{name}"),
                content.len() as i64,
                sha256,
                ts(change.at),
                change.actor
            ],
        )
        .and_then(|_| {
            tx.execute(
                "INSERT INTO attachment_content (attachment_id, content) VALUES (?1, ?2)",
                params![id, content],
            )
        })
        .map_err(Error::sql("adding an attachment"))?;
        history::append(
            &tx,
            change,
            Entry {
                kind,
                record_id,
                action: Action::Updated,
                field: Some("attachments"),
                old: None,
                new: Some(&name),
            },
        )?;
        tx.commit().map_err(Error::sql("adding an attachment"))?;
        self.attachment(&id)
    }

    /// One attachment's listing.
    pub fn attachment(&self, id: &str) -> Result<Attachment> {
        self.conn
            .query_row(
                "SELECT id, record_id, file_name, size, sha256, added_at, added_by
                   FROM attachments WHERE id = ?1",
                [id],
                row,
            )
            .optional()
            .map_err(Error::sql("reading an attachment"))?
            .ok_or_else(|| Error::NotFound {
                what: "attachment",
                id: id.to_string(),
            })
            .and_then(finish)
    }

    /// The files of a record, oldest first.
    pub fn attachments(&self, record_id: &str) -> Result<Vec<Attachment>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT id, record_id, file_name, size, sha256, added_at, added_by
                   FROM attachments WHERE record_id = ?1 ORDER BY added_at, id",
            )
            .and_then(|mut s| {
                s.query_map([record_id], row)?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::sql("listing attachments"))?;
        rows.into_iter().map(finish).collect()
    }

    /// The content of an attachment, checked against its SHA-256.
    pub fn attachment_content(&self, id: &str) -> Result<Vec<u8>> {
        let listed = self.attachment(id)?;
        let content: Vec<u8> = self
            .conn
            .query_row(
                "SELECT content FROM attachment_content WHERE attachment_id = ?1",
                [id],
                |r| r.get(0),
            )
            .map_err(Error::sql("reading an attachment"))?;
        if format!("{:x}", Sha256::digest(&content)) != listed.sha256 {
            return Err(Error::Corrupt(format!(
                "the content of '{}' does not match its checksum",
                listed.file_name
            )));
        }
        Ok(content)
    }

    /// Removes an attachment, with a history entry on its record.
    pub fn delete_attachment(&mut self, change: &Change, id: &str) -> Result<()> {
        let a = self.attachment(id)?;
        let kind: String = self
            .conn
            .query_row(
                "SELECT record_kind FROM attachments WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .map_err(Error::sql("removing an attachment"))?;
        let tx = self
            .conn
            .transaction()
            .map_err(Error::sql("removing an attachment"))?;
        tx.execute("DELETE FROM attachments WHERE id = ?1", [id])
            .map_err(Error::sql("removing an attachment"))?;
        history::append(
            &tx,
            change,
            Entry {
                kind: RecordKind::from_code(&kind)?,
                record_id: &a.record_id,
                action: Action::Updated,
                field: Some("attachments"),
                old: Some(&a.file_name),
                new: None,
            },
        )?;
        tx.commit().map_err(Error::sql("removing an attachment"))?;
        Ok(())
    }
}

type Raw = (String, String, String, i64, String, String, String);

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

fn finish(raw: Raw) -> Result<Attachment> {
    let (id, record_id, file_name, size, sha256, added_at, added_by) = raw;
    Ok(Attachment {
        id,
        record_id,
        file_name,
        size: u64::try_from(size).unwrap_or(0),
        sha256,
        added_at: parse_ts(&added_at)?,
        added_by,
    })
}

#[cfg(test)]
mod tests {
    use super::clean_name;

    #[test]
    fn file_names_lose_their_folders_and_unsafe_characters() {
        assert_eq!(
            clean_name("C:\\Users\\eva\\Licence v2.pdf"),
            "Licence v2.pdf"
        );
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("term:sheet?.docx"), "term_sheet_.docx");
    }
}
