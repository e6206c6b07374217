//! The CME adapter's books, one behaviour per test, through the real SBE
//! encoding (`support::cme_encode`): definitions into the registry, each MBP
//! action, implied books, orders from 46's `ReferenceID` and from 47, snapshots
//! 52 and 53. After every packet the fuzz target's consumer rebuilds the books
//! from the events and, between venue events, is compared with the
//! normalizer's own books (`support::cme_channel`). The rest of the adapter
//! (trades, statistics, status, resets, framing, sequencing) is in
//! `cme_normalize_market.rs`.

mod support;

use fixgate_core::event::{Action, EventFlags, EventKind, StatType, TradingState};
use fixgate_core::normalize::book::BookKind;
use fixgate_core::normalize::cme::{Feed, RefusalReason};
use fixgate_core::normalize::registry::BookDepth;
use fixgate_core::types::{InstrumentId, OrderId, Price, Qty, Side};
use support::cme_encode::*;
use support::cme_scenario::*;

#[test]
fn definitions_fill_the_registry_and_reshape_books() {
    let mut ch = defined();
    let def = *ch
        .cme
        .normalizer()
        .registry()
        .get(InstrumentId(ES as u32))
        .unwrap();
    assert_eq!(def.symbol.to_string(), "ESZ6");
    assert_eq!(def.security_group.to_string(), "ES");
    assert_eq!(def.tick_e9, Price::from_e9(250_000_000));
    assert_eq!(def.display_factor_e9, 1_000_000_000);
    assert_eq!(def.contract_multiplier, Some(50));
    assert_eq!(def.unit_of_measure.to_string(), "IPNT");
    assert_eq!(def.unit_of_measure_qty_e9, Some(50_000_000_000));
    assert_eq!(
        (def.currency.to_string(), def.settl_currency.to_string()),
        ("USD".into(), "USD".into())
    );
    assert_eq!(
        def.depth,
        BookDepth {
            outright: 10,
            implied: 2
        }
    );
    assert_eq!(def.trading_state, TradingState::Trading);
    assert_eq!(ch.cme.counters().definitions, 2);

    let mut s = Seq(0);
    let levels: Vec<Level> = (1..=6)
        .map(|l| lvl(ES, l, b'0', 0, l as u8, -(l as i64), 1))
        .collect();
    ch.incremental(&packet(
        s.next(),
        T0,
        &[book46(T0, QUOTE_END, &levels, &[])],
    ));
    assert_eq!(side(&ch, ES, BookKind::Outright, Side::Bid).len(), 6);
    // Modify to 4 levels deep: the two bottom levels are cancelled.
    let events = ch.feed(
        Feed::Definition,
        &packet(
            2,
            T0,
            &[definition54(
                ES,
                b"ESZ6",
                b"ES",
                b'M',
                (4, 2),
                250_000_000,
                1_000_000_000,
            )],
        ),
    );
    let cancels: Vec<u8> = events
        .iter()
        .filter_map(|e| e.level())
        .filter(|l| l.action == Action::Cancel)
        .map(|l| l.level)
        .collect();
    assert_eq!(cancels, vec![6, 5]);
    assert_eq!(side(&ch, ES, BookKind::Outright, Side::Bid).len(), 4);
    // Delete: books cleared, gone from the registry.
    ch.feed(
        Feed::Definition,
        &packet(
            3,
            T0,
            &[definition54(
                ES,
                b"ESZ6",
                b"ES",
                b'D',
                (4, 2),
                250_000_000,
                1_000_000_000,
            )],
        ),
    );
    assert!(ch
        .cme
        .normalizer()
        .registry()
        .get(InstrumentId(ES as u32))
        .is_none());
    assert_eq!(ch.cme.counters().definitions, 4);
}

