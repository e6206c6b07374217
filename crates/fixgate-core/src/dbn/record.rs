//! One fixgate [`Event`] → one DBN version 3 record, written into a caller-owned
//! buffer at fixed offsets (see [`super::wire`] for the layouts).
//!
//! Each function zeroes the whole record first, so reserved bytes are zero and the
//! output depends on the event alone.

use super::stat::dbn_stat;
use super::status::dbn_status;
use super::wire::{
    mbo, mbp, stat, status, RType, Schema, MBO_LEN, MBP1_LEN, RECORD_HEADER_LEN, STATUS_LEN,
    STAT_LEN, TRADE_LEN, UNDEF_PRICE, UNDEF_TIMESTAMP,
};
use super::{DbnError, Encoded};
use crate::event::{
    Action, Body, ClearBody, Event, OrderBody, QuoteBody, StatBody, StatusBody, TradeBody,
};
use crate::types::Side;

/// Encodes `event` with `publisher_id` into the front of `out`.
///
/// # Errors
/// [`DbnError::BufferTooSmall`] when `out` is shorter than the record; nothing is
/// written then.
pub(super) fn encode(
    event: &Event,
    publisher_id: u16,
    out: &mut [u8],
) -> Result<Encoded, DbnError> {
    let have = out.len();
    let too_small = |need| DbnError::BufferTooSmall { need, have };
    match event.body() {
        Body::Order(order) => {
            let rec = out.first_chunk_mut::<MBO_LEN>().ok_or(too_small(MBO_LEN))?;
            mbo_from_order(event, publisher_id, &order, rec);
            Ok(Encoded::record(Schema::MBO))
        }
        Body::Clear(clear) => {
            let rec = out.first_chunk_mut::<MBO_LEN>().ok_or(too_small(MBO_LEN))?;
            mbo_from_clear(event, publisher_id, &clear, rec);
            Ok(Encoded::record(Schema::MBO))
        }
        Body::Quote(quote) => {
            let rec = out
                .first_chunk_mut::<MBP1_LEN>()
                .ok_or(too_small(MBP1_LEN))?;
            mbp1_from_quote(event, publisher_id, &quote, rec);
            Ok(Encoded::record(Schema::MBP_1))
        }
        Body::Trade(trade) if trade.action == Action::Cancel => Ok(Encoded::Skipped(event.kind())),
        Body::Trade(trade) => {
            let rec = out
                .first_chunk_mut::<TRADE_LEN>()
                .ok_or(too_small(TRADE_LEN))?;
            trade_from_trade(event, publisher_id, &trade, rec);
            Ok(Encoded::record(Schema::TRADES))
        }
        Body::Status(st) => {
            let rec = out
                .first_chunk_mut::<STATUS_LEN>()
                .ok_or(too_small(STATUS_LEN))?;
            status_from_status(event, publisher_id, &st, rec);
            Ok(Encoded::record(Schema::STATUS))
        }
        Body::Stat(st) => {
            let rec = out
                .first_chunk_mut::<STAT_LEN>()
                .ok_or(too_small(STAT_LEN))?;
            stat_from_stat(event, publisher_id, &st, rec);
            Ok(Encoded::record(Schema::STATISTICS))
        }
        Body::Level(_) | Body::Gap(_) | Body::Recovered(_) => Ok(Encoded::Skipped(event.kind())),
    }
}

#[inline]
fn put<const N: usize, const L: usize>(rec: &mut [u8; L], at: usize, bytes: [u8; N]) {
    rec[at..at + N].copy_from_slice(&bytes);
}

/// The 16-byte record header.
#[inline]
fn header<const L: usize>(rec: &mut [u8; L], rtype: RType, publisher_id: u16, event: &Event) {
    const { assert!(L.is_multiple_of(4) && L / 4 <= u8::MAX as usize && L >= RECORD_HEADER_LEN) };
    rec[0] = (L / 4) as u8;
    rec[1] = rtype.0;
    put(rec, 2, publisher_id.to_le_bytes());
    put(rec, 4, event.instrument().get().to_le_bytes());
    put(rec, 8, event.ts_event_ns().as_nanos().to_le_bytes());
}

