//! Template 30 `SecurityStatus30` (root 30, no groups): trading status of an
//! instrument, or of a whole security group / asset when `SecurityID` is null.
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 8 | TransactTime (60) | uInt64 ns |
//! | 8 | 6 | SecurityGroup (1151) | char[6] |
//! | 14 | 6 | Asset (6937) | char[6] |
//! | 20 | 4 | SecurityID (48) | Int32NULL |
//! | 24 | 2 | TradeDate (75) | LocalMktDate |
//! | 26 | 1 | MatchEventIndicator (5799) | set u8 |
//! | 27 | 1 | SecurityTradingStatus (326) | enum uInt8NULL |
//! | 28 | 1 | HaltReason (327) | enum u8 |
//! | 29 | 1 | SecurityTradingEvent (1174) | enum u8 |

use super::block::sbe_block;
use super::encoding::{Chars, Enum, I32Null, LocalMktDate, SetU8, U64};
use super::enums::{HaltReason, MatchEventIndicator, SecurityTradingEvent, SecurityTradingStatus};
use super::group::sbe_message;

sbe_block! {
    /// Root of `SecurityStatus30`.
    pub struct SecurityStatus30Root, schema block length 30 {
        transact_time_ns [TRANSACT_TIME @ 0]: U64 = "TransactTime", since 0;
        security_group [SECURITY_GROUP @ 8]: Chars<6> = "SecurityGroup", since 0;
        asset [ASSET @ 14]: Chars<6> = "Asset", since 0;
        security_id [SECURITY_ID @ 20]: I32Null = "SecurityID", since 0;
        trade_date_days [TRADE_DATE @ 24]: LocalMktDate = "TradeDate", since 0;
        match_event_indicator [MATCH_EVENT_INDICATOR @ 26]: SetU8<MatchEventIndicator> = "MatchEventIndicator", since 0;
        security_trading_status [SECURITY_TRADING_STATUS @ 27]: Enum<SecurityTradingStatus> = "SecurityTradingStatus", since 0;
        halt_reason [HALT_REASON @ 28]: Enum<HaltReason> = "HaltReason", since 0;
        security_trading_event [SECURITY_TRADING_EVENT @ 29]: Enum<SecurityTradingEvent> = "SecurityTradingEvent", since 0;
    }
}

sbe_message! {
    /// Template 30: security status.
    pub struct SecurityStatus30 = SECURITY_STATUS_30, "SecurityStatus30", root SecurityStatus30Root {}
}
