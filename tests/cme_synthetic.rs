//! Synthetic messages encoded from the v9 schema for every template with a view
//! (most are absent from the captures: 4, 12, 27, 30, 49–56), at several
//! versions and wire block lengths, each decoded by the views and checked field
//! by field against the generic interpreter; and a few with known values set
//! by name, read back through the typed accessors.

mod support;

use fixgate_core::md::cme::cross_check::{cross_check, Agreement};
use fixgate_core::md::cme::{
    CmeMessage, DecodeCounters, MatchEventIndicator, MdEntryType, MdUpdateAction, Packet,
    SecurityTradingStatus, SUPPORTED_TEMPLATES,
};
use fixgate_core::types::Price;
use support::cme::schema;
use support::cme_synth::{message, packet, Layout, Rng};

#[test]
fn every_supported_template_agrees_with_the_interpreter() {
    let Some(schema) = schema() else {
        return;
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut messages, mut fields, mut entries) = (0, 0, 0);
    for &template in SUPPORTED_TEMPLATES {
        let def = schema.message(template.0).expect("template in the schema");
        for version in [3, 5, 6, 7, 8, 9, 12] {
            for block_delta in [-40, -3, 0, 5] {
                for n in [0u8, 1, 3] {
                    for trailing in [0, 7] {
                        let layout = Layout {
                            version,
                            block_delta,
                            entries: n,
                            trailing,
                        };
                        let m = message(&schema, def, layout, &[], &[], &mut rng);
                        let p = packet(1, &[m]);
                        let pk = Packet::new(&p).unwrap();
                        let msg = pk.messages().next().unwrap().unwrap();
                        match cross_check(&schema, msg) {
                            Ok(Agreement::Same {
                                fields: f,
                                entries: e,
                            }) => {
                                messages += 1;
                                fields += f;
                                entries += e;
                            }
                            other => panic!("{template} {layout:?}: {other:?}"),
                        }
                    }
                }
            }
        }
    }
    println!(
        "cme synthetic: {messages} messages of {} templates agree with the interpreter ({fields} fields, {entries} entries)",
        SUPPORTED_TEMPLATES.len()
    );
    assert_eq!(messages, SUPPORTED_TEMPLATES.len() * 7 * 4 * 3 * 2);
}

fn le<const N: usize>(b: [u8; N]) -> Vec<u8> {
    b.to_vec()
}

