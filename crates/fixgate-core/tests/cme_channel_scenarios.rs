//! Named fault scenarios of `CmeChannel` recovery, each deterministic, each
//! comparing the books with the fault-free run at every venue-event end (see
//! `cme_channel_support/harness.rs`): loss on one line, loss on both lines
//! with a `RptSeq` hole, loss touching only a quiet instrument, late join.
//! More in `cme_channel_scenarios_loop.rs`.

mod cme_channel_support;

use cme_channel_support::harness::*;
use cme_channel_support::venue::*;
use fixgate_core::event::{EventKind, RecoveryMethod};
use fixgate_core::normalize::arbiter::Line;
use fixgate_core::normalize::cme::SyncState;
use fixgate_core::types::InstrumentId;

/// Incremental packets `range` of the script on the given lines.
fn incs(venue: &Venue, range: std::ops::Range<usize>, lines: &[Line]) -> Vec<Arrival> {
    venue.packets[range]
        .iter()
        .flat_map(|p| lines.iter().map(|&l| Arrival::inc(l, p)))
        .collect()
}

#[test]
fn loss_on_line_a_only() {
    let mut v = Venue::standard(1);
    v.steps(120);
    let clean = clean(&v);
    let mut run = Run::new();
    run.deliver_all(&definitions(&v), &clean);
    for (i, p) in v.packets.iter().enumerate() {
        // A misses 30..60; B is 2 packets late throughout.
        if !(30..60).contains(&i) {
            run.deliver(&Arrival::inc(Line::A, p), &clean);
        }
        if i >= 2 {
            run.deliver(&Arrival::inc(Line::B, &v.packets[i - 2]), &clean);
        }
    }
    run.deliver_all(&incs(&v, 118..120, &[Line::B]), &clean);
    run.assert_recovered(&clean);
    let c = run.ch.counters();
    assert_eq!(c.recovery.gaps, 0);
    assert_eq!(run.count(EventKind::Gap), 0);
    assert_eq!(c.arbiter.lines[Line::A.index()].lost, 30);
    assert_eq!(c.arbiter.channel.lost, 0);
    assert_eq!(c.arbiter.channel.accepted, 120);
    println!("compared {} instrument books", run.compared);
}

#[test]
fn loss_on_both_lines_with_a_rpt_seq_hole() {
    let mut v = Venue::standard(2);
    v.steps(60);
    // The lost packet updates 102: its RptSeq will jump.
    let lost = v.step_only(102);
    v.steps(60);
    let loops = [v.snapshot_loop()];
    let clean = clean(&v);
    let mut run = Run::new();
    run.deliver_all(&definitions(&v), &clean);
    run.deliver_all(&incs(&v, 0..lost, &[Line::A, Line::B]), &clean);
    run.deliver_all(
        &incs(&v, lost + 1..v.packets.len(), &[Line::A, Line::B]),
        &clean,
    );
    assert!(run.ch.is_recovering());
    assert_eq!(
        run.ch.sync(InstrumentId(102)).unwrap().levels,
        SyncState::Held
    );
    run.deliver_all(&snapshots(&loops[0]), &clean);
    run.assert_recovered(&clean);
    let c = run.ch.counters().recovery;
    assert_eq!((c.gaps, c.lost_packets, c.recoveries), (1, 1, 1));
    assert!(c.recovered_by_snapshot >= 1);
    let gap = run
        .events
        .iter()
        .find_map(|e| e.gap())
        .expect("a GAP event");
    assert_eq!(
        (gap.first_seq, gap.last_seq),
        (lost as u64 + 1, lost as u64 + 1)
    );
    assert_eq!(gap.instruments_suspect, 3);
    // 102's own gap: the one RptSeq the lost packet carried.
    let own: Vec<_> = run
        .events
        .iter()
        .filter(|e| e.instrument().get() == 102)
        .filter_map(|e| e.gap())
        .collect();
    assert_eq!(own.len(), 1, "{own:?}");
    assert_eq!(
        (own[0].first_seq, own[0].instruments_suspect),
        (own[0].last_seq, 1)
    );
    assert_eq!(run.ch.counters().recovery.instrument_gaps, 1);
    let by_instrument: Vec<_> = run
        .events
        .iter()
        .filter_map(|e| Some((e.instrument().get(), e.recovered()?.method)))
        .collect();
    assert!(by_instrument.contains(&(102, RecoveryMethod::Snapshot)));
    assert_eq!(
        by_instrument.last(),
        Some(&(0, RecoveryMethod::Snapshot)),
        "{by_instrument:?}"
    );
    println!("compared {} instrument books", run.compared);
}

#[test]
fn loss_touching_only_a_quiet_instrument() {
    let mut v = Venue::new(3, &[(102, 10), (103, 0)]);
    v.steps(40);
    let lost = v.step_only(103);
    v.steps(80);
    let loop_ = v.snapshot_loop();
    let clean = clean(&v);
    let mut run = Run::new();
    run.deliver_all(&definitions(&v), &clean);
    run.deliver_all(&incs(&v, 0..lost, &[Line::B]), &clean);
    run.deliver_all(&incs(&v, lost + 1..v.packets.len(), &[Line::B]), &clean);
    // The busy instrument proved itself by its next RptSeq; the quiet one,
    // silent since, is still unverified.
    assert_eq!(
        run.ch.sync(InstrumentId(102)).unwrap().levels,
        SyncState::Live
    );
    assert_eq!(
        run.ch.sync(InstrumentId(103)).unwrap().levels,
        SyncState::Unverified
    );
    assert!(run.ch.is_recovering());
    run.deliver_all(&snapshots(&loop_), &clean);
    run.assert_recovered(&clean);
    // 102's levels were proven by RptSeq; on this MBO channel the orders of
    // both waited for their 53, so both count as rebuilt by snapshot.
    assert_eq!(run.ch.adapter().sync_counters().proven, 1);
    let c = run.ch.counters().recovery;
    assert_eq!((c.proven_by_rpt_seq, c.recovered_by_snapshot), (0, 2));
    println!("compared {} instrument books", run.compared);
}

#[test]
fn late_join_mid_session() {
    let mut v = Venue::standard(4);
    v.steps(50);
    let first_loop = v.snapshot_loop();
    v.steps(30);
    let second_loop = v.snapshot_loop();
    v.steps(30);
    let clean = clean(&v);
    let mut run = Run::new();
    // Joined at packet 40: incrementals first, then the definition loop,
    // then a snapshot loop as of packet 50, then one as of 80.
    run.deliver_all(&incs(&v, 40..45, &[Line::A, Line::B]), &clean);
    assert!(run.ch.is_recovering());
    run.deliver_all(&definitions(&v), &clean);
    for id in [MBO_ID, 102, 103] {
        assert_eq!(
            run.ch.sync(InstrumentId(id as u32)).unwrap().levels,
            SyncState::Held
        );
    }
    run.deliver_all(&incs(&v, 45..50, &[Line::A, Line::B]), &clean);
    run.deliver_all(&snapshots(&first_loop), &clean);
    run.deliver_all(&incs(&v, 50..80, &[Line::A, Line::B]), &clean);
    run.deliver_all(&snapshots(&second_loop), &clean);
    run.deliver_all(&incs(&v, 80..110, &[Line::A, Line::B]), &clean);
    run.assert_recovered(&clean);
    let c = run.ch.counters().recovery;
    assert_eq!((c.gaps, c.lost_packets), (1, 40));
    println!("compared {} instrument books", run.compared);
}
