//! Spreadsheet import as the user steers it: which column goes to which field (matched
//! automatically on English and Dutch headers), what a preview found (problems per row and
//! cell, duplicates of existing records), the user's choices, and what an import did.
//!
//! Plain data and pure matching; reading files and writing records is `kto-store`'s.

pub mod cells;

use serde::{Deserialize, Serialize};

use crate::activity::RecordKind;
use crate::record::{FieldSpec, FieldType, KindSpec};
use crate::validation::Problem;

/// The mapping target of a column that holds record ids.
pub const ID_TARGET: &str = "id";

/// How the imported file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ImportFormat {
    /// Text with `,`, `;` or tab separators.
    Csv,
    /// An Excel or OpenDocument workbook (`.xlsx`, `.xls`, `.ods`).
    Workbook,
}

/// A file chosen for import, before a kind is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportFile {
    pub file_name: String,
    pub format: ImportFormat,
    /// The sheets of a workbook, in order; empty for CSV.
    pub sheets: Vec<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
}

/// One column of the file and where it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportColumn {
    pub header: String,
    /// The first few filled cells, as text.
    pub samples: Vec<String>,
    /// A field key, [`ID_TARGET`], or `None` when the column is ignored.
    pub target: Option<String>,
}

/// The columns of a file for one kind, mapped automatically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportSource {
    pub kind: RecordKind,
    /// The sheet read (a workbook's first one unless another was chosen).
    pub sheet: Option<String>,
    pub columns: Vec<ImportColumn>,
    /// Data rows, empty rows not counted.
    pub rows: u32,
}

/// What the user asks to import: the kind, the sheet and a target per column (in file
/// order; a field key, [`ID_TARGET`] or `None` to ignore the column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportRequest {
    pub kind: RecordKind,
    pub sheet: Option<String>,
    pub mapping: Vec<Option<String>>,
}

/// What is wrong, as a code the UI phrases in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "code"
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum IssueKind {
    /// The file as a whole cannot be read (not a workbook, too large, no header).
    Unreadable,
    /// A row could not be read (a broken quote, more cells than the header has columns).
    BadRow,
    /// Not an amount in euros.
    NotAmount { value: String },
    /// An amount that reads two ways, such as `1.234` (1234 euros in Dutch notation, 1.234
    /// in English) or `0.001` (more than whole cents).
    AmbiguousAmount { value: String },
    /// Not a date.
    NotDate { value: String },
    /// Not yes or no.
    NotYesNo { value: String },
    /// Not a whole number.
    NotWholeNumber { value: String },
    /// Not one of the field's choices.
    NotChoice { value: String, options: Vec<String> },
    /// Not a record id (a UUID).
    NotId { value: String },
    /// No record of the linked kind has this name.
    NoSuchRecord { value: String },
    /// Several records of the linked kind have this name.
    SeveralRecords { value: String },
    /// Not a list of inventors such as `Anouk de Vries (60 %); Bram Jansen (40 %)`.
    NotInventors { value: String },
    /// Not a stage of the deal's pipeline (by code or name, English or Dutch).
    NotStage { value: String },
    /// The spreadsheet cell holds an error such as `#DIV/0!`.
    CellError { value: String },
    /// The same record (by id or key) is in the file already on `other_line`.
    RepeatedInFile { other_line: u32 },
    /// A required field has no column.
    RequiredColumn,
    /// Two columns go to the same field.
    MappedTwice,
    /// The field does not exist for this kind.
    UnknownField,
    /// A column that matches no field (strict imports only).
    UnknownColumn,
    /// The record breaks a rule of its kind.
    Invalid { problem: Problem },
}

/// One problem of an import, at a line (1 is the header) and possibly a column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportIssue {
    /// The line of a CSV file or the row of a sheet; 0 for the file as a whole.
    pub line: u32,
    /// The column's header.
    pub column: Option<String>,
    /// The field concerned.
    pub field: Option<String>,
    pub issue: IssueKind,
    /// The problem in English, for the CLI and logs.
    pub message: String,
}

/// How a row was found to be a record that exists already.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum MatchedBy {
    /// The row carries the record's id.
    Id,
    /// The KvK number of an organisation or spin-off.
    Kvk,
    /// A person's e-mail address.
    Email,
    /// The kind's natural key (see [`natural_keys`]).
    Key,
}

/// A row that matches an existing record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportDuplicate {
    pub line: u32,
    pub record_id: String,
    /// The existing record's title.
    pub title: String,
    pub matched_by: MatchedBy,
    /// The value that matched (the id, KvK number, e-mail or key) as text.
    pub value: String,
    /// The fields that matched with their values (empty for a match by id).
    #[cfg_attr(
        feature = "ts",
        ts(as = "std::collections::BTreeMap<String, crate::record::Value>")
    )]
    pub matched: crate::record::Values,
}

