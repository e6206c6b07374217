//! A generated CME incremental feed for replay tests and the replay bench:
//! `instruments` futures (placeholder definitions: the replay defines
//! unknown instruments), each with a two-sided book five levels deep built
//! at the start, then `packets` packets of level changes and trades, with
//! `MsgSeqNum` from 1 and every instrument's `RptSeq` contiguous, so that a
//! channel joining at the start applies everything (no snapshot needed).
//! Deterministic: an xorshift generator from a fixed seed.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use super::cme_encode::{book46, packet, trade48, Level, Trade};

/// `EndOfEvent` in `MatchEventIndicator`.
const END: u8 = 0x80;
/// The price grid (0.25) and the books' starting mid (4,000.00), in 1e-9.
const TICK_E9: i64 = 250_000_000;
const MID_E9: i64 = 4_000_000_000_000;

/// The first security id.
pub const FIRST_ID: i32 = 100_001;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// The packets (incremental feed, `MsgSeqNum` 1..).
pub fn generate(instruments: usize, packets: usize, seed: u64) -> Vec<Vec<u8>> {
    let mut rng = Rng(seed | 1);
    let mut rpt = vec![0u32; instruments];
    let mut out = Vec::with_capacity(instruments + packets);
    let mut seq = 0u32;
    let mut t = 1_773_671_400_000_000_000u64;
    let next_rpt = |rpt: &mut Vec<u32>, i: usize| {
        rpt[i] += 1;
        rpt[i]
    };
    // The books: five levels a side per instrument, one packet each.
    for i in 0..instruments {
        let id = FIRST_ID + i as i32;
        let mut levels = Vec::with_capacity(10);
        for level in 1..=5u8 {
            for (entry_type, sign) in [(b'0', -1), (b'1', 1)] {
                levels.push(Level {
                    security_id: id,
                    rpt_seq: next_rpt(&mut rpt, i),
                    entry_type,
                    action: 0,
                    level,
                    px_e9: MID_E9 + sign * i64::from(level) * TICK_E9,
                    size: 10 * i32::from(level),
                    orders: i32::from(level),
                });
            }
        }
        seq += 1;
        t += 10_000;
        out.push(packet(seq, t, &[book46(t, END, &levels, &[])]));
    }
    // Then changes of sizes at random levels, and now and then a trade.
    for _ in 0..packets {
        let i = (rng.next() % instruments as u64) as usize;
        let id = FIRST_ID + i as i32;
        seq += 1;
        t += 1_000 + rng.next() % 50_000;
        let r = rng.next();
        let msg = if r.is_multiple_of(8) {
            let trade = Trade {
                security_id: id,
                rpt_seq: next_rpt(&mut rpt, i),
                px_e9: MID_E9 + TICK_E9,
                size: 1 + ((r >> 8) % 5) as i32,
                orders: 1,
                aggressor: 1,
                action: 0,
                trade_id: seq,
            };
            trade48(t, END, &[trade], &[])
        } else {
            let level = 1 + ((r >> 8) % 5) as u8;
            let (entry_type, sign) = if (r >> 16) & 1 == 0 {
                (b'0', -1)
            } else {
                (b'1', 1)
            };
            let change = Level {
                security_id: id,
                rpt_seq: next_rpt(&mut rpt, i),
                entry_type,
                action: 1,
                level,
                px_e9: MID_E9 + sign * i64::from(level) * TICK_E9,
                size: 1 + ((r >> 24) % 200) as i32,
                orders: 1 + ((r >> 32) % 9) as i32,
            };
            book46(t, END, &[change], &[])
        };
        out.push(packet(seq, t, &[msg]));
    }
    out
}
