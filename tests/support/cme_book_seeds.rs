//! Synthetic packet streams for the `md_cme_book` fuzz seeds: every template
//! the CME adapter normalizes, encoded by the test encoders (`cme_encode` for
//! the −9 templates, `cme_synth` from the v9 schema for the −7 ones 27, 29,
//! 32, 35, 42), never capture bytes (the captures' licence forbids
//! republishing their market data, and the committed corpus is published).
//!
//! Each stream is a little session: definitions first, then snapshots and
//! incremental packets with consecutive `MsgSeqNum`s per feed and `RptSeq`s
//! per instrument, so the adapter applies every entry and the fuzzer starts
//! from deep states (MBO orders on several instruments, multi-chunk 53s,
//! events spanning packets, busts, a channel reset). One stream holds the
//! irregular cases (an undefined instrument, a duplicate packet, an `RptSeq`
//! hole healed by a snapshot, a definition deleted).

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use fixgate_core::md::sbe::Schema;
use fixgate_core::normalize::cme::Feed;

use super::cme_encode::*;
use super::cme_synth::{self, Layout, Rng};

const T0: u64 = 1_700_000_000_000_000_000;
const END: u8 = 0x80;
const QUOTE_END: u8 = 0x84;

/// The templates the adapter normalizes, which the streams together carry.
pub const TEMPLATES: [u16; 17] = [
    4, 27, 29, 30, 32, 35, 37, 42, 46, 47, 48, 49, 50, 51, 52, 53, 54,
];

/// One synthetic stream: its name, whether it expects refusals or drops
/// (the irregular stream), its packets.
pub struct Stream {
    pub name: &'static str,
    pub irregular: bool,
    pub packets: Vec<(Feed, Vec<u8>)>,
    seq: [u32; 3],
}

impl Stream {
    fn new(name: &'static str, irregular: bool) -> Self {
        Stream {
            name,
            irregular,
            packets: Vec::new(),
            seq: [0; 3],
        }
    }

    /// A packet on `feed` with the feed's next `MsgSeqNum`.
    fn push(&mut self, feed: Feed, messages: &[Vec<u8>]) {
        let i = feed as usize;
        self.seq[i] += 1;
        let t = T0 + u64::from(self.seq[i]) * 1_000;
        self.packets.push((feed, packet(self.seq[i], t, messages)));
    }

    fn incremental(&mut self, messages: &[Vec<u8>]) {
        self.push(Feed::Incremental, messages);
    }
}

/// 2.000 + `ticks` thousandths, in 1e-9.
fn px(ticks: i64) -> i64 {
    2_000_000_000 + ticks * 1_000_000
}

fn lvl(id: i32, rpt: u32, t: u8, action: u8, level: u8, ticks: i64, size: i32) -> Level {
    Level {
        security_id: id,
        rpt_seq: rpt,
        entry_type: t,
        action,
        level,
        px_e9: px(ticks),
        size,
        orders: size.clamp(1, 3),
    }
}

fn ord(order_id: u64, qty: i32, reference_id: u8, action: u8) -> RefOrder {
    RefOrder {
        order_id,
        priority: order_id * 10,
        display_qty: qty,
        reference_id,
        action,
    }
}

fn definitions() -> Vec<u8> {
    packet(
        1,
        T0,
        &[
            definition54(7, b"GPUH7", b"GP", b'A', (5, 2), 1_000_000, 1_000_000_000),
            definition54(8, b"GPUM7", b"GP", b'A', (3, 0), 1_000_000, 1_000_000_000),
        ],
    )
}

