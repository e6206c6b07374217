//! Intents (what a strategy wants done with its orders) and the caller-owned
//! fixed-capacity buffer they are written into.

use std::fmt;

use crate::types::{InstrumentId, Price, Qty, Side};

/// An order id a strategy assigns itself, unique within that strategy. The order
/// gateway pairs it with the strategy to make a venue `ClOrdID`, and reports back
/// with it in [`OrderUpdate`](super::OrderUpdate)s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct StrategyOrderId(pub u64);

impl fmt::Display for StrategyOrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What an intent asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntentKind {
    /// Send a new limit order.
    New,
    /// Change the price and/or quantity of a live order (it keeps its id).
    Replace,
    /// Cancel a live order (price and quantity are the order's last known ones,
    /// for logs and risk; the gateway cancels by id).
    Cancel,
}

/// A strategy's request to the order gateway: one `Copy` value that crosses to
/// the gateway thread through the strategy's SPSC ring.
///
/// Build one with [`Intent::new_order`], [`Intent::replace`] or
/// [`Intent::cancel`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Intent {
    /// New, replace or cancel.
    pub kind: IntentKind,
    /// The strategy's id of the order (for `New`, the id it will be known by).
    pub order_id: StrategyOrderId,
    /// The instrument.
    pub instrument: InstrumentId,
    /// Buy ([`Side::Bid`]) or sell ([`Side::Ask`]).
    pub side: Side,
    /// Limit price.
    pub price_e9: Price,
    /// Quantity (for `Replace`, the new total quantity).
    pub qty: Qty,
}

impl Intent {
    /// A new limit order.
    pub const fn new_order(
        order_id: StrategyOrderId,
        instrument: InstrumentId,
        side: Side,
        price_e9: Price,
        qty: Qty,
    ) -> Intent {
        Intent {
            kind: IntentKind::New,
            order_id,
            instrument,
            side,
            price_e9,
            qty,
        }
    }

    /// A replace of live order `order_id` with a new price and quantity.
    pub const fn replace(
        order_id: StrategyOrderId,
        instrument: InstrumentId,
        side: Side,
        price_e9: Price,
        qty: Qty,
    ) -> Intent {
        Intent {
            kind: IntentKind::Replace,
            order_id,
            instrument,
            side,
            price_e9,
            qty,
        }
    }

    /// A cancel of live order `order_id`.
    pub const fn cancel(
        order_id: StrategyOrderId,
        instrument: InstrumentId,
        side: Side,
        price_e9: Price,
        qty: Qty,
    ) -> Intent {
        Intent {
            kind: IntentKind::Cancel,
            order_id,
            instrument,
            side,
            price_e9,
            qty,
        }
    }
}

/// Why an intent was not accepted. `Copy`, with what a log line needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IntentError {
    /// The intent buffer is full for this callback; the intent was dropped and
    /// counted. The strategy may retry at its next callback.
    #[error("intent buffer full ({capacity} intents); order {order_id} dropped")]
    BufferFull {
        /// The buffer's capacity.
        capacity: usize,
        /// The dropped intent's order id.
        order_id: StrategyOrderId,
    },
    /// A `New` would exceed the live orders the runner tracks (it must be able
    /// to cancel every one of them if the strategy fails).
    #[error("{max} live orders already; new order {order_id} refused")]
    TooManyLiveOrders {
        /// The limit.
        max: usize,
        /// The refused order id.
        order_id: StrategyOrderId,
    },
    /// A `New` reuses the id of an order that is still live.
    #[error("order id {order_id} is already live")]
    DuplicateOrderId {
        /// The id.
        order_id: StrategyOrderId,
    },
    /// A `Replace` or `Cancel` names an order that is not live.
    #[error("order {order_id} is not live")]
    UnknownOrder {
        /// The id.
        order_id: StrategyOrderId,
    },
    /// The side is [`Side::None`] or the quantity zero or null, or the price
    /// null.
    #[error("order {order_id}: invalid {field}")]
    Invalid {
        /// The order id.
        order_id: StrategyOrderId,
        /// The field at fault: `side`, `qty` or `price_e9`.
        field: &'static str,
    },
    /// The strategy was disabled after a panic; nothing more is accepted from it.
    #[error("strategy disabled")]
    Disabled,
}

