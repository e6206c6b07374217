//! The board: construction, LAST-terminated publishing, whole-state publishing,
//! and consistent snapshots under a concurrent writer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::*;
use crate::event::{Action, Body, EventHeader, LevelBody, OrderBody, StatusBody, TradingState};
use crate::time::UtcNanos;
use crate::types::{OrderId, Price, Qty, Side};

const A: InstrumentId = InstrumentId(10);
const B: InstrumentId = InstrumentId(3);

fn ev(instrument: InstrumentId, last: bool, body: impl Into<Body>) -> Event {
    Event::new(
        EventHeader {
            flags: if last {
                EventFlags::LAST
            } else {
                EventFlags::empty()
            },
            venue: VenueId::CME,
            instrument,
            ts_recv_ns: UtcNanos::from_nanos(2),
            ts_event_ns: UtcNanos::from_nanos(1),
            ts_in_delta_ns: 0,
            sequence: 9,
        },
        body,
    )
}

fn bid(level: u8, px: i64) -> LevelBody {
    LevelBody {
        price_e9: Price::from_e9(px),
        qty: Qty::from_lots(5),
        order_count: 1,
        rpt_seq: 0,
        level,
        side: Side::Bid,
        action: Action::Add,
    }
}

#[test]
fn construction_checks_and_lookup() {
    assert_eq!(
        Board::new(&[(A, VenueId::CME), (B, VenueId::ICE), (A, VenueId::ICE)]).unwrap_err(),
        BoardError::DuplicateInstrument { instrument: A }
    );
    assert_eq!(
        Board::new(&[(InstrumentId::NONE, VenueId::CME)]).unwrap_err(),
        BoardError::NoneInstrument
    );
    let (board, _writer) = Board::new(&[(A, VenueId::CME), (B, VenueId::ICE)]).unwrap();
    assert_eq!(board.len(), 2);
    assert!(!board.is_empty());
    // Slots follow the order given, whatever the id order.
    assert_eq!(board.slot(A).unwrap().index(), 0);
    assert_eq!(board.slot(B).unwrap().index(), 1);
    assert_eq!(board.slot(InstrumentId(4)), None);
    assert_eq!(board.instruments().collect::<Vec<_>>(), [A, B]);
    let b = board.snapshot(B).unwrap();
    assert_eq!((b.instrument, b.venue, b.updates), (B, VenueId::ICE, 0));
    assert!(!b.is_known());
    assert_eq!(board.snapshot(InstrumentId(4)), None);
    let (empty, _) = Board::new(&[]).unwrap();
    assert!(empty.is_empty());
    assert_eq!(empty.snapshot_at(board.slot(B).unwrap()), None);
}

#[test]
fn apply_publishes_at_last_only() {
    let (board, mut writer) = Board::new(&[(A, VenueId::CME), (B, VenueId::CME)]).unwrap();
    let slot_a = board.slot(A).unwrap();
    let v0 = board.version(slot_a).unwrap();
    // One venue message touching both instruments: nothing visible before its
    // last event.
    assert_eq!(writer.apply(&ev(A, false, bid(1, 100))), Fold::Folded);
    assert_eq!(writer.apply(&ev(B, false, bid(1, 200))), Fold::Folded);
    assert_eq!(writer.apply(&ev(A, false, bid(1, 101))), Fold::Folded);
    assert!(!board.snapshot(A).unwrap().is_known());
    assert_eq!(board.version(slot_a), Some(v0));
    assert_eq!(
        writer.working(A).unwrap().best_bid().unwrap().price_e9,
        Price::from_e9(101)
    );
    let status = StatusBody {
        venue_status: 2,
        halt_reason: 0,
        trading_event: 0,
        state: TradingState::Trading,
    };
    writer.apply(&ev(B, true, status));
    let a = board.snapshot(A).unwrap();
    let b = board.snapshot(B).unwrap();
    assert_eq!(a.updates, 1, "A written once for the whole message");
    assert_eq!(board.version(slot_a), Some(v0 + 1));
    assert_eq!(
        a.bids.map(|l| l.price_e9.e9())[..2],
        [101, 100],
        "both adds at level 1, in order"
    );
    assert_eq!(b.trading_state, TradingState::Trading);
    assert_eq!(b.best_bid().unwrap().price_e9, Price::from_e9(200));
    assert_eq!((b.sequence, b.ts_event_ns.as_nanos()), (9, 1));

    // Unknown instruments and order events are counted; a LAST among them
    // still publishes what is pending.
    writer.apply(&ev(A, false, bid(1, 102)));
    let order = OrderBody {
        order_id: OrderId(1),
        price_e9: Price::from_e9(1),
        priority: 0,
        qty: Qty::from_lots(1),
        side: Side::Bid,
        action: Action::Add,
    };
    assert_eq!(writer.apply(&ev(B, false, order)), Fold::Ignored);
    assert_eq!(
        writer.apply(&ev(InstrumentId(77), true, bid(1, 1))),
        Fold::Ignored
    );
    assert_eq!(board.snapshot(A).unwrap().updates, 2);
    assert_eq!(board.snapshot(B).unwrap().updates, 1, "B was not touched");
    let stats = writer.stats();
    assert_eq!(stats.events_folded, 5);
    assert_eq!(stats.events_ignored, 1);
    assert_eq!(stats.events_unknown, 1);
    assert_eq!(stats.publishes, 3);

    // flush() publishes without a LAST.
    writer.apply(&ev(B, false, bid(1, 201)));
    writer.flush();
    assert_eq!(
        board.snapshot(B).unwrap().best_bid().unwrap().price_e9,
        Price::from_e9(201)
    );
}

