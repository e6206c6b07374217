//! Helpers of the CME adapter scenario tests: two instruments defined through
//! real 54 messages, prices on a quarter-point grid, level entries, a side's
//! levels read back from the normalizer.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use fixgate_core::normalize::book::BookKind;
use fixgate_core::normalize::cme::Feed;
use fixgate_core::types::{InstrumentId, Side};

use super::cme_channel::Channel;
use super::cme_encode::*;

pub const ES: i32 = 100;
pub const NQ: i32 = 200;
pub const T0: u64 = 1_700_000_000_000_000_000;
pub const END: u8 = 0x80;
pub const QUOTE_END: u8 = 0x84;

/// 5000 + `ticks` quarter points, in 1e-9.
pub fn px(ticks: i64) -> i64 {
    5_000_000_000_000 + ticks * 250_000_000
}

pub fn lvl(
    security_id: i32,
    rpt_seq: u32,
    entry_type: u8,
    action: u8,
    level: u8,
    ticks: i64,
    size: i32,
) -> Level {
    Level {
        security_id,
        rpt_seq,
        entry_type,
        action,
        level,
        px_e9: px(ticks),
        size,
        orders: size / 2 + 1,
    }
}

/// A channel with ES and NQ defined (10 outright, 2 implied levels).
pub fn defined() -> Channel {
    let mut ch = Channel::new();
    let defs = packet(
        1,
        T0,
        &[
            definition54(
                ES,
                b"ESZ6",
                b"ES",
                b'A',
                (10, 2),
                250_000_000,
                1_000_000_000,
            ),
            definition54(
                NQ,
                b"NQZ6",
                b"NQ",
                b'A',
                (10, 2),
                250_000_000,
                1_000_000_000,
            ),
        ],
    );
    ch.feed(Feed::Definition, &defs);
    ch
}

/// The levels of a side as (price ticks, qty).
pub fn side(ch: &Channel, id: i32, kind: BookKind, side: Side) -> Vec<(i64, u32)> {
    let book = ch
        .cme
        .normalizer()
        .mbp(InstrumentId(id as u32), kind)
        .unwrap();
    book.side(side)
        .unwrap()
        .levels()
        .iter()
        .map(|l| ((l.price_e9.e9() - px(0)) / 250_000_000, l.qty.lots()))
        .collect()
}

pub struct Seq(pub u32);
impl Seq {
    pub fn next(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }
}
