//! Folding normalized events into an [`InstrumentState`] (the rules are on
//! [`InstrumentState::fold`]).

use super::state::{BookLevel, InstrumentState, LastTrade, StateFlags};
use crate::event::{Action, Body, Event, EventFlags, LevelBody, QuoteBody};
use crate::types::{Price, Qty, Side};

/// What [`InstrumentState::fold`] did with an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fold {
    /// The state changed (or was confirmed) by the event.
    Folded,
    /// The event does not change board state (an `Order` event, or a level event
    /// without a side).
    Ignored,
}

impl InstrumentState {
    /// Folds one event of this instrument into the state. The caller routes
    /// events by instrument; the event's instrument is not checked here.
    ///
    /// | event | effect on the state |
    /// |---|---|
    /// | `Level`, `level` ≥ 1 (depth-indexed, CME MBP) | `Add` inserts at the index and shifts deeper levels down; `Cancel` removes and shifts up; `Clear` empties the side; any other action overwrites the level |
    /// | `Level`, `level` = 0 (price-keyed) | `Cancel` or zero quantity removes the price; otherwise the price is updated or inserted in price order |
    /// | `Quote` | best bid and ask set, deeper levels emptied (a quote feed has no depth) |
    /// | `Trade` | last trade (a bust, action `Cancel`, changes nothing: no history to fall back to) |
    /// | `Status` | trading state |
    /// | `Clear` | the side (both for [`Side::None`]) emptied, implied levels too |
    /// | `Gap` / `Recovered` naming the instrument | `MAYBE_BAD_BOOK` set / cleared |
    /// | `Order` (market by order) | not folded: levels need the whole order book, which the normalizer keeps; it publishes the aggregated state instead |
    /// | `Stat` | not folded: the board keeps no statistics |
    ///
    /// Level and quote events flagged [`EventFlags::IMPLIED`] go to the implied
    /// levels (`implied_bids`, `implied_asks`, two deep) by the same rules; a
    /// clear empties the outright and implied levels of its side.
    ///
    /// Every folded event also sets the state's times and sequence, and its
    /// `MAYBE_BAD_BOOK` flag from the event's flag.
    ///
    /// Limits: the board keeps [`BOOK_DEPTH`](super::BOOK_DEPTH) levels. When a price-keyed book loses
    /// one of them, the level that moves up from deeper is not known until an event
    /// names it; a normalizer with the full book avoids this by publishing whole
    /// states ([`BoardWriter::publish`](super::BoardWriter::publish)). Channel-wide
    /// events ([`InstrumentId::NONE`](crate::types::InstrumentId::NONE)) are not
    /// folded here: the board does not know which instruments a channel carries.
    pub fn fold(&mut self, event: &Event) -> Fold {
        let implied = event.flags().contains(EventFlags::IMPLIED);
        let fold = match event.body() {
            Body::Level(level) => self.fold_level(&level, implied),
            Body::Quote(quote) => {
                self.fold_quote(&quote, implied);
                Fold::Folded
            }
            // A bust withdraws a trade; the board keeps no trade history to
            // fall back to, so the last trade stays as it was.
            Body::Trade(trade) if trade.action == Action::Cancel => Fold::Ignored,
            Body::Trade(trade) => {
                self.last_trade = LastTrade::new(
                    trade.price_e9,
                    trade.qty,
                    trade.aggressor,
                    event.ts_event_ns(),
                );
                Fold::Folded
            }
            Body::Status(status) => {
                self.trading_state = status.state;
                Fold::Folded
            }
            Body::Clear(clear) => {
                let (bid, ask) = match clear.side {
                    Side::Bid => (true, false),
                    Side::Ask => (false, true),
                    Side::None => (true, true),
                };
                if bid {
                    self.bids.fill(BookLevel::EMPTY);
                    self.implied_bids.fill(BookLevel::EMPTY);
                }
                if ask {
                    self.asks.fill(BookLevel::EMPTY);
                    self.implied_asks.fill(BookLevel::EMPTY);
                }
                Fold::Folded
            }
            Body::Gap(_) | Body::Recovered(_) => Fold::Folded,
            Body::Order(_) | Body::Stat(_) => Fold::Ignored,
        };
        if fold == Fold::Folded {
            let header = event.header();
            self.ts_event_ns = header.ts_event_ns;
            self.ts_recv_ns = header.ts_recv_ns;
            self.sequence = header.sequence;
            let bad = match event.kind() {
                crate::event::EventKind::Gap => true,
                crate::event::EventKind::Recovered => false,
                _ => header.flags.contains(EventFlags::MAYBE_BAD_BOOK),
            };
            self.flags = self.flags.with(StateFlags::MAYBE_BAD_BOOK, bad);
        }
        fold
    }

