//! A realistic, fictional demo office, generated deterministically from a seed.
//!
//! Every name, company and invention here is invented. The generator returns plain data;
//! the store writes it through its normal, validated write paths so that the demo has the
//! same history and search index as records a user enters.

use chrono::{Datelike, Days, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::disclosure::{Decision, DisclosureInput, DisclosureStage, InventorInput, FULL_SHARE_BP};
use crate::ids::{OrganisationId, PersonId};
use crate::money::Money;
use crate::party::{Organisation, OrganisationKind, Person};
use crate::pipeline::{DealInput, Outcome, Pipeline};

/// The institution every demo researcher works for.
pub const INSTITUTION: &str = "Universiteit van de Lage Landen";

const FACULTIES: &[&str] = &[
    "Science and Engineering",
    "Medical Sciences",
    "Behavioural and Social Sciences",
    "Economics and Business",
    "Spatial Sciences",
    "Philosophy and Arts",
];

const FIRST: &[&str] = &[
    "Anouk",
    "Bram",
    "Charlotte",
    "Daan",
    "Eline",
    "Floris",
    "Greetje",
    "Hidde",
    "Iris",
    "Joris",
    "Karlijn",
    "Lars",
    "Maaike",
    "Niels",
    "Olga",
    "Pieter",
    "Quirine",
    "Ruben",
    "Sanne",
    "Thijs",
    "Ursula",
    "Vincent",
    "Willemijn",
    "Xander",
    "Yara",
    "Zeger",
    "Priya",
    "Mehmet",
    "Fatima",
    "Chen",
    "Sofía",
    "Jürgen",
];

const LAST: &[&str] = &[
    "de Vries",
    "Jansen",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "van Dijk",
    "Kramer",
    "Hoekstra",
    "Ëvers",
    "Çelik",
    "Nguyen",
];

const COMPANIES: &[(&str, OrganisationKind, &str)] = &[
    ("Polderlicht Photonics B.V.", OrganisationKind::Sme, "NL"),
    (
        "Noorderzon Energy Systems B.V.",
        OrganisationKind::Sme,
        "NL",
    ),
    (
        "Dijkgraaf Medical Devices B.V.",
        OrganisationKind::Sme,
        "NL",
    ),
    (
        "Koninklijke Lagelanden Chemie N.V.",
        OrganisationKind::LargeCompany,
        "NL",
    ),
    (
        "Rhine Valley Pharma GmbH",
        OrganisationKind::LargeCompany,
        "DE",
    ),
    (
        "Atlantic Agritech Ltd",
        OrganisationKind::LargeCompany,
        "GB",
    ),
    ("Wadden Robotics B.V.", OrganisationKind::StartUp, "NL"),
    (
        "Stroomversnelling Capital",
        OrganisationKind::Investor,
        "NL",
    ),
    ("Innovatie Noord (ROM)", OrganisationKind::Rom, "NL"),
    ("Provincie Lageland", OrganisationKind::PublicBody, "NL"),
    ("Stichting Hartonderzoek", OrganisationKind::NonProfit, "NL"),
];

const TOPICS: &[(&str, &str)] = &[
    (
        "Perovskite tandem solar cell with self-healing interface",
        "Science and Engineering",
    ),
    (
        "Low-cost sensor for nitrate in surface water",
        "Science and Engineering",
    ),
    (
        "Machine-learning model predicting dike failure",
        "Spatial Sciences",
    ),
    (
        "Biodegradable scaffold for cartilage repair",
        "Medical Sciences",
    ),
    (
        "Antibody fragment against antibiotic-resistant Klebsiella",
        "Medical Sciences",
    ),
    (
        "Wearable ECG patch with on-device arrhythmia detection",
        "Medical Sciences",
    ),
    (
        "Method for recycling rare earths from wind-turbine magnets",
        "Science and Engineering",
    ),
    (
        "Serious game for early detection of dyslexia",
        "Behavioural and Social Sciences",
    ),
    (
        "Algorithm for fair allocation of hospital beds",
        "Economics and Business",
    ),
    (
        "Hydrogen storage in metal-organic frameworks",
        "Science and Engineering",
    ),
    (
        "Satellite method to map peat subsidence",
        "Spatial Sciences",
    ),
    (
        "Speech-based screening for early Parkinson's disease",
        "Medical Sciences",
    ),
    (
        "Digital twin of a regional heat network",
        "Spatial Sciences",
    ),
    (
        "Text-mining tool for historical notarial archives",
        "Philosophy and Arts",
    ),
    (
        "Microfluidic chip for sperm selection in IVF",
        "Medical Sciences",
    ),
    (
        "Self-sensing concrete for bridge monitoring",
        "Science and Engineering",
    ),
    (
        "Behavioural nudge platform for energy saving",
        "Behavioural and Social Sciences",
    ),
    (
        "Quantum-dot label for counterfeit-proof packaging",
        "Science and Engineering",
    ),
    (
        "Risk model for SME supply-chain disruption",
        "Economics and Business",
    ),
    (
        "CRISPR-based diagnostic for plant pathogens",
        "Science and Engineering",
    ),
    (
        "Organ-on-chip model of the blood-brain barrier",
        "Medical Sciences",
    ),
    (
        "Low-power radar for bird detection at wind farms",
        "Science and Engineering",
    ),
    (
        "Adaptive learning engine for language courses",
        "Behavioural and Social Sciences",
    ),
    (
        "Catalyst for CO2 conversion into methanol",
        "Science and Engineering",
    ),
];

/// One demo disclosure: the form as it was first entered, and the later stage changes
/// with the dates they happened.
#[derive(Debug, Clone)]
pub struct DemoDisclosure {
    pub input: DisclosureInput,
    /// Stage changes after the disclosure was received, oldest first.
    pub stage_changes: Vec<(NaiveDate, DisclosureStage, Option<Decision>)>,
}

/// One demo deal: created in its pipeline's first stage, then moved through the stages
/// listed with the dates the moves happened; the last is where it stands today.
#[derive(Debug, Clone)]
pub struct DemoDeal {
    pub input: DealInput,
    pub created_on: NaiveDate,
    /// Stage codes with the date of each move, oldest first.
    pub moves: Vec<(NaiveDate, &'static str)>,
}

/// The whole demo office.
#[derive(Debug, Clone)]
pub struct DemoOffice {
    pub organisations: Vec<Organisation>,
    pub people: Vec<Person>,
    pub disclosures: Vec<DemoDisclosure>,
    pub deals: Vec<DemoDeal>,
    /// Patents, agreements, income, costs, consortia, spin-offs and scouting leads.
    pub records: Vec<DemoRecord>,
}

mod records;
pub use records::{records, DemoRecord, DemoRef};

const DEAL_TITLES: &[(Pipeline, &str)] = &[
    (Pipeline::Scouting, "Visit to the photonics group"),
    (
        Pipeline::Scouting,
        "Soft-robotics lab: results ready to assess",
    ),
    (
        Pipeline::Scouting,
        "Screening of the water-technology chair",
    ),
    (
        Pipeline::Scouting,
        "Health economics group: decision-support tools",
    ),
    (Pipeline::Licensing, "Licence nitrate sensor"),
    (Pipeline::Licensing, "Option on the cartilage scaffold"),
    (Pipeline::Licensing, "Know-how licence dike-failure model"),
    (
        Pipeline::Licensing,
        "Licence anti-counterfeit quantum-dot label",
    ),
    (
        Pipeline::Licensing,
        "Exclusive licence CO2-to-methanol catalyst",
    ),
    (Pipeline::Pps, "TKI Energy: regional heat-network twin"),
    (Pipeline::Pps, "NWO Perspectief: organ-on-chip consortium"),
    (Pipeline::Pps, "Horizon Europe: rare-earth recycling"),
    (
        Pipeline::ContractResearch,
        "Material testing for bridge sensors",
    ),
    (
        Pipeline::ContractResearch,
        "Clinical validation of the ECG patch",
    ),
    (
        Pipeline::ContractResearch,
        "Soil-pathogen assay development",
    ),
    (
        Pipeline::SpinOffs,
        "Wadden Robotics: seed round and licence",
    ),
    (Pipeline::SpinOffs, "Polder Diagnostics: business case"),
    (Pipeline::SpinOffs, "LinguaAdapt: term sheet"),
];

const LOST_REASONS: &[&str] = &[
    "The company chose a competing technology.",
    "No budget at the partner this year.",
    "Call was oversubscribed; proposal not funded.",
];

const NEXT_ACTIONS: &[&str] = &[
    "Send the draft term sheet",
    "Call the partner's IP counsel",
    "Plan the follow-up visit",
    "Ask the inventors for the latest data",
    "Prepare the valuation note",
    "Send the consortium agreement for signature",
];

/// Builds the demo office as of `today`: the institution, eleven partner organisations,
/// `people` researchers across six faculties and `disclosures` disclosures received over
/// the three years before `today`. Equal seeds give equal offices.
pub fn office(seed: u64, today: NaiveDate, people: usize, disclosures: usize) -> DemoOffice {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut organisations = vec![Organisation {
        id: OrganisationId::new(),
        name: INSTITUTION.to_string(),
        kind: OrganisationKind::KnowledgeInstitution,
        country: "NL".to_string(),
        kvk: None,
    }];
    for (name, kind, country) in COMPANIES {
        let kvk = (*country == "NL")
            .then(|| format!("{:08}", rng.random_range(10_000_000..99_999_999u32)));
        organisations.push(Organisation {
            id: OrganisationId::new(),
            name: (*name).to_string(),
            kind: *kind,
            country: (*country).to_string(),
            kvk,
        });
    }
    let institution = organisations[0].id;

    let mut persons: Vec<Person> = Vec::with_capacity(people);
    for i in 0..people {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i * 7 + i / FIRST.len()) % LAST.len()];
        let name = format!("{first} {last}");
        let external = rng.random_ratio(1, 8);
        let (org, faculty) = if external {
            let o = &organisations[rng.random_range(1..organisations.len())];
            (o, String::new())
        } else {
            (
                &organisations[0],
                FACULTIES[i % FACULTIES.len()].to_string(),
            )
        };
        let mail_name: String = name
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphabetic() || *c == ' ')
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(".");
        persons.push(Person {
            id: PersonId::new(),
            name,
            email: Some(format!("{mail_name}@example.org")),
            organisation_id: Some(org.id),
            organisation_name: Some(org.name.clone()),
            faculty,
        });
    }

    let start = today.checked_sub_days(Days::new(3 * 365)).unwrap_or(today);
    let span = (today - start).num_days().max(1) as u64;
    let mut received: Vec<NaiveDate> = (0..disclosures)
        .map(|_| start + Days::new(rng.random_range(0..span)))
        .collect();
    received.sort();

    let mut out = Vec::with_capacity(disclosures);
    let mut seq_per_year = std::collections::BTreeMap::<i32, u32>::new();
    for (n, received_on) in received.into_iter().enumerate() {
        let (topic, faculty) = TOPICS[n % TOPICS.len()];
        let title = if n < TOPICS.len() {
            topic.to_string()
        } else {
            format!(
                "{topic} ({})",
                ["II", "III", "IV", "V"][(n / TOPICS.len() - 1) % 4]
            )
        };
        let seq = seq_per_year.entry(received_on.year()).or_default();
        *seq += 1;
        let reference = format!("D-{}-{:04}", received_on.year(), seq);

        // Inventors come from the disclosure's faculty; now and then a company researcher
        // of a partner joins them.
        let colleagues: Vec<&Person> = persons.iter().filter(|p| p.faculty == faculty).collect();
        let staff: Vec<&Person> = persons
            .iter()
            .filter(|p| p.organisation_id == Some(institution))
            .collect();
        let pool = if colleagues.len() >= 3 {
            colleagues
        } else {
            staff
        };
        let count = rng.random_range(1..=3usize).min(pool.len());
        let mut chosen: Vec<&Person> = pool.choose_multiple(&mut rng, count).copied().collect();
        if chosen.len() > 1 && rng.random_ratio(1, 5) {
            let external: Vec<&Person> = persons
                .iter()
                .filter(|p| p.organisation_id != Some(institution))
                .collect();
            if let Some(p) = external.choose(&mut rng) {
                chosen.pop();
                chosen.push(p);
            }
        }
        let shares = split_shares(&mut rng, chosen.len());
        let inventors = chosen
            .iter()
            .zip(shares)
            .map(|(p, share_bp)| InventorInput {
                person_id: Some(p.id),
                name: p.name.clone(),
                organisation_id: p.organisation_id,
                share_bp,
            })
            .collect();

        let age_days = (today - received_on).num_days();
        let mut stage_changes = Vec::new();
        if age_days > 20 {
            let assessed = received_on + Days::new(rng.random_range(3..20));
            stage_changes.push((assessed, DisclosureStage::InAssessment, None));
            if age_days > 120 && rng.random_ratio(4, 5) {
                let decided = assessed + Days::new(rng.random_range(30..100));
                let decision = *[
                    Decision::Protect,
                    Decision::Protect,
                    Decision::KnowHow,
                    Decision::Release,
                    Decision::Abandon,
                ]
                .choose(&mut rng)
                .unwrap_or(&Decision::Protect);
                stage_changes.push((decided.min(today), DisclosureStage::Decided, Some(decision)));
            }
        }

        out.push(DemoDisclosure {
            input: DisclosureInput {
                reference,
                title,
                received_on: Some(received_on),
                faculty: faculty.to_string(),
                trl: Some(rng.random_range(1..=6)),
                stage: DisclosureStage::Received,
                decision: None,
                decided_on: None,
                summary: format!(
                    "Disclosed by the {faculty} faculty. {topic}: the inventors report a working \
                     laboratory prototype and describe the advantage over the state of the art. \
                     Prior art search pending; no publication planned before the assessment."
                ),
                inventors,
            },
            stage_changes,
        });
    }

    let deals = deals(&mut rng, today, &organisations);
    let records = if out.is_empty() || persons.is_empty() {
        Vec::new()
    } else {
        records(seed, today, out.len(), organisations.len(), persons.len())
    };
    DemoOffice {
        organisations,
        people: persons,
        disclosures: out,
        deals,
        records,
    }
}

