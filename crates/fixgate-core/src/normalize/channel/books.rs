//! Book updates: market-by-price levels, orders, and book resets.

use super::{header, touch, Normalizer};
use crate::event::{Action, ClearBody, Event, EventFlags, EventHeader, LevelBody, OrderBody};
use crate::normalize::batch::{EventBatch, EventSink};
use crate::normalize::book::{BookKind, LevelChange, LevelSink, MbpOp, OrderOp};
use crate::normalize::registry::Slot;
use crate::types::{InstrumentId, Side};

use super::NormalizeError;

/// One market-by-price entry (CME `MDEntryType` `0`/`1` outright, `E`/`F`
/// implied).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LevelUpdate {
    /// The instrument.
    pub instrument: InstrumentId,
    /// Outright or implied.
    pub book: BookKind,
    /// The venue's per-instrument sequence (CME `RptSeq`), 0 where none.
    pub rpt_seq: u32,
    /// The update itself.
    pub op: MbpOp,
}

/// The events of one market-by-price entry, pushed as the book reports each
/// level it changed: inlined at each report site of `MbpBook::apply_to` (see
/// [`LevelSink`]).
struct LevelEvents<'a, S> {
    head: EventHeader,
    channel: u32,
    rpt_seq: u32,
    batch: &'a mut EventBatch,
    sink: &'a mut S,
    produced: u64,
}

impl<S: EventSink> LevelSink for &mut LevelEvents<'_, S> {
    #[inline(always)]
    fn level_changed(&mut self, c: LevelChange) {
        let event = if c.action == Action::Clear {
            Event::new(
                self.head,
                ClearBody {
                    channel: self.channel,
                    rpt_seq: self.rpt_seq,
                    side: c.side,
                },
            )
        } else {
            Event::new(
                self.head,
                LevelBody {
                    price_e9: c.price_e9,
                    qty: c.qty,
                    order_count: c.order_count,
                    rpt_seq: self.rpt_seq,
                    level: c.level,
                    side: c.side,
                    action: c.action,
                },
            )
        };
        self.batch.push(event, self.sink);
        self.produced += 1;
    }
}

impl<S: EventSink> Normalizer<S> {
    /// Applies a market-by-price entry; publishes a
    /// [`LevelBody`] per level changed (a [`ClearBody`] for DeleteThru) at the
    /// venue event's end.
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`], or [`NormalizeError::Book`] when
    /// the entry does not fit the book (which is unchanged and now suspect).
    pub fn handle_level(&mut self, u: &LevelUpdate) -> Result<(), NormalizeError> {
        let slot = self.slot(u.instrument)?;
        self.handle_level_at(slot, u)
    }

    /// [`Normalizer::handle_level`] for an adapter that already resolved the
    /// instrument's registry `slot` (one registry lookup per entry, not two).
    ///
    /// # Errors
    /// [`NormalizeError::Book`], as [`Normalizer::handle_level`].
    #[inline(always)]
    pub(crate) fn handle_level_at(
        &mut self,
        slot: Slot,
        u: &LevelUpdate,
    ) -> Result<(), NormalizeError> {
        debug_assert_eq!(self.registry.slot(u.instrument), Some(slot));
        let Normalizer {
            venue,
            channel,
            instruments,
            batch,
            sink,
            stamp,
            touched,
            counters,
            ..
        } = self;
        let book = instruments[slot.index()].book_mut(u.book);
        let mut flags = EventFlags::MBP;
        if u.book == BookKind::Implied {
            flags |= EventFlags::IMPLIED;
        }
        if book.is_suspect() {
            flags |= EventFlags::MAYBE_BAD_BOOK;
        }
        let mut events = LevelEvents {
            head: header(*venue, stamp, u.instrument, flags),
            channel: *channel,
            rpt_seq: u.rpt_seq,
            batch,
            sink,
            produced: 0,
        };
        let applied = book.apply_to(&u.op, &mut events);
        counters.events += events.produced;
        match applied {
            Ok(()) => {
                touch(instruments, touched, slot);
                Ok(())
            }
            Err(error) => {
                counters.book_refused += 1;
                Err(NormalizeError::Book {
                    instrument: u.instrument,
                    book: u.book,
                    error,
                })
            }
        }
    }

    /// Applies an order entry; publishes its [`OrderBody`] (the order's
    /// resulting state) at the venue event's end. Orders do not move the quote:
    /// quotes come from the market-by-price books.
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`], or [`NormalizeError::Order`] when
    /// the order book refuses it (the instrument's orders are then suspect).
    pub fn handle_order(&mut self, op: &OrderOp) -> Result<(), NormalizeError> {
        let slot = self.slot(op.instrument)?;
        self.handle_order_at(slot, op)
    }

    /// [`Normalizer::handle_order`] for an adapter that already resolved the
    /// instrument's registry `slot`.
    ///
    /// # Errors
    /// [`NormalizeError::Order`], as [`Normalizer::handle_order`].
    #[inline(always)]
    pub(crate) fn handle_order_at(
        &mut self,
        slot: Slot,
        op: &OrderOp,
    ) -> Result<(), NormalizeError> {
        debug_assert_eq!(self.registry.slot(op.instrument), Some(slot));
        let head = &mut self.instruments[slot.index()].order_head;
        match self.mbo.apply_listed(head, op) {
            Ok(change) => {
                let mut flags = EventFlags::empty();
                if self.instruments[slot.index()].mbo_suspect {
                    flags |= EventFlags::MAYBE_BAD_BOOK;
                }
                let s = change.state;
                let event = Event::new(
                    self.header(op.instrument, flags),
                    OrderBody {
                        order_id: s.order_id,
                        price_e9: s.price_e9,
                        priority: s.priority,
                        qty: s.qty,
                        side: s.side,
                        action: change.action,
                    },
                );
                self.push(event);
                Ok(())
            }
            Err(e) => {
                self.counters.order_refused(&e);
                self.instruments[slot.index()].mbo_suspect = true;
                Err(e.into())
            }
        }
    }

    /// The venue says an instrument's book is empty (CME `MDEntryType` `J`), or a
    /// snapshot is about to rebuild it: empties its outright, implied and order
    /// books, clears their suspect marks, and publishes three [`ClearBody`]
    /// events (`MBP`, `MBP | IMPLIED`, and one without `MBP` for the orders).
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`].
    pub fn handle_book_reset(&mut self, id: InstrumentId) -> Result<(), NormalizeError> {
        let slot = self.slot(id)?;
        self.clear_instrument_books(slot, id, 0);
        Ok(())
    }

    /// Empties every book of the instrument in `slot` and publishes the clears.
    pub(super) fn clear_instrument_books(&mut self, slot: Slot, id: InstrumentId, rpt_seq: u32) {
        let st = &mut self.instruments[slot.index()];
        st.outright.clear();
        st.implied.clear();
        st.mbo_suspect = false;
        self.mbo.clear_listed(&mut st.order_head);
        let body = ClearBody {
            channel: self.channel,
            rpt_seq,
            side: Side::None,
        };
        for flags in [
            EventFlags::MBP,
            EventFlags::MBP | EventFlags::IMPLIED,
            EventFlags::empty(),
        ] {
            let event = Event::new(self.header(id, flags), body);
            self.push(event);
        }
        self.touch(slot);
    }

    /// Adds an event to the current venue event.
    #[inline]
    pub(super) fn push(&mut self, event: Event) {
        self.counters.events += 1;
        self.batch.push(event, &mut self.sink);
    }
}
