//! Hand-made packets of every template the CME adapter maps, for the fuzz
//! seeds, the no-allocation proof and anything else that must run without
//! `../shared`.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use fixgate_core::normalize::cme::Feed;

use super::cme_encode::*;

const T0: u64 = 1_700_000_000_000_000_000;

/// Hand-made packets of every template the adapter maps (definitions,
/// 46 with an order, 47, 48, 37, 51, 49, 50, 30, 52, 53, 4): no `../shared` needed.
pub fn hand_made() -> Vec<(Feed, Vec<u8>)> {
    let lvl = |id, rpt, t, a, l, px: i64, size| Level {
        security_id: id,
        rpt_seq: rpt,
        entry_type: t,
        action: a,
        level: l,
        px_e9: px,
        size,
        orders: 1,
    };
    let defs = packet(
        1,
        T0,
        &[
            definition54(7, b"GPUH7", b"GP", b'A', (5, 2), 1_000_000, 1_000_000_000),
            definition54(8, b"GPUM7", b"GP", b'A', (3, 0), 1_000_000, 1_000_000_000),
        ],
    );
    let book = packet(
        1,
        T0,
        &[
            book46(
                T0,
                0x84,
                &[
                    lvl(7, 1, b'0', 0, 1, 2_000_000_000, 5),
                    lvl(7, 2, b'1', 0, 1, 2_010_000_000, 4),
                    lvl(7, 3, b'E', 0, 1, 1_999_000_000, 1),
                ],
                &[RefOrder {
                    order_id: 1,
                    priority: 1,
                    display_qty: 5,
                    reference_id: 1,
                    action: 0,
                }],
            ),
            order_book47(
                T0,
                0x80,
                &[Order {
                    security_id: 8,
                    order_id: 2,
                    priority: 2,
                    px_e9: 2_000_000_000,
                    display_qty: 1,
                    action: 0,
                    entry_type: b'1',
                }],
            ),
        ],
    );
    let market = packet(
        2,
        T0,
        &[
            trade48(
                T0,
                0x01,
                &[Trade {
                    security_id: 7,
                    rpt_seq: 4,
                    px_e9: 2_000_000_000,
                    size: 1,
                    orders: 1,
                    aggressor: 1,
                    action: 0,
                    trade_id: 9,
                }],
                &[(1, 1)],
            ),
            volume37(T0, 0x02, &[(7, 5, 10)]),
            session_stats51(
                T0,
                0,
                &[Stat {
                    security_id: 7,
                    rpt_seq: 6,
                    entry_type: b'7',
                    action: 0,
                    px_e9: 2_000_000_000,
                    size: NULL_I32,
                    flag: 255,
                }],
            ),
            daily_stats49(
                T0,
                0,
                &[Stat {
                    security_id: 7,
                    rpt_seq: 7,
                    entry_type: b'6',
                    action: 0,
                    px_e9: 2_000_000_000,
                    size: NULL_I32,
                    flag: 3,
                }],
            ),
            limits50(T0, 0, &[(7, 8, 3_000_000_000, 1_000_000_000, NULL_PX)]),
            status30(T0, 0x80, b"GP", b"", None, 2, 1, 4),
        ],
    );
    let recovery = packet(
        1,
        T0,
        &[
            snapshot52(
                T0,
                7,
                20,
                2,
                17,
                (NULL_PX, NULL_PX, NULL_PX),
                &[
                    (b'0', 1, 2_000_000_000, 3, 1),
                    (b'F', 1, 2_005_000_000, 1, 0),
                ],
            ),
            snapshot53(T0, 8, 1, 1, &[(3, 1, 2_001_000_000, 2, b'1')]),
        ],
    );
    let reset = packet(3, T0, &[channel_reset4(T0, 310)]);
    vec![
        (Feed::Definition, defs),
        (Feed::Incremental, book),
        (Feed::Incremental, market),
        (Feed::Recovery, recovery),
        (Feed::Incremental, reset),
    ]
}
