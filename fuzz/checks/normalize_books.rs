//! Checks for the `normalize_books` fuzz target: one [`Normalizer`] (3
//! instruments, books 5 outright / 2 implied deep, 12 orders, a batch of 1–8
//! events) driven by a fuzz-chosen sequence of venue-neutral updates, with a
//! consumer that rebuilds every book, order and statistic from the published
//! events alone.
//!
//! # Input
//!
//! Byte 0 picks the batch capacity (`% 8 + 1`). Then up to [`MAX_OPS`]
//! operations, each an op byte (`% 12`) and its argument bytes (zeros once the
//! input runs out). Ids are drawn from 1–5 (so the 3-slot registry fills up and
//! unknown instruments occur), prices from a 20-tick grid (255: null),
//! quantities are one byte (255: null):
//!
//! | op | what | argument bytes |
//! |---|---|---|
//! | 0 | definition add/modify/delete, outright depth 0–6, implied 0–3 (over the limits: refused), one of two groups | id, action, depth, depth, group |
//! | 1–3 | level update: book (bit 0), side (bits 1–2: bid, ask, none), action (`% 6`, from bit 3) | id, flags, level (`% 8`), price, qty |
//! | 4–5 | order New/Update/Delete, order id 0–15 | id, action, order, side, price, qty, priority |
//! | 6 | trade or bust | id, bust, price, qty, trade id, aggressor |
//! | 7 | statistic set or delete | id, stat, delete, price, qty |
//! | 8 | status for an instrument or a group, optionally resetting statistics | scope, state, reset |
//! | 9 | book reset, mark suspect, or mark good | id, kind |
//! | 10 | channel reset | — |
//! | 11 | end the message (ending the venue event when the byte is odd), begin the next | end |
//!
//! The input ends with an end of event.
//!
//! # Invariants (beyond "never panics")
//!
//! - Every MBP side is strictly ordered (bids descending, asks ascending) and
//!   no longer than its definition's depth.
//! - A refused level update leaves its book as it was (only now suspect).
//! - The MBO aggregates equal the sums over the resting orders.
//! - Between venue events, the consumer's rebuild (keyed by price for levels,
//!   by order id for orders, by statistic for stats, the last quote per
//!   instrument) equals the normalizer's state for every defined instrument,
//!   and the published quote is the consolidated best of the rebuilt books
//!   (computed here independently).
//! - `LAST` is set on exactly the final event of each venue event and on no
//!   event published before its end.
//!
//! Shared by `fuzz/fuzz_targets/normalize_books.rs` and
//! `tests/fuzz_corpus_normalize.rs`; the consumer model is
//! `fuzz/checks/event_model.rs`, shared with `md_cme_book`.

use std::collections::BTreeMap;

use fixgate_core::event::{Event, EventFlags, QuoteBody, StatType, TradingState};
use fixgate_core::normalize::book::{BookKind, MbpAction, MbpOp, OrderAction, OrderOp};
use fixgate_core::normalize::registry::{BookDepth, DefinitionAction, InstrumentDef};
use fixgate_core::normalize::stats::{StatAction, StatUpdate};
use fixgate_core::normalize::status::{StatusScope, StatusUpdate};
use fixgate_core::normalize::text::Text;
use fixgate_core::normalize::trade::{TradeAction, TradeUpdate};
use fixgate_core::normalize::{
    LevelUpdate, MessageStamp, NormalizeError, Normalizer, NormalizerConfig,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::{InstrumentId, OrderId, Price, Qty, Side, TradeId, VenueId};

#[path = "event_model.rs"]
mod event_model;

use event_model::{check_rebuild, strictly_ordered, Consumer, Seen};

/// The most operations read from one input.
pub const MAX_OPS: usize = 4096;

const GROUPS: [&[u8]; 2] = [b"GPU", b"ES"];

/// The input as a stream of bytes, zeros past its end.
struct Input<'a> {
    data: &'a [u8],
    at: usize,
}

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn done(&self) -> bool {
        self.at >= self.data.len()
    }

    fn id(&mut self) -> InstrumentId {
        InstrumentId(1 + u32::from(self.byte() % 5))
    }

    fn price(&mut self) -> Price {
        match self.byte() {
            255 => Price::NULL,
            b => Price::from_e9((90 + i64::from(b % 20)) * 250_000_000),
        }
    }

    fn qty(&mut self) -> Qty {
        match self.byte() {
            255 => Qty::NULL,
            b => Qty::from_lots(u32::from(b)),
        }
    }

    fn side(&mut self) -> Side {
        match self.byte() % 4 {
            0 | 3 => Side::Bid,
            1 => Side::Ask,
            _ => Side::None,
        }
    }
}

