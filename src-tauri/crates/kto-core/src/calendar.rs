//! The office's deadlines as an iCalendar file (RFC 5545), for Outlook, Google Calendar
//! and the like: one all-day event per patent or agreement deadline and per open deal's
//! next action, in Dutch or English.
//!
//! A calendar program that imports the file again updates its events rather than adding
//! them twice: an event's UID names the record and what the deadline is for, never its
//! date, so a moved date moves the event; every export carries a newer DTSTAMP and a
//! higher SEQUENCE (both from the export time passed in, so output is reproducible).
//!
//! The writer is small and written here: CRLF line ends, lines folded at 75 octets on
//! character boundaries, TEXT values escaped. Nothing here reads the clock or a file.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::activity::RecordKind;
use crate::deadlines::DeadlineKind;
use crate::pipeline::{NextAction, Pipeline, RecordDeadline};
use crate::settings::Language;

/// The domain part of every UID (`patent-<id>-publication@kto-desk`).
pub const UID_DOMAIN: &str = "kto-desk";

/// Days before a patent deadline that the calendar reminds: a filing abroad or a national
/// phase needs an attorney's instructions weeks ahead.
pub const PATENT_ALARM_DAYS: u32 = 14;

/// The longest line RFC 5545 allows, in octets, without its CRLF.
const MAX_LINE_OCTETS: usize = 75;

/// What one calendar export covers: the deadlines and next actions due in a window, for
/// the whole office or for one responsible person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarItems {
    /// The responsible person the calendar is for; `None` for the whole office.
    pub person: Option<String>,
    /// The first day of the window.
    pub from: NaiveDate,
    /// The last day of the window.
    pub until: NaiveDate,
    /// Patent and agreement deadlines in the window, soonest first.
    pub deadlines: Vec<RecordDeadline>,
    /// Open deals' next actions due in the window, soonest first.
    pub actions: Vec<NextAction>,
}

/// What a calendar export wrote, for the app to report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CalendarExported {
    /// The file written.
    pub path: String,
    /// How many events it holds.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub events: u64,
    /// The responsible person it is for; `None` for the whole office.
    pub person: Option<String>,
    /// The first day of the window it covers.
    pub from: NaiveDate,
    /// The last day of the window it covers.
    pub until: NaiveDate,
}

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Stable and unique: the same deadline of the same record has the same UID in every
    /// export, whatever its date.
    pub uid: String,
    /// The day of the deadline.
    pub date: NaiveDate,
    /// The title shown in the calendar.
    pub summary: String,
    /// The rule behind the deadline and the record it comes from.
    pub description: String,
    /// Categories, as calendar programs colour and filter by them.
    pub categories: Vec<String>,
    /// A display reminder this many days before, if any.
    pub alarm_days_before: Option<u32>,
}

/// A calendar: its name and its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// The name calendar programs show (`X-WR-CALNAME`).
    pub name: String,
    /// The events, in the order written.
    pub events: Vec<CalendarEvent>,
}

/// The calendar of `items` in `lang`: the deadlines, then the next actions, each with its
/// summary, description, categories and (for patent deadlines) a reminder.
pub fn calendar_of(items: &CalendarItems, lang: Language) -> Calendar {
    let nl = lang == Language::Nl;
    let name = match (&items.person, nl) {
        (None, false) => "KTO Desk: office deadlines".to_owned(),
        (None, true) => "KTO Desk: termijnen van het kantoor".to_owned(),
        (Some(p), false) => format!("KTO Desk: deadlines of {p}"),
        (Some(p), true) => format!("KTO Desk: termijnen van {p}"),
    };
    let mut events: Vec<CalendarEvent> = items
        .deadlines
        .iter()
        .map(|d| deadline_event(d, lang))
        .collect();
    events.extend(items.actions.iter().map(|a| next_action_event(a, lang)));
    Calendar { name, events }
}

