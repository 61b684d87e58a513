//! The office's other record kinds — scouting leads, patent applications, agreements,
//! consortia and their partners' contributions, spin-offs with founders and funding
//! rounds, income and costs — described as data.
//!
//! Each kind is a [`KindSpec`]: its fields with type, whether required, and which kind a
//! link field points to. One generic path then validates, stores, diffs, lists and links
//! all of them, and the UI renders its forms and tables from the same description, so a
//! field is added in one place. Disclosures, deals, people and organisations keep their
//! own typed modules because they carry more behaviour (inventor shares, boards).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::activity::RecordKind;
use crate::validation::{Problem, ValidationErrors};

/// One stored value of a field. Money is in cents, dates are `YYYY-MM-DD`, links are ids.
/// An empty field is absent from the map rather than null.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Value {
    Bool(bool),
    Int(#[cfg_attr(feature = "ts", ts(type = "number"))] i64),
    Text(String),
}

impl Value {
    /// The value as history and search text: dates and ids as stored, money in cents.
    pub fn display(&self) -> String {
        match self {
            Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Text(t) => t.clone(),
        }
    }

    /// The text, if this is text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The number, if this is a number.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The flag, if this is a flag.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// A record's field values by field key.
pub type Values = BTreeMap<String, Value>;

/// What a field holds and how it is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum FieldType {
    /// One line of text up to `max` characters.
    Text { max: u32 },
    /// Several lines of text.
    LongText { max: u32 },
    /// A calendar date; `past` when it cannot lie after today (a signing date).
    Date { past: bool },
    /// An amount in euro cents, never negative.
    Money,
    /// A whole number within `min..=max`.
    Integer {
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        min: i64,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        max: i64,
    },
    /// Yes or no.
    Bool,
    /// One of a fixed list of keys.
    Choice {
        #[cfg_attr(feature = "ts", ts(as = "Vec<String>"))]
        options: &'static [&'static str],
    },
    /// The id of a record of `kind`.
    Link { kind: RecordKind },
}

/// One field of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FieldSpec {
    /// The key in [`Values`] and the form, camelCase.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub key: &'static str,
    /// The column in the kind's table.
    #[serde(skip)]
    pub column: &'static str,
    #[serde(flatten)]
    pub ty: FieldType,
    pub required: bool,
    /// Shown as a column of the kind's table view by default.
    pub in_table: bool,
}

/// One record kind: its table, title field and fields in form order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct KindSpec {
    pub kind: RecordKind,
    #[serde(skip)]
    pub table: &'static str,
    /// The field shown as the record's title.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub title: &'static str,
    /// The link field that makes this a part of another record (a contribution of a
    /// consortium); deleting that record deletes its parts.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub parent: Option<&'static str>,
    #[cfg_attr(feature = "ts", ts(as = "Vec<FieldSpec>"))]
    pub fields: &'static [FieldSpec],
}

impl KindSpec {
    /// The field with `key`.
    pub fn field(&self, key: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The link fields of this kind.
    pub fn links(&self) -> impl Iterator<Item = &'static FieldSpec> {
        self.fields
            .iter()
            .filter(|f| matches!(f.ty, FieldType::Link { .. }))
    }
}

const fn f(key: &'static str, column: &'static str, ty: FieldType, required: bool) -> FieldSpec {
    FieldSpec {
        key,
        column,
        ty,
        required,
        in_table: false,
    }
}

/// The same field, shown in the table view.
const fn t(spec: FieldSpec) -> FieldSpec {
    FieldSpec {
        in_table: true,
        ..spec
    }
}

const NAME: FieldType = FieldType::Text { max: 300 };
const SHORT: FieldType = FieldType::Text { max: 120 };
const NOTES: FieldType = FieldType::LongText { max: 20_000 };
const PAST: FieldType = FieldType::Date { past: true };
const ANY_DATE: FieldType = FieldType::Date { past: false };
const YEAR: FieldType = FieldType::Integer {
    min: 1990,
    max: 2100,
};
const fn link(kind: RecordKind) -> FieldType {
    FieldType::Link { kind }
}
const fn choice(options: &'static [&'static str]) -> FieldType {
    FieldType::Choice { options }
}

