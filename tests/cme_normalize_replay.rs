//! A recorded sequence replayed to the expected book at every event end.
//!
//! The stream (`support::cme_stream`) is built from the real captures in
//! `../shared/conformance/mdp3/pcap`: real definitions, then each real
//! incremental packet after the snapshots that seed the levels and orders its
//! entries change. An independent model here (plain vectors, CME's rules, no
//! refusals) applies the same messages; after each packet that leaves no
//! venue event open, the normalizer's books (level by level, in order), its
//! orders, and the fuzz target's consumer rebuilding the books from the
//! published events must all equal the model. The stream is replayed twice:
//! as recorded, and with every message in a packet of its own, so that every
//! single event end is checked.

mod support;

use std::collections::BTreeMap;

use fixgate_core::event::EventFlags;
use fixgate_core::md::cme::{CmeMessage, DecodeCounters, Packet, PriceResult};
use fixgate_core::normalize::book::BookKind;
use fixgate_core::normalize::cme::Feed;
use fixgate_core::types::{InstrumentId, Side};
use support::cme_channel::Channel;
use support::cme_stream::{build, Stream};

type Levels = Vec<(i64, u32, u32)>;

/// CME's book rules on plain vectors.
#[derive(Default)]
struct Model {
    /// (instrument, implied, bid) → levels best first.
    books: BTreeMap<(u32, bool, bool), Levels>,
    /// (instrument, order id) → (bid, price, qty, priority).
    orders: BTreeMap<(u32, u64), (bool, i64, u32, u64)>,
    /// instrument → (outright depth, implied depth).
    depth: BTreeMap<u32, (usize, usize)>,
}

fn px(p: PriceResult) -> i64 {
    p.ok().flatten().map_or(i64::MAX, |p| p.e9())
}

