//! Reading eCH-0020 v3 deliveries of the population register (with eCH-0044 persons, eCH-0011 person data,
//! eCH-0007 municipalities and the eCH-0058 header), as the Gemeinden's register software sends them.
//!
//! Why a crate of its own: the reader is pure input handling (XML in, typed events out) that the store's import
//! and the benchmark share, and it must stay fast and small in memory for a baseDelivery of a whole register. It
//! streams: a delivery is read event by event (a baseDelivery message by message), and only the one event being
//! read is held as a small element tree. Namespaces are matched by URI, never by prefix. Each event is checked
//! on its own: a broken event yields an [`EventError`] naming the event and the field, and reading goes on with
//! the next one; only a file that is not an eCH-0020 v3 delivery at all is refused as a whole.

mod ech0020;
mod limits;
mod person;
mod tree;

pub use ech0020::{
    DeliveryError, DeliveryReader, EventError, Header, NAMESPACE, Place, RegisterEvent, RegisterPerson, read_delivery,
};
pub use person::{nationality, residence_status};
