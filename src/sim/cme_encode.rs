//! A small MDP 3.0 encoder for tests, benches and `fixgate sample cme`: messages laid out at the
//! offsets the views name (`Book46Entry::MD_ENTRY_PX`, ...), framed with
//! `MsgSize` and the SBE header, packed into packets. Independent of
//! `../shared`, so the scenarios it builds always run.
//!
//! Prices are given in 1e-9 units and written at the template's exponent.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use fixgate_core::md::cme::{
    Book46Entry, BookOrderEntry, ChannelReset4Root, DailyStatistics49Entry, IncrementalRoot,
    LimitsBanding50Entry, OrderBook47Entry, SecurityStatus30Root, SessionStatistics51Entry,
    TradeOrderEntry, TradeSummary48Entry, Volume37Entry,
};

/// A null `PRICENULL9`.
pub const NULL_PX: i64 = i64::MAX;
/// A null `Int32NULL`.
pub const NULL_I32: i32 = i32::MAX;

/// Copies `bytes` into `b` at `at`.
pub fn put(b: &mut [u8], at: usize, bytes: &[u8]) {
    b[at..at + bytes.len()].copy_from_slice(bytes);
}

/// One message: template, version, root block, groups (8-byte dimension when
/// `wide`).
pub struct Message {
    /// SBE template id.
    pub template: u16,
    /// Schema version written in the header.
    pub version: u16,
    /// The root block (its length is the header's `blockLength`).
    pub root: Vec<u8>,
    /// Groups: (8-byte dimension, entry `blockLength`, entries).
    pub groups: Vec<(bool, u16, Vec<Vec<u8>>)>,
}

impl Message {
    /// `MsgSize`, SBE header, root, groups.
    pub fn encode(&self) -> Vec<u8> {
        let mut body = self.root.clone();
        for (wide, bl, entries) in &self.groups {
            body.extend_from_slice(&bl.to_le_bytes());
            if *wide {
                body.extend_from_slice(&[0; 5]);
            }
            body.push(entries.len() as u8);
            for e in entries {
                assert_eq!(e.len(), usize::from(*bl));
                body.extend_from_slice(e);
            }
        }
        let mut m = Vec::with_capacity(body.len() + 10);
        m.extend_from_slice(&((10 + body.len()) as u16).to_le_bytes());
        m.extend_from_slice(&(self.root.len() as u16).to_le_bytes());
        m.extend_from_slice(&self.template.to_le_bytes());
        m.extend_from_slice(&1u16.to_le_bytes());
        m.extend_from_slice(&self.version.to_le_bytes());
        m.extend(body);
        m
    }
}

/// A packet: `MsgSeqNum`, `SendingTime`, messages.
pub fn packet(seq: u32, sending_time_ns: u64, messages: &[Vec<u8>]) -> Vec<u8> {
    let mut p = seq.to_le_bytes().to_vec();
    p.extend_from_slice(&sending_time_ns.to_le_bytes());
    for m in messages {
        p.extend_from_slice(m);
    }
    p
}

/// The incremental root (11 bytes).
pub fn incremental_root(transact_ns: u64, mei: u8) -> Vec<u8> {
    let mut r = vec![0; 11];
    put(
        &mut r,
        IncrementalRoot::TRANSACT_TIME,
        &transact_ns.to_le_bytes(),
    );
    r[IncrementalRoot::MATCH_EVENT_INDICATOR] = mei;
    r
}

/// One `NoMDEntries` entry of 46.
#[derive(Clone, Copy, Debug)]
pub struct Level {
    /// `SecurityID`.
    pub security_id: i32,
    /// `RptSeq`.
    pub rpt_seq: u32,
    /// `MDEntryType` as its ASCII char (`b'0'` bid, `b'1'` ask, ...).
    pub entry_type: u8,
    /// `MDUpdateAction` (0 New, 1 Change, 2 Delete, ...).
    pub action: u8,
    /// `MDPriceLevel` (1 = best).
    pub level: u8,
    /// `MDEntryPx` in 1e-9 units ([`NULL_PX`] for null).
    pub px_e9: i64,
    /// `MDEntrySize`.
    pub size: i32,
    /// `NumberOfOrders`.
    pub orders: i32,
}

/// One order entry of 46 (`reference_id` is 1-based).
#[derive(Clone, Copy, Debug)]
pub struct RefOrder {
    /// `OrderID`.
    pub order_id: u64,
    /// `MDOrderPriority`.
    pub priority: u64,
    /// `MDDisplayQty`.
    pub display_qty: i32,
    /// `ReferenceID` (the book entry the order belongs to).
    pub reference_id: u8,
    /// `MDUpdateAction` (0 New, 1 Change, 2 Delete, ...).
    pub action: u8,
}

