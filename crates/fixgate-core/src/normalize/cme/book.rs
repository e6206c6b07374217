//! Book updates: 32 and 46 (market-by-price entries, and their order groups)
//! and 47 (market-by-order entries).
//!
//! A 32/46 order entry has no instrument, side or price of its own: its
//! `ReferenceID` is the 1-based index of the `NoMDEntries` entry it belongs to,
//! which gives them. Orders whose entry was skipped (stale `RptSeq`, unknown
//! instrument) or unusable (implied, bad price) are skipped with it.

use super::{convert, CmeNormalizer, Msg, Observer, RefusalReason};
use crate::md::cme::{
    Book32Entry, Book46Entry, BookEntryFields, BookOrderEntry, FromBlock, Group, IncrementalRoot,
    MdEntryType, MdIncrementalRefreshOrderBook47,
};
use crate::normalize::batch::EventSink;
use crate::normalize::book::{BookKind, MbpOp, OrderOp};
use crate::normalize::registry::Slot;
use crate::normalize::LevelUpdate;
use crate::types::{InstrumentId, OrderId, Price, Side};

/// What 32 and 46 entries share: every field decoded at once (prices at −7
/// and −9 both come out as [`Price`]s).
pub(super) trait BookEntry<'a>: FromBlock<'a> {
    fn fields(&self) -> BookEntryFields;
}

impl<'a> BookEntry<'a> for Book32Entry<'a> {
    #[inline]
    fn fields(&self) -> BookEntryFields {
        Book32Entry::fields(self)
    }
}

impl<'a> BookEntry<'a> for Book46Entry<'a> {
    #[inline]
    fn fields(&self) -> BookEntryFields {
        Book46Entry::fields(self)
    }
}

/// What an order of a 32 / 46 message needs from the `NoMDEntries` entry its
/// `ReferenceID` names, kept when that entry was applied.
#[derive(Clone, Copy, Debug)]
struct EntryRef {
    slot: Slot,
    instrument: InstrumentId,
    side: Side,
    price_e9: Price,
}

/// Which of up to 256 entries of the message in progress may be referenced
/// by orders, and what those orders take from them (instrument, registry
/// slot, side, price), so that an order neither decodes its entry again nor
/// looks its instrument up. Kept by the adapter (6 KiB, written only for the
/// usable entries); only the bits are cleared per message.
#[derive(Clone, Debug)]
pub(super) struct Usable {
    bits: [u64; 4],
    refs: [EntryRef; 256],
}

impl Usable {
    pub(super) fn new() -> Self {
        Usable {
            bits: [0; 4],
            refs: [EntryRef {
                slot: Slot::from_index(0),
                instrument: InstrumentId(0),
                side: Side::None,
                price_e9: Price::NULL,
            }; 256],
        }
    }
    #[inline]
    fn clear(&mut self) {
        self.bits = [0; 4];
    }
    #[inline]
    fn set(&mut self, i: usize, r: EntryRef) {
        if let (Some(w), Some(slot)) = (self.bits.get_mut(i / 64), self.refs.get_mut(i)) {
            *w |= 1 << (i % 64);
            *slot = r;
        }
    }
    /// Usable entry `i`'s reference, `None` when entry `i` is not usable.
    #[inline]
    fn get(&self, i: usize) -> Option<&EntryRef> {
        let set = self
            .bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0);
        if set {
            self.refs.get(i)
        } else {
            None
        }
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
        self.usable.clear();
        if let Some(entries) = entries {
            for (i, e) in entries.iter().enumerate() {
                let mut orders_ok = None;
                let result = self.book_entry(&e, &mut orders_ok);
                if let Some(r) = orders_ok {
                    self.usable.set(i, r);
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
                if let Err(reason) = self.book_order(&entries, &o) {
                    self.refuse(msg, Some(i as u16), reason, r);
                }
            }
        }
        self.end_incremental(root.match_event_indicator());
    }

