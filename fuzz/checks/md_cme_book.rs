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
//! and the CME normalizer tests (the [`Consumer`] and [`check_state`]); the
//! consumer model itself is `fuzz/checks/event_model.rs`, shared with
//! `normalize_books`.

#![allow(dead_code, reason = "each includer uses part of the checks")]

use std::collections::BTreeMap;

use fixgate_core::event::{Event, EventFlags};
use fixgate_core::normalize::book::BookKind;
use fixgate_core::normalize::cme::{
    CmeConfig, CmeNormalizer, Feed, PacketIn, UnknownInstrumentPolicy,
};
use fixgate_core::normalize::registry::BookDepth;
use fixgate_core::normalize::Normalizer;
use fixgate_core::time::UtcNanos;
use fixgate_core::types::{InstrumentId, Price, Side};

#[path = "event_model.rs"]
mod event_model;

pub use event_model::Consumer;
use event_model::{check_rebuild, strictly_ordered};

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
    check_rebuild(n, consumer, |_, _| {});
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
