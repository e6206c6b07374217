//! A market-by-order book: orders keyed by (instrument, order id), with
//! per-price aggregates kept beside them.
//!
//! Supported: New, Update and Delete as CME's `OrderUpdateAction` (template 46's
//! order entries) and `MDUpdateAction` 0/1/2 (template 47) do; an Update may move
//! an order's price, quantity, priority and side. Clearing one instrument's
//! orders (a book reset) or all of them (a channel reset). Not here: the queue
//! position arithmetic of a matching engine; priorities are stored as the venue
//! sends them (lower is earlier) and a queue is derived by sorting on them.
//!
//! One book holds the orders of every instrument of a channel, so a single
//! capacity covers them all. Everything is allocated at construction: an order
//! table with a free list, an open-addressing index by order key and one by price
//! level, and per instrument a doubly linked list threaded through the order
//! table (its head in a small index by instrument), so that clearing one
//! instrument (a book reset, each MBO snapshot) costs its own orders, not a walk
//! of the whole table. A caller that keeps each instrument's list head itself
//! (the [`Normalizer`](crate::normalize::Normalizer), one per registry slot)
//! uses the `*_listed` methods instead and saves the head index's lookups. Applying updates never allocates; an order past capacity
//! is [`MboError::Full`]. Refused updates leave the book unchanged.
//!
//! Invariant (checked by the fuzz target): for every (instrument, side, price),
//! [`MboBook::level`] is the sum of the quantities and the count of the orders
//! resting there.

use crate::event::Action;
use crate::normalize::fixed_map::{FixedKey, FixedMap, InsertNewError};
use crate::types::{InstrumentId, OrderId, Price, Qty, Side};

/// What an order update does (CME `OrderUpdateAction`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrderAction {
    /// 0: a new order.
    New,
    /// 1: an order changed (price, quantity, priority).
    Update,
    /// 2: the order left the book (cancelled or filled).
    Delete,
}

impl OrderAction {
    /// The action of a CME `OrderUpdateAction` / FIX `MDUpdateAction` value 0–2,
    /// `None` for others.
    #[inline]
    pub const fn from_code(value: u8) -> Option<Self> {
        Some(match value {
            0 => OrderAction::New,
            1 => OrderAction::Update,
            2 => OrderAction::Delete,
            _ => return None,
        })
    }
}

/// One order update.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OrderOp {
    /// The instrument.
    pub instrument: InstrumentId,
    /// The venue's order id.
    pub order_id: OrderId,
    /// The order's side (New, Update).
    pub side: Side,
    /// The order's price (New, Update).
    pub price_e9: Price,
    /// The order's displayed quantity (New, Update).
    pub qty: Qty,
    /// The venue's queue priority (lower is earlier).
    pub priority: u64,
    /// What to do.
    pub action: OrderAction,
}

/// An order resting in the book.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OrderState {
    /// The instrument.
    pub instrument: InstrumentId,
    /// The venue's order id.
    pub order_id: OrderId,
    /// Bid or ask.
    pub side: Side,
    /// The price.
    pub price_e9: Price,
    /// Displayed quantity.
    pub qty: Qty,
    /// Queue priority (lower is earlier).
    pub priority: u64,
}

/// An order's resulting state after an update: `Add`, `Modify`, or `Cancel`
/// (the order as it was, with zero quantity).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OrderChange {
    /// The order now.
    pub state: OrderState,
    /// How it changed.
    pub action: Action,
}

/// The orders resting at one price of one side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct LevelAgg {
    /// Their total quantity.
    pub qty: u64,
    /// How many.
    pub order_count: u32,
}

