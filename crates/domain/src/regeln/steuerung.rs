//! Refusals of the Steuerung found in the stored records: the yearly questionnaire and the Gemeinden's
//! Selbstdeklaration (ADR 0009).

use super::Regel;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SteuerungRegel {
    /// The year has a questionnaire already; changes to it are new versions, not a second questionnaire.
    FragebogenVorhanden,
    /// A questionnaire of a past year stays as the Gemeinden answered it.
    FragebogenVergangen,
    /// A declaration of a past year can no longer be changed by the Gemeinde.
    DeklarationVergangen,
    /// A submitted declaration is read-only until the Kanton returns it.
    DeklarationEingereicht,
    /// A return to draft needs a reason the Gemeinde reads.
    RueckgabeOhneBegruendung,
    /// Only a submitted declaration can be returned to draft.
    RueckgabeNichtEingereicht,
    /// A declaration of a past year stays as it is, so it is not returned either.
    RueckgabeVergangen,
    /// Someone else saved the same questionnaire or declaration at the same moment; nothing was stored.
    InzwischenGespeichert,
}

impl Regel for SteuerungRegel {
    fn feld(&self) -> &'static str {
        use SteuerungRegel::*;
        match self {
            FragebogenVorhanden | FragebogenVergangen | DeklarationVergangen | InzwischenGespeichert => "jahr",
            DeklarationEingereicht => "status",
            RueckgabeOhneBegruendung | RueckgabeNichtEingereicht | RueckgabeVergangen => "begruendung",
        }
    }
}

impl std::fmt::Display for SteuerungRegel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use SteuerungRegel::*;
        f.write_str(match self {
            FragebogenVorhanden => "Für dieses Jahr gibt es bereits einen Fragebogen.",
            FragebogenVergangen => "Fragebogen vergangener Jahre bleiben, wie sie sind.",
            DeklarationVergangen => "Die Selbstdeklaration vergangener Jahre kann nicht mehr geändert werden.",
            DeklarationEingereicht => {
                "Die Selbstdeklaration ist bereits eingereicht. Für Änderungen kann der Kanton sie zurückgeben."
            }
            RueckgabeOhneBegruendung => "Bitte begründen, was die Gemeinde ergänzen oder ändern soll.",
            RueckgabeNichtEingereicht => "Nur eingereichte Selbstdeklarationen können zurückgegeben werden.",
            RueckgabeVergangen => "Selbstdeklarationen vergangener Jahre bleiben, wie sie sind.",
            InzwischenGespeichert => {
                "Inzwischen hat jemand anders gespeichert. Bitte die Seite neu laden und nochmals speichern."
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_its_field_and_says_why() {
        let eingereicht = SteuerungRegel::DeklarationEingereicht;
        assert_eq!(eingereicht.feld(), "status");
        assert_eq!(
            eingereicht.to_string(),
            "Die Selbstdeklaration ist bereits eingereicht. Für Änderungen kann der Kanton sie zurückgeben."
        );
        let vorhanden = SteuerungRegel::FragebogenVorhanden;
        assert_eq!(vorhanden.feld(), "jahr");
        assert_eq!(vorhanden.to_string(), "Für dieses Jahr gibt es bereits einen Fragebogen.");
        let ohne = SteuerungRegel::RueckgabeOhneBegruendung;
        assert_eq!(ohne.feld(), "begruendung");
        assert_eq!(
            ohne.als_feldfehler().get("begruendung"),
            Some("Bitte begründen, was die Gemeinde ergänzen oder ändern soll.")
        );
    }
}
