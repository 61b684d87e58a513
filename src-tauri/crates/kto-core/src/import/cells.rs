//! Cell values as spreadsheets write them: amounts in English and Dutch notation, dates
//! ISO or day first, and flags in English and Dutch. Pure functions; an import reads its
//! cells with these, and so does a fuzz target.

use chrono::NaiveDate;

/// Parses an amount in euros into cents: `1234.56`, `1234,56`, `1.234,56`, `1,234.56`,
/// `€ 1.234`, `-5`. The last `.` or `,` followed by one or two digits is the decimal mark;
/// other separators group thousands. `None` when it is not an amount.
pub fn parse_amount(text: &str) -> Option<i64> {
    let t: String = text
        .trim()
        .trim_start_matches('€')
        .trim_end_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\'')
        .collect();
    let t = t.strip_prefix("EUR").unwrap_or(&t);
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return None;
    }
    let (whole, frac) = match t.rfind(['.', ',']) {
        Some(i) if (1..=2).contains(&(t.len() - i - 1)) => (&t[..i], &t[i + 1..]),
        _ => (t, ""),
    };
    // Thousands groups: every group after a separator has exactly three digits.
    let mut groups = whole.split(['.', ',']);
    let first = groups.next()?;
    if first.is_empty() && whole.contains(['.', ',']) {
        return None;
    }
    let mut digits = first.to_string();
    for g in groups {
        if g.len() != 3 {
            return None;
        }
        digits.push_str(g);
    }
    if digits.is_empty() {
        digits.push('0');
    }
    let euros: i64 = digits.parse().ok()?;
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    let total = euros.checked_mul(100)?.checked_add(cents)?;
    Some(if negative { -total } else { total })
}

/// True when `text` reads as an amount in two ways or claims more than whole cents: a
/// single `.` or `,` followed by exactly three digits (`1.234`, `0,001`: thousands in one
/// notation, decimals in the other), or a thousands group after a leading zero
/// (`0.001,50`). [`parse_amount`] reads such text as thousands; an import refuses it.
pub fn ambiguous_amount(text: &str) -> bool {
    let t = amount_core(text);
    let seps = t.matches(['.', ',']).count();
    if seps == 1 {
        if let Some(i) = t.rfind(['.', ',']) {
            if t.len() - i - 1 == 3 && t[i + 1..].bytes().all(|b| b.is_ascii_digit()) {
                return true;
            }
        }
    }
    let first = t.split(['.', ',']).next().unwrap_or("");
    seps > 1 && first.starts_with('0') && parse_amount(text).is_some()
}

/// How a column writes its amounts, read from the amounts that can only be read one way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notation {
    /// `1.234,56`: `,` is the decimal mark, `.` groups thousands (Dutch).
    DecimalComma,
    /// `1,234.56`: `.` is the decimal mark, `,` groups thousands (English).
    DecimalPoint,
}

/// The bare digits and separators of an amount, without currency, sign or spaces.
pub fn amount_core(text: &str) -> String {
    let t: String = text
        .trim()
        .trim_start_matches(['€', '-'])
        .trim_end_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\'')
        .collect();
    t.strip_prefix("EUR")
        .unwrap_or(&t)
        .trim_start_matches('-')
        .to_string()
}

/// The notation one amount proves: its decimal mark when one or two digits follow the
/// last separator, or the grouping mark when it appears twice or before the other one.
pub fn notation_of(text: &str) -> Option<Notation> {
    let t = amount_core(text);
    parse_amount(&t)?;
    let last = t.rfind(['.', ','])?;
    let mark = t.as_bytes()[last];
    let decimals = t.len() - last - 1;
    let as_decimal = |m: u8| {
        if m == b',' {
            Notation::DecimalComma
        } else {
            Notation::DecimalPoint
        }
    };
    let as_grouping = |m: u8| {
        if m == b'.' {
            Notation::DecimalComma
        } else {
            Notation::DecimalPoint
        }
    };
    if (1..=2).contains(&decimals) {
        return Some(as_decimal(mark));
    }
    // Three digits after the last mark: it groups thousands only when it is repeated
    // (`1.234.567`) or the other mark comes before it (`1,234.567` is not an amount).
    (t.matches(char::from(mark)).count() > 1).then(|| as_grouping(mark))
}

/// The notation of a column: the one its unambiguous amounts agree on, or `None` when they
/// prove none or disagree.
pub fn column_notation<'a>(texts: impl Iterator<Item = &'a str>) -> Option<Notation> {
    let mut found = None;
    for t in texts {
        match (found, notation_of(t)) {
            (_, None) => {}
            (None, n) => found = n,
            (Some(a), Some(b)) if a != b => return None,
            _ => {}
        }
    }
    found
}

