//! «Liste eingrenzen»: a small GET form above a form whose select is long (offers, the Massnahmen catalogue).
//! It reloads the form page with `?filter=…`, so it works without JavaScript; what the user typed into the
//! form below is not kept, and the page says so. Matching folds like the register search
//! (`iim_domain::person::fold_for_search`: «Mueller» finds «Müller»).

use std::collections::HashMap;

/// The most characters a filter takes; longer input is cut.
pub const FILTER_CHARS: usize = 100;

/// The filter form and what it found, rendered by `listenfilter.html`.
pub struct ListenFilter {
    /// The form page itself: filtering reloads it.
    pub action: String,
    /// The filter as typed (trimmed, at most [`FILTER_CHARS`]).
    pub wert: String,
    /// What the list holds, in the hint: «Titel, Anbieter oder Gemeinde».
    pub worin: &'static str,
    /// «Angebot», «Massnahme»: one of the list.
    pub einzahl: &'static str,
    /// «Angeboten», «Massnahmen»: «12 von 340 Angeboten».
    pub mehrzahl: &'static str,
    /// «Kein Angebot», «Keine Massnahme»: «Kein Angebot passt zu …».
    pub keines: &'static str,
    pub passend: u64,
    pub gesamt: u64,
    /// How many of the matching the select shows (a bounded list shows the first ones).
    pub gezeigt: u64,
}

/// What a list is called in the filter's sentences.
pub struct Woerter {
    pub worin: &'static str,
    pub einzahl: &'static str,
    pub mehrzahl: &'static str,
    pub keines: &'static str,
}

pub const ANGEBOTE: Woerter = Woerter {
    worin: "Titel, Anbieter oder Gemeinde",
    einzahl: "Angebot",
    mehrzahl: "Angeboten",
    keines: "Kein Angebot",
};

pub const MASSNAHMEN: Woerter = Woerter {
    worin: "Code, Titel oder Anbieter",
    einzahl: "Massnahme",
    mehrzahl: "Massnahmen",
    keines: "Keine Massnahme",
};

impl ListenFilter {
    /// The filter of `action` from its URL (`?filter=…`), before anything was counted.
    pub fn new(action: String, query: &HashMap<String, String>, woerter: &Woerter) -> Self {
        let wert = query.get("filter").map(|s| s.trim().chars().take(FILTER_CHARS).collect()).unwrap_or_default();
        Self {
            action,
            wert,
            worin: woerter.worin,
            einzahl: woerter.einzahl,
            mehrzahl: woerter.mehrzahl,
            keines: woerter.keines,
            passend: 0,
            gesamt: 0,
            gezeigt: 0,
        }
    }

    /// The same filter with what it found.
    pub fn gezaehlt(self, passend: u64, gesamt: u64, gezeigt: u64) -> Self {
        Self { passend, gesamt, gezeigt, ..self }
    }

    /// Whether `text` matches the filter, folded as the register search folds (an empty filter matches all).
    pub fn passt(&self, text: &str) -> bool {
        let wanted = iim_domain::person::fold_for_search(&self.wert);
        self.wert.is_empty() || (!wanted.is_empty() && iim_domain::person::fold_for_search(text).contains(&wanted))
    }

    /// The maximum length, for the template's `maxlength`.
    pub fn max_chars(&self) -> usize {
        FILTER_CHARS
    }
}
