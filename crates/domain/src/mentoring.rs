//! Regional Mentoring-Pools (seed 002 §3.2; seed 000 Schwerpunkt 5.4; DOMAIN.md "Angebotsplattform and
//! Mentoring-Pools"): volunteers sign up as mentors on a public form, the pool's coordinator vets them,
//! Integrationsbeauftragte and case workers refer Neuzuzüger (mentees) with their consent, the coordinator
//! confirms a match and follows the tandem until it ends.
//!
//! The rules live here, without I/O: what a sign-up, a referral, a vetting record, a tandem change and a
//! check-in must contain, which tandem status may follow which, how a mentor scores for a mentee, and when
//! the data of a mentor who left is due for deletion.

use crate::catalog::{self, BfsNr};
use crate::dossier::{exact_date, pick, required_text};
use crate::field_errors::FieldErrors;
use crate::limits::{TextLimit, check_text};
use crate::person::Choice;
use chrono::NaiveDate;

/// A mentor in this many open tandems (proposed, active or paused) gets no further suggestions.
pub const MAX_OFFENE_TANDEMS: usize = 2;

/// The consent a volunteer gives on the public form, shown there in full.
pub const EINWILLIGUNG_MENTOR: &str = "Ich bin einverstanden, dass der Mentoring-Pool meiner Region meine Angaben \
(Name, Kontakt, Wohngemeinde, Sprachen, Verfügbarkeit, Interessen) speichert, um mit mir ein Gespräch zu führen \
und mich mit einer neu zugezogenen Person bekannt zu machen. Nur die Koordination des Pools sieht diese Angaben. \
Ich kann meine Einwilligung jederzeit bei der Koordination widerrufen; nach meinem Austritt werden meine Angaben \
nach der festgelegten Aufbewahrungsfrist gelöscht.";

/// Where a volunteer stands in the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MentorStatus {
    Neu,
    GespraechVereinbart,
    Geeignet,
    NichtGeeignet,
    Pausiert,
    Ausgetreten,
}

impl Choice for MentorStatus {
    const ALL: &'static [Self] = &[
        MentorStatus::Neu,
        MentorStatus::GespraechVereinbart,
        MentorStatus::Geeignet,
        MentorStatus::NichtGeeignet,
        MentorStatus::Pausiert,
        MentorStatus::Ausgetreten,
    ];

    fn code(self) -> &'static str {
        match self {
            MentorStatus::Neu => "neu",
            MentorStatus::GespraechVereinbart => "gespraech_vereinbart",
            MentorStatus::Geeignet => "geeignet",
            MentorStatus::NichtGeeignet => "nicht_geeignet",
            MentorStatus::Pausiert => "pausiert",
            MentorStatus::Ausgetreten => "ausgetreten",
        }
    }

    fn label(self) -> &'static str {
        match self {
            MentorStatus::Neu => "neu",
            MentorStatus::GespraechVereinbart => "Gespräch vereinbart",
            MentorStatus::Geeignet => "geeignet",
            MentorStatus::NichtGeeignet => "nicht geeignet",
            MentorStatus::Pausiert => "pausiert",
            MentorStatus::Ausgetreten => "ausgetreten",
        }
    }
}

impl MentorStatus {
    /// Whether the data of a mentor in this status is deleted once the retention period has passed: those
    /// who left and rejected sign-ups.
    pub fn wird_geloescht(self) -> bool {
        matches!(self, MentorStatus::Ausgetreten | MentorStatus::NichtGeeignet)
    }

    /// Whether the mentor may be in an open tandem.
    pub fn darf_tandem_haben(self) -> bool {
        !self.wird_geloescht()
    }
}

/// What mentors and mentees may share (fixed list; free text adds the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Interesse {
    DeutschUeben,
    AlltagBehoerden,
    ArbeitBewerbung,
    SchuleAusbildung,
    FamilieKinder,
    Sport,
    KulturMusik,
    NaturAusfluege,
    KochenEssen,
}

