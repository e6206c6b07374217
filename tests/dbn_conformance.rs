//! fixgate's DBN encoder against Databento's own reference files
//! (`../shared/conformance/dbn/`, GLBX.MDP3 ESH1, instrument 5482): each record is
//! decoded with Databento's `dbn` crate, turned into the fixgate event that
//! carries the same facts, re-encoded with fixgate's `DbnEncoder`, and the bytes
//! compared. The headers are re-encoded from their own content and compared too.
//!
//! - `mbo` (v3), `trades` (v2), `status` (v2): every record byte equal.
//! - `mbp-1` (v2): header, flags, times, sequence and the book level equal; the
//!   update fields (price, size, action, side, depth) are fixgate's documented
//!   "no action" (a fixgate quote is the resulting top of book, not the update).
//! - headers: the v3 file's header byte for byte; the v2 files' header contents
//!   (fixgate writes v3, which differs from v2 only in the version byte and the
//!   padding to 8 bytes).
//!
//! Skips when ../shared is missing; fails then under FIXGATE_REQUIRE_SHARED=1.

mod support;

use dbn::decode::{DbnDecoder, DbnMetadata, DecodeRecordRef};
use dbn::{MboMsg, Mbp1Msg, RecordRef, StatusMsg, TradeMsg, VersionUpgradePolicy};
use fixgate_core::dbn::{
    DbnEncoder, Encoded, InstrumentSymbol, Metadata, PublisherMap, Schema, MAX_RECORD_LEN,
};
use fixgate_core::event::{
    Action, Event, EventFlags, EventHeader, OrderBody, QuoteBody, StatusBody, TradeBody,
    TradingState,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::{InstrumentId, OrderId, Price, Qty, Side, TradeId, VenueId};

use support::shared::shared_path;

fn side(c: std::ffi::c_char) -> Side {
    Side::from_dbn(c as u8).expect("a DBN side")
}

fn header(hd: &dbn::RecordHeader, flags: u8, ts_recv: u64, delta: i32, seq: u32) -> EventHeader {
    assert_eq!(hd.publisher_id, 1, "GLBX.MDP3.GLBX");
    EventHeader {
        flags: EventFlags::from_bits(flags),
        venue: VenueId::CME,
        instrument: InstrumentId(hd.instrument_id),
        ts_recv_ns: UtcNanos::from_nanos(ts_recv),
        ts_event_ns: UtcNanos::from_nanos(hd.ts_event),
        ts_in_delta_ns: delta,
        sequence: seq,
    }
}

/// The fixgate event carrying a reference record's facts.
fn event_of(rec: &RecordRef<'_>) -> Event {
    if let Some(r) = rec.get::<MboMsg>() {
        let h = header(&r.hd, r.flags.raw(), r.ts_recv, r.ts_in_delta, r.sequence);
        return Event::new(
            h,
            OrderBody {
                order_id: OrderId(r.order_id),
                price_e9: Price::from_e9(r.price),
                priority: 0,
                qty: Qty::from_lots(r.size),
                side: side(r.side),
                action: Action::from_dbn(r.action as u8).expect("a DBN action"),
            },
        );
    }
    if let Some(r) = rec.get::<TradeMsg>() {
        let h = header(&r.hd, r.flags.raw(), r.ts_recv, r.ts_in_delta, r.sequence);
        assert_eq!((r.action as u8, r.depth), (b'T', 0));
        return Event::new(
            h,
            TradeBody {
                price_e9: Price::from_e9(r.price),
                trade_id: TradeId(0),
                qty: Qty::from_lots(r.size),
                rpt_seq: 0,
                aggressor: side(r.side),
                action: Action::Trade,
            },
        );
    }
    if let Some(r) = rec.get::<Mbp1Msg>() {
        let h = header(&r.hd, r.flags.raw(), r.ts_recv, r.ts_in_delta, r.sequence);
        let l = &r.levels[0];
        return Event::new(
            h,
            QuoteBody {
                bid_px_e9: Price::from_e9(l.bid_px),
                ask_px_e9: Price::from_e9(l.ask_px),
                bid_qty: Qty::from_lots(l.bid_sz),
                ask_qty: Qty::from_lots(l.ask_sz),
                bid_count: l.bid_ct,
                ask_count: l.ask_ct,
            },
        );
    }
    if let Some(r) = rec.get::<StatusMsg>() {
        // Status records carry no ts_in_delta or sequence.
        let h = header(&r.hd, 0, r.ts_recv, 0, 0);
        // Databento's codes back to CME's (the inverse of fixgate's mapping).
        let venue_status = match r.action {
            1 => 21,
            2 => 24,
            4 => 25,
            6 => 15,
            7 => 17,
            8 => 2,
            12 => 4,
            13 => 26,
            15 => 18,
            other => panic!("status action {other} not in the CME table"),
        };
        let halt_reason = match r.reason {
            0 => 5,
            1..=5 => r.reason - 1,
            other => other,
        };
        let trading_event = match r.trading_event {
            2 => 4,
            3 => 5,
            4 => 6,
            other => other,
        };
        let state = match (r.is_trading as u8, r.is_quoting as u8) {
            (b'Y', b'Y') => TradingState::Trading,
            (b'N', b'Y') => TradingState::PreOpen,
            (b'N', b'N') => TradingState::Halted,
            _ => TradingState::Unknown,
        };
        return Event::new(
            h,
            StatusBody {
                venue_status,
                halt_reason,
                trading_event,
                state,
            },
        );
    }
    panic!("unexpected rtype {:#x}", rec.header().rtype)
}

/// Re-encodes the file's header from its own content and compares.
fn check_header(bytes: &[u8], meta: &dbn::Metadata, schema: Schema) {
    let symbol = meta.symbols[0].clone();
    let interval = &meta.mappings[0].intervals[0];
    let instrument = InstrumentId(interval.symbol.parse().expect("an instrument id"));
    let instruments = [InstrumentSymbol {
        instrument,
        symbol: &symbol,
    }];
    let ours = Metadata {
        dataset: &meta.dataset,
        schema,
        start: UtcNanos::from_nanos(meta.start),
        end: meta.end.map(|e| UtcNanos::from_nanos(e.get())),
        limit: meta.limit.map_or(0, |l| l.get()),
        instruments: &instruments,
    };
    let mut buf = vec![0u8; ours.encoded_len()];
    ours.encode(&mut buf).expect("header encodes");
    let theirs_len = 8 + u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    if meta.version == 3 {
        assert_eq!(buf, bytes[..theirs_len], "v3 header bytes");
    } else {
        assert_eq!(buf[..3], bytes[..3]);
        // v2: no padding to 8 bytes; the rest of the content is the same.
        assert_eq!(
            buf[8..theirs_len],
            bytes[8..theirs_len],
            "v2 header content"
        );
        assert!(buf[theirs_len..].iter().all(|&b| b == 0), "v3 padding");
    }
}

/// Returns (records compared, bytes compared).
fn check_file(name: &str, schema: Schema) -> Option<(usize, usize)> {
    let path = shared_path(&format!("conformance/dbn/{name}"))?;
    let bytes = std::fs::read(&path).expect("read reference file");
    let file = std::fs::File::open(&path).expect("open reference file");
    let mut dec =
        DbnDecoder::with_upgrade_policy(std::io::BufReader::new(file), VersionUpgradePolicy::AsIs)
            .expect("dbn reads the header");
    let meta = dec.metadata().clone();
    assert_eq!(meta.schema.map(|s| s as u16), Some(schema.0));
    check_header(&bytes, &meta, schema);
    let mut encoder = DbnEncoder::new(PublisherMap::identity().with(VenueId::CME, 1).unwrap());
    let (mut records, mut compared) = (0, 0);
    while let Some(rec) = dec.decode_record_ref().expect("dbn reads a record") {
        let theirs: &[u8] = rec.as_ref();
        let ev = event_of(&rec);
        let mut ours = [0u8; MAX_RECORD_LEN];
        let Encoded::Record { schema: got, len } = encoder.encode(&ev, &mut ours).unwrap() else {
            panic!("{ev:?} skipped");
        };
        assert_eq!(got, schema);
        assert_eq!(len, theirs.len(), "{name} record {records} length");
        let ours = &ours[..len];
        if schema == Schema::MBP_1 {
            // Header 0..16; update fields 16..30 and depth 31 differ by design;
            // flags 30; ts_recv, ts_in_delta, sequence, levels[0] 32..80.
            assert_eq!(ours[..16], theirs[..16], "{name} record {records} header");
            assert_eq!(ours[30], theirs[30], "{name} record {records} flags");
            assert_eq!(
                ours[32..],
                theirs[32..],
                "{name} record {records} times and level"
            );
            assert_eq!(ours[16..24], i64::MAX.to_le_bytes(), "no price");
            assert_eq!(
                ours[24..30],
                [0, 0, 0, 0, b'N', b'N'],
                "no size, action N, side N"
            );
            assert_eq!(ours[31], 0, "depth 0");
            compared += 16 + 1 + 48;
        } else {
            assert_eq!(ours, theirs, "{name} record {records}: fixgate {ev:?}");
            compared += len;
        }
        records += 1;
    }
    assert!(records >= 2, "{name}: {records} records");
    Some((records, compared))
}

#[test]
fn reference_files_re_encode_byte_for_byte() {
    let files = [
        ("test_data.mbo.v3.dbn", Schema::MBO),
        ("test_data.trades.dbn", Schema::TRADES),
        ("test_data.status.dbn", Schema::STATUS),
        ("test_data.mbp-1.dbn", Schema::MBP_1),
    ];
    let mut cases = 0;
    for (name, schema) in files {
        let Some((records, bytes)) = check_file(name, schema) else {
            return;
        };
        println!(
            "dbn conformance {name}: header and {records} records, {bytes} record bytes equal"
        );
        cases += records;
    }
    println!("dbn conformance: {cases} reference records re-encoded in 4 files");
}
