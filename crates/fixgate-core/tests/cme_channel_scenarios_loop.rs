//! Named fault scenarios of `CmeChannel` recovery around the snapshot loop,
//! resets and definitions, each deterministic, each comparing the books with
//! the fault-free run at every venue-event end: loss during the snapshot
//! loop; a snapshot older, and one newer, than the buffered incrementals; a
//! multi-chunk 53 with a chunk lost; `ChannelReset4` in the middle of an
//! event; the weekly sequence reset; an instrument added intraday.

mod cme_channel_support;

use cme_channel_support::harness::*;
use cme_channel_support::venue::*;
use fixgate_core::event::EventKind;
use fixgate_core::normalize::arbiter::Line;
use fixgate_core::normalize::cme::SyncState;
use fixgate_core::types::InstrumentId;

const BOTH: [Line; 2] = [Line::A, Line::B];

/// Incremental packets `range` of the script on the given lines.
fn incs(venue: &Venue, range: std::ops::Range<usize>, lines: &[Line]) -> Vec<Arrival> {
    venue.packets[range]
        .iter()
        .flat_map(|p| lines.iter().map(|&l| Arrival::inc(l, p)))
        .collect()
}

/// A run with the definitions delivered.
fn started(v: &Venue, clean: &Clean) -> Run {
    let mut run = Run::new();
    run.deliver_all(&definitions(v), clean);
    run
}

#[test]
fn loss_during_the_snapshot_loop() {
    let mut v = Venue::standard(11);
    v.steps(40);
    let lost = v.step_only(102);
    v.steps(5);
    let loop1 = v.snapshot_loop();
    v.steps(20);
    let loop2 = v.snapshot_loop();
    v.steps(10);
    let clean = clean(&v);
    let mut run = started(&v, &clean);
    run.deliver_all(&incs(&v, 0..lost, &BOTH), &clean);
    run.deliver_all(&incs(&v, lost + 1..lost + 6, &BOTH), &clean);
    // The first loop, interleaved with incrementals of which one is lost on
    // both lines half-way through: snapshots before that second gap are
    // undone by it, and those after it are older than it.
    let incs_during = &v.packets[lost + 6..lost + 26];
    for (i, s) in snapshots(&loop1).iter().enumerate() {
        run.deliver(s, &clean);
        if let Some(p) = incs_during.get(i) {
            if i != 3 {
                run.deliver_all(&[Arrival::inc(Line::A, p)], &clean);
            }
        }
    }
    run.deliver_all(&incs(&v, lost + 6 + loop1.len()..lost + 26, &BOTH), &clean);
    assert!(run.ch.is_recovering());
    assert_eq!(run.ch.counters().recovery.gaps, 2);
    run.deliver_all(&snapshots(&loop2), &clean);
    run.deliver_all(&incs(&v, lost + 26..v.packets.len(), &BOTH), &clean);
    run.assert_recovered(&clean);
    println!("compared {} instrument books", run.compared);
}

#[test]
fn snapshot_older_than_the_buffered_incrementals() {
    let mut v = Venue::standard(12);
    v.steps(30);
    let old = v.snapshot_loop();
    v.steps(10);
    let lost = v.step_only(MBO_ID);
    v.steps(20);
    let fresh = v.snapshot_loop();
    v.steps(5);
    let clean = clean(&v);
    let mut run = started(&v, &clean);
    run.deliver_all(&incs(&v, 0..lost, &BOTH), &clean);
    run.deliver_all(&incs(&v, lost + 1..lost + 21, &BOTH), &clean);
    // As of packet 30: before the gap, of no use.
    let ignored = run.ch.counters().recovery.snapshots_ignored;
    run.deliver_all(&snapshots(&old), &clean);
    assert!(run.ch.is_recovering());
    assert_eq!(
        run.ch.counters().recovery.snapshots_ignored - ignored,
        old.len() as u64
    );
    run.deliver_all(&snapshots(&fresh), &clean);
    run.deliver_all(&incs(&v, lost + 21..v.packets.len(), &BOTH), &clean);
    run.assert_recovered(&clean);
    println!("compared {} instrument books", run.compared);
}

#[test]
fn snapshot_newer_than_the_buffered_incrementals() {
    let mut v = Venue::standard(13);
    v.steps(30);
    let lost = v.step_only(102);
    v.steps(30);
    let ahead = v.snapshot_loop();
    v.steps(10);
    let clean = clean(&v);
    let mut run = started(&v, &clean);
    run.deliver_all(&incs(&v, 0..lost, &BOTH), &clean);
    // Only 10 packets after the gap have come when the loop (as of packet
    // 61) arrives: the snapshot is ahead of the incremental feed.
    run.deliver_all(&incs(&v, lost + 1..lost + 11, &BOTH), &clean);
    run.deliver_all(&snapshots(&ahead), &clean);
    assert!(matches!(
        run.ch.sync(InstrumentId(102)).unwrap().levels,
        SyncState::Ahead { through_seq: 61 }
    ));
    run.deliver_all(&incs(&v, lost + 11..v.packets.len(), &BOTH), &clean);
    run.assert_recovered(&clean);
    assert_eq!(run.ch.counters().recovery.replayed_packets, 0);
    println!("compared {} instrument books", run.compared);
}

