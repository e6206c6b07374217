//! Generator choices read from fuzz bytes, shared by the checks that build a
//! document (an XML dictionary or schema) from the input instead of parsing
//! the input directly: structure-aware fuzzing that still reaches the parser
//! with mostly valid documents.
//!
//! Included by `#[path]` from each such check, so the fuzz targets and the
//! corpus replay in `tests/` use the same reader.

/// Reads generator choices from the fuzz bytes (zeros once they run out, so
/// every input, however short, builds a document).
pub struct Choices<'a> {
    data: &'a [u8],
}

impl<'a> Choices<'a> {
    /// Choices read from `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Choices { data }
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        self.data
    }

    /// The next byte, or 0 once the input is used up.
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n.max(1)
    }
}