/// Why an order update was refused. The book is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MboError {
    /// The book holds its capacity of orders.
    #[error("order book full ({capacity} orders); order {order_id} of {instrument} not added")]
    Full {
        /// The capacity.
        capacity: usize,
        /// The instrument.
        instrument: InstrumentId,
        /// The order refused.
        order_id: OrderId,
    },
    /// A New for an order already in the book.
    #[error("order {order_id} of {instrument} is already in the book")]
    Duplicate {
        /// The instrument.
        instrument: InstrumentId,
        /// The order.
        order_id: OrderId,
    },
    /// An Update or Delete of an order not in the book.
    #[error("{action:?} of order {order_id} of {instrument}, which is not in the book")]
    Unknown {
        /// The instrument.
        instrument: InstrumentId,
        /// The order.
        order_id: OrderId,
        /// The action.
        action: OrderAction,
    },
    /// A New or Update without a side, price or quantity.
    #[error("{action:?} of order {order_id} of {instrument} without a side, price or quantity")]
    Incomplete {
        /// The instrument.
        instrument: InstrumentId,
        /// The order.
        order_id: OrderId,
        /// The action.
        action: OrderAction,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct OrderKey(InstrumentId, OrderId);

impl FixedKey for OrderKey {
    #[inline]
    fn hash64(self) -> u64 {
        self.1.get() ^ u64::from(self.0.get()).rotate_left(40)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct LevelKey(InstrumentId, Side, Price);

impl FixedKey for LevelKey {
    #[inline]
    fn hash64(self) -> u64 {
        // Bit-for-bit reinterpretation of the price: any function of the key works.
        (self.2.e9() as u64)
            ^ u64::from(self.0.get()).rotate_left(36)
            ^ u64::from(self.1.to_dbn()).rotate_left(28)
    }
}

/// The end of an instrument's order list; the list head of an instrument
/// without orders (see [`MboBook::apply_listed`]).
pub(crate) const NIL: u32 = u32::MAX;

/// An order's neighbours in its instrument's list (order table slots, [`NIL`]
/// at either end).
#[derive(Clone, Copy, Debug)]
struct Link {
    prev: u32,
    next: u32,
}

const UNLINKED: Link = Link {
    prev: NIL,
    next: NIL,
};

/// The orders of a channel, fixed capacity (see the [module docs](self)).
#[derive(Clone, Debug)]
pub struct MboBook {
    index: FixedMap<OrderKey, u32>,
    orders: Box<[Option<OrderState>]>,
    /// Per slot: its instrument's list links (meaningful while the slot holds an
    /// order).
    links: Box<[Link]>,
    /// The first slot of each instrument that has orders.
    heads: FixedMap<InstrumentId, u32>,
    free: Vec<u32>,
    levels: FixedMap<LevelKey, LevelAgg>,
}

impl MboBook {
    /// A book for `capacity` orders (at least one); allocates everything here.
    pub fn with_capacity(capacity: usize) -> Self {
        let capacity = capacity.clamp(1, u32::MAX as usize);
        MboBook {
            index: FixedMap::with_capacity(capacity),
            orders: vec![None; capacity].into_boxed_slice(),
            links: vec![UNLINKED; capacity].into_boxed_slice(),
            // Every instrument listed has at least one order.
            heads: FixedMap::with_capacity(capacity),
            free: (0..capacity as u32).rev().collect(),
            // Every level holds at least one order, so levels never outnumber orders.
            levels: FixedMap::with_capacity(capacity),
        }
    }

    /// The most orders it holds.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.orders.len()
    }

    /// The orders it holds.
    #[inline]
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether it holds none.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The order `order_id` of `instrument`.
    #[inline]
    pub fn get(&self, instrument: InstrumentId, order_id: OrderId) -> Option<&OrderState> {
        let slot = *self.index.get(OrderKey(instrument, order_id))?;
        self.orders[slot as usize].as_ref()
    }

    /// The orders resting at `price` on `side` of `instrument`.
    #[inline]
    pub fn level(&self, instrument: InstrumentId, side: Side, price: Price) -> Option<LevelAgg> {
        self.levels.get(LevelKey(instrument, side, price)).copied()
    }

    /// Every price level of `side` of `instrument`, unordered. Walks the whole
    /// level table: for tests, tools and snapshots, not per message.
    pub fn levels(
        &self,
        instrument: InstrumentId,
        side: Side,
    ) -> impl Iterator<Item = (Price, LevelAgg)> + '_ {
        self.levels
            .iter()
            .filter(move |(k, _)| k.0 == instrument && k.1 == side)
            .map(|(k, agg)| (k.2, *agg))
    }

    /// The best price level of `side` of `instrument` (highest bid, lowest ask).
    /// Walks the whole level table, as [`MboBook::levels`].
    pub fn best(&self, instrument: InstrumentId, side: Side) -> Option<(Price, LevelAgg)> {
        let levels = self.levels(instrument, side);
        match side {
            Side::Bid => levels.max_by_key(|(p, _)| *p),
            _ => levels.min_by_key(|(p, _)| *p),
        }
    }

    /// Every order, in table order.
    pub fn orders(&self) -> impl Iterator<Item = &OrderState> + '_ {
        self.orders.iter().flatten()
    }

    /// Puts `slot` at the head of the list whose head is `head`.
    #[inline]
    fn link(&mut self, head: &mut u32, slot: u32) {
        let next = std::mem::replace(head, slot);
        if let Some(l) = self.links.get_mut(next as usize) {
            l.prev = slot;
        }
        self.links[slot as usize] = Link { prev: NIL, next };
    }

    /// Takes `slot` out of the list whose head is `head`.
    #[inline]
    fn unlink(&mut self, head: &mut u32, slot: u32) {
        let Link { prev, next } = std::mem::replace(&mut self.links[slot as usize], UNLINKED);
        if let Some(l) = self.links.get_mut(next as usize) {
            l.prev = prev;
        }
        if let Some(l) = self.links.get_mut(prev as usize) {
            l.next = next;
        } else {
            *head = next;
        }
    }

    #[inline]
    fn add_level(&mut self, o: &OrderState) {
        let key = LevelKey(o.instrument, o.side, o.price_e9);
        let empty = LevelAgg {
            qty: 0,
            order_count: 0,
        };
        // Cannot fail: the level table has room for one level per order and the
        // order is already counted in the index.
        if let Ok(agg) = self.levels.get_or_insert(key, empty) {
            agg.qty += u64::from(o.qty.lots());
            agg.order_count += 1;
        }
    }

    #[inline]
    fn remove_level(&mut self, o: &OrderState) {
        let key = LevelKey(o.instrument, o.side, o.price_e9);
        self.levels.update_or_remove(key, |agg| {
            agg.qty = agg.qty.saturating_sub(u64::from(o.qty.lots()));
            agg.order_count = agg.order_count.saturating_sub(1);
            agg.order_count == 0
        });
    }

    /// An order's quantity changed in place (same side and price): one lookup
    /// of its level instead of a removal and an insertion, with the same result.
    fn requantify_level(&mut self, old: &OrderState, qty: Qty) {
        let key = LevelKey(old.instrument, old.side, old.price_e9);
        match self.levels.get_mut(key) {
            Some(agg) => {
                agg.qty = agg.qty.saturating_sub(u64::from(old.qty.lots())) + u64::from(qty.lots());
            }
            None => self.add_level(&OrderState { qty, ..*old }),
        }
    }

    /// Applies one update; returns the order's resulting state.
    ///
    /// # Errors
    /// [`MboError`]: a New of a present order or past capacity, an Update or
    /// Delete of an absent one, a New or Update without side, price or quantity.
    /// The book is unchanged then.
    pub fn apply(&mut self, op: &OrderOp) -> Result<OrderChange, MboError> {
        let mut head = self.heads.get(op.instrument).copied().unwrap_or(NIL);
        let before = head;
        let result = self.apply_listed(&mut head, op);
        if head != before {
            if head == NIL {
                self.heads.remove(op.instrument);
            } else {
                // Cannot fail: the index has room for one head per order.
                let _ = self.heads.insert(op.instrument, head);
            }
        }
        result
    }

    /// [`MboBook::apply`] for a caller that keeps the head of each
    /// instrument's order list itself: `head` is `op.instrument`'s ([`NIL`]
    /// while it has no orders, as a new instrument starts), updated here. A
    /// book driven this way must be cleared with [`MboBook::clear_listed`]
    /// and [`MboBook::clear`], never through the methods that use the
    /// book's own head index ([`MboBook::apply`],
    /// [`MboBook::clear_instrument`]).
    ///
    /// # Errors
    /// As [`MboBook::apply`].
    #[inline(always)]
    pub(crate) fn apply_listed(
        &mut self,
        head: &mut u32,
        op: &OrderOp,
    ) -> Result<OrderChange, MboError> {
        let key = OrderKey(op.instrument, op.order_id);
        let state = OrderState {
            instrument: op.instrument,
            order_id: op.order_id,
            side: op.side,
            price_e9: op.price_e9,
            qty: op.qty,
            priority: op.priority,
        };
        if op.action != OrderAction::Delete
            && (op.side == Side::None || op.price_e9.is_null() || op.qty.is_null())
        {
            return Err(MboError::Incomplete {
                instrument: op.instrument,
                order_id: op.order_id,
                action: op.action,
            });
        }
        let unknown = MboError::Unknown {
            instrument: op.instrument,
            order_id: op.order_id,
            action: op.action,
        };
        match op.action {
            OrderAction::New => {
                let duplicate = MboError::Duplicate {
                    instrument: op.instrument,
                    order_id: op.order_id,
                };
                let full = MboError::Full {
                    capacity: self.capacity(),
                    instrument: op.instrument,
                    order_id: op.order_id,
                };
                // A present order is a duplicate even when the book is full.
                let Some(&slot) = self.free.last() else {
                    return Err(if self.index.contains_key(key) {
                        duplicate
                    } else {
                        full
                    });
                };
                match self.index.insert_new(key, slot) {
                    Ok(()) => {}
                    Err(InsertNewError::Present) => return Err(duplicate),
                    Err(InsertNewError::Full(_)) => return Err(full),
                }
                self.free.pop();
                self.orders[slot as usize] = Some(state);
                self.link(head, slot);
                self.add_level(&state);
                Ok(OrderChange {
                    state,
                    action: Action::Add,
                })
            }
            OrderAction::Update => {
                let slot = *self.index.get(key).ok_or(unknown)? as usize;
                let old = self.orders[slot].replace(state).ok_or(unknown)?;
                if old.side == state.side && old.price_e9 == state.price_e9 {
                    self.requantify_level(&old, state.qty);
                } else {
                    self.remove_level(&old);
                    self.add_level(&state);
                }
                Ok(OrderChange {
                    state,
                    action: Action::Modify,
                })
            }
            OrderAction::Delete => {
                let slot = self.index.remove(key).ok_or(unknown)?;
                self.free.push(slot);
                let old = self.orders[slot as usize].take().ok_or(unknown)?;
                self.unlink(head, slot);
                self.remove_level(&old);
                Ok(OrderChange {
                    state: OrderState {
                        qty: Qty::ZERO,
                        ..old
                    },
                    action: Action::Cancel,
                })
            }
        }
    }

    /// Removes every order of `instrument`; returns how many. Walks that
    /// instrument's list only: O(its orders), whatever the capacity.
    pub fn clear_instrument(&mut self, instrument: InstrumentId) -> usize {
        let Some(mut head) = self.heads.remove(instrument) else {
            return 0;
        };
        self.clear_listed(&mut head)
    }

    /// [`MboBook::clear_instrument`] for a caller that keeps the list heads
    /// (see [`MboBook::apply_listed`]): removes the orders of the list whose
    /// head is `head`, which becomes [`NIL`]; returns how many.
    pub(crate) fn clear_listed(&mut self, head: &mut u32) -> usize {
        let mut slot = std::mem::replace(head, NIL);
        let mut removed = 0;
        while slot != NIL {
            let Link { next, .. } = std::mem::replace(&mut self.links[slot as usize], UNLINKED);
            if let Some(o) = self.orders[slot as usize].take() {
                self.index.remove(OrderKey(o.instrument, o.order_id));
                self.remove_level(&o);
                self.free.push(slot);
                removed += 1;
            }
            slot = next;
        }
        removed
    }

    /// Removes every order (a channel reset).
    pub fn clear(&mut self) {
        self.index.clear();
        self.heads.clear();
        self.levels.clear();
        self.orders.fill(None);
        self.free.clear();
        self.free.extend((0..self.orders.len() as u32).rev());
    }
}

#[cfg(test)]
#[path = "mbo_tests.rs"]
mod tests;