/// Agreement kinds, as [`crate::monitor::AgreementKind`] serialises them.
pub const AGREEMENT_KINDS: &[&str] = &[
    "nda",
    "mta",
    "option",
    "licence",
    "assignment",
    "collaborativeResearch",
    "contractResearch",
    "consultancy",
    "consortiumAgreement",
];
/// Income kinds, as [`crate::monitor::IncomeKind`] serialises them.
pub const INCOME_KINDS: &[&str] = &[
    "royalty",
    "upfrontFee",
    "milestone",
    "optionFee",
    "equitySale",
    "researchPayment",
    "contractPayment",
];
/// Company statuses, as [`crate::monitor::CompanyStatus`] serialises them.
pub const COMPANY_STATUSES: &[&str] = &["active", "exited", "dissolved"];
/// Lead outcomes, as [`crate::monitor::LeadOutcome`] serialises them.
pub const LEAD_OUTCOMES: &[&str] = &["disclosure", "pps", "contract", "parked"];
/// Toeslag partner kinds, as [`crate::toeslag::PartnerKind`] serialises them.
pub const PARTNER_KINDS: &[&str] = &[
    "privateCompany",
    "charity",
    "nonProfit",
    "researchOrganisation",
    "publicBody",
];

use RecordKind as K;

/// Organisation kinds, as stored (`OrganisationKind::code`).
pub const ORGANISATION_KINDS: &[&str] = &[
    "sme",
    "large_company",
    "start_up",
    "investor",
    "rom",
    "public_body",
    "non_profit",
    "knowledge_institution",
];

