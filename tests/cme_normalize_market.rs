//! The CME adapter beside the books, one behaviour per test, through the real
//! SBE encoding: trades and busts, statistics and limits, security status,
//! channel reset, event framing (`LAST` only at `EndOfEvent`), stamps,
//! duplicates and sequence gaps, unknown instruments, truncated packets. The
//! fuzz target's consumer checks the books after every packet
//! (`support::cme_channel`).

mod support;

use fixgate_core::event::{Action, EventFlags, EventKind, StatType, TradingState};
use fixgate_core::normalize::book::BookKind;
use fixgate_core::normalize::cme::{Feed, PacketOutcome, RefusalReason, UnknownInstrumentPolicy};
use fixgate_core::normalize::registry::BookDepth;
use fixgate_core::types::{InstrumentId, Side, TradeId};
use support::cme_channel::Channel;
use support::cme_encode::*;
use support::cme_scenario::*;

#[test]
fn trades_and_busts_change_no_book() {
    let mut ch = defined();
    ch.incremental(&packet(
        1,
        T0,
        &[book46(T0, QUOTE_END, &[lvl(ES, 1, b'0', 0, 1, 0, 10)], &[])],
    ));
    let trade = |rpt, action, id| Trade {
        security_id: ES,
        rpt_seq: rpt,
        px_e9: px(0),
        size: 2,
        orders: 3,
        aggressor: 2,
        action,
        trade_id: id,
    };
    let events = ch.incremental(&packet(
        2,
        T0,
        &[trade48(
            T0,
            0x81,
            &[trade(2, 0, 341_412)],
            &[(88, 2), (89, 1), (90, 1)],
        )],
    ));
    let t = events[0].trade().unwrap();
    assert_eq!(
        (
            t.action,
            t.price_e9.e9(),
            t.qty.lots(),
            t.aggressor,
            t.trade_id,
            t.rpt_seq
        ),
        (Action::Trade, px(0), 2, Side::Ask, TradeId(341_412), 2)
    );
    assert_eq!(events.len(), 1, "no book change, no quote");
    assert_eq!(ch.cme.counters().fills, 3);
    let events = ch.incremental(&packet(
        3,
        T0,
        &[trade48(T0, 0x81, &[trade(3, 2, 341_412)], &[])],
    ));
    let t = events[0].trade().unwrap();
    assert_eq!((t.action, t.trade_id), (Action::Cancel, TradeId(341_412)));
    assert_eq!(ch.cme.normalizer().counters().busts, 1);
    assert_eq!(side(&ch, ES, BookKind::Outright, Side::Bid), vec![(0, 10)]);
}

