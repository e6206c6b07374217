//! CME wire values to fixgate's units and enums.
//!
//! | CME | fixgate |
//! |---|---|
//! | `MDEntryType` `0` / `1` / `E` / `F` | bid / ask of the outright / implied book |
//! | `MDUpdateAction` 0–5 | [`MbpAction`] (levels), [`OrderAction`] 0–2 (orders), set / delete (statistics) |
//! | `OrderUpdateAction` 0–2 | [`OrderAction`] |
//! | `AggressorSide` 1 / 2 / 0 or null | [`Side::Bid`] / [`Side::Ask`] / [`Side::None`] |
//! | `Int32`/`Int32NULL` sizes | [`Qty`] (null stays null; negative refused) |
//! | `SecurityTradingStatus` | [`TradingState`] (103 "no change" and null keep the state) |
//! | `MDEntryType` of statistics | [`StatType`] |

use super::refusal::RefusalReason;
use crate::event::{StatType, TradingState};
use crate::md::cme::{MdEntryType, MdUpdateAction, OpenCloseSettlFlag, SecurityTradingStatus};
use crate::normalize::book::{BookKind, MbpAction, OrderAction};
use crate::normalize::stats::StatAction;
use crate::types::{InstrumentId, Qty, Side};

/// The book and side of a book entry type (`0 1 E F`).
#[inline]
pub(super) fn book_side(entry_type: MdEntryType) -> Option<(BookKind, Side)> {
    Some(match entry_type {
        MdEntryType::BID => (BookKind::Outright, Side::Bid),
        MdEntryType::OFFER => (BookKind::Outright, Side::Ask),
        MdEntryType::IMPLIED_BID => (BookKind::Implied, Side::Bid),
        MdEntryType::IMPLIED_OFFER => (BookKind::Implied, Side::Ask),
        _ => return None,
    })
}

/// The side of an order entry type (`0 1`; orders are never implied).
#[inline]
pub(super) fn order_side(entry_type: MdEntryType) -> Option<Side> {
    match entry_type {
        MdEntryType::BID => Some(Side::Bid),
        MdEntryType::OFFER => Some(Side::Ask),
        _ => None,
    }
}

/// A level action, refused when it is not one of the six.
#[inline]
pub(super) fn mbp_action(a: Option<MdUpdateAction>) -> Result<MbpAction, RefusalReason> {
    let a = a.ok_or(RefusalReason::MissingField {
        field: "MDUpdateAction",
    })?;
    MbpAction::from_fix(a.0).ok_or(RefusalReason::UnsupportedAction { action: a.0 })
}

/// An order action (`MDUpdateAction` of 47, `OrderUpdateAction` of 46), 0–2.
#[inline]
pub(super) fn order_action(raw: Option<u8>) -> Result<OrderAction, RefusalReason> {
    let a = raw.ok_or(RefusalReason::MissingField {
        field: "OrderUpdateAction",
    })?;
    OrderAction::from_code(a).ok_or(RefusalReason::UnsupportedAction { action: a })
}

/// A statistic's action: New and Change set it, Delete withdraws it.
#[inline]
pub(super) fn stat_action(a: Option<MdUpdateAction>) -> Result<StatAction, RefusalReason> {
    match a {
        Some(MdUpdateAction::NEW | MdUpdateAction::CHANGE) => Ok(StatAction::Set),
        Some(MdUpdateAction::DELETE) => Ok(StatAction::Delete),
        Some(a) => Err(RefusalReason::UnsupportedAction { action: a.0 }),
        None => Err(RefusalReason::MissingField {
            field: "MDUpdateAction",
        }),
    }
}

/// A size as a quantity: absent or null is [`Qty::NULL`], negative is refused.
#[inline]
pub(super) fn qty(field: &'static str, v: Option<i32>) -> Result<Qty, RefusalReason> {
    match v {
        None => Ok(Qty::NULL),
        Some(n) => Qty::from_i64(i64::from(n)).ok_or(RefusalReason::BadQuantity {
            field,
            value: i64::from(n),
        }),
    }
}

/// An order count: absent, null or negative is 0 (unknown).
#[inline]
pub(super) fn order_count(v: Option<i32>) -> u32 {
    v.map_or(0, |n| u32::try_from(n).unwrap_or(0))
}

/// The aggressor of a trade summary.
#[inline]
pub(super) fn aggressor(raw: Option<crate::md::cme::AggressorSide>) -> Side {
    match raw.map(|a| a.0) {
        Some(1) => Side::Bid,
        Some(2) => Side::Ask,
        _ => Side::None,
    }
}

/// A `SecurityID` as an instrument id (zero and negative refused).
#[inline]
pub(super) fn instrument(security_id: Option<i32>) -> Result<InstrumentId, RefusalReason> {
    let raw = security_id.ok_or(RefusalReason::MissingField {
        field: "SecurityID",
    })?;
    match u32::try_from(raw) {
        Ok(id) if id != 0 => Ok(InstrumentId(id)),
        _ => Err(RefusalReason::BadSecurityId { security_id: raw }),
    }
}

/// The trading state a `SecurityTradingStatus` announces; `None` keeps the
/// current state (null, 103 "no change").
pub(super) fn trading_state(status: Option<SecurityTradingStatus>) -> Option<TradingState> {
    Some(match status? {
        SecurityTradingStatus::TRADING_HALT => TradingState::Halted,
        SecurityTradingStatus::CLOSE
        | SecurityTradingStatus::POST_CLOSE
        | SecurityTradingStatus::NOT_AVAILABLE_FOR_TRADING => TradingState::Closed,
        SecurityTradingStatus::READY_TO_TRADE => TradingState::Trading,
        SecurityTradingStatus::PRE_OPEN => TradingState::PreOpen,
        SecurityTradingStatus::NEW_PRICE_INDICATION
        | SecurityTradingStatus::PRE_CROSS
        | SecurityTradingStatus::CROSS => TradingState::Auction,
        SecurityTradingStatus::NO_CHANGE => return None,
        _ => TradingState::Unknown,
    })
}

