//! Trades and busts. A trade never changes a book: the venue sends the book
//! changes a trade causes as book updates of their own (CME: the trade summary,
//! then the book entries of the same event), so a trade only yields a
//! [`TradeBody`] event.
//!
//! A bust (CME: a trade summary entry with `MDUpdateAction` Delete, naming the
//! busted trade's `MDTradeEntryID`) yields a trade event with
//! [`Action::Cancel`] and the busted trade's id.

use crate::event::{Action, TradeBody};
use crate::types::{InstrumentId, Price, Qty, Side, TradeId};

/// A trade, or the venue withdrawing one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TradeAction {
    /// A trade happened.
    Trade,
    /// The trade `trade_id` is busted.
    Bust,
}

/// One trade (or bust) update.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TradeUpdate {
    /// The instrument.
    pub instrument: InstrumentId,
    /// Trade or bust.
    pub action: TradeAction,
    /// The trade price.
    pub price_e9: Price,
    /// The traded quantity.
    pub qty: Qty,
    /// The venue's trade id (CME `MDTradeEntryID`), 0 where none; a bust names
    /// the trade it withdraws.
    pub trade_id: TradeId,
    /// The aggressor's side, [`Side::None`] where the venue does not say.
    pub aggressor: Side,
    /// The venue's per-instrument sequence, 0 where none.
    pub rpt_seq: u32,
}

/// A trade update that cannot be published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TradeError {
    /// A trade without a price or quantity.
    #[error("trade of {instrument} without a price or quantity")]
    MissingValue {
        /// The instrument.
        instrument: InstrumentId,
    },
    /// A bust that names no trade.
    #[error("bust of {instrument} without a trade id")]
    BustWithoutId {
        /// The instrument.
        instrument: InstrumentId,
    },
}

impl TradeUpdate {
    /// The event body.
    ///
    /// # Errors
    /// [`TradeError`]: a trade without price or quantity, a bust without a trade
    /// id.
    pub fn body(&self) -> Result<TradeBody, TradeError> {
        let action = match self.action {
            TradeAction::Trade => {
                if self.price_e9.is_null() || self.qty.is_null() {
                    return Err(TradeError::MissingValue {
                        instrument: self.instrument,
                    });
                }
                Action::Trade
            }
            TradeAction::Bust => {
                if self.trade_id.get() == 0 {
                    return Err(TradeError::BustWithoutId {
                        instrument: self.instrument,
                    });
                }
                Action::Cancel
            }
        };
        Ok(TradeBody {
            price_e9: self.price_e9,
            trade_id: self.trade_id,
            qty: self.qty,
            rpt_seq: self.rpt_seq,
            aggressor: self.aggressor,
            action,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trade(action: TradeAction, id: u64) -> TradeUpdate {
        TradeUpdate {
            instrument: InstrumentId(1),
            action,
            price_e9: Price::from_e9(12_952_000_000_000),
            qty: Qty::from_lots(2),
            trade_id: TradeId(id),
            aggressor: Side::Ask,
            rpt_seq: 4,
        }
    }

    #[test]
    fn trade_and_bust_bodies() {
        let b = trade(TradeAction::Trade, 77).body().unwrap();
        assert_eq!(
            (b.action, b.trade_id, b.aggressor),
            (Action::Trade, TradeId(77), Side::Ask)
        );
        let b = trade(TradeAction::Bust, 77).body().unwrap();
        assert_eq!((b.action, b.trade_id), (Action::Cancel, TradeId(77)));
        assert_eq!(
            trade(TradeAction::Bust, 0).body(),
            Err(TradeError::BustWithoutId {
                instrument: InstrumentId(1)
            })
        );
        let mut t = trade(TradeAction::Trade, 0);
        t.qty = Qty::NULL;
        assert!(matches!(t.body(), Err(TradeError::MissingValue { .. })));
    }
}