#[test]
fn statistics_volume_and_limits() {
    let mut ch = defined();
    let st = |rpt, entry_type, action, ticks, size, flag| Stat {
        security_id: ES,
        rpt_seq: rpt,
        entry_type,
        action,
        px_e9: if ticks == i64::MIN {
            NULL_PX
        } else {
            px(ticks)
        },
        size,
        flag,
    };
    ch.incremental(&packet(
        1,
        T0,
        &[
            volume37(T0, 0x02, &[(ES, 1, 3765)]),
            session_stats51(
                T0,
                0,
                &[
                    st(2, b'4', 0, 1, NULL_I32, 0),
                    st(3, b'4', 0, 2, NULL_I32, 5),
                    st(4, b'7', 0, 3, NULL_I32, 255),
                    st(5, b'8', 0, -3, NULL_I32, 255),
                ],
            ),
            daily_stats49(
                T0,
                0,
                &[
                    st(6, b'6', 0, 0, NULL_I32, 0b11),
                    st(7, b'B', 0, i64::MIN, 1_538_081, 0),
                    st(8, b'C', 0, i64::MIN, 2_773_738, 0),
                ],
            ),
            limits50(T0, END, &[(ES, 9, px(40), px(-40), px(24))]),
        ],
    ));
    let stats = ch.cme.normalizer().stats(InstrumentId(ES as u32)).unwrap();
    let get = |s: StatType| stats.get(s).copied().unwrap();
    assert_eq!(get(StatType::ElectronicVolume).qty.lots(), 3765);
    assert_eq!(get(StatType::OpeningPrice).price_e9.e9(), px(1));
    assert_eq!(get(StatType::IndicativeOpeningPrice).price_e9.e9(), px(2));
    assert_eq!(get(StatType::SessionHighPrice).price_e9.e9(), px(3));
    assert_eq!(get(StatType::SessionLowPrice).price_e9.e9(), px(-3));
    assert_eq!(
        (
            get(StatType::SettlementPrice).price_e9.e9(),
            get(StatType::SettlementPrice).venue_flags
        ),
        (px(0), 3)
    );
    assert_eq!(get(StatType::ClearedVolume).qty.lots(), 1_538_081);
    assert_eq!(get(StatType::OpenInterest).qty.lots(), 2_773_738);
    assert_eq!(get(StatType::UpperPriceLimit).price_e9.e9(), px(40));
    assert_eq!(get(StatType::MaxPriceVariation).price_e9.e9(), px(24));
    let def = ch
        .cme
        .normalizer()
        .registry()
        .get(InstrumentId(ES as u32))
        .unwrap();
    assert_eq!(
        (def.high_limit_e9.e9(), def.low_limit_e9.e9()),
        (px(40), px(-40))
    );
    // Delete withdraws; a null limit withdraws a set one.
    ch.incremental(&packet(
        2,
        T0,
        &[
            session_stats51(T0, 0, &[st(10, b'7', 2, 3, NULL_I32, 255)]),
            limits50(T0, END, &[(ES, 11, NULL_PX, px(-40), px(24))]),
        ],
    ));
    let stats = ch.cme.normalizer().stats(InstrumentId(ES as u32)).unwrap();
    assert!(stats.get(StatType::SessionHighPrice).is_none());
    assert!(stats.get(StatType::UpperPriceLimit).is_none());
    assert_eq!(ch.cme.counters().refused, 0, "{:?}", ch.refusals);
}

#[test]
fn security_status_for_an_instrument_and_for_a_group() {
    let mut ch = defined();
    ch.incremental(&packet(
        1,
        T0,
        &[daily_stats49(
            T0,
            END,
            &[Stat {
                security_id: ES,
                rpt_seq: 1,
                entry_type: b'6',
                action: 0,
                px_e9: px(0),
                size: NULL_I32,
                flag: 0,
            }],
        )],
    ));
    let events = ch.incremental(&packet(
        2,
        T0,
        &[status30(T0, END, b"ES", b"ES", Some(ES), 2, 1, 0)],
    ));
    let st = events[0].status().unwrap();
    assert_eq!(
        (st.state, st.venue_status, st.halt_reason),
        (TradingState::Halted, 2, 1)
    );
    assert_eq!(
        ch.cme
            .normalizer()
            .registry()
            .get(InstrumentId(ES as u32))
            .unwrap()
            .trading_state,
        TradingState::Halted
    );
    // Null SecurityID: every ES instrument; trading event 4 withdraws statistics.
    let events = ch.incremental(&packet(
        3,
        T0,
        &[status30(T0, END, b"ES", b"", None, 21, 0, 4)],
    ));
    let statuses: Vec<u32> = events
        .iter()
        .filter(|e| e.kind() == EventKind::Status)
        .map(|e| e.instrument().get())
        .collect();
    assert_eq!(statuses, vec![ES as u32]);
    assert!(events
        .iter()
        .any(|e| e.stat().is_some_and(|s| s.action == Action::Cancel)));
    assert_eq!(
        ch.cme
            .normalizer()
            .registry()
            .get(InstrumentId(ES as u32))
            .unwrap()
            .trading_state,
        TradingState::PreOpen
    );
    assert_eq!(
        ch.cme
            .normalizer()
            .registry()
            .get(InstrumentId(NQ as u32))
            .unwrap()
            .trading_state,
        TradingState::Trading
    );
}

