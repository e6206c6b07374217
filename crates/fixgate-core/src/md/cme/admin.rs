//! Administrative templates: 4 `ChannelReset4` and 12 `AdminHeartbeat12`.
//!
//! **4 ChannelReset4** (root 9): books of the channel are corrupt, empty them.
//!
//! | off | size | field (tag) | type | since |
//! |---:|---:|---|---|---:|
//! | 0 | 8 | TransactTime (60) | uInt64 ns | |
//! | 8 | 1 | MatchEventIndicator (5799) | set u8 | |
//!
//! Group `NoMDEntries` (268), `groupSize`, entry 2:
//!
//! | off | size | field (tag) | type | since |
//! |---:|---:|---|---|---:|
//! | — | 0 | MDUpdateAction (279) | constant 0 (New) | 2 |
//! | — | 0 | MDEntryType (269) | constant `J` | |
//! | 0 | 2 | ApplID (1180) | Int16: the channel | 3 |
//!
//! **12 AdminHeartbeat12** (root 0): no fields.

use super::block::sbe_block;
use super::encoding::{ConstEntryType, ConstUpdateAction, SetU8, I16, U64};
use super::enums::MatchEventIndicator;
use super::group::sbe_message;

sbe_block! {
    /// Root of `ChannelReset4`.
    pub struct ChannelReset4Root, schema block length 9 {
        transact_time_ns [TRANSACT_TIME @ 0]: U64 = "TransactTime", since 0;
        match_event_indicator [MATCH_EVENT_INDICATOR @ 8]: SetU8<MatchEventIndicator> = "MatchEventIndicator", since 0;
    }
}

sbe_block! {
    /// Entry of `ChannelReset4.NoMDEntries`.
    pub struct ChannelReset4Entry, schema block length 2 {
        md_update_action: ConstUpdateAction<0> = "MDUpdateAction", since 2;
        md_entry_type: ConstEntryType<b'J'> = "MDEntryType", since 0;
        appl_id [APPL_ID @ 0]: I16 = "ApplID", since 3;
    }
}

sbe_message! {
    /// Template 4: channel reset.
    pub struct ChannelReset4 = CHANNEL_RESET_4, "ChannelReset4", root ChannelReset4Root {
        md_entries: ChannelReset4Entry = "NoMDEntries", GroupSize, since 0;
    }
}

sbe_block! {
    /// Root of `AdminHeartbeat12` (no fields).
    pub struct AdminHeartbeat12Root, schema block length 0 {}
}

sbe_message! {
    /// Template 12: heartbeat.
    pub struct AdminHeartbeat12 = ADMIN_HEARTBEAT_12, "AdminHeartbeat12", root AdminHeartbeat12Root {}
}
