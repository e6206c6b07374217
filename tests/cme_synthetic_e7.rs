//! The v9 templates that are decoded but not normalized (15, 16, 33, 34, 38,
//! 39, 41, 43, 44): synthetic messages with known values set by name, checked
//! against the generic interpreter and read back through the typed accessors
//! (−7 prices come out in 1e-9 units), the `sinceVersion` gates of 41, and the
//! CME adapter counting them without publishing anything. (Every supported
//! template, these included, is also cross-checked at many layouts by
//! `cme_synthetic.rs`.)

mod support;

use fixgate_core::event::{Event, EventFlags};
use fixgate_core::md::cme::cross_check::{cross_check, Agreement};
use fixgate_core::md::cme::{CmeMessage, DecodeCounters, MdEntryType, Packet, TemplateId};
use fixgate_core::normalize::cme::{CmeConfig, CmeNormalizer, Feed, PacketIn};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::Price;
use support::cme::schema;
use support::cme_synth::{message, packet, Layout, Rng};

fn le<const N: usize>(b: [u8; N]) -> Vec<u8> {
    b.to_vec()
}

fn layout(version: u16, entries: u8) -> Layout {
    Layout {
        version,
        block_delta: 0,
        entries,
        trailing: 0,
    }
}

/// Decodes every message of `p`, each checked against the interpreter.
fn views<'a>(schema: &fixgate_core::md::sbe::Schema, p: &'a [u8]) -> Vec<CmeMessage<'a>> {
    let mut counters = DecodeCounters::default();
    Packet::new(p)
        .unwrap()
        .messages()
        .map(|m| {
            let m = m.unwrap();
            let agreed = cross_check(schema, m);
            assert!(
                matches!(agreed, Ok(Agreement::Same { .. })),
                "{}: {agreed:?}",
                m.template_id()
            );
            CmeMessage::decode(m, &mut counters).unwrap().unwrap()
        })
        .collect()
}

#[test]
fn legacy_templates_read_back_through_the_accessors() {
    let Some(schema) = schema() else {
        return;
    };
    let mut rng = Rng(33);
    let msg = |id: u16,
               l: Layout,
               root: &[(&str, Vec<u8>)],
               entries: &[(&str, &str, Vec<u8>)],
               rng: &mut Rng| {
        message(&schema, schema.message(id).unwrap(), l, root, entries, rng)
    };
    let px7 = le(12_345_670i64.to_le_bytes()); // 1.234567 at −7
    let login = msg(15, layout(9, 0), &[("HeartBtInt", vec![30])], &[], &mut rng);
    let mut text = b"bye".to_vec();
    text.resize(180, 0);
    let logout = msg(16, layout(9, 0), &[("Text", text)], &[], &mut rng);
    let daily = msg(
        33,
        layout(5, 2),
        &[("MatchEventIndicator", vec![0x80])],
        &[
            ("NoMDEntries", "MDEntryPx", px7.clone()),
            ("NoMDEntries", "MDEntryType", vec![b'6']),
            ("NoMDEntries", "SecurityID", le(7i32.to_le_bytes())),
        ],
        &mut rng,
    );
    let limits = msg(
        34,
        layout(5, 1),
        &[],
        &[
            ("NoMDEntries", "HighLimitPrice", px7.clone()),
            ("NoMDEntries", "LowLimitPrice", le(i64::MAX.to_le_bytes())),
        ],
        &mut rng,
    );
    let snapshot = msg(
        38,
        layout(5, 1),
        &[
            ("SecurityID", le(9i32.to_le_bytes())),
            ("HighLimitPrice", px7.clone()),
        ],
        &[("NoMDEntries", "MDEntryType", vec![b'1'])],
        &mut rng,
    );
    let mut req = b"RFQ-1".to_vec();
    req.resize(23, 0);
    let quote = msg(
        39,
        layout(5, 1),
        &[("QuoteReqID", req)],
        &[
            ("NoRelatedSym", "SecurityID", le(11i32.to_le_bytes())),
            ("NoRelatedSym", "Side", vec![127]),
        ],
        &mut rng,
    );
    let orders = msg(
        43,
        layout(8, 2),
        &[],
        &[
            ("NoMDEntries", "OrderID", le(u64::MAX.to_le_bytes())),
            ("NoMDEntries", "MDEntryPx", px7.clone()),
        ],
        &mut rng,
    );
    let chunk = msg(
        44,
        layout(8, 1),
        &[("CurrentChunk", le(2u32.to_le_bytes()))],
        &[
            ("NoMDEntries", "MDEntryPx", px7),
            ("NoMDEntries", "MDEntryType", vec![b'0']),
        ],
        &mut rng,
    );
    let p = packet(
        1,
        &[login, logout, daily, limits, snapshot, quote, orders, chunk],
    );
    let v = views(&schema, &p);
    let px = Ok(Some(Price::from_e9(1_234_567_000)));
    let CmeMessage::AdminLogin15(m) = v[0] else {
        panic!()
    };
    assert_eq!(m.root().heart_bt_int_s(), Some(30));
    let CmeMessage::AdminLogout16(m) = v[1] else {
        panic!()
    };
    assert_eq!(m.root().text(), Some(&b"bye"[..]));
    let CmeMessage::DailyStatistics33(m) = v[2] else {
        panic!()
    };
    assert_eq!(m.md_entries().unwrap().len(), 2);
    for e in m.md_entries().unwrap() {
        assert_eq!(e.md_entry_px(), px);
        assert_eq!(e.md_entry_type(), Some(MdEntryType::SETTLEMENT_PRICE));
        assert_eq!(e.security_id(), Some(7));
    }
    let CmeMessage::LimitsBanding34(m) = v[3] else {
        panic!()
    };
    let e = m.md_entries().unwrap().get(0).unwrap();
    assert_eq!(e.high_limit_price(), px);
    assert_eq!(e.low_limit_price(), Ok(None));
    assert_eq!(e.md_entry_type(), Some(MdEntryType::THRESHOLD_LIMITS));
    let CmeMessage::SnapshotFullRefresh38(m) = v[4] else {
        panic!()
    };
    assert_eq!(m.root().security_id(), Some(9));
    assert_eq!(m.root().high_limit_price(), px);
    assert_eq!(
        m.md_entries().unwrap().get(0).unwrap().md_entry_type(),
        Some(MdEntryType::OFFER)
    );
    let CmeMessage::QuoteRequest39(m) = v[5] else {
        panic!()
    };
    assert_eq!(m.root().quote_req_id(), Some(&b"RFQ-1"[..]));
    let e = m.related_syms().unwrap().get(0).unwrap();
    assert_eq!((e.security_id(), e.side()), (Some(11), None));
    let CmeMessage::OrderBook43(m) = v[6] else {
        panic!()
    };
    for e in m.md_entries().unwrap() {
        assert_eq!(e.order_id(), None, "uInt64NULL null");
        assert_eq!(e.md_entry_px(), px);
    }
    let CmeMessage::SnapshotFullRefreshOrderBook44(m) = v[7] else {
        panic!()
    };
    assert_eq!(m.root().current_chunk(), Some(2));
    let e = m.md_entries().unwrap().get(0).unwrap();
    assert_eq!(e.md_entry_px(), px);
    assert_eq!(e.md_entry_type(), Some(MdEntryType::BID));
}

