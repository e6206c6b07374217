//! Scripted runs of the market maker: board states, batches and order updates
//! in, exact intents out.

use std::sync::Arc;

use super::*;
use crate::board::{Board, BoardWriter, BookLevel, BOOK_DEPTH};
use crate::event::{Action, EventFlags, EventHeader, StatusBody, TradeBody};
use crate::strategy::{HostLimits, Outcome, StrategyHost};
use crate::time::UtcNanos;
use crate::types::{TradeId, VenueId};

const INSTR: InstrumentId = InstrumentId(7);
const OTHER: InstrumentId = InstrumentId(8);

/// A price in hundredths (10025 = 100.25).
fn p(hundredths: i64) -> Price {
    Price::from_e9(hundredths * 10_000_000)
}

fn q(lots: u32) -> Qty {
    Qty::from_lots(lots)
}

fn params() -> MarketMakerParams {
    MarketMakerParams {
        instrument_id: INSTR.0,
        tick_e9: 250_000_000,
        half_spread_ticks: 2,
        size_lots: 3,
        max_position_lots: 4,
        skew_ticks_per_lot: 1,
        requote_threshold_ticks: 2,
    }
}

fn new(id: u64, side: Side, px: i64, qty: u32) -> Intent {
    Intent::new_order(StrategyOrderId(id), INSTR, side, p(px), q(qty))
}

fn replace(id: u64, side: Side, px: i64, qty: u32) -> Intent {
    Intent::replace(StrategyOrderId(id), INSTR, side, p(px), q(qty))
}

fn cancel(id: u64, side: Side, px: i64, qty: u32) -> Intent {
    Intent::cancel(StrategyOrderId(id), INSTR, side, p(px), q(qty))
}

struct Harness {
    board: Arc<Board>,
    writer: BoardWriter,
    host: StrategyHost,
    now_ns: u64,
    seq: u32,
}

impl Harness {
    fn new(params: MarketMakerParams) -> Self {
        let (board, writer) = Board::new(&[(INSTR, VenueId::CME), (OTHER, VenueId::CME)]).unwrap();
        let mm = MarketMaker::new(params).unwrap();
        let host = StrategyHost::new(Box::new(mm), HostLimits::default());
        Harness {
            board,
            writer,
            host,
            now_ns: 1_000,
            seq: 0,
        }
    }

    fn now(&mut self) -> UtcNanos {
        self.now_ns += 1_000;
        UtcNanos::from_nanos(self.now_ns)
    }

    fn drain(&mut self) -> Vec<Intent> {
        std::iter::from_fn(|| self.host.poll_intent()).collect()
    }

    fn start(&mut self) -> Vec<Intent> {
        let now = self.now();
        assert_eq!(self.host.handle_start(&self.board, now), Outcome::Ran);
        self.drain()
    }

    /// Publishes a one-level book and delivers one batch with an event of
    /// `instrument` (the normalizer writes the board before publishing).
    fn book(&mut self, bid: i64, ask: i64) -> Vec<Intent> {
        let mut state = *self.writer.working(INSTR).unwrap();
        state.bids = [BookLevel::EMPTY; BOOK_DEPTH];
        state.asks = [BookLevel::EMPTY; BOOK_DEPTH];
        state.bids[0] = BookLevel {
            price_e9: p(bid),
            qty: q(10),
            order_count: 1,
        };
        state.asks[0] = BookLevel {
            price_e9: p(ask),
            qty: q(10),
            order_count: 1,
        };
        self.writer.publish(&state).unwrap();
        self.batch(&[self.trade(INSTR, EventFlags::LAST)])
    }

    fn trade(&self, instrument: InstrumentId, flags: EventFlags) -> Event {
        self.event(
            instrument,
            flags,
            TradeBody {
                price_e9: p(100),
                trade_id: TradeId(1),
                qty: q(1),
                rpt_seq: 0,
                aggressor: Side::Bid,
                action: Action::Trade,
            },
        )
    }

