//! Invention disclosures: a researcher's confidential report of a possible invention, the
//! start of the IP pipeline. Holds the record, its input form, the rules that make the
//! input valid, and the field-by-field difference that becomes the record's history.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{DisclosureId, OrganisationId, PersonId};
use crate::validation::{self, Problem, ValidationErrors};

/// 100 % in basis points.
pub const FULL_SHARE_BP: u32 = 10_000;
/// Longest title accepted.
pub const TITLE_MAX: u32 = 300;
/// Longest summary accepted.
pub const SUMMARY_MAX: u32 = 20_000;

/// Where a disclosure stands in the pipeline: received, in assessment, or decided (with
/// the decision to protect, keep as know-how, release or abandon).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum DisclosureStage {
    Received,
    InAssessment,
    Decided,
}

stored_codes!(DisclosureStage, "disclosure stage", {
    Received => "received",
    InAssessment => "in_assessment",
    Decided => "decided",
});

/// What the office decided to do with a disclosure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Decision {
    /// File a patent application.
    Protect,
    /// Licence as know-how without a patent.
    KnowHow,
    /// Release the rights to the inventors.
    Release,
    /// Do not pursue.
    Abandon,
}

stored_codes!(Decision, "disclosure decision", {
    Protect => "protect",
    KnowHow => "know_how",
    Release => "release",
    Abandon => "abandon",
});

/// One inventor as entered on the form: an existing person, or a new one by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct InventorInput {
    /// Set when the user picked an existing person.
    pub person_id: Option<PersonId>,
    /// The person's name; used to create the person when `person_id` is empty.
    pub name: String,
    /// Organisation of a new person (optional).
    pub organisation_id: Option<OrganisationId>,
    /// Share of the invention in basis points (10 000 = 100 %).
    pub share_bp: u32,
}

/// The disclosure form as the user filled it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DisclosureInput {
    /// Office reference such as `D-2026-0042`; left empty, the next free one is assigned.
    pub reference: String,
    pub title: String,
    pub received_on: Option<NaiveDate>,
    pub faculty: String,
    /// Technology readiness level 1–9, if assessed.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub trl: Option<i64>,
    pub stage: DisclosureStage,
    pub decision: Option<Decision>,
    pub decided_on: Option<NaiveDate>,
    pub summary: String,
    pub inventors: Vec<InventorInput>,
}

/// A validated inventor line: names trimmed, share in range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidInventor {
    pub person_id: Option<PersonId>,
    pub name: String,
    pub organisation_id: Option<OrganisationId>,
    pub share_bp: u32,
}

/// A disclosure input that passed every rule; only this can be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDisclosure {
    /// Trimmed; `None` asks the store to assign the next reference.
    pub reference: Option<String>,
    pub title: String,
    pub received_on: NaiveDate,
    pub faculty: String,
    pub trl: Option<u8>,
    pub stage: DisclosureStage,
    pub decision: Option<Decision>,
    pub decided_on: Option<NaiveDate>,
    pub summary: String,
    pub inventors: Vec<ValidInventor>,
}

/// Checks a disclosure form against the office's rules.
///
/// Rules: a title; a date received that is not after `today`; TRL 1–9 when given; at
/// least one inventor, each named once, whose shares add up to exactly 100 %; a decision
/// exactly when the stage is decided, and a decision date not before the date received
/// and not in the future.
pub fn validate(
    input: &DisclosureInput,
    today: NaiveDate,
) -> Result<ValidDisclosure, ValidationErrors> {
    let mut e = ValidationErrors::default();
    let reference = validation::text(&mut e, "reference", &input.reference, false, 40);
    let title = validation::text(&mut e, "title", &input.title, true, TITLE_MAX);
    let faculty = validation::text(&mut e, "faculty", &input.faculty, false, 120);
    let summary = validation::text(&mut e, "summary", &input.summary, false, SUMMARY_MAX);

    match input.received_on {
        None => e.add("receivedOn", Problem::Required),
        Some(d) if d > today => e.add("receivedOn", Problem::InFuture { today }),
        Some(_) => {}
    }

    let trl = match input.trl {
        None => None,
        Some(t) if (1..=9).contains(&t) => u8::try_from(t).ok(),
        Some(_) => {
            e.add("trl", Problem::OutOfRange { min: 1, max: 9 });
            None
        }
    };

    match (input.stage, input.decision) {
        (DisclosureStage::Decided, None) => e.add("decision", Problem::DecisionRequired),
        (DisclosureStage::Received | DisclosureStage::InAssessment, Some(_)) => {
            e.add("decision", Problem::DecisionWithoutDecidedStage)
        }
        _ => {}
    }
    let decided_on = if input.decision.is_some() {
        match input.decided_on {
            None => {
                e.add("decidedOn", Problem::Required);
                None
            }
            Some(d) if d > today => {
                e.add("decidedOn", Problem::InFuture { today });
                None
            }
            Some(d) if input.received_on.is_some_and(|r| d < r) => {
                e.add("decidedOn", Problem::BeforeReceived);
                None
            }
            Some(d) => Some(d),
        }
    } else {
        None
    };

    let inventors = validate_inventors(&mut e, &input.inventors);

    let valid = ValidDisclosure {
        reference: (!reference.is_empty()).then_some(reference),
        title,
        received_on: input.received_on.unwrap_or(today),
        faculty,
        trl,
        stage: input.stage,
        decision: input.decision,
        decided_on,
        summary,
        inventors,
    };
    e.into_result(valid)
}

