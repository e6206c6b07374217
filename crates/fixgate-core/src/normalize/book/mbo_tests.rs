//! The MBO book: each action, each error, the aggregates, and a property test
//! against a `BTreeMap` of orders.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;

const ES: InstrumentId = InstrumentId(11);
const NQ: InstrumentId = InstrumentId(12);

fn px(units: i64) -> Price {
    Price::from_e9(units * 1_000_000_000)
}

fn op(id: u64, action: OrderAction, side: Side, price: i64, qty: u32, priority: u64) -> OrderOp {
    OrderOp {
        instrument: ES,
        order_id: OrderId(id),
        side,
        price_e9: px(price),
        qty: Qty::from_lots(qty),
        priority,
        action,
    }
}

/// The order ids resting at a price, in queue (priority) order.
fn queue(book: &MboBook, side: Side, price: i64) -> Vec<u64> {
    let mut q: Vec<&OrderState> = book
        .orders()
        .filter(|o| o.instrument == ES && o.side == side && o.price_e9 == px(price))
        .collect();
    q.sort_by_key(|o| o.priority);
    q.iter().map(|o| o.order_id.get()).collect()
}

#[test]
fn add_modify_delete_with_resulting_state() {
    let mut b = MboBook::with_capacity(8);
    let c = b
        .apply(&op(1, OrderAction::New, Side::Bid, 100, 5, 10))
        .unwrap();
    assert_eq!(c.action, Action::Add);
    assert_eq!(c.state.qty, Qty::from_lots(5));
    b.apply(&op(2, OrderAction::New, Side::Bid, 100, 3, 11))
        .unwrap();
    b.apply(&op(3, OrderAction::New, Side::Ask, 101, 4, 12))
        .unwrap();
    assert_eq!(
        b.level(ES, Side::Bid, px(100)),
        Some(LevelAgg {
            qty: 8,
            order_count: 2
        })
    );

    // A partial fill: quantity down, same priority.
    let c = b
        .apply(&op(1, OrderAction::Update, Side::Bid, 100, 2, 10))
        .unwrap();
    assert_eq!(c.action, Action::Modify);
    assert_eq!(b.get(ES, OrderId(1)).unwrap().qty, Qty::from_lots(2));
    assert_eq!(b.level(ES, Side::Bid, px(100)).unwrap().qty, 5);

    // A price change moves the order between levels.
    b.apply(&op(2, OrderAction::Update, Side::Bid, 99, 3, 20))
        .unwrap();
    assert_eq!(
        b.level(ES, Side::Bid, px(100)),
        Some(LevelAgg {
            qty: 2,
            order_count: 1
        })
    );
    assert_eq!(b.level(ES, Side::Bid, px(99)).unwrap().order_count, 1);

    let c = b
        .apply(&op(1, OrderAction::Delete, Side::None, 0, 0, 0))
        .unwrap();
    assert_eq!(c.action, Action::Cancel);
    assert_eq!(c.state.qty, Qty::ZERO);
    assert_eq!(
        c.state.price_e9,
        px(100),
        "a cancel reports where the order was"
    );
    assert_eq!(
        b.level(ES, Side::Bid, px(100)),
        None,
        "an emptied level is gone"
    );
    assert_eq!(b.len(), 2);
    assert_eq!(b.best(ES, Side::Bid).map(|(p, _)| p), Some(px(99)));
    assert_eq!(b.best(ES, Side::Ask).map(|(p, _)| p), Some(px(101)));
    assert_eq!(b.best(NQ, Side::Ask), None);
}

#[test]
fn priority_orders_the_queue_and_updates_requeue() {
    let mut b = MboBook::with_capacity(8);
    b.apply(&op(7, OrderAction::New, Side::Ask, 101, 1, 300))
        .unwrap();
    b.apply(&op(5, OrderAction::New, Side::Ask, 101, 1, 100))
        .unwrap();
    b.apply(&op(6, OrderAction::New, Side::Ask, 101, 1, 200))
        .unwrap();
    assert_eq!(queue(&b, Side::Ask, 101), [5, 6, 7]);
    // A size increase loses priority: the venue sends a later priority.
    b.apply(&op(5, OrderAction::Update, Side::Ask, 101, 9, 400))
        .unwrap();
    assert_eq!(queue(&b, Side::Ask, 101), [6, 7, 5]);
    assert_eq!(b.get(ES, OrderId(5)).unwrap().priority, 400);
    assert_eq!(
        b.level(ES, Side::Ask, px(101)),
        Some(LevelAgg {
            qty: 11,
            order_count: 3
        })
    );
}

