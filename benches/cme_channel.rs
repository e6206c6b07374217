//! One CME channel per packet: `CmeChannel` (A/B arbitration, loop dedup,
//! sync gates, the adapter and normalizer) on both lines, next to the
//! `CmeNormalizer` alone on one line, on the same stream.
//!
//! Input: the scripted venue of the `CmeChannel` tests
//! (`crates/fixgate-core/tests/cme_channel_support/venue.rs`): three
//! instruments, one with orders, 10,000 incremental packets of 1–3 messages
//! (46 levels, 47 orders), definitions first. `channel_ab`: every packet on
//! line A and, 3 packets later, on line B (one copy applied, one dropped as
//! a duplicate); `adapter_a`: each packet once, straight into the adapter.
//! Each iteration starts from a fresh channel with the definitions applied
//! (set up outside the timing), so no iteration sees duplicates of the last.
//! One element is one packet (two copies for `channel_ab`). No gaps: the
//! recovery buffer stays idle. Compare rows of one run, not across machines.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput};
use fixgate_core::event::{Event, EventFlags};
use fixgate_core::normalize::arbiter::Line;
use fixgate_core::normalize::batch::FnSink;
use fixgate_core::normalize::cme::{CmeConfig, CmeNormalizer, Feed, OrderData, PacketIn};
use fixgate_core::normalize::cme_channel::{CmeChannel, CmeChannelConfig};
use fixgate_core::time::{MonoNanos, UtcNanos};

#[path = "../tests/support"]
mod support {
    pub mod cme_encode;
    pub mod cme_encode_recovery;
}

#[path = "../crates/fixgate-core/tests/cme_channel_support/venue.rs"]
#[allow(dead_code, reason = "shared with the CmeChannel tests")]
mod venue;

use support::cme_encode;
use venue::Venue;

const PACKETS: usize = 10_000;
const LAG: usize = 3;

type Sink = FnSink<fn(&[Event])>;

fn count(events: &[Event]) {
    black_box(events.len());
}

fn channel(defs: &[Vec<u8>]) -> CmeChannel<Sink> {
    let mut cfg = CmeChannelConfig::channel(310, 16, 4096);
    cfg.orders = OrderData::Present;
    let mut ch = CmeChannel::new(cfg, FnSink(count as fn(&[Event]))).expect("valid");
    for d in defs {
        ch.handle_packet(
            Line::A,
            Feed::Definition,
            d,
            UtcNanos::EPOCH,
            MonoNanos::ZERO,
        )
        .expect("a packet");
    }
    ch
}

fn adapter(defs: &[Vec<u8>]) -> CmeNormalizer<Sink> {
    let mut cme = CmeNormalizer::new(
        CmeConfig::channel(310, 16, 4096),
        FnSink(count as fn(&[Event])),
    );
    for d in defs {
        cme.reset_feed_sequence(Feed::Definition);
        let rx = PacketIn {
            feed: Feed::Definition,
            ts_recv_ns: UtcNanos::EPOCH,
            recv_flags: EventFlags::empty(),
        };
        cme.handle_packet(rx, d).expect("a packet");
    }
    cme
}

fn main() {
    let _ = cme_encode::NULL_PX;
    let mut v = Venue::standard(1);
    v.steps(PACKETS);
    let defs = v.definition_loop();
    let packets: Vec<Vec<u8>> = v.packets.iter().map(|p| p.bytes.clone()).collect();
    // Arrival order on the two lines: A now, B `LAG` packets later.
    let mut arrivals = Vec::with_capacity(2 * PACKETS);
    for k in 0..PACKETS + LAG {
        if k < PACKETS {
            arrivals.push((Line::A, k));
        }
        if k >= LAG {
            arrivals.push((Line::B, k - LAG));
        }
    }

    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut group = c.benchmark_group("cme_channel");
    group.throughput(Throughput::Elements(PACKETS as u64));
    group.bench_function("channel_ab", |b| {
        b.iter_batched(
            || channel(&defs),
            |mut ch| {
                for (i, &(line, k)) in arrivals.iter().enumerate() {
                    let now = MonoNanos::from_nanos(i as u64 * 50);
                    let _ = ch.handle_packet(
                        line,
                        Feed::Incremental,
                        &packets[k],
                        UtcNanos::EPOCH,
                        now,
                    );
                }
                black_box(ch.counters().arbiter.channel.accepted);
                // Dropped outside the timing.
                ch
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("adapter_a", |b| {
        b.iter_batched(
            || adapter(&defs),
            |mut cme| {
                let rx = PacketIn {
                    feed: Feed::Incremental,
                    ts_recv_ns: UtcNanos::EPOCH,
                    recv_flags: EventFlags::empty(),
                };
                for p in &packets {
                    let _ = cme.handle_packet(rx, p);
                }
                black_box(cme.counters().packets);
                cme
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
    c.final_summary();
}