fn validate_inventors(e: &mut ValidationErrors, inventors: &[InventorInput]) -> Vec<ValidInventor> {
    if inventors.is_empty() {
        e.add("inventors", Problem::AtLeastOne);
        return Vec::new();
    }
    let mut out: Vec<ValidInventor> = Vec::with_capacity(inventors.len());
    let mut sum: u64 = 0;
    for (i, inv) in inventors.iter().enumerate() {
        let name = validation::text(
            e,
            &format!("inventors.{i}.name"),
            &inv.name,
            inv.person_id.is_none(),
            200,
        );
        if inv.share_bp == 0 || inv.share_bp > FULL_SHARE_BP {
            e.add(
                format!("inventors.{i}.share"),
                Problem::OutOfRange { min: 1, max: 100 },
            );
        }
        sum += u64::from(inv.share_bp);
        let same_person = out.iter().any(|o| match (o.person_id, inv.person_id) {
            (Some(a), Some(b)) => a == b,
            (None, None) => !name.is_empty() && o.name.eq_ignore_ascii_case(&name),
            _ => false,
        });
        if same_person {
            e.add(format!("inventors.{i}.name"), Problem::Duplicate);
        }
        out.push(ValidInventor {
            person_id: inv.person_id,
            name,
            organisation_id: inv.organisation_id,
            share_bp: inv.share_bp,
        });
    }
    if sum != u64::from(FULL_SHARE_BP) {
        e.add(
            "inventors",
            Problem::SharesNotHundred {
                sum_bp: u32::try_from(sum).unwrap_or(u32::MAX),
            },
        );
    }
    out
}

/// An inventor of a stored disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Inventor {
    pub person_id: PersonId,
    pub name: String,
    pub organisation_id: Option<OrganisationId>,
    pub organisation_name: Option<String>,
    pub share_bp: u32,
}

/// A stored disclosure with its inventors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Disclosure {
    pub id: DisclosureId,
    pub reference: String,
    pub title: String,
    pub received_on: NaiveDate,
    pub faculty: String,
    pub trl: Option<u8>,
    pub stage: DisclosureStage,
    pub decision: Option<Decision>,
    pub decided_on: Option<NaiveDate>,
    pub summary: String,
    pub inventors: Vec<Inventor>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One line of the disclosure list: what the table shows, nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DisclosureRow {
    pub id: DisclosureId,
    pub reference: String,
    pub title: String,
    pub received_on: NaiveDate,
    pub faculty: String,
    pub trl: Option<u8>,
    pub stage: DisclosureStage,
    pub decision: Option<Decision>,
    /// Inventor names, comma separated, in share order.
    pub inventors: String,
}

/// A column the disclosure list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum DisclosureSort {
    Reference,
    Title,
    #[default]
    ReceivedOn,
    Faculty,
    Trl,
    Stage,
}

/// What the disclosure list asks the store for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DisclosureQuery {
    pub sort: DisclosureSort,
    pub descending: bool,
    /// Free text; every word must match a title, summary, reference, faculty or inventor.
    pub search: Option<String>,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    /// Rows per page; the store caps it.
    pub limit: u32,
}

/// Cards a disclosure board column shows; its count covers every disclosure in the stage.
pub const CARDS_PER_COLUMN: u32 = 100;

/// One column of the disclosure board: a stage, how many disclosures it holds, and the
/// most recently received of them as cards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DisclosureColumn {
    pub stage: DisclosureStage,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: u64,
    pub cards: Vec<DisclosureRow>,
}