/// The statistic of a session or daily statistics entry type (35, 51, 49, 52).
pub(super) fn stat_type(
    entry_type: MdEntryType,
    open_close: Option<OpenCloseSettlFlag>,
) -> Option<StatType> {
    Some(match entry_type {
        MdEntryType::OPEN_PRICE => {
            if open_close == Some(OpenCloseSettlFlag::INDICATIVE_OPENING_PRICE) {
                StatType::IndicativeOpeningPrice
            } else {
                StatType::OpeningPrice
            }
        }
        MdEntryType::SETTLEMENT_PRICE => StatType::SettlementPrice,
        MdEntryType::TRADING_SESSION_HIGH_PRICE => StatType::SessionHighPrice,
        MdEntryType::TRADING_SESSION_LOW_PRICE => StatType::SessionLowPrice,
        MdEntryType::SESSION_HIGH_BID => StatType::HighestBid,
        MdEntryType::SESSION_LOW_OFFER => StatType::LowestOffer,
        MdEntryType::CLEARED_VOLUME => StatType::ClearedVolume,
        MdEntryType::OPEN_INTEREST => StatType::OpenInterest,
        MdEntryType::FIXING_PRICE => StatType::FixingPrice,
        MdEntryType::ELECTRONIC_VOLUME => StatType::ElectronicVolume,
        _ => return None,
    })
}

/// `SendingTime − TransactTime` in ns, saturated to an `i32` (0 when either is
/// unknown). Computed on `u64` magnitudes, one branch per sign (every
/// incremental message computes it; the `i128` clamp it replaces, equal on
/// every input as the tests check, cost about twice the instructions).
#[inline]
pub(super) fn in_delta_ns(sending_time_ns: u64, transact_time_ns: Option<u64>) -> i32 {
    const MAX: u64 = i32::MAX as u64;
    match transact_time_ns {
        Some(t) if sending_time_ns != 0 => {
            if sending_time_ns >= t {
                (sending_time_ns - t).min(MAX) as i32
            } else {
                // −(t − s), down to i32::MIN = −(MAX + 1).
                let below = (t - sending_time_ns).min(MAX + 1);
                (-(below as i64)) as i32
            }
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(
            book_side(MdEntryType::IMPLIED_OFFER),
            Some((BookKind::Implied, Side::Ask))
        );
        assert_eq!(book_side(MdEntryType::BOOK_RESET), None);
        assert_eq!(
            mbp_action(Some(MdUpdateAction(4))),
            Ok(MbpAction::DeleteFrom)
        );
        assert_eq!(
            mbp_action(Some(MdUpdateAction(9))),
            Err(RefusalReason::UnsupportedAction { action: 9 })
        );
        assert_eq!(qty("MDEntrySize", None), Ok(Qty::NULL));
        assert_eq!(qty("MDEntrySize", Some(5)), Ok(Qty::from_lots(5)));
        assert!(qty("MDEntrySize", Some(-1)).is_err());
        assert_eq!(order_count(Some(-3)), 0);
        assert_eq!(
            instrument(Some(-5)),
            Err(RefusalReason::BadSecurityId { security_id: -5 })
        );
        assert_eq!(instrument(Some(157_660)), Ok(InstrumentId(157_660)));
        assert_eq!(
            trading_state(Some(SecurityTradingStatus::READY_TO_TRADE)),
            Some(TradingState::Trading)
        );
        assert_eq!(trading_state(Some(SecurityTradingStatus::NO_CHANGE)), None);
        assert_eq!(
            stat_type(
                MdEntryType::OPEN_PRICE,
                Some(OpenCloseSettlFlag::INDICATIVE_OPENING_PRICE)
            ),
            Some(StatType::IndicativeOpeningPrice)
        );
        assert_eq!(in_delta_ns(1_000, Some(400)), 600);
        assert_eq!(in_delta_ns(0, Some(400)), 0);
        assert_eq!(in_delta_ns(u64::MAX, Some(0)), i32::MAX);
        assert_eq!(in_delta_ns(1, Some(u64::MAX)), i32::MIN);
    }

    /// The `u64` computation equals the `i128` clamp around every boundary.
    #[test]
    fn in_delta_is_the_saturated_difference() {
        let reference = |s: u64, t: Option<u64>| match t {
            Some(t) if s != 0 => {
                let d = i128::from(s) - i128::from(t);
                d.clamp(i128::from(i32::MIN), i128::from(i32::MAX)) as i32
            }
            _ => 0,
        };
        let m = i32::MAX as u64;
        let bases = [
            0,
            1,
            2,
            1_700_000_000_000_000_000,
            u64::MAX - m - 2,
            u64::MAX,
        ];
        let offsets = [0, 1, 2, m - 1, m, m + 1, m + 2, u64::MAX];
        let mut checked = 0;
        for &b in &bases {
            for &o in &offsets {
                for (s, t) in [
                    (b, b.wrapping_add(o)),
                    (b.wrapping_add(o), b),
                    (b, b.wrapping_sub(o)),
                    (b.wrapping_sub(o), b),
                ] {
                    assert_eq!(in_delta_ns(s, Some(t)), reference(s, Some(t)), "{s} {t}");
                    assert_eq!(in_delta_ns(s, None), 0);
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, bases.len() * offsets.len() * 4);
    }
}
