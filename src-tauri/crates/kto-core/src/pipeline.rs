//! Deal pipelines: scouting, licensing, PPS consortia, contract research
//! and spin-offs. Stages are data: an office renames, adds and reorders them, while each
//! stage keeps a stable id and an outcome (open, won or lost) that rules rely on.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{DealId, OrganisationId};
use crate::money::Money;
use crate::validation::{self, Problem, ValidationErrors};

/// A pipeline an office runs on a board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Pipeline {
    Scouting,
    Licensing,
    Pps,
    ContractResearch,
    SpinOffs,
}

/// Where a stage leads: still open, won (signed, awarded, incorporated …) or lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Outcome {
    Open,
    Won,
    Lost,
}

stored_codes!(Outcome, "stage outcome", {
    Open => "open",
    Won => "won",
    Lost => "lost",
});

impl Pipeline {
    /// The stages an office starts with, as (code, outcome), in board order. Stage
    /// names are translated in the UI from the code until an office renames a stage.
    pub fn default_stages(self) -> &'static [(&'static str, Outcome)] {
        use Outcome::{Lost, Open, Won};
        match self {
            Pipeline::Scouting => &[
                ("identified", Open),
                ("contacted", Open),
                ("visited", Open),
                ("assessed", Open),
                ("converted", Won),
                ("parked", Lost),
            ],
            Pipeline::Licensing => &[
                ("marketing", Open),
                ("interest", Open),
                ("negotiation", Open),
                ("term_sheet", Open),
                ("signed", Won),
                ("lost", Lost),
            ],
            Pipeline::Pps => &[
                ("idea", Open),
                ("partner_search", Open),
                ("proposal", Open),
                ("submitted", Open),
                ("awarded", Won),
                ("rejected", Lost),
                ("running", Won),
                ("closed", Won),
            ],
            Pipeline::ContractResearch => &[
                ("request", Open),
                ("quote", Open),
                ("negotiation", Open),
                ("signed", Won),
                ("running", Won),
                ("closed", Won),
                ("lost", Lost),
            ],
            Pipeline::SpinOffs => &[
                ("intake", Open),
                ("business_case", Open),
                ("term_sheet", Open),
                ("negotiation", Open),
                ("incorporated", Won),
                ("active", Won),
                ("exited", Won),
                ("dissolved", Lost),
            ],
        }
    }
}

// `Pipeline::ALL` is in menu order.
stored_codes!(Pipeline, "pipeline", {
    Scouting => "scouting",
    Licensing => "licensing",
    Pps => "pps",
    ContractResearch => "contract_research",
    SpinOffs => "spin_offs",
});

/// One stage of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Stage {
    /// Stable id; history refers to it, so renaming never loses history.
    pub id: String,
    pub pipeline: Pipeline,
    /// The default stage this is (`signed`), or `None` for a stage the office added.
    pub code: Option<String>,
    /// The office's own name; empty means "the translated default name of `code`".
    pub name: String,
    pub position: u32,
    pub outcome: Outcome,
}

/// A deal as the user fills in its form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DealInput {
    pub pipeline: Pipeline,
    pub title: String,
    pub stage_id: String,
    pub organisation_id: Option<OrganisationId>,
    /// Expected value in cents (licence income, contract value, consortium budget …).
    pub value: Option<Money>,
    /// The responsible business developer.
    pub owner: String,
    pub next_action: String,
    pub next_action_due: Option<NaiveDate>,
    pub lost_reason: String,
    pub notes: String,
}

/// A validated deal form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDeal {
    pub pipeline: Pipeline,
    pub title: String,
    pub stage_id: String,
    pub organisation_id: Option<OrganisationId>,
    pub value: Option<Money>,
    pub owner: String,
    pub next_action: String,
    pub next_action_due: Option<NaiveDate>,
    pub lost_reason: Option<String>,
    pub notes: String,
}

