//! Trading status → DBN `status` record fields.
//!
//! fixgate's [`StatusBody`] has a normalized [`TradingState`] and the venue's raw
//! codes; DBN's `StatusMsg` has Databento's normalized `action`, `reason` and
//! `trading_event` codes and three Y/N/`~` indicators. The mapping:
//!
//! | DBN field | CME events (venue [`VenueId::CME`]) | other venues |
//! |---|---|---|
//! | `action` | from `SecurityTradingStatus` (table below); the state's action where the code has none | from the state (table below) |
//! | `reason` | from `HaltReason`: CME's value + 1, `Unknown` (5) → 0 | 0 (none) |
//! | `trading_event` | from `SecurityTradingEvent`: 1 → 1, 4 → 2, 5 → 3, 6 → 4, else 0 | 0 (none) |
//! | `is_trading` | from the state: `Y` trading, `N` other states, `~` unknown | same |
//! | `is_quoting` | from the state: `Y` pre-open, auction, trading, paused; `N` halted, closed; `~` unknown | same |
//! | `is_short_sell_restricted` | `~` (not applicable to futures) | same |
//!
//! | CME `SecurityTradingStatus` | DBN action | | fixgate state | DBN action |
//! |---|---|---|---|---|
//! | 2 TradingHalt | 8 halt | | unknown | 0 none |
//! | 4 Close | 12 close | | pre-open | 1 pre-open |
//! | 15 NewPriceIndication | 6 new price indication | | auction | 4 cross |
//! | 17 ReadyToTrade | 7 trading | | trading | 7 trading |
//! | 18 NotAvailableForTrading | 15 not available | | paused | 9 pause |
//! | 21 PreOpen | 1 pre-open | | halted | 8 halt |
//! | 24 PreCross | 2 pre-cross | | closed | 12 close |
//! | 25 Cross | 4 cross | | | |
//! | 26 PostClose | 13 post-close | | | |
//!
//! The CME reason and event tables follow Databento's own GLBX.MDP3 data (the
//! reference `status` file has CME's `GroupSchedule` (0) as DBN `Scheduled` (1)).
//! CME's `SecurityTradingEvent` 4 is "Change of Trading Session" in older MDP 3
//! documents and `ResetStatistics` in schema v9; DBN's 2 is the former. The venue's
//! raw `venue_status` itself has no DBN field and is not kept.

use super::wire::StatusAction;
use crate::event::{StatusBody, TradingState};
use crate::types::VenueId;

/// The DBN status fields of a fixgate status event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DbnStatus {
    /// Databento's status action.
    pub action: StatusAction,
    /// Databento's status reason (0: none).
    pub reason: u16,
    /// Databento's trading event (0: none).
    pub trading_event: u16,
    /// `b'Y'`, `b'N'` or `b'~'` (not known).
    pub is_trading: u8,
    /// `b'Y'`, `b'N'` or `b'~'` (not known).
    pub is_quoting: u8,
    /// Always `b'~'`: short-sale restrictions do not apply to futures.
    pub is_short_sell_restricted: u8,
}

/// The DBN status fields of `body` from `venue`.
pub fn dbn_status(venue: VenueId, body: &StatusBody) -> DbnStatus {
    let from_state = state_action(body.state);
    let (action, reason, trading_event) = if venue == VenueId::CME {
        (
            cme_action(body.venue_status).unwrap_or(from_state),
            cme_reason(body.halt_reason),
            cme_event(body.trading_event),
        )
    } else {
        (from_state, 0, 0)
    };
    let (is_trading, is_quoting) = match body.state {
        TradingState::Unknown => (b'~', b'~'),
        TradingState::Trading => (b'Y', b'Y'),
        TradingState::PreOpen | TradingState::Auction | TradingState::Paused => (b'N', b'Y'),
        TradingState::Halted | TradingState::Closed => (b'N', b'N'),
    };
    DbnStatus {
        action,
        reason,
        trading_event,
        is_trading,
        is_quoting,
        is_short_sell_restricted: b'~',
    }
}

const fn state_action(state: TradingState) -> StatusAction {
    match state {
        TradingState::Unknown => StatusAction::NONE,
        TradingState::PreOpen => StatusAction::PRE_OPEN,
        TradingState::Auction => StatusAction::CROSS,
        TradingState::Trading => StatusAction::TRADING,
        TradingState::Paused => StatusAction::PAUSE,
        TradingState::Halted => StatusAction::HALT,
        TradingState::Closed => StatusAction::CLOSE,
    }
}