impl Model {
    fn level(&mut self, id: u32, entry_type: u8, action: u8, level: u8, value: (i64, u32, u32)) {
        if entry_type == b'J' {
            self.books.retain(|k, _| k.0 != id);
            self.orders.retain(|k, _| k.0 != id);
            return;
        }
        let (implied, bid) = match entry_type {
            b'0' => (false, true),
            b'1' => (false, false),
            b'E' => (true, true),
            _ => (true, false),
        };
        let (outright, imp) = self.depth[&id];
        let depth = if implied { imp } else { outright };
        let side = self.books.entry((id, implied, bid)).or_default();
        let l = usize::from(level);
        match action {
            0 => {
                side.insert(l - 1, value);
                side.truncate(depth);
            }
            1 | 5 if l - 1 == side.len() => side.push(value),
            1 | 5 => side[l - 1] = value,
            2 => {
                side.remove(l - 1);
            }
            3 => side.clear(),
            4 => {
                let n = l.min(side.len());
                side.drain(..n);
            }
            other => panic!("action {other}"),
        }
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "one argument per field of the order"
    )]
    fn order(
        &mut self,
        id: u32,
        order_id: u64,
        bid: bool,
        price: i64,
        qty: u32,
        priority: u64,
        action: u8,
    ) {
        if action == 2 {
            self.orders.remove(&(id, order_id));
        } else {
            self.orders
                .insert((id, order_id), (bid, price, qty, priority));
        }
    }

    fn apply(&mut self, payload: &[u8]) {
        for m in Packet::new(payload).unwrap().messages() {
            let view = CmeMessage::decode(m.unwrap(), &mut DecodeCounters::default()).unwrap();
            let Some(view) = view else { continue };
            macro_rules! book {
                ($b:expr) => {{
                    let entries = $b.md_entries().unwrap();
                    for e in entries.iter() {
                        let value = (
                            px(e.md_entry_px()),
                            e.md_entry_size().unwrap_or(0) as u32,
                            e.number_of_orders().unwrap_or(0).max(0) as u32,
                        );
                        let t = e.md_entry_type().unwrap().0;
                        let a = e.md_update_action().unwrap().0;
                        self.level(
                            e.security_id().unwrap() as u32,
                            t,
                            a,
                            e.md_price_level().unwrap(),
                            value,
                        );
                    }
                    for o in $b.order_id_entries().into_iter().flatten() {
                        let e = entries
                            .get(usize::from(o.reference_id().unwrap()) - 1)
                            .unwrap();
                        self.order(
                            e.security_id().unwrap() as u32,
                            o.order_id().unwrap(),
                            e.md_entry_type().unwrap().0 == b'0',
                            px(e.md_entry_px()),
                            o.md_display_qty().unwrap() as u32,
                            o.md_order_priority().unwrap_or(u64::MAX),
                            o.order_update_action().unwrap().0,
                        );
                    }
                }};
            }
            match view {
                CmeMessage::Book46(b) => book!(b),
                CmeMessage::Book32(b) => book!(b),
                CmeMessage::OrderBook47(b) => {
                    for e in b.md_entries().unwrap().iter() {
                        self.order(
                            e.security_id().unwrap() as u32,
                            e.order_id().unwrap(),
                            e.md_entry_type().unwrap().0 == b'0',
                            px(e.md_entry_px()),
                            e.md_display_qty().unwrap() as u32,
                            e.md_order_priority().unwrap_or(u64::MAX),
                            e.md_update_action().unwrap().0,
                        );
                    }
                }
                CmeMessage::SnapshotFullRefresh52(s) => {
                    let id = s.root().security_id().unwrap() as u32;
                    self.books.retain(|k, _| k.0 != id);
                    for e in s.md_entries().unwrap().iter() {
                        let value = (
                            px(e.md_entry_px()),
                            e.md_entry_size().unwrap() as u32,
                            e.number_of_orders().unwrap() as u32,
                        );
                        let level = e.md_price_level().unwrap() as u8;
                        self.level(id, e.md_entry_type().unwrap().0, 0, level, value);
                    }
                }
                CmeMessage::SnapshotFullRefreshOrderBook53(s) => {
                    let id = s.root().security_id().unwrap() as u32;
                    if s.root().current_chunk().unwrap() <= 1 {
                        self.orders.retain(|k, _| k.0 != id);
                    }
                    for e in s.md_entries().unwrap().iter() {
                        let (bid, p) = (e.md_entry_type().unwrap().0 == b'0', px(e.md_entry_px()));
                        self.order(
                            id,
                            e.order_id().unwrap(),
                            bid,
                            p,
                            e.md_display_qty().unwrap() as u32,
                            e.md_order_priority().unwrap_or(u64::MAX),
                            0,
                        );
                    }
                }
                CmeMessage::InstrumentDefinitionFuture27(d) => {
                    self.define(d.root().security_id(), d.md_feed_types())
                }
                CmeMessage::InstrumentDefinitionSpread29(d) => {
                    self.define(d.root().security_id(), d.md_feed_types())
                }
                CmeMessage::InstrumentDefinitionFuture54(d) => {
                    self.define(d.root().security_id(), d.md_feed_types())
                }
                _ => {}
            }
        }
    }

    fn define(
        &mut self,
        id: Option<i32>,
        feeds: Option<fixgate_core::md::cme::Group<'_, fixgate_core::md::cme::FeedTypeEntry<'_>>>,
    ) {
        let mut d = (0, 0);
        for f in feeds.into_iter().flatten() {
            match f.md_feed_type().unwrap() {
                b"GBX" => d.0 = f.market_depth().unwrap() as usize,
                b"GBI" => d.1 = f.market_depth().unwrap() as usize,
                _ => {}
            }
        }
        self.depth.insert(id.unwrap() as u32, d);
    }

    /// The model against the normalizer's own books and orders.
    fn check(&self, ch: &Channel, at: &str) {
        let n = ch.cme.normalizer();
        for (_, def) in n.registry().iter() {
            let id = def.id.get();
            for (implied, kind) in [(false, BookKind::Outright), (true, BookKind::Implied)] {
                let book = n.mbp(def.id, kind).unwrap();
                for (bid, side) in [(true, Side::Bid), (false, Side::Ask)] {
                    let got: Levels = book
                        .side(side)
                        .unwrap()
                        .levels()
                        .iter()
                        .map(|l| (l.price_e9.e9(), l.qty.lots(), l.order_count))
                        .collect();
                    let want = self
                        .books
                        .get(&(id, implied, bid))
                        .cloned()
                        .unwrap_or_default();
                    assert_eq!(got, want, "{at}: {id} {kind:?} {side:?}");
                }
            }
        }
        let got: BTreeMap<(u32, u64), (bool, i64, u32, u64)> = n
            .mbo()
            .orders()
            .map(|o| {
                (
                    (o.instrument.get(), o.order_id.get()),
                    (
                        o.side == Side::Bid,
                        o.price_e9.e9(),
                        o.qty.lots(),
                        o.priority,
                    ),
                )
            })
            .collect();
        assert_eq!(got, self.orders, "{at}: orders");
    }
}

/// Every message of a packet in a packet of its own.
fn split(stream: &Stream) -> Vec<(Feed, Vec<u8>)> {
    let mut seqs: BTreeMap<u8, u32> = BTreeMap::new();
    let mut out = Vec::new();
    for (feed, p) in &stream.packets {
        for m in Packet::new(p).unwrap().messages() {
            let seq = seqs.entry(*feed as u8).or_insert(0);
            *seq += 1;
            let mut q = seq.to_le_bytes().to_vec();
            q.extend_from_slice(&p[4..12]);
            q.extend_from_slice(m.unwrap().bytes());
            out.push((*feed, q));
        }
    }
    out
}

