//! A strict runner for QuickFIX's acceptance definitions (`*.def`) against a FIX
//! acceptor listening on a TCP address.
//!
//! It follows QuickFIX's own runner (`test/Runner.rb`, `ReflectorClient.rb`,
//! `Comparator.rb`) step by step:
//!
//! | step | what the runner does |
//! |---|---|
//! | `iCONNECT`, `iN,CONNECT` | opens connection N (retrying a refused connect for up to 5 s) |
//! | `I<msg>`, `IN,<msg>` | sends the message, `<TIME>`/`<TIME±N>` templated with the current UTC time (ms), BodyLength and CheckSum filled in where absent ([`materialize`]) |
//! | `E<msg>`, `EN,<msg>` | reads the next whole message (fixgate's [`Framer`]) within 10 s and [`compare`]s it |
//! | `eDISCONNECT`, `eN,DISCONNECT` | expects the acceptor to close within 10 s, with no data before the close |
//! | `iDISCONNECT`, `iN,DISCONNECT` | closes connection N |
//!
//! With `FIXGATE_ACCEPTANCE_TRACE=1` every message sent (`N>`) and received
//! (`N<`) is printed with its file, line and connection.
//!
//! At the end of a definition every connection still open is closed. A step that
//! names a connection that is not open fails ("connection dropped"), as in
//! QuickFIX. Every received frame must be valid: a bad frame or stray bytes fail
//! the step instead of being skipped.
//!
//! # The comparison
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
//! **The one deviation (SendingTime counts as 21 bytes).** The definitions were
//! moved to millisecond SendingTimes by rewriting the placeholder
//! `52=00000000-00:00:00` into `52=00000000-00:00:00.000` and adding 4 to each
//! BodyLength. Three lines spell a literal SendingTime without milliseconds but
//! got the +4 all the same (`14e_IncorrectEnumValue.def:26`,
//! `8_OnlyApplicationMessages.def:29`, `RejectResentMessage.def:6`: each one's
//! BodyLength is 4 more than its own text). No acceptor can match those under
//! the plain rule, so the expected length of 52 is taken to be 21 bytes (a
//! millisecond timestamp) whatever the line spells. Every other expected line's
//! SendingTime is 21 bytes already, so for them the rule is unchanged.
//!
//! QuickFIX's own comparator is much looser: its patterns
//! (`test/definitions/fields.fmt`) are unanchored regular expressions, `9=.`
//! accepts any BodyLength, `10=\d{3}` any digits (it never verifies the sum), and
//! it also pattern-matches 17, 37, 42, 75 and 198. This runner compares those
//! fields exactly (none of the FIX 4.4 server definitions expects one).
//!
//! [`materialize`]: super::acceptance_def::materialize
//! [`Framer`]: fixgate_core::fix::Framer

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use std::collections::BTreeMap;
use std::fmt;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

use fixgate_core::fix::checksum::checksum;
use fixgate_core::fix::value::parse_utc_timestamp;
use fixgate_core::fix::{FrameItem, Framer};
use fixgate_core::time::{Clock, MonoNanos, SystemClock};

use super::acceptance_def::{materialize, parse, Step};

/// How long a refused connect is retried.
pub const CONNECT_RETRY: Duration = Duration::from_secs(5);
/// How long an `E` step waits for its message.
pub const EXPECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long an `eDISCONNECT` step waits for the close.
pub const DISCONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The length the definitions' BodyLengths count for SendingTime (52): a
/// millisecond UTCTimestamp (see the module doc).
pub const DEFINITION_SENDING_TIME_LEN: usize = 21;
/// The largest message the runner accepts from the acceptor.
const MAX_MESSAGE_LEN: usize = 64 * 1024;
/// Upper bound on socket reads per step, on top of the time limit.
const MAX_READS_PER_STEP: usize = 100_000;

/// What a passing definition did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunStats {
    /// Steps executed (lines that are not comments).
    pub steps: usize,
    /// Messages sent.
    pub sent: usize,
    /// Messages received and matched.
    pub received: usize,
    /// `eDISCONNECT` steps where the close came as a connection reset.
    pub resets: usize,
    /// Wall time of the definition, in milliseconds.
    pub elapsed_ms: u64,
}

/// Why a definition failed: where, what was expected, what came instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunFailure {
    /// The definition's file name.
    pub file: String,
    /// 1-based line number of the failing step (0: the file did not parse).
    pub line: usize,
    /// What the step expected (`|` for SOH).
    pub expected: String,
    /// What happened instead (`|` for SOH).
    pub actual: String,
    /// Why they do not match.
    pub reason: String,
}

impl fmt::Display for RunFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}:{}: {}", self.file, self.line, self.reason)?;
        writeln!(f, "  expected: {}", self.expected)?;
        write!(f, "  actual:   {}", self.actual)
    }
}