/// A first-in first-out buffer of intents with a fixed capacity, allocated once.
///
/// The runner owns it and lends it to each callback through the
/// [`Context`](super::Context); it drains it after the callback. Pushing past
/// the capacity returns [`IntentError::BufferFull`] and counts the drop.
#[derive(Debug)]
pub struct IntentBuffer {
    slots: Box<[Intent]>,
    head: usize,
    len: usize,
    dropped_full: u64,
}

impl IntentBuffer {
    /// A buffer for `capacity` intents (at least 1).
    pub fn with_capacity(capacity: usize) -> Self {
        let blank = Intent::cancel(
            StrategyOrderId(0),
            InstrumentId::NONE,
            Side::None,
            Price::NULL,
            Qty::ZERO,
        );
        IntentBuffer {
            slots: vec![blank; capacity.max(1)].into_boxed_slice(),
            head: 0,
            len: 0,
            dropped_full: 0,
        }
    }

    /// How many intents it holds at most.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// How many intents are waiting.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no intent is waiting.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many intents were dropped because the buffer was full, ever.
    #[inline]
    pub fn dropped_full(&self) -> u64 {
        self.dropped_full
    }

    /// Appends an intent.
    ///
    /// # Errors
    /// [`IntentError::BufferFull`] (counted) when the buffer is full.
    #[inline]
    pub fn push(&mut self, intent: Intent) -> Result<(), IntentError> {
        let capacity = self.slots.len();
        if self.len == capacity {
            self.dropped_full += 1;
            return Err(IntentError::BufferFull {
                capacity,
                order_id: intent.order_id,
            });
        }
        let at = (self.head + self.len) % capacity;
        self.slots[at] = intent;
        self.len += 1;
        Ok(())
    }

    /// Takes the oldest intent.
    #[inline]
    pub fn pop(&mut self) -> Option<Intent> {
        if self.len == 0 {
            return None;
        }
        let intent = self.slots[self.head];
        self.head = (self.head + 1) % self.slots.len();
        self.len -= 1;
        Some(intent)
    }

    /// The waiting intents, oldest first, without taking them.
    pub fn iter(&self) -> impl Iterator<Item = &Intent> + '_ {
        let capacity = self.slots.len();
        (0..self.len).map(move |i| &self.slots[(self.head + i) % capacity])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(id: u64) -> Intent {
        Intent::new_order(
            StrategyOrderId(id),
            InstrumentId(1),
            Side::Bid,
            Price::from_e9(5),
            Qty::from_lots(1),
        )
    }

    #[test]
    fn fifo_with_wraparound_and_counted_overflow() {
        let mut buf = IntentBuffer::with_capacity(3);
        assert_eq!(buf.capacity(), 3);
        assert!(buf.is_empty());
        for id in 1..=3 {
            buf.push(new(id)).unwrap();
        }
        assert_eq!(
            buf.push(new(4)),
            Err(IntentError::BufferFull {
                capacity: 3,
                order_id: StrategyOrderId(4)
            })
        );
        assert_eq!(buf.dropped_full(), 1);
        assert_eq!(buf.pop().unwrap().order_id, StrategyOrderId(1));
        buf.push(new(5)).unwrap();
        let ids: Vec<u64> = buf.iter().map(|i| i.order_id.0).collect();
        assert_eq!(ids, [2, 3, 5]);
        let drained: Vec<u64> = std::iter::from_fn(|| buf.pop())
            .map(|i| i.order_id.0)
            .collect();
        assert_eq!(drained, [2, 3, 5]);
        assert_eq!(buf.pop(), None);
        assert_eq!(buf.len(), 0);
    }

    #[test]
    fn zero_capacity_is_one() {
        let mut buf = IntentBuffer::with_capacity(0);
        assert_eq!(buf.capacity(), 1);
        buf.push(new(1)).unwrap();
        assert!(buf.push(new(2)).is_err());
    }

    #[test]
    fn constructors_set_the_kind() {
        let id = StrategyOrderId(9);
        let (i, s, p, q) = (InstrumentId(1), Side::Ask, Price::from_e9(1), Qty::ZERO);
        assert_eq!(Intent::new_order(id, i, s, p, q).kind, IntentKind::New);
        assert_eq!(Intent::replace(id, i, s, p, q).kind, IntentKind::Replace);
        assert_eq!(Intent::cancel(id, i, s, p, q).kind, IntentKind::Cancel);
        assert_eq!(id.to_string(), "9");
    }
}
