//! fixgate's DBN encoder against Databento's own reference files
//! (`../shared/conformance/dbn/`, GLBX.MDP3 ESH1, instrument 5482): each record is
//! decoded with Databento's `dbn` crate, turned into the fixgate event that
//! carries the same facts, re-encoded with fixgate's `DbnEncoder`, and the bytes
//! compared. The headers are re-encoded from their own content and compared too.
//!
//! - `mbo` (v3), `trades` (v2), `status` (v2): every record byte equal.
//! - `statistics` (v2, 64-byte records): read through `dbn`'s own upgrade to
//!   version 3 (80 bytes, `quantity` widened to i64), which is what fixgate
//!   writes; every byte equal but `channel_id` (Databento's channel numbering,
//!   13 in the file; fixgate writes 0, as in `mbo`).
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
use dbn::{MboMsg, Mbp1Msg, RecordRef, StatMsg, StatusMsg, TradeMsg, VersionUpgradePolicy};
use fixgate_core::dbn::{
    DbnEncoder, Encoded, InstrumentSymbol, Metadata, PublisherMap, Schema, MAX_RECORD_LEN,
};
use fixgate_core::event::{
    Action, Event, EventFlags, EventHeader, OrderBody, QuoteBody, StatBody, StatType, StatusBody,
    TradeBody, TradingState,
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
    if let Some(r) = rec.get::<StatMsg>() {
        // Statistics records carry no flags.
        let h = header(&r.hd, 0, r.ts_recv, r.ts_in_delta, r.sequence);
        assert_eq!(
            r.ts_ref,
            dbn::UNDEF_TIMESTAMP,
            "fixgate statistics carry no reference time"
        );
        let stat = match r.stat_type {
            10_001 => StatType::ElectronicVolume,
            10_002 => StatType::MaxPriceVariation,
            code => u8::try_from(code)
                .ok()
                .filter(|&c| c < 200)
                .and_then(StatType::from_u8)
                .unwrap_or_else(|| panic!("stat type {code} has no fixgate statistic")),
        };
        let action = match r.update_action {
            1 => Action::Add,
            2 => Action::Cancel,
            other => panic!("update action {other}"),
        };
        let qty = if r.quantity == dbn::UNDEF_STAT_QUANTITY {
            Qty::NULL
        } else {
            Qty::from_lots(u32::try_from(r.quantity).expect("a quantity fixgate holds"))
        };
        return Event::new(
            h,
            StatBody {
                price_e9: Price::from_e9(r.price),
                qty,
                rpt_seq: 0,
                stat,
                action,
                venue_flags: r.stat_flags,
            },
        );
    }
    panic!("unexpected rtype {:#x}", rec.header().rtype)
}

/// The offset of `stype_in` in a version 2 or 3 header.
const STYPE_IN_AT: usize = 50;

/// Re-encodes the file's header from its own content and compares.
///
/// fixgate always writes `raw_symbol` → `instrument_id` symbology; the
/// `statistics` file's header says `instrument_id` in and lists no symbols, so
/// its `stype_in` byte is the one allowed difference.
fn check_header(bytes: &[u8], meta: &dbn::Metadata, schema: Schema) {
    let instruments: Vec<InstrumentSymbol<'_>> = meta
        .mappings
        .iter()
        .map(|m| {
            assert_eq!(m.intervals.len(), 1);
            InstrumentSymbol {
                instrument: InstrumentId(m.intervals[0].symbol.parse().expect("an instrument id")),
                symbol: &m.raw_symbol,
            }
        })
        .collect();
    assert_eq!(meta.symbols.len(), instruments.len());
    let mut theirs = bytes.to_vec();
    match meta.stype_in {
        Some(dbn::SType::RawSymbol) => {}
        Some(dbn::SType::InstrumentId) if instruments.is_empty() => {
            assert_eq!(theirs[STYPE_IN_AT], 0);
            theirs[STYPE_IN_AT] = 1;
            println!("dbn conformance: {schema:?} header stype_in instrument_id, fixgate writes raw_symbol");
        }
        other => panic!("stype_in {other:?}"),
    }
    let bytes = &theirs[..];
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

/// Returns (records compared, bytes compared). `policy`: how `dbn` reads the
/// records (the header is always compared as the file has it).
fn check_file(name: &str, schema: Schema, policy: VersionUpgradePolicy) -> Option<(usize, usize)> {
    let path = shared_path(&format!("conformance/dbn/{name}"))?;
    let bytes = std::fs::read(&path).expect("read reference file");
    let as_is = DbnDecoder::with_upgrade_policy(&bytes[..], VersionUpgradePolicy::AsIs)
        .expect("dbn reads the header");
    let meta = as_is.metadata().clone();
    assert_eq!(meta.schema.map(|s| s as u16), Some(schema.0));
    check_header(&bytes, &meta, schema);
    let file = std::fs::File::open(&path).expect("open reference file");
    let mut dec = DbnDecoder::with_upgrade_policy(std::io::BufReader::new(file), policy)
        .expect("dbn reads the header");
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
        } else if schema == Schema::STATISTICS {
            // channel_id (58..60) is Databento's numbering: 0 in fixgate's.
            assert_eq!(ours[..58], theirs[..58], "{name} record {records}: {ev:?}");
            assert_eq!(ours[60..], theirs[60..], "{name} record {records}: {ev:?}");
            assert_eq!(ours[58..60], [0, 0], "channel_id 0");
            let channel = u16::from_le_bytes([theirs[58], theirs[59]]);
            println!("dbn conformance {name}: record {records} channel_id {channel} written as 0");
            compared += len - 2;
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
    use VersionUpgradePolicy::{AsIs, UpgradeToV3};
    let files = [
        ("test_data.mbo.v3.dbn", Schema::MBO, AsIs),
        ("test_data.trades.dbn", Schema::TRADES, AsIs),
        ("test_data.status.dbn", Schema::STATUS, AsIs),
        ("test_data.mbp-1.dbn", Schema::MBP_1, AsIs),
        // v2 statistics records are 64 bytes: compare with dbn's v3 reading.
        ("test_data.statistics.dbn", Schema::STATISTICS, UpgradeToV3),
    ];
    let mut cases = 0;
    for (name, schema, policy) in files {
        let Some((records, bytes)) = check_file(name, schema, policy) else {
            return;
        };
        println!(
            "dbn conformance {name}: header and {records} records, {bytes} record bytes equal"
        );
        cases += records;
    }
    println!(
        "dbn conformance: {cases} reference records re-encoded in {} files",
        files.len()
    );
}
