//! The fast field indexer: 64-byte blocks scanned into bit masks of SOH.
//!
//! Per block, 64 byte comparisons become one `u64` mask (vector compares and
//! movemasks); value ends are then found with `trailing_zeros` instead of a
//! branch per byte. Tags of up to three digits are matched on the four bytes at
//! the field's start as one word (two and three digits in one table entry),
//! under one bounds check that is also the loop's end test. The loop over ordinary fields
//! makes no calls, so its state stays in registers; anything else is handed to
//! a driver: a data field or a tag of 2048 or more is finished there and the
//! loop resumed after it, and anything unusual (a negative or over-long tag, a
//! missing `=`, a message not ending in SOH, a bad data length, more fields than
//! `out` holds) sends the whole message to the byte-at-a-time indexer, which is
//! the reference and produces the precise error; the two are checked against
//! each other in tests.

use super::data_tags::DataTags;
use super::field::FieldRef;
use super::frame::SOH;
use super::index::{data_value_end, index_fields_scalar, IndexError};
use super::tag::Tag;

/// Bit mask of the SOH bytes of one 64-byte block.
///
/// On x86-64, SSE2 (always present there) compares 16 bytes at a time and
/// `movemask` packs the results, through `safe_arch`'s safe wrappers. Elsewhere a
/// SWAR fallback does the same eight bytes at a time.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn soh_mask(block: &[u8; 64]) -> u64 {
    use safe_arch::{
        cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i,
    };
    let soh_v = set_splat_i8_m128i(SOH as i8);
    let mut soh = 0u64;
    for (k, chunk) in block.chunks_exact(16).enumerate() {
        let v = load_unaligned_m128i(chunk.try_into().unwrap_or(&[0; 16]));
        soh |= (move_mask_i8_m128i(cmp_eq_mask_i8_m128i(v, soh_v)) as u16 as u64) << (k * 16);
    }
    soh
}

/// Bit mask of the SOH bytes of one 64-byte block (portable SWAR version).
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn soh_mask(block: &[u8; 64]) -> u64 {
    const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let mut soh = 0u64;
    for (k, chunk) in block.chunks_exact(8).enumerate() {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])) ^ 0x0101_0101_0101_0101;
        // High bit of each byte that is zero in x (exact, no borrow between bytes).
        let zero = !(((x & LOWS) + LOWS) | x) & !LOWS;
        let packed = ((zero >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
        soh |= packed << (k * 8);
    }
    soh
}

/// The SOH mask of the block at `base` (a multiple of 64) of `msg`, without bits
/// past the end.
///
/// The last, partial block of a message of 64 bytes or more is read as the
/// message's last 64 bytes with the mask shifted down, and a message shorter
/// than a block is masked byte by byte: no copy into a padded block, whose
/// `memcpy` call would cost registers in the loop (see [`run`]).
#[inline(always)]
fn block_mask(msg: &[u8], base: usize) -> u64 {
    if let Some(b) = msg.get(base..base + 64) {
        return soh_mask(b.try_into().unwrap_or(&[0; 64]));
    }
    match msg.len().checked_sub(64).and_then(|s| msg.get(s..)) {
        // base < len < base + 64 here (the final SOH stops every search before
        // a block past the end), so the shift is 1 to 63.
        Some(last) => {
            soh_mask(last.try_into().unwrap_or(&[0; 64])) >> ((base + 64 - msg.len()) & 63)
        }
        None => msg
            .get(base..)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .fold(0, |m, (i, &b)| m | (u64::from(b == SOH) << (i & 63))),
    }
}

/// Parses a tag of any length at `start`, byte by byte: the path for tags of
/// four or more digits and for anything unusual. Returns the tag and the offset
/// of its `=`, or `None` when the scalar indexer must decide (not 1 to 9 digits
/// followed by `=`).
#[inline(always)]
fn long_tag(msg: &[u8], start: usize) -> Option<(u32, usize)> {
    let mut tag: u32 = 0;
    let mut i = start;
    while let Some(&b) = msg.get(i) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        // Wrapping: a tag of more than 9 digits is refused just below.
        tag = tag.wrapping_mul(10).wrapping_add(u32::from(d));
        i += 1;
    }
    (msg.get(i) == Some(&b'=') && i != start && i - start <= 9).then_some((tag, i))
}