    fn event(
        &self,
        instrument: InstrumentId,
        flags: EventFlags,
        body: impl Into<crate::event::Body>,
    ) -> Event {
        Event::new(
            EventHeader {
                flags,
                venue: VenueId::CME,
                instrument,
                ts_recv_ns: UtcNanos::from_nanos(self.now_ns),
                ts_event_ns: UtcNanos::from_nanos(self.now_ns),
                ts_in_delta_ns: 0,
                sequence: self.seq,
            },
            body,
        )
    }

    /// Folds `events` into the board (as the normalizer would) and delivers
    /// them as one batch.
    fn batch(&mut self, events: &[Event]) -> Vec<Intent> {
        for e in events {
            self.seq += 1;
            self.writer.apply(e);
        }
        let now = self.now();
        for e in events {
            assert_eq!(
                self.host.handle_event(&self.board, now, None, e),
                Outcome::Ran
            );
        }
        assert_eq!(self.host.handle_batch_end(&self.board, now), Outcome::Ran);
        self.drain()
    }

    /// An order update; `[last, cum, leaves]` are the fill, filled and open
    /// quantities.
    fn update(
        &mut self,
        kind: OrderUpdateKind,
        id: u64,
        side: Side,
        px: i64,
        [last_qty, cum, leaves]: [u32; 3],
    ) -> Vec<Intent> {
        let now = self.now();
        let update = OrderUpdate {
            kind,
            order_id: StrategyOrderId(id),
            instrument: INSTR,
            side,
            price_e9: p(px),
            last_px_e9: if kind.is_fill() { p(px) } else { Price::NULL },
            last_qty: q(last_qty),
            cum_qty: q(cum),
            leaves_qty: q(leaves),
            ts_event_ns: now,
        };
        assert_eq!(
            self.host.handle_order_update(&self.board, now, &update),
            Outcome::Ran
        );
        self.drain()
    }

    fn ack(&mut self, id: u64, side: Side, px: i64, qty: u32) -> Vec<Intent> {
        self.update(OrderUpdateKind::Acked, id, side, px, [0, 0, qty])
    }

    fn mm(&self) -> &MarketMaker {
        let any: &dyn std::any::Any = self.host.strategy();
        any.downcast_ref::<MarketMaker>().unwrap()
    }

    fn status(&mut self, state: TradingState) -> Vec<Intent> {
        let body = StatusBody {
            venue_status: 0,
            halt_reason: 0,
            trading_event: 0,
            state,
        };
        let e = self.event(INSTR, EventFlags::LAST, body);
        self.batch(&[e])
    }
}

