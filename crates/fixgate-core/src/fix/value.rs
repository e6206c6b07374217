//! Typed values from raw field bytes, without floating point or allocation.
//!
//! | FIX type | parser | result |
//! |---|---|---|
//! | int, SeqNum, Length, NumInGroup, TagNum, DayOfMonth | [`parse_int`], [`parse_uint`] | `i64` / `u64` |
//! | Price, Qty, Amt, float, PriceOffset, Percentage | [`parse_price`] | [`Price`] (i64 at 1e-9) |
//! | UTCTimestamp (s, ms, µs, ns) | [`parse_utc_timestamp`] | [`UtcNanos`] |
//! | UTCTimeOnly | [`parse_utc_time_only`] | ns since midnight |
//! | UTCDateOnly, LocalMktDate | [`parse_date`] | `(year, month, day)` |
//! | char | [`parse_char`] | `u8` |
//! | Boolean | [`parse_bool`] | `bool` |
//! | String and friends | [`parse_str`] | `&str` (UTF-8 checked) |

use crate::time::{Civil, UtcNanos};
use crate::types::Price;

/// Why a value does not parse as the requested type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// The value is empty.
    #[error("empty value")]
    Empty,
    /// Not a number of the expected form (digits, one optional '-', one optional '.').
    #[error("not a number")]
    NotANumber,
    /// The number does not fit the target type.
    #[error("number out of range")]
    Overflow,
    /// A decimal with more than nine digits after the point.
    #[error("more than 9 decimal places")]
    TooPrecise,
    /// Not a single character.
    #[error("not a single character")]
    NotAChar,
    /// Not `Y` or `N`.
    #[error("not a boolean (Y or N)")]
    NotABool,
    /// Not a valid date or time of the expected form.
    #[error("not a valid date or time")]
    BadTime,
    /// Not valid UTF-8.
    #[error("not valid UTF-8")]
    NotUtf8,
}

/// An unsigned integer: one or more ASCII digits.
///
/// # Errors
/// [`ValueError::Empty`], [`ValueError::NotANumber`], [`ValueError::Overflow`].
#[inline]
pub fn parse_uint(v: &[u8]) -> Result<u64, ValueError> {
    if v.is_empty() {
        return Err(ValueError::Empty);
    }
    let mut n: u64 = 0;
    for &b in v {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return Err(ValueError::NotANumber);
        }
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(d as u64))
            .ok_or(ValueError::Overflow)?;
    }
    Ok(n)
}

/// A signed integer: an optional `-` then one or more ASCII digits (QuickFIX's
/// IntConvertor: no `+`).
///
/// # Errors
/// As [`parse_uint`].
#[inline]
pub fn parse_int(v: &[u8]) -> Result<i64, ValueError> {
    match v.split_first() {
        None => Err(ValueError::Empty),
        Some((b'-', rest)) => {
            if rest.is_empty() {
                return Err(ValueError::NotANumber);
            }
            let n = parse_uint(rest)?;
            if n > i64::MAX as u64 + 1 {
                return Err(ValueError::Overflow);
            }
            Ok((n as i64).wrapping_neg())
        }
        Some(_) => i64::try_from(parse_uint(v)?).map_err(|_| ValueError::Overflow),
    }
}

/// Whether `v` has the form of a FIX float as QuickFIX's DoubleConvertor accepts
/// it: optional `-`, digits, optional `.` and digits, at least one digit, nothing
/// else (no `+`, no exponent).
#[inline]
pub fn is_decimal(v: &[u8]) -> bool {
    let v = v.strip_prefix(b"-").unwrap_or(v);
    let mut digits = 0;
    let mut dots = 0;
    for &b in v {
        if b.is_ascii_digit() {
            digits += 1;
        } else if b == b'.' && dots == 0 {
            dots += 1;
        } else {
            return false;
        }
    }
    digits > 0
}

/// A decimal (`-12.345`, `002000.00`, `.5`, `7.`) as an exact [`Price`].
///
/// # Errors
/// [`ValueError::NotANumber`] for anything but an optional `-`, digits and one `.`;
/// [`ValueError::TooPrecise`] for more than nine decimals; [`ValueError::Overflow`]
/// past ±9,223,372,036.854775807 (or onto the null value).
#[inline]
pub fn parse_price(v: &[u8]) -> Result<Price, ValueError> {
    if v.is_empty() {
        return Err(ValueError::Empty);
    }
    let (neg, digits) = match v.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, v),
    };
    let mut int: u64 = 0;
    let mut frac: u64 = 0;
    let mut frac_digits: u32 = 0;
    let mut seen_dot = false;
    let mut seen_digit = false;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d <= 9 {
            seen_digit = true;
            if seen_dot {
                if frac_digits == 9 {
                    return Err(ValueError::TooPrecise);
                }
                frac = frac * 10 + d as u64;
                frac_digits += 1;
            } else {
                int = int
                    .checked_mul(10)
                    .and_then(|n| n.checked_add(d as u64))
                    .ok_or(ValueError::Overflow)?;
            }
        } else if b == b'.' && !seen_dot {
            seen_dot = true;
        } else {
            return Err(ValueError::NotANumber);
        }
    }
    if !seen_digit {
        return Err(ValueError::NotANumber);
    }
    let scaled = (int as u128) * 1_000_000_000 + (frac as u128) * 10u128.pow(9 - frac_digits);
    let e9: i64 = if neg {
        if scaled > i64::MAX as u128 + 1 {
            return Err(ValueError::Overflow);
        }
        (scaled as i128).wrapping_neg() as i64
    } else {
        if scaled >= i64::MAX as u128 {
            return Err(ValueError::Overflow);
        }
        scaled as i64
    };
    Ok(Price::from_e9(e9))
}