/// What an import would do; nothing is written to make it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportPreview {
    /// Data rows read.
    pub rows: u32,
    /// Valid rows that become new records.
    pub create: u32,
    /// Valid rows that match an existing record: merged or skipped as the user chooses.
    pub duplicates: Vec<ImportDuplicate>,
    /// Rows with at least one problem; they are not imported.
    pub invalid_rows: u32,
    /// The problems, at most 500 (`problem_count` says how many there were).
    pub problems: Vec<ImportIssue>,
    pub problem_count: u32,
    /// A problem of the mapping (no column mapped, a field mapped twice) that keeps any
    /// row from being imported.
    pub blocked: bool,
}

/// Merge a duplicate into the existing record (its cells overwrite those fields) or skip it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum DuplicateChoice {
    Merge,
    Skip,
}

/// The choice for the duplicate on `line`; duplicates without one are skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportChoice {
    pub line: u32,
    pub choice: DuplicateChoice,
}

/// How far an import has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

/// What an import did. When `cancelled`, nothing was changed and the counts are zero.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportOutcome {
    /// The batch that "undo last import" reverts; `None` when nothing was written.
    pub batch_id: Option<String>,
    pub created: u32,
    pub updated: u32,
    /// Duplicates skipped by choice.
    pub skipped: u32,
    /// Rows with problems, not imported.
    pub invalid: u32,
    pub cancelled: bool,
}

/// An import as remembered for undo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportBatch {
    pub id: String,
    pub kind: RecordKind,
    pub file_name: String,
    pub imported_at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub created: u32,
    pub updated: u32,
}

/// What undoing an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct UndoOutcome {
    /// Records the import had created, now deleted.
    pub deleted: u32,
    /// Records the import had changed, now back to their earlier values.
    pub restored: u32,
}

/// A header reduced for matching: without a part in parentheses, accents, case, spaces and
/// punctuation. `"KvK-nummer"`, `"kvk nummer"` and `"KVK_Nummer"` all become `kvknummer`.
pub fn normalise_header(header: &str) -> String {
    let mut depth = 0u32;
    let mut out = String::new();
    for c in header.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            _ => {
                for l in c.to_lowercase() {
                    let base = match l {
                        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
                        'è' | 'é' | 'ê' | 'ë' => 'e',
                        'ì' | 'í' | 'î' | 'ï' => 'i',
                        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
                        'ù' | 'ú' | 'û' | 'ü' => 'u',
                        'ç' => 'c',
                        'ñ' => 'n',
                        'ý' | 'ÿ' => 'y',
                        other => other,
                    };
                    if base.is_alphanumeric() {
                        out.push(base);
                    }
                }
            }
        }
    }
    // "Bedrag (€)" is `bedrag`, but "(€)" alone keeps what it has.
    if out.is_empty() && depth == 0 && header.contains('(') {
        return normalise_header(&header.replace(['(', ')', '[', ']'], " "));
    }
    out
}

/// The column of a disclosure import that lists its inventors with their shares,
/// `Anouk de Vries (60 %); Bram Jansen (40 %)`; it has no column of its own in the table.
pub const INVENTORS_FIELD: &str = "inventors";

const fn field(
    key: &'static str,
    column: &'static str,
    ty: FieldType,
    required: bool,
) -> FieldSpec {
    FieldSpec {
        key,
        column,
        ty,
        required,
        in_table: false,
    }
}

/// Disclosures as a spreadsheet holds them: their own fields and the inventors in one
/// column. Validation and writing are the disclosure module's, not the generic kinds'.
pub static DISCLOSURE_IMPORT: KindSpec = KindSpec {
    kind: RecordKind::Disclosure,
    table: "disclosures",
    title: "title",
    parent: None,
    fields: &[
        field("reference", "reference", FieldType::Text { max: 40 }, false),
        field("title", "title", FieldType::Text { max: 300 }, true),
        field(
            "receivedOn",
            "received_on",
            FieldType::Date { past: true },
            true,
        ),
        field("faculty", "faculty", FieldType::Text { max: 120 }, false),
        field("trl", "trl", FieldType::Integer { min: 1, max: 9 }, false),
        field(
            "stage",
            "stage",
            FieldType::Choice {
                options: &["received", "in_assessment", "decided"],
            },
            false,
        ),
        field(
            "decision",
            "decision",
            FieldType::Choice {
                options: &["protect", "know_how", "release", "abandon"],
            },
            false,
        ),
        field(
            "decidedOn",
            "decided_on",
            FieldType::Date { past: true },
            false,
        ),
        field(
            "summary",
            "summary",
            FieldType::LongText { max: 20_000 },
            false,
        ),
        field(INVENTORS_FIELD, "", FieldType::Text { max: 2_000 }, true),
    ],
};

