//! The comparison of a received message with an expected line of a QuickFIX
//! acceptance definition, for the runner in `acceptance_runner`.
//!
//! Strict, field by field: the same number of fields, the same tags in the same
//! order, and every value equal byte for byte, Text (58) included, except:
//!
//! - CheckSum (10): any three digits, and it must be the actual message's true
//!   checksum;
//! - SendingTime (52), TransactTime (60), OrigSendingTime (122): any valid
//!   UTCTimestamp (`YYYYMMDD-HH:MM:SS` with 0 to 9 fractional digits);
//! - BodyLength (9): the actual value must be the actual message's true body
//!   length, and must equal the expected value adjusted for the length
//!   differences of the pattern-matched timestamps:
//!   `actual 9 == expected 9 + Σ (len(actual value) − len(expected value))` over
//!   52, 60 and 122, with one deviation, below.
//!
//! **The one deviation (SendingTime counts as 21 bytes).** The definitions'
//! BodyLengths count SendingTime as a millisecond timestamp
//! (`00000000-00:00:00.000`, 21 bytes), also in the three lines that spell a
//! literal SendingTime without milliseconds (`14e_IncorrectEnumValue.def:26`,
//! `8_OnlyApplicationMessages.def:29`, `RejectResentMessage.def:6`): each of
//! those BodyLengths is 4 more than the line's own text. No acceptor can match
//! them under the plain rule (QuickFIX C++ fails exactly these three lines), so
//! the expected length of 52 is taken to be 21 bytes whatever the line spells.
//! Every other expected SendingTime is 21 bytes already, so for all other lines
//! the rule is the plain one. 60 and 122 use their spelled lengths (the
//! definitions write 60 without and 122 with milliseconds, and their BodyLengths
//! agree).
//!
//! QuickFIX's own comparator is much looser: its patterns
//! (`test/definitions/fields.fmt`) are unanchored regular expressions, `9=.`
//! accepts any BodyLength, `10=\d{3}` any digits (it never verifies the sum), and
//! it also pattern-matches 17, 37, 42, 75 and 198. This comparison takes those
//! fields exactly (none of the FIX 4.4 server definitions expects one).

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use fixgate_core::fix::checksum::checksum;
use fixgate_core::fix::value::parse_utc_timestamp;

/// The length the definitions' BodyLengths count for SendingTime (52): a
/// millisecond UTCTimestamp (see the module doc).
pub const DEFINITION_SENDING_TIME_LEN: usize = 21;

/// Bytes as text with SOH shown as `|`.
pub fn visible(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace('\x01', "|")
}

/// Splits a message into `(tag, value)` pairs; a field without `=` has an empty
/// tag and the whole text as its value.
fn fields(msg: &[u8]) -> Vec<(&[u8], &[u8])> {
    let msg = msg.strip_suffix(b"\x01").unwrap_or(msg);
    msg.split(|&b| b == 1)
        .map(|f| match f.iter().position(|&b| b == b'=') {
            Some(p) => (&f[..p], &f[p + 1..]),
            None => (&b""[..], f),
        })
        .collect()
}

fn parse_len(v: &[u8]) -> Option<usize> {
    if v.is_empty() || v.len() > 9 || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(v).ok()?.parse().ok()
}

/// Checks that `actual`'s BodyLength and CheckSum are its true ones.
fn check_integrity(actual: &[u8]) -> Result<(), String> {
    let first = actual
        .iter()
        .position(|&b| b == 1)
        .ok_or("no SOH in the message")?;
    let rest = &actual[first + 1..];
    let Some(len_field) = rest.strip_prefix(b"9=") else {
        return Err("the second field is not BodyLength (9)".to_string());
    };
    let len_end = len_field
        .iter()
        .position(|&b| b == 1)
        .ok_or("BodyLength has no SOH")?;
    let declared = parse_len(&len_field[..len_end]).ok_or("BodyLength is not a number")?;
    let body_start = first + 1 + 2 + len_end + 1;
    let trailer = actual
        .windows(4)
        .rposition(|w| w == b"\x0110=")
        .map(|p| p + 1)
        .ok_or("no CheckSum (10) field")?;
    if !actual.ends_with(b"\x01") || actual.len() != trailer + 7 {
        return Err("CheckSum (10) is not the last field with three digits".to_string());
    }
    let body_len = trailer.saturating_sub(body_start);
    if declared != body_len {
        return Err(format!(
            "BodyLength (9) is {declared} but the body is {body_len} bytes"
        ));
    }
    let sum = checksum(&actual[..trailer]);
    let written = &actual[trailer + 3..trailer + 6];
    if format!("{sum:03}").as_bytes() != written {
        return Err(format!(
            "CheckSum (10) is {} but the bytes sum to {sum:03}",
            String::from_utf8_lossy(written)
        ));
    }
    Ok(())
}

fn is_timestamp_tag(tag: &[u8]) -> bool {
    matches!(tag, b"52" | b"60" | b"122")
}

