//! The exponent −7 statistics of schema versions 2–8: templates 33
//! `MDIncrementalRefreshDailyStatistics33` and 34
//! `MDIncrementalRefreshLimitsBanding34` (replaced by 49 and 50 at −9). Root:
//! [`IncrementalRoot`](super::IncrementalRoot). Decoded, not normalized (the
//! CME adapter counts them).
//!
//! 33 `NoMDEntries` (268), `groupSize`, entry 32:
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 8 | MDEntryPx (270) | PRICENULL (−7) |
//! | 8 | 4 | MDEntrySize (271) | Int32NULL |
//! | 12 | 4 | SecurityID (48) | Int32 |
//! | 16 | 4 | RptSeq (83) | uInt32 |
//! | 20 | 2 | TradingReferenceDate (5796) | LocalMktDate |
//! | 22 | 1 | SettlPriceType (731) | set u8 |
//! | 23 | 1 | MDUpdateAction (279) | enum u8 |
//! | 24 | 1 | MDEntryType (269) | `MDEntryTypeDailyStatistics` char: `6 B C W` |
//! | 25 | 7 | pad | |
//!
//! 34 `NoMDEntries` (268), `groupSize`, entry 32:
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 8 | HighLimitPrice (1149) | PRICENULL (−7) |
//! | 8 | 8 | LowLimitPrice (1148) | PRICENULL (−7) |
//! | 16 | 8 | MaxPriceVariation (1143) | PRICENULL (−7) |
//! | 24 | 4 | SecurityID (48) | Int32 |
//! | 28 | 4 | RptSeq (83) | uInt32 |
//! | — | 0 | MDUpdateAction (279) | constant 0 (New) |
//! | — | 0 | MDEntryType (269) | constant `g` |
//!
//! No field or group has a `sinceVersion` above the templates' own (2).

use super::block::sbe_block;
use super::encoding::{
    ConstEntryType, ConstUpdateAction, Enum, I32Null, LocalMktDate, PriceNull7, SetU8, I32, U32,
};
use super::enums::{MdEntryTypeDailyStatistics, MdUpdateAction, SettlPriceType};
use super::group::sbe_message;
use super::incremental_root::IncrementalRoot;

sbe_block! {
    /// Entry of `MDIncrementalRefreshDailyStatistics33.NoMDEntries` (exponent −7).
    pub struct DailyStatistics33Entry, schema block length 32 {
        md_entry_px [MD_ENTRY_PX @ 0]: PriceNull7 = "MDEntryPx", since 0;
        md_entry_size [MD_ENTRY_SIZE @ 8]: I32Null = "MDEntrySize", since 0;
        security_id [SECURITY_ID @ 12]: I32 = "SecurityID", since 0;
        rpt_seq [RPT_SEQ @ 16]: U32 = "RptSeq", since 0;
        trading_reference_date_days [TRADING_REFERENCE_DATE @ 20]: LocalMktDate = "TradingReferenceDate", since 0;
        settl_price_type [SETTL_PRICE_TYPE @ 22]: SetU8<SettlPriceType> = "SettlPriceType", since 0;
        md_update_action [MD_UPDATE_ACTION @ 23]: Enum<MdUpdateAction> = "MDUpdateAction", since 0;
        md_entry_type [MD_ENTRY_TYPE @ 24]: Enum<MdEntryTypeDailyStatistics> = "MDEntryType", since 0;
    }
}

sbe_block! {
    /// Entry of `MDIncrementalRefreshLimitsBanding34.NoMDEntries` (exponent −7).
    pub struct LimitsBanding34Entry, schema block length 32 {
        high_limit_price [HIGH_LIMIT_PRICE @ 0]: PriceNull7 = "HighLimitPrice", since 0;
        low_limit_price [LOW_LIMIT_PRICE @ 8]: PriceNull7 = "LowLimitPrice", since 0;
        max_price_variation [MAX_PRICE_VARIATION @ 16]: PriceNull7 = "MaxPriceVariation", since 0;
        security_id [SECURITY_ID @ 24]: I32 = "SecurityID", since 0;
        rpt_seq [RPT_SEQ @ 28]: U32 = "RptSeq", since 0;
        md_update_action: ConstUpdateAction<0> = "MDUpdateAction", since 0;
        md_entry_type: ConstEntryType<b'g'> = "MDEntryType", since 0;
    }
}

sbe_message! {
    /// Template 33: daily statistics, exponent −7 prices.
    pub struct MdIncrementalRefreshDailyStatistics33 = MD_INCREMENTAL_REFRESH_DAILY_STATISTICS_33, "MDIncrementalRefreshDailyStatistics33", root IncrementalRoot {
        md_entries: DailyStatistics33Entry = "NoMDEntries", GroupSize, since 0;
    }
}

sbe_message! {
    /// Template 34: limits and banding, exponent −7 prices.
    pub struct MdIncrementalRefreshLimitsBanding34 = MD_INCREMENTAL_REFRESH_LIMITS_BANDING_34, "MDIncrementalRefreshLimitsBanding34", root IncrementalRoot {
        md_entries: LimitsBanding34Entry = "NoMDEntries", GroupSize, since 0;
    }
}