/// Deals as a spreadsheet holds them. The stage is named by its code or by the office's
/// name for it (English or Dutch) within the deal's pipeline.
pub static DEAL_IMPORT: KindSpec = KindSpec {
    kind: RecordKind::Deal,
    table: "deals",
    title: "title",
    parent: None,
    fields: &[
        field(
            "pipeline",
            "pipeline",
            FieldType::Choice {
                options: &[
                    "scouting",
                    "licensing",
                    "pps",
                    "contract_research",
                    "spin_offs",
                ],
            },
            true,
        ),
        field("title", "title", FieldType::Text { max: 300 }, true),
        field("stage", "stage_id", FieldType::Text { max: 120 }, true),
        field(
            "organisationId",
            "organisation_id",
            FieldType::Link {
                kind: RecordKind::Organisation,
            },
            false,
        ),
        field("value", "value_cents", FieldType::Money, false),
        field("owner", "owner", FieldType::Text { max: 120 }, false),
        field(
            "nextAction",
            "next_action",
            FieldType::Text { max: 300 },
            false,
        ),
        field(
            "dueDate",
            "next_action_due",
            FieldType::Date { past: false },
            false,
        ),
        field(
            "lostReason",
            "lost_reason",
            FieldType::LongText { max: 1_000 },
            false,
        ),
    ],
};

/// The fields of `kind` as an import reads them: a generic kind's own, or those of
/// [`DISCLOSURE_IMPORT`] and [`DEAL_IMPORT`].
pub fn import_spec(kind: RecordKind) -> Option<&'static KindSpec> {
    match kind {
        RecordKind::Disclosure => Some(&DISCLOSURE_IMPORT),
        RecordKind::Deal => Some(&DEAL_IMPORT),
        other => crate::record::spec(other),
    }
}

/// Every kind an import reads, disclosures and deals first.
pub fn import_specs() -> Vec<&'static KindSpec> {
    let mut out: Vec<&'static KindSpec> = vec![&DISCLOSURE_IMPORT, &DEAL_IMPORT];
    out.extend(crate::record::KINDS.iter());
    out
}

/// The default names of the deal stages in English and Dutch, as the boards show them
/// until an office renames a stage; an import finds a stage by any of them.
pub const STAGE_NAMES: &[(&str, &str, &str)] = &[
    ("identified", "Identified", "Geïdentificeerd"),
    ("contacted", "Contacted", "Benaderd"),
    ("visited", "Visited", "Bezocht"),
    ("assessed", "Assessed", "Beoordeeld"),
    ("converted", "Converted", "Omgezet"),
    ("parked", "Parked", "Geparkeerd"),
    ("marketing", "Marketing", "Marketing"),
    ("interest", "Interest", "Interesse"),
    ("negotiation", "Negotiation", "Onderhandeling"),
    ("term_sheet", "Term sheet", "Term sheet"),
    ("signed", "Signed", "Getekend"),
    ("lost", "Lost", "Verloren"),
    ("idea", "Idea", "Idee"),
    ("partner_search", "Partner search", "Partners zoeken"),
    ("proposal", "Proposal", "Voorstel"),
    ("submitted", "Submitted", "Ingediend"),
    ("awarded", "Awarded", "Toegekend"),
    ("rejected", "Rejected", "Afgewezen"),
    ("running", "Running", "Lopend"),
    ("closed", "Closed", "Afgesloten"),
    ("request", "Request", "Aanvraag"),
    ("quote", "Quote", "Offerte"),
    ("intake", "Intake", "Intake"),
    ("business_case", "Business case", "Businesscase"),
    ("incorporated", "Incorporated", "Opgericht"),
    ("active", "Active", "Actief"),
    ("exited", "Exited", "Verkocht"),
    ("dissolved", "Dissolved", "Opgeheven"),
];

/// True when `text` names the stage with `code` (its code or default English or Dutch
/// name) or the office's own `name` for it, compared as headers are.
pub fn names_stage(text: &str, code: Option<&str>, name: &str) -> bool {
    let wanted = normalise_header(text);
    if wanted.is_empty() {
        return false;
    }
    if !name.is_empty() && normalise_header(name) == wanted {
        return true;
    }
    code.is_some_and(|c| {
        normalise_header(c) == wanted
            || STAGE_NAMES
                .iter()
                .filter(|(k, _, _)| *k == c)
                .any(|(_, en, nl)| normalise_header(en) == wanted || normalise_header(nl) == wanted)
    })
}

/// One inventor of an inventors cell: a name and a share in basis points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventorCell {
    pub name: String,
    pub share_bp: u32,
}

/// Reads an inventors cell, `Anouk de Vries (60 %); Bram Jansen (40 %)`: names separated
/// by `;` or new lines, each with its share in parentheses (`60 %`, `60%`, `33,5 %`,
/// `33.5`). Without any shares, the inventors share equally (the first ones take the
/// remainder of a basis point). `None` when the cell cannot be read: an empty name, a
/// share that is not a percentage, or shares given for some inventors only.
pub fn parse_inventors(text: &str) -> Option<Vec<InventorCell>> {
    let mut names = Vec::new();
    let mut shares = Vec::new();
    for part in text
        .split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (name, share) = match part.strip_suffix(')').and_then(|p| p.rsplit_once('(')) {
            Some((name, share)) => (name.trim(), Some(share)),
            None => (part, None),
        };
        if name.is_empty() {
            return None;
        }
        names.push(name.to_string());
        shares.push(match share {
            Some(s) => Some(percent_bp(s)?),
            None => None,
        });
    }
    if names.is_empty() {
        return None;
    }
    let given = shares.iter().filter(|s| s.is_some()).count();
    let shares: Vec<u32> = if given == shares.len() {
        shares.into_iter().flatten().collect()
    } else if given == 0 {
        let n = names.len() as u32;
        (0..n)
            .map(|i| 10_000 / n + u32::from(i < 10_000 % n))
            .collect()
    } else {
        return None;
    };
    Some(
        names
            .into_iter()
            .zip(shares)
            .map(|(name, share_bp)| InventorCell { name, share_bp })
            .collect(),
    )
}

