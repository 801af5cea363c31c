//! Refusals of the Durchgehende Fallführung found in the stored records: the person register, the dossier
//! with its goals, measures and orders, closing, family links, transfers and move proposals. A reason
//! that must be given before a change is stored (reopening, refusing a request) is named here too, so that
//! the store writes no sentence of its own.

use super::Regel;
use crate::BfsNr;
use crate::dossier::EligibilityError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FallfuehrungRegel {
    /// The person's Wohngemeinde lies outside the Gemeinden the actor answers for.
    WohngemeindeAusserhalb(BfsNr),
    /// Another person already has this AHV number.
    AhvNummerVergeben,

    /// The person is not in the model's target group, so no dossier is opened.
    AusserhalbZielgruppe(EligibilityError),
    /// A person has at most one dossier; it continues across transfers and reopenings.
    DossierBestehtSchon,
    /// A closed dossier takes no changes until it is reopened.
    DossierAbgeschlossen,
    /// Only a closed dossier can be reopened.
    DossierNichtAbgeschlossen,
    /// Reopening a closed dossier needs a reason in the timeline.
    WiedereroeffnungOhneBegruendung,
    /// A dossier goes only to an active case worker (Fallführung or Leitung) of the Stelle that keeps it.
    KeineFallfuehrungDerStelle,
    /// A goal found reached stays reached: a Standortbestimmung may not judge it again (typically a second
    /// one written at the same time from an older page). Shown at the goal's own field, `bewertung_<goal id>`,
    /// so [`Regel::feld`] gives the field's prefix.
    ZielBereitsErreicht,
    /// A proposed goal is taken over or discarded once: it is already a goal, was discarded, or the answers no
    /// longer give it.
    ZielvorschlagNichtOffen,
    /// The proposals shown belonged to a Kurzassessment that has since been saved again.
    KurzassessmentNeuErfasst,

    /// A new version of the measure catalogue records what changed and why.
    KatalogOhneKommentar,
    /// A participation ends once.
    TeilnahmeBereitsBeendet,
    /// What follows a participation is recorded only after it ended.
    TeilnahmeLaeuftNoch,
    /// The entry criteria are not met; the Leitung may still book with a written reason.
    AusnahmeOhneBegruendung,
    /// The entry criteria are not met, and only the Leitung may grant an exception.
    AusnahmeNurLeitung,
    /// Asking the Leitung for an exception needs a reason.
    AusnahmegesuchOhneBegruendung,
    /// The entry criteria are met: the measure is booked, no exception is needed.
    AusnahmeNichtNoetig,
    /// An exception for this measure waits for the Leitung already.
    AusnahmegesuchBereitsOffen,
    /// Approving or refusing an exception needs a reason for the case worker.
    AusnahmeEntscheidOhneBegruendung,
    /// The exception was approved or refused already (by a colleague, or in another window).
    AusnahmegesuchBereitsEntschieden,

    /// The closing waits for the Leitung already; a second request is not needed.
    AbschlussBereitsBeantragt,
    /// Refusing a requested closing needs a reason for the case worker.
    AbschlussAblehnungOhneBegruendung,
    /// There is no open closing request to decide on.
    KeinAbschlussBeantragt,

    /// Refusing a coaching order needs a reason for the case worker.
    CoachingAblehnungOhneBegruendung,
    /// Only an order waiting for approval can be approved or refused.
    AuftragWartetNichtAufGenehmigung,
    /// Only a newly received result can be acknowledged.
    KeinNeuesErgebnis,
    /// The provider reports the result of an order once.
    ErgebnisBereitsGemeldet,

    /// A family link names the other dossier by its number.
    DossierNummerFehlt,
    /// A dossier cannot be its own family member.
    FamilieMitSichSelbst,
    /// The other dossier does not exist or lies outside the actor's cases (the two look the same).
    DossierNichtInIhrenFaellen,
    /// Both dossiers are already in the same family.
    FamilieBereitsVerknuepft,
    /// The dossier belongs to no family to leave.
    KeineFamilie,

    /// A transfer names the new Wohngemeinde.
    NeueWohngemeindeFehlt,
    /// No Sozialregion answers for the chosen Gemeinde, so no Stelle could take the dossier.
    KeineSozialregion,
    /// The new Gemeinde belongs to the keeping Stelle's own region: the register changes, the dossier stays.
    GemeindeDerEigenenRegion,
    /// A dossier has at most one open transfer.
    UebergabeBereitsBeantragt,
    /// Refusing a transfer needs a reason for the Stelle that asked.
    UebergabeAblehnungOhneBegruendung,
    /// The transfer was accepted or refused already.
    UebergabeBereitsEntschieden,

    /// Dismissing a move proposal needs a reason why the dossier stays.
    UmzugOhneBegruendung,
}

