use kto_report::pdf::{
    format_change, format_compact, format_count, format_date, format_eur_cents, format_fte,
    format_optional, Locale,
};
use kto_report::Unit;

use crate::fixtures::date;

#[test]
fn euro_amounts_use_dutch_and_english_separators() {
    let cases = [
        (123_456_789, "€ 1.234.567,89", "€1,234,567.89"),
        (0, "€ 0,00", "€0.00"),
        (5, "€ 0,05", "€0.05"),
        (100, "€ 1,00", "€1.00"),
        (99_999, "€ 999,99", "€999.99"),
        (100_000, "€ 1.000,00", "€1,000.00"),
        (-123_456, "€ -1.234,56", "-€1,234.56"),
        (
            i64::MIN,
            "€ -92.233.720.368.547.758,08",
            "-€92,233,720,368,547,758.08",
        ),
    ];
    for (cents, nl, en) in cases {
        assert_eq!(format_eur_cents(cents, Locale::Nl), nl);
        assert_eq!(format_eur_cents(cents, Locale::En), en);
    }
}

#[test]
fn counts_and_fte_use_the_locale_separators() {
    assert_eq!(format_count(1_234_567, Locale::Nl), "1.234.567");
    assert_eq!(format_count(1_234_567, Locale::En), "1,234,567");
    assert_eq!(format_count(999, Locale::Nl), "999");
    assert_eq!(format_fte(1_250, Locale::Nl), "12,50 fte");
    assert_eq!(format_fte(312_450, Locale::En), "3,124.50 FTE");
    assert_eq!(format_fte(5, Locale::Nl), "0,05 fte");
}

#[test]
fn not_available_is_printed_as_words_never_as_zero() {
    assert_eq!(
        format_optional(None, Unit::EurCents, Locale::Nl),
        "niet beschikbaar"
    );
    assert_eq!(
        format_optional(None, Unit::Count, Locale::En),
        "not available"
    );
    assert_eq!(format_optional(Some(0), Unit::Count, Locale::En), "0");
}

#[test]
fn changes_are_percentages_rounded_half_away_from_zero() {
    let cases = [
        (Some(100), Some(112), Some("+12,0%")),
        (Some(8), Some(9), Some("+12,5%")),
        (Some(3), Some(2), Some("-33,3%")),
        (Some(2000), Some(2001), Some("+0,1%")), // 0.05% rounds up
        (Some(3000), Some(3001), Some("0,0%")),  // 0.033%
        (Some(58), Some(64), Some("+10,3%")),
        (Some(1), Some(1_000_000), Some("+99.999.900,0%")),
        (Some(0), Some(5), None),
        (None, Some(5), None),
        (Some(5), None, None),
    ];
    for (prev, cur, nl) in cases {
        assert_eq!(
            format_change(prev, cur, Locale::Nl).as_deref(),
            nl,
            "{prev:?} -> {cur:?}"
        );
    }
    assert_eq!(
        format_change(Some(8), Some(9), Locale::En).as_deref(),
        Some("+12.5%")
    );
    assert_eq!(
        format_change(Some(1), Some(i64::MAX), Locale::En).as_deref(),
        Some("+922,337,203,685,477,580,600.0%")
    );
}

#[test]
fn chart_labels_are_compact() {
    assert_eq!(
        format_compact(123_456_789, Unit::EurCents, Locale::Nl),
        "€ 1,2 mln"
    );
    assert_eq!(
        format_compact(123_456_789, Unit::EurCents, Locale::En),
        "€1.2m"
    );
    assert_eq!(
        format_compact(41_250_000_000, Unit::EurCents, Locale::Nl),
        "€ 412,5 mln"
    );
    assert_eq!(
        format_compact(412_500_000_000, Unit::EurCents, Locale::En),
        "€4.1bn"
    );
    assert_eq!(
        format_compact(9_876_543, Unit::EurCents, Locale::Nl),
        "€ 98.765"
    );
    assert_eq!(
        format_compact(1_250, Unit::FteHundredths, Locale::Nl),
        "12,5"
    );
    assert_eq!(format_compact(64, Unit::Count, Locale::En), "64");
}

#[test]
fn dates_are_written_in_words() {
    assert_eq!(
        format_date(date(2024, 12, 31), Locale::Nl),
        "31 december 2024"
    );
    assert_eq!(format_date(date(2025, 3, 1), Locale::En), "1 March 2025");
}