/// Every generic kind, in menu order.
pub static KINDS: [KindSpec; 12] = [
    KindSpec {
        kind: K::ScoutingLead,
        table: "scouting_leads",
        title: "topic",
        parent: None,
        fields: &[
            t(f("topic", "topic", NAME, true)),
            t(f("researchGroup", "research_group", NAME, true)),
            t(f("faculty", "faculty", SHORT, false)),
            f("contactId", "contact_id", link(K::Person), false),
            t(f("visitDate", "visit_date", PAST, false)),
            t(f(
                "potential",
                "potential",
                choice(&["low", "medium", "high"]),
                false,
            )),
            t(f("outcome", "outcome", choice(LEAD_OUTCOMES), false)),
            f("outcomeDate", "outcome_date", PAST, false),
            f("disclosureId", "disclosure_id", link(K::Disclosure), false),
            f("consortiumId", "consortium_id", link(K::Consortium), false),
            f("agreementId", "agreement_id", link(K::Agreement), false),
            f("description", "description", NOTES, false),
        ],
    },
    KindSpec {
        kind: K::Patent,
        table: "patents",
        title: "title",
        parent: None,
        fields: &[
            t(f("title", "title", NAME, true)),
            t(f("family", "family", SHORT, true)),
            f("disclosureId", "disclosure_id", link(K::Disclosure), false),
            t(f(
                "jurisdiction",
                "jurisdiction",
                FieldType::Text { max: 8 },
                true,
            )),
            t(f("applicationNumber", "application_number", SHORT, false)),
            t(f("filingDate", "filing_date", ANY_DATE, false)),
            t(f("isPriority", "is_priority", FieldType::Bool, false)),
            f("priorityDate", "priority_date", ANY_DATE, false),
            f("grantDate", "grant_date", ANY_DATE, false),
            t(f(
                "status",
                "status",
                choice(&["pending", "granted", "lapsed", "withdrawn", "refused"]),
                true,
            )),
            f("description", "description", NOTES, false),
        ],
    },
    KindSpec {
        kind: K::Agreement,
        table: "agreements",
        title: "title",
        parent: None,
        fields: &[
            t(f("title", "title", NAME, true)),
            t(f("kind", "kind", choice(AGREEMENT_KINDS), true)),
            t(f(
                "counterpartyId",
                "counterparty_id",
                link(K::Organisation),
                false,
            )),
            t(f("signedDate", "signed_date", PAST, false)),
            f("startDate", "start_date", ANY_DATE, false),
            t(f("endDate", "end_date", ANY_DATE, false)),
            t(f("value", "value_cents", FieldType::Money, false)),
            f("exclusive", "exclusive", FieldType::Bool, false),
            f("patentId", "patent_id", link(K::Patent), false),
            f("dealId", "deal_id", link(K::Deal), false),
            f("consortiumId", "consortium_id", link(K::Consortium), false),
            f("spinOffId", "spin_off_id", link(K::SpinOff), false),
            f("description", "description", NOTES, false),
        ],
    },
    KindSpec {
        kind: K::Consortium,
        table: "consortia",
        title: "name",
        parent: None,
        fields: &[
            t(f("name", "name", NAME, true)),
            t(f("programme", "programme", SHORT, false)),
            t(f("startYear", "start_year", YEAR, false)),
            t(f("endYear", "end_year", YEAR, false)),
            t(f(
                "totalBudget",
                "total_budget_cents",
                FieldType::Money,
                false,
            )),
            f("dealId", "deal_id", link(K::Deal), false),
            f("description", "description", NOTES, false),
        ],
    },
    KindSpec {
        kind: K::Contribution,
        table: "contributions",
        title: "role",
        parent: Some("consortiumId"),
        fields: &[
            t(f(
                "consortiumId",
                "consortium_id",
                link(K::Consortium),
                true,
            )),
            t(f(
                "organisationId",
                "organisation_id",
                link(K::Organisation),
                true,
            )),
            t(f(
                "partnerKind",
                "partner_kind",
                choice(PARTNER_KINDS),
                true,
            )),
            t(f("role", "role", SHORT, true)),
            t(f("year", "year", YEAR, true)),
            t(f("cash", "cash_cents", FieldType::Money, false)),
            t(f("inKindValue", "in_kind_cents", FieldType::Money, false)),
            f(
                "inKindHours",
                "in_kind_hours",
                FieldType::Integer {
                    min: 0,
                    max: 1_000_000,
                },
                false,
            ),
        ],
    },
    KindSpec {
        kind: K::SpinOff,
        table: "spin_offs",
        title: "name",
        parent: None,
        fields: &[
            t(f("name", "name", NAME, true)),
            t(f(
                "kvkNumber",
                "kvk_number",
                FieldType::Text { max: 8 },
                false,
            )),
            f("disclosureId", "disclosure_id", link(K::Disclosure), false),
            f("patentId", "patent_id", link(K::Patent), false),
            t(f("incorporationDate", "incorporation_date", PAST, false)),
            t(f(
                "dealForm",
                "deal_form",
                choice(&["equity", "royalty", "hybrid"]),
                false,
            )),
            t(f(
                "formalIpAgreement",
                "formal_ip_agreement",
                FieldType::Bool,
                false,
            )),
            t(f("status", "status", choice(COMPANY_STATUSES), true)),
            f("statusDate", "status_date", PAST, false),
            f("dealId", "deal_id", link(K::Deal), false),
            f("description", "description", NOTES, false),
        ],
    },
    KindSpec {
        kind: K::Founder,
        table: "founders",
        title: "role",
        parent: Some("spinOffId"),
        fields: &[
            t(f("spinOffId", "spin_off_id", link(K::SpinOff), true)),
            t(f("personId", "person_id", link(K::Person), true)),
            t(f("role", "role", SHORT, true)),
        ],
    },
    KindSpec {
        kind: K::FundingRound,
        table: "funding_rounds",
        title: "name",
        parent: Some("spinOffId"),
        fields: &[
            t(f("spinOffId", "spin_off_id", link(K::SpinOff), true)),
            t(f("name", "name", SHORT, true)),
            t(f("closedDate", "closed_date", PAST, false)),
            t(f("amount", "amount_cents", FieldType::Money, true)),
            t(f("preMoney", "pre_money_cents", FieldType::Money, false)),
            t(f("investors", "investors", NAME, false)),
            t(f("external", "external", FieldType::Bool, false)),
        ],
    },
    KindSpec {
        kind: K::Income,
        table: "income",
        title: "description",
        parent: None,
        fields: &[
            t(f("description", "description", NAME, true)),
            t(f("kind", "kind", choice(INCOME_KINDS), true)),
            t(f("receivedDate", "received_date", PAST, true)),
            t(f("amount", "amount_cents", FieldType::Money, true)),
            t(f("agreementId", "agreement_id", link(K::Agreement), false)),
        ],
    },
    KindSpec {
        kind: K::Cost,
        table: "costs",
        title: "description",
        parent: None,
        fields: &[
            t(f("description", "description", NAME, true)),
            t(f(
                "category",
                "category",
                choice(&["patent", "legal", "marketing", "other"]),
                true,
            )),
            t(f("paidDate", "paid_date", PAST, true)),
            t(f("amount", "amount_cents", FieldType::Money, true)),
            t(f("patentId", "patent_id", link(K::Patent), false)),
            f("agreementId", "agreement_id", link(K::Agreement), false),
        ],
    },
    KindSpec {
        kind: K::Organisation,
        table: "organisations",
        title: "name",
        parent: None,
        fields: &[
            t(f("name", "name", NAME, true)),
            t(f("kind", "kind", choice(ORGANISATION_KINDS), true)),
            t(f("country", "country", FieldType::Text { max: 2 }, true)),
            t(f("kvk", "kvk", FieldType::Text { max: 8 }, false)),
        ],
    },
    KindSpec {
        kind: K::Person,
        table: "people",
        title: "name",
        parent: None,
        fields: &[
            t(f("name", "name", NAME, true)),
            t(f("email", "email", FieldType::Text { max: 254 }, false)),
            t(f(
                "organisationId",
                "organisation_id",
                link(K::Organisation),
                false,
            )),
            t(f("faculty", "faculty", SHORT, false)),
        ],
    },
];

