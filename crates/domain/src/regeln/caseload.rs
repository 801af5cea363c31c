//! Why a caseload taken over from an Excel list refuses a whole file or one of its rows. The store finds the
//! reasons that need the stored records (a known person, a case worker of the Stelle); the row parser in
//! [`crate::caseload`] finds the others. Every reason is a value here, its sentence written once.

use super::Regel;
use crate::ahv::AhvError;
use crate::dossier::EligibilityError;

/// A refusal of a whole file: nothing of it is read further.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseloadDateiRegel {
    /// More than [`crate::caseload::MAX_BYTES`].
    ZuGross,
    /// More than [`crate::caseload::MAX_ROWS`] rows.
    ZuVieleZeilen,
    /// Neither a readable CSV file (UTF-8) nor an Excel workbook (.xlsx).
    Unlesbar,
    /// The header row lacks a required column.
    SpalteFehlt(&'static str),
    /// No row below the header.
    Leer,
    /// The Stelle code names no Sozialregion.
    StelleUnbekannt,
    /// The importing Leitung belongs to another Stelle.
    AndereStelle,
}

impl Regel for CaseloadDateiRegel {
    fn feld(&self) -> &'static str {
        "datei"
    }
}

impl std::fmt::Display for CaseloadDateiRegel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaseloadDateiRegel::ZuGross => f.write_str("Die Datei ist grösser als 10 MB. Bitte die Liste aufteilen."),
            CaseloadDateiRegel::ZuVieleZeilen => {
                f.write_str("Die Liste hat mehr als 20 000 Zeilen. Bitte die Liste aufteilen.")
            }
            CaseloadDateiRegel::Unlesbar => f.write_str(
                "Die Datei lässt sich nicht lesen. Bitte eine Excel-Datei (.xlsx) oder eine CSV-Datei (UTF-8) wählen.",
            ),
            CaseloadDateiRegel::SpalteFehlt(spalte) => {
                write!(f, "Die Spalte «{spalte}» fehlt. Bitte die Vorlage verwenden.")
            }
            CaseloadDateiRegel::Leer => f.write_str("Die Liste enthält keine Zeilen."),
            CaseloadDateiRegel::StelleUnbekannt => f.write_str("Diese Sozialregion gibt es nicht."),
            CaseloadDateiRegel::AndereStelle => {
                f.write_str("Die Fallliste kann nur für die eigene Sozialregion übernommen werden.")
            }
        }
    }
}

/// A refusal of one row: the row is not imported, the others are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseloadRegel {
    /// A required cell is empty.
    Fehlt(&'static str),
    /// A cell is longer than its column allows.
    ZuLang(&'static str),
    /// The AHV number is not valid (format or check digit).
    AhvUngueltig(AhvError),
    /// No Gemeinde of the canton has this BFS number or name.
    GemeindeUnbekannt,
    /// The Gemeinde belongs to another Sozialregion.
    GemeindeAusserhalb,
    /// A date cell holds no date.
    KeinDatum(&'static str),
    /// A date lies in the future.
    DatumInZukunft(&'static str),
    /// A cell the domain's own parser refuses, with its sentence (names, sex, nationality, status).
    Ungueltig { spalte: &'static str, grund: String },
    /// A goal whose Handlungsfeld is not one of the four.
    HandlungsfeldUnbekannt(String),
    /// A German level other than A1..C2.
    NiveauUnbekannt,
    /// A measure code the catalogue does not hold (or no longer offers).
    MassnahmeUnbekannt(String),
    /// The case worker is no user of the Stelle with Fallführung or Leitung.
    FallfuehrungUnbekannt(String),
    /// The person is not in the model's target group.
    AusserhalbZielgruppe(EligibilityError),
    /// A person with this AHV number is already registered (not merged).
    DuplikatAhv,
    /// A person with this name and birth date is already registered (not merged).
    DuplikatNameGeburtsdatum,
    /// The same person appears in an earlier row of the file.
    DoppeltInDatei(usize),
    /// A list cell holds more entries than a dossier takes at once.
    ZuVieleEintraege(&'static str),
}

impl Regel for CaseloadRegel {
    fn feld(&self) -> &'static str {
        "zeile"
    }
}

impl std::fmt::Display for CaseloadRegel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use CaseloadRegel::*;
        match self {
            Fehlt(spalte) => write!(f, "«{spalte}» fehlt."),
            ZuLang(spalte) => write!(f, "«{spalte}» ist zu lang."),
            AhvUngueltig(grund) => write!(f, "AHV-Nummer ungültig: {grund}"),
            GemeindeUnbekannt => f.write_str("Diese Gemeinde gibt es im Kanton Solothurn nicht."),
            GemeindeAusserhalb => f.write_str("Die Gemeinde gehört zu einer anderen Sozialregion."),
            KeinDatum(spalte) => write!(f, "«{spalte}» ist kein Datum (TT.MM.JJJJ)."),
            DatumInZukunft(spalte) => write!(f, "«{spalte}» liegt in der Zukunft."),
            Ungueltig { spalte, grund } => write!(f, "«{spalte}»: {grund}"),
            HandlungsfeldUnbekannt(feld) => write!(
                f,
                "Das Handlungsfeld «{feld}» gibt es nicht (Sprachförderung, Arbeitsintegration, Bildungsintegration, Soziale Integration)."
            ),
            NiveauUnbekannt => f.write_str("Das Deutsch-Niveau ist eines von A1, A2, B1, B2, C1, C2."),
            MassnahmeUnbekannt(code) => write!(f, "Die Massnahme «{code}» gibt es im Katalog nicht."),
            FallfuehrungUnbekannt(name) => {
                write!(f, "«{name}» ist keine Fallführung dieser Sozialregion.")
            }
            AusserhalbZielgruppe(grund) => grund.fmt(f),
            DuplikatAhv => f.write_str(
                "Eine Person mit dieser AHV-Nummer ist bereits erfasst. Die Zeile wird nicht übernommen; bitte das bestehende Dossier prüfen.",
            ),
            DuplikatNameGeburtsdatum => f.write_str(
                "Eine Person mit diesem Namen und Geburtsdatum ist bereits erfasst. Die Zeile wird nicht übernommen; bitte prüfen.",
            ),
            DoppeltInDatei(zeile) => write!(f, "Dieselbe Person steht schon in Zeile {zeile}."),
            ZuVieleEintraege(spalte) => write!(f, "«{spalte}» hat zu viele Einträge (höchstens 20)."),
        }
    }
}