#[test]
fn multi_chunk_53_with_one_chunk_lost() {
    let mut v = Venue::standard(14);
    v.steps(80);
    assert!(v.orders.len() > 2 * CHUNK, "three chunks or more");
    let lost = v.step_only(102);
    v.steps(10);
    let loop1 = v.snapshot_loop();
    v.steps(10);
    let loop2 = v.snapshot_loop();
    v.steps(5);
    let clean = clean(&v);
    let mut run = started(&v, &clean);
    run.deliver_all(&incs(&v, 0..lost, &BOTH), &clean);
    run.deliver_all(&incs(&v, lost + 1..lost + 11, &BOTH), &clean);
    // The loop: 52 for 101 is packet 1, its 53 chunks 2, 3, 4...: chunk 2
    // (packet 3) is lost.
    let mut first = snapshots(&loop1);
    first.remove(2);
    run.deliver_all(&first, &clean);
    let c = run.ch.counters().recovery;
    assert_eq!(c.chunk_breaks, 1);
    let sync = run.ch.sync(InstrumentId(MBO_ID as u32)).unwrap();
    assert_eq!(sync.levels, SyncState::Live);
    assert_eq!(sync.orders, SyncState::Held);
    assert!(run.ch.is_recovering());
    run.deliver_all(&incs(&v, lost + 11..lost + 21, &BOTH), &clean);
    run.deliver_all(&snapshots(&loop2), &clean);
    run.deliver_all(&incs(&v, lost + 21..v.packets.len(), &BOTH), &clean);
    run.assert_recovered(&clean);
    println!("compared {} instrument books", run.compared);
}

#[test]
fn channel_reset_in_the_middle_of_an_event() {
    let mut v = Venue::standard(15);
    v.steps(30);
    let lost = v.step_only(103);
    v.steps(10);
    let reset = v.channel_reset_mid_event();
    v.steps(30);
    let clean = clean(&v);
    let mut run = started(&v, &clean);
    run.deliver_all(&incs(&v, 0..lost, &BOTH), &clean);
    run.deliver_all(&incs(&v, lost + 1..reset + 1, &BOTH), &clean);
    assert!(run.ch.is_recovering());
    assert!(run.ch.normalizer().in_event(), "the event is open");
    // The reset ends the recovery: every book is known (empty); no
    // snapshot needed.
    run.deliver_all(&incs(&v, reset + 1..reset + 2, &BOTH), &clean);
    assert!(!run.ch.is_recovering());
    run.deliver_all(&incs(&v, reset + 2..v.packets.len(), &BOTH), &clean);
    run.assert_recovered(&clean);
    assert_eq!(run.ch.counters().recovery.snapshots_applied, 0);
    assert_eq!(run.count(EventKind::Recovered), 1);
    println!("compared {} instrument books", run.compared);
}

#[test]
fn weekly_sequence_reset() {
    let mut v = Venue::standard(16);
    v.steps(150);
    let end_of_week = v.packets.len();
    v.weekly_reset();
    v.steps(40);
    let loop_ = v.snapshot_loop();
    v.steps(10);
    let clean = clean(&v);
    let mut run = started(&v, &clean);
    // The week's last 3 packets and the new week's first 2 (the reset among
    // them) are lost on both lines.
    run.deliver_all(&incs(&v, 0..end_of_week - 3, &BOTH), &clean);
    run.deliver_all(&incs(&v, end_of_week + 2..end_of_week + 40, &BOTH), &clean);
    let c = run.ch.counters();
    assert_eq!(c.arbiter.channel.resets, 1);
    assert_eq!(c.recovery.sequence_resets, 1);
    assert!(run.ch.is_recovering());
    run.deliver_all(&snapshots(&loop_), &clean);
    run.deliver_all(&incs(&v, end_of_week + 40..v.packets.len(), &BOTH), &clean);
    run.assert_recovered(&clean);
    println!("compared {} instrument books", run.compared);
}

#[test]
fn instrument_added_intraday() {
    let mut v = Venue::standard(17);
    v.steps(30);
    let added = v.add_instrument(104, 10);
    v.steps(30);
    let loop_ = v.snapshot_loop();
    v.steps(10);
    let clean = clean(&v);
    // Fault-free: defined from the incremental feed, live at once.
    let mut run = started(&v, &clean);
    run.deliver_all(&incs(&v, 0..v.packets.len(), &BOTH), &clean);
    run.assert_recovered(&clean);
    assert_eq!(run.ch.counters().recovery.gaps, 0);
    // Its definition lost on both lines: its entries are refused until the
    // definition loop brings it, then it waits for a snapshot.
    let mut run = started(&v, &clean);
    run.deliver_all(&incs(&v, 0..added, &BOTH), &clean);
    run.deliver_all(&incs(&v, added + 1..added + 31, &BOTH), &clean);
    assert!(run.ch.adapter().counters().unknown_instrument > 0);
    run.deliver_all(&definitions_now(&v), &clean);
    let sync = run.ch.sync(InstrumentId(104)).expect("defined by the loop");
    assert_eq!(sync.levels, SyncState::Held);
    run.deliver_all(&snapshots(&loop_), &clean);
    run.deliver_all(&incs(&v, added + 31..v.packets.len(), &BOTH), &clean);
    run.assert_recovered(&clean);
    println!("compared {} instrument books", run.compared);
}
