//! Checks for the `md_cme_book` fuzz target: decode + normalize of arbitrary
//! MDP 3.0 payload sequences through one [`CmeNormalizer`] (16 instruments,
//! books up to 10 outright / 10 implied deep, 64 orders, a small batch so that
//! long events spill), with a consumer that rebuilds every book, order and
//! statistic from the published events alone.
//!
//! # Input
//!
//! Byte 0: bit 0 picks the unknown-instrument policy (0: define a placeholder
//! 10/2 deep at first sight, so that arbitrary ids reach the books; 1: refuse),
//! bits 1–3 the batch capacity (`+ 1`). Then packets, each a little-endian
//! `u16` length (cut to what is left), a feed byte (`% 3`: incremental,
//! definition, recovery) and the payload.
//!
//! # Invariants (beyond "never panics")
//!
//! - Every MBP side is strictly ordered (bids descending, asks ascending) and no
//!   longer than its instrument's depth.
//! - The MBO aggregates equal the sums over the resting orders.
//! - Whenever no venue event is open, the consumer's rebuild equals the
//!   normalizer's books, orders and statistics for every defined instrument,
//!   and the final event published carries `LAST`; never more events carry
//!   `LAST` than venue events ended.
//! - The adapter's counters add up: every packet is counted once as decoded
//!   or refused, duplicates never exceed packets.
//!
//! Shared by `fuzz/fuzz_targets/md_cme_book.rs`, `tests/fuzz_corpus_md_book.rs`
//! and the CME normalizer tests (the [`Consumer`] and [`check_state`]).

#![allow(dead_code, reason = "each includer uses part of the checks")]

use std::collections::BTreeMap;

use fixgate_core::event::{Action, Body, Event, EventFlags};
use fixgate_core::normalize::book::{BookKind, MbpSide};
use fixgate_core::normalize::cme::{
    CmeConfig, CmeNormalizer, Feed, PacketIn, UnknownInstrumentPolicy,
};
use fixgate_core::normalize::registry::BookDepth;
use fixgate_core::normalize::Normalizer;
use fixgate_core::time::UtcNanos;
use fixgate_core::types::{InstrumentId, Price, Side};

/// What a consumer knows about one instrument, from events alone.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Seen {
    /// [outright, implied] × [bid, ask]: price → (qty, count).
    pub books: [[BTreeMap<i64, (u32, u32)>; 2]; 2],
    /// order id → (side, price, qty, priority).
    pub orders: BTreeMap<u64, (u8, i64, u32, u64)>,
    /// stat → (price, qty, flags).
    pub stats: BTreeMap<u8, (i64, u32, u8)>,
}

/// Rebuilds every instrument from the published events.
#[derive(Clone, Debug, Default)]
pub struct Consumer {
    /// By instrument id.
    pub seen: BTreeMap<u32, Seen>,
    /// Events applied.
    pub events: u64,
    /// Events with `LAST` applied.
    pub lasts: u64,
}

impl Consumer {
    /// Applies one event.
    ///
    /// # Panics
    /// On a cancel of a level or order it never saw, or an event kind the CME
    /// adapter does not produce.
    pub fn apply(&mut self, e: &Event) {
        self.events += 1;
        if e.flags().contains(EventFlags::LAST) {
            self.lasts += 1;
        }
        let book = usize::from(e.flags().contains(EventFlags::IMPLIED));
        let side_ix = |s: Side| usize::from(s == Side::Ask);
        if e.instrument().is_none() {
            if let Body::Clear(_) = e.body() {
                self.seen.clear();
            }
            return;
        }
        let s = self.seen.entry(e.instrument().get()).or_default();
        match e.body() {
            Body::Level(l) => {
                assert_ne!(l.side, Side::None, "level without a side");
                let side = &mut s.books[book][side_ix(l.side)];
                match l.action {
                    Action::Add | Action::Modify => {
                        side.insert(l.price_e9.e9(), (l.qty.lots(), l.order_count));
                    }
                    Action::Cancel => {
                        assert!(
                            side.remove(&l.price_e9.e9()).is_some(),
                            "cancel of an unseen level {l:?}"
                        );
                    }
                    other => panic!("level action {other:?}"),
                }
            }
            Body::Clear(c) => {
                if e.flags().contains(EventFlags::MBP) {
                    match c.side {
                        Side::None => s.books[book] = Default::default(),
                        side => s.books[book][side_ix(side)].clear(),
                    }
                } else {
                    s.orders.clear();
                }
            }
            Body::Order(o) => match o.action {
                Action::Add | Action::Modify => {
                    s.orders.insert(
                        o.order_id.get(),
                        (o.side.to_dbn(), o.price_e9.e9(), o.qty.lots(), o.priority),
                    );
                }
                Action::Cancel => {
                    assert!(
                        s.orders.remove(&o.order_id.get()).is_some(),
                        "cancel of an unseen order {o:?}"
                    );
                }
                other => panic!("order action {other:?}"),
            },
            Body::Stat(st) => match st.action {
                Action::Add | Action::Modify => {
                    s.stats.insert(
                        st.stat as u8,
                        (st.price_e9.e9(), st.qty.lots(), st.venue_flags),
                    );
                }
                Action::Cancel => {
                    s.stats.remove(&(st.stat as u8));
                }
                other => panic!("stat action {other:?}"),
            },
            Body::Quote(_) | Body::Trade(_) | Body::Status(_) => {}
            other => panic!("unexpected event {other:?}"),
        }
    }
}

