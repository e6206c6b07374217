//! `Message<'a>`: a zero-copy view of one FIX message and its field index.
//!
//! ```
//! use fixgate_core::fix::{FieldIndex, Tag};
//! let bytes = b"8=FIX.4.4\x019=20\x0135=0\x0134=7\x0149=A\x0156=B\x0110=131\x01";
//! let mut index = FieldIndex::<64>::new();
//! let msg = index.index(bytes).unwrap();
//! assert_eq!(msg.msg_type().unwrap().as_bytes(), b"0");
//! assert_eq!(msg.uint(Tag::MSG_SEQ_NUM), Ok(7));
//! ```

use super::data_tags::DataTags;
use super::field::{Field, FieldRef};
use super::frame::FrameLayout;
use super::index::{index_fields, index_frame_fields, IndexError};
use super::msg_type::MsgType;
use super::tag::Tag;
use super::value::{self, ValueError};
use crate::time::UtcNanos;
use crate::types::Price;

/// Why a typed accessor has no value to give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// The tag is not in the message.
    #[error("tag {tag} missing")]
    Missing {
        /// The tag asked for.
        tag: Tag,
    },
    /// The value does not parse as the requested type.
    #[error("tag {tag}: {error}")]
    Value {
        /// The tag asked for.
        tag: Tag,
        /// What is wrong with its value.
        error: ValueError,
    },
}

/// A FIX message borrowed from the receive buffer, with every field indexed.
///
/// Built by [`FieldIndex::index`] (or [`Message::from_parts`] with a caller's
/// larger index). Header accessors assume the framer's guarantees (8, 9, 35
/// first); they return `None`/errors rather than panic when the bytes were not
/// framed.
#[derive(Clone, Copy, Debug)]
pub struct Message<'a> {
    bytes: &'a [u8],
    fields: &'a [FieldRef],
}

impl<'a> Message<'a> {
    /// Indexes `bytes` into a caller-supplied index of any size (for SecurityList,
    /// deep snapshots, MassQuote): fails only past `index.len()` fields.
    ///
    /// # Errors
    /// [`IndexError`].
    pub fn from_parts(
        bytes: &'a [u8],
        data_tags: &DataTags,
        index: &'a mut [FieldRef],
    ) -> Result<Self, IndexError> {
        let n = index_fields(bytes, data_tags, index)?;
        Ok(Message {
            bytes,
            fields: &index[..n],
        })
    }

