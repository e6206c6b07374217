//! One indexed field: a tag and the span of its value in the message bytes.

use super::tag::Tag;

/// A field as the index stores it: the tag and the byte range of its value.
///
/// Twelve bytes, no pointers, so an index is a plain array that the caller can
/// keep on the stack or reuse across messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FieldRef {
    /// The field's tag.
    pub tag: Tag,
    /// Offset of the value's first byte in the message.
    pub start: u32,
    /// Offset one past the value's last byte (the SOH that ends it).
    pub end: u32,
}

impl FieldRef {
    /// The value's length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the value is empty (`56=␁`).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// Offset of the first byte of the field (its tag) in the message, given the
    /// number of bytes the tag was written with.
    #[inline]
    pub fn value_range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A field with its value borrowed from the message buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field's tag.
    pub tag: Tag,
    /// The raw value bytes (for data fields they may contain SOH).
    pub value: &'a [u8],
}
