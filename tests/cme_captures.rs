//! The CME MDP 3.0 decoder over every real capture in
//! `../shared/conformance/mdp3/pcap`: the values its README lists, golden JSON
//! of `fixgate decode`, and every field of every message checked against the
//! generic SBE interpreter.
//!
//! Regenerate the golden files with `FIXGATE_BLESS=1 cargo test --test
//! cme_captures`; otherwise they are compared.

mod support;

use fixgate_core::md::cme::cross_check::{cross_check, Agreement};
use fixgate_core::md::cme::{
    tcp, AggressorSide, CmeMessage, DecodeCounters, MatchEventIndicator, MdEntryType,
    MdUpdateAction, Packet, SbeMessage,
};
use fixgate_core::md::frame::Transport;
use fixgate_core::types::Price;
use support::cme::{all_payloads, captures, payloads_of, schema, Payload};

fn packet(p: &Payload) -> Packet<'_> {
    match p.transport {
        Transport::Udp => Packet::new(&p.bytes).expect("packet header"),
        Transport::Tcp => tcp::segment_packet(&p.bytes).expect("conflated TCP framing"),
    }
}

fn messages<'a>(p: &'a Packet<'a>) -> Vec<SbeMessage<'a>> {
    p.messages().map(|m| m.expect("message frames")).collect()
}

fn decode<'a>(m: SbeMessage<'a>) -> CmeMessage<'a> {
    CmeMessage::decode(m, &mut DecodeCounters::default())
        .expect("well formed")
        .expect("supported template")
}

/// `(template, block_length, version)` of each message of a packet.
type Shape = Vec<(u16, u16, u16)>;

/// The single payload of `rel`, its packet's `MsgSeqNum` and shape.
fn one_packet(rel: &str) -> Option<(Payload, u32, Shape)> {
    let caps = captures()?;
    let (_, path) = caps.iter().find(|(r, _)| r == rel).expect("capture listed");
    let mut ps = payloads_of(rel, path);
    assert_eq!(ps.len(), 1, "{rel}: one frame");
    let p = ps.remove(0);
    let pk = packet(&p);
    let shape = messages(&pk)
        .iter()
        .map(|m| (m.template_id().0, m.block_length(), m.version()))
        .collect();
    let seq = pk.seq();
    Some((p, seq, shape))
}

fn px(units: i64, nanos: i64) -> Option<Price> {
    Some(Price::from_e9(units * 1_000_000_000 + nanos))
}

#[test]
fn v9_book_46_with_orders_and_end_of_event_marker() {
    let Some((p, seq, shape)) = one_packet("v9/MdIncrementalRefreshBook.pcap") else {
        return;
    };
    assert_eq!(p.dst, "224.0.28.20:14361");
    assert_eq!(seq, 1_028_095);
    assert_eq!(shape, vec![(46, 11, 9), (46, 11, 9)]);
    let pk = packet(&p);
    let ms = messages(&pk);
    let CmeMessage::Book46(book) = decode(ms[0]) else {
        panic!("not a Book46")
    };
    let entries = book.md_entries().expect("v9 has NoMDEntries");
    let orders = book.order_id_entries().expect("v9 has NoOrderIDEntries");
    assert_eq!((entries.len(), orders.len()), (23, 16));
    assert_eq!(entries.block_length(), 32);
    assert_eq!(orders.block_length(), 24);
    let refs: Vec<u8> = orders
        .iter()
        .take(3)
        .map(|o| o.reference_id().unwrap())
        .collect();
    assert_eq!(refs, vec![2, 4, 5]);
    let first = entries.get(0).unwrap();
    assert_eq!(first.md_entry_px(), Ok(px(15230, 0)));
    assert_eq!(first.md_update_action(), Some(MdUpdateAction::DELETE));
    assert_eq!(first.md_entry_type(), Some(MdEntryType::OFFER));
    assert_eq!(book.trailing_len(), 0);
    let CmeMessage::Book46(end) = decode(ms[1]) else {
        panic!("not a Book46")
    };
    assert_eq!(end.message().msg_size(), 32);
    assert_eq!(
        end.root().match_event_indicator(),
        Some(MatchEventIndicator(0x80))
    );
    assert!(end.md_entries().unwrap().is_empty());
    assert!(end.order_id_entries().unwrap().is_empty());
}