/// Template 46.
pub fn book46(transact_ns: u64, mei: u8, levels: &[Level], orders: &[RefOrder]) -> Vec<u8> {
    let entries = levels
        .iter()
        .map(|l| {
            let mut e = vec![0; 32];
            put(&mut e, Book46Entry::MD_ENTRY_PX, &l.px_e9.to_le_bytes());
            put(&mut e, Book46Entry::MD_ENTRY_SIZE, &l.size.to_le_bytes());
            put(
                &mut e,
                Book46Entry::SECURITY_ID,
                &l.security_id.to_le_bytes(),
            );
            put(&mut e, Book46Entry::RPT_SEQ, &l.rpt_seq.to_le_bytes());
            put(
                &mut e,
                Book46Entry::NUMBER_OF_ORDERS,
                &l.orders.to_le_bytes(),
            );
            e[Book46Entry::MD_PRICE_LEVEL] = l.level;
            e[Book46Entry::MD_UPDATE_ACTION] = l.action;
            e[Book46Entry::MD_ENTRY_TYPE] = l.entry_type;
            e
        })
        .collect();
    let os = orders
        .iter()
        .map(|o| {
            let mut e = vec![0; 24];
            put(&mut e, BookOrderEntry::ORDER_ID, &o.order_id.to_le_bytes());
            put(
                &mut e,
                BookOrderEntry::MD_ORDER_PRIORITY,
                &o.priority.to_le_bytes(),
            );
            put(
                &mut e,
                BookOrderEntry::MD_DISPLAY_QTY,
                &o.display_qty.to_le_bytes(),
            );
            e[BookOrderEntry::REFERENCE_ID] = o.reference_id;
            e[BookOrderEntry::ORDER_UPDATE_ACTION] = o.action;
            e
        })
        .collect();
    Message {
        template: 46,
        version: 9,
        root: incremental_root(transact_ns, mei),
        groups: vec![(false, 32, entries), (true, 24, os)],
    }
    .encode()
}

/// One entry of 47.
#[derive(Clone, Copy, Debug)]
pub struct Order {
    /// `SecurityID`.
    pub security_id: i32,
    /// `OrderID`.
    pub order_id: u64,
    /// `MDOrderPriority`.
    pub priority: u64,
    /// `MDEntryPx` in 1e-9 units ([`NULL_PX`] for null).
    pub px_e9: i64,
    /// `MDDisplayQty`.
    pub display_qty: i32,
    /// `MDUpdateAction` (0 New, 1 Change, 2 Delete, ...).
    pub action: u8,
    /// `MDEntryType` as its ASCII char (`b'0'` bid, `b'1'` ask, ...).
    pub entry_type: u8,
}

/// Template 47.
pub fn order_book47(transact_ns: u64, mei: u8, orders: &[Order]) -> Vec<u8> {
    let entries = orders
        .iter()
        .map(|o| {
            let mut e = vec![0; 40];
            put(
                &mut e,
                OrderBook47Entry::ORDER_ID,
                &o.order_id.to_le_bytes(),
            );
            put(
                &mut e,
                OrderBook47Entry::MD_ORDER_PRIORITY,
                &o.priority.to_le_bytes(),
            );
            put(
                &mut e,
                OrderBook47Entry::MD_ENTRY_PX,
                &o.px_e9.to_le_bytes(),
            );
            put(
                &mut e,
                OrderBook47Entry::MD_DISPLAY_QTY,
                &o.display_qty.to_le_bytes(),
            );
            put(
                &mut e,
                OrderBook47Entry::SECURITY_ID,
                &o.security_id.to_le_bytes(),
            );
            e[OrderBook47Entry::MD_UPDATE_ACTION] = o.action;
            e[OrderBook47Entry::MD_ENTRY_TYPE] = o.entry_type;
            e
        })
        .collect();
    Message {
        template: 47,
        version: 9,
        root: incremental_root(transact_ns, mei),
        groups: vec![(false, 40, entries)],
    }
    .encode()
}

/// One trade of 48.
#[derive(Clone, Copy, Debug)]
pub struct Trade {
    /// `SecurityID`.
    pub security_id: i32,
    /// `RptSeq`.
    pub rpt_seq: u32,
    /// `MDEntryPx` in 1e-9 units ([`NULL_PX`] for null).
    pub px_e9: i64,
    /// `MDEntrySize`.
    pub size: i32,
    /// `NumberOfOrders`.
    pub orders: i32,
    /// `AggressorSide` (0 none, 1 buy, 2 sell).
    pub aggressor: u8,
    /// `MDUpdateAction` (0 New, 1 Change, 2 Delete, ...).
    pub action: u8,
    /// `MDTradeEntryID`.
    pub trade_id: u32,
}