impl Regel for FallfuehrungRegel {
    fn feld(&self) -> &'static str {
        use FallfuehrungRegel::*;
        match self {
            WohngemeindeAusserhalb(_) => "wohngemeinde_bfs",
            AhvNummerVergeben => "ahv_nummer",
            AusserhalbZielgruppe(_) => "sozialhilfe",
            DossierBestehtSchon => "person",
            DossierAbgeschlossen | DossierNichtAbgeschlossen => "status",
            KeineFallfuehrungDerStelle => "fallfuehrung",
            ZielBereitsErreicht => "bewertung",
            ZielvorschlagNichtOffen | KurzassessmentNeuErfasst => "vorschlag",
            KatalogOhneKommentar => "kommentar",
            TeilnahmeBereitsBeendet => "ende",
            TeilnahmeLaeuftNoch => "art",
            AusnahmeOhneBegruendung | AusnahmeNurLeitung => "ausnahme",
            AusnahmegesuchOhneBegruendung | AusnahmegesuchBereitsOffen => "gesuch_begruendung",
            AusnahmeNichtNoetig => "massnahme",
            AusnahmeEntscheidOhneBegruendung | AusnahmegesuchBereitsEntschieden => "begruendung",
            AbschlussBereitsBeantragt => "grund",
            AuftragWartetNichtAufGenehmigung | KeinNeuesErgebnis => "auftrag",
            ErgebnisBereitsGemeldet => "ergebnis",
            DossierNummerFehlt
            | FamilieMitSichSelbst
            | DossierNichtInIhrenFaellen
            | FamilieBereitsVerknuepft
            | KeineFamilie => "dossier",
            NeueWohngemeindeFehlt | KeineSozialregion | GemeindeDerEigenenRegion | UebergabeBereitsBeantragt => {
                "gemeinde"
            }
            UebergabeBereitsEntschieden => "uebergabe",
            WiedereroeffnungOhneBegruendung
            | AbschlussAblehnungOhneBegruendung
            | KeinAbschlussBeantragt
            | CoachingAblehnungOhneBegruendung
            | UebergabeAblehnungOhneBegruendung
            | UmzugOhneBegruendung => "begruendung",
        }
    }
}