#[test]
fn v9_trade_summary_48_example_values() {
    let Some((p, seq, shape)) = one_packet("v9/MdIncrementalRefreshTradeSummary.pcap") else {
        return;
    };
    assert_eq!((seq, p.dst.as_str()), (884_140, "224.0.28.5:14314"));
    let templates: Vec<u16> = shape.iter().map(|s| s.0).collect();
    assert_eq!(templates, vec![48, 37, 47, 46, 46]);
    assert!(shape.iter().all(|s| s.1 == 11 && s.2 == 9));
    let pk = packet(&p);
    let CmeMessage::TradeSummary48(t) = decode(messages(&pk)[0]) else {
        panic!("not a TradeSummary48")
    };
    let e = t.md_entries().unwrap().get(0).unwrap();
    assert_eq!(e.md_entry_px(), Ok(px(12952, 0)));
    assert_eq!(e.md_entry_size(), Some(2));
    assert_eq!(e.number_of_orders(), Some(3));
    assert_eq!(e.aggressor_side(), Some(AggressorSide::SELL));
    assert_eq!(e.md_entry_type(), Some(MdEntryType::TRADE));
    let qty: Vec<i32> = t
        .order_id_entries()
        .unwrap()
        .iter()
        .map(|o| o.last_qty().unwrap())
        .collect();
    assert_eq!(qty, vec![2, 1, 1]);
}

#[test]
fn v9_order_book_and_volume_shapes() {
    let Some((p, seq, shape)) = one_packet("v9/MdIncrementalRefreshOrderBook.pcap") else {
        return;
    };
    assert_eq!((seq, p.dst.as_str()), (911_525, "224.0.28.146:15360"));
    assert_eq!(shape, vec![(47, 11, 9)]);
    let Some((p, seq, shape)) = one_packet("v9/MdIncrementalRefreshVolume.pcap") else {
        return;
    };
    assert_eq!((seq, p.dst.as_str()), (1_160_087, "224.0.28.6:14315"));
    let templates: Vec<u16> = shape.iter().map(|s| s.0).collect();
    assert_eq!(templates, vec![37, 46, 46, 48, 37, 46, 46]);
}

#[test]
fn v8_trade_summary_42_then_37_then_32_with_its_order_group() {
    let Some((p, seq, shape)) = one_packet("v8/MdIncrementalRefreshTradeSummary.pcap") else {
        return;
    };
    assert_eq!((seq, p.dst.as_str()), (17_349_477, "224.0.32.11:15320"));
    assert_eq!(shape, vec![(42, 11, 8), (37, 11, 8), (32, 11, 8)]);
    let pk = packet(&p);
    let ms = messages(&pk);
    let CmeMessage::TradeSummary42(t) = decode(ms[0]) else {
        panic!("not a TradeSummary42")
    };
    let e = t.md_entries().unwrap().get(0).unwrap();
    // MDTradeEntryID is since 7: present in v8, here null.
    assert!(e.block().bytes().len() >= 30);
    assert_eq!(e.md_trade_entry_id(), None);
    let CmeMessage::Book32(b) = decode(ms[2]) else {
        panic!("not a Book32")
    };
    assert!(
        b.order_id_entries().is_some(),
        "v8 template 32 carries NoOrderIDEntries (since 7)"
    );
}

#[test]
fn v5_messages_gate_fields_and_groups_by_version() {
    let Some((p, seq, shape)) = one_packet("v5/MdIncrementalRefreshBook.pcap") else {
        return;
    };
    assert_eq!((seq, p.dst.as_str()), (19_321_375, "224.0.31.1:14310"));
    assert_eq!(shape, vec![(32, 11, 5)]);
    let pk = packet(&p);
    let CmeMessage::Book32(b) = decode(messages(&pk)[0]) else {
        panic!("not a Book32")
    };
    assert!(
        b.order_id_entries().is_none(),
        "v5 template 32 has no order group"
    );
    assert_eq!(b.trailing_len(), 0);
    let e = b.md_entries().unwrap().get(0).unwrap();
    // exponent -7 mantissa 2077750000000 → 207775
    assert_eq!(e.md_entry_px(), Ok(px(207_775, 0)));

    let Some((p, _, shape)) = one_packet("v5/MdIncrementalRefreshSessionStatistics.pcap") else {
        return;
    };
    assert!(shape.iter().any(|s| s.0 == 35));
    let pk = packet(&p);
    let mut stats = 0;
    for m in messages(&pk) {
        if let CmeMessage::SessionStatistics35(s) = decode(m) {
            for e in s.md_entries().unwrap() {
                assert_eq!(
                    e.block().bytes().len(),
                    24,
                    "entries are 24 bytes in v5 too"
                );
                assert_eq!(
                    e.md_entry_size(),
                    None,
                    "MDEntrySize is since 8: padding in v5"
                );
                stats += 1;
            }
        }
    }
    assert!(stats > 0);

    for (rel, template) in [
        ("v5/MdIncrementalRefreshTradeSummary.pcap", 42),
        ("v5/MdIncrementalRefreshVolume.pcap", 37),
    ] {
        let Some((_, _, shape)) = one_packet(rel) else {
            return;
        };
        assert_eq!(shape[0].0, template, "{rel}");
        assert!(shape.iter().all(|s| s.2 == 5), "{rel}");
    }

    let Some((p, seq, shape)) = one_packet("v5/MdInstrumentDefinitionSpread.pcap") else {
        return;
    };
    assert_eq!((seq, p.dst.as_str()), (2, "224.0.31.43:14310"));
    assert!(shape.contains(&(29, 193, 5)) && shape.contains(&(27, 214, 5)));
    let pk = packet(&p);
    for m in messages(&pk) {
        match decode(m) {
            CmeMessage::InstrumentDefinitionSpread29(d) => {
                assert_eq!(d.root().trading_reference_date_days(), None);
                assert_eq!(d.root().security_exchange(), Some(&b"XCME"[..]));
                assert!(!d.legs().unwrap().is_empty());
            }
            CmeMessage::InstrumentDefinitionFuture27(d) => {
                assert_eq!(d.root().trading_reference_date_days(), None);
                assert!(d.root().symbol().unwrap().starts_with(b"ES"));
                assert_eq!(d.root().security_id_source(), Some(b'8'));
                assert_eq!(d.trailing_len(), 0);
            }
            other => panic!("unexpected {}", other.name()),
        }
    }
}

