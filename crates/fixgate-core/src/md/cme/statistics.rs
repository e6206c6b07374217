//! Statistics: templates 35 `MDIncrementalRefreshSessionStatistics35` (exponent
//! −7), 51 `…SessionStatistics51` (−9), 49 `…DailyStatistics49` and 50
//! `…LimitsBanding50`. Root: [`IncrementalRoot`](super::IncrementalRoot).
//!
//! 35 / 51 `NoMDEntries` (268), `groupSize`, entry 24:
//!
//! | off | size | field (tag) | type (35 / 51) | since (35) |
//! |---:|---:|---|---|---:|
//! | 0 | 8 | MDEntryPx (270) | PRICE / PRICE9 | |
//! | 8 | 4 | SecurityID (48) | Int32 | |
//! | 12 | 4 | RptSeq (83) | uInt32 | |
//! | 16 | 1 | OpenCloseSettlFlag (286) | enum uInt8NULL | |
//! | 17 | 1 | MDUpdateAction (279) | enum u8 | |
//! | 18 | 1 | MDEntryType (269) | `MDEntryTypeStatistics` char: `4 7 8 N O` | |
//! | 19 | 4 | MDEntrySize (271) | Int32NULL | 8 (v5: padding) |
//! | 23 | 1 | pad | | |
//!
//! 49 `NoMDEntries`, `groupSize`, entry 32:
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 8 | MDEntryPx (270) | PRICENULL9 |
//! | 8 | 4 | MDEntrySize (271) | Int32NULL |
//! | 12 | 4 | SecurityID (48) | Int32 |
//! | 16 | 4 | RptSeq (83) | uInt32 |
//! | 20 | 2 | TradingReferenceDate (5796) | LocalMktDate |
//! | 22 | 1 | SettlPriceType (731) | set u8 |
//! | 23 | 1 | MDUpdateAction (279) | enum u8 |
//! | 24 | 1 | MDEntryType (269) | `MDEntryTypeDailyStatistics` char: `6 B C W` |
//! | 25 | 7 | pad | |
//!
//! 50 `NoMDEntries`, `groupSize`, entry 32:
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 8 | HighLimitPrice (1149) | PRICENULL9 |
//! | 8 | 8 | LowLimitPrice (1148) | PRICENULL9 |
//! | 16 | 8 | MaxPriceVariation (1143) | PRICENULL9 |
//! | 24 | 4 | SecurityID (48) | Int32 |
//! | 28 | 4 | RptSeq (83) | uInt32 |
//! | — | 0 | MDUpdateAction (279) | constant 0 (New) |
//! | — | 0 | MDEntryType (269) | constant `g` |

use super::block::sbe_block;
use super::encoding::{
    ConstEntryType, ConstUpdateAction, Enum, I32Null, LocalMktDate, Price7, Price9, PriceNull9,
    SetU8, I32, U32,
};
use super::enums::{
    MdEntryTypeDailyStatistics, MdEntryTypeStatistics, MdUpdateAction, OpenCloseSettlFlag,
    SettlPriceType,
};
use super::group::sbe_message;
use super::incremental_root::IncrementalRoot;

sbe_block! {
    /// Entry of `MDIncrementalRefreshSessionStatistics35.NoMDEntries` (exponent −7).
    pub struct SessionStatistics35Entry, schema block length 24 {
        md_entry_px [MD_ENTRY_PX @ 0]: Price7 = "MDEntryPx", since 0;
        security_id [SECURITY_ID @ 8]: I32 = "SecurityID", since 0;
        rpt_seq [RPT_SEQ @ 12]: U32 = "RptSeq", since 0;
        open_close_settl_flag [OPEN_CLOSE_SETTL_FLAG @ 16]: Enum<OpenCloseSettlFlag> = "OpenCloseSettlFlag", since 0;
        md_update_action [MD_UPDATE_ACTION @ 17]: Enum<MdUpdateAction> = "MDUpdateAction", since 0;
        md_entry_type [MD_ENTRY_TYPE @ 18]: Enum<MdEntryTypeStatistics> = "MDEntryType", since 0;
        md_entry_size [MD_ENTRY_SIZE @ 19]: I32Null = "MDEntrySize", since 8;
    }
}

