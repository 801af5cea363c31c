//! eCH-0020 v3: the delivery (header and one event, or a baseDelivery with many messages) and the events the
//! Cockpit needs (moveIn, moveOut, move, birth, death, and the persons of a baseDelivery). Other event kinds
//! are reported as [`RegisterEvent::NotUsed`] so that the import can count them and say so.
//!
//! # The paths read, and where the schemas define them
//!
//! Every path below is taken from the official schemas in `schemas/ech/` (against which every XML fixture of the
//! repository is validated in CI). Names are local names; «e20» is eCH-0020 3.0, «e11» eCH-0011 8.1, «e21»
//! eCH-0021 7.0, «e44» eCH-0044 4.1, «e58» eCH-0058 5.0, «e07» eCH-0007 5.0, «e08» eCH-0008 3.0, «e06»
//! eCH-0006 2.0. A person element («…Person») is an e44 `personIdentificationType` itself (moveOut, move, death)
//! or holds one as `personIdentification` (moveIn, birth, baseDelivery).
//!
//! - Header: `deliveryHeader/messageId`, `senderId`, `messageDate` (e20 `headerType`, an extension of e58
//!   `headerType`).
//! - Person: `localPersonId/personIdCategory` and `personId`, `vn`, `officialName`, `firstName`, `sex`,
//!   `dateOfBirth/yearMonthDay`, `yearMonth` or `year` (e44 `personIdentificationType`, `datePartiallyKnownType`).
//! - Nationalities: `…Person/nationalityData/countryInfo/country/countryIdISO2`, or `countryId` 8100 for
//!   Switzerland when only the number is sent (e11 `nationalityDataType`, e08 `countryType`: both codes
//!   optional); `…Person/nationalityData/nationalityStatus` 1 for a stateless person.
//! - Residence permit: `…Person/residencePermitData/residencePermit` (e11 `residencePermitDataType`, e06
//!   `residencePermitType`; nillable, so an empty element is «none»).
//! - moveIn: `moveIn/moveInPerson`; `moveIn/hasMainResidence`, `hasSecondaryResidence` or `hasOtherResidence`,
//!   each with `reportingMunicipality/municipalityId`, `arrivalDate` and `comesFrom` (e20 `eventMoveIn`,
//!   `reportingMunicipalityRestrictedMoveInType`).
//! - moveOut: `moveOut/moveOutPerson`; `moveOut/moveOutReportingDestination/reportingMunicipality/municipalityId`,
//!   `departureDate`, `goesTo` (e20 `eventMoveOut`, `reportingMunicipalityRestrictedMoveOutType`).
//! - move: `move/movePerson`; `move/moveReportingMunicipality/reportingMunicipality/municipalityId` (e20
//!   `eventMove`, `reportingMunicipalityRestrictedMoveType`).
//! - birth: `birth/birthPerson`; `birth/hasMainResidence/mainResidence/reportingMunicipality/municipalityId`, or
//!   `birth/hasSecondaryResidence/secondaryResidence/…` and `birth/hasOtherResidence/secondaryResidence/…` with
//!   the same tail (e20 `eventBirth` uses the e11 types `mainResidenceType`, `secondaryResidenceType`,
//!   `otherResidenceType`, which wrap e11 `residenceDataType`, unlike the e20 types of moveIn). Parents:
//!   `birthPerson/parentalRelationship/partner/personIdentification/localPersonId` or
//!   `…/partner/personIdentificationPartner/localPersonId` (e21 `parentalRelationshipType`; in the light
//!   identification the number is optional).
//! - death: `death/deathPerson`; `death/deathData/deathPeriod/dateFrom` (e20 `eventDeath`, e11 `deathDataType`).
//! - baseDelivery: `baseDelivery/messages/baseDeliveryPerson`; `messages/hasMainResidence`,
//!   `hasSecondaryResidence` or `hasOtherResidence`, each with `reportingMunicipality/municipalityId` directly
//!   (e20 `eventBaseDelivery`, `reportingMunicipalityRestrictedBaseMainType` and `…BaseSecondaryType`).
//! - Places (`comesFrom`, `goesTo`): `swissTown/municipalityId` and `municipalityName`,
//!   `foreignCountry/country/countryIdISO2` and `countryNameShort`, or `unknown` (e11 `destinationType`, an
//!   extension of `generalPlaceType`; e07 `swissMunicipalityType`).
//!
//! The municipality of an event is always the reporting one: the Gemeinde whose register sends the event, for a
//! main, secondary or other residence alike. eCH-0007 makes its BFS number optional; the reader refuses an
//! event whose reporting municipality has none, because the Cockpit cannot place it.