/// Checks a deal form against its target stage.
///
/// Rules: a title; a value that is not negative; a stage of the deal's own pipeline; a
/// reason when the stage is a lost one (offices learn from lost deals); an open deal has a
/// next action with a due date, or neither.
pub fn validate_deal(input: &DealInput, stage: &Stage) -> Result<ValidDeal, ValidationErrors> {
    let mut e = ValidationErrors::default();
    let title = validation::text(&mut e, "title", &input.title, true, 300);
    let owner = validation::text(&mut e, "owner", &input.owner, false, 120);
    let next_action = validation::text(&mut e, "nextAction", &input.next_action, false, 300);
    let lost_reason = validation::text(&mut e, "lostReason", &input.lost_reason, false, 1_000);
    let notes = validation::text(&mut e, "notes", &input.notes, false, 20_000);
    if input.value.is_some_and(Money::is_negative) {
        e.add(
            "value",
            Problem::OutOfRange {
                min: 0,
                max: i64::MAX,
            },
        );
    }
    if stage.pipeline != input.pipeline {
        e.add("stageId", Problem::Required);
    }
    let lost = stage.outcome == Outcome::Lost;
    if lost && lost_reason.is_empty() {
        e.add("lostReason", Problem::ReasonRequired);
    }
    if stage.outcome == Outcome::Open && !next_action.is_empty() && input.next_action_due.is_none()
    {
        e.add("nextActionDue", Problem::Required);
    }
    let valid = ValidDeal {
        pipeline: input.pipeline,
        title,
        stage_id: stage.id.clone(),
        organisation_id: input.organisation_id,
        value: input.value,
        owner,
        next_action,
        next_action_due: input.next_action_due,
        lost_reason: (lost && !lost_reason.is_empty()).then_some(lost_reason),
        notes,
    };
    e.into_result(valid)
}

/// A stored deal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Deal {
    pub id: DealId,
    pub pipeline: Pipeline,
    pub title: String,
    pub stage_id: String,
    pub organisation_id: Option<OrganisationId>,
    pub organisation_name: Option<String>,
    pub value: Option<Money>,
    pub owner: String,
    pub next_action: String,
    pub next_action_due: Option<NaiveDate>,
    pub lost_reason: Option<String>,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A card on a board: what a column shows of a deal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Card {
    pub id: DealId,
    pub title: String,
    pub organisation_name: Option<String>,
    pub value: Option<Money>,
    pub next_action: String,
    pub next_action_due: Option<NaiveDate>,
}

/// One column of a board: its stage, how many deals it holds and their total value, and
/// the first cards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Column {
    pub stage: Stage,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: u64,
    pub total: Money,
    pub cards: Vec<Card>,
}

/// A pipeline's board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Board {
    pub pipeline: Pipeline,
    pub columns: Vec<Column>,
}

/// A column the deal table can be sorted by; the key is the column's name in a
/// [`crate::record::RecordQuery`] (`"value"`, `"nextActionDue"` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum DealSort {
    #[default]
    Title,
    Stage,
    Organisation,
    Value,
    Owner,
    NextAction,
    NextActionDue,
}

impl DealSort {
    /// Every column in table order.
    pub const ALL: [DealSort; 7] = [
        DealSort::Title,
        DealSort::Stage,
        DealSort::Organisation,
        DealSort::Value,
        DealSort::Owner,
        DealSort::NextAction,
        DealSort::NextActionDue,
    ];

    /// The column's key as the UI and saved views name it.
    pub fn key(self) -> &'static str {
        match self {
            DealSort::Title => "title",
            DealSort::Stage => "stage",
            DealSort::Organisation => "organisation",
            DealSort::Value => "value",
            DealSort::Owner => "owner",
            DealSort::NextAction => "nextAction",
            DealSort::NextActionDue => "nextActionDue",
        }
    }

    /// The column named `key`; the title for an empty or unknown key.
    pub fn from_key(key: Option<&str>) -> DealSort {
        key.and_then(|k| Self::ALL.into_iter().find(|s| s.key() == k))
            .unwrap_or_default()
    }
}

/// The filters the deal table understands, by their key in a query's `filters`.
pub const DEAL_FILTER_STAGE: &str = "stageId";
/// Filter on the responsible business developer (exact name).
pub const DEAL_FILTER_OWNER: &str = "owner";

/// One line of the deal table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DealRow {
    pub id: DealId,
    pub title: String,
    pub stage: Stage,
    pub organisation_name: Option<String>,
    pub value: Option<Money>,
    pub owner: String,
    pub next_action: String,
    pub next_action_due: Option<NaiveDate>,
}