#[inline]
fn two(v: &[u8], at: usize) -> Option<u8> {
    let a = v.get(at)?.wrapping_sub(b'0');
    let b = v.get(at + 1)?.wrapping_sub(b'0');
    (a <= 9 && b <= 9).then(|| a * 10 + b)
}

/// Parses `.f` with 1 to 9 digits (or nothing) into nanoseconds.
#[inline]
fn fraction(v: &[u8]) -> Result<u32, ValueError> {
    match v.split_first() {
        None => Ok(0),
        Some((b'.', f)) if !f.is_empty() && f.len() <= 9 => {
            let mut n: u32 = 0;
            for &b in f {
                let d = b.wrapping_sub(b'0');
                if d > 9 {
                    return Err(ValueError::BadTime);
                }
                n = n * 10 + d as u32;
            }
            Ok(n * 10u32.pow(9 - f.len() as u32))
        }
        _ => Err(ValueError::BadTime),
    }
}

/// `YYYYMMDD` as `(year, month, day)`, with the day checked against the month.
///
/// # Errors
/// [`ValueError::BadTime`].
pub fn parse_date(v: &[u8]) -> Result<(u16, u8, u8), ValueError> {
    if v.len() != 8 {
        return Err(ValueError::BadTime);
    }
    let year = two(v, 0).zip(two(v, 2)).ok_or(ValueError::BadTime)?;
    let year = year.0 as u16 * 100 + year.1 as u16;
    let month = two(v, 4).ok_or(ValueError::BadTime)?;
    let day = two(v, 6).ok_or(ValueError::BadTime)?;
    if !(1..=12).contains(&month) || day == 0 || day > crate::time::days_in_month(year, month) {
        return Err(ValueError::BadTime);
    }
    Ok((year, month, day))
}