impl std::fmt::Display for FallfuehrungRegel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use FallfuehrungRegel::*;
        let satz = match self {
            WohngemeindeAusserhalb(gemeinde) => {
                return write!(
                    f,
                    "{} gehört nicht zu Ihrem Zuständigkeitsgebiet. Bitte eine Gemeinde Ihres Gebiets wählen.",
                    gemeinde.name()
                );
            }
            AusserhalbZielgruppe(grund) => return grund.fmt(f),
            AhvNummerVergeben => "Diese AHV-Nummer ist bereits bei einer anderen Person erfasst.",
            DossierBestehtSchon => "Für diese Person besteht bereits ein Dossier.",
            DossierAbgeschlossen => "Das Dossier ist abgeschlossen. Bitte zuerst wiedereröffnen.",
            DossierNichtAbgeschlossen => "Das Dossier ist nicht abgeschlossen.",
            WiedereroeffnungOhneBegruendung => "Bitte begründen, warum das Dossier wieder geöffnet wird.",
            KeineFallfuehrungDerStelle => "Bitte eine Person der Fallführung dieser Stelle wählen.",
            ZielBereitsErreicht => {
                "Dieses Ziel wurde inzwischen als erreicht beurteilt und wird nicht nochmals bewertet."
            }
            ZielvorschlagNichtOffen => {
                "Dieser Vorschlag ist nicht mehr offen: er ist bereits ein Ziel im Hilfsplan oder wurde verworfen."
            }
            KurzassessmentNeuErfasst => {
                "Das Kurzassessment wurde inzwischen neu erfasst. Bitte die Vorschläge unten nochmals prüfen."
            }
            KatalogOhneKommentar => "Bitte kurz festhalten, was geändert wird und warum.",
            TeilnahmeBereitsBeendet => "Diese Teilnahme ist bereits beendet.",
            TeilnahmeLaeuftNoch => "Die Teilnahme läuft noch. Bitte sie zuerst beenden.",
            AusnahmeOhneBegruendung => "Die Eintrittskriterien sind nicht erfüllt. Für eine Ausnahme bitte begründen.",
            AusnahmeNurLeitung => "Eine Ausnahme von den Eintrittskriterien kann nur die Leitung bewilligen.",
            AusnahmegesuchOhneBegruendung => "Bitte begründen, warum die Leitung eine Ausnahme bewilligen soll.",
            AusnahmeNichtNoetig => {
                "Die Eintrittskriterien sind erfüllt. Die Massnahme kann ohne Ausnahme gebucht werden."
            }
            AusnahmegesuchBereitsOffen => "Für diese Massnahme liegt bereits ein Gesuch bei der Leitung.",
            AusnahmeEntscheidOhneBegruendung => "Bitte den Entscheid begründen: die Fallführung liest ihn im Dossier.",
            AusnahmegesuchBereitsEntschieden => {
                "Über dieses Gesuch wurde bereits entschieden. Der Entscheid steht im Dossier."
            }
            AbschlussBereitsBeantragt => "Der Abschluss liegt bereits der Leitung zur Genehmigung vor.",
            AbschlussAblehnungOhneBegruendung => "Bitte begründen, warum der Abschluss nicht genehmigt wird.",
            KeinAbschlussBeantragt => "Für dieses Dossier liegt kein Abschluss zur Genehmigung vor.",
            CoachingAblehnungOhneBegruendung => "Bitte begründen, warum das Coaching nicht genehmigt wird.",
            AuftragWartetNichtAufGenehmigung => "Dieser Auftrag wartet nicht auf eine Genehmigung.",
            KeinNeuesErgebnis => "Zu diesem Auftrag ist kein neues Ergebnis eingegangen.",
            ErgebnisBereitsGemeldet => "Zu diesem Auftrag wurde das Ergebnis bereits gemeldet.",
            DossierNummerFehlt => "Bitte die Nummer des anderen Dossiers angeben.",
            FamilieMitSichSelbst => "Ein Dossier kann nicht mit sich selbst verknüpft werden.",
            DossierNichtInIhrenFaellen => "Ein Dossier mit dieser Nummer gibt es in Ihren Fällen nicht.",
            FamilieBereitsVerknuepft => "Die beiden Dossiers sind bereits als Familie verknüpft.",
            KeineFamilie => "Dieses Dossier ist mit keiner Familie verknüpft.",
            NeueWohngemeindeFehlt => "Bitte die neue Wohngemeinde wählen.",
            KeineSozialregion => "Für diese Gemeinde ist keine Sozialregion hinterlegt.",
            GemeindeDerEigenenRegion => {
                "Diese Gemeinde gehört zur eigenen Sozialregion: keine Übergabe nötig. Bitte die Wohngemeinde im Personenregister ändern."
            }
            UebergabeBereitsBeantragt => "Für dieses Dossier ist bereits eine Übergabe beantragt.",
            UebergabeAblehnungOhneBegruendung => "Bitte begründen, warum die Übergabe abgelehnt wird.",
            UebergabeBereitsEntschieden => "Über diese Übergabe wurde bereits entschieden.",
            UmzugOhneBegruendung => "Bitte begründen, warum das Dossier bleibt.",
        };
        f.write_str(satz)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_its_field_and_sentence() {
        let olten = FallfuehrungRegel::WohngemeindeAusserhalb(BfsNr::parse("2581").unwrap());
        assert_eq!(olten.feld(), "wohngemeinde_bfs");
        assert_eq!(
            olten.to_string(),
            "Olten gehört nicht zu Ihrem Zuständigkeitsgebiet. Bitte eine Gemeinde Ihres Gebiets wählen."
        );

        let abgeschlossen = FallfuehrungRegel::DossierAbgeschlossen;
        assert_eq!(abgeschlossen.feld(), "status");
        assert_eq!(abgeschlossen.to_string(), "Das Dossier ist abgeschlossen. Bitte zuerst wiedereröffnen.");

        let entschieden = FallfuehrungRegel::UebergabeBereitsEntschieden;
        assert_eq!(
            entschieden.als_feldfehler().get("uebergabe"),
            Some("Über diese Übergabe wurde bereits entschieden.")
        );
    }

    #[test]
    fn a_refusal_outside_the_target_group_keeps_the_eligibility_sentence() {
        let regel = FallfuehrungRegel::AusserhalbZielgruppe(EligibilityError::ShortStayWithoutSozialhilfe);
        assert_eq!(regel.feld(), "sozialhilfe");
        assert_eq!(regel.to_string(), EligibilityError::ShortStayWithoutSozialhilfe.to_string());
        assert!(regel.to_string().starts_with("Personen mit Kurzaufenthaltsbewilligung (L)"));
    }
}