    /// The whole message.
    #[inline]
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The indexed fields in wire order.
    #[inline]
    pub fn field_refs(&self) -> &'a [FieldRef] {
        self.fields
    }

    /// Number of fields, 8, 9 and 10 included.
    #[inline]
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there are no fields.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The `i`-th field in wire order.
    #[inline]
    pub fn field(&self, i: usize) -> Option<Field<'a>> {
        self.fields.get(i).map(|f| self.resolve(f))
    }

    #[inline]
    fn resolve(&self, f: &FieldRef) -> Field<'a> {
        Field {
            tag: f.tag,
            value: self.bytes.get(f.value_range()).unwrap_or_default(),
        }
    }

    /// The value bytes of a field reference of this message.
    #[inline]
    pub fn value_of(&self, f: &FieldRef) -> &'a [u8] {
        self.bytes.get(f.value_range()).unwrap_or_default()
    }

    /// All fields in wire order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Field<'a>> + '_ {
        self.fields.iter().map(|f| self.resolve(f))
    }

    /// Position of the first field with `tag`.
    #[inline]
    pub fn position(&self, tag: Tag) -> Option<usize> {
        self.fields.iter().position(|f| f.tag == tag)
    }

    /// The first field with `tag`.
    #[inline]
    pub fn find(&self, tag: Tag) -> Option<Field<'a>> {
        self.fields
            .iter()
            .find(|f| f.tag == tag)
            .map(|f| self.resolve(f))
    }

    /// The raw value of the first field with `tag`.
    ///
    /// # Errors
    /// [`FieldError::Missing`].
    #[inline]
    pub fn raw(&self, tag: Tag) -> Result<&'a [u8], FieldError> {
        self.find(tag)
            .map(|f| f.value)
            .ok_or(FieldError::Missing { tag })
    }

    #[inline]
    fn typed<T>(
        &self,
        tag: Tag,
        parse: impl FnOnce(&'a [u8]) -> Result<T, ValueError>,
    ) -> Result<T, FieldError> {
        parse(self.raw(tag)?).map_err(|error| FieldError::Value { tag, error })
    }

    /// BeginString (8), when the first field is one.
    #[inline]
    pub fn begin_string(&self) -> Option<&'a [u8]> {
        self.field(0)
            .filter(|f| f.tag == Tag::BEGIN_STRING)
            .map(|f| f.value)
    }

    /// MsgType (35), when the third field is one.
    #[inline]
    pub fn msg_type(&self) -> Option<MsgType> {
        self.field(2)
            .filter(|f| f.tag == Tag::MSG_TYPE)
            .and_then(|f| MsgType::from_bytes(f.value))
    }

    /// MsgSeqNum (34).
    ///
    /// # Errors
    /// [`FieldError`].
    #[inline]
    pub fn seq_num(&self) -> Result<u64, FieldError> {
        self.uint(Tag::MSG_SEQ_NUM)
    }

    /// An unsigned integer field.
    ///
    /// # Errors
    /// [`FieldError`].
    pub fn uint(&self, tag: Tag) -> Result<u64, FieldError> {
        self.typed(tag, value::parse_uint)
    }

    /// A signed integer field.
    ///
    /// # Errors
    /// [`FieldError`].
    pub fn int(&self, tag: Tag) -> Result<i64, FieldError> {
        self.typed(tag, value::parse_int)
    }

    /// A decimal field (Price, Qty, Amt, ...) as an exact [`Price`].
    ///
    /// # Errors
    /// [`FieldError`]; more than nine decimals or overflow are
    /// [`ValueError::TooPrecise`] and [`ValueError::Overflow`].
    pub fn price(&self, tag: Tag) -> Result<Price, FieldError> {
        self.typed(tag, value::parse_price)
    }

    /// A UTCTimestamp field at any precision from seconds to nanoseconds.
    ///
    /// # Errors
    /// [`FieldError`].
    pub fn timestamp(&self, tag: Tag) -> Result<UtcNanos, FieldError> {
        self.typed(tag, value::parse_utc_timestamp)
    }

    /// A char field.
    ///
    /// # Errors
    /// [`FieldError`].
    pub fn char(&self, tag: Tag) -> Result<u8, FieldError> {
        self.typed(tag, value::parse_char)
    }

    /// A Boolean field (`Y`/`N`).
    ///
    /// # Errors
    /// [`FieldError`].
    pub fn bool(&self, tag: Tag) -> Result<bool, FieldError> {
        self.typed(tag, value::parse_bool)
    }

    /// A text field as UTF-8.
    ///
    /// # Errors
    /// [`FieldError`].
    pub fn str(&self, tag: Tag) -> Result<&'a str, FieldError> {
        self.typed(tag, value::parse_str)
    }

    /// A data field's bytes (RawData, XmlData, ...), which may contain SOH.
    ///
    /// # Errors
    /// [`FieldError::Missing`].
    pub fn data(&self, tag: Tag) -> Result<&'a [u8], FieldError> {
        self.raw(tag)
    }
}

/// An inline field index of `N` entries (12 bytes each), reused message after
/// message: the fast path, with no heap.
#[derive(Clone, Debug)]
pub struct FieldIndex<const N: usize = 128> {
    fields: [FieldRef; N],
    data_tags: DataTags,
}

impl<const N: usize> FieldIndex<N> {
    /// An index that knows the standard FIX data fields.
    pub fn new() -> Self {
        Self::with_data_tags(DataTags::standard())
    }

    /// An index with a dictionary's data fields.
    pub fn with_data_tags(data_tags: DataTags) -> Self {
        FieldIndex {
            fields: [FieldRef::default(); N],
            data_tags,
        }
    }

    /// The data fields this index honours.
    pub fn data_tags(&self) -> &DataTags {
        &self.data_tags
    }

    /// Indexes a framed message.
    ///
    /// # Errors
    /// [`IndexError`], [`IndexError::TooManyFields`] past `N` fields.
    #[inline]
    pub fn index<'a>(&'a mut self, bytes: &'a [u8]) -> Result<Message<'a>, IndexError> {
        let n = index_fields(bytes, &self.data_tags, &mut self.fields)?;
        Ok(Message {
            bytes,
            fields: &self.fields[..n],
        })
    }

