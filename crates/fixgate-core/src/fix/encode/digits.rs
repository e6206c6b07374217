//! Integer, price and timestamp rendering into byte buffers, without allocation.

use crate::time::UtcNanos;
use crate::types::Price;

const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Writes `v` in decimal at the end of `out` (20 bytes); returns where it starts.
#[inline]
pub fn u64_digits(mut v: u64, out: &mut [u8; 20]) -> usize {
    let mut i = out.len();
    while v >= 100 {
        let d = (v % 100) as usize * 2;
        v /= 100;
        i -= 2;
        out[i..i + 2].copy_from_slice(&PAIRS[d..d + 2]);
    }
    if v >= 10 {
        let d = v as usize * 2;
        i -= 2;
        out[i..i + 2].copy_from_slice(&PAIRS[d..d + 2]);
    } else {
        i -= 1;
        out[i] = b'0' + v as u8;
    }
    i
}

/// Timestamp precision for UTCTimestamp fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimePrecision {
    /// `YYYYMMDD-HH:MM:SS`.
    Seconds,
    /// `.sss`, QuickFIX's default and what its acceptance suite expects.
    #[default]
    Millis,
    /// `.ssssss`.
    Micros,
    /// `.sssssssss`.
    Nanos,
}

impl TimePrecision {
    /// Fraction digits written.
    pub fn digits(self) -> usize {
        match self {
            TimePrecision::Seconds => 0,
            TimePrecision::Millis => 3,
            TimePrecision::Micros => 6,
            TimePrecision::Nanos => 9,
        }
    }
}

/// Renders UTCTimestamps, caching the `YYYYMMDD-HH:MM:SS` of the last second so
/// that consecutive messages only render the fraction.
#[derive(Clone, Debug, Default)]
pub struct TimestampCache {
    second: u64,
    text: [u8; 17],
    valid: bool,
}

impl TimestampCache {
    /// Writes `t` at `precision` into `out` (at least 27 bytes); returns the length.
    #[inline]
    pub fn render(&mut self, t: UtcNanos, precision: TimePrecision, out: &mut [u8; 27]) -> usize {
        let ns = t.as_nanos();
        let sec = ns / 1_000_000_000;
        if !self.valid || sec != self.second {
            let c = t.to_civil();
            let two =
                |v: u8, o: &mut [u8]| o.copy_from_slice(&PAIRS[v as usize * 2..v as usize * 2 + 2]);
            two((c.year / 100) as u8, &mut self.text[0..2]);
            two((c.year % 100) as u8, &mut self.text[2..4]);
            two(c.month, &mut self.text[4..6]);
            two(c.day, &mut self.text[6..8]);
            self.text[8] = b'-';
            two(c.hour, &mut self.text[9..11]);
            self.text[11] = b':';
            two(c.minute, &mut self.text[12..14]);
            self.text[14] = b':';
            two(c.second, &mut self.text[15..17]);
            self.second = sec;
            self.valid = true;
        }
        out[..17].copy_from_slice(&self.text);
        let digits = precision.digits();
        if digits == 0 {
            return 17;
        }
        out[17] = b'.';
        let mut frac = (ns % 1_000_000_000) / 10u64.pow(9 - digits as u32);
        for i in (0..digits).rev() {
            out[18 + i] = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        18 + digits
    }
}

/// Writes a price as a decimal with trailing zeros trimmed (`228.5`, `-3`) into
/// `out`; returns the length. The null price is not representable in FIX and is
/// the caller's to avoid.
#[inline]
pub fn price_digits(p: Price, out: &mut [u8; 32]) -> usize {
    let v = p.e9();
    let neg = v < 0;
    let abs = v.unsigned_abs();
    let int = abs / 1_000_000_000;
    let mut frac = abs % 1_000_000_000;
    let mut n = 0;
    if neg {
        out[0] = b'-';
        n = 1;
    }
    let mut d = [0u8; 20];
    let s = u64_digits(int, &mut d);
    out[n..n + 20 - s].copy_from_slice(&d[s..]);
    n += 20 - s;
    if frac != 0 {
        let mut digits = 9;
        while frac.is_multiple_of(10) {
            frac /= 10;
            digits -= 1;
        }
        out[n] = b'.';
        n += 1;
        for i in (0..digits).rev() {
            out[n + i] = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        n += digits;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::value::{parse_price, parse_utc_timestamp};

    #[test]
    fn integers_render_like_display() {
        for v in [0u64, 7, 10, 99, 100, 12345, u64::MAX] {
            let mut b = [0u8; 20];
            let s = u64_digits(v, &mut b);
            assert_eq!(std::str::from_utf8(&b[s..]).unwrap(), v.to_string());
        }
    }

    #[test]
    fn prices_round_trip() {
        for e9 in [
            0i64,
            1,
            -1,
            228_500_000_000,
            -12_345_678_901,
            i64::MIN,
            i64::MAX - 1,
        ] {
            let mut b = [0u8; 32];
            let n = price_digits(Price::from_e9(e9), &mut b);
            assert_eq!(
                parse_price(&b[..n]),
                Ok(Price::from_e9(e9)),
                "{}",
                String::from_utf8_lossy(&b[..n])
            );
        }
    }

    #[test]
    fn timestamps_round_trip_at_each_precision() {
        let t = UtcNanos::from_nanos(1_773_671_400_123_456_789);
        let mut cache = TimestampCache::default();
        let mut b = [0u8; 27];
        let n = cache.render(t, TimePrecision::Millis, &mut b);
        assert_eq!(&b[..n], b"20260316-14:30:00.123");
        let n = cache.render(t, TimePrecision::Nanos, &mut b);
        assert_eq!(parse_utc_timestamp(&b[..n]), Ok(t));
        let n = cache.render(t, TimePrecision::Seconds, &mut b);
        assert_eq!(&b[..n], b"20260316-14:30:00");
        let later = UtcNanos::from_nanos(t.as_nanos() + 86_400_000_000_000);
        let n = cache.render(later, TimePrecision::Micros, &mut b);
        assert_eq!(&b[..n], b"20260317-14:30:00.123456");
    }
}
