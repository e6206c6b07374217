//! A scripted CME venue for the `CmeChannel` tests: a few instruments whose
//! true books (levels with `RptSeq`, and orders for one of them) it keeps,
//! incremental packets made from seeded random updates, and the definition
//! and snapshot loops (52 and chunked 53, with `LastMsgSeqNumProcessed`) as
//! of any point.

use std::collections::BTreeMap;

use super::cme_encode::*;

/// The first transact time.
pub const T0: u64 = 1_700_000_000_000_000_000;
/// Price of tick 0 (4000.00), ticks of 0.25.
pub const BASE_E9: i64 = 4_000_000_000_000;
/// The tick.
pub const TICK_E9: i64 = 250_000_000;
/// The instrument that also has orders (47, 53).
pub const MBO_ID: i32 = 101;
/// Orders per 53 chunk.
pub const CHUNK: usize = 3;

/// A small seeded generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `percent`%.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// One instrument's true state.
#[derive(Clone, Debug)]
pub struct Inst {
    pub id: i32,
    /// Relative update frequency.
    pub weight: u64,
    pub rpt: u32,
    /// (ticks, qty), best first.
    pub bids: Vec<(i64, i32)>,
    pub asks: Vec<(i64, i32)>,
}

/// One incremental packet of the script.
#[derive(Clone, Debug)]
pub struct Pkt {
    /// Sequence epoch (0, then +1 at each weekly reset).
    pub epoch: u32,
    pub seq: u32,
    pub bytes: Vec<u8>,
    /// Instruments whose updates it carries.
    pub touched: Vec<i32>,
}

/// The venue.
#[derive(Clone, Debug)]
pub struct Venue {
    pub channel: i16,
    pub epoch: u32,
    pub seq: u32,
    pub insts: Vec<Inst>,
    /// order id → (side char, ticks, qty, priority).
    pub orders: BTreeMap<u64, (u8, i64, i32, u64)>,
    next_order: u64,
    pub rng: Rng,
    pub packets: Vec<Pkt>,
    /// Instruments defined before the session (the rest were added intraday).
    pub initial: usize,
}

fn px(ticks: i64) -> i64 {
    BASE_E9 + ticks * TICK_E9
}

impl Venue {
    /// Instruments `(id, weight)`; [`MBO_ID`] should be among them.
    pub fn new(seed: u64, insts: &[(i32, u64)]) -> Self {
        Venue {
            channel: 310,
            epoch: 0,
            seq: 0,
            insts: insts
                .iter()
                .map(|&(id, weight)| Inst {
                    id,
                    weight,
                    rpt: 0,
                    bids: Vec::new(),
                    asks: Vec::new(),
                })
                .collect(),
            orders: BTreeMap::new(),
            next_order: 1,
            rng: Rng(seed),
            packets: Vec::new(),
            initial: insts.len(),
        }
    }

    /// The usual three: [`MBO_ID`] busy, 102 busy, 103 quiet.
    pub fn standard(seed: u64) -> Self {
        Venue::new(seed, &[(MBO_ID, 10), (102, 10), (103, 1)])
    }

    /// A 54 for `id`.
    pub fn definition(id: i32) -> Vec<u8> {
        let symbol = format!("SYM{id}");
        definition54(
            id,
            symbol.as_bytes(),
            b"GP",
            b'A',
            (10, 2),
            TICK_E9,
            1_000_000_000,
        )
    }

    /// The definition loop: one packet per instrument, `MsgSeqNum` from 1.
    pub fn definition_loop(&self) -> Vec<Vec<u8>> {
        self.insts
            .iter()
            .enumerate()
            .map(|(i, inst)| packet(i as u32 + 1, T0, &[Venue::definition(inst.id)]))
            .collect()
    }

    /// Appends an incremental packet of `messages`; returns its index.
    pub fn push(&mut self, messages: &[Vec<u8>], touched: Vec<i32>) -> usize {
        self.seq += 1;
        let bytes = packet(self.seq, T0 + u64::from(self.seq), messages);
        self.packets.push(Pkt {
            epoch: self.epoch,
            seq: self.seq,
            bytes,
            touched,
        });
        self.packets.len() - 1
    }

