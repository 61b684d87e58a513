//! `kto calendar`: the office's deadlines and deals' next actions as an iCalendar file
//! (`.ics`) for Outlook and other calendar programs; importing a newer file updates the
//! events instead of adding them again.

use std::path::Path;

use kto_core::settings::Language;

use crate::error::CliError;
use crate::monitor::Lang;

/// `kto calendar --out FILE`: the calendar for the office or one responsible person, in
/// `lang` (by default the language set in the office's settings). Never overwrites.
pub(crate) fn run(
    path: &Path,
    out: &Path,
    person: Option<&str>,
    lang: Option<Lang>,
) -> Result<(), CliError> {
    let store = crate::db::open_existing(path)?;
    let language = match lang {
        Some(Lang::En) => Language::En,
        Some(Lang::Nl) => Language::Nl,
        None => store.settings("")?.language,
    };
    let today = chrono::Local::now().date_naive();
    let done = store.export_calendar(out, today, chrono::Utc::now(), person, language)?;
    println!(
        "calendar written to {}: {} events for {}, due from {} to {}",
        done.path,
        done.events,
        done.person.as_deref().unwrap_or("the whole office"),
        done.from,
        done.until
    );
    Ok(())
}
