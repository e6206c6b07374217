//! The orders a strategy has live, as its host sees them: enough to cancel every
//! one of them if the strategy fails.
//!
//! An order becomes live when its `New` intent is accepted and stops being live
//! at a terminal [`OrderUpdate`](super::OrderUpdate) (filled, cancelled,
//! rejected). A cancel request does not end it: until the venue confirms, the
//! order may still trade.

use super::{Intent, IntentError, IntentKind, StrategyOrderId};

/// A fixed-capacity table of live orders (linear scans: a strategy has tens of
/// orders live, not thousands).
#[derive(Debug)]
pub struct LiveOrders {
    slots: Box<[Option<Intent>]>,
    len: usize,
}

impl LiveOrders {
    /// A table for `capacity` orders (at least 1), allocated once.
    pub fn with_capacity(capacity: usize) -> Self {
        LiveOrders {
            slots: vec![None; capacity.max(1)].into_boxed_slice(),
            len: 0,
        }
    }

    /// How many orders it tracks at most.
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// How many orders are live.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no order is live.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn find(&self, id: StrategyOrderId) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| matches!(s, Some(o) if o.order_id == id))
    }

    /// The live order `id` (as last requested: its latest price and quantity).
    pub fn get(&self, id: StrategyOrderId) -> Option<&Intent> {
        self.find(id).and_then(|i| self.slots[i].as_ref())
    }

    /// Checks `intent` against the live orders and records its effect: a `New`
    /// becomes live, a `Replace` updates the price and quantity, a `Cancel`
    /// changes nothing until confirmed.
    ///
    /// # Errors
    /// [`IntentError::DuplicateOrderId`], [`IntentError::TooManyLiveOrders`],
    /// [`IntentError::UnknownOrder`]; the table is unchanged then.
    pub fn on_intent(&mut self, intent: &Intent) -> Result<(), IntentError> {
        let order_id = intent.order_id;
        match intent.kind {
            IntentKind::New => {
                if self.find(order_id).is_some() {
                    return Err(IntentError::DuplicateOrderId { order_id });
                }
                let Some(free) = self.slots.iter().position(Option::is_none) else {
                    return Err(IntentError::TooManyLiveOrders {
                        max: self.slots.len(),
                        order_id,
                    });
                };
                self.slots[free] = Some(*intent);
                self.len += 1;
            }
            IntentKind::Replace | IntentKind::Cancel => {
                let Some(at) = self.find(order_id) else {
                    return Err(IntentError::UnknownOrder { order_id });
                };
                if intent.kind == IntentKind::Replace {
                    if let Some(live) = self.slots[at].as_mut() {
                        live.price_e9 = intent.price_e9;
                        live.qty = intent.qty;
                    }
                }
            }
        }
        Ok(())
    }

    /// Forgets order `id` (it reached a terminal state); whether it was live.
    pub fn remove(&mut self, id: StrategyOrderId) -> bool {
        match self.find(id) {
            Some(at) => {
                self.slots[at] = None;
                self.len -= 1;
                true
            }
            None => false,
        }
    }

    /// A cancel intent for each live order, in slot order.
    pub fn cancels(&self) -> impl Iterator<Item = Intent> + '_ {
        self.slots.iter().flatten().map(cancel_of)
    }

    /// The first live order at slot `from` or later, as its slot and a cancel
    /// intent (a cursor for emitting cancels one at a time).
    pub fn next_from(&self, from: usize) -> Option<(usize, Intent)> {
        self.slots
            .iter()
            .enumerate()
            .skip(from)
            .find_map(|(slot, o)| o.as_ref().map(|o| (slot, cancel_of(o))))
    }
}

fn cancel_of(o: &Intent) -> Intent {
    Intent::cancel(o.order_id, o.instrument, o.side, o.price_e9, o.qty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{InstrumentId, Price, Qty, Side};

    fn intent(kind: IntentKind, id: u64, px: i64) -> Intent {
        Intent {
            kind,
            order_id: StrategyOrderId(id),
            instrument: InstrumentId(3),
            side: Side::Ask,
            price_e9: Price::from_e9(px),
            qty: Qty::from_lots(2),
        }
    }

    #[test]
    fn tracks_news_replaces_and_removals() {
        let mut live = LiveOrders::with_capacity(2);
        live.on_intent(&intent(IntentKind::New, 1, 10)).unwrap();
        live.on_intent(&intent(IntentKind::New, 2, 11)).unwrap();
        assert_eq!(
            live.on_intent(&intent(IntentKind::New, 1, 10)),
            Err(IntentError::DuplicateOrderId {
                order_id: StrategyOrderId(1)
            })
        );
        assert_eq!(
            live.on_intent(&intent(IntentKind::New, 3, 10)),
            Err(IntentError::TooManyLiveOrders {
                max: 2,
                order_id: StrategyOrderId(3)
            })
        );
        assert_eq!(
            live.on_intent(&intent(IntentKind::Cancel, 9, 10)),
            Err(IntentError::UnknownOrder {
                order_id: StrategyOrderId(9)
            })
        );
        live.on_intent(&intent(IntentKind::Replace, 2, 15)).unwrap();
        assert_eq!(
            live.get(StrategyOrderId(2)).unwrap().price_e9,
            Price::from_e9(15)
        );
        live.on_intent(&intent(IntentKind::Cancel, 1, 10)).unwrap();
        assert_eq!(live.len(), 2, "a cancel request does not end the order");
        let cancels: Vec<_> = live.cancels().collect();
        assert_eq!(
            cancels,
            [
                intent(IntentKind::Cancel, 1, 10),
                intent(IntentKind::Cancel, 2, 15)
            ]
        );
        assert_eq!(
            live.next_from(1),
            Some((1, intent(IntentKind::Cancel, 2, 15)))
        );
        assert_eq!(live.next_from(2), None);
        assert!(live.remove(StrategyOrderId(1)));
        assert!(!live.remove(StrategyOrderId(1)));
        assert_eq!(live.len(), 1);
        live.on_intent(&intent(IntentKind::New, 3, 10)).unwrap();
        assert_eq!(live.capacity(), 2);
        assert!(!live.is_empty());
    }
}
