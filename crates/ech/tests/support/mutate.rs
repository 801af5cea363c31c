//! Mutations of valid deliveries, shared by the property tests (`tests/reader.rs`, and the store's
//! `register_mutationen.rs`) and the mutation benchmark (`benches/mutations.rs`): a file from the register may arrive cut off, garbled or hostile, and the reader
//! must answer every one of them with events or a typed error, never a panic and never a memory spike. Each case
//! takes one valid fixture and applies one to three mutations; the kinds are those a transport or an attacker
//! produces: truncation, wrong namespaces, huge texts, deep nesting, random bytes, duplicated elements, and
//! CDATA sections and comments full of `<` (which once slipped past the run limit).

use proptest::prelude::*;
use proptest::sample::Index;
use std::sync::OnceLock;

/// The valid deliveries the mutations start from (all valid against the official schemas).
const FIXTURES: &[&str] = &[
    "move-in-from-abroad.xml",
    "move-out-death.xml",
    "base-delivery.xml",
    "events/base-delivery-variants.xml",
    "events/birth-main-residence.xml",
    "events/birth-minimal.xml",
    "events/death-full.xml",
    "events/marriage.xml",
    "events/move-full.xml",
    "events/move-in-main-residence.xml",
    "events/move-out-abroad.xml",
];

pub fn fixtures() -> &'static [Vec<u8>] {
    static LOADED: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    LOADED.get_or_init(|| {
        FIXTURES
            .iter()
            .map(|name| {
                // From the folder of this crate or of another one (the store's tests use these too).
                let path = format!("{}/../ech/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
                std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
            })
            .collect()
    })
}

/// Namespaces swapped for wrong ones: another version, another standard, none.
const NAMESPACES: &[(&str, &str)] = &[
    ("http://www.ech.ch/xmlns/eCH-0020/3", "http://www.ech.ch/xmlns/eCH-0020/2"),
    ("http://www.ech.ch/xmlns/eCH-0020/3", ""),
    ("http://www.ech.ch/xmlns/eCH-0020/3", "http://www.ech.ch/xmlns/eCH-0044/4"),
    ("http://www.ech.ch/xmlns/eCH-0044/4", "http://www.ech.ch/xmlns/eCH-0020/3"),
    ("http://www.ech.ch/xmlns/eCH-0058/5", "urn:falsch"),
    ("xmlns=", "xmlns:x="),
];

/// One change to a delivery; positions are [`Index`]es into whatever the delivery is by then.
#[derive(Debug, Clone)]
pub enum Mutation {
    Truncate(Index),
    Namespace(usize),
    /// `fill` repeated to `len` bytes.
    HugeText {
        at: Index,
        fill: Vec<u8>,
        len: usize,
    },
    Nesting {
        at: Index,
        depth: usize,
        closed: bool,
    },
    Insert {
        at: Index,
        bytes: Vec<u8>,
    },
    Replace {
        at: Index,
        bytes: Vec<u8>,
    },
    /// The bytes from a `<` to a `>` (one or more elements, or parts of them) written twice.
    Duplicate {
        from: Index,
        to: Index,
    },
    /// `<![CDATA[` (or `<!--`), `body` `repeat` times, `]]>` (or `-->`).
    Section {
        at: Index,
        comment: bool,
        body: Vec<u8>,
        repeat: usize,
    },
}

