//! Refusals of the Mentoring-Pools found in the stored records: a referral outside the referrer's Gemeinden,
//! a tandem its mentor or mentee cannot form, a check-in on an ended tandem, too many sign-ups from one address.

use super::Regel;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentoringRegel {
    /// A referrer refers only people of the Gemeinden they answer for.
    ZuweisungAusserhalb,
    /// Only a mentor the coordination found suitable («geeignet») may form a tandem.
    MentorNichtGeeignet,
    /// The mentor already has the most open tandems a volunteer may have.
    MentorAusgelastet,
    /// The mentee already has an open tandem; one at a time.
    MenteeSchonImTandem,
    /// An ended tandem takes no more check-ins.
    TandemBeendet,
    /// The public sign-up took the most sign-ups one address may send within an hour. Shown above the
    /// sign-up form as a whole, not at one of its fields.
    ZuVieleAnmeldungen,
}

impl Regel for MentoringRegel {
    fn feld(&self) -> &'static str {
        match self {
            MentoringRegel::ZuweisungAusserhalb => "gemeinde",
            MentoringRegel::MentorNichtGeeignet
            | MentoringRegel::MentorAusgelastet
            | MentoringRegel::MenteeSchonImTandem => "mentor",
            MentoringRegel::TandemBeendet => "notiz",
            MentoringRegel::ZuVieleAnmeldungen => "anmeldung",
        }
    }
}

impl std::fmt::Display for MentoringRegel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MentoringRegel::ZuweisungAusserhalb => {
                "Sie können nur Personen aus Gemeinden Ihres Zuständigkeitsgebiets zuweisen."
            }
            MentoringRegel::MentorNichtGeeignet => {
                "Nur Mentor/innen mit dem Status «geeignet» können ein Tandem bilden."
            }
            MentoringRegel::MentorAusgelastet => "Diese Person begleitet schon die höchste Zahl an Tandems.",
            MentoringRegel::MenteeSchonImTandem => "Diese Person ist schon in einem Tandem.",
            MentoringRegel::TandemBeendet => "Das Tandem ist beendet; es nimmt keine Check-ins mehr an.",
            MentoringRegel::ZuVieleAnmeldungen => {
                "Von Ihrem Anschluss kamen in der letzten Stunde schon mehrere Anmeldungen. Bitte versuchen Sie es in einer Stunde nochmals oder melden Sie sich direkt bei der Koordination."
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mentor_who_cannot_form_a_tandem_is_shown_at_the_mentor() {
        let regel = MentoringRegel::MentorNichtGeeignet;
        assert_eq!(regel.feld(), "mentor");
        assert_eq!(regel.to_string(), "Nur Mentor/innen mit dem Status «geeignet» können ein Tandem bilden.");
    }

    #[test]
    fn a_check_in_on_an_ended_tandem_is_shown_at_the_note() {
        let errors = MentoringRegel::TandemBeendet.als_feldfehler();
        assert_eq!(errors.get("notiz"), Some("Das Tandem ist beendet; es nimmt keine Check-ins mehr an."));
    }

    #[test]
    fn a_referral_outside_the_gemeinden_is_shown_at_the_gemeinde() {
        let regel = MentoringRegel::ZuweisungAusserhalb;
        assert_eq!(regel.feld(), "gemeinde");
        assert_eq!(regel.to_string(), "Sie können nur Personen aus Gemeinden Ihres Zuständigkeitsgebiets zuweisen.");
    }
}