/// `ts_recv`, `ts_in_delta` and `sequence` at the given offsets.
#[inline]
fn times<const L: usize>(
    rec: &mut [u8; L],
    [ts_recv, ts_in_delta, sequence]: [usize; 3],
    event: &Event,
) {
    put(rec, ts_recv, event.ts_recv_ns().as_nanos().to_le_bytes());
    put(rec, ts_in_delta, event.ts_in_delta_ns().to_le_bytes());
    put(rec, sequence, event.sequence().to_le_bytes());
}

const MBO_TIMES: [usize; 3] = [mbo::TS_RECV, mbo::TS_IN_DELTA, mbo::SEQUENCE];
const MBP_TIMES: [usize; 3] = [mbp::TS_RECV, mbp::TS_IN_DELTA, mbp::SEQUENCE];
const STAT_TIMES: [usize; 3] = [stat::TS_RECV, stat::TS_IN_DELTA, stat::SEQUENCE];

fn mbo_from_order(event: &Event, publisher_id: u16, order: &OrderBody, rec: &mut [u8; MBO_LEN]) {
    *rec = [0; MBO_LEN];
    header(rec, RType::MBO, publisher_id, event);
    put(rec, mbo::ORDER_ID, order.order_id.get().to_le_bytes());
    put(rec, mbo::PRICE, order.price_e9.e9().to_le_bytes());
    put(rec, mbo::SIZE, order.qty.lots().to_le_bytes());
    rec[mbo::FLAGS] = event.flags().bits();
    rec[mbo::CHANNEL_ID] = 0; // Databento's channel numbering; fixgate has none.
    rec[mbo::ACTION] = order.action.to_dbn();
    rec[mbo::SIDE] = order.side.to_dbn();
    times(rec, MBO_TIMES, event);
}

/// A book clear is DBN's MBO action `R`: no order, price or size.
fn mbo_from_clear(event: &Event, publisher_id: u16, clear: &ClearBody, rec: &mut [u8; MBO_LEN]) {
    *rec = [0; MBO_LEN];
    header(rec, RType::MBO, publisher_id, event);
    put(rec, mbo::PRICE, UNDEF_PRICE.to_le_bytes());
    rec[mbo::FLAGS] = event.flags().bits();
    rec[mbo::ACTION] = Action::Clear.to_dbn();
    rec[mbo::SIDE] = clear.side.to_dbn();
    times(rec, MBO_TIMES, event);
}

/// A top-of-book quote is an `mbp-1` record whose book level is the quote and
/// whose update fields say "no action" (`N`, no side, no price, size 0): a
/// fixgate quote is the book's resulting top, not the update that made it.
fn mbp1_from_quote(event: &Event, publisher_id: u16, quote: &QuoteBody, rec: &mut [u8; MBP1_LEN]) {
    *rec = [0; MBP1_LEN];
    header(rec, RType::MBP_1, publisher_id, event);
    put(rec, mbp::PRICE, UNDEF_PRICE.to_le_bytes());
    rec[mbp::ACTION] = Action::None.to_dbn();
    rec[mbp::SIDE] = Side::None.to_dbn();
    rec[mbp::FLAGS] = event.flags().bits();
    rec[mbp::DEPTH] = 0; // the top level
    times(rec, MBP_TIMES, event);
    put(rec, mbp::BID_PX, quote.bid_px_e9.e9().to_le_bytes());
    put(rec, mbp::ASK_PX, quote.ask_px_e9.e9().to_le_bytes());
    put(rec, mbp::BID_SZ, quote.bid_qty.lots().to_le_bytes());
    put(rec, mbp::ASK_SZ, quote.ask_qty.lots().to_le_bytes());
    put(rec, mbp::BID_CT, quote.bid_count.to_le_bytes());
    put(rec, mbp::ASK_CT, quote.ask_count.to_le_bytes());
}