#[test]
fn v12_conflated_tcp_headers_decode_and_templates_are_skipped() {
    let Some(caps) = captures() else {
        return;
    };
    let mut counters = DecodeCounters::default();
    let mut seen = Vec::new();
    for (rel, path) in caps
        .iter()
        .filter(|(r, _)| r.starts_with("v12-conflated-tcp/"))
    {
        for p in payloads_of(rel, path) {
            assert_eq!(p.transport, Transport::Tcp);
            let pk = packet(&p);
            for m in messages(&pk) {
                assert!(CmeMessage::decode(m, &mut counters).unwrap().is_none());
                seen.push((m.template_id().0, m.schema_id(), m.version()));
            }
        }
    }
    seen.sort();
    assert_eq!(
        seen,
        vec![
            (64, 1, 12),
            (65, 1, 12),
            (68, 1, 12),
            (206, 2, 0),
            (208, 2, 0),
            (209, 2, 0),
            (210, 2, 0)
        ]
    );
    assert_eq!(
        counters,
        DecodeCounters {
            messages: 0,
            unknown_schema: 4,
            unknown_template: 3,
            malformed: 0
        }
    );
}

#[test]
fn interpreter_agrees_on_every_field_of_every_capture_message() {
    let (Some(schema), Some(payloads)) = (schema(), all_payloads()) else {
        return;
    };
    let (mut compared, mut skipped, mut fields, mut entries) = (0, 0, 0, 0);
    for p in &payloads {
        let pk = packet(p);
        for m in messages(&pk) {
            match cross_check(&schema, m) {
                Ok(Agreement::Same {
                    fields: f,
                    entries: e,
                }) => {
                    compared += 1;
                    fields += f;
                    entries += e;
                }
                Ok(Agreement::BothSkipped) => skipped += 1,
                other => panic!("{} frame {}: {other:?}", p.capture, p.frame),
            }
        }
    }
    println!(
        "cme captures: {compared} messages compared with the interpreter ({fields} fields, {entries} group entries), {skipped} skipped by both, {} payloads",
        payloads.len()
    );
    // v9: 2 + 1 + 5 + 7, v8: 3, v5: 1 + 6 + 1 + 2 + 5
    assert_eq!(compared, 33);
    assert_eq!(skipped, 7);
}

#[test]
fn golden_json_of_decode_per_capture() {
    let Some(caps) = captures() else {
        return;
    };
    let bless = std::env::var("FIXGATE_BLESS").as_deref() == Ok("1");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/cme");
    let mut failures = Vec::new();
    for (rel, path) in &caps {
        let file = std::fs::read(path).expect("read capture");
        let mut out = Vec::new();
        let summary = fixgate::tools::decode_cme::decode_capture(&file[..], &mut out)
            .expect("capture decodes");
        assert_eq!(summary.errors, 0, "{rel}: {summary}");
        let golden = dir.join(format!("{}.jsonl", rel.trim_end_matches(".pcap")));
        if bless {
            std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
            std::fs::write(&golden, &out).unwrap();
            continue;
        }
        match std::fs::read(&golden) {
            Ok(want) if want == out => {}
            Ok(_) => failures.push(format!("{rel}: output differs from {}", golden.display())),
            Err(e) => failures.push(format!("{rel}: {}: {e}", golden.display())),
        }
    }
    println!(
        "cme golden: {} captures {}",
        caps.len(),
        if bless { "blessed" } else { "compared" }
    );
    assert!(
        failures.is_empty(),
        "{} golden mismatches (FIXGATE_BLESS=1 regenerates):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