/// Bytes that matter to XML, to make the random ones likelier to hit something.
fn xml_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => any::<u8>(),
        2 => prop::sample::select(b"<>&;\"'/=![]-?: \n\t\r\xC3\xA4\xFF\x00".to_vec()),
        1 => b'a'..=b'z',
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let len = prop_oneof![8 => 1..4_096usize, 2 => 60_000..70_000usize, 1 => 1_000_000..1_100_000usize];
    let repeat = prop_oneof![20 => 1..100usize, 1 => 40_000..60_000usize];
    prop_oneof![
        3 => any::<Index>().prop_map(Mutation::Truncate),
        1 => (0..NAMESPACES.len()).prop_map(Mutation::Namespace),
        1 => (any::<Index>(), prop::collection::vec(xml_byte(), 1..4), len)
            .prop_map(|(at, fill, len)| Mutation::HugeText { at, fill, len }),
        1 => (any::<Index>(), 1..200usize, any::<bool>())
            .prop_map(|(at, depth, closed)| Mutation::Nesting { at, depth, closed }),
        3 => (any::<Index>(), prop::collection::vec(xml_byte(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        3 => (any::<Index>(), prop::collection::vec(xml_byte(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Replace { at, bytes }),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(from, to)| Mutation::Duplicate { from, to }),
        2 => (any::<Index>(), any::<bool>(), prop::collection::vec(xml_byte(), 1..32), repeat)
            .prop_map(|(at, comment, body, repeat)| Mutation::Section { at, comment, body, repeat }),
    ]
}

/// A fixture with one to three mutations applied.
pub fn mutated_delivery() -> impl Strategy<Value = Vec<u8>> {
    (0..fixtures().len(), prop::collection::vec(mutation(), 1..4))
        .prop_map(|(fixture, mutations)| mutations.iter().fold(fixtures()[fixture].clone(), apply))
}

/// A position in `bytes`, from 0 to its length.
fn position(at: &Index, bytes: &[u8]) -> usize {
    at.index(bytes.len() + 1)
}

fn insert(mut bytes: Vec<u8>, at: &Index, inserted: &[u8]) -> Vec<u8> {
    let at = position(at, &bytes);
    bytes.splice(at..at, inserted.iter().copied());
    bytes
}

pub fn apply(mut bytes: Vec<u8>, mutation: &Mutation) -> Vec<u8> {
    match mutation {
        Mutation::Truncate(at) => {
            bytes.truncate(position(at, &bytes));
            bytes
        }
        Mutation::Namespace(which) => {
            let (from, to) = NAMESPACES[*which];
            String::from_utf8_lossy(&bytes).replace(from, to).into_bytes()
        }
        Mutation::HugeText { at, fill, len } => {
            let text: Vec<u8> = fill.iter().copied().cycle().take(*len).collect();
            insert(bytes, at, &text)
        }
        Mutation::Nesting { at, depth, closed } => {
            let mut nested = "<x>".repeat(*depth);
            if *closed {
                nested.push_str(&"</x>".repeat(*depth));
            }
            insert(bytes, at, nested.as_bytes())
        }
        Mutation::Insert { at, bytes: inserted } => insert(bytes, at, inserted),
        Mutation::Replace { at, bytes: replacement } => {
            let start = position(at, &bytes);
            let end = (start + replacement.len()).min(bytes.len());
            bytes.splice(start..end, replacement.iter().copied());
            bytes
        }
        Mutation::Duplicate { from, to } => duplicate(bytes, from, to),
        Mutation::Section { at, comment, body, repeat } => {
            let (open, close) = if *comment { ("<!--", "-->") } else { ("<![CDATA[", "]]>") };
            let mut section = open.as_bytes().to_vec();
            section.extend(std::iter::repeat_n(body.as_slice(), *repeat).flatten());
            section.extend_from_slice(close.as_bytes());
            insert(bytes, at, &section)
        }
    }
}

/// Writes the bytes from the first `<` at or after one position to the first `>` at or after the other twice.
fn duplicate(mut bytes: Vec<u8>, from: &Index, to: &Index) -> Vec<u8> {
    let (a, b) = (position(from, &bytes), position(to, &bytes));
    let (a, b) = (a.min(b), a.max(b));
    let Some(start) = bytes[a..].iter().position(|&byte| byte == b'<').map(|i| a + i) else { return bytes };
    let Some(end) = bytes[b.max(start)..].iter().position(|&byte| byte == b'>').map(|i| b.max(start) + i + 1) else {
        return bytes;
    };
    let copy = bytes[start..end].to_vec();
    bytes.splice(end..end, copy);
    bytes
}
