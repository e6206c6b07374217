//! The field indexer: one pass over a framed message, every field recorded once.
//!
//! The pass reads each tag's digits up to `=`, then finds the value's terminating
//! SOH eight bytes at a time (a SWAR search; values are short, so usually one
//! step). A data field's value is taken by the length in the field before it, so
//! it may contain SOH. Nothing is allocated: spans go into a caller's array.

use super::data_tags::DataTags;
use super::field::FieldRef;
use super::frame::{FrameLayout, SOH};
use super::tag::Tag;

/// Why a framed message could not be indexed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    /// A tag that is not a number (`4garbled9=`), or an empty tag.
    #[error("field at byte {offset} has a tag that is not a number")]
    BadTag {
        /// Offset of the field's first byte.
        offset: u32,
    },
    /// A field without `=`.
    #[error("field at byte {offset} has no '='")]
    MissingEquals {
        /// Offset of the field's first byte.
        offset: u32,
    },
    /// The message does not end with SOH.
    #[error("field at byte {offset} is not terminated by SOH")]
    Unterminated {
        /// Offset of the field's first byte.
        offset: u32,
    },
    /// A data field whose length field is missing, not a number, or runs past the
    /// message or not onto an SOH.
    #[error("data field {tag} at byte {offset} does not match its length field")]
    DataLength {
        /// The data field's tag.
        tag: Tag,
        /// Offset of the field's first byte.
        offset: u32,
    },
    /// More fields than the index can hold.
    #[error("more than {max} fields")]
    TooManyFields {
        /// The index capacity.
        max: u32,
    },
    /// The message is longer than an index offset can express (4 GiB).
    #[error("message too large to index")]
    TooLarge,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Offset of the first SOH at or after `from`, eight bytes per step.
