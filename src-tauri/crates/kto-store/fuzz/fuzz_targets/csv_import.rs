//! The CSV import of a generic kind into an in-memory store: any bytes give a summary or a
//! list of problems, never a panic, and a refused file leaves the store unchanged. The
//! first byte picks the kind, the rest is the file.
#![no_main]

use std::cell::RefCell;

use kto_core::activity::Change;
use kto_core::record::KINDS;
use kto_store::Store;
use libfuzzer_sys::fuzz_target;

thread_local! {
    /// Migrating a store is slower than most imports: it is kept while it stays empty.
    static STORE: RefCell<Option<Store>> = const { RefCell::new(None) };
}

fn change() -> Change {
    Change {
        actor: "Fuzz".into(),
        at: chrono::DateTime::from_timestamp(1_772_875_800, 0).unwrap_or_default(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let kind = KINDS[usize::from(pick) % KINDS.len()].kind;
    STORE.with(|cell| {
        let mut slot = cell.borrow_mut();
        let store = slot.get_or_insert_with(|| Store::open_in_memory().expect("a fresh store"));
        match store.import_csv(&change(), kind, file) {
            Ok(summary) if summary.created + summary.updated > 0 => {
                // Records were written: start the next input from an empty store.
                *slot = None;
            }
            Ok(_) => {}
            Err(_) => {
                let mut out = Vec::new();
                let rows = store.export_kind_csv(kind, &mut out).expect("an export");
                assert_eq!(rows, 0, "a refused import changed the store");
            }
        }
    });
});