/// The spec of a generic kind; `None` for disclosures and deals.
pub fn spec(kind: RecordKind) -> Option<&'static KindSpec> {
    KINDS.iter().find(|s| s.kind == kind)
}

/// Parses a date as stored and entered (`YYYY-MM-DD`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Checks `values` against `spec` and the kind's own rules, and returns them cleaned:
/// text trimmed, empty text and unknown keys dropped, jurisdictions upper-cased. Link
/// targets are checked by the store, which knows what exists.
pub fn validate(
    spec: &KindSpec,
    values: &Values,
    today: NaiveDate,
) -> Result<Values, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let mut clean = Values::new();
    for field in spec.fields {
        let value = match values.get(field.key) {
            Some(Value::Text(s)) if s.trim().is_empty() => None,
            Some(Value::Text(s)) => Some(Value::Text(s.trim().to_string())),
            other => other.cloned(),
        };
        let Some(value) = value else {
            if field.required && field.ty != FieldType::Bool {
                errors.add(field.key, Problem::Required);
            }
            continue;
        };
        match check(field, value, today) {
            Ok(v) => {
                clean.insert(field.key.to_string(), v);
            }
            Err(problem) => errors.add(field.key, problem),
        }
    }
    for key in ["jurisdiction", "country"] {
        if let Some(Value::Text(code)) = clean.get_mut(key) {
            *code = code.to_uppercase();
        }
    }
    rules(spec.kind, &clean, today, &mut errors);
    errors.into_result(clean)
}

