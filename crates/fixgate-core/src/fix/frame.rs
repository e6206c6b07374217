//! Stateless framing of one message at the start of a byte slice.
//!
//! A FIX message on the wire is `8=<BeginString>␁9=<BodyLength>␁35=<MsgType>␁ ...
//! 10=<CheckSum>␁`, where BodyLength counts the bytes from just after the `9=`
//! field's SOH up to and including the SOH before `10=`, and CheckSum is the byte
//! sum modulo 256 of everything before `10=`. [`check_frame`] checks exactly that,
//! reading no further than the declared length, and never panics.

use super::checksum::{checksum, parse_checksum_digits};

/// The FIX field delimiter, SOH.
pub const SOH: u8 = 0x01;

/// The longest BeginString accepted (`FIXT.1.1` is 8 bytes); bounds the scan for
/// its terminating SOH.
pub const MAX_BEGIN_STRING_LEN: usize = 16;
/// BodyLength digits accepted (up to 999,999,999 bytes; the configured maximum
/// message length applies on top).
const MAX_BODY_LENGTH_DIGITS: usize = 9;
/// Length of the trailer `10=NNN␁`.
pub const TRAILER_LEN: usize = 7;

/// Why the bytes at a frame start are not a valid message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// The frame does not start with `8=` and a BeginString of at most 16 bytes.
    #[error("message does not start with a BeginString (8=) field")]
    BadBeginString,
    /// BeginString is not followed by BodyLength (9).
    #[error("BeginString is not followed by BodyLength (9)")]
    MissingBodyLength,
    /// BodyLength is not 1 to 9 ASCII digits.
    #[error("BodyLength (9) is not a number")]
    BadBodyLength,
    /// The declared message is longer than the configured maximum.
    #[error("declared message length {declared} exceeds the maximum {max}")]
    TooLong {
        /// Total message length implied by BodyLength.
        declared: usize,
        /// The configured maximum.
        max: usize,
    },
    /// The body does not start with MsgType (35).
    #[error("MsgType (35) is not the third field")]
    MissingMsgType,
    /// No `␁10=` where BodyLength says the body ends.
    #[error("no CheckSum (10) field where BodyLength {declared} ends the body")]
    BodyLengthMismatch {
        /// The BodyLength on the wire.
        declared: usize,
    },
    /// The CheckSum value is not three digits followed by SOH.
    #[error("CheckSum (10) is not three digits followed by SOH")]
    BadChecksumField,
    /// The CheckSum on the wire differs from the computed one.
    #[error("CheckSum {actual:03} on the wire, {expected:03} computed")]
    BadChecksum {
        /// The checksum of the received bytes.
        expected: u8,
        /// The checksum written in the message (three digits, so up to 999).
        actual: u16,
    },
}

impl FrameError {
    /// A short stable name for logs and JSON output (`"BadChecksum"`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            FrameError::BadBeginString => "BadBeginString",
            FrameError::MissingBodyLength => "MissingBodyLength",
            FrameError::BadBodyLength => "BadBodyLength",
            FrameError::TooLong { .. } => "TooLong",
            FrameError::MissingMsgType => "MissingMsgType",
            FrameError::BodyLengthMismatch { .. } => "BodyLengthMismatch",
            FrameError::BadChecksumField => "BadChecksumField",
            FrameError::BadChecksum { .. } => "BadChecksum",
        }
    }
}

/// Where the parts of a complete frame lie.
///
/// Only [`check_frame`] makes one (`non_exhaustive`), so a layout always
/// describes bytes that passed the frame check, which
/// [`index_frame_fields`](super::index_frame_fields) relies on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FrameLayout {
    /// Total length of the message, trailer included.
    pub len: usize,
    /// Offset of the `9` of `9=` (the BeginString value ends just before its
    /// SOH), so that an indexer can take 8 and 9 from here instead of scanning
    /// them again.
    pub body_length_at: usize,
    /// Offset of the first body byte (the `3` of `35=`).
    pub body_start: usize,
    /// Offset of the `1` of `10=`.
    pub trailer_start: usize,
}