use crate::limits::{XmlReader, before_event, shortened, xml_reader};
use crate::tree::{Element, local_name, read_element};
use chrono::NaiveDate;
use iim_domain::{Ahvn13, PartialDate, Sex, TextLimit, check_text};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use std::io::Read;

/// The namespace of eCH-0020 version 3.
pub const NAMESPACE: &str = "http://www.ech.ch/xmlns/eCH-0020/3";

/// The eCH-0058 header of a delivery: what identifies it (for idempotent re-imports) and who sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub message_id: String,
    pub sender_id: String,
    pub message_date: Option<String>,
}

/// A person as the register identifies and describes it, reduced to what the Cockpit may need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterPerson {
    /// `personIdCategory` and `personId` of the register (stable within the register).
    pub local_id: (String, String),
    pub ahv: Option<Ahvn13>,
    pub official_name: String,
    pub first_name: String,
    pub sex: Sex,
    pub date_of_birth: PartialDate,
    /// ISO 3166 alpha-2 codes of the nationalities the register knows (empty: not delivered or stateless).
    pub nationalities: Vec<String>,
    /// The register states that the person is stateless (eCH-0011 `nationalityStatus` 1, where 0 is
    /// «unknown» and 2 «known»).
    pub stateless: bool,
    /// eCH-0006 residence permit code (category `02` B, `03` C, `05` F, `07` L, `08` N, `09` S, or a
    /// four-digit sub-category such as `0301`), if delivered.
    pub residence_permit: Option<String>,
}

impl RegisterPerson {
    /// Swiss citizens are not foreign nationals (data minimisation decides on this).
    pub fn is_swiss(&self) -> bool {
        self.nationalities.iter().any(|code| code == "CH")
    }
}

/// Where someone comes from or goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Unknown,
    /// A Swiss municipality (BFS number if delivered).
    Swiss {
        bfs: Option<u16>,
        name: String,
    },
    /// Abroad (ISO alpha-2 code if delivered).
    Abroad {
        country: Option<String>,
        name: String,
    },
}

/// One event of a delivery, as the Cockpit uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterEvent {
    /// A person of a baseDelivery (the whole register of a Gemeinde) with the reporting municipality of the
    /// person's main, secondary or other residence (`None` if the message names no residence).
    Resident {
        person: RegisterPerson,
        municipality: Option<u16>,
    },
    MoveIn {
        person: RegisterPerson,
        municipality: u16,
        arrival: NaiveDate,
        comes_from: Place,
    },
    MoveOut {
        person: RegisterPerson,
        municipality: u16,
        departure: NaiveDate,
        goes_to: Place,
    },
    /// A move within the municipality.
    Move {
        person: RegisterPerson,
        municipality: u16,
    },
    /// A birth; `municipality` is the reporting municipality of the child's residence (`None` if the event has
    /// none: the schema makes it optional). `parents` are the register's person numbers of the parents (and
    /// foster parents) it names; the register does not state their nationality: the import looks them up.
    Birth {
        person: RegisterPerson,
        municipality: Option<u16>,
        parents: Vec<(String, String)>,
    },
    Death {
        person: RegisterPerson,
        date: NaiveDate,
    },
    /// An event kind the Cockpit does not use (e.g. `marriage`): counted, not stored.
    NotUsed {
        kind: String,
    },
}

/// A refused event: which one, which field, and why, in German.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Ereignis {position} ({kind}), Feld {field}: {message}")]
pub struct EventError {
    /// 1 for the event of a single-event delivery; the message number within a baseDelivery.
    pub position: usize,
    pub kind: String,
    pub field: String,
    pub message: String,
}

