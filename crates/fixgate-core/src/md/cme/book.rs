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
//!
//! [`Book32Entry::fields`] / [`Book46Entry::fields`] decode every
//! `NoMDEntries` field at once for the book consumer's hot path: one length
//! check for the entry (27 bytes, every field `since 0`) instead of one per
//! field, with the same encodings as the accessors (equal values, proven by
//! this module's tests).

use super::block::sbe_block;
use super::encoding::{
    Encoding, Enum, I32Null, PriceNull7, PriceNull9, U64Null, U8Null, I32, U32, U64, U8,
};
use super::enums::{MdEntryType, MdEntryTypeBook, MdUpdateAction, OrderUpdateAction};
use super::group::sbe_message;
use super::incremental_root::IncrementalRoot;
use super::price::PriceResult;

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

/// Every field of a 32 / 46 `NoMDEntries` entry, as its accessor returns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BookEntryFields {
    /// `MDEntryPx` in 1e-9 units.
    pub md_entry_px: PriceResult,
    /// `MDEntrySize`.
    pub md_entry_size: Option<i32>,
    /// `SecurityID`.
    pub security_id: Option<i32>,
    /// `RptSeq`.
    pub rpt_seq: Option<u32>,
    /// `NumberOfOrders`.
    pub number_of_orders: Option<i32>,
    /// `MDPriceLevel`.
    pub md_price_level: Option<u8>,
    /// `MDUpdateAction`.
    pub md_update_action: Option<MdUpdateAction>,
    /// `MDEntryType`.
    pub md_entry_type: Option<MdEntryType>,
}

/// The wire bytes every `NoMDEntries` field lies in.
const BOOK_ENTRY_FIELDS_LEN: usize = 27;

macro_rules! book_entry_fields {
    ($entry:ident, $px:ty) => {
        impl $entry<'_> {
            /// Every field at once (see the [module docs](self)): one length
            /// check when the wire entry holds them all, else each accessor.
            #[inline]
            pub fn fields(&self) -> BookEntryFields {
                let Some(b) = self.block().bytes().first_chunk::<BOOK_ENTRY_FIELDS_LEN>() else {
                    return BookEntryFields {
                        md_entry_px: self.md_entry_px(),
                        md_entry_size: self.md_entry_size(),
                        security_id: self.security_id(),
                        rpt_seq: self.rpt_seq(),
                        number_of_orders: self.number_of_orders(),
                        md_price_level: self.md_price_level(),
                        md_update_action: self.md_update_action(),
                        md_entry_type: self.md_entry_type(),
                    };
                };
                BookEntryFields {
                    md_entry_px: <$px>::decode(Some(&b[Self::MD_ENTRY_PX..])),
                    md_entry_size: I32Null::decode(Some(&b[Self::MD_ENTRY_SIZE..])),
                    security_id: I32::decode(Some(&b[Self::SECURITY_ID..])),
                    rpt_seq: U32::decode(Some(&b[Self::RPT_SEQ..])),
                    number_of_orders: I32Null::decode(Some(&b[Self::NUMBER_OF_ORDERS..])),
                    md_price_level: U8::decode(Some(&b[Self::MD_PRICE_LEVEL..])),
                    md_update_action: Enum::<MdUpdateAction>::decode(Some(
                        &b[Self::MD_UPDATE_ACTION..],
                    )),
                    md_entry_type: Enum::<MdEntryTypeBook>::decode(Some(&b[Self::MD_ENTRY_TYPE..])),
                }
            }
        }
    };
}

book_entry_fields!(Book32Entry, PriceNull7);
book_entry_fields!(Book46Entry, PriceNull9);