/// Where [`run`] stopped, in at most 16 bytes so that it comes back in two
/// registers (a larger value is returned through memory, and the pointer to it
/// costs a register in the loop).
enum Stop {
    /// Every field is indexed; `left` slots are unused.
    Done { left: u32 },
    /// The field at offset `start`, which would fill the slot after the `left`
    /// unused ones, needs the driver: a data field, a tag of four or more
    /// digits, or a last field of under four bytes.
    Field { left: u32, start: u32 },
    /// The scalar indexer must decide.
    Scalar,
}

/// Indexes the ordinary fields of `msg` from offset `start` into `free` (at
/// most `u32::MAX` slots), until the end or a field that [`Stop`] describes.
///
/// Walks the SOH bits block by block: the first SOH after a field's start ends
/// its value (a tag holds no SOH: its bytes are checked to be digits). Tags of
/// two or three digits that are not data tags (nearly every field on the wire)
/// are found in one table entry: the four bytes at the field's start, as one
/// `u32`, pick a slot of [`DataTags`]' short-tag table by the low nibbles of
/// their first three bytes (one AND, multiply, shift and mask), and the word
/// under the entry's mask (all four bytes for `ddd=`, three for `dd=`) must
/// equal the entry's; the entry then gives the tag and where the value starts.
/// That one compare checks the digits and the `=`, converts, and answers the
/// data-tag question (data tags have no entry). A miss is a one-digit tag,
/// checked and converted on the word (`d=` XORed with `0x3D30` leaves the digit
/// and 0; one add, OR and mask test that the digit is at most 9 and the `=`
/// byte is 0) and looked up among the data tags, or anything else: a data tag,
/// a longer tag, or no tag, which stops the loop for the driver. A tag taken is
/// exactly the scalar indexer's, as all the bytes before its `=` are digits.
///
/// The table replaced, in the third pass, a three-digit then two-digit then
/// one-digit test on the word with a multiply to join the digits and a
/// data-tag lookup after: 1,827 → 1,729 instructions per message on the
/// md-heavy corpus, 1,150 → 1,065 on the NewOrderSingle (callgrind). A table
/// of three-digit tags alone saved more on the corpus (1,708) but cost the
/// two-digit tags of order flow (1,181 on the NewOrderSingle). One-digit tags
/// in the table too (sixteen slots each, a miss always stopping the loop)
/// made the register allocator copy the table pointer around the SOH search:
/// +4% instructions on both, so they keep their word test.
///
/// Nothing here calls a function, so no value has to be saved around a call;
/// and this is kept out of line so that the caller's own live values do not
/// compete for registers either.
///
/// Tried and dropped (slower on the md-heavy corpus): finding each value's end
/// with a 16-byte compare at its start, which needs no block mask but puts a
/// load, compare and movemask on the chain from one field's start to the next
/// (latency-bound, about 40% slower); and a two-stage pass that first writes
/// every SOH offset into `out` eight at a time and then parses tags branch-free
/// (fewer mispredictions, but about 30% more instructions, and slower).
#[inline(never)]
fn run(msg: &[u8], data_tags: &DataTags, free: &mut [FieldRef], mut start: usize) -> Stop {
    // The free slots, walked by pointer: no index to scale or bounds-check per
    // field; the field count is recovered from what is left when stopping.
    let mut slots = free.iter_mut();
    // The offset of the block whose mask is loaded. Invariant: `mask` holds the
    // SOH bits of that block at or after `start`.
    let mut base = start & !63;
    let mut mask = block_mask(msg, base) & (u64::MAX << (start & 63));
    loop {
        // The bounds check of the four bytes read is also the loop's end test
        // (a field of under four bytes can only be the last, and is rare).
        let Some(word) = msg.get(start..start + 4) else {
            let left = slots.len() as u32;
            return if start >= msg.len() {
                Stop::Done { left }
            } else {
                Stop::Field {
                    left,
                    start: start as u32,
                }
            };
        };
        let w = u32::from_le_bytes(word.try_into().unwrap_or([0; 4]));
        let entry = data_tags.short_tag(w);
        let (tag, value_start) = if w & entry.mask == entry.word {
            // `ddd=` or `dd=` of a tag that is not a data tag.
            (entry.tag, start + entry.skip as usize)
        } else {
            let x = w ^ 0x3D30;
            if (x.wrapping_add(0x7F76) | x) & 0x8080 != 0 {
                // A data tag, a longer tag, or no tag.
                return Stop::Field {
                    left: slots.len() as u32,
                    start: start as u32,
                };
            }
            let tag = x & 0xFF;
            if data_tags.contains_below_1024(tag) {
                return Stop::Field {
                    left: slots.len() as u32,
                    start: start as u32,
                };
            }
            (tag, start + 2)
        };
        while mask == 0 {
            base += 64;
            if base >= msg.len() {
                return Stop::Scalar;
            }
            mask = block_mask(msg, base);
        }
        let value_end = base + mask.trailing_zeros() as usize;
        mask &= mask.wrapping_sub(1);
        let Some(slot) = slots.next() else {
            return Stop::Scalar;
        };
        *slot = FieldRef {
            tag: Tag(tag),
            start: value_start as u32,
            end: value_end as u32,
        };
        start = value_end + 1;
    }
}

