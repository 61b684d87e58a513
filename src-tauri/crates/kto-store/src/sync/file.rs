//! The change files in the shared folder.
//!
//! Layout under the chosen folder:
//! `kto-sync/changes/<device>/<seq, 10 digits>.ktochange` (one per committed write of
//! that device), `kto-sync/devices/<device>.json` (its user's name and reference code),
//! `kto-sync/snapshots/<device>-<seq>.sqlite3` with a `.json` beside it (a whole office
//! for a new laptop to join from). A device only ever adds files of its own: each is
//! written under a temporary name and renamed when complete, and never changed after.
//!
//! A change file is the line `KTO Desk change 1`, one line of JSON ([`Header`]), then
//! the history entries (JSON) and the changeset (SQLite's session format), whose lengths
//! and SHA-256 the header gives. A file whose bytes do not add up (half copied,
//! truncated, altered) is refused whole.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The first line of every change file.
pub(crate) const MAGIC: &[u8] = b"KTO Desk change 1\n";
/// The file extension of change files.
pub(crate) const EXTENSION: &str = "ktochange";
/// The largest change file read (a big import is a few tens of megabytes).
pub(crate) const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// What a change file says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Header {
    /// The schema version of the database that made it.
    pub schema: u32,
    /// The device (its audit chain id) and its user's name.
    pub device: String,
    pub device_name: String,
    /// The device's number of this change, from 1.
    pub seq: i64,
    /// When it was committed (RFC 3339, UTC).
    pub at: String,
    /// The last history entry of the device's chain made before migration 0012.
    pub sealed_after: i64,
    pub history_len: u64,
    pub changeset_len: u64,
    /// SHA-256 of the history and changeset bytes, lower-case hex.
    pub sha256: String,
}

/// One history entry as it travels: the device's own number and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HistoryEntry {
    pub seq: i64,
    pub kind: String,
    pub record_id: String,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub hash: String,
    pub row_hash: Option<String>,
}

/// A change file read and checked.
#[derive(Debug, Clone)]
pub(crate) struct ChangeFile {
    pub header: Header,
    pub history: Vec<HistoryEntry>,
    pub changeset: Vec<u8>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a change file.
pub(crate) fn encode(mut header: Header, history: &str, changeset: &[u8]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(history.as_bytes());
    h.update(changeset);
    header.sha256 = hex(&h.finalize());
    header.history_len = history.len() as u64;
    header.changeset_len = changeset.len() as u64;
    let mut out = MAGIC.to_vec();
    out.extend(serde_json::to_vec(&header).unwrap_or_default());
    out.push(b'\n');
    out.extend(history.as_bytes());
    out.extend(changeset);
    out
}

/// Reads a change file; the error says what is wrong with it.
pub(crate) fn decode(bytes: &[u8]) -> Result<ChangeFile, String> {
    let rest = bytes
        .strip_prefix(MAGIC)
        .ok_or("it is not a KTO Desk change file (its first line is wrong)")?;
    let end = rest
        .iter()
        .position(|b| *b == b'\n')
        .ok_or("it ends inside its header: it is truncated")?;
    let header: Header = serde_json::from_slice(&rest[..end])
        .map_err(|e| format!("its header cannot be read ({e})"))?;
    let body = &rest[end + 1..];
    let expected = header.history_len.checked_add(header.changeset_len);
    if expected != Some(body.len() as u64) {
        return Err(format!(
            "it holds {} bytes after its header where it says {}: it is truncated or still being copied",
            body.len(),
            expected.map_or_else(|| "an impossible length".to_string(), |n| n.to_string())
        ));
    }
    if hex(&Sha256::digest(body)) != header.sha256 {
        return Err("its SHA-256 does not match its content: it was damaged or altered".into());
    }
    let (history, changeset) = body.split_at(header.history_len as usize);
    let history: Vec<HistoryEntry> = serde_json::from_slice(history)
        .map_err(|e| format!("its history entries cannot be read ({e})"))?;
    Ok(ChangeFile {
        header,
        history,
        changeset: changeset.to_vec(),
    })
}

/// A device's entry in the folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DeviceFile {
    pub device: String,
    pub name: String,
    pub code: String,
}

/// What a snapshot says about itself (the `.json` beside it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SnapshotFile {
    pub device: String,
    pub device_name: String,
    /// The newest of the device's own changes it holds.
    pub seq: i64,
    pub schema: u32,
    pub at: String,
    pub size: u64,
    pub sha256: String,
}

/// SHA-256 of bytes, lower-case hex.
pub(crate) fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn header() -> Header {
        Header {
            schema: 13,
            device: "a".repeat(32),
            device_name: "Ana".into(),
            seq: 1,
            at: "2026-12-03T10:00:00.000Z".into(),
            sealed_after: 0,
            history_len: 0,
            changeset_len: 0,
            sha256: String::new(),
        }
    }

    #[test]
    fn a_file_reads_back_and_any_cut_or_flipped_byte_is_refused() {
        let bytes = encode(header(), "[]", b"changes");
        let read = decode(&bytes).unwrap();
        assert_eq!(read.changeset, b"changes");
        assert_eq!(read.header.seq, 1);
        for cut in [1, MAGIC.len(), bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(decode(&flipped).unwrap_err().contains("SHA-256"));
        let mut longer = bytes;
        longer.push(b'x');
        assert!(decode(&longer).unwrap_err().contains("truncated"));
    }
}