/// A file that is not an eCH-0020 v3 delivery at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    #[error("Die Datei ist kein gültiges XML: {0}")]
    Xml(String),
    #[error("Keine eCH-0020-Lieferung: das Wurzelelement ist «{0}», erwartet wird «delivery».")]
    NotADelivery(String),
    #[error("Falscher Namensraum «{0}»: erwartet wird eCH-0020 Version 3 ({NAMESPACE}).")]
    WrongNamespace(String),
    #[error("Der Lieferung fehlt der Kopf (deliveryHeader) oder seine Nachrichtennummer (messageId).")]
    MissingHeader,
    #[error("Der Kopf der Lieferung ist ungültig: {0} hat mehr als {1} Zeichen.")]
    HeaderTooLong(&'static str, usize),
}

/// eCH-0058 `messageIdType`: at most 36 characters.
const MAX_MESSAGE_ID: usize = 36;

/// eCH-0058 `participantIdType` is an URI without a length; sedex ids have about 20 characters.
const MAX_SENDER_ID: usize = 200;

/// An xs:dateTime with fractions and time zone has at most about 35 characters.
const MAX_MESSAGE_DATE: usize = 40;

/// Starts reading a delivery: checks the root element and its namespace and reads the header.
pub fn read_delivery<R: Read>(source: R) -> Result<DeliveryReader<R>, DeliveryError> {
    // Text is trimmed where it is read (`text_at`), not by the parser: trimming pieces would glue «Omar &amp;
    // Yusuf» together.
    let mut reader = xml_reader(source);
    let mut buffer = Vec::new();
    let root = loop {
        before_event(&mut reader, &mut buffer);
        match reader.read_resolved_event_into(&mut buffer).map_err(xml_error)? {
            (namespace, Event::Start(start)) => break (namespace_of(&namespace), local_name(start.local_name())),
            (_, Event::Eof) => return Err(DeliveryError::NotADelivery(String::new())),
            _ => {}
        }
    };
    match root {
        (_, name) if name != "delivery" => return Err(DeliveryError::NotADelivery(name)),
        (namespace, _) if namespace != NAMESPACE => return Err(DeliveryError::WrongNamespace(namespace)),
        _ => {}
    }
    let header = match next_start(&mut reader, &mut buffer).map_err(xml_error)? {
        Some(name) if name == "deliveryHeader" => {
            header_of(&read_element(&mut reader, name, &mut buffer).map_err(xml_error)?)?
        }
        _ => return Err(DeliveryError::MissingHeader),
    };
    Ok(DeliveryReader { reader, buffer, header, state: State::BeforeEvent, position: 0 })
}

enum State {
    BeforeEvent,
    InBaseDelivery,
    Done,
}

/// The events of a delivery, one at a time.
pub struct DeliveryReader<R: Read> {
    reader: XmlReader<R>,
    buffer: Vec<u8>,
    header: Header,
    state: State,
    position: usize,
}

impl<R: Read> DeliveryReader<R> {
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The next event element, or `None` at the end; broken XML ends the delivery with an error.
    fn next_element(&mut self) -> Result<Option<Element>, EventError> {
        let broken = |position: usize, error: quick_xml::Error| EventError {
            position,
            kind: "Lieferung".to_owned(),
            field: String::new(),
            message: format!("XML fehlerhaft, der Rest der Datei wird nicht gelesen: {}", xml_problem(&error)),
        };
        let position = self.position + 1;
        let Some(name) = next_start(&mut self.reader, &mut self.buffer).map_err(|e| broken(position, e))? else {
            return Ok(None);
        };
        let element = read_element(&mut self.reader, name, &mut self.buffer).map_err(|e| broken(position, e))?;
        Ok(Some(element))
    }
}

