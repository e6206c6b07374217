//! One test per action and error class of the MBP book.

use super::*;

fn px(units: i64) -> Price {
    Price::from_e9(units * 1_000_000_000)
}

fn op(side: Side, action: MbpAction, level: u8, price: i64, qty: u32) -> MbpOp {
    MbpOp {
        side,
        action,
        level,
        price_e9: if price == i64::MAX {
            Price::NULL
        } else {
            px(price)
        },
        qty: Qty::from_lots(qty),
        order_count: qty / 10,
    }
}

/// Applies and returns the reported changes as `(action, level, price units, qty)`.
fn apply(book: &mut MbpBook, o: MbpOp) -> Result<Vec<(Action, u8, i64, u32)>, MbpError> {
    let mut out = Vec::new();
    book.apply(&o, |c| {
        assert_eq!(c.side, o.side);
        let units = if c.price_e9.is_null() {
            -1
        } else {
            c.price_e9.e9() / 1_000_000_000
        };
        out.push((c.action, c.level, units, c.qty.lots()))
    })?;
    Ok(out)
}

fn prices(side: &MbpSide) -> Vec<i64> {
    side.levels()
        .iter()
        .map(|l| l.price_e9.e9() / 1_000_000_000)
        .collect()
}

/// A bid side 100, 99, 98 and an ask side 101, 102 in a book of depth 4.
fn book() -> MbpBook {
    let mut b = MbpBook::with_capacity(4);
    for (l, p) in [(1, 100), (2, 99), (3, 98)] {
        apply(&mut b, op(Side::Bid, MbpAction::New, l, p, 10)).unwrap();
    }
    for (l, p) in [(1, 101), (2, 102)] {
        apply(&mut b, op(Side::Ask, MbpAction::New, l, p, 10)).unwrap();
    }
    b
}

use Action::{Add, Cancel, Clear, Modify};

#[test]
fn new_inserts_and_shifts_lower_levels_down() {
    let mut b = MbpBook::with_capacity(4);
    for (l, p) in [(1, 100), (2, 98), (3, 96)] {
        apply(&mut b, op(Side::Bid, MbpAction::New, l, p, 10)).unwrap();
    }
    let c = apply(&mut b, op(Side::Bid, MbpAction::New, 2, 99, 7)).unwrap();
    assert_eq!(c, [(Add, 2, 99, 7)]);
    assert_eq!(prices(b.bids()), [100, 99, 98, 96]);
    let qtys: Vec<u32> = b.bids().levels().iter().map(|l| l.qty.lots()).collect();
    assert_eq!(
        qtys,
        [10, 7, 10, 10],
        "lower levels keep their state, one level down"
    );
    // Appending below the last level.
    let mut b = book();
    let c = apply(&mut b, op(Side::Bid, MbpAction::New, 4, 97, 1)).unwrap();
    assert_eq!(c, [(Add, 4, 97, 1)]);
}

#[test]
fn new_at_top_shifts_every_level() {
    let mut b = MbpBook::with_capacity(4);
    apply(&mut b, op(Side::Ask, MbpAction::New, 1, 105, 1)).unwrap();
    apply(&mut b, op(Side::Ask, MbpAction::New, 2, 107, 2)).unwrap();
    let c = apply(&mut b, op(Side::Ask, MbpAction::New, 1, 103, 3)).unwrap();
    assert_eq!(c, [(Add, 1, 103, 3)]);
    assert_eq!(prices(b.asks()), [103, 105, 107]);
    let c = apply(&mut b, op(Side::Ask, MbpAction::New, 3, 106, 4)).unwrap();
    assert_eq!(c, [(Add, 3, 106, 4)]);
    assert_eq!(prices(b.asks()), [103, 105, 106, 107]);
    assert_eq!(b.asks().levels()[3].qty, Qty::from_lots(2));
    assert!(!b.is_suspect());
}

#[test]
fn new_on_a_full_side_truncates_past_depth() {
    let mut b = book();
    apply(&mut b, op(Side::Bid, MbpAction::New, 4, 97, 10)).unwrap();
    assert_eq!(prices(b.bids()), [100, 99, 98, 97]);
    // A new best bid pushes 97 out of the 4-deep book.
    let c = apply(&mut b, op(Side::Bid, MbpAction::New, 1, 103, 1)).unwrap();
    assert_eq!(c, [(Cancel, 4, 97, 0), (Add, 1, 103, 1)]);
    assert_eq!(prices(b.bids()), [103, 100, 99, 98]);
    // New at the last level replaces the level that falls out.
    let c = apply(&mut b, op(Side::Bid, MbpAction::New, 4, 98, 1));
    assert!(
        matches!(c, Err(MbpError::OutOfOrder { .. })),
        "98 is already there"
    );
    let mut b = book();
    apply(&mut b, op(Side::Bid, MbpAction::New, 4, 96, 10)).unwrap();
    let c = apply(&mut b, op(Side::Bid, MbpAction::New, 4, 97, 2)).unwrap();
    assert_eq!(c, [(Cancel, 4, 96, 0), (Add, 4, 97, 2)]);
    assert_eq!(prices(b.bids()), [100, 99, 98, 97]);
    assert_eq!(b.bids().len(), 4);
}

