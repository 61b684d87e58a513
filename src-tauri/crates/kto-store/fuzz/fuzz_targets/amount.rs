//! The amount parser of the import: never panics, and an amount it accepts reads back the
//! same from the canonical export form (`1234.56`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(cents) = kto_store::parse_amount(text) {
        assert_eq!(
            kto_store::parse_amount(&kto_store::euros(cents)),
            Some(cents),
            "{text:?}"
        );
    }
});