/// Deals in every pipeline, spread over its stages, with next actions around `today`
/// (some overdue) and a reason on every lost one.
fn deals(rng: &mut ChaCha8Rng, today: NaiveDate, organisations: &[Organisation]) -> Vec<DemoDeal> {
    let companies: Vec<&Organisation> = organisations
        .iter()
        .filter(|o| o.kind != OrganisationKind::KnowledgeInstitution)
        .collect();
    let mut out = Vec::new();
    for (n, (pipeline, title)) in DEAL_TITLES.iter().enumerate() {
        let stages = pipeline.default_stages();
        // Walk the stages up to a target; a lost stage is reached from an open one.
        let target = n % stages.len();
        let created_on = today - Days::new(rng.random_range(60..700));
        let mut moves = Vec::new();
        let mut day = created_on;
        let (target_code, target_outcome) = stages[target];
        let path: Vec<&'static str> = if target_outcome == Outcome::Lost {
            stages
                .iter()
                .take(2)
                .map(|s| s.0)
                .skip(1)
                .chain([target_code])
                .collect()
        } else {
            stages
                .iter()
                .take(target + 1)
                .skip(1)
                .map(|s| s.0)
                .collect()
        };
        for code in path {
            day = (day + Days::new(rng.random_range(10..60))).min(today);
            moves.push((day, code));
        }
        let open = target_outcome == Outcome::Open;
        let org = companies
            .get(rng.random_range(0..companies.len().max(1)))
            .map(|o| o.id);
        let due = today + Days::new(rng.random_range(0..28)) - Days::new(7);
        out.push(DemoDeal {
            input: DealInput {
                pipeline: *pipeline,
                title: (*title).to_string(),
                stage_id: format!("{}:{}", pipeline.code(), stages[0].0),
                organisation_id: org,
                value: Some(Money::from_euros(rng.random_range(2..60) * 5_000)),
                owner: ["Eva Smit", "Jeroen Bakker", "Noor El Amrani"][n % 3].to_string(),
                next_action: if open {
                    NEXT_ACTIONS[n % NEXT_ACTIONS.len()].to_string()
                } else {
                    String::new()
                },
                next_action_due: open.then_some(due),
                lost_reason: if target_outcome == Outcome::Lost {
                    LOST_REASONS[n % LOST_REASONS.len()].to_string()
                } else {
                    String::new()
                },
                notes: String::new(),
            },
            created_on,
            moves,
        });
    }
    out
}