/// An open deal's next action, for the start page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NextAction {
    pub deal_id: DealId,
    pub pipeline: Pipeline,
    pub title: String,
    pub stage: Stage,
    pub organisation_name: Option<String>,
    pub owner: String,
    pub action: String,
    pub due: NaiveDate,
}

/// How many deals a stage holds and what they are worth: one bar of the pipeline chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StageTotal {
    pub stage: Stage,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: u64,
    pub total: Money,
}

/// How many next actions of each list the start page shows; the rest are counted.
pub const WEEK_LIST_LIMIT: usize = 50;

/// The start page: what is overdue, what is due soon, and the pipeline at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Week {
    pub today: NaiveDate,
    /// Due before today, oldest first; at most [`WEEK_LIST_LIMIT`].
    pub overdue: Vec<NextAction>,
    /// How many are overdue in all.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub overdue_count: u64,
    /// Due from today up to and including `until`, soonest first; at most [`WEEK_LIST_LIMIT`].
    pub upcoming: Vec<NextAction>,
    /// How many are due by `until` in all.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub upcoming_count: u64,
    pub until: NaiveDate,
    /// Every stage of every pipeline, in board order.
    pub stages: Vec<StageTotal>,
    /// Patent and agreement deadlines from a month ago to 90 days ahead, soonest first;
    /// at most [`WEEK_LIST_LIMIT`].
    pub deadlines: Vec<RecordDeadline>,
    /// How many deadlines fall in that window in all.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub deadline_count: u64,
}

/// A deadline with the record it comes from, for the start page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RecordDeadline {
    pub kind: crate::deadlines::DeadlineKind,
    pub due: NaiveDate,
    pub record_kind: crate::activity::RecordKind,
    pub record_id: String,
    /// The patent's or agreement's title.
    pub title: String,
    /// `jurisdiction`, `basisDate`, `months`, `office` for the label.
    pub params: std::collections::BTreeMap<String, String>,
}

/// Splits next actions (sorted by due date) into overdue and due by `until`.
pub fn split_by_due(
    actions: Vec<NextAction>,
    today: NaiveDate,
    until: NaiveDate,
) -> (Vec<NextAction>, Vec<NextAction>) {
    let (overdue, rest): (Vec<_>, Vec<_>) = actions.into_iter().partition(|a| a.due < today);
    (
        overdue,
        rest.into_iter().filter(|a| a.due <= until).collect(),
    )
}