impl<R: Read> Iterator for DeliveryReader<R> {
    type Item = Result<RegisterEvent, EventError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.state {
                State::Done => return None,
                State::BeforeEvent => {
                    let name = match next_start(&mut self.reader, &mut self.buffer) {
                        Ok(Some(name)) => name,
                        Ok(None) => {
                            self.state = State::Done;
                            return None;
                        }
                        Err(error) => {
                            self.state = State::Done;
                            return Some(Err(EventError {
                                position: 1,
                                kind: "Lieferung".to_owned(),
                                field: String::new(),
                                message: format!("XML fehlerhaft: {}", xml_problem(&error)),
                            }));
                        }
                    };
                    if name == "baseDelivery" {
                        self.state = State::InBaseDelivery;
                        continue;
                    }
                    self.state = State::Done;
                    self.position = 1;
                    let element = match read_element(&mut self.reader, name.clone(), &mut self.buffer) {
                        Ok(element) => element,
                        Err(error) => {
                            return Some(Err(EventError {
                                position: 1,
                                kind: name,
                                field: String::new(),
                                message: format!("XML fehlerhaft: {}", xml_problem(&error)),
                            }));
                        }
                    };
                    return Some(event_of(&element, 1));
                }
                State::InBaseDelivery => {
                    let element = match self.next_element() {
                        Ok(Some(element)) => element,
                        Ok(None) => {
                            self.state = State::Done;
                            return None;
                        }
                        Err(error) => {
                            self.state = State::Done;
                            return Some(Err(error));
                        }
                    };
                    self.position += 1;
                    return Some(resident_of(&element, self.position));
                }
            }
        }
    }
}

/// The local name of the next start tag at this level, or `None` when the enclosing element ends.
fn next_start<R: Read>(reader: &mut XmlReader<R>, buffer: &mut Vec<u8>) -> Result<Option<String>, quick_xml::Error> {
    loop {
        before_event(reader, buffer);
        match reader.read_event_into(buffer)? {
            Event::Start(start) => return Ok(Some(local_name(start.local_name()))),
            Event::End(_) | Event::Eof => return Ok(None),
            _ => {}
        }
    }
}

fn namespace_of(namespace: &ResolveResult<'_>) -> String {
    match namespace {
        ResolveResult::Bound(namespace) => shortened(namespace.into_inner()),
        _ => String::new(),
    }
}

fn xml_error(error: quick_xml::Error) -> DeliveryError {
    DeliveryError::Xml(xml_problem(&error))
}

/// What went wrong while parsing, in the words of the limit that stopped it (see [`crate::limits`]) or of the
/// parser (cut: the parser's messages quote names, and a name may be long).
fn xml_problem(error: &quick_xml::Error) -> String {
    match error {
        quick_xml::Error::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => io.to_string(),
        other => shortened(&other.to_string()),
    }
}

fn header_of(header: &Element) -> Result<Header, DeliveryError> {
    let message_id = header.text_at(&["messageId"]).ok_or(DeliveryError::MissingHeader)?;
    if message_id.chars().count() > MAX_MESSAGE_ID {
        return Err(DeliveryError::HeaderTooLong("messageId", MAX_MESSAGE_ID));
    }
    if header.text_at(&["senderId"]).is_some_and(|sender| sender.chars().count() > MAX_SENDER_ID) {
        return Err(DeliveryError::HeaderTooLong("senderId", MAX_SENDER_ID));
    }
    if header.text_at(&["messageDate"]).is_some_and(|date| date.chars().count() > MAX_MESSAGE_DATE) {
        return Err(DeliveryError::HeaderTooLong("messageDate", MAX_MESSAGE_DATE));
    }
    Ok(Header {
        message_id: message_id.to_owned(),
        sender_id: header.text_at(&["senderId"]).unwrap_or_default().to_owned(),
        message_date: header.text_at(&["messageDate"]).map(str::to_owned),
    })
}

/// A field problem: the path of the field and the German message.
type FieldProblem = (String, String);

fn problem(field: &str, message: impl Into<String>) -> FieldProblem {
    (field.to_owned(), message.into())
}

/// One event of a single-event delivery.
fn event_of(element: &Element, position: usize) -> Result<RegisterEvent, EventError> {
    let kind = element.name.clone();
    let parsed = match kind.as_str() {
        "moveIn" => move_in(element),
        "moveOut" => move_out(element),
        "move" => moved(element),
        "birth" => birth(element),
        "death" => death(element),
        _ => Ok(RegisterEvent::NotUsed { kind: kind.clone() }),
    };
    parsed.map_err(|(field, message)| EventError { position, kind, field, message })
}

