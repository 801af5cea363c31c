//! Domain of IIM Cockpit: the canton's words as types, and the rules that hold whatever the storage or the
//! screen. This crate has no I/O: it knows nothing about HTTP, SQL or HTML, and takes time as a parameter.
//!
//! Types parse, they do not merely validate: once a value of [`Ahvn13`], [`PartialDate`] or [`PersonData`]
//! exists, it is valid, so the layers above never check it again.

pub mod access;
pub mod ahv;
pub mod angebot;
pub mod audit;
pub mod auftrag;
pub mod caseload;
pub mod catalog;
pub mod clock;
pub mod date;
pub mod dossier;
pub mod erstinformation;
pub mod field_errors;
pub mod fruehfoerderung;
pub mod gemeindeorganisation;
pub mod limits;
pub mod massnahmen;
pub mod mentoring;
pub mod person;
pub mod regeln;
pub mod selbstdeklaration;
pub mod sortierung;
pub mod sprache;
pub mod zielvorschlaege;

pub use access::{Action, Actor, Channel, Denied, Jurisdiction, Resource, Role, Scope};
pub use ahv::Ahvn13;
pub use audit::{AuditEntry, Outcome};
pub use catalog::{BfsNr, Gemeinde};
pub use clock::Clock;
pub use date::PartialDate;
pub use field_errors::FieldErrors;
pub use limits::{TextLimit, check_text};
pub use person::{Choice, Nationality, PersonData, PersonInput, PersonName, ResidenceStatus, Sex};
pub use regeln::Regel;