/// Splits 100 % over `n` inventors in whole percents, the first inventor taking the most.
fn split_shares(rng: &mut ChaCha8Rng, n: usize) -> Vec<u32> {
    match n {
        0 => Vec::new(),
        1 => vec![FULL_SHARE_BP],
        _ => {
            let mut rest = FULL_SHARE_BP;
            let mut out = Vec::with_capacity(n);
            for i in 0..n - 1 {
                let left = (n - i) as u32;
                let fair = rest / left;
                let pct = (fair / 100 + rng.random_range(0..=10)).min(rest / 100 - (left - 1));
                out.push(pct * 100);
                rest -= pct * 100;
            }
            out.push(rest);
            out.sort_unstable_by(|a, b| b.cmp(a));
            out
        }
    }
}

/// A synthetic office of about `records` records across all kinds, for measuring the app
/// at office scale: people, disclosures over three years, deals in every pipeline and
/// stage, and the other kinds in linked groups (patent families with licences and
/// income, consortia with contributions, spin-offs with rounds, scouting leads).
/// Deterministic for a seed.
pub fn synthetic(seed: u64, today: NaiveDate, records: usize) -> DemoOffice {
    let records = records.max(200);
    let people = (records * 6 / 100).max(20);
    let disclosures = (records * 14 / 100).max(10);
    let mut office = office(seed, today, people, disclosures);
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_add(1));
    // Deals: the demo's pipeline walk repeated, each round named after a topic.
    let deal_rounds = (records * 12 / 100) / DEAL_TITLES.len();
    for round in 1..deal_rounds {
        let (topic, _) = TOPICS[round % TOPICS.len()];
        for mut d in deals(&mut rng, today, &office.organisations) {
            d.input.title = format!("{} — {}", d.input.title, short(topic));
            office.deals.push(d);
        }
    }
    // The other kinds: linked groups of about a hundred, each group named after a topic.
    let existing = office.organisations.len() + people + disclosures + office.deals.len();
    let mut batch = 0u64;
    while existing + office.records.len() < records {
        let offset = office.records.len();
        let (topic, _) = TOPICS[batch as usize % TOPICS.len()];
        for mut r in self::records(
            seed.wrapping_add(batch),
            today,
            disclosures,
            office.organisations.len(),
            people,
        ) {
            for (_, target) in &mut r.links {
                match target {
                    DemoRef::Record(i) => *i += offset,
                    DemoRef::Disclosure(i) => *i = (*i + batch as usize * 7) % disclosures,
                    DemoRef::Person(i) => *i = (*i + batch as usize * 13) % people,
                    DemoRef::Organisation(_) => {}
                }
            }
            if let Some(spec) = crate::record::spec(r.kind) {
                if let Some(crate::record::Value::Text(title)) = r.values.get_mut(spec.title) {
                    if batch > 0
                        && spec
                            .field(spec.title)
                            .is_some_and(|f| f.ty == (crate::record::FieldType::Text { max: 300 }))
                    {
                        *title = format!("{title} — {}", short(topic));
                    }
                }
            }
            office.records.push(r);
        }
        batch += 1;
    }
    office
}

