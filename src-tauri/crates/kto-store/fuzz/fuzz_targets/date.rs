//! The date parser of the import: never panics, accepts only digits and separators, and a
//! date it accepts reads back the same from the canonical form (`2025-12-31`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(date) = kto_store::parse_import_date(text) {
        assert!(
            text.trim()
                .bytes()
                .all(|b| b.is_ascii_digit() || b"-/.".contains(&b)),
            "{text:?}"
        );
        let iso = date.format("%Y-%m-%d").to_string();
        assert_eq!(kto_store::parse_import_date(&iso), Some(date), "{text:?}");
    }
});