/// MBP and MBO on two instruments: 52 and a two-chunk 53, every 46 action on
/// both books with the order group (new, change, delete), 47 on both sides,
/// an event spanning two packets, book resets (`J`) in 46 and 47.
fn book_stream() -> Stream {
    let mut s = Stream::new("seed-synthetic-book", false);
    s.push(
        Feed::Definition,
        &[
            definition54(7, b"GPUH7", b"GP", b'A', (5, 2), 1_000_000, 1_000_000_000),
            definition54(8, b"GPUM7", b"GP", b'A', (3, 0), 1_000_000, 1_000_000_000),
        ],
    );
    s.push(
        Feed::Recovery,
        &[snapshot52(
            T0,
            7,
            10,
            0,
            17,
            (px(500), px(-500), NULL_PX),
            &[
                (b'0', 1, px(0), 5, 2),
                (b'0', 2, px(-1), 3, 1),
                (b'1', 1, px(1), 4, 2),
                (b'E', 1, px(0), 1, 0),
                (b'F', 1, px(2), 2, 0),
            ],
        )],
    );
    s.push(
        Feed::Recovery,
        &[snapshot53(
            T0,
            8,
            1,
            2,
            &[(81, 810, px(0), 2, b'0'), (82, 820, px(1), 3, b'1')],
        )],
    );
    s.push(
        Feed::Recovery,
        &[snapshot53(T0, 8, 2, 2, &[(83, 830, px(-1), 1, b'0')])],
    );
    // New levels with their orders.
    s.incremental(&[book46(
        T0,
        QUOTE_END,
        &[
            lvl(7, 11, b'0', 0, 1, 1, 2),
            lvl(7, 12, b'1', 0, 2, 2, 6),
            lvl(7, 13, b'E', 0, 2, -1, 1),
        ],
        &[ord(1, 2, 1, 0), ord(2, 4, 2, 0), ord(3, 2, 2, 0)],
    )]);
    // Change, overlay, the orders changed and deleted.
    s.incremental(&[book46(
        T0,
        QUOTE_END,
        &[
            lvl(7, 14, b'0', 1, 1, 1, 3),
            lvl(7, 15, b'1', 5, 1, 1, 6),
            lvl(7, 16, b'F', 1, 1, 2, 4),
        ],
        &[ord(1, 3, 1, 1), ord(2, 6, 2, 1), ord(3, 2, 2, 2)],
    )]);
    // An event spanning two packets: no end of event in the first.
    s.incremental(&[book46(
        T0,
        0,
        &[lvl(7, 17, b'0', 0, 4, -3, 7), lvl(7, 18, b'1', 0, 3, 4, 1)],
        &[],
    )]);
    s.incremental(&[
        book46(T0, 0, &[lvl(7, 19, b'0', 2, 4, -3, 7)], &[]),
        order_book47(
            T0,
            END,
            &[
                Order {
                    security_id: 8,
                    order_id: 84,
                    priority: 840,
                    px_e9: px(2),
                    display_qty: 5,
                    action: 0,
                    entry_type: b'1',
                },
                Order {
                    security_id: 8,
                    order_id: 81,
                    priority: 811,
                    px_e9: px(0),
                    display_qty: 1,
                    action: 1,
                    entry_type: b'0',
                },
                Order {
                    security_id: 8,
                    order_id: 83,
                    priority: 830,
                    px_e9: px(-1),
                    display_qty: 1,
                    action: 2,
                    entry_type: b'0',
                },
            ],
        ),
    ]);
    // Delete thru and delete from.
    s.incremental(&[book46(
        T0,
        QUOTE_END,
        &[lvl(7, 20, b'0', 3, 1, 0, 0), lvl(7, 21, b'1', 4, 2, 0, 0)],
        &[],
    )]);
    // Book resets: 46 `J` for 7, 47 `J` for 8.
    s.incremental(&[
        book46(T0, 0, &[lvl(7, 22, b'J', 0, 0, 0, 0)], &[]),
        order_book47(
            T0,
            END,
            &[Order {
                security_id: 8,
                order_id: 0,
                priority: 0,
                px_e9: NULL_PX,
                display_qty: 0,
                action: 0,
                entry_type: b'J',
            }],
        ),
    ]);
    s.incremental(&[book46(
        T0,
        QUOTE_END,
        &[lvl(7, 23, b'0', 0, 1, 0, 4), lvl(7, 24, b'1', 0, 1, 1, 4)],
        &[ord(4, 4, 1, 0), ord(5, 4, 2, 0)],
    )]);
    s
}

fn stat(id: i32, rpt: u32, t: u8, action: u8, ticks: i64, size: i32, flag: u8) -> Stat {
    Stat {
        security_id: id,
        rpt_seq: rpt,
        entry_type: t,
        action,
        px_e9: if size == NULL_I32 { px(ticks) } else { NULL_PX },
        size,
        flag,
    }
}

