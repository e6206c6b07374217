//! Template 47 `MDIncrementalRefreshOrderBook47`: MBO-only order updates.
//! Root: [`IncrementalRoot`](super::IncrementalRoot).
//!
//! Group `NoMDEntries` (268), `groupSize`, entry 40 (no `RptSeq`: MBO books
//! recover by snapshot 53 after a gap):
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 8 | OrderID (37) | uInt64NULL |
//! | 8 | 8 | MDOrderPriority (37707) | uInt64NULL |
//! | 16 | 8 | MDEntryPx (270) | PRICENULL9 |
//! | 24 | 4 | MDDisplayQty (37706) | Int32NULL |
//! | 28 | 4 | SecurityID (48) | Int32 |
//! | 32 | 1 | MDUpdateAction (279) | enum u8 |
//! | 33 | 1 | MDEntryType (269) | `MDEntryTypeBook` char |
//! | 34 | 6 | pad | |

use super::block::sbe_block;
use super::encoding::{Enum, I32Null, PriceNull9, U64Null, I32};
use super::enums::{MdEntryTypeBook, MdUpdateAction};
use super::group::sbe_message;
use super::incremental_root::IncrementalRoot;

sbe_block! {
    /// Entry of `MDIncrementalRefreshOrderBook47.NoMDEntries`.
    pub struct OrderBook47Entry, schema block length 40 {
        order_id [ORDER_ID @ 0]: U64Null = "OrderID", since 0;
        md_order_priority [MD_ORDER_PRIORITY @ 8]: U64Null = "MDOrderPriority", since 0;
        md_entry_px [MD_ENTRY_PX @ 16]: PriceNull9 = "MDEntryPx", since 0;
        md_display_qty [MD_DISPLAY_QTY @ 24]: I32Null = "MDDisplayQty", since 0;
        security_id [SECURITY_ID @ 28]: I32 = "SecurityID", since 0;
        md_update_action [MD_UPDATE_ACTION @ 32]: Enum<MdUpdateAction> = "MDUpdateAction", since 0;
        md_entry_type [MD_ENTRY_TYPE @ 33]: Enum<MdEntryTypeBook> = "MDEntryType", since 0;
    }
}

sbe_message! {
    /// Template 47: MBO book update.
    pub struct MdIncrementalRefreshOrderBook47 = MD_INCREMENTAL_REFRESH_ORDER_BOOK_47, "MDIncrementalRefreshOrderBook47", root IncrementalRoot {
        md_entries: OrderBook47Entry = "NoMDEntries", GroupSize, since 0;
    }
}
