//! Session round-trip benchmark: one NewOrderSingle → ExecutionReport between
//! two logged-on fixgate sessions in memory, with dictionary validation on and
//! off, same group, same messages.
//!
//! One iteration is one whole round trip through both session engines:
//!
//! 1. the client sends a NewOrderSingle with [`Session::send`] (header from the
//!    session, persisted in its [`MemoryStore`], queued for the transport);
//! 2. its bytes go to the venue's [`Session::handle_input`] (framing, CheckSum,
//!    field index, validation, sequence and CompID checks, the application
//!    callback), whose application answers with an ExecutionReport through its
//!    [`Outbox`] (persisted, queued);
//! 3. those bytes go to the client's `handle_input`, whose application reads
//!    the ER's ClOrdID and checks it answers the order just sent.
//!
//! Time comes from a manual clock advanced 3 µs per round trip, so no timer is
//! due and no Heartbeat is sent (`handle_timeout` is never called). So that
//! [`MemoryStore`] (every outbound message kept for resending) does not grow
//! without bound over millions of iterations, the pair is rebuilt and logged on
//! again after every 65,536 round trips, outside the timed region.
//!
//! Groups: `session_rtt/nos_er` with `validated` (both sessions validate every
//! inbound message against `fixgate44`) and `unvalidated`
//! (`use_data_dictionary = false`; the dictionary still names the data tags).
//! One element is one round trip, so criterion's time per iteration is ns per
//! round trip. No other session engine is a dependency to compare with (fefix
//! 0.7 has no session layer), so the pair in the group is validation on and
//! off; compare the two rows of one run, not numbers across machines.

mod support;

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use fixgate_core::fix::dictionary::fixgate44;
use fixgate_core::fix::encode::{Encoder, TimePrecision, TimestampCache};
use fixgate_core::fix::{Dictionary, Message, MsgType, Tag};
use fixgate_core::session::{
    AppReject, Application, MemoryStore, Outbox, Role, Session, SessionConfig,
};
use fixgate_core::time::{Clock, TscClock, UtcNanos};

/// 2026-03-16 14:30:00 UTC.
const T0_NS: u64 = 1_773_671_400_000_000_000;
/// Clock step per round trip.
const STEP_NS: u64 = 3_000;
/// Round trips before the pair is rebuilt (bounds the stores' memory).
const FRESH_AFTER: u64 = 1 << 16;

/// The venue: one ExecutionReport per NewOrderSingle, echoing its ClOrdID.
#[derive(Default)]
struct Venue {
    orders: u64,
}

impl Application for Venue {
    fn on_message(&mut self, msg: &Message<'_>, out: &mut Outbox<'_>) -> Result<(), AppReject> {
        if msg.msg_type() != Some(MsgType::NEW_ORDER_SINGLE) {
            return Err(AppReject::UnsupportedMessageType);
        }
        let cl_ord_id = msg
            .raw(Tag(11))
            .map_err(|_| AppReject::FieldMissing(Tag(11)))?;
        self.orders += 1;
        let n = self.orders;
        out.send(MsgType::EXECUTION_REPORT, |e| {
            e.uint(Tag(37), n);
            e.field(Tag(11), cl_ord_id);
            e.uint(Tag(17), n);
            e.char(Tag(150), b'0');
            e.char(Tag(39), b'0');
            e.field(Tag(55), b"EURUSD");
            e.char(Tag(54), b'1');
            e.uint(Tag(151), 100);
            e.uint(Tag(14), 0);
            e.field(Tag(6), b"0");
        })
        .expect("the venue's ExecutionReport is stored");
        Ok(())
    }
}

/// The client: remembers the ClOrdID of the last ExecutionReport.
#[derive(Default)]
struct Client {
    reports: u64,
    last_cl_ord_id: u64,
}

impl Application for Client {
    fn on_message(&mut self, msg: &Message<'_>, _out: &mut Outbox<'_>) -> Result<(), AppReject> {
        if msg.msg_type() != Some(MsgType::EXECUTION_REPORT) {
            return Err(AppReject::UnsupportedMessageType);
        }
        self.last_cl_ord_id = msg
            .uint(Tag(11))
            .map_err(|_| AppReject::FieldMissing(Tag(11)))?;
        self.reports += 1;
        Ok(())
    }
}

fn config(role: Role, validate: bool) -> SessionConfig {
    let (me, them) = match role {
        Role::Initiator => ("CLIENT", "VENUE"),
        Role::Acceptor => ("VENUE", "CLIENT"),
    };
    let mut c = SessionConfig::new("FIX.4.4", me, them, role);
    c.use_data_dictionary = validate;
    c
}

