//! Spin-off deal terms, the office's own reference term sets and learning progress
//! (migration 0005).
//!
//! Terms and sets are stored as the JSON of their `kto_core::terms` types and validated
//! before they are written, so what is read back is always a valid value. A change to a
//! spin-off's terms is written to the spin-off's history, one entry per changed term, in
//! the same transaction.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use kto_core::activity::{Action, Change, RecordKind};
use kto_core::terms::captable::{Allocation, Round};
use kto_core::terms::deal::DealTerms;
use kto_core::terms::reference::ReferenceSet;
use kto_core::validation::{Problem, ValidationErrors};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::history::{self, Entry};
use crate::{parse_ts, ts, Error, Result, Store};

/// The cap table the office models for a spin-off: who holds what at founding and the
/// funding rounds after it (see `kto_core::terms::captable`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, optional_fields = nullable))]
#[serde(default, rename_all = "camelCase")]
pub struct CapTablePlan {
    /// Common shares issued at founding.
    pub founding: Vec<Allocation>,
    /// Funding rounds, in order.
    pub rounds: Vec<Round>,
}

/// A spin-off's deal terms as stored. A spin-off without stored terms reads as open terms
/// (`DealTerms::default()`) with `updated_at` `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct SpinOffTerms {
    /// The spin-off (table `spin_offs`).
    pub spin_off_id: String,
    /// The terms.
    pub terms: DealTerms,
    /// The modelled cap table, if any.
    #[serde(default)]
    pub cap_table: Option<CapTablePlan>,
    /// The reference set last chosen to check the terms against.
    #[serde(default)]
    pub reference_set_id: Option<String>,
    /// When the terms were last saved; `None` when never.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

/// One lesson's progress in Learn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct LessonProgress {
    /// Stable lesson id, e.g. `dilution`.
    pub lesson_id: String,
    /// Self-check answers: question id → index of the option chosen.
    #[serde(default)]
    pub answers: BTreeMap<String, u32>,
    /// True once the learner finished the lesson.
    #[serde(default)]
    pub completed: bool,
    /// When last saved (ignored on input).
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

/// The longest id of an office reference set or a lesson.
const MAX_ID: usize = 80;

fn invalid(field: &str, problem: Problem) -> Error {
    Error::Invalid(ValidationErrors::one(field, problem))
}

fn to_json<T: Serialize>(value: &T, what: &'static str) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Corrupt(format!("{what}: {e}")))
}

fn from_json<T: for<'de> Deserialize<'de>>(text: &str, what: &'static str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::Corrupt(format!("{what}: {e}")))
}

fn spin_off_exists(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("SELECT 1 FROM spin_offs WHERE id = ?1")
        .and_then(|mut s| s.query_row([id], |_| Ok(())).optional())
        .map_err(Error::sql("finding the spin-off"))?
        .ok_or_else(|| Error::NotFound {
            what: "spin-off",
            id: id.to_owned(),
        })
}

