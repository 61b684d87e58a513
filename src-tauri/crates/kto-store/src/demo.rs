//! Loading the demo office through the store's normal write paths, in one transaction.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use kto_core::activity::Change;
use kto_core::demo::{DemoOffice, DemoRef};
use kto_core::disclosure::{validate, DisclosureInput};
use kto_core::record::Value;

use crate::parties::{insert_organisation, insert_person};
use crate::{disclosures, Error, Result, Store};

fn at(date: NaiveDate, hour: u32) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default()))
}

/// What a demo load wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoCounts {
    pub organisations: usize,
    pub people: usize,
    pub disclosures: usize,
    pub deals: usize,
    /// Patents, agreements, income, costs, consortia, spin-offs and scouting leads.
    pub records: usize,
}

impl Store {
    /// Writes the demo office, dating each record and stage change as the office would
    /// have made it. Refuses to run on an office that already holds records.
    pub fn load_demo(
        &mut self,
        office: &DemoOffice,
        today: NaiveDate,
        actor: &str,
    ) -> Result<DemoCounts> {
        if !self.is_empty()? {
            return Err(Error::Conflict(
                "the demo office can only be loaded into an empty database; choose an empty data folder".into(),
            ));
        }
        let first = office
            .disclosures
            .iter()
            .filter_map(|d| d.input.received_on)
            .min()
            .unwrap_or(today);
        let setup = Change {
            actor: actor.to_string(),
            at: at(first, 8),
        };
        let tx = self.begin("loading the demo office")?;
        for o in &office.organisations {
            insert_organisation(&tx, &setup, o)?;
        }
        for p in &office.people {
            insert_person(&tx, &setup, p)?;
        }
        let mut disclosure_ids = Vec::with_capacity(office.disclosures.len());
        for d in &office.disclosures {
            let received = d.input.received_on.unwrap_or(today);
            let valid = validate(&d.input, today)?;
            let id = disclosures::insert(
                &tx,
                &Change {
                    actor: actor.to_string(),
                    at: at(received, 10),
                },
                &valid,
            )?;
            disclosure_ids.push(id.to_string());
            let mut input: DisclosureInput = d.input.clone();
            for (date, stage, decision) in &d.stage_changes {
                input.stage = *stage;
                input.decision = *decision;
                input.decided_on = decision.map(|_| *date);
                let valid = validate(&input, today)?;
                disclosures::update(
                    &tx,
                    &Change {
                        actor: actor.to_string(),
                        at: at(*date, 14),
                    },
                    id,
                    &valid,
                )?;
            }
        }
        for d in &office.deals {
            let first = crate::deals::stage_by_id(&tx, &d.input.stage_id)?;
            let valid = kto_core::pipeline::validate_deal(&d.input, &first)?;
            let created = Change {
                actor: actor.to_string(),
                at: at(d.created_on, 9),
            };
            let id = crate::deals::insert(&tx, &created, &valid)?;
            let mut input = d.input.clone();
            for (date, code) in &d.moves {
                input.stage_id = format!("{}:{code}", d.input.pipeline.code());
                let stage = crate::deals::stage_by_id(&tx, &input.stage_id)?;
                let valid = kto_core::pipeline::validate_deal(&input, &stage)?;
                crate::deals::update(
                    &tx,
                    &Change {
                        actor: actor.to_string(),
                        at: at(*date, 15),
                    },
                    id,
                    &valid,
                )?;
            }
        }
        let mut record_ids: Vec<String> = Vec::with_capacity(office.records.len());
        for r in &office.records {
            let mut values = r.values.clone();
            for (field, target) in &r.links {
                let id = match *target {
                    DemoRef::Record(i) => record_ids.get(i).cloned(),
                    DemoRef::Disclosure(i) => disclosure_ids.get(i).cloned(),
                    DemoRef::Organisation(i) => {
                        office.organisations.get(i).map(|o| o.id.to_string())
                    }
                    DemoRef::Person(i) => office.people.get(i).map(|p| p.id.to_string()),
                };
                if let Some(id) = id {
                    values.insert((*field).to_string(), Value::Text(id));
                }
            }
            let change = Change {
                actor: actor.to_string(),
                at: at(r.created_on, 11),
            };
            let saved = crate::records::create_in(&tx, &change, r.kind, &values)?;
            // Edits of one day go in together, as a user saves a form.
            let mut days: Vec<NaiveDate> = r.edits.iter().map(|e| e.0).collect();
            days.dedup();
            for date in days {
                for (_, field, value) in r.edits.iter().filter(|e| e.0 == date) {
                    values.insert((*field).to_string(), value.clone());
                }
                let change = Change {
                    actor: actor.to_string(),
                    at: at(date, 16),
                };
                crate::records::update_in(&tx, &change, r.kind, &saved, &values)?;
            }
            for (date, note) in &r.notes {
                let change = Change {
                    actor: actor.to_string(),
                    at: at(*date, 17),
                };
                crate::records::note_in(&tx, &change, r.kind, &saved, note)?;
            }
            record_ids.push(saved);
        }
        tx.commit().map_err(Error::sql("loading the demo office"))?;
        Ok(DemoCounts {
            records: office.records.len(),
            organisations: office.organisations.len(),
            people: office.people.len(),
            disclosures: office.disclosures.len(),
            deals: office.deals.len(),
        })
    }
}