/// Checks one present value against its field's type.
fn check(field: &FieldSpec, value: Value, today: NaiveDate) -> Result<Value, Problem> {
    match (field.ty, value) {
        (FieldType::Text { max } | FieldType::LongText { max }, Value::Text(s)) => {
            if s.chars().count() > max as usize {
                Err(Problem::TooLong { max })
            } else {
                Ok(Value::Text(s))
            }
        }
        (FieldType::Date { past }, Value::Text(s)) => match parse_date(&s) {
            None => Err(Problem::InvalidDate),
            Some(d) if past && d > today => Err(Problem::InFuture { today }),
            Some(d) => Ok(Value::Text(d.format("%Y-%m-%d").to_string())),
        },
        (FieldType::Money, Value::Int(c)) if c >= 0 => Ok(Value::Int(c)),
        (FieldType::Money, _) => Err(Problem::OutOfRange {
            min: 0,
            max: i64::MAX,
        }),
        (FieldType::Integer { min, max }, Value::Int(i)) if (min..=max).contains(&i) => {
            Ok(Value::Int(i))
        }
        (FieldType::Integer { min, max }, _) => Err(Problem::OutOfRange { min, max }),
        (FieldType::Bool, Value::Bool(b)) => Ok(Value::Bool(b)),
        (FieldType::Choice { options }, Value::Text(s)) if options.contains(&s.as_str()) => {
            Ok(Value::Text(s))
        }
        (FieldType::Link { .. }, Value::Text(s)) if uuid::Uuid::parse_str(&s).is_ok() => {
            Ok(Value::Text(s))
        }
        (FieldType::Link { .. }, _) => Err(Problem::NotFound),
        _ => Err(Problem::Invalid),
    }
}

fn date(values: &Values, key: &str) -> Option<NaiveDate> {
    values
        .get(key)
        .and_then(Value::as_text)
        .and_then(parse_date)
}

/// The rules that span fields of one kind.
fn rules(kind: RecordKind, v: &Values, _today: NaiveDate, errors: &mut ValidationErrors) {
    let not_before = |errors: &mut ValidationErrors, later: &str, earlier: &str| {
        if let (Some(l), Some(e)) = (date(v, later), date(v, earlier)) {
            if l < e {
                errors.add(
                    later,
                    Problem::Before {
                        other: earlier.to_string(),
                    },
                );
            }
        }
    };
    match kind {
        K::ScoutingLead => {
            not_before(errors, "outcomeDate", "visitDate");
            if v.contains_key("outcomeDate") && !v.contains_key("outcome") {
                errors.add("outcome", Problem::Required);
            }
        }
        K::Patent => {
            if let Some(Value::Text(j)) = v.get("jurisdiction") {
                let ok = (2..=4).contains(&j.len()) && j.bytes().all(|b| b.is_ascii_alphabetic());
                if !ok {
                    errors.add("jurisdiction", Problem::Invalid);
                }
            }
            not_before(errors, "grantDate", "filingDate");
            not_before(errors, "filingDate", "priorityDate");
            let priority = v.get("isPriority").and_then(Value::as_bool) == Some(true);
            if priority && !v.contains_key("filingDate") {
                errors.add("filingDate", Problem::Required);
            }
            if v.get("status").and_then(Value::as_text) == Some("granted")
                && !v.contains_key("grantDate")
            {
                errors.add("grantDate", Problem::Required);
            }
        }
        K::Agreement => {
            not_before(errors, "endDate", "startDate");
        }
        K::Consortium => {
            if let (Some(s), Some(e)) = (
                v.get("startYear").and_then(Value::as_int),
                v.get("endYear").and_then(Value::as_int),
            ) {
                if e < s {
                    errors.add(
                        "endYear",
                        Problem::Before {
                            other: "startYear".into(),
                        },
                    );
                }
            }
        }
        K::Organisation => {
            if let Some(Value::Text(kvk)) = v.get("kvk") {
                if !crate::party::is_valid_kvk(kvk) {
                    errors.add("kvk", Problem::Invalid);
                }
            }
            if let Some(Value::Text(c)) = v.get("country") {
                if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
                    errors.add("country", Problem::Invalid);
                }
            }
        }
        K::Person => {
            if let Some(Value::Text(e)) = v.get("email") {
                let ok = e.split_once('@').is_some_and(|(user, host)| {
                    !user.is_empty() && host.contains('.') && !e.contains(char::is_whitespace)
                });
                if !ok {
                    errors.add("email", Problem::Invalid);
                }
            }
        }
        K::SpinOff => {
            if let Some(Value::Text(kvk)) = v.get("kvkNumber") {
                if !crate::party::is_valid_kvk(kvk) {
                    errors.add("kvkNumber", Problem::Invalid);
                }
            }
            let status = v.get("status").and_then(Value::as_text);
            if matches!(status, Some("exited" | "dissolved")) && !v.contains_key("statusDate") {
                errors.add("statusDate", Problem::Required);
            }
            not_before(errors, "statusDate", "incorporationDate");
        }
        _ => {}
    }
}

