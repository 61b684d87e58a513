//! Locale-aware formatting of amounts, counts, FTE, changes and dates.
//!
//! All arithmetic is on integers: cents, hundredths of FTE and per-mille
//! changes, so what is printed is exactly what is in the file.

use chrono::{Datelike, NaiveDate};

use crate::submission::Unit;

/// Language and number conventions of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    /// Dutch: `€ 1.234.567,89`, `12,50 fte`, `31 december 2024`.
    #[default]
    Nl,
    /// English: `€1,234,567.89`, `12.50 FTE`, `31 December 2024`.
    En,
}

impl From<kto_core::settings::Language> for Locale {
    /// The report in the language the app speaks.
    fn from(language: kto_core::settings::Language) -> Self {
        match language {
            kto_core::settings::Language::Nl => Locale::Nl,
            kto_core::settings::Language::En => Locale::En,
        }
    }
}

impl Locale {
    fn thousands(self) -> char {
        match self {
            Locale::Nl => '.',
            Locale::En => ',',
        }
    }

    fn decimal(self) -> char {
        match self {
            Locale::Nl => ',',
            Locale::En => '.',
        }
    }
}

/// `1234567` → `1.234.567` (Dutch) or `1,234,567` (English).
fn group(n: impl Into<u128>, sep: char) -> String {
    let n: u128 = n.into();
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

fn sign(v: i64) -> &'static str {
    if v < 0 {
        "-"
    } else {
        ""
    }
}

/// A count: `1.234` / `1,234`.
pub fn format_count(value: i64, locale: Locale) -> String {
    format!(
        "{}{}",
        sign(value),
        group(value.unsigned_abs(), locale.thousands())
    )
}

/// Euro cents as an amount: `€ 1.234.567,89` (Dutch, negative `€ -1.234,56`)
/// or `€1,234,567.89` (English, negative `-€1,234.56`).
pub fn format_eur_cents(cents: i64, locale: Locale) -> String {
    let abs = cents.unsigned_abs();
    let euros = group(abs / 100, locale.thousands());
    let rest = abs % 100;
    match locale {
        Locale::Nl => format!("€ {}{euros},{rest:02}", sign(cents)),
        Locale::En => format!("{}€{euros}.{rest:02}", sign(cents)),
    }
}

/// Hundredths of FTE: `12,50 fte` / `12.50 FTE`.
pub fn format_fte(hundredths: i64, locale: Locale) -> String {
    let abs = hundredths.unsigned_abs();
    let whole = group(abs / 100, locale.thousands());
    let unit = match locale {
        Locale::Nl => "fte",
        Locale::En => "FTE",
    };
    format!(
        "{}{whole}{}{:02} {unit}",
        sign(hundredths),
        locale.decimal(),
        abs % 100
    )
}

/// A figure value in its unit.
pub fn format_value(value: i64, unit: Unit, locale: Locale) -> String {
    match unit {
        Unit::Count => format_count(value, locale),
        Unit::EurCents => format_eur_cents(value, locale),
        Unit::FteHundredths => format_fte(value, locale),
    }
}

/// A value or the locale's "not available" text.
pub fn format_optional(value: Option<i64>, unit: Unit, locale: Locale) -> String {
    match value {
        Some(v) => format_value(v, unit, locale),
        None => not_available(locale).to_owned(),
    }
}

/// "niet beschikbaar" / "not available".
pub fn not_available(locale: Locale) -> &'static str {
    match locale {
        Locale::Nl => "niet beschikbaar",
        Locale::En => "not available",
    }
}

/// Short form for chart labels: whole euros up to a million, then
/// `€ 1,2 mln` / `€1.2m` and `€ 3,4 mld` / `€3.4bn`; FTE without unit.
pub fn format_compact(value: i64, unit: Unit, locale: Locale) -> String {
    match unit {
        Unit::Count => format_count(value, locale),
        Unit::FteHundredths => {
            let abs = value.unsigned_abs();
            format!(
                "{}{}{}{}",
                sign(value),
                group(abs / 100, locale.thousands()),
                locale.decimal(),
                (abs % 100) / 10
            )
        }
        Unit::EurCents => {
            let euros = value.unsigned_abs() / 100;
            let scaled = |div: u64, nl: &str, en: &str| {
                // Tenths, rounded half up.
                let tenths = (euros * 10 + div / 2) / div;
                let number = format!(
                    "{}{}{}",
                    group(tenths / 10, locale.thousands()),
                    locale.decimal(),
                    tenths % 10
                );
                match locale {
                    Locale::Nl => format!("€ {}{number} {nl}", sign(value)),
                    Locale::En => format!("{}€{number}{en}", sign(value)),
                }
            };
            if euros >= 1_000_000_000 {
                scaled(1_000_000_000, "mld", "bn")
            } else if euros >= 1_000_000 {
                scaled(1_000_000, "mln", "m")
            } else {
                let number = group(euros, locale.thousands());
                match locale {
                    Locale::Nl => format!("€ {}{number}", sign(value)),
                    Locale::En => format!("{}€{number}", sign(value)),
                }
            }
        }
    }
}

/// Relative change from `previous` to `current` with one decimal and a sign:
/// `+12,5%` / `+12.5%`; `None` when either is missing or `previous` is not
/// positive (no meaningful percentage).
pub fn format_change(
    previous: Option<i64>,
    current: Option<i64>,
    locale: Locale,
) -> Option<String> {
    let (prev, cur) = (i128::from(previous?), i128::from(current?));
    if prev <= 0 {
        return None;
    }
    let num = (cur - prev) * 1000;
    let mut permille = num / prev;
    if 2 * (num % prev).abs() >= prev {
        permille += num.signum();
    }
    let sign = match permille.signum() {
        1 => "+",
        -1 => "-",
        _ => "",
    };
    let abs = permille.unsigned_abs();
    Some(format!(
        "{sign}{}{}{}%",
        group(abs / 10, locale.thousands()),
        locale.decimal(),
        abs % 10
    ))
}

/// A date in words: `31 december 2024` / `31 December 2024`.
pub fn format_date(date: NaiveDate, locale: Locale) -> String {
    const NL: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let names = match locale {
        Locale::Nl => &NL,
        Locale::En => &EN,
    };
    let month = names[date.month0() as usize % 12];
    format!("{} {month} {}", date.day(), date.year())
}
