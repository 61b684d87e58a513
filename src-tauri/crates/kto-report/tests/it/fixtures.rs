//! Fixed inputs shared by the tests: a 16-figure submission built on the
//! indicator set shipped in assets/monitor, a signing key made once per test run, and
//! helpers to find external tools.

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::OnceLock;

use chrono::{NaiveDate, TimeZone, Utc};
use kto_report::{
    Breakdown, FigureOut, GeneratedKey, Institution, Period, Submission, Unit, YearValues,
    SCHEMA_VERSION,
};

pub const PASSPHRASE: &str = "correct horse battery staple";

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn figure(code: &str, label: &str, unit: Unit, value: Option<i64>) -> FigureOut {
    FigureOut {
        code: code.to_owned(),
        label: label.to_owned(),
        unit,
        value,
        not_available_reason: None,
        breakdowns: Vec::new(),
    }
}

/// The 16 figures of the default indicator set, with fixed values.
pub fn submission() -> Submission {
    use Unit::*;
    let mut figures = vec![
        figure(
            "IN-RES-EXP",
            "Onderzoeksuitgaven",
            EurCents,
            Some(41_250_000_000),
        ),
        figure(
            "IN-RES-FTE",
            "Onderzoekspersoneel",
            FteHundredths,
            Some(312_450),
        ),
        figure(
            "IN-KTO-FTE",
            "Personeel kennisoverdrachtsbureau",
            FteHundredths,
            Some(1_250),
        ),
        figure(
            "RA",
            "Onderzoeksovereenkomsten met niet-academische partners",
            Count,
            Some(187),
        ),
        figure(
            "ID",
            "Uitvindingsmeldingen (ideeën van onderzoekers)",
            Count,
            Some(64),
        ),
        figure("PA-PRIO", "Prioriteitsoctrooiaanvragen", Count, Some(21)),
        figure("PA-TOT", "Alle octrooiaanvragen", Count, Some(58)),
        figure("PG", "Verleende octrooien", Count, Some(0)),
        figure(
            "LOA",
            "Licentie-, optie- en overdrachtsovereenkomsten",
            Count,
            Some(17),
        ),
        figure("LI", "Licentie-inkomsten", EurCents, Some(123_456_789)),
        figure("SO", "Opgerichte spin-offs", Count, Some(5)),
        figure(
            "SO-INV",
            "Spin-offs met externe investering",
            Count,
            Some(3),
        ),
        figure(
            "SO-ACT3",
            "Actieve spin-offs van ten minste 3 jaar",
            Count,
            Some(42),
        ),
        figure(
            "SU",
            "Start-ups (geen formele IP-overdracht)",
            Count,
            Some(11),
        ),
        figure(
            "PPS-BASE",
            "Private cashbijdragen aan PPS (coöperatie)",
            EurCents,
            Some(987_654_321),
        ),
        figure("SC", "Scouting: bezochte onderzoeksgroepen", Count, None),
    ];
    figures[3].breakdowns = vec![
        Breakdown {
            key: "collaborative_pps".into(),
            value: 92,
        },
        Breakdown {
            key: "contract_research".into(),
            value: 71,
        },
        Breakdown {
            key: "consultancy".into(),
            value: 24,
        },
    ];
    figures[8].breakdowns = vec![
        Breakdown {
            key: "start_up".into(),
            value: 6,
        },
        Breakdown {
            key: "sme".into(),
            value: 7,
        },
        Breakdown {
            key: "large".into(),
            value: 4,
        },
    ];
    figures[15].not_available_reason =
        Some("bezoekregistratie pas vanaf 2025 ingevoerd; naïeve schatting niet gebruikt".into());
    Submission {
        schema_version: SCHEMA_VERSION,
        definition_version: "kto-nl-2024.1".into(),
        institution: Institution {
            id: "tue".into(),
            name: "Technische Universiteit Eindhoven".into(),
        },
        year: 2024,
        period: Period {
            start: date(2024, 1, 1),
            end: date(2024, 12, 31),
        },
        figures,
        app_version: "0.1.0".into(),
        created_at: Utc.with_ymd_and_hms(2025, 3, 14, 9, 30, 0).unwrap(),
        supersedes: None,
        sync: None,
    }
}

/// Earlier years for comparison and charts.
pub fn previous_years() -> Vec<YearValues> {
    let year = |y: i32, pairs: &[(&str, Option<i64>)]| YearValues {
        year: y,
        values: pairs
            .iter()
            .map(|(c, v)| ((*c).to_owned(), *v))
            .collect::<BTreeMap<_, _>>(),
    };
    vec![
        year(
            2022,
            &[
                ("ID", Some(51)),
                ("PA-PRIO", Some(15)),
                ("LI", Some(98_000_000)),
                ("SO", Some(4)),
            ],
        ),
        year(
            2023,
            &[
                ("ID", Some(58)),
                ("PA-PRIO", Some(24)),
                ("LI", Some(110_000_000)),
                ("SO", None),
                ("LOA", Some(17)),
                ("PG", Some(0)),
            ],
        ),
    ]
}