/// Compares a received message with the expected one under the rules in the
/// module doc.
///
/// # Errors
/// The first difference, in words.
pub fn compare(expected: &[u8], actual: &[u8]) -> Result<(), String> {
    let e = fields(expected);
    let a = fields(actual);
    if e.len() != a.len() {
        let show = |f: Option<&(&[u8], &[u8])>| match f {
            Some((t, v)) => format!("({}={})", visible(t), visible(v)),
            None => "(nothing)".to_string(),
        };
        let at = (0..e.len().max(a.len()))
            .find(|&i| e.get(i) != a.get(i))
            .unwrap_or(0);
        return Err(format!(
            "number of fields differs: expected {}, received {}; first difference at field {}: \
             expected {}, received {}",
            e.len(),
            a.len(),
            at + 1,
            show(e.get(at)),
            show(a.get(at))
        ));
    }
    let mut adjust: i64 = 0;
    let mut body_lengths = None;
    for (i, (&(et, ev), &(at, av))) in e.iter().zip(&a).enumerate() {
        if et != at {
            return Err(format!(
                "expected field ({}) but found field ({}) at position {}",
                visible(et),
                visible(at),
                i + 1
            ));
        }
        match et {
            b"10" => {
                if av.len() != 3 || !av.iter().all(u8::is_ascii_digit) {
                    return Err(format!("CheckSum (10) {} is not three digits", visible(av)));
                }
            }
            b"9" => body_lengths = Some((ev, av)),
            t if is_timestamp_tag(t) => {
                if parse_utc_timestamp(av).is_err() {
                    return Err(format!(
                        "field ({}) value ({}) is not a UTCTimestamp",
                        visible(t),
                        visible(av)
                    ));
                }
                let expected_len = if t == b"52" {
                    DEFINITION_SENDING_TIME_LEN
                } else {
                    ev.len()
                };
                adjust += av.len() as i64 - expected_len as i64;
            }
            t => {
                if ev != av {
                    return Err(format!(
                        "value in field ({}) should be ({}) but was ({})",
                        visible(t),
                        visible(ev),
                        visible(av)
                    ));
                }
            }
        }
    }
    check_integrity(actual)?;
    if let Some((ev, av)) = body_lengths {
        let want = parse_len(ev)
            .ok_or_else(|| format!("expected BodyLength {} is not a number", visible(ev)))?;
        let got = parse_len(av).ok_or("BodyLength is not a number")?;
        if want as i64 + adjust != got as i64 {
            return Err(format!(
                "BodyLength (9) should be {} ({} adjusted by {adjust:+} for the timestamps) but was {got}",
                want as i64 + adjust,
                visible(ev)
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::acceptance_def::materialize;
    use fixgate_core::time::UtcNanos;

    fn m(s: &str) -> Vec<u8> {
        materialize(s.replace('|', "\x01").as_bytes(), UtcNanos::EPOCH)
    }

    #[test]
    fn timestamps_match_by_pattern_and_adjust_body_length() {
        let e = m("8=FIX.4.4|9=72|35=D|34=2|49=ISLD|52=00000000-00:00:00.000|56=TW44|60=00000000-00:00:00|10=0|");
        let a = m("8=FIX.4.4|35=D|34=2|49=ISLD|52=20260316-14:30:00.123|56=TW44|60=20260316-14:30:00.456|");
        assert_eq!(compare(&e, &a), Ok(()));
        let a = m(
            "8=FIX.4.4|35=D|34=2|49=ISLD|52=20260316-14:30:00.123|56=TW44|60=2026031-14:30:00.456|",
        );
        assert!(compare(&e, &a).unwrap_err().contains("not a UTCTimestamp"));
    }

    #[test]
    fn text_and_order_are_exact() {
        let e = m(
            "8=FIX.4.4|35=3|34=2|49=ISLD|52=00000000-00:00:00.000|56=TW44|45=2|58=CompID problem|",
        );
        let a = m(
            "8=FIX.4.4|35=3|34=2|49=ISLD|52=20260316-14:30:00.123|56=TW44|45=2|58=CompID Problem|",
        );
        assert!(compare(&e, &a).unwrap_err().contains("field (58)"));
        let a = m(
            "8=FIX.4.4|35=3|34=2|52=20260316-14:30:00.123|49=ISLD|56=TW44|45=2|58=CompID problem|",
        );
        assert!(compare(&e, &a).unwrap_err().contains("expected field (49)"));
    }

    #[test]
    fn wrong_body_length_or_checksum_fails() {
        let e = m("8=FIX.4.4|35=0|34=2|49=ISLD|52=00000000-00:00:00.000|56=TW44|");
        let good = m("8=FIX.4.4|35=0|34=2|49=ISLD|52=20260316-14:30:00.123|56=TW44|");
        assert_eq!(compare(&e, &good), Ok(()));
        let mut bad_sum = good.clone();
        let n = bad_sum.len();
        bad_sum[n - 2] = if bad_sum[n - 2] == b'9' { b'0' } else { b'9' };
        assert!(compare(&e, &bad_sum).unwrap_err().contains("CheckSum"));
        let bad_len = m("8=FIX.4.4|9=50|35=0|34=2|49=ISLD|52=20260316-14:30:00.123|56=TW44|");
        assert!(compare(&e, &bad_len).unwrap_err().contains("BodyLength"));
    }
}
