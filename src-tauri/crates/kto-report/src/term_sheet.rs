//! A spin-off's term sheet: its stored terms phrased in the user's language (and, when a
//! reference set is given, checked against it) as the input of
//! [`crate::pdf::render_term_sheet`], and rendered to PDF.

use crate::error::Result;
use crate::pdf::{
    format_count, format_date, format_eur_cents, render_term_sheet, Locale, SheetSection,
    TermSheetInput,
};
use chrono::NaiveDate;
use kto_core::settings::Language;
use kto_core::terms::captable::CapTable;
use kto_core::terms::checker::{check, CheckStatus};
use kto_core::terms::deal::{
    AntiDilution, DealForm, PatentCostReimbursement, RoyaltyBase, TermKey, TermUnit,
};
use kto_core::terms::reference::ReferenceSet;
use kto_store::{CapTablePlan, SpinOffTerms};

fn pct(bp: u32, nl: bool) -> String {
    let whole = bp / 100;
    let frac = bp % 100;
    let text = if frac == 0 {
        whole.to_string()
    } else {
        let s = format!("{whole}.{frac:02}");
        s.trim_end_matches('0').to_owned()
    };
    let text = if nl { text.replace('.', ",") } else { text };
    format!("{text} %")
}

fn value_in(unit: TermUnit, v: i64, nl: bool, locale: Locale) -> String {
    match unit {
        TermUnit::BasisPoints => pct(u32::try_from(v).unwrap_or(0), nl),
        TermUnit::Months => format!("{v} {}", if nl { "mnd" } else { "months" }),
        TermUnit::Days => format!("{v} {}", if nl { "dagen" } else { "days" }),
        TermUnit::EuroCents => format_eur_cents(v, locale),
    }
}

fn term_label(key: TermKey, nl: bool) -> &'static str {
    match (key, nl) {
        (TermKey::UniversityEquity, false) => "University equity",
        (TermKey::UniversityEquity, true) => "Aandeel universiteit",
        (TermKey::RoyaltyRate, false) => "Royalty rate",
        (TermKey::RoyaltyRate, true) => "Royaltypercentage",
        (TermKey::RoyaltyFreePeriod, false) => "Royalty-free period",
        (TermKey::RoyaltyFreePeriod, true) => "Royaltyvrije periode",
        (TermKey::SublicenceIncomeShare, false) => "Share of sublicence income",
        (TermKey::SublicenceIncomeShare, true) => "Aandeel in sublicentie-inkomsten",
        (TermKey::ExitFee, false) => "Exit fee",
        (TermKey::ExitFee, true) => "Exitvergoeding",
        (TermKey::MinimumAnnualPayment, false) => "Minimum annual payment",
        (TermKey::MinimumAnnualPayment, true) => "Minimale jaarlijkse betaling",
        (TermKey::DaysToSigning, false) => "Term sheet to signed documents",
        (TermKey::DaysToSigning, true) => "Van term sheet tot ondertekening",
    }
}

/// The term sheet of `name` with `stored` terms, rendered to PDF; see [`term_sheet`].
///
/// # Errors
/// The errors of [`render_term_sheet`] (a bundled font that does not parse).
pub fn render_spin_off_term_sheet(
    name: &str,
    stored: &SpinOffTerms,
    set: Option<&ReferenceSet>,
    language: Language,
    today: NaiveDate,
) -> Result<Vec<u8>> {
    render_term_sheet(&term_sheet(name, stored, set, language, today))
}

