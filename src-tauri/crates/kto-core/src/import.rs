//! Spreadsheet import as the user steers it: which column goes to which field (matched
//! automatically on English and Dutch headers), what a preview found (problems per row and
//! cell, duplicates of existing records), the user's choices, and what an import did.
//!
//! Plain data and pure matching; reading files and writing records is `kto-store`'s.

use serde::{Deserialize, Serialize};

use crate::activity::RecordKind;
use crate::record::{FieldType, KindSpec};
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
        K::Disclosure | K::Deal => &[],
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
    ("privateCompany", &["company", "bedrijf"]),
    ("charity", &["goed doel", "anbi"]),
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
        for k in &crate::record::KINDS {
            for (_, fields) in natural_keys(k.kind) {
                for f in *fields {
                    assert!(k.field(f).is_some(), "{:?} {f}", k.kind);
                }
            }
            for (key, _) in SYNONYMS {
                assert!(
                    crate::record::KINDS.iter().any(|s| s.field(key).is_some()),
                    "{key}"
                );
            }
        }
    }
}
