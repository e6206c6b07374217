//! The exponent −7 recovery snapshots of schema versions 2–8: template 38
//! `SnapshotFullRefresh38` (MBP, since version 2) and 44
//! `SnapshotFullRefreshOrderBook44` (MBO, chunked, since version 7), replaced
//! by 52 and 53 at −9. Decoded, not normalized (the CME adapter counts them).
//!
//! 38 root (59):
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 4 | LastMsgSeqNumProcessed (369) | uInt32 |
//! | 4 | 4 | TotNumReports (911) | uInt32 |
//! | 8 | 4 | SecurityID (48) | Int32 |
//! | 12 | 4 | RptSeq (83) | uInt32 |
//! | 16 | 8 | TransactTime (60) | uInt64 ns |
//! | 24 | 8 | LastUpdateTime (779) | uInt64 ns |
//! | 32 | 2 | TradeDate (75) | LocalMktDate |
//! | 34 | 1 | MDSecurityTradingStatus (1682) | enum uInt8NULL |
//! | 35 | 8 | HighLimitPrice (1149) | PRICENULL (−7) |
//! | 43 | 8 | LowLimitPrice (1148) | PRICENULL (−7) |
//! | 51 | 8 | MaxPriceVariation (1143) | PRICENULL (−7) |
//!
//! 38 `NoMDEntries` (268), `groupSize`, entry 22:
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 8 | MDEntryPx (270) | PRICENULL (−7) |
//! | 8 | 4 | MDEntrySize (271) | Int32NULL |
//! | 12 | 4 | NumberOfOrders (346) | Int32NULL |
//! | 16 | 1 | MDPriceLevel (1023) | Int8NULL |
//! | 17 | 2 | TradingReferenceDate (5796) | LocalMktDate |
//! | 19 | 1 | OpenCloseSettlFlag (286) | enum uInt8NULL |
//! | 20 | 1 | SettlPriceType (731) | set u8 |
//! | 21 | 1 | MDEntryType (269) | `MDEntryType` char |
//!
//! 44 root (28):
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 4 | LastMsgSeqNumProcessed (369) | uInt32 |
//! | 4 | 4 | TotNumReports (911) | uInt32 |
//! | 8 | 4 | SecurityID (48) | Int32 |
//! | 12 | 4 | NoChunks (37709) | uInt32 |
//! | 16 | 4 | CurrentChunk (37710) | uInt32 |
//! | 20 | 8 | TransactTime (60) | uInt64 ns |
//!
//! 44 `NoMDEntries` (268), `groupSize`, entry 29:
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 8 | OrderID (37) | uInt64 |
//! | 8 | 8 | MDOrderPriority (37707) | uInt64NULL |
//! | 16 | 8 | MDEntryPx (270) | PRICE (−7) |
//! | 24 | 4 | MDDisplayQty (37706) | Int32 |
//! | 28 | 1 | MDEntryType (269) | `MDEntryTypeBook` char |
//!
//! No field or group has a `sinceVersion` above its template's.

use super::block::sbe_block;
use super::encoding::{
    Enum, I32Null, I8Null, LocalMktDate, Price7, PriceNull7, SetU8, U64Null, I32, U32, U64,
};
use super::enums::{
    MdEntryType, MdEntryTypeBook, OpenCloseSettlFlag, SecurityTradingStatus, SettlPriceType,
};
use super::group::sbe_message;

sbe_block! {
    /// Root of `SnapshotFullRefresh38`.
    pub struct SnapshotFullRefresh38Root, schema block length 59 {
        last_msg_seq_num_processed [LAST_MSG_SEQ_NUM_PROCESSED @ 0]: U32 = "LastMsgSeqNumProcessed", since 0;
        tot_num_reports [TOT_NUM_REPORTS @ 4]: U32 = "TotNumReports", since 0;
        security_id [SECURITY_ID @ 8]: I32 = "SecurityID", since 0;
        rpt_seq [RPT_SEQ @ 12]: U32 = "RptSeq", since 0;
        transact_time_ns [TRANSACT_TIME @ 16]: U64 = "TransactTime", since 0;
        last_update_time_ns [LAST_UPDATE_TIME @ 24]: U64 = "LastUpdateTime", since 0;
        trade_date_days [TRADE_DATE @ 32]: LocalMktDate = "TradeDate", since 0;
        md_security_trading_status [MD_SECURITY_TRADING_STATUS @ 34]: Enum<SecurityTradingStatus> = "MDSecurityTradingStatus", since 0;
        high_limit_price [HIGH_LIMIT_PRICE @ 35]: PriceNull7 = "HighLimitPrice", since 0;
        low_limit_price [LOW_LIMIT_PRICE @ 43]: PriceNull7 = "LowLimitPrice", since 0;
        max_price_variation [MAX_PRICE_VARIATION @ 51]: PriceNull7 = "MaxPriceVariation", since 0;
    }
}

