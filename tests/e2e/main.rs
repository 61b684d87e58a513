//! End-to-end journeys in the real KTO Desk binary, in a real WebKit webview, driven over
//! WebDriver (fantoccini → tauri-driver → WebKitWebDriver) under Xvfb.
//!
//! Needs `tauri-driver` and `WebKitWebDriver` on PATH (`make test` installs them) and an X
//! display: `DISPLAY` when set (for example from `xvfb-run`), otherwise an Xvfb started here.
//! Each journey gets its own empty data folder through `KTO_DESK_DATA_DIR`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

mod boards;
mod disclosures;
mod entry;
mod import;
mod memory;
mod monitor;
mod national;
mod records;
mod safe_mode;
mod sync;
mod terms;