/// The fields that differ between a stored deal and its edit, as history text. Stage
/// changes are reported with stage ids; the store phrases them with stage names.
pub fn deal_changes(old: &Deal, new: &ValidDeal) -> Vec<crate::disclosure::FieldChange> {
    use crate::disclosure::FieldChange;
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
    push("title", txt(&old.title), txt(&new.title));
    push(
        "stage",
        Some(old.stage_id.clone()),
        Some(new.stage_id.clone()),
    );
    push(
        "organisation",
        old.organisation_id.map(|o| o.to_string()),
        new.organisation_id.map(|o| o.to_string()),
    );
    push(
        "value",
        old.value.map(|v| v.to_string()),
        new.value.map(|v| v.to_string()),
    );
    push("owner", txt(&old.owner), txt(&new.owner));
    push("nextAction", txt(&old.next_action), txt(&new.next_action));
    push(
        "nextActionDue",
        old.next_action_due.map(|d| d.to_string()),
        new.next_action_due.map(|d| d.to_string()),
    );
    push(
        "lostReason",
        old.lost_reason.clone(),
        new.lost_reason.clone(),
    );
    push("notes", txt(&old.notes), txt(&new.notes));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(outcome: Outcome) -> Stage {
        Stage {
            id: "licensing:x".into(),
            pipeline: Pipeline::Licensing,
            code: None,
            name: "X".into(),
            position: 0,
            outcome,
        }
    }

    fn input() -> DealInput {
        DealInput {
            pipeline: Pipeline::Licensing,
            title: "Licence for the nitrate sensor".into(),
            stage_id: "licensing:x".into(),
            organisation_id: None,
            value: Some(Money::from_euros(25_000)),
            owner: "Eva".into(),
            next_action: "Send draft licence".into(),
            next_action_due: NaiveDate::from_ymd_opt(2026, 12, 4),
            lost_reason: String::new(),
            notes: String::new(),
        }
    }

    fn problems(i: &DealInput, s: &Stage) -> Vec<(String, Problem)> {
        validate_deal(i, s)
            .err()
            .map(|e| e.0.into_iter().map(|f| (f.field, f.problem)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn deal_sort_keys_round_trip_and_unknown_keys_sort_by_title() {
        for s in DealSort::ALL {
            assert_eq!(DealSort::from_key(Some(s.key())), s);
        }
        assert_eq!(DealSort::from_key(Some("colour")), DealSort::Title);
        assert_eq!(DealSort::from_key(None), DealSort::Title);
    }

    #[test]
    fn every_pipeline_has_unique_stage_codes_with_one_open_start_and_a_lost_stage() {
        for p in Pipeline::ALL {
            let stages = p.default_stages();
            let codes: std::collections::HashSet<_> = stages.iter().map(|s| s.0).collect();
            assert_eq!(codes.len(), stages.len(), "{p:?}");
            assert_eq!(stages[0].1, Outcome::Open, "{p:?}");
            assert!(stages.iter().any(|s| s.1 == Outcome::Lost), "{p:?}");
            assert_eq!(Pipeline::from_code(p.code()).ok(), Some(p));
        }
    }

    #[test]
    fn a_lost_deal_must_record_its_reason() {
        assert!(problems(&input(), &stage(Outcome::Lost))
            .contains(&("lostReason".into(), Problem::ReasonRequired)));
        let mut i = input();
        i.lost_reason = "Licensee chose a competing technology".into();
        let v = validate_deal(&i, &stage(Outcome::Lost)).unwrap();
        assert_eq!(
            v.lost_reason.as_deref(),
            Some("Licensee chose a competing technology")
        );
    }

    #[test]
    fn a_reason_is_dropped_when_the_deal_is_not_lost() {
        let mut i = input();
        i.lost_reason = "old reason".into();
        assert_eq!(
            validate_deal(&i, &stage(Outcome::Won)).unwrap().lost_reason,
            None
        );
    }

    #[test]
    fn an_open_deals_next_action_needs_a_due_date() {
        let mut i = input();
        i.next_action_due = None;
        assert!(problems(&i, &stage(Outcome::Open))
            .contains(&("nextActionDue".into(), Problem::Required)));
        assert!(
            validate_deal(&i, &stage(Outcome::Won)).is_ok(),
            "a won deal needs no due date"
        );
    }

    #[test]
    fn a_title_and_a_positive_value_are_required() {
        let mut i = input();
        i.title = " ".into();
        i.value = Some(Money::from_cents(-1));
        let p = problems(&i, &stage(Outcome::Open));
        assert!(p.iter().any(|(f, _)| f == "title"));
        assert!(p.iter().any(|(f, _)| f == "value"));
    }

    #[test]
    fn next_actions_due_before_today_are_overdue_and_today_is_upcoming() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        let action = |day| NextAction {
            deal_id: DealId::new(),
            pipeline: Pipeline::Licensing,
            title: format!("due {day}"),
            stage: stage(Outcome::Open),
            organisation_name: None,
            owner: String::new(),
            action: "Call".into(),
            due: d(day),
        };
        let (overdue, upcoming) = split_by_due(
            vec![action(20), action(26), action(27), action(30)],
            d(27),
            d(29),
        );
        assert_eq!(
            overdue.iter().map(|a| a.due).collect::<Vec<_>>(),
            vec![d(20), d(26)]
        );
        assert_eq!(
            upcoming.iter().map(|a| a.due).collect::<Vec<_>>(),
            vec![d(27)],
            "the 30th lies past the horizon"
        );
    }

    #[test]
    fn a_stage_of_another_pipeline_is_refused() {
        let mut s = stage(Outcome::Open);
        s.pipeline = Pipeline::Pps;
        assert!(problems(&input(), &s).iter().any(|(f, _)| f == "stageId"));
    }
}
