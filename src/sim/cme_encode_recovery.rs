//! The encoder's snapshot (52, 53) and definition (54) messages; see
//! [`cme_encode`](super::cme_encode), which re-exports them.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use fixgate_core::md::cme::{
    FeedTypeEntry, Future54Root, SnapshotFullRefresh52Entry, SnapshotFullRefresh52Root,
    SnapshotFullRefreshOrderBook53Entry, SnapshotFullRefreshOrderBook53Root,
};

use super::cme_encode::{put, Message, NULL_I32, NULL_PX};

/// One entry of 52: (entry type, level, price, size, orders).
pub type SnapLevel = (u8, i8, i64, i32, i32);

/// Template 52.
pub fn snapshot52(
    transact_ns: u64,
    security_id: i32,
    rpt_seq: u32,
    last_msg_seq: u32,
    status: u8,
    limits: (i64, i64, i64),
    entries: &[SnapLevel],
) -> Vec<u8> {
    let mut r = vec![0; 59];
    put(
        &mut r,
        SnapshotFullRefresh52Root::LAST_MSG_SEQ_NUM_PROCESSED,
        &last_msg_seq.to_le_bytes(),
    );
    put(
        &mut r,
        SnapshotFullRefresh52Root::TOT_NUM_REPORTS,
        &1u32.to_le_bytes(),
    );
    put(
        &mut r,
        SnapshotFullRefresh52Root::SECURITY_ID,
        &security_id.to_le_bytes(),
    );
    put(
        &mut r,
        SnapshotFullRefresh52Root::RPT_SEQ,
        &rpt_seq.to_le_bytes(),
    );
    put(
        &mut r,
        SnapshotFullRefresh52Root::TRANSACT_TIME,
        &transact_ns.to_le_bytes(),
    );
    put(
        &mut r,
        SnapshotFullRefresh52Root::LAST_UPDATE_TIME,
        &transact_ns.to_le_bytes(),
    );
    put(
        &mut r,
        SnapshotFullRefresh52Root::TRADE_DATE,
        &u16::MAX.to_le_bytes(),
    );
    r[SnapshotFullRefresh52Root::MD_SECURITY_TRADING_STATUS] = status;
    put(
        &mut r,
        SnapshotFullRefresh52Root::HIGH_LIMIT_PRICE,
        &limits.0.to_le_bytes(),
    );
    put(
        &mut r,
        SnapshotFullRefresh52Root::LOW_LIMIT_PRICE,
        &limits.1.to_le_bytes(),
    );
    put(
        &mut r,
        SnapshotFullRefresh52Root::MAX_PRICE_VARIATION,
        &limits.2.to_le_bytes(),
    );
    let es = entries
        .iter()
        .map(|(t, level, px, size, orders)| {
            let mut e = vec![0; 22];
            put(
                &mut e,
                SnapshotFullRefresh52Entry::MD_ENTRY_PX,
                &px.to_le_bytes(),
            );
            put(
                &mut e,
                SnapshotFullRefresh52Entry::MD_ENTRY_SIZE,
                &size.to_le_bytes(),
            );
            put(
                &mut e,
                SnapshotFullRefresh52Entry::NUMBER_OF_ORDERS,
                &orders.to_le_bytes(),
            );
            e[SnapshotFullRefresh52Entry::MD_PRICE_LEVEL] = *level as u8;
            put(
                &mut e,
                SnapshotFullRefresh52Entry::TRADING_REFERENCE_DATE,
                &u16::MAX.to_le_bytes(),
            );
            e[SnapshotFullRefresh52Entry::OPEN_CLOSE_SETTL_FLAG] = 255;
            e[SnapshotFullRefresh52Entry::MD_ENTRY_TYPE] = *t;
            e
        })
        .collect();
    Message {
        template: 52,
        version: 9,
        root: r,
        groups: vec![(false, 22, es)],
    }
    .encode()
}

/// Template 53: one chunk of orders (order id, priority, price, qty, type).
pub fn snapshot53(
    transact_ns: u64,
    security_id: i32,
    chunk: u32,
    chunks: u32,
    orders: &[(u64, u64, i64, i32, u8)],
) -> Vec<u8> {
    let mut r = vec![0; 28];
    put(
        &mut r,
        SnapshotFullRefreshOrderBook53Root::TOT_NUM_REPORTS,
        &1u32.to_le_bytes(),
    );
    put(
        &mut r,
        SnapshotFullRefreshOrderBook53Root::SECURITY_ID,
        &security_id.to_le_bytes(),
    );
    put(
        &mut r,
        SnapshotFullRefreshOrderBook53Root::NO_CHUNKS,
        &chunks.to_le_bytes(),
    );
    put(
        &mut r,
        SnapshotFullRefreshOrderBook53Root::CURRENT_CHUNK,
        &chunk.to_le_bytes(),
    );
    put(
        &mut r,
        SnapshotFullRefreshOrderBook53Root::TRANSACT_TIME,
        &transact_ns.to_le_bytes(),
    );
    let es = orders
        .iter()
        .map(|(id, prio, px, qty, t)| {
            let mut e = vec![0; 29];
            put(
                &mut e,
                SnapshotFullRefreshOrderBook53Entry::ORDER_ID,
                &id.to_le_bytes(),
            );
            put(
                &mut e,
                SnapshotFullRefreshOrderBook53Entry::MD_ORDER_PRIORITY,
                &prio.to_le_bytes(),
            );
            put(
                &mut e,
                SnapshotFullRefreshOrderBook53Entry::MD_ENTRY_PX,
                &px.to_le_bytes(),
            );
            put(
                &mut e,
                SnapshotFullRefreshOrderBook53Entry::MD_DISPLAY_QTY,
                &qty.to_le_bytes(),
            );
            e[SnapshotFullRefreshOrderBook53Entry::MD_ENTRY_TYPE] = *t;
            e
        })
        .collect();
    Message {
        template: 53,
        version: 9,
        root: r,
        groups: vec![(false, 29, es)],
    }
    .encode()
}