/// Trades and busts (48 with fills), 37, every statistic of 51 and 49, 50,
/// 30 for an instrument and for a group, then a channel reset (4) and
/// `RptSeq`s restarting at 1.
fn market_stream() -> Stream {
    let mut s = Stream::new("seed-synthetic-market", false);
    s.push(Feed::Definition, &[definitions()[12..].to_vec()]);
    s.incremental(&[book46(
        T0,
        QUOTE_END,
        &[lvl(7, 1, b'0', 0, 1, 0, 5), lvl(7, 2, b'1', 0, 1, 1, 5)],
        &[],
    )]);
    let trade = |rpt, action, id| Trade {
        security_id: 7,
        rpt_seq: rpt,
        px_e9: px(1),
        size: 2,
        orders: 2,
        aggressor: 1,
        action,
        trade_id: id,
    };
    s.incremental(&[
        trade48(T0, 0x01, &[trade(3, 0, 900)], &[(11, 1), (12, 1)]),
        volume37(T0, 0x02, &[(7, 4, 2)]),
        book46(T0, QUOTE_END, &[lvl(7, 5, b'1', 1, 1, 1, 3)], &[]),
    ]);
    s.incremental(&[trade48(T0, END, &[trade(6, 2, 900)], &[])]);
    s.incremental(&[session_stats51(
        T0,
        END,
        &[
            stat(7, 7, b'4', 0, 0, NULL_I32, 5),
            stat(7, 8, b'4', 0, 1, NULL_I32, 0),
            stat(7, 9, b'7', 0, 2, NULL_I32, 255),
            stat(7, 10, b'8', 0, -2, NULL_I32, 255),
            stat(7, 11, b'N', 0, 1, NULL_I32, 255),
            stat(7, 12, b'O', 0, 1, NULL_I32, 255),
            stat(7, 13, b'7', 2, 2, NULL_I32, 255),
        ],
    )]);
    s.incremental(&[
        daily_stats49(
            T0,
            0,
            &[
                stat(7, 14, b'6', 0, 0, NULL_I32, 3),
                stat(7, 15, b'B', 0, 0, 1_000, 255),
                stat(7, 16, b'C', 0, 0, 500, 255),
                stat(7, 17, b'W', 0, 1, NULL_I32, 255),
            ],
        ),
        limits50(T0, 0, &[(7, 18, px(300), px(-300), px(50))]),
        status30(T0, 0, b"GP", b"", Some(7), 17, 0, 0),
        status30(T0, END, b"GP", b"GP", None, 2, 1, 4),
    ]);
    s.incremental(&[channel_reset4(T0, 310)]);
    s.incremental(&[
        book46(T0, 0, &[lvl(7, 1, b'0', 0, 1, 0, 1)], &[]),
        trade48(T0, END, &[trade(2, 0, 901)], &[]),
    ]);
    s
}

/// An undefined instrument (refused or given a placeholder by the policy
/// byte), a duplicate packet, an `RptSeq` hole healed by a 52, a definition
/// modified then deleted, a heartbeat.
fn irregular_stream() -> Stream {
    let mut s = Stream::new("seed-synthetic-irregular", true);
    s.push(Feed::Definition, &[definitions()[12..].to_vec()]);
    s.incremental(&[book46(
        T0,
        QUOTE_END,
        &[lvl(7, 1, b'0', 0, 1, 0, 5), lvl(99, 1, b'1', 0, 1, 2, 5)],
        &[ord(1, 5, 1, 0), ord(2, 5, 2, 0)],
    )]);
    let dup = s.packets.last().unwrap().clone();
    s.packets.push(dup);
    s.incremental(&[book46(T0, QUOTE_END, &[lvl(7, 4, b'1', 0, 1, 2, 1)], &[])]);
    s.push(
        Feed::Recovery,
        &[snapshot52(
            T0,
            7,
            5,
            s.seq[Feed::Incremental as usize],
            17,
            (NULL_PX, NULL_PX, NULL_PX),
            &[(b'0', 1, px(0), 2, 1), (b'1', 1, px(2), 1, 1)],
        )],
    );
    s.incremental(&[heartbeat12()]);
    s.push(
        Feed::Definition,
        &[definition54(
            7,
            b"GPUH7",
            b"GP",
            b'M',
            (2, 0),
            1_000_000,
            1_000_000_000,
        )],
    );
    s.push(
        Feed::Definition,
        &[definition54(
            8,
            b"GPUM7",
            b"GP",
            b'D',
            (3, 0),
            1_000_000,
            1_000_000_000,
        )],
    );
    s.incremental(&[book46(
        T0,
        QUOTE_END,
        &[lvl(7, 6, b'0', 0, 3, -2, 1), lvl(8, 1, b'0', 0, 1, 0, 1)],
        &[],
    )]);
    s
}

/// Template 12 (heartbeat): an empty root.
fn heartbeat12() -> Vec<u8> {
    Message {
        template: 12,
        version: 9,
        root: vec![],
        groups: vec![],
    }
    .encode()
}

fn b<T: Copy, const N: usize>(v: T, f: impl Fn(T) -> [u8; N]) -> Vec<u8> {
    f(v).to_vec()
}