/// The outcome of checking the bytes at a frame start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameStatus {
    /// A whole, valid message.
    Complete(FrameLayout),
    /// Valid so far; more bytes are needed (`need` is the total length once known).
    Incomplete {
        /// The total frame length, once BodyLength has been read.
        need: Option<usize>,
    },
    /// Not a valid message.
    Invalid(FrameError),
}

/// Checks the message that starts at `buf[0]`, accepting at most `max_len` bytes.
///
/// Verifies the order of 8, 9 and 35, that the body ends with SOH exactly where
/// BodyLength says, the trailer's form, and the checksum.
#[inline]
pub fn check_frame(buf: &[u8], max_len: usize) -> FrameStatus {
    match complete_frame(buf, max_len) {
        Some(layout) => FrameStatus::Complete(layout),
        None => check_frame_general(buf, max_len),
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;
const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// The eight bytes at `at`, little-endian, if `buf` has them.
#[inline(always)]
fn le_u64(buf: &[u8], at: usize) -> Option<u64> {
    let b: [u8; 8] = buf.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(b))
}

/// The index of the first SOH byte of `w` (little-endian bytes), 8 if none.
///
/// The classic zero-byte test on `w ^ SOH…`: its lowest hit is exact.
#[inline(always)]
fn first_soh(w: u64) -> usize {
    let x = w ^ ONES;
    (((x.wrapping_sub(ONES) & !x & HIGHS).trailing_zeros()) / 8) as usize
}

/// The value of the `n` (1 to 8) ASCII digits in the low bytes of `w` (the
/// first digit in the lowest byte), or `None` if one of them is not a digit.
///
/// SWAR, without a branch per digit: the digits are shifted to the top of the
/// word (the zero bytes shifted in act as leading zeros) and checked at once
/// (adding 0x76 to a byte's low seven bits sets its high bit exactly when they
/// exceed 9), then adjacent digits, pairs and quads are joined with three
/// multiply-adds.
#[inline(always)]
fn swar_digits(w: u64, n: usize) -> Option<u64> {
    let t = (w ^ 0x3030_3030_3030_3030) << ((64 - 8 * n as u32) & 63);
    if (((t & LOWS) + 0x7676_7676_7676_7676) | t) & HIGHS != 0 {
        return None;
    }
    let t = t.wrapping_mul(10).wrapping_add(t >> 8) & 0x00FF_00FF_00FF_00FF;
    let t = t.wrapping_mul(100).wrapping_add(t >> 16) & 0x0000_FFFF_0000_FFFF;
    Some(t.wrapping_mul(10_000).wrapping_add(t >> 32) & 0xFFFF_FFFF)
}

/// The layout of `buf`'s frame if it is complete and valid, reading each part
/// with a few word loads; `None` for anything else, including valid but unusual
/// frames (a BeginString over 15 bytes, a BodyLength over 7 digits), which
/// [`check_frame_general`] then decides. Whenever this gives a layout, that one
/// gives the same.
#[inline(always)]
fn complete_frame(buf: &[u8], max_len: usize) -> Option<FrameLayout> {
    // 8=<BeginString>␁ with the SOH among bytes 2..18.
    let head = le_u64(buf, 0)?;
    if head & 0xFFFF != u64::from(u16::from_le_bytes(*b"8=")) {
        return None;
    }
    let (a, b) = (le_u64(buf, 2)?, le_u64(buf, 10)?);
    let p = match first_soh(a) {
        8 => 8 + first_soh(b),
        p => p,
    };
    if p == 0 || p == 16 {
        return None;
    }
    let bs_end = 2 + p;
    // 9=<BodyLength>␁ with 1 to 7 digits.
    let w = le_u64(buf, bs_end + 1)?;
    if w & 0xFFFF != u64::from(u16::from_le_bytes(*b"9=")) {
        return None;
    }
    let digits = le_u64(buf, bs_end + 3)?;
    let n = first_soh(digits);
    if n == 0 || n == 8 {
        return None;
    }
    let declared = swar_digits(digits, n)? as usize;
    let body_start = bs_end + 3 + n + 1;
    let trailer_start = body_start + declared;
    let len = trailer_start + TRAILER_LEN;
    if declared < 5 || len > max_len || len > buf.len() {
        return None;
    }
    // 35= first in the body (declared >= 5, so these bytes are in the frame).
    if le_u64(buf, body_start)? & 0xFF_FFFF != u64::from(u32::from_le_bytes(*b"35=\0")) {
        return None;
    }
    // ␁10=NNN␁: the eight bytes that end the frame, in one load.
    let trailer = le_u64(buf, trailer_start - 1)?;
    if trailer & 0xFF00_0000_FFFF_FFFF != u64::from_le_bytes(*b"\x0110=\0\0\0\x01") {
        return None;
    }
    let actual = swar_digits(trailer >> 32, 3)? as u16;
    if u16::from(checksum(&buf[..trailer_start])) != actual {
        return None;
    }
    Some(FrameLayout {
        len,
        body_length_at: bs_end + 1,
        body_start,
        trailer_start,
    })
}

/// [`check_frame`] for any input, byte by byte: every error and every
/// incomplete prefix; the reference for [`complete_frame`].
#[cold]
#[inline(never)]
fn check_frame_general(buf: &[u8], max_len: usize) -> FrameStatus {
    let incomplete = FrameStatus::Incomplete { need: None };
    // 8=<BeginString>␁
    if buf.len() < 2 {
        return if b"8=".starts_with(buf) {
            incomplete
        } else {
            FrameStatus::Invalid(FrameError::BadBeginString)
        };
    }
    if &buf[..2] != b"8=" {
        return FrameStatus::Invalid(FrameError::BadBeginString);
    }
    let scan = &buf[2..buf.len().min(2 + MAX_BEGIN_STRING_LEN + 1)];
    let bs_end = match scan.iter().position(|&b| b == SOH) {
        Some(0) => return FrameStatus::Invalid(FrameError::BadBeginString),
        Some(p) => 2 + p,
        None if scan.len() <= MAX_BEGIN_STRING_LEN => return incomplete,
        None => return FrameStatus::Invalid(FrameError::BadBeginString),
    };
    // 9=<BodyLength>␁
    let mut pos = bs_end + 1;
    match buf.get(pos..pos + 2) {
        None => {
            return if b"9=".starts_with(&buf[pos..]) {
                incomplete
            } else {
                FrameStatus::Invalid(FrameError::MissingBodyLength)
            }
        }
        Some(b"9=") => {}
        Some(_) => return FrameStatus::Invalid(FrameError::MissingBodyLength),
    }
    pos += 2;
    let mut declared: usize = 0;
    let digits_start = pos;
    loop {
        let Some(&b) = buf.get(pos) else {
            return incomplete;
        };
        if b == SOH {
            break;
        }
        if !b.is_ascii_digit() || pos - digits_start == MAX_BODY_LENGTH_DIGITS {
            return FrameStatus::Invalid(FrameError::BadBodyLength);
        }
        declared = declared * 10 + (b - b'0') as usize;
        pos += 1;
    }
    if pos == digits_start {
        return FrameStatus::Invalid(FrameError::BadBodyLength);
    }
    let body_start = pos + 1;
    let trailer_start = body_start + declared;
    let len = trailer_start + TRAILER_LEN;
    if len > max_len {
        return FrameStatus::Invalid(FrameError::TooLong {
            declared: len,
            max: max_len,
        });
    }
    // 35= first in the body
    let have = buf.len().min(body_start + 3);
    if have > body_start && !b"35=".starts_with(&buf[body_start..have]) {
        return FrameStatus::Invalid(FrameError::MissingMsgType);
    }
    if buf.len() < len {
        return FrameStatus::Incomplete { need: Some(len) };
    }
    if declared < 5
        || buf[trailer_start - 1] != SOH
        || &buf[trailer_start..trailer_start + 3] != b"10="
    {
        return FrameStatus::Invalid(FrameError::BodyLengthMismatch { declared });
    }
    if buf[len - 1] != SOH {
        return FrameStatus::Invalid(FrameError::BadChecksumField);
    }
    let Some(actual) = parse_checksum_digits(&buf[trailer_start + 3..len - 1]) else {
        return FrameStatus::Invalid(FrameError::BadChecksumField);
    };
    let expected = checksum(&buf[..trailer_start]);
    if expected as u16 != actual {
        return FrameStatus::Invalid(FrameError::BadChecksum { expected, actual });
    }
    FrameStatus::Complete(FrameLayout {
        len,
        body_length_at: bs_end + 1,
        body_start,
        trailer_start,
    })
}

/// The readable start of a frame: where the body starts and its MsgType.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameHeader {
    /// Offset just after the BodyLength field's SOH.
    pub body_start: usize,
    /// MsgType, when the body starts with `35=<type>␁`.
    pub msg_type: Option<crate::fix::MsgType>,
}