#[test]
fn refusals_are_typed_and_change_nothing() {
    let mut b = MboBook::with_capacity(2);
    b.apply(&op(1, OrderAction::New, Side::Bid, 100, 5, 1))
        .unwrap();
    let before: Vec<OrderState> = b.orders().copied().collect();
    assert_eq!(
        b.apply(&op(1, OrderAction::New, Side::Bid, 100, 5, 1)),
        Err(MboError::Duplicate {
            instrument: ES,
            order_id: OrderId(1)
        })
    );
    assert_eq!(
        b.apply(&op(9, OrderAction::Delete, Side::Bid, 100, 5, 1)),
        Err(MboError::Unknown {
            instrument: ES,
            order_id: OrderId(9),
            action: OrderAction::Delete
        })
    );
    assert!(matches!(
        b.apply(&op(9, OrderAction::Update, Side::Bid, 100, 5, 1)),
        Err(MboError::Unknown { .. })
    ));
    assert!(matches!(
        b.apply(&op(1, OrderAction::Update, Side::None, 100, 5, 1)),
        Err(MboError::Incomplete { .. })
    ));
    let mut null_px = op(2, OrderAction::New, Side::Bid, 0, 1, 1);
    null_px.price_e9 = Price::NULL;
    assert!(matches!(
        b.apply(&null_px),
        Err(MboError::Incomplete { .. })
    ));
    // The same order id on another instrument is another order.
    let mut other = op(1, OrderAction::New, Side::Ask, 50, 1, 1);
    other.instrument = NQ;
    b.apply(&other).unwrap();
    assert_eq!(
        b.apply(&op(3, OrderAction::New, Side::Bid, 99, 1, 1)),
        Err(MboError::Full {
            capacity: 2,
            instrument: ES,
            order_id: OrderId(3)
        })
    );
    let es: Vec<OrderState> = b.orders().filter(|o| o.instrument == ES).copied().collect();
    assert_eq!(es, before);
}

#[test]
fn clearing_an_instrument_keeps_the_others() {
    let mut b = MboBook::with_capacity(8);
    for id in 1..=3 {
        b.apply(&op(id, OrderAction::New, Side::Bid, 100, 1, id))
            .unwrap();
    }
    let mut nq = op(1, OrderAction::New, Side::Ask, 50, 2, 1);
    nq.instrument = NQ;
    b.apply(&nq).unwrap();
    assert_eq!(b.clear_instrument(ES), 3);
    assert_eq!(b.len(), 1);
    assert_eq!(b.level(ES, Side::Bid, px(100)), None);
    assert_eq!(b.level(NQ, Side::Ask, px(50)).unwrap().qty, 2);
    // Freed slots are reused up to the capacity.
    for id in 10..17 {
        b.apply(&op(id, OrderAction::New, Side::Bid, 100, 1, id))
            .unwrap();
    }
    assert!(matches!(
        b.apply(&op(99, OrderAction::New, Side::Bid, 100, 1, 1)),
        Err(MboError::Full { .. })
    ));
    b.clear();
    assert!(b.is_empty());
    assert_eq!(b.orders().count(), 0);
    b.apply(&op(1, OrderAction::New, Side::Bid, 100, 1, 1))
        .unwrap();
}

#[test]
fn action_codes() {
    assert_eq!(OrderAction::from_code(0), Some(OrderAction::New));
    assert_eq!(OrderAction::from_code(1), Some(OrderAction::Update));
    assert_eq!(OrderAction::from_code(2), Some(OrderAction::Delete));
    assert_eq!(OrderAction::from_code(3), None);
}