impl Choice for Interesse {
    const ALL: &'static [Self] = &[
        Interesse::DeutschUeben,
        Interesse::AlltagBehoerden,
        Interesse::ArbeitBewerbung,
        Interesse::SchuleAusbildung,
        Interesse::FamilieKinder,
        Interesse::Sport,
        Interesse::KulturMusik,
        Interesse::NaturAusfluege,
        Interesse::KochenEssen,
    ];

    fn code(self) -> &'static str {
        match self {
            Interesse::DeutschUeben => "deutsch",
            Interesse::AlltagBehoerden => "alltag",
            Interesse::ArbeitBewerbung => "arbeit",
            Interesse::SchuleAusbildung => "ausbildung",
            Interesse::FamilieKinder => "familie",
            Interesse::Sport => "sport",
            Interesse::KulturMusik => "kultur",
            Interesse::NaturAusfluege => "natur",
            Interesse::KochenEssen => "kochen",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Interesse::DeutschUeben => "Deutsch üben",
            Interesse::AlltagBehoerden => "Alltag und Behörden",
            Interesse::ArbeitBewerbung => "Arbeit und Bewerbung",
            Interesse::SchuleAusbildung => "Schule und Ausbildung",
            Interesse::FamilieKinder => "Familie und Kinder",
            Interesse::Sport => "Sport",
            Interesse::KulturMusik => "Kultur und Musik",
            Interesse::NaturAusfluege => "Natur und Ausflüge",
            Interesse::KochenEssen => "Kochen und Essen",
        }
    }
}

/// The public sign-up form as typed.
#[derive(Debug, Clone, Default)]
pub struct AnmeldungInput {
    pub name: String,
    pub email: String,
    pub telefon: String,
    pub gemeinde: String,
    pub sprachen: Vec<String>,
    pub verfuegbarkeit: String,
    pub interessen: Vec<String>,
    pub interessen_text: String,
    pub einwilligung: bool,
}

/// A checked sign-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anmeldung {
    pub name: String,
    pub email: String,
    pub telefon: String,
    pub gemeinde: BfsNr,
    /// Language codes of the catalogue.
    pub sprachen: Vec<String>,
    pub verfuegbarkeit: String,
    pub interessen: Vec<Interesse>,
    pub interessen_text: String,
}

impl AnmeldungInput {
    pub fn check(&self) -> Result<Anmeldung, FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.check_texts(&[("email", &self.email, TextLimit::Short), ("telefon", &self.telefon, TextLimit::Short)]);
        let name = errors.check("name", name(&self.name, "Bitte Ihren Vor- und Nachnamen angeben."));
        let email = self.email.trim().to_owned();
        let telefon = self.telefon.trim().to_owned();
        if email.is_empty() && telefon.is_empty() {
            errors.add("email", "Bitte eine E-Mail-Adresse oder eine Telefonnummer angeben.");
        }
        if !email.is_empty() && !looks_like_email(&email) {
            errors.add("email", "Diese E-Mail-Adresse ist unvollständig (Beispiel: name@beispiel.ch).");
        }
        if !telefon.is_empty() && !looks_like_phone(&telefon) {
            errors.add("telefon", "Bitte die Telefonnummer nur mit Ziffern, Leerschlägen und + angeben.");
        }
        let gemeinde = errors.check("gemeinde", gemeinde(&self.gemeinde, "Bitte Ihre Wohngemeinde wählen."));
        let sprachen = errors.check("sprachen", languages(&self.sprachen, "Bitte mindestens eine Sprache wählen."));
        let interessen = errors.check("interessen", interests(&self.interessen));
        let verfuegbarkeit = errors.check(
            "verfuegbarkeit",
            long_text(&self.verfuegbarkeit).and_then(|t| required_text(&t, "Bitte angeben, wann Sie Zeit haben.")),
        );
        let interessen_text = errors.check("interessen_text", long_text(&self.interessen_text));
        if !self.einwilligung {
            errors.add("einwilligung", "Ohne Ihre Einwilligung können wir die Anmeldung nicht speichern.");
        }
        match (name, gemeinde, sprachen, interessen, verfuegbarkeit, interessen_text) {
            (
                Some(name),
                Some(gemeinde),
                Some(sprachen),
                Some(interessen),
                Some(verfuegbarkeit),
                Some(interessen_text),
            ) if errors.is_empty() => {
                Ok(Anmeldung { name, email, telefon, gemeinde, sprachen, verfuegbarkeit, interessen, interessen_text })
            }
            _ => Err(errors),
        }
    }
}

