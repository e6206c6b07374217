//! The fast field indexer: 64-byte blocks scanned into bit masks of SOH.
//!
//! Per block, 64 byte comparisons become one `u64` mask (vector compares and
//! movemasks); value ends are then found with `trailing_zeros` instead of a
//! branch per byte, and only the short tags are read byte by byte. Anything
//! unusual (a negative or over-long tag, a missing `=`, a message not ending in
//! SOH, a bad data length) sends the whole message to the byte-at-a-time indexer,
//! which is the reference and produces the precise error; the two are checked
//! against each other in tests.

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

/// The SOH mask of block `block` of `msg` (zero-padded past the end).
#[inline(always)]
fn block_mask(msg: &[u8], block: usize) -> u64 {
    let base = block * 64;
    match msg.get(base..base + 64) {
        Some(b) => soh_mask(b.try_into().unwrap_or(&[0; 64])),
        None => {
            let mut pad = [0u8; 64];
            let tail = msg.get(base..).unwrap_or_default();
            pad[..tail.len()].copy_from_slice(tail);
            soh_mask(&pad)
        }
    }
}

/// Indexes `msg` (at most 4 GiB, checked by the caller) into `out`.
///
/// Walks the SOH bits block by block: the first SOH after a field's `=` ends its
/// value. A data field's value is taken by its length, which skips the SOH
/// bytes inside it.
#[inline]
pub(super) fn index_fields_fast(
    msg: &[u8],
    data_tags: &DataTags,
    out: &mut [FieldRef],
) -> Result<usize, IndexError> {
    // Every tag scan below stops at the final SOH at the latest.
    if msg.last() != Some(&SOH) {
        return index_fields_scalar(msg, data_tags, out);
    }
    let mut n = 0usize;
    let mut start = 0usize; // first byte of the current field
    let mut block = 0usize; // block whose mask is loaded
                            // Invariant: `mask` holds the SOH bits of `block` at or after `start`.
    let mut mask = block_mask(msg, 0);
    loop {
        // Tag: 1 to 9 digits, then '='. Two- and three-digit tags are the common case.
        let (tag, eq) = match msg.get(start..start + 4) {
            Some(&[a, b'=', ..]) if a.is_ascii_digit() => ((a - b'0') as u32, start + 1),
            Some(&[a, b, b'=', _]) if a.is_ascii_digit() && b.is_ascii_digit() => {
                ((a - b'0') as u32 * 10 + (b - b'0') as u32, start + 2)
            }
            Some(&[a, b, c, b'='])
                if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() =>
            {
                (
                    (a - b'0') as u32 * 100 + (b - b'0') as u32 * 10 + (c - b'0') as u32,
                    start + 3,
                )
            }
            _ => {
                let mut tag: u32 = 0;
                let mut i = start;
                loop {
                    let d = msg[i].wrapping_sub(b'0');
                    if d > 9 {
                        break;
                    }
                    // Wrapping: a tag of more than 9 digits is refused just below.
                    tag = tag.wrapping_mul(10).wrapping_add(d as u32);
                    i += 1;
                }
                if msg[i] != b'=' || i == start || i - start > 9 {
                    return index_fields_scalar(msg, data_tags, out);
                }
                (tag, i)
            }
        };
        let tag = Tag(tag);
        let value_start = eq + 1;
        let value_end = if data_tags.contains(tag) {
            let Some(end) = data_value_end(msg, out, n, tag, value_start) else {
                return index_fields_scalar(msg, data_tags, out);
            };
            // Skip the SOH bytes inside the data.
            if end >> 6 != block {
                block = end >> 6;
                mask = block_mask(msg, block);
            }
            mask &= u64::MAX << (end & 63);
            end
        } else {
            // No SOH lies in the tag, so the lowest remaining bit ends the value.
            while mask == 0 {
                block += 1;
                mask = block_mask(msg, block);
            }
            block * 64 + mask.trailing_zeros() as usize
        };
        mask &= mask.wrapping_sub(1);
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
        start = value_end + 1;
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
        let dt = DataTags::standard();
        let mut a = [FieldRef::default(); 64];
        let mut b = [FieldRef::default(); 64];
        let fa = index_fields_fast(msg, &dt, &mut a).map(|n| a[..n].to_vec());
        let fb = index_fields_scalar(msg, &dt, &mut b).map(|n| b[..n].to_vec());
        (fa, fb)
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
