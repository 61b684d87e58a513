//! Deadlines derived from patent and agreement dates (priority year, PCT national phase,
//! renewals, notice periods), and the agenda split
//! of a deadline list into overdue / due soon / later.
//!
//! Month arithmetic: a period of N months ends on the same day of the month N months
//! later, clamped to that month's last day when the day does not exist there
//! (2025-08-31 + 18 months = 2027-02-28; 2026-08-31 + 18 months = 2028-02-29).
//! Nothing here reads the clock: `today` is an argument.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Why a deadline could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    /// A date plus a number of months falls outside the supported calendar.
    #[error(
        "could not add {months} months to {date}: the result is outside the supported calendar"
    )]
    DateOutOfRange {
        /// The date months were added to.
        date: NaiveDate,
        /// How many months were added.
        months: u32,
    },
}

/// Result of the fallible functions of this module.
pub type Result<T> = std::result::Result<T, DeadlineError>;

/// Months from the priority date within which filings claiming priority must be made.
pub const PRIORITY_YEAR_MONTHS: u32 = 12;
/// Months from the priority date after which the application is published.
pub const PUBLICATION_MONTHS: u32 = 18;
/// Months from the priority date for entering the PCT national phase at most offices.
pub const PCT_NATIONAL_PHASE_MONTHS: u32 = 30;
/// Months from the priority date for offices that allow 31 months (the EPO and others).
pub const PCT_EXTENDED_NATIONAL_PHASE_MONTHS: u32 = 31;
/// Months from the publication of a European grant for validating it in the states.
pub const EP_VALIDATION_MONTHS: u32 = 3;

/// A patent office or route code, upper-case (`NL`, `EP`, `PCT`, `US`, …).
///
/// Kept open rather than an enum: offices are many and the list is not the app's to close.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct Jurisdiction(String);

impl Jurisdiction {
    /// A jurisdiction from its code; surrounding spaces are dropped and letters upper-cased.
    pub fn new(code: &str) -> Self {
        Jurisdiction(code.trim().to_uppercase())
    }

    /// The normalised code.
    pub fn code(&self) -> &str {
        &self.0
    }

    /// True for an international (PCT) application.
    pub fn is_pct(&self) -> bool {
        self.0 == "PCT"
    }

    /// True for a European (EPO) application.
    pub fn is_ep(&self) -> bool {
        self.0 == "EP"
    }
}

impl From<String> for Jurisdiction {
    fn from(code: String) -> Self {
        Jurisdiction::new(&code)
    }
}

impl From<Jurisdiction> for String {
    fn from(j: Jurisdiction) -> Self {
        j.0
    }
}

/// What a deadline is for; the UI turns it and the label params into a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum DeadlineKind {
    /// Last day to file abroad or a PCT application claiming priority (12 months).
    PriorityYear,
    /// Publication of the application (18 months); confidentiality matters until then.
    Publication,
    /// Entry into the PCT national or regional phase (30 or 31 months; see `months` param).
    PctNationalPhase,
    /// Validation of a granted European patent (3 months after grant publication).
    EpValidation,
    /// The end date of an agreement.
    AgreementEnd,
}

/// One dated obligation derived from a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deadline {
    /// What the deadline is for.
    pub kind: DeadlineKind,
    /// The last day to act.
    pub due: NaiveDate,
    /// The id of the record it derives from, opaque here.
    pub source_id: String,
    /// Values for the UI label (`jurisdiction`, `basisDate`, `months`, `office`), sorted by key.
    pub label_params: BTreeMap<String, String>,
}

/// The dates of one patent application that deadlines derive from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatentDates {
    /// The application's record id.
    pub source_id: String,
    /// Where it was filed.
    pub jurisdiction: Jurisdiction,
    /// Its filing date.
    pub filing_date: Option<NaiveDate>,
    /// True when this is the family's first filing.
    pub is_priority: bool,
    /// The priority date it claims; for a priority filing without one, its filing date.
    pub priority_date: Option<NaiveDate>,
    /// The date the grant was published (for EP: the mention of the grant).
    pub grant_date: Option<NaiveDate>,
}

/// Which offices allow 31 instead of 30 months for the PCT national phase.
///
/// Data, not code: the EPO allows 31 months (Rule 159 EPC); an office adds others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeadlineRules {
    /// Offices with a 31-month national phase, each producing its own deadline.
    pub thirty_one_month_offices: Vec<Jurisdiction>,
}

