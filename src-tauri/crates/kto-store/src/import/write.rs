//! Writing what an analysed import planned, inside the caller's transaction, and
//! remembering it so that the last import can be undone.

use super::*;

/// One record an import created or changed, for its batch.
pub(super) struct Touched {
    pub(super) id: String,
    pub(super) previous: Option<Values>,
}

/// Writes the planned rows inside `tx`: new records, and duplicates merged or skipped as
/// `choice` says. Stops without writing more when `cancel` is set.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_rows(
    tx: &Connection,
    change: &Change,
    spec: &KindSpec,
    analysis: &Analysis,
    choice: &dyn Fn(u32) -> DuplicateChoice,
    progress: &mut dyn FnMut(ImportProgress),
    cancel: &AtomicBool,
    outcome: &mut ImportOutcome,
) -> Result<Option<Vec<Touched>>> {
    let total = analysis.planned.len() as u32;
    let mut touched = Vec::new();
    progress(ImportProgress { done: 0, total });
    for (n, p) in analysis.planned.iter().enumerate() {
        if cancel.load(Ordering::SeqCst) {
            return Ok(None);
        }
        let written = match &p.existing {
            None => target(spec.kind)
                .create(tx, change, spec, &p.values, p.id.as_deref())
                .map(|id| {
                    outcome.created += 1;
                    touched.push(Touched { id, previous: None });
                }),
            Some(d) if choice(p.line) == DuplicateChoice::Merge => {
                let old = analysis.existing.get(&d.record_id).map(|e| &e.values);
                let values = merged(old, &p.values, &p.cleared);
                target(spec.kind)
                    .update(tx, change, spec, &d.record_id, &values)
                    .map(|()| {
                        outcome.updated += 1;
                        touched.push(Touched {
                            id: d.record_id.clone(),
                            previous: Some(old.cloned().unwrap_or_default()),
                        });
                    })
            }
            Some(_) => {
                outcome.skipped += 1;
                Ok(())
            }
        };
        if let Err(e) = written {
            let column = match &e {
                Error::Invalid(v) => v.0.first().map(|f| f.field.clone()),
                _ => None,
            };
            return Err(Error::Import(ImportProblems(vec![ImportProblem {
                line: u64::from(p.line),
                column,
                message: e.to_string(),
            }])));
        }
        let done = n as u32 + 1;
        if done.is_multiple_of(PROGRESS_EVERY) || done == total {
            progress(ImportProgress { done, total });
        }
    }
    if cancel.load(Ordering::SeqCst) {
        return Ok(None);
    }
    Ok(Some(touched))
}

/// Remembers an import for undo; returns the batch id.
pub(super) fn record_batch(
    tx: &Connection,
    change: &Change,
    spec: &KindSpec,
    file_name: &str,
    outcome: &ImportOutcome,
    touched: &[Touched],
) -> Result<String> {
    let id = kto_core::ids::new_id().to_string();
    tx.execute(
        "INSERT INTO import_batches (id, record_kind, file_name, imported_at, actor, created, updated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            spec.kind.code(),
            file_name,
            ts(change.at),
            change.actor,
            outcome.created,
            outcome.updated
        ],
    )
    .map_err(Error::sql("remembering the import"))?;
    for (position, t) in touched.iter().enumerate() {
        let after = updated_at(tx, spec, &t.id)?.unwrap_or_default();
        let previous = t
            .previous
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| Error::Corrupt(format!("record values as JSON: {e}")))?;
        tx.prepare_cached(
            "INSERT INTO import_batch_records (batch_id, position, record_id, action, previous, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .and_then(|mut s| {
            s.execute(params![
                id,
                position as i64,
                t.id,
                if t.previous.is_some() { "updated" } else { "created" },
                previous,
                after
            ])
        })
        .map_err(Error::sql("remembering the import"))?;
    }
    Ok(id)
}