/// The term sheet of `name` with `stored` terms, in `language`, dated `today`; checked
/// against `set` when given (one row per term the deal sets, with the verdict and range),
/// followed by the set's source. Terms the deal leaves open read "open".
pub fn term_sheet(
    name: &str,
    stored: &SpinOffTerms,
    set: Option<&ReferenceSet>,
    language: Language,
    today: NaiveDate,
) -> TermSheetInput {
    let nl = language == Language::Nl;
    let locale = Locale::from(language);
    // "open" reads the same in Dutch and English.
    let open = "open".to_owned();
    let t = &stored.terms;
    let or_open = |v: Option<String>| v.unwrap_or_else(|| open.clone());
    let l = |en: &str, nl_text: &str| {
        if nl {
            nl_text.to_owned()
        } else {
            en.to_owned()
        }
    };

    let form = t.form.map(|f| match (f, nl) {
        (DealForm::Equity, false) => "Equity (minority stake, no royalties)".to_owned(),
        (DealForm::Equity, true) => "Aandelen (minderheidsbelang, geen royalty's)".to_owned(),
        (DealForm::Royalty, false) => "Licence with royalties".to_owned(),
        (DealForm::Royalty, true) => "Licentie met royalty's".to_owned(),
        (DealForm::Hybrid, false) => "Hybrid (equity and royalties)".to_owned(),
        (DealForm::Hybrid, true) => "Hybride (aandelen en royalty's)".to_owned(),
    });
    let base = t.royalty_base.map(|b| match (b, nl) {
        (RoyaltyBase::NetSales, false) => "net sales",
        (RoyaltyBase::NetSales, true) => "netto-omzet",
        (RoyaltyBase::GrossSales, false) => "gross sales",
        (RoyaltyBase::GrossSales, true) => "bruto-omzet",
        (RoyaltyBase::GrossProfit, false) => "gross profit",
        (RoyaltyBase::GrossProfit, true) => "brutowinst",
        (RoyaltyBase::TotalRevenue, false) => "total revenue",
        (RoyaltyBase::TotalRevenue, true) => "totale omzet",
    });
    let royalty = t.royalty_rate_bp.map(|r| match base {
        Some(b) => format!("{} {} {b}", pct(r, nl), if nl { "van de" } else { "of" }),
        None => pct(r, nl),
    });
    let anti = t.anti_dilution.map(|a| match (a, nl) {
        (AntiDilution::None, false) => "None: the stake is fully dilutive".to_owned(),
        (AntiDilution::None, true) => "Geen: het belang verwatert volledig".to_owned(),
        (AntiDilution::FullRatchet, false) => "Full ratchet".to_owned(),
        (AntiDilution::FullRatchet, true) => "Full ratchet".to_owned(),
        (AntiDilution::BroadBasedWeightedAverage, false) => {
            "Broad-based weighted average".to_owned()
        }
        (AntiDilution::BroadBasedWeightedAverage, true) => {
            "Broad-based gewogen gemiddelde".to_owned()
        }
        (AntiDilution::NarrowBasedWeightedAverage, false) => {
            "Narrow-based weighted average".to_owned()
        }
        (AntiDilution::NarrowBasedWeightedAverage, true) => {
            "Narrow-based gewogen gemiddelde".to_owned()
        }
    });
    let minimum = t.minimum_annual_payment.map(|m| {
        format!(
            "{} {} {}",
            format_eur_cents(m.amount.cents(), locale),
            if nl {
                "per jaar vanaf contractjaar"
            } else {
                "a year from contract year"
            },
            m.from_contract_year
        )
    });
    let patent = t.patent_costs.map(|p| match (p, nl) {
        (PatentCostReimbursement::NotReimbursed, false) => "Not reimbursed".to_owned(),
        (PatentCostReimbursement::NotReimbursed, true) => "Niet vergoed".to_owned(),
        (PatentCostReimbursement::AllCosts, false) => "All past patent costs".to_owned(),
        (PatentCostReimbursement::AllCosts, true) => "Alle gemaakte octrooikosten".to_owned(),
        (PatentCostReimbursement::FixedAmount { amount }, _) => {
            format_eur_cents(amount.cents(), locale)
        }
    });

    let mut sections = vec![
        SheetSection {
            heading: l("Deal form and equity", "Dealvorm en aandelen"),
            rows: vec![
                (l("Deal form", "Dealvorm"), or_open(form)),
                (
                    term_label(TermKey::UniversityEquity, nl).to_owned(),
                    or_open(t.university_equity_bp.map(|v| pct(v, nl))),
                ),
                (l("Anti-dilution", "Anti-verwatering"), or_open(anti)),
                (
                    term_label(TermKey::ExitFee, nl).to_owned(),
                    or_open(t.exit_fee_bp.map(|v| pct(v, nl))),
                ),
            ],
        },
        SheetSection {
            heading: l("Licence and payments", "Licentie en betalingen"),
            rows: vec![
                (
                    term_label(TermKey::RoyaltyRate, nl).to_owned(),
                    or_open(royalty),
                ),
                (
                    term_label(TermKey::RoyaltyFreePeriod, nl).to_owned(),
                    or_open(
                        t.royalty_free_months
                            .map(|m| value_in(TermUnit::Months, m.into(), nl, locale)),
                    ),
                ),
                (
                    term_label(TermKey::SublicenceIncomeShare, nl).to_owned(),
                    or_open(t.sublicence_share_bp.map(|v| pct(v, nl))),
                ),
                (
                    term_label(TermKey::MinimumAnnualPayment, nl).to_owned(),
                    or_open(minimum),
                ),
                (l("Patent costs", "Octrooikosten"), or_open(patent)),
                (
                    term_label(TermKey::DaysToSigning, nl).to_owned(),
                    or_open(
                        t.days_to_signing
                            .map(|d| value_in(TermUnit::Days, d.into(), nl, locale)),
                    ),
                ),
            ],
        },
    ];
    if !t.milestones.is_empty() {
        sections.push(SheetSection {
            heading: l("Milestones", "Mijlpalen"),
            rows: t
                .milestones
                .iter()
                .map(|m| {
                    let due = m
                        .due
                        .map(|d| {
                            format!(
                                " · {} {}",
                                if nl { "uiterlijk" } else { "by" },
                                format_date(d, locale)
                            )
                        })
                        .unwrap_or_default();
                    (
                        m.description.clone(),
                        format!("{}{due}", format_eur_cents(m.amount.cents(), locale)),
                    )
                })
                .collect(),
        });
    }
    if let Some(plan) = &stored.cap_table {
        sections.extend(cap_table_sections(plan, nl, locale));
    }
    if let Some(set) = set {
        let rows = check(t, set)
            .into_iter()
            .filter(|c| c.status != CheckStatus::NotSet)
            .map(|c| {
                let verdict = match (c.status, nl) {
                    (CheckStatus::WithinRange, false) => "within range",
                    (CheckStatus::WithinRange, true) => "binnen de bandbreedte",
                    (CheckStatus::OutsideRange, false) => "outside range",
                    (CheckStatus::OutsideRange, true) => "buiten de bandbreedte",
                    (CheckStatus::NotCovered, false) => "not covered by the set",
                    (CheckStatus::NotCovered, true) => "niet gedekt door de set",
                    (CheckStatus::NotSet, _) => "",
                };
                let range = match (c.reason.min, c.reason.max) {
                    (None, None) => String::new(),
                    (min, max) => format!(
                        " ({} – {})",
                        min.map_or("…".into(), |v| value_in(c.reason.unit, v, nl, locale)),
                        max.map_or("…".into(), |v| value_in(c.reason.unit, v, nl, locale))
                    ),
                };
                (
                    term_label(c.term, nl).to_owned(),
                    format!("{verdict}{range}"),
                )
            })
            .collect();
        sections.push(SheetSection {
            heading: format!("{} {}", l("Checked against", "Getoetst aan"), set.name),
            rows,
        });
        sections.push(SheetSection {
            heading: l("Source", "Bron"),
            rows: vec![(set.name.clone(), set.source.clone())],
        });
    }
    let generated = format_date(today, locale);
    TermSheetInput {
        title: l("Term sheet", "Term sheet"),
        company: name.to_owned(),
        subtitle: if nl {
            format!("Gemaakt op {generated} met KTO Desk · niet bindend")
        } else {
            format!("Generated on {generated} with KTO Desk · not binding")
        },
        sections,
        closing: l(
            "This term sheet summarises the proposed terms. It is not binding; only the signed agreements are. \"open\" means the term is still to be agreed.",
            "Deze term sheet vat de voorgestelde voorwaarden samen. Hij is niet bindend; alleen de ondertekende overeenkomsten zijn dat. \"open\" betekent dat over de voorwaarde nog moet worden besloten.",
        ),
        footer: format!("{name} – {}", l("term sheet", "term sheet")),
        page_words: (l("Page", "Pagina"), l("of", "van")),
        generated_on: today,
    }
}

