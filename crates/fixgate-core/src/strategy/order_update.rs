//! Order updates: what the order gateway reports back about a strategy's orders.

use super::StrategyOrderId;
use crate::time::UtcNanos;
use crate::types::{InstrumentId, Price, Qty, Side};

/// What happened to an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrderUpdateKind {
    /// The venue accepted a new order or a replace; `price_e9` and `leaves_qty`
    /// are the order's working price and open quantity now.
    Acked,
    /// Part of the order traded (`last_px_e9` × `last_qty`); it stays live with
    /// `leaves_qty` open.
    PartiallyFilled,
    /// The rest of the order traded (`last_px_e9` × `last_qty`); it is done.
    Filled,
    /// The order was cancelled (on request, by the venue, or unsolicited); done.
    Cancelled,
    /// The new order was refused (by risk checks or the venue); it never lived.
    Rejected,
    /// A replace or cancel request was refused; the order lives on unchanged.
    CancelRejected,
}

impl OrderUpdateKind {
    /// Whether the order is done (no longer live) after this update.
    #[inline]
    pub const fn is_terminal(self) -> bool {
        matches!(
            self,
            OrderUpdateKind::Filled | OrderUpdateKind::Cancelled | OrderUpdateKind::Rejected
        )
    }

    /// Whether this update carries a fill.
    #[inline]
    pub const fn is_fill(self) -> bool {
        matches!(
            self,
            OrderUpdateKind::PartiallyFilled | OrderUpdateKind::Filled
        )
    }
}

/// One update about one of a strategy's orders, `Copy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OrderUpdate {
    /// What happened.
    pub kind: OrderUpdateKind,
    /// The strategy's id of the order.
    pub order_id: StrategyOrderId,
    /// The instrument.
    pub instrument: InstrumentId,
    /// The order's side.
    pub side: Side,
    /// The order's working limit price.
    pub price_e9: Price,
    /// Price of this fill ([`Price::NULL`] when not a fill).
    pub last_px_e9: Price,
    /// Quantity of this fill (zero when not a fill).
    pub last_qty: Qty,
    /// Quantity filled so far.
    pub cum_qty: Qty,
    /// Quantity still open (zero once done).
    pub leaves_qty: Qty,
    /// The venue's time of the update (transact time).
    pub ts_event_ns: UtcNanos,
}

impl OrderUpdate {
    /// The signed position change this update makes, in lots: `+last_qty` for a
    /// buy fill, `-last_qty` for a sell fill, 0 otherwise.
    #[inline]
    pub fn position_delta(&self) -> i64 {
        if !self.kind.is_fill() || self.last_qty.is_null() {
            return 0;
        }
        let lots = i64::from(self.last_qty.lots());
        match self.side {
            Side::Bid => lots,
            Side::Ask => -lots,
            Side::None => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(kind: OrderUpdateKind, side: Side, last: u32) -> OrderUpdate {
        OrderUpdate {
            kind,
            order_id: StrategyOrderId(1),
            instrument: InstrumentId(1),
            side,
            price_e9: Price::from_e9(10),
            last_px_e9: Price::from_e9(10),
            last_qty: Qty::from_lots(last),
            cum_qty: Qty::from_lots(last),
            leaves_qty: Qty::ZERO,
            ts_event_ns: UtcNanos::from_nanos(1),
        }
    }

    #[test]
    fn terminal_and_fill_kinds() {
        use OrderUpdateKind::*;
        let terminal: Vec<_> = [
            Acked,
            PartiallyFilled,
            Filled,
            Cancelled,
            Rejected,
            CancelRejected,
        ]
        .into_iter()
        .filter(|k| k.is_terminal())
        .collect();
        assert_eq!(terminal, [Filled, Cancelled, Rejected]);
        assert!(PartiallyFilled.is_fill() && Filled.is_fill() && !Acked.is_fill());
    }

    #[test]
    fn position_delta_by_side() {
        assert_eq!(
            update(OrderUpdateKind::Filled, Side::Bid, 3).position_delta(),
            3
        );
        assert_eq!(
            update(OrderUpdateKind::PartiallyFilled, Side::Ask, 2).position_delta(),
            -2
        );
        assert_eq!(
            update(OrderUpdateKind::Acked, Side::Bid, 3).position_delta(),
            0
        );
        let mut null = update(OrderUpdateKind::Filled, Side::Bid, 0);
        null.last_qty = Qty::NULL;
        assert_eq!(null.position_delta(), 0);
    }
}
