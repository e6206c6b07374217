//! The root block shared by every incremental refresh (32, 35, 37, 42, 46–51).
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 8 | TransactTime (60) | uInt64 ns: start of event processing |
//! | 8 | 1 | MatchEventIndicator (5799) | set u8 |
//! | 9 | 2 | pad (schema blockLength 11) | |

use super::block::sbe_block;
use super::encoding::{SetU8, U64};
use super::enums::MatchEventIndicator;

sbe_block! {
    /// Root of an incremental refresh.
    pub struct IncrementalRoot, schema block length 11 {
        transact_time_ns [TRANSACT_TIME @ 0]: U64 = "TransactTime", since 0;
        match_event_indicator [MATCH_EVENT_INDICATOR @ 8]: SetU8<MatchEventIndicator> = "MatchEventIndicator", since 0;
    }
}