/// Indexes `msg` (at most 4 GiB, checked by the caller) into `out`.
///
/// Drives [`run`] and finishes the fields it hands back: a tag of four or more
/// digits is parsed byte by byte, and a data field's value is taken by its
/// length, which skips the SOH bytes inside it.
#[inline]
pub(super) fn index_fields_fast(
    msg: &[u8],
    data_tags: &DataTags,
    out: &mut [FieldRef],
) -> Result<usize, IndexError> {
    index_fields_fast_from(msg, data_tags, out, 0, 0)
}

/// [`index_fields_fast`] resumed at the field that starts at offset `start`,
/// with `out[..n]` already holding the fields before it (for a data field's
/// length): the framed indexer's entry, which takes 8 and 9 from the frame.
///
/// Falls back, like [`index_fields_fast`], to the scalar indexer over the whole
/// of `msg` (which overwrites `out[..n]` with the same fields when `msg`'s
/// fields before `start` are those).
#[inline]
pub(super) fn index_fields_fast_from(
    msg: &[u8],
    data_tags: &DataTags,
    out: &mut [FieldRef],
    mut n: usize,
    mut start: usize,
) -> Result<usize, IndexError> {
    // Every SOH search stops at the final SOH at the latest.
    if msg.last() != Some(&SOH) || start >= msg.len() {
        return index_fields_scalar(msg, data_tags, out);
    }
    loop {
        let Some(free) = out.get_mut(n..) else {
            return index_fields_scalar(msg, data_tags, out);
        };
        let slots = free.len().min(u32::MAX as usize);
        let filled = |left: u32| n + (slots - left as usize);
        match run(msg, data_tags, &mut free[..slots], start) {
            Stop::Done { left } => return Ok(filled(left)),
            Stop::Scalar => return index_fields_scalar(msg, data_tags, out),
            Stop::Field { left, start: at } => (n, start) = (filled(left), at as usize),
        }
        let Some((tag, eq)) = long_tag(msg, start) else {
            return index_fields_scalar(msg, data_tags, out);
        };
        let (tag, value_start) = (Tag(tag), eq + 1);
        let end = if data_tags.contains(tag) {
            data_value_end(msg, out, n, tag, value_start)
        } else {
            msg.get(value_start..)
                .and_then(|v| v.iter().position(|&b| b == SOH))
                .map(|p| value_start + p)
        };
        let (Some(end), Some(slot)) = (end, out.get_mut(n)) else {
            return index_fields_scalar(msg, data_tags, out);
        };
        *slot = FieldRef {
            tag,
            start: value_start as u32,
            end: end as u32,
        };
        n += 1;
        start = end + 1;
        if start >= msg.len() {
            return Ok(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(
        msg: &[u8],
    ) -> (
        Result<Vec<FieldRef>, IndexError>,
        Result<Vec<FieldRef>, IndexError>,
    ) {
        both_with(msg, 64)
    }

    fn both_with(
        msg: &[u8],
        capacity: usize,
    ) -> (
        Result<Vec<FieldRef>, IndexError>,
        Result<Vec<FieldRef>, IndexError>,
    ) {
        let mut dt = DataTags::standard();
        dt.insert(Tag(5001));
        let mut a = vec![FieldRef::default(); capacity];
        let mut b = vec![FieldRef::default(); capacity];
        let fa = index_fields_fast(msg, &dt, &mut a).map(|n| a[..n].to_vec());
        let fb = index_fields_scalar(msg, &dt, &mut b).map(|n| b[..n].to_vec());
        (fa, fb)
    }

    #[test]
    fn agrees_on_resumed_runs_and_small_outputs() {
        // Data fields and tags of 2048 or more (5001 a data tag) end a run of
        // the loop; the next run starts in the middle of a block.
        let mut m = b"8=FIX.4.4\x019=5\x0135=B\x01".to_vec();
        for i in 0..30 {
            m.extend_from_slice(format!("{}=v{}\x01", 40 + i, "w".repeat(i)).as_bytes());
            if i % 7 == 3 {
                m.extend_from_slice(b"95=7\x0196=a\x01b=c\x01d\x01");
                m.extend_from_slice(b"1128=9\x015000=x\x015000=\x015000=\x01");
                m.extend_from_slice(b"5000=4\x015001=\x01\x01\x01\x01\x01123456789=z\x01");
            }
            let (fast, scalar) = both_with(&m, 256);
            assert_eq!(fast, scalar, "{:?}", String::from_utf8_lossy(&m));
            assert!(fast.is_ok(), "{fast:?}");
        }
        for capacity in 0..140 {
            let (fast, scalar) = both_with(&m, capacity);
            assert_eq!(fast, scalar, "capacity {capacity}");
        }
        // Every length around the block sizes, for the last partial block.
        for len in 2..200 {
            let mut short = vec![b'7'; len];
            short[1] = b'=';
            short[len - 1] = SOH;
            if len > 2 {
                short[len / 2] = SOH;
            }
            let (fast, scalar) = both(&short);
            assert_eq!(fast, scalar, "len {len}");
        }
    }

    #[test]
    fn agrees_with_the_scalar_indexer() {
        let mut cases: Vec<Vec<u8>> = vec![
            b"8=FIX.4.4\x019=5\x0135=0\x0110=000\x01".to_vec(),
            b"35=B\x0195=5\x0196=a\x01b=c\x0158=x\x01".to_vec(),
            b"-1=HI\x010=x\x01".to_vec(),
            b"123456789=x\x01".to_vec(),
            b"35=0\x0149".to_vec(),
            b"35=0\x0149=x".to_vec(),
            b"4garbled9=TW\x01".to_vec(),
            b"=x\x01".to_vec(),
            b"".to_vec(),
        ];
        // Long values crossing block boundaries.
        let mut long = b"8=FIX.4.4\x01".to_vec();
        for i in 0..40 {
            long.extend_from_slice(format!("{}={}\x01", 100 + i, "v".repeat(i * 3)).as_bytes());
        }
        cases.push(long);
        // Every single-byte corruption of a small message.
        let base = b"8=FIX.4.4\x019=12\x0135=0\x0195=2\x0196=\x01\x01\x0110=000\x01".to_vec();
        for i in 0..base.len() {
            for b in [0u8, 1, b'=', b'-', b'5', b'a'] {
                let mut m = base.clone();
                m[i] = b;
                cases.push(m);
            }
        }
        for c in &cases {
            let (fast, scalar) = both(c);
            assert_eq!(fast, scalar, "{:?}", String::from_utf8_lossy(c));
        }
    }
}