sbe_block! {
    /// Entry of `MDIncrementalRefreshSessionStatistics51.NoMDEntries` (exponent −9).
    pub struct SessionStatistics51Entry, schema block length 24 {
        md_entry_px [MD_ENTRY_PX @ 0]: Price9 = "MDEntryPx", since 0;
        security_id [SECURITY_ID @ 8]: I32 = "SecurityID", since 0;
        rpt_seq [RPT_SEQ @ 12]: U32 = "RptSeq", since 0;
        open_close_settl_flag [OPEN_CLOSE_SETTL_FLAG @ 16]: Enum<OpenCloseSettlFlag> = "OpenCloseSettlFlag", since 0;
        md_update_action [MD_UPDATE_ACTION @ 17]: Enum<MdUpdateAction> = "MDUpdateAction", since 0;
        md_entry_type [MD_ENTRY_TYPE @ 18]: Enum<MdEntryTypeStatistics> = "MDEntryType", since 0;
        md_entry_size [MD_ENTRY_SIZE @ 19]: I32Null = "MDEntrySize", since 0;
    }
}

sbe_block! {
    /// Entry of `MDIncrementalRefreshDailyStatistics49.NoMDEntries`.
    pub struct DailyStatistics49Entry, schema block length 32 {
        md_entry_px [MD_ENTRY_PX @ 0]: PriceNull9 = "MDEntryPx", since 0;
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
    /// Entry of `MDIncrementalRefreshLimitsBanding50.NoMDEntries`.
    pub struct LimitsBanding50Entry, schema block length 32 {
        high_limit_price [HIGH_LIMIT_PRICE @ 0]: PriceNull9 = "HighLimitPrice", since 0;
        low_limit_price [LOW_LIMIT_PRICE @ 8]: PriceNull9 = "LowLimitPrice", since 0;
        max_price_variation [MAX_PRICE_VARIATION @ 16]: PriceNull9 = "MaxPriceVariation", since 0;
        security_id [SECURITY_ID @ 24]: I32 = "SecurityID", since 0;
        rpt_seq [RPT_SEQ @ 28]: U32 = "RptSeq", since 0;
        md_update_action: ConstUpdateAction<0> = "MDUpdateAction", since 0;
        md_entry_type: ConstEntryType<b'g'> = "MDEntryType", since 0;
    }
}

sbe_message! {
    /// Template 35: session statistics, exponent −7 prices.
    pub struct MdIncrementalRefreshSessionStatistics35 = MD_INCREMENTAL_REFRESH_SESSION_STATISTICS_35, "MDIncrementalRefreshSessionStatistics35", root IncrementalRoot {
        md_entries: SessionStatistics35Entry = "NoMDEntries", GroupSize, since 0;
    }
}

sbe_message! {
    /// Template 51: session statistics, exponent −9 prices.
    pub struct MdIncrementalRefreshSessionStatistics51 = MD_INCREMENTAL_REFRESH_SESSION_STATISTICS_51, "MDIncrementalRefreshSessionStatistics51", root IncrementalRoot {
        md_entries: SessionStatistics51Entry = "NoMDEntries", GroupSize, since 0;
    }
}

sbe_message! {
    /// Template 49: daily statistics.
    pub struct MdIncrementalRefreshDailyStatistics49 = MD_INCREMENTAL_REFRESH_DAILY_STATISTICS_49, "MDIncrementalRefreshDailyStatistics49", root IncrementalRoot {
        md_entries: DailyStatistics49Entry = "NoMDEntries", GroupSize, since 0;
    }
}

sbe_message! {
    /// Template 50: limits and banding.
    pub struct MdIncrementalRefreshLimitsBanding50 = MD_INCREMENTAL_REFRESH_LIMITS_BANDING_50, "MDIncrementalRefreshLimitsBanding50", root IncrementalRoot {
        md_entries: LimitsBanding50Entry = "NoMDEntries", GroupSize, since 0;
    }
}