#[test]
fn publish_writes_a_whole_state() {
    let (board, mut writer) = Board::new(&[(A, VenueId::CME)]).unwrap();
    let mut state = InstrumentState::new(A, VenueId::CME);
    state.asks[0] = BookLevel {
        price_e9: Price::from_e9(7),
        qty: Qty::from_lots(1),
        order_count: 1,
    };
    state.updates = 1_000; // set by the board, not the caller
    writer.publish(&state).unwrap();
    let seen = board.snapshot(A).unwrap();
    assert_eq!(seen.updates, 1);
    assert_eq!(seen.asks, state.asks);
    // Later events fold into the published state.
    writer.apply(&ev(A, true, bid(1, 5)));
    let seen = board.snapshot(A).unwrap();
    assert_eq!(seen.mid_e9(), Some(Price::from_e9(6)));
    assert_eq!(seen.updates, 2);
    let stranger = InstrumentState::new(B, VenueId::CME);
    assert_eq!(
        writer.publish(&stranger),
        Err(BoardError::UnknownInstrument { instrument: B })
    );
}

/// A state whose every field is derived from `k`, so that a reader can tell a
/// mix of two writes from one write.
fn state_of(k: u64) -> InstrumentState {
    let mut s = InstrumentState::new(A, VenueId::CME);
    let px = |i: usize| Price::from_e9(k as i64 * 100 + i as i64);
    for i in 0..BOOK_DEPTH {
        s.bids[i] = BookLevel {
            price_e9: px(i),
            qty: Qty::from_lots(k as u32),
            order_count: k as u32 + i as u32,
        };
        s.asks[i] = BookLevel {
            price_e9: px(50 + i),
            qty: Qty::from_lots(k as u32 ^ 0xFFFF),
            order_count: k as u32,
        };
    }
    s.last_trade = LastTrade::new(
        px(99),
        Qty::from_lots(k as u32),
        Side::Ask,
        UtcNanos::from_nanos(k),
    );
    s.ts_event_ns = UtcNanos::from_nanos(k);
    s.ts_recv_ns = UtcNanos::from_nanos(k + 1);
    s.sequence = k as u32;
    s
}

#[test]
fn snapshots_are_consistent_under_a_concurrent_writer() {
    const WRITES: u64 = if cfg!(miri) { 200 } else { 50_000 };
    let (board, mut writer) = Board::new(&[(A, VenueId::CME)]).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (board, done) = (Arc::clone(&board), Arc::clone(&done));
            std::thread::spawn(move || {
                let (mut reads, mut last_k) = (0u64, 0u64);
                loop {
                    let finished = done.load(Ordering::Acquire);
                    let s = board.snapshot(A).unwrap();
                    if s.is_known() {
                        let k = s.sequence as u64;
                        let mut expected = state_of(k);
                        expected.updates = s.updates;
                        assert_eq!(s, expected, "torn snapshot");
                        assert_eq!(s.updates, k, "update count matches the write");
                        assert!(k >= last_k, "snapshots went backwards");
                        last_k = k;
                    }
                    reads += 1;
                    if finished {
                        return (reads, last_k);
                    }
                }
            })
        })
        .collect();
    for k in 1..=WRITES {
        writer.publish(&state_of(k)).unwrap();
    }
    done.store(true, Ordering::Release);
    for reader in readers {
        let (reads, last_k) = reader.join().unwrap();
        assert!(reads > 0);
        assert_eq!(last_k, WRITES, "the final read sees the last write");
    }
}