/// A referral of a mentee by an Integrationsbeauftragte or a case worker, as typed.
#[derive(Debug, Clone, Default)]
pub struct ZuweisungInput {
    pub name: String,
    pub gemeinde: String,
    pub sprachen: Vec<String>,
    pub interessen: Vec<String>,
    pub interessen_text: String,
    pub kontakt: String,
    pub einwilligung: bool,
    pub einwilligung_am: String,
}

/// A checked referral: only what the pool needs, never the dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zuweisung {
    pub name: String,
    pub gemeinde: BfsNr,
    pub sprachen: Vec<String>,
    pub interessen: Vec<Interesse>,
    pub interessen_text: String,
    pub kontakt: String,
    pub einwilligung_am: NaiveDate,
}

impl ZuweisungInput {
    pub fn check(&self, today: NaiveDate) -> Result<Zuweisung, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", name(&self.name, "Bitte den Namen der Person angeben."));
        let gemeinde = errors.check("gemeinde", gemeinde(&self.gemeinde, "Bitte die Wohngemeinde wählen."));
        let sprachen = errors.check("sprachen", languages(&self.sprachen, "Bitte mindestens eine Sprache wählen."));
        let interessen = errors.check("interessen", interests(&self.interessen));
        let interessen_text = errors.check("interessen_text", long_text(&self.interessen_text));
        let kontakt = errors.check(
            "kontakt",
            long_text(&self.kontakt)
                .and_then(|t| required_text(&t, "Bitte angeben, wie der Pool die Person erreicht.")),
        );
        if !self.einwilligung {
            errors.add("einwilligung", "Ohne Einwilligung der Person kann sie nicht zugewiesen werden.");
        }
        let einwilligung_am = errors.check("einwilligung_am", past_date(&self.einwilligung_am, today));
        match (name, gemeinde, sprachen, interessen, interessen_text, kontakt, einwilligung_am) {
            (
                Some(name),
                Some(gemeinde),
                Some(sprachen),
                Some(interessen),
                Some(interessen_text),
                Some(kontakt),
                Some(einwilligung_am),
            ) if errors.is_empty() => {
                Ok(Zuweisung { name, gemeinde, sprachen, interessen, interessen_text, kontakt, einwilligung_am })
            }
            _ => Err(errors),
        }
    }
}

/// The coordinator's vetting record as typed: status, interview date, notes.
#[derive(Debug, Clone, Default)]
pub struct AbklaerungInput {
    pub status: String,
    pub gespraech_am: String,
    pub notizen: String,
}

/// A checked vetting record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Abklaerung {
    pub status: MentorStatus,
    pub gespraech_am: Option<NaiveDate>,
    pub notizen: String,
}

impl AbklaerungInput {
    /// A decision (suitable or not) needs the date of the interview it rests on; a mentor in an open tandem
    /// cannot leave before the tandem has ended.
    pub fn check(&self, today: NaiveDate, offene_tandems: usize) -> Result<Abklaerung, FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = errors.check("status", pick::<MentorStatus>(&self.status, "Bitte den Status wählen."));
        let gespraech_am = if self.gespraech_am.trim().is_empty() {
            None
        } else {
            errors.check("gespraech_am", exact_date(&self.gespraech_am))
        };
        let notizen = errors.check("notizen", long_text(&self.notizen));
        if let Some(status) = status {
            let entscheid = matches!(status, MentorStatus::Geeignet | MentorStatus::NichtGeeignet);
            if entscheid && gespraech_am.is_none() && errors.get("gespraech_am").is_none() {
                errors.add("gespraech_am", "Für einen Entscheid bitte das Datum des Gesprächs angeben.");
            }
            if entscheid && gespraech_am.is_some_and(|d| d > today) {
                errors.add("gespraech_am", "Ein Entscheid braucht ein Gespräch, das schon stattgefunden hat.");
            }
            if !status.darf_tandem_haben() && offene_tandems > 0 {
                errors.add("status", "Diese Person ist noch in einem Tandem. Bitte zuerst das Tandem beenden.");
            }
        }
        match (status, notizen) {
            (Some(status), Some(notizen)) if errors.is_empty() => Ok(Abklaerung { status, gespraech_am, notizen }),
            _ => Err(errors),
        }
    }
}

/// Where a tandem stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TandemStatus {
    Vorgeschlagen,
    Aktiv,
    Pausiert,
    Beendet,
}

