//! Short inline ASCII text for instrument definitions (symbols, groups,
//! currencies, units): `Copy`, fixed size, no allocation.

use std::fmt;

/// Why bytes are not a valid [`Text`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Longer than the field's capacity (after trailing NULs are dropped).
    #[error("text of {have} bytes exceeds the {max}-byte field")]
    TooLong {
        /// The capacity.
        max: usize,
        /// The length given.
        have: usize,
    },
    /// A byte is not printable ASCII or space (`0x20..=0x7E`).
    #[error("byte 0x{byte:02x} at {at} is not printable ASCII")]
    BadByte {
        /// Its position.
        at: usize,
        /// The byte.
        byte: u8,
    },
}

/// Up to `N` bytes of printable ASCII (space allowed), stored inline.
///
/// Venue text fields are fixed-width and NUL-padded (CME `char[N]`); [`Text::new`]
/// takes such a field as it is and drops the padding, so the stored text is what
/// a person would read. The empty text is valid (a field the venue left blank).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Text<const N: usize> {
    /// The text, then zeros (the zero tail keeps the derived `Eq` and `Hash` exact).
    bytes: [u8; N],
    len: u8,
}

impl<const N: usize> Default for Text<N> {
    fn default() -> Self {
        Self::EMPTY
    }
}

impl<const N: usize> Text<N> {
    /// The empty text.
    pub const EMPTY: Self = Text {
        bytes: [0; N],
        len: 0,
    };

    /// The most bytes it holds.
    pub const CAPACITY: usize = N;

    /// Copies `raw` in, without trailing NUL padding.
    ///
    /// # Errors
    /// [`TextError`] when the text (padding dropped) is longer than `N` or holds
    /// a byte outside `0x20..=0x7E` (an embedded NUL included).
    pub fn new(raw: &[u8]) -> Result<Self, TextError> {
        let used = raw.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
        let raw = &raw[..used];
        if raw.len() > N || raw.len() > usize::from(u8::MAX) {
            return Err(TextError::TooLong {
                max: N,
                have: raw.len(),
            });
        }
        let mut bytes = [0; N];
        for (at, &byte) in raw.iter().enumerate() {
            if !(0x20..=0x7e).contains(&byte) {
                return Err(TextError::BadByte { at, byte });
            }
            bytes[at] = byte;
        }
        Ok(Text {
            bytes,
            len: raw.len() as u8,
        })
    }

    /// The text's bytes.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// The text (always valid: the bytes are ASCII).
    #[inline]
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }

    /// Whether it is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<const N: usize> fmt::Debug for Text<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl<const N: usize> fmt::Display for Text<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_nul_padding_and_checks_bytes() {
        let t = Text::<6>::new(b"ES\0\0\0\0").unwrap();
        assert_eq!(t.as_str(), "ES");
        assert_eq!(format!("{t:?}"), "\"ES\"");
        assert_eq!(Text::<3>::new(b"USD").unwrap().to_string(), "USD");
        assert!(Text::<20>::new(b"\0\0\0").unwrap().is_empty());
        assert_eq!(
            Text::<20>::new(b"ESZ6-ESH7 x").unwrap().as_str(),
            "ESZ6-ESH7 x"
        );
        assert_eq!(
            Text::<2>::new(b"USD"),
            Err(TextError::TooLong { max: 2, have: 3 })
        );
        assert_eq!(
            Text::<6>::new(b"E\0S"),
            Err(TextError::BadByte { at: 1, byte: 0 })
        );
        assert_eq!(
            Text::<6>::new(b"\xffA"),
            Err(TextError::BadByte { at: 0, byte: 0xff })
        );
        assert_eq!(Text::<4>::default(), Text::<4>::EMPTY);
    }
}
