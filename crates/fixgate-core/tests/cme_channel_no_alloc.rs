//! `CmeChannel` allocates nothing per packet: after construction, a whole
//! faulty session under the thread-local counting allocator (a sink that
//! only counts): a late join, the definition loop, duplicates on both lines,
//! loss on both lines, early arrivals, snapshot loops with a lost 53 chunk,
//! replays, a recovery buffer that overflows, `ChannelReset4` in the middle
//! of an event, an instrument added intraday, the weekly sequence reset,
//! timeouts, kernel drop counts, and refused packets (too short, too long).
//! Its own test binary because it installs that allocator.

mod cme_channel_support;
mod no_alloc_support;

use std::hint::black_box;

use cme_channel_support::harness::{config, definitions_now, snapshots, Arrival};
use cme_channel_support::venue::*;
use fixgate_core::event::Event;
use fixgate_core::normalize::arbiter::Line;
use fixgate_core::normalize::batch::FnSink;
use fixgate_core::normalize::cme::Feed;
use fixgate_core::normalize::cme_channel::CmeChannel;
use fixgate_core::time::{MonoNanos, UtcNanos};
use fixgate_ring::alloc_count::CountingAllocator;
use no_alloc_support::no_alloc;

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

fn count(events: &[Event]) {
    black_box(events.len());
}

/// The session: arrivals in order (built before anything is measured).
fn session() -> Vec<Arrival> {
    let mut v = Venue::standard(99);
    let mut out = Vec::new();
    let both = |out: &mut Vec<Arrival>, p: &Pkt| {
        out.push(Arrival::inc(Line::A, p));
        out.push(Arrival::inc(Line::B, p));
    };
    v.steps(60);
    // Late join at packet 10, the definitions after the first packets.
    for p in &v.packets[10..20] {
        both(&mut out, p);
    }
    out.extend(definitions_now(&v));
    let loop1 = v.snapshot_loop();
    for p in &v.packets[20..60] {
        both(&mut out, p);
    }
    out.extend(snapshots(&loop1));
    // Loss on both lines, an early arrival, a lost chunk in the loop.
    let from = v.packets.len();
    v.steps(30);
    // As of 10 packets before it arrives: those 10 are replayed.
    let loop2 = v.snapshot_loop();
    v.steps(10);
    for (i, p) in v.packets[from..].iter().enumerate() {
        if i == 5 || i == 6 {
            continue;
        }
        if i == 10 {
            out.push(Arrival::inc(Line::A, &v.packets[from + 11]));
        }
        both(&mut out, p);
    }
    let mut s = snapshots(&loop2);
    s.remove(2);
    out.extend(s);
    out.extend(snapshots(&loop2));
    // A reset mid-event, an instrument added intraday, the weekly reset.
    let from = v.packets.len();
    v.channel_reset_mid_event();
    v.add_instrument(104, 5);
    v.steps(120);
    v.weekly_reset();
    v.steps(30);
    for p in &v.packets[from..] {
        both(&mut out, p);
    }
    out.extend(snapshots(&v.snapshot_loop()));
    out
}

#[test]
fn a_faulty_session_allocates_nothing() {
    let arrivals = session();
    let mut cfg = config();
    // Small enough to overflow during the first recovery.
    cfg.recovery_buffer_packets = 32;
    let mut ch = CmeChannel::new(cfg, FnSink(count as fn(&[Event]))).expect("valid");
    let too_long = vec![0u8; 2000];
    let mut now_ns = 0u64;
    for (i, a) in arrivals.iter().enumerate() {
        now_ns += 1_000;
        let now = MonoNanos::from_nanos(now_ns);
        no_alloc("handle_packet", || {
            black_box(ch.handle_packet(a.line, a.feed, &a.bytes, UtcNanos::EPOCH, now))
        })
        .expect("well-formed");
        if ch.poll_timeout().is_some_and(|t| t <= now) {
            no_alloc("handle_timeout", || ch.handle_timeout(now));
        }
        if i % 50 == 0 {
            let (short, long) = no_alloc("refused", || {
                let short =
                    ch.handle_packet(Line::A, Feed::Incremental, &[1, 2], UtcNanos::EPOCH, now);
                let long =
                    ch.handle_packet(Line::B, Feed::Incremental, &too_long, UtcNanos::EPOCH, now);
                ch.handle_kernel_drops(Line::A, 3);
                black_box(ch.counters());
                (short, long)
            });
            assert!(short.is_err() && long.is_err());
        }
    }
    while let Some(t) = ch.poll_timeout() {
        no_alloc("drain", || ch.handle_timeout(t));
    }
    no_alloc("finish", || ch.finish());
    let c = ch.counters();
    println!("{} arrivals, {:#?}", arrivals.len(), c.recovery);
    assert!(c.recovery.gaps >= 2);
    assert!(c.recovery.buffer_overflows > 0);
    assert!(c.recovery.replayed_packets > 0);
    assert!(c.recovery.chunk_breaks >= 1);
    assert_eq!(c.recovery.sequence_resets, 1);
    assert!(c.recovery.recoveries >= 2);
    assert!(!ch.is_recovering());
}