#[test]
fn quotes_requotes_skews_and_stops() {
    use OrderUpdateKind::{Cancelled, Filled, PartiallyFilled};
    let mut h = Harness::new(params());
    // Nothing on the board yet: no quote.
    assert_eq!(h.start(), []);

    // 100.00 / 100.50: mid 100.25, half spread 0.50.
    assert_eq!(
        h.book(10000, 10050),
        [new(1, Side::Bid, 9975, 3), new(2, Side::Ask, 10075, 3)]
    );
    // While the news are unacknowledged, book changes send nothing.
    assert_eq!(h.book(10050, 10100), []);
    // The acks: the book has moved two ticks since, so both are replaced.
    assert_eq!(
        h.ack(1, Side::Bid, 9975, 3),
        [replace(1, Side::Bid, 10025, 3)]
    );
    assert_eq!(
        h.ack(2, Side::Ask, 10075, 3),
        [replace(2, Side::Ask, 10125, 3)]
    );
    assert_eq!(h.ack(1, Side::Bid, 10025, 3), []);
    assert_eq!(h.ack(2, Side::Ask, 10125, 3), []);

    // A one-tick move is under the requote threshold.
    assert_eq!(h.book(10075, 10125), []);
    // Events of another instrument do not requote.
    let requotes = h.mm().requotes();
    let other = h.trade(OTHER, EventFlags::LAST);
    assert_eq!(h.batch(&[other]), []);
    assert_eq!(h.mm().requotes(), requotes);

    // Sold 2: position -2, fair 101.00 + 2 ticks = 101.50. The bid is capped
    // one tick under the best ask (101.00); the ask size is what the limit
    // (4) leaves: 2.
    assert_eq!(
        h.update(PartiallyFilled, 2, Side::Ask, 10125, [2, 2, 1]),
        [
            replace(1, Side::Bid, 10100, 3),
            replace(2, Side::Ask, 10200, 2)
        ]
    );
    assert_eq!(h.mm().position_lots(), -2);
    // The last lot of the ask fills before the replace is acked: position -3,
    // fair 101.75; a new ask of 1 lot at 102.25.
    assert_eq!(
        h.update(Filled, 2, Side::Ask, 10125, [1, 3, 0]),
        [new(3, Side::Ask, 10225, 1)]
    );
    assert_eq!(h.mm().position_lots(), -3);
    assert_eq!(h.ack(1, Side::Bid, 10100, 3), []);
    assert_eq!(h.ack(3, Side::Ask, 10225, 1), []);

    // A halt cancels both quotes; nothing is sent again until trading resumes.
    assert_eq!(
        h.status(TradingState::Halted),
        [
            cancel(1, Side::Bid, 10100, 3),
            cancel(3, Side::Ask, 10225, 1)
        ]
    );
    assert_eq!(h.update(Cancelled, 1, Side::Bid, 10100, [0, 0, 0]), []);
    assert_eq!(h.update(Cancelled, 3, Side::Ask, 10225, [0, 0, 0]), []);
    assert_eq!(
        h.status(TradingState::Trading),
        [new(4, Side::Bid, 10100, 3), new(5, Side::Ask, 10225, 1)]
    );
    assert_eq!(h.ack(4, Side::Bid, 10100, 3), []);
    assert_eq!(h.ack(5, Side::Ask, 10225, 1), []);

    // A suspect book (gap open) cancels too.
    let suspect = h.trade(INSTR, EventFlags::LAST | EventFlags::MAYBE_BAD_BOOK);
    assert_eq!(
        h.batch(&[suspect]),
        [
            cancel(4, Side::Bid, 10100, 3),
            cancel(5, Side::Ask, 10225, 1)
        ]
    );
    // The venue refuses the bid's cancel: the bid lives on, and the next
    // requote (still a suspect book) asks again.
    assert_eq!(
        h.update(
            OrderUpdateKind::CancelRejected,
            4,
            Side::Bid,
            10100,
            [0, 0, 3]
        ),
        [cancel(4, Side::Bid, 10100, 3)]
    );
    assert_eq!(h.update(Cancelled, 4, Side::Bid, 10100, [0, 0, 0]), []);
    assert_eq!(h.update(Cancelled, 5, Side::Ask, 10225, [0, 0, 0]), []);

    // Lapped: the strategy resyncs from the board, which is good again.
    let e = h.trade(INSTR, EventFlags::LAST);
    h.writer.apply(&e);
    let now = h.now();
    assert_eq!(h.host.handle_lapped(&h.board, now, 12), Outcome::Ran);
    assert_eq!(
        h.drain(),
        [new(6, Side::Bid, 10100, 3), new(7, Side::Ask, 10225, 1)]
    );
    assert_eq!(h.host.stats().events_missed, 12);

    // Stop cancels both, even with their news unacknowledged.
    let now = h.now();
    assert_eq!(h.host.handle_stop(&h.board, now), Outcome::Ran);
    assert_eq!(
        h.drain(),
        [
            cancel(6, Side::Bid, 10100, 3),
            cancel(7, Side::Ask, 10225, 1)
        ]
    );
    assert_eq!(h.host.stats().intents_refused, 0);
}