/// `60 %`, `60%`, `33,5` or `33.33` as basis points (at most two decimals, at most 100 %).
fn percent_bp(text: &str) -> Option<u32> {
    let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() || frac.len() > 2 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_bp: u32 = format!("{frac:0<2}").parse().ok()?;
    let bp = whole.parse::<u32>().ok()?.checked_mul(100)? + frac_bp;
    (bp <= 10_000).then_some(bp)
}

/// The inventors cell of stored inventors, as [`parse_inventors`] reads it back.
pub fn inventors_cell(inventors: &[(String, u32)]) -> String {
    inventors
        .iter()
        .map(|(name, bp)| format!("{name} ({})", crate::disclosure::percent(*bp)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Headers that name a field besides its key, English and Dutch, as spreadsheets write
/// them (matched after [`normalise_header`]). A key shared by several kinds means the same
/// thing in each; only the fields of the kind being imported are considered.
const SYNONYMS: &[(&str, &[&str])] = &[
    ("topic", &["Topic", "Subject", "Onderwerp"]),
    (
        "researchGroup",
        &[
            "Research group",
            "Group",
            "Onderzoeksgroep",
            "Groep",
            "Vakgroep",
        ],
    ),
    (
        "faculty",
        &["Faculty", "Department", "Faculteit", "Afdeling"],
    ),
    (
        "contactId",
        &["Contact person", "Contact", "Contactpersoon"],
    ),
    (
        "visitDate",
        &[
            "Date of visit",
            "Visit date",
            "Visited",
            "Datum bezoek",
            "Bezoekdatum",
        ],
    ),
    ("potential", &["Potential", "Potentieel"]),
    ("outcome", &["Outcome", "Result", "Uitkomst", "Resultaat"]),
    ("outcomeDate", &["Outcome date", "Datum uitkomst"]),
    (
        "disclosureId",
        &[
            "Disclosure",
            "Invention disclosure",
            "Uitvindingsmelding",
            "Melding",
        ],
    ),
    ("consortiumId", &["Consortium", "PPS"]),
    ("agreementId", &["Agreement", "Contract", "Overeenkomst"]),
    (
        "description",
        &[
            "Description",
            "Omschrijving",
            "Beschrijving",
            "Notes",
            "Notities",
            "Opmerkingen",
            "Toelichting",
        ],
    ),
    ("title", &["Title", "Titel"]),
    (
        "family",
        &["Patent family", "Family", "Octrooifamilie", "Familie"],
    ),
    (
        "jurisdiction",
        &["Jurisdiction", "Country", "Office", "Jurisdictie", "Land"],
    ),
    (
        "applicationNumber",
        &["Application number", "Application no", "Aanvraagnummer"],
    ),
    (
        "filingDate",
        &[
            "Filing date",
            "Filed",
            "Indieningsdatum",
            "Aanvraagdatum",
            "Datum indiening",
        ],
    ),
    (
        "isPriority",
        &[
            "Priority filing",
            "Priority",
            "Prioriteitsaanvraag",
            "Prioriteit",
        ],
    ),
    ("priorityDate", &["Priority date", "Prioriteitsdatum"]),
    (
        "grantDate",
        &[
            "Grant date",
            "Granted",
            "Verleningsdatum",
            "Datum verlening",
        ],
    ),
    ("status", &["Status", "State"]),
    ("kind", &["Kind", "Type", "Soort"]),
    (
        "counterpartyId",
        &[
            "Counterparty",
            "Company",
            "Partner",
            "Wederpartij",
            "Tegenpartij",
            "Bedrijf",
        ],
    ),
    (
        "signedDate",
        &[
            "Signed",
            "Signing date",
            "Date signed",
            "Getekend",
            "Ondertekend",
            "Datum ondertekening",
        ],
    ),
    (
        "startDate",
        &[
            "Start date",
            "Start",
            "Startdatum",
            "Begindatum",
            "Ingangsdatum",
        ],
    ),
    ("endDate", &["End date", "End", "Einddatum"]),
    (
        "value",
        &["Contract value", "Value", "Contractwaarde", "Waarde"],
    ),
    ("exclusive", &["Exclusive", "Exclusief"]),
    (
        "patentId",
        &["Patent application", "Patent", "Octrooiaanvraag", "Octrooi"],
    ),
    ("dealId", &["Deal"]),
    ("spinOffId", &["Spin-off", "Spinoff"]),
    (
        "name",
        &[
            "Name",
            "Naam",
            "Company name",
            "Bedrijfsnaam",
            "Organisation name",
            "Organisatienaam",
            "Full name",
            "Volledige naam",
        ],
    ),
    ("programme", &["Programme", "Program", "Programma"]),
    (
        "startYear",
        &[
            "First year",
            "Start year",
            "Eerste jaar",
            "Startjaar",
            "Beginjaar",
        ],
    ),
    (
        "endYear",
        &["Last year", "End year", "Laatste jaar", "Eindjaar"],
    ),
    (
        "totalBudget",
        &[
            "Total budget",
            "Budget",
            "Totaal budget",
            "Totale begroting",
            "Begroting",
        ],
    ),
    (
        "organisationId",
        &[
            "Organisation",
            "Organization",
            "Company",
            "Employer",
            "Organisatie",
            "Bedrijf",
            "Werkgever",
        ],
    ),
    (
        "partnerKind",
        &["Partner kind", "Partner type", "Soort partner"],
    ),
    ("role", &["Role", "Rol", "Functie"]),
    ("year", &["Year", "Jaar"]),
    ("cash", &["Cash", "Cash contribution", "Bijdrage in geld"]),
    ("inKindValue", &["In kind", "In-kind value", "In natura"]),
    ("inKindHours", &["In kind hours", "Hours", "Uren"]),
    (
        "kvkNumber",
        &[
            "KvK number",
            "KvK",
            "KvK-nummer",
            "KvK nr",
            "Chamber of commerce number",
            "Handelsregisternummer",
        ],
    ),
    (
        "kvk",
        &[
            "KvK number",
            "KvK",
            "KvK-nummer",
            "KvK nr",
            "Chamber of commerce number",
            "Handelsregisternummer",
        ],
    ),
    (
        "incorporationDate",
        &[
            "Incorporated",
            "Incorporation date",
            "Founded",
            "Opgericht",
            "Oprichtingsdatum",
        ],
    ),
    ("dealForm", &["Deal form", "Dealvorm"]),
    (
        "formalIpAgreement",
        &[
            "Formal IP agreement",
            "IP agreement",
            "Formele IP-overeenkomst",
            "IP-overeenkomst",
        ],
    ),
    ("statusDate", &["Status date", "Datum status"]),
    ("personId", &["Person", "Persoon", "Founder", "Oprichter"]),
    (
        "closedDate",
        &["Closed", "Closing date", "Gesloten", "Datum sluiting"],
    ),
    ("amount", &["Amount", "Bedrag", "Total", "Totaal"]),
    (
        "preMoney",
        &["Pre-money", "Pre-money valuation", "Pre-money waardering"],
    ),
    ("investors", &["Investors", "Investeerders"]),
    (
        "external",
        &[
            "External investors",
            "External",
            "Externe investeerders",
            "Extern",
        ],
    ),
    (
        "receivedDate",
        &[
            "Received",
            "Date received",
            "Date",
            "Ontvangen",
            "Ontvangstdatum",
            "Datum ontvangst",
            "Datum",
        ],
    ),
    ("category", &["Category", "Categorie"]),
    (
        "paidDate",
        &[
            "Paid",
            "Date paid",
            "Payment date",
            "Date",
            "Betaald",
            "Betaaldatum",
            "Datum betaling",
            "Datum",
        ],
    ),
    ("country", &["Country", "Country code", "Land"]),
    (
        "reference",
        &["Reference", "Ref", "Referentie", "Kenmerk", "Dossiernummer"],
    ),
    (
        "receivedOn",
        &[
            "Received",
            "Date received",
            "Received on",
            "Ontvangen",
            "Ontvangstdatum",
            "Datum ontvangst",
            "Datum melding",
            "Meldingsdatum",
        ],
    ),
    ("trl", &["Technology readiness level", "TRL-niveau"]),
    ("stage", &["Stage", "Phase", "Fase", "Stadium", "Status"]),
    ("decision", &["Decision", "Besluit", "Beslissing"]),
    (
        "decidedOn",
        &[
            "Decided",
            "Decided on",
            "Decision date",
            "Datum besluit",
            "Besluitdatum",
            "Besloten op",
        ],
    ),
    (
        "summary",
        &["Summary", "Abstract", "Samenvatting", "Omschrijving"],
    ),
    (
        "inventors",
        &["Inventors", "Inventor", "Uitvinders", "Uitvinder"],
    ),
    ("pipeline", &["Pipeline", "Trechter", "Soort deal"]),
    (
        "owner",
        &[
            "Owner",
            "Responsible",
            "Business developer",
            "Verantwoordelijke",
            "Eigenaar",
            "Accountmanager",
        ],
    ),
    ("nextAction", &["Next action", "Volgende actie", "Actie"]),
    (
        "lostReason",
        &[
            "Lost reason",
            "Reason lost",
            "Reden verloren",
            "Reden van verlies",
        ],
    ),
    (
        "dueDate",
        &[
            "Due",
            "Due date",
            "Deadline",
            "Uiterste datum",
            "Datum actie",
        ],
    ),
    ("email", &["E-mail", "Email address", "E-mailadres", "Mail"]),
];

/// Headers of the id column.
const ID_HEADERS: &[&str] = &["id", "uuid", "record id", "KTO id"];
/// Headers of the canonical export that an import does not read.
const IGNORED_HEADERS: &[&str] = &["createdAt", "updatedAt", "created_at", "updated_at"];

/// Where a header goes for `spec`: `Some(Some(target))` for a field key or [`ID_TARGET`],
/// `Some(None)` for a column known to be ignored (the export's timestamps), `None` when
/// nothing matches.
pub fn match_header(spec: &KindSpec, header: &str) -> Option<Option<&'static str>> {
    let h = normalise_header(header);
    if h.is_empty() {
        return None;
    }
    if ID_HEADERS.iter().any(|s| normalise_header(s) == h) {
        return Some(Some(ID_TARGET));
    }
    if IGNORED_HEADERS.iter().any(|s| normalise_header(s) == h) {
        return Some(None);
    }
    // The key and stored column first, so that the canonical headers always win.
    if let Some(f) = spec
        .fields
        .iter()
        .find(|f| normalise_header(f.key) == h || normalise_header(f.column) == h)
    {
        return Some(Some(f.key));
    }
    spec.fields
        .iter()
        .find(|f| {
            SYNONYMS
                .iter()
                .filter(|(key, _)| *key == f.key)
                .flat_map(|(_, names)| names.iter())
                .any(|n| normalise_header(n) == h)
        })
        .map(|f| Some(f.key))
}

/// The automatic mapping of `headers` for `spec`: a target per column, each field used by
/// the first column that matches it only.
pub fn auto_mapping(spec: &KindSpec, headers: &[String]) -> Vec<Option<String>> {
    let mut used: Vec<&str> = Vec::new();
    headers
        .iter()
        .map(|h| match match_header(spec, h) {
            Some(Some(target)) if !used.contains(&target) => {
                used.push(target);
                Some(target.to_string())
            }
            _ => None,
        })
        .collect()
}

/// The sets of fields that identify a record of `kind` besides its id, tried in order:
/// a row whose values equal an existing record's on all fields of one set (text compared
/// without case and surrounding spaces) is a duplicate of it.
pub fn natural_keys(kind: RecordKind) -> &'static [(MatchedBy, &'static [&'static str])] {
    use MatchedBy::{Email, Key, Kvk};
    use RecordKind as K;
    match kind {
        K::Organisation => &[(Kvk, &["kvk"]), (Key, &["name"])],
        K::Person => &[(Email, &["email"])],
        K::SpinOff => &[(Kvk, &["kvkNumber"]), (Key, &["name"])],
        K::ScoutingLead => &[(Key, &["topic", "researchGroup"])],
        K::Patent => &[(Key, &["applicationNumber"])],
        K::Agreement => &[(Key, &["title", "kind"])],
        K::Consortium => &[(Key, &["name"])],
        K::Contribution => &[(Key, &["consortiumId", "organisationId", "year"])],
        K::Founder => &[(Key, &["spinOffId", "personId"])],
        K::FundingRound => &[(Key, &["spinOffId", "name"])],
        K::Income => &[(Key, &["description", "receivedDate", "amount"])],
        K::Cost => &[(Key, &["description", "paidDate", "amount"])],
        K::Disclosure => &[(Key, &["reference"])],
        K::Deal => &[(Key, &["title", "pipeline"])],
    }
}

/// Words for the choices of fields besides their keys, English and Dutch, as offices
/// type them (matched after [`normalise_header`]; the key itself always matches).
const CHOICE_SYNONYMS: &[(&str, &[&str])] = &[
    ("low", &["laag"]),
    ("medium", &["middel", "gemiddeld"]),
    ("high", &["hoog"]),
    ("disclosure", &["uitvindingsmelding", "melding"]),
    ("parked", &["geparkeerd"]),
    ("pending", &["lopend", "aangevraagd", "in behandeling"]),
    ("granted", &["verleend"]),
    ("lapsed", &["vervallen"]),
    ("withdrawn", &["ingetrokken"]),
    ("refused", &["geweigerd", "afgewezen"]),
    ("active", &["actief"]),
    ("exited", &["exit"]),
    ("dissolved", &["opgeheven", "ontbonden"]),
    (
        "nda",
        &[
            "cda",
            "geheimhoudingsovereenkomst",
            "confidentiality agreement",
        ],
    ),
    ("option", &["optie"]),
    ("licence", &["license", "licentie"]),
    ("assignment", &["overdracht"]),
    ("collaborativeResearch", &["samenwerkingsonderzoek"]),
    ("contractResearch", &["contractonderzoek"]),
    ("consortiumAgreement", &["consortiumovereenkomst"]),
    ("royalty", &["royalties"]),
    ("upfrontFee", &["upfront"]),
    ("milestone", &["mijlpaal"]),
    ("optionFee", &["optievergoeding"]),
    ("equitySale", &["verkoop aandelen"]),
    (
        "researchPayment",
        &["research payment", "onderzoeksbijdrage"],
    ),
    (
        "contractPayment",
        &[
            "contract payment",
            "betaling contractonderzoek",
            "contractbetaling",
        ],
    ),
    ("privateCompany", &["company", "bedrijf"]),
    ("charity", &["goed doel", "anbi"]),
    (
        "nonProfit",
        &[
            "non-profit",
            "non profit",
            "stichting zonder anbi",
            "geen anbi",
        ],
    ),
    ("researchOrganisation", &["onderzoeksorganisatie"]),
    ("publicBody", &["overheid"]),
    ("equity", &["aandelen"]),
    ("hybrid", &["hybride"]),
    ("patent", &["octrooi", "octrooikosten"]),
    ("legal", &["juridisch"]),
    ("other", &["overig", "overige"]),
    ("sme", &["mkb"]),
    ("large_company", &["groot bedrijf"]),
    ("start_up", &["startup"]),
    ("investor", &["investeerder"]),
    ("public_body", &["overheid"]),
    ("knowledge_institution", &["kennisinstelling"]),
    ("received", &["ontvangen", "nieuw"]),
    (
        "in_assessment",
        &["assessment", "in beoordeling", "beoordeling"],
    ),
    ("decided", &["besloten", "beslist"]),
    ("protect", &["beschermen", "octrooieren", "patent"]),
    ("know_how", &["knowhow"]),
    ("release", &["vrijgeven", "vrijgegeven"]),
    ("abandon", &["afzien", "stoppen", "niet voortzetten"]),
    ("licensing", &["licenties", "licentiering"]),
    ("contract_research", &["contractonderzoek"]),
    ("spin_offs", &["spin-off", "spinoffs"]),
];

/// The option of a choice field that `text` names: its key in any case and spelling of
/// spaces and underscores, or an English or Dutch word for it.
pub fn match_choice(options: &[&'static str], text: &str) -> Option<&'static str> {
    let wanted = normalise_header(text);
    if wanted.is_empty() {
        return None;
    }
    options.iter().copied().find(|o| {
        normalise_header(o) == wanted
            || CHOICE_SYNONYMS
                .iter()
                .filter(|(key, _)| key == o)
                .flat_map(|(_, words)| words.iter())
                .any(|w| normalise_header(w) == wanted)
    })
}

/// True when a required field of `spec` needs a column (flags default to no).
pub fn needs_column(spec: &KindSpec, key: &str) -> bool {
    spec.field(key)
        .is_some_and(|f| f.required && f.ty != FieldType::Bool)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::spec;

    fn target(kind: RecordKind, header: &str) -> Option<&'static str> {
        match_header(spec(kind).expect("generic kind"), header).flatten()
    }

    #[test]
    fn headers_are_matched_without_case_accents_spaces_or_units() {
        assert_eq!(normalise_header(" KvK-nummer "), "kvknummer");
        assert_eq!(normalise_header("Bedrag (€)"), "bedrag");
        assert_eq!(normalise_header("Catégorie"), "categorie");
        assert_eq!(normalise_header("paid_date"), "paiddate");
    }

    #[test]
    fn english_and_dutch_headers_find_their_field() {
        use RecordKind as K;
        for (kind, header, field) in [
            (K::Cost, "Omschrijving", "description"),
            (K::Cost, "Bedrag (EUR)", "amount"),
            (K::Cost, "Datum betaling", "paidDate"),
            (K::Cost, "CATEGORIE", "category"),
            (K::Cost, "paid_date", "paidDate"),
            (K::Organisation, "KvK-nummer", "kvk"),
            (K::Organisation, "Land (ISO-code)", "country"),
            (K::Organisation, "Soort", "kind"),
            (K::SpinOff, "KvK nummer", "kvkNumber"),
            (K::Person, "E-mailadres", "email"),
            (K::Person, "Organisatie", "organisationId"),
            (K::Patent, "Land", "jurisdiction"),
            (K::Patent, "Indieningsdatum", "filingDate"),
            (K::Agreement, "Wederpartij", "counterpartyId"),
            (K::Agreement, "Contract value", "value"),
            (K::Income, "Ontvangen", "receivedDate"),
        ] {
            assert_eq!(target(kind, header), Some(field), "{kind:?} {header}");
        }
        assert_eq!(target(K::Cost, "ID"), Some(ID_TARGET));
        assert_eq!(target(K::Cost, "Colour"), None);
        assert_eq!(
            match_header(spec(K::Cost).expect("cost"), "createdAt"),
            Some(None)
        );
    }

    #[test]
    fn choices_are_read_from_their_keys_and_dutch_words() {
        use crate::record::{AGREEMENT_KINDS, ORGANISATION_KINDS};
        assert_eq!(match_choice(AGREEMENT_KINDS, "Licentie"), Some("licence"));
        assert_eq!(
            match_choice(AGREEMENT_KINDS, "contract research"),
            Some("contractResearch")
        );
        assert_eq!(
            match_choice(ORGANISATION_KINDS, "Large company"),
            Some("large_company")
        );
        assert_eq!(match_choice(ORGANISATION_KINDS, "MKB"), Some("sme"));
        assert_eq!(
            match_choice(ORGANISATION_KINDS, "Overheid"),
            Some("public_body")
        );
        assert_eq!(match_choice(AGREEMENT_KINDS, "lease"), None);
        assert_eq!(match_choice(AGREEMENT_KINDS, ""), None);
    }

    #[test]
    fn dutch_disclosure_and_deal_headers_find_their_field() {
        let headers: Vec<String> = [
            "Kenmerk",
            "Titel",
            "Datum melding",
            "Faculteit",
            "TRL",
            "Fase",
            "Besluit",
            "Datum besluit",
            "Samenvatting",
            "Uitvinders",
        ]
        .map(String::from)
        .to_vec();
        let mapped = auto_mapping(&DISCLOSURE_IMPORT, &headers);
        let keys: Vec<&str> = DISCLOSURE_IMPORT.fields.iter().map(|f| f.key).collect();
        assert_eq!(
            mapped,
            keys.iter().map(|k| Some(k.to_string())).collect::<Vec<_>>()
        );
        let deal: Vec<String> = [
            "Trechter",
            "Titel",
            "Fase",
            "Organisatie",
            "Waarde",
            "Verantwoordelijke",
            "Volgende actie",
            "Deadline",
            "Reden verloren",
        ]
        .map(String::from)
        .to_vec();
        let keys: Vec<&str> = DEAL_IMPORT.fields.iter().map(|f| f.key).collect();
        assert_eq!(
            auto_mapping(&DEAL_IMPORT, &deal),
            keys.iter().map(|k| Some(k.to_string())).collect::<Vec<_>>()
        );
        let stages = ["received", "in_assessment", "decided"];
        assert_eq!(
            match_choice(&stages, "In beoordeling"),
            Some("in_assessment")
        );
        assert_eq!(match_choice(&stages, "Besloten"), Some("decided"));
        assert_eq!(
            match_choice(&["protect", "know_how"], "Know-how"),
            Some("know_how")
        );
    }

    #[test]
    fn inventors_cells_are_read_with_their_shares() {
        let cell = |name: &str, share_bp| InventorCell {
            name: name.into(),
            share_bp,
        };
        assert_eq!(
            parse_inventors("Anouk de Vries (60 %); Bram Jansen (40%)"),
            Some(vec![
                cell("Anouk de Vries", 6_000),
                cell("Bram Jansen", 4_000)
            ])
        );
        assert_eq!(
            parse_inventors("A (33,34); B (33.33 %)\nC (33,33%)"),
            Some(vec![cell("A", 3_334), cell("B", 3_333), cell("C", 3_333)])
        );
        assert_eq!(
            parse_inventors("A; B; C"),
            Some(vec![cell("A", 3_334), cell("B", 3_333), cell("C", 3_333)])
        );
        assert_eq!(
            parse_inventors("Chen Wei"),
            Some(vec![cell("Chen Wei", 10_000)])
        );
        assert_eq!(parse_inventors("A (60 %); B"), None, "shares for some only");
        assert_eq!(parse_inventors("A (zestig)"), None);
        assert_eq!(parse_inventors("A (120 %)"), None);
        assert_eq!(parse_inventors(" ; "), None);
        let stored = vec![
            ("Anouk de Vries".to_string(), 6_000),
            ("Bram".to_string(), 4_000),
        ];
        let back = parse_inventors(&inventors_cell(&stored)).unwrap();
        assert_eq!(
            back.into_iter()
                .map(|c| (c.name, c.share_bp))
                .collect::<Vec<_>>(),
            stored
        );
    }

    #[test]
    fn stages_are_named_by_code_default_name_or_the_offices_name() {
        assert!(names_stage("term sheet", Some("term_sheet"), ""));
        assert!(names_stage("Getekend", Some("signed"), ""));
        assert!(names_stage("Signed", Some("signed"), "Contract getekend"));
        assert!(names_stage(
            "contract getekend",
            Some("signed"),
            "Contract getekend"
        ));
        assert!(names_stage("Warm lead", None, "Warm lead"));
        assert!(!names_stage("Verloren", Some("signed"), ""));
        assert!(!names_stage("", Some("signed"), ""));
    }

    #[test]
    fn a_field_is_mapped_to_the_first_matching_column_only() {
        let spec = spec(RecordKind::Cost).expect("cost");
        let headers: Vec<String> = ["Omschrijving", "Description", "Kleur", "Bedrag"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            auto_mapping(spec, &headers),
            vec![
                Some("description".into()),
                None,
                None,
                Some("amount".into())
            ]
        );
    }

    #[test]
    fn every_natural_key_names_fields_of_its_kind() {
        for k in import_specs() {
            for (_, fields) in natural_keys(k.kind) {
                for f in *fields {
                    assert!(k.field(f).is_some(), "{:?} {f}", k.kind);
                }
            }
        }
        for (key, _) in SYNONYMS {
            assert!(
                import_specs().iter().any(|s| s.field(key).is_some()),
                "{key}"
            );
        }
    }
}
