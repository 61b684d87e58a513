//! The benchmark beside the national figures: published figures of European peer
//! offices (ETH Zurich, Oxford, Cambridge, KU Leuven), each with the year it is for, its
//! source, the source's date and the sentence it comes from. The set ships with the app
//! (`assets/benchmark/`); a coordinator can install a newer one, which is checked the
//! same way. Figures are kept as published: counts as counts, money in whole units of
//! the currency named, never converted.

use kto_core::monitor::{DefinitionSet, Unit};
use serde::{Deserialize, Serialize};

use super::error::{NationalError, NationalResult};

/// Format version of a benchmark file.
pub const BENCHMARK_FORMAT: u32 = 1;

/// The benchmark set shipped with the app.
pub const SHIPPED_BENCHMARK_JSON: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/benchmark/european-peers-2026.json"
));

/// A dated, sourced set of peer figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BenchmarkSet {
    /// Always [`BENCHMARK_FORMAT`].
    pub format: u32,
    /// Stable id, e.g. `european-peers-2026`.
    pub id: String,
    /// English name.
    pub name_en: String,
    /// Dutch name.
    pub name_nl: String,
    /// When the set was compiled (ISO date).
    pub compiled_on: chrono::NaiveDate,
    /// How to read the figures: what differs between the peers' definitions (English).
    pub note_en: String,
    /// The note in Dutch.
    pub note_nl: String,
    /// The figures, in any order.
    pub figures: Vec<BenchmarkFigure>,
}

/// One published figure of one peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BenchmarkFigure {
    /// The peer's name, e.g. `ETH Zurich`.
    pub peer: String,
    /// The monitor indicator it compares with, e.g. `SO`.
    pub indicator: String,
    /// The period as the peer reports it: `2024` or an academic year `2020/21`.
    pub period: String,
    /// The calendar year the period ends in, for ordering and matching.
    pub year: i32,
    /// The value: a count, or whole units of `currency` for amounts.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub value: i64,
    /// ISO 4217 code for amounts (`EUR`, `GBP`, `CHF`); `null` for counts.
    pub currency: Option<String>,
    /// The source's title as published.
    pub source_title: String,
    /// Where the source was published.
    pub url: String,
    /// The source's date as published: `2025-02-04`, `2024-01` or `2022`.
    pub source_date: String,
    /// The sentence of the source the figure comes from, in its language.
    pub quote: String,
}

fn bad(reason: String) -> NationalError {
    NationalError::BadBenchmark(reason)
}

impl BenchmarkSet {
    /// Parses a benchmark file and checks every figure against the definition set: a known
    /// indicator, a currency exactly for amounts, a value of at least zero, an http(s)
    /// source and a quote that states the value.
    ///
    /// # Errors
    /// [`NationalError::BadBenchmark`] naming the figure and what is wrong with it.
    pub fn from_json(text: &str, defs: &DefinitionSet) -> NationalResult<Self> {
        let set: BenchmarkSet = serde_json::from_str(text)
            .map_err(|e| bad(format!("it is not a benchmark file of this version ({e})")))?;
        if set.format != BENCHMARK_FORMAT {
            return Err(bad(format!(
                "its format is {}, this version reads format {BENCHMARK_FORMAT}",
                set.format
            )));
        }
        for (n, f) in set.figures.iter().enumerate() {
            let at = format!(
                "figure {} ({}, {} {})",
                n + 1,
                f.peer,
                f.indicator,
                f.period
            );
            let Some(def) = defs.indicators.iter().find(|d| d.code == f.indicator) else {
                return Err(bad(format!(
                    "{at}: {} is not an indicator of the monitor",
                    f.indicator
                )));
            };
            match (def.unit, &f.currency) {
                (Unit::Eur, Some(c))
                    if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) => {}
                (Unit::Eur, _) => {
                    return Err(bad(format!(
                        "{at}: an amount needs its currency as three capitals, such as EUR"
                    )))
                }
                (_, Some(_)) => return Err(bad(format!("{at}: a count has no currency"))),
                (_, None) => {}
            }
            if f.value < 0 {
                return Err(bad(format!("{at}: the value is below zero")));
            }
            if f.peer.trim().is_empty()
                || f.source_title.trim().is_empty()
                || f.quote.trim().is_empty()
            {
                return Err(bad(format!(
                    "{at}: the peer, the source title and the quote are all needed"
                )));
            }
            if !(f.url.starts_with("https://") || f.url.starts_with("http://")) {
                return Err(bad(format!(
                    "{at}: the source must be a web address (http or https)"
                )));
            }
        }
        Ok(set)
    }

    /// The peers' figures for one indicator, newest first.
    pub fn for_indicator(&self, code: &str) -> Vec<&BenchmarkFigure> {
        let mut out: Vec<_> = self
            .figures
            .iter()
            .filter(|f| f.indicator == code)
            .collect();
        out.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| a.peer.cmp(&b.peer)));
        out
    }
}

/// The shipped benchmark set.
///
/// # Errors
/// Only if the shipped file is defective (a test guards against that).
pub fn shipped_benchmark(defs: &DefinitionSet) -> NationalResult<BenchmarkSet> {
    BenchmarkSet::from_json(SHIPPED_BENCHMARK_JSON, defs)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn defs() -> DefinitionSet {
        crate::monitor::default_definitions().unwrap()
    }

    #[test]
    fn the_shipped_set_is_valid_and_every_figure_is_in_its_quote() {
        let set = shipped_benchmark(&defs()).unwrap();
        assert!(set.figures.len() >= 8);
        for f in &set.figures {
            // The quote states the value (as 37, 6,905 or 150 million).
            let plain = f.value.to_string();
            let grouped = f
                .value
                .to_string()
                .as_bytes()
                .rchunks(3)
                .rev()
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect::<Vec<_>>()
                .join(",");
            let millions = (f.value % 1_000_000 == 0).then(|| (f.value / 1_000_000).to_string());
            assert!(
                f.quote.contains(&plain)
                    || f.quote.contains(&grouped)
                    || millions.is_some_and(|m| f.quote.contains(&m)),
                "{} {}: {} not in “{}”",
                f.peer,
                f.indicator,
                f.value,
                f.quote
            );
        }
        let so = set.for_indicator("SO");
        assert_eq!(so[0].peer, "ETH Zurich");
        assert_eq!(so[0].year, 2024);
    }

    #[test]
    fn a_bad_figure_is_refused_naming_it() {
        let set = shipped_benchmark(&defs()).unwrap();
        let mut wrong = set.clone();
        wrong.figures[0].indicator = "XX".into();
        let e =
            BenchmarkSet::from_json(&serde_json::to_string(&wrong).unwrap(), &defs()).unwrap_err();
        assert!(
            e.to_string()
                .contains("figure 1 (ETH Zurich, XX 2024): XX is not an indicator"),
            "{e}"
        );
        let mut money = set.clone();
        let li = money
            .figures
            .iter_mut()
            .find(|f| f.indicator == "LI")
            .unwrap();
        li.currency = None;
        let e =
            BenchmarkSet::from_json(&serde_json::to_string(&money).unwrap(), &defs()).unwrap_err();
        assert!(e.to_string().contains("needs its currency"), "{e}");
        let mut link = set;
        link.figures[1].url = "javascript:alert(1)".into();
        let e =
            BenchmarkSet::from_json(&serde_json::to_string(&link).unwrap(), &defs()).unwrap_err();
        assert!(e.to_string().contains("web address"), "{e}");
        assert!(BenchmarkSet::from_json("{}", &defs()).is_err());
    }
}
