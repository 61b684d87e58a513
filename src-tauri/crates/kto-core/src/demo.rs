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
use crate::settings::Language;

/// The institution every demo researcher works for.
pub const INSTITUTION: &str = "Universiteit van de Lage Landen";

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

/// How many disclosure topics the demo has; disclosure `n` is on topic `n % TOPIC_COUNT`.
const TOPIC_COUNT: usize = 24;

/// The human-readable text of the demo office in one language. Names (of people,
/// companies, the institution) are the same in every language; codes are not text.
struct Texts {
    /// The institution's six faculties; researchers are spread over them in this order.
    faculties: [&'static str; 6],
    /// Disclosure topics: the title, the index of the faculty that disclosed it and the
    /// title of the patent family filed on it.
    topics: [(&'static str, usize, &'static str); TOPIC_COUNT],
    /// Deal titles, one for each entry of [`DEAL_PIPELINES`].
    deal_titles: [&'static str; DEAL_COUNT],
    lost_reasons: [&'static str; 3],
    next_actions: [&'static str; 6],
    /// A disclosure's summary from its faculty and topic.
    summary: fn(&str, &str) -> String,
    /// The other records' text.
    records: &'static records::Texts,
}

const EN: Texts = Texts {
    faculties: [
        "Science and Engineering",
        "Medical Sciences",
        "Behavioural and Social Sciences",
        "Economics and Business",
        "Spatial Sciences",
        "Philosophy and Arts",
    ],
    topics: [
        (
            "Perovskite tandem solar cell with self-healing interface",
            0,
            "Self-healing interface layer for perovskite tandem cells",
        ),
        (
            "Low-cost sensor for nitrate in surface water",
            0,
            "Electrochemical nitrate sensor for surface water",
        ),
        (
            "Machine-learning model predicting dike failure",
            4,
            "Method for predicting dike failure from sensor data",
        ),
        (
            "Biodegradable scaffold for cartilage repair",
            1,
            "Biodegradable polymer scaffold for cartilage repair",
        ),
        (
            "Antibody fragment against antibiotic-resistant Klebsiella",
            1,
            "Antibody fragment binding antibiotic-resistant Klebsiella",
        ),
        (
            "Wearable ECG patch with on-device arrhythmia detection",
            1,
            "ECG patch with on-device arrhythmia detection",
        ),
        (
            "Method for recycling rare earths from wind-turbine magnets",
            0,
            "Recovery of rare earths from permanent magnets",
        ),
        (
            "Serious game for early detection of dyslexia",
            2,
            "Game-based screening method for dyslexia",
        ),
        (
            "Algorithm for fair allocation of hospital beds",
            3,
            "System for allocating hospital beds",
        ),
        (
            "Hydrogen storage in metal-organic frameworks",
            0,
            "Metal-organic framework for hydrogen storage",
        ),
        (
            "Satellite method to map peat subsidence",
            4,
            "Radar-satellite method for measuring peat subsidence",
        ),
        (
            "Speech-based screening for early Parkinson's disease",
            1,
            "Speech analysis for detecting early Parkinson's disease",
        ),
        (
            "Digital twin of a regional heat network",
            4,
            "Control method for a heat network using a digital twin",
        ),
        (
            "Text-mining tool for historical notarial archives",
            5,
            "Handwriting recognition for historical notarial deeds",
        ),
        (
            "Microfluidic chip for sperm selection in IVF",
            1,
            "Microfluidic chip for selecting sperm cells",
        ),
        (
            "Self-sensing concrete for bridge monitoring",
            0,
            "Self-sensing concrete composition",
        ),
        (
            "Behavioural nudge platform for energy saving",
            2,
            "Feedback system nudging households towards energy saving",
        ),
        (
            "Quantum-dot label for counterfeit-proof packaging",
            0,
            "Quantum-dot security label for packaging",
        ),
        (
            "Risk model for SME supply-chain disruption",
            3,
            "Method for forecasting supply-chain disruption",
        ),
        (
            "CRISPR-based diagnostic for plant pathogens",
            0,
            "CRISPR assay for detecting plant pathogens",
        ),
        (
            "Organ-on-chip model of the blood-brain barrier",
            1,
            "Organ-on-chip device mimicking the blood-brain barrier",
        ),
        (
            "Low-power radar for bird detection at wind farms",
            0,
            "Low-power radar for detecting birds near wind turbines",
        ),
        (
            "Adaptive learning engine for language courses",
            2,
            "Adaptive selection of exercises for language learning",
        ),
        (
            "Catalyst for CO2 conversion into methanol",
            0,
            "Copper-zinc catalyst for converting CO2 into methanol",
        ),
    ],
    deal_titles: [
        "Visit to the photonics group",
        "Soft-robotics lab: results ready to assess",
        "Screening of the water-technology chair",
        "Health economics group: decision-support tools",
        "Licence nitrate sensor",
        "Option on the cartilage scaffold",
        "Know-how licence dike-failure model",
        "Licence anti-counterfeit quantum-dot label",
        "Exclusive licence CO2-to-methanol catalyst",
        "TKI Energy: regional heat-network twin",
        "NWO Perspectief: organ-on-chip consortium",
        "Horizon Europe: rare-earth recycling",
        "Material testing for bridge sensors",
        "Clinical validation of the ECG patch",
        "Soil-pathogen assay development",
        "Wadden Robotics: seed round and licence",
        "Polder Diagnostics: business case",
        "LinguaAdapt: term sheet",
    ],
    lost_reasons: [
        "The company chose a competing technology.",
        "No budget at the partner this year.",
        "Call was oversubscribed; proposal not funded.",
    ],
    next_actions: [
        "Send the draft term sheet",
        "Call the partner's IP counsel",
        "Plan the follow-up visit",
        "Ask the inventors for the latest data",
        "Prepare the valuation note",
        "Send the consortium agreement for signature",
    ],
    summary: |faculty, topic| {
        format!(
            "Disclosed by the {faculty} faculty. {topic}: the inventors report a working \
             laboratory prototype and describe the advantage over the state of the art. \
             Prior art search pending; no publication planned before the assessment."
        )
    },
    records: &records::EN,
};

const NL: Texts = Texts {
    faculties: [
        "Bètawetenschappen en Techniek",
        "Medische Wetenschappen",
        "Gedrags- en Maatschappijwetenschappen",
        "Economie en Bedrijfskunde",
        "Ruimtelijke Wetenschappen",
        "Wijsbegeerte en Letteren",
    ],
    topics: [
        (
            "Perovskiet-tandemzonnecel met zelfherstellende grenslaag",
            0,
            "Zelfherstellende grenslaag voor perovskiet-tandemzonnecellen",
        ),
        (
            "Goedkope sensor voor nitraat in oppervlaktewater",
            0,
            "Elektrochemische nitraatsensor voor oppervlaktewater",
        ),
        (
            "Machinelearningmodel dat dijkfalen voorspelt",
            4,
            "Werkwijze voor het voorspellen van dijkfalen uit sensordata",
        ),
        (
            "Biologisch afbreekbaar scaffold voor kraakbeenherstel",
            1,
            "Biologisch afbreekbaar polymeerscaffold voor kraakbeenherstel",
        ),
        (
            "Antilichaamfragment tegen antibioticaresistente Klebsiella",
            1,
            "Antilichaamfragment dat antibioticaresistente Klebsiella bindt",
        ),
        (
            "Draagbare ECG-pleister die hartritmestoornissen zelf herkent",
            1,
            "ECG-pleister met ingebouwde herkenning van hartritmestoornissen",
        ),
        (
            "Methode om zeldzame aardmetalen uit windturbinemagneten terug te winnen",
            0,
            "Terugwinning van zeldzame aardmetalen uit permanente magneten",
        ),
        (
            "Serious game voor vroege opsporing van dyslexie",
            2,
            "Screeningsmethode voor dyslexie op basis van een spel",
        ),
        (
            "Algoritme voor eerlijke toewijzing van ziekenhuisbedden",
            3,
            "Systeem voor het toewijzen van ziekenhuisbedden",
        ),
        (
            "Waterstofopslag in metaal-organische raamwerken",
            0,
            "Metaal-organisch raamwerk voor de opslag van waterstof",
        ),
        (
            "Satellietmethode om bodemdaling in veengebieden in kaart te brengen",
            4,
            "Werkwijze voor het meten van bodemdaling in veen met radarsatellieten",
        ),
        (
            "Screening op vroege ziekte van Parkinson aan de hand van spraak",
            1,
            "Spraakanalyse voor het opsporen van vroege ziekte van Parkinson",
        ),
        (
            "Digitale tweeling van een regionaal warmtenet",
            4,
            "Regelmethode voor een warmtenet met een digitale tweeling",
        ),
        (
            "Textminingtool voor historische notariële archieven",
            5,
            "Handschriftherkenning voor historische notariële akten",
        ),
        (
            "Microfluïdische chip voor zaadcelselectie bij ivf",
            1,
            "Microfluïdische chip voor het selecteren van zaadcellen",
        ),
        (
            "Zelfmetend beton voor de monitoring van bruggen",
            0,
            "Zelfmetende betonsamenstelling",
        ),
        (
            "Nudgingplatform voor energiebesparing",
            2,
            "Terugkoppelsysteem dat huishoudens aanzet tot energiebesparing",
        ),
        (
            "Quantumdotlabel voor vervalsingsbestendige verpakkingen",
            0,
            "Beveiligingslabel met quantumdots voor verpakkingen",
        ),
        (
            "Risicomodel voor verstoring van toeleveringsketens in het mkb",
            3,
            "Werkwijze voor het voorspellen van verstoringen in toeleveringsketens",
        ),
        (
            "Diagnostische test op basis van CRISPR voor plantenziekteverwekkers",
            0,
            "CRISPR-test voor het aantonen van plantenziekteverwekkers",
        ),
        (
            "Organ-on-chipmodel van de bloed-hersenbarrière",
            1,
            "Organ-on-chip dat de bloed-hersenbarrière nabootst",
        ),
        (
            "Zuinige radar voor vogeldetectie bij windparken",
            0,
            "Energiezuinige radar voor het detecteren van vogels bij windturbines",
        ),
        (
            "Adaptieve leeromgeving voor taalcursussen",
            2,
            "Adaptieve selectie van oefeningen voor het leren van talen",
        ),
        (
            "Katalysator voor de omzetting van CO2 in methanol",
            0,
            "Koper-zinkkatalysator voor de omzetting van CO2 in methanol",
        ),
    ],
    deal_titles: [
        "Bezoek aan de fotonicagroep",
        "Lab zachte robotica: resultaten klaar voor beoordeling",
        "Screening van de leerstoel watertechnologie",
        "Groep gezondheidseconomie: tools voor beslisondersteuning",
        "Licentie nitraatsensor",
        "Optie op het kraakbeenscaffold",
        "Knowhowlicentie dijkfalenmodel",
        "Licentie quantumdotlabel tegen namaak",
        "Exclusieve licentie katalysator van CO2 naar methanol",
        "TKI Energie: digitale tweeling regionaal warmtenet",
        "NWO Perspectief: organ-on-chipconsortium",
        "Horizon Europe: recycling van zeldzame aardmetalen",
        "Materiaaltests voor brugsensoren",
        "Klinische validatie van de ECG-pleister",
        "Ontwikkeling van een test op bodempathogenen",
        "Wadden Robotics: seedronde en licentie",
        "Polder Diagnostics: businesscase",
        "LinguaAdapt: termsheet",
    ],
    lost_reasons: [
        "Het bedrijf heeft voor een concurrerende technologie gekozen.",
        "De partner heeft dit jaar geen budget.",
        "De call was overtekend; het voorstel is niet gehonoreerd.",
    ],
    next_actions: [
        "Stuur het concept-termsheet",
        "Bel de IE-jurist van de partner",
        "Plan het vervolgbezoek",
        "Vraag de uitvinders om de nieuwste data",
        "Stel de waarderingsnotitie op",
        "Stuur de consortiumovereenkomst ter ondertekening",
    ],
    summary: |faculty, topic| {
        format!(
            "Gemeld door de faculteit {faculty}. {topic}: de uitvinders hebben een werkend \
             laboratoriumprototype en beschrijven het voordeel ten opzichte van de stand van \
             de techniek. Het nieuwheidsonderzoek loopt nog; vóór de beoordeling wordt niets \
             gepubliceerd."
        )
    },
    records: &records::NL,
};

/// The demo's text in `language`.
fn texts(language: Language) -> &'static Texts {
    match language {
        Language::En => &EN,
        Language::Nl => &NL,
    }
}

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
pub use records::{records, records_in, DemoRecord, DemoRef};

/// How many deals the demo has.
const DEAL_COUNT: usize = 18;

/// The pipeline of each demo deal, in the order of [`Texts::deal_titles`].
const DEAL_PIPELINES: [Pipeline; DEAL_COUNT] = [
    Pipeline::Scouting,
    Pipeline::Scouting,
    Pipeline::Scouting,
    Pipeline::Scouting,
    Pipeline::Licensing,
    Pipeline::Licensing,
    Pipeline::Licensing,
    Pipeline::Licensing,
    Pipeline::Licensing,
    Pipeline::Pps,
    Pipeline::Pps,
    Pipeline::Pps,
    Pipeline::ContractResearch,
    Pipeline::ContractResearch,
    Pipeline::ContractResearch,
    Pipeline::SpinOffs,
    Pipeline::SpinOffs,
    Pipeline::SpinOffs,
];

/// Builds the demo office as of `today`: the institution, eleven partner organisations,
/// `people` researchers across six faculties and `disclosures` disclosures received over
/// the three years before `today`, in English. Equal seeds give equal offices.
pub fn office(seed: u64, today: NaiveDate, people: usize, disclosures: usize) -> DemoOffice {
    office_in(Language::En, seed, today, people, disclosures)
}

/// [`office`] with its text in `language`: the same records, dates, amounts, people and
/// links for the same seed in every language; only the human-readable text differs.
pub fn office_in(
    language: Language,
    seed: u64,
    today: NaiveDate,
    people: usize,
    disclosures: usize,
) -> DemoOffice {
    let texts = texts(language);
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
                texts.faculties[i % texts.faculties.len()].to_string(),
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
        let (topic, faculty, _) = texts.topics[n % TOPIC_COUNT];
        let faculty = texts.faculties[faculty];
        let title = if n < TOPIC_COUNT {
            topic.to_string()
        } else {
            format!(
                "{topic} ({})",
                ["II", "III", "IV", "V"][(n / TOPIC_COUNT - 1) % 4]
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
                summary: (texts.summary)(faculty, topic),
                inventors,
            },
            stage_changes,
        });
    }

    let deals = deals(texts, &mut rng, today, &organisations);
    let records = if out.is_empty() || persons.is_empty() {
        Vec::new()
    } else {
        records_in(
            language,
            seed,
            today,
            out.len(),
            organisations.len(),
            persons.len(),
        )
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
fn deals(
    texts: &Texts,
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
    organisations: &[Organisation],
) -> Vec<DemoDeal> {
    let companies: Vec<&Organisation> = organisations
        .iter()
        .filter(|o| o.kind != OrganisationKind::KnowledgeInstitution)
        .collect();
    let mut out = Vec::new();
    for (n, (pipeline, title)) in DEAL_PIPELINES.iter().zip(texts.deal_titles).enumerate() {
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
                title: title.to_string(),
                stage_id: format!("{}:{}", pipeline.code(), stages[0].0),
                organisation_id: org,
                value: Some(Money::from_euros(rng.random_range(2..60) * 5_000)),
                owner: ["Eva Smit", "Jeroen Bakker", "Noor El Amrani"][n % 3].to_string(),
                next_action: if open {
                    texts.next_actions[n % texts.next_actions.len()].to_string()
                } else {
                    String::new()
                },
                next_action_due: open.then_some(due),
                lost_reason: if target_outcome == Outcome::Lost {
                    texts.lost_reasons[n % texts.lost_reasons.len()].to_string()
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
    let deal_rounds = (records * 12 / 100) / DEAL_COUNT;
    for round in 1..deal_rounds {
        let (topic, _, _) = EN.topics[round % TOPIC_COUNT];
        for mut d in deals(&EN, &mut rng, today, &office.organisations) {
            d.input.title = format!("{} — {}", d.input.title, short(topic));
            office.deals.push(d);
        }
    }
    // The other kinds: linked groups of about a hundred, each group named after a topic.
    let existing = office.organisations.len() + people + disclosures + office.deals.len();
    let mut batch = 0u64;
    while existing + office.records.len() < records {
        let offset = office.records.len();
        let (topic, _, _) = EN.topics[batch as usize % TOPIC_COUNT];
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
            // A patent keeps the title of the topic of the disclosure it now belongs to.
            if r.kind == crate::activity::RecordKind::Patent {
                if let Some((_, DemoRef::Disclosure(d))) =
                    r.links.iter().find(|(field, _)| *field == "disclosureId")
                {
                    let title = EN.topics[d % TOPIC_COUNT].2;
                    r.values.insert(
                        "title".to_string(),
                        crate::record::Value::Text(title.to_string()),
                    );
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

    fn kinds(o: &DemoOffice) -> std::collections::BTreeMap<&'static str, usize> {
        let mut out = std::collections::BTreeMap::new();
        for r in &o.records {
            *out.entry(r.kind.code()).or_default() += 1;
        }
        out
    }

    #[test]
    fn the_dutch_office_has_the_english_records_with_dutch_text() {
        let en = office(2026, today(), 64, 48);
        let nl = office_in(Language::Nl, 2026, today(), 64, 48);
        assert_eq!(nl.organisations.len(), en.organisations.len());
        assert_eq!(nl.people.len(), en.people.len());
        assert_eq!(nl.disclosures.len(), en.disclosures.len());
        assert_eq!(nl.deals.len(), en.deals.len());
        assert_eq!(kinds(&nl), kinds(&en));
        for (e, n) in en.disclosures.iter().zip(&nl.disclosures) {
            assert_ne!(e.input.title, n.input.title);
            assert_ne!(e.input.summary, n.input.summary);
            assert_eq!(e.input.reference, n.input.reference);
            assert_eq!(e.input.received_on, n.input.received_on);
            assert_eq!(e.stage_changes.len(), n.stage_changes.len());
            assert!(validate(&n.input, today()).is_ok(), "{}", n.input.title);
        }
        for (e, n) in en.deals.iter().zip(&nl.deals) {
            assert_ne!(e.input.title, n.input.title);
            assert_eq!(
                e.input.next_action.is_empty(),
                n.input.next_action.is_empty()
            );
            if !e.input.next_action.is_empty() {
                assert_ne!(e.input.next_action, n.input.next_action);
            }
            assert_eq!(
                e.input.lost_reason.is_empty(),
                n.input.lost_reason.is_empty()
            );
            if !e.input.lost_reason.is_empty() {
                assert_ne!(e.input.lost_reason, n.input.lost_reason);
            }
            assert_eq!(e.moves, n.moves);
            assert_eq!(e.input.value, n.input.value);
        }
        // Names stay names: people, organisations and the institution.
        for (e, n) in en.people.iter().zip(&nl.people) {
            assert_eq!(e.name, n.name);
        }
        for (e, n) in en.organisations.iter().zip(&nl.organisations) {
            assert_eq!(e.name, n.name);
        }
        let faculties: std::collections::BTreeSet<&str> =
            nl.people.iter().map(|p| p.faculty.as_str()).collect();
        assert!(
            faculties.contains("Bètawetenschappen en Techniek"),
            "{faculties:?}"
        );
        // The same seed and language give the same office.
        let again = office_in(Language::Nl, 2026, today(), 64, 48);
        assert_eq!(again.records, nl.records);
    }

    #[test]
    fn every_text_has_a_dutch_translation() {
        for (e, n) in EN.topics.iter().zip(NL.topics.iter()) {
            assert_ne!(e.0, n.0);
            assert_ne!(e.2, n.2);
            assert_eq!(e.1, n.1, "{}", n.0);
        }
        for (e, n) in EN.deal_titles.iter().zip(NL.deal_titles) {
            assert_ne!(*e, n);
        }
        for (e, n) in EN.next_actions.iter().zip(NL.next_actions) {
            assert_ne!(*e, n);
        }
        for (e, n) in EN.lost_reasons.iter().zip(NL.lost_reasons) {
            assert_ne!(*e, n);
        }
        for (e, n) in EN.faculties.iter().zip(NL.faculties) {
            assert_ne!(*e, n);
        }
    }

    /// Whether a patent title and a disclosure title share a word (by its first five
    /// letters, so that "sensor" matches "nitraatsensor" and plurals match).
    fn on_the_same_subject(patent: &str, disclosure: &str) -> bool {
        let disclosure = disclosure.to_lowercase();
        patent
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 5)
            .any(|w| disclosure.contains(&w.chars().take(5).collect::<String>()))
    }

    #[test]
    fn every_patent_is_on_the_topic_of_its_disclosure_in_both_languages() {
        for language in [Language::En, Language::Nl] {
            for (people, disclosures) in [(64, 48), (60, 10), (30, 5)] {
                let o = office_in(language, 9, today(), people, disclosures);
                let mut patents = 0;
                for r in o
                    .records
                    .iter()
                    .filter(|r| r.kind == crate::activity::RecordKind::Patent)
                {
                    patents += 1;
                    let Some(crate::record::Value::Text(title)) = r.values.get("title") else {
                        panic!("a patent without a title: {r:?}");
                    };
                    let d = r
                        .links
                        .iter()
                        .find_map(|(field, target)| match target {
                            DemoRef::Disclosure(d) if *field == "disclosureId" => Some(*d),
                            _ => None,
                        })
                        .expect("a patent names its disclosure");
                    let disclosure = &o.disclosures[d].input.title;
                    assert_eq!(
                        title,
                        texts(language).topics[d % TOPIC_COUNT].2,
                        "{disclosure}"
                    );
                    assert!(
                        on_the_same_subject(title, disclosure),
                        "{language:?}: patent {title:?} on disclosure {disclosure:?}"
                    );
                }
                assert!(patents >= 8, "{patents}");
            }
        }
    }

    #[test]
    fn a_licence_is_named_after_the_patent_it_licenses() {
        for language in [Language::En, Language::Nl] {
            let o = office_in(language, 4, today(), 64, 48);
            let title = |r: &DemoRecord| match r.values.get("title") {
                Some(crate::record::Value::Text(t)) => t.to_lowercase(),
                _ => String::new(),
            };
            let licences = o.records.iter().filter(|r| {
                matches!(r.values.get("kind"), Some(crate::record::Value::Text(k)) if k == "licence" || k == "option")
            });
            let mut n = 0;
            for l in licences {
                n += 1;
                let Some((_, DemoRef::Record(p))) = l.links.iter().find(|(f, _)| *f == "patentId")
                else {
                    panic!("a licence without a patent: {l:?}");
                };
                assert!(title(l).ends_with(&title(&o.records[*p])), "{}", title(l));
            }
            assert_eq!(n, 6);
        }
    }
}