    /// One packet of 1 to 3 random updates, the last ending the event.
    pub fn step(&mut self) -> usize {
        let n = 1 + self.rng.below(3) as usize;
        let mut messages = Vec::new();
        let mut touched = Vec::new();
        for i in 0..n {
            let mei = if i + 1 == n { 0x80 } else { 0 };
            let k = self.pick();
            let id = self.insts[k].id;
            if id == MBO_ID && self.rng.chance(35) {
                messages.push(self.order_update(mei));
            } else {
                messages.push(self.level_update(k, mei));
            }
            touched.push(id);
        }
        self.push(&messages, touched)
    }

    /// `n` random packets.
    pub fn steps(&mut self, n: usize) {
        for _ in 0..n {
            self.step();
        }
    }

    /// One packet updating only instrument `id` (a level).
    pub fn step_only(&mut self, id: i32) -> usize {
        let k = self.insts.iter().position(|i| i.id == id).expect("known");
        let m = self.level_update(k, 0x80);
        self.push(&[m], vec![id])
    }

    fn pick(&mut self) -> usize {
        let total: u64 = self.insts.iter().map(|i| i.weight).sum();
        let mut r = self.rng.below(total);
        for (k, inst) in self.insts.iter().enumerate() {
            if r < inst.weight {
                return k;
            }
            r -= inst.weight;
        }
        0
    }

    /// A 46 with one level entry of instrument `k` (New, Change or Delete).
    pub fn level_update(&mut self, k: usize, mei: u8) -> Vec<u8> {
        let bid = self.rng.chance(50);
        let rng = &mut self.rng;
        let inst = &mut self.insts[k];
        let (levels, lo, hi) = if bid {
            (&mut inst.bids, 0, 20)
        } else {
            (&mut inst.asks, 21, 41)
        };
        let better = |a: i64, b: i64| if bid { a > b } else { a < b };
        let roll = rng.below(100);
        let (action, level, ticks, size) = if levels.is_empty() || (levels.len() < 5 && roll < 40) {
            let mut t = lo + rng.below((hi - lo) as u64) as i64;
            while levels.iter().any(|l| l.0 == t) {
                t = lo + (t - lo + 1) % (hi - lo);
            }
            let pos = levels.iter().take_while(|l| better(l.0, t)).count();
            let size = 1 + rng.below(50) as i32;
            levels.insert(pos, (t, size));
            (0u8, pos + 1, t, size)
        } else if levels.len() > 1 && roll < 70 {
            let pos = rng.below(levels.len() as u64) as usize;
            let (t, _) = levels.remove(pos);
            (2u8, pos + 1, t, 0)
        } else {
            let pos = rng.below(levels.len() as u64) as usize;
            let size = 1 + rng.below(50) as i32;
            levels[pos].1 = size;
            (1u8, pos + 1, levels[pos].0, size)
        };
        inst.rpt += 1;
        let entry = Level {
            security_id: inst.id,
            rpt_seq: inst.rpt,
            entry_type: if bid { b'0' } else { b'1' },
            action,
            level: level as u8,
            px_e9: px(ticks),
            size,
            orders: 1,
        };
        book46(T0 + u64::from(self.seq), mei, &[entry], &[])
    }

    /// A 47 with one order of [`MBO_ID`] (New, Change or Delete).
    pub fn order_update(&mut self, mei: u8) -> Vec<u8> {
        let roll = self.rng.below(100);
        let (order_id, action) = if self.orders.len() < 3 || roll < 45 {
            let id = self.next_order;
            self.next_order += 1;
            let side = if self.rng.chance(50) { b'0' } else { b'1' };
            let ticks = if side == b'0' {
                self.rng.below(20) as i64
            } else {
                21 + self.rng.below(20) as i64
            };
            let qty = 1 + self.rng.below(20) as i32;
            self.orders.insert(id, (side, ticks, qty, id));
            (id, 0u8)
        } else {
            let nth = self.rng.below(self.orders.len() as u64) as usize;
            let id = *self.orders.keys().nth(nth).expect("nth < len");
            if roll < 75 {
                let qty = 1 + self.rng.below(20) as i32;
                self.orders.get_mut(&id).expect("present").2 = qty;
                (id, 1u8)
            } else {
                (id, 2u8)
            }
        };
        let (side, ticks, qty, prio) = self.orders[&order_id];
        if action == 2 {
            self.orders.remove(&order_id);
        }
        let o = Order {
            security_id: MBO_ID,
            order_id,
            priority: prio,
            px_e9: px(ticks),
            display_qty: qty,
            action,
            entry_type: side,
        };
        order_book47(T0 + u64::from(self.seq), mei, &[o])
    }