#[test]
fn known_values_read_back_through_the_accessors() {
    let Some(schema) = schema() else {
        return;
    };
    let mut rng = Rng(7);
    let v9 = Layout {
        version: 9,
        block_delta: 0,
        entries: 2,
        trailing: 0,
    };
    let reset = message(
        &schema,
        schema.message(4).unwrap(),
        v9,
        &[("MatchEventIndicator", vec![0x80])],
        &[("NoMDEntries", "ApplID", le(310i16.to_le_bytes()))],
        &mut rng,
    );
    let limits = message(
        &schema,
        schema.message(50).unwrap(),
        v9,
        &[],
        &[
            (
                "NoMDEntries",
                "HighLimitPrice",
                le(2_500_000_000i64.to_le_bytes()),
            ),
            ("NoMDEntries", "LowLimitPrice", le(i64::MAX.to_le_bytes())),
            ("NoMDEntries", "SecurityID", le(42i32.to_le_bytes())),
        ],
        &mut rng,
    );
    let status = message(
        &schema,
        schema.message(30).unwrap(),
        v9,
        &[
            ("SecurityID", le(i32::MAX.to_le_bytes())),
            ("SecurityGroup", b"GH\0\0\0\0".to_vec()),
            ("SecurityTradingStatus", vec![17]),
        ],
        &[],
        &mut rng,
    );
    let snapshot = message(
        &schema,
        schema.message(52).unwrap(),
        v9,
        &[
            ("LastMsgSeqNumProcessed", le(1_028_095u32.to_le_bytes())),
            ("MDSecurityTradingStatus", vec![255]),
        ],
        &[
            ("NoMDEntries", "MDEntryType", vec![b'W']),
            ("NoMDEntries", "MDPriceLevel", vec![127]),
        ],
        &mut rng,
    );
    let heartbeat = message(&schema, schema.message(12).unwrap(), v9, &[], &[], &mut rng);
    let p = packet(77, &[reset, limits, status, snapshot, heartbeat]);
    let pk = Packet::new(&p).unwrap();
    let mut counters = DecodeCounters::default();
    let views: Vec<CmeMessage<'_>> = pk
        .messages()
        .map(|m| {
            let m = m.unwrap();
            assert!(matches!(
                cross_check(&schema, m),
                Ok(Agreement::Same { .. })
            ));
            CmeMessage::decode(m, &mut counters).unwrap().unwrap()
        })
        .collect();
    assert_eq!(counters.messages, 5);
    let CmeMessage::ChannelReset4(r) = views[0] else {
        panic!()
    };
    assert_eq!(
        r.root().match_event_indicator(),
        Some(MatchEventIndicator(0x80))
    );
    for e in r.md_entries().unwrap() {
        assert_eq!(e.appl_id(), Some(310));
        assert_eq!(e.md_entry_type(), Some(MdEntryType::BOOK_RESET));
        assert_eq!(e.md_update_action(), Some(MdUpdateAction::NEW));
    }
    let CmeMessage::LimitsBanding50(l) = views[1] else {
        panic!()
    };
    let e = l.md_entries().unwrap().get(1).unwrap();
    assert_eq!(
        e.high_limit_price(),
        Ok(Some(Price::from_e9(2_500_000_000)))
    );
    assert_eq!(e.low_limit_price(), Ok(None));
    assert_eq!(e.security_id(), Some(42));
    assert_eq!(e.md_entry_type(), Some(MdEntryType::THRESHOLD_LIMITS));
    let CmeMessage::SecurityStatus30(s) = views[2] else {
        panic!()
    };
    assert_eq!(s.root().security_id(), None, "Int32NULL null");
    assert_eq!(s.root().security_group(), Some(&b"GH"[..]));
    assert_eq!(
        s.root().security_trading_status(),
        Some(SecurityTradingStatus::READY_TO_TRADE)
    );
    let CmeMessage::SnapshotFullRefresh52(n) = views[3] else {
        panic!()
    };
    assert_eq!(n.root().last_msg_seq_num_processed(), Some(1_028_095));
    assert_eq!(n.root().md_security_trading_status(), None);
    for e in n.md_entries().unwrap() {
        assert_eq!(e.md_entry_type(), Some(MdEntryType::FIXING_PRICE));
        assert_eq!(e.md_price_level(), None, "Int8NULL null");
    }
    assert!(matches!(views[4], CmeMessage::AdminHeartbeat12(_)));
}

#[test]
fn truncated_messages_are_rejected_by_both_decoders() {
    let Some(schema) = schema() else {
        return;
    };
    let mut rng = Rng(99);
    let mut rejected = 0;
    for &template in SUPPORTED_TEMPLATES {
        let def = schema.message(template.0).unwrap();
        let layout = Layout {
            version: 9,
            block_delta: 0,
            entries: 2,
            trailing: 0,
        };
        let full = message(&schema, def, layout, &[], &[], &mut rng);
        for cut in 10..full.len() {
            let mut m = full[..cut].to_vec();
            m[0..2].copy_from_slice(&(cut as u16).to_le_bytes());
            let p = packet(1, &[m]);
            let pk = Packet::new(&p).unwrap();
            let msg = pk.messages().next().unwrap().unwrap();
            match cross_check(&schema, msg) {
                Ok(Agreement::BothRejected) => rejected += 1,
                Ok(Agreement::Same { .. }) => {}
                other => panic!("{template} cut at {cut}: {other:?}"),
            }
        }
    }
    println!("cme synthetic: {rejected} truncated messages rejected by both decoders");
    assert!(rejected > 100);
}
