//! Reference term sets: published ranges for spin-off terms (UNL, USIT, SPRIND, ETH Zurich,
//! US practice), held as data and loaded from JSON.
//!
//! A set never invents a figure: where a source gives none, the range is present with
//! `min` and `max` null and a note saying where the figure is to come from. The shipped
//! sets live in the workspace's `assets/term-sets/*.json`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::deal::{TermKey, TermUnit, FULL_BP};
use super::error::{Result, TermsError};

/// Stable id of a reference set, e.g. `usit-software-2024`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(transparent)]
pub struct ReferenceSetId(pub String);

/// A published set of reference ranges for spin-off terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReferenceSet {
    /// Stable id, lowercase with hyphens.
    pub id: ReferenceSetId,
    /// Human name, e.g. "USIT guide for software spin-outs".
    pub name: String,
    /// Where the figures come from: publisher, title, version.
    pub source: String,
    /// Publication date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (only as precise as published).
    #[serde(default)]
    pub source_date: Option<String>,
    /// Principles and context that are not numeric ranges.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The ranges; a term may have several (e.g. by sector), a deal fits if it fits one.
    pub ranges: Vec<TermRange>,
}

/// One reference range for one term. Bounds are inclusive and in the unit of
/// [`TermKey::unit`] (basis points, months, days or euro cents). A missing bound is open;
/// a range with neither bound names the term but gives no figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TermRange {
    /// The term this range is for.
    pub term: TermKey,
    /// The case the range applies to, e.g. "life and physical sciences"; `None` for all.
    #[serde(default)]
    pub applies_to: Option<String>,
    /// Lowest value inside the range.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
    pub min: Option<i64>,
    /// Highest value inside the range.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
    pub max: Option<i64>,
    /// What the source says, in its own words where possible.
    #[serde(default)]
    pub note: String,
    /// Where in the source the figure stands: page, section, article or list item. Every
    /// shipped set names it; an office's own set may leave it empty.
    #[serde(default)]
    pub section: String,
}

impl TermRange {
    /// True when the range has at least one bound.
    pub fn has_figures(&self) -> bool {
        self.min.is_some() || self.max.is_some()
    }

    /// True when `value` lies within both bounds (inclusive); open bounds accept everything.
    pub fn contains(&self, value: i64) -> bool {
        self.min.is_none_or(|min| value >= min) && self.max.is_none_or(|max| value <= max)
    }

    /// How far `value` lies outside the range, in the term's unit; zero inside it.
    pub fn distance(&self, value: i64) -> i64 {
        match (self.min, self.max) {
            (Some(min), _) if value < min => min.saturating_sub(value),
            (_, Some(max)) if value > max => value.saturating_sub(max),
            _ => 0,
        }
    }
}

impl ReferenceSet {
    /// Parses and validates a set from JSON.
    ///
    /// # Errors
    /// [`TermsError::ReferenceSetJson`] when the JSON does not have the documented shape
    /// (unknown fields are refused, to catch typos); otherwise the errors of
    /// [`ReferenceSet::validate`].
    pub fn from_json(json: &str) -> Result<ReferenceSet> {
        let set: ReferenceSet =
            serde_json::from_str(json).map_err(|e| TermsError::ReferenceSetJson {
                reason: e.to_string(),
            })?;
        set.validate()?;
        Ok(set)
    }

    /// Checks the header and every range: non-empty id, name and source; a well-formed
    /// source date; bounds not negative, `min <= max`, basis points at most 100 %.
    ///
    /// # Errors
    /// [`TermsError::InvalidReferenceSet`] or [`TermsError::InvalidRange`] for the first problem.
    pub fn validate(&self) -> Result<()> {
        let set = self.id.0.clone();
        let header_problem = if self.id.0.trim().is_empty() {
            Some("the id is empty".to_owned())
        } else if self.name.trim().is_empty() {
            Some("the name is empty".to_owned())
        } else if self.source.trim().is_empty() {
            Some("the source is empty: every figure must carry its source".to_owned())
        } else {
            match &self.source_date {
                Some(date) if !is_partial_date(date) => Some(format!(
                    "the source date `{date}` is not YYYY, YYYY-MM or YYYY-MM-DD"
                )),
                _ => None,
            }
        };
        if let Some(problem) = header_problem {
            return Err(TermsError::InvalidReferenceSet { set, problem });
        }
        for range in &self.ranges {
            let problem = match (range.min, range.max) {
                (Some(min), _) if min < 0 => Some(format!("has a negative min {min}")),
                (_, Some(max)) if max < 0 => Some(format!("has a negative max {max}")),
                (Some(min), Some(max)) if min > max => {
                    Some(format!("has min {min} above max {max}"))
                }
                (min, max)
                    if range.term.unit() == TermUnit::BasisPoints
                        && min.max(max).is_some_and(|v| v > i64::from(FULL_BP)) =>
                {
                    Some("has a bound above 10000 basis points (100 %)".to_owned())
                }
                _ => None,
            };
            if let Some(problem) = problem {
                return Err(TermsError::InvalidRange {
                    set,
                    term: range.term,
                    problem,
                });
            }
        }
        Ok(())
    }

