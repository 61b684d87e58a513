//! What the calendar export holds: the deadlines (`deadlines::between`) and open deals'
//! next actions (the rows My week reads) due in the calendar's window, for the whole
//! office or for one responsible person, and the `.ics` file written from them
//! (`kto_core::calendar`).
//!
//! A person's calendar: deals have a responsible person (`deals.owner`, a name); patents
//! and agreements have none in the schema. So a person's calendar holds the next actions
//! of the deals they are responsible for, the end dates of the agreements made under
//! those deals (`agreements.deal_id`), and the deadlines of the patents those agreements
//! or the deals' spin-offs (`spin_offs.deal_id`) concern. The office's calendar holds
//! everything.

use std::collections::HashSet;
use std::io::Write as _;
use std::path::Path;

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use kto_core::activity::RecordKind;
use kto_core::calendar::{calendar_of, to_ics, CalendarExported, CalendarItems};
use kto_core::settings::Language;

use crate::{Error, Result, Store};

/// How far ahead the calendar reaches: three years holds every deadline of an
/// application filed today (the latest, a 31-month national phase).
pub const CALENDAR_AHEAD_MONTHS: u32 = 36;

/// How many names a refusal of an unknown person lists.
const NAMES_LISTED: usize = 10;

impl Store {
    /// The people responsible for deals, by name, in alphabetical order: whom a calendar
    /// can be made for.
    pub fn responsible_people(&self) -> Result<Vec<String>> {
        self.conn
            .prepare_cached(
                "SELECT DISTINCT owner FROM deals WHERE owner <> '' ORDER BY owner COLLATE NOCASE",
            )
            .and_then(|mut s| {
                s.query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .map_err(Error::sql("listing the people responsible for deals"))
    }

    /// The responsible person `name_or_id` names: the name of the person with that id in
    /// the address book, or else the name itself; in either case as the deals spell it
    /// (letter case aside).
    ///
    /// # Errors
    /// [`Error::Conflict`] naming the responsible people when no deal has that person.
    fn responsible_person(&self, name_or_id: &str) -> Result<String> {
        let typed = name_or_id.trim();
        let by_id: Option<String> = self
            .conn
            .prepare_cached("SELECT name FROM people WHERE id = ?1")
            .and_then(|mut s| s.query_map([typed], |r| r.get(0))?.next().transpose())
            .map_err(Error::sql("looking a person up"))?;
        let name = by_id.unwrap_or_else(|| typed.to_owned());
        let owner: Option<String> = self
            .conn
            .prepare_cached("SELECT owner FROM deals WHERE owner = ?1 COLLATE NOCASE LIMIT 1")
            .and_then(|mut s| s.query_map([name.trim()], |r| r.get(0))?.next().transpose())
            .map_err(Error::sql("looking up a deal's responsible person"))?;
        if let Some(owner) = owner {
            return Ok(owner);
        }
        let people = self.responsible_people()?;
        let mut listed = people
            .iter()
            .take(NAMES_LISTED)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if people.len() > NAMES_LISTED {
            listed.push_str(", …");
        }
        Err(Error::Conflict(if people.is_empty() {
            format!("no deal has “{typed}” as its responsible person, and no deal has one yet; export the whole office's calendar instead")
        } else {
            format!("no deal has “{typed}” as its responsible person; choose one of {listed}, or the whole office")
        }))
    }

    /// The ids of the agreements and patents reached from `owner`'s deals: agreements
    /// made under them and the patents those agreements, or the deals' spin-offs, concern.
    fn linked_to_owner(&self, owner: &str) -> Result<HashSet<(RecordKind, String)>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT 'agreement', a.id FROM agreements a JOIN deals d ON d.id = a.deal_id
                  WHERE d.owner = ?1
                 UNION
                 SELECT 'patent', a.patent_id FROM agreements a JOIN deals d ON d.id = a.deal_id
                  WHERE d.owner = ?1 AND a.patent_id IS NOT NULL
                 UNION
                 SELECT 'patent', so.patent_id FROM spin_offs so JOIN deals d ON d.id = so.deal_id
                  WHERE d.owner = ?1 AND so.patent_id IS NOT NULL",
            )
            .and_then(|mut s| {
                s.query_map([owner], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::sql("reading the records linked to a person's deals"))?;
        rows.into_iter()
            .map(|(kind, id)| Ok((RecordKind::from_code(&kind)?, id)))
            .collect()
    }

    /// What the calendar as of `today` holds, for the whole office or, with `person` (a
    /// name or a person's id), for one responsible person: everything due from
    /// [`crate::deadlines::OVERDUE_DAYS`] days ago (as My week shows it overdue) up to
    /// [`CALENDAR_AHEAD_MONTHS`] months ahead, soonest first.
    ///
    /// # Errors
    /// [`Error::Conflict`] when no deal has `person` as its responsible person.
    pub fn calendar_items(&self, today: NaiveDate, person: Option<&str>) -> Result<CalendarItems> {
        let person = person
            .filter(|p| !p.trim().is_empty())
            .map(|p| self.responsible_person(p))
            .transpose()?;
        let from = today
            .checked_sub_days(Days::new(crate::deadlines::OVERDUE_DAYS))
            .unwrap_or(today);
        let until = today
            .checked_add_months(Months::new(CALENDAR_AHEAD_MONTHS))
            .unwrap_or(today);
        let mut deadlines = crate::deadlines::between(&self.conn, today, until)?;
        let mut params = vec![from.to_string(), until.to_string()];
        let mut condition = "d.next_action_due >= ?1 AND d.next_action_due <= ?2".to_owned();
        if let Some(owner) = &person {
            let linked = self.linked_to_owner(owner)?;
            deadlines.retain(|d| linked.contains(&(d.record_kind, d.record_id.clone())));
            condition.push_str(" AND d.owner = ?3");
            params.push(owner.clone());
        }
        let actions = self.next_action_rows(&condition, &params, None)?;
        Ok(CalendarItems {
            person,
            from,
            until,
            deadlines,
            actions,
        })
    }

    /// Writes the calendar as of `today` (see [`Store::calendar_items`]) in `lang` to
    /// `dest`, a file that must not exist yet, stamped `stamp` (the export time).
    ///
    /// # Errors
    /// [`Error::Conflict`] when `dest` exists (nothing is overwritten) or no deal has
    /// `person`; [`Error::File`] when the file cannot be written.
    pub fn export_calendar(
        &self,
        dest: &Path,
        today: NaiveDate,
        stamp: DateTime<Utc>,
        person: Option<&str>,
        lang: Language,
    ) -> Result<CalendarExported> {
        let items = self.calendar_items(today, person)?;
        let calendar = calendar_of(&items, lang);
        write_new(dest, to_ics(&calendar, stamp).as_bytes())?;
        Ok(CalendarExported {
            path: dest.display().to_string(),
            events: calendar.events.len() as u64,
            person: items.person,
            from: items.from,
            until: items.until,
        })
    }
}

/// Writes `bytes` to a new file at `dest` and flushes it to disk; refuses an existing
/// file, and removes what it wrote when writing fails.
fn write_new(dest: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dest)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Conflict(format!(
                "`{}` already exists; a calendar export never overwrites a file. Choose another name",
                dest.display()
            )))
        }
        Err(e) => return Err(Error::file("create", dest)(e)),
    };
    if let Err(e) = file.write_all(bytes).and_then(|()| file.sync_all()) {
        drop(file);
        let _ = std::fs::remove_file(dest);
        return Err(Error::file("write the calendar to", dest)(e));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use chrono::TimeZone;
    use kto_core::activity::Change;
    use kto_core::deadlines::DeadlineKind;
    use kto_core::money::Money;
    use kto_core::pipeline::{DealInput, Pipeline};
    use kto_core::record::Value;

    use super::*;

    fn change() -> Change {
        Change {
            actor: "Test User".into(),
            at: Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn record(store: &mut Store, kind: RecordKind, pairs: &[(&str, &str)]) -> String {
        let values = pairs
            .iter()
            .map(|(k, v)| {
                let value = match *v {
                    "true" => Value::Bool(true),
                    text => Value::Text(text.to_owned()),
                };
                ((*k).to_owned(), value)
            })
            .collect();
        store.create_record(&change(), kind, &values).unwrap().id
    }

    fn deal(store: &mut Store, title: &str, owner: &str, due: &str) -> kto_core::pipeline::Deal {
        store
            .create_deal(
                &change(),
                &DealInput {
                    pipeline: Pipeline::Licensing,
                    title: title.into(),
                    stage_id: "licensing:negotiation".into(),
                    organisation_id: None,
                    value: Some(Money::from_euros(10_000)),
                    owner: owner.into(),
                    next_action: format!("Call about {title}"),
                    next_action_due: Some(due.parse().unwrap()),
                    lost_reason: String::new(),
                    notes: String::new(),
                },
            )
            .unwrap()
    }

    /// Two licensing deals (Eva's and Jeroen's); a PCT application licensed under Eva's
    /// deal; an agreement end under Jeroen's; a patent of nobody's deal.
    fn office() -> (Store, kto_core::pipeline::Deal) {
        let mut store = Store::open_in_memory().unwrap();
        let eva = deal(&mut store, "Coating licence", "Eva Smit", "2026-12-01");
        let jeroen = deal(&mut store, "Sensor licence", "Jeroen Bakker", "2027-02-01");
        let coating = record(
            &mut store,
            RecordKind::Patent,
            &[
                ("title", "Self-healing coating"),
                ("family", "PF-2024-01"),
                ("jurisdiction", "pct"),
                ("filingDate", "2025-06-01"),
                ("priorityDate", "2024-06-02"),
                ("status", "pending"),
            ],
        );
        record(
            &mut store,
            RecordKind::Patent,
            &[
                ("title", "Unlicensed sensor"),
                ("family", "PF-2026-02"),
                ("jurisdiction", "nl"),
                ("filingDate", "2026-03-01"),
                ("isPriority", "true"),
                ("status", "pending"),
            ],
        );
        let eva_id = eva.id.to_string();
        let jeroen_id = jeroen.id.to_string();
        record(
            &mut store,
            RecordKind::Agreement,
            &[
                ("title", "Coating licence agreement"),
                ("kind", "licence"),
                ("patentId", &coating),
                ("dealId", &eva_id),
            ],
        );
        record(
            &mut store,
            RecordKind::Agreement,
            &[
                ("title", "Sensor NDA"),
                ("kind", "nda"),
                ("endDate", "2027-03-31"),
                ("dealId", &jeroen_id),
            ],
        );
        (store, eva)
    }

    fn titles(items: &CalendarItems) -> Vec<String> {
        let mut t: Vec<String> = items.deadlines.iter().map(|d| d.title.clone()).collect();
        t.extend(items.actions.iter().map(|a| a.title.clone()));
        t
    }

    #[test]
    fn the_office_calendar_holds_every_deadline_and_next_action_of_the_window() {
        let (store, _) = office();
        let items = store.calendar_items(today(), None).unwrap();
        assert_eq!(items.person, None);
        assert_eq!(items.from, NaiveDate::from_ymd_opt(2026, 10, 27).unwrap());
        assert_eq!(items.until, NaiveDate::from_ymd_opt(2029, 11, 27).unwrap());
        let kinds: Vec<(DeadlineKind, String)> = items
            .deadlines
            .iter()
            .map(|d| (d.kind, d.due.to_string()))
            .collect();
        assert_eq!(
            kinds,
            [
                (DeadlineKind::PctNationalPhase, "2026-12-02".to_owned()),
                (DeadlineKind::PctNationalPhase, "2027-01-02".to_owned()),
                (DeadlineKind::PriorityYear, "2027-03-01".to_owned()),
                (DeadlineKind::AgreementEnd, "2027-03-31".to_owned()),
                (DeadlineKind::Publication, "2027-09-01".to_owned()),
            ]
        );
        assert_eq!(items.actions.len(), 2);
    }

    #[test]
    fn a_persons_calendar_holds_their_deals_and_what_those_deals_link_to() {
        let (store, eva) = office();
        let items = store.calendar_items(today(), Some("eva smit")).unwrap();
        assert_eq!(items.person.as_deref(), Some("Eva Smit"));
        assert_eq!(
            titles(&items),
            [
                "Self-healing coating",
                "Self-healing coating",
                "Coating licence"
            ]
        );
        assert_eq!(items.actions[0].deal_id, eva.id);
        let jeroen = store
            .calendar_items(today(), Some("Jeroen Bakker"))
            .unwrap();
        assert_eq!(titles(&jeroen), ["Sensor NDA", "Sensor licence"]);
    }

    #[test]
    fn a_person_is_found_by_their_id_in_the_address_book_too() {
        let (store, _) = office();
        let eva = kto_core::party::Person {
            id: kto_core::ids::PersonId::new(),
            name: "Eva Smit".into(),
            email: None,
            organisation_id: None,
            organisation_name: None,
            faculty: String::new(),
        };
        crate::parties::insert_person(&store.conn, &change(), &eva).unwrap();
        let items = store
            .calendar_items(today(), Some(&eva.id.to_string()))
            .unwrap();
        assert_eq!(items.person.as_deref(), Some("Eva Smit"));
        assert_eq!(items.actions.len(), 1);
    }

    #[test]
    fn an_unknown_person_is_refused_naming_the_responsible_people() {
        let (store, _) = office();
        let err = store
            .calendar_items(today(), Some("Noor"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("“Noor”") && err.contains("Eva Smit, Jeroen Bakker"),
            "{err}"
        );
        assert_eq!(
            store.responsible_people().unwrap(),
            ["Eva Smit", "Jeroen Bakker"]
        );
    }

    #[test]
    fn the_export_writes_a_new_file_and_never_overwrites_one() {
        let (store, _) = office();
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("office.ics");
        let stamp = Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap();
        let done = store
            .export_calendar(&dest, today(), stamp, None, Language::En)
            .unwrap();
        assert_eq!(done.events, 7);
        let text = std::fs::read_to_string(&dest).unwrap();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 7);
        let err = store
            .export_calendar(&dest, today(), stamp, None, Language::En)
            .unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), text);
    }

    #[test]
    fn a_moved_next_action_keeps_its_uid_in_the_next_export() {
        let (mut store, eva) = office();
        let dir = tempfile::tempdir().unwrap();
        let stamp = Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap();
        let uids = |path: &Path| -> Vec<String> {
            let mut u: Vec<String> = std::fs::read_to_string(path)
                .unwrap()
                .replace("\r\n ", "")
                .lines()
                .filter_map(|l| l.strip_prefix("UID:").map(str::to_owned))
                .collect();
            u.sort();
            u
        };
        let first = dir.path().join("first.ics");
        store
            .export_calendar(&first, today(), stamp, Some("Eva Smit"), Language::Nl)
            .unwrap();
        let mut input = DealInput {
            pipeline: eva.pipeline,
            title: eva.title.clone(),
            stage_id: eva.stage_id.clone(),
            organisation_id: eva.organisation_id,
            value: eva.value,
            owner: eva.owner.clone(),
            next_action: eva.next_action.clone(),
            next_action_due: eva.next_action_due,
            lost_reason: String::new(),
            notes: eva.notes.clone(),
        };
        input.next_action_due = Some(NaiveDate::from_ymd_opt(2027, 1, 15).unwrap());
        store.update_deal(&change(), eva.id, &input).unwrap();
        let second = dir.path().join("second.ics");
        store
            .export_calendar(
                &second,
                today(),
                stamp + chrono::Duration::hours(1),
                Some("Eva Smit"),
                Language::Nl,
            )
            .unwrap();
        assert_eq!(uids(&first), uids(&second));
        let text = std::fs::read_to_string(&second).unwrap();
        assert!(text.contains("DTSTART;VALUE=DATE:20270115\r\n"), "{text}");
        assert!(!text.contains("DTSTART;VALUE=DATE:20261201\r\n"), "{text}");
    }
}
