//! Checks for the `cme_channel` fuzz target: one sans-IO
//! [`CmeChannel`] (A/B arbitration, gap recovery from snapshot loops, the
//! CME adapter) driven by a fuzz-chosen session.
//!
//! # Input
//!
//! Read byte by byte (zeros once the input runs out). The first byte picks
//! the mode.
//!
//! **Structured** (`b0 & 0x80 == 0`): a scripted venue (the tests'
//! `cme_channel_support/venue.rs`: three instruments, one with orders) makes
//! a session, and the input chooses its faults. Header: `b1 b2` the venue's
//! seed; `b3`: `40 + b3 % 120` packets; `b4`: a snapshot loop (as of that
//! point, spread over the following packets, after the definition loop as of
//! that point) every `10 + b4 % 40` packets;
//! `b5`: odd = a late join at packet `(b5 >> 1) % 30`; `b6` bits: 0 an
//! instrument added intraday, 1 a `ChannelReset4` in the middle of an event,
//! 2 the weekly sequence reset (only with 100 packets or more). Then one
//! byte per packet: bits 0–1 the fate of line A's copy (kept, dropped,
//! duplicated, arriving 1–4 packets late), bits 2–3 line B's, bit 4 lost on
//! both lines, bit 5 the snapshot packet due then is lost, bits 6–7 how
//! many packets late. Delays count packets of the script, not arrivals, so
//! no copy is more than 4 sequence numbers out of order (far fewer than the
//! test arbiter's 64-packet duplicate horizon, past which a straggler starts
//! a new sequence epoch). The last 3 packets always come through (a loss at
//! the very end cannot be seen). The packet holding a `ChannelReset4`
//! always comes through on line A (a reset lost on both lines can fool the
//! `RptSeq` proof: see the `cme_channel` module docs), and so do the 40
//! packets before the weekly reset and its first, none of them delayed (the
//! arbiter recognizes a new sequence only more than its duplicate horizon
//! behind the old one, and takes a straggler of the old week behind the new
//! one's first packets for a new-week packet; with the real horizon of
//! 65,536 a week is far longer).
//!
//! **Raw** (`b0 & 0x80`): arbitrary datagrams: `[route][len]` then `len`
//! bytes, `route` picking the line (bit 0), the feed (`(route >> 1) % 3`)
//! and how far the clock moves (`route >> 3` µs), with the channel's
//! timeouts applied as they fall due.
//!
//! # Invariants (beyond "never panics")
//!
//! Structured: at every venue-event end, every instrument whose levels
//! (orders) are verified has exactly the fault-free run's levels (orders) as
//! of the last incremental packet applied, and every one that is not is
//! flagged `MAYBE_BAD_BOOK` (the tests' `harness.rs`); after the input and
//! at most two more definition and snapshot loops, every instrument is verified and every
//! book equals the fault-free run's; without a weekly reset, every packet
//! was applied once or counted lost. Raw: after `handle_timeout(now)`,
//! `poll_timeout()` is later than `now`; `finish` leaves no venue event
//! open; nothing panics.

// (The encoder's files allow their own dead code.)
#[path = "../../src/sim/cme_encode.rs"]
mod cme_encode;
#[path = "../../src/sim/cme_encode_recovery.rs"]
mod cme_encode_recovery;
#[path = "../../crates/fixgate-core/tests/cme_channel_support/harness.rs"]
#[allow(dead_code, reason = "shared with the CmeChannel tests")]
mod harness;
#[path = "../../crates/fixgate-core/tests/cme_channel_support/venue.rs"]
#[allow(dead_code, reason = "shared with the CmeChannel tests")]
mod venue;

use fixgate_core::event::Event;
use fixgate_core::normalize::arbiter::Line;
use fixgate_core::normalize::cme::Feed;
use fixgate_core::normalize::cme_channel::CmeChannel;
use fixgate_core::time::{MonoNanos, UtcNanos};

use harness::{clean, definitions, definitions_now, snapshots, Arrival, Reorder, Run};
use venue::Venue;

struct Input<'a> {
    data: &'a [u8],
}

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }
}

/// Runs one input (see the module docs).
pub fn check(data: &[u8]) {
    let mut input = Input { data };
    if input.byte() & 0x80 != 0 {
        raw(&mut input);
    } else {
        structured(&mut input);
    }
}

const CLEAN_TAIL: usize = 3;