#[test]
fn new_refuses_gaps_depth_and_disorder() {
    let mut b = book();
    let before = b.clone();
    for (level, price) in [(0, 90), (5, 90), (5, 10)] {
        assert!(matches!(
            apply(&mut b, op(Side::Bid, MbpAction::New, level, price, 1)),
            Err(MbpError::LevelOutOfRange { .. })
        ));
    }
    // Asks have 2 levels: level 4 would leave a hole at 3.
    assert_eq!(
        apply(&mut b, op(Side::Ask, MbpAction::New, 4, 110, 1)),
        Err(MbpError::LevelOutOfRange {
            side: Side::Ask,
            action: MbpAction::New,
            level: 4,
            len: 2,
            depth: 4
        })
    );
    // 101 at bid level 1 is fine (it would cross the ask, which the book does not
    // police); 99 at level 1 is below the level it would sit on.
    assert_eq!(
        apply(&mut b, op(Side::Bid, MbpAction::New, 1, 99, 1)),
        Err(MbpError::OutOfOrder {
            side: Side::Bid,
            level: 1,
            price_e9: px(99)
        })
    );
    assert!(matches!(
        apply(&mut b, op(Side::Ask, MbpAction::New, 2, 101, 1)),
        Err(MbpError::OutOfOrder { .. })
    ));
    assert!(matches!(
        apply(&mut b, op(Side::Ask, MbpAction::New, 1, i64::MAX, 1)),
        Err(MbpError::NullValue { .. })
    ));
    let mut null_qty = op(Side::Ask, MbpAction::New, 1, 100, 1);
    null_qty.qty = Qty::NULL;
    assert!(matches!(
        apply(&mut b, null_qty),
        Err(MbpError::NullValue { .. })
    ));
    assert_eq!(
        apply(&mut b, op(Side::None, MbpAction::New, 1, 100, 1)),
        Err(MbpError::NoSide)
    );
    assert!(b.is_suspect());
    b.mark_good();
    assert_eq!(b, before, "refused updates leave the book as it was");
}

#[test]
fn change_same_price_replaces_the_level() {
    let mut b = book();
    let c = apply(&mut b, op(Side::Bid, MbpAction::Change, 2, 99, 55)).unwrap();
    assert_eq!(c, [(Modify, 2, 99, 55)]);
    assert_eq!(
        b.bids().levels()[1],
        Level {
            price_e9: px(99),
            qty: Qty::from_lots(55),
            order_count: 5
        }
    );
    assert!(matches!(
        apply(&mut b, op(Side::Bid, MbpAction::Change, 4, 97, 1)),
        Err(MbpError::LevelOutOfRange { len: 3, .. })
    ));
}

#[test]
fn change_with_another_price_is_delete_then_insert() {
    let mut b = MbpBook::with_capacity(4);
    for (l, p) in [(1, 100), (2, 98), (3, 96)] {
        apply(&mut b, op(Side::Bid, MbpAction::New, l, p, 10)).unwrap();
    }
    let c = apply(&mut b, op(Side::Bid, MbpAction::Change, 2, 97, 3)).unwrap();
    assert_eq!(c, [(Cancel, 2, 98, 0), (Add, 2, 97, 3)]);
    assert_eq!(prices(b.bids()), [100, 97, 96]);
    // Moving past a neighbour is not a change of this level.
    assert!(matches!(
        apply(&mut b, op(Side::Bid, MbpAction::Change, 2, 101, 3)),
        Err(MbpError::OutOfOrder { .. })
    ));
    assert_eq!(prices(b.bids()), [100, 97, 96]);
}

#[test]
fn delete_removes_and_shifts_lower_levels_up() {
    let mut b = book();
    let c = apply(&mut b, op(Side::Bid, MbpAction::Delete, 1, 100, 0)).unwrap();
    assert_eq!(c, [(Cancel, 1, 100, 0)]);
    assert_eq!(prices(b.bids()), [99, 98]);
    // A null price deletes by level alone.
    let c = apply(&mut b, op(Side::Bid, MbpAction::Delete, 2, i64::MAX, 0)).unwrap();
    assert_eq!(c, [(Cancel, 2, 98, 0)]);
    assert_eq!(
        apply(&mut b, op(Side::Bid, MbpAction::Delete, 1, 50, 0)),
        Err(MbpError::PriceMismatch {
            side: Side::Bid,
            level: 1,
            book_e9: px(99),
            got_e9: px(50)
        })
    );
    assert!(matches!(
        apply(&mut b, op(Side::Bid, MbpAction::Delete, 2, 99, 0)),
        Err(MbpError::LevelOutOfRange { len: 1, .. })
    ));
    assert_eq!(prices(b.bids()), [99]);
}