const NO_QUOTE: QuoteBody = QuoteBody {
    bid_px_e9: Price::NULL,
    ask_px_e9: Price::NULL,
    bid_qty: Qty::ZERO,
    ask_qty: Qty::ZERO,
    bid_count: 0,
    ask_count: 0,
};

/// The structural invariants, checked after every operation.
fn check_books(n: &Normalizer<Vec<Event>>) {
    for (_, def) in n.registry().iter() {
        for (kind, depth) in [
            (BookKind::Outright, def.depth.outright),
            (BookKind::Implied, def.depth.implied),
        ] {
            let book = n.mbp(def.id, kind).expect("a defined instrument has books");
            for side in [book.bids(), book.asks()] {
                assert!(
                    strictly_ordered(side),
                    "{kind:?} {:?} out of order: {side:?}",
                    side.side()
                );
                assert!(
                    side.len() <= usize::from(depth),
                    "{kind:?} deeper than {depth}"
                );
            }
        }
    }
    let mbo = n.mbo();
    let mut sums: BTreeMap<(u32, u8, i64), (u64, u32)> = BTreeMap::new();
    for o in mbo.orders() {
        let e = sums
            .entry((o.instrument.get(), o.side.to_dbn(), o.price_e9.e9()))
            .or_default();
        e.0 += u64::from(o.qty.lots());
        e.1 += 1;
    }
    let mut levels = 0;
    for (&(inst, side, price), &(qty, count)) in &sums {
        let side = Side::from_dbn(side).expect("a stored side");
        let agg = mbo
            .level(InstrumentId(inst), side, Price::from_e9(price))
            .expect("every resting price has an aggregate");
        assert_eq!(
            (agg.qty, agg.order_count),
            (qty, count),
            "aggregate of {inst} {side:?} {price}"
        );
        levels += 1;
    }
    let all: usize = (1..=5u32)
        .flat_map(|i| [Side::Bid, Side::Ask].map(|s| mbo.levels(InstrumentId(i), s).count()))
        .sum();
    assert_eq!(all, levels, "aggregates for prices without orders");
}

/// The quote a consumer derives from its rebuilt books: per side, the best
/// price over the outright and implied books, quantities and counts summed
/// where both have it.
fn consolidated(seen: &Seen) -> QuoteBody {
    let best = |side: usize| {
        let pick = |m: &BTreeMap<i64, (u32, u32)>| {
            if side == 0 {
                m.iter().next_back().map(|(p, v)| (*p, *v))
            } else {
                m.iter().next().map(|(p, v)| (*p, *v))
            }
        };
        let (o, i) = (pick(&seen.books[0][side]), pick(&seen.books[1][side]));
        let better = |a: i64, b: i64| if side == 0 { a > b } else { a < b };
        match (o, i) {
            (None, None) => (Price::NULL, Qty::ZERO, 0),
            (Some((p, (q, c))), None) | (None, Some((p, (q, c)))) => {
                (Price::from_e9(p), Qty::from_lots(q), c)
            }
            (Some((po, (qo, co))), Some((pi, (qi, ci)))) => {
                if po == pi {
                    (
                        Price::from_e9(po),
                        Qty::from_lots(qo).saturating_add(Qty::from_lots(qi)),
                        co.saturating_add(ci),
                    )
                } else if better(po, pi) {
                    (Price::from_e9(po), Qty::from_lots(qo), co)
                } else {
                    (Price::from_e9(pi), Qty::from_lots(qi), ci)
                }
            }
        }
    };
    let (bid_px_e9, bid_qty, bid_count) = best(0);
    let (ask_px_e9, ask_qty, ask_count) = best(1);
    QuoteBody {
        bid_px_e9,
        ask_px_e9,
        bid_qty,
        ask_qty,
        bid_count,
        ask_count,
    }
}

