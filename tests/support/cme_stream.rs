//! A realistic multi-packet CME stream built from the real captures in
//! `../shared/conformance/mdp3/pcap` (v5, v8, v9; the v12 TCP captures carry no
//! schema-9 book data):
//!
//! 1. the real v5 definition packet (27 and 29: ESZ5, ESU6 and three spreads),
//!    then one packet of 54 definitions for every other instrument the
//!    incremental captures name (symbol `X<id>`, 10 outright / 2 implied
//!    levels): the definition feed, `MsgSeqNum` 1 and 2;
//! 2. for each incremental capture packet, in a fixed order: a recovery packet
//!    of 52 snapshots (and 53 for orders) that seeds each touched instrument's
//!    books with exactly the levels and orders the real entries go on to
//!    change or delete, then the real packet itself, byte for byte except its
//!    `MsgSeqNum` (contiguous on the incremental feed) and every `RptSeq`
//!    (contiguous per instrument, following its snapshot's).
//!
//! So every real entry applies without a refusal, and the expected book after
//! each event is known. [`Stream::patch`] shifts every `MsgSeqNum` and
//! `RptSeq` for another pass (benchmarks replay the stream many times on one
//! channel without hitting the duplicate path).

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use std::collections::{BTreeMap, BTreeSet};

use fixgate_core::md::cme::{
    CmeMessage, DecodeCounters, MdEntryType, MdUpdateAction, Packet, PriceResult,
    SnapshotFullRefresh52Root,
};
use fixgate_core::normalize::cme::Feed;

use super::cme::{captures, payloads_of};
use super::cme_encode::{definition54, packet, snapshot52, snapshot53, NULL_PX};

/// The incremental captures, in stream order.
pub const INCREMENTAL: [&str; 9] = [
    "v5/MdIncrementalRefreshBook.pcap",
    "v5/MdIncrementalRefreshVolume.pcap",
    "v5/MdIncrementalRefreshTradeSummary.pcap",
    "v5/MdIncrementalRefreshSessionStatistics.pcap",
    "v8/MdIncrementalRefreshTradeSummary.pcap",
    "v9/MdIncrementalRefreshBook.pcap",
    "v9/MdIncrementalRefreshOrderBook.pcap",
    "v9/MdIncrementalRefreshTradeSummary.pcap",
    "v9/MdIncrementalRefreshVolume.pcap",
];

/// The definition capture.
pub const DEFINITIONS: &str = "v5/MdInstrumentDefinitionSpread.pcap";

/// The stream, and where its sequence numbers are.
#[derive(Clone, Debug, Default)]
pub struct Stream {
    /// Packets in order, with their feed.
    pub packets: Vec<(Feed, Vec<u8>)>,
    /// (packet, offset) of every `RptSeq` field (incremental entries and 52 roots).
    pub rpt_fields: Vec<(usize, usize)>,
    /// The largest `RptSeq` written.
    pub max_rpt_seq: u32,
    /// Incremental packets (the real ones).
    pub incremental_packets: usize,
    /// SBE messages in the real packets.
    pub incremental_messages: usize,
    /// Book entries (32/46 levels, 32/46 orders, 47 orders) in the real packets.
    pub book_entries: usize,
    /// Entries of every kind in the real packets.
    pub entries: usize,
}

impl Stream {
    /// Shifts every packet's `MsgSeqNum` by the number of packets of its feed
    /// (so the next pass continues each feed without a gap) and every `RptSeq`
    /// by `rpt`.
    pub fn patch(&mut self, rpt: u32) {
        let per_feed = |f: Feed| self.packets.iter().filter(|(g, _)| *g == f).count() as u32;
        let shift = [
            per_feed(Feed::Incremental),
            per_feed(Feed::Definition),
            per_feed(Feed::Recovery),
        ];
        for (feed, p) in &mut self.packets {
            let packets = shift[match feed {
                Feed::Incremental => 0,
                Feed::Definition => 1,
                Feed::Recovery => 2,
            }];
            let seq = u32::from_le_bytes(p[0..4].try_into().unwrap()) + packets;
            p[0..4].copy_from_slice(&seq.to_le_bytes());
        }
        for &(i, at) in &self.rpt_fields {
            let p = &mut self.packets[i].1;
            let v = u32::from_le_bytes(p[at..at + 4].try_into().unwrap()) + rpt;
            p[at..at + 4].copy_from_slice(&v.to_le_bytes());
        }
    }

    /// The real incremental packets only.
    pub fn incremental(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.packets
            .iter()
            .filter(|(f, _)| *f == Feed::Incremental)
            .map(|(_, p)| p.as_slice())
    }
}

