//! Template 43 `MDIncrementalRefreshOrderBook43`: the exponent −7 MBO-only
//! order updates of schema versions 7–8 (replaced by 47 at −9). Root:
//! [`IncrementalRoot`](super::IncrementalRoot). Decoded, not normalized (the
//! CME adapter counts it).
//!
//! Group `NoMDEntries` (268), `groupSize`, entry 40 (no `RptSeq`):
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 8 | OrderID (37) | uInt64NULL |
//! | 8 | 8 | MDOrderPriority (37707) | uInt64NULL |
//! | 16 | 8 | MDEntryPx (270) | PRICENULL (−7) |
//! | 24 | 4 | MDDisplayQty (37706) | Int32NULL |
//! | 28 | 4 | SecurityID (48) | Int32 |
//! | 32 | 1 | MDUpdateAction (279) | enum u8 |
//! | 33 | 1 | MDEntryType (269) | `MDEntryTypeBook` char |
//! | 34 | 6 | pad | |
//!
//! No field or group has a `sinceVersion` above the template's own (7).

use super::block::sbe_block;
use super::encoding::{Enum, I32Null, PriceNull7, U64Null, I32};
use super::enums::{MdEntryTypeBook, MdUpdateAction};
use super::group::sbe_message;
use super::incremental_root::IncrementalRoot;

sbe_block! {
    /// Entry of `MDIncrementalRefreshOrderBook43.NoMDEntries` (exponent −7).
    pub struct OrderBook43Entry, schema block length 40 {
        order_id [ORDER_ID @ 0]: U64Null = "OrderID", since 0;
        md_order_priority [MD_ORDER_PRIORITY @ 8]: U64Null = "MDOrderPriority", since 0;
        md_entry_px [MD_ENTRY_PX @ 16]: PriceNull7 = "MDEntryPx", since 0;
        md_display_qty [MD_DISPLAY_QTY @ 24]: I32Null = "MDDisplayQty", since 0;
        security_id [SECURITY_ID @ 28]: I32 = "SecurityID", since 0;
        md_update_action [MD_UPDATE_ACTION @ 32]: Enum<MdUpdateAction> = "MDUpdateAction", since 0;
        md_entry_type [MD_ENTRY_TYPE @ 33]: Enum<MdEntryTypeBook> = "MDEntryType", since 0;
    }
}

sbe_message! {
    /// Template 43: MBO book update, exponent −7 prices.
    pub struct MdIncrementalRefreshOrderBook43 = MD_INCREMENTAL_REFRESH_ORDER_BOOK_43, "MDIncrementalRefreshOrderBook43", root IncrementalRoot {
        md_entries: OrderBook43Entry = "NoMDEntries", GroupSize, since 0;
    }
}