impl Choice for TandemStatus {
    const ALL: &'static [Self] =
        &[TandemStatus::Vorgeschlagen, TandemStatus::Aktiv, TandemStatus::Pausiert, TandemStatus::Beendet];

    fn code(self) -> &'static str {
        match self {
            TandemStatus::Vorgeschlagen => "vorgeschlagen",
            TandemStatus::Aktiv => "aktiv",
            TandemStatus::Pausiert => "pausiert",
            TandemStatus::Beendet => "beendet",
        }
    }

    fn label(self) -> &'static str {
        match self {
            TandemStatus::Vorgeschlagen => "vorgeschlagen",
            TandemStatus::Aktiv => "aktiv",
            TandemStatus::Pausiert => "pausiert",
            TandemStatus::Beendet => "beendet",
        }
    }
}

impl TandemStatus {
    /// The lifecycle: proposed → active ↔ paused → ended; a proposal that does not come about ends too.
    pub fn may_change_to(self, next: TandemStatus) -> bool {
        use TandemStatus::*;
        matches!(
            (self, next),
            (Vorgeschlagen, Aktiv | Beendet) | (Aktiv, Pausiert | Beendet) | (Pausiert, Aktiv | Beendet)
        )
    }

    pub fn offen(self) -> bool {
        self != TandemStatus::Beendet
    }

    /// The changes the coordinator can make from here, for the form.
    pub fn next(self) -> Vec<TandemStatus> {
        TandemStatus::ALL.iter().copied().filter(|next| self.may_change_to(*next)).collect()
    }
}

/// Why a tandem ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndGrund {
    ZielErreicht,
    NichtZustandeGekommen,
    KeinKontaktMehr,
    MentorHoertAuf,
    MenteeWeggezogen,
    Unstimmigkeiten,
    Anderes,
}

impl Choice for EndGrund {
    const ALL: &'static [Self] = &[
        EndGrund::ZielErreicht,
        EndGrund::NichtZustandeGekommen,
        EndGrund::KeinKontaktMehr,
        EndGrund::MentorHoertAuf,
        EndGrund::MenteeWeggezogen,
        EndGrund::Unstimmigkeiten,
        EndGrund::Anderes,
    ];

    fn code(self) -> &'static str {
        match self {
            EndGrund::ZielErreicht => "ziel_erreicht",
            EndGrund::NichtZustandeGekommen => "nicht_zustande",
            EndGrund::KeinKontaktMehr => "kein_kontakt",
            EndGrund::MentorHoertAuf => "mentor_hoert_auf",
            EndGrund::MenteeWeggezogen => "weggezogen",
            EndGrund::Unstimmigkeiten => "unstimmigkeiten",
            EndGrund::Anderes => "anderes",
        }
    }

    fn label(self) -> &'static str {
        match self {
            EndGrund::ZielErreicht => "Ziel erreicht, Tandem regulär abgeschlossen",
            EndGrund::NichtZustandeGekommen => "Tandem ist nicht zustande gekommen",
            EndGrund::KeinKontaktMehr => "kein Kontakt mehr",
            EndGrund::MentorHoertAuf => "Mentor/in hört auf",
            EndGrund::MenteeWeggezogen => "Mentee ist weggezogen",
            EndGrund::Unstimmigkeiten => "Unstimmigkeiten im Tandem",
            EndGrund::Anderes => "anderer Grund",
        }
    }
}

/// A change of a tandem's status as typed.
#[derive(Debug, Clone, Default)]
pub struct TandemWechselInput {
    pub status: String,
    pub datum: String,
    pub grund: String,
    pub grund_text: String,
}

/// A checked change of a tandem's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TandemWechsel {
    pub status: TandemStatus,
    pub datum: NaiveDate,
    pub grund: Option<EndGrund>,
    pub grund_text: String,
}