    /// The levels of `side` in the outright or the implied book.
    fn side_mut(&mut self, side: Side, implied: bool) -> Option<&mut [BookLevel]> {
        Some(match (side, implied) {
            (Side::Bid, false) => &mut self.bids[..],
            (Side::Ask, false) => &mut self.asks[..],
            (Side::Bid, true) => &mut self.implied_bids[..],
            (Side::Ask, true) => &mut self.implied_asks[..],
            (Side::None, _) => return None,
        })
    }

    fn fold_quote(&mut self, quote: &QuoteBody, implied: bool) {
        let level = |px: Price, qty: Qty, count: u32| {
            if px.is_null() {
                BookLevel::EMPTY
            } else {
                BookLevel {
                    price_e9: px,
                    qty,
                    order_count: count,
                }
            }
        };
        let bid = level(quote.bid_px_e9, quote.bid_qty, quote.bid_count);
        let ask = level(quote.ask_px_e9, quote.ask_qty, quote.ask_count);
        for (side, top) in [(Side::Bid, bid), (Side::Ask, ask)] {
            if let Some(levels) = self.side_mut(side, implied) {
                levels.fill(BookLevel::EMPTY);
                levels[0] = top;
            }
        }
    }

    fn fold_level(&mut self, body: &LevelBody, implied: bool) -> Fold {
        let side = body.side;
        let Some(levels) = self.side_mut(side, implied) else {
            return Fold::Ignored;
        };
        let new = BookLevel {
            price_e9: body.price_e9,
            qty: body.qty,
            order_count: body.order_count,
        };
        if body.action == Action::Clear {
            levels.fill(BookLevel::EMPTY);
        } else if body.level == 0 {
            fold_by_price(levels, side, body.action, new);
        } else {
            fold_by_index(levels, usize::from(body.level) - 1, body.action, new);
        }
        Fold::Folded
    }
}

/// How many levels are filled (they always come first).
fn filled(levels: &[BookLevel]) -> usize {
    levels.iter().take_while(|l| !l.is_empty()).count()
}

/// Inserts `level` at `at`, pushing deeper levels down (the deepest drops off).
fn insert(levels: &mut [BookLevel], at: usize, level: BookLevel) {
    let depth = levels.len();
    if at < depth {
        levels.copy_within(at..depth - 1, at + 1);
        levels[at] = level;
    }
}

/// Removes the level at `at`, pulling deeper levels up (the deepest becomes empty).
fn remove(levels: &mut [BookLevel], at: usize) {
    let depth = levels.len();
    if at < depth {
        levels.copy_within(at + 1.., at);
        levels[depth - 1] = BookLevel::EMPTY;
    }
}

/// A depth-indexed update at index `at` (0 = best). Indices past the filled
/// levels are clamped to the first empty one, so filled levels stay contiguous.
fn fold_by_index(levels: &mut [BookLevel], at: usize, action: Action, new: BookLevel) {
    let filled = filled(levels);
    match action {
        Action::Add => insert(levels, at.min(filled), new),
        Action::Cancel => {
            if at < filled {
                remove(levels, at);
            }
        }
        _ => {
            let at = at.min(filled);
            if let Some(level) = levels.get_mut(at) {
                *level = new;
            }
        }
    }
}

/// Whether `a` is a better price than `b` on `side`.
fn better(side: Side, a: Price, b: Price) -> bool {
    match side {
        Side::Bid => a > b,
        _ => a < b,
    }
}

