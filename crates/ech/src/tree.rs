//! A small element tree of one event, built from the streaming reader. Element names are local names: within
//! an eCH-0020 event they are unambiguous, and register software uses all kinds of prefixes for the same
//! namespaces.

use crate::limits::{MAX_DEPTH, MAX_ELEMENTS_PER_EVENT, MAX_TEXT_PER_EVENT, XmlReader, before_event, shortened};
use quick_xml::events::Event;
use std::io::Read;
use std::sync::Arc;

/// One element with its text and children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
}

impl Element {
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    /// The element at a path of local names below this one.
    pub(crate) fn at(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |element, name| element.child(name))
    }

    /// The trimmed text at a path, if present and not empty.
    pub(crate) fn text_at(&self, path: &[&str]) -> Option<&str> {
        self.at(path).map(|element| element.text.trim()).filter(|text| !text.is_empty())
    }
}

/// The most text one element keeps, in bytes. No field of eCH-0020 comes near it (names have at most 100
/// characters); a longer text is cut here, so a delivery with a huge «name» never fills the memory, and the
/// field's own check then refuses the event.
const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Appends a piece of an element's text, up to [`MAX_TEXT_BYTES`] (on a character boundary).
fn push_bounded(text: &mut String, piece: &str) {
    let room = MAX_TEXT_BYTES.saturating_sub(text.len());
    let mut end = piece.len().min(room);
    while !piece.is_char_boundary(end) {
        end -= 1;
    }
    text.push_str(&piece[..end]);
}

/// A control character XML 1.0 does not allow in a document (all below U+0020 but tab and line breaks).
fn is_raw_control(c: char) -> bool {
    c < ' ' && !matches!(c, '\t' | '\n' | '\r')
}

/// `piece`, unless it holds a control character XML does not allow (the parser lets them through): the file is
/// then not well-formed and reading stops; no such character reaches the store (PostgreSQL stores no U+0000).
/// References to control characters (`&#x1;`) are left to the checks of the fields (names refuse them); the
/// parser refuses `&#0;`.
fn allowed(piece: &str) -> Result<&str, quick_xml::Error> {
    if !piece.contains(is_raw_control) {
        return Ok(piece);
    }
    let problem = "ein Text enthält ein Steuerzeichen, das XML nicht erlaubt";
    Err(quick_xml::Error::Io(Arc::new(std::io::Error::new(std::io::ErrorKind::InvalidData, problem))))
}

/// The local name of an element as text, cut to [`MAX_MESSAGE_CHARS`](crate::limits::MAX_MESSAGE_CHARS)
/// characters (it may end up in a refusal).
pub(crate) fn local_name(name: quick_xml::name::LocalName<'_>) -> String {
    shortened(name.into_inner())
}

/// Reads the rest of the element `name` whose start tag was just read, with all its children.
pub(crate) fn read_element<R: Read>(
    reader: &mut XmlReader<R>,
    name: String,
    buffer: &mut Vec<u8>,
) -> Result<Element, quick_xml::Error> {
    let mut stack = vec![Element { name, ..Element::default() }];
    let (mut elements, mut text) = (1, 0);
    loop {
        before_event(reader, buffer);
        let event = reader.read_event_into(buffer)?;
        match &event {
            Event::Start(_) | Event::Empty(_) => elements += 1,
            Event::Text(piece) => text += piece.len(),
            Event::CData(piece) => text += piece.len(),
            Event::GeneralRef(piece) => text += piece.len(),
            _ => {}
        }
        check_size(elements, stack.len(), text)?;
        match event {
            Event::Start(start) => {
                stack.push(Element { name: local_name(start.local_name()), ..Element::default() });
            }
            Event::Empty(empty) => {
                let element = Element { name: local_name(empty.local_name()), ..Element::default() };
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(element);
                }
            }
            Event::Text(text) => {
                if let Some(current) = stack.last_mut() {
                    push_bounded(&mut current.text, allowed(&text.xml10_content())?);
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(current) = stack.last_mut() {
                    push_bounded(&mut current.text, &resolve_reference(&reference)?);
                }
            }
            Event::CData(data) => {
                if let Some(current) = stack.last_mut() {
                    push_bounded(&mut current.text, allowed(&data.xml10_content())?);
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else { continue };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Event::Eof => {
                return Err(quick_xml::Error::Syntax(quick_xml::errors::SyntaxError::UnclosedTag));
            }
            _ => {}
        }
    }
}

/// Refuses an event with more than [`MAX_ELEMENTS_PER_EVENT`] elements, deeper than [`MAX_DEPTH`] or with more
/// than [`MAX_TEXT_PER_EVENT`] bytes of text, before it fills the memory.
fn check_size(elements: usize, depth: usize, text: usize) -> Result<(), quick_xml::Error> {
    let problem = if elements > MAX_ELEMENTS_PER_EVENT {
        format!("ein Ereignis hat mehr als {MAX_ELEMENTS_PER_EVENT} Elemente")
    } else if text > MAX_TEXT_PER_EVENT {
        format!("ein Ereignis hat mehr als {} MB Text", MAX_TEXT_PER_EVENT / (1024 * 1024))
    } else if depth > MAX_DEPTH {
        format!("ein Ereignis ist tiefer als {MAX_DEPTH} Ebenen verschachtelt")
    } else {
        return Ok(());
    };
    Err(quick_xml::Error::Io(Arc::new(std::io::Error::new(std::io::ErrorKind::InvalidData, problem))))
}

/// The character an entity or character reference stands for (`&amp;`, `&#233;`).
fn resolve_reference(reference: &quick_xml::events::BytesRef<'_>) -> Result<String, quick_xml::Error> {
    if let Some(character) = reference.resolve_char_ref()? {
        return Ok(character.to_string());
    }
    let name = reference.xml10_content();
    let text = match name.as_ref() {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    };
    Ok(text.to_owned())
}
