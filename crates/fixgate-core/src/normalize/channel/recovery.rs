//! Resets of one kind of book of one instrument, for snapshot recovery: a
//! market-by-price snapshot (CME `SnapshotFullRefresh52`) rebuilds the outright
//! and implied books and leaves the orders alone; a market-by-order snapshot
//! (CME `SnapshotFullRefreshOrderBook53`) rebuilds the orders and leaves the
//! levels alone. [`Normalizer::handle_book_reset`] empties all three.

use super::{NormalizeError, Normalizer};
use crate::event::{ClearBody, Event, EventFlags};
use crate::normalize::batch::EventSink;
use crate::types::{InstrumentId, Side};

impl<S: EventSink> Normalizer<S> {
    /// Empties an instrument's outright and implied books and clears their
    /// suspect marks (a market-by-price snapshot follows); publishes two
    /// [`ClearBody`] events (`MBP` and `MBP | IMPLIED`). Its orders stay.
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`].
    pub fn handle_mbp_reset(
        &mut self,
        id: InstrumentId,
        rpt_seq: u32,
    ) -> Result<(), NormalizeError> {
        let slot = self.slot(id)?;
        let st = &mut self.instruments[slot.index()];
        st.outright.clear();
        st.implied.clear();
        let body = ClearBody {
            channel: self.channel,
            rpt_seq,
            side: Side::None,
        };
        for flags in [EventFlags::MBP, EventFlags::MBP | EventFlags::IMPLIED] {
            let event = Event::new(self.header(id, flags), body);
            self.push(event);
        }
        self.touch(slot);
        Ok(())
    }

    /// Removes an instrument's orders and clears its order-book suspect mark (a
    /// market-by-order snapshot follows); publishes one [`ClearBody`] without
    /// `MBP`. Its levels stay.
    ///
    /// # Errors
    /// [`NormalizeError::UnknownInstrument`].
    pub fn handle_order_reset(&mut self, id: InstrumentId) -> Result<(), NormalizeError> {
        let slot = self.slot(id)?;
        self.instruments[slot.index()].mbo_suspect = false;
        self.mbo.clear_instrument(id);
        let body = ClearBody {
            channel: self.channel,
            rpt_seq: 0,
            side: Side::None,
        };
        let event = Event::new(self.header(id, EventFlags::empty()), body);
        self.push(event);
        Ok(())
    }
}
