//! The bounds that keep reading a delivery small in memory whatever the file holds. A delivery is streamed,
//! but the XML parser holds one piece of text (or one tag) at a time, and the reader holds one event as an
//! element tree: without bounds, a 262 KB zip whose one «name» expands to 256 MB, or an event with thirty
//! million empty elements, takes gigabytes. No eCH-0020 event comes near these bounds: the longest field of the
//! schemas has a few hundred characters, and an event has a few hundred elements.

use std::io::{self, Read};

/// The most bytes between two `<`: the longest text or tag the parser ever has to hold.
pub(crate) const MAX_RUN_BYTES: usize = 1024 * 1024;

/// The most elements one event (one baseDelivery message) may have.
pub(crate) const MAX_ELEMENTS_PER_EVENT: usize = 10_000;

/// The deepest nesting within one event.
pub(crate) const MAX_DEPTH: usize = 64;

/// A source that fails as soon as more than [`MAX_RUN_BYTES`] follow without a `<`, before the parser has
/// buffered them.
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
        let bytes = &buffer[..read];
        self.run = match bytes.iter().rposition(|&byte| byte == b'<') {
            Some(last) => bytes.len() - last - 1,
            None => self.run + bytes.len(),
        };
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

    fn read_all(input: &[u8]) -> io::Result<usize> {
        let mut sink = Vec::new();
        RunLimit::new(input).read_to_end(&mut sink)
    }

    #[test]
    fn a_long_text_between_tags_is_refused_before_it_is_held() {
        let mut input = b"<a>".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_RUN_BYTES + 1));
        let error = read_all(&input).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(error.to_string().contains("länger als 1 MB"), "{error}");
    }

    #[test]
    fn many_short_runs_add_up_to_nothing() {
        let input: Vec<u8> = std::iter::repeat_n(b"<a>text</a>".as_slice(), 300_000).flatten().copied().collect();
        assert_eq!(read_all(&input).unwrap(), input.len());
    }
}
