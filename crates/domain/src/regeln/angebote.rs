//! Refusals of the Angebotsplattform found in the stored offers: a step the offer's status does not allow, an
//! offer past its validity, a form saved from an older version, an offer picked in casework that is no longer
//! published.

use super::Regel;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AngeboteRegel {
    /// Only drafts and published offers can be edited: a submitted one waits for the Kanton's check, an
    /// archived one is off the platform for good.
    NichtBearbeitbar,
    /// The Kanton returns an offer only with a reason, because the owner must know what to change.
    BegruendungFehlt,
    /// Only a draft can be submitted; anything else is already with the Kanton or past it.
    NurEntwurfEinreichbar,
    /// Publishing or returning needs an offer in the Kanton's queue (submitted, or changed since publication).
    WartetNichtAufPruefung,
    /// The offer is archived already; archiving is a step made once.
    SchonArchiviert,
    /// The offer's «Gültig bis» lies in the past, so it cannot be submitted or published before it is extended.
    NichtMehrGueltig,
    /// Somebody changed the offer since the form was read; saving would overwrite that change.
    InzwischenGeaendert,
    /// The offer picked in casework (an Empfehlung, a Hilfsplan goal) is not published and valid today. The
    /// store shows it at the field of the pick, which may be numbered (`empfehlung_angebot_2`).
    NichtWaehlbar { angebot: i64 },
}

impl Regel for AngeboteRegel {
    fn feld(&self) -> &'static str {
        match self {
            AngeboteRegel::NichtBearbeitbar => "titel",
            AngeboteRegel::BegruendungFehlt => "begruendung",
            AngeboteRegel::NurEntwurfEinreichbar
            | AngeboteRegel::WartetNichtAufPruefung
            | AngeboteRegel::SchonArchiviert
            | AngeboteRegel::NichtWaehlbar { .. } => "angebot",
            AngeboteRegel::NichtMehrGueltig => "gueltig_bis",
            AngeboteRegel::InzwischenGeaendert => "version",
        }
    }
}

impl std::fmt::Display for AngeboteRegel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AngeboteRegel::NichtBearbeitbar => f.write_str(
                "Nur Entwürfe und veröffentlichte Angebote lassen sich bearbeiten. Ein eingereichtes Angebot prüft zuerst der Kanton.",
            ),
            AngeboteRegel::BegruendungFehlt => f.write_str("Bitte begründen, was am Angebot zu ändern ist."),
            AngeboteRegel::NurEntwurfEinreichbar => f.write_str("Nur ein Entwurf lässt sich einreichen."),
            AngeboteRegel::WartetNichtAufPruefung => f.write_str("Dieses Angebot wartet nicht auf eine Prüfung."),
            AngeboteRegel::SchonArchiviert => f.write_str("Das Angebot ist bereits archiviert."),
            AngeboteRegel::NichtMehrGueltig => {
                f.write_str("Das Angebot ist nicht mehr gültig. Bitte zuerst «Gültig bis» verlängern.")
            }
            AngeboteRegel::InzwischenGeaendert => f.write_str(
                "Das Angebot wurde inzwischen von jemand anderem geändert. Bitte die Seite neu laden und die Änderung nochmals machen.",
            ),
            AngeboteRegel::NichtWaehlbar { angebot } => {
                write!(f, "Das Angebot Nr. {angebot} ist nicht (mehr) veröffentlicht. Bitte ein anderes wählen.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_the_status_refuses_is_shown_at_the_offer() {
        let regel = AngeboteRegel::WartetNichtAufPruefung;
        assert_eq!(regel.feld(), "angebot");
        assert_eq!(regel.to_string(), "Dieses Angebot wartet nicht auf eine Prüfung.");
    }

    #[test]
    fn an_offer_no_longer_published_is_named_by_its_number() {
        let regel = AngeboteRegel::NichtWaehlbar { angebot: 42 };
        assert_eq!(regel.feld(), "angebot");
        assert_eq!(regel.to_string(), "Das Angebot Nr. 42 ist nicht (mehr) veröffentlicht. Bitte ein anderes wählen.");
    }

    #[test]
    fn an_expired_offer_points_at_its_validity_date() {
        let errors = AngeboteRegel::NichtMehrGueltig.als_feldfehler();
        assert_eq!(
            errors.get("gueltig_bis"),
            Some("Das Angebot ist nicht mehr gültig. Bitte zuerst «Gültig bis» verlängern.")
        );
    }
}