/// `HH:MM:SS[.f]` (1 to 9 fractional digits) as nanoseconds since midnight.
///
/// # Errors
/// [`ValueError::BadTime`].
pub fn parse_utc_time_only(v: &[u8]) -> Result<u64, ValueError> {
    if v.len() < 8 || v[2] != b':' || v[5] != b':' {
        return Err(ValueError::BadTime);
    }
    let (h, m, s) = match (two(v, 0), two(v, 3), two(v, 6)) {
        (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s <= 60 => (h, m, s),
        _ => return Err(ValueError::BadTime),
    };
    let nanos = fraction(&v[8..])?;
    Ok((h as u64 * 3600 + m as u64 * 60 + s as u64) * 1_000_000_000 + nanos as u64)
}

/// `YYYYMMDD-HH:MM:SS[.f]` with 0 to 9 fractional digits (seconds, milli, micro
/// and nanoseconds) as [`UtcNanos`]. A leap second (`:60`) rolls into the next
/// minute.
///
/// # Errors
/// [`ValueError::BadTime`], also for instants before 1970.
pub fn parse_utc_timestamp(v: &[u8]) -> Result<UtcNanos, ValueError> {
    if v.len() < 17 || v[8] != b'-' {
        return Err(ValueError::BadTime);
    }
    let (year, month, day) = parse_date(&v[..8])?;
    let tod = parse_utc_time_only(&v[9..])?;
    // Validated by parse_utc_time_only.
    let (hour, minute) = (two(v, 9).unwrap_or(0), two(v, 12).unwrap_or(0));
    let civil = Civil {
        year,
        month,
        day,
        hour,
        minute,
        second: 0,
        nanos: 0,
    };
    let minute_start = UtcNanos::from_civil(civil).ok_or(ValueError::BadTime)?;
    let within_minute = tod - (hour as u64 * 3600 + minute as u64 * 60) * 1_000_000_000;
    Ok(minute_start.saturating_add_nanos(within_minute))
}

/// A single character.
///
/// # Errors
/// [`ValueError::Empty`], [`ValueError::NotAChar`].
#[inline]
pub fn parse_char(v: &[u8]) -> Result<u8, ValueError> {
    match v {
        [] => Err(ValueError::Empty),
        [c] => Ok(*c),
        _ => Err(ValueError::NotAChar),
    }
}

/// `Y` or `N`.
///
/// # Errors
/// [`ValueError::NotABool`].
#[inline]
pub fn parse_bool(v: &[u8]) -> Result<bool, ValueError> {
    match v {
        b"Y" => Ok(true),
        b"N" => Ok(false),
        [] => Err(ValueError::Empty),
        _ => Err(ValueError::NotABool),
    }
}

/// The value as UTF-8 text.
///
/// # Errors
/// [`ValueError::NotUtf8`].
#[inline]
pub fn parse_str(v: &[u8]) -> Result<&str, ValueError> {
    std::str::from_utf8(v).map_err(|_| ValueError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(parse_uint(b"0042"), Ok(42));
        assert_eq!(parse_uint(b"18446744073709551615"), Ok(u64::MAX));
        assert_eq!(
            parse_uint(b"18446744073709551616"),
            Err(ValueError::Overflow)
        );
        assert_eq!(parse_uint(b"+1"), Err(ValueError::NotANumber));
        assert_eq!(parse_uint(b""), Err(ValueError::Empty));
        assert_eq!(parse_int(b"-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(
            parse_int(b"-9223372036854775809"),
            Err(ValueError::Overflow)
        );
        assert_eq!(parse_int(b"9223372036854775808"), Err(ValueError::Overflow));
        assert_eq!(parse_int(b"-"), Err(ValueError::NotANumber));
        assert_eq!(parse_int(b"-17"), Ok(-17));
    }

    #[test]
    fn prices_are_exact() {
        let p = |s: &str| parse_price(s.as_bytes()).map(Price::e9);
        assert_eq!(p("228.50"), Ok(228_500_000_000));
        assert_eq!(p("002000.00"), Ok(2_000_000_000_000));
        assert_eq!(p("-0.000000001"), Ok(-1));
        assert_eq!(p(".5"), Ok(500_000_000));
        assert_eq!(p("7."), Ok(7_000_000_000));
        assert_eq!(p("1.0000000001"), Err(ValueError::TooPrecise));
        assert_eq!(p("+200.00"), Err(ValueError::NotANumber));
        assert_eq!(p("1e5"), Err(ValueError::NotANumber));
        assert_eq!(p("1.2.3"), Err(ValueError::NotANumber));
        assert_eq!(p("-"), Err(ValueError::NotANumber));
        assert_eq!(p("."), Err(ValueError::NotANumber));
        assert_eq!(p("9223372036.854775806"), Ok(i64::MAX - 1));
        assert_eq!(p("9223372036.854775807"), Err(ValueError::Overflow));
        assert_eq!(p("-9223372036.854775808"), Ok(i64::MIN));
        assert_eq!(p("-9223372036.854775809"), Err(ValueError::Overflow));
        assert_eq!(p("99999999999999999999999"), Err(ValueError::Overflow));
        assert!(is_decimal(b"7.") && is_decimal(b".5") && !is_decimal(b"+1") && !is_decimal(b"-"));
    }

    #[test]
    fn timestamps_at_every_precision() {
        let base = parse_utc_timestamp(b"20260316-14:30:00")
            .unwrap()
            .as_nanos();
        assert_eq!(base, 1_773_671_400_000_000_000);
        let t = |s: &str| parse_utc_timestamp(s.as_bytes()).map(|t| t.as_nanos() - base);
        assert_eq!(t("20260316-14:30:00.123"), Ok(123_000_000));
        assert_eq!(t("20260316-14:30:00.123456"), Ok(123_456_000));
        assert_eq!(t("20260316-14:30:00.123456789"), Ok(123_456_789));
        assert_eq!(t("20260316-14:30:01"), Ok(1_000_000_000));
        assert_eq!(t("20260316-14:30:60"), Ok(60_000_000_000));
        for bad in [
            "20260316-14:30:00.",
            "20260316-14:30:00.1234567890",
            "20260316 14:30:00",
            "20260230-14:30:00",
            "20261316-14:30:00",
            "20260316-24:30:00",
            "20260316-14:60:00",
            "2026031-14:30:00",
            "00000000-00:00:00",
        ] {
            assert_eq!(
                parse_utc_timestamp(bad.as_bytes()),
                Err(ValueError::BadTime),
                "{bad}"
            );
        }
        assert_eq!(parse_utc_time_only(b"14:30:00.000"), Ok(52_200_000_000_000));
        assert_eq!(parse_date(b"20240229"), Ok((2024, 2, 29)));
    }

    #[test]
    fn chars_bools_strings() {
        assert_eq!(parse_char(b"1"), Ok(b'1'));
        assert_eq!(parse_char(b"12"), Err(ValueError::NotAChar));
        assert_eq!(parse_bool(b"Y"), Ok(true));
        assert_eq!(parse_bool(b"y"), Err(ValueError::NotABool));
        assert_eq!(parse_str(b"INTC"), Ok("INTC"));
        assert_eq!(parse_str(&[0xff]), Err(ValueError::NotUtf8));
    }
}
