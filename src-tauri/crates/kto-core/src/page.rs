//! Paged lists: what a list view asks for and gets back.

use serde::{Deserialize, Serialize};

/// One page of a list, fetched by key: `next` is the cursor of the following page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Page<T> {
    pub rows: Vec<T>,
    /// Pass as `after` to get the next page; `None` on the last page.
    pub next: Option<String>,
    /// Rows matching the query in all pages; only computed for the first page.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub total: Option<u64>,
}