/// The modelled cap table: each round's terms and price, then who holds what, fully
/// diluted, after the last round. A plan that no longer computes says so instead.
fn cap_table_sections(plan: &CapTablePlan, nl: bool, locale: Locale) -> Vec<SheetSection> {
    let l = |en: &str, nl_text: &str| if nl { nl_text } else { en }.to_owned();
    let computed = CapTable::found(plan.founding.clone())
        .and_then(|founded| founded.apply_rounds(&plan.rounds));
    let (table, outcomes) = match computed {
        Ok(done) => done,
        Err(e) => {
            return vec![SheetSection {
                heading: l("Cap table", "Captabel"),
                rows: vec![(l("Not computed", "Niet berekend"), format!("{e}"))],
            }]
        }
    };
    let mut sections = Vec::new();
    if !plan.rounds.is_empty() {
        let rows = plan
            .rounds
            .iter()
            .zip(&outcomes)
            .map(|(round, outcome)| {
                let date = round
                    .date
                    .map(|d| format!(" ({})", format_date(d, locale)))
                    .unwrap_or_default();
                let invested: i64 = round.investments.iter().map(|i| i.amount.cents()).sum();
                let price =
                    outcome.price.amount.cents() as f64 / outcome.price.shares.max(1) as f64;
                (
                    format!("{}{date}", round.name),
                    format!(
                        "{} {} {} {} · {} {}",
                        format_eur_cents(invested, locale),
                        l("at", "bij"),
                        format_eur_cents(round.pre_money.cents(), locale),
                        l("pre-money", "pre-money"),
                        l("price per share", "prijs per aandeel"),
                        format_eur_cents(price.round() as i64, locale),
                    ),
                )
            })
            .collect();
        sections.push(SheetSection {
            heading: l("Funding rounds", "Financieringsrondes"),
            rows,
        });
    }
    let rows = table
        .ownership()
        .into_iter()
        .map(|o| {
            (
                o.name,
                format!(
                    "{} {} · {}",
                    format_count(i64::try_from(o.shares).unwrap_or(i64::MAX), locale),
                    l("shares", "aandelen"),
                    pct(o.bp, nl)
                ),
            )
        })
        .collect();
    sections.push(SheetSection {
        heading: l(
            "Cap table after the last round (fully diluted)",
            "Captabel na de laatste ronde (volledig verwaterd)",
        ),
        rows,
    });
    sections
}