#[test]
fn each_mbp_action_through_book46() {
    let mut ch = defined();
    let mut s = Seq(0);
    let mut rpt = 0;
    let mut r = || {
        rpt += 1;
        rpt
    };
    // New: three bids and an ask.
    let events = ch.incremental(&packet(
        s.next(),
        T0,
        &[book46(
            T0,
            QUOTE_END,
            &[
                lvl(ES, r(), b'0', 0, 1, 0, 10),
                lvl(ES, r(), b'0', 0, 2, -1, 5),
                lvl(ES, r(), b'0', 0, 3, -2, 1),
                lvl(ES, r(), b'1', 0, 1, 1, 7),
            ],
            &[],
        )],
    ));
    assert_eq!(
        side(&ch, ES, BookKind::Outright, Side::Bid),
        vec![(0, 10), (-1, 5), (-2, 1)]
    );
    assert_eq!(side(&ch, ES, BookKind::Outright, Side::Ask), vec![(1, 7)]);
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind()).collect();
    assert_eq!(
        kinds,
        [
            EventKind::Level,
            EventKind::Level,
            EventKind::Level,
            EventKind::Level,
            EventKind::Quote
        ]
    );
    let lasts: Vec<bool> = events
        .iter()
        .map(|e| e.flags().contains(EventFlags::LAST))
        .collect();
    assert_eq!(lasts, [false, false, false, false, true]);
    let q = events[4].quote().unwrap();
    assert_eq!(
        (q.bid_px_e9.e9(), q.bid_qty, q.ask_px_e9.e9(), q.ask_qty),
        (px(0), Qty::from_lots(10), px(1), Qty::from_lots(7))
    );
    assert!(events[..4]
        .iter()
        .all(|e| e.flags().contains(EventFlags::MBP) && !e.flags().contains(EventFlags::IMPLIED)));

    // Change at the same price: Modify; at another price: Cancel then Add.
    let events = ch.incremental(&packet(
        s.next(),
        T0,
        &[book46(
            T0,
            QUOTE_END,
            &[
                lvl(ES, r(), b'0', 1, 2, -1, 6),
                lvl(ES, r(), b'1', 1, 1, 2, 3),
            ],
            &[],
        )],
    ));
    let actions: Vec<Action> = events
        .iter()
        .filter_map(|e| e.level())
        .map(|l| l.action)
        .collect();
    assert_eq!(actions, [Action::Modify, Action::Cancel, Action::Add]);
    assert_eq!(
        side(&ch, ES, BookKind::Outright, Side::Bid),
        vec![(0, 10), (-1, 6), (-2, 1)]
    );
    assert_eq!(side(&ch, ES, BookKind::Outright, Side::Ask), vec![(2, 3)]);

    // Delete level 2: the third shifts up.
    ch.incremental(&packet(
        s.next(),
        T0,
        &[book46(
            T0,
            QUOTE_END,
            &[lvl(ES, r(), b'0', 2, 2, -1, 6)],
            &[],
        )],
    ));
    assert_eq!(
        side(&ch, ES, BookKind::Outright, Side::Bid),
        vec![(0, 10), (-2, 1)]
    );

    // Overlay level 1 with another price, then append at level 3.
    ch.incremental(&packet(
        s.next(),
        T0,
        &[book46(
            T0,
            QUOTE_END,
            &[
                lvl(ES, r(), b'0', 5, 1, 1, 4),
                lvl(ES, r(), b'0', 5, 3, -5, 9),
            ],
            &[],
        )],
    ));
    assert_eq!(
        side(&ch, ES, BookKind::Outright, Side::Bid),
        vec![(1, 4), (-2, 1), (-5, 9)]
    );

    // DeleteFrom level 2: levels 1 and 2 go, the rest shifts up.
    let events = ch.incremental(&packet(
        s.next(),
        T0,
        &[book46(
            T0,
            QUOTE_END,
            &[lvl(ES, r(), b'0', 4, 2, 0, 0)],
            &[],
        )],
    ));
    let cancels: Vec<(u8, Action)> = events
        .iter()
        .filter_map(|e| e.level())
        .map(|l| (l.level, l.action))
        .collect();
    assert_eq!(cancels, [(1, Action::Cancel), (1, Action::Cancel)]);
    assert_eq!(side(&ch, ES, BookKind::Outright, Side::Bid), vec![(-5, 9)]);

    // DeleteThru on the asks: one Clear of that side.
    let events = ch.incremental(&packet(
        s.next(),
        T0,
        &[book46(
            T0,
            QUOTE_END,
            &[lvl(ES, r(), b'1', 3, 0, 0, 0)],
            &[],
        )],
    ));
    let clear = events.iter().find_map(|e| e.clear()).unwrap();
    assert_eq!(clear.side, Side::Ask);
    assert!(side(&ch, ES, BookKind::Outright, Side::Ask).is_empty());

    // Book reset (J): every book of ES empty.
    ch.incremental(&packet(
        s.next(),
        T0,
        &[book46(
            T0,
            QUOTE_END,
            &[lvl(ES, r(), b'J', 0, 0, 0, 0)],
            &[],
        )],
    ));
    assert!(side(&ch, ES, BookKind::Outright, Side::Bid).is_empty());
    assert_eq!(ch.cme.counters().refused, 0, "{:?}", ch.refusals);
    assert!(ch.checked_ends >= 7);
}