#[test]
fn delete_thru_clears_the_whole_side() {
    let mut b = book();
    let c = apply(&mut b, op(Side::Bid, MbpAction::DeleteThru, 1, i64::MAX, 0)).unwrap();
    assert_eq!(c, [(Clear, 0, -1, 0)]);
    assert!(b.bids().is_empty());
    assert_eq!(prices(b.asks()), [101, 102], "the other side stays");
    // The level is ignored, and an empty side clears again.
    assert!(apply(&mut b, op(Side::Bid, MbpAction::DeleteThru, 0, 0, 0)).is_ok());
}

#[test]
fn delete_from_removes_the_top_levels() {
    let mut b = book();
    let c = apply(&mut b, op(Side::Bid, MbpAction::DeleteFrom, 2, i64::MAX, 0)).unwrap();
    assert_eq!(c, [(Cancel, 1, 100, 0), (Cancel, 1, 99, 0)]);
    assert_eq!(prices(b.bids()), [98]);
    // Past the levels present (but within depth): removes what there is.
    let c = apply(&mut b, op(Side::Ask, MbpAction::DeleteFrom, 4, i64::MAX, 0)).unwrap();
    assert_eq!(c, [(Cancel, 1, 101, 0), (Cancel, 1, 102, 0)]);
    assert!(b.asks().is_empty());
    assert!(matches!(
        apply(&mut b, op(Side::Bid, MbpAction::DeleteFrom, 5, 0, 0)),
        Err(MbpError::LevelOutOfRange { depth: 4, .. })
    ));
    assert!(matches!(
        apply(&mut b, op(Side::Bid, MbpAction::DeleteFrom, 0, 0, 0)),
        Err(MbpError::LevelOutOfRange { .. })
    ));
}

#[test]
fn overlay_replaces_whatever_the_price() {
    let mut b = book();
    let c = apply(&mut b, op(Side::Ask, MbpAction::Overlay, 2, 104, 9)).unwrap();
    assert_eq!(c, [(Cancel, 2, 102, 0), (Add, 2, 104, 9)]);
    let c = apply(&mut b, op(Side::Ask, MbpAction::Overlay, 2, 104, 8)).unwrap();
    assert_eq!(c, [(Modify, 2, 104, 8)]);
    // Overlaying the level after the last appends.
    let c = apply(&mut b, op(Side::Ask, MbpAction::Overlay, 3, 105, 1)).unwrap();
    assert_eq!(c, [(Add, 3, 105, 1)]);
    assert_eq!(prices(b.asks()), [101, 104, 105]);
    assert!(matches!(
        apply(&mut b, op(Side::Ask, MbpAction::Overlay, 5, 110, 1)),
        Err(MbpError::LevelOutOfRange { .. })
    ));
    assert!(matches!(
        apply(&mut b, op(Side::Ask, MbpAction::Overlay, 1, 104, 1)),
        Err(MbpError::OutOfOrder { .. })
    ));
}

#[test]
fn depth_changes_truncate_and_clear_resets() {
    let mut b = book();
    let mut dropped = Vec::new();
    b.set_depth(2, |c| dropped.push((c.side, c.level, c.action)));
    assert_eq!(dropped, [(Side::Bid, 3, Cancel)]);
    assert_eq!(prices(b.bids()), [100, 99]);
    b.set_depth(9, |_| unreachable!("growing drops nothing"));
    assert_eq!(b.depth(), 4, "clamped to the capacity");
    b.mark_suspect();
    b.clear();
    assert!(b.is_empty() && !b.is_suspect());
}

#[test]
fn fix_action_codes() {
    let all = [
        MbpAction::New,
        MbpAction::Change,
        MbpAction::Delete,
        MbpAction::DeleteThru,
        MbpAction::DeleteFrom,
        MbpAction::Overlay,
    ];
    for (code, action) in all.into_iter().enumerate() {
        assert_eq!(MbpAction::from_fix(code as u8), Some(action));
    }
    assert_eq!(MbpAction::from_fix(6), None);
}

#[test]
fn a_zero_depth_book_refuses_every_level() {
    let mut b = MbpBook::with_capacity(2);
    b.set_depth(0, |_| {});
    assert!(matches!(
        apply(&mut b, op(Side::Bid, MbpAction::New, 1, 100, 1)),
        Err(MbpError::LevelOutOfRange { depth: 0, .. })
    ));
    assert!(matches!(
        apply(&mut b, op(Side::Bid, MbpAction::Overlay, 1, 100, 1)),
        Err(MbpError::LevelOutOfRange { depth: 0, .. })
    ));
}
