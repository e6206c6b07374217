//! Trade summaries: template 42 `MDIncrementalRefreshTradeSummary42` (exponent
//! −7) and 48 `MDIncrementalRefreshTradeSummary48` (exponent −9), with the
//! orders that filled. Root: [`IncrementalRoot`](super::IncrementalRoot).
//!
//! Group `NoMDEntries` (268), `groupSize`, entry 32:
//!
//! | off | size | field (tag) | type (42 / 48) | since (42) |
//! |---:|---:|---|---|---:|
//! | 0 | 8 | MDEntryPx (270) | PRICE / PRICE9 | |
//! | 8 | 4 | MDEntrySize (271) | Int32 | |
//! | 12 | 4 | SecurityID (48) | Int32 | |
//! | 16 | 4 | RptSeq (83) | uInt32 | |
//! | 20 | 4 | NumberOfOrders (346) | Int32NULL / Int32 | |
//! | 24 | 1 | AggressorSide (5797) | enum uInt8NULL | |
//! | 25 | 1 | MDUpdateAction (279) | enum u8 (Delete = bust) | |
//! | — | 0 | MDEntryType (269) | constant `2` | |
//! | 26 | 4 | MDTradeEntryID (37711) | uInt32NULL | 7 |
//! | 30 | 2 | pad | | |
//!
//! Group `NoOrderIDEntries` (37705), `groupSize8Byte`, entry 16:
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 8 | OrderID (37) | uInt64 |
//! | 8 | 4 | LastQty (32) | Int32 |
//! | 12 | 4 | pad | |

use super::block::sbe_block;
use super::encoding::{ConstEntryType, Enum, I32Null, Price7, Price9, U32Null, I32, U32, U64};
use super::enums::{AggressorSide, MdUpdateAction};
use super::group::sbe_message;
use super::incremental_root::IncrementalRoot;

sbe_block! {
    /// Entry of `MDIncrementalRefreshTradeSummary42.NoMDEntries` (exponent −7).
    pub struct TradeSummary42Entry, schema block length 32 {
        md_entry_px [MD_ENTRY_PX @ 0]: Price7 = "MDEntryPx", since 0;
        md_entry_size [MD_ENTRY_SIZE @ 8]: I32 = "MDEntrySize", since 0;
        security_id [SECURITY_ID @ 12]: I32 = "SecurityID", since 0;
        rpt_seq [RPT_SEQ @ 16]: U32 = "RptSeq", since 0;
        number_of_orders [NUMBER_OF_ORDERS @ 20]: I32Null = "NumberOfOrders", since 0;
        aggressor_side [AGGRESSOR_SIDE @ 24]: Enum<AggressorSide> = "AggressorSide", since 0;
        md_update_action [MD_UPDATE_ACTION @ 25]: Enum<MdUpdateAction> = "MDUpdateAction", since 0;
        md_entry_type: ConstEntryType<b'2'> = "MDEntryType", since 0;
        md_trade_entry_id [MD_TRADE_ENTRY_ID @ 26]: U32Null = "MDTradeEntryID", since 7;
    }
}

sbe_block! {
    /// Entry of `MDIncrementalRefreshTradeSummary48.NoMDEntries` (exponent −9).
    pub struct TradeSummary48Entry, schema block length 32 {
        md_entry_px [MD_ENTRY_PX @ 0]: Price9 = "MDEntryPx", since 0;
        md_entry_size [MD_ENTRY_SIZE @ 8]: I32 = "MDEntrySize", since 0;
        security_id [SECURITY_ID @ 12]: I32 = "SecurityID", since 0;
        rpt_seq [RPT_SEQ @ 16]: U32 = "RptSeq", since 0;
        number_of_orders [NUMBER_OF_ORDERS @ 20]: I32 = "NumberOfOrders", since 0;
        aggressor_side [AGGRESSOR_SIDE @ 24]: Enum<AggressorSide> = "AggressorSide", since 0;
        md_update_action [MD_UPDATE_ACTION @ 25]: Enum<MdUpdateAction> = "MDUpdateAction", since 0;
        md_entry_type: ConstEntryType<b'2'> = "MDEntryType", since 0;
        md_trade_entry_id [MD_TRADE_ENTRY_ID @ 26]: U32Null = "MDTradeEntryID", since 0;
    }
}

sbe_block! {
    /// Entry of `NoOrderIDEntries` in templates 42 and 48: one filled order.
    pub struct TradeOrderEntry, schema block length 16 {
        order_id [ORDER_ID @ 0]: U64 = "OrderID", since 0;
        last_qty [LAST_QTY @ 8]: I32 = "LastQty", since 0;
    }
}

sbe_message! {
    /// Template 42: trade summary, exponent −7 prices.
    pub struct MdIncrementalRefreshTradeSummary42 = MD_INCREMENTAL_REFRESH_TRADE_SUMMARY_42, "MDIncrementalRefreshTradeSummary42", root IncrementalRoot {
        md_entries: TradeSummary42Entry = "NoMDEntries", GroupSize, since 0;
        order_id_entries: TradeOrderEntry = "NoOrderIDEntries", GroupSize8Byte, since 0;
    }
}

sbe_message! {
    /// Template 48: trade summary, exponent −9 prices.
    pub struct MdIncrementalRefreshTradeSummary48 = MD_INCREMENTAL_REFRESH_TRADE_SUMMARY_48, "MDIncrementalRefreshTradeSummary48", root IncrementalRoot {
        md_entries: TradeSummary48Entry = "NoMDEntries", GroupSize, since 0;
        order_id_entries: TradeOrderEntry = "NoOrderIDEntries", GroupSize8Byte, since 0;
    }
}