/// One level side being dry-run to find the levels it must start with.
#[derive(Default)]
struct SeedSide {
    bid: bool,
    /// The initial levels: (price, qty, orders), `None` until an entry names one.
    seeds: Vec<Option<(i64, i32, i32)>>,
    /// The side now: `Ok(seed index)` or `Err(price)` for a level inserted since.
    cur: Vec<Result<usize, i64>>,
}

impl SeedSide {
    fn ensure(&mut self, n: usize) {
        while self.cur.len() < n {
            self.seeds.push(None);
            self.cur.push(Ok(self.seeds.len() - 1));
        }
    }

    fn name(&mut self, at: usize, level: (i64, i32, i32)) {
        if let Ok(i) = self.cur[at] {
            if self.seeds[i].is_none() {
                self.seeds[i] = Some(level);
            }
        }
    }

    fn apply(&mut self, action: u8, level: u8, level_value: (i64, i32, i32), depth: usize) {
        let l = usize::from(level);
        match action {
            0 => {
                self.ensure(l - 1);
                self.cur.insert(l - 1, Err(level_value.0));
                self.cur.truncate(depth);
            }
            1 | 5 => {
                self.ensure(l);
                self.name(l - 1, level_value);
                self.cur[l - 1] = Err(level_value.0);
            }
            2 => {
                self.ensure(l);
                self.name(l - 1, level_value);
                let _ = self.cur.remove(l - 1);
            }
            3 => self.cur.clear(),
            4 => {
                let n = l.min(self.cur.len());
                self.cur.drain(..n);
            }
            _ => {}
        }
    }

    /// The seed levels, unnamed ones priced just inside their named neighbours.
    fn levels(&self) -> Vec<(i64, i32, i32)> {
        const STEP: i64 = 1_000_000;
        let better = |p: i64| if self.bid { p + STEP } else { p - STEP };
        let worse = |p: i64| if self.bid { p - STEP } else { p + STEP };
        let mut s = self.seeds.clone();
        let mut below = None;
        for i in (0..s.len()).rev() {
            match s[i] {
                Some(l) => below = Some(l.0),
                None => {
                    if let Some(k) = below {
                        s[i] = Some((better(k), 1, 1));
                        below = Some(better(k));
                    }
                }
            }
        }
        let mut above: Option<i64> = None;
        for l in s.iter_mut() {
            match l {
                Some(v) => above = Some(v.0),
                None => {
                    let p = worse(above.unwrap_or(if self.bid {
                        1_000_000_000_000
                    } else {
                        900_000_000_000
                    }));
                    *l = Some((p, 1, 1));
                    above = Some(p);
                }
            }
        }
        s.into_iter().flatten().collect()
    }
}

/// An order to seed: (order id, priority, price, qty, entry type).
type SeedOrder = (u64, u64, i64, i32, u8);

/// What one capture packet needs seeded, per instrument.
#[derive(Default)]
struct Segment {
    /// (instrument, implied, bid) → side.
    sides: BTreeMap<(i32, bool, bool), SeedSide>,
    /// instrument → orders to seed: (order id, priority, price, qty, entry type);
    /// every instrument with order entries, with or without any to seed.
    orders: BTreeMap<i32, Vec<SeedOrder>>,
    /// Orders that exist in this segment so far.
    live: BTreeSet<(i32, u64)>,
    /// Instruments whose `RptSeq`s this segment rewrites, in first-seen order.
    instruments: Vec<i32>,
}

impl Segment {
    fn level(&mut self, id: i32, entry_type: u8, action: u8, level: u8, value: (i64, i32, i32)) {
        let (implied, bid) = match entry_type {
            b'0' => (false, true),
            b'1' => (false, false),
            b'E' => (true, true),
            b'F' => (true, false),
            _ => return,
        };
        let depth = if implied { 2 } else { 10 };
        let side = self
            .sides
            .entry((id, implied, bid))
            .or_insert_with(|| SeedSide {
                bid,
                ..SeedSide::default()
            });
        side.apply(action, level, value, depth);
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "one argument per field of the order entry"
    )]
    fn order(
        &mut self,
        id: i32,
        order_id: u64,
        priority: u64,
        px: i64,
        qty: i32,
        entry_type: u8,
        action: u8,
    ) {
        let key = (id, order_id);
        // Every instrument with orders gets a 53 (maybe empty): its orders then
        // start from what this packet needs, whatever came before.
        self.orders.entry(id).or_default();
        match action {
            0 => {
                self.live.insert(key);
            }
            _ => {
                if !self.live.contains(&key) {
                    self.orders
                        .entry(id)
                        .or_default()
                        .push((order_id, priority, px, qty, entry_type));
                    self.live.insert(key);
                }
                if action == 2 {
                    self.live.remove(&key);
                }
            }
        }
    }
}

fn offset_in(payload: &[u8], field: &[u8]) -> usize {
    field.as_ptr() as usize - payload.as_ptr() as usize
}