/// The consumer's rebuild against the normalizer, at a venue-event end: books,
/// orders and statistics, then the quote as published and as derived from the
/// rebuilt books.
fn check_consumer(n: &Normalizer<Vec<Event>>, consumer: &Consumer) {
    check_rebuild(n, consumer, |id, seen| {
        let published = n.published_quote(id).expect("quote");
        assert_eq!(seen.quote.unwrap_or(NO_QUOTE), published, "{id} quote");
        assert_eq!(
            consolidated(seen),
            published,
            "{id} quote against the rebuilt books"
        );
    });
}

/// Feeds newly published events to the consumer and checks `LAST`: none on
/// events published before the event's end; exactly the final one at the end.
fn drain(n: &mut Normalizer<Vec<Event>>, consumer: &mut Consumer, at_end: bool) {
    let events = std::mem::take(n.sink_mut());
    for (i, e) in events.iter().enumerate() {
        let last = e.flags().contains(EventFlags::LAST);
        assert_eq!(
            last,
            at_end && i + 1 == events.len(),
            "LAST misplaced at {i} of {}",
            events.len()
        );
        consumer.apply(e);
    }
}

fn definition(inp: &mut Input<'_>) -> (DefinitionAction, InstrumentDef) {
    let id = inp.id();
    let action = match inp.byte() % 3 {
        0 => DefinitionAction::Add,
        1 => DefinitionAction::Modify,
        _ => DefinitionAction::Delete,
    };
    let mut def = InstrumentDef::new(id, Text::new(b"GPUH7").expect("symbol"));
    def.depth = BookDepth {
        outright: inp.byte() % 7,
        implied: inp.byte() % 4,
    };
    def.security_group = Text::new(GROUPS[usize::from(inp.byte() % 2)]).expect("group");
    (action, def)
}

