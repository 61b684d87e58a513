//! The demo office's other records: patent families with PCT filings, licences with their
//! income, patent costs, consortia with partner contributions, spin-offs with founders and
//! rounds, and scouting leads — linked to each other and to the demo's disclosures,
//! organisations and people, with dated edits and notes over three years.

use chrono::{Datelike, Days, Months, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::activity::RecordKind;
use crate::record::{Value, Values};
use crate::settings::Language;

use super::TOPIC_COUNT;

/// What a demo record's link field points to, before ids exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoRef {
    /// An earlier entry of the demo record list.
    Record(usize),
    /// A demo disclosure by index.
    Disclosure(usize),
    /// A demo organisation by index (0 is the institution).
    Organisation(usize),
    /// A demo person by index.
    Person(usize),
}

/// One generic record of the demo office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoRecord {
    pub kind: RecordKind,
    pub created_on: NaiveDate,
    pub values: Values,
    pub links: Vec<(&'static str, DemoRef)>,
    /// Later edits: on a date, set a field.
    pub edits: Vec<(NaiveDate, &'static str, Value)>,
    /// Notes on the timeline.
    pub notes: Vec<(NaiveDate, &'static str)>,
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn day(d: NaiveDate) -> Value {
    Value::Text(d.format("%Y-%m-%d").to_string())
}

struct Builder {
    out: Vec<DemoRecord>,
}

impl Builder {
    fn add(
        &mut self,
        kind: RecordKind,
        created_on: NaiveDate,
        values: &[(&str, Value)],
        links: &[(&'static str, DemoRef)],
    ) -> usize {
        self.out.push(DemoRecord {
            kind,
            created_on,
            values: values
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect(),
            links: links.to_vec(),
            edits: Vec::new(),
            notes: Vec::new(),
        });
        self.out.len() - 1
    }
}

/// A thousand and a hundred thousand euros, in cents.
const EUR_1000: i64 = 100_000;
const EUR_100K: i64 = 10_000_000;

/// Company organisations of the demo (indexes into the demo's organisation list).
const COMPANIES: std::ops::Range<usize> = 1..12;

/// How many patent families the demo has.
const PATENT_FAMILIES: usize = 8;

/// The human-readable text of the demo records in one language. Patent titles follow
/// the topics of the disclosures they are filed on (see the demo's topics).
pub(super) struct Texts {
    /// "Filing fee", before a family's code.
    filing_fee: &'static str,
    /// A licence's or (with `true`) an option's title from the patent's title.
    agreement_title: fn(bool, &str) -> String,
    option_fee: &'static str,
    upfront_fee: &'static str,
    /// "Royalty", before a year.
    royalty: &'static str,
    /// "Contract research", before one of `contract_subjects`.
    contract_research: &'static str,
    contract_subjects: [&'static str; 5],
    kick_off: &'static str,
    mid_term_review: &'static str,
    /// "Consortium agreement", before a consortium's name.
    consortium_agreement: &'static str,
    industry_partner: &'static str,
    research_partner: &'static str,
    /// The names of a spin-off's first two funding rounds.
    rounds: [&'static str; 2],
    /// The investors in those rounds.
    investors: [&'static str; 2],
    /// Scouting visits: the research group and the topic.
    scouting: [(&'static str, &'static str); 8],
}

pub(super) const EN: Texts = Texts {
    filing_fee: "Filing fee",
    agreement_title: |option, patent| {
        format!("{} {patent}", if option { "Option" } else { "Licence" })
    },
    option_fee: "Option fee",
    upfront_fee: "Upfront fee",
    royalty: "Royalty",
    contract_research: "Contract research",
    contract_subjects: [
        "battery ageing",
        "crop imaging",
        "speech models",
        "coating tests",
        "trial logistics",
    ],
    kick_off: "Kick-off held in Wageningen with the pyrolysis partners; work plan agreed.",
    mid_term_review: "Mid-term review: partners asked to report in-kind hours per quarter.",
    consortium_agreement: "Consortium agreement",
    industry_partner: "Industry partner",
    research_partner: "Research partner",
    rounds: ["Pre-seed", "Seed"],
    investors: ["UNIIQ, founders", "Regional development fund (ROM), angels"],
    scouting: [
        ("Photonics", "Integrated photonics for health"),
        ("Soft Robotics", "Grippers for food handling"),
        ("Water Technology", "Membranes for PFAS removal"),
        (
            "Health Economics",
            "Decision support for hospital care paths",
        ),
        ("Catalysis", "Green ammonia catalysts"),
        ("Data Science", "Privacy-preserving federated learning"),
        ("Plant Sciences", "Drought-resistant potato lines"),
        ("Materials", "Recyclable composites"),
    ],
};

pub(super) const NL: Texts = Texts {
    filing_fee: "Indieningstaks",
    agreement_title: |option, patent| {
        format!(
            "{} {}",
            if option { "Optie op" } else { "Licentie" },
            lower_first(patent)
        )
    },
    option_fee: "Optievergoeding",
    upfront_fee: "Vergoeding bij ondertekening",
    royalty: "Royalty's",
    contract_research: "Contractonderzoek",
    contract_subjects: [
        "veroudering van batterijen",
        "beeldvorming van gewassen",
        "spraakmodellen",
        "tests van coatings",
        "logistiek van klinische studies",
    ],
    kick_off: "Kick-off in Wageningen met de pyrolysepartners; werkplan vastgesteld.",
    mid_term_review:
        "Tussentijdse evaluatie: partners gevraagd hun in-kinduren per kwartaal te melden.",
    consortium_agreement: "Consortiumovereenkomst",
    industry_partner: "Bedrijfspartner",
    research_partner: "Onderzoekspartner",
    rounds: ["Pre-seedronde", "Seedronde"],
    investors: [
        "UNIIQ, oprichters",
        "Regionale ontwikkelingsmaatschappij (ROM), informal investors",
    ],
    scouting: [
        ("Fotonica", "Geïntegreerde fotonica voor de zorg"),
        ("Zachte robotica", "Grijpers voor het verwerken van voedsel"),
        ("Watertechnologie", "Membranen die PFAS verwijderen"),
        ("Gezondheidseconomie", "Beslisondersteuning voor zorgpaden"),
        ("Katalyse", "Katalysatoren voor groene ammoniak"),
        ("Datawetenschap", "Privacyvriendelijk federatief leren"),
        ("Plantenwetenschappen", "Droogteresistente aardappelrassen"),
        ("Materiaalkunde", "Recyclebare composieten"),
    ],
};

/// `s` with its first letter in lower case, unless it starts an abbreviation ("CRISPR",
/// "ECG").
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(first), second) if !second.is_some_and(char::is_uppercase) => first
            .to_lowercase()
            .chain(s[first.len_utf8()..].chars())
            .collect(),
        _ => s.to_string(),
    }
}

/// The demo records in English, deterministic for a seed. `disclosures`, `organisations`
/// and `people` are the counts of the demo's lists (at least 8, 12 and 10).
pub fn records(
    seed: u64,
    today: NaiveDate,
    disclosures: usize,
    organisations: usize,
    people: usize,
) -> Vec<DemoRecord> {
    records_in(
        Language::En,
        seed,
        today,
        disclosures,
        organisations,
        people,
    )
}

/// [`records`] with its text in `language`; the same records for the same seed in every
/// language.
pub fn records_in(
    language: Language,
    seed: u64,
    today: NaiveDate,
    disclosures: usize,
    organisations: usize,
    people: usize,
) -> Vec<DemoRecord> {
    let demo = super::texts(language);
    let texts = demo.records;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x05EC_04D5);
    let mut b = Builder { out: Vec::new() };
    let months_ago = |m: u32| today.checked_sub_months(Months::new(m)).unwrap_or(today);
    let company = |rng: &mut ChaCha8Rng| {
        DemoRef::Organisation(rng.random_range(COMPANIES.start..COMPANIES.end.min(organisations)))
    };
    let person = |rng: &mut ChaCha8Rng| DemoRef::Person(rng.random_range(0..people.max(1)));

    // Patent families: a priority filing on each of the first eight disclosures, titled
    // after its topic, most followed by a PCT filing 11–12 months later. The first
    // family's PCT national phase falls three weeks ahead.
    let mut pcts = Vec::new();
    for n in 0..PATENT_FAMILIES {
        let priority = if n == 0 {
            months_ago(30) + Days::new(21)
        } else {
            months_ago(6 + 5 * n as u32)
        };
        let family = format!("PF-{}-{:02}", priority.year(), n + 1);
        let jurisdiction = if n % 3 == 2 { "EP" } else { "NL" };
        let d = n % disclosures.max(1);
        let disclosure = DemoRef::Disclosure(d);
        let title = demo.topics[d % TOPIC_COUNT].2;
        let first = b.add(
            RecordKind::Patent,
            priority,
            &[
                ("title", text(title)),
                ("family", text(&family)),
                ("jurisdiction", text(jurisdiction)),
                (
                    "applicationNumber",
                    text(format!("{jurisdiction}{}", 2_040_000 + n * 137)),
                ),
                ("filingDate", day(priority)),
                ("isPriority", Value::Bool(true)),
                ("status", text("pending")),
            ],
            &[("disclosureId", disclosure)],
        );
        b.add(
            RecordKind::Cost,
            priority + Days::new(20),
            &[
                (
                    "description",
                    text(format!("{} {family}", texts.filing_fee)),
                ),
                ("category", text("patent")),
                ("paidDate", day(priority + Days::new(20))),
                ("amount", Value::Int(rng.random_range(2_500..6_000) * 100)),
            ],
            &[("patentId", DemoRef::Record(first))],
        );
        let pct_filed = priority + Days::new(350);
        if n != 5 && pct_filed <= today {
            let pct = b.add(
                RecordKind::Patent,
                pct_filed,
                &[
                    ("title", text(title)),
                    ("family", text(&family)),
                    ("jurisdiction", text("PCT")),
                    (
                        "applicationNumber",
                        text(format!("PCT/NL{}/{:06}", pct_filed.year(), 50_100 + n)),
                    ),
                    ("filingDate", day(pct_filed)),
                    ("isPriority", Value::Bool(false)),
                    ("priorityDate", day(priority)),
                    ("status", text("pending")),
                ],
                &[("disclosureId", disclosure)],
            );
            pcts.push(pct);
        }
        if jurisdiction == "EP" && n == 2 {
            let grant = priority + Days::new(700);
            if grant <= today {
                b.out[first].edits.push((grant, "status", text("granted")));
                b.out[first].edits.push((grant, "grantDate", day(grant)));
            }
        }
    }

    // Licences and options on the families, with their income.
    for n in 0..6 {
        let signed = months_ago(2 + 6 * n);
        let kind = if n == 4 { "option" } else { "licence" };
        let patent = pcts
            .get(n as usize % pcts.len().max(1))
            .copied()
            .unwrap_or(0);
        let patent_title = match b.out[patent].values.get("title") {
            Some(Value::Text(t)) => t.clone(),
            _ => String::new(),
        };
        let patent = DemoRef::Record(patent);
        let licence = b.add(
            RecordKind::Agreement,
            signed,
            &[
                (
                    "title",
                    text((texts.agreement_title)(kind == "option", &patent_title)),
                ),
                ("kind", text(kind)),
                ("signedDate", day(signed)),
                ("startDate", day(signed)),
                (
                    "endDate",
                    day(signed
                        .checked_add_months(Months::new(120))
                        .unwrap_or(signed)),
                ),
                ("value", Value::Int(rng.random_range(20..400) * EUR_1000)),
                ("exclusive", Value::Bool(n % 2 == 0)),
            ],
            &[("counterpartyId", company(&mut rng)), ("patentId", patent)],
        );
        let upfront = signed + Days::new(30);
        if upfront <= today {
            b.add(
                RecordKind::Income,
                upfront,
                &[
                    (
                        "description",
                        text(if kind == "option" {
                            texts.option_fee
                        } else {
                            texts.upfront_fee
                        }),
                    ),
                    (
                        "kind",
                        text(if kind == "option" {
                            "optionFee"
                        } else {
                            "upfrontFee"
                        }),
                    ),
                    ("receivedDate", day(upfront)),
                    ("amount", Value::Int(rng.random_range(10..80) * EUR_1000)),
                ],
                &[("agreementId", DemoRef::Record(licence))],
            );
        }
        // A royalty at each anniversary of a licence.
        let anniversaries = (1..)
            .map_while(|y| signed.checked_add_months(Months::new(12 * y)))
            .take_while(|d| *d <= today && kind == "licence");
        for next in anniversaries {
            b.add(
                RecordKind::Income,
                next,
                &[
                    (
                        "description",
                        text(format!("{} {}", texts.royalty, next.year() - 1)),
                    ),
                    ("kind", text("royalty")),
                    ("receivedDate", day(next)),
                    ("amount", Value::Int(rng.random_range(5..60) * EUR_1000)),
                ],
                &[("agreementId", DemoRef::Record(licence))],
            );
        }
    }

    // Contract research and NDAs, some ending in the coming weeks.
    for n in 0..5u32 {
        let signed = months_ago(3 + 7 * n);
        let end = today + Days::new(u64::from(10 + 25 * n));
        b.add(
            RecordKind::Agreement,
            signed,
            &[
                (
                    "title",
                    text(format!(
                        "{} {}",
                        texts.contract_research, texts.contract_subjects[n as usize]
                    )),
                ),
                (
                    "kind",
                    text(if n % 2 == 0 {
                        "contractResearch"
                    } else {
                        "nda"
                    }),
                ),
                ("signedDate", day(signed)),
                ("startDate", day(signed)),
                ("endDate", day(end)),
                (
                    "value",
                    Value::Int(if n % 2 == 0 {
                        rng.random_range(40..250) * EUR_1000
                    } else {
                        0
                    }),
                ),
            ],
            &[("counterpartyId", company(&mut rng))],
        );
    }

    // PPS consortia with their partners' contributions per year and a consortium agreement.
    let consortia = [
        ("Circular Plastics Lab", "TKI Chemie"),
        ("Smart Dikes 2030", "NWO Perspectief"),
        ("Quantum Sensing NL", "TKI HTSM"),
    ];
    for (n, (name, programme)) in consortia.iter().enumerate() {
        let start = months_ago(30 - 8 * n as u32);
        let c = b.add(
            RecordKind::Consortium,
            start,
            &[
                ("name", text(*name)),
                ("programme", text(*programme)),
                ("startYear", Value::Int(i64::from(start.year()))),
                ("endYear", Value::Int(i64::from(start.year() + 4))),
                (
                    "totalBudget",
                    Value::Int(rng.random_range(8..30) * EUR_100K),
                ),
            ],
            &[],
        );
        if n == 0 {
            b.out[c].notes.push((start + Days::new(40), texts.kick_off));
        }
        b.out[c]
            .notes
            .push((start + Days::new(200), texts.mid_term_review));
        b.add(
            RecordKind::Agreement,
            start,
            &[
                (
                    "title",
                    text(format!("{} {name}", texts.consortium_agreement)),
                ),
                ("kind", text("consortiumAgreement")),
                ("signedDate", day(start)),
                ("startDate", day(start)),
            ],
            &[("consortiumId", DemoRef::Record(c))],
        );
        for year in start.year()..=today.year() {
            for (p, kind) in [
                (1 + n, "privateCompany"),
                (4 + n, "privateCompany"),
                (0, "researchOrganisation"),
            ] {
                let partner = DemoRef::Organisation(p.min(organisations - 1));
                let cash = if kind == "privateCompany" {
                    rng.random_range(5..60) * EUR_1000
                } else {
                    0
                };
                b.add(
                    RecordKind::Contribution,
                    NaiveDate::from_ymd_opt(year, 1, 15)
                        .unwrap_or(start)
                        .max(start),
                    &[
                        ("partnerKind", text(kind)),
                        (
                            "role",
                            text(if kind == "privateCompany" {
                                texts.industry_partner
                            } else {
                                texts.research_partner
                            }),
                        ),
                        ("year", Value::Int(i64::from(year))),
                        ("cash", Value::Int(cash)),
                        (
                            "inKindValue",
                            Value::Int(rng.random_range(0..30) * EUR_1000),
                        ),
                        ("inKindHours", Value::Int(rng.random_range(0..400))),
                    ],
                    &[
                        ("consortiumId", DemoRef::Record(c)),
                        ("organisationId", partner),
                    ],
                );
            }
        }
    }

    // Spin-offs with founders and funding rounds; one start-up without an IP deal, one
    // dissolved.
    let spin_offs = [
        ("Lumina Diagnostics B.V.", "active", true, 34),
        ("HealCoat B.V.", "active", true, 20),
        ("DikeSense B.V.", "dissolved", true, 40),
        ("Tessel Robotics B.V.", "active", false, 10),
    ];
    for (n, (name, status, ip, age)) in spin_offs.iter().enumerate() {
        let founded = months_ago(*age);
        let s = b.add(
            RecordKind::SpinOff,
            founded,
            &[
                ("name", text(*name)),
                ("kvkNumber", text(format!("{}", 80_100_000 + 7_919 * n))),
                ("incorporationDate", day(founded)),
                (
                    "dealForm",
                    text(["hybrid", "equity", "royalty", "equity"][n]),
                ),
                ("formalIpAgreement", Value::Bool(*ip)),
                ("status", text("active")),
            ],
            &[(
                "disclosureId",
                DemoRef::Disclosure((n + 2) % disclosures.max(1)),
            )],
        );
        if *status == "dissolved" {
            let end = months_ago(4);
            b.out[s].edits.push((end, "status", text("dissolved")));
            b.out[s].edits.push((end, "statusDate", day(end)));
        }
        for f in 0..2 {
            b.add(
                RecordKind::Founder,
                founded,
                &[("role", text(if f == 0 { "CEO" } else { "CTO" }))],
                &[
                    ("spinOffId", DemoRef::Record(s)),
                    ("personId", person(&mut rng)),
                ],
            );
        }
        for (r, (round, months_after)) in texts.rounds.iter().zip([3u32, 15]).enumerate() {
            let closed = founded
                .checked_add_months(Months::new(months_after))
                .unwrap_or(founded);
            if closed > today {
                continue;
            }
            b.add(
                RecordKind::FundingRound,
                closed,
                &[
                    ("name", text(*round)),
                    ("closedDate", day(closed)),
                    (
                        "amount",
                        Value::Int(rng.random_range(2..20) * EUR_100K * (r as i64 + 1)),
                    ),
                    (
                        "preMoney",
                        Value::Int(rng.random_range(10..40) * EUR_100K * (r as i64 + 1)),
                    ),
                    ("investors", text(texts.investors[r])),
                    ("external", Value::Bool(true)),
                ],
                &[("spinOffId", DemoRef::Record(s))],
            );
        }
    }

    // Scouting leads over three years; some became disclosures or consortia.
    for (n, (group, topic)) in texts.scouting.iter().enumerate() {
        let visited = months_ago(2 + 4 * n as u32);
        let outcome = ["disclosure", "pps", "contract", "parked"][n % 4];
        let mut links = vec![("contactId", person(&mut rng))];
        if outcome == "disclosure" {
            links.push((
                "disclosureId",
                DemoRef::Disclosure((n + 5) % disclosures.max(1)),
            ));
        }
        let lead = b.add(
            RecordKind::ScoutingLead,
            visited,
            &[
                ("topic", text(*topic)),
                ("researchGroup", text(*group)),
                ("faculty", text(demo.faculties[0])),
                ("visitDate", day(visited)),
                ("potential", text(["high", "medium", "low"][n % 3])),
            ],
            &links,
        );
        if n > 0 {
            let decided = visited + Days::new(45);
            if decided <= today {
                b.out[lead].edits.push((decided, "outcome", text(outcome)));
                b.out[lead]
                    .edits
                    .push((decided, "outcomeDate", day(decided)));
            }
        }
    }
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{spec, validate};

    #[test]
    fn every_demo_record_is_valid_links_go_backwards_and_the_output_is_deterministic() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default();
        let a = records(7, today, 48, 12, 64);
        assert_eq!(a, records(7, today, 48, 12, 64));
        let nl = records_in(Language::Nl, 7, today, 48, 12, 64);
        assert_eq!(nl, records_in(Language::Nl, 7, today, 48, 12, 64));
        // The Dutch records are the English ones with other text.
        assert_eq!(nl.len(), a.len());
        for (e, n) in a.iter().zip(&nl) {
            assert_eq!(
                (e.kind, e.created_on, &e.links),
                (n.kind, n.created_on, &n.links)
            );
            assert_eq!(
                e.values.keys().collect::<Vec<_>>(),
                n.values.keys().collect::<Vec<_>>()
            );
        }
        for (i, r) in nl.iter().enumerate() {
            let s = spec(r.kind).expect("generic kind");
            let mut v = r.values.clone();
            for (field, _) in &r.links {
                v.insert(
                    (*field).to_string(),
                    Value::Text("0190f3a2-0000-7000-8000-000000000001".into()),
                );
            }
            assert!(
                validate(s, &v, today).is_ok(),
                "{i} {:?}",
                validate(s, &v, today)
            );
        }
        for (i, r) in a.iter().enumerate() {
            let s = spec(r.kind).expect("generic kind");
            let mut v = r.values.clone();
            for (field, target) in &r.links {
                if let DemoRef::Record(j) = target {
                    assert!(*j < i, "record {i} links forward to {j}");
                }
                v.insert(
                    (*field).to_string(),
                    Value::Text("0190f3a2-0000-7000-8000-000000000001".into()),
                );
            }
            assert!(
                validate(s, &v, today).is_ok(),
                "{:?}: {:?}",
                r.kind,
                validate(s, &v, today)
            );
            assert!(r.created_on <= today);
        }
        for kind in [
            RecordKind::Patent,
            RecordKind::Agreement,
            RecordKind::Income,
            RecordKind::Consortium,
            RecordKind::Contribution,
            RecordKind::SpinOff,
            RecordKind::FundingRound,
            RecordKind::ScoutingLead,
            RecordKind::Cost,
            RecordKind::Founder,
        ] {
            assert!(a.iter().any(|r| r.kind == kind), "{kind:?} missing");
        }
    }
}