fn read_terms(conn: &Connection, spin_off_id: &str) -> Result<SpinOffTerms> {
    spin_off_exists(conn, spin_off_id)?;
    let row = conn
        .prepare_cached(
            "SELECT terms_json, cap_table_json, reference_set_id, updated_at
               FROM spin_off_terms WHERE spin_off_id = ?1",
        )
        .and_then(|mut s| {
            s.query_row([spin_off_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .optional()
        })
        .map_err(Error::sql("reading the spin-off's terms"))?;
    let Some((terms, cap_table, reference_set_id, updated_at)) = row else {
        return Ok(SpinOffTerms {
            spin_off_id: spin_off_id.to_owned(),
            terms: DealTerms::default(),
            cap_table: None,
            reference_set_id: None,
            updated_at: None,
        });
    };
    Ok(SpinOffTerms {
        spin_off_id: spin_off_id.to_owned(),
        terms: from_json(&terms, "the spin-off's terms")?,
        cap_table: cap_table
            .map(|c| from_json(&c, "the spin-off's cap table"))
            .transpose()?,
        reference_set_id,
        updated_at: Some(parse_ts(&updated_at)?),
    })
}

/// A cap-table plan as one line of the history: each founding holder with its shares, then
/// each round's name (`Founders: 800000, University: 100000; Seed; Series A`). Names and
/// numbers only, so the line reads the same in every language.
fn plan_summary(plan: &CapTablePlan) -> String {
    let holders = plan
        .founding
        .iter()
        .map(|a| format!("{}: {}", a.holder.name, a.shares))
        .collect::<Vec<_>>()
        .join(", ");
    std::iter::once(holders)
        .chain(plan.rounds.iter().map(|r| r.name.clone()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The top-level JSON members of `value` as compact text, for history entries.
fn members(value: &serde_json::Value) -> BTreeMap<String, String> {
    value
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .map(|(k, v)| (k.clone(), v.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

impl Store {
    /// The deal terms of a spin-off; open terms when none were saved yet.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the spin-off does not exist.
    pub fn spin_off_terms(&self, spin_off_id: &str) -> Result<SpinOffTerms> {
        read_terms(&self.conn, spin_off_id)
    }

    /// Saves a spin-off's terms, cap-table plan and chosen reference set, and writes one
    /// history entry on the spin-off per changed term (field `terms.<name>`, old → new as
    /// JSON) and one when the cap table changed (field `terms.capTable`, old → new as a
    /// summary of holders and rounds), all in one transaction.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown spin-off; [`Error::Invalid`] (field `terms`) when
    /// the terms are impossible (see `DealTerms::validate`).
    pub fn save_spin_off_terms(
        &mut self,
        change: &Change,
        input: &SpinOffTerms,
    ) -> Result<SpinOffTerms> {
        input
            .terms
            .validate()
            .map_err(|_| invalid("terms", Problem::Invalid))?;
        let id = input.spin_off_id.as_str();
        let tx = self.begin("saving the spin-off's terms")?;
        let old = read_terms(&tx, id)?;
        let at = ts(change.at);
        let terms_json = to_json(&input.terms, "the terms")?;
        let cap_json = input
            .cap_table
            .as_ref()
            .map(|c| to_json(c, "the cap table"))
            .transpose()?;
        tx.prepare_cached(
            "INSERT INTO spin_off_terms
                 (spin_off_id, terms_json, cap_table_json, reference_set_id, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (spin_off_id) DO UPDATE SET
                 terms_json = excluded.terms_json,
                 cap_table_json = excluded.cap_table_json,
                 reference_set_id = excluded.reference_set_id,
                 updated_at = excluded.updated_at",
        )
        .and_then(|mut s| {
            s.execute(params![
                id,
                terms_json,
                cap_json,
                input.reference_set_id,
                at
            ])
        })
        .map_err(Error::sql("saving the spin-off's terms"))?;

        let before = members(&serde_json::to_value(&old.terms).unwrap_or_default());
        let after = members(&serde_json::to_value(&input.terms).unwrap_or_default());
        let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for key in keys {
            let (o, n) = (before.get(key), after.get(key));
            if o == n {
                continue;
            }
            history::append(
                &tx,
                change,
                Entry {
                    kind: RecordKind::SpinOff,
                    record_id: id,
                    action: Action::Updated,
                    field: Some(&format!("terms.{key}")),
                    old: o.map(String::as_str),
                    new: n.map(String::as_str),
                },
            )?;
        }
        if old.cap_table != input.cap_table {
            let (o, n) = (
                old.cap_table.as_ref().map(plan_summary),
                input.cap_table.as_ref().map(plan_summary),
            );
            history::append(
                &tx,
                change,
                Entry {
                    kind: RecordKind::SpinOff,
                    record_id: id,
                    action: Action::Updated,
                    field: Some("terms.capTable"),
                    old: o.as_deref(),
                    new: n.as_deref(),
                },
            )?;
        }
        let saved = read_terms(&tx, id)?;
        tx.commit()
            .map_err(Error::sql("saving the spin-off's terms"))?;
        Ok(saved)
    }

    /// The reference sets the office added itself, by name.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when a stored set no longer parses.
    pub fn office_reference_sets(&self) -> Result<Vec<ReferenceSet>> {
        let rows = self
            .conn
            .prepare_cached("SELECT set_json FROM reference_term_sets ORDER BY name, id")
            .and_then(|mut s| {
                s.query_map([], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::sql("reading the office's reference sets"))?;
        rows.iter()
            .map(|json| from_json(json, "an office reference set"))
            .collect()
    }

    /// Adds or replaces one of the office's own reference sets (by id).
    ///
    /// # Errors
    /// [`Error::Invalid`] (field `set`) when the set fails `ReferenceSet::validate` or its
    /// id is longer than 80 characters.
    pub fn save_office_reference_set(
        &mut self,
        change: &Change,
        set: &ReferenceSet,
    ) -> Result<ReferenceSet> {
        set.validate()
            .map_err(|_| invalid("set", Problem::Invalid))?;
        if set.id.0.chars().count() > MAX_ID {
            return Err(invalid("id", Problem::TooLong { max: MAX_ID as u32 }));
        }
        let at = ts(change.at);
        let json = to_json(set, "the reference set")?;
        self.conn
            .prepare_cached(
                "INSERT INTO reference_term_sets (id, name, set_json, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)
                 ON CONFLICT (id) DO UPDATE SET
                     name = excluded.name, set_json = excluded.set_json,
                     updated_at = excluded.updated_at",
            )
            .and_then(|mut s| s.execute(params![set.id.0, set.name, json, at]))
            .map_err(Error::sql("saving an office reference set"))?;
        Ok(set.clone())
    }

    /// Deletes one of the office's own reference sets.
    ///
    /// # Errors
    /// [`Error::NotFound`] when no such set exists.
    pub fn delete_office_reference_set(&mut self, id: &str) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM reference_term_sets WHERE id = ?1", [id])
            .map_err(Error::sql("deleting an office reference set"))?;
        if n == 0 {
            return Err(Error::NotFound {
                what: "reference set",
                id: id.to_owned(),
            });
        }
        Ok(())
    }

    /// Progress of every lesson started, by lesson id.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when stored answers no longer parse.
    pub fn learning_progress(&self) -> Result<Vec<LessonProgress>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT lesson_id, answers_json, completed, updated_at
                   FROM learning_progress ORDER BY lesson_id",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::sql("reading the learning progress"))?;
        rows.into_iter()
            .map(|(lesson_id, answers, completed, at)| {
                Ok(LessonProgress {
                    lesson_id,
                    answers: from_json(&answers, "lesson answers")?,
                    completed: completed != 0,
                    updated_at: Some(parse_ts(&at)?),
                })
            })
            .collect()
    }

    /// Saves one lesson's progress (replacing what was saved before) as of `at`.
    ///
    /// # Errors
    /// [`Error::Invalid`] (field `lessonId`) for an empty or over-long lesson id.
    pub fn save_lesson_progress(
        &mut self,
        progress: &LessonProgress,
        at: DateTime<Utc>,
    ) -> Result<LessonProgress> {
        let id = progress.lesson_id.trim();
        if id.is_empty() {
            return Err(invalid("lessonId", Problem::Required));
        }
        if id.chars().count() > MAX_ID {
            return Err(invalid("lessonId", Problem::TooLong { max: MAX_ID as u32 }));
        }
        let answers = to_json(&progress.answers, "lesson answers")?;
        self.conn
            .prepare_cached(
                "INSERT INTO learning_progress (lesson_id, answers_json, completed, updated_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (lesson_id) DO UPDATE SET
                     answers_json = excluded.answers_json, completed = excluded.completed,
                     updated_at = excluded.updated_at",
            )
            .and_then(|mut s| {
                s.execute(params![id, answers, i64::from(progress.completed), ts(at)])
            })
            .map_err(Error::sql("saving the learning progress"))?;
        Ok(LessonProgress {
            lesson_id: id.to_owned(),
            answers: progress.answers.clone(),
            completed: progress.completed,
            updated_at: Some(at),
        })
    }
}