impl Default for DeadlineRules {
    fn default() -> Self {
        DeadlineRules {
            thirty_one_month_offices: vec![Jurisdiction::new("EP")],
        }
    }
}

/// `date` plus `months`, on the same day of the month clamped to the month's last day.
///
/// # Errors
/// [`DeadlineError::DateOutOfRange`] when the result is beyond chrono's calendar.
pub fn add_months(date: NaiveDate, months: u32) -> Result<NaiveDate> {
    date.checked_add_months(Months::new(months))
        .ok_or(DeadlineError::DateOutOfRange { date, months })
}

/// The deadlines of one patent application.
///
/// - a priority filing gets the priority year (12 months) and publication (18 months),
///   counted from its priority date (its filing date when none is recorded); later
///   filings of the family do not repeat them;
/// - a PCT application gets the 30-month national phase and one 31-month deadline per
///   office in `rules.thirty_one_month_offices`;
/// - an EP application with a grant date gets validation 3 months after it.
///
/// Without a priority date, no priority-based deadline is produced. The caller passes only
/// applications that are still alive.
///
/// # Errors
/// [`DeadlineError::DateOutOfRange`] when a due date falls outside the calendar.
pub fn patent_deadlines(app: &PatentDates, rules: &DeadlineRules) -> Result<Vec<Deadline>> {
    let mut out = Vec::new();
    let priority = app.priority_date.or(if app.is_priority {
        app.filing_date
    } else {
        None
    });
    let base_params = |basis: NaiveDate| {
        BTreeMap::from([
            (
                "jurisdiction".to_owned(),
                app.jurisdiction.code().to_owned(),
            ),
            ("basisDate".to_owned(), basis.to_string()),
        ])
    };
    if let Some(priority) = priority {
        if app.is_priority {
            for (kind, months) in [
                (DeadlineKind::PriorityYear, PRIORITY_YEAR_MONTHS),
                (DeadlineKind::Publication, PUBLICATION_MONTHS),
            ] {
                let mut label_params = base_params(priority);
                label_params.insert("months".to_owned(), months.to_string());
                out.push(Deadline {
                    kind,
                    due: add_months(priority, months)?,
                    source_id: app.source_id.clone(),
                    label_params,
                });
            }
        }
        if app.jurisdiction.is_pct() {
            let mut label_params = base_params(priority);
            label_params.insert("months".to_owned(), PCT_NATIONAL_PHASE_MONTHS.to_string());
            out.push(Deadline {
                kind: DeadlineKind::PctNationalPhase,
                due: add_months(priority, PCT_NATIONAL_PHASE_MONTHS)?,
                source_id: app.source_id.clone(),
                label_params,
            });
            for office in &rules.thirty_one_month_offices {
                let mut label_params = base_params(priority);
                label_params.insert(
                    "months".to_owned(),
                    PCT_EXTENDED_NATIONAL_PHASE_MONTHS.to_string(),
                );
                label_params.insert("office".to_owned(), office.code().to_owned());
                out.push(Deadline {
                    kind: DeadlineKind::PctNationalPhase,
                    due: add_months(priority, PCT_EXTENDED_NATIONAL_PHASE_MONTHS)?,
                    source_id: app.source_id.clone(),
                    label_params,
                });
            }
        }
    }
    if let (true, Some(grant)) = (app.jurisdiction.is_ep(), app.grant_date) {
        let mut label_params = base_params(grant);
        label_params.insert("months".to_owned(), EP_VALIDATION_MONTHS.to_string());
        out.push(Deadline {
            kind: DeadlineKind::EpValidation,
            due: add_months(grant, EP_VALIDATION_MONTHS)?,
            source_id: app.source_id.clone(),
            label_params,
        });
    }
    Ok(out)
}

/// The end-date deadline of an agreement, if it has an end date.
pub fn agreement_end_deadline(source_id: &str, end_date: Option<NaiveDate>) -> Option<Deadline> {
    end_date.map(|due| Deadline {
        kind: DeadlineKind::AgreementEnd,
        due,
        source_id: source_id.to_owned(),
        label_params: BTreeMap::new(),
    })
}

/// A deadline list split for an agenda view, each part sorted by date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeadlineAgenda {
    /// Due before `today`.
    pub overdue: Vec<Deadline>,
    /// Due from `today` up to and including `today + within_days`.
    pub due_soon: Vec<Deadline>,
    /// Due after that.
    pub later: Vec<Deadline>,
}