/// The stream (see the module docs); `None` when `../shared` is missing.
pub fn build() -> Option<Stream> {
    let caps = captures()?;
    let payload = |rel: &str| -> Vec<u8> {
        let (_, path) = caps.iter().find(|(r, _)| r == rel).expect("capture listed");
        let mut ps = payloads_of(rel, path);
        assert_eq!(ps.len(), 1, "{rel}: one packet");
        ps.remove(0).bytes
    };
    let mut stream = Stream::default();
    // 1. Definitions: the real packet, then 54s for the rest.
    let mut defs = payload(DEFINITIONS);
    defs[0..4].copy_from_slice(&1u32.to_le_bytes());
    let defined: BTreeSet<i32> = ids_in(&defs);
    stream.packets.push((Feed::Definition, defs));
    let mut all = BTreeSet::new();
    let incrementals: Vec<Vec<u8>> = INCREMENTAL.iter().map(|r| payload(r)).collect();
    for p in &incrementals {
        all.extend(ids_in(p));
    }
    let synth: Vec<Vec<u8>> = all
        .difference(&defined)
        .map(|&id| {
            definition54(
                id,
                format!("X{id}").as_bytes(),
                b"XG",
                b'A',
                (10, 2),
                1,
                1_000_000_000,
            )
        })
        .collect();
    stream.packets.push((
        Feed::Definition,
        packet(2, 1_446_849_164_970_634_188, &synth),
    ));
    // 2. Each capture packet, after the snapshots that seed it.
    let mut rpt: BTreeMap<i32, u32> = BTreeMap::new();
    let mut recovery_seq = 0u32;
    for (n, real) in incrementals.into_iter().enumerate() {
        let mut seg = Segment::default();
        let mut fields: Vec<(i32, usize)> = Vec::new();
        scan(&real, &mut seg, &mut fields, &mut stream);
        let sending = u64::from_le_bytes(real[4..12].try_into().unwrap());
        let mut snaps = Vec::new();
        let mut snap_rpt_at = Vec::new();
        // A snapshot for every instrument with level entries: each capture
        // packet starts from the levels it needs, whatever came before.
        let mut touched: Vec<i32> = Vec::new();
        for &(id, _, _) in seg.sides.keys() {
            if !touched.contains(&id) {
                touched.push(id);
            }
        }
        for &id in &touched {
            let base = rpt.entry(id).or_insert(0);
            *base += 1;
            let mut levels = Vec::new();
            for ((sid, implied, bid), side) in &seg.sides {
                if *sid != id {
                    continue;
                }
                let t = match (implied, bid) {
                    (false, true) => b'0',
                    (false, false) => b'1',
                    (true, true) => b'E',
                    (true, false) => b'F',
                };
                for (i, (px, qty, orders)) in side.levels().into_iter().enumerate() {
                    levels.push((t, (i + 1) as i8, px, qty, orders));
                }
            }
            snap_rpt_at.push(
                snaps.iter().map(Vec::len).sum::<usize>()
                    + 12
                    + 10
                    + SnapshotFullRefresh52Root::RPT_SEQ,
            );
            snaps.push(snapshot52(
                sending - 1,
                id,
                *base,
                0,
                17,
                (NULL_PX, NULL_PX, NULL_PX),
                &levels,
            ));
        }
        for (id, orders) in &seg.orders {
            snaps.push(snapshot53(sending - 1, *id, 1, 1, orders));
        }
        if !snaps.is_empty() {
            recovery_seq += 1;
            let i = stream.packets.len();
            for at in snap_rpt_at {
                stream.rpt_fields.push((i, at));
            }
            stream
                .packets
                .push((Feed::Recovery, packet(recovery_seq, sending - 1, &snaps)));
        }
        let mut real = real;
        real[0..4].copy_from_slice(&(n as u32 + 1).to_le_bytes());
        let i = stream.packets.len();
        for (id, at) in fields {
            let v = rpt.entry(id).or_insert(0);
            *v += 1;
            real[at..at + 4].copy_from_slice(&v.to_le_bytes());
            stream.rpt_fields.push((i, at));
        }
        stream.incremental_packets += 1;
        stream.packets.push((Feed::Incremental, real));
    }
    stream.max_rpt_seq = rpt.values().copied().max().unwrap_or(0);
    Some(stream)
}