fn structured(input: &mut Input<'_>) {
    let seed = u64::from(input.byte()) | u64::from(input.byte()) << 8;
    let packets = 40 + usize::from(input.byte() % 120);
    let every = 10 + usize::from(input.byte() % 40);
    let b5 = input.byte();
    let join = if b5 & 1 == 1 {
        usize::from(b5 >> 1) % 30
    } else {
        0
    };
    let features = input.byte();
    let weekly = features & 4 != 0 && packets >= 100;
    let mut v = Venue::standard(seed);
    // The packet holding the ChannelReset4, if any.
    let mut reset_at = None;
    // (after packet, snapshot loop, definition loop) as of that point.
    let mut loops: Vec<(usize, Vec<Vec<u8>>, Vec<Arrival>)> = Vec::new();
    while v.packets.len() < packets {
        let n = v.packets.len();
        if features & 1 != 0 && n == packets / 2 {
            v.add_instrument(104, 5);
        } else if features & 2 != 0 && n == packets * 2 / 3 {
            reset_at = Some(v.channel_reset_mid_event() + 1);
        } else if weekly && n == 80 {
            v.weekly_reset();
        } else {
            v.step();
        }
        if v.packets.len().is_multiple_of(every) {
            loops.push((v.packets.len(), v.snapshot_loop(), definitions_now(&v)));
        }
    }
    let end_loop = v.snapshot_loop();
    let end_definitions = definitions_now(&v);
    let clean = clean(&v);
    let mut run = Run::new();
    let mut out = Reorder::default();
    if join == 0 {
        for a in definitions(&v) {
            out.push(a, 0);
        }
    }
    let mut due: Vec<Arrival> = Vec::new();
    let total = v.packets.len();
    for (i, p) in v.packets.iter().enumerate() {
        out.tick();
        if p.epoch > 0 && p.seq == 1 {
            // The week's loops end with it.
            due.clear();
        }
        if join > 0 && i == join + 2 {
            for a in definitions_now(&v) {
                out.push(a, 0);
            }
        }
        let f = input.byte();
        let tail = i + CLEAN_TAIL >= total;
        let late = 1 + usize::from(f >> 6);
        // A lost ChannelReset4 can fool the RptSeq proof (see the
        // `cme_channel` module docs), and the arbiter tells a new week from
        // stragglers only past its duplicate horizon (64 here): the reset
        // packets, and the 40 before the weekly one (so that every hole
        // before it is declared, 16 being the reorder window), come through
        // on line A.
        let protect = reset_at == Some(i) || (weekly && (40..=80).contains(&i));
        let upstream_loss = f & 0x10 != 0 && !tail && !protect;
        if i >= join && !upstream_loss {
            for (line, fate) in [(Line::A, f & 3), (Line::B, (f >> 2) & 3)] {
                let copy = Arrival::inc(line, p);
                let weekly_window = weekly && (40..=80).contains(&i);
                let fate = match (tail, protect, line) {
                    (true, _, _) | (_, true, Line::A) => 0,
                    // No copy straggles across the weekly reset.
                    _ if weekly_window && fate == 3 => 0,
                    _ => fate,
                };
                match fate {
                    1 => {}
                    2 => {
                        out.push(copy.clone(), 0);
                        out.push(copy, 0);
                    }
                    3 => out.push(copy, late),
                    _ => out.push(copy, 0),
                }
            }
        }
        if !due.is_empty() {
            let s = due.remove(0);
            if f & 0x20 == 0 {
                out.push(s, 0);
            }
        }
        if let Some((_, l, d)) = loops.iter().find(|(at, _, _)| *at == i + 1) {
            due.extend(d.iter().cloned());
            due.extend(snapshots(l));
        }
    }
    for a in due {
        out.push(a, 0);
    }
    run.deliver_all(&out.finish(), &clean);
    run.drain(&clean);
    for _ in 0..2 {
        if run.ch.is_recovering() || run.ch.normalizer().registry().len() < v.insts.len() {
            run.deliver_all(&end_definitions, &clean);
            run.deliver_all(&snapshots(&end_loop), &clean);
        }
    }
    run.assert_recovered(&clean);
    if !weekly {
        let c = run.ch.counters();
        assert_eq!(
            c.arbiter.channel.accepted + c.recovery.lost_packets,
            total as u64,
            "every packet applied once or counted lost"
        );
    }
}

fn raw(input: &mut Input<'_>) {
    let mut ch = CmeChannel::new(harness::config(), Vec::<Event>::new()).expect("valid");
    let mut now_ns = 0u64;
    let mut buf = Vec::with_capacity(256);
    for _ in 0..400 {
        if input.data.is_empty() {
            break;
        }
        let route = input.byte();
        let len = usize::from(input.byte());
        buf.clear();
        for _ in 0..len {
            buf.push(input.byte());
        }
        let line = if route & 1 == 0 { Line::A } else { Line::B };
        let feed =
            [Feed::Incremental, Feed::Definition, Feed::Recovery][usize::from(route >> 1) % 3];
        now_ns += u64::from(route >> 3) * 1_000;
        let now = MonoNanos::from_nanos(now_ns);
        let _ = ch.handle_packet(line, feed, &buf, UtcNanos::from_nanos(now_ns), now);
        if ch.poll_timeout().is_some_and(|t| t <= now) {
            ch.handle_timeout(now);
        }
        if let Some(t) = ch.poll_timeout() {
            assert!(
                t > now,
                "a deadline at or before now survived handle_timeout"
            );
        }
        ch.sink_mut().clear();
    }
    ch.finish();
    assert!(!ch.normalizer().in_event());
}
