//! Words for the codes that the monitor's figures and warnings carry (breakdown members such
//! as `agreementType:contractResearch`, record fields such as `signedDate`), in Dutch and
//! English, so that the PDF report and the command line never print a code. The app's
//! screens use the same words (`ui/src/i18n/monitor.ts`, keys `mon.bd.*`).

use crate::Locale;

/// Breakdown members: code, English, Dutch.
const MEMBERS: &[(&str, &str, &str)] = &[
    ("collaborative", "collaborative (PPS)", "samenwerking (PPS)"),
    ("contractResearch", "contract research", "contractonderzoek"),
    ("consultancy", "consultancy", "advieswerk"),
    ("sme", "SME", "mkb"),
    ("largeCompany", "large company", "groot bedrijf"),
    ("large", "large company", "groot bedrijf"),
    ("startUp", "start-up", "start-up"),
    ("investor", "investor", "investeerder"),
    ("rom", "ROM", "ROM"),
    ("publicBody", "public body", "overheid"),
    ("nonProfit", "non-profit", "non-profit"),
    ("privateCompany", "private company", "privaat bedrijf"),
    ("charity", "charity", "goed doel"),
    ("licence", "licence", "licentie"),
    ("option", "option", "optie"),
    ("assignment", "assignment", "overdracht"),
    ("royalty", "royalty", "royalty"),
    ("upfrontFee", "upfront fee", "eenmalige vergoeding"),
    ("milestone", "milestone", "mijlpaal"),
    ("optionFee", "option fee", "optievergoeding"),
    ("equitySale", "equity sale", "verkoop van aandelen"),
    ("researchPayment", "research payment", "onderzoeksbijdrage"),
    (
        "contractPayment",
        "contract research payment",
        "betaling contractonderzoek",
    ),
    ("disclosure", "to disclosure", "naar melding"),
    ("pps", "to PPS", "naar PPS"),
    ("contract", "to contract", "naar contract"),
    ("other", "other", "overig"),
    ("unknown", "unknown", "onbekend"),
    (
        "collaborative_pps",
        "collaborative (PPS)",
        "samenwerking (PPS)",
    ),
    (
        "contract_research",
        "contract research",
        "contractonderzoek",
    ),
    ("start_up", "start-up", "start-up"),
];

/// Record fields named by data-quality notes: code, English, Dutch.
const FIELDS: &[(&str, &str, &str)] = &[
    ("receivedDate", "date received", "datum van ontvangst"),
    ("filingDate", "filing date", "indieningsdatum"),
    ("signedDate", "date signed", "datum van ondertekening"),
    (
        "incorporationDate",
        "date of incorporation",
        "oprichtingsdatum",
    ),
    ("statusDate", "date of the status", "datum van de status"),
    ("closedDate", "closing date", "sluitingsdatum"),
    ("visitDate", "date of the visit", "datum van het bezoek"),
    ("kind", "kind", "soort"),
    ("partnerKind", "partner kind", "soort partner"),
    ("value", "contract value", "contractwaarde"),
    ("amount", "amount", "bedrag"),
    ("cash", "cash contribution", "bijdrage in geld"),
    ("inKindValue", "in-kind contribution", "bijdrage in natura"),
    (
        "researchExpenditure",
        "research expenditure",
        "onderzoeksuitgaven",
    ),
    ("researchFte", "research FTE", "onderzoeks-fte"),
    ("ktoFte", "KTO FTE", "KTO-fte"),
];

fn pick(
    table: &[(&str, &'static str, &'static str)],
    code: &str,
    locale: Locale,
) -> Option<&'static str> {
    table
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, en, nl)| match locale {
            Locale::En => *en,
            Locale::Nl => *nl,
        })
}

/// `camelCase` or `snake_case` as lower-case words: the last resort for a code not listed.
fn words(code: &str) -> String {
    let mut out = String::new();
    for c in code.chars() {
        if c == '_' || c == '-' {
            out.push(' ');
        } else if c.is_uppercase() {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out.trim().to_owned()
}

/// A breakdown's key in words: `agreementType:contractResearch` → "contract research"
/// ("contractonderzoek" in Dutch).
pub fn breakdown_label(key: &str, locale: Locale) -> String {
    let member = key.rsplit(':').next().unwrap_or(key);
    pick(MEMBERS, member, locale).map_or_else(|| words(member), str::to_owned)
}

/// A record field in words: `signedDate` → "date signed" ("datum van ondertekening").
pub fn field_label(field: &str, locale: Locale) -> String {
    pick(FIELDS, field, locale).map_or_else(|| words(field), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breakdown_keys_and_fields_read_as_words_in_both_languages() {
        assert_eq!(
            breakdown_label("agreementType:contractResearch", Locale::En),
            "contract research"
        );
        assert_eq!(
            breakdown_label("partnerKind:publicBody", Locale::Nl),
            "overheid"
        );
        assert_eq!(
            breakdown_label("partnerKind:largeCompany", Locale::En),
            "large company"
        );
        assert_eq!(
            breakdown_label("kind:somethingNew", Locale::En),
            "something new"
        );
        assert_eq!(
            field_label("signedDate", Locale::Nl),
            "datum van ondertekening"
        );
        assert_eq!(field_label("value", Locale::En), "contract value");
    }
}