/// The `SecurityID`s a packet's entries and definitions name.
fn ids_in(payload: &[u8]) -> BTreeSet<i32> {
    let mut ids = BTreeSet::new();
    let mut seg = Segment::default();
    let mut fields = Vec::new();
    let mut s = Stream::default();
    scan(payload, &mut seg, &mut fields, &mut s);
    ids.extend(fields.iter().map(|f| f.0));
    ids.extend(seg.sides.keys().map(|k| k.0));
    ids.extend(seg.orders.keys());
    for m in Packet::new(payload).unwrap().messages() {
        match CmeMessage::decode(m.unwrap(), &mut DecodeCounters::default()) {
            Ok(Some(CmeMessage::InstrumentDefinitionFuture27(d))) => {
                ids.insert(d.root().security_id().unwrap());
            }
            Ok(Some(CmeMessage::InstrumentDefinitionSpread29(d))) => {
                ids.insert(d.root().security_id().unwrap());
            }
            Ok(Some(CmeMessage::OrderBook47(b))) => {
                ids.extend(
                    b.md_entries()
                        .unwrap()
                        .iter()
                        .map(|e| e.security_id().unwrap()),
                );
            }
            _ => {}
        }
    }
    ids
}

/// Walks a real packet: seeds, `RptSeq` fields (instrument, offset), counts.
fn scan(payload: &[u8], seg: &mut Segment, fields: &mut Vec<(i32, usize)>, stream: &mut Stream) {
    let pk = Packet::new(payload).expect("packet");
    let mut rpt = |id: i32, field: &[u8], seg: &mut Segment| {
        if !seg.instruments.contains(&id) {
            seg.instruments.push(id);
        }
        fields.push((id, offset_in(payload, field)));
    };
    for m in pk.messages() {
        let m = m.expect("frames");
        stream.incremental_messages += 1;
        let view = match CmeMessage::decode(m, &mut DecodeCounters::default()) {
            Ok(Some(v)) => v,
            _ => continue,
        };
        let px = |p: PriceResult| p.ok().flatten().map_or(NULL_PX, |p| p.e9());
        let action = |a: Option<MdUpdateAction>| a.map_or(255, |a| a.0);
        let etype = |t: Option<MdEntryType>| t.map_or(0, |t| t.0);
        macro_rules! book {
            ($b:expr, $entry:ty) => {{
                let entries = $b.md_entries().unwrap();
                for e in entries.iter() {
                    let id = e.security_id().unwrap();
                    rpt(id, &e.block().bytes()[<$entry>::RPT_SEQ..], seg);
                    stream.book_entries += 1;
                    stream.entries += 1;
                    seg.level(
                        id,
                        etype(e.md_entry_type()),
                        action(e.md_update_action()),
                        e.md_price_level().unwrap(),
                        (
                            px(e.md_entry_px()),
                            e.md_entry_size().unwrap_or(0),
                            e.number_of_orders().unwrap_or(0),
                        ),
                    );
                }
                for o in $b.order_id_entries().into_iter().flatten() {
                    stream.book_entries += 1;
                    stream.entries += 1;
                    let e = entries
                        .get(usize::from(o.reference_id().unwrap()) - 1)
                        .unwrap();
                    seg.order(
                        e.security_id().unwrap(),
                        o.order_id().unwrap(),
                        o.md_order_priority().unwrap_or(u64::MAX),
                        px(e.md_entry_px()),
                        o.md_display_qty().unwrap_or(0),
                        etype(e.md_entry_type()),
                        o.order_update_action().unwrap().0,
                    );
                }
            }};
        }
        macro_rules! seq_only {
            ($b:expr, $entry:ty) => {{
                for e in $b.md_entries().unwrap().iter() {
                    stream.entries += 1;
                    rpt(
                        e.security_id().unwrap(),
                        &e.block().bytes()[<$entry>::RPT_SEQ..],
                        seg,
                    );
                }
            }};
        }
        use fixgate_core::md::cme as c;
        match view {
            CmeMessage::Book46(b) => book!(b, c::Book46Entry),
            CmeMessage::Book32(b) => book!(b, c::Book32Entry),
            CmeMessage::OrderBook47(b) => {
                for e in b.md_entries().unwrap().iter() {
                    stream.book_entries += 1;
                    stream.entries += 1;
                    seg.order(
                        e.security_id().unwrap(),
                        e.order_id().unwrap(),
                        e.md_order_priority().unwrap_or(u64::MAX),
                        px(e.md_entry_px()),
                        e.md_display_qty().unwrap_or(0),
                        etype(e.md_entry_type()),
                        action(e.md_update_action()),
                    );
                }
            }
            CmeMessage::TradeSummary48(b) => seq_only!(b, c::TradeSummary48Entry),
            CmeMessage::TradeSummary42(b) => seq_only!(b, c::TradeSummary42Entry),
            CmeMessage::Volume37(b) => seq_only!(b, c::Volume37Entry),
            CmeMessage::SessionStatistics35(b) => seq_only!(b, c::SessionStatistics35Entry),
            CmeMessage::SessionStatistics51(b) => seq_only!(b, c::SessionStatistics51Entry),
            CmeMessage::DailyStatistics49(b) => seq_only!(b, c::DailyStatistics49Entry),
            CmeMessage::LimitsBanding50(b) => seq_only!(b, c::LimitsBanding50Entry),
            _ => {}
        }
    }
}
