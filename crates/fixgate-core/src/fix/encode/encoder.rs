//! The encoder: a message written straight into a caller's buffer.

use super::digits::{price_digits, u64_digits, TimePrecision, TimestampCache};
use crate::fix::checksum::{checksum, checksum_digits};
use crate::fix::frame::{MAX_BEGIN_STRING_LEN, SOH, TRAILER_LEN};
use crate::fix::msg_type::MsgType;
use crate::fix::tag::Tag;
use crate::time::UtcNanos;
use crate::types::Price;

/// Bytes reserved at the front of the buffer for `8=<BeginString>␁9=<len>␁`,
/// which is written last, right in front of the body (so never zero-padded).
pub const HEADER_RESERVE: usize = 2 + MAX_BEGIN_STRING_LEN + 1 + 2 + 10 + 1;

/// Why a message could not be encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The buffer is too small for the message.
    #[error("buffer of {have} bytes is too small")]
    BufferTooSmall {
        /// The buffer's size.
        have: usize,
    },
    /// A value written as a plain field contains SOH (use a data field).
    #[error("value of tag {tag} contains SOH")]
    SohInValue {
        /// The field's tag.
        tag: Tag,
    },
    /// The null price has no FIX form.
    #[error("tag {tag}: the null price cannot be encoded")]
    NullPrice {
        /// The field's tag.
        tag: Tag,
    },
    /// BeginString is empty, longer than 16 bytes, or holds SOH.
    #[error("BeginString must be 1 to 16 bytes without SOH")]
    BadBeginString,
    /// A tag of more than nine digits, which no FIX parser reads back.
    #[error("tag {tag} has more than nine digits")]
    BadTag {
        /// The tag.
        tag: Tag,
    },
}

/// Writes one message into a caller-owned buffer.
///
/// Call order: [`Encoder::new`] (writes MsgType), then the header and body fields
/// in the order they go on the wire, then [`Encoder::finish`], which writes
/// BeginString and BodyLength in front of the body and appends CheckSum. The
/// first error is kept and returned by `finish`; writes after it are ignored, so
/// field calls need no `?`. Nothing allocates.
///
/// ```
/// use fixgate_core::fix::encode::Encoder;
/// use fixgate_core::fix::{MsgType, Tag};
/// let mut buf = [0u8; 256];
/// let mut e = Encoder::new(&mut buf, b"FIX.4.4", MsgType::HEARTBEAT);
/// e.uint(Tag::MSG_SEQ_NUM, 2);
/// e.str(Tag::SENDER_COMP_ID, b"A");
/// e.str(Tag::TARGET_COMP_ID, b"B");
/// let msg = e.finish().unwrap();
/// assert!(msg.starts_with(b"8=FIX.4.4\x019=20\x0135=0\x01"));
/// ```
#[derive(Debug)]
pub struct Encoder<'b> {
    buf: &'b mut [u8],
    pos: usize,
    begin: [u8; MAX_BEGIN_STRING_LEN],
    begin_len: usize,
    error: Option<EncodeError>,
}

impl<'b> Encoder<'b> {
    /// Starts a message of `msg_type` with `begin_string` (`FIX.4.4`, `FIXT.1.1`).
    pub fn new(buf: &'b mut [u8], begin_string: &[u8], msg_type: MsgType) -> Self {
        let mut e = Encoder {
            buf,
            pos: HEADER_RESERVE,
            begin: [0; MAX_BEGIN_STRING_LEN],
            begin_len: 0,
            error: None,
        };
        if begin_string.is_empty()
            || begin_string.len() > MAX_BEGIN_STRING_LEN
            || begin_string.contains(&SOH)
        {
            e.error = Some(EncodeError::BadBeginString);
        } else {
            e.begin[..begin_string.len()].copy_from_slice(begin_string);
            e.begin_len = begin_string.len();
        }
        if e.buf.len() < HEADER_RESERVE {
            e.fail(EncodeError::BufferTooSmall { have: e.buf.len() });
            e.pos = 0;
        }
        e.field(Tag::MSG_TYPE, msg_type.as_bytes());
        e
    }