impl TandemWechselInput {
    /// `begonnen_am` is the start of an active tandem: it cannot end before it started.
    pub fn check(
        &self,
        current: TandemStatus,
        begonnen_am: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<TandemWechsel, FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = errors.check("status", pick::<TandemStatus>(&self.status, "Bitte den neuen Status wählen."));
        let datum = errors.check("datum", past_date(&self.datum, today));
        let grund_text = errors.check("grund_text", long_text(&self.grund_text)).unwrap_or_default();
        let mut grund = None;
        if let Some(status) = status {
            if !current.may_change_to(status) {
                errors.add(
                    "status",
                    format!("Von «{}» kann das Tandem nicht auf «{}» wechseln.", current.label(), status.label()),
                );
            }
            if status == TandemStatus::Beendet {
                grund = errors.check("grund", pick::<EndGrund>(&self.grund, "Bitte den Grund für das Ende wählen."));
                if grund == Some(EndGrund::Anderes) && grund_text.is_empty() {
                    errors.add("grund_text", "Bitte den anderen Grund kurz beschreiben.");
                }
            }
        }
        if let (Some(datum), Some(start)) = (datum, begonnen_am)
            && datum < start
        {
            errors.add("datum", "Das Datum liegt vor dem Beginn des Tandems.");
        }
        match (status, datum) {
            (Some(status), Some(datum)) if errors.is_empty() => Ok(TandemWechsel { status, datum, grund, grund_text }),
            _ => Err(errors),
        }
    }
}

/// A check-in on a tandem as typed.
#[derive(Debug, Clone, Default)]
pub struct CheckinInput {
    pub datum: String,
    pub notiz: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkin {
    pub datum: NaiveDate,
    pub notiz: String,
}

impl CheckinInput {
    pub fn check(&self, today: NaiveDate) -> Result<Checkin, FieldErrors> {
        let mut errors = FieldErrors::new();
        let datum = errors.check("datum", past_date(&self.datum, today));
        let notiz = errors.check(
            "notiz",
            long_text(&self.notiz).and_then(|t| required_text(&t, "Bitte kurz festhalten, wie es dem Tandem geht.")),
        );
        match (datum, notiz) {
            (Some(datum), Some(notiz)) if errors.is_empty() => Ok(Checkin { datum, notiz }),
            _ => Err(errors),
        }
    }
}

/// What matching looks at, for mentor and mentee alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profil {
    pub sprachen: Vec<String>,
    pub interessen: Vec<Interesse>,
    pub gemeinde: BfsNr,
}

/// How well a mentor fits a mentee, with the reasons in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passung {
    pub punkte: u32,
    pub gruende: Vec<String>,
}

/// Points per shared language, per shared interest, and for living in the same Gemeinde (all mentors of a
/// pool live in its region).
const PUNKTE_SPRACHE: u32 = 3;
const PUNKTE_INTERESSE: u32 = 2;
const PUNKTE_GEMEINDE: u32 = 2;

/// Scores a mentor for a mentee: shared languages weigh most (they make the first meetings possible),
/// then shared interests, then the same Gemeinde.
pub fn passung(mentor: &Profil, mentee: &Profil) -> Passung {
    let sprachen: Vec<&str> = mentee
        .sprachen
        .iter()
        .filter(|code| mentor.sprachen.contains(code))
        .map(|code| catalog::language_name(code).unwrap_or(code))
        .collect();
    let interessen: Vec<&str> =
        mentee.interessen.iter().filter(|i| mentor.interessen.contains(i)).map(|i| i.label()).collect();
    let gleiche_gemeinde = mentor.gemeinde == mentee.gemeinde;
    let mut punkte = PUNKTE_SPRACHE * count(&sprachen) + PUNKTE_INTERESSE * count(&interessen);
    let mut gruende = Vec::new();
    if !sprachen.is_empty() {
        gruende.push(format!("gemeinsame Sprachen: {}", sprachen.join(", ")));
    }
    if !interessen.is_empty() {
        gruende.push(format!("gemeinsame Interessen: {}", interessen.join(", ")));
    }
    if gleiche_gemeinde {
        punkte += PUNKTE_GEMEINDE;
        gruende.push(format!("wohnt ebenfalls in {}", mentee.gemeinde.name()));
    }
    if gruende.is_empty() {
        gruende.push("keine Gemeinsamkeit ausser der Region".to_owned());
    }
    Passung { punkte, gruende }
}

fn count(items: &[&str]) -> u32 {
    u32::try_from(items.len()).unwrap_or(u32::MAX)
}

/// Whether data last changed on `zuletzt` is due for deletion on `today` after `tage` days of retention.
pub fn aufbewahrung_abgelaufen(zuletzt: NaiveDate, today: NaiveDate, tage: u32) -> bool {
    (today - zuletzt).num_days() > i64::from(tage)
}