/// Runs one input.
pub fn check(data: &[u8]) {
    let mut inp = Input { data, at: 0 };
    let batch_capacity = usize::from(inp.byte() % 8) + 1;
    let mut n = Normalizer::new(
        NormalizerConfig {
            venue: VenueId::CME,
            channel: 7,
            max_instruments: 3,
            max_depth: BookDepth {
                outright: 5,
                implied: 2,
            },
            max_orders: 12,
            batch_capacity,
        },
        Vec::new(),
    );
    let mut consumer = Consumer::default();
    let mut seq = 0u32;
    let begin = |n: &mut Normalizer<Vec<Event>>, seq: &mut u32| {
        *seq += 1;
        n.begin_message(MessageStamp {
            ts_recv_ns: UtcNanos::from_nanos(u64::from(*seq)),
            ts_event_ns: UtcNanos::from_nanos(u64::from(*seq)),
            ts_in_delta_ns: 0,
            sequence: *seq,
            flags: EventFlags::empty(),
        });
    };
    begin(&mut n, &mut seq);
    for _ in 0..MAX_OPS {
        if inp.done() {
            break;
        }
        match inp.byte() % 12 {
            0 => {
                let (action, def) = definition(&mut inp);
                let _ = n.handle_definition(action, &def);
            }
            1..=3 => {
                let instrument = inp.id();
                let flags = inp.byte();
                let book = if flags & 1 == 0 {
                    BookKind::Outright
                } else {
                    BookKind::Implied
                };
                let side = match (flags >> 1) & 3 {
                    0 | 3 => Side::Bid,
                    1 => Side::Ask,
                    _ => Side::None,
                };
                let action = MbpAction::from_fix((flags >> 3) % 6).expect("0..6");
                let level = inp.byte() % 8;
                let u = LevelUpdate {
                    instrument,
                    book,
                    rpt_seq: seq,
                    op: MbpOp {
                        side,
                        action,
                        level,
                        price_e9: inp.price(),
                        qty: inp.qty(),
                        order_count: u32::from(level),
                    },
                };
                let before = n.mbp(instrument, book).cloned();
                if let Err(NormalizeError::Book { .. }) = n.handle_level(&u) {
                    let mut after = n
                        .mbp(instrument, book)
                        .cloned()
                        .expect("a refused update's book");
                    assert!(
                        after.is_suspect(),
                        "a refused update marks the book suspect"
                    );
                    let mut before = before.expect("the book existed");
                    after.mark_good();
                    before.mark_good();
                    assert_eq!(after, before, "a refused update changed the book");
                }
            }
            4 | 5 => {
                let instrument = inp.id();
                let action = OrderAction::from_code(inp.byte() % 3).expect("0..3");
                let order_id = OrderId(u64::from(inp.byte() % 16));
                let op = OrderOp {
                    instrument,
                    order_id,
                    side: inp.side(),
                    price_e9: inp.price(),
                    qty: inp.qty(),
                    priority: u64::from(inp.byte()),
                    action,
                };
                let _ = n.handle_order(&op);
            }
            6 => {
                let u = TradeUpdate {
                    instrument: inp.id(),
                    action: if inp.byte() & 1 == 0 {
                        TradeAction::Trade
                    } else {
                        TradeAction::Bust
                    },
                    price_e9: inp.price(),
                    qty: inp.qty(),
                    trade_id: TradeId(u64::from(inp.byte())),
                    aggressor: inp.side(),
                    rpt_seq: seq,
                };
                let _ = n.handle_trade(&u);
            }
            7 => {
                let instrument = inp.id();
                let stat = StatType::ALL[usize::from(inp.byte()) % StatType::COUNT];
                let action = if inp.byte() & 1 == 0 {
                    StatAction::Set
                } else {
                    StatAction::Delete
                };
                let u = StatUpdate {
                    instrument,
                    stat,
                    action,
                    price_e9: inp.price(),
                    qty: inp.qty(),
                    venue_flags: 1,
                    rpt_seq: seq,
                };
                let _ = n.handle_stat(&u);
            }
            8 => {
                let scope_byte = inp.byte();
                let scope = if scope_byte & 1 == 0 {
                    StatusScope::Instrument(InstrumentId(1 + u32::from((scope_byte >> 1) % 5)))
                } else {
                    StatusScope::Group {
                        security_group: Text::new(GROUPS[usize::from((scope_byte >> 1) & 1)])
                            .expect("group"),
                        asset: Text::EMPTY,
                    }
                };
                let state_byte = inp.byte();
                let u = StatusUpdate {
                    scope,
                    state: (state_byte < 7).then(|| TradingState::from_u8(state_byte)),
                    venue_status: u16::from(state_byte),
                    halt_reason: 0,
                    trading_event: 0,
                    reset_statistics: inp.byte() & 1 == 1,
                };
                let _ = n.handle_status(&u);
            }
            9 => {
                let id = inp.id();
                let _ = match inp.byte() % 3 {
                    0 => n.handle_book_reset(id),
                    1 => n.mark_suspect(id),
                    _ => n.mark_good(id),
                };
            }
            10 => n.handle_channel_reset(),
            _ => {
                let end = inp.byte() & 1 == 1;
                n.end_message(end);
                if end {
                    drain(&mut n, &mut consumer, true);
                    check_consumer(&n, &consumer);
                } else {
                    drain(&mut n, &mut consumer, false);
                }
                begin(&mut n, &mut seq);
            }
        }
        check_books(&n);
        drain(&mut n, &mut consumer, false);
    }
    n.end_message(true);
    drain(&mut n, &mut consumer, true);
    check_consumer(&n, &consumer);
}
