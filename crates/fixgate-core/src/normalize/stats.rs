//! Per-instrument statistics: the latest value of each [`StatType`].
//!
//! Supported: set and delete of every [`StatType`] (opening, settlement, session
//! high/low, cleared volume, open interest, electronic volume, limits and
//! banding, ...), a reset that withdraws them all (CME `SecurityTradingEvent` 4,
//! a channel reset). Each change yields the [`StatBody`] to publish, carrying
//! the resulting value.

use crate::event::{Action, StatBody, StatType};
use crate::types::{InstrumentId, Price, Qty};

/// Set or withdraw a statistic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatAction {
    /// A new value (CME `MDUpdateAction` New or Change).
    Set,
    /// The venue withdrew the value (CME Delete).
    Delete,
}

/// One statistics update.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StatUpdate {
    /// The instrument.
    pub instrument: InstrumentId,
    /// Which statistic.
    pub stat: StatType,
    /// Set or delete.
    pub action: StatAction,
    /// The price (price statistics), else [`Price::NULL`].
    pub price_e9: Price,
    /// The quantity (quantity statistics, and prices that carry one), else
    /// [`Qty::NULL`].
    pub qty: Qty,
    /// The venue's flags for the value (CME `SettlPriceType`), 0 where none.
    pub venue_flags: u8,
    /// The venue's per-instrument sequence, 0 where none.
    pub rpt_seq: u32,
}

/// A statistic's current value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StatValue {
    /// The price, null for quantity statistics.
    pub price_e9: Price,
    /// The quantity, null where none.
    pub qty: Qty,
    /// The venue's flags.
    pub venue_flags: u8,
    /// The sequence of the update that set it.
    pub rpt_seq: u32,
}

/// Why a statistics update was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{stat:?} set for {instrument} without its value")]
pub struct MissingStatValue {
    /// The instrument.
    pub instrument: InstrumentId,
    /// The statistic.
    pub stat: StatType,
}

/// The statistics of one instrument.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InstrumentStats {
    values: [Option<StatValue>; StatType::COUNT],
}

impl InstrumentStats {
    /// No statistics.
    pub const fn new() -> Self {
        InstrumentStats {
            values: [None; StatType::COUNT],
        }
    }

    /// The value of `stat`.
    #[inline]
    pub fn get(&self, stat: StatType) -> Option<&StatValue> {
        self.values[stat.index()].as_ref()
    }

    /// Every statistic that has a value.
    pub fn iter(&self) -> impl Iterator<Item = (StatType, &StatValue)> + '_ {
        StatType::ALL
            .iter()
            .filter_map(|&s| self.get(s).map(|v| (s, v)))
    }

    /// Applies an update; returns the event body to publish.
    ///
    /// # Errors
    /// [`MissingStatValue`] when a Set lacks the statistic's value (a null
    /// quantity for a quantity statistic, a null price for a price one).
    pub fn apply(&mut self, u: &StatUpdate) -> Result<StatBody, MissingStatValue> {
        let slot = &mut self.values[u.stat.index()];
        let (action, value) = match u.action {
            StatAction::Set => {
                let missing = if u.stat.is_quantity() {
                    u.qty.is_null()
                } else {
                    u.price_e9.is_null()
                };
                if missing {
                    return Err(MissingStatValue {
                        instrument: u.instrument,
                        stat: u.stat,
                    });
                }
                let value = StatValue {
                    price_e9: u.price_e9,
                    qty: u.qty,
                    venue_flags: u.venue_flags,
                    rpt_seq: u.rpt_seq,
                };
                let action = if slot.is_some() {
                    Action::Modify
                } else {
                    Action::Add
                };
                *slot = Some(value);
                (action, value)
            }
            StatAction::Delete => {
                *slot = None;
                let gone = StatValue {
                    price_e9: Price::NULL,
                    qty: Qty::NULL,
                    venue_flags: 0,
                    rpt_seq: u.rpt_seq,
                };
                (Action::Cancel, gone)
            }
        };
        Ok(StatBody {
            price_e9: value.price_e9,
            qty: value.qty,
            rpt_seq: value.rpt_seq,
            stat: u.stat,
            action,
            venue_flags: value.venue_flags,
        })
    }

    /// Withdraws every statistic, reporting a `Cancel` body for each one that had
    /// a value.
    pub fn reset(&mut self, mut emit: impl FnMut(StatBody)) {
        for stat in StatType::ALL {
            if self.values[stat.index()].take().is_some() {
                emit(StatBody {
                    price_e9: Price::NULL,
                    qty: Qty::NULL,
                    rpt_seq: 0,
                    stat,
                    action: Action::Cancel,
                    venue_flags: 0,
                });
            }
        }
    }

    /// Withdraws every statistic silently (a channel reset says it for all).
    pub fn clear(&mut self) {
        self.values = [None; StatType::COUNT];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upd(stat: StatType, action: StatAction, price: i64, qty: u32) -> StatUpdate {
        StatUpdate {
            instrument: InstrumentId(1),
            stat,
            action,
            price_e9: if price < 0 {
                Price::NULL
            } else {
                Price::from_e9(price)
            },
            qty: if qty == u32::MAX {
                Qty::NULL
            } else {
                Qty::from_lots(qty)
            },
            venue_flags: 3,
            rpt_seq: 9,
        }
    }

    #[test]
    fn set_modify_delete_reset() {
        let mut s = InstrumentStats::new();
        let b = s
            .apply(&upd(
                StatType::SettlementPrice,
                StatAction::Set,
                500,
                u32::MAX,
            ))
            .unwrap();
        assert_eq!(
            (b.action, b.price_e9, b.venue_flags),
            (Action::Add, Price::from_e9(500), 3)
        );
        let b = s
            .apply(&upd(
                StatType::SettlementPrice,
                StatAction::Set,
                510,
                u32::MAX,
            ))
            .unwrap();
        assert_eq!(b.action, Action::Modify);
        assert_eq!(
            s.get(StatType::SettlementPrice).unwrap().price_e9,
            Price::from_e9(510)
        );
        s.apply(&upd(StatType::OpenInterest, StatAction::Set, -1, 1234))
            .unwrap();
        assert_eq!(
            s.get(StatType::OpenInterest).unwrap().qty,
            Qty::from_lots(1234)
        );
        let b = s
            .apply(&upd(
                StatType::OpenInterest,
                StatAction::Delete,
                -1,
                u32::MAX,
            ))
            .unwrap();
        assert_eq!((b.action, b.qty), (Action::Cancel, Qty::NULL));
        assert_eq!(s.get(StatType::OpenInterest), None);

        s.apply(&upd(
            StatType::UpperPriceLimit,
            StatAction::Set,
            900,
            u32::MAX,
        ))
        .unwrap();
        let mut withdrawn = Vec::new();
        s.reset(|b| withdrawn.push((b.stat, b.action)));
        assert_eq!(
            withdrawn,
            [
                (StatType::SettlementPrice, Action::Cancel),
                (StatType::UpperPriceLimit, Action::Cancel)
            ]
        );
        assert_eq!(s.iter().count(), 0);
    }

    #[test]
    fn a_set_needs_its_value() {
        let mut s = InstrumentStats::new();
        assert_eq!(
            s.apply(&upd(
                StatType::ElectronicVolume,
                StatAction::Set,
                5,
                u32::MAX
            )),
            Err(MissingStatValue {
                instrument: InstrumentId(1),
                stat: StatType::ElectronicVolume
            })
        );
        assert!(s
            .apply(&upd(StatType::OpeningPrice, StatAction::Set, -1, 4))
            .is_err());
        assert_eq!(s, InstrumentStats::new());
    }
}