/// The disclosure pipeline as a board: one column per stage, in pipeline order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DisclosureBoard {
    pub columns: Vec<DisclosureColumn>,
}

impl Disclosure {
    /// The form as it would be filled in for this disclosure, inventors picked by id.
    pub fn to_input(&self) -> DisclosureInput {
        DisclosureInput {
            reference: self.reference.clone(),
            title: self.title.clone(),
            received_on: Some(self.received_on),
            faculty: self.faculty.clone(),
            trl: self.trl.map(i64::from),
            stage: self.stage,
            decision: self.decision,
            decided_on: self.decided_on,
            summary: self.summary.clone(),
            inventors: self
                .inventors
                .iter()
                .map(|i| InventorInput {
                    person_id: Some(i.person_id),
                    name: i.name.clone(),
                    organisation_id: i.organisation_id,
                    share_bp: i.share_bp,
                })
                .collect(),
        }
    }

    /// The form for moving this disclosure to `stage`: a move to "decided" carries the
    /// decision and its date; a move to an earlier stage withdraws any decision, since only
    /// a decided disclosure has one. Everything else stays as stored. [`validate`] then
    /// refuses a move to "decided" without a decision or a date.
    pub fn moved_to(
        &self,
        stage: DisclosureStage,
        decision: Option<Decision>,
        decided_on: Option<NaiveDate>,
    ) -> DisclosureInput {
        let mut input = self.to_input();
        input.stage = stage;
        if stage == DisclosureStage::Decided {
            input.decision = decision;
            input.decided_on = decided_on;
        } else {
            input.decision = None;
            input.decided_on = None;
        }
        input
    }
}

/// One changed field: the unit of a record's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The fields that differ between the stored record and the validated edit, as text
/// for the history. The inventor list is compared as a whole ("Name 60 %, Name 40 %").
pub fn changes(
    old: &Disclosure,
    new: &ValidDisclosure,
    new_inventors: &[Inventor],
) -> Vec<FieldChange> {
    fn opt<T: ToString>(v: Option<T>) -> Option<String> {
        v.map(|x| x.to_string())
    }
    fn txt(s: &str) -> Option<String> {
        (!s.is_empty()).then(|| s.to_string())
    }
    let mut out = Vec::new();
    let mut push = |field: &'static str, o: Option<String>, n: Option<String>| {
        if o != n {
            out.push(FieldChange {
                field,
                old: o,
                new: n,
            });
        }
    };
    if let Some(reference) = &new.reference {
        push("reference", txt(&old.reference), txt(reference));
    }
    push("title", txt(&old.title), txt(&new.title));
    push(
        "receivedOn",
        opt(Some(old.received_on)),
        opt(Some(new.received_on)),
    );
    push("faculty", txt(&old.faculty), txt(&new.faculty));
    push("trl", opt(old.trl), opt(new.trl));
    push(
        "stage",
        Some(old.stage.code().into()),
        Some(new.stage.code().into()),
    );
    push(
        "decision",
        old.decision.map(|d| d.code().into()),
        new.decision.map(|d| d.code().into()),
    );
    push("decidedOn", opt(old.decided_on), opt(new.decided_on));
    push("summary", txt(&old.summary), txt(&new.summary));
    push(
        "inventors",
        Some(inventor_line(&old.inventors)),
        Some(inventor_line(new_inventors)),
    );
    out
}