/// CME MDP 3 `SecurityTradingStatus` (tag 326) → DBN action; `None` for
/// `UnknownOrInvalid` (20), `NoChange` (103) and codes CME does not define.
const fn cme_action(code: u16) -> Option<StatusAction> {
    Some(match code {
        2 => StatusAction::HALT,
        4 => StatusAction::CLOSE,
        15 => StatusAction::NEW_PRICE_INDICATION,
        17 => StatusAction::TRADING,
        18 => StatusAction::NOT_AVAILABLE_FOR_TRADING,
        21 => StatusAction::PRE_OPEN,
        24 => StatusAction::PRE_CROSS,
        25 => StatusAction::CROSS,
        26 => StatusAction::POST_CLOSE,
        _ => return None,
    })
}

/// CME `HaltReason` (tag 327) → DBN `StatusReason`: GroupSchedule (0) →
/// Scheduled (1), SurveillanceIntervention (1) → 2, MarketEvent (2) → 3,
/// InstrumentActivation (3) → 4, InstrumentExpiration (4) → 5, Unknown (5) → 0,
/// RecoveryInProcess (6) → 6.
const fn cme_reason(code: u16) -> u16 {
    match code {
        0..=4 => code + 1,
        6 => 6,
        _ => 0,
    }
}

/// CME `SecurityTradingEvent` (tag 1174) → DBN `TradingEvent`.
const fn cme_event(code: u16) -> u16 {
    match code {
        1 => 1,
        4 => 2,
        5 => 3,
        6 => 4,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(
        venue_status: u16,
        halt_reason: u16,
        trading_event: u16,
        state: TradingState,
    ) -> StatusBody {
        StatusBody {
            venue_status,
            halt_reason,
            trading_event,
            state,
        }
    }

    #[test]
    fn cme_codes_map_to_databento_codes() {
        // The four records of Databento's reference status file (GLBX.MDP3 ESH1).
        let s = dbn_status(VenueId::CME, &body(17, 0, 0, TradingState::Trading));
        assert_eq!(
            (s.action, s.reason, s.trading_event),
            (StatusAction::TRADING, 1, 0)
        );
        assert_eq!(
            (s.is_trading, s.is_quoting, s.is_short_sell_restricted),
            (b'Y', b'Y', b'~')
        );
        let s = dbn_status(VenueId::CME, &body(21, 0, 1, TradingState::PreOpen));
        assert_eq!(
            (s.action, s.reason, s.trading_event),
            (StatusAction::PRE_OPEN, 1, 1)
        );
        assert_eq!((s.is_trading, s.is_quoting), (b'N', b'Y'));
        let s = dbn_status(VenueId::CME, &body(15, 0, 0, TradingState::Trading));
        assert_eq!(s.action, StatusAction::NEW_PRICE_INDICATION);
        // An unknown CME code falls back to the normalized state.
        let s = dbn_status(VenueId::CME, &body(103, 5, 9, TradingState::Halted));
        assert_eq!(
            (s.action, s.reason, s.trading_event),
            (StatusAction::HALT, 0, 0)
        );
        assert_eq!((s.is_trading, s.is_quoting), (b'N', b'N'));
        assert_eq!(cme_reason(6), 6);
        assert_eq!([cme_event(4), cme_event(5), cme_event(6)], [2, 3, 4]);
    }

    #[test]
    fn other_venues_use_the_state_only() {
        let states = [
            (TradingState::Unknown, 0, b'~', b'~'),
            (TradingState::PreOpen, 1, b'N', b'Y'),
            (TradingState::Auction, 4, b'N', b'Y'),
            (TradingState::Trading, 7, b'Y', b'Y'),
            (TradingState::Paused, 9, b'N', b'Y'),
            (TradingState::Halted, 8, b'N', b'N'),
            (TradingState::Closed, 12, b'N', b'N'),
        ];
        for (state, action, trading, quoting) in states {
            let s = dbn_status(VenueId::ICE, &body(17, 3, 1, state));
            assert_eq!(s.action, StatusAction(action), "{state:?}");
            assert_eq!((s.reason, s.trading_event), (0, 0));
            assert_eq!(
                (s.is_trading, s.is_quoting),
                (trading, quoting),
                "{state:?}"
            );
        }
    }
}