#[test]
fn channel_reset_empties_the_channel_and_restarts_rpt_seq() {
    let mut ch = defined();
    ch.incremental(&packet(
        1,
        T0,
        &[
            book46(
                T0,
                0,
                &[
                    lvl(ES, 500, b'0', 0, 1, 0, 1),
                    lvl(NQ, 700, b'1', 0, 1, 4, 1),
                ],
                &[RefOrder {
                    order_id: 5,
                    priority: 1,
                    display_qty: 1,
                    reference_id: 1,
                    action: 0,
                }],
            ),
            volume37(T0, END, &[(ES, 501, 10)]),
        ],
    ));
    let events = ch.incremental(&packet(2, T0, &[channel_reset4(T0, 310)]));
    let clear = events
        .iter()
        .find(|e| e.kind() == EventKind::Clear)
        .unwrap();
    assert!(clear.instrument().is_none());
    assert_eq!(clear.clear().unwrap().channel, 310);
    assert!(side(&ch, ES, BookKind::Outright, Side::Bid).is_empty());
    assert!(ch.cme.normalizer().mbo().is_empty());
    assert_eq!(
        ch.cme
            .normalizer()
            .stats(InstrumentId(ES as u32))
            .unwrap()
            .iter()
            .count(),
        0
    );
    // RptSeq restarts at 1 and is applied, not taken for a stale entry.
    ch.incremental(&packet(
        3,
        T0,
        &[book46(T0, QUOTE_END, &[lvl(ES, 1, b'0', 0, 1, 0, 2)], &[])],
    ));
    assert_eq!(side(&ch, ES, BookKind::Outright, Side::Bid), vec![(0, 2)]);
    assert_eq!(ch.cme.counters().stale_entries, 0);
}

#[test]
fn books_are_published_only_at_end_of_event_even_across_packets() {
    let mut ch = defined();
    let first = ch.incremental(&packet(
        1,
        T0,
        &[book46(T0, 0x04, &[lvl(ES, 1, b'0', 0, 1, 0, 1)], &[])],
    ));
    assert!(first.is_empty(), "nothing before EndOfEvent");
    assert!(ch.cme.normalizer().in_event());
    let second = ch.incremental(&packet(
        2,
        T0,
        &[
            book46(T0, 0x04, &[lvl(ES, 2, b'1', 0, 1, 1, 1)], &[]),
            book46(T0, END, &[], &[]),
        ],
    ));
    assert_eq!(second.len(), 3, "two levels and the quote");
    assert_eq!(
        second
            .iter()
            .filter(|e| e.flags().contains(EventFlags::LAST))
            .count(),
        1
    );
    assert!(second[2].flags().contains(EventFlags::LAST));
    // An event with no changes publishes nothing.
    assert!(ch
        .incremental(&packet(3, T0, &[book46(T0, END, &[], &[])]))
        .is_empty());
}

#[test]
fn events_carry_receive_venue_times_sequence_and_rpt_seq() {
    let mut ch = defined();
    let sending = T0 + 9_000;
    let events = ch.incremental(&packet(
        77,
        sending,
        &[book46(
            T0 + 1_000,
            QUOTE_END,
            &[lvl(ES, 411, b'0', 0, 1, 0, 1)],
            &[],
        )],
    ));
    let e = events[0];
    assert_eq!(e.ts_recv_ns().as_nanos(), ch.ts_recv_ns);
    assert_eq!(e.ts_event_ns().as_nanos(), T0 + 1_000);
    assert_eq!(e.ts_in_delta_ns(), 8_000);
    assert_eq!(e.sequence(), 77);
    assert_eq!(e.level().unwrap().rpt_seq, 411);
    // SendingTime more than i32::MAX ns after TransactTime saturates.
    let events = ch.incremental(&packet(
        78,
        T0 + 10_000_000_000,
        &[book46(
            T0,
            QUOTE_END,
            &[lvl(ES, 412, b'0', 1, 1, 0, 2)],
            &[],
        )],
    ));
    assert_eq!(events[0].ts_in_delta_ns(), i32::MAX);
}