#[test]
fn implied_levels_go_to_the_implied_book_and_the_quote_consolidates() {
    let mut ch = defined();
    let events = ch.incremental(&packet(
        1,
        T0,
        &[book46(
            T0,
            0x94,
            &[
                lvl(ES, 1, b'0', 0, 1, 0, 10),
                lvl(ES, 2, b'E', 0, 1, 0, 4),
                lvl(ES, 3, b'F', 0, 1, 2, 3),
                lvl(ES, 4, b'1', 0, 1, 3, 8),
            ],
            &[],
        )],
    ));
    assert_eq!(side(&ch, ES, BookKind::Implied, Side::Bid), vec![(0, 4)]);
    assert_eq!(side(&ch, ES, BookKind::Implied, Side::Ask), vec![(2, 3)]);
    assert_eq!(side(&ch, ES, BookKind::Outright, Side::Ask), vec![(3, 8)]);
    assert!(events[1]
        .flags()
        .contains(EventFlags::IMPLIED | EventFlags::MBP));
    let q = events.iter().find_map(|e| e.quote()).unwrap();
    assert_eq!(
        (q.bid_px_e9.e9(), q.bid_qty.lots()),
        (px(0), 14),
        "equal prices sum"
    );
    assert_eq!(
        (q.ask_px_e9.e9(), q.ask_qty.lots()),
        (px(2), 3),
        "the implied offer is better"
    );
    // A third implied level is past the implied depth of 2: refused, the book suspect.
    ch.incremental(&packet(
        2,
        T0,
        &[book46(
            T0,
            END,
            &[lvl(ES, 5, b'E', 0, 2, -1, 1), lvl(ES, 6, b'E', 0, 3, -2, 1)],
            &[],
        )],
    ));
    assert_eq!(ch.refusals.len(), 1);
    assert!(matches!(ch.refusals[0].reason, RefusalReason::Normalize(_)));
    assert_eq!(ch.refusals[0].entry, Some(1));
}

#[test]
fn orders_of_book46_take_instrument_side_and_price_from_their_reference() {
    let mut ch = defined();
    let order = |id: u64, reference_id: u8, qty: i32, action: u8| RefOrder {
        order_id: id,
        priority: 1000 + id,
        display_qty: qty,
        reference_id,
        action,
    };
    ch.incremental(&packet(
        1,
        T0,
        &[book46(
            T0,
            QUOTE_END,
            &[lvl(ES, 1, b'0', 0, 1, 0, 3), lvl(NQ, 1, b'1', 0, 1, 4, 2)],
            &[order(11, 1, 2, 0), order(12, 1, 1, 0), order(21, 2, 2, 0)],
        )],
    ));
    let mbo = ch.cme.normalizer().mbo();
    let o = mbo.get(InstrumentId(ES as u32), OrderId(11)).unwrap();
    assert_eq!(
        (o.side, o.price_e9.e9(), o.qty.lots(), o.priority),
        (Side::Bid, px(0), 2, 1011)
    );
    let o = mbo.get(InstrumentId(NQ as u32), OrderId(21)).unwrap();
    assert_eq!((o.side, o.price_e9.e9()), (Side::Ask, px(4)));
    assert_eq!(
        mbo.level(InstrumentId(ES as u32), Side::Bid, Price::from_e9(px(0)))
            .unwrap()
            .qty,
        3
    );
    // Update and delete; a ReferenceID past the entries is refused.
    ch.incremental(&packet(
        2,
        T0,
        &[book46(
            T0,
            QUOTE_END,
            &[lvl(ES, 2, b'0', 1, 1, 0, 2)],
            &[order(11, 1, 1, 1), order(12, 1, 1, 2), order(13, 7, 1, 0)],
        )],
    ));
    let mbo = ch.cme.normalizer().mbo();
    assert_eq!(
        mbo.get(InstrumentId(ES as u32), OrderId(11))
            .unwrap()
            .qty
            .lots(),
        1
    );
    assert!(mbo.get(InstrumentId(ES as u32), OrderId(12)).is_none());
    assert_eq!(ch.refusals.len(), 1);
    assert_eq!(
        ch.refusals[0].reason,
        RefusalReason::BadReference { reference_id: 7 }
    );
}

#[test]
fn order_book47_new_change_delete() {
    let mut ch = defined();
    let o = |id: u64, ticks: i64, qty: i32, action: u8, t: u8| Order {
        security_id: ES,
        order_id: id,
        priority: id * 10,
        px_e9: px(ticks),
        display_qty: qty,
        action,
        entry_type: t,
    };
    ch.incremental(&packet(
        1,
        T0,
        &[order_book47(
            T0,
            QUOTE_END,
            &[
                o(1, 0, 5, 0, b'0'),
                o(2, 1, 4, 0, b'1'),
                o(3, 0, 1, 0, b'0'),
            ],
        )],
    ));
    ch.incremental(&packet(
        2,
        T0,
        &[order_book47(
            T0,
            QUOTE_END,
            &[o(1, -1, 2, 1, b'0'), o(3, 0, 1, 2, b'0')],
        )],
    ));
    let mbo = ch.cme.normalizer().mbo();
    let a = mbo.get(InstrumentId(ES as u32), OrderId(1)).unwrap();
    assert_eq!((a.price_e9.e9(), a.qty.lots()), (px(-1), 2));
    assert!(mbo.get(InstrumentId(ES as u32), OrderId(3)).is_none());
    assert_eq!(
        mbo.get(InstrumentId(ES as u32), OrderId(2)).unwrap().side,
        Side::Ask
    );
    assert!(
        side(&ch, ES, BookKind::Outright, Side::Bid).is_empty(),
        "orders never make levels"
    );
}