/// Length of a tandem in days, from its start to its end (or to `today` while it runs).
pub fn dauer_tage(begonnen_am: NaiveDate, bis: NaiveDate) -> i64 {
    (bis - begonnen_am).num_days().max(0)
}

/// A person's name: required, bounded like every name (`limits`).
fn name(text: &str, missing: &str) -> Result<String, String> {
    check_text(text, TextLimit::Name).map_err(|error| error.to_string())?;
    required_text(text, missing)
}

/// A free text (availability, interests, contact, notes): bounded like every note (`limits`).
fn long_text(text: &str) -> Result<String, String> {
    check_text(text, TextLimit::Note).map_err(|error| error.to_string())?;
    Ok(text.trim().to_owned())
}

fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(char::is_whitespace)
}

fn looks_like_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&digits) && text.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '/' | '-'))
}

fn gemeinde(code: &str, missing: &str) -> Result<BfsNr, String> {
    BfsNr::parse(code).map_err(|_| missing.to_owned())
}

fn languages(codes: &[String], missing: &str) -> Result<Vec<String>, String> {
    let mut chosen: Vec<String> = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if catalog::language_name(code).is_none() {
            return Err(format!("Die Sprache «{code}» kennen wir nicht."));
        }
        if !chosen.iter().any(|c| c == code) {
            chosen.push(code.to_owned());
        }
    }
    if chosen.is_empty() { Err(missing.to_owned()) } else { Ok(chosen) }
}

fn interests(codes: &[String]) -> Result<Vec<Interesse>, String> {
    let mut chosen = Vec::new();
    for code in codes.iter().filter(|c| !c.trim().is_empty()) {
        let interest =
            Interesse::from_code(code).ok_or_else(|| "Bitte nur Interessen aus der Liste wählen.".to_owned())?;
        if !chosen.contains(&interest) {
            chosen.push(interest);
        }
    }
    Ok(chosen)
}