/// A trade (any action but [`Action::Cancel`], whose busts [`encode`] skips):
/// DBN's trades schema has action `T` on every record.
fn trade_from_trade(
    event: &Event,
    publisher_id: u16,
    trade: &TradeBody,
    rec: &mut [u8; TRADE_LEN],
) {
    *rec = [0; TRADE_LEN];
    header(rec, RType::MBP_0, publisher_id, event);
    put(rec, mbp::PRICE, trade.price_e9.e9().to_le_bytes());
    put(rec, mbp::SIZE, trade.qty.lots().to_le_bytes());
    rec[mbp::ACTION] = Action::Trade.to_dbn();
    rec[mbp::SIDE] = trade.aggressor.to_dbn();
    rec[mbp::FLAGS] = event.flags().bits();
    rec[mbp::DEPTH] = 0; // trades are not book updates
    times(rec, MBP_TIMES, event);
}

/// A statistic (see [`super::stat`] for the field mapping); `ts_ref` undefined,
/// `channel_id` 0.
fn stat_from_stat(event: &Event, publisher_id: u16, st: &StatBody, rec: &mut [u8; STAT_LEN]) {
    *rec = [0; STAT_LEN];
    header(rec, RType::STATISTICS, publisher_id, event);
    let s = dbn_stat(st);
    put(rec, stat::TS_REF, UNDEF_TIMESTAMP.to_le_bytes());
    put(rec, stat::PRICE, s.price.to_le_bytes());
    put(rec, stat::QUANTITY, s.quantity.to_le_bytes());
    times(rec, STAT_TIMES, event);
    put(rec, stat::STAT_TYPE, s.stat_type.0.to_le_bytes());
    put(rec, stat::CHANNEL_ID, 0u16.to_le_bytes()); // Databento's numbering; fixgate has none.
    rec[stat::UPDATE_ACTION] = s.update_action.0;
    rec[stat::STAT_FLAGS] = s.stat_flags;
}