#[inline(always)]
fn find_soh(buf: &[u8], mut from: usize) -> Option<usize> {
    while let Some(chunk) = buf.get(from..from + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let x = w ^ ONES;
        let hit = x.wrapping_sub(ONES) & !x & HIGHS;
        if hit != 0 {
            return Some(from + (hit.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    buf.get(from..)?
        .iter()
        .position(|&b| b == SOH)
        .map(|p| from + p)
}

/// Indexes the fields of `msg` (a whole message, trailer included) into `out`;
/// returns how many there are.
///
/// Tags are parsed as QuickFIX does: an optional `-` and digits (a negative tag
/// decodes, and is rejected later by validation with its number).
///
/// # Errors
/// See [`IndexError`]; nothing in `out` beyond the returned count is meaningful.
#[inline]
pub fn index_fields(
    msg: &[u8],
    data_tags: &DataTags,
    out: &mut [FieldRef],
) -> Result<usize, IndexError> {
    if msg.len() > u32::MAX as usize {
        return Err(IndexError::TooLarge);
    }
    super::index_fast::index_fields_fast(msg, data_tags, out)
}

/// Indexes a message that [`check_frame`] accepted, given the layout it gave:
/// the same fields as [`index_fields`] gives for `msg`, found with less work.
///
/// The frame check has already read and verified BeginString (8), BodyLength
/// (9) and the CheckSum field (10), so their spans are taken from `layout` and
/// only the body is scanned. Should the body not index cleanly on its own (a
/// data field whose length runs into the trailer, too few slots, anything the
/// fast indexer hands over), the whole message is indexed by [`index_fields`],
/// so the outcome, error or fields, is always exactly its outcome.
///
/// `layout` must be what [`check_frame`] returned for these very bytes (only it
/// can make a [`FrameLayout`]); with the layout of other bytes the fields are
/// unspecified, though nothing panics.
///
/// # Errors
/// As [`index_fields`].
///
/// [`check_frame`]: super::check_frame
#[inline]
pub fn index_frame_fields(
    msg: &[u8],
    layout: &FrameLayout,
    data_tags: &DataTags,
    out: &mut [FieldRef],
) -> Result<usize, IndexError> {
    match index_body(msg, layout, data_tags, out) {
        Some(n) => Ok(n),
        None => index_fields(msg, data_tags, out),
    }
}

/// The body-only pass of [`index_frame_fields`]; `None` to fall back.
#[inline(always)]
fn index_body(
    msg: &[u8],
    layout: &FrameLayout,
    data_tags: &DataTags,
    out: &mut [FieldRef],
) -> Option<usize> {
    let FrameLayout {
        len,
        body_length_at,
        body_start,
        trailer_start,
    } = *layout;
    // `8=` value SOH `9=` value SOH, the body, `10=` three digits SOH.
    let shaped = len == msg.len()
        && len <= u32::MAX as usize
        && body_length_at >= 4
        && body_start >= body_length_at + 4
        && trailer_start > body_start
        && len == trailer_start + 7;
    if !shaped || out.len() < 3 {
        return None;
    }
    let span = |tag: u32, start: usize, end: usize| FieldRef {
        tag: Tag(tag),
        start: start as u32,
        end: end as u32,
    };
    out[0] = span(8, 2, body_length_at - 1);
    out[1] = span(9, body_length_at + 2, body_start - 1);
    let body = msg.get(..trailer_start)?;
    // Its scalar fallback starts again at 0 and so finds 8 and 9 itself.
    let n = super::index_fast::index_fields_fast_from(body, data_tags, out, 2, body_start).ok()?;
    *out.get_mut(n)? = span(10, trailer_start + 3, len - 1);
    Some(n + 1)
}

/// The byte-at-a-time indexer: the reference that the fast indexer is tested
/// against, and its fallback for unusual tags.
pub(crate) fn index_fields_scalar(
    msg: &[u8],
    data_tags: &DataTags,
    out: &mut [FieldRef],
) -> Result<usize, IndexError> {
    if msg.len() > u32::MAX as usize {
        return Err(IndexError::TooLarge);
    }
    let mut pos = 0usize;
    let mut n = 0usize;
    while pos < msg.len() {
        let field_start = pos;
        let offset = pos as u32;
        // Tag: optional '-' then digits up to '='.
        let neg = msg[pos] == b'-';
        pos += neg as usize;
        let digits_start = pos;
        let mut tag: u32 = 0;
        loop {
            let Some(&b) = msg.get(pos) else {
                return Err(IndexError::MissingEquals { offset });
            };
            let d = b.wrapping_sub(b'0');
            if d <= 9 {
                if pos - digits_start >= 9 {
                    return Err(IndexError::BadTag { offset });
                }
                tag = tag * 10 + d as u32;
                pos += 1;
            } else if b == b'=' {
                break;
            } else if b == SOH {
                return Err(IndexError::MissingEquals { offset });
            } else {
                return Err(IndexError::BadTag { offset });
            }
        }
        if pos == digits_start {
            return Err(IndexError::BadTag { offset });
        }
        let tag = if neg {
            Tag::from_wire(-(tag as i32))
        } else {
            Tag(tag)
        };
        let value_start = pos + 1;
        let value_end = if data_tags.contains(tag) {
            data_value_end(msg, out, n, tag, value_start)
                .ok_or(IndexError::DataLength { tag, offset })?
        } else {
            find_soh(msg, value_start).ok_or(IndexError::Unterminated { offset })?
        };
        let Some(slot) = out.get_mut(n) else {
            return Err(IndexError::TooManyFields {
                max: out.len() as u32,
            });
        };
        *slot = FieldRef {
            tag,
            start: value_start as u32,
            end: value_end as u32,
        };
        n += 1;
        pos = value_end + 1;
        debug_assert!(pos > field_start);
    }
    Ok(n)
}

/// The end of a data field's value: the length field must be the field just
/// before it, and the value must end on an SOH.
#[inline(never)]
pub(crate) fn data_value_end(
    msg: &[u8],
    out: &[FieldRef],
    n: usize,
    tag: Tag,
    value_start: usize,
) -> Option<usize> {
    let prev = out.get(n.checked_sub(1)?)?;
    if prev.tag != DataTags::length_tag(tag) {
        return None;
    }
    let len = super::value::parse_uint(&msg[prev.value_range()]).ok()?;
    let end = value_start.checked_add(usize::try_from(len).ok()?)?;
    (msg.get(end) == Some(&SOH)).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(s: &[u8]) -> Result<Vec<(i32, Vec<u8>)>, IndexError> {
        let mut out = [FieldRef::default(); 64];
        let n = index_fields(s, &DataTags::standard(), &mut out)?;
        Ok(out[..n]
            .iter()
            .map(|f| (f.tag.wire_value(), s[f.value_range()].to_vec()))
            .collect())
    }

    #[test]
    fn indexes_every_field() {
        let f = idx(b"8=FIX.4.4\x019=5\x0135=0\x0156=\x01-1=HI\x0110=123\x01").unwrap();
        let tags: Vec<i32> = f.iter().map(|x| x.0).collect();
        assert_eq!(tags, vec![8, 9, 35, 56, -1, 10]);
        assert_eq!(f[3].1, b"");
        assert_eq!(f[4].1, b"HI");
    }

    #[test]
    fn data_fields_may_hold_soh() {
        let f = idx(b"35=B\x0195=5\x0196=a\x01b=c\x0158=x\x01").unwrap();
        assert_eq!(f[2], (96, b"a\x01b=c".to_vec()));
        assert_eq!(f[3], (58, b"x".to_vec()));
        assert_eq!(
            idx(b"35=B\x0195=9\x0196=a\x01b=c\x0158=x\x01"),
            Err(IndexError::DataLength {
                tag: Tag(96),
                offset: 10
            })
        );
        assert_eq!(
            idx(b"35=B\x0196=a\x01"),
            Err(IndexError::DataLength {
                tag: Tag(96),
                offset: 5
            })
        );
        let f = idx(b"93=3\x0189=\x01\x01\x01\x01").unwrap();
        assert_eq!(f[1], (89, vec![1, 1, 1]));
    }

    #[test]
    fn malformed_fields_have_their_errors() {
        assert_eq!(
            idx(b"4garbled9=TW\x01"),
            Err(IndexError::BadTag { offset: 0 })
        );
        assert_eq!(
            idx(b"35=0\x01=x\x01"),
            Err(IndexError::BadTag { offset: 5 })
        );
        assert_eq!(
            idx(b"35=0\x0149\x01"),
            Err(IndexError::MissingEquals { offset: 5 })
        );
        assert_eq!(
            idx(b"35=0\x0149"),
            Err(IndexError::MissingEquals { offset: 5 })
        );
        assert_eq!(
            idx(b"35=0\x0149=x"),
            Err(IndexError::Unterminated { offset: 5 })
        );
        assert_eq!(
            idx(b"1234567890=x\x01"),
            Err(IndexError::BadTag { offset: 0 })
        );
        let mut out = [FieldRef::default(); 2];
        assert_eq!(
            index_fields(b"1=a\x012=b\x013=c\x01", &DataTags::standard(), &mut out),
            Err(IndexError::TooManyFields { max: 2 })
        );
    }

    #[test]
    fn swar_search_agrees_with_a_scan() {
        let mut buf = vec![b'x'; 40];
        for at in 0..40 {
            buf.iter_mut().for_each(|b| *b = b'x');
            buf[at] = SOH;
            for from in 0..40 {
                let want = buf[from..].iter().position(|&b| b == SOH).map(|p| p + from);
                assert_eq!(find_soh(&buf, from), want);
            }
        }
    }

    /// `index_frame_fields` against `index_fields` on one framed message, at
    /// every capacity from 0 to past its field count.
    fn framed_agrees(m: &[u8]) -> usize {
        let crate::fix::FrameStatus::Complete(layout) = crate::fix::check_frame(m, 1 << 16) else {
            panic!("not a frame: {:?}", String::from_utf8_lossy(m));
        };
        let dt = DataTags::standard();
        let mut checked = 0;
        for capacity in 0..40 {
            let mut framed = vec![FieldRef::default(); capacity];
            let mut whole = vec![FieldRef::default(); capacity];
            let a = index_frame_fields(m, &layout, &dt, &mut framed);
            let b = index_fields(m, &dt, &mut whole);
            assert_eq!(
                a,
                b,
                "capacity {capacity}: {:?}",
                String::from_utf8_lossy(m)
            );
            if let Ok(n) = a {
                assert_eq!(framed[..n], whole[..n], "capacity {capacity}");
                checked += 1;
            }
        }
        checked
    }

    #[test]
    fn the_framed_indexer_agrees_with_the_whole_message_one() {
        use crate::fix::frame::tests::msg;
        let bodies = [
            "35=0|",
            "35=D|34=2|49=A|52=20260316-14:30:00.123|56=B|11=x|55=AAPL|",
            // A data field, a long tag, a tag the fast loop hands over.
            "35=B|95=5|96=a|b=c|58=x|",
            "35=B|1128=9|5000=x|",
            "35=B|-5=x|",
            "35=B|123456789=z|",
            "35=B|58=x=y=z|",
            // The data field runs into the trailer: only the whole-message
            // pass can take it (its value then ends at the last SOH).
            "35=B|95=10|96=abc|",
            "35=B|95=16|96=abc|",
        ];
        let mut ok = 0;
        for body in bodies {
            for begin in ["FIX.4.4", "FIXT.1.1", "F"] {
                ok += framed_agrees(&msg(begin, body));
            }
        }
        // A body crossing several 64-byte blocks.
        let long: String = (0..40)
            .map(|i| format!("{}={}|", 100 + i, "v".repeat(i)))
            .collect();
        ok += framed_agrees(&msg("FIX.4.2", &format!("35=W|{long}")));
        assert!(ok > 100, "{ok} successful cases");
        // The swallowed trailer: 8, 9, 35, 95 and 96 (no 10), from the fallback.
        let m = msg("FIX.4.4", "35=B|95=10|96=abc|");
        assert_eq!(idx(&m).map(|f| f.len()), Ok(5), "{:?}", idx(&m));
    }
}
