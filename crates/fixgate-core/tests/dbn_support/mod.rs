//! Support shared by the DBN tests (`dbn_roundtrip`, `dbn_roundtrip_prop`,
//! `dbn_no_alloc`): files built in memory the way the recorder writes them, and a
//! field-by-field comparison of a record that Databento's `dbn` crate decoded
//! with the fixgate event it came from.

#![allow(
    dead_code,
    reason = "each DBN test binary uses part of the support code"
)]

use dbn::decode::{DbnDecoder, DbnMetadata, DecodeRecordRef};
use dbn::{MboMsg, Mbp1Msg, RecordRef, StatMsg, StatusMsg, TradeMsg};
use fixgate_core::dbn::status::dbn_status;
use fixgate_core::dbn::{
    DbnEncoder, EncodeCounts, Encoded, InstrumentSymbol, Metadata, Schema, MAX_RECORD_LEN,
};
use fixgate_core::event::{Action, Body, Event, StatType};
use fixgate_core::time::UtcNanos;

/// A schema, its file's bytes, and the events whose records it holds.
pub type SchemaFile = (Schema, Vec<u8>, Vec<Event>);

/// One in-memory DBN file per written schema, as the recorder lays them out:
/// the header, then the records of that schema in event order. Also returns
/// each file's events (in order) and the encoder's counts.
pub fn write_files(
    events: &[Event],
    instruments: &[InstrumentSymbol<'_>],
    start: UtcNanos,
    end: Option<UtcNanos>,
    encoder: &mut DbnEncoder,
) -> ([SchemaFile; Schema::WRITTEN.len()], EncodeCounts) {
    let mut files = Schema::WRITTEN.map(|schema| {
        let meta = Metadata {
            dataset: "FIXGATE",
            schema,
            start,
            end,
            limit: 0,
            instruments,
        };
        let mut buf = vec![0u8; meta.encoded_len()];
        let n = meta.encode(&mut buf).expect("header encodes");
        assert_eq!(n, buf.len());
        (schema, buf, Vec::new())
    });
    let mut rec = [0u8; MAX_RECORD_LEN];
    for ev in events {
        match encoder.encode(ev, &mut rec).expect("record encodes") {
            Encoded::Record { schema, len } => {
                let file = &mut files[schema.index().expect("a written schema")];
                file.1.extend_from_slice(&rec[..len]);
                file.2.push(*ev);
            }
            Encoded::Skipped(kind) => assert!(
                matches!(
                    ev.body(),
                    Body::Level(_) | Body::Gap(_) | Body::Recovered(_)
                ) || is_bust(ev),
                "{kind:?} skipped"
            ),
        }
    }
    (files, *encoder.counts())
}

/// Whether `ev` is a trade bust (which has no DBN record).
pub fn is_bust(ev: &Event) -> bool {
    ev.trade().is_some_and(|t| t.action == Action::Cancel)
}

/// Decodes `bytes` with `dbn`, checks the header against what fixgate wrote, and
/// compares every record with its event. Returns the number of records.
pub fn check_file(
    bytes: &[u8],
    schema: Schema,
    events: &[Event],
    instruments: &[InstrumentSymbol<'_>],
    start: UtcNanos,
    end: Option<UtcNanos>,
    publisher_id: impl Fn(&Event) -> u16,
) -> usize {
    let mut dec = DbnDecoder::new(bytes).expect("dbn reads the header");
    let meta = dec.metadata().clone();
    assert_eq!(meta.version, 3);
    assert_eq!(meta.dataset, "FIXGATE");
    assert_eq!(meta.schema.map(|s| s as u16), Some(schema.0));
    assert_eq!(meta.start, start.as_nanos());
    assert_eq!(meta.end.map(|e| e.get()), end.map(UtcNanos::as_nanos));
    assert_eq!(meta.limit, None);
    assert_eq!(meta.stype_in, Some(dbn::SType::RawSymbol));
    assert_eq!(meta.stype_out, dbn::SType::InstrumentId);
    assert!(!meta.ts_out);
    assert_eq!(meta.symbol_cstr_len, 71);
    let symbols: Vec<&str> = instruments.iter().map(|i| i.symbol).collect();
    assert_eq!(meta.symbols, symbols);
    assert!(meta.partial.is_empty() && meta.not_found.is_empty());
    assert_eq!(meta.mappings.len(), instruments.len());
    let fixgate_meta = Metadata {
        dataset: "FIXGATE",
        schema,
        start,
        end,
        limit: 0,
        instruments,
    };
    let (d0, d1) = fixgate_meta.date_range();
    for (m, inst) in meta.mappings.iter().zip(instruments) {
        assert_eq!(m.raw_symbol, inst.symbol);
        assert_eq!(m.intervals.len(), 1);
        let iv = &m.intervals[0];
        assert_eq!(iv.symbol, inst.instrument.get().to_string());
        let ymd = |y: i32, m: u8, d: u8| y as u32 * 10_000 + u32::from(m) * 100 + u32::from(d);
        let (s, e) = (iv.start_date, iv.end_date);
        assert_eq!(ymd(s.year(), s.month() as u8, s.day()), d0);
        assert_eq!(ymd(e.year(), e.month() as u8, e.day()), d1);
    }
    let mut n = 0;
    while let Some(rec) = dec.decode_record_ref().expect("dbn reads a record") {
        let ev = events.get(n).expect("no more records than events");
        check_record(rec, ev, publisher_id(ev));
        n += 1;
    }
    assert_eq!(n, events.len(), "every event's record read back");
    n
}

/// Compares every field of a decoded record with the event it was encoded from.
pub fn check_record(rec: RecordRef<'_>, ev: &Event, publisher_id: u16) {
    let hd = rec.header();
    assert_eq!(hd.publisher_id, publisher_id);
    assert_eq!(hd.instrument_id, ev.instrument().get());
    assert_eq!(hd.ts_event, ev.ts_event_ns().as_nanos());
    let flags = ev.flags().bits();
    let ts_recv = ev.ts_recv_ns().as_nanos();
    match ev.body() {
        Body::Order(o) => {
            let r: &MboMsg = rec.get().expect("an mbo record");
            assert_eq!(hd.record_size(), 56);
            assert_eq!(r.order_id, o.order_id.get());
            assert_eq!(r.price, o.price_e9.e9());
            assert_eq!(r.size, o.qty.lots());
            assert_eq!(r.flags.raw(), flags);
            assert_eq!(r.channel_id, 0);
            assert_eq!(r.action as u8, o.action.to_dbn());
            assert_eq!(r.side as u8, o.side.to_dbn());
            assert_eq!((r.ts_recv, r.ts_in_delta, r.sequence), mbp_times(ev));
        }
        Body::Clear(c) => {
            let r: &MboMsg = rec.get().expect("an mbo record");
            assert_eq!((r.order_id, r.price, r.size), (0, dbn::UNDEF_PRICE, 0));
            assert_eq!(r.flags.raw(), flags);
            assert_eq!(r.action().expect("a DBN action"), dbn::Action::Clear);
            assert_eq!(r.side as u8, c.side.to_dbn());
            assert_eq!((r.ts_recv, r.ts_in_delta, r.sequence), mbp_times(ev));
        }
        Body::Quote(q) => {
            let r: &Mbp1Msg = rec.get().expect("an mbp-1 record");
            assert_eq!(hd.record_size(), 80);
            assert_eq!((r.price, r.size, r.depth), (dbn::UNDEF_PRICE, 0, 0));
            assert_eq!(r.action().expect("a DBN action"), dbn::Action::None);
            assert_eq!(r.side().expect("a DBN side"), dbn::Side::None);
            assert_eq!(r.flags.raw(), flags);
            assert_eq!((r.ts_recv, r.ts_in_delta, r.sequence), mbp_times(ev));
            let l = &r.levels[0];
            assert_eq!(l.bid_px, q.bid_px_e9.e9());
            assert_eq!(l.ask_px, q.ask_px_e9.e9());
            assert_eq!(l.bid_sz, q.bid_qty.lots());
            assert_eq!(l.ask_sz, q.ask_qty.lots());
            assert_eq!(l.bid_ct, q.bid_count);
            assert_eq!(l.ask_ct, q.ask_count);
        }
        Body::Trade(t) => {
            assert_ne!(t.action, Action::Cancel, "a bust has no trades record");
            let r: &TradeMsg = rec.get().expect("a trades record");
            assert_eq!(hd.record_size(), 48);
            assert_eq!(r.price, t.price_e9.e9());
            assert_eq!(r.size, t.qty.lots());
            assert_eq!(r.action().expect("a DBN action"), dbn::Action::Trade);
            assert_eq!(r.side as u8, t.aggressor.to_dbn());
            assert_eq!(r.flags.raw(), flags);
            assert_eq!(r.depth, 0);
            assert_eq!((r.ts_recv, r.ts_in_delta, r.sequence), mbp_times(ev));
        }
        Body::Status(s) => {
            let r: &StatusMsg = rec.get().expect("a status record");
            assert_eq!(hd.record_size(), 40);
            let want = dbn_status(ev.venue(), &s);
            assert_eq!(r.ts_recv, ts_recv);
            assert_eq!(r.action, want.action.0);
            assert_eq!(r.reason, want.reason);
            assert_eq!(r.trading_event, want.trading_event);
            assert_eq!(r.is_trading as u8, want.is_trading);
            assert_eq!(r.is_quoting as u8, want.is_quoting);
            assert_eq!(
                r.is_short_sell_restricted as u8,
                want.is_short_sell_restricted
            );
            // `dbn` reads the indicators back as its own tri-state enum.
            let tri = |c: u8| match c {
                b'Y' => Some(true),
                b'N' => Some(false),
                _ => None,
            };
            assert_eq!(r.is_trading(), tri(want.is_trading));
            assert_eq!(r.is_quoting(), tri(want.is_quoting));
        }
        Body::Stat(s) => {
            let r: &StatMsg = rec.get().expect("a statistics record");
            assert_eq!(hd.record_size(), 80);
            assert_eq!(r.ts_recv, ts_recv);
            assert_eq!(r.ts_ref, dbn::UNDEF_TIMESTAMP);
            assert_eq!(r.ts_ref(), None, "dbn reads an undefined reference time");
            assert_eq!(r.price, s.price_e9.e9());
            let quantity = if s.qty.is_null() {
                dbn::UNDEF_STAT_QUANTITY
            } else {
                i64::from(s.qty.lots())
            };
            assert_eq!(r.quantity, quantity);
            assert_eq!(
                (r.sequence, r.ts_in_delta),
                (ev.sequence(), ev.ts_in_delta_ns())
            );
            assert_eq!(
                r.stat_type().expect("a DBN stat type"),
                dbn_stat_type(s.stat)
            );
            assert_eq!(r.channel_id, 0);
            let update = if s.action == Action::Cancel {
                dbn::StatUpdateAction::Delete
            } else {
                dbn::StatUpdateAction::New
            };
            assert_eq!(r.update_action().expect("a DBN update action"), update);
            assert_eq!(r.stat_flags, s.venue_flags);
        }
        Body::Level(_) | Body::Gap(_) | Body::Recovered(_) => {
            panic!("{:?} has no DBN record", ev.kind())
        }
    }
}

/// DBN's statistic type for a fixgate statistic, by `dbn`'s own names: the
/// same number below 200, the venue-specific volume and price above.
pub fn dbn_stat_type(stat: StatType) -> dbn::StatType {
    match stat {
        StatType::OpeningPrice => dbn::StatType::OpeningPrice,
        StatType::IndicativeOpeningPrice => dbn::StatType::IndicativeOpeningPrice,
        StatType::SettlementPrice => dbn::StatType::SettlementPrice,
        StatType::SessionLowPrice => dbn::StatType::TradingSessionLowPrice,
        StatType::SessionHighPrice => dbn::StatType::TradingSessionHighPrice,
        StatType::ClearedVolume => dbn::StatType::ClearedVolume,
        StatType::LowestOffer => dbn::StatType::LowestOffer,
        StatType::HighestBid => dbn::StatType::HighestBid,
        StatType::OpenInterest => dbn::StatType::OpenInterest,
        StatType::FixingPrice => dbn::StatType::FixingPrice,
        StatType::UpperPriceLimit => dbn::StatType::UpperPriceLimit,
        StatType::LowerPriceLimit => dbn::StatType::LowerPriceLimit,
        StatType::ElectronicVolume => dbn::StatType::VenueSpecificVolume1,
        StatType::MaxPriceVariation => dbn::StatType::VenueSpecificPrice1,
    }
}

fn mbp_times(ev: &Event) -> (u64, i32, u32) {
    (
        ev.ts_recv_ns().as_nanos(),
        ev.ts_in_delta_ns(),
        ev.sequence(),
    )
}