/// Every field of a 32 / 46 `NoOrderIDEntries` entry, as its accessor
/// returns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BookOrderFields {
    /// `OrderID`.
    pub order_id: Option<u64>,
    /// `MDOrderPriority`.
    pub md_order_priority: Option<u64>,
    /// `MDDisplayQty`.
    pub md_display_qty: Option<i32>,
    /// `ReferenceID`.
    pub reference_id: Option<u8>,
    /// `OrderUpdateAction`.
    pub order_update_action: Option<OrderUpdateAction>,
}

/// The wire bytes every `NoOrderIDEntries` field lies in.
const BOOK_ORDER_FIELDS_LEN: usize = 22;

impl BookOrderEntry<'_> {
    /// Every field at once, as [`Book46Entry::fields`] does for the level
    /// entries: one length check when the wire entry holds them all (22
    /// bytes, every field `since 0`), else each accessor.
    #[inline]
    pub fn fields(&self) -> BookOrderFields {
        let Some(b) = self.block().bytes().first_chunk::<BOOK_ORDER_FIELDS_LEN>() else {
            return BookOrderFields {
                order_id: self.order_id(),
                md_order_priority: self.md_order_priority(),
                md_display_qty: self.md_display_qty(),
                reference_id: self.reference_id(),
                order_update_action: self.order_update_action(),
            };
        };
        BookOrderFields {
            order_id: U64::decode(Some(&b[Self::ORDER_ID..])),
            md_order_priority: U64Null::decode(Some(&b[Self::MD_ORDER_PRIORITY..])),
            md_display_qty: I32Null::decode(Some(&b[Self::MD_DISPLAY_QTY..])),
            reference_id: U8Null::decode(Some(&b[Self::REFERENCE_ID..])),
            order_update_action: Enum::<OrderUpdateAction>::decode(Some(
                &b[Self::ORDER_UPDATE_ACTION..],
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::md::cme::block::Block;

    /// Random entries of every length from 0 to 40 bytes, nulls and extremes
    /// mixed in, at versions 3 and 9: `fields()` equals the accessors (level
    /// entries of 32 and 46, and order entries).
    #[test]
    fn fields_equal_the_accessors() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut checked = 0;
        for len in 0..=40usize {
            for round in 0..64 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        match (x >> 8) % 6 {
                            0 => 0xff,
                            1 => 0x7f,
                            2 => 0,
                            _ => x as u8,
                        }
                    })
                    .collect();
                let version = if round % 2 == 0 { 9 } else { 3 };
                let block = Block::new(&bytes, version);
                let (e32, e46) = (Book32Entry::new(block), Book46Entry::new(block));
                let want32 = BookEntryFields {
                    md_entry_px: e32.md_entry_px(),
                    md_entry_size: e32.md_entry_size(),
                    security_id: e32.security_id(),
                    rpt_seq: e32.rpt_seq(),
                    number_of_orders: e32.number_of_orders(),
                    md_price_level: e32.md_price_level(),
                    md_update_action: e32.md_update_action(),
                    md_entry_type: e32.md_entry_type(),
                };
                assert_eq!(e32.fields(), want32, "{bytes:?}");
                let want46 = BookEntryFields {
                    md_entry_px: e46.md_entry_px(),
                    md_entry_size: e46.md_entry_size(),
                    security_id: e46.security_id(),
                    rpt_seq: e46.rpt_seq(),
                    number_of_orders: e46.number_of_orders(),
                    md_price_level: e46.md_price_level(),
                    md_update_action: e46.md_update_action(),
                    md_entry_type: e46.md_entry_type(),
                };
                assert_eq!(e46.fields(), want46, "{bytes:?}");
                let o = BookOrderEntry::new(block);
                let want_order = BookOrderFields {
                    order_id: o.order_id(),
                    md_order_priority: o.md_order_priority(),
                    md_display_qty: o.md_display_qty(),
                    reference_id: o.reference_id(),
                    order_update_action: o.order_update_action(),
                };
                assert_eq!(o.fields(), want_order, "{bytes:?}");
                checked += 2;
            }
        }
        assert_eq!(checked, 41 * 64 * 2);
    }
}
