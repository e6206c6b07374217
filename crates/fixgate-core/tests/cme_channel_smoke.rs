//! `CmeChannel` end to end: definitions from the definition loop, book
//! updates on both incremental lines arbitrated into one stream, a gap
//! published as a `GAP` event with every instrument suspect.

mod cme_channel_support;

use cme_channel_support::cme_encode::*;
use fixgate_core::event::{Event, EventFlags, EventKind};
use fixgate_core::normalize::arbiter::Line;
use fixgate_core::normalize::book::BookKind;
use fixgate_core::normalize::cme::Feed;
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
    // What came after the gap is flagged.
    let after: Vec<_> = events
        .iter()
        .skip_while(|e| e.kind() != EventKind::Gap)
        .filter(|e| e.kind() == EventKind::Level)
        .collect();
    assert!(!after.is_empty());
    assert!(after
        .iter()
        .all(|e| e.flags().contains(EventFlags::MAYBE_BAD_BOOK)));
    assert_eq!(ch.counters().recovery.gaps, 1);
    assert_eq!(ch.counters().recovery.lost_packets, 1);
}
