//! Channel and book resets, definitions, spilling batches.

use super::*;

#[test]
fn channel_reset_clears_every_book_and_statistic() {
    let mut n = normalizer(64);
    n.begin_message(stamp(1));
    n.handle_level(&out(Side::Bid, MbpAction::New, 1, 100, 5))
        .unwrap();
    n.handle_level(&level(
        NQ,
        BookKind::Implied,
        Side::Ask,
        MbpAction::New,
        1,
        50,
        5,
    ))
    .unwrap();
    n.handle_order(&OrderOp {
        instrument: NQ,
        order_id: OrderId(1),
        side: Side::Ask,
        price_e9: px(50),
        qty: Qty::from_lots(1),
        priority: 1,
        action: OrderAction::New,
    })
    .unwrap();
    n.handle_stat(&StatUpdate {
        instrument: ES,
        stat: StatType::OpeningPrice,
        action: StatAction::Set,
        price_e9: px(99),
        qty: Qty::NULL,
        venue_flags: 0,
        rpt_seq: 1,
    })
    .unwrap();
    let bad = out(Side::Ask, MbpAction::Delete, 3, 1, 1);
    assert!(n.handle_level(&bad).is_err());
    n.end_message(true);
    take(&mut n);

    n.begin_message(stamp(2));
    n.handle_channel_reset();
    n.end_message(true);
    let ev = take(&mut n);
    assert_eq!(
        kinds(&ev),
        [EventKind::Clear, EventKind::Quote, EventKind::Quote]
    );
    assert_eq!(ev[0].instrument(), InstrumentId::NONE);
    let clear = ev[0].clear().unwrap();
    assert_eq!((clear.channel, clear.side), (310, Side::None));
    for q in &ev[1..] {
        let q = q.quote().unwrap();
        assert!(q.bid_px_e9.is_null() && q.ask_px_e9.is_null());
    }
    assert_eq!(lasts(&ev), [false, false, true]);
    for id in [ES, NQ] {
        for kind in [BookKind::Outright, BookKind::Implied] {
            let b = n.mbp(id, kind).unwrap();
            assert!(b.is_empty() && !b.is_suspect());
        }
        assert_eq!(n.stats(id).unwrap().iter().count(), 0);
    }
    assert!(n.mbo().is_empty());
    assert_eq!(n.registry().len(), 2, "definitions stay");
    assert_eq!(n.counters().channel_resets, 1);
}

#[test]
fn book_reset_clears_one_instrument() {
    let mut n = normalizer(64);
    n.begin_message(stamp(1));
    n.handle_level(&out(Side::Bid, MbpAction::New, 1, 100, 5))
        .unwrap();
    n.handle_level(&level(
        NQ,
        BookKind::Outright,
        Side::Bid,
        MbpAction::New,
        1,
        50,
        5,
    ))
    .unwrap();
    n.end_message(true);
    take(&mut n);
    n.begin_message(stamp(2));
    n.handle_book_reset(ES).unwrap();
    n.end_message(true);
    let ev = take(&mut n);
    assert_eq!(
        kinds(&ev),
        [
            EventKind::Clear,
            EventKind::Clear,
            EventKind::Clear,
            EventKind::Quote
        ]
    );
    let flags: Vec<EventFlags> = ev[..3]
        .iter()
        .map(Event::flags)
        .map(|f| f.difference(EventFlags::LAST))
        .collect();
    assert_eq!(
        flags,
        [
            EventFlags::MBP,
            EventFlags::MBP | EventFlags::IMPLIED,
            EventFlags::empty()
        ]
    );
    assert!(n.mbp(ES, BookKind::Outright).unwrap().is_empty());
    assert!(!n.mbp(NQ, BookKind::Outright).unwrap().is_empty());
}

#[test]
fn definitions_reshape_and_drop_books() {
    let mut n = normalizer(64);
    n.begin_message(stamp(1));
    for (l, p) in [(1, 100), (2, 99), (3, 98)] {
        n.handle_level(&out(Side::Bid, MbpAction::New, l, p, 1))
            .unwrap();
    }
    n.end_message(true);
    take(&mut n);
    let mut shallow = def(ES, "ES");
    shallow.depth.outright = 1;
    n.begin_message(stamp(2));
    n.handle_definition(DefinitionAction::Modify, &shallow)
        .unwrap();
    n.end_message(true);
    let ev = take(&mut n);
    let cancels: Vec<(u8, i64)> = ev
        .iter()
        .filter_map(Event::level)
        .map(|l| (l.level, l.price_e9.e9() / 1_000_000_000))
        .collect();
    assert_eq!(cancels, [(3, 98), (2, 99)]);
    assert_eq!(n.mbp(ES, BookKind::Outright).unwrap().depth(), 1);

    let mut deep = def(ES, "ES");
    deep.depth.outright = 11;
    assert!(matches!(
        n.handle_definition(DefinitionAction::Modify, &deep),
        Err(NormalizeError::Registry(_))
    ));
    n.begin_message(stamp(3));
    n.handle_stat(&StatUpdate {
        instrument: ES,
        stat: StatType::FixingPrice,
        action: StatAction::Set,
        price_e9: px(1),
        qty: Qty::NULL,
        venue_flags: 0,
        rpt_seq: 0,
    })
    .unwrap();
    n.handle_definition(DefinitionAction::Delete, &def(ES, ""))
        .unwrap();
    n.end_message(true);
    let ev = take(&mut n);
    assert_eq!(
        kinds(&ev),
        [
            EventKind::Stat,
            EventKind::Clear,
            EventKind::Clear,
            EventKind::Clear,
            EventKind::Stat,
            EventKind::Quote
        ]
    );
    assert_eq!(ev[4].stat().unwrap().action, Action::Cancel);
    let q = ev[5].quote().unwrap();
    assert!(q.bid_px_e9.is_null() && q.ask_px_e9.is_null());
    assert_eq!(lasts(&ev), [false, false, false, false, false, true]);
    assert!(n.mbp(ES, BookKind::Outright).is_none());
    assert_eq!(n.counters().definitions_refused, 1);
    // A fresh instrument in the freed slot starts empty.
    n.handle_definition(DefinitionAction::Add, &def(InstrumentId(13), "ES"))
        .unwrap();
    assert!(n
        .mbp(InstrumentId(13), BookKind::Outright)
        .unwrap()
        .is_empty());
    assert_eq!(n.published_quote(InstrumentId(13)), Some(NO_QUOTE));
}

#[test]
fn a_long_event_spills_but_keeps_last_for_the_end() {
    let mut n = normalizer(2);
    n.begin_message(stamp(1));
    for (l, p) in [(1, 100), (2, 99), (3, 98)] {
        n.handle_level(&out(Side::Bid, MbpAction::New, l, p, 1))
            .unwrap();
    }
    n.handle_level(&out(Side::Ask, MbpAction::New, 1, 101, 1))
        .unwrap();
    assert_eq!(n.sink().len(), 2, "a full batch was published early");
    assert!(n
        .sink()
        .iter()
        .all(|e| !e.flags().contains(EventFlags::LAST)));
    n.end_message(true);
    let ev = take(&mut n);
    assert_eq!(lasts(&ev), [false, false, false, false, true]);
    assert_eq!(ev[4].kind(), EventKind::Quote);
    assert_eq!(n.counters().batch_spills, 2);
    assert!(matches!(ev[0].body(), Body::Level(_)));
}