/// A price-keyed update.
fn fold_by_price(levels: &mut [BookLevel], side: Side, action: Action, new: BookLevel) {
    let found = levels
        .iter()
        .position(|l| !l.is_empty() && l.price_e9 == new.price_e9);
    if action == Action::Cancel || new.qty == Qty::ZERO {
        if let Some(at) = found {
            remove(levels, at);
        }
        return;
    }
    match found {
        Some(at) => levels[at] = new,
        None => {
            let at = levels
                .iter()
                .position(|l| l.is_empty() || better(side, new.price_e9, l.price_e9))
                .unwrap_or(levels.len());
            insert(levels, at, new);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::{BOOK_DEPTH, IMPLIED_DEPTH};
    use crate::event::{
        ClearBody, EventHeader, GapBody, OrderBody, RecoveredBody, RecoveryMethod, StatBody,
        StatType, StatusBody, TradeBody, TradingState,
    };
    use crate::time::UtcNanos;
    use crate::types::{InstrumentId, OrderId, TradeId, VenueId};

    const INSTR: InstrumentId = InstrumentId(42);

    fn ev(body: impl Into<Body>, seq: u32) -> Event {
        Event::new(
            EventHeader {
                flags: EventFlags::LAST,
                venue: VenueId::CME,
                instrument: INSTR,
                ts_recv_ns: UtcNanos::from_nanos(1_000 + u64::from(seq)),
                ts_event_ns: UtcNanos::from_nanos(500 + u64::from(seq)),
                ts_in_delta_ns: 0,
                sequence: seq,
            },
            body,
        )
    }

    fn lvl(side: Side, level: u8, action: Action, px: i64, qty: u32) -> LevelBody {
        LevelBody {
            price_e9: Price::from_e9(px),
            qty: Qty::from_lots(qty),
            order_count: qty / 10,
            rpt_seq: 0,
            level,
            side,
            action,
        }
    }

    fn prices(levels: &[BookLevel; BOOK_DEPTH]) -> Vec<i64> {
        levels
            .iter()
            .filter(|l| !l.is_empty())
            .map(|l| l.price_e9.e9())
            .collect()
    }

    fn state() -> InstrumentState {
        InstrumentState::new(INSTR, VenueId::CME)
    }

    #[test]
    fn indexed_levels_insert_modify_delete() {
        let mut s = state();
        for (i, px) in [100, 99, 98].into_iter().enumerate() {
            let l = lvl(Side::Bid, i as u8 + 1, Action::Add, px, 10);
            assert_eq!(s.fold(&ev(l, i as u32)), Fold::Folded);
        }
        assert_eq!(prices(&s.bids), [100, 99, 98]);
        // A new best pushes the others down.
        s.fold(&ev(lvl(Side::Bid, 1, Action::Add, 101, 5), 3));
        assert_eq!(prices(&s.bids), [101, 100, 99, 98]);
        // Change level 2 in place.
        s.fold(&ev(lvl(Side::Bid, 2, Action::Modify, 100, 70), 4));
        assert_eq!(s.bids[1].qty, Qty::from_lots(70));
        assert_eq!(s.bids[1].order_count, 7);
        // Delete level 1: the rest move up.
        s.fold(&ev(lvl(Side::Bid, 1, Action::Cancel, 101, 0), 5));
        assert_eq!(prices(&s.bids), [100, 99, 98]);
        assert_eq!(s.sequence, 5);
        assert_eq!(s.ts_event_ns, UtcNanos::from_nanos(505));
        assert_eq!(s.ts_recv_ns, UtcNanos::from_nanos(1_005));
        // Insert at an index past the known levels lands right after them.
        s.fold(&ev(lvl(Side::Bid, 5, Action::Add, 90, 1), 6));
        assert_eq!(prices(&s.bids), [100, 99, 98, 90]);
        // Deleting an unknown deep level changes nothing.
        s.fold(&ev(lvl(Side::Bid, 5, Action::Cancel, 0, 0), 7));
        assert_eq!(prices(&s.bids), [100, 99, 98, 90]);
        // Adds beyond depth drop the deepest level off.
        s.fold(&ev(lvl(Side::Bid, 1, Action::Add, 102, 1), 8));
        s.fold(&ev(lvl(Side::Bid, 1, Action::Add, 103, 1), 9));
        assert_eq!(prices(&s.bids), [103, 102, 100, 99, 98]);
        assert!(s.asks.iter().all(BookLevel::is_empty));
        // Clear action on a level event empties the side.
        s.fold(&ev(lvl(Side::Bid, 1, Action::Clear, 0, 0), 10));
        assert!(s.bids.iter().all(BookLevel::is_empty));
    }

    #[test]
    fn price_keyed_levels_keep_price_order() {
        let mut s = state();
        for px in [105, 103, 104, 110, 101, 102] {
            s.fold(&ev(lvl(Side::Ask, 0, Action::Add, px, 3), 1));
        }
        // Best (lowest) five asks, the 110 pushed out.
        assert_eq!(prices(&s.asks), [101, 102, 103, 104, 105]);
        s.fold(&ev(lvl(Side::Ask, 0, Action::Modify, 103, 9), 2));
        assert_eq!(s.asks[2].qty, Qty::from_lots(9));
        // Zero quantity removes, as does Cancel.
        s.fold(&ev(lvl(Side::Ask, 0, Action::Modify, 101, 0), 3));
        s.fold(&ev(lvl(Side::Ask, 0, Action::Cancel, 104, 0), 4));
        assert_eq!(prices(&s.asks), [102, 103, 105]);
        // A worse price than all, with room, goes last.
        s.fold(&ev(lvl(Side::Ask, 0, Action::Add, 120, 1), 5));
        assert_eq!(prices(&s.asks), [102, 103, 105, 120]);
        // Bids order highest first.
        for px in [10, 12, 11] {
            s.fold(&ev(lvl(Side::Bid, 0, Action::Add, px, 1), 6));
        }
        assert_eq!(prices(&s.bids), [12, 11, 10]);
        // Removing an unknown price changes nothing.
        s.fold(&ev(lvl(Side::Bid, 0, Action::Cancel, 7, 0), 7));
        assert_eq!(prices(&s.bids), [12, 11, 10]);
        // A level without a side is ignored and leaves the header alone.
        assert_eq!(
            s.fold(&ev(lvl(Side::None, 0, Action::Add, 7, 1), 99)),
            Fold::Ignored
        );
        assert_eq!(s.sequence, 7);
    }

    #[test]
    fn quote_trade_status_clear() {
        let mut s = state();
        s.fold(&ev(lvl(Side::Bid, 1, Action::Add, 50, 1), 1));
        s.fold(&ev(lvl(Side::Bid, 2, Action::Add, 49, 1), 2));
        let quote = QuoteBody {
            bid_px_e9: Price::from_e9(51),
            ask_px_e9: Price::NULL,
            bid_qty: Qty::from_lots(4),
            ask_qty: Qty::ZERO,
            bid_count: 2,
            ask_count: 0,
        };
        s.fold(&ev(quote, 3));
        assert_eq!(prices(&s.bids), [51]);
        assert_eq!(s.best_bid().unwrap().order_count, 2);
        assert_eq!(s.best_ask(), None);

        let trade = TradeBody {
            price_e9: Price::from_e9(51),
            trade_id: TradeId(9),
            qty: Qty::from_lots(2),
            rpt_seq: 0,
            aggressor: Side::Ask,
            action: Action::Trade,
        };
        s.fold(&ev(trade, 4));
        assert_eq!(
            s.last_trade,
            LastTrade::new(
                Price::from_e9(51),
                Qty::from_lots(2),
                Side::Ask,
                UtcNanos::from_nanos(504),
            )
        );

        let status = StatusBody {
            venue_status: 17,
            halt_reason: 0,
            trading_event: 0,
            state: TradingState::Halted,
        };
        s.fold(&ev(status, 5));
        assert_eq!(s.trading_state, TradingState::Halted);

        s.fold(&ev(lvl(Side::Ask, 1, Action::Add, 53, 1), 6));
        let clear = |side| ClearBody {
            channel: 1,
            rpt_seq: 0,
            side,
        };
        s.fold(&ev(clear(Side::Ask), 7));
        assert_eq!(prices(&s.asks), Vec::<i64>::new());
        assert_eq!(prices(&s.bids), [51]);
        s.fold(&ev(lvl(Side::Ask, 1, Action::Add, 53, 1), 8));
        s.fold(&ev(clear(Side::None), 9));
        assert!(s.best_bid().is_none() && s.best_ask().is_none());
        // The last trade and status survive a clear.
        assert!(s.last_trade.is_some());
        assert_eq!(s.trading_state, TradingState::Halted);
    }

    #[test]
    fn bad_book_flag_follows_events_and_gaps() {
        let mut s = state();
        let mut e = ev(lvl(Side::Bid, 1, Action::Add, 50, 1), 1);
        e.set_flags(EventFlags::LAST | EventFlags::MAYBE_BAD_BOOK);
        s.fold(&e);
        assert!(s.maybe_bad_book());
        s.fold(&ev(lvl(Side::Bid, 1, Action::Modify, 50, 2), 2));
        assert!(!s.maybe_bad_book());
        let gap = GapBody {
            first_seq: 1,
            last_seq: 2,
            channel: 1,
            instruments_suspect: 1,
        };
        s.fold(&ev(gap, 3));
        assert!(s.maybe_bad_book());
        let rec = RecoveredBody {
            first_seq: 1,
            last_seq: 2,
            channel: 1,
            method: RecoveryMethod::OtherLine,
        };
        s.fold(&ev(rec, 4));
        assert!(!s.maybe_bad_book());
    }

    #[test]
    fn implied_levels_are_kept_apart() {
        let mut s = state();
        let implied = |body: LevelBody, seq| {
            let mut e = ev(body, seq);
            e.set_flags(EventFlags::LAST | EventFlags::IMPLIED);
            e
        };
        s.fold(&ev(lvl(Side::Bid, 1, Action::Add, 100, 5), 1));
        s.fold(&implied(lvl(Side::Bid, 1, Action::Add, 99, 7), 2));
        s.fold(&implied(lvl(Side::Bid, 1, Action::Add, 101, 2), 3));
        // Deeper than the implied book is kept: dropped.
        s.fold(&implied(lvl(Side::Bid, 3, Action::Add, 98, 1), 4));
        s.fold(&implied(lvl(Side::Ask, 0, Action::Add, 103, 4), 5));
        assert_eq!(prices(&s.bids), [100], "outright book untouched");
        let implied_prices = |l: &[BookLevel; IMPLIED_DEPTH]| -> Vec<i64> {
            l.iter()
                .filter(|l| !l.is_empty())
                .map(|l| l.price_e9.e9())
                .collect()
        };
        assert_eq!(implied_prices(&s.implied_bids), [101, 99]);
        assert_eq!(s.best_implied_ask().unwrap().qty, Qty::from_lots(4));
        // Deleting the implied top pulls the second up.
        s.fold(&implied(lvl(Side::Bid, 1, Action::Cancel, 101, 0), 6));
        assert_eq!(implied_prices(&s.implied_bids), [99]);
        // An implied quote sets the implied tops only.
        let quote = QuoteBody {
            bid_px_e9: Price::from_e9(97),
            ask_px_e9: Price::NULL,
            bid_qty: Qty::from_lots(1),
            ask_qty: Qty::ZERO,
            bid_count: 0,
            ask_count: 0,
        };
        let mut q = ev(quote, 7);
        q.set_flags(EventFlags::LAST | EventFlags::IMPLIED);
        s.fold(&q);
        assert_eq!(implied_prices(&s.implied_bids), [97]);
        assert_eq!(s.best_implied_ask(), None);
        assert_eq!(prices(&s.bids), [100]);
        // A clear of one side empties its outright and implied levels.
        s.fold(&implied(lvl(Side::Ask, 1, Action::Add, 104, 1), 8));
        s.fold(&ev(lvl(Side::Ask, 1, Action::Add, 105, 1), 9));
        let clear = ClearBody {
            channel: 1,
            rpt_seq: 0,
            side: Side::Bid,
        };
        s.fold(&ev(clear, 10));
        assert!(s.best_bid().is_none() && s.best_implied_bid().is_none());
        assert!(s.best_ask().is_some() && s.best_implied_ask().is_some());
    }

    #[test]
    fn busts_and_statistics_leave_the_state_alone() {
        let mut s = state();
        let trade = |action, px| TradeBody {
            price_e9: Price::from_e9(px),
            trade_id: TradeId(1),
            qty: Qty::from_lots(3),
            rpt_seq: 0,
            aggressor: Side::Bid,
            action,
        };
        s.fold(&ev(trade(Action::Trade, 50), 1));
        let before = s;
        assert_eq!(s.fold(&ev(trade(Action::Cancel, 50), 2)), Fold::Ignored);
        let stat = StatBody {
            price_e9: Price::from_e9(49),
            qty: Qty::NULL,
            rpt_seq: 0,
            stat: StatType::SettlementPrice,
            action: Action::Add,
            venue_flags: 0,
        };
        assert_eq!(s.fold(&ev(stat, 3)), Fold::Ignored);
        assert_eq!(s, before);
    }

    #[test]
    fn order_events_are_not_folded() {
        let mut s = state();
        let order = OrderBody {
            order_id: OrderId(1),
            price_e9: Price::from_e9(5),
            priority: 1,
            qty: Qty::from_lots(1),
            side: Side::Bid,
            action: Action::Add,
        };
        assert_eq!(s.fold(&ev(order, 1)), Fold::Ignored);
        assert_eq!(s, state());
    }
}
