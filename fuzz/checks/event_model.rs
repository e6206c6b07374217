//! The event-replaying consumer model shared by the `md_cme_book` and
//! `normalize_books` checks: a [`Consumer`] that rebuilds every instrument's
//! books, orders, statistics and last quote from the published events alone
//! (keyed by price for levels, by order id for orders, by statistic for
//! stats), and [`check_rebuild`], which compares that rebuild with a
//! [`Normalizer`]'s state.
//!
//! Semantics the consumer relies on (the normalizer's module docs): a level
//! event carries the level's resulting state, a `Cancel` removes it; a clear
//! with `MBP` empties one book (one side, or both with `Side::None`), a clear
//! without `MBP` empties the instrument's orders, a clear of
//! [`InstrumentId::NONE`] empties every instrument (its last quote stays: the
//! next quote event says what changed).
//!
//! Included by path from `fuzz/checks/md_cme_book.rs` and
//! `fuzz/checks/normalize_books.rs`.

#![allow(dead_code, reason = "each includer uses part of the model")]

use std::collections::BTreeMap;

use fixgate_core::event::{Action, Body, Event, EventFlags, QuoteBody};
use fixgate_core::normalize::batch::EventSink;
use fixgate_core::normalize::book::{BookKind, MbpSide};
use fixgate_core::normalize::Normalizer;
use fixgate_core::types::{InstrumentId, Side};

/// What a consumer knows about one instrument, from events alone.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Seen {
    /// [outright, implied] × [bid, ask]: price → (qty, count).
    pub books: [[BTreeMap<i64, (u32, u32)>; 2]; 2],
    /// order id → (side, price, qty, priority).
    pub orders: BTreeMap<u64, (u8, i64, u32, u64)>,
    /// stat → (price, qty, flags).
    pub stats: BTreeMap<u8, (i64, u32, u8)>,
    /// The last quote published.
    pub quote: Option<QuoteBody>,
}

/// Rebuilds every instrument from the published events.
#[derive(Clone, Debug, Default)]
pub struct Consumer {
    /// By instrument id.
    pub seen: BTreeMap<u32, Seen>,
    /// Events applied.
    pub events: u64,
    /// Events with `LAST` applied.
    pub lasts: u64,
}

impl Consumer {
    /// Applies one event.
    ///
    /// # Panics
    /// On a level without a side, a cancel of a level or order it never saw,
    /// or an event kind neither normalizer produces.
    pub fn apply(&mut self, e: &Event) {
        self.events += 1;
        if e.flags().contains(EventFlags::LAST) {
            self.lasts += 1;
        }
        let book = usize::from(e.flags().contains(EventFlags::IMPLIED));
        let side_ix = |s: Side| usize::from(s == Side::Ask);
        if e.instrument().is_none() {
            if let Body::Clear(_) = e.body() {
                for s in self.seen.values_mut() {
                    *s = Seen {
                        quote: s.quote,
                        ..Seen::default()
                    };
                }
            }
            return;
        }
        let s = self.seen.entry(e.instrument().get()).or_default();
        match e.body() {
            Body::Level(l) => {
                assert_ne!(l.side, Side::None, "level without a side");
                let side = &mut s.books[book][side_ix(l.side)];
                match l.action {
                    Action::Add | Action::Modify => {
                        side.insert(l.price_e9.e9(), (l.qty.lots(), l.order_count));
                    }
                    Action::Cancel => {
                        assert!(
                            side.remove(&l.price_e9.e9()).is_some(),
                            "cancel of an unseen level {l:?}"
                        );
                    }
                    other => panic!("level action {other:?}"),
                }
            }
            Body::Clear(c) => {
                if e.flags().contains(EventFlags::MBP) {
                    match c.side {
                        Side::None => s.books[book] = Default::default(),
                        side => s.books[book][side_ix(side)].clear(),
                    }
                } else {
                    s.orders.clear();
                }
            }
            Body::Order(o) => match o.action {
                Action::Add | Action::Modify => {
                    s.orders.insert(
                        o.order_id.get(),
                        (o.side.to_dbn(), o.price_e9.e9(), o.qty.lots(), o.priority),
                    );
                }
                Action::Cancel => {
                    assert!(
                        s.orders.remove(&o.order_id.get()).is_some(),
                        "cancel of an unseen order {o:?}"
                    );
                }
                other => panic!("order action {other:?}"),
            },
            Body::Stat(st) => match st.action {
                Action::Add | Action::Modify => {
                    s.stats.insert(
                        st.stat as u8,
                        (st.price_e9.e9(), st.qty.lots(), st.venue_flags),
                    );
                }
                Action::Cancel => {
                    s.stats.remove(&(st.stat as u8));
                }
                other => panic!("stat action {other:?}"),
            },
            Body::Quote(q) => s.quote = Some(q),
            Body::Trade(_) | Body::Status(_) => {}
            other => panic!("unexpected event {other:?}"),
        }
    }
}

/// A side's levels as price → (qty, count).
pub fn side_map(side: &MbpSide) -> BTreeMap<i64, (u32, u32)> {
    side.levels()
        .iter()
        .map(|l| (l.price_e9.e9(), (l.qty.lots(), l.order_count)))
        .collect()
}

/// Bids strictly descending, asks strictly ascending.
pub fn strictly_ordered(side: &MbpSide) -> bool {
    side.levels().windows(2).all(|w| match side.side() {
        Side::Bid => w[0].price_e9 > w[1].price_e9,
        _ => w[0].price_e9 < w[1].price_e9,
    })
}

/// The consumer's rebuild of every defined instrument against the
/// normalizer's books, orders and statistics (call between venue events);
/// calls `more` with each instrument and what the consumer saw of it, for the
/// includer's own comparisons (quotes).
///
/// # Panics
/// On the first difference.
pub fn check_rebuild<S: EventSink>(
    n: &Normalizer<S>,
    consumer: &Consumer,
    mut more: impl FnMut(InstrumentId, &Seen),
) {
    for (_, def) in n.registry().iter() {
        let id = def.id;
        let empty = Seen::default();
        let seen = consumer.seen.get(&id.get()).unwrap_or(&empty);
        for (b, kind) in [BookKind::Outright, BookKind::Implied]
            .into_iter()
            .enumerate()
        {
            let book = n.mbp(id, kind).expect("books");
            assert_eq!(
                seen.books[b][0],
                side_map(book.bids()),
                "{id} {kind:?} bids"
            );
            assert_eq!(
                seen.books[b][1],
                side_map(book.asks()),
                "{id} {kind:?} asks"
            );
        }
        let orders: BTreeMap<u64, (u8, i64, u32, u64)> = n
            .mbo()
            .orders()
            .filter(|o| o.instrument == id)
            .map(|o| {
                (
                    o.order_id.get(),
                    (o.side.to_dbn(), o.price_e9.e9(), o.qty.lots(), o.priority),
                )
            })
            .collect();
        assert_eq!(seen.orders, orders, "{id} orders");
        let stats: BTreeMap<u8, (i64, u32, u8)> = n
            .stats(id)
            .expect("stats")
            .iter()
            .map(|(s, v)| (s as u8, (v.price_e9.e9(), v.qty.lots(), v.venue_flags)))
            .collect();
        assert_eq!(seen.stats, stats, "{id} stats");
        more(id, seen);
    }
}
