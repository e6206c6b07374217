//! MBP book updates: template 32 `MDIncrementalRefreshBook32` (exponent −7
//! prices) and 46 `MDIncrementalRefreshBook46` (exponent −9), each with the
//! orders behind the levels. Root: [`IncrementalRoot`](super::IncrementalRoot).
//!
//! Group `NoMDEntries` (268), `groupSize`, entry 32:
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 8 | MDEntryPx (270) | PRICENULL (32) / PRICENULL9 (46) |
//! | 8 | 4 | MDEntrySize (271) | Int32NULL |
//! | 12 | 4 | SecurityID (48) | Int32 |
//! | 16 | 4 | RptSeq (83) | uInt32 |
//! | 20 | 4 | NumberOfOrders (346) | Int32NULL |
//! | 24 | 1 | MDPriceLevel (1023) | uInt8 (1 = top) |
//! | 25 | 1 | MDUpdateAction (279) | enum u8 |
//! | 26 | 1 | MDEntryType (269) | `MDEntryTypeBook` char: `0 1 E F J` |
//! | 27 | 5 | pad | |
//!
//! Group `NoOrderIDEntries` (37705), `groupSize8Byte`, entry 24 (in 32 since
//! version 7: v5/v6 template 32 messages end after `NoMDEntries`):
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 8 | OrderID (37) | uInt64 |
//! | 8 | 8 | MDOrderPriority (37707) | uInt64NULL |
//! | 16 | 4 | MDDisplayQty (37706) | Int32NULL |
//! | 20 | 1 | ReferenceID (9633) | uInt8NULL: 1-based index into `NoMDEntries` |
//! | 21 | 1 | OrderUpdateAction (37708) | enum u8 |
//! | 22 | 2 | pad | |

use super::block::sbe_block;
use super::encoding::{Enum, I32Null, PriceNull7, PriceNull9, U64Null, U8Null, I32, U32, U64, U8};
use super::enums::{MdEntryTypeBook, MdUpdateAction, OrderUpdateAction};
use super::group::sbe_message;
use super::incremental_root::IncrementalRoot;

sbe_block! {
    /// Entry of `MDIncrementalRefreshBook32.NoMDEntries` (exponent −7).
    pub struct Book32Entry, schema block length 32 {
        md_entry_px [MD_ENTRY_PX @ 0]: PriceNull7 = "MDEntryPx", since 0;
        md_entry_size [MD_ENTRY_SIZE @ 8]: I32Null = "MDEntrySize", since 0;
        security_id [SECURITY_ID @ 12]: I32 = "SecurityID", since 0;
        rpt_seq [RPT_SEQ @ 16]: U32 = "RptSeq", since 0;
        number_of_orders [NUMBER_OF_ORDERS @ 20]: I32Null = "NumberOfOrders", since 0;
        md_price_level [MD_PRICE_LEVEL @ 24]: U8 = "MDPriceLevel", since 0;
        md_update_action [MD_UPDATE_ACTION @ 25]: Enum<MdUpdateAction> = "MDUpdateAction", since 0;
        md_entry_type [MD_ENTRY_TYPE @ 26]: Enum<MdEntryTypeBook> = "MDEntryType", since 0;
    }
}

sbe_block! {
    /// Entry of `MDIncrementalRefreshBook46.NoMDEntries` (exponent −9).
    pub struct Book46Entry, schema block length 32 {
        md_entry_px [MD_ENTRY_PX @ 0]: PriceNull9 = "MDEntryPx", since 0;
        md_entry_size [MD_ENTRY_SIZE @ 8]: I32Null = "MDEntrySize", since 0;
        security_id [SECURITY_ID @ 12]: I32 = "SecurityID", since 0;
        rpt_seq [RPT_SEQ @ 16]: U32 = "RptSeq", since 0;
        number_of_orders [NUMBER_OF_ORDERS @ 20]: I32Null = "NumberOfOrders", since 0;
        md_price_level [MD_PRICE_LEVEL @ 24]: U8 = "MDPriceLevel", since 0;
        md_update_action [MD_UPDATE_ACTION @ 25]: Enum<MdUpdateAction> = "MDUpdateAction", since 0;
        md_entry_type [MD_ENTRY_TYPE @ 26]: Enum<MdEntryTypeBook> = "MDEntryType", since 0;
    }
}

sbe_block! {
    /// Entry of `NoOrderIDEntries` in templates 32 and 46.
    pub struct BookOrderEntry, schema block length 24 {
        order_id [ORDER_ID @ 0]: U64 = "OrderID", since 0;
        md_order_priority [MD_ORDER_PRIORITY @ 8]: U64Null = "MDOrderPriority", since 0;
        md_display_qty [MD_DISPLAY_QTY @ 16]: I32Null = "MDDisplayQty", since 0;
        reference_id [REFERENCE_ID @ 20]: U8Null = "ReferenceID", since 0;
        order_update_action [ORDER_UPDATE_ACTION @ 21]: Enum<OrderUpdateAction> = "OrderUpdateAction", since 0;
    }
}

sbe_message! {
    /// Template 32: MBP book update, exponent −7 prices.
    pub struct MdIncrementalRefreshBook32 = MD_INCREMENTAL_REFRESH_BOOK_32, "MDIncrementalRefreshBook32", root IncrementalRoot {
        md_entries: Book32Entry = "NoMDEntries", GroupSize, since 0;
        order_id_entries: BookOrderEntry = "NoOrderIDEntries", GroupSize8Byte, since 7;
    }
}

sbe_message! {
    /// Template 46: MBP book update with its orders, exponent −9 prices.
    pub struct MdIncrementalRefreshBook46 = MD_INCREMENTAL_REFRESH_BOOK_46, "MDIncrementalRefreshBook46", root IncrementalRoot {
        md_entries: Book46Entry = "NoMDEntries", GroupSize, since 0;
        order_id_entries: BookOrderEntry = "NoOrderIDEntries", GroupSize8Byte, since 0;
    }
}