/// The UID of a patent or agreement deadline: record kind, record id, what the deadline
/// is for and, for a 31-month national phase, the office (`patent-<id>-pct-national-phase-ep`).
pub fn deadline_uid(d: &RecordDeadline) -> String {
    let what = match d.kind {
        DeadlineKind::PriorityYear => "priority-year",
        DeadlineKind::Publication => "publication",
        DeadlineKind::PctNationalPhase => "pct-national-phase",
        DeadlineKind::EpValidation => "ep-validation",
        DeadlineKind::AgreementEnd => "end",
    };
    let office = d
        .params
        .get("office")
        .map(|o| format!("-{}", o.to_lowercase()))
        .unwrap_or_default();
    format!(
        "{}-{}-{what}{office}@{UID_DOMAIN}",
        d.record_kind.code(),
        d.record_id
    )
}

/// The UID of a deal's next action: one per deal, so a new action or due date replaces
/// the old event.
pub fn next_action_uid(a: &NextAction) -> String {
    format!("deal-{}-next-action@{UID_DOMAIN}", a.deal_id)
}

/// A date as the app shows it: `07-03-2026` in Dutch, `07/03/2026` in English.
fn date_text(d: NaiveDate, lang: Language) -> String {
    match lang {
        Language::Nl => d.format("%d-%m-%Y").to_string(),
        Language::En => d.format("%d/%m/%Y").to_string(),
    }
}

/// What a deadline is for, in words (the app's own labels).
fn deadline_label(d: &RecordDeadline, nl: bool) -> String {
    let param = |k: &str| d.params.get(k).map(String::as_str).unwrap_or_default();
    let jurisdiction = param("jurisdiction");
    let months = param("months");
    let office = d
        .params
        .get("office")
        .map(|o| format!(", {o}"))
        .unwrap_or_default();
    match (d.kind, nl) {
        (DeadlineKind::PriorityYear, false) => {
            format!("Priority year ends ({jurisdiction}, 12 months)")
        }
        (DeadlineKind::PriorityYear, true) => {
            format!("Prioriteitsjaar eindigt ({jurisdiction}, 12 maanden)")
        }
        (DeadlineKind::Publication, false) => format!("Publication ({jurisdiction}, 18 months)"),
        (DeadlineKind::Publication, true) => format!("Publicatie ({jurisdiction}, 18 maanden)"),
        (DeadlineKind::PctNationalPhase, false) => {
            format!("PCT national phase ({months} months{office})")
        }
        (DeadlineKind::PctNationalPhase, true) => {
            format!("PCT nationale fase ({months} maanden{office})")
        }
        (DeadlineKind::EpValidation, false) => "EP validation (3 months after grant)".to_owned(),
        (DeadlineKind::EpValidation, true) => "EP-validatie (3 maanden na verlening)".to_owned(),
        (DeadlineKind::AgreementEnd, false) => "Agreement ends".to_owned(),
        (DeadlineKind::AgreementEnd, true) => "Overeenkomst eindigt".to_owned(),
    }
}

/// The rule a deadline follows, in a sentence.
fn deadline_rule(d: &RecordDeadline, lang: Language) -> String {
    let nl = lang == Language::Nl;
    let basis = d
        .params
        .get("basisDate")
        .and_then(|b| b.parse::<NaiveDate>().ok())
        .map(|b| date_text(b, lang))
        .unwrap_or_default();
    let months = d.params.get("months").map(String::as_str).unwrap_or("30");
    let office = d.params.get("office");
    match (d.kind, nl) {
        (DeadlineKind::PriorityYear, false) => format!(
            "Last day to file abroad, or a PCT application, claiming the priority of {basis} (12 months)."
        ),
        (DeadlineKind::PriorityYear, true) => format!(
            "Laatste dag om in het buitenland of een PCT-aanvraag in te dienen met beroep op de prioriteit van {basis} (12 maanden)."
        ),
        (DeadlineKind::Publication, false) => format!(
            "The application is published 18 months after its priority date {basis}; it stays confidential until then."
        ),
        (DeadlineKind::Publication, true) => format!(
            "De aanvraag wordt 18 maanden na de prioriteitsdatum {basis} gepubliceerd; tot dan is zij vertrouwelijk."
        ),
        (DeadlineKind::PctNationalPhase, false) => format!(
            "Entry into the PCT national or regional phase{}: {months} months from the priority date {basis}.",
            office.map(|o| format!(" at {o}")).unwrap_or_default()
        ),
        (DeadlineKind::PctNationalPhase, true) => format!(
            "Ingang van de nationale of regionale fase van de PCT-aanvraag{}: {months} maanden na de prioriteitsdatum {basis}.",
            office.map(|o| format!(" bij {o}")).unwrap_or_default()
        ),
        (DeadlineKind::EpValidation, false) => format!(
            "Validation of the granted European patent in the states: 3 months after the grant of {basis}."
        ),
        (DeadlineKind::EpValidation, true) => format!(
            "Validatie van het verleende Europese octrooi in de landen: 3 maanden na de verlening van {basis}."
        ),
        (DeadlineKind::AgreementEnd, false) => "The agreement ends on this day.".to_owned(),
        (DeadlineKind::AgreementEnd, true) => "De overeenkomst eindigt op deze dag.".to_owned(),
    }
}