#[test]
fn duplicate_packets_stale_entries_and_gaps() {
    let mut ch = defined();
    let p = packet(
        10,
        T0,
        &[book46(T0, QUOTE_END, &[lvl(ES, 1, b'0', 0, 1, 0, 1)], &[])],
    );
    ch.incremental(&p);
    let (outcome, events) = ch.try_feed(Feed::Incremental, &p);
    assert_eq!(outcome, Ok(PacketOutcome::Duplicate { last_seq: 10 }));
    assert!(events.is_empty());
    // A jump of the packet sequence is counted; a RptSeq hole marks the books suspect.
    let events = ch.incremental(&packet(
        13,
        T0,
        &[book46(T0, QUOTE_END, &[lvl(ES, 5, b'0', 1, 1, 0, 3)], &[])],
    ));
    let c = ch.cme.counters();
    assert_eq!(
        (c.duplicate_packets, c.packet_gaps, c.rpt_seq_gaps),
        (1, 1, 1)
    );
    assert!(events[0].flags().contains(EventFlags::MAYBE_BAD_BOOK));
    // The same RptSeq again in a new packet: skipped as stale.
    ch.incremental(&packet(
        14,
        T0,
        &[book46(T0, QUOTE_END, &[lvl(ES, 5, b'0', 1, 1, 0, 4)], &[])],
    ));
    assert_eq!(ch.cme.counters().stale_entries, 1);
    assert_eq!(side(&ch, ES, BookKind::Outright, Side::Bid), vec![(0, 3)]);
}

#[test]
fn unknown_instruments_follow_the_policy() {
    let p = packet(
        1,
        T0,
        &[book46(
            T0,
            QUOTE_END,
            &[lvl(4242, 1, b'0', 0, 1, 0, 1)],
            &[],
        )],
    );
    let mut refuse = Channel::new();
    assert!(refuse.incremental(&p).is_empty());
    assert_eq!(refuse.cme.counters().unknown_instrument, 1);
    assert_eq!(
        refuse.refusals[0].reason,
        RefusalReason::UnknownInstrument { security_id: 4242 }
    );
    let mut define = Channel::with(
        UnknownInstrumentPolicy::Define(BookDepth {
            outright: 10,
            implied: 2,
        }),
        1024,
    );
    define.incremental(&p);
    assert_eq!(define.cme.counters().auto_defined, 1);
    assert_eq!(
        side(&define, 4242, BookKind::Outright, Side::Bid),
        vec![(0, 1)]
    );
}

#[test]
fn every_truncation_of_a_packet_is_refused_or_applied_without_panic() {
    let m1 = book46(
        T0,
        0,
        &[lvl(ES, 1, b'0', 0, 1, 0, 1)],
        &[RefOrder {
            order_id: 5,
            priority: 1,
            display_qty: 1,
            reference_id: 1,
            action: 0,
        }],
    );
    let m2 = trade48(
        T0,
        0x81,
        &[Trade {
            security_id: ES,
            rpt_seq: 2,
            px_e9: px(0),
            size: 1,
            orders: 1,
            aggressor: 1,
            action: 0,
            trade_id: 1,
        }],
        &[(5, 1)],
    );
    let boundaries = [12, 12 + m1.len()];
    let p = packet(1, T0, &[m1, m2]);
    for n in 0..p.len() {
        let mut ch = defined();
        let _ = ch.try_feed(Feed::Incremental, &p[..n]);
        ch.cme.end_open_event();
        let refused = ch.cme.counters().refused;
        if boundaries.contains(&n) {
            assert_eq!(refused, 0, "a prefix of whole messages is applied");
        } else {
            assert_eq!(
                refused, 1,
                "prefix of {n} bytes: one refusal ({:?})",
                ch.refusals
            );
        }
    }
}
