//! The conflict page shown when a form was saved from an older state (issue 10): the values a colleague
//! saved in the meantime stand beside the values just sent, the differing fields are marked in words (not
//! by colour only), and saving again needs an explicit choice: «Meine Werte trotzdem speichern» (the form,
//! now carrying the current version) or «Werte der Kollegin übernehmen» (the page reloaded).
//!
//! Pages that edit versioned records (`gemeinden.rs`, `massnahmen.rs`) build a [`Konflikt`] and include
//! `templates/konflikt.html` above their form; the store only says that the version changed.

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
}

impl Konflikt {
    /// `felder`: (label, saved value, my value) in the order of the form.
    pub fn new(geaendert: String, felder: Vec<(&str, String, String)>, uebernehmen_href: String) -> Self {
        let zeilen = felder
            .into_iter()
            .map(|(feld, gespeichert, meine)| KonfliktZeile {
                feld: feld.to_owned(),
                verschieden: gespeichert.trim() != meine.trim(),
                gespeichert,
                meine,
            })
            .collect();
        Self { geaendert, zeilen, uebernehmen_href }
    }

    pub fn anzahl_verschieden(&self) -> usize {
        self.zeilen.iter().filter(|z| z.verschieden).count()
    }
}