fn past_date(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    if text.trim().is_empty() {
        return Err("Bitte das Datum angeben (TT.MM.JJJJ).".to_owned());
    }
    let date = exact_date(text)?;
    if date > today {
        return Err("Das Datum liegt in der Zukunft.".to_owned());
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn bfs(n: u16) -> BfsNr {
        BfsNr::known(n).unwrap()
    }

    fn anmeldung() -> AnmeldungInput {
        AnmeldungInput {
            name: "Vreni Muster".into(),
            email: "vreni@example.ch".into(),
            gemeinde: "2581".into(),
            sprachen: vec!["de".into(), "ti".into(), "de".into()],
            verfuegbarkeit: "Dienstagabend".into(),
            interessen: vec!["sport".into()],
            einwilligung: true,
            ..AnmeldungInput::default()
        }
    }

    #[test]
    fn a_complete_sign_up_is_accepted_with_languages_once() {
        let checked = anmeldung().check().unwrap();
        assert_eq!(checked.gemeinde, bfs(2581));
        assert_eq!(checked.sprachen, vec!["de".to_owned(), "ti".to_owned()]);
        assert_eq!(checked.interessen, vec![Interesse::Sport]);
    }

    #[test]
    fn a_sign_up_needs_consent_contact_gemeinde_and_a_language() {
        let input = AnmeldungInput { name: " ".into(), einwilligung: false, ..AnmeldungInput::default() };
        let errors = input.check().unwrap_err();
        for field in ["name", "email", "gemeinde", "sprachen", "verfuegbarkeit", "einwilligung"] {
            assert!(errors.get(field).is_some(), "{field}: {errors}");
        }
        let only_phone = AnmeldungInput { email: String::new(), telefon: "+41 62 123 45 67".into(), ..anmeldung() };
        assert!(only_phone.check().is_ok());
    }

    #[test]
    fn a_sign_up_refuses_a_broken_email_an_unknown_language_and_foreign_interests() {
        let input = AnmeldungInput {
            email: "vreni@".into(),
            sprachen: vec!["xx".into()],
            interessen: vec!["schach".into()],
            ..anmeldung()
        };
        let errors = input.check().unwrap_err();
        assert_eq!(errors.get("email"), Some("Diese E-Mail-Adresse ist unvollständig (Beispiel: name@beispiel.ch)."));
        assert_eq!(errors.get("sprachen"), Some("Die Sprache «xx» kennen wir nicht."));
        assert!(errors.get("interessen").is_some());
    }

    #[test]
    fn every_text_of_mentor_mentee_and_check_in_is_bounded_with_a_german_message() {
        let note = "x".repeat(crate::limits::NOTE_CHARS + 1);
        let sign_up = AnmeldungInput {
            name: "x".repeat(101),
            email: format!("{}@beispiel.ch", "v".repeat(200)),
            telefon: "0".repeat(201),
            verfuegbarkeit: note.clone(),
            interessen_text: "Kochen\0".into(),
            ..anmeldung()
        };
        let errors = sign_up.check().unwrap_err();
        assert_eq!(errors.get("name"), Some("Höchstens 100 Zeichen."));
        assert_eq!(errors.get("email"), Some("Höchstens 200 Zeichen."));
        assert_eq!(errors.get("telefon"), Some("Höchstens 200 Zeichen."));
        assert_eq!(errors.get("verfuegbarkeit"), Some("Höchstens 4000 Zeichen."));
        assert_eq!(errors.get("interessen_text"), Some("Enthält unzulässige Steuerzeichen."));

        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let referral = ZuweisungInput {
            name: "x".repeat(101),
            interessen_text: note.clone(),
            kontakt: note.clone(),
            ..ZuweisungInput::default()
        };
        let errors = referral.check(today).unwrap_err();
        for field in ["interessen_text", "kontakt"] {
            assert_eq!(errors.get(field), Some("Höchstens 4000 Zeichen."), "{field}");
        }
        assert_eq!(errors.get("name"), Some("Höchstens 100 Zeichen."));
        let vetting = AbklaerungInput { notizen: note.clone(), ..AbklaerungInput::default() };
        assert_eq!(vetting.check(today, 0).unwrap_err().get("notizen"), Some("Höchstens 4000 Zeichen."));
        let checkin = CheckinInput { datum: "20.11.2026".into(), notiz: note };
        assert_eq!(checkin.check(today).unwrap_err().get("notiz"), Some("Höchstens 4000 Zeichen."));
    }

    #[test]
    fn a_referral_needs_consent_with_a_date_not_in_the_future() {
        let input = ZuweisungInput {
            name: "Abeba T.".into(),
            gemeinde: "2581".into(),
            sprachen: vec!["ti".into()],
            kontakt: "über die IB".into(),
            einwilligung: true,
            einwilligung_am: "20.11.2026".into(),
            ..ZuweisungInput::default()
        };
        assert_eq!(input.check(day(2026, 11, 21)).unwrap().einwilligung_am, day(2026, 11, 20));
        let future = ZuweisungInput { einwilligung_am: "22.11.2026".into(), ..input.clone() };
        assert_eq!(
            future.check(day(2026, 11, 21)).unwrap_err().get("einwilligung_am"),
            Some("Das Datum liegt in der Zukunft.")
        );
        let without = ZuweisungInput { einwilligung: false, ..input };
        assert!(without.check(day(2026, 11, 21)).unwrap_err().get("einwilligung").is_some());
    }

    #[test]
    fn a_decision_needs_a_past_interview_and_leaving_needs_no_open_tandem() {
        let today = day(2026, 11, 21);
        let geeignet = AbklaerungInput { status: "geeignet".into(), ..AbklaerungInput::default() };
        assert!(geeignet.check(today, 0).unwrap_err().get("gespraech_am").is_some());
        let with_date = AbklaerungInput { gespraech_am: "18.11.2026".into(), ..geeignet };
        assert_eq!(with_date.check(today, 0).unwrap().gespraech_am, Some(day(2026, 11, 18)));
        let vereinbart = AbklaerungInput {
            status: "gespraech_vereinbart".into(),
            gespraech_am: "30.11.2026".into(),
            ..AbklaerungInput::default()
        };
        assert!(vereinbart.check(today, 0).is_ok());
        let leaving = AbklaerungInput { status: "ausgetreten".into(), ..AbklaerungInput::default() };
        assert!(leaving.check(today, 1).unwrap_err().get("status").is_some());
        assert!(leaving.check(today, 0).is_ok());
    }

    #[test]
    fn the_tandem_lifecycle_allows_only_its_steps() {
        use TandemStatus::*;
        assert!(Vorgeschlagen.may_change_to(Aktiv));
        assert!(Aktiv.may_change_to(Pausiert));
        assert!(Pausiert.may_change_to(Aktiv));
        assert!(Pausiert.may_change_to(Beendet));
        assert!(!Vorgeschlagen.may_change_to(Pausiert));
        assert!(!Beendet.may_change_to(Aktiv));
        assert!(!Aktiv.may_change_to(Vorgeschlagen));
        assert_eq!(Beendet.next(), Vec::<TandemStatus>::new());
    }

    #[test]
    fn ending_a_tandem_needs_a_reason_and_a_date_after_its_start() {
        let today = day(2026, 11, 21);
        let start = Some(day(2026, 3, 1));
        let input = TandemWechselInput {
            status: "beendet".into(),
            datum: "20.11.2026".into(),
            ..TandemWechselInput::default()
        };
        assert!(input.check(TandemStatus::Aktiv, start, today).unwrap_err().get("grund").is_some());
        let other = TandemWechselInput { grund: "anderes".into(), ..input.clone() };
        assert!(other.check(TandemStatus::Aktiv, start, today).unwrap_err().get("grund_text").is_some());
        let ok = TandemWechselInput { grund: "ziel_erreicht".into(), ..input.clone() };
        assert_eq!(ok.check(TandemStatus::Aktiv, start, today).unwrap().grund, Some(EndGrund::ZielErreicht));
        let early = TandemWechselInput { datum: "01.02.2026".into(), ..ok.clone() };
        assert!(early.check(TandemStatus::Aktiv, start, today).unwrap_err().get("datum").is_some());
        let from_ended = ok.check(TandemStatus::Beendet, start, today).unwrap_err();
        assert_eq!(from_ended.get("status"), Some("Von «beendet» kann das Tandem nicht auf «beendet» wechseln."));
    }

    #[test]
    fn a_check_in_needs_a_note_and_a_past_date() {
        let today = day(2026, 11, 21);
        assert!(CheckinInput { datum: "21.11.2026".into(), notiz: "gut".into() }.check(today).is_ok());
        let errors = CheckinInput { datum: "22.11.2026".into(), notiz: " ".into() }.check(today).unwrap_err();
        assert!(errors.get("datum").is_some() && errors.get("notiz").is_some());
    }

    #[test]
    fn matching_weighs_languages_then_interests_then_the_gemeinde_and_says_why() {
        let mentee = Profil {
            sprachen: vec!["ti".into(), "en".into()],
            interessen: vec![Interesse::Sport, Interesse::DeutschUeben],
            gemeinde: bfs(2581),
        };
        let language = Profil { sprachen: vec!["de".into(), "ti".into()], interessen: vec![], gemeinde: bfs(2503) };
        let interests = Profil { sprachen: vec!["de".into()], interessen: vec![Interesse::Sport], gemeinde: bfs(2581) };
        let nothing = Profil { sprachen: vec!["de".into()], interessen: vec![], gemeinde: bfs(2503) };
        let by_language = passung(&language, &mentee);
        assert_eq!(by_language.punkte, 3);
        assert_eq!(by_language.gruende, vec!["gemeinsame Sprachen: Tigrinya".to_owned()]);
        let by_interest = passung(&interests, &mentee);
        assert_eq!(by_interest.punkte, 4);
        assert_eq!(
            by_interest.gruende,
            vec!["gemeinsame Interessen: Sport".to_owned(), "wohnt ebenfalls in Olten".to_owned()]
        );
        let none = passung(&nothing, &mentee);
        assert_eq!(none.punkte, 0);
        assert_eq!(none.gruende, vec!["keine Gemeinsamkeit ausser der Region".to_owned()]);
    }

    #[test]
    fn retention_counts_whole_days_after_the_last_change() {
        let last = day(2025, 11, 21);
        assert!(!aufbewahrung_abgelaufen(last, day(2026, 11, 21), 365));
        assert!(aufbewahrung_abgelaufen(last, day(2026, 11, 22), 365));
        assert_eq!(dauer_tage(day(2026, 1, 1), day(2026, 1, 31)), 30);
    }
}