/// The first words of a topic, for naming synthetic records.
fn short(topic: &str) -> String {
    topic
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::validate;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
    }

    #[test]
    fn every_demo_disclosure_passes_validation() {
        let office = office(7, today(), 60, 48);
        assert_eq!(office.disclosures.len(), 48);
        for d in &office.disclosures {
            assert!(
                validate(&d.input, today()).is_ok(),
                "{:?}",
                validate(&d.input, today())
            );
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_office() {
        let a = office(1, today(), 40, 30);
        let b = office(1, today(), 40, 30);
        let titles = |o: &DemoOffice| {
            o.disclosures
                .iter()
                .map(|d| d.input.title.clone())
                .collect::<Vec<_>>()
        };
        let dates = |o: &DemoOffice| {
            o.disclosures
                .iter()
                .map(|d| d.input.received_on)
                .collect::<Vec<_>>()
        };
        assert_eq!(titles(&a), titles(&b));
        assert_eq!(dates(&a), dates(&b));
    }

    #[test]
    fn disclosures_spread_over_three_years_and_never_lie_in_the_future() {
        let office = office(3, today(), 60, 48);
        let years: std::collections::BTreeSet<i32> = office
            .disclosures
            .iter()
            .filter_map(|d| d.input.received_on.map(|r| r.year()))
            .collect();
        assert!(years.len() >= 3, "{years:?}");
        for d in &office.disclosures {
            for (date, _, _) in &d.stage_changes {
                assert!(*date <= today());
            }
        }
    }

    #[test]
    fn every_pipeline_has_demo_deals_and_lost_ones_carry_a_reason() {
        let office = office(5, today(), 60, 10);
        for p in Pipeline::ALL {
            assert!(office.deals.iter().any(|d| d.input.pipeline == p), "{p:?}");
        }
        for d in &office.deals {
            let last = d
                .moves
                .last()
                .map(|m| m.1)
                .unwrap_or(d.input.pipeline.default_stages()[0].0);
            let outcome = d
                .input
                .pipeline
                .default_stages()
                .iter()
                .find(|s| s.0 == last)
                .map(|s| s.1);
            assert_eq!(
                outcome == Some(Outcome::Lost),
                !d.input.lost_reason.is_empty(),
                "{}",
                d.input.title
            );
        }
    }

    #[test]
    fn references_are_unique() {
        let office = office(5, today(), 60, 200);
        let refs: std::collections::HashSet<_> = office
            .disclosures
            .iter()
            .map(|d| d.input.reference.clone())
            .collect();
        assert_eq!(refs.len(), 200);
    }

    #[test]
    fn a_synthetic_office_has_about_the_records_asked_for_in_every_kind() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let o = synthetic(3, today, 5_000);
        let total = o.organisations.len()
            + o.people.len()
            + o.disclosures.len()
            + o.deals.len()
            + o.records.len();
        assert!((5_000..5_200).contains(&total), "{total}");
        let kinds: std::collections::BTreeSet<_> =
            o.records.iter().map(|r| r.kind.code()).collect();
        assert_eq!(kinds.len(), 10, "{kinds:?}");
        let again = synthetic(3, today, 5_000);
        assert_eq!(again.records, o.records);
        // Links only point backwards, so a store can create records in order.
        for (i, r) in o.records.iter().enumerate() {
            for (_, target) in &r.links {
                if let DemoRef::Record(j) = target {
                    assert!(*j < i);
                }
            }
        }
    }
}