/// The event of a patent or agreement deadline.
pub fn deadline_event(d: &RecordDeadline, lang: Language) -> CalendarEvent {
    let nl = lang == Language::Nl;
    let patent = d.record_kind == RecordKind::Patent;
    let record = match (patent, nl) {
        (true, false) => "Patent application",
        (true, true) => "Octrooiaanvraag",
        (false, false) => "Agreement",
        (false, true) => "Overeenkomst",
    };
    let category = match (patent, nl) {
        (true, false) => "Patent deadline",
        (true, true) => "Octrooitermijn",
        (false, false) => "Agreement",
        (false, true) => "Overeenkomst",
    };
    let jurisdiction = d
        .params
        .get("jurisdiction")
        .map(|j| format!(" ({j})"))
        .unwrap_or_default();
    CalendarEvent {
        uid: deadline_uid(d),
        date: d.due,
        summary: format!("{}: {}", deadline_label(d, nl), d.title),
        description: format!(
            "{}\n{record}: {}{jurisdiction}\nKTO Desk: {} {}",
            deadline_rule(d, lang),
            d.title,
            d.record_kind.code(),
            d.record_id
        ),
        categories: vec!["KTO Desk".to_owned(), category.to_owned()],
        alarm_days_before: patent.then_some(PATENT_ALARM_DAYS),
    }
}

/// A pipeline's name (the app's own labels).
fn pipeline_name(p: Pipeline, nl: bool) -> &'static str {
    match (p, nl) {
        (Pipeline::Scouting, _) => "Scouting",
        (Pipeline::Licensing, false) => "Licensing",
        (Pipeline::Licensing, true) => "Licenties",
        (Pipeline::Pps, false) => "PPS consortia",
        (Pipeline::Pps, true) => "PPS-consortia",
        (Pipeline::ContractResearch, false) => "Contract research",
        (Pipeline::ContractResearch, true) => "Contractonderzoek",
        (Pipeline::SpinOffs, _) => "Spin-offs",
    }
}

/// The event of an open deal's next action.
pub fn next_action_event(a: &NextAction, lang: Language) -> CalendarEvent {
    let nl = lang == Language::Nl;
    let (next, deal, organisation, responsible, category) = if nl {
        (
            "Volgende actie",
            "Deal",
            "Organisatie",
            "Verantwoordelijk",
            "Volgende actie",
        )
    } else {
        (
            "Next action",
            "Deal",
            "Organisation",
            "Responsible",
            "Next action",
        )
    };
    let mut description = format!(
        "{next}: {}\n{deal}: {} ({})",
        a.action,
        a.title,
        pipeline_name(a.pipeline, nl)
    );
    if let Some(o) = &a.organisation_name {
        description.push_str(&format!("\n{organisation}: {o}"));
    }
    if !a.owner.is_empty() {
        description.push_str(&format!("\n{responsible}: {}", a.owner));
    }
    description.push_str(&format!("\nKTO Desk: deal {}", a.deal_id));
    CalendarEvent {
        uid: next_action_uid(a),
        date: a.due,
        summary: format!("{next}: {} ({})", a.action, a.title),
        description,
        categories: vec!["KTO Desk".to_owned(), category.to_owned()],
        alarm_days_before: None,
    }
}