#[test]
fn snapshot_52_is_a_full_refresh_and_sets_rpt_seq() {
    let mut ch = defined();
    ch.incremental(&packet(
        1,
        T0,
        &[book46(
            T0,
            QUOTE_END,
            &[
                lvl(ES, 1, b'0', 0, 1, 0, 1),
                lvl(ES, 2, b'0', 0, 2, -1, 1),
                lvl(ES, 3, b'E', 0, 1, -1, 1),
            ],
            &[],
        )],
    ));
    let events = ch.feed(
        Feed::Recovery,
        &packet(
            1,
            T0,
            &[snapshot52(
                T0 + 5,
                ES,
                50,
                1,
                17,
                (px(40), px(-40), NULL_PX),
                &[
                    (b'0', 1, px(2), 7, 3),
                    (b'0', 2, px(1), 4, 2),
                    (b'1', 1, px(3), 6, 1),
                    (b'F', 1, px(4), 2, 0),
                    (b'6', 0, px(0), NULL_I32, 0),
                ],
            )],
        ),
    );
    assert!(events
        .iter()
        .all(|e| e.flags().contains(EventFlags::SNAPSHOT)));
    assert_eq!(
        events
            .iter()
            .filter(|e| e.flags().contains(EventFlags::LAST))
            .count(),
        1
    );
    assert_eq!(
        side(&ch, ES, BookKind::Outright, Side::Bid),
        vec![(2, 7), (1, 4)]
    );
    assert_eq!(side(&ch, ES, BookKind::Outright, Side::Ask), vec![(3, 6)]);
    assert!(side(&ch, ES, BookKind::Implied, Side::Bid).is_empty());
    assert_eq!(side(&ch, ES, BookKind::Implied, Side::Ask), vec![(4, 2)]);
    let stats = ch.cme.normalizer().stats(InstrumentId(ES as u32)).unwrap();
    assert_eq!(
        stats.get(StatType::SettlementPrice).unwrap().price_e9.e9(),
        px(0)
    );
    assert_eq!(
        stats.get(StatType::UpperPriceLimit).unwrap().price_e9.e9(),
        px(40)
    );
    // Incrementals the snapshot already reflects are skipped; the next applies.
    ch.incremental(&packet(
        2,
        T0,
        &[book46(
            T0,
            QUOTE_END,
            &[lvl(ES, 50, b'0', 0, 1, 5, 1), lvl(ES, 51, b'0', 1, 1, 2, 9)],
            &[],
        )],
    ));
    assert_eq!(ch.cme.counters().stale_entries, 1);
    assert_eq!(
        side(&ch, ES, BookKind::Outright, Side::Bid),
        vec![(2, 9), (1, 4)]
    );
    assert_eq!(ch.cme.counters().snapshots, 1);
}

#[test]
fn snapshot_53_chunks_rebuild_the_orders() {
    let mut ch = defined();
    ch.incremental(&packet(
        1,
        T0,
        &[order_book47(
            T0,
            END,
            &[Order {
                security_id: ES,
                order_id: 99,
                priority: 1,
                px_e9: px(0),
                display_qty: 1,
                action: 0,
                entry_type: b'0',
            }],
        )],
    ));
    ch.feed(
        Feed::Recovery,
        &packet(
            1,
            T0,
            &[snapshot53(
                T0,
                ES,
                1,
                2,
                &[(1, 10, px(0), 3, b'0'), (2, 11, px(0), 2, b'0')],
            )],
        ),
    );
    ch.feed(
        Feed::Recovery,
        &packet(
            2,
            T0,
            &[snapshot53(T0, ES, 2, 2, &[(3, 12, px(1), 5, b'1')])],
        ),
    );
    let mbo = ch.cme.normalizer().mbo();
    assert!(
        mbo.get(InstrumentId(ES as u32), OrderId(99)).is_none(),
        "chunk 1 resets"
    );
    assert_eq!(mbo.len(), 3);
    assert_eq!(
        mbo.level(InstrumentId(ES as u32), Side::Bid, Price::from_e9(px(0)))
            .unwrap()
            .qty,
        5
    );
    assert_eq!(
        mbo.get(InstrumentId(ES as u32), OrderId(3)).unwrap().side,
        Side::Ask
    );
}
