//! Book updates: 32 and 46 (market-by-price entries, and their order groups)
//! and 47 (market-by-order entries).
//!
//! A 32/46 order entry has no instrument, side or price of its own: its
//! `ReferenceID` is the 1-based index of the `NoMDEntries` entry it belongs to,
//! which gives them. Orders whose entry was skipped (stale `RptSeq`, unknown
//! instrument) or unusable (implied, bad price) are skipped with it.

use super::{convert, CmeNormalizer, Msg, Observer, RefusalReason};
use crate::md::cme::{
    Book32Entry, Book46Entry, BookOrderEntry, FromBlock, Group, IncrementalRoot, MdEntryType,
    MdIncrementalRefreshOrderBook47, MdUpdateAction, PriceResult,
};
use crate::normalize::batch::EventSink;
use crate::normalize::book::{BookKind, MbpOp, OrderOp};
use crate::normalize::LevelUpdate;
use crate::types::{InstrumentId, OrderId, Price, Side};

/// The accessors 32 and 46 entries share (prices at −7 and −9 both come out as
/// [`Price`]s).
pub(super) trait BookEntry<'a>: FromBlock<'a> {
    fn px(&self) -> PriceResult;
    fn size(&self) -> Option<i32>;
    fn security_id(&self) -> Option<i32>;
    fn rpt_seq(&self) -> Option<u32>;
    fn orders(&self) -> Option<i32>;
    fn level(&self) -> Option<u8>;
    fn action(&self) -> Option<MdUpdateAction>;
    fn entry_type(&self) -> Option<MdEntryType>;
}

macro_rules! book_entry {
    ($t:ident) => {
        impl<'a> BookEntry<'a> for $t<'a> {
            #[inline]
            fn px(&self) -> PriceResult {
                self.md_entry_px()
            }
            #[inline]
            fn size(&self) -> Option<i32> {
                self.md_entry_size()
            }
            #[inline]
            fn security_id(&self) -> Option<i32> {
                $t::security_id(self)
            }
            #[inline]
            fn rpt_seq(&self) -> Option<u32> {
                $t::rpt_seq(self)
            }
            #[inline]
            fn orders(&self) -> Option<i32> {
                self.number_of_orders()
            }
            #[inline]
            fn level(&self) -> Option<u8> {
                self.md_price_level()
            }
            #[inline]
            fn action(&self) -> Option<MdUpdateAction> {
                self.md_update_action()
            }
            #[inline]
            fn entry_type(&self) -> Option<MdEntryType> {
                self.md_entry_type()
            }
        }
    };
}

book_entry!(Book32Entry);
book_entry!(Book46Entry);

/// Which of up to 256 entries may be referenced by orders.
#[derive(Clone, Copy, Default)]
struct Usable([u64; 4]);

impl Usable {
    #[inline]
    fn set(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
    #[inline]
    fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
}

impl<S: EventSink> CmeNormalizer<S> {
    /// 32 / 46: levels, book resets, then the orders.
    pub(super) fn book<'a, E: BookEntry<'a>>(
        &mut self,
        msg: &Msg,
        root: IncrementalRoot<'a>,
        entries: Option<Group<'a, E>>,
        orders: Option<Group<'a, BookOrderEntry<'a>>>,
        r: &mut Observer<'_>,
    ) {
        self.begin(msg, root.transact_time_ns(), Default::default());
        let mut usable = Usable::default();
        if let Some(entries) = entries {
            for (i, e) in entries.iter().enumerate() {
                let mut orders_ok = false;
                let result = self.book_entry(&e, &mut orders_ok);
                if orders_ok {
                    usable.set(i);
                }
                if let Err(reason) = result {
                    self.refuse(msg, Some(i as u16), reason, r);
                }
            }
        }
        if let (Some(entries), Some(orders)) = (entries, orders) {
            if !orders.is_empty() {
                self.saw_orders();
            }
            for (i, o) in orders.iter().enumerate() {
                if let Err(reason) = self.book_order(&entries, usable, &o) {
                    self.refuse(msg, Some(i as u16), reason, r);
                }
            }
        }
        self.end_incremental(root.match_event_indicator());
    }

