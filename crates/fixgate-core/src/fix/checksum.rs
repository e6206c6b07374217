//! CheckSum (10): the byte sum modulo 256 of everything before the CheckSum field.

/// The FIX checksum of `bytes`: their sum modulo 256.
///
/// Every received message is summed, so this is vectorised: on x86-64 `psadbw`
/// (through `safe_arch`) adds 16 bytes per instruction into 64-bit lanes;
/// elsewhere a chunked loop that the compiler vectorises.
#[inline]
pub fn checksum(bytes: &[u8]) -> u8 {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        use safe_arch::{
            add_i64_m128i, load_unaligned_m128i, sum_of_u8_abs_diff_m128i, zeroed_m128i,
        };
        let zero = zeroed_m128i();
        let mut acc = zeroed_m128i();
        let mut chunks = bytes.chunks_exact(16);
        for c in &mut chunks {
            let v = load_unaligned_m128i(c.try_into().unwrap_or(&[0; 16]));
            acc = add_i64_m128i(acc, sum_of_u8_abs_diff_m128i(v, zero));
        }
        let lanes: [u64; 2] = acc.into();
        let mut total = lanes[0].wrapping_add(lanes[1]);
        for &b in chunks.remainder() {
            total = total.wrapping_add(u64::from(b));
        }
        total as u8
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
        for len in [0, 1, 63, 64, 65, 200, 1000] {
            let naive = data[..len].iter().fold(0u8, |a, &b| a.wrapping_add(b));
            assert_eq!(checksum(&data[..len]), naive, "len {len}");
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