proptest! {
    /// Random updates and instrument clears over few ids, prices and two
    /// instruments: the book equals a `BTreeMap` of orders, refuses exactly what
    /// the map says is invalid, clears exactly the instrument's orders (through
    /// its list, whatever order they were added and deleted in), and every level
    /// aggregate is the sum over its orders.
    #[test]
    fn matches_a_map_of_orders(ops in prop::collection::vec(
        (0u8..4, 0u64..12, any::<bool>(), 95i64..105, 0u32..20, any::<u16>(), any::<bool>()), 0..300)
    ) {
        let cap = 8;
        let mut b = MboBook::with_capacity(cap);
        let mut model: BTreeMap<(u32, u64), OrderState> = BTreeMap::new();
        for (action, id, bid, price, qty, prio, nq) in ops {
            if action == 3 {
                let inst = if nq { NQ } else { ES };
                let before = model.len();
                model.retain(|k, _| k.0 != inst.get());
                prop_assert_eq!(b.clear_instrument(inst), before - model.len());
                prop_assert_eq!(b.len(), model.len());
                continue;
            }
            let o = OrderOp {
                instrument: if nq { NQ } else { ES },
                order_id: OrderId(id),
                side: if bid { Side::Bid } else { Side::Ask },
                price_e9: px(price),
                qty: Qty::from_lots(qty),
                priority: u64::from(prio),
                action: OrderAction::from_code(action).unwrap(),
            };
            let key = (o.instrument.get(), id);
            let state = OrderState {
                instrument: o.instrument,
                order_id: o.order_id,
                side: o.side,
                price_e9: o.price_e9,
                qty: o.qty,
                priority: o.priority,
            };
            let valid = match o.action {
                OrderAction::New => !model.contains_key(&key) && model.len() < cap,
                OrderAction::Update | OrderAction::Delete => model.contains_key(&key),
            };
            let r = b.apply(&o);
            prop_assert_eq!(r.is_ok(), valid, "{:?} -> {:?}", o, r);
            if valid {
                match o.action {
                    OrderAction::Delete => {
                        model.remove(&key);
                    }
                    _ => {
                        model.insert(key, state);
                    }
                }
            }
            let mut have: Vec<OrderState> = b.orders().copied().collect();
            have.sort_by_key(|o| (o.instrument.get(), o.order_id.get()));
            let want: Vec<OrderState> = model.values().copied().collect();
            prop_assert_eq!(have, want);
            let mut sums: BTreeMap<(u32, u8, i64), LevelAgg> = BTreeMap::new();
            for o in model.values() {
                let e = sums.entry((o.instrument.get(), o.side.to_dbn(), o.price_e9.e9())).or_default();
                e.qty += u64::from(o.qty.lots());
                e.order_count += 1;
            }
            for inst in [ES, NQ] {
                for side in [Side::Bid, Side::Ask] {
                    let mut got: Vec<(i64, LevelAgg)> =
                        b.levels(inst, side).map(|(p, a)| (p.e9(), a)).collect();
                    got.sort_by_key(|(p, _)| *p);
                    let want: Vec<(i64, LevelAgg)> = sums
                        .iter()
                        .filter(|((i, s, _), _)| *i == inst.get() && *s == side.to_dbn())
                        .map(|((_, _, p), a)| (*p, *a))
                        .collect();
                    prop_assert_eq!(got, want);
                }
            }
        }
    }
}

proptest! {
    /// The `*_listed` methods with the list heads kept by the caller (as the
    /// normalizer keeps them per registry slot) give the same results and the
    /// same book as the methods using the book's own head index, and clearing
    /// through each kept head empties the book.
    #[test]
    fn listed_heads_match_the_head_index(ops in prop::collection::vec(
        (0u8..4, 0u64..12, any::<bool>(), 95i64..105, 1u32..20, any::<u16>(), any::<bool>()), 0..300)
    ) {
        let cap = 8;
        let mut indexed = MboBook::with_capacity(cap);
        let mut listed = MboBook::with_capacity(cap);
        let mut heads: BTreeMap<u32, u32> = [(ES.get(), NIL), (NQ.get(), NIL)].into();
        let sorted = |b: &MboBook| {
            let mut v: Vec<OrderState> = b.orders().copied().collect();
            v.sort_by_key(|o| (o.instrument.get(), o.order_id.get()));
            v
        };
        for (action, id, bid, price, qty, prio, nq) in ops {
            let inst = if nq { NQ } else { ES };
            let head = heads.get_mut(&inst.get()).unwrap();
            if action == 3 {
                prop_assert_eq!(listed.clear_listed(head), indexed.clear_instrument(inst));
                prop_assert_eq!(*head, NIL);
            } else {
                let o = OrderOp {
                    instrument: inst,
                    order_id: OrderId(id),
                    side: if bid { Side::Bid } else { Side::Ask },
                    price_e9: px(price),
                    qty: Qty::from_lots(qty),
                    priority: u64::from(prio),
                    action: OrderAction::from_code(action).unwrap(),
                };
                prop_assert_eq!(listed.apply_listed(head, &o), indexed.apply(&o));
            }
            prop_assert_eq!(sorted(&listed), sorted(&indexed));
            for side in [Side::Bid, Side::Ask] {
                for p in 95..105 {
                    prop_assert_eq!(listed.level(inst, side, px(p)), indexed.level(inst, side, px(p)));
                }
            }
        }
        for head in heads.values_mut() {
            listed.clear_listed(head);
        }
        prop_assert!(listed.is_empty());
        prop_assert_eq!(listed.levels(ES, Side::Bid).count() + listed.levels(NQ, Side::Ask).count(), 0);
    }
}