sbe_block! {
    /// Entry of `SnapshotFullRefresh38.NoMDEntries` (exponent −7).
    pub struct SnapshotFullRefresh38Entry, schema block length 22 {
        md_entry_px [MD_ENTRY_PX @ 0]: PriceNull7 = "MDEntryPx", since 0;
        md_entry_size [MD_ENTRY_SIZE @ 8]: I32Null = "MDEntrySize", since 0;
        number_of_orders [NUMBER_OF_ORDERS @ 12]: I32Null = "NumberOfOrders", since 0;
        md_price_level [MD_PRICE_LEVEL @ 16]: I8Null = "MDPriceLevel", since 0;
        trading_reference_date_days [TRADING_REFERENCE_DATE @ 17]: LocalMktDate = "TradingReferenceDate", since 0;
        open_close_settl_flag [OPEN_CLOSE_SETTL_FLAG @ 19]: Enum<OpenCloseSettlFlag> = "OpenCloseSettlFlag", since 0;
        settl_price_type [SETTL_PRICE_TYPE @ 20]: SetU8<SettlPriceType> = "SettlPriceType", since 0;
        md_entry_type [MD_ENTRY_TYPE @ 21]: Enum<MdEntryType> = "MDEntryType", since 0;
    }
}

sbe_block! {
    /// Root of `SnapshotFullRefreshOrderBook44`.
    pub struct SnapshotFullRefreshOrderBook44Root, schema block length 28 {
        last_msg_seq_num_processed [LAST_MSG_SEQ_NUM_PROCESSED @ 0]: U32 = "LastMsgSeqNumProcessed", since 0;
        tot_num_reports [TOT_NUM_REPORTS @ 4]: U32 = "TotNumReports", since 0;
        security_id [SECURITY_ID @ 8]: I32 = "SecurityID", since 0;
        no_chunks [NO_CHUNKS @ 12]: U32 = "NoChunks", since 0;
        current_chunk [CURRENT_CHUNK @ 16]: U32 = "CurrentChunk", since 0;
        transact_time_ns [TRANSACT_TIME @ 20]: U64 = "TransactTime", since 0;
    }
}

sbe_block! {
    /// Entry of `SnapshotFullRefreshOrderBook44.NoMDEntries`: one resting order
    /// (exponent −7).
    pub struct SnapshotFullRefreshOrderBook44Entry, schema block length 29 {
        order_id [ORDER_ID @ 0]: U64 = "OrderID", since 0;
        md_order_priority [MD_ORDER_PRIORITY @ 8]: U64Null = "MDOrderPriority", since 0;
        md_entry_px [MD_ENTRY_PX @ 16]: Price7 = "MDEntryPx", since 0;
        md_display_qty [MD_DISPLAY_QTY @ 24]: I32 = "MDDisplayQty", since 0;
        md_entry_type [MD_ENTRY_TYPE @ 28]: Enum<MdEntryTypeBook> = "MDEntryType", since 0;
    }
}

sbe_message! {
    /// Template 38: MBP snapshot of one instrument, exponent −7 prices.
    pub struct SnapshotFullRefresh38 = SNAPSHOT_FULL_REFRESH_38, "SnapshotFullRefresh38", root SnapshotFullRefresh38Root {
        md_entries: SnapshotFullRefresh38Entry = "NoMDEntries", GroupSize, since 0;
    }
}

sbe_message! {
    /// Template 44: MBO snapshot chunk of one instrument, exponent −7 prices.
    pub struct SnapshotFullRefreshOrderBook44 = SNAPSHOT_FULL_REFRESH_ORDER_BOOK_44, "SnapshotFullRefreshOrderBook44", root SnapshotFullRefreshOrderBook44Root {
        md_entries: SnapshotFullRefreshOrderBook44Entry = "NoMDEntries", GroupSize, since 0;
    }
}
