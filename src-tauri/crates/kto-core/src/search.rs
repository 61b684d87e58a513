//! Turning what a user types into a safe SQLite FTS5 query.

use serde::{Deserialize, Serialize};

use crate::activity::RecordKind;
use crate::pipeline::Pipeline;

/// One record found by the global search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SearchHit {
    pub kind: RecordKind,
    pub id: String,
    pub title: String,
    /// A few words around the match in the record's other text.
    pub snippet: String,
    /// The pipeline of a deal, so the UI can open it.
    pub pipeline: Option<Pipeline>,
}

/// The shortest word that is matched as a prefix (`da` finds `data`, `Dalen`).
pub const MIN_PREFIX_CHARS: usize = 2;

/// Builds an FTS5 MATCH expression from free text: every word must occur in a record's
/// title or body, each as a prefix from two characters on. Quotes and FTS5 operators in the
/// text are treated as plain characters, so any input is safe. Returns `None` when nothing
/// searchable is left.
pub fn fts_query(text: &str) -> Option<String> {
    words_query(text).map(|q| format!("{{title body}} : ({q})"))
}

/// Like [`fts_query`], for the records of one kind only (`kind` as `RecordKind::code`).
/// The index answers it from its `kind` column, newest first, without reading the matches
/// of other kinds.
pub fn fts_query_of_kind(text: &str, kind: &str) -> Option<String> {
    let kind: String = kind.chars().filter(char::is_ascii_alphanumeric).collect();
    fts_query(text).map(|q| format!("kind : \"{kind}\" AND {q}"))
}

fn words_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let quoted = format!("\"{w}\"");
            if w.chars().count() >= MIN_PREFIX_CHARS {
                format!("{quoted}*")
            } else {
                quoted
            }
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_prefix_terms_that_must_all_match() {
        assert_eq!(
            words_query("solar cel").as_deref(),
            Some("\"solar\"* \"cel\"*")
        );
        assert_eq!(
            fts_query("solar cel").as_deref(),
            Some("{title body} : (\"solar\"* \"cel\"*)")
        );
        assert_eq!(
            fts_query_of_kind("solar", "spinOff").as_deref(),
            Some("kind : \"spinOff\" AND {title body} : (\"solar\"*)")
        );
    }

    #[test]
    fn operators_and_quotes_are_plain_text() {
        assert_eq!(
            words_query("a\" OR (b").as_deref(),
            Some("\"a\" \"OR\"* \"b\"")
        );
        assert_eq!(words_query("NEAR(x*"), Some("\"NEAR\"* \"x\"".into()));
    }

    #[test]
    fn empty_or_punctuation_only_input_searches_nothing() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("\"*-()"), None);
    }

    #[test]
    fn diacritics_are_kept_for_the_tokenizer_to_fold() {
        assert_eq!(words_query("Hoëk").as_deref(), Some("\"Hoëk\"*"));
    }
}