#[test]
fn position_limit_stops_one_side() {
    use OrderUpdateKind::{Filled, PartiallyFilled};
    let mut h = Harness::new(params());
    h.book(10000, 10050);
    h.ack(1, Side::Bid, 9975, 3);
    h.ack(2, Side::Ask, 10075, 3);
    // Bought 3: fair 100.25 - 3 ticks = 99.50. A bid of the 1 lot the limit
    // (4) leaves at 99.00; the ask at 100.00 is floored at best bid + tick
    // (100.25), two ticks under the live 100.75: replaced.
    assert_eq!(
        h.update(Filled, 1, Side::Bid, 9975, [3, 3, 0]),
        [new(3, Side::Bid, 9900, 1), replace(2, Side::Ask, 10025, 3)]
    );
    assert_eq!(h.ack(2, Side::Ask, 10025, 3), []);
    assert_eq!(h.ack(3, Side::Bid, 9900, 1), []);
    // Long 4, the limit: no bid at all; the ask stays.
    assert_eq!(h.update(Filled, 3, Side::Bid, 9900, [1, 1, 0]), []);
    assert_eq!(h.mm().position_lots(), 4);
    assert_eq!(h.mm().working().0, None);
    assert_eq!(h.mm().working().1.unwrap().qty, q(3));
    // Sold 1: long 3 again, and the 1-lot bid comes back.
    assert_eq!(
        h.update(PartiallyFilled, 2, Side::Ask, 10025, [1, 1, 2]),
        [new(4, Side::Bid, 9900, 1)]
    );
}

#[test]
fn crossed_or_one_sided_books_are_not_quoted() {
    let mut h = Harness::new(params());
    let mut state = *h.writer.working(INSTR).unwrap();
    state.bids[0] = BookLevel {
        price_e9: p(10000),
        qty: q(1),
        order_count: 1,
    };
    h.writer.publish(&state).unwrap();
    let e = h.trade(INSTR, EventFlags::LAST);
    assert_eq!(h.batch(&[e]), []);
    let mm = MarketMaker::new(params()).unwrap();
    assert_eq!(mm.targets(&state), [None, None]);
}

#[test]
fn targets_stay_on_the_tick_grid_for_negative_prices() {
    let mm = MarketMaker::new(params()).unwrap();
    let mut state = InstrumentState::new(INSTR, VenueId::CME);
    state.bids[0] = BookLevel {
        price_e9: p(-1050),
        qty: q(1),
        order_count: 1,
    };
    state.asks[0] = BookLevel {
        price_e9: p(-1000),
        qty: q(1),
        order_count: 1,
    };
    // Mid -10.25: bid -10.75, ask -9.75.
    assert_eq!(
        mm.targets(&state),
        [Some((p(-1075), q(3))), Some((p(-975), q(3)))]
    );
}

#[test]
fn params_are_checked_by_name() {
    let bad = |f: fn(&mut MarketMakerParams)| {
        let mut p = params();
        f(&mut p);
        MarketMaker::new(p).unwrap_err().param
    };
    assert_eq!(bad(|p| p.instrument_id = 0), "instrument_id");
    assert_eq!(bad(|p| p.tick_e9 = 0), "tick_e9");
    assert_eq!(bad(|p| p.tick_e9 = -5), "tick_e9");
    assert_eq!(bad(|p| p.half_spread_ticks = 0), "half_spread_ticks");
    assert_eq!(bad(|p| p.size_lots = 0), "size_lots");
    assert_eq!(bad(|p| p.size_lots = u32::MAX), "size_lots");
    assert_eq!(bad(|p| p.max_position_lots = 0), "max_position_lots");
    let err = MarketMaker::new(MarketMakerParams {
        tick_e9: 0,
        ..params()
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "parameter tick_e9: must be > 0");
}