/// A −7 price of 2.000 + `ticks` thousandths.
fn px7(ticks: i64) -> Vec<u8> {
    (px(ticks) / 100).to_le_bytes().to_vec()
}

/// Root fields of a −7 definition (27, 29) that the adapter reads.
fn definition_e7_root(id: i32, symbol: &[u8], action: u8) -> Vec<(&'static str, Vec<u8>)> {
    let null7 = i64::MAX.to_le_bytes().to_vec();
    vec![
        ("MatchEventIndicator", vec![0]),
        ("TotNumReports", b(1u32, u32::to_le_bytes)),
        ("SecurityUpdateAction", vec![action]),
        ("LastUpdateTime", b(T0, u64::to_le_bytes)),
        ("MDSecurityTradingStatus", vec![17]),
        ("ApplID", b(310i16, i16::to_le_bytes)),
        ("SecurityExchange", b"XCME".to_vec()),
        ("SecurityGroup", b"GQ\0\0\0\0".to_vec()),
        ("Asset", b"GQ\0\0\0\0".to_vec()),
        ("Symbol", [symbol, &[0; 20][symbol.len()..]].concat()),
        ("SecurityID", b(id, i32::to_le_bytes)),
        ("SecurityType", b"FUT\0\0\0".to_vec()),
        ("CFICode", b"FXXXXX".to_vec()),
        ("Currency", b"USD".to_vec()),
        ("MinPriceIncrement", b(10_000i64, i64::to_le_bytes)),
        ("DisplayFactor", b(10_000_000i64, i64::to_le_bytes)),
        ("UnitOfMeasure", [b"IPNT".as_slice(), &[0; 26]].concat()),
        ("TradingReferencePrice", null7.clone()),
        ("HighLimitPrice", px7(500)),
        ("LowLimitPrice", px7(-500)),
        ("MaxPriceVariation", null7),
        ("MainFraction", vec![255]),
        ("SubFraction", vec![255]),
        ("PriceDisplayFormat", vec![255]),
        ("UserDefinedInstrument", vec![b'N']),
        ("MatchAlgorithm", vec![b'F']),
    ]
}