/// A side's levels as price → (qty, count).
pub fn side_map(side: &MbpSide) -> BTreeMap<i64, (u32, u32)> {
    side.levels()
        .iter()
        .map(|l| (l.price_e9.e9(), (l.qty.lots(), l.order_count)))
        .collect()
}

fn strictly_ordered(side: &MbpSide) -> bool {
    side.levels().windows(2).all(|w| match side.side() {
        Side::Bid => w[0].price_e9 > w[1].price_e9,
        _ => w[0].price_e9 < w[1].price_e9,
    })
}

/// The structural invariants of every book.
///
/// # Panics
/// When one does not hold.
pub fn book_invariants<S>(n: &Normalizer<S>)
where
    S: fixgate_core::normalize::batch::EventSink,
{
    for (_, def) in n.registry().iter() {
        for (kind, depth) in [
            (BookKind::Outright, def.depth.outright),
            (BookKind::Implied, def.depth.implied),
        ] {
            let book = n.mbp(def.id, kind).expect("a defined instrument has books");
            for side in [book.bids(), book.asks()] {
                assert!(strictly_ordered(side), "{kind:?} out of order: {side:?}");
                assert!(
                    side.len() <= usize::from(depth),
                    "{kind:?} deeper than {depth}"
                );
            }
        }
    }
    let mbo = n.mbo();
    let mut sums: BTreeMap<(u32, u8, i64), (u64, u32)> = BTreeMap::new();
    for o in mbo.orders() {
        let e = sums
            .entry((o.instrument.get(), o.side.to_dbn(), o.price_e9.e9()))
            .or_default();
        e.0 += u64::from(o.qty.lots());
        e.1 += 1;
    }
    for (&(inst, side, price), &(qty, count)) in &sums {
        let side = Side::from_dbn(side).expect("a stored side");
        let agg = mbo
            .level(InstrumentId(inst), side, Price::from_e9(price))
            .expect("every resting price has an aggregate");
        assert_eq!((agg.qty, agg.order_count), (qty, count), "aggregate");
    }
}

/// The consumer's rebuild against the normalizer's state (call between venue
/// events).
///
/// # Panics
/// On the first difference.
pub fn check_state<S>(n: &Normalizer<S>, consumer: &Consumer)
where
    S: fixgate_core::normalize::batch::EventSink,
{
    for (_, def) in n.registry().iter() {
        let id = def.id;
        let empty = Seen::default();
        let seen = consumer.seen.get(&id.get()).unwrap_or(&empty);
        for (b, kind) in [BookKind::Outright, BookKind::Implied]
            .into_iter()
            .enumerate()
        {
            let book = n.mbp(id, kind).expect("books");
            assert_eq!(
                seen.books[b][0],
                side_map(book.bids()),
                "{id} {kind:?} bids"
            );
            assert_eq!(
                seen.books[b][1],
                side_map(book.asks()),
                "{id} {kind:?} asks"
            );
        }
        let orders: BTreeMap<u64, (u8, i64, u32, u64)> = n
            .mbo()
            .orders()
            .filter(|o| o.instrument == id)
            .map(|o| {
                (
                    o.order_id.get(),
                    (o.side.to_dbn(), o.price_e9.e9(), o.qty.lots(), o.priority),
                )
            })
            .collect();
        assert_eq!(seen.orders, orders, "{id} orders");
        let stats: BTreeMap<u8, (i64, u32, u8)> = n
            .stats(id)
            .expect("stats")
            .iter()
            .map(|(s, v)| (s as u8, (v.price_e9.e9(), v.qty.lots(), v.venue_flags)))
            .collect();
        assert_eq!(seen.stats, stats, "{id} stats");
    }
}