/// Template 48 with `fills` (order id, last qty) in its order group.
pub fn trade48(transact_ns: u64, mei: u8, trades: &[Trade], fills: &[(u64, i32)]) -> Vec<u8> {
    let entries = trades
        .iter()
        .map(|t| {
            let mut e = vec![0; 32];
            put(
                &mut e,
                TradeSummary48Entry::MD_ENTRY_PX,
                &t.px_e9.to_le_bytes(),
            );
            put(
                &mut e,
                TradeSummary48Entry::MD_ENTRY_SIZE,
                &t.size.to_le_bytes(),
            );
            put(
                &mut e,
                TradeSummary48Entry::SECURITY_ID,
                &t.security_id.to_le_bytes(),
            );
            put(
                &mut e,
                TradeSummary48Entry::RPT_SEQ,
                &t.rpt_seq.to_le_bytes(),
            );
            put(
                &mut e,
                TradeSummary48Entry::NUMBER_OF_ORDERS,
                &t.orders.to_le_bytes(),
            );
            e[TradeSummary48Entry::AGGRESSOR_SIDE] = t.aggressor;
            e[TradeSummary48Entry::MD_UPDATE_ACTION] = t.action;
            put(
                &mut e,
                TradeSummary48Entry::MD_TRADE_ENTRY_ID,
                &t.trade_id.to_le_bytes(),
            );
            e
        })
        .collect();
    let fs = fills
        .iter()
        .map(|(id, q)| {
            let mut e = vec![0; 16];
            put(&mut e, TradeOrderEntry::ORDER_ID, &id.to_le_bytes());
            put(&mut e, TradeOrderEntry::LAST_QTY, &q.to_le_bytes());
            e
        })
        .collect();
    Message {
        template: 48,
        version: 9,
        root: incremental_root(transact_ns, mei),
        groups: vec![(false, 32, entries), (true, 16, fs)],
    }
    .encode()
}

/// Template 37: (security id, rpt seq, cumulative volume).
pub fn volume37(transact_ns: u64, mei: u8, volumes: &[(i32, u32, i32)]) -> Vec<u8> {
    let entries = volumes
        .iter()
        .map(|(id, rpt, size)| {
            let mut e = vec![0; 16];
            put(&mut e, Volume37Entry::MD_ENTRY_SIZE, &size.to_le_bytes());
            put(&mut e, Volume37Entry::SECURITY_ID, &id.to_le_bytes());
            put(&mut e, Volume37Entry::RPT_SEQ, &rpt.to_le_bytes());
            e[Volume37Entry::MD_UPDATE_ACTION] = 0;
            e
        })
        .collect();
    Message {
        template: 37,
        version: 9,
        root: incremental_root(transact_ns, mei),
        groups: vec![(false, 16, entries)],
    }
    .encode()
}

/// One statistic of 51 (`entry_type` `4 7 8 N O`) or 49 (`6 B C W`).
#[derive(Clone, Copy, Debug)]
pub struct Stat {
    /// `SecurityID`.
    pub security_id: i32,
    /// `RptSeq`.
    pub rpt_seq: u32,
    /// `MDEntryType` as its ASCII char (`b'0'` bid, `b'1'` ask, ...).
    pub entry_type: u8,
    /// `MDUpdateAction` (0 New, 1 Change, 2 Delete, ...).
    pub action: u8,
    /// `MDEntryPx` in 1e-9 units ([`NULL_PX`] for null).
    pub px_e9: i64,
    /// `MDEntrySize`.
    pub size: i32,
    /// 51: `OpenCloseSettlFlag`; 49: `SettlPriceType`.
    pub flag: u8,
}

/// Template 51.
pub fn session_stats51(transact_ns: u64, mei: u8, stats: &[Stat]) -> Vec<u8> {
    let entries = stats
        .iter()
        .map(|s| {
            let mut e = vec![0; 24];
            put(
                &mut e,
                SessionStatistics51Entry::MD_ENTRY_PX,
                &s.px_e9.to_le_bytes(),
            );
            put(
                &mut e,
                SessionStatistics51Entry::SECURITY_ID,
                &s.security_id.to_le_bytes(),
            );
            put(
                &mut e,
                SessionStatistics51Entry::RPT_SEQ,
                &s.rpt_seq.to_le_bytes(),
            );
            e[SessionStatistics51Entry::OPEN_CLOSE_SETTL_FLAG] = s.flag;
            e[SessionStatistics51Entry::MD_UPDATE_ACTION] = s.action;
            e[SessionStatistics51Entry::MD_ENTRY_TYPE] = s.entry_type;
            put(
                &mut e,
                SessionStatistics51Entry::MD_ENTRY_SIZE,
                &s.size.to_le_bytes(),
            );
            e
        })
        .collect();
    Message {
        template: 51,
        version: 9,
        root: incremental_root(transact_ns, mei),
        groups: vec![(false, 24, entries)],
    }
    .encode()
}

