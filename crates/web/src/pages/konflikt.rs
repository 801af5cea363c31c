//! The conflict page shown when a form was saved from an older state (issue 10): the values a colleague
//! saved in the meantime stand beside the values just sent, the differing fields are marked in words (not
//! by colour only), and saving again needs an explicit choice: «Meine Werte trotzdem speichern» (the form,
//! now carrying the current version) or «Werte der Kollegin übernehmen» (the page reloaded).
//!
//! Pages that edit versioned records (persons, offers, Gemeinden, Massnahmen) build a [`Konflikt`] and include
//! `templates/konflikt.html` above their form; the store only says that the version changed. Forms made of
//! [`FormField`]s get theirs from the fields of both versions ([`Konflikt::from_fields`]).

use super::form::FormField;

/// One field: what is saved now, and what the user sent.
pub struct KonfliktZeile {
    pub feld: String,
    pub gespeichert: String,
    pub meine: String,
    pub verschieden: bool,
}

/// What the conflict part of a page shows.
pub struct Konflikt {
    /// Who saved last, and when (Swiss format); empty when unknown.
    pub geaendert: String,
    pub zeilen: Vec<KonfliktZeile>,
    /// The page that shows the saved values in the form again.
    pub uebernehmen_href: String,
    /// An action on a record (closing, reassigning) rather than a form of fields: nothing to save again, only
    /// the current state to check before deciding anew.
    pub aktion: bool,
}

impl Konflikt {
    /// `felder`: (label, saved value, my value) in the order of the form.
    pub fn new<F: Into<String>>(geaendert: String, felder: Vec<(F, String, String)>, uebernehmen_href: String) -> Self {
        let zeilen = felder
            .into_iter()
            .map(|(feld, gespeichert, meine)| KonfliktZeile {
                feld: feld.into(),
                verschieden: gespeichert.trim() != meine.trim(),
                gespeichert,
                meine,
            })
            .collect();
        Self { geaendert, zeilen, uebernehmen_href, aktion: false }
    }

    /// An action refused because the record changed: what it asked for beside the record's state now.
    pub fn fuer_aktion<F: Into<String>>(felder: Vec<(F, String, String)>, neu_laden_href: String) -> Self {
        Self { aktion: true, ..Self::new(String::new(), felder, neu_laden_href) }
    }

    /// The same form filled once with the saved values and once with the values sent.
    pub fn from_fields(geaendert: String, gespeichert: &[FormField], meine: &[FormField], href: String) -> Self {
        let felder = gespeichert
            .iter()
            .zip(meine)
            .map(|(saved, mine)| (saved.label.as_str(), saved.shown_value(), mine.shown_value()))
            .collect();
        Self::new(geaendert, felder, href)
    }

    pub fn anzahl_verschieden(&self) -> usize {
        self.zeilen.iter().filter(|z| z.verschieden).count()
    }
}