    /// The snapshot loop as of now (`LastMsgSeqNumProcessed` = the last
    /// packet made): per instrument a 52 and its orders in 53 chunks of
    /// [`CHUNK`] (one empty 53 when it has none); one message per packet,
    /// `MsgSeqNum` from 1.
    pub fn snapshot_loop(&self) -> Vec<Vec<u8>> {
        let last = self.seq;
        let mut messages = Vec::new();
        for inst in &self.insts {
            let mut entries: Vec<SnapLevel> = Vec::new();
            for (i, &(t, q)) in inst.bids.iter().enumerate() {
                entries.push((b'0', i as i8 + 1, px(t), q, 1));
            }
            for (i, &(t, q)) in inst.asks.iter().enumerate() {
                entries.push((b'1', i as i8 + 1, px(t), q, 1));
            }
            messages.push(snapshot52(
                T0,
                inst.id,
                inst.rpt,
                last,
                17,
                (NULL_PX, NULL_PX, NULL_PX),
                &entries,
            ));
            {
                // Only MBO_ID has orders; the others get an empty 53.
                let mut orders: Vec<_> = self
                    .orders
                    .iter()
                    .filter(|_| inst.id == MBO_ID)
                    .map(|(&id, &(side, t, q, prio))| (id, prio, px(t), q, side))
                    .collect();
                orders.sort_by_key(|o| o.1);
                let chunks: Vec<_> = if orders.is_empty() {
                    vec![&orders[..]]
                } else {
                    orders.chunks(CHUNK).collect()
                };
                for (c, chunk) in chunks.iter().enumerate() {
                    let mut m = snapshot53(T0, inst.id, c as u32 + 1, chunks.len() as u32, chunk);
                    // LastMsgSeqNumProcessed: the root's first field, after
                    // the 10-byte message header.
                    m[10..14].copy_from_slice(&last.to_le_bytes());
                    messages.push(m);
                }
            }
        }
        messages
            .into_iter()
            .enumerate()
            .map(|(i, m)| packet(i as u32 + 1, T0, &[m]))
            .collect()
    }

    /// `ChannelReset4` (its own event end) after a 46 that leaves the event
    /// open: the reset lands in the middle of an event. Everything is
    /// emptied, `RptSeq`s start over.
    pub fn channel_reset_mid_event(&mut self) -> usize {
        let k = 0;
        let open = self.level_update(k, 0);
        let id = self.insts[k].id;
        let first = self.push(&[open], vec![id]);
        let reset = channel_reset4(T0 + u64::from(self.seq), self.channel);
        for inst in &mut self.insts {
            inst.rpt = 0;
            inst.bids.clear();
            inst.asks.clear();
        }
        self.orders.clear();
        let after = self.level_update(k, 0x80);
        self.push(&[reset, after], vec![id]);
        first
    }

    /// The weekly reset: `MsgSeqNum` starts over at 1, the first packet of
    /// the week a `ChannelReset4`.
    pub fn weekly_reset(&mut self) {
        self.epoch += 1;
        self.seq = 0;
        for inst in &mut self.insts {
            inst.rpt = 0;
            inst.bids.clear();
            inst.asks.clear();
        }
        self.orders.clear();
        let reset = channel_reset4(T0, self.channel);
        self.push(&[reset], Vec::new());
    }

    /// Defines `id` intraday with a 54 on the incremental feed; it then
    /// trades with `weight`.
    pub fn add_instrument(&mut self, id: i32, weight: u64) -> usize {
        self.insts.push(Inst {
            id,
            weight,
            rpt: 0,
            bids: Vec::new(),
            asks: Vec::new(),
        });
        self.push(&[Venue::definition(id)], vec![id])
    }
}
