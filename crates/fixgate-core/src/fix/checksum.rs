//! CheckSum (10): the byte sum modulo 256 of everything before the CheckSum field.

/// The FIX checksum of `bytes`: their sum modulo 256.
///
/// Every received message is summed, so this is vectorised: on x86-64 `psadbw`
/// (through `safe_arch`) adds 16 bytes per instruction into 64-bit lanes, four
/// per loop step into two accumulators (fewer loop instructions, two dependency
/// chains); the last partial 16 bytes are summed as the last 16 bytes of the
/// input with the already-counted ones masked off, instead of a byte loop.
/// Elsewhere a chunked loop that the compiler vectorises.
#[inline]
pub fn checksum(bytes: &[u8]) -> u8 {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        use safe_arch::{
            add_i64_m128i, bitand_m128i, load_unaligned_m128i, m128i, sum_of_u8_abs_diff_m128i,
            zeroed_m128i,
        };
        /// Loading 16 bytes at offset `r` gives `16 - r` zero bytes, then `r`
        /// all-ones bytes: the mask that keeps the last `r` of 16 bytes.
        const TAIL_MASKS: [u8; 32] = {
            let mut m = [0u8; 32];
            let mut i = 16;
            while i < 32 {
                m[i] = 0xFF;
                i += 1;
            }
            m
        };
        #[inline(always)]
        fn load(c: &[u8]) -> m128i {
            load_unaligned_m128i(c.try_into().unwrap_or(&[0; 16]))
        }
        let zero = zeroed_m128i();
        let mut acc0 = zeroed_m128i();
        let mut acc1 = zeroed_m128i();
        let mut blocks = bytes.chunks_exact(64);
        for b in &mut blocks {
            let s0 = sum_of_u8_abs_diff_m128i(load(&b[..16]), zero);
            let s1 = sum_of_u8_abs_diff_m128i(load(&b[16..32]), zero);
            let s2 = sum_of_u8_abs_diff_m128i(load(&b[32..48]), zero);
            let s3 = sum_of_u8_abs_diff_m128i(load(&b[48..]), zero);
            acc0 = add_i64_m128i(acc0, add_i64_m128i(s0, s2));
            acc1 = add_i64_m128i(acc1, add_i64_m128i(s1, s3));
        }
        let rest = blocks.remainder();
        let mut chunks = rest.chunks_exact(16);
        for c in &mut chunks {
            acc0 = add_i64_m128i(acc0, sum_of_u8_abs_diff_m128i(load(c), zero));
        }
        let tail = chunks.remainder();
        let mut total = 0u64;
        if !tail.is_empty() {
            match bytes.len().checked_sub(16).and_then(|s| bytes.get(s..)) {
                Some(last) => {
                    let mask = load(
                        TAIL_MASKS
                            .get(tail.len()..tail.len() + 16)
                            .unwrap_or(&[0; 16]),
                    );
                    let v = bitand_m128i(load(last), mask);
                    acc1 = add_i64_m128i(acc1, sum_of_u8_abs_diff_m128i(v, zero));
                }
                None => {
                    for &b in tail {
                        total = total.wrapping_add(u64::from(b));
                    }
                }
            }
        }
        let lanes: [u64; 2] = add_i64_m128i(acc0, acc1).into();
        total.wrapping_add(lanes[0]).wrapping_add(lanes[1]) as u8
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        let mut chunks = bytes.chunks_exact(64);
        let mut total: u32 = 0;
        for chunk in &mut chunks {
            let mut s: u32 = 0;
            for &b in chunk {
                s += b as u32;
            }
            total = total.wrapping_add(s);
        }
        for &b in chunks.remainder() {
            total = total.wrapping_add(b as u32);
        }
        total as u8
    }
}

/// Parses the three ASCII digits of a CheckSum value (000 to 999: a value above
/// 255 is well-formed but can never match).
#[inline]
pub fn parse_checksum_digits(d: &[u8]) -> Option<u16> {
    if d.len() != 3 || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some((d[0] - b'0') as u16 * 100 + (d[1] - b'0') as u16 * 10 + (d[2] - b'0') as u16)
}

/// Writes a checksum as the three ASCII digits FIX requires.
#[inline]
pub fn checksum_digits(sum: u8) -> [u8; 3] {
    [b'0' + sum / 100, b'0' + sum / 10 % 10, b'0' + sum % 10]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_naive_sum() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 37 % 251) as u8).collect();
        for off in [0, 1, 7] {
            for len in (0..200).chain([255, 256, 257, 990]) {
                let d = &data[off..off + len];
                let naive = d.iter().fold(0u8, |a, &b| a.wrapping_add(b));
                assert_eq!(checksum(d), naive, "offset {off} len {len}");
            }
        }
    }

    #[test]
    fn digits_round_trip() {
        for s in 0..=255u8 {
            assert_eq!(parse_checksum_digits(&checksum_digits(s)), Some(s as u16));
        }
        assert_eq!(parse_checksum_digits(b"256"), Some(256));
        assert_eq!(parse_checksum_digits(b"12"), None);
        assert_eq!(parse_checksum_digits(b"1a2"), None);
    }
}
