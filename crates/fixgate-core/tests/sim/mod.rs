//! The harness of the deterministic simulation of two FIX sessions: an
//! initiator "CLIENT" and an acceptor "VENUE" (FIX.4.4, dictionary `fixgate44`,
//! CheckLatency on) joined by an in-memory network and driven by a manual clock,
//! with no threads, sockets or real time. The test binaries `session_sim_seeded`
//! (seeded fault runs) and `session_sim_scenarios` (named scenarios) include it
//! with `mod sim;`.
//!
//! Each step delivers the chunks due at the current instant, fires the timers
//! whose `poll_timeout` has passed, sends the client's orders that are due, and
//! drains `poll_transmit` and `poll_event` on both sides, until nothing moves;
//! then the clock jumps to the next thing due. The client sends `N`
//! NewOrderSingles (`ClOrdID` = `ORD{i}`); the venue answers each new ClOrdID
//! with one ExecutionReport and records every NOS it gets; the client records
//! every ER.
//!
//! A seeded fault layer (xorshift, no `rand`) sits on each direction: streams
//! are cut at random boundaries, chunks are dropped, duplicated or corrupted
//! (one byte), whole messages are delayed past the next ones, and the
//! connection is cut now and then (both sides get `handle_disconnect`; the initiator reconnects after a
//! delay). A session's own `Disconnect` event flushes what is pending, closes
//! the connection, and the initiator reconnects too. `FIXGATE_SIM_TRACE=1`
//! prints every message, fault and event of a run.
//!
//! | module | what it holds |
//! |---|---|
//! | this one | `Sim`: the clock, both peers, both links; connect, close, drain |
//! | `rng` | the seeded xorshift generator |
//! | `text` | reading whole messages: a field, a summary, splitting a stream |
//! | `apps` | the venue and client applications and their message bodies |
//! | `peer` | one side: session configuration, application, timer bookkeeping |
//! | `net` | the links, the chunks in flight, the connection, delivery |
//! | `faults` | the fault rates and the fault layer on each write |
//! | `step` | timers, orders, connection changes, settling, the next wake |
//! | `properties` | the properties checked and the state report |

#![allow(
    dead_code,
    reason = "each simulation test binary uses part of the harness"
)]

pub mod apps;
pub mod faults;
pub mod net;
pub mod peer;
pub mod properties;
pub mod rng;
pub mod step;
pub mod text;

use fixgate_core::session::{Role, SessionEvent};
use fixgate_core::time::UtcNanos;

use apps::{ClientApp, VenueApp};
use faults::Faults;
use net::{Conn, Dir, Link};
use peer::{config, Peer};
use rng::Rng;

pub const US: u64 = 1_000;
pub const MS: u64 = 1_000_000;
pub const SEC: u64 = 1_000_000_000;
/// 2026-03-16 14:30:00 UTC.
pub const T0: u64 = 1_773_671_400_000_000_000;
/// How long a timer that fired without effect is left alone (a shell's
/// shortest sleep).
pub const TIMER_BACKOFF: u64 = 10 * MS;

/// The whole simulation: the clock, both peers, both directions of the
/// network, the connection and the fault schedule.
pub struct Sim {
    seed: u64,
    pub now: u64,
    rng: Rng,
    pub client: Peer<ClientApp>,
    pub venue: Peer<VenueApp>,
    pub cv: Link,
    pub vc: Link,
    pub conn: Conn,
    pub faults: Faults,
    pub faults_until: u64,
    pub next_cut: u64,
    /// When the client sends each order.
    pub order_times: Vec<u64>,
    orders_sent: usize,
    next_chunk_id: u64,
    pub closes: u64,
    /// Print every message, fault and event (`FIXGATE_SIM_TRACE`).
    trace: bool,
}

impl Sim {
    pub fn new(seed: u64, heart_bt_int: u32) -> Self {
        Sim {
            seed,
            now: T0,
            rng: Rng::new(seed),
            client: Peer::new(config(Role::Initiator, heart_bt_int), ClientApp::default()),
            venue: Peer::new(config(Role::Acceptor, heart_bt_int), VenueApp::default()),
            cv: Link::default(),
            vc: Link::default(),
            conn: Conn::Down { reconnect_at: None },
            faults: Faults::default(),
            faults_until: 0,
            next_cut: u64::MAX,
            order_times: Vec::new(),
            orders_sent: 0,
            next_chunk_id: 0,
            closes: 0,
            trace: std::env::var_os("FIXGATE_SIM_TRACE").is_some(),
        }
    }

    pub fn log(&mut self, line: impl FnOnce() -> String) {
        if self.trace {
            println!("{:>10.3} ms  {}", (self.now - T0) as f64 / 1e6, line());
        }
    }

    pub(super) fn faulty(&self) -> bool {
        self.now < self.faults_until
    }

    /// Opens the connection: the acceptor fresh, then the initiator's Logon.
    pub fn connect(&mut self) {
        let now = UtcNanos::from_nanos(self.now);
        self.log(|| "connect".into());
        self.venue.session.handle_connect(now);
        self.client.session.handle_connect(now);
        self.conn = Conn::Up;
        self.cv.fifo_at = self.now;
        self.vc.fifo_at = self.now;
        self.drain(Dir::Cv);
        self.drain(Dir::Vc);
    }

    /// Closes the connection: in-flight bytes are lost, both sides told.
    pub(super) fn close(&mut self, why: &str) {
        self.log(|| format!("close ({why})"));
        let now = UtcNanos::from_nanos(self.now);
        self.client
            .session
            .handle_disconnect(now, &mut self.client.app);
        self.venue
            .session
            .handle_disconnect(now, &mut self.venue.app);
        self.cv.in_flight.clear();
        self.vc.in_flight.clear();
        self.closes += 1;
        let delay = self.rng.range(200 * MS, 3 * SEC);
        self.conn = Conn::Down {
            reconnect_at: Some(self.now + delay),
        };
        self.drain(Dir::Cv);
        self.drain(Dir::Vc);
    }

    /// Takes what `from`'s session has to send through the filter and the
    /// fault layer onto the wire, and handles its events. True when anything
    /// came out.
    pub fn drain(&mut self, from: Dir) -> bool {
        let (session, events) = match from {
            Dir::Cv => (&mut self.client.session, &mut self.client.events),
            Dir::Vc => (&mut self.venue.session, &mut self.venue.events),
        };
        let bytes = session.poll_transmit().to_vec();
        session.transmitted(bytes.len());
        let mut new_events = Vec::new();
        while let Some(e) = session.poll_event() {
            events.push((self.now, e));
            new_events.push(e);
        }
        let moved = !bytes.is_empty() || !new_events.is_empty();
        if !bytes.is_empty() {
            self.write(from, &bytes);
        }
        for e in new_events {
            self.log(|| format!("{from:?} event {e:?}"));
            if let (SessionEvent::Disconnect(_), Conn::Up) = (e, self.conn) {
                // Flush, then close once what is in flight has landed.
                let last = self
                    .cv
                    .in_flight
                    .iter()
                    .chain(&self.vc.in_flight)
                    .map(|c| c.at)
                    .max()
                    .unwrap_or(self.now);
                self.conn = Conn::Closing {
                    at: last.max(self.now) + US,
                };
            }
        }
        moved
    }
}
