//! Loading the demo office through the store's normal write paths, in one transaction.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use kto_core::activity::Change;
use kto_core::demo::DemoOffice;
use kto_core::disclosure::{validate, DisclosureInput};

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
        let tx = self
            .conn
            .transaction()
            .map_err(Error::sql("loading the demo office"))?;
        for o in &office.organisations {
            insert_organisation(&tx, &setup, o)?;
        }
        for p in &office.people {
            insert_person(&tx, &setup, p)?;
        }
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
        tx.commit().map_err(Error::sql("loading the demo office"))?;
        Ok(DemoCounts {
            organisations: office.organisations.len(),
            people: office.people.len(),
            disclosures: office.disclosures.len(),
            deals: office.deals.len(),
        })
    }
}
