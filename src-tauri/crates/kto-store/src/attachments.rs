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

/// The longest file name kept, in bytes (file systems allow 255).
const MAX_NAME_BYTES: usize = 200;

/// A file name that is safe to create on every desktop system: the last path component
/// only, without control characters (NUL among them) or `<>:"/\|?*`, without leading
/// dots (no hidden files, no `..`) or trailing dots and spaces, not one of Windows'
/// reserved device names (`CON`, `NUL`, `COM1` …, with any extension), and at most
/// [`MAX_NAME_BYTES`] bytes long with its extension kept. Empty when nothing is left.
/// Names are cleaned when stored and again when used, so a name written into the database
/// by other means still cannot point outside the folder it is written to.
pub fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut name = cleaned
        .trim()
        .trim_start_matches('.')
        .trim_end_matches(['.', ' '])
        .to_string();
    let stem = name
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_uppercase();
    let reserved = matches!(
        stem.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || (stem.len() == 4
        && (stem.starts_with("COM") || stem.starts_with("LPT"))
        && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        name.insert(0, '_');
    }
    if name.len() > MAX_NAME_BYTES {
        let ext = name
            .rfind('.')
            .map(|i| name[i..].to_string())
            .filter(|e| e.len() <= 16)
            .unwrap_or_default();
        let mut cut = MAX_NAME_BYTES - ext.len();
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name = format!("{}{ext}", &name[..cut]);
    }
    name
}

fn clean_name(name: &str) -> String {
    safe_file_name(name)
}

/// Whether `id` is a record or attachment id as KTO Desk makes them (a UUID), so that it
/// is safe as a folder name.
fn is_uuid(id: &str) -> bool {
    id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| {
            if [8, 13, 18, 23].contains(&i) {
                b == b'-'
            } else {
                b.is_ascii_hexdigit()
            }
        })
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
        let tx = self.begin("adding an attachment")?;
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

    /// Writes a copy of attachment `id` for the system's viewer to
    /// `<opened_dir>/<id>/<safe name>` and returns its path. The name is cleaned again
    /// ([`safe_file_name`]) and the path checked to lie inside `opened_dir`, whatever the
    /// database says; an existing file or link at that path is replaced, never followed.
    pub fn write_attachment_copy(
        &self,
        id: &str,
        opened_dir: &std::path::Path,
    ) -> Result<std::path::PathBuf> {
        let listed = self.attachment(id)?;
        let content = self.attachment_content(id)?;
        if !is_uuid(&listed.id) {
            return Err(Error::Corrupt(format!(
                "attachment id '{}' is not a UUID; the file is not written",
                listed.id
            )));
        }
        let mut name = safe_file_name(&listed.file_name);
        if name.is_empty() {
            name = "attachment".into();
        }
        let dir = opened_dir.join(&listed.id);
        let path = dir.join(&name);
        let inside = path.parent() == Some(dir.as_path())
            && dir.parent() == Some(opened_dir)
            && path
                .file_name()
                .is_some_and(|n| n == std::ffi::OsStr::new(&name));
        if !inside {
            return Err(Error::Conflict(format!(
                "the attachment's name '{}' does not make a file inside {}; it is not written",
                listed.file_name,
                opened_dir.display()
            )));
        }
        for p in [opened_dir, dir.as_path()] {
            if std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(Error::Conflict(format!(
                    "{} is a link; attachments are only written into the app's own folder",
                    p.display()
                )));
            }
        }
        std::fs::create_dir_all(&dir).map_err(Error::file("create the folder", &dir))?;
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::file("replace", &path)(e))
            }
            _ => {}
        }
        use std::io::Write;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(&content))
            .map_err(Error::file("write a copy to", &path))?;
        Ok(path)
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
        let tx = self.begin("removing an attachment")?;
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