/// One `messages` element of a baseDelivery.
fn resident_of(element: &Element, position: usize) -> Result<RegisterEvent, EventError> {
    let parsed = (|| {
        let person = person(required(element, "baseDeliveryPerson")?, "baseDeliveryPerson")?;
        let municipality = residence_municipality(element, BASE_DELIVERY_RESIDENCES)?;
        Ok(RegisterEvent::Resident { person, municipality })
    })();
    parsed.map_err(|(field, message)| EventError { position, kind: "baseDelivery".to_owned(), field, message })
}

fn move_in(element: &Element) -> Result<RegisterEvent, FieldProblem> {
    let person = person(required(element, "moveInPerson")?, "moveInPerson")?;
    let residence = element
        .child("hasMainResidence")
        .or_else(|| element.child("hasSecondaryResidence"))
        .or_else(|| element.child("hasOtherResidence"))
        .ok_or_else(|| problem("hasMainResidence", "Angaben zum Wohnsitz fehlen."))?;
    let municipality = bfs(required(residence, "reportingMunicipality")?, "reportingMunicipality")?;
    let arrival = date(residence, "arrivalDate")?;
    let comes_from = residence.child("comesFrom").map_or(Place::Unknown, place);
    Ok(RegisterEvent::MoveIn { person, municipality, arrival, comes_from })
}

fn move_out(element: &Element) -> Result<RegisterEvent, FieldProblem> {
    let person = person(required(element, "moveOutPerson")?, "moveOutPerson")?;
    let destination = required(element, "moveOutReportingDestination")?;
    let municipality = bfs(required(destination, "reportingMunicipality")?, "reportingMunicipality")?;
    let departure = date(destination, "departureDate")?;
    let goes_to = destination.child("goesTo").map_or(Place::Unknown, place);
    Ok(RegisterEvent::MoveOut { person, municipality, departure, goes_to })
}

fn moved(element: &Element) -> Result<RegisterEvent, FieldProblem> {
    let person = person(required(element, "movePerson")?, "movePerson")?;
    let reporting = required(element, "moveReportingMunicipality")?;
    let municipality = bfs(required(reporting, "reportingMunicipality")?, "reportingMunicipality")?;
    Ok(RegisterEvent::Move { person, municipality })
}

fn birth(element: &Element) -> Result<RegisterEvent, FieldProblem> {
    let child = required(element, "birthPerson")?;
    let person = person(child, "birthPerson")?;
    let municipality = residence_municipality(element, BIRTH_RESIDENCES)?;
    Ok(RegisterEvent::Birth { person, municipality, parents: parents(child) })
}

/// Where a birth's residence names its reporting municipality: the e11 residence types wrap it (schema order:
/// main, secondary, other residence).
const BIRTH_RESIDENCES: [&[&str]; 3] = [
    &["hasMainResidence", "mainResidence", "reportingMunicipality"],
    &["hasSecondaryResidence", "secondaryResidence", "reportingMunicipality"],
    &["hasOtherResidence", "secondaryResidence", "reportingMunicipality"],
];

/// Where a baseDelivery message names its reporting municipality: directly in the e20 residence types.
const BASE_DELIVERY_RESIDENCES: [&[&str]; 3] = [
    &["hasMainResidence", "reportingMunicipality"],
    &["hasSecondaryResidence", "reportingMunicipality"],
    &["hasOtherResidence", "reportingMunicipality"],
];

/// The BFS number at the first of `paths` whose residence element (the path's first name) the event holds;
/// `None` when it holds none of them. A residence without its reporting municipality is refused, not skipped:
/// a birth read as «without Gemeinde» would never reach the frühe Sprachförderung.
fn residence_municipality(event: &Element, paths: [&[&str]; 3]) -> Result<Option<u16>, FieldProblem> {
    for path in paths {
        if event.child(path[0]).is_none() {
            continue;
        }
        let field = path.join("/");
        let place = event.at(path).ok_or_else(|| problem(&field, "Dieses Element fehlt."))?;
        return bfs(place, &field).map(Some);
    }
    Ok(None)
}