/// One key for the whole test run (scrypt at minisign's cost makes generation take seconds).
pub fn key() -> &'static GeneratedKey {
    static KEY: OnceLock<GeneratedKey> = OnceLock::new();
    KEY.get_or_init(|| kto_report::generate(PASSPHRASE).unwrap())
}

/// A second, unrelated key.
pub fn other_key() -> &'static GeneratedKey {
    static KEY: OnceLock<GeneratedKey> = OnceLock::new();
    KEY.get_or_init(|| kto_report::generate("another passphrase").unwrap())
}

/// Fails `test` when `tool` cannot be run: `make test` installs the tools, so a missing
/// one is a broken set-up, not a reason to pass.
pub fn require_tool(tool: &str, version_arg: &str, test: &str) {
    assert!(
        Command::new(tool).arg(version_arg).output().is_ok(),
        "`{tool}` is not on PATH, so {test} cannot run; install it (make deps, or apt-get install minisign poppler-utils)"
    );
}

/// Standard base64 (with padding), enough for tests that edit signature bytes.
pub mod b64 {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    pub fn decode(text: &str) -> Vec<u8> {
        let mut bits = 0u32;
        let mut nbits = 0;
        let mut out = Vec::new();
        for c in text.trim().bytes().filter(|c| *c != b'=') {
            let v = ALPHABET.iter().position(|a| *a == c).unwrap() as u32;
            bits = (bits << 6) | v;
            nbits += 6;
            if nbits >= 8 {
                nbits -= 8;
                out.push((bits >> nbits) as u8);
                bits &= (1 << nbits) - 1;
            }
        }
        out
    }
}

/// Proptest strategies for whole submissions that pass validation.
pub mod arb {
    use chrono::{DateTime, Datelike, Duration};
    use kto_report::{
        Breakdown, FigureOut, Institution, Period, Submission, Unit, MAX_SAFE_INTEGER,
    };
    use proptest::prelude::*;

    fn unit() -> impl Strategy<Value = Unit> {
        prop_oneof![
            Just(Unit::Count),
            Just(Unit::EurCents),
            Just(Unit::FteHundredths)
        ]
    }

    fn value(unit: Unit) -> BoxedStrategy<i64> {
        match unit {
            Unit::EurCents => prop_oneof![
                -100_000_000_i64..100_000_000,
                -MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER,
                Just(MAX_SAFE_INTEGER),
                Just(-MAX_SAFE_INTEGER),
                Just(0),
            ]
            .boxed(),
            _ => prop_oneof![0i64..100_000, 0..=MAX_SAFE_INTEGER, Just(0)].boxed(),
        }
    }

    /// Text with a visible first character and anything after it, including
    /// quotes, backslashes, control characters and non-ASCII.
    pub fn text() -> impl Strategy<Value = String> {
        "[A-Za-zëéïö€].{0,24}"
    }

    fn figure(index: usize) -> impl Strategy<Value = FigureOut> {
        (
            unit(),
            text(),
            any::<bool>(),
            proptest::option::of(text()),
            0usize..4,
        )
            .prop_flat_map(move |(unit, label, available, reason, n_breakdowns)| {
                let values = proptest::collection::vec(value(unit), n_breakdowns);
                (value(unit), values).prop_map(move |(v, bvalues)| FigureOut {
                    code: format!("F-{index}"),
                    label: label.clone(),
                    unit,
                    value: available.then_some(v),
                    not_available_reason: if available { None } else { reason.clone() },
                    breakdowns: if available {
                        bvalues
                            .iter()
                            .enumerate()
                            .map(|(i, value)| Breakdown {
                                key: format!("k{i}"),
                                value: *value,
                            })
                            .collect()
                    } else {
                        Vec::new()
                    },
                })
            })
    }

    pub fn submission() -> impl Strategy<Value = Submission> {
        (
            "[a-z][a-z0-9._-]{0,12}",
            text(),
            1990i32..2100,
            0i64..365,
            0usize..18,
            0i64..4_000_000_000,
            0u32..1_000,
            proptest::option::of("[0-9a-f]{64}"),
            text(),
        )
            .prop_flat_map(
                |(id, name, year, back, n, secs, millis, supersedes, version)| {
                    let figures: Vec<_> = (0..n).map(figure).collect();
                    figures.prop_map(move |figures| {
                        let end = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
                        let start = end - Duration::days(back);
                        let created_at =
                            DateTime::from_timestamp(secs, millis * 1_000_000).unwrap();
                        Submission {
                            schema_version: kto_report::SCHEMA_VERSION,
                            definition_version: version.clone(),
                            institution: Institution {
                                id: id.clone(),
                                name: name.clone(),
                            },
                            year: end.year(),
                            period: Period { start, end },
                            figures,
                            app_version: "1.2.3".into(),
                            created_at,
                            supersedes: supersedes.clone(),
                            sync: None,
                        }
                    })
                },
            )
    }
}