/// An amount of a column whose notation is known: `12.500` is twelve thousand five hundred
/// in a column that writes `1.250,00`. `None` when the text is still not one amount (more
/// than two decimals, or the other notation).
pub fn amount_in(text: &str, notation: Notation) -> Option<i64> {
    let t = amount_core(text);
    let (grouping, decimal) = match notation {
        Notation::DecimalComma => ('.', ','),
        Notation::DecimalPoint => (',', '.'),
    };
    if let Some(i) = t.rfind(decimal) {
        // The decimal mark once, after any grouping, with one or two digits.
        if t.matches(decimal).count() > 1 || t[i..].contains(grouping) || t.len() - i - 1 > 2 {
            return None;
        }
    }
    let first = t.split(['.', ',']).next().unwrap_or("");
    if first.starts_with('0') && first.len() > 1 {
        return None;
    }
    if first == "0" && t[1..].starts_with(grouping) {
        return None;
    }
    parse_amount(text)
}

/// Parses a date: ISO `2025-12-31`, or Dutch day first `31-12-2025`, `31/12/2025`,
/// `31.12.2025`, `1-2-2025`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    // `str::parse` and chrono's %Y take a sign: `+1-1-+202` must not be a date.
    if !t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'/' | b'.'))
    {
        return None;
    }
    // chrono's %Y would read `31-12-25` as the year 31, and `-120-02-10` as the year
    // -120: ISO only with a 4-digit year.
    if t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[..4].iter().all(u8::is_ascii_digit)
    {
        return NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
    }
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || d.is_empty() || d.len() > 2 || m.is_empty() || m.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Parses a flag: true/false, yes/no, ja/nee, 1/0, y/n, j/n (any case).
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "true" | "yes" | "ja" | "1" | "y" | "j" | "waar" => Some(true),
        "false" | "no" | "nee" | "0" | "n" | "onwaar" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn amounts_in_english_and_dutch_notation() {
        for (text, cents) in [
            ("1234.56", 123_456),
            ("1234,56", 123_456),
            ("1.234,56", 123_456),
            ("1,234.56", 123_456),
            ("€ 1.234,56", 123_456),
            ("1.234", 123_400),
            ("1.234.567", 123_456_700),
            ("0,5", 50),
            ("-5", -500),
            ("12", 1200),
        ] {
            assert_eq!(parse_amount(text), Some(cents), "{text}");
        }
        for bad in ["", "abc", "1.23.4", "12,3456,7", "1,,2", "--1", "€"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_column_that_proves_its_notation_reads_three_digit_groups_one_way() {
        let dutch = column_notation(["1.234,56", "12.500", "980"].into_iter());
        assert_eq!(dutch, Some(Notation::DecimalComma));
        let english = column_notation(["1,234.56", "12,500"].into_iter());
        assert_eq!(english, Some(Notation::DecimalPoint));
        assert_eq!(column_notation(["12.500", "980"].into_iter()), None);
        assert_eq!(column_notation(["1.234.567"].into_iter()), dutch);
        // Amounts that disagree prove nothing: each ambiguous one is still refused.
        assert_eq!(
            column_notation(["1,50", "2.50", "12.500"].into_iter()),
            None
        );

        for (text, cents) in [("12.500", 1_250_000), ("1.250,00", 125_000), ("0,5", 50)] {
            assert_eq!(
                amount_in(text, Notation::DecimalComma),
                Some(cents),
                "{text}"
            );
        }
        for (text, cents) in [("12,500", 1_250_000), ("1,250.00", 125_000), ("-0.5", -50)] {
            assert_eq!(
                amount_in(text, Notation::DecimalPoint),
                Some(cents),
                "{text}"
            );
        }
        // The other notation, or more than cents, is still not an amount.
        for text in ["12,500", "1,250.00", "0,001", "0.001,50", "1,2,3"] {
            assert_eq!(amount_in(text, Notation::DecimalComma), None, "{text}");
        }
        for text in ["12.500", "1.250,00", "0.001"] {
            assert_eq!(amount_in(text, Notation::DecimalPoint), None, "{text}");
        }
    }

    #[test]
    fn dates_iso_and_day_first() {
        let d = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        for text in ["2025-12-31", "31-12-2025", "31/12/2025", "31.12.2025"] {
            assert_eq!(parse_date(text), Some(d), "{text}");
        }
        assert_eq!(parse_date("1-2-2025"), NaiveDate::from_ymd_opt(2025, 2, 1));
        for bad in [
            "31-13-2025",
            "2025/12/31x",
            "12-31",
            "31-12-25",
            "",
            "+1-1-2025",
            "1-1-+202",
            "+202-01-01",
            "-120-02-10",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
