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
//! | `E<msg>`, `EN,<msg>` | reads the next whole message (fixgate's [`Framer`]) within 10 s and [`compare`]s it with the expected one |
//! | `eDISCONNECT`, `eN,DISCONNECT` | expects the acceptor to close within 10 s, with no data before the close |
//! | `iDISCONNECT`, `iN,DISCONNECT` | closes connection N; data from the acceptor still unread then fails the step (QuickFIX does not look) |
//!
//! With `FIXGATE_ACCEPTANCE_TRACE=1` every message sent (`N>`) and received
//! (`N<`) is printed with its file, line and connection.
//!
//! At the end of a definition every connection still open is closed. A step that
//! names a connection that is not open fails ("connection dropped"), as in
//! QuickFIX. Every received frame must be valid: a bad frame or stray bytes fail
//! the step instead of being skipped.
//!
//! Messages are compared by [`compare`]: strict, field by field; its module
//! (`acceptance_compare`) states the rules and their one deviation.
//!
//! [`materialize`]: super::acceptance_def::materialize
//! [`Framer`]: fixgate_core::fix::Framer
//! [`compare`]: super::acceptance_compare::compare

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use std::collections::BTreeMap;
use std::fmt;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

use fixgate_core::fix::{FrameItem, Framer};
use fixgate_core::time::{Clock, MonoNanos, SystemClock};

pub use super::acceptance_compare::{compare, visible};
use super::acceptance_def::{materialize, parse, Step};

/// How long a refused connect is retried.
pub const CONNECT_RETRY: Duration = Duration::from_secs(5);
/// How long an `E` step waits for its message.
pub const EXPECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long an `eDISCONNECT` step waits for the close.
pub const DISCONNECT_TIMEOUT: Duration = Duration::from_secs(10);
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

    /// Whatever the acceptor sent that is still unread, without waiting (empty
    /// when nothing is pending).
    fn unread(&mut self) -> Vec<u8> {
        if self.stream.set_nonblocking(true).is_ok() {
            for _ in 0..64 {
                let buf = self.framer.read_buf();
                match self.stream.read(buf) {
                    Ok(n) if n > 0 => {
                        self.raw.extend_from_slice(&buf[..n]);
                        self.framer.commit(n);
                    }
                    _ => break,
                }
            }
            let _ = self.stream.set_nonblocking(false);
        }
        self.raw[self.raw.len() - self.framer.buffered()..].to_vec()
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
                let mut c = conns.remove(&conn).ok_or_else(|| {
                    fail(n, "an open connection".into(), "none".into(), dropped(conn))
                })?;
                let unread = c.unread();
                let _ = c.stream.shutdown(Shutdown::Both);
                if !unread.is_empty() {
                    return Err(fail(
                        n,
                        "<nothing more before the disconnect>".into(),
                        visible(&unread),
                        "unexpected data before the client disconnects".into(),
                    ));
                }
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