/// "Name 60 %, Name 40 %": how an inventor list reads in the history.
pub fn inventor_line(inventors: &[Inventor]) -> String {
    inventors
        .iter()
        .map(|i| format!("{} {}", i.name, percent(i.share_bp)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Basis points as a percentage without needless decimals: `60 %`, `33.33 %`.
pub fn percent(bp: u32) -> String {
    if bp.is_multiple_of(100) {
        format!("{} %", bp / 100)
    } else {
        format!("{}.{:02} %", bp / 100, bp % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 27);

    fn today() -> NaiveDate {
        d(TODAY.0, TODAY.1, TODAY.2)
    }

    fn inventor(name: &str, share_bp: u32) -> InventorInput {
        InventorInput {
            person_id: None,
            name: name.into(),
            organisation_id: None,
            share_bp,
        }
    }

    fn input() -> DisclosureInput {
        DisclosureInput {
            reference: String::new(),
            title: "Self-healing solar cell".into(),
            received_on: Some(d(2026, 3, 1)),
            faculty: "Science".into(),
            trl: Some(3),
            stage: DisclosureStage::Received,
            decision: None,
            decided_on: None,
            summary: String::new(),
            inventors: vec![
                inventor("Anouk de Vries", 6_000),
                inventor("Bram Jansen", 4_000),
            ],
        }
    }

    fn problems(i: &DisclosureInput) -> Vec<(String, Problem)> {
        match validate(i, today()) {
            Ok(_) => vec![],
            Err(e) => e.0.into_iter().map(|f| (f.field, f.problem)).collect(),
        }
    }

    #[test]
    fn a_complete_disclosure_is_valid_and_trimmed() {
        let mut i = input();
        i.title = "  Self-healing solar cell  ".into();
        let v = validate(&i, today()).unwrap();
        assert_eq!(v.title, "Self-healing solar cell");
        assert_eq!(v.reference, None);
        assert_eq!(v.trl, Some(3));
    }

    #[test]
    fn each_rule_names_its_field() {
        type Edit = fn(&mut DisclosureInput);
        let cases: &[(&str, Edit, &str, Problem)] = &[
            (
                "missing title",
                |i| i.title = "   ".into(),
                "title",
                Problem::Required,
            ),
            (
                "no date",
                |i| i.received_on = None,
                "receivedOn",
                Problem::Required,
            ),
            (
                "date tomorrow",
                |i| i.received_on = Some(d(2026, 11, 28)),
                "receivedOn",
                Problem::InFuture {
                    today: d(2026, 11, 27),
                },
            ),
            (
                "trl 0",
                |i| i.trl = Some(0),
                "trl",
                Problem::OutOfRange { min: 1, max: 9 },
            ),
            (
                "trl 10",
                |i| i.trl = Some(10),
                "trl",
                Problem::OutOfRange { min: 1, max: 9 },
            ),
            (
                "shares 90 %",
                |i| i.inventors[1].share_bp = 3_000,
                "inventors",
                Problem::SharesNotHundred { sum_bp: 9_000 },
            ),
            (
                "shares 110 %",
                |i| i.inventors[1].share_bp = 5_000,
                "inventors",
                Problem::SharesNotHundred { sum_bp: 11_000 },
            ),
            (
                "no inventors",
                |i| i.inventors.clear(),
                "inventors",
                Problem::AtLeastOne,
            ),
            (
                "nameless inventor",
                |i| i.inventors[0].name = " ".into(),
                "inventors.0.name",
                Problem::Required,
            ),
            (
                "zero share",
                |i| {
                    i.inventors[0].share_bp = 0;
                    i.inventors[1].share_bp = 10_000
                },
                "inventors.0.share",
                Problem::OutOfRange { min: 1, max: 100 },
            ),
            (
                "same inventor twice",
                |i| i.inventors[1].name = "anouk de vries".into(),
                "inventors.1.name",
                Problem::Duplicate,
            ),
            (
                "decided without decision",
                |i| i.stage = DisclosureStage::Decided,
                "decision",
                Problem::DecisionRequired,
            ),
            (
                "decision while received",
                |i| {
                    i.decision = Some(Decision::Protect);
                    i.decided_on = Some(d(2026, 5, 1))
                },
                "decision",
                Problem::DecisionWithoutDecidedStage,
            ),
            (
                "decision before receipt",
                |i| {
                    i.stage = DisclosureStage::Decided;
                    i.decision = Some(Decision::Release);
                    i.decided_on = Some(d(2026, 2, 1))
                },
                "decidedOn",
                Problem::BeforeReceived,
            ),
            (
                "decision without date",
                |i| {
                    i.stage = DisclosureStage::Decided;
                    i.decision = Some(Decision::Release)
                },
                "decidedOn",
                Problem::Required,
            ),
        ];
        for (name, edit, field, problem) in cases {
            let mut i = input();
            edit(&mut i);
            let found = problems(&i);
            assert!(
                found.contains(&(field.to_string(), problem.clone())),
                "{name}: expected {field} {problem:?}, got {found:?}"
            );
        }
    }

    #[test]
    fn received_today_is_not_in_the_future() {
        let mut i = input();
        i.received_on = Some(today());
        assert!(validate(&i, today()).is_ok());
    }

    #[test]
    fn shares_in_hundredths_of_a_percent_can_sum_to_exactly_100() {
        let mut i = input();
        i.inventors = vec![
            inventor("A", 3_334),
            inventor("B", 3_333),
            inventor("C", 3_333),
        ];
        assert!(validate(&i, today()).is_ok());
    }

    #[test]
    fn a_decided_disclosure_keeps_its_decision_and_date() {
        let mut i = input();
        i.stage = DisclosureStage::Decided;
        i.decision = Some(Decision::Protect);
        i.decided_on = Some(d(2026, 6, 1));
        let v = validate(&i, today()).unwrap();
        assert_eq!(
            (v.decision, v.decided_on),
            (Some(Decision::Protect), Some(d(2026, 6, 1)))
        );
    }

    #[test]
    fn changes_list_only_fields_that_differ() {
        let created = validate(&input(), today()).unwrap();
        let stored = Disclosure {
            id: DisclosureId::new(),
            reference: "D-2026-0001".into(),
            title: created.title.clone(),
            received_on: created.received_on,
            faculty: created.faculty.clone(),
            trl: created.trl,
            stage: created.stage,
            decision: None,
            decided_on: None,
            summary: String::new(),
            inventors: vec![],
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        let mut edit = input();
        edit.stage = DisclosureStage::InAssessment;
        edit.trl = Some(4);
        let edited = validate(&edit, today()).unwrap();
        let fields: Vec<_> = changes(&stored, &edited, &[])
            .into_iter()
            .map(|c| (c.field, c.old, c.new))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("trl", Some("3".into()), Some("4".into())),
                (
                    "stage",
                    Some("received".into()),
                    Some("in_assessment".into())
                ),
            ]
        );
    }

    fn stored(stage: DisclosureStage) -> Disclosure {
        Disclosure {
            id: DisclosureId::new(),
            reference: "D-2026-0007".into(),
            title: "Self-healing solar cell".into(),
            received_on: d(2026, 3, 1),
            faculty: "Science".into(),
            trl: Some(3),
            stage,
            decision: None,
            decided_on: None,
            summary: "Polymer layer".into(),
            inventors: vec![Inventor {
                person_id: PersonId::new(),
                name: "Anouk de Vries".into(),
                organisation_id: None,
                organisation_name: None,
                share_bp: FULL_SHARE_BP,
            }],
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn a_move_to_decided_carries_the_decision_and_keeps_everything_else() {
        let old = stored(DisclosureStage::InAssessment);
        let input = old.moved_to(
            DisclosureStage::Decided,
            Some(Decision::Release),
            Some(d(2026, 9, 1)),
        );
        let v = validate(&input, today()).unwrap();
        assert_eq!(v.stage, DisclosureStage::Decided);
        assert_eq!(
            (v.decision, v.decided_on),
            (Some(Decision::Release), Some(d(2026, 9, 1)))
        );
        assert_eq!(v.reference.as_deref(), Some("D-2026-0007"));
        assert_eq!(v.inventors[0].person_id, Some(old.inventors[0].person_id));
        assert_eq!((v.trl, v.summary.as_str()), (Some(3), "Polymer layer"));
    }

    #[test]
    fn a_move_to_decided_without_a_decision_or_date_is_refused() {
        let old = stored(DisclosureStage::Received);
        let none = old.moved_to(DisclosureStage::Decided, None, Some(d(2026, 9, 1)));
        let found: Vec<_> = match validate(&none, today()) {
            Err(e) => e.0.into_iter().map(|f| (f.field, f.problem)).collect(),
            Ok(_) => vec![],
        };
        assert_eq!(found, vec![("decision".into(), Problem::DecisionRequired)]);
        let undated = old.moved_to(DisclosureStage::Decided, Some(Decision::Protect), None);
        let found: Vec<_> = match validate(&undated, today()) {
            Err(e) => e.0.into_iter().map(|f| (f.field, f.problem)).collect(),
            Ok(_) => vec![],
        };
        assert_eq!(found, vec![("decidedOn".into(), Problem::Required)]);
    }

    #[test]
    fn a_move_back_from_decided_withdraws_the_decision() {
        let mut old = stored(DisclosureStage::Decided);
        old.decision = Some(Decision::Abandon);
        old.decided_on = Some(d(2026, 4, 1));
        let input = old.moved_to(
            DisclosureStage::InAssessment,
            Some(Decision::Protect),
            Some(d(2026, 9, 1)),
        );
        let v = validate(&input, today()).unwrap();
        assert_eq!((v.decision, v.decided_on), (None, None));
    }

    #[test]
    fn percentages_drop_needless_decimals() {
        assert_eq!(percent(6_000), "60 %");
        assert_eq!(percent(3_333), "33.33 %");
        assert_eq!(percent(5), "0.05 %");
    }
}