/// The changed fields between two cleaned value sets, as (key, old, new) display texts.
pub fn changes(
    old: &Values,
    new: &Values,
    spec: &KindSpec,
) -> Vec<(String, Option<String>, Option<String>)> {
    spec.fields
        .iter()
        .filter_map(|f| {
            let (o, n) = (old.get(f.key), new.get(f.key));
            (o != n).then(|| {
                (
                    f.key.to_string(),
                    o.map(Value::display),
                    n.map(Value::display),
                )
            })
        })
        .collect()
}

/// A stored record of a generic kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StoredRecord {
    pub id: String,
    pub kind: RecordKind,
    pub title: String,
    #[cfg_attr(feature = "ts", ts(as = "std::collections::BTreeMap<String, Value>"))]
    pub values: Values,
    /// The titles of the records its link fields point to, by field key.
    pub link_titles: BTreeMap<String, String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A record of any kind that points to, or is pointed to by, another one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LinkedRecord {
    pub kind: RecordKind,
    pub id: String,
    pub title: String,
    /// The link field on the pointing record.
    pub field: String,
    /// True when the pointing record is a part of this one and goes with it on delete.
    pub part: bool,
}

/// Both directions of a record's links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Links {
    /// Records this one points to.
    pub outgoing: Vec<LinkedRecord>,
    /// Records that point to this one, its parts among them.
    pub incoming: Vec<LinkedRecord>,
}

/// A record of any kind by its title, for pickers and link lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RecordRef {
    pub kind: RecordKind,
    pub id: String,
    pub title: String,
}

/// What a table view asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RecordQuery {
    /// Field key to sort by; the title when empty or unknown.
    pub sort: Option<String>,
    pub descending: bool,
    /// Full-text search over the record's text and notes.
    pub search: Option<String>,
    /// Exact matches on fields (`kind = licence`, `consortiumId = …`).
    #[cfg_attr(feature = "ts", ts(as = "std::collections::BTreeMap<String, Value>"))]
    pub filters: Values,
    /// Rows to skip.
    pub offset: u32,
    pub limit: u32,
}

/// A file kept with a record (a signed agreement, a disclosure form, a term sheet, an
/// e-mail), listed on the record and opened with the system viewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Attachment {
    pub id: String,
    pub record_id: String,
    pub file_name: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    pub sha256: String,
    pub added_at: chrono::DateTime<chrono::Utc>,
    pub added_by: String,
}

/// The largest file an attachment may be: 50 MiB.
pub const MAX_ATTACHMENT_BYTES: usize = 50 * 1024 * 1024;

