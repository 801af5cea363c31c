//! Refusals of start.integration found in the stored records: the Erstinformation, the hand-overs to the
//! Migrationsamt (Fordern), the decision on possible duplicates and the frühe Sprachförderung.

use super::Regel;
use crate::erstinformation::NeuzuzuegerStatus;
use crate::person::Choice;
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartIntegrationRegel {
    /// The Neuzuzüger's status (conversation held, refused, moved away) admits no Erstinformationsgespräch.
    GespraechNichtMoeglich(NeuzuzuegerStatus),
    /// The Neuzuzüger's case lies with the Migrationsamt, which has not decided yet: one open hand-over at a time.
    BeimMigrationsamt,
    /// The Migrationsamt has decided this hand-over already; a decision is final.
    FordernEntschieden,
    /// The pair of possible duplicates has been decided already.
    DuplikatEntschieden,
    /// The pair's new person has a dossier: merging it away needs the case-keeping Stelle first.
    DuplikatMitDossier,
    /// Both persons arrived on the same day: merged, they would have the arrival twice.
    DuplikatZuzugAmSelbenTag,
    /// Both persons are children in the frühe Sprachförderung: two tracks cannot become one by a click.
    DuplikatZweiBegleitungen,
    /// No person with this number lives in the actor's area (one outside looks the same on purpose).
    KindUnbekannt,
    /// The chosen person's Kindergarten entry (`eintritt`) was more than a year ago: it is in school now.
    KindImKindergartenalter { eintritt: NaiveDate },
    /// The birth date entered for a new child puts its Kindergarten entry (`eintritt`) more than a year back.
    GeburtsdatumImKindergartenalter { eintritt: NaiveDate },
    /// The child has a track already; its number, unless a take-in at the same moment stored it first.
    KindBereitsBegleitet(Option<i64>),
}

impl Regel for StartIntegrationRegel {
    fn feld(&self) -> &'static str {
        use StartIntegrationRegel::*;
        match self {
            GespraechNichtMoeglich(_) => "gefuehrt_am",
            BeimMigrationsamt => "empfehlung",
            FordernEntschieden
            | DuplikatEntschieden
            | DuplikatMitDossier
            | DuplikatZuzugAmSelbenTag
            | DuplikatZweiBegleitungen => "entscheid",
            KindUnbekannt | KindImKindergartenalter { .. } | KindBereitsBegleitet(_) => "person_id",
            GeburtsdatumImKindergartenalter { .. } => "geburtsdatum",
        }
    }
}

impl std::fmt::Display for StartIntegrationRegel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use StartIntegrationRegel::*;
        match self {
            GespraechNichtMoeglich(status) => {
                write!(f, "Bei Status «{}» kann kein Gespräch mehr erfasst werden.", status.label())
            }
            BeimMigrationsamt => f.write_str("Dieser Fall liegt bereits beim Migrationsamt; sein Entscheid steht noch aus."),
            FordernEntschieden => f.write_str("Über diesen Fall ist bereits entschieden."),
            DuplikatEntschieden => f.write_str("Über dieses Paar ist bereits entschieden."),
            DuplikatMitDossier => f.write_str(
                "Die neu erfasste Person hat bereits ein Dossier. Bitte zuerst mit der fallführenden Stelle klären.",
            ),
            DuplikatZuzugAmSelbenTag => {
                f.write_str("Beide Personen haben einen Zuzug am selben Tag. Bitte den doppelten Zuzug zuerst klären.")
            }
            DuplikatZweiBegleitungen => f.write_str(
                "Beide Personen sind in der frühen Sprachförderung erfasst. Bitte zuerst eine der beiden Begleitungen klären.",
            ),
            KindUnbekannt => f.write_str("In Ihrem Zuständigkeitsgebiet gibt es keine Person mit dieser Nummer."),
            KindImKindergartenalter { eintritt } | GeburtsdatumImKindergartenalter { eintritt } => write!(
                f,
                "Das Kind ist seit dem {} im Kindergartenalter; die frühe Sprachförderung begleitet Kinder bis zum Kindergarten.",
                eintritt.format("%d.%m.%Y")
            ),
            KindBereitsBegleitet(Some(id)) => {
                write!(f, "Dieses Kind ist bereits in der frühen Sprachförderung (Nr. {id}).")
            }
            KindBereitsBegleitet(None) => f.write_str("Dieses Kind ist bereits in der frühen Sprachförderung."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_its_field_and_says_why() {
        let gefuehrt = StartIntegrationRegel::GespraechNichtMoeglich(NeuzuzuegerStatus::Gefuehrt);
        assert_eq!(gefuehrt.feld(), "gefuehrt_am");
        assert_eq!(gefuehrt.to_string(), "Bei Status «Gespräch geführt» kann kein Gespräch mehr erfasst werden.");

        let eintritt = NaiveDate::from_ymd_opt(2026, 8, 1).unwrap();
        let neu = StartIntegrationRegel::GeburtsdatumImKindergartenalter { eintritt };
        assert_eq!(neu.feld(), "geburtsdatum");
        assert_eq!(
            neu.to_string(),
            "Das Kind ist seit dem 01.08.2026 im Kindergartenalter; die frühe Sprachförderung begleitet Kinder bis zum Kindergarten."
        );
        assert_eq!(StartIntegrationRegel::KindImKindergartenalter { eintritt }.feld(), "person_id");
    }

    #[test]
    fn a_child_already_accompanied_is_named_by_its_number_when_known() {
        let bekannt = StartIntegrationRegel::KindBereitsBegleitet(Some(42));
        assert_eq!(bekannt.feld(), "person_id");
        assert_eq!(bekannt.to_string(), "Dieses Kind ist bereits in der frühen Sprachförderung (Nr. 42).");
        assert_eq!(
            StartIntegrationRegel::KindBereitsBegleitet(None).to_string(),
            "Dieses Kind ist bereits in der frühen Sprachförderung."
        );
    }
}