/// The register's person numbers of the parents named in `parentalRelationship` (full or light
/// identification; a parent without a number is left out).
fn parents(child: &Element) -> Vec<(String, String)> {
    child
        .children
        .iter()
        .filter(|relationship| relationship.name == "parentalRelationship")
        .filter_map(|relationship| {
            let partner = relationship.child("partner")?;
            let identification =
                partner.child("personIdentification").or_else(|| partner.child("personIdentificationPartner"))?;
            let id = identification.text_at(&["localPersonId", "personId"])?;
            let category = identification.text_at(&["localPersonId", "personIdCategory"]).unwrap_or_default();
            Some((category.to_owned(), id.to_owned()))
        })
        .collect()
}

fn death(element: &Element) -> Result<RegisterEvent, FieldProblem> {
    let person = person(required(element, "deathPerson")?, "deathPerson")?;
    let period = element
        .at(&["deathData", "deathPeriod"])
        .ok_or_else(|| problem("deathData/deathPeriod", "Das Todesdatum fehlt."))?;
    Ok(RegisterEvent::Death { person, date: date(period, "dateFrom")? })
}

fn required<'a>(element: &'a Element, name: &str) -> Result<&'a Element, FieldProblem> {
    element.child(name).ok_or_else(|| problem(name, "Dieses Element fehlt."))
}

/// A person from an element that is a personIdentification or contains one (with nationality and permit).
fn person(element: &Element, path: &str) -> Result<RegisterPerson, FieldProblem> {
    let identification = element.child("personIdentification").unwrap_or(element);
    let field = |name: &str| format!("{path}/{name}");
    let text = |name: &str| identification.text_at(&[name]);
    let local_id = (
        identification.text_at(&["localPersonId", "personIdCategory"]).unwrap_or_default().to_owned(),
        identification
            .text_at(&["localPersonId", "personId"])
            .ok_or_else(|| problem(&field("localPersonId"), "Die Personennummer des Registers fehlt."))?
            .to_owned(),
    );
    let ahv = match text("vn") {
        Some(vn) => Some(Ahvn13::parse(vn).map_err(|e| problem(&field("vn"), e.to_string()))?),
        None => None,
    };
    let official_name =
        text("officialName").ok_or_else(|| problem(&field("officialName"), "Der Name fehlt."))?.to_owned();
    let first_name = text("firstName").ok_or_else(|| problem(&field("firstName"), "Der Vorname fehlt."))?.to_owned();
    for (name, value) in [("officialName", &official_name), ("firstName", &first_name)] {
        check_text(value, TextLimit::Name).map_err(|e| problem(&field(name), e.to_string()))?;
    }
    let sex = match text("sex") {
        Some("1") => Sex::Maennlich,
        Some("2") => Sex::Weiblich,
        Some("3") => Sex::Unbestimmt,
        other => {
            let shown = other.unwrap_or("leer");
            return Err(problem(
                &field("sex"),
                format!("Unbekanntes Geschlecht «{}» (erlaubt: 1, 2, 3).", shortened(shown)),
            ));
        }
    };
    let date_of_birth =
        birth_date(identification.child("dateOfBirth")).map_err(|m| problem(&field("dateOfBirth"), m))?;
    let nationality_data = element.child("nationalityData");
    let nationalities = nationality_data
        .map(|data| {
            data.children
                .iter()
                .filter(|info| info.name == "countryInfo")
                .filter_map(|info| info.child("country").and_then(country_code))
                .collect()
        })
        .unwrap_or_default();
    let stateless = nationality_data.and_then(|data| data.text_at(&["nationalityStatus"])) == Some(STATELESS);
    let residence_permit = element.text_at(&["residencePermitData", "residencePermit"]).map(str::to_owned);
    Ok(RegisterPerson {
        local_id,
        ahv,
        official_name,
        first_name,
        sex,
        date_of_birth,
        nationalities,
        stateless,
        residence_permit,
    })
}

/// eCH-0011 `nationalityStatus` of a stateless person.
const STATELESS: &str = "1";