/// Bytes as text with SOH shown as `|`.
pub fn visible(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace('\x01', "|")
}

/// One open connection to the acceptor.
struct Conn {
    stream: TcpStream,
    framer: Framer,
    /// Everything received, for failure reports.
    raw: Vec<u8>,
}

/// Why reading the next message failed.
enum ReadError {
    Timeout,
    Closed,
    Reset,
    Invalid(String),
    Io(String),
}

impl ReadError {
    fn describe(&self, conn: &Conn) -> String {
        let pending = visible(&conn.raw[conn.raw.len() - conn.framer.buffered()..]);
        match self {
            ReadError::Timeout if pending.is_empty() => "<nothing>".to_string(),
            ReadError::Timeout => format!("<incomplete> {pending}"),
            ReadError::Closed => format!("<disconnected> {pending}"),
            ReadError::Reset => format!("<connection reset> {pending}"),
            ReadError::Invalid(e) => format!("<invalid frame: {e}> {}", visible(&conn.raw)),
            ReadError::Io(e) => format!("<read error: {e}>"),
        }
    }
}

impl Conn {
    fn open(addr: SocketAddr, clock: &SystemClock) -> Result<Conn, String> {
        let deadline = deadline_after(clock, CONNECT_RETRY);
        let mut last = String::new();
        for _ in 0..1_000 {
            match TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
                Ok(stream) => {
                    stream.set_nodelay(true).map_err(|e| e.to_string())?;
                    return Ok(Conn {
                        stream,
                        framer: Framer::new(MAX_MESSAGE_LEN),
                        raw: Vec::new(),
                    });
                }
                Err(e) => last = e.to_string(),
            }
            if clock.mono() >= deadline {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(format!("cannot connect to {addr} within 5 s: {last}"))
    }

    /// One read (of at least one byte) before `deadline`.
    fn read_some(&mut self, deadline: MonoNanos, clock: &SystemClock) -> Result<usize, ReadError> {
        for _ in 0..MAX_READS_PER_STEP {
            let left = deadline.as_nanos().saturating_sub(clock.mono().as_nanos());
            if left == 0 {
                return Err(ReadError::Timeout);
            }
            let timeout = Duration::from_nanos(left.max(1_000_000));
            self.stream
                .set_read_timeout(Some(timeout))
                .map_err(|e| ReadError::Io(e.to_string()))?;
            let buf = self.framer.read_buf();
            match self.stream.read(buf) {
                Ok(0) => return Err(ReadError::Closed),
                Ok(n) => {
                    self.raw.extend_from_slice(&buf[..n]);
                    self.framer.commit(n);
                    return Ok(n);
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::ConnectionReset => return Err(ReadError::Reset),
                Err(e) => return Err(ReadError::Io(e.to_string())),
            }
        }
        Err(ReadError::Timeout)
    }

    /// The next whole, valid message, within `timeout`.
    fn next_message(
        &mut self,
        timeout: Duration,
        clock: &SystemClock,
    ) -> Result<Vec<u8>, ReadError> {
        let deadline = deadline_after(clock, timeout);
        for _ in 0..MAX_READS_PER_STEP {
            match self.framer.poll_frame() {
                Some(FrameItem::Message { bytes, .. }) => return Ok(bytes.to_vec()),
                Some(FrameItem::Invalid { offset, error, .. }) => {
                    return Err(ReadError::Invalid(format!(
                        "{error} at stream offset {offset}"
                    )))
                }
                None => {}
            }
            self.read_some(deadline, clock)?;
        }
        Err(ReadError::Timeout)
    }

    /// Waits for the peer to close; any data before the close is an error.
    fn expect_close(&mut self, clock: &SystemClock) -> Result<bool, String> {
        let deadline = deadline_after(clock, DISCONNECT_TIMEOUT);
        if self.framer.buffered() == 0 {
            match self.read_some(deadline, clock) {
                Err(ReadError::Closed) => return Ok(false),
                Err(ReadError::Reset) => return Ok(true),
                Err(ReadError::Timeout) => {
                    return Err("connection still open after 10 s".to_string());
                }
                Err(e) => return Err(e.describe(self)),
                Ok(_) => {}
            }
        }
        // Data came instead of the close: collect the rest of it briefly for the report.
        let grace = deadline_after(clock, Duration::from_millis(300));
        for _ in 0..16 {
            if self.read_some(grace, clock).is_err() {
                break;
            }
        }
        Err(format!(
            "<data instead of disconnect> {}",
            visible(&self.raw[self.raw.len() - self.framer.buffered()..])
        ))
    }
}

fn deadline_after(clock: &SystemClock, d: Duration) -> MonoNanos {
    clock.mono().saturating_add_nanos(d.as_nanos() as u64)
}

/// Runs one definition against the acceptor at `addr`; prints one line with its
/// name, step count and outcome.
///
/// # Errors
/// The first step that fails, with its line, what it expected and what came.
pub fn run_definition(addr: SocketAddr, name: &str, def: &[u8]) -> Result<RunStats, RunFailure> {
    let clock = SystemClock::new();
    let start = clock.mono();
    let mut stats = RunStats {
        steps: 0,
        sent: 0,
        received: 0,
        resets: 0,
        elapsed_ms: 0,
    };
    let mut conns = BTreeMap::new();
    let result = run_steps(addr, name, def, &clock, &mut conns, &mut stats);
    for (_, conn) in conns {
        let Conn { stream, .. } = conn;
        let _ = stream.shutdown(Shutdown::Both);
    }
    stats.elapsed_ms = clock.mono().saturating_sub(start) / 1_000_000;
    match &result {
        Ok(()) => println!(
            "acceptance {name}: {} steps, {} ms: PASS",
            stats.steps, stats.elapsed_ms
        ),
        Err(f) => println!(
            "acceptance {name}: FAIL at line {} after {} steps, {} ms: {}",
            f.line, stats.steps, stats.elapsed_ms, f.reason
        ),
    }
    result.map(|()| stats)
}

fn run_steps(
    addr: SocketAddr,
    name: &str,
    def: &[u8],
    clock: &SystemClock,
    conns: &mut BTreeMap<u8, Conn>,
    stats: &mut RunStats,
) -> Result<(), RunFailure> {
    let fail = |line: usize, expected: String, actual: String, reason: String| RunFailure {
        file: name.to_string(),
        line,
        expected,
        actual,
        reason,
    };
    let lines = parse(def).map_err(|e| fail(0, String::new(), String::new(), e))?;
    let trace = std::env::var_os("FIXGATE_ACCEPTANCE_TRACE").is_some_and(|v| v == "1");
    for line in lines {
        stats.steps += 1;
        let n = line.number;
        match line.step {
            Step::Connect { conn } => {
                let c = Conn::open(addr, clock)
                    .map_err(|e| fail(n, format!("connection {conn} open"), e.clone(), e))?;
                conns.insert(conn, c);
            }
            Step::Disconnect { conn } => {
                let c = conns.remove(&conn).ok_or_else(|| {
                    fail(n, "an open connection".into(), "none".into(), dropped(conn))
                })?;
                let _ = c.stream.shutdown(Shutdown::Both);
            }
            Step::ExpectDisconnect { conn } => {
                let c = conns
                    .get_mut(&conn)
                    .ok_or_else(|| fail(n, "<disconnect>".into(), "none".into(), dropped(conn)))?;
                match c.expect_close(clock) {
                    Ok(reset) => {
                        stats.resets += usize::from(reset);
                        if trace {
                            let how = if reset { "reset" } else { "closed" };
                            println!("  {name}:{n} {conn}< <{how}>");
                        }
                    }
                    Err(actual) => {
                        let reason = if actual.starts_with("<data") {
                            "expected disconnection, got data".to_string()
                        } else {
                            actual.clone()
                        };
                        return Err(fail(n, "<disconnect>".into(), actual, reason));
                    }
                }
                conns.remove(&conn);
            }
            Step::Send { conn, template } => {
                let msg = materialize(&template, clock.utc());
                let c = conns
                    .get_mut(&conn)
                    .ok_or_else(|| fail(n, visible(&msg), "none".into(), dropped(conn)))?;
                c.stream.write_all(&msg).map_err(|e| {
                    fail(n, visible(&msg), String::new(), format!("send failed: {e}"))
                })?;
                stats.sent += 1;
                if trace {
                    println!("  {name}:{n} {conn}> {}", visible(&msg));
                }
            }
            Step::Expect { conn, template } => {
                let expected = materialize(&template, clock.utc());
                let c = conns
                    .get_mut(&conn)
                    .ok_or_else(|| fail(n, visible(&expected), "none".into(), dropped(conn)))?;
                let actual = match c.next_message(EXPECT_TIMEOUT, clock) {
                    Ok(m) => m,
                    Err(e) => {
                        let reason = match e {
                            ReadError::Timeout => "no message within 10 s".to_string(),
                            ReadError::Closed | ReadError::Reset => {
                                "was disconnected, expected data".to_string()
                            }
                            ReadError::Invalid(ref s) => {
                                format!("invalid frame from the acceptor: {s}")
                            }
                            ReadError::Io(ref s) => s.clone(),
                        };
                        return Err(fail(n, visible(&expected), e.describe(c), reason));
                    }
                };
                compare(&expected, &actual)
                    .map_err(|reason| fail(n, visible(&expected), visible(&actual), reason))?;
                stats.received += 1;
                if trace {
                    println!("  {name}:{n} {conn}< {}", visible(&actual));
                }
            }
        }
    }
    Ok(())
}

fn dropped(conn: u8) -> String {
    format!("connection {conn} is not open (dropped or never connected)")
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