/// A future definition (54) with an outright depth and an implied depth
/// (`GBX`, `GBI`), tick and display factor in 1e-9.
pub fn definition54(
    security_id: i32,
    symbol: &[u8],
    group: &[u8],
    action: u8,
    depth: (i8, i8),
    tick_e9: i64,
    display_factor_e9: i64,
) -> Vec<u8> {
    let mut r = vec![0; 216];
    r[Future54Root::MATCH_EVENT_INDICATOR] = 0;
    put(&mut r, Future54Root::TOT_NUM_REPORTS, &1u32.to_le_bytes());
    r[Future54Root::SECURITY_UPDATE_ACTION] = action;
    put(
        &mut r,
        Future54Root::LAST_UPDATE_TIME,
        &1_700_000_000_000_000_000u64.to_le_bytes(),
    );
    r[Future54Root::MD_SECURITY_TRADING_STATUS] = 17;
    put(&mut r, Future54Root::APPL_ID, &310i16.to_le_bytes());
    put(&mut r, Future54Root::SECURITY_EXCHANGE, b"XCME");
    put(&mut r, Future54Root::SECURITY_GROUP, group);
    put(&mut r, Future54Root::ASSET, group);
    put(&mut r, Future54Root::SYMBOL, symbol);
    put(
        &mut r,
        Future54Root::SECURITY_ID,
        &security_id.to_le_bytes(),
    );
    put(&mut r, Future54Root::SECURITY_TYPE, b"FUT");
    put(&mut r, Future54Root::CURRENCY, b"USD");
    put(&mut r, Future54Root::SETTL_CURRENCY, b"USD");
    put(
        &mut r,
        Future54Root::MIN_PRICE_INCREMENT,
        &tick_e9.to_le_bytes(),
    );
    put(
        &mut r,
        Future54Root::DISPLAY_FACTOR,
        &display_factor_e9.to_le_bytes(),
    );
    r[Future54Root::MAIN_FRACTION] = 255;
    r[Future54Root::SUB_FRACTION] = 255;
    r[Future54Root::PRICE_DISPLAY_FORMAT] = 255;
    put(&mut r, Future54Root::UNIT_OF_MEASURE, b"IPNT");
    put(
        &mut r,
        Future54Root::UNIT_OF_MEASURE_QTY,
        &50_000_000_000i64.to_le_bytes(),
    );
    put(
        &mut r,
        Future54Root::TRADING_REFERENCE_PRICE,
        &NULL_PX.to_le_bytes(),
    );
    put(
        &mut r,
        Future54Root::OPEN_INTEREST_QTY,
        &NULL_I32.to_le_bytes(),
    );
    put(
        &mut r,
        Future54Root::CLEARED_VOLUME,
        &NULL_I32.to_le_bytes(),
    );
    put(
        &mut r,
        Future54Root::HIGH_LIMIT_PRICE,
        &NULL_PX.to_le_bytes(),
    );
    put(
        &mut r,
        Future54Root::LOW_LIMIT_PRICE,
        &NULL_PX.to_le_bytes(),
    );
    put(
        &mut r,
        Future54Root::MAX_PRICE_VARIATION,
        &NULL_PX.to_le_bytes(),
    );
    put(
        &mut r,
        Future54Root::DECAY_QUANTITY,
        &NULL_I32.to_le_bytes(),
    );
    put(
        &mut r,
        Future54Root::DECAY_START_DATE,
        &u16::MAX.to_le_bytes(),
    );
    put(
        &mut r,
        Future54Root::ORIGINAL_CONTRACT_SIZE,
        &NULL_I32.to_le_bytes(),
    );
    put(
        &mut r,
        Future54Root::CONTRACT_MULTIPLIER,
        &50i32.to_le_bytes(),
    );
    r[Future54Root::CONTRACT_MULTIPLIER_UNIT] = 127;
    r[Future54Root::FLOW_SCHEDULE_TYPE] = 127;
    put(
        &mut r,
        Future54Root::MIN_PRICE_INCREMENT_AMOUNT,
        &NULL_PX.to_le_bytes(),
    );
    r[Future54Root::USER_DEFINED_INSTRUMENT] = b'N';
    put(
        &mut r,
        Future54Root::TRADING_REFERENCE_DATE,
        &u16::MAX.to_le_bytes(),
    );
    let mut feeds = Vec::new();
    for (name, d) in [(b"GBX", depth.0), (b"GBI", depth.1)] {
        if d > 0 {
            let mut e = vec![0; 4];
            put(&mut e, FeedTypeEntry::MD_FEED_TYPE, name);
            e[FeedTypeEntry::MARKET_DEPTH] = d as u8;
            feeds.push(e);
        }
    }
    Message {
        template: 54,
        version: 9,
        root: r,
        groups: vec![
            (false, 9, vec![]),
            (false, 4, feeds),
            (false, 4, vec![]),
            (false, 5, vec![]),
        ],
    }
    .encode()
}