    /// Indexes a message that passed [`check_frame`](super::check_frame), given
    /// the layout it returned: the same outcome as [`FieldIndex::index`], with
    /// 8, 9 and 10 taken from the layout instead of scanned again (see
    /// [`index_frame_fields`]).
    ///
    /// # Errors
    /// As [`FieldIndex::index`].
    #[inline]
    pub fn index_frame<'a>(
        &'a mut self,
        bytes: &'a [u8],
        layout: &FrameLayout,
    ) -> Result<Message<'a>, IndexError> {
        let n = index_frame_fields(bytes, layout, &self.data_tags, &mut self.fields)?;
        Ok(Message {
            bytes,
            fields: &self.fields[..n],
        })
    }

    /// [`FieldIndex::index_frame`], spilling into `large` as
    /// [`FieldIndex::index_or_spill`] does.
    ///
    /// # Errors
    /// As [`FieldIndex::index_or_spill`].
    #[inline]
    pub fn index_frame_or_spill<'a>(
        &'a mut self,
        bytes: &'a [u8],
        layout: &FrameLayout,
        large: &'a mut [FieldRef],
    ) -> Result<Message<'a>, IndexError> {
        let indexed = index_frame_fields(bytes, layout, &self.data_tags, &mut self.fields);
        self.inline_or_spill(indexed, bytes, large)
    }

    /// Indexes into the inline array, and into `large` when the message has more
    /// than `N` fields; fails only past `large.len()` fields.
    ///
    /// # Errors
    /// [`IndexError`].
    pub fn index_or_spill<'a>(
        &'a mut self,
        bytes: &'a [u8],
        large: &'a mut [FieldRef],
    ) -> Result<Message<'a>, IndexError> {
        let indexed = index_fields(bytes, &self.data_tags, &mut self.fields);
        self.inline_or_spill(indexed, bytes, large)
    }

    /// The message in the inline array after an indexing pass into it, or,
    /// when it had more than `N` fields, indexed again into `large`.
    #[inline(always)]
    fn inline_or_spill<'a>(
        &'a self,
        indexed: Result<usize, IndexError>,
        bytes: &'a [u8],
        large: &'a mut [FieldRef],
    ) -> Result<Message<'a>, IndexError> {
        match indexed {
            Ok(n) => Ok(Message {
                bytes,
                fields: &self.fields[..n],
            }),
            Err(IndexError::TooManyFields { .. }) if large.len() > N => {
                Message::from_parts(bytes, &self.data_tags, large)
            }
            Err(e) => Err(e),
        }
    }
}

impl<const N: usize> Default for FieldIndex<N> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOS: &[u8] = b"8=FIX.4.4\x019=120\x0135=D\x0134=2\x0149=TW44\x0152=20260316-14:30:00.123\x0156=ISLD\x0111=ID\x0121=1\x0138=002000.00\x0140=2\x0144=-12.5\x0154=1\x0155=INTC\x0160=20260316-14:30:00\x01141=Y\x0110=000\x01";

    #[test]
    fn typed_accessors() {
        let mut ix = FieldIndex::<32>::new();
        let m = ix.index(NOS).unwrap();
        assert_eq!(m.begin_string(), Some(&b"FIX.4.4"[..]));
        assert_eq!(m.msg_type(), Some(MsgType::NEW_ORDER_SINGLE));
        assert_eq!(m.seq_num(), Ok(2));
        assert_eq!(m.price(Tag(38)).unwrap().e9(), 2_000_000_000_000);
        assert_eq!(m.price(Tag(44)).unwrap().e9(), -12_500_000_000);
        assert_eq!(m.char(Tag(54)), Ok(b'1'));
        assert_eq!(m.str(Tag(55)), Ok("INTC"));
        assert_eq!(m.bool(Tag(141)), Ok(true));
        assert_eq!(
            m.timestamp(Tag(52)).unwrap().as_nanos() % 1_000_000_000,
            123_000_000
        );
        assert_eq!(m.uint(Tag(999)), Err(FieldError::Missing { tag: Tag(999) }));
        assert_eq!(
            m.uint(Tag(55)),
            Err(FieldError::Value {
                tag: Tag(55),
                error: ValueError::NotANumber
            })
        );
        assert_eq!(m.len(), 17);
    }

    #[test]
    fn spills_into_a_larger_index() {
        let mut ix = FieldIndex::<4>::new();
        let mut large = [FieldRef::default(); 64];
        let m = ix.index_or_spill(NOS, &mut large).unwrap();
        assert_eq!(m.len(), 17);
        let mut ix = FieldIndex::<4>::new();
        let mut small = [FieldRef::default(); 8];
        assert_eq!(
            ix.index_or_spill(NOS, &mut small).unwrap_err(),
            IndexError::TooManyFields { max: 8 }
        );
    }
}