#[cfg(test)]
mod tests {
    use super::*;
    use kto_core::terms::deal::DealTerms;

    #[test]
    fn percentages_follow_the_language_and_open_terms_say_so() {
        assert_eq!(pct(850, true), "8,5 %");
        assert_eq!(pct(1_000, false), "10 %");
        let stored = SpinOffTerms {
            spin_off_id: "x".into(),
            terms: DealTerms {
                university_equity_bp: Some(1_250),
                ..DealTerms::default()
            },
            cap_table: None,
            reference_set_id: None,
            updated_at: None,
        };
        let sheet = term_sheet(
            "Qubit BV",
            &stored,
            None,
            Language::Nl,
            NaiveDate::from_ymd_opt(2026, 3, 7).unwrap(),
        );
        let rows = &sheet.sections[0].rows;
        assert_eq!(
            rows[1],
            ("Aandeel universiteit".to_owned(), "12,5 %".to_owned())
        );
        assert_eq!(rows[0].1, "open");
        assert!(sheet.subtitle.contains("7 maart 2026"));
    }

    #[test]
    fn the_cap_table_is_printed_after_its_rounds() {
        use kto_core::money::Money;
        use kto_core::terms::captable::{
            Allocation, Holder, HolderId, HolderKind, Investment, Round,
        };
        let holder = |id: &str, name: &str, kind| Holder {
            id: HolderId(id.into()),
            name: name.into(),
            kind,
        };
        let plan = CapTablePlan {
            founding: vec![
                Allocation {
                    holder: holder("f", "Founders", HolderKind::Founder),
                    shares: 900_000,
                },
                Allocation {
                    holder: holder("u", "University", HolderKind::University),
                    shares: 100_000,
                },
            ],
            rounds: vec![Round {
                name: "Seed".into(),
                date: NaiveDate::from_ymd_opt(2027, 3, 1),
                pre_money: Money::from_euros(2_000_000),
                new_holders: vec![holder("d", "Delta Seed Fund", HolderKind::Investor)],
                investments: vec![Investment {
                    investor: HolderId("d".into()),
                    amount: Money::from_euros(500_000),
                    ..Default::default()
                }],
                ..Default::default()
            }],
        };
        let stored = SpinOffTerms {
            spin_off_id: "x".into(),
            terms: DealTerms::default(),
            cap_table: Some(plan),
            reference_set_id: None,
            updated_at: None,
        };
        let sheet = term_sheet(
            "DikeSense B.V.",
            &stored,
            None,
            Language::En,
            NaiveDate::from_ymd_opt(2027, 4, 1).unwrap(),
        );
        let round = sheet
            .sections
            .iter()
            .find(|s| s.heading == "Funding rounds")
            .unwrap();
        assert_eq!(round.rows[0].0, "Seed (1 March 2027)");
        assert!(
            round.rows[0]
                .1
                .starts_with("€500,000.00 at €2,000,000.00 pre-money · price per share €2.00"),
            "{:?}",
            round.rows[0]
        );
        let table = sheet
            .sections
            .iter()
            .find(|s| s.heading.starts_with("Cap table after"))
            .unwrap();
        // €2M pre on 1M shares is €2 a share: 250 000 new shares of 1 250 000.
        assert_eq!(
            table.rows,
            vec![
                ("Founders".to_owned(), "900,000 shares · 72 %".to_owned()),
                ("University".to_owned(), "100,000 shares · 8 %".to_owned()),
                (
                    "Delta Seed Fund".to_owned(),
                    "250,000 shares · 20 %".to_owned()
                ),
            ]
        );
    }
}
