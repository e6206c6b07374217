//! `CmeChannel` end to end: definitions from the definition loop, book
//! updates on both incremental lines arbitrated into one stream, a gap
//! published as a `GAP` event with every instrument suspect.

mod cme_channel_support;

use cme_channel_support::cme_encode::*;
use fixgate_core::event::{Event, EventFlags, EventKind, RecoveryMethod};
use fixgate_core::normalize::arbiter::Line;
use fixgate_core::normalize::book::BookKind;
use fixgate_core::normalize::cme::{Feed, SyncState};
use fixgate_core::normalize::cme_channel::{CmeChannel, CmeChannelConfig};
use fixgate_core::time::{MonoNanos, UtcNanos};
use fixgate_core::types::{InstrumentId, Side};

const T0: u64 = 1_700_000_000_000_000_000;

fn level(id: i32, rpt: u32, action: u8, level: u8, ticks: i64, size: i32) -> Level {
    Level {
        security_id: id,
        rpt_seq: rpt,
        entry_type: b'0',
        action,
        level,
        px_e9: 4_000_000_000_000 + ticks * 250_000_000,
        size,
        orders: 1,
    }
}

#[test]
fn arbitrates_normalizes_and_reports_gaps() {
    let mut ch =
        CmeChannel::new(CmeChannelConfig::channel(310, 16, 256), Vec::<Event>::new()).unwrap();
    let now = MonoNanos::from_nanos;
    let defs = packet(
        1,
        T0,
        &[definition54(
            7,
            b"ESZ6",
            b"ES",
            b'A',
            (10, 2),
            250_000_000,
            1_000_000_000,
        )],
    );
    for line in [Line::A, Line::B] {
        ch.handle_packet(
            line,
            Feed::Definition,
            &defs,
            UtcNanos::from_nanos(T0),
            now(0),
        )
        .unwrap();
    }
    let inc = |seq: u32, rpt: u32, size: i32| {
        packet(
            seq,
            T0,
            &[book46(
                T0,
                0x80,
                &[level(7, rpt, 0, 1, i64::from(seq), size)],
                &[],
            )],
        )
    };
    // 1 on both lines, 2 only on B, 3 on A before B.
    for (line, seq, size) in [
        (Line::A, 1, 5),
        (Line::B, 1, 5),
        (Line::B, 2, 6),
        (Line::A, 3, 7),
        (Line::B, 3, 7),
    ] {
        let p = inc(seq, seq, size);
        ch.handle_packet(
            line,
            Feed::Incremental,
            &p,
            UtcNanos::from_nanos(T0),
            now(1),
        )
        .unwrap();
    }
    let id = InstrumentId(7);
    let bids = |ch: &CmeChannel<Vec<Event>>| {
        ch.normalizer()
            .mbp(id, BookKind::Outright)
            .unwrap()
            .side(Side::Bid)
            .unwrap()
            .levels()
            .iter()
            .map(|l| l.qty.lots())
            .collect::<Vec<_>>()
    };
    assert_eq!(bids(&ch), [7, 6, 5]);
    let c = ch.counters();
    assert_eq!(c.arbiter.channel.accepted, 3);
    assert_eq!(c.arbiter.channel.duplicate, 2);
    assert_eq!(c.arbiter.lines[Line::A.index()].lost, 1);
    assert_eq!((c.definitions.accepted, c.definitions.duplicate), (1, 1));
    assert_eq!(c.cme.definitions, 1);

    // 4 lost on both lines: 5 waits, then the timeout declares the gap.
    let p = inc(5, 5, 9);
    ch.handle_packet(
        Line::A,
        Feed::Incremental,
        &p,
        UtcNanos::from_nanos(T0),
        now(10),
    )
    .unwrap();
    let deadline = ch.poll_timeout().expect("a hole is waited for");
    ch.handle_timeout(deadline);
    assert_eq!(ch.poll_timeout(), None);
    let events = std::mem::take(ch.sink_mut());
    let gap = events
        .iter()
        .find(|e| e.kind() == EventKind::Gap)
        .expect("a GAP event");
    let body = gap.gap().unwrap();
    assert_eq!((body.first_seq, body.last_seq, body.channel), (4, 4, 310));
    assert_eq!(body.instruments_suspect, 1);
    assert!(gap.flags().contains(EventFlags::LAST));
    // Instrument 7's RptSeq jumped (3 -> 5): held, its entry skipped.
    assert!(!events
        .iter()
        .any(|e| e.kind() == EventKind::Level && e.sequence() == 5));
    let sync = ch.sync(id).unwrap();
    assert_eq!(sync.levels, SyncState::Held);
    assert!(ch.is_recovering());
    assert_eq!(ch.counters().recovery.gaps, 1);
    assert_eq!(ch.counters().recovery.lost_packets, 1);

    // A snapshot as of packet 4 (RptSeq 4: a level at tick 4 of 8 lots, on
    // top of the three): applied, then packet 5 replayed.
    let snap = packet(
        1,
        T0,
        &[snapshot52(
            T0,
            7,
            4,
            4,
            17,
            (NULL_PX, NULL_PX, NULL_PX),
            &[
                (b'0', 1, 4_000_000_000_000 + 4 * 250_000_000, 8, 1),
                (b'0', 2, 4_000_000_000_000 + 3 * 250_000_000, 7, 1),
                (b'0', 3, 4_000_000_000_000 + 2 * 250_000_000, 6, 1),
                (b'0', 4, 4_000_000_000_000 + 250_000_000, 5, 1),
            ],
        )],
    );
    ch.handle_packet(
        Line::B,
        Feed::Recovery,
        &snap,
        UtcNanos::from_nanos(T0),
        now(20),
    )
    .unwrap();
    assert_eq!(bids(&ch), [9, 8, 7, 6, 5]);
    assert!(!ch.is_recovering());
    assert!(ch.sync(id).unwrap().is_live());
    let events = std::mem::take(ch.sink_mut());
    let recovered: Vec<_> = events
        .iter()
        .filter_map(|e| Some((e.instrument(), e.recovered()?)))
        .collect();
    assert_eq!(recovered.len(), 2, "{recovered:?}");
    assert_eq!(recovered[0].0, id);
    assert_eq!(recovered[1].0, InstrumentId::NONE);
    assert_eq!(recovered[1].1.method, RecoveryMethod::Snapshot);
    assert_eq!((recovered[1].1.first_seq, recovered[1].1.last_seq), (4, 4));
    // The snapshot's levels were suspect until the replay; the replayed
    // level too; what follows is not.
    let replayed = events
        .iter()
        .find(|e| e.kind() == EventKind::Level && e.sequence() == 5)
        .expect("packet 5 replayed");
    assert!(replayed.flags().contains(EventFlags::MAYBE_BAD_BOOK));
    let p = inc(6, 6, 10);
    ch.handle_packet(
        Line::A,
        Feed::Incremental,
        &p,
        UtcNanos::from_nanos(T0),
        now(30),
    )
    .unwrap();
    let events = std::mem::take(ch.sink_mut());
    let live = events
        .iter()
        .find(|e| e.kind() == EventKind::Level)
        .expect("packet 6 applied");
    assert!(!live.flags().contains(EventFlags::MAYBE_BAD_BOOK));
    assert_eq!(bids(&ch), [10, 9, 8, 7, 6, 5]);
    let c = ch.counters().recovery;
    assert_eq!(
        (c.snapshots_applied, c.replayed_packets, c.recoveries),
        (1, 1, 1)
    );
}
