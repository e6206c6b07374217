//! Reader for QuickFIX's acceptance-test definition format (`*.def`).
//!
//! Each line is one step: `iCONNECT` (the test client connects), `I<message>`
//! (it sends a message), `E<message>` (it expects one), `eDISCONNECT` (it expects
//! the acceptor to disconnect), `iDISCONNECT` (it disconnects). A step may name a
//! connection (`I2,8=FIX.4.4...`, `i1,CONNECT`); the default is connection 1.
//! Lines starting with `#` and blank lines are comments.
//!
//! Messages are templated: `<TIME>` (and `<TIME+N>`/`<TIME-N>`, in seconds) stand
//! for the current UTC time; a message without BodyLength (9) gets one, and one
//! without CheckSum (10) gets one, as QuickFIX's runner does. A message that has
//! them keeps them, which is how the suite sends bad lengths and checksums.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use fixgate_core::fix::checksum::{checksum, checksum_digits};
use fixgate_core::time::UtcNanos;

/// One step of a definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The client opens connection `conn`.
    Connect { conn: u8 },
    /// The client closes connection `conn`.
    Disconnect { conn: u8 },
    /// The acceptor is expected to close connection `conn`.
    ExpectDisconnect { conn: u8 },
    /// The client sends a message template.
    Send { conn: u8, template: Vec<u8> },
    /// The client expects a message matching this template.
    Expect { conn: u8, template: Vec<u8> },
}

/// A step with its 1-based line number in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Line number, for messages.
    pub number: usize,
    /// The step.
    pub step: Step,
}

/// Splits an optional `N,` connection prefix off a step body.
fn connection(rest: &[u8]) -> (u8, &[u8]) {
    match rest {
        [d @ b'1'..=b'9', b',', tail @ ..] => (d - b'0', tail),
        _ => (1, rest),
    }
}

/// Parses a definition file's bytes (they contain raw SOH bytes).
pub fn parse(bytes: &[u8]) -> Result<Vec<Line>, String> {
    let mut out = Vec::new();
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let number = i + 1;
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let Some((&kind, rest)) = line.split_first() else {
            continue;
        };
        if kind == b'#' || line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let (conn, body) = connection(rest);
        let step = match (kind, body) {
            (b'i', b"CONNECT") => Step::Connect { conn },
            (b'i', b"DISCONNECT") => Step::Disconnect { conn },
            (b'e', b"DISCONNECT") => Step::ExpectDisconnect { conn },
            (b'I', m) => Step::Send {
                conn,
                template: m.to_vec(),
            },
            (b'E', m) => Step::Expect {
                conn,
                template: m.to_vec(),
            },
            _ => {
                return Err(format!(
                    "line {number}: unknown step {:?}",
                    String::from_utf8_lossy(line)
                ))
            }
        };
        out.push(Line { number, step });
    }
    Ok(out)
}

/// A UTCTimestamp with milliseconds, as the runner writes `<TIME>`.
pub fn utc_ms(t: UtcNanos) -> String {
    let c = t.to_civil();
    format!(
        "{:04}{:02}{:02}-{:02}:{:02}:{:02}.{:03}",
        c.year,
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.nanos / 1_000_000
    )
}

/// Replaces `<TIME>`, `<TIME+N>` and `<TIME-N>` with `now` shifted by N seconds.
pub fn expand_time(template: &[u8], now: UtcNanos) -> Vec<u8> {
    let mut out = Vec::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(at) = find(rest, b"<TIME") {
        out.extend_from_slice(&rest[..at]);
        let after = &rest[at + 5..];
        let Some(close) = after.iter().position(|&b| b == b'>') else {
            out.extend_from_slice(&rest[at..]);
            return out;
        };
        let offset: i64 = std::str::from_utf8(&after[..close])
            .ok()
            .and_then(|s| s.strip_prefix('+').unwrap_or(s).parse().ok())
            .unwrap_or(0);
        let shifted = (now.as_nanos() as i64 + offset * 1_000_000_000) as u64;
        out.extend_from_slice(utc_ms(UtcNanos::from_nanos(shifted)).as_bytes());
        rest = &after[close + 1..];
    }
    out.extend_from_slice(rest);
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Adds BodyLength after the first field when the message has none, and CheckSum
/// at the end when it has none.
pub fn fill_length_and_checksum(msg: &[u8]) -> Vec<u8> {
    let mut m = msg.to_vec();
    if find(&m, b"\x019=").is_none() {
        if let Some(first_soh) = m.iter().position(|&b| b == 1) {
            let body_start = first_soh + 1;
            let body_end = find(&m, b"\x0110=").map_or(m.len(), |p| p + 1);
            let len = body_end.saturating_sub(body_start);
            let field = format!("9={len}\x01");
            m.splice(body_start..body_start, field.bytes());
        }
    }
    if find(&m, b"\x0110=").is_none() && !m.starts_with(b"10=") {
        let sum = checksum_digits(checksum(&m));
        m.extend_from_slice(b"10=");
        m.extend_from_slice(&sum);
        m.push(1);
    }
    m
}

/// A `Send` template as the runner puts it on the wire at time `now`.
pub fn materialize(template: &[u8], now: UtcNanos) -> Vec<u8> {
    fill_length_and_checksum(&expand_time(template, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templating_matches_the_runner() {
        let now = UtcNanos::from_nanos(1_773_671_400_123_000_000);
        let m = materialize(b"8=FIX.4.4\x0135=0\x0134=2\x0152=<TIME+10>\x01", now);
        assert_eq!(
            String::from_utf8(m).unwrap().replace('\x01', "|"),
            "8=FIX.4.4|9=35|35=0|34=2|52=20260316-14:30:10.123|10=116|"
        );
    }
}