    /// One level entry; sets `orders_ok` when orders may reference it (an
    /// outright entry with a price, applied or refused by the book: the order
    /// book does not depend on the level book).
    #[inline]
    fn book_entry<'a, E: BookEntry<'a>>(
        &mut self,
        e: &E,
        orders_ok: &mut bool,
    ) -> Result<(), RefusalReason> {
        let (id, slot) = self.resolve(e.security_id())?;
        let levels = self.in_sequence(id, slot, e.rpt_seq());
        // A replay of this instrument's orders: its level entries were
        // applied live, the order groups referencing them were not.
        let replaying_orders = self.replaying_orders(slot);
        if !levels && !replaying_orders {
            return Ok(());
        }
        let entry_type = e.entry_type().ok_or(RefusalReason::MissingField {
            field: "MDEntryType",
        })?;
        let Some((book, side)) = convert::book_side(entry_type) else {
            if entry_type == MdEntryType::BOOK_RESET {
                if levels {
                    self.norm.handle_book_reset(id)?;
                }
                return Ok(());
            }
            return Err(RefusalReason::UnsupportedEntryType {
                entry_type: entry_type.0,
            });
        };
        let price_e9 = e.px()?.unwrap_or(Price::NULL);
        let update = LevelUpdate {
            instrument: id,
            book,
            rpt_seq: e.rpt_seq().unwrap_or(0),
            op: MbpOp {
                side,
                action: convert::mbp_action(e.action())?,
                level: e.level().unwrap_or(0),
                price_e9,
                qty: convert::qty("MDEntrySize", e.size())?,
                order_count: convert::order_count(e.orders()),
            },
        };
        *orders_ok = book == BookKind::Outright && !price_e9.is_null();
        if !levels {
            return Ok(());
        }
        self.norm.handle_level(&update)?;
        Ok(())
    }

    /// One order entry of 32 / 46.
    #[inline]
    fn book_order<'a, E: BookEntry<'a>>(
        &mut self,
        entries: &Group<'a, E>,
        usable: Usable,
        o: &BookOrderEntry<'a>,
    ) -> Result<(), RefusalReason> {
        let reference_id = o.reference_id().unwrap_or(u8::MAX);
        let index = usize::from(reference_id).wrapping_sub(1);
        let Some(entry) = entries.get(index) else {
            return Err(RefusalReason::BadReference { reference_id });
        };
        if !usable.get(index) {
            // Its entry was skipped (stale, refused or implied): so is the order.
            return Ok(());
        }
        let side = entry
            .entry_type()
            .and_then(convert::order_side)
            .ok_or(RefusalReason::BadReference { reference_id })?;
        let id = convert::instrument(entry.security_id())?;
        if let Some(slot) = self.norm.registry().slot(id) {
            if !self.orders_gate(slot) {
                return Ok(());
            }
        }
        let op = OrderOp {
            instrument: id,
            order_id: OrderId(
                o.order_id()
                    .ok_or(RefusalReason::MissingField { field: "OrderID" })?,
            ),
            side,
            price_e9: entry.px()?.unwrap_or(Price::NULL),
            qty: convert::qty("MDDisplayQty", o.md_display_qty())?,
            priority: o.md_order_priority().unwrap_or(u64::MAX),
            action: convert::order_action(o.order_update_action().map(|a| a.0))?,
        };
        self.norm.handle_order(&op)?;
        Ok(())
    }

    /// 47: orders (no `RptSeq`: MBO books recover by snapshot).
    pub(super) fn order_book(
        &mut self,
        msg: &Msg,
        m: MdIncrementalRefreshOrderBook47<'_>,
        r: &mut Observer<'_>,
    ) {
        let root = m.root();
        self.saw_orders();
        self.begin(msg, root.transact_time_ns(), Default::default());
        for (i, e) in m.md_entries().into_iter().flatten().enumerate() {
            let result = (|| {
                let (id, slot) = self.resolve(e.security_id())?;
                if !self.orders_gate(slot) {
                    return Ok(());
                }
                let entry_type = e.md_entry_type().ok_or(RefusalReason::MissingField {
                    field: "MDEntryType",
                })?;
                if entry_type == MdEntryType::BOOK_RESET {
                    self.norm.handle_order_reset(id)?;
                    return Ok(());
                }
                let side =
                    convert::order_side(entry_type).ok_or(RefusalReason::UnsupportedEntryType {
                        entry_type: entry_type.0,
                    })?;
                self.apply_order(
                    id,
                    e.order_id(),
                    side,
                    e.md_entry_px()?,
                    e.md_display_qty(),
                    e.md_order_priority(),
                    e.md_update_action().map(|a| a.0),
                )
            })();
            if let Err(reason) = result {
                self.refuse(msg, Some(i as u16), reason, r);
            }
        }
        self.end_incremental(root.match_event_indicator());
    }

    /// An order from its wire fields (47 and 53).
    #[allow(
        clippy::too_many_arguments,
        reason = "one argument per wire field of the order"
    )]
    #[inline]
    pub(super) fn apply_order(
        &mut self,
        id: InstrumentId,
        order_id: Option<u64>,
        side: Side,
        price: Option<Price>,
        display_qty: Option<i32>,
        priority: Option<u64>,
        action: Option<u8>,
    ) -> Result<(), RefusalReason> {
        let op = OrderOp {
            instrument: id,
            order_id: OrderId(order_id.ok_or(RefusalReason::MissingField { field: "OrderID" })?),
            side,
            price_e9: price.unwrap_or(Price::NULL),
            qty: convert::qty("MDDisplayQty", display_qty)?,
            priority: priority.unwrap_or(u64::MAX),
            action: convert::order_action(action)?,
        };
        self.norm.handle_order(&op)?;
        Ok(())
    }
}