#[test]
fn option_41_gates_fields_and_groups_by_version() {
    let Some(schema) = schema() else {
        return;
    };
    let mut rng = Rng(41);
    let def = schema.message(41).unwrap();
    let root = [
        ("TradingReferenceDate", le(20_000u16.to_le_bytes())),
        ("StrikePrice", le(45_000_000_000i64.to_le_bytes())),
        ("Symbol", b"OZCZ7 C4500\0\0\0\0\0\0\0\0\0".to_vec()),
    ];
    let related = [(
        "NoRelatedInstruments",
        "RelatedSecurityID",
        le(5i32.to_le_bytes()),
    )];
    let mut seen = 0;
    for (version, date, groups) in [
        (5, None, false),
        (6, Some(20_000), false),
        (7, Some(20_000), true),
    ] {
        let m = message(&schema, def, layout(version, 1), &root, &related, &mut rng);
        let p = packet(1, &[m]);
        let v = views(&schema, &p);
        let CmeMessage::InstrumentDefinitionOption41(o) = v[0] else {
            panic!()
        };
        assert_eq!(o.root().trading_reference_date_days(), date, "v{version}");
        assert_eq!(
            o.root().strike_price(),
            Ok(Some(Price::from_e9(4_500_000_000_000)))
        );
        assert_eq!(o.root().symbol(), Some(&b"OZCZ7 C4500"[..]));
        assert_eq!(o.related_instruments().is_some(), groups, "v{version}");
        if let Some(g) = o.related_instruments() {
            assert_eq!(g.get(0).unwrap().related_security_id(), Some(5));
        }
        seen += 1;
    }
    assert_eq!(seen, 3);
}

#[test]
fn the_adapter_counts_them_and_publishes_nothing() {
    let Some(schema) = schema() else {
        return;
    };
    let mut rng = Rng(7);
    let ids = [15u16, 16, 33, 34, 38, 39, 41, 43, 44];
    let messages: Vec<Vec<u8>> = ids
        .iter()
        .map(|&id| {
            message(
                &schema,
                schema.message(id).unwrap(),
                layout(8, 2),
                &[],
                &[],
                &mut rng,
            )
        })
        .collect();
    let p = packet(1, &messages);
    let mut cme = CmeNormalizer::new(CmeConfig::channel(310, 8, 64), Vec::<Event>::new());
    let rx = PacketIn {
        feed: Feed::Incremental,
        ts_recv_ns: UtcNanos::from_nanos(1),
        recv_flags: EventFlags::empty(),
    };
    cme.handle_packet(rx, &p).unwrap();
    cme.end_open_event();
    let c = cme.counters();
    assert_eq!(c.not_normalized, ids.len() as u64);
    assert_eq!(c.decode.messages, ids.len() as u64);
    assert_eq!((c.decode.unknown_template, c.refused), (0, 0));
    assert!(cme.normalizer().sink().is_empty());
    assert_eq!(
        ids.map(|id| TemplateId(id).name().is_some()),
        [true; 9],
        "every one is a v9 template"
    );
    println!(
        "cme synthetic e7: {} templates decoded and counted, not normalized",
        ids.len()
    );
}