    /// One level entry; sets `orders_ok` to what its orders take from it when
    /// orders may reference it (an outright entry with a price, applied or
    /// refused by the book: the order book does not depend on the level book).
    #[inline]
    fn book_entry<'a, E: BookEntry<'a>>(
        &mut self,
        e: &E,
        orders_ok: &mut Option<EntryRef>,
    ) -> Result<(), RefusalReason> {
        let e = e.fields();
        let (id, slot) = self.resolve_in_book(e.security_id)?;
        let rpt_seq = e.rpt_seq;
        let levels = self.in_sequence(id, slot, rpt_seq);
        // A replay of this instrument's orders: its level entries were
        // applied live, the order groups referencing them were not.
        let replaying_orders = self.replaying_orders(slot);
        if !levels && !replaying_orders {
            return Ok(());
        }
        let entry_type = e.md_entry_type.ok_or(RefusalReason::MissingField {
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
        let price_e9 = e.md_entry_px?.unwrap_or(Price::NULL);
        let update = LevelUpdate {
            instrument: id,
            book,
            rpt_seq: rpt_seq.unwrap_or(0),
            op: MbpOp {
                side,
                action: convert::mbp_action(e.md_update_action)?,
                level: e.md_price_level.unwrap_or(0),
                price_e9,
                qty: convert::qty("MDEntrySize", e.md_entry_size)?,
                order_count: convert::order_count(e.number_of_orders),
            },
        };
        if book == BookKind::Outright && !price_e9.is_null() {
            *orders_ok = Some(EntryRef {
                slot,
                instrument: id,
                side,
                price_e9,
            });
        }
        if !levels {
            return Ok(());
        }
        self.norm.handle_level_at(slot, &update)?;
        Ok(())
    }

    /// One order entry of 32 / 46: its instrument, side and price are those
    /// of the entry its `ReferenceID` names (kept in [`Usable`]).
    #[inline]
    fn book_order<'a, E: BookEntry<'a>>(
        &mut self,
        entries: &Group<'a, E>,
        o: &BookOrderEntry<'a>,
    ) -> Result<(), RefusalReason> {
        let o = o.fields();
        let reference_id = o.reference_id.unwrap_or(u8::MAX);
        let index = usize::from(reference_id).wrapping_sub(1);
        let Some(&entry) = self.usable.get(index) else {
            if index >= entries.len() {
                return Err(RefusalReason::BadReference { reference_id });
            }
            // Its entry was skipped (stale, refused or implied): so is the order.
            return Ok(());
        };
        if !self.orders_gate(entry.slot) {
            return Ok(());
        }
        self.apply_order(
            entry.instrument,
            entry.slot,
            o.order_id,
            entry.side,
            Some(entry.price_e9),
            o.md_display_qty,
            o.md_order_priority,
            o.order_update_action.map(|a| a.0),
        )
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
                let (id, slot) = self.resolve_in_book(e.security_id())?;
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
                    slot,
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

    /// An order from its wire fields (47, and 53 snapshots), its instrument
    /// in registry `slot`.
    #[allow(
        clippy::too_many_arguments,
        reason = "one argument per wire field of the order"
    )]
    #[inline(always)]
    pub(super) fn apply_order(
        &mut self,
        id: InstrumentId,
        slot: Slot,
        order_id: Option<u64>,
        side: Side,
        price: Option<Price>,
        display_qty: Option<i32>,
        priority: Option<u64>,
        action: Option<u8>,
    ) -> Result<(), RefusalReason> {
        let op = order_op(id, order_id, side, price, display_qty, priority, action)?;
        self.norm.handle_order_at(slot, &op)?;
        Ok(())
    }
}

/// An order update from its wire fields.
#[inline]
fn order_op(
    id: InstrumentId,
    order_id: Option<u64>,
    side: Side,
    price: Option<Price>,
    display_qty: Option<i32>,
    priority: Option<u64>,
    action: Option<u8>,
) -> Result<OrderOp, RefusalReason> {
    Ok(OrderOp {
        instrument: id,
        order_id: OrderId(order_id.ok_or(RefusalReason::MissingField { field: "OrderID" })?),
        side,
        price_e9: price.unwrap_or(Price::NULL),
        qty: convert::qty("MDDisplayQty", display_qty)?,
        priority: priority.unwrap_or(u64::MAX),
        action: convert::order_action(action)?,
    })
}