    /// The ranges this set gives for `key`, in file order.
    pub fn ranges_for(&self, key: TermKey) -> impl Iterator<Item = &TermRange> {
        self.ranges.iter().filter(move |r| r.term == key)
    }
}

/// `YYYY`, `YYYY-MM` or a valid `YYYY-MM-DD`.
fn is_partial_date(text: &str) -> bool {
    let full = match text.len() {
        4 => format!("{text}-01-01"),
        7 => format!("{text}-01"),
        10 => text.to_owned(),
        _ => return false,
    };
    NaiveDate::parse_from_str(&full, "%Y-%m-%d").is_ok()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The folder of the shipped sets: the workspace's `assets/term-sets`, reached from this
    /// crate's manifest (`src-tauri/crates/kto-core`).
    pub(crate) const TERM_SETS_DIR: &str =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../assets/term-sets");

    /// Reads one shipped set by id.
    pub(crate) fn shipped(id: &str) -> ReferenceSet {
        let path = format!("{TERM_SETS_DIR}/{id}.json");
        let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        ReferenceSet::from_json(&json).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn every_shipped_set_parses_validates_and_is_named_after_its_id() {
        let mut ids = Vec::new();
        for entry in std::fs::read_dir(TERM_SETS_DIR).unwrap() {
            let path = entry.unwrap().path();
            let json = std::fs::read_to_string(&path).unwrap();
            let set = ReferenceSet::from_json(&json)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                path.file_stem().unwrap().to_str().unwrap(),
                set.id.0,
                "file name and id differ"
            );
            assert!(!set.ranges.is_empty(), "{} has no ranges", set.id.0);
            ids.push(set.id.0);
        }
        ids.sort();
        assert_eq!(
            ids,
            [
                "eth-zurich-2025",
                "sprind-2022",
                "unl-ip-deal-terms-2025",
                "us-practice",
                "usit-2023",
                "usit-software-2024"
            ]
        );
    }

    /// `(applies_to, min, max)` of every range the set gives for `key`, in file order.
    fn bounds(set: &ReferenceSet, key: TermKey) -> Vec<(Option<&str>, Option<i64>, Option<i64>)> {
        set.ranges_for(key)
            .map(|r| (r.applies_to.as_deref(), r.min, r.max))
            .collect()
    }

    #[test]
    fn every_range_of_every_shipped_set_names_where_in_its_source_it_stands() {
        for entry in std::fs::read_dir(TERM_SETS_DIR).unwrap() {
            let path = entry.unwrap().path();
            let set = ReferenceSet::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for range in &set.ranges {
                assert!(
                    !range.section.trim().is_empty(),
                    "{}: the {:?} range names no page or section",
                    set.id.0,
                    range.term
                );
                assert!(
                    !range.note.trim().is_empty(),
                    "{}: {:?}",
                    set.id.0,
                    range.term
                );
            }
        }
    }

    #[test]
    fn the_unl_set_names_its_terms_but_holds_no_percentages_because_none_were_verified() {
        // The published text of version 2.0 was not available: no figure is assumed.
        let set = shipped("unl-ip-deal-terms-2025");
        assert!(set.ranges_for(TermKey::UniversityEquity).count() >= 1);
        assert!(set.ranges_for(TermKey::RoyaltyRate).count() >= 1);
        assert!(set.ranges.iter().all(|r| !r.has_figures()));
        assert!(set.notes.iter().any(|n| n.contains("market-conform")));
        // The first version is dated only as its sources date it: 2023, no month.
        assert!(set.source.contains("State of Dutch Tech 2023"));
        assert!(!set.source.contains("February"));
    }

    #[test]
    fn the_usit_software_set_holds_5_to_10_percent_equity_0_to_2_percent_royalty_and_3_months() {
        let set = shipped("usit-software-2024");
        assert_eq!(
            bounds(&set, TermKey::UniversityEquity),
            [(None, Some(500), Some(1_000))]
        );
        assert_eq!(
            bounds(&set, TermKey::RoyaltyRate),
            [(None, Some(0), Some(200))]
        );
        assert_eq!(
            bounds(&set, TermKey::DaysToSigning),
            [(None, None, Some(92))]
        );
    }

    #[test]
    fn the_usit_2023_set_holds_10_to_25_percent_for_life_sciences_and_at_most_10_otherwise() {
        let set = shipped("usit-2023");
        assert_eq!(
            bounds(&set, TermKey::UniversityEquity),
            [
                (Some("life sciences"), Some(1_000), Some(2_500)),
                (Some("less IP-intensive companies"), None, Some(1_000)),
            ]
        );
        assert_eq!(set.ranges_for(TermKey::RoyaltyRate).count(), 0);
    }

    #[test]
    fn the_sprind_set_holds_its_three_corridors_of_virtual_shares() {
        let set = shipped("sprind-2022");
        let corridors: Vec<_> = bounds(&set, TermKey::UniversityEquity)
            .into_iter()
            .map(|(_, min, max)| (min, max))
            .collect();
        assert_eq!(
            corridors,
            [
                (Some(500), Some(1_000)),
                (Some(200), Some(500)),
                (Some(50), Some(200))
            ]
        );
    }

    #[test]
    fn the_eth_set_holds_a_2_percent_baseline_reimbursed_patent_costs_and_no_signing_figure() {
        let set = shipped("eth-zurich-2025");
        assert_eq!(
            bounds(&set, TermKey::UniversityEquity),
            [(None, Some(200), None)]
        );
        // Six to eight weeks measure complete documents to founding, not term sheet to
        // signed documents: the range is there to explain, without figures.
        assert_eq!(bounds(&set, TermKey::DaysToSigning), [(None, None, None)]);
        assert!(set.notes.iter().any(|n| n.contains("six to eight weeks")));
        assert!(set.notes.iter().any(|n| n.contains("patenting costs")));
        assert!(set
            .ranges
            .iter()
            .all(|r| r.term != TermKey::RoyaltyRate || !r.has_figures()));
    }

    #[test]
    fn the_us_set_holds_mit_below_5_percent_and_washus_royalty_sublicence_and_success_fee() {
        let set = shipped("us-practice");
        assert_eq!(
            bounds(&set, TermKey::UniversityEquity),
            [
                (Some("MIT"), None, Some(499)),
                (Some("WashU"), Some(0), Some(0))
            ]
        );
        assert_eq!(
            bounds(&set, TermKey::RoyaltyRate),
            [
                (Some("MIT"), Some(300), Some(500)),
                (Some("FAU"), Some(300), Some(300)),
                (Some("WashU"), Some(200), Some(200))
            ]
        );
        assert_eq!(
            bounds(&set, TermKey::SublicenceIncomeShare),
            [
                (Some("FAU"), Some(1_000), Some(1_000)),
                (Some("WashU"), Some(500), Some(1_500))
            ]
        );
        assert_eq!(
            bounds(&set, TermKey::ExitFee),
            [
                (Some("FAU"), Some(100), Some(100)),
                (Some("WashU"), Some(95), Some(95))
            ]
        );
    }

    #[test]
    fn an_office_set_saved_without_sections_still_reads() {
        let json = r#"{"id":"x","name":"X","source":"S","ranges":[
            {"term":"royaltyRate","min":100,"max":200,"note":"1-2 %"}]}"#;
        let set = ReferenceSet::from_json(json).unwrap();
        assert_eq!(set.ranges[0].section, "");
    }

    #[test]
    fn a_range_with_min_above_max_is_refused_with_the_set_and_term_named() {
        let json = r#"{"id":"x","name":"X","source":"S","ranges":[
            {"term":"royaltyRate","min":500,"max":200,"note":""}]}"#;
        assert_eq!(
            ReferenceSet::from_json(json),
            Err(TermsError::InvalidRange {
                set: "x".to_owned(),
                term: TermKey::RoyaltyRate,
                problem: "has min 500 above max 200".to_owned()
            })
        );
    }

    #[test]
    fn a_set_without_source_or_with_a_typo_in_a_field_is_refused() {
        let no_source = r#"{"id":"x","name":"X","source":" ","ranges":[]}"#;
        assert!(matches!(
            ReferenceSet::from_json(no_source),
            Err(TermsError::InvalidReferenceSet { .. })
        ));
        let typo = r#"{"id":"x","name":"X","source":"S","ranges":[{"term":"exitFee","maxx":1}]}"#;
        assert!(matches!(
            ReferenceSet::from_json(typo),
            Err(TermsError::ReferenceSetJson { .. })
        ));
        let bad_date = r#"{"id":"x","name":"X","source":"S","sourceDate":"2025-13","ranges":[]}"#;
        assert!(matches!(
            ReferenceSet::from_json(bad_date),
            Err(TermsError::InvalidReferenceSet { .. })
        ));
    }

    #[test]
    fn a_range_contains_its_bounds_and_measures_the_distance_outside() {
        let range = TermRange {
            term: TermKey::UniversityEquity,
            applies_to: None,
            min: Some(500),
            max: Some(1_000),
            note: String::new(),
            section: String::new(),
        };
        assert!(range.contains(500) && range.contains(1_000));
        assert!(!range.contains(499) && !range.contains(1_001));
        assert_eq!(range.distance(1_500), 500);
        assert_eq!(range.distance(200), 300);
        assert_eq!(range.distance(700), 0);
    }
}