/// Template 49.
pub fn daily_stats49(transact_ns: u64, mei: u8, stats: &[Stat]) -> Vec<u8> {
    let entries = stats
        .iter()
        .map(|s| {
            let mut e = vec![0; 32];
            put(
                &mut e,
                DailyStatistics49Entry::MD_ENTRY_PX,
                &s.px_e9.to_le_bytes(),
            );
            put(
                &mut e,
                DailyStatistics49Entry::MD_ENTRY_SIZE,
                &s.size.to_le_bytes(),
            );
            put(
                &mut e,
                DailyStatistics49Entry::SECURITY_ID,
                &s.security_id.to_le_bytes(),
            );
            put(
                &mut e,
                DailyStatistics49Entry::RPT_SEQ,
                &s.rpt_seq.to_le_bytes(),
            );
            put(
                &mut e,
                DailyStatistics49Entry::TRADING_REFERENCE_DATE,
                &u16::MAX.to_le_bytes(),
            );
            e[DailyStatistics49Entry::SETTL_PRICE_TYPE] = s.flag;
            e[DailyStatistics49Entry::MD_UPDATE_ACTION] = s.action;
            e[DailyStatistics49Entry::MD_ENTRY_TYPE] = s.entry_type;
            e
        })
        .collect();
    Message {
        template: 49,
        version: 9,
        root: incremental_root(transact_ns, mei),
        groups: vec![(false, 32, entries)],
    }
    .encode()
}

/// Template 50: (security id, rpt seq, high, low, max variation).
pub fn limits50(transact_ns: u64, mei: u8, limits: &[(i32, u32, i64, i64, i64)]) -> Vec<u8> {
    let entries = limits
        .iter()
        .map(|(id, rpt, hi, lo, band)| {
            let mut e = vec![0; 32];
            put(
                &mut e,
                LimitsBanding50Entry::HIGH_LIMIT_PRICE,
                &hi.to_le_bytes(),
            );
            put(
                &mut e,
                LimitsBanding50Entry::LOW_LIMIT_PRICE,
                &lo.to_le_bytes(),
            );
            put(
                &mut e,
                LimitsBanding50Entry::MAX_PRICE_VARIATION,
                &band.to_le_bytes(),
            );
            put(&mut e, LimitsBanding50Entry::SECURITY_ID, &id.to_le_bytes());
            put(&mut e, LimitsBanding50Entry::RPT_SEQ, &rpt.to_le_bytes());
            e
        })
        .collect();
    Message {
        template: 50,
        version: 9,
        root: incremental_root(transact_ns, mei),
        groups: vec![(false, 32, entries)],
    }
    .encode()
}

/// Template 30 (`security_id` `None`: the whole group).
#[allow(clippy::too_many_arguments, reason = "one argument per root field")]
pub fn status30(
    transact_ns: u64,
    mei: u8,
    group: &[u8],
    asset: &[u8],
    security_id: Option<i32>,
    status: u8,
    halt: u8,
    event: u8,
) -> Vec<u8> {
    let mut r = vec![0; 30];
    put(
        &mut r,
        SecurityStatus30Root::TRANSACT_TIME,
        &transact_ns.to_le_bytes(),
    );
    put(&mut r, SecurityStatus30Root::SECURITY_GROUP, group);
    put(&mut r, SecurityStatus30Root::ASSET, asset);
    put(
        &mut r,
        SecurityStatus30Root::SECURITY_ID,
        &security_id.unwrap_or(i32::MAX).to_le_bytes(),
    );
    put(
        &mut r,
        SecurityStatus30Root::TRADE_DATE,
        &u16::MAX.to_le_bytes(),
    );
    r[SecurityStatus30Root::MATCH_EVENT_INDICATOR] = mei;
    r[SecurityStatus30Root::SECURITY_TRADING_STATUS] = status;
    r[SecurityStatus30Root::HALT_REASON] = halt;
    r[SecurityStatus30Root::SECURITY_TRADING_EVENT] = event;
    Message {
        template: 30,
        version: 9,
        root: r,
        groups: vec![],
    }
    .encode()
}

/// Template 4 for `channel`.
pub fn channel_reset4(transact_ns: u64, channel: i16) -> Vec<u8> {
    let mut r = vec![0; 9];
    put(
        &mut r,
        ChannelReset4Root::TRANSACT_TIME,
        &transact_ns.to_le_bytes(),
    );
    r[ChannelReset4Root::MATCH_EVENT_INDICATOR] = 0x80;
    Message {
        template: 4,
        version: 9,
        root: r,
        groups: vec![(false, 2, vec![channel.to_le_bytes().to_vec()])],
    }
    .encode()
}

pub use super::cme_encode_recovery::*;