/// Splits deadlines into overdue (before `today`), due soon (`today` to `today +
/// within_days`, both inclusive: a deadline due today is not yet overdue) and later.
///
/// Each part is sorted by due date, then source id, kind and label params, so equal
/// inputs always give the same order.
pub fn split_deadlines(
    deadlines: &[Deadline],
    today: NaiveDate,
    within_days: u32,
) -> DeadlineAgenda {
    let horizon = today.checked_add_days(chrono::Days::new(u64::from(within_days)));
    let mut sorted = deadlines.to_vec();
    sorted.sort_by(|a, b| {
        (a.due, &a.source_id, a.kind, &a.label_params).cmp(&(
            b.due,
            &b.source_id,
            b.kind,
            &b.label_params,
        ))
    });
    let mut agenda = DeadlineAgenda::default();
    for d in sorted {
        if d.due < today {
            agenda.overdue.push(d);
        } else if horizon.is_none_or(|h| d.due <= h) {
            // A horizon beyond the calendar means every remaining deadline is "soon".
            agenda.due_soon.push(d);
        } else {
            agenda.later.push(d);
        }
    }
    agenda
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn app(j: &str, is_priority: bool, priority: Option<&str>, grant: Option<&str>) -> PatentDates {
        PatentDates {
            source_id: format!("app-{j}"),
            jurisdiction: Jurisdiction::new(j),
            filing_date: priority.map(d),
            is_priority,
            priority_date: priority.map(d),
            grant_date: grant.map(d),
        }
    }

    fn due_of(list: &[Deadline], kind: DeadlineKind, months: &str) -> NaiveDate {
        list.iter()
            .find(|x| {
                x.kind == kind && x.label_params.get("months").map(String::as_str) == Some(months)
            })
            .unwrap()
            .due
    }

    #[test]
    fn months_are_added_on_the_same_day_clamped_to_the_month_end() {
        let cases = [
            ("2025-08-31", 18, "2027-02-28"),
            ("2026-08-31", 18, "2028-02-29"),
            ("2024-02-29", 12, "2025-02-28"),
            ("2025-01-31", 1, "2025-02-28"),
            ("2025-03-15", 30, "2027-09-15"),
            ("2025-05-31", 31, "2027-12-31"),
            ("2025-01-30", 0, "2025-01-30"),
        ];
        for (from, months, want) in cases {
            assert_eq!(
                add_months(d(from), months).unwrap(),
                d(want),
                "{from} + {months}"
            );
        }
    }

    #[test]
    fn adding_months_beyond_the_calendar_is_an_error() {
        let err = add_months(NaiveDate::MAX, 1).unwrap_err();
        assert!(err.to_string().contains("could not add 1 months"));
    }

    #[test]
    fn a_priority_filing_gets_priority_year_and_publication() {
        let list = patent_deadlines(
            &app("NL", true, Some("2025-08-31"), None),
            &DeadlineRules::default(),
        )
        .unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(
            due_of(&list, DeadlineKind::PriorityYear, "12"),
            d("2026-08-31")
        );
        assert_eq!(
            due_of(&list, DeadlineKind::Publication, "18"),
            d("2027-02-28")
        );
        assert_eq!(list[0].label_params["jurisdiction"], "NL");
        assert_eq!(list[0].label_params["basisDate"], "2025-08-31");
    }

    #[test]
    fn a_priority_filing_without_priority_date_counts_from_its_filing_date() {
        let mut a = app("NL", true, None, None);
        a.filing_date = Some(d("2025-01-31"));
        let list = patent_deadlines(&a, &DeadlineRules::default()).unwrap();
        assert_eq!(
            due_of(&list, DeadlineKind::PriorityYear, "12"),
            d("2026-01-31")
        );
    }

    #[test]
    fn a_pct_application_gets_30_months_and_31_for_the_epo() {
        let list = patent_deadlines(
            &app("pct", false, Some("2025-08-31"), None),
            &DeadlineRules::default(),
        )
        .unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(
            due_of(&list, DeadlineKind::PctNationalPhase, "30"),
            d("2028-02-29")
        );
        let ep = list
            .iter()
            .find(|x| x.label_params.get("office").map(String::as_str) == Some("EP"))
            .unwrap();
        assert_eq!(ep.due, d("2028-03-31"));
    }

    #[test]
    fn every_office_allowing_31_months_gets_its_own_deadline() {
        let rules = DeadlineRules {
            thirty_one_month_offices: vec![Jurisdiction::new("EP"), Jurisdiction::new(" au ")],
        };
        let list = patent_deadlines(&app("PCT", false, Some("2025-01-15"), None), &rules).unwrap();
        let offices: Vec<_> = list
            .iter()
            .filter_map(|x| x.label_params.get("office").cloned())
            .collect();
        assert_eq!(offices, ["EP", "AU"]);
    }

    #[test]
    fn a_later_national_filing_repeats_no_priority_deadlines() {
        let list = patent_deadlines(
            &app("US", false, Some("2025-01-15"), None),
            &DeadlineRules::default(),
        )
        .unwrap();
        assert!(list.is_empty());
    }

    #[test]
    fn an_ep_grant_gives_validation_three_months_after_publication() {
        let list = patent_deadlines(
            &app("EP", false, Some("2020-01-15"), Some("2025-11-30")),
            &DeadlineRules::default(),
        )
        .unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].kind, DeadlineKind::EpValidation);
        assert_eq!(list[0].due, d("2026-02-28"));
    }

    #[test]
    fn an_agreement_end_date_is_a_deadline_and_none_gives_none() {
        let dl = agreement_end_deadline("agr-1", Some(d("2026-06-30"))).unwrap();
        assert_eq!(
            (dl.kind, dl.due, dl.source_id.as_str()),
            (DeadlineKind::AgreementEnd, d("2026-06-30"), "agr-1")
        );
        assert!(agreement_end_deadline("agr-2", None).is_none());
    }

    #[test]
    fn the_agenda_splits_at_today_and_the_horizon_and_sorts_by_date() {
        let mk = |id: &str, due: &str| agreement_end_deadline(id, Some(d(due))).unwrap();
        let list = vec![
            mk("later", "2026-02-01"),
            mk("edge", "2026-01-31"),
            mk("today", "2026-01-01"),
            mk("late2", "2025-12-31"),
            mk("late1", "2025-06-01"),
        ];
        let agenda = split_deadlines(&list, d("2026-01-01"), 30);
        let ids = |v: &[Deadline]| v.iter().map(|x| x.source_id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&agenda.overdue), ["late1", "late2"]);
        assert_eq!(ids(&agenda.due_soon), ["today", "edge"]);
        assert_eq!(ids(&agenda.later), ["later"]);
    }

    #[test]
    fn a_pct_first_filing_gets_priority_publication_and_national_phase_deadlines() {
        let list = patent_deadlines(
            &app("PCT", true, Some("2025-03-31"), None),
            &DeadlineRules::default(),
        )
        .unwrap();
        let got: Vec<(DeadlineKind, NaiveDate)> = list.iter().map(|x| (x.kind, x.due)).collect();
        assert_eq!(
            got,
            [
                (DeadlineKind::PriorityYear, d("2026-03-31")),
                (DeadlineKind::Publication, d("2026-09-30")),
                (DeadlineKind::PctNationalPhase, d("2027-09-30")),
                (DeadlineKind::PctNationalPhase, d("2027-10-31")),
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn adding_months_keeps_the_day_or_clamps_to_the_month_end(
            days in 0i64..60_000,
            months in 0u32..600,
        ) {
            use chrono::Datelike;
            let from = d("1950-01-01") + chrono::Duration::days(days);
            let to = add_months(from, months).unwrap();
            let index = |x: NaiveDate| i64::from(x.year()) * 12 + i64::from(x.month0());
            proptest::prop_assert_eq!(index(to) - index(from), i64::from(months));
            let month_end = to.succ_opt().unwrap().month() != to.month();
            proptest::prop_assert!(to.day() == from.day() || (to.day() < from.day() && month_end));
        }
    }

    #[test]
    fn deadlines_serialise_in_camel_case() {
        let dl = agreement_end_deadline("agr-1", Some(d("2026-06-30"))).unwrap();
        let json = serde_json::to_value(&dl).unwrap();
        assert_eq!(json["kind"], "agreementEnd");
        assert_eq!(json["sourceId"], "agr-1");
        assert_eq!(json["due"], "2026-06-30");
        assert!(json["labelParams"].is_object());
    }
}