    #[inline]
    fn fail(&mut self, e: EncodeError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    /// Appends bytes that are already whole fields (`49=A␁56=B␁`).
    #[inline]
    pub fn raw(&mut self, bytes: &[u8]) {
        match self.buf.get_mut(self.pos..self.pos + bytes.len()) {
            Some(dst) if self.error.is_none() => {
                dst.copy_from_slice(bytes);
                self.pos += bytes.len();
            }
            Some(_) => {}
            None => {
                let have = self.buf.len();
                self.fail(EncodeError::BufferTooSmall { have });
            }
        }
    }

    #[inline]
    fn tag(&mut self, tag: Tag) {
        // A tag read from the wire as negative is written back as it came.
        let wire = tag.wire_value();
        if wire.unsigned_abs() > 999_999_999 {
            self.fail(EncodeError::BadTag { tag });
            return;
        }
        let mut d = [0u8; 22];
        let mut n = 0;
        if wire < 0 {
            d[0] = b'-';
            n = 1;
        }
        let mut digits = [0u8; 20];
        let s = u64_digits(u64::from(wire.unsigned_abs()), &mut digits);
        d[n..n + 20 - s].copy_from_slice(&digits[s..]);
        n += 20 - s;
        d[n] = b'=';
        self.raw(&d[..n + 1]);
    }

    #[inline]
    fn value(&mut self, v: &[u8]) {
        self.raw(v);
        self.raw(&[SOH]);
    }

    /// A field with raw value bytes, which must not contain SOH.
    #[inline]
    pub fn field(&mut self, tag: Tag, value: &[u8]) {
        if memchr::memchr(SOH, value).is_some() {
            self.fail(EncodeError::SohInValue { tag });
            return;
        }
        self.tag(tag);
        self.value(value);
    }

    /// A field copied as is, SOH in the value included (re-encoding a data field
    /// read from a message).
    #[inline]
    pub fn raw_field(&mut self, tag: Tag, value: &[u8]) {
        self.tag(tag);
        self.value(value);
    }

    /// A string field (same as [`Encoder::field`]).
    #[inline]
    pub fn str(&mut self, tag: Tag, value: &[u8]) {
        self.field(tag, value);
    }

    /// An unsigned integer field.
    #[inline]
    pub fn uint(&mut self, tag: Tag, v: u64) {
        let mut d = [0u8; 20];
        let s = u64_digits(v, &mut d);
        self.tag(tag);
        self.value(&d[s..]);
    }

    /// A signed integer field.
    #[inline]
    pub fn int(&mut self, tag: Tag, v: i64) {
        let mut d = [0u8; 21];
        let mut digits = [0u8; 20];
        let s = u64_digits(v.unsigned_abs(), &mut digits);
        let mut n = 0;
        if v < 0 {
            d[0] = b'-';
            n = 1;
        }
        d[n..n + 20 - s].copy_from_slice(&digits[s..]);
        n += 20 - s;
        self.tag(tag);
        self.value(&d[..n]);
    }

    /// A decimal field (Price, Qty, ...) with trailing zeros trimmed.
    #[inline]
    pub fn price(&mut self, tag: Tag, p: Price) {
        if p.is_null() {
            self.fail(EncodeError::NullPrice { tag });
            return;
        }
        let mut d = [0u8; 32];
        let n = price_digits(p, &mut d);
        self.tag(tag);
        self.value(&d[..n]);
    }

    /// A char field.
    #[inline]
    pub fn char(&mut self, tag: Tag, c: u8) {
        self.field(tag, &[c]);
    }

    /// A Boolean field (`Y`/`N`).
    #[inline]
    pub fn bool(&mut self, tag: Tag, b: bool) {
        self.field(tag, if b { b"Y" } else { b"N" });
    }

    /// A UTCTimestamp field; `cache` keeps the rendered second between calls.
    #[inline]
    pub fn timestamp(
        &mut self,
        tag: Tag,
        t: UtcNanos,
        precision: TimePrecision,
        cache: &mut TimestampCache,
    ) {
        let mut d = [0u8; 27];
        let n = cache.render(t, precision, &mut d);
        self.tag(tag);
        self.value(&d[..n]);
    }

    /// A length field and its data field (`95=5␁96=a␁b=c␁`); the data may hold SOH.
    #[inline]
    pub fn data(&mut self, length_tag: Tag, data_tag: Tag, data: &[u8]) {
        self.uint(length_tag, data.len() as u64);
        self.tag(data_tag);
        self.value(data);
    }

    /// Bytes of body written so far (BodyLength if finished now).
    pub fn body_len(&self) -> usize {
        self.pos.saturating_sub(HEADER_RESERVE)
    }

    /// Writes BeginString and BodyLength in front of the body, appends CheckSum,
    /// and returns the whole message (a sub-slice of the buffer).
    ///
    /// # Errors
    /// The first [`EncodeError`] met while writing.
    pub fn finish(mut self) -> Result<&'b [u8], EncodeError> {
        let trailer_at = self.pos;
        self.raw(b"10=000\x01");
        if let Some(e) = self.error {
            return Err(e);
        }
        let body_len = trailer_at - HEADER_RESERVE;
        let mut digits = [0u8; 20];
        let s = u64_digits(body_len as u64, &mut digits);
        let len_digits = &digits[s..];
        let prefix_len = 2 + self.begin_len + 1 + 2 + len_digits.len() + 1;
        let start = HEADER_RESERVE - prefix_len;
        let mut at = start;
        for part in [
            &b"8="[..],
            &self.begin[..self.begin_len],
            &[SOH],
            b"9=",
            len_digits,
            &[SOH],
        ] {
            self.buf[at..at + part.len()].copy_from_slice(part);
            at += part.len();
        }
        let sum = checksum_digits(checksum(&self.buf[start..trailer_at]));
        self.buf[trailer_at + 3..trailer_at + 6].copy_from_slice(&sum);
        let Encoder { buf, .. } = self;
        Ok(&buf[start..trailer_at + TRAILER_LEN])
    }
}