fn status_from_status(
    event: &Event,
    publisher_id: u16,
    st: &StatusBody,
    rec: &mut [u8; STATUS_LEN],
) {
    *rec = [0; STATUS_LEN];
    header(rec, RType::STATUS, publisher_id, event);
    let s = dbn_status(event.venue(), st);
    put(
        rec,
        status::TS_RECV,
        event.ts_recv_ns().as_nanos().to_le_bytes(),
    );
    put(rec, status::ACTION, s.action.0.to_le_bytes());
    put(rec, status::REASON, s.reason.to_le_bytes());
    put(rec, status::TRADING_EVENT, s.trading_event.to_le_bytes());
    rec[status::IS_TRADING] = s.is_trading;
    rec[status::IS_QUOTING] = s.is_quoting;
    rec[status::IS_SHORT_SELL_RESTRICTED] = s.is_short_sell_restricted;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventFlags, EventHeader, GapBody, LevelBody, StatType, TradingState};
    use crate::time::UtcNanos;
    use crate::types::{InstrumentId, OrderId, Price, Qty, TradeId, VenueId};

    fn hdr() -> EventHeader {
        EventHeader {
            flags: EventFlags::LAST | EventFlags::from_bits(0x01),
            venue: VenueId::CME,
            instrument: InstrumentId(5482),
            ts_recv_ns: UtcNanos::from_nanos(1_609_160_400_000_704_060),
            ts_event_ns: UtcNanos::from_nanos(1_609_160_400_000_429_831),
            ts_in_delta_ns: 22_993,
            sequence: 1_170_352,
        }
    }

    fn enc(ev: &Event) -> ([u8; 80], Encoded) {
        let mut out = [0xEEu8; 80];
        let e = encode(ev, 1, &mut out).unwrap();
        (out, e)
    }

    #[test]
    fn mbo_layout() {
        let ev = Event::new(
            hdr(),
            OrderBody {
                order_id: OrderId(647_784_973_705),
                price_e9: Price::from_e9(3_722_750_000_000),
                priority: 9,
                qty: Qty::from_lots(1),
                side: Side::Ask,
                action: Action::Cancel,
            },
        );
        let (rec, e) = enc(&ev);
        assert_eq!(
            e,
            Encoded::Record {
                schema: Schema::MBO,
                len: 56
            }
        );
        assert_eq!(rec[0..4], [14, 0xA0, 1, 0]);
        assert_eq!(rec[4..8], 5482u32.to_le_bytes());
        assert_eq!(rec[16..24], 647_784_973_705u64.to_le_bytes());
        assert_eq!(rec[32..40], [1, 0, 0, 0, 0x81, 0, b'C', b'A']);
        assert_eq!(rec[48..52], 22_993i32.to_le_bytes());
        assert_eq!(rec[52..56], 1_170_352u32.to_le_bytes());
        assert_eq!(rec[56], 0xEE, "wrote past the record");
    }

    #[test]
    fn clear_is_mbo_r() {
        let ev = Event::new(
            hdr(),
            ClearBody {
                channel: 310,
                rpt_seq: 4,
                side: Side::None,
            },
        );
        let (rec, e) = enc(&ev);
        assert_eq!(e.schema(), Some(Schema::MBO));
        assert_eq!(rec[16..24], [0; 8]);
        assert_eq!(rec[24..32], i64::MAX.to_le_bytes());
        assert_eq!(rec[32..40], [0, 0, 0, 0, 0x81, 0, b'R', b'N']);
    }

    #[test]
    fn quote_is_mbp1_with_no_action() {
        let ev = Event::new(
            hdr(),
            QuoteBody {
                bid_px_e9: Price::from_e9(3_720_250_000_000),
                ask_px_e9: Price::NULL,
                bid_qty: Qty::from_lots(24),
                ask_qty: Qty::ZERO,
                bid_count: 15,
                ask_count: 0,
            },
        );
        let (rec, e) = enc(&ev);
        assert_eq!(
            e,
            Encoded::Record {
                schema: Schema::MBP_1,
                len: 80
            }
        );
        assert_eq!(rec[0..2], [20, 0x01]);
        assert_eq!(rec[16..24], i64::MAX.to_le_bytes());
        assert_eq!(rec[24..32], [0, 0, 0, 0, b'N', b'N', 0x81, 0]);
        assert_eq!(rec[48..56], 3_720_250_000_000i64.to_le_bytes());
        assert_eq!(rec[56..64], i64::MAX.to_le_bytes());
        assert_eq!(rec[64..68], 24u32.to_le_bytes());
        assert_eq!(rec[72..76], 15u32.to_le_bytes());
    }

    #[test]
    fn trade_layout() {
        let ev = Event::new(
            hdr(),
            TradeBody {
                price_e9: Price::from_e9(3_720_250_000_000),
                trade_id: TradeId(77),
                qty: Qty::from_lots(5),
                rpt_seq: 1,
                aggressor: Side::Ask,
                action: Action::Trade,
            },
        );
        let (rec, e) = enc(&ev);
        assert_eq!(
            e,
            Encoded::Record {
                schema: Schema::TRADES,
                len: 48
            }
        );
        assert_eq!(rec[0..2], [12, 0x00]);
        assert_eq!(rec[24..32], [5, 0, 0, 0, b'T', b'A', 0x81, 0]);
        assert_eq!(rec[48], 0xEE);
    }

    #[test]
    fn trade_busts_are_skipped() {
        let bust = TradeBody {
            price_e9: Price::from_e9(3_720_250_000_000),
            trade_id: TradeId(77),
            qty: Qty::from_lots(5),
            rpt_seq: 2,
            aggressor: Side::Ask,
            action: Action::Cancel,
        };
        let mut out = [0xEEu8; 80];
        let got = encode(&Event::new(hdr(), bust), 1, &mut out).unwrap();
        assert_eq!(got, Encoded::Skipped(crate::event::EventKind::Trade));
        assert!(out.iter().all(|&b| b == 0xEE), "wrote for a bust");
        // Any other action is a trade, written with DBN's `T`.
        let odd = TradeBody {
            action: Action::None,
            ..bust
        };
        let (rec, e) = enc(&Event::new(hdr(), odd));
        assert_eq!(e.schema(), Some(Schema::TRADES));
        assert_eq!(rec[28], b'T');
    }

    #[test]
    fn stat_layout() {
        let ev = Event::new(
            hdr(),
            StatBody {
                price_e9: Price::from_e9(3_720_250_000_000),
                qty: Qty::NULL,
                rpt_seq: 9,
                stat: StatType::SettlementPrice,
                action: Action::Modify,
                venue_flags: 0b11,
            },
        );
        let mut out = [0xEEu8; 81];
        let e = encode(&ev, 1, &mut out).unwrap();
        assert_eq!(
            e,
            Encoded::Record {
                schema: Schema::STATISTICS,
                len: 80
            }
        );
        assert_eq!(out[0..4], [20, 0x18, 1, 0]);
        assert_eq!(out[4..8], 5482u32.to_le_bytes());
        assert_eq!(out[8..16], 1_609_160_400_000_429_831u64.to_le_bytes());
        assert_eq!(out[16..24], 1_609_160_400_000_704_060u64.to_le_bytes());
        assert_eq!(out[24..32], u64::MAX.to_le_bytes(), "ts_ref undefined");
        assert_eq!(out[32..40], 3_720_250_000_000i64.to_le_bytes());
        assert_eq!(out[40..48], i64::MAX.to_le_bytes(), "quantity undefined");
        assert_eq!(out[48..52], 1_170_352u32.to_le_bytes());
        assert_eq!(out[52..56], 22_993i32.to_le_bytes());
        assert_eq!(out[56..62], [3, 0, 0, 0, 1, 0b11]);
        assert_eq!(out[62..80], [0; 18]);
        assert_eq!(out[80], 0xEE, "wrote past the record");
        let withdrawn = Event::new(
            hdr(),
            StatBody {
                price_e9: Price::NULL,
                qty: Qty::NULL,
                rpt_seq: 10,
                stat: StatType::ElectronicVolume,
                action: Action::Cancel,
                venue_flags: 0,
            },
        );
        let (rec, _) = enc(&withdrawn);
        assert_eq!(rec[32..40], i64::MAX.to_le_bytes());
        assert_eq!(rec[56..62], [0x11, 0x27, 0, 0, 2, 0], "10001, Delete");
        let mut short = [0u8; 79];
        assert_eq!(
            encode(&withdrawn, 1, &mut short),
            Err(DbnError::BufferTooSmall { need: 80, have: 79 })
        );
    }

    #[test]
    fn status_layout() {
        let ev = Event::new(
            hdr(),
            StatusBody {
                venue_status: 17,
                halt_reason: 0,
                trading_event: 0,
                state: TradingState::Trading,
            },
        );
        let (rec, e) = enc(&ev);
        assert_eq!(
            e,
            Encoded::Record {
                schema: Schema::STATUS,
                len: 40
            }
        );
        assert_eq!(rec[0..2], [10, 0x12]);
        assert_eq!(rec[16..24], 1_609_160_400_000_704_060u64.to_le_bytes());
        assert_eq!(
            rec[24..40],
            [7, 0, 1, 0, 0, 0, b'Y', b'Y', b'~', 0, 0, 0, 0, 0, 0, 0]
        );
        assert_eq!(rec[40], 0xEE);
    }

    #[test]
    fn kinds_without_a_schema_are_skipped() {
        let level = LevelBody {
            price_e9: Price::from_e9(1),
            qty: Qty::from_lots(1),
            order_count: 1,
            rpt_seq: 1,
            level: 1,
            side: Side::Bid,
            action: Action::Add,
        };
        let gap = GapBody {
            first_seq: 1,
            last_seq: 2,
            channel: 3,
            instruments_suspect: 0,
        };
        for body in [Body::Level(level), Body::Gap(gap)] {
            let mut out = [0xEEu8; 80];
            let got = encode(&Event::new(hdr(), body), 1, &mut out).unwrap();
            assert_eq!(got, Encoded::Skipped(body.kind()));
            assert!(out.iter().all(|&b| b == 0xEE), "wrote for a skipped event");
        }
    }

    #[test]
    fn small_buffers_are_errors_and_untouched() {
        let ev = Event::new(
            hdr(),
            ClearBody {
                channel: 0,
                rpt_seq: 0,
                side: Side::Bid,
            },
        );
        let mut out = [0xEEu8; 55];
        assert_eq!(
            encode(&ev, 1, &mut out),
            Err(DbnError::BufferTooSmall { need: 56, have: 55 })
        );
        assert!(out.iter().all(|&b| b == 0xEE));
    }
}