/// Two logged-on sessions, their applications and the manual clock.
struct Pair {
    client: Session<MemoryStore>,
    venue: Session<MemoryStore>,
    client_app: Client,
    venue_app: Venue,
    now_ns: u64,
    round_trips: u64,
    ts: TimestampCache,
}

impl Pair {
    fn new(dict: &Arc<Dictionary>, validate: bool) -> Self {
        let t0 = UtcNanos::from_nanos(T0_NS);
        let session = |role| {
            Session::new(
                config(role, validate),
                MemoryStore::new(t0),
                Some(dict.clone()),
                None,
            )
        };
        let mut p = Pair {
            client: session(Role::Initiator),
            venue: session(Role::Acceptor),
            client_app: Client::default(),
            venue_app: Venue::default(),
            now_ns: T0_NS,
            round_trips: 0,
            ts: TimestampCache::default(),
        };
        p.venue.handle_connect(t0);
        p.client.handle_connect(t0);
        p.exchange(t0);
        assert!(
            p.client.is_logged_on() && p.venue.is_logged_on(),
            "logon failed: {:?} {:?}",
            p.client.poll_event(),
            p.venue.poll_event()
        );
        while let Some(e) = p.client.poll_event().or_else(|| p.venue.poll_event()) {
            assert_eq!(e, fixgate_core::session::SessionEvent::LoggedOn);
        }
        p
    }

    /// Client's bytes to the venue, then the venue's to the client.
    #[inline]
    fn exchange(&mut self, now: UtcNanos) {
        let out = self.client.poll_transmit();
        let n = out.len();
        self.venue.handle_input(now, out, &mut self.venue_app);
        self.client.transmitted(n);
        let back = self.venue.poll_transmit();
        let n = back.len();
        self.client.handle_input(now, back, &mut self.client_app);
        self.venue.transmitted(n);
    }

    /// One NewOrderSingle out, one ExecutionReport back.
    #[inline]
    fn round_trip(&mut self) {
        self.now_ns += STEP_NS;
        self.round_trips += 1;
        let now = UtcNanos::from_nanos(self.now_ns);
        let id = self.round_trips;
        let ts = &mut self.ts;
        self.client
            .send(now, MsgType::NEW_ORDER_SINGLE, |e: &mut Encoder<'_>| {
                e.uint(Tag(11), id);
                e.field(Tag(55), b"EURUSD");
                e.char(Tag(54), b'1');
                e.timestamp(Tag(60), now, TimePrecision::Millis, ts);
                e.uint(Tag(38), 100);
                e.char(Tag(40), b'2');
                e.field(Tag(44), b"1.085");
            })
            .expect("the client's NewOrderSingle is stored");
        self.exchange(now);
        debug_assert_eq!(self.client_app.last_cl_ord_id, id);
    }

    /// Panics unless every round trip so far came back, in order, with no
    /// event on either side.
    fn check(&mut self) {
        assert_eq!(self.client_app.reports, self.round_trips);
        assert_eq!(self.client_app.last_cl_ord_id, self.round_trips);
        assert_eq!(self.venue_app.orders, self.round_trips);
        let (c_out, c_in) = self.client.seq_nums();
        let (v_out, v_in) = self.venue.seq_nums();
        assert_eq!((c_out, c_in), (v_in, v_out));
        assert_eq!(self.client.poll_event(), None);
        assert_eq!(self.venue.poll_event(), None);
    }
}

fn bench_round_trip(c: &mut Criterion) {
    let dict = Arc::new(fixgate44());
    let clock = TscClock::new();
    for validate in [true, false] {
        let mut p = Pair::new(&dict, validate);
        for _ in 0..1000 {
            p.round_trip();
        }
        p.check();
    }

    let mut group = c.benchmark_group("session_rtt/nos_er");
    group
        .throughput(Throughput::Elements(1))
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5));
    for (name, validate) in [("validated", true), ("unvalidated", false)] {
        let mut pair = Pair::new(&dict, validate);
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_custom(|iters| {
                let mut elapsed = 0u64;
                let mut left = iters;
                while left > 0 {
                    if pair.round_trips >= FRESH_AFTER {
                        pair.check();
                        pair = Pair::new(&dict, validate);
                    }
                    let n = left.min(FRESH_AFTER - pair.round_trips);
                    let start = clock.raw();
                    for _ in 0..n {
                        pair.round_trip();
                    }
                    elapsed += clock.delta_nanos(start, clock.raw());
                    left -= n;
                }
                black_box(pair.client_app.last_cl_ord_id);
                Duration::from_nanos(elapsed)
            })
        });
        pair.check();
    }
    group.finish();
}

fn main() {
    support::print_environment("session_rtt");
    let mut c = Criterion::default().configure_from_args();
    bench_round_trip(&mut c);
    c.final_summary();
}