/// Replays `packets`, checking at every packet end outside a venue event;
/// returns (checks, LAST events).
fn replay(packets: &[(Feed, Vec<u8>)], label: &str) -> (usize, u64) {
    let mut ch = Channel::new();
    let mut model = Model::default();
    let mut checks = 0;
    for (i, (feed, p)) in packets.iter().enumerate() {
        model.apply(p);
        ch.feed(*feed, p);
        if !ch.cme.normalizer().in_event() {
            model.check(&ch, &format!("{label} packet {i}"));
            checks += 1;
        }
    }
    assert!(ch.refusals.is_empty(), "{label}: refused {:?}", ch.refusals);
    let c = ch.cme.counters();
    assert_eq!(
        (
            c.stale_entries,
            c.rpt_seq_gaps,
            c.packet_gaps,
            c.duplicate_packets
        ),
        (0, 0, 0, 0),
        "{label}: {c:?}"
    );
    assert_eq!(c.unknown_instrument, 0);
    let lasts = ch
        .events
        .iter()
        .filter(|e| e.flags().contains(EventFlags::LAST))
        .count() as u64;
    assert_eq!(lasts, ch.consumer.lasts);
    // Every book event of the real packets carries the packet's sequence.
    assert!(ch.events.iter().all(|e| e.sequence() != 0));
    (checks, lasts)
}

#[test]
fn recorded_stream_replays_to_the_expected_book_at_every_event_end() {
    let Some(stream) = build() else {
        return;
    };
    let (checks, lasts) = replay(&stream.packets, "as recorded");
    let pieces = split(&stream);
    let (split_checks, split_lasts) = replay(&pieces, "one message per packet");
    println!(
        "cme replay: {} packets ({} real incremental, {} messages, {} book entries, {} entries), {checks} checks, {lasts} LAST; split into {} packets: {split_checks} checks, {split_lasts} LAST",
        stream.packets.len(),
        stream.incremental_packets,
        stream.incremental_messages,
        stream.book_entries,
        stream.entries,
        pieces.len()
    );
    assert_eq!(stream.incremental_packets, 9);
    assert!(split_checks > checks && split_lasts >= lasts);
    assert_eq!(lasts, split_lasts, "the same venue events end either way");
}

#[test]
fn the_real_book_packet_moves_the_expected_levels() {
    let Some(stream) = build() else {
        return;
    };
    let mut ch = Channel::new();
    let (feed, defs) = &stream.packets[0];
    ch.feed(*feed, defs);
    // Registry: the real ESZ5 definition (exponent -7 tick, display factor, limits).
    let es = *ch
        .cme
        .normalizer()
        .registry()
        .get(InstrumentId(13_950))
        .unwrap();
    assert_eq!(es.symbol.to_string(), "ESZ5");
    assert_eq!(es.tick_e9.e9(), 25_000_000_000);
    assert_eq!(es.display_factor_e9, 10_000_000);
    assert_eq!(es.depth.outright, 10);
    assert_eq!(es.high_limit_e9.e9(), 219_750_000_000_000);
    assert_eq!(es.unit_of_measure_qty_e9, Some(50_000_000_000));
    for (feed, p) in &stream.packets[1..] {
        ch.feed(*feed, p);
    }
    let n = ch.cme.normalizer();
    // v9 Book46: 157660's offer at 15230 deleted, 15250 added at level 1.
    let asks = n
        .mbp(InstrumentId(157_660), BookKind::Outright)
        .unwrap()
        .asks()
        .levels()
        .to_vec();
    assert_eq!(asks[0].price_e9.e9(), 15_250_000_000_000);
    assert!(asks.iter().all(|l| l.price_e9.e9() != 15_230_000_000_000));
    // v5 SessionStatistics: 2928 bids end with 205100 on top of 205000.
    let bids = n
        .mbp(InstrumentId(2928), BookKind::Outright)
        .unwrap()
        .bids()
        .levels()
        .to_vec();
    assert_eq!(
        (bids[0].price_e9.e9(), bids[1].price_e9.e9()),
        (205_100_000_000_000, 205_000_000_000_000)
    );
    // v9 TradeSummary: the implied bid of 5893 at 13003 for 3.
    let implied = n
        .mbp(InstrumentId(5893), BookKind::Implied)
        .unwrap()
        .bids()
        .levels()
        .to_vec();
    assert_eq!(
        (implied[0].price_e9.e9(), implied[0].qty.lots()),
        (13_003_000_000_000, 3)
    );
    // v9 Volume: 121933's bid and its order were deleted again.
    assert!(n
        .mbp(InstrumentId(121_933), BookKind::Outright)
        .unwrap()
        .bids()
        .is_empty());
    assert!(n
        .mbo()
        .orders()
        .all(|o| o.instrument != InstrumentId(121_933)));
    assert_eq!(ch.cme.counters().fills, 2 + 6 + 3 + 2);
}