/// The BFS country number of Switzerland (eCH-0008 `countryId`).
const SWITZERLAND_COUNTRY_ID: &str = "8100";

/// The ISO 3166 alpha-2 code of an eCH-0008 country. Both its codes are optional; a register that sends only
/// the BFS number must still have its Swiss citizens recognised (data minimisation depends on it), so 8100
/// counts as `CH`. Other numbers without a code are left out: the nationality stays «unbekannt».
fn country_code(country: &Element) -> Option<String> {
    if let Some(iso) = country.text_at(&["countryIdISO2"]) {
        return Some(iso.to_owned());
    }
    (country.text_at(&["countryId"]) == Some(SWITZERLAND_COUNTRY_ID)).then(|| "CH".to_owned())
}

/// eCH-0044 datePartiallyKnown: full date, year and month, or year only.
fn birth_date(element: Option<&Element>) -> Result<PartialDate, String> {
    let element = element.ok_or("Das Geburtsdatum fehlt.")?;
    let number =
        |text: &str| text.parse::<u32>().map_err(|_| format!("Ungültiges Geburtsdatum «{}».", shortened(text)));
    let parsed = if let Some(full) = element.text_at(&["yearMonthDay"]) {
        let date = xml_date(full).ok_or_else(|| format!("Ungültiges Geburtsdatum «{}».", shortened(full)))?;
        PartialDate::from_parts(
            chrono::Datelike::year(&date),
            Some(chrono::Datelike::month(&date)),
            Some(chrono::Datelike::day(&date)),
        )
    } else if let Some(year_month) = element.text_at(&["yearMonth"]) {
        let (year, month) = year_month
            .split_once('-')
            .ok_or_else(|| format!("Ungültiges Geburtsdatum «{}».", shortened(year_month)))?;
        PartialDate::from_parts(number(year)? as i32, Some(number(first_bytes(month, 2))?), None)
    } else if let Some(year) = element.text_at(&["year"]) {
        PartialDate::from_parts(number(first_bytes(year, 4))? as i32, None, None)
    } else {
        return Err("Das Geburtsdatum fehlt.".to_owned());
    };
    parsed.map_err(|e| e.to_string())
}

/// The first `count` bytes of `text` (the digits of a year or month before a time-zone suffix), or all of it
/// where that would cut a character: the number check then refuses it.
fn first_bytes(text: &str, count: usize) -> &str {
    text.get(..count.min(text.len())).unwrap_or(text)
}

/// An xs:date, tolerating a time-zone suffix (`2026-11-02+01:00`).
fn xml_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

fn date(element: &Element, name: &str) -> Result<NaiveDate, FieldProblem> {
    let text = element.text_at(&[name]).ok_or_else(|| problem(name, "Das Datum fehlt."))?;
    xml_date(text)
        .ok_or_else(|| problem(name, format!("Ungültiges Datum «{}» (erwartet JJJJ-MM-TT).", shortened(text))))
}

/// The BFS number of an eCH-0007 swissMunicipality.
fn bfs(element: &Element, path: &str) -> Result<u16, FieldProblem> {
    let text = element
        .text_at(&["municipalityId"])
        .ok_or_else(|| problem(&format!("{path}/municipalityId"), "Die BFS-Nummer der Gemeinde fehlt."))?;
    text.parse()
        .map_err(|_| problem(&format!("{path}/municipalityId"), format!("Ungültige BFS-Nummer «{}».", shortened(text))))
}

/// eCH-0011 destination: unknown, a Swiss town or a foreign country.
fn place(element: &Element) -> Place {
    if let Some(town) = element.child("swissTown") {
        return Place::Swiss {
            bfs: town.text_at(&["municipalityId"]).and_then(|id| id.parse().ok()),
            name: town.text_at(&["municipalityName"]).unwrap_or_default().to_owned(),
        };
    }
    if let Some(country) = element.at(&["foreignCountry", "country"]) {
        return Place::Abroad {
            country: country.text_at(&["countryIdISO2"]).map(str::to_owned),
            name: country.text_at(&["countryNameShort"]).unwrap_or_default().to_owned(),
        };
    }
    Place::Unknown
}
