//! The bounds that keep reading a delivery small in memory whatever the file holds. A delivery is streamed,
//! but the XML parser holds one piece of XML (a text, a tag, a comment, a CDATA section) at a time, and the
//! reader holds one event as an element tree: without bounds, a 262 KB zip whose one «name» expands to 256 MB,
//! or an event with thirty million empty elements, takes gigabytes. The length of a piece is counted by what the
//! parser draws for it, not by looking for `<`: a CDATA section or a comment may contain `<` and still be one
//! piece. No eCH-0020 event comes near these bounds: the longest field of the schemas has a few hundred
//! characters, and an event has a few hundred elements.

use quick_xml::NsReader;
use std::io::{self, BufReader, Read};

/// The most bytes the parser reads for one piece of XML (a text, a tag, a comment, a CDATA section, a
/// processing instruction or a DOCTYPE): what it has to hold at once.
pub(crate) const MAX_RUN_BYTES: usize = 1024 * 1024;

/// The most elements one event (one baseDelivery message) may have.
pub(crate) const MAX_ELEMENTS_PER_EVENT: usize = 10_000;

/// The deepest nesting within one event.
pub(crate) const MAX_DEPTH: usize = 64;

/// The most text one event keeps, all its elements together (each element keeps at most 64 KB, see
/// `tree.rs`; without this, 10 000 elements of 64 KB would be 640 MB).
pub(crate) const MAX_TEXT_PER_EVENT: usize = 1024 * 1024;

/// The most characters of a name or a parser's message the reader passes on (into refusals, the store and the
/// pages): element names of eCH-0020 have at most 40 characters, but a garbled file may hold one of a megabyte.
pub(crate) const MAX_MESSAGE_CHARS: usize = 200;

/// `text` cut to [`MAX_MESSAGE_CHARS`] characters, marked with «…» where cut, control characters shown as «�»
/// (a name may hold any byte, and no database stores U+0000).
pub(crate) fn shortened(text: &str) -> String {
    let shown = |text: &str| text.chars().map(|c| if c.is_control() { '\u{FFFD}' } else { c }).collect::<String>();
    match text.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((end, _)) => format!("{}…", shown(&text[..end])),
        None => shown(text),
    }
}

/// The parser over a delivery, its source bounded by [`RunLimit`].
pub(crate) type XmlReader<R> = NsReader<BufReader<RunLimit<R>>>;

pub(crate) fn xml_reader<R: Read>(source: R) -> XmlReader<R> {
    NsReader::from_reader(BufReader::new(RunLimit::new(source)))
}

/// Readies the parser for its next piece of XML: empties the buffer and starts counting the run again. Called
/// before every read of the parser, so the count covers whatever the parser holds for one piece, however
/// it is written (a CDATA section or a comment full of `<` included). The count is of the bytes drawn from the
/// source, so it is off by at most the `BufReader`'s read-ahead (8 KB).
pub(crate) fn before_event<R: Read>(reader: &mut XmlReader<R>, buffer: &mut Vec<u8>) {
    buffer.clear();
    reader.get_mut().get_mut().run = 0;
}

/// A source that fails as soon as the parser has drawn more than [`MAX_RUN_BYTES`] for one piece of XML (see
/// [`before_event`]), before it has buffered them.
pub(crate) struct RunLimit<R> {
    inner: R,
    run: usize,
}

impl<R: Read> RunLimit<R> {
    pub(crate) fn new(inner: R) -> Self {
        RunLimit { inner, run: 0 }
    }
}

impl<R: Read> Read for RunLimit<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.run += read;
        if self.run > MAX_RUN_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("ein Text oder ein Element ist länger als {} MB", MAX_RUN_BYTES / (1024 * 1024)),
            ));
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads every piece of XML as the reader does; the number of pieces, or the error that stopped it.
    fn read_all(input: &[u8]) -> Result<usize, quick_xml::Error> {
        let mut reader = xml_reader(input);
        let mut buffer = Vec::new();
        let mut pieces = 0;
        loop {
            before_event(&mut reader, &mut buffer);
            if reader.read_event_into(&mut buffer)? == quick_xml::events::Event::Eof {
                return Ok(pieces);
            }
            pieces += 1;
        }
    }

    fn refused(input: &[u8]) -> String {
        match read_all(input) {
            Err(quick_xml::Error::Io(error)) if error.kind() == io::ErrorKind::InvalidData => error.to_string(),
            other => panic!("expected the run limit, got {other:?}"),
        }
    }

    /// `<a>`, then `start`, then `piece` until the run is longer than the limit, then `end` and `</a>`.
    fn long(start: &str, piece: &str, end: &str) -> Vec<u8> {
        let mut input = format!("<a>{start}").into_bytes();
        while input.len() < MAX_RUN_BYTES + 16 * 1024 {
            input.extend_from_slice(piece.as_bytes());
        }
        input.extend_from_slice(format!("{end}</a>").as_bytes());
        input
    }

    #[test]
    fn a_long_text_between_tags_is_refused_before_it_is_held() {
        assert!(refused(&long("", "x", "")).contains("länger als 1 MB"));
    }

    #[test]
    fn a_cdata_section_a_comment_or_a_tag_full_of_less_than_signs_is_refused_too() {
        assert!(refused(&long("<![CDATA[", "<b>x</b> ", "]]>")).contains("länger als 1 MB"));
        assert!(refused(&long("<!--", "< <b> ", "-->")).contains("länger als 1 MB"));
        assert!(refused(&long("<?pi ", "<<<< ", "?>")).contains("länger als 1 MB"));
        assert!(refused(&long("<b c=\"", "<x>", "\"/>")).contains("länger als 1 MB"));
    }

    #[test]
    fn a_long_name_or_message_is_cut() {
        assert_eq!(shortened("delivery"), "delivery");
        assert_eq!(shortened("a\0b"), "a\u{FFFD}b");
        let long = shortened(&"ä".repeat(5000));
        assert_eq!((long.chars().count(), long.ends_with("ä…")), (MAX_MESSAGE_CHARS + 1, true));
    }

    #[test]
    fn many_short_pieces_add_up_to_nothing() {
        let input: Vec<u8> = std::iter::repeat_n(b"<a>text<![CDATA[<x>]]><!-- < --></a>".as_slice(), 100_000)
            .flatten()
            .copied()
            .collect();
        assert_eq!(read_all(&input).unwrap(), 500_000);
    }
}