/// Applies what the normalizer published since the last drain to the consumer,
/// checks `LAST` placement and, between venue events, the rebuild.
///
/// # Panics
/// When an invariant of the module doc does not hold.
pub fn drain(cme: &mut CmeNormalizer<Vec<Event>>, consumer: &mut Consumer, ended_before: u64) {
    let events = std::mem::take(cme.normalizer_mut().sink_mut());
    let lasts_before = consumer.lasts;
    for e in &events {
        consumer.apply(e);
    }
    let n = cme.normalizer();
    let ended = n.counters().venue_events - ended_before;
    assert!(
        consumer.lasts - lasts_before <= ended,
        "{} LAST events for {ended} venue events",
        consumer.lasts - lasts_before
    );
    book_invariants(n);
    if !n.in_event() {
        if let Some(e) = events.last() {
            assert!(
                e.flags().contains(EventFlags::LAST),
                "final event without LAST"
            );
        }
        check_state(n, consumer);
    }
}

/// A channel sized for fuzzing.
pub fn channel(policy: UnknownInstrumentPolicy, batch: usize) -> CmeNormalizer<Vec<Event>> {
    let mut config = CmeConfig::channel(310, 16, 64);
    config.normalizer.batch_capacity = batch;
    config.unknown_instruments = policy;
    CmeNormalizer::new(config, Vec::new())
}

/// Encodes packets as a fuzz input (the seeds' format).
pub fn encode_input(policy_refuse: bool, packets: &[(Feed, Vec<u8>)]) -> Vec<u8> {
    let mut out = vec![u8::from(policy_refuse) | (7 << 1)];
    for (feed, p) in packets {
        out.extend_from_slice(&(p.len() as u16).to_le_bytes());
        out.push(match feed {
            Feed::Incremental => 0,
            Feed::Definition => 1,
            Feed::Recovery => 2,
        });
        out.extend_from_slice(p);
    }
    out
}

/// Runs one input.
pub fn check(data: &[u8]) {
    let Some((&head, mut rest)) = data.split_first() else {
        return;
    };
    let policy = if head & 1 == 0 {
        UnknownInstrumentPolicy::Define(BookDepth {
            outright: 10,
            implied: 2,
        })
    } else {
        UnknownInstrumentPolicy::Refuse
    };
    let mut cme = channel(policy, usize::from((head >> 1) & 7) + 1);
    let mut consumer = Consumer::default();
    let mut packets = 0u64;
    let mut too_short = 0u64;
    let mut t = 0u64;
    while let Some((len, tail)) = rest.split_first_chunk::<2>() {
        let Some((&feed, tail)) = tail.split_first() else {
            break;
        };
        let len = usize::from(u16::from_le_bytes(*len)).min(tail.len());
        let (payload, tail) = tail.split_at(len);
        rest = tail;
        let feed = match feed % 3 {
            0 => Feed::Incremental,
            1 => Feed::Definition,
            _ => Feed::Recovery,
        };
        t += 1;
        let rx = PacketIn {
            feed,
            ts_recv_ns: UtcNanos::from_nanos(t),
            recv_flags: EventFlags::empty(),
        };
        let ended = cme.normalizer().counters().venue_events;
        let refused_before = cme.counters().refused;
        let mut refusals = 0u64;
        if cme
            .handle_packet_with(rx, payload, &mut |_| refusals += 1)
            .is_err()
        {
            too_short += 1;
        }
        packets += 1;
        drain(&mut cme, &mut consumer, ended);
        let c = cme.counters();
        assert_eq!(
            c.refused - refused_before,
            refusals,
            "every refusal reported once"
        );
        assert_eq!(c.packets + too_short, packets, "every packet counted once");
        assert!(c.duplicate_packets <= c.packets);
    }
    let ended = cme.normalizer().counters().venue_events;
    cme.end_open_event();
    drain(&mut cme, &mut consumer, ended);
}