/// The −7 templates from the v9 schema: future (27) and spread (29)
/// definitions, 32 levels with orders, 42 trades and a bust, 35 statistics.
fn e7_stream(schema: &Schema) -> Stream {
    let mut s = Stream::new("seed-synthetic-e7", false);
    let mut rng = Rng(0x5eed_b00c_0000_0007);
    let one = Layout {
        version: 9,
        block_delta: 0,
        entries: 1,
        trailing: 0,
    };
    let mut msg = |id: u16, root: &[(&str, Vec<u8>)], entries: &[(&str, &str, Vec<u8>)]| {
        let def = schema.message(id).expect("template in the v9 schema");
        cme_synth::message(schema, def, one, root, entries, &mut rng)
    };
    let feeds = |depth: u8| {
        vec![
            ("NoMDFeedTypes", "MDFeedType", b"GBX".to_vec()),
            ("NoMDFeedTypes", "MarketDepth", vec![depth]),
            ("NoEvents", "EventTime", b(T0, u64::to_le_bytes)),
        ]
    };
    let mut future = definition_e7_root(17, b"GQH7", b'A');
    future.push(("SettlCurrency", b"USD".to_vec()));
    future.push(("UnitOfMeasureQty", b(100_000_000i64, i64::to_le_bytes)));
    future.push(("ContractMultiplier", b(10i32, i32::to_le_bytes)));
    let future = msg(27, &future, &feeds(5));
    let mut spread = definition_e7_root(19, b"GQH7-GQM7", b'A');
    spread.push(("PriceRatio", i64::MAX.to_le_bytes().to_vec()));
    let mut spread_entries = feeds(3);
    spread_entries.push(("NoLegs", "LegSecurityID", b(17i32, i32::to_le_bytes)));
    spread_entries.push(("NoLegs", "LegSide", vec![1]));
    spread_entries.push(("NoLegs", "LegRatioQty", vec![1]));
    spread_entries.push(("NoLegs", "LegPrice", i64::MAX.to_le_bytes().to_vec()));
    let spread = msg(29, &spread, &spread_entries);
    let level32 = |rpt: u32, t: u8, action: u8, level: u8, ticks: i64, qty: i32, order: u64| {
        let root = [
            ("TransactTime", b(T0, u64::to_le_bytes)),
            ("MatchEventIndicator", vec![QUOTE_END]),
        ];
        let entries = [
            ("NoMDEntries", "MDEntryPx", px7(ticks)),
            ("NoMDEntries", "MDEntrySize", b(qty, i32::to_le_bytes)),
            ("NoMDEntries", "SecurityID", b(17i32, i32::to_le_bytes)),
            ("NoMDEntries", "RptSeq", b(rpt, u32::to_le_bytes)),
            ("NoMDEntries", "NumberOfOrders", b(1i32, i32::to_le_bytes)),
            ("NoMDEntries", "MDPriceLevel", vec![level]),
            ("NoMDEntries", "MDUpdateAction", vec![action]),
            ("NoMDEntries", "MDEntryType", vec![t]),
            ("NoOrderIDEntries", "OrderID", b(order, u64::to_le_bytes)),
            (
                "NoOrderIDEntries",
                "MDOrderPriority",
                b(order, u64::to_le_bytes),
            ),
            ("NoOrderIDEntries", "MDDisplayQty", b(qty, i32::to_le_bytes)),
            ("NoOrderIDEntries", "ReferenceID", vec![1]),
            ("NoOrderIDEntries", "OrderUpdateAction", vec![action.min(2)]),
        ];
        (root, entries)
    };
    let trade42 = |rpt: u32, action: u8, id: u32| {
        let root = [
            ("TransactTime", b(T0, u64::to_le_bytes)),
            ("MatchEventIndicator", vec![END | 1]),
        ];
        let entries = [
            ("NoMDEntries", "MDEntryPx", px7(1)),
            ("NoMDEntries", "MDEntrySize", b(1i32, i32::to_le_bytes)),
            ("NoMDEntries", "SecurityID", b(17i32, i32::to_le_bytes)),
            ("NoMDEntries", "RptSeq", b(rpt, u32::to_le_bytes)),
            ("NoMDEntries", "NumberOfOrders", b(2i32, i32::to_le_bytes)),
            ("NoMDEntries", "AggressorSide", vec![2]),
            ("NoMDEntries", "MDUpdateAction", vec![action]),
            ("NoMDEntries", "MDTradeEntryID", b(id, u32::to_le_bytes)),
            ("NoOrderIDEntries", "OrderID", b(1u64, u64::to_le_bytes)),
            ("NoOrderIDEntries", "LastQty", b(1i32, i32::to_le_bytes)),
        ];
        (root, entries)
    };
    let stat35 = |rpt: u32, t: u8, flag: u8, action: u8| {
        let root = [
            ("TransactTime", b(T0, u64::to_le_bytes)),
            ("MatchEventIndicator", vec![END]),
        ];
        let entries = [
            ("NoMDEntries", "MDEntryPx", px7(2)),
            ("NoMDEntries", "SecurityID", b(17i32, i32::to_le_bytes)),
            ("NoMDEntries", "RptSeq", b(rpt, u32::to_le_bytes)),
            ("NoMDEntries", "OpenCloseSettlFlag", vec![flag]),
            ("NoMDEntries", "MDUpdateAction", vec![action]),
            ("NoMDEntries", "MDEntryType", vec![t]),
            ("NoMDEntries", "MDEntrySize", b(NULL_I32, i32::to_le_bytes)),
        ];
        (root, entries)
    };
    let mut e7 = Vec::new();
    for (rpt, t, action, level, ticks, qty, order) in [
        (1, b'0', 0, 1, 0, 3, 71),
        (2, b'1', 0, 1, 1, 2, 72),
        (3, b'0', 1, 1, 0, 5, 71),
        (4, b'1', 2, 1, 1, 2, 72),
    ] {
        let (root, entries) = level32(rpt, t, action, level, ticks, qty, order);
        e7.push(msg(32, &root, &entries));
    }
    let (root, entries) = trade42(5, 0, 700);
    e7.push(msg(42, &root, &entries));
    let (root, entries) = trade42(6, 2, 700);
    e7.push(msg(42, &root, &entries));
    for (rpt, t, flag, action) in [(7, b'4', 5, 0), (8, b'7', 255, 0), (9, b'8', 255, 0)] {
        let (root, entries) = stat35(rpt, t, flag, action);
        e7.push(msg(35, &root, &entries));
    }
    s.push(Feed::Definition, &[future, spread]);
    for m in e7 {
        s.incremental(&[m]);
    }
    s
}

/// Every synthetic stream; the −7 one only with the schema (from
/// `../shared`, which holds no market data).
pub fn streams(schema: Option<&Schema>) -> Vec<Stream> {
    let mut out = vec![book_stream(), market_stream(), irregular_stream()];
    out.extend(schema.map(e7_stream));
    out
}