/// A named table view of a kind that the user saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SavedView {
    pub name: String,
    pub kind: RecordKind,
    pub query: RecordQuery,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default()
    }

    fn vals(pairs: &[(&str, Value)]) -> Values {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect()
    }

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn problems(kind: RecordKind, values: &Values) -> Vec<(String, Problem)> {
        let spec = spec(kind).expect("generic kind");
        match validate(spec, values, today()) {
            Ok(_) => Vec::new(),
            Err(e) => e.0.into_iter().map(|e| (e.field, e.problem)).collect(),
        }
    }

    #[test]
    fn every_kind_has_a_unique_table_and_a_title_field_that_exists() {
        let mut tables: Vec<_> = KINDS.iter().map(|k| k.table).collect();
        tables.sort_unstable();
        tables.dedup();
        assert_eq!(tables.len(), KINDS.len());
        for k in &KINDS {
            assert!(k.field(k.title).is_some(), "{:?} title", k.kind);
            if let Some(p) = k.parent {
                let field = k.field(p).expect("parent field");
                assert!(field.required && matches!(field.ty, FieldType::Link { .. }));
            }
        }
    }

    #[test]
    fn a_missing_required_field_and_a_bad_type_are_named() {
        let p = problems(K::Income, &vals(&[("amount", text("12"))]));
        assert!(p.contains(&("description".into(), Problem::Required)));
        assert!(p.contains(&("kind".into(), Problem::Required)));
        assert!(p.iter().any(|(f, _)| f == "amount"));
    }

    #[test]
    fn money_cannot_be_negative_and_dates_must_parse() {
        let p = problems(
            K::Income,
            &vals(&[
                ("description", text("Royalty Q1")),
                ("kind", text("royalty")),
                ("receivedDate", text("31-12-2025")),
                ("amount", Value::Int(-5)),
            ]),
        );
        assert_eq!(
            p,
            vec![
                ("receivedDate".into(), Problem::InvalidDate),
                (
                    "amount".into(),
                    Problem::OutOfRange {
                        min: 0,
                        max: i64::MAX
                    }
                )
            ]
        );
    }

    #[test]
    fn a_signing_date_cannot_lie_in_the_future_but_an_end_date_can() {
        let base = [("title", text("Licence")), ("kind", text("licence"))];
        let mut v = vals(&base);
        v.insert("signedDate".into(), text("2026-07-01"));
        assert_eq!(
            problems(K::Agreement, &v),
            vec![("signedDate".into(), Problem::InFuture { today: today() })]
        );
        let mut v = vals(&base);
        v.insert("endDate".into(), text("2030-01-01"));
        assert!(problems(K::Agreement, &v).is_empty());
    }

    #[test]
    fn a_patent_grant_before_filing_and_a_lower_case_jurisdiction() {
        let v = vals(&[
            ("title", text("Sensor")),
            ("family", text("PF-1")),
            ("jurisdiction", text("ep ")),
            ("status", text("granted")),
            ("filingDate", text("2024-03-01")),
            ("grantDate", text("2024-01-01")),
        ]);
        assert_eq!(
            problems(K::Patent, &v),
            vec![(
                "grantDate".into(),
                Problem::Before {
                    other: "filingDate".into()
                }
            )]
        );
        let spec = spec(K::Patent).expect("patent");
        let mut ok = v.clone();
        ok.insert("grantDate".into(), text("2025-09-01"));
        let clean = validate(spec, &ok, today()).expect("valid");
        assert_eq!(clean.get("jurisdiction"), Some(&text("EP")));
    }

    #[test]
    fn a_dissolved_spin_off_needs_its_date_and_kvk_numbers_have_eight_digits() {
        let v = vals(&[
            ("name", text("Qubit BV")),
            ("status", text("dissolved")),
            ("kvkNumber", text("1234")),
        ]);
        let p = problems(K::SpinOff, &v);
        assert!(p.contains(&("statusDate".into(), Problem::Required)));
        assert!(p.contains(&("kvkNumber".into(), Problem::Invalid)));
    }

    #[test]
    fn unknown_keys_and_empty_text_are_dropped() {
        let spec = spec(K::Cost).expect("cost");
        let v = vals(&[
            ("description", text("  EP filing fee ")),
            ("category", text("patent")),
            ("paidDate", text("2026-01-15")),
            ("amount", Value::Int(125_000)),
            ("patentId", text("")),
            ("hacker", text("x")),
        ]);
        let clean = validate(spec, &v, today()).expect("valid");
        assert_eq!(clean.len(), 4);
        assert_eq!(clean.get("description"), Some(&text("EP filing fee")));
    }

    #[test]
    fn changes_list_old_and_new_per_field() {
        let spec = spec(K::Consortium).expect("consortium");
        let old = vals(&[("name", text("A")), ("startYear", Value::Int(2024))]);
        let new = vals(&[("name", text("B")), ("programme", text("NWO"))]);
        assert_eq!(
            changes(&old, &new, spec),
            vec![
                ("name".into(), Some("A".into()), Some("B".into())),
                ("programme".into(), None, Some("NWO".into())),
                ("startYear".into(), Some("2024".into()), None),
            ]
        );
    }
}