/// The SEQUENCE of every event in an export made at `stamp`: whole minutes since
/// 2024-01-01 UTC. It grows with every later export, so a calendar program that compares
/// sequence numbers takes the newer export's date and text.
pub fn sequence(stamp: DateTime<Utc>) -> u32 {
    let epoch = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single();
    let minutes = epoch.map_or(0, |e| (stamp - e).num_minutes());
    // SEQUENCE is a signed 32-bit INTEGER in RFC 5545.
    u32::try_from(minutes.clamp(0, i64::from(i32::MAX))).unwrap_or(0)
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks;
/// other control characters, which TEXT may not hold, become spaces.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded (RFC 5545 §3.1): no line longer than 75 octets, each
/// continuation starting with one space, never inside a UTF-8 character; every line
/// ends in CRLF.
fn push_line(out: &mut String, line: &str) {
    let mut rest = line;
    let mut room = MAX_LINE_OCTETS;
    while rest.len() > room {
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // The leading space of a continuation line counts towards its 75 octets.
        room = MAX_LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// The calendar as an iCalendar file: a VCALENDAR (VERSION 2.0, PRODID, CALSCALE
/// GREGORIAN, METHOD PUBLISH, its name) with one all-day VEVENT per event, each stamped
/// with `stamp` (the export time, in UTC).
pub fn to_ics(calendar: &Calendar, stamp: DateTime<Utc>) -> String {
    let mut out = String::new();
    let mut line = |l: &str| push_line(&mut out, l);
    let dtstamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    let seq = sequence(stamp);
    let day = |d: NaiveDate| d.format("%Y%m%d").to_string();
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//KTO Desk//Deadlines//EN");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", escape_text(&calendar.name)));
    for e in &calendar.events {
        let end = e.date.checked_add_days(Days::new(1)).unwrap_or(e.date);
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape_text(&e.uid)));
        line(&format!("DTSTAMP:{dtstamp}"));
        line(&format!("SEQUENCE:{seq}"));
        line(&format!("DTSTART;VALUE=DATE:{}", day(e.date)));
        line(&format!("DTEND;VALUE=DATE:{}", day(end)));
        line(&format!("SUMMARY:{}", escape_text(&e.summary)));
        line(&format!("DESCRIPTION:{}", escape_text(&e.description)));
        let categories: Vec<String> = e.categories.iter().map(|c| escape_text(c)).collect();
        line(&format!("CATEGORIES:{}", categories.join(",")));
        // A deadline is a reminder, not a meeting: it leaves the day free.
        line("TRANSP:TRANSPARENT");
        if let Some(days) = e.alarm_days_before {
            line("BEGIN:VALARM");
            line("ACTION:DISPLAY");
            line(&format!("DESCRIPTION:{}", escape_text(&e.summary)));
            line(&format!("TRIGGER:-P{days}D"));
            line("END:VALARM");
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::ids::DealId;
    use crate::pipeline::{Outcome, Stage};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn stamp() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap()
    }

    fn pct(due: &str, office: Option<&str>) -> RecordDeadline {
        let mut params = BTreeMap::from([
            ("jurisdiction".to_owned(), "PCT".to_owned()),
            ("basisDate".to_owned(), "2024-06-02".to_owned()),
            (
                "months".to_owned(),
                if office.is_some() { "31" } else { "30" }.to_owned(),
            ),
        ]);
        if let Some(o) = office {
            params.insert("office".to_owned(), o.to_owned());
        }
        RecordDeadline {
            kind: DeadlineKind::PctNationalPhase,
            due: d(due),
            record_kind: RecordKind::Patent,
            record_id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".to_owned(),
            title: "Self-healing coating".to_owned(),
            params,
        }
    }

    fn action(due: &str) -> NextAction {
        NextAction {
            deal_id: DealId::new(),
            pipeline: Pipeline::Licensing,
            title: "Licence to Acme, NL; EU".to_owned(),
            stage: Stage {
                id: "licensing:negotiation".to_owned(),
                pipeline: Pipeline::Licensing,
                code: Some("negotiation".to_owned()),
                name: String::new(),
                position: 2,
                outcome: Outcome::Open,
            },
            organisation_name: Some("Acme B.V.".to_owned()),
            owner: "Eva Smit".to_owned(),
            action: "Send the term sheet".to_owned(),
            due: d(due),
        }
    }

    fn items(deadlines: Vec<RecordDeadline>, actions: Vec<NextAction>) -> CalendarItems {
        CalendarItems {
            person: None,
            from: d("2026-10-27"),
            until: d("2029-11-27"),
            deadlines,
            actions,
        }
    }

    /// The values of the lines of an unfolded file that start with `name`, in order.
    fn values<'a>(unfolded: &'a str, name: &str) -> Vec<&'a str> {
        unfolded
            .split("\r\n")
            .filter_map(|l| l.strip_prefix(name))
            .collect()
    }

    fn unfold(ics: &str) -> String {
        ics.replace("\r\n ", "")
    }

    #[test]
    fn text_values_escape_backslash_semicolon_comma_and_line_breaks() {
        let cases = [
            ("plain", "plain"),
            (r"a\b", r"a\\b"),
            ("a;b,c", r"a\;b\,c"),
            ("one\ntwo", r"one\ntwo"),
            ("one\r\ntwo\rthree", r"one\ntwo\nthree"),
            ("bell\u{7}", "bell "),
            ("tab\tkept", "tab\tkept"),
            ("Octrooi € ü", "Octrooi € ü"),
        ];
        for (raw, want) in cases {
            assert_eq!(escape_text(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é€x".repeat(40));
        push_line(&mut out, &long);
        assert!(out.ends_with("\r\n"));
        let lines: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 1);
        for (n, l) in lines.iter().enumerate() {
            assert!(l.len() <= 75, "line {n} has {} octets", l.len());
            assert_eq!(n > 0, l.starts_with(' '), "line {n}: {l:?}");
        }
        assert_eq!(unfold(&out), format!("{long}\r\n"));
        // A line of exactly 75 octets stays one line; 76 fold into two.
        for (len, count) in [(75, 1), (76, 2)] {
            let mut out = String::new();
            push_line(&mut out, &"x".repeat(len));
            assert_eq!(out.matches("\r\n").count(), count, "{len}");
        }
    }

    #[test]
    fn every_line_ends_in_crlf_and_none_is_longer_than_75_octets() {
        let mut long = pct("2026-12-02", None);
        long.title = "A very long title about a self-healing coating; with commas, and more words than fit on a line".to_owned();
        let ics = to_ics(
            &calendar_of(&items(vec![long], vec![action("2026-12-01")]), Language::Nl),
            stamp(),
        );
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
        assert!(!ics.replace("\r\n", "").contains('\r'));
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{l:?}");
        }
    }

    #[test]
    fn the_calendar_has_its_header_and_one_all_day_event_per_item() {
        let ics = to_ics(
            &calendar_of(
                &items(vec![pct("2026-12-02", None)], vec![action("2026-12-01")]),
                Language::En,
            ),
            stamp(),
        );
        let u = unfold(&ics);
        let head: Vec<&str> = u.split("\r\n").take(6).collect();
        assert_eq!(
            head,
            [
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//KTO Desk//Deadlines//EN",
                "CALSCALE:GREGORIAN",
                "METHOD:PUBLISH",
                "X-WR-CALNAME:KTO Desk: office deadlines",
            ]
        );
        assert_eq!(values(&u, "BEGIN:VEVENT").len(), 2);
        assert_eq!(values(&u, "DTSTART;VALUE=DATE:"), ["20261202", "20261201"]);
        assert_eq!(values(&u, "DTEND;VALUE=DATE:"), ["20261203", "20261202"]);
        assert_eq!(
            values(&u, "DTSTAMP:"),
            ["20261127T093000Z", "20261127T093000Z"]
        );
        assert_eq!(
            values(&u, "SUMMARY:"),
            [
                "PCT national phase (30 months): Self-healing coating",
                r"Next action: Send the term sheet (Licence to Acme\, NL\; EU)",
            ]
        );
        assert_eq!(
            values(&u, "CATEGORIES:"),
            ["KTO Desk,Patent deadline", "KTO Desk,Next action"]
        );
        // Only the patent deadline reminds, two weeks ahead.
        assert_eq!(values(&u, "TRIGGER:"), ["-P14D"]);
        let description = values(&u, "DESCRIPTION:")[0];
        assert!(
            description.contains(r"30 months from the priority date 02/06/2024.\nPatent application: Self-healing coating (PCT)\nKTO Desk: patent 0190a1b2"),
            "{description}"
        );
    }

    #[test]
    fn dutch_calendars_speak_dutch() {
        let mut cal_items = items(
            vec![pct("2027-01-02", Some("EP"))],
            vec![action("2026-12-01")],
        );
        cal_items.person = Some("Eva Smit".to_owned());
        let u = unfold(&to_ics(&calendar_of(&cal_items, Language::Nl), stamp()));
        assert_eq!(
            values(&u, "X-WR-CALNAME:"),
            ["KTO Desk: termijnen van Eva Smit"]
        );
        assert_eq!(
            values(&u, "SUMMARY:"),
            [
                r"PCT nationale fase (31 maanden\, EP): Self-healing coating",
                r"Volgende actie: Send the term sheet (Licence to Acme\, NL\; EU)",
            ]
        );
        assert!(u.contains(r"bij EP: 31 maanden na de prioriteitsdatum 02-06-2024."));
        assert!(u.contains(r"Verantwoordelijk: Eva Smit"));
    }

    #[test]
    fn uids_name_the_record_and_the_deadline_never_the_date() {
        let a = pct("2026-12-02", None);
        let ep = pct("2027-01-02", Some("EP"));
        assert_eq!(
            deadline_uid(&a),
            "patent-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b-pct-national-phase@kto-desk"
        );
        assert_eq!(
            deadline_uid(&ep),
            "patent-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b-pct-national-phase-ep@kto-desk"
        );
        let next = action("2026-12-01");
        assert_eq!(
            next_action_uid(&next),
            format!("deal-{}-next-action@kto-desk", next.deal_id)
        );
    }

    #[test]
    fn a_second_export_with_a_moved_date_keeps_the_uid_and_raises_the_sequence() {
        let next = action("2026-12-01");
        let first = to_ics(
            &calendar_of(
                &items(vec![pct("2026-12-02", None)], vec![next.clone()]),
                Language::En,
            ),
            stamp(),
        );
        let mut moved = next;
        moved.due = d("2027-01-15");
        let mut later_pct = pct("2026-12-02", None);
        later_pct.due = d("2026-12-09");
        let second = to_ics(
            &calendar_of(&items(vec![later_pct], vec![moved]), Language::En),
            stamp() + chrono::Duration::days(3),
        );
        let (a, b) = (unfold(&first), unfold(&second));
        assert_eq!(values(&a, "UID:"), values(&b, "UID:"));
        assert_ne!(
            values(&a, "DTSTART;VALUE=DATE:"),
            values(&b, "DTSTART;VALUE=DATE:")
        );
        let seq = |u: &str| values(u, "SEQUENCE:")[0].parse::<u32>().unwrap();
        assert!(seq(&b) > seq(&a));
        assert!(values(&b, "DTSTAMP:")[0] > values(&a, "DTSTAMP:")[0]);
    }

    #[test]
    fn equal_inputs_give_equal_files() {
        let i = items(vec![pct("2026-12-02", None)], vec![]);
        assert_eq!(
            to_ics(&calendar_of(&i, Language::En), stamp()),
            to_ics(&calendar_of(&i, Language::En), stamp())
        );
    }

    #[test]
    fn the_sequence_counts_minutes_from_2024_and_never_goes_below_zero() {
        assert_eq!(
            sequence(Utc.with_ymd_and_hms(2024, 1, 1, 1, 0, 0).unwrap()),
            60
        );
        assert_eq!(
            sequence(Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap()),
            0
        );
    }
}