/// Reads `8=…␁9=…␁35=…␁` at the start of `buf` without checking the rest.
pub fn peek_header(buf: &[u8]) -> Option<FrameHeader> {
    let rest = buf.strip_prefix(b"8=")?;
    let bs_end = 2 + rest
        .iter()
        .take(MAX_BEGIN_STRING_LEN + 1)
        .position(|&b| b == SOH)?;
    let after = buf.get(bs_end + 1..)?.strip_prefix(b"9=")?;
    let digits = after
        .iter()
        .take(MAX_BODY_LENGTH_DIGITS + 1)
        .position(|&b| b == SOH)?;
    if digits == 0 || !after[..digits].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let body_start = bs_end + 1 + 2 + digits + 1;
    let msg_type = buf
        .get(body_start..)
        .and_then(|b| b.strip_prefix(b"35="))
        .and_then(|t| {
            let end = t.iter().take(5).position(|&b| b == SOH)?;
            crate::fix::MsgType::from_bytes(&t[..end])
        });
    Some(FrameHeader {
        body_start,
        msg_type,
    })
}

/// Where the next message may start after a bad frame at `buf[0]`: the next
/// `8=FIX` at or after `from` that does not follow a digit (so `58=FIX...` in a
/// Text field is not taken for a message start).
pub fn find_resync(buf: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while at < buf.len() {
        let p = at + memchr::memmem::find(&buf[at..], b"8=FIX")?;
        if p == 0 || !buf[p - 1].is_ascii_digit() {
            return Some(p);
        }
        at = p + 1;
    }
    None
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::fix::checksum::checksum_digits;

    /// Builds a well-formed message from `8=..␁` and body fields, `|` for SOH.
    pub(crate) fn msg(begin: &str, body: &str) -> Vec<u8> {
        let body = body.replace('|', "\x01");
        let mut m = format!("8={begin}\x019={}\x01{body}", body.len()).into_bytes();
        let sum = checksum_digits(checksum(&m));
        m.extend_from_slice(b"10=");
        m.extend_from_slice(&sum);
        m.push(SOH);
        m
    }

    #[test]
    fn accepts_a_valid_message_and_every_prefix_is_incomplete() {
        let m = msg("FIX.4.4", "35=0|34=2|49=A|56=B|52=20260101-00:00:00.000|");
        let FrameStatus::Complete(l) = check_frame(&m, 4096) else {
            panic!()
        };
        assert_eq!(l.len, m.len());
        assert_eq!(&m[l.body_start..l.body_start + 3], b"35=");
        assert_eq!(&m[l.trailer_start..l.trailer_start + 3], b"10=");
        for cut in 0..m.len() {
            assert!(
                matches!(check_frame(&m[..cut], 4096), FrameStatus::Incomplete { .. }),
                "prefix {cut}"
            );
        }
    }

    #[test]
    fn each_malformation_has_its_error() {
        let good = msg("FIX.4.4", "35=0|34=2|");
        let s = |v: &[u8]| check_frame(v, 4096);
        assert_eq!(
            s(b"9=5\x01"),
            FrameStatus::Invalid(FrameError::BadBeginString)
        );
        assert_eq!(
            s(b"8=\x01"),
            FrameStatus::Invalid(FrameError::BadBeginString)
        );
        assert_eq!(
            s(b"8=FIX.4.4\x0135=0\x01"),
            FrameStatus::Invalid(FrameError::MissingBodyLength)
        );
        assert_eq!(
            s(b"8=FIX.4.4\x019=1x\x01"),
            FrameStatus::Invalid(FrameError::BadBodyLength)
        );
        assert_eq!(
            s(b"8=FIX.4.4\x019=\x01"),
            FrameStatus::Invalid(FrameError::BadBodyLength)
        );
        assert_eq!(
            s(b"8=FIX.4.4\x019=5\x0134=1\x01"),
            FrameStatus::Invalid(FrameError::MissingMsgType)
        );
        assert_eq!(
            check_frame(&good, 20),
            FrameStatus::Invalid(FrameError::TooLong {
                declared: good.len(),
                max: 20
            })
        );
        let mut bad_sum = good.clone();
        let n = bad_sum.len();
        bad_sum[n - 2] = if bad_sum[n - 2] == b'9' {
            b'0'
        } else {
            bad_sum[n - 2] + 1
        };
        assert!(matches!(
            s(&bad_sum),
            FrameStatus::Invalid(FrameError::BadChecksum { .. })
        ));
        let mut short = b"8=FIX.4.4\x019=9\x0135=0|34=2|10=000\x01".to_vec();
        short
            .iter_mut()
            .filter(|b| **b == b'|')
            .for_each(|b| *b = SOH);
        assert_eq!(
            s(&short),
            FrameStatus::Invalid(FrameError::BodyLengthMismatch { declared: 9 })
        );
        let mut bad_trailer = good.clone();
        bad_trailer[n - 1] = b'x';
        assert_eq!(
            s(&bad_trailer),
            FrameStatus::Invalid(FrameError::BadChecksumField)
        );
    }

    #[test]
    fn the_word_at_a_time_path_agrees_with_the_general_one() {
        let mut cases = vec![
            msg("FIX.4.4", "35=0|34=2|49=A|56=B|52=20260101-00:00:00.000|"),
            msg("FIXT.1.1", "35=W|55=X|"),
            msg("FIX.4.2.EXTRA.LO", "35=0|"),
            msg("FIX.4.2.EXTRA.LON", "35=0|"),
            msg("F", &"35=0|58=xxxxxxxxx|".repeat(600)),
            msg("F", &"35=0|58=xxxxxxxxx|".repeat(60_000)),
        ];
        let base = cases[0].clone();
        for i in 0..base.len() {
            for b in [0u8, 1, b'0', b'9', b'=', b'a', 0xFF] {
                let mut m = base.clone();
                m[i] = b;
                cases.push(m);
            }
        }
        for m in &cases {
            for cut in [m.len(), m.len().saturating_sub(1), 20, 8] {
                let m = &m[..cut.min(m.len())];
                for max_len in [4096, 64, 1 << 30] {
                    assert_eq!(
                        check_frame(m, max_len),
                        check_frame_general(m, max_len),
                        "{:?}",
                        String::from_utf8_lossy(m)
                    );
                }
            }
        }
    }

    #[test]
    fn resync_skips_tag_58_and_finds_the_next_message() {
        let buf = b"junk58=FIX rules\x018=FIX.4.4\x01";
        assert_eq!(find_resync(buf, 0), Some(17));
        assert_eq!(find_resync(b"8=FIX", 0), Some(0));
        assert_eq!(find_resync(b"8=FIX", 1), None);
    }
}
