//! The CME adapter and the normalizer allocate nothing per packet: after
//! construction, handling every packet of every capture in
//! `../shared/conformance/mdp3/pcap` (applied, duplicated, truncated at every
//! length, under both unknown-instrument policies, with refusals reported to
//! an observer), the recorded stream (`support::cme_stream`) replayed many
//! times with its sequence numbers shifted, and hand-made packets of every
//! template (which need no `../shared`), all under the thread-local counting
//! allocator, with a sink that only counts. Its own test binary because it
//! installs that allocator.

mod support;

use std::hint::black_box;

use fixgate_core::event::{Event, EventFlags};
use fixgate_core::md::cme::Packet;
use fixgate_core::normalize::batch::FnSink;
use fixgate_core::normalize::cme::{
    CmeConfig, CmeNormalizer, Feed, PacketIn, UnknownInstrumentPolicy,
};
use fixgate_core::normalize::registry::BookDepth;
use fixgate_core::time::UtcNanos;
use fixgate_ring::alloc_count::{count_allocations, CountingAllocator};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

type CountSink = FnSink<fn(&[Event])>;

fn count(events: &[Event]) {
    black_box(events.len());
}

fn channel(policy: UnknownInstrumentPolicy, batch: usize) -> CmeNormalizer<CountSink> {
    let mut config = CmeConfig::channel(310, 256, 4096);
    config.unknown_instruments = policy;
    config.normalizer.batch_capacity = batch;
    CmeNormalizer::new(config, FnSink(count as fn(&[Event])))
}

const DEFINE: UnknownInstrumentPolicy = UnknownInstrumentPolicy::Define(BookDepth {
    outright: 10,
    implied: 2,
});

/// Handles one packet under the counter; returns the refusals reported.
fn handle(cme: &mut CmeNormalizer<CountSink>, feed: Feed, payload: &[u8], what: &str) -> u64 {
    let rx = PacketIn {
        feed,
        ts_recv_ns: UtcNanos::from_nanos(1),
        recv_flags: EventFlags::empty(),
    };
    let mut refusals = 0u64;
    let (allocs, _) = count_allocations(|| {
        black_box(cme.handle_packet_with(rx, payload, &mut |r| {
            black_box(r);
            refusals += 1;
        }))
    });
    assert_eq!(allocs, 0, "{what}: allocated {allocs} times");
    refusals
}

#[test]
fn hand_made_packets_of_every_template_do_not_allocate() {
    let packets = support::cme_hand_made::hand_made();
    for batch in [1, 1024] {
        let mut cme = channel(UnknownInstrumentPolicy::Refuse, batch);
        for round in 0..3u32 {
            for (feed, p) in &packets {
                let mut p = p.clone();
                let seq = u32::from_le_bytes(p[0..4].try_into().unwrap()) + round * 10;
                p[0..4].copy_from_slice(&seq.to_le_bytes());
                handle(&mut cme, *feed, &p, "hand-made packet");
                // The same packet again: a duplicate.
                handle(&mut cme, *feed, &p, "duplicate");
            }
        }
        let (allocs, _) = count_allocations(|| cme.end_open_event());
        assert_eq!(allocs, 0);
        let c = cme.counters();
        assert!(
            c.duplicate_packets >= 15 && c.definitions >= 2 && c.snapshots >= 2,
            "{c:?}"
        );
        assert!(cme.normalizer().counters().events > 20);
    }
}

#[test]
fn every_capture_and_the_recorded_stream_do_not_allocate() {
    let (Some(payloads), Some(mut stream)) =
        (support::cme::all_payloads(), support::cme_stream::build())
    else {
        return;
    };
    let udp: Vec<Vec<u8>> = payloads
        .into_iter()
        .filter(|p| p.transport == fixgate_core::md::frame::Transport::Udp)
        .map(|p| p.bytes)
        .collect();
    let (mut packets, mut truncations, mut refusals) = (0u64, 0u64, 0u64);
    for policy in [DEFINE, UnknownInstrumentPolicy::Refuse] {
        let mut cme = channel(policy, 16);
        for p in &udp {
            let feed = Feed::of_packet(&Packet::new(p).unwrap());
            refusals += handle(&mut cme, feed, p, "capture packet");
            handle(&mut cme, feed, p, "capture packet again");
            cme.reset_feed_sequence(feed);
            for cut in 0..p.len() {
                refusals += handle(&mut cme, feed, &p[..cut], "truncated capture packet");
                cme.reset_feed_sequence(feed);
                truncations += 1;
            }
            packets += 2;
        }
    }
    let mut cme = channel(UnknownInstrumentPolicy::Refuse, 1024);
    let passes = 50u32;
    for _ in 0..passes {
        for (feed, p) in &stream.packets {
            handle(&mut cme, *feed, p, "recorded stream");
            packets += 1;
        }
        stream.patch(stream.max_rpt_seq + 1);
    }
    let c = cme.counters();
    assert_eq!(
        (
            c.refused,
            c.stale_entries,
            c.duplicate_packets,
            c.packet_gaps
        ),
        (0, 0, 0, 0),
        "{c:?}"
    );
    println!(
        "cme normalize no-alloc: {packets} packets, {truncations} truncations, {refusals} refusals reported, {} events from {passes} passes of the recorded stream, without allocating",
        cme.normalizer().counters().events
    );
    assert!(refusals > 0 && truncations > 1000);
}
